"""The geometry record: each page's size and each line's place, as a format's reader found them.

Every reader (ALTO, hOCR, PAGE, PDF, a scan through tesseract) fills one `Layer` page by page, line
by line, in reading order. The layer makes the text the stages read — lines joined by line ends, a
blank line where a block (ALTO TextBlock, hOCR paragraph, PAGE region, a PDF block) ends, a form
feed between pages, as pdftotext writes them — and keeps, for each line, where it sits in that text,
so that a stage (or a reviewer) can ask what a line of the text looked like on the page.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, in the order of the input
    width: float | None
    height: float | None
    unit: str  # the format's: "px", "pt" (PDF), "mm10" or "inch1200" (ALTO)
    image: str | None = None  # the page image the format names, if any
    id: str | None = None  # the format's own id, kept so that a TEI zone can point back


@dataclass(frozen=True)
class Line:
    page: int
    id: str | None
    box: tuple[float, float, float, float] | None  # left, top, right, bottom in the page's unit
    text: str
    start: int  # where the line's text begins in the text layer
    end: int
    baseline: list[list[float]] | float | None = None  # points (PAGE, ALTO 4) or a y (ALTO 2/3)
    font_size: float | None = None
    font_style: str | None = None  # "bold", "italics bold", … as the format says it
    block: str | None = None  # the id of the block or region the line belongs to
    region_type: str | None = None  # PAGE's region type, ALTO's tag label, hOCR's line class
    confidences: tuple[float, ...] = ()  # each word's OCR confidence, 0 to 1


@dataclass
class Layer:
    """Builds the text layer and its geometry together, so that offsets never disagree."""

    pages: list[Page] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _block: object = None
    _page_has_text: bool = False

    def page(self, page: Page) -> None:
        if self.pages:
            self._add("\f")
        self.pages.append(page)
        self._block, self._page_has_text = None, False

    def line(self, text: str, *, block: str | None, **geometry) -> None:
        """A line of the current page; one that has no text is left out of the layer."""
        text = " ".join(text.split())
        if not text:
            return
        if self._page_has_text and block != self._block:
            self._add("\n")
        self._block, self._page_has_text = block, True
        start = self._length
        self._add(text + "\n")
        self.lines.append(Line(page=self.pages[-1].number, text=text, start=start,
                               end=start + len(text), block=block, **geometry))

    def _add(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)


def records(layer_pages: list[Page], lines: list[Line], document: dict) -> str:
    """The geometry record as JSON lines: the document, then each page followed by its lines."""
    out = [json.dumps({"type": "document", **document}, ensure_ascii=False, sort_keys=True)]
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    for page in layer_pages:
        out.append(json.dumps({"type": "page", **asdict(page)}, ensure_ascii=False,
                              sort_keys=True))
        out += [json.dumps({"type": "line", **asdict(line)}, ensure_ascii=False, sort_keys=True)
                for line in by_page.get(page.number, [])]
    return "\n".join(out) + "\n"


def box_of_points(points: list[list[float]]) -> tuple[float, float, float, float] | None:
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def parse_points(text: str | None) -> list[list[float]]:
    """PAGE's and ALTO 4's `x1,y1 x2,y2 …`; an unreadable pair is dropped, not guessed."""
    points = []
    for pair in (text or "").split():
        try:
            x, y = pair.split(",")
            points.append([float(x), float(y)])
        except ValueError:
            continue
    return points
