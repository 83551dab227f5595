"""A dump's repair as data, left by the run that `make` does, for the commands that read it.

`make diff` and `make review` come after `make`, which has just run every stage of every dump:
running them all again to draw a diff or a page doubled the cost of each. So `pipeline run
--stage-dir DIR` also writes `DIR/results/<name>.json`: the repaired text, the language and input
kind with their evidence, every change (where it sits in the raw text, in its stage's output and in
the repaired text) and every doubt, under the resume key (`pipeline.resume`: raw bytes, decisions,
code, libraries, input kind). `load` gives the `process.Result` back, alignments rebuilt from the
changes, when that key still holds; otherwise None, and the caller runs the stages as before.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from pipeline import alignment, decisions, process, resume, source
from pipeline.model import Change, Edit

FOLDER = "results"
_CHANGE = ("stage", "rule", "reason", "before", "after", "raw_start", "raw_end", "raw_line",
           "raw_column", "out_start", "final_start", "final_end")
_DOUBT = ("stage", "rule", "reason", "raw_start", "raw_line", "raw_column", "final_start")


def path(stage_dir: Path, raw: Path) -> Path:
    return stage_dir / FOLDER / f"{source.stem(raw)}.json"


def dump(result: process.Result, key: dict) -> bytes:
    """The result as JSON (each change and doubt a list of its fields: a long dump has tens of
    thousands), with the key it holds under."""
    return json.dumps({
        "key": key, "lang": result.lang, "lang_evidence": result.lang_evidence,
        "kind": result.kind, "kind_evidence": result.kind_evidence,
        "stages": result.stages, "text": result.text,
        "changes": [[getattr(c, name) for name in _CHANGE] for c in result.changes],
        "doubts": [[getattr(d, name) for name in _DOUBT] for d in result.doubts],
    }, ensure_ascii=False).encode("utf-8")


def load(stage_dir: Path, raw: Path, decisions_dir: Path, kind: str | None) -> \
        process.Result | None:
    """The result `pipeline run --stage-dir stage_dir` wrote for `raw`, if it is what repairing
    `raw` with these decisions and this kind gives now; else None."""
    stored = path(stage_dir, raw)
    try:
        data = json.loads(stored.read_bytes())
    except (OSError, ValueError):
        return None
    src = source.read(raw)
    decisions_file = decisions.path_for(decisions_dir, raw)
    if data.get("key") != resume.key(src.data, decisions_file, raw, stored, kind,
                                     os.environ.get("SOURCE_DATE_EPOCH")):
        return None
    decided = decisions.load(decisions_file)
    try:
        changes = []
        for fields in data["changes"]:
            change = Change(**dict(zip(_CHANGE, fields, strict=True)))
            decision = decided.get(change.id)
            if decision is not None and decision.matches(change.before, change.after):
                change = replace(change, decision=decision)
            changes.append(change)
        stages = tuple(data["stages"])
        return process.Result(
            src, data["lang"], data["lang_evidence"], data["kind"], data["kind_evidence"],
            stages, data["text"], tuple(_alignment(stage, changes) for stage in stages),
            tuple(changes), tuple(process.LocatedDoubt(*fields) for fields in data["doubts"]),
            process.LineTable(src), process.stale_decisions(decided, changes))
    except (KeyError, TypeError, ValueError):  # damaged: as if it were not there
        return None


def _alignment(stage: str, changes: list[Change]) -> alignment.Alignment:
    """A stage's map between input and output, from its applied changes in the order it made
    them: each one's input offset is its output offset less what the ones before it added."""
    edits, out_starts, shift = [], [], 0
    for change in changes:
        if change.stage != stage or not change.applied:
            continue
        start = change.out_start - shift
        edits.append(Edit(start, start + len(change.before), change.after, change.rule,
                          change.reason))
        out_starts.append(change.out_start)
        shift += len(change.after) - len(change.before)
    return alignment.Alignment(tuple(edits), tuple(out_starts))
