"""A document as the scorer sees it: its blocks, each a paragraph, a heading or other text.

The ground truth (the source HTML), pandoc's HTML and our TEI are all read into the same list of
`Block`s, so that the three are compared on equal terms. A paragraph is what a reader takes for
one: `<p>`, a list item or a definition with no paragraph inside (TEI `p`, `item`, `byline`).
Code, table cells and captions are "other": no paragraph is expected of them, but they are part of
the reading text on which the character error rate is measured.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

HEADING, PARAGRAPH, OTHER = "heading", "paragraph", "other"

HTML_BLOCKS = {
    **{f"h{n}": HEADING for n in range(1, 7)},
    **dict.fromkeys(("p", "li", "dt", "dd", "blockquote", "div", "figcaption"), PARAGRAPH),
    **dict.fromkeys(("pre", "td", "th", "caption"), OTHER),
}
TEI_BLOCKS = {
    "head": HEADING,
    **dict.fromkeys(("p", "item", "byline", "quote", "label"), PARAGRAPH),
    **dict.fromkeys(("ab", "cell"), OTHER),
}
# Inside these, even a <p> is no paragraph of the text: a table cell's lines, a code sample's.
_OTHER_CONTAINERS = {"pre", "td", "th", "caption", "table", "ab", "cell"}
HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


@dataclass(frozen=True)
class Block:
    kind: str
    text: str


def normalize(text: str) -> str:
    """The text as a reader compares it: NFC, whitespace runs as one space.

    Line breaks inside a paragraph are layout, not text, in the source HTML as in a dump.

    >>> normalize(" Cafe\\u0301\\n  noir ")
    'Café noir'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def reading_text(blocks: list[Block]) -> str:
    return " ".join(block.text for block in blocks)


def html_blocks(root: etree._Element) -> list[Block]:
    """The blocks of an HTML tree's <body> (or of `root` itself when it has none)."""
    body = root.find(".//body")
    return _blocks(body if body is not None else root, HTML_BLOCKS)


def html_file_blocks(path: Path) -> list[Block]:
    return html_blocks(lxml.html.document_fromstring(path.read_bytes(), parser=HTML_PARSER))


def tei_file_blocks(path: Path) -> list[Block]:
    """The blocks of a TEI file's `text/body`; the header and the provenance notes are not text."""
    root = etree.parse(str(path)).getroot()
    body = root.find(".//{*}text/{*}body")
    return [] if body is None else _blocks(body, TEI_BLOCKS)


def _blocks(root: etree._Element, kinds: dict[str, str]) -> list[Block]:
    found: list[tuple[str, list[str]]] = []
    _walk(root, kinds, found, in_other=False)
    blocks = (Block(kind, normalize("".join(pieces))) for kind, pieces in found)
    return [block for block in blocks if block.text]


def _walk(element, kinds: dict[str, str], found: list, in_other: bool) -> None:
    """Depth first: a block's own text is its inline text; a block nested in it comes after it."""
    name = _local_name(element)
    kind = kinds.get(name)
    in_other = in_other or name in _OTHER_CONTAINERS
    if kind is None:
        for child in element:
            _walk(child, kinds, found, in_other)
        return
    pieces: list[str] = []
    found.append((OTHER if in_other else kind, pieces))
    _inline_text(element, kinds, found, pieces, in_other)


def _inline_text(element, kinds, found, pieces: list[str], in_other: bool) -> None:
    pieces.append(element.text or "")
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction: not text
            pass
        elif _local_name(child) == "fw":  # a page's running head or folio: not the text's
            pass
        elif _local_name(child) in kinds:
            _walk(child, kinds, found, in_other)
            pieces.append(" ")
        else:
            if _local_name(child) == "br":
                pieces.append(" ")
            _inline_text(child, kinds, found, pieces, in_other)
        pieces.append(child.tail or "")


def _local_name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""
