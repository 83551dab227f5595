"""A PDF: its text layer through poppler's `pdftotext -bbox-layout` (poppler's reading order,
blocks, lines and word boxes, in points from the page's top left), a few pages at a time so that
memory stays bounded whatever the page count. A page with no text layer (a scanned page) is
rendered with `pdftoppm` at 300 dpi and read by tesseract, like a scan; its boxes are then in
pixels.

pdftotext gives no fonts; poppler's `pdftohtml -xml` gives each run of text its font size (in
whole points) and bold or italic. A line takes the size and style of the runs that stand on it
when they all agree, and none when they do not: a line of mixed sizes has no one size to claim.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from lxml import etree

from pipeline.extract import scan, tools
from pipeline.extract.geometry import Layer, Page
from pipeline.model import InputError
from pipeline.xmlsafe import parse

_XHTML = "{http://www.w3.org/1999/xhtml}"
RENDER_DPI = "300"
# Pages read by one call of each program: the processes cost more than the pages, and the memory
# a call takes is that of its pages, whatever the document's length.
PAGES_AT_ONCE = 16


def pages(path: str) -> int:
    """The page count, and the refusal of a PDF poppler cannot open."""
    try:
        info = tools.run(path, "pdfinfo", path, what="open the PDF")
    except InputError as error:
        if "password" in error.message.lower() or "encrypt" in error.message.lower():
            raise InputError(path, "is an encrypted PDF that needs a password; decrypt it "
                                   "first (for example with qpdf --decrypt)") from None
        detail = error.message.removeprefix("cannot open the PDF: ")
        raise InputError(path, f"is a damaged PDF: {detail}") from None
    match = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    if not match or int(match.group(1)) == 0:
        raise InputError(path, "is a PDF with no pages")
    return int(match.group(1))


def read(path: str) -> tuple[Layer, scan.Ocr]:
    layer, ocr = Layer(), scan.ocr_for()
    count = pages(path)
    for first in range(1, count + 1, PAGES_AT_ONCE):
        last = min(count, first + PAGES_AT_ONCE - 1)
        span = f"{first}" if first == last else f"{first} to {last}"
        done = tools.run(path, "pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", str(first),
                         "-l", str(last), path, "-", what=f"extract the text of page {span}")
        try:
            found = parse(done.stdout).getroot().findall(f".//{_XHTML}page")
        except etree.XMLSyntaxError as error:
            raise InputError(path, f"page {span}: pdftotext wrote unreadable output ({error})"
                             ) from None
        if len(found) != last - first + 1:
            raise InputError(path, f"pdftotext found {len(found)} pages where page {span} "
                                   "should be")
        runs = _font_runs(path, first, last)
        for number, page in enumerate(found, first):
            if page.find(f".//{_XHTML}word") is None:
                _ocr(path, number, layer, ocr)
            else:
                _page(path, number, page, runs.get(number, []), layer)
    return layer, ocr


def _page(path: str, number: int, page, runs: list, layer: Layer) -> None:
    layer.page(Page(number, float(page.get("width")), float(page.get("height")), "pt",
                    _page_image(path, number)))
    for b, block in enumerate(page.iter(f"{_XHTML}block"), 1):
        for line in block.iter(f"{_XHTML}line"):
            words = [word.text or "" for word in line.iter(f"{_XHTML}word")]
            box = tuple(round(float(line.get(a)), 3) for a in ("xMin", "yMin", "xMax", "yMax"))
            size, style = _font(box, runs)
            layer.line(" ".join(words), block=f"p{number}-b{b}", id=None, box=box,
                       font_size=size, font_style=style)


def _font_runs(path: str, first: int, last: int) -> dict[int, list]:
    """Each page's runs of text: their box (points, from the top left), font size and style."""
    done = tools.run(path, "pdftohtml", "-xml", "-zoom", "1", "-i", "-q", "-stdout", "-f",
                     str(first), "-l", str(last), path,
                     what=f"read the fonts of pages {first} to {last}")
    try:
        root = parse(done.stdout).getroot()
    except etree.XMLSyntaxError:
        return {}  # the fonts are evidence the pages can go without
    sizes = {spec.get("id"): float(spec.get("size")) for spec in root.iter("fontspec")}
    runs: dict[int, list] = {}
    for page in root.iter("page"):
        on_page = runs.setdefault(int(page.get("number", "0")), [])
        for text in page.iter("text"):
            try:
                left, top = float(text.get("left")), float(text.get("top"))
                box = (left, top, left + float(text.get("width")), top + float(text.get("height")))
            except (TypeError, ValueError):
                continue
            faces = {"bold" for _ in text.iter("b")} | {"italics" for _ in text.iter("i")}
            on_page.append((box, sizes.get(text.get("font")), " ".join(sorted(faces)) or None))
    return runs


def _font(box: tuple[float, ...], runs: list) -> tuple[float | None, str | None]:
    """The size and style of the runs standing on a line: those that overlap its box across and
    share more than half of the smaller height."""
    found = [(size, style) for (left, top, right, bottom), size, style in runs
             if left < box[2] and right > box[0] and
             min(bottom, box[3]) - max(top, box[1]) > min(bottom - top, box[3] - box[1]) / 2]
    sizes, styles = {size for size, _ in found}, {style for _, style in found}
    return (sizes.pop() if len(sizes) == 1 else None), (styles.pop() if len(styles) == 1 else None)


def _ocr(path: str, number: int, layer: Layer, ocr: scan.Ocr) -> None:
    """A page without a text layer, rendered and read by tesseract."""
    with tempfile.TemporaryDirectory(prefix="pipeline-page-") as folder:
        prefix = str(Path(folder) / "page")
        tools.run(path, "pdftoppm", "-r", RENDER_DPI, "-f", str(number), "-l", str(number),
                  "-png", "-singlefile", path, prefix, what=f"render page {number} for OCR")
        ocr.read(path, prefix + ".png", layer, number, _page_image(path, number))


def _page_image(path: str, number: int) -> str:
    # RFC 8118's fragment: the page itself, which a PDF viewer opens at.
    return f"{Path(path).name}#page={number}"
