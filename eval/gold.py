"""The ground truth of a corpus document: its blocks, read from the source's own structure.

A source says what each piece of its text is: TEI `head`, `p`, `l`, `note`, `item`; HTML `h2`,
`p`, `li`, `pre`, `td`; PAGE region types. Each reader here turns one kind of source into a
list of `Gold` blocks in reading order, as the corpus prints them, never from any tool's output:

    kind   p | head | item | note | quote | verse | code | table
    text   normalised to single spaces
    level  for a head, its depth (1 the outermost)

A paragraph's notes come as `note` blocks after the unit (chapter, letter) that holds it, where
the corpus prints them (Chromium has no page-foot floats), and the paragraph keeps the mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from eval.blocks import normalize

KINDS = ("p", "head", "item", "note", "quote", "verse", "code", "table")
_CUT = re.compile(r"[^\W\d_]-\s*$")


@dataclass
class Gold:
    kind: str
    text: str
    level: int | None = None
    # For printing only: (offset in text, note number) of each note mark in a paragraph.
    marks: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text,
                **({"level": self.level} if self.kind == "head" else {})}


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


# --- TEI: ELTeC novels, Schnitzler's letters, GROBID's papers -------------------------------

# Inline elements whose text is not the text's: page breaks, editorial apparatus, gaps.
_SKIP_INLINE = {"pb", "lb", "cb", "milestone", "gap", "del", "sic", "orig", "fw", "figure",
                "formula", "table", "anchor", "index", "space"}


class _Inline:
    """A TEI block's running text, its notes pulled out and numbered."""

    def __init__(self, notes: list[str], keep_notes: bool):
        self.notes, self.keep_notes = notes, keep_notes
        self.pieces: list[str] = []
        self.marks: list[tuple[int, str]] = []

    def read(self, element) -> None:
        self.pieces.append(element.text or "")
        for child in element:
            name = local(child)
            if name == "note":
                if self.keep_notes:
                    text = normalize(" ".join(child.itertext()))
                    if text:
                        self.notes.append(text)
                        self.marks.append((len("".join(self.pieces)), len(self.notes)))
            elif name == "lb" and _CUT.search("".join(self.pieces[-2:])) \
                    and (child.tail or "").lstrip()[:1].islower():
                # A word the printer cut at this line end (GROBID's `sci-<lb/> entific`),
                # as PAGE lines are joined (eval/pagexml.py).
                self.pieces[-1] = self.pieces[-1].rstrip()[:-1]
                child.tail = (child.tail or "").lstrip()
            elif name in ("lb", "space"):
                self.pieces.append(" ")
            elif name not in _SKIP_INLINE:
                self.read(child)
            self.pieces.append(child.tail or "")

    def gold(self, kind: str, level: int | None = None) -> Gold | None:
        """The block, its text normalised and its note marks moved to the normalised offsets."""
        raw = "".join(self.pieces)
        text = normalize(raw)
        if not text:
            return None
        marks = [(len(normalize(raw[:offset] + "x")) - 1, number)
                 for offset, number in self.marks]
        return Gold(kind, text, level, marks)


def _inline(element, notes: list[str], kind: str, level: int | None = None,
            keep_notes: bool = True) -> Gold | None:
    reader = _Inline(notes, keep_notes)
    reader.read(element)
    return reader.gold(kind, level)


def tei_units(body) -> list:
    """The innermost `div`s of a TEI body (chapters, letters), or the body itself if none."""
    divs = [div for div in body.iter("{*}div") if not div.findall(".//{*}div")]
    return [div for div in divs if "".join(div.itertext()).strip()] or [body]


def tei_blocks(unit, depth: int = 1, keep_notes: bool = True) -> list[Gold]:
    """A TEI unit's blocks in order, then its notes."""
    notes: list[str] = []
    blocks: list[Gold] = []
    _tei_walk(unit, depth, blocks, notes, keep_notes, quote=False)
    return blocks + [Gold("note", text) for text in notes]


def _tei_walk(element, depth, blocks, notes, keep_notes, quote: bool) -> None:
    for child in element:
        name = local(child)
        if name == "head":
            block = _inline(child, notes, "head", depth, keep_notes)
        elif name in ("p", "ab", "dateline", "salute", "signed", "byline", "trailer", "label",
                      "docAuthor", "docTitle", "titlePart", "epigraph_p"):
            block = _inline(child, notes, "quote" if quote else "p", keep_notes=keep_notes)
        elif name == "l":
            block = _inline(child, notes, "verse", keep_notes=keep_notes)
        elif name == "item":
            block = _inline(child, notes, "item", keep_notes=keep_notes)
        elif name in ("quote", "cit", "epigraph") and child.find(".//{*}p") is None \
                and child.find(".//{*}l") is None:
            block = _inline(child, notes, "quote", keep_notes=keep_notes)
        elif name == "div":
            _tei_walk(child, depth + 1, blocks, notes, keep_notes, quote)
            continue
        elif name in ("quote", "cit", "epigraph", "lg", "list", "opener", "closer", "sp",
                      "floatingText", "body", "group", "text", "postscript"):
            # A closer's own words ("Herzlichst") before its signature are a line of their own.
            if name in ("opener", "closer") and normalize(child.text or ""):
                blocks.append(Gold("p", normalize(child.text)))
            _tei_walk(child, depth, blocks, notes, keep_notes,
                      quote or name in ("quote", "cit", "epigraph"))
            continue
        else:
            continue
        if block is not None:
            blocks.append(block)


def novel_blocks(tree, target_chars: int) -> tuple[list[Gold], str, str]:
    """A few chapters of an ELTeC novel, from the first, until about `target_chars` of text;
    with the title and author for the running heads."""
    root = tree.getroot()
    body = root.find(".//{*}text/{*}body")
    blocks: list[Gold] = []
    for unit in tei_units(body):
        # A long chapter (or a body without chapters) is cut at a paragraph; its notes stay.
        text = [block for block in tei_blocks(unit) if block.kind != "note"]
        notes = [block for block in tei_blocks(unit) if block.kind == "note"]
        kept = cut(text, target_chars - sum(len(block.text) for block in blocks))
        numbers = {number for block in kept for _, number in block.marks}
        blocks += kept + [note for n, note in enumerate(notes, 1) if n in numbers]
        if sum(len(block.text) for block in blocks) >= target_chars:
            break
    title = root.findtext(".//{*}titleStmt/{*}title") or ""
    title = normalize(title.split(":")[0])
    author = normalize((root.findtext(".//{*}titleStmt/{*}author") or "").split(",")[0])
    return blocks, title, author


def cut(blocks: list[Gold], target_chars: int) -> list[Gold]:
    """The first blocks, up to the one that reaches `target_chars` of text."""
    total = 0
    for i, block in enumerate(blocks):
        total += len(block.text)
        if total >= target_chars:
            return blocks[:i + 1]
    return blocks


def letter_blocks(tree) -> list[Gold]:
    """A letter of the Schnitzler edition: its title as the edition prints it, then the letter;
    the editors' notes are apparatus, not the letter's text."""
    root = tree.getroot()
    title = root.find(".//{*}titleStmt/{*}title[@level='a']")
    blocks = [Gold("head", normalize(" ".join(title.itertext())), 1)] if title is not None else []
    body = root.find(".//{*}text/{*}body")
    return blocks + tei_blocks(body, depth=2, keep_notes=False)


def paper_blocks(tree) -> list[Gold]:
    """A paper's body as GROBID's training set labels it: sections' heads, paragraphs, list
    items; formulas, figures and tables are left out of both the print and the truth."""
    text = tree.getroot().find(".//text")
    if text is None:
        text = tree.getroot().find(".//{*}text")
    blocks: list[Gold] = []
    notes: list[str] = []
    for child in text.iter():
        name = local(child)
        if name == "head" and local(child.getparent()) in ("text", "div", "body"):
            block = _inline(child, notes, "head", 1)
        elif name == "p" and local(child.getparent()) in ("text", "div", "body"):
            block = _inline(child, notes, "p")
        elif name == "item":
            block = _inline(child, notes, "item")
        else:
            continue
        if block is not None:
            blocks.append(block)
    return blocks


# --- HTML: Debian's manuals ---------------------------------------------------------------

ADMONITIONS = {"note", "tip", "warning", "caution", "important"}
_HTML_KIND = {**{f"h{n}": "head" for n in range(1, 7)},
              **dict.fromkeys(("p", "dt", "dd", "figcaption"), "p"),
              "li": "item", "blockquote": "quote", "pre": "code", "tr": "table"}


def html_blocks(body) -> list[Gold]:
    """The blocks of an HTML body: headings with their level (h1 = 1), paragraphs, list items,
    code (a `pre`), table rows; a list item or definition holding paragraphs is those."""
    blocks: list[Gold] = []
    _html_walk(body, blocks)
    return blocks


def _html_walk(element, blocks: list[Gold]) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = child.tag.lower()
        kind = _HTML_KIND.get(name)
        holds_blocks = any(isinstance(c.tag, str) and c.tag.lower() in _HTML_KIND
                           and c.tag.lower() not in ("tr",)
                           for c in child.iter() if c is not child)
        if kind in ("item", "p", "quote") and holds_blocks:
            _html_walk(child, blocks)
        elif name == "table" and _is_admonition(child):
            # DocBook lays out a note or a tip as a table: its title and its paragraphs.
            for cell in child.iter("th", "td"):
                if any(c.tag in _HTML_KIND for c in cell.iter() if isinstance(c.tag, str)
                       and c is not cell):
                    _html_walk(cell, blocks)
                elif normalize(_html_text(cell)):
                    blocks.append(Gold("p", normalize(_html_text(cell))))
        elif kind == "table":
            cells = [normalize(_html_text(cell)) for cell in child
                     if isinstance(cell.tag, str)]
            text = " ".join(cell for cell in cells if cell)
            if text:
                blocks.append(Gold("table", text))
        elif kind is not None:
            text = normalize(_html_text(child))
            if text:
                level = int(name[1]) if kind == "head" else None
                blocks.append(Gold(kind, text, level))
        else:
            _html_walk(child, blocks)


def _is_admonition(table) -> bool:
    parent = table.getparent()
    return parent is not None and parent.get("class") in ADMONITIONS


def _html_text(element) -> str:
    """An element's text as a browser lays it out: a `br` or a table cell's edge is a space."""
    pieces = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            if child.tag.lower() in ("br", "td", "th"):
                pieces.append(" ")
            pieces.append(_html_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)
