"""A PDF: its text layer through poppler's `pdftotext -bbox-layout` (poppler's reading order,
blocks, lines and word boxes, in points from the page's top left), a page at a time so that memory
stays bounded whatever the page count. A page with no text layer (a scanned page) is rendered
with `pdftoppm` at 300 dpi and read by tesseract, like a scan; its boxes are then in pixels.

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
    layer, ocr = Layer(), scan.Ocr()
    for number in range(1, pages(path) + 1):
        done = tools.run(path, "pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", str(number),
                         "-l", str(number), path, "-", what=f"extract the text of page {number}")
        try:
            page = parse(done.stdout).getroot().find(f".//{_XHTML}page")
        except etree.XMLSyntaxError as error:
            raise InputError(path, f"page {number}: pdftotext wrote unreadable output ({error})"
                             ) from None
        if page is None:
            raise InputError(path, f"page {number}: pdftotext found no page")
        if page.find(f".//{_XHTML}word") is None:
            _ocr(path, number, layer, ocr)
            continue
        layer.page(Page(number, float(page.get("width")), float(page.get("height")), "pt",
                        _page_image(path, number)))
        runs = _font_runs(path, number)
        for b, block in enumerate(page.iter(f"{_XHTML}block"), 1):
            for line in block.iter(f"{_XHTML}line"):
                words = [word.text or "" for word in line.iter(f"{_XHTML}word")]
                box = tuple(round(float(line.get(a)), 3) for a in ("xMin", "yMin", "xMax", "yMax"))
                size, style = _font(box, runs)
                layer.line(" ".join(words), block=f"p{number}-b{b}", id=None, box=box,
                           font_size=size, font_style=style)
    return layer, ocr


def _font_runs(path: str, number: int) -> list[tuple[tuple[float, ...], float, str | None]]:
    """Each run of text on the page: its box (points, from the top left), font size and style."""
    done = tools.run(path, "pdftohtml", "-xml", "-zoom", "1", "-i", "-q", "-stdout", "-f",
                     str(number), "-l", str(number), path, what=f"read the fonts of page {number}")
    try:
        root = parse(done.stdout).getroot()
    except etree.XMLSyntaxError:
        return []  # the fonts are evidence the page can go without
    sizes = {spec.get("id"): float(spec.get("size")) for spec in root.iter("fontspec")}
    runs = []
    for text in root.iter("text"):
        try:
            left, top = float(text.get("left")), float(text.get("top"))
            box = (left, top, left + float(text.get("width")), top + float(text.get("height")))
        except (TypeError, ValueError):
            continue
        faces = {"bold" for _ in text.iter("b")} | {"italics" for _ in text.iter("i")}
        runs.append((box, sizes.get(text.get("font")), " ".join(sorted(faces)) or None))
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
