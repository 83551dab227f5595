"""PAGE ground truth (a scanned page's regions and lines, transcribed by hand): its gold blocks,
and its lines as an OCR engine writes them, labelled from the regions they belong to.

A region's type says what it is: `paragraph`, `heading`, `footnote`, ... are the text; `header`,
`page-number`, `catch-word`, `signature-mark` are page furniture, absent from the gold. The
"page-lines" dump is what a line-based OCR engine prints: the regions' lines in reading order, the
furniture where it stands on the page (above the text or below it), a form feed between pages.

The one inference the gold makes: a region's lines are joined with spaces, except that a line
ending in a hyphen (-, ¬, ⸗, =) before a line that opens with a small letter is a word the
printer cut, joined whole (`Unterſuchungs⸗` / `gericht` → `Unterſuchungsgericht`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eval.blocks import normalize
from eval.gold import Gold, local

FURNITURE = {"header", "page-number", "catch-word", "signature-mark"}
_KIND = {"heading": "head", "footnote": "note", "endnote": "note", "TOC-entry": "item"}
HYPHENS = "-¬⸗="
_CUT = re.compile(rf"\w[{re.escape(HYPHENS)}]$")


@dataclass
class Line:
    text: str
    block: int | None  # the gold block it belongs to; None for furniture
    hyphen: bool | None = None  # ends in a cut word (True) or a hyphen the word keeps (False)


def read_page(tree) -> tuple[list[Gold], list[Line]]:
    """One PAGE file: its gold blocks, and its lines in the order an OCR engine writes them."""
    root = tree.getroot()
    regions = {region.get("id"): region for region in root.iter()
               if local(region) == "TextRegion"}
    order = [ref.get("regionRef") for ref in root.iter()
             if local(ref) in ("RegionRefIndexed", "RegionRef")]
    ordered = [regions[r] for r in order if r in regions]
    ordered += sorted((region for r, region in regions.items() if r not in order), key=_top)
    text_regions = [r for r in ordered if r.get("type") not in FURNITURE]
    furniture = [r for r in ordered if r.get("type") in FURNITURE]
    middle = (sorted(_top(r) for r in text_regions)[len(text_regions) // 2]
              if text_regions else 0)
    above = [r for r in furniture if _top(r) < middle]
    below = [r for r in furniture if _top(r) >= middle]

    blocks: list[Gold] = []
    lines: list[Line] = [Line(text, None) for r in above for text in _lines(r)]
    for region in text_regions:
        texts = _lines(region)
        if not texts:
            continue
        kind = _KIND.get(region.get("type"), "p")
        index = len(blocks)
        blocks.append(Gold(kind, _join(texts), 1 if kind == "head" else None))
        for i, text in enumerate(texts):
            hyphen = None
            if i + 1 < len(texts) and _CUT.search(text):
                hyphen = _cut_word(text, texts[i + 1])
            lines.append(Line(text, index, hyphen))
    lines += [Line(text, None) for r in below for text in _lines(r)]
    return blocks, lines


def _lines(region) -> list[str]:
    texts = []
    for line in region.iter():
        if local(line) != "TextLine":
            continue
        unicode = [u for u in line.iter() if local(u) == "Unicode"
                   and local(u.getparent().getparent()) == "TextLine"]
        text = " ".join((unicode[0].text or "").split()) if unicode else ""
        if text:
            texts.append(text)
    return texts


def _top(region) -> int:
    coords = next((c for c in region if local(c) == "Coords"), None)
    points = coords.get("points", "") if coords is not None else ""
    ys = [int(float(p.split(",")[1])) for p in points.split() if "," in p]
    return min(ys) if ys else 0


def _cut_word(line: str, following: str) -> bool:
    return following[:1].islower()


def _join(texts: list[str]) -> str:
    joined = texts[0]
    for previous, text in zip(texts, texts[1:]):
        if _CUT.search(previous) and _cut_word(previous, text):
            joined = joined[:-1] + text
        else:
            joined += " " + text
    return normalize(joined)


def page_lines(pages: list[list[Line]]) -> str:
    """The dump: each page's lines, a form feed opening every page after the first."""
    return "\n\f".join("\n".join(line.text for line in page) for page in pages) + "\n"
