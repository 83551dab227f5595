"""PAGE XML (PRImA; written by Transkribus, eScriptorium, OCR-D): one file per page image.

Reading order is the file's `ReadingOrder` (its groups flattened in order), regions it leaves out
following in the order of the file. A region's type is its `@type` (paragraph, heading, header,
footer, page-number, caption, …), else the structure type a `@custom` attribute gives
(`structure {type:chapter;}`, as Transkribus writes it). A line's text is its own `TextEquiv`,
else its words'; a region with no lines gives the lines of its own `TextEquiv`, each with the
region's box.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.geometry import Layer, Page, box_of_points, parse_points
from pipeline.model import InputError

NAMESPACE = re.compile(
    r"^http://schema\.primaresearch\.org/PAGE/gts/pagecontent/(\d{4}-\d{2}-\d{2})$")
_CUSTOM_TYPE = re.compile(r"structure\s*\{[^}]*\btype:([^;}]+)")


def version(root_tag: str) -> str | None:
    qname = etree.QName(root_tag)
    match = NAMESPACE.match(qname.namespace or "")
    return match.group(1) if match and qname.localname == "PcGts" else None


def read(path: str, root) -> Layer:
    ns = etree.QName(root).namespace
    q = lambda name: f"{{{ns}}}{name}"  # noqa: E731 - the one namespace of this file
    page = root.find(q("Page"))
    if page is None:
        raise InputError(path, "is a PAGE file with no Page element: no page to read")
    layer = Layer()
    layer.page(Page(1, _number(page.get("imageWidth")), _number(page.get("imageHeight")), "px",
                    page.get("imageFilename") or None, page.get("id")))
    regions = [r for r in page.iter(q("TextRegion"))]
    by_id = {r.get("id"): r for r in regions if r.get("id")}
    order = [by_id[ref.get("regionRef")] for ref in _ordered_refs(page, q)
             if ref.get("regionRef") in by_id]
    seen = {id(r) for r in order}
    order += [r for r in regions if id(r) not in seen]
    for n, region in enumerate(dict.fromkeys(order), 1):
        region_type = region.get("type") or _custom_type(region.get("custom"))
        block = region.get("id") or f"r{n}"
        lines = region.findall(q("TextLine"))
        for line in lines:
            _line(layer, q, line, block, region_type)
        if not lines:  # a region transcribed as a whole: its text's lines, the region's box
            coords = region.find(q("Coords"))
            box = box_of_points(parse_points(coords.get("points") if coords is not None
                                             else None))
            for text in (_text_equiv(region, q) or "").split("\n"):
                layer.line(text, block=block, id=None, box=box, region_type=region_type)
    return layer


def _ordered_refs(page, q) -> list:
    """The region references of the reading order, nested groups in their place."""
    order = page.find(q("ReadingOrder"))
    if order is None:
        return []
    refs = []

    def walk(group):
        members = [m for m in group if isinstance(m.tag, str)]
        if all(m.get("index") is not None for m in members):
            members.sort(key=lambda m: int(m.get("index")))
        for member in members:
            if member.get("regionRef"):
                refs.append(member)
            walk(member)
    walk(order)
    return refs


def _line(layer: Layer, q, line, block: str, region_type: str | None) -> None:
    text = _text_equiv(line, q)
    words = line.findall(q("Word"))
    confidences = [_number(w.find(q("TextEquiv")).get("conf")) for w in words
                   if w.find(q("TextEquiv")) is not None]
    if text is None:
        text = " ".join(filter(None, (_text_equiv(w, q) for w in words)))
    if not confidences and line.find(q("TextEquiv")) is not None:
        confidences = [_number(line.find(q("TextEquiv")).get("conf"))]
    coords = line.find(q("Coords"))
    points = parse_points(coords.get("points") if coords is not None else None)
    baseline = line.find(q("Baseline"))
    style = line.find(q("TextStyle"))
    faces = [] if style is None else [face for face in ("bold", "italic", "underlined")
                                      if style.get(face) == "true"]
    layer.line(text or "", block=block, id=line.get("id"), box=box_of_points(points),
               baseline=parse_points(baseline.get("points")) if baseline is not None else None,
               font_size=_number(style.get("fontSize")) if style is not None else None,
               font_style=" ".join(faces) or None, region_type=region_type,
               confidences=tuple(c for c in confidences if c is not None))


def _text_equiv(element, q) -> str | None:
    """The element's own transcription: the TextEquiv of the lowest index, else the first."""
    equivs = element.findall(q("TextEquiv"))
    if not equivs:
        return None
    indexed = [e for e in equivs if (e.get("index") or "").isdigit()]
    chosen = min(indexed, key=lambda e: int(e.get("index"))) if indexed else equivs[0]
    return chosen.findtext(q("Unicode")) or ""


def _custom_type(custom: str | None) -> str | None:
    match = _CUSTOM_TYPE.search(custom or "")
    return match.group(1).strip() if match else None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
