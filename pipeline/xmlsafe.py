"""Parse XML the pipeline reads with entity expansion and network access off."""

from __future__ import annotations

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=True, remove_blank_text=False)


def parse(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, _PARSER))
