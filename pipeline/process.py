"""Run the stages over one decoded dump and locate every change in the raw text.

This is the only place stages are driven: they propose edits on their input; here the edits are
applied, and each is mapped back through the earlier stages to the raw file and forward through the
later ones to the repaired text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace

from pipeline import alignment, kind as kinds, language, markdown
from pipeline.decisions import stale_reason
from pipeline.extract import evidence
from pipeline.model import Change, Context, Decision, InputError, change_id
from pipeline.source import Source
from pipeline.stages import NAMES, STAGES


FORCED = "set by the user"


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
    kind: str
    kind_evidence: str
    stages: tuple[str, ...]
    text: str  # the repaired text
    alignments: tuple[alignment.Alignment, ...]  # one per stage run
    changes: tuple[Change, ...]  # applied ones, and those a reviewer rejected
    doubts: tuple[LocatedDoubt, ...]
    lines: LineTable
    stale: tuple[tuple[Decision, str], ...] = ()

    def to_raw(self, pos: int, right: bool = False) -> int:
        """A repaired-text offset as an offset in the raw file's characters (the unit of the
        change ids and of the notes' `#char=` ranges)."""
        return self.lines.file_offset(_back(self.alignments, pos, right))

    def stage_texts(self) -> list[str]:
        """The text after each number of stages run: the decoded raw text first, the repaired
        text last. Only the repaired text is kept; the others are replayed from it and the
        change records, as `verify` does."""
        return list(self._replayed())[::-1]

    def stage_text(self, k: int) -> str:
        """The text after the first `k` stages (0: the decoded raw text)."""
        for n, text in zip(range(len(self.stages), k - 1, -1), self._replayed()):
            if n == k:
                return text
        raise IndexError(f"no stage {k} in {self.stages}")

    def _replayed(self):
        text = self.text
        yield text
        for stage in reversed(self.stages):
            text = alignment.undo(text, [(c.out_start, c.before, c.after)
                                         for c in self.changes
                                         if c.stage == stage and c.applied])
            yield text

    def undo(self) -> bytes:
        """The raw bytes again, from the repaired text and the change records alone."""
        return self.source.encode(self.stage_text(0))

    def counts(self, stage: str) -> Counter:
        return Counter(change.rule for change in self.changes
                       if change.stage == stage and change.applied)


def repair(source: Source, until: str | None = None,
           decisions: dict[str, Decision] | None = None, kind: str | None = None) -> Result:
    """Run the stages (up to `until`); a change a reviewer rejected is not applied. `kind`
    forces the input kind instead of reading it from the text."""
    lang, lang_evidence = language.detect(source.text)
    if kind is None and source.original is not None:
        kind, kind_evidence = "plain", f"the text layer of {source.original.description}"
    elif kind is None:
        kind, kind_evidence = kinds.detect(source.text, source.path.suffix)
    else:
        kind_evidence = FORCED
    context = Context.of(source.text, lang, kind)
    lines = LineTable(source)
    decisions = decisions or {}
    rejecting = any(decision.verdict == "reject" for decision in decisions.values())
    text = source.text
    alignments, records, doubts = [], [], []
    if source.original is not None:
        context = replace(context, pages=evidence.Lookup(source.original.lines, alignments))
    for stage in STAGES:
        try:
            proposal = stage.propose(text, context)
        except markdown.TooDeep as error:
            raise _too_deep(source, error, text, alignments, lines) from None
        kept, rejected = [], []
        for edit in proposal.edits:
            # Locating an edit in the raw text costs a walk back through the stages: only done
            # when a reviewer rejected something.
            decision = decisions.get(change_id(edit.rule, lines.file_offset(
                _back(alignments, edit.start, False)))) if rejecting else None
            rejects = decision is not None and decision.verdict == "reject" and \
                decision.matches(text[edit.start:edit.end], edit.replacement)
            (rejected if rejects else kept).append(edit)
        applied = alignment.apply(text, kept)
        # Each edit with where it landed and the text it replaced, taken now: a stage's input
        # is not kept once the next stage has run (the repaired text and the records are enough
        # to replay it).
        stage_records = [(edit, out_start, None, text[edit.start:edit.end]) for edit, out_start
                         in zip(applied.alignment.edits, applied.alignment.out_starts)]
        stage_records += [(edit, applied.alignment.to_output(edit.start), "reject",
                           text[edit.start:edit.end]) for edit in sorted(rejected)]
        records.append(sorted(stage_records, key=lambda r: (r[0].start, r[0].end)))
        alignments.append(applied.alignment)
        doubts.append(proposal.doubts)
        text = applied.text
        if stage.NAME == until:
            break
    try:
        # The TEI writer's tree, which a repair may have nested deeper: parsed here (and kept
        # by `markdown.parse` for the writer), so that a refusal names the dump.
        markdown.parse(text)
    except markdown.TooDeep as error:
        raise _too_deep(source, error, text, alignments, lines) from None
    changes, located = [], []
    for k, (stage_records, stage_doubts) in enumerate(zip(records, doubts)):
        earlier, later = alignments[:k], alignments[k + 1:]
        for edit, out_start, verdict, before in stage_records:
            raw_start = _back(earlier, edit.start, False)
            raw_end = _back(earlier, edit.end, True)
            line, column = lines.position(raw_start)
            out_end = out_start + (0 if verdict else len(edit.replacement))
            change = Change(
                stage=NAMES[k], rule=edit.rule, reason=edit.reason,
                before=before, after=edit.replacement,
                raw_start=lines.file_offset(raw_start), raw_end=lines.file_offset(raw_end),
                raw_line=line, raw_column=column, out_start=out_start,
                final_start=forward(later, out_start, False),
                final_end=forward(later, out_end, True))
            decision = decisions.get(change.id)
            if decision is not None and decision.matches(change.before, change.after):
                change = replace(change, decision=decision)
            changes.append(change)
        for doubt in stage_doubts:
            raw_start = _back(earlier, doubt.start, False)
            line, column = lines.position(raw_start)
            located.append(LocatedDoubt(NAMES[k], doubt.rule, doubt.reason,
                                        lines.file_offset(raw_start), line, column,
                                        forward(alignments[k:], doubt.start, False)))
    return Result(source, lang, lang_evidence, kind, kind_evidence, NAMES[:len(alignments)],
                  text, tuple(alignments), tuple(changes), tuple(located), lines,
                  stale_decisions(decisions, changes))


def stale_decisions(decisions: dict[str, Decision], changes: list[Change]) -> tuple:
    """Decisions that match no change, each with why: reported, never silently dropped. Changes
    inside text an earlier stage inserted (footnotes moved to the end) share the raw offset of
    the insertion, and so their id: a decision matches when one of them does."""
    by_id: dict[str, list[Change]] = {}
    for change in changes:
        by_id.setdefault(change.id, []).append(change)
    stale = []
    for change_id_, decision in sorted(decisions.items()):
        found = by_id.get(change_id_, [])
        if not any(decision.matches(change.before, change.after) for change in found):
            change = found[0] if found else None
            stale.append((decision, stale_reason(decision, change and change.before,
                                                 change and change.after)))
    return tuple(stale)


def _too_deep(source: Source, error: markdown.TooDeep, text: str, alignments,
              lines: LineTable) -> InputError:
    """The refusal of a dump whose markup nests too deep for any TEI reader, placed in the raw
    file when the text parsed was a stage's whole input (not a few paragraphs read together)."""
    where = ""
    if error.text is text:
        line, column = lines.position(_back(alignments, error.offset, False))
        where = f" at line {line}, column {column}"
    return InputError(str(source.path), "markup (block quotations, lists, emphasis, links) "
                                        f"nests more than {markdown.MAX_DEPTH} levels deep{where}: "
                                        "XML tools cannot read a TEI nested that deep")


def _back(alignments, pos: int, right: bool) -> int:
    for stage_alignment in reversed(alignments):
        pos = stage_alignment.to_input(pos, right)
    return pos


def forward(alignments, pos: int, right: bool = False) -> int:
    """`pos` in the input of the first of `alignments` as a position in the output of the last."""
    for stage_alignment in alignments:
        pos = stage_alignment.to_output(pos, right)
    return pos


class LineTable:
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
