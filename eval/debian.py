"""Debian's manuals: the HTML a documentation package ships, as one page to print and to read.

A manual entry of eval/corpus.toml names the package, its pages (globs, in reading order) and
their layout: "docbook" (the body less its navigation bars) or "sphinx" (the main column).
`source_html` joins the pages, less their navigation, styled as the package styles it; that page
is both what Chromium prints and the ground truth. An entry with `pdf` and `chapter` is printed
from the package's own typeset PDF instead: the chapter is cut from it by its outline.
"""

from __future__ import annotations

import glob
import subprocess
from pathlib import Path

import lxml.html
from lxml import etree

from eval.extract import CorpusError

# Site furniture, not the document: navigation bars and tables of contents (DocBook), the
# permalink pilcrows that Sphinx appends to headings (hidden on screen until hovered).
_FURNITURE = {
    "docbook": ".//div[@class='navheader'] | .//div[@class='navfooter'] | .//div[@class='toc']",
    "sphinx": ".//a[@class='headerlink']",
}
_CONTENT = {"docbook": ".//body", "sphinx": ".//div[@role='main']"}
_SECTION = "self::section or self::div[@class='section' or @class='sect1']"
HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def installed_version(package: str) -> str | None:
    """The installed version of a Debian package, None if it is not installed."""
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}", package],
                            capture_output=True, text=True)
    if not status.stdout.startswith("ii"):
        return None
    return status.stdout.split()[-1]


def pages_of(doc: dict) -> list[Path]:
    pages = []
    for pattern in doc["html"]:
        found = sorted(glob.glob(pattern))
        if not found:
            raise CorpusError(f"{doc['name']}: no file matches {pattern}: is the Debian package "
                              f"{doc['package']} installed? (`make corpus` installs it)")
        pages += map(Path, found)
    return pages


def source_html(doc: dict) -> bytes:
    """The document's pages as one HTML file: their content in order, styled as the package
    styles it (a <base> points at the package's folder, so its stylesheets and images load)."""
    pages = pages_of(doc)
    trees = [lxml.html.document_fromstring(page.read_bytes(), parser=HTML_PARSER)
             for page in pages]
    first = trees[0]
    html = etree.Element("html", lang=doc["lang"])
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "base", href=pages[0].parent.as_uri() + "/")
    title = first.find(".//title")
    etree.SubElement(head, "title").text = (title.text_content() if title is not None
                                            else doc["name"])
    for style in first.xpath(".//link[@rel='stylesheet'] | .//style"):
        head.append(style)
    body = etree.SubElement(html, "body")
    for tree in trees:
        content = tree.find(_CONTENT[doc["layout"]])
        if content is None:
            raise CorpusError(f"{doc['name']}: no {_CONTENT[doc['layout']]} in a page: is its "
                              f"layout {doc['layout']!r} right?")
        for element in content.xpath(_FURNITURE[doc["layout"]]):
            _drop(element)
        for script in content.xpath(".//script"):
            _drop(script)
        wrapper = etree.SubElement(body, "div", {"class": "page"})
        wrapper.extend(list(content))
        wrapper.text = content.text
    if "sections" in doc:
        _keep_sections(body, doc["sections"])
    return lxml.html.tostring(html, doctype="<!DOCTYPE html>", encoding="utf-8")


def _drop(element) -> None:
    """Remove an element but keep its tail, the text that follows it in its parent."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _keep_sections(body, count: int) -> None:
    """Cut a long chapter to its opening and first `count` sections: of the outermost element
    holding two sections or more, every later section goes, and whatever follows it."""
    for container in body.iter():
        sections = [child for child in container if child.xpath(_SECTION)]
        if len(sections) >= 2:
            cut = sections[count] if count < len(sections) else None
            while cut is not None:
                following = cut.getnext()
                container.remove(cut)
                cut = following
            return


def cut_chapter(source: Path, chapter: str, pdf: Path) -> tuple[int, int]:
    """Copy one chapter of a typeset PDF, found by its title in the PDF's outline."""
    import pymupdf

    with pymupdf.open(source) as book:
        chapters = [(title, page) for level, title, page, *_ in book.get_toc() if level == 1]
        starts = [page for title, page in chapters if title == chapter]
        if not starts:
            raise CorpusError(f"{source}: no chapter {chapter!r} in its outline; it has: "
                              + ", ".join(repr(title) for title, _ in chapters))
        first = starts[0]
        later = [page for _, page in chapters if page > first]
        last = (later[0] - 1) if later else book.page_count
        with pymupdf.open() as part:
            part.insert_pdf(book, from_page=first - 1, to_page=last - 1)
            part.save(pdf, garbage=3, deflate=True)
    return first, last


