"""ALTO (v2 to v4), the library standard for OCR: one file holding one page or several.

Reading order is the top margin, the print space, the side margins and the bottom margin, each in
the file's order of text blocks (also inside composed blocks); ALTO 4's `ReadingOrder` element is
not read. Font size and style come from the `TextStyle` a line or block
refers to (and a string's own STYLE); a block's region type is the label of the tags it refers to
(`TAGREFS`: a `StructureTag` or `LayoutTag` such as "heading" or "SegmOnto:NumberingZone"), else the
page area it stands in when that is a margin (`TopMargin`, …), where running heads and folios sit.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.geometry import Layer, Page, box_of_points, parse_points
from pipeline.model import InputError

NAMESPACE = re.compile(r"^http://www\.loc\.gov/standards/alto/ns-v([234])#$")
_MARGINS = {"TopMargin", "BottomMargin", "LeftMargin", "RightMargin"}
# The schema puts the margins before the print space (top, left, right, bottom, print space); a
# reader reads the running head, the page's text, the notes beside it, then the foot.
_AREAS = ("TopMargin", "PrintSpace", "LeftMargin", "RightMargin", "BottomMargin")


def version(root_tag: str) -> str | None:
    """'v2', 'v3' or 'v4' for an ALTO root element's tag, else None."""
    qname = etree.QName(root_tag)
    match = NAMESPACE.match(qname.namespace or "")
    return f"v{match.group(1)}" if match and qname.localname == "alto" else None


def read(path: str, root) -> Layer:
    ns = etree.QName(root).namespace
    q = lambda name: f"{{{ns}}}{name}"  # noqa: E731 - the one namespace of this file
    unit = root.findtext(f"{q('Description')}/{q('MeasurementUnit')}") or "pixel"
    unit = {"pixel": "px"}.get(unit.strip(), unit.strip())
    image = root.findtext(f"{q('Description')}/{q('sourceImageInformation')}/{q('fileName')}")
    styles = {style.get("ID"): style for style in root.iter(q("TextStyle"))}
    tags = {tag.get("ID"): tag.get("LABEL") or tag.get("TYPE")
            for tags in root.iter(q("Tags")) for tag in tags if tag.get("ID")}
    layout = root.find(q("Layout"))
    pages = [] if layout is None else layout.findall(q("Page"))
    if not pages:
        raise InputError(path, "is an ALTO file with no Layout/Page: no page to read")
    layer = Layer()
    for number, page in enumerate(pages, 1):
        layer.page(Page(number, _number(page.get("WIDTH")), _number(page.get("HEIGHT")), unit,
                        image.strip() if image and image.strip() else None, page.get("ID")))
        for area in sorted((a for a in page if isinstance(a.tag, str) and
                            etree.QName(a).localname in _AREAS),
                           key=lambda a: _AREAS.index(etree.QName(a).localname)):
            area_name = etree.QName(area).localname
            for block in area.iter(q("TextBlock")):
                region = " ".join(filter(None, (tags.get(ref) for ref in
                                                (block.get("TAGREFS") or "").split())))
                region = region or (area_name if area_name in _MARGINS else None)
                block_id = block.get("ID") or f"p{number}-b{len(layer.lines)}"
                for line in block.iter(q("TextLine")):
                    _line(layer, q, line, block, block_id, region, styles)
    return layer


def _line(layer: Layer, q, line, block, block_id: str, region: str | None, styles) -> None:
    words, confidences, sizes, faces = [], [], [], []
    for child in line:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name == "String":
            words.append(child.get("CONTENT") or "")
            if child.get("WC") is not None:
                confidences.append(_number(child.get("WC")))
            style = _style(styles, child, line, block)
            if style is not None and style.get("FONTSIZE"):
                sizes.append(_number(style.get("FONTSIZE")))
            faces.append(child.get("STYLE") or (style.get("FONTSTYLE") if style is not None
                                                else None))
        elif name == "HYP":  # the hyphen the typesetter put at the line's end
            words[-1:] = [(words[-1] if words else "") + (child.get("CONTENT") or "-")]
    box = None
    if all(line.get(a) is not None for a in ("HPOS", "VPOS", "WIDTH", "HEIGHT")):
        x, y = _number(line.get("HPOS")), _number(line.get("VPOS"))
        box = (x, y, x + _number(line.get("WIDTH")), y + _number(line.get("HEIGHT")))
    baseline = line.get("BASELINE")
    if baseline and "," in baseline:
        baseline = parse_points(baseline)
        box = box or box_of_points(baseline)
    else:
        baseline = _number(baseline)
    # A line's size and style are its words' when they all agree; else none is claimed.
    layer.line(" ".join(words), block=block_id, id=line.get("ID"), box=box, baseline=baseline,
               font_size=sizes[0] if sizes and len(set(sizes)) == 1 and len(sizes) == len(words)
               else None,
               font_style=faces[0] if faces and len(set(faces)) == 1 else None,
               region_type=region, confidences=tuple(c for c in confidences if c is not None))


def _style(styles: dict, *elements):
    """The TextStyle of the innermost element that refers to one."""
    for element in elements:
        for ref in (element.get("STYLEREFS") or "").split():
            if ref in styles:
                return styles[ref]
    return None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
