"""What kind of dump a text is: markdown from a converter, or plain text from PDF extraction or OCR.

Both go through the same stages, but a plain-text dump has no markup: a line that opens with four
spaces is a layout indent, not code; `*` is a footnote mark, not emphasis; a paragraph ends where a
short line or an indent says so, not only at a blank line. The kind is read from the text itself,
on counted evidence that the header records, and a user can force it for a collection. A `.md`
file name is evidence too: the converter that wrote it said it wrote markdown.

Markdown is told by syntax that recurs in proportion to the text, not by a few lines: a long
plain text has its stray `#` lines (a root prompt, a comment in a listing, OCR noise) and `>`
lines (a quoted mail, a Python prompt). Those kinds, and rows between `|`, plain text writes too;
they corroborate the syntax only markdown writes (links, fences, bold) but never decide alone.
"""

from __future__ import annotations

import re

import regex

KINDS = ("markdown", "plain")

# Lines of each kind of markdown syntax, with the weight of one: links and fences count twice
# (plain text has no reason to write them), bold once. List items are left out: plain text has
# `- ` and `* ` bullets too. All are read in linear time: by `re`, since `regex` backtracks
# through `.*` in time quadratic in a line's length, and with a link target that stops at a `(`,
# so that a line of 100 000 `](` is not read again from each of them.
_MARKDOWN_ONLY = {
    "links": (re.compile(r"^.*\]\([^()\s]*\)", re.MULTILINE), 2),
    "fences": (re.compile(r"^[ ]{0,3}(?:```|~~~)", re.MULTILINE), 2),
    "bold": (re.compile(r"^.*\*\*\S.*?\*\*", re.MULTILINE), 1),
}
# Kinds that plain text writes too: they count, once a line, only up to what the others weigh.
_ALSO_PLAIN = {
    "headings": re.compile(r"^[ ]{0,3}#{1,6}[ ]+\S", re.MULTILINE),
    "quotations": re.compile(r"^[ ]{0,3}>[ ]", re.MULTILINE),
    "table rows": re.compile(r"^[ ]{0,3}\|.*\|[ ]*$", re.MULTILINE),
}
_HEADING = _ALSO_PLAIN["headings"]
# The share of a text's lines that markdown syntax must weigh: one in fifty; one in twenty in a
# text with form feeds, which only pdftotext and OCR engines write. Never less than three.
_SHARE, _PAGED_SHARE, _LEAST = 50, 20, 3


def detect(text: str, suffix: str = ".txt") -> tuple[str, str]:
    """(kind, evidence): markdown when the file is named so or markdown syntax recurs, else plain.

    >>> detect("# Title\\n\\nSome **bold** text and [a link](http://x.org).\\n")[0]
    'markdown'
    >>> detect("A page of text\\nwrapped at the margin by the converter,\\nthen a form feed.\\f")
    ('plain', 'no markdown syntax; 1 form feed; 3 lines in 1 block')
    >>> detect("Short note.", ".md")
    ('markdown', 'a .md file; 0 lines of markdown syntax')
    >>> detect("Run it as root:\\n# apt install tcl\\n> a quoted line\\n> and another\\n")[0]
    'plain'
    """
    counts = {name: sum(1 for _ in pattern.finditer(text))
              for name, (pattern, _) in _MARKDOWN_ONLY.items()}
    counts.update({name: sum(1 for _ in pattern.finditer(text))
                   for name, pattern in _ALSO_PLAIN.items()})
    marked = sum(counts.values())
    if suffix.lower() in (".md", ".markdown"):
        return "markdown", f"a {suffix.lower()} file; {_count(marked, 'line')} of markdown syntax"
    lines = text.count("\n") + 1
    blocks = len([b for b in regex.split(r"\n[ \t]*\n", text) if b.strip()])
    pages = text.count("\f")
    layout = f"{_count(pages, 'form feed')}; {_count(lines, 'line')} in {_count(blocks, 'block')}"
    if not marked:
        return "plain", f"no markdown syntax; {layout}"
    # Converters open with the title: a heading on the first line weighs two lines more.
    opening = 2 * (_HEADING.match(text.lstrip()) is not None)
    own = sum(counts[name] * weight for name, (_, weight) in _MARKDOWN_ONLY.items()) + opening
    shared = sum(counts[name] for name in _ALSO_PLAIN)
    weight = own + min(shared, own)
    written = sum(1 for line in text.split("\n") if line.strip())
    share = _PAGED_SHARE if pages else _SHARE
    needed = max(_LEAST, -(-written // share))
    kinds = ", ".join(f"{name} {n}" for name, n in counts.items() if n)
    first = ", the first a heading" if opening else ""
    weighed = (f"{_count(marked, 'line')} of markdown syntax ({kinds}){first}, weighing "
               f"{weight}, {needed} needed (1 in {share} of {written} written lines)")
    if weight >= needed:
        return "markdown", f"{weighed}; {layout}"
    if not own:
        weighed += " (headings, quotations and table rows, which plain text writes too, " \
                   "never decide alone)"
    return "plain", f"only {weighed}; {layout}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
