"""Print gold blocks as a page: HTML styled as a book, a web page or two columns, then PDF.

The HTML is the gold's own text, block for block (a head an `h2`, a paragraph a `p` with its note
marks, notes after their chapter); the style is a stylesheet in eval/styles/ whose `$title` and
`$author` fill the running heads. Book and two-column pages are hyphenated: Chromium on Debian has
no hyphenation dictionaries for `hyphens: auto`, so soft hyphens are put into the words (pyphen,
the dictionaries LibreOffice uses), and Chromium breaks at them, printing a hyphen.
"""

from __future__ import annotations

import html
import re
import string
import tempfile
from functools import cache
from pathlib import Path

from eval.extract import CorpusError, run
from eval.gold import Gold

STYLES = Path(__file__).with_name("styles")
STYLE_NAMES = ("book", "web", "two-column")
HYPHENATED = {"book", "two-column"}
PRINT_DATE = "3/14/26, 10:42 AM"  # the browser's header: one date for every print
_LONG_WORD = re.compile(r"\w{6,}")


def page_html(blocks: list[Gold], style: str, lang: str, title: str, author: str,
              hyphenate: bool, address: str = "") -> str:
    css = _css(style, title=title, author=author or title)
    if style == "web":
        css += browser_css(title, address)
    body: list[str] = []
    in_list = False
    note_number = 0
    for block in blocks:
        if block.kind != "item" and in_list:
            body.append("</ul>")
            in_list = False
        note_number = note_number + 1 if block.kind == "note" else 0
        text = _text(block, lang, hyphenate)
        if block.kind == "head":
            level = min((block.level or 1) + 1, 6)
            body.append(f"<h{level}>{text}</h{level}>")
        elif block.kind == "item":
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{text}</li>")
        elif block.kind == "quote":
            body.append(f"<blockquote><p>{text}</p></blockquote>")
        elif block.kind == "verse":
            body.append(f'<p class="verse">{text}</p>')
        elif block.kind == "note":
            body.append(f'<p class="note"><sup>{note_number}</sup> {text}</p>')
        elif block.kind == "code":
            body.append(f"<pre>{html.escape(block.text)}</pre>")
        elif block.kind == "table":
            body.append(f"<table><tr><td>{text}</td></tr></table>")
        else:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>", f"<style>\n{css}</style>", "</head>", "<body>",
        *body, "</body>", "</html>", ""])


def browser_css(title: str, address: str) -> str:
    """The running head and foot a browser prints on a web page (eval/styles/browser.css)."""
    return _css("browser", title=title, address=address, date=PRINT_DATE)


def _css(name: str, **values: str) -> str:
    template = string.Template((STYLES / f"{name}.css").read_text())
    return template.safe_substitute({key: value.replace("\\", "\\\\").replace('"', '\\"')
                                     for key, value in values.items()})


def _text(block: Gold, lang: str, hyphenate: bool) -> str:
    """The block's text as HTML: escaped, its note marks as superscripts, maybe hyphenated."""
    pieces, start = [], 0
    for offset, number in block.marks:
        pieces.append(_words(block.text[start:offset], lang, hyphenate))
        pieces.append(f"<sup>{number}</sup>")
        start = offset
    pieces.append(_words(block.text[start:], lang, hyphenate))
    return "".join(pieces)


def _words(text: str, lang: str, hyphenate: bool) -> str:
    text = html.escape(text)
    if not hyphenate:
        return text
    dictionary = _dictionary(lang)
    return _LONG_WORD.sub(lambda m: dictionary.inserted(m.group(), hyphen="\u00ad"), text)


@cache
def _dictionary(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=lang)


def print_pdf(page: Path, pdf: Path) -> None:
    """Chromium's "Save as PDF", without its own header and footer (the page's CSS draws them)."""
    with tempfile.TemporaryDirectory(prefix="corpus-chromium-") as profile:
        run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-pdf-header-footer", f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
             page.resolve().as_uri()])
    if not pdf.exists():
        raise CorpusError(f"chromium wrote no PDF for {page}")
