"""Structure that markdown only implies: quoted speech set in italics, compilations of articles.

Press sites set a long quotation as whole paragraphs in italics, introduced by a colon or opening
with a quotation mark, with `…` paragraphs where the journalist cut; HTML-to-markdown converters
keep the italics and lose the `<blockquote>` (or the site never had one), and whether the quotation
marks land inside or outside the `*…*` depends on where the source's spans began. The TEI wants a
block quotation. A dump that strings several articles together (a newsletter, an author's page, a
scraped feed), each under its own headline, is a compilation: each article becomes a
`<div type="article">`; headlines of a single article's sections are short, or numbered.
Emphasis, lists and the rest are mapped by the TEI writer and need no repair.
"""

from __future__ import annotations

import regex

from pipeline import markdown
from pipeline.evidence import QUOTE_MARKS, ending
from pipeline.frontmatter import read, set_fields
from pipeline.model import Context, Edit, Proposal

NAME = "structure"
RULES = {
    "mark_block_quotation": "A run of paragraphs each wholly in italics (quotation marks and "
                            "punctuation outside the italics aside, omission marks such as '…' "
                            "between them) that opens with a quotation mark, or follows a "
                            "paragraph ending with a colon and ends a sentence, is quoted speech: "
                            "a block quotation; without the colon, it runs as far as its "
                            "quotation marks do.",
    "mark_compilation": "A dump with two or more top-level headlines, not numbered as chapters "
                        "or sections are (fewer than half open with a number, 'Chapter', "
                        "'Capítulo'…), of five words or more on average, each over at least "
                        "three paragraphs, is a compilation of articles: the front matter says "
                        "so, and each part becomes a TEI <div type=\"article\">.",
}

_QUOTE_OPENERS = "\"“„«‹'‘‚»›"  # » and › open quotations in German
# What a converter may leave outside the italics of a quoted paragraph.
_OUTSIDE_ITALICS = QUOTE_MARKS + ".,;:!?… \n"
_NUMBERED = regex.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s|[IVXLC]+\.\s|(?:chapter|cap[ií]tulo|chapitre|kapitel|capitolo|part|"
    r"parte|partie|teil|section|secci[oó]n)\b)", regex.IGNORECASE)
_OMISSION = regex.compile(r"^[\[(]?(?:\.{3}|…)[\])]?$")


def propose(text: str, context: Context) -> Proposal:
    r"""Block quotations for quoted speech in italics, and the compilation mark.

    >>> from pipeline import alignment
    >>> def repaired(text):
    ...     return alignment.apply(text, propose(text, Context.of(text, "en")).edits).text
    >>> print(repaired("She said:\n\n*We will not sign it.*\n\n…\n\n*Not this year.*\n\nThen?\n"))
    She said:
    <BLANKLINE>
    > *We will not sign it.*
    >
    > …
    >
    > *Not this year.*
    <BLANKLINE>
    Then?
    <BLANKLINE>
    >>> print(repaired("Further reading:\n\n*The Wealth of Nations*\n\nEnd.\n"))  # a title
    Further reading:
    <BLANKLINE>
    *The Wealth of Nations*
    <BLANKLINE>
    End.
    <BLANKLINE>
    """
    root = markdown.parse(text)
    blocks = root.children
    edits = []
    i = 0
    while i < len(blocks):
        run = _italic_run(blocks, i)
        why = run and _quotation_evidence(blocks, i, run, context.lang)
        if why and not _introduced(blocks, i):
            # Only its own marks say where a quotation nobody introduced ends.
            run = _quoted_extent(blocks, i, run)
        if why:
            edits.extend(_quote(text, blocks[i:i + run], why))
            i += run
        else:
            i += 1
    edits.extend(_compilation(text, blocks))
    return Proposal(edits, [])


def _whole_italic(block: markdown.Node) -> bool:
    """One italic span makes up the paragraph, give or take quotation marks and punctuation."""
    if block.kind != "Paragraph":
        return False
    content = [c for c in block.children
               if not (c.kind in ("Text", "SoftBreak") and not c.text.strip(_OUTSIDE_ITALICS))]
    return len(content) == 1 and content[0].kind == "Emphasis"


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


def _introduced(blocks, i) -> bool:
    """Whether the paragraph before block `i` ends with a colon, as what introduces speech does."""
    return i > 0 and blocks[i - 1].kind == "Paragraph" and \
        blocks[i - 1].visible().rstrip()[-1:] == ":"


def _quoted_extent(blocks, i, run) -> int:
    """How many of the run's paragraphs the quotation opening it spans: a quotation of several
    paragraphs opens each with a mark, or leaves its mark open until the last; an italic
    paragraph after a closed quotation is something else (an editor's note, a caption).

    >>> def extent(*lines):
    ...     blocks = [markdown.parse(line).children[0] for line in lines]
    ...     return _quoted_extent(blocks, 0, len(blocks))
    >>> extent("*« Nous manquons de tout », déclare un archiviste.*",
    ...        "*Note de la rédaction : cet article a été corrigé.*")
    1
    >>> extent("*“We will not sign it this year,*", "*nor the next one.”*")
    2
    >>> extent("*« Nous signerons. »*", "*« Mais pas cette année. »*")
    2
    """
    k = 1
    while k < run:
        before, after = blocks[i + k - 1], blocks[i + k]
        if not (_omission(before) or _omission(after) or _still_open(before.visible())
                or after.visible().lstrip()[:1] in _QUOTE_OPENERS):
            break
        k += 1
    return k


def _still_open(text: str) -> bool:
    """Whether a quotation opened in `text` is not closed in it (German `„…“` counts as open:
    its closing mark is the English opening one)."""
    opened = sum(text.count(mark) for mark in "«“„‹")
    closed = sum(text.count(mark) for mark in "»”›")
    return opened > closed or text.count('"') % 2 == 1


def _quotation_evidence(blocks, i, run, lang) -> str | None:
    """Why the italic run from `i` is quoted speech, or None.

    Italics alone also mark titles of works, captions and emphasis; a colon before them only
    introduces speech when what follows is sentences, not a title or a caption.
    """
    first = blocks[i].visible().lstrip()
    if first[:1] in _QUOTE_OPENERS:
        return f"opens with the quotation mark {first[0]!r}"
    if not _introduced(blocks, i):
        return None
    endings = [ending(b.visible(), lang) for b in blocks[i:i + run] if not _omission(b)]
    sentence = next((e for e in endings if e.kind in ("sentence", "abbreviation")), None)
    if sentence is None:
        return None
    return f"follows a paragraph that ends with a colon, and {sentence.why}"


def _quote(text, run, evidence: str) -> list[Edit]:
    why = (f"{len(run)} paragraph(s) wholly in italics, which {evidence}: quoted speech, made a "
           "block quotation")
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
    # Chapters and sections are numbered as a sequence; a news headline may open with a number
    # of its own ('2023, el año más cálido…'), which makes no sequence.
    if 2 * sum(bool(_NUMBERED.match(name)) for name in names) >= len(names):
        return []
    words = sum(len(n.split()) for n in names) / len(names)
    if words < 5:
        return []
    starts = [i for i, b in enumerate(blocks) if b.kind == "Heading" and b.level == top]
    starts.append(len(blocks))
    parts = [sum(b.kind == "Paragraph" for b in blocks[s + 1:e])
             for s, e in zip(starts, starts[1:])]
    if min(parts) < 3:
        return []
    why = (f"{len(titles)} level-{top} headlines, not numbered as a sequence, of {words:.0f} words "
           f"on average, each over {min(parts)} or more paragraphs: a compilation of articles")
    if meta:
        return [Edit(meta.start, meta.end, set_fields(text[meta.start:meta.end],
                                                      {"type": "compilation"}),
                     "mark_compilation", why)]
    return [Edit(0, 0, set_fields("", {"type": "compilation"}) + "\n", "mark_compilation", why)]
