"""What kind of dump a text is: markdown from a converter, or plain text from PDF extraction or OCR.

Both go through the same stages, but a plain-text dump has no markup: a line that opens with four
spaces is a layout indent, not code; `*` is a footnote mark, not emphasis; a paragraph ends where a
short line or an indent says so, not only at a blank line. The kind is read from the text itself,
on counted evidence that the header records, and a user can force it for a collection. A `.md`
file name is evidence too: the converter that wrote it said it wrote markdown.
"""

from __future__ import annotations

import re

import regex

KINDS = ("markdown", "plain")

# Lines only markdown writes: ATX headings, links, fences (strong evidence, counted twice: plain
# text has no reason to write them), bold inside a line, quotation markers, table rows. List items
# are left out: plain text has `- ` and `* ` bullets too. Both are read in linear time: by `re`,
# since `regex` backtracks through `.*` in time quadratic in a line's length, and with a link
# target that stops at a `(`, so that a line of 100 000 `](` is not read again from each of them.
_STRONG = re.compile(r"^(?:[ ]{0,3}#{1,6}[ ]+\S|.*\]\([^()\s]*\)|[ ]{0,3}(?:```|~~~))",
                     re.MULTILINE)
_WEAK = re.compile(r"^(?:.*\*\*\S.*?\*\*|[ ]{0,3}>[ ]|[ ]{0,3}\|.*\|[ ]*$)", re.MULTILINE)


def detect(text: str, suffix: str = ".txt") -> tuple[str, str]:
    """(kind, evidence): markdown when the file is named so or markdown syntax recurs, else plain.

    >>> detect("# Title\\n\\nSome **bold** text and [a link](http://x.org).\\n")[0]
    'markdown'
    >>> detect("A page of text\\nwrapped at the margin by the converter,\\nthen a form feed.\\f")
    ('plain', 'no markdown syntax; 1 form feed; 3 lines in 1 block')
    >>> detect("Short note.", ".md")
    ('markdown', 'a .md file; 0 lines of markdown syntax')
    """
    strong = sum(1 for _ in _STRONG.finditer(text))
    marked = strong + sum(1 for _ in _WEAK.finditer(text))
    if suffix.lower() in (".md", ".markdown"):
        return "markdown", f"a {suffix.lower()} file; {_count(marked, 'line')} of markdown syntax"
    lines = text.count("\n") + 1
    blocks = len([b for b in regex.split(r"\n[ \t]*\n", text) if b.strip()])
    pages = text.count("\f")
    layout = f"{_count(pages, 'form feed')}; {_count(lines, 'line')} in {_count(blocks, 'block')}"
    # One such line occurs in plain text too (a `# apt install` root prompt, a quoted `> `
    # line); markdown shows its syntax again and again, and converters open with the title.
    opening = _STRONG.match(text.lstrip()) is not None and text.lstrip()[:1] == "#"
    score = strong + marked + 2 * opening
    needed = max(3, lines // 100)
    if pages:  # pdftotext and OCR engines end pages with form feeds; markdown converters do not
        needed = max(needed, lines // 20)
    if score >= needed:
        first = ", the first a heading" if opening else ""
        return "markdown", f"{_count(marked, 'line')} of markdown syntax{first}; {layout}"
    if not marked:
        return "plain", f"no markdown syntax; {layout}"
    return "plain", f"only {_count(marked, 'line')} of markdown syntax; {layout}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
