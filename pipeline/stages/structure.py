"""Structure that markdown only implies: quoted speech set in italics, compilations of articles.

Press dumps render a quotation as whole paragraphs in italics, often after a colon or opening with
a quotation mark; the TEI wants a block quotation. A dump that strings several articles together,
each under its own headline, is a compilation: each article becomes a `<div type="article">`.
Emphasis, lists and the rest are mapped by the TEI writer and need no repair.
"""

from __future__ import annotations

import regex

from pipeline import markdown
from pipeline.evidence import opening
from pipeline.frontmatter import read, set_fields
from pipeline.model import Context, Edit, Proposal

NAME = "structure"
RULES = {
    "mark_block_quotation": "A run of paragraphs each wholly in italics (with omission marks such "
                            "as '…' between them) that opens with a quotation mark or follows a "
                            "paragraph ending with a colon is quoted speech: a block quotation.",
    "mark_compilation": "A dump with two or more top-level headlines, none numbered, of five "
                        "words or more on average, each over at least three paragraphs, is a "
                        "compilation of articles: the front matter says so, and each part "
                        "becomes a TEI <div type=\"article\">.",
}

_QUOTE_OPENERS = "\"“„«‹'‘"
_NUMBERED = regex.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s|[IVXLC]+\.\s|(?:chapter|cap[ií]tulo|chapitre|kapitel|capitolo|part|"
    r"parte|partie|teil|section|secci[oó]n)\b)", regex.IGNORECASE)
_OMISSION = regex.compile(r"^[\[(]?(?:\.{3}|…)[\])]?$")


def propose(text: str, context: Context) -> Proposal:
    root = markdown.parse(text)
    blocks = root.children
    edits = []
    i = 0
    while i < len(blocks):
        run = _italic_run(blocks, i)
        if run and _is_quotation(text, blocks, i, run):
            edits.extend(_quote(text, blocks[i:i + run], blocks, i))
            i += run
        else:
            i += 1
    edits.extend(_compilation(text, blocks))
    return Proposal(edits, [])


def _whole_italic(block: markdown.Node) -> bool:
    child = block.only_child()
    return block.kind == "Paragraph" and child is not None and child.kind == "Emphasis"


def _omission(block: markdown.Node) -> bool:
    return block.kind == "Paragraph" and bool(_OMISSION.match(block.visible().strip()))


def _italic_run(blocks, i) -> int:
    """How many blocks from `i` form a run of whole-italic paragraphs (omission marks inside)."""
    if not _whole_italic(blocks[i]):
        return 0
    n = 1
    while i + n < len(blocks):
        if _whole_italic(blocks[i + n]):
            n += 1
        elif _omission(blocks[i + n]) and i + n + 1 < len(blocks) and \
                _whole_italic(blocks[i + n + 1]):
            n += 2
        else:
            break
    return n


def _is_quotation(text, blocks, i, run) -> str | None:
    first = blocks[i].visible().lstrip()
    if first[:1] in _QUOTE_OPENERS:
        return f"opens with the quotation mark {first[0]!r}"
    if i > 0 and blocks[i - 1].kind == "Paragraph" and blocks[i - 1].visible().rstrip()[-1:] == ":":
        return "follows a paragraph that ends with a colon"
    return None


def _quote(text, run, blocks, i) -> list[Edit]:
    why = (f"{len(run)} paragraph(s) wholly in italics, which "
           f"{_is_quotation(text, blocks, i, len(run))}: quoted speech, made a block quotation")
    edits = []
    for k, block in enumerate(run):
        for line_start in _line_starts(text, block):
            edits.append(Edit(line_start, line_start, "> ", "mark_block_quotation", why))
        if k + 1 < len(run):
            end = block.start + len(text[block.start:block.end].rstrip())
            edits.append(Edit(end, run[k + 1].start, "\n>\n", "mark_block_quotation", why))
    return edits


def _line_starts(text: str, block: markdown.Node):
    yield block.start
    for match in regex.finditer("\n", text[block.start:block.end].rstrip("\n")):
        yield block.start + match.end()


def _compilation(text, blocks) -> list[Edit]:
    headings = [b for b in blocks if b.kind == "Heading"]
    if not headings:
        return []
    top = min(h.level for h in headings)
    titles = [h for h in headings if h.level == top]
    meta = blocks[0] if blocks[0].kind == "MetadataBlock" else None
    fields = read(text[meta.start:meta.end]) if meta else {}
    if len(titles) < 2 or "type" in fields or "title" in fields:
        return []
    names = [t.visible().strip() for t in titles]
    if any(_NUMBERED.match(name) for name in names):
        return []
    if sum(len(n.split()) for n in names) / len(names) < 5:
        return []
    starts = [blocks.index(t) for t in titles] + [len(blocks)]
    parts = [sum(b.kind == "Paragraph" for b in blocks[s + 1:e]) for s, e in zip(starts, starts[1:])]
    if min(parts) < 3:
        return []
    why = (f"{len(titles)} unnumbered level-{top} headlines of {sum(len(n.split()) for n in names) / len(names):.0f} "
           f"words on average, each over {min(parts)} or more paragraphs: a compilation of articles")
    if meta:
        return [Edit(meta.start, meta.end, set_fields(text[meta.start:meta.end],
                                                      {"type": "compilation"}),
                     "mark_compilation", why)]
    return [Edit(0, 0, set_fields("", {"type": "compilation"}) + "\n", "mark_compilation", why)]
