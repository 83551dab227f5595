"""Apply a stage's edits and keep the map from its output back to its input.

Composing these maps stage after stage tells where any later edit sits in the raw file: that is how a
change made by the fifth stage still names its raw line and column. Inverting them is mechanical
(`undo`), which is what `pipeline verify` relies on.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from pipeline.model import Edit


@dataclass(frozen=True)
class Alignment:
    """Where each of a stage's edits landed in its output: the map between input and output."""

    edits: tuple[Edit, ...]
    out_starts: tuple[int, ...]

    @cached_property
    def _backward(self) -> list[tuple[int, int, int, int]]:
        return [(o, o + len(e.replacement), e.start, e.end)
                for e, o in zip(self.edits, self.out_starts)]

    @cached_property
    def _forward(self) -> list[tuple[int, int, int, int]]:
        return [(e.start, e.end, o, o + len(e.replacement))
                for e, o in zip(self.edits, self.out_starts)]

    @cached_property
    def _input_starts(self) -> list[int]:
        return [e.start for e in self.edits]

    def to_input(self, pos: int, right: bool = False) -> int:
        return _map(self._backward, self.out_starts, pos, right)

    def to_output(self, pos: int, right: bool = False) -> int:
        return _map(self._forward, self._input_starts, pos, right)


@dataclass(frozen=True)
class Applied:
    """A stage's edits applied: its output text, and the map to its input."""

    text: str
    alignment: Alignment


def _map(spans: list[tuple[int, int, int, int]], starts, pos: int, right: bool) -> int:
    """Map `pos` across edits given as (from_start, from_end, to_start, to_end) spans.

    A position inside a replaced span maps to the start of the other side, or to its end when `right`
    (so a span that ends inside an edit is widened to cover all of it, never cut through it).
    """
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return pos
    from_start, from_end, to_start, to_end = spans[i]
    if pos == from_start:
        return to_start
    if pos < from_end:
        return to_end if right else to_start
    return to_end + (pos - from_end)


def apply(text: str, edits: list[Edit]) -> Applied:
    """Apply non-overlapping edits on `text`; edits that change nothing are dropped."""
    kept = sorted(e for e in edits if text[e.start:e.end] != e.replacement)
    if not kept:  # the same object, so the next stage's parse of it can be reused
        return Applied(text, Alignment((), ()))
    pieces, out_starts, cursor, out_len = [], [], 0, 0
    for edit in kept:
        if edit.start < cursor or edit.end < edit.start or edit.end > len(text):
            raise ValueError(f"overlapping or out-of-range edit {edit!r} (previous ended at {cursor})")
        pieces.append(text[cursor:edit.start])
        out_len += edit.start - cursor
        out_starts.append(out_len)
        pieces.append(edit.replacement)
        out_len += len(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return Applied("".join(pieces), Alignment(tuple(kept), tuple(out_starts)))


def undo(text: str, records: list[tuple[int, str, str]]) -> str:
    """Invert one stage: `records` are (out_start, before, after) of that stage's changes, in the
    order the stage made them (two edits can share an output offset, so the order is not derivable).

    Raises ValueError when the text at a recorded place is not the recorded `after`: the log and the
    text disagree, and nothing can be claimed about the raw file.
    """
    pieces, cursor = [], len(text)
    for out_start, before, after in reversed(records):
        out_end = out_start + len(after)
        if out_end > cursor or text[out_start:out_end] != after:
            raise ValueError(f"text at offset {out_start} is {text[out_start:out_end]!r}, "
                             f"the log says {after!r}")
        pieces.append(text[out_end:cursor])
        pieces.append(before)
        cursor = out_start
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))
