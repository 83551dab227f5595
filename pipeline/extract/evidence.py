"""The page as evidence for the stages: for a line of a stage's input, the line of the page it
came from, and what its geometry or the format's labels say.

A stage asks `Context.pages` (None for a text dump) about a line by its offset in the stage's own
input; the lookup walks the offset back through the stages run so far to the text layer, where the
geometry record places every line. Every answer is a reason to put in a change's note, saying that
it comes from the input.

What is used, and why it is enough:
- a region the format labels page furniture (PAGE's `header`, `footer`, `page-number`,
  `catch-word`, `signature-mark`; ALTO's top and bottom margins; SegmOnto's `RunningTitleZone`,
  `NumberingZone`, `QuireMarksZone`) is removed from the reading text as furniture.
- a region the format labels a heading (PAGE's `type="heading"`, an ALTO tag or SegmOnto name
  `heading`, `HeadingLine`, `title`) is a title; so is a block of at most three lines set larger
  than the body text (the size most characters have) by a step of the usual type scales, at
  least 15 %, its level from its size's rank among such sizes (hOCR's size is tesseract's
  character height in pixels, compared within the document as well). hOCR's `ocr_header` is not
  used: tesseract guesses it from the page, it is no one's label. Running heads (PAGE `header`)
  are not headings.
- inside one block, a line that starts further from the block's left edge than its own height
  (an em), under a line that starts at the edge, is a paragraph's first line, where such lines
  are fewer than those at the edge (not a hanging indent); a gap above a line
  larger than the block's usual gap by half a line is a paragraph's end. Both are measured in the
  page's own units against the block's own lines, so no scale is assumed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from statistics import median

from pipeline.extract.geometry import Line

_HEADING_LABELS = {"heading", "headingline", "title"}
# The smallest step from a body text's size to its headings' in the usual type scales (11 to
# 13 points, 10 to 12); a block of at most three lines set so is display type: a title.
_SIZE_STEP = 1.15
_TITLE_LINES = 3
# Page furniture by its label: PAGE's region types, ALTO's margins (where a running head, a folio
# or a catchword sits), SegmOnto's zones.
_FURNITURE_LABELS = {"page-number", "header", "footer", "catch-word", "signature-mark",
                     "topmargin", "bottommargin", "runningtitlezone", "numberingzone",
                     "quiremarkszone"}


class Lookup:
    """The page line under an offset of the current stage's input. `alignments` is the list the
    stages' alignments are appended to as they run: while a stage runs it holds the earlier
    ones, which lead from that stage's input back to the text layer."""

    def __init__(self, lines: tuple[Line, ...], alignments: list) -> None:
        self.lines, self.alignments = lines, alignments
        self.starts = [line.start for line in lines]
        self.blocks: dict[tuple[int, str | None], list[Line]] = {}
        for line in lines:
            self.blocks.setdefault((line.page, line.block), []).append(line)
        # The body text's size: the one most of the document's characters are set in.
        sizes = Counter()
        for line in lines:
            if line.font_size:
                sizes[line.font_size] += len(line.text)
        self.body = max(sizes, key=lambda size: (sizes[size], -size)) if sizes else None
        self.title_sizes = sorted({size for size in sizes if self._display(size)}, reverse=True)
        self._measured: dict = {}

    def _display(self, size: float | None) -> bool:
        return bool(size and self.body and size >= self.body * _SIZE_STEP)

    def line(self, pos: int) -> Line | None:
        for alignment in reversed(self.alignments):
            pos = alignment.to_input(pos, False)
        i = bisect_right(self.starts, pos) - 1
        return self.lines[i] if i >= 0 and pos <= self.lines[i].end else None

    def title(self, pos: int) -> tuple[str, int | None] | None:
        """Why the line at `pos` is a title, when the input labels its region so or sets its
        block apart in a larger size; with a size, its rank among the document's title sizes
        (0, the largest, for the highest level)."""
        line = self.line(pos)
        label = line.region_type if line else None
        if label and any(part.lower() in _HEADING_LABELS for part in re.split(r"[\s:#]+", label)):
            return f"from the input: its region is labelled {label!r}", None
        if line is None or not self._display(line.font_size) or \
                len(re.findall(r"\w", line.text)) < 2:
            return None
        block = self.blocks[(line.page, line.block)]
        if len(block) > _TITLE_LINES or not all(self._display(b.font_size) for b in block):
            return None
        return (f"from the input: its block is set in {line.font_size:g}, where the body text "
                f"is {self.body:g}", self.title_sizes.index(line.font_size))

    def furniture(self, pos: int) -> str | None:
        """Why the line at `pos` is page furniture, when the input labels its region so."""
        line = self.line(pos)
        label = line.region_type if line else None
        if label and any(part.lower() in _FURNITURE_LABELS
                         for part in re.split(r"[\s:#]+", label)):
            return f"from the input: its region is labelled {label!r}, page furniture"
        return None

    def paragraph_end(self, pos: int, next_pos: int) -> str | None:
        """Why a paragraph ends between the line at `pos` and the one at `next_pos`, when their
        place on the page says so."""
        line, following = self.line(pos), self.line(next_pos)
        if line is None or following is None or line is following or line.box is None or \
                following.box is None or (line.page, line.block) != (following.page,
                                                                     following.block):
            return None
        block, left, leading = self._measures(line.page, line.block)
        em = following.box[3] - following.box[1]
        indent = following.box[0] - left
        # First lines are the few indented ones; where most are, the indent is a hanging one
        # (a bibliography, a list) or a quotation's, which marks no paragraph.
        indented = sum(b.box[0] - left > em for b in block)
        if em > 0 and indent > em and line.box[0] - left < em / 2 and \
                indented < len(block) - indented:
            return (f"from the input: the next line starts {indent:g} right of its block's left "
                    f"edge, more than its height ({em:g}), under a line at the edge: a "
                    "paragraph's first line")
        gap = following.box[1] - line.box[3]
        if leading is not None and em > 0 and gap > leading + em / 2:
            return (f"from the input: the gap above the next line is {gap:g}, where the block's "
                    f"lines are {leading:g} apart, more than half a line wider: a "
                    "paragraph's end")
        return None

    def _measures(self, page: int, block_id: str | None) -> tuple[list[Line], float, float | None]:
        """A block's lines with boxes, its left edge, and its usual gap between lines (None
        under four lines: too few to say what is usual), measured once per block."""
        key = (page, block_id)
        if key not in self._measured:
            block = [b for b in self.blocks[key] if b.box is not None]
            gaps = [b.box[1] - a.box[3] for a, b in zip(block, block[1:])]
            self._measured[key] = (block, min(b.box[0] for b in block),
                                   median(gaps) if len(gaps) >= 3 else None)
        return self._measured[key]
