"""The data every stage shares: edits proposed on a stage's input, and the changes they become.

A stage never rewrites text by itself: it returns `Edit`s, non-overlapping spans of its input with
their replacement. `pipeline.alignment` applies them and maps every edit back to the raw file, so each
repair becomes a `Change` that knows its raw location and can be undone exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.evidence import Vocabulary


@dataclass(frozen=True, order=True)
class Edit:
    """Replace `text[start:end]` of a stage's input with `replacement`."""

    start: int
    end: int
    replacement: str
    rule: str
    reason: str


def change_id(rule: str, raw_start: int) -> str:
    # Anchored to the raw offset and the rule, so the id of a change does not move when an
    # unrelated change appears earlier in the file; reviewers' decisions are keyed on it.
    return f"chg-{rule}-{raw_start}"


@dataclass(frozen=True)
class Decision:
    """A reviewer's verdict on one change, anchored by the change's exact text."""

    change_id: str
    verdict: str  # "accept" or "reject"
    reviewer: str
    date: str
    comment: str
    before: str
    after: str

    def matches(self, before: str, after: str) -> bool:
        return (self.before, self.after) == (before, after)


@dataclass(frozen=True)
class Change:
    """One recorded repair, located in the raw text and in the text of the stage that made it.

    `raw_start`/`raw_end` are character offsets in the decoded raw text; `out_start` is where `after`
    sits in the stage's output, which is what replaying the log backwards needs. `final_start`/
    `final_end` place the change in the fully repaired text (for the TEI writer's `@target`).
    """

    stage: str
    rule: str
    reason: str
    before: str
    after: str
    raw_start: int
    raw_end: int
    raw_line: int
    raw_column: int
    out_start: int
    final_start: int
    final_end: int
    decision: Decision | None = None

    @property
    def applied(self) -> bool:
        return self.decision is None or self.decision.verdict != "reject"

    @property
    def id(self) -> str:
        return change_id(self.rule, self.raw_start)

    def as_record(self) -> dict:
        return {
            "id": self.id,
            "stage": self.stage,
            "rule": self.rule,
            "before": self.before,
            "after": self.after,
            "raw": {"start": self.raw_start, "end": self.raw_end, "line": self.raw_line,
                    "column": self.raw_column},
            "out_start": self.out_start,
            "reason": self.reason,
            "decision": None if self.decision is None else {
                "decision": self.decision.verdict, "reviewer": self.decision.reviewer,
                "date": self.decision.date, "comment": self.decision.comment},
        }


class InputError(Exception):
    """A dump the pipeline cannot read, said in words a user can act on."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Doubt:
    """A place where a rule saw a possible defect but the evidence was too weak to repair it."""

    start: int
    end: int
    rule: str
    reason: str


@dataclass(frozen=True)
class Context:
    """What every stage may know about the document besides its text.

    The vocabulary is the raw text's: the document's own words, counted once (on first use) for
    every stage that weighs a cut word. The kind (`pipeline.kind`) says whether line ends and
    markup characters are the converter's markdown or a plain text's layout. `pages`, for a file
    of pages only, tells a stage what the page says of a line (`pipeline.extract.evidence`).
    """

    lang: str | None
    vocabulary: Vocabulary
    kind: str = "markdown"
    pages: object = None

    @classmethod
    def of(cls, raw_text: str, lang: str | None, kind: str = "markdown") -> Context:
        return cls(lang, Vocabulary(raw_text, lang), kind)


@dataclass(frozen=True)
class Proposal:
    """What a stage proposes on its input: edits to apply, doubts to show a reviewer."""

    edits: list[Edit]
    doubts: list[Doubt]
