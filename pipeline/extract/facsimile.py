"""What the TEI says of a file of pages: the original and its text layer in the header, the tools
in appInfo, and a `facsimile` with one `surface` per page (its size, a `graphic` for the page image
where there is one) and a `zone` per line, which each `pb` points at.

Zone coordinates are in the page's own unit (pixels for a scan, points for a PDF page, what ALTO's
MeasurementUnit says), from the page's top left corner, as the geometry record gives them.
"""

from __future__ import annotations

import hashlib
import posixpath
from urllib.parse import quote

from pipeline import tei

# A graphic's size is a TEI output measurement only in units CSS knows.
_CSS_UNITS = {"px", "pt"}


def header(bibl, app_info, source) -> None:
    """The text layer's checksum and size beside the original's, and the extracting tools."""
    pages = source.original
    if pages is None:
        return
    note = tei.sub(bibl, "note", {"type": "text-layer", "n": pages.format},
                   f"The text the stages read is the text layer of {pages.description}, made "
                   f"again by `pipeline verify` and compared: ")
    tei.sub(note, "idno", {"type": "sha256"}, hashlib.sha256(source.data).hexdigest())
    measure = tei.sub(note, "measure", {"unit": "byte", "quantity": str(len(source.data))},
                      f"{len(source.data)} bytes")
    measure.tail = (f", {len(pages.pages)} pages, {len(pages.lines)} lines; character offsets "
                    "(#char=) in the change records are offsets in this text layer.")
    for program, version, what in pages.tools:
        application = tei.sub(app_info, "application", {"ident": program, "version": version})
        tei.sub(application, "label", text=program)
        tei.sub(application, "desc", text=what)


def recorded_text_layer(document) -> str | None:
    """The text layer's SHA-256 as the header records it (None: not a file of pages)."""
    return document.findtext(".//t:sourceDesc//t:note[@type='text-layer']/t:idno[@type='sha256']",
                             namespaces={"t": tei.TEI_NS})


def add(root, result, breaks: list, raw_ref: str) -> None:
    """The facsimile, after the header; each `pb` the body has (one per break, in order) points at
    its page's surface. `raw_ref` is the raw file relative to the TEI: a page image the format
    names is relative to the raw file, and so made relative to the TEI through it."""
    pages = result.source.original
    if pages is None:
        return
    facsimile = tei.E("facsimile")
    by_page: dict[int, list] = {}
    for line in pages.lines:
        by_page.setdefault(line.page, []).append(line)
    for page in pages.pages:
        attrib = {"xml:id": _surface(page.number), "n": str(page.number)}
        if page.width is not None and page.height is not None:
            attrib |= {"ulx": "0", "uly": "0", "lrx": _num(page.width), "lry": _num(page.height)}
        surface = tei.sub(facsimile, "surface", attrib)
        if page.image:
            graphic = {"url": _beside(raw_ref, page.image)}
            if page.unit in _CSS_UNITS and page.width is not None and page.height is not None:
                graphic |= {"width": f"{_num(page.width)}{page.unit}",
                            "height": f"{_num(page.height)}{page.unit}"}
            tei.sub(surface, "graphic", graphic)
        for k, line in enumerate(by_page.get(page.number, []), 1):
            zone = {"xml:id": f"{_surface(page.number)}-l{k}", "type": "line"}
            if line.box is not None:
                zone |= dict(zip(("ulx", "uly", "lrx", "lry"), map(_num, line.box)))
            tei.sub(surface, "zone", zone)
    _indent(facsimile, 1)
    root.insert(1, facsimile)
    # The pages stage splits the text layer at its form feeds, one break per page in order, as
    # the layer has one form feed between each two pages: the k-th <pb/> is the k-th page.
    body = root.find(f"{{{tei.TEI_NS}}}text")
    for pb, page in zip(body.iter(f"{{{tei.TEI_NS}}}pb"), pages.pages[:len(breaks)]):
        pb.set("facs", "#" + _surface(page.number))


def _indent(element, depth: int) -> None:
    """One element per line, as the writer lays out the rest of the header, for `git diff`."""
    if len(element):
        element.text = "\n" + "  " * (depth + 1)
        for child in element:
            _indent(child, depth + 1)
            child.tail = "\n" + "  " * (depth + 1)
        element[-1].tail = "\n" + "  " * depth


def _beside(raw_ref: str, image: str) -> str:
    if ":" in image or image.startswith(("/", "\\")):  # an address or an absolute path: as named
        return image
    # A file name is a relative URI once its spaces and the like are escaped (a PDF's page
    # fragment stays one).
    return posixpath.join(posixpath.dirname(raw_ref), quote(image, safe="/#="))


def _surface(number: int) -> str:
    return f"facs-p{number}"


def _num(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"
