"""Run the stages over one decoded dump and locate every change in the raw text.

This is the only place stages are driven: they propose edits on their input; here the edits are
applied, and each is mapped back through the earlier stages to the raw file and forward through the
later ones to the repaired text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from pipeline import alignment, language
from pipeline.model import Change, Context
from pipeline.source import Source
from pipeline.stages import NAMES, STAGES


@dataclass(frozen=True)
class LocatedDoubt:
    stage: str
    rule: str
    reason: str
    raw_start: int
    raw_line: int
    raw_column: int
    final_start: int

    @property
    def id(self) -> str:
        return f"doubt-{self.rule}-{self.raw_start}"


@dataclass(frozen=True)
class Result:
    source: Source
    lang: str | None
    lang_evidence: str
    stages: tuple[str, ...]
    applied: tuple[alignment.Applied, ...]
    changes: tuple[Change, ...]
    doubts: tuple[LocatedDoubt, ...]

    @property
    def text(self) -> str:
        return self.applied[-1].text if self.applied else self.source.text

    def to_raw(self, pos: int, right: bool = False) -> int:
        for applied in reversed(self.applied):
            pos = applied.to_input(pos, right)
        return pos

    def undo(self) -> bytes:
        """The raw bytes again, from the repaired text and the change records alone."""
        text = self.text
        for stage in reversed(self.stages):
            text = alignment.undo(text, [(c.out_start, c.before, c.after)
                                         for c in self.changes if c.stage == stage])
        return self.source.encode(text)

    def counts(self, stage: str) -> Counter:
        return Counter(change.rule for change in self.changes if change.stage == stage)


def repair(source: Source, until: str | None = None) -> Result:
    lang, lang_evidence = language.detect(source.text)
    context = Context.of(source.text, lang)
    text = source.text
    applied, doubts = [], []
    for stage in STAGES:
        proposal = stage.propose(text, context)
        applied.append(alignment.apply(text, proposal.edits))
        doubts.append(proposal.doubts)
        text = applied[-1].text
        if stage.NAME == until:
            break
    lines = _LineTable(source)
    changes, located = [], []
    for k, (stage_applied, stage_doubts) in enumerate(zip(applied, doubts)):
        earlier, later = applied[:k], applied[k + 1:]
        for edit, out_start in zip(stage_applied.edits, stage_applied.out_starts):
            raw_start = _back(earlier, edit.start, False)
            raw_end = _back(earlier, edit.end, True)
            line, column = lines.position(raw_start)
            out_end = out_start + len(edit.replacement)
            changes.append(Change(
                stage=NAMES[k], rule=edit.rule, reason=edit.reason,
                before=applied[k - 1].text[edit.start:edit.end] if k else
                source.text[edit.start:edit.end],
                after=edit.replacement, raw_start=lines.file_offset(raw_start),
                raw_end=lines.file_offset(raw_end), raw_line=line, raw_column=column,
                out_start=out_start, final_start=_forward(later, out_start, False),
                final_end=_forward(later, out_end, True)))
        for doubt in stage_doubts:
            raw_start = _back(earlier, doubt.start, False)
            line, column = lines.position(raw_start)
            located.append(LocatedDoubt(NAMES[k], doubt.rule, doubt.reason,
                                        lines.file_offset(raw_start), line, column,
                                        _forward([stage_applied, *later], doubt.start, False)))
    return Result(source, lang, lang_evidence, NAMES[:len(applied)], tuple(applied),
                  tuple(changes), tuple(located))


def _back(applied, pos: int, right: bool) -> int:
    for stage_applied in reversed(applied):
        pos = stage_applied.to_input(pos, right)
    return pos


def _forward(applied, pos: int, right: bool) -> int:
    for stage_applied in applied:
        pos = stage_applied.to_output(pos, right)
    return pos


class _LineTable:
    """Line and column (1-based) of a decoded-text offset, and its offset in the file's own
    characters (a CRLF file has one more character per line than its decoded text)."""

    def __init__(self, source: Source) -> None:
        self.starts = [0]
        text = source.text
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.wide_newlines = source.newline == "\r\n"

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def file_offset(self, offset: int) -> int:
        return offset + (bisect_right(self.starts, offset) - 1 if self.wide_newlines else 0)
