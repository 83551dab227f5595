"""hOCR, the HTML that tesseract, OCRopus and kraken write: pages, paragraphs, lines and words as
elements whose class says what they are and whose title holds their geometry
(`bbox 10 20 300 40; baseline 0.01 -5; x_size 30; x_wconf 96`).

A block is an `ocr_par` (else an `ocr_carea`); a line's region type is its class when tesseract
says more than "line" (`ocr_header`, `ocr_caption`, `ocr_textfloat`).
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.geometry import Layer, Page
from pipeline.model import InputError

_LINES = ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat")
_PROPERTY = re.compile(r"\s*([a-z_]+)\s+([^;]*)")
_IMAGE = re.compile(r"""^["']?(.*?)["']?$""")


_MARKS = re.compile(rb"""class\s*=\s*["'][^"']*\bocr_page\b"""
                    rb"""|<meta\s[^>]*name\s*=\s*["']ocr-system""")


def is_hocr(head: bytes) -> bool:
    """Told by its content: an element of class `ocr_page`, or the meta element naming the OCR
    system (a text that only mentions hOCR's names is no hOCR)."""
    return _MARKS.search(head) is not None


def parse(path: str, data: bytes):
    try:
        # An HTML parser reads a file that declares no encoding as Latin-1; hOCR is UTF-8.
        utf8 = _is_utf8(data)
        root = etree.fromstring(data, etree.HTMLParser(
            no_network=True, huge_tree=True, encoding="utf-8" if utf8 else None))
    except (etree.ParserError, ValueError) as error:
        raise InputError(path, f"is not readable as hOCR ({error})") from None
    if root is None:
        raise InputError(path, "is not readable as hOCR (no HTML in it)")
    return root


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def read(path: str, root, image: str | None = None, first_page: int = 1,
         layer: Layer | None = None) -> Layer:
    """The pages of an hOCR document into `layer`; `image` names the page image when the hOCR
    was made here from a scan (tesseract writes the name it was given, a temporary one)."""
    layer = layer if layer is not None else Layer()
    pages = [e for e in root.iter() if _classes(e) & {"ocr_page"}]
    if not pages:
        raise InputError(path, "is HTML with no hOCR page (no element of class ocr_page)")
    for number, page in enumerate(pages, first_page):
        props = _properties(page)
        box = _box(props)
        named = _IMAGE.match(props.get("image", "")).group(1) or None
        layer.page(Page(number, box[2] - box[0] if box else None,
                        box[3] - box[1] if box else None, "px", image or named, page.get("id")))
        blocks: dict = {}  # a block element -> its id, for blocks the file gives none
        for line in page.iter():
            classes = _classes(line)
            if classes & set(_LINES):
                _line(layer, line, classes, number, blocks)
    return layer


def _line(layer: Layer, line, classes: set[str], page: int, blocks: dict) -> None:
    props = _properties(line)
    words, confidences, styles = [], [], []
    for word in line.iter():
        if "ocrx_word" not in _classes(word):
            continue
        words.append("".join(word.itertext()))
        wprops = _properties(word)
        if "x_wconf" in wprops:
            confidences.append(float(wprops["x_wconf"]) / 100)
        styles.append(" ".join(sorted({"bold" for e in word.iter("strong", "b")} |
                                      {"italics" for e in word.iter("em", "i")})) or None)
    if not words:  # a line with no word elements: its own text, as OCRopus writes it
        words = ["".join(line.itertext())]
    block = next((e for e in line.iterancestors() if _classes(e) & {"ocr_par"}), None)
    if block is None:
        block = next((e for e in line.iterancestors() if _classes(e) & {"ocr_carea"}), None)
    block_id = None if block is None else \
        block.get("id") or blocks.setdefault(block, f"p{page}-b{len(blocks) + 1}")
    kind = next((c for c in _LINES if c in classes), "ocr_line")
    layer.line(" ".join(words), block=block_id, id=line.get("id"), box=_box(props),
               baseline=_floats(props.get("baseline")),
               font_size=_float(props.get("x_size") or props.get("x_fsize")),
               font_style=styles[0] if styles and len(set(styles)) == 1 else None,
               region_type=None if kind == "ocr_line" else kind,
               confidences=tuple(confidences))


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split()) if isinstance(element.tag, str) else set()


def _properties(element) -> dict[str, str]:
    return {m.group(1): m.group(2).strip()
            for m in _PROPERTY.finditer(element.get("title") or "")}


def _box(props: dict) -> tuple[float, float, float, float] | None:
    values = props.get("bbox", "").split()
    try:
        return tuple(float(v) for v in values) if len(values) == 4 else None
    except ValueError:
        return None


def _floats(text: str | None) -> list[float] | None:
    """hOCR's baseline: the slope and the offset from the box's bottom left corner."""
    try:
        return [float(v) for v in text.split()] if text else None
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
