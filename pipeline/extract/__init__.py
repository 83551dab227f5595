"""Pages as input: PDF, scans, ALTO, hOCR and PAGE XML, told by their content, read into a text
layer and a geometry record.

The text layer is what the stages read, as they read a pdftotext or OCR dump: the lines in reading
order, a blank line between blocks, a form feed between pages. It is made again, byte for byte, from
the same original (the readers are deterministic, tesseract runs on one thread), which is what lets
`verify` prove the chain: original → text layer (re-extracted, compared) → repaired text (the change
log replayed). The geometry record keeps each line's page, box, baseline, font and region, and where
the line sits in the text layer.

Supported: a PDF (text layer; a page without one is rendered and read by tesseract), a TIFF (also
multi-page), PNG or JPEG scan (tesseract's hOCR), ALTO v2–v4 (one file, one page or several), hOCR,
and PAGE XML (one file per page). A folder of PAGE files read as one document, and METS, are not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.extract import alto, hocr, pagexml, pdf, scan, tools
from pipeline.extract.geometry import Line, Page, records
from pipeline.model import InputError

# Names a folder is searched for; a file of any name is still read by what it holds.
SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".xml", ".hocr", ".html", ".xhtml")
_IMAGES = {b"II*\x00": "tiff", b"MM\x00*": "tiff", b"\x89PNG\r\n\x1a\n": "png",
           b"\xff\xd8\xff": "jpeg"}
_HEAD = 65536  # enough to hold an XML file's root element or an hOCR file's head
DESCRIPTIONS = {"pdf": "a PDF", "tiff": "a TIFF scan", "png": "a PNG scan", "jpeg": "a JPEG scan",
                "hocr": "hOCR", "alto": "ALTO", "page": "PAGE XML"}


@dataclass(frozen=True)
class Extraction:
    """An original file of pages, its text layer and its geometry."""

    format: str  # "pdf", "tiff", "png", "jpeg", "hocr", "alto-v4", "page-2019-07-15"
    sha256: str  # the original file's
    size: int
    text: str
    pages: tuple[Page, ...]
    lines: tuple[Line, ...]
    tools: tuple[tuple[str, str, str], ...]  # (program, version, what it did)

    @property
    def description(self) -> str:
        family, _, version = self.format.partition("-")
        return DESCRIPTIONS[family] + (f" {version}" if version else "")

    @property
    def evidence(self) -> str:
        made = "; ".join(f"{program} {version} ({what})" for program, version, what in self.tools)
        return (f"text layer of {self.description} ({len(self.pages)} pages, {len(self.lines)} "
                "lines in reading order, a form feed between pages)" +
                (f", extracted by {made}" if made else "") + "; written as UTF-8")

    def geometry(self) -> str:
        return records(list(self.pages), list(self.lines), {
            "format": self.format, "sha256": self.sha256, "size": self.size,
            "text_sha256": hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
            "tools": [list(t) for t in self.tools]})


def detect(path: Path, head: bytes) -> str | None:
    """The page format `head` (a file's first bytes) shows, or None for a text dump."""
    # Readers take a PDF whose header comes after some bytes of junk; a text that quotes one
    # early is a text, unless its name says PDF.
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024] and path.suffix.lower() == ".pdf":
        return "pdf"
    for magic, name in _IMAGES.items():
        if head.startswith(magic):
            return name
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not stripped.startswith(b"<"):
        return None
    root = _root_tag(path)
    if root and alto.version(root):
        return f"alto-{alto.version(root)}"
    if root and pagexml.version(root):
        return f"page-{pagexml.version(root)}"
    if hocr.is_hocr(head):
        return "hocr"
    return None


def read(path: Path, head: bytes) -> Extraction | None:
    """The extraction of the page file at `path`, or None when it holds a text dump."""
    kind = detect(path, head)
    if kind is None:
        return None
    name, used = str(path), []
    if kind == "pdf":
        layer, ocr = pdf.read(name)
        used += [("pdftotext", tools.version("pdftotext"), "text layer, -bbox-layout"),
                 ("pdftohtml", tools.version("pdftohtml"), "font sizes and styles, -xml")]
    elif kind in ("tiff", "png", "jpeg"):
        layer, ocr = scan.read(name)
    else:
        data = path.read_bytes()
        if kind == "hocr":
            layer = hocr.read(name, hocr.parse(name, data))
        else:
            try:
                root = etree.fromstring(data, etree.XMLParser(
                    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True))
            except etree.XMLSyntaxError as error:
                raise InputError(name, f"is {DESCRIPTIONS[kind.split('-')[0]]} that is not "
                                       f"well-formed XML ({error})") from None
            layer = (alto if kind.startswith("alto") else pagexml).read(name, root)
        ocr = None
    if ocr is not None and ocr.lang is not None:
        used.append(("tesseract", tools.version("tesseract"),
                     f"OCR, hOCR output, -l {ocr.evidence}"))
    if not layer.lines:
        raise InputError(name, f"is {DESCRIPTIONS[kind.split('-')[0]]} with no text on its "
                               f"{len(layer.pages)} page{'s' * (len(layer.pages) != 1)}"
                               + (" (OCR found no words)" if ocr is not None and ocr.lang else "")
                               + ": nothing to clean")
    return Extraction(kind, _sha256(path), path.stat().st_size, layer.text, tuple(layer.pages),
                      tuple(layer.lines), tuple(used))


def is_input(path: Path) -> bool:
    """Whether a file found in a folder is a page file (a named XML or HTML file only when its
    content is ALTO, PAGE or hOCR: a folder may hold other XML)."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    try:
        with path.open("rb") as file:
            return detect(path, file.read(_HEAD)) is not None
    except OSError:
        return True  # read it, and say why it cannot be read


def _root_tag(path: Path) -> str | None:
    try:
        for _, element in etree.iterparse(str(path), events=("start",), resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=True):
            return element.tag
    except (etree.XMLSyntaxError, OSError):
        pass
    return _root_from_text(path)


_ROOT = re.compile(rb"<(?:[\w.-]+:)?(alto|PcGts)\b[^>]*?\sxmlns(?::[\w.-]+)?=[\"']([^\"']+)")


def _root_from_text(path: Path) -> str | None:
    """A root element whose file does not parse: still told by its tag and namespace, so that
    the refusal says the file is damaged ALTO or PAGE, not that it is no page format."""
    with path.open("rb") as file:
        match = _ROOT.search(file.read(_HEAD))
    return f"{{{match.group(2).decode()}}}{match.group(1).decode()}" if match else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
