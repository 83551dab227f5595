"""One dump in, one outcome record out: the unit of work every engine runs.

`process_file` is the only function an engine calls, in this process, in a pool's worker or on a
Dask worker alike, which is why the outputs are the same whichever ran it. It reads the dump and
its decisions, runs the stages, writes the outputs, and returns what happened as data (ok or not,
why, size, time, counts per rule): it never raises and never prints, so one bad dump cannot stop a
batch and the caller decides how to report.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import built, decisions, inputs, output, process, resume, source, tei
from pipeline.model import InputError
from pipeline.stages import NAMES, directory


@dataclass(frozen=True)
class Options:
    out: Path
    decisions: Path
    stage: str | None = None  # stop after this stage and write its text and change log
    kind: str | None = None   # force the input kind instead of detecting it
    resume: bool = True       # skip TEI files whose inputs have not changed
    # With the TEI, every stage's text and change log in <stage_dir>/NN-stage/ and the repair as
    # data in <stage_dir>/results/ (what `make` builds): the stages run once for all of them.
    stage_dir: Path | None = None
    # The TEI dates its revisions from it. Taken where the batch starts and set again where each
    # dump is cleaned: a pool's workers (forked from a server started earlier) and a cluster's
    # have environments of their own.
    source_date_epoch: str | None = field(
        default_factory=lambda: os.environ.get("SOURCE_DATE_EPOCH"))


@dataclass(frozen=True)
class Task:
    raw: Path
    size: int
    options: Options


@dataclass(frozen=True)
class Outcome:
    file: str
    status: str  # "written", "skipped" (up to date) or "failed"
    message: str = ""
    bytes: int = 0
    seconds: float = 0.0
    changes: dict[str, int] = field(default_factory=dict)  # "stage/rule" -> count
    warnings: tuple[str, ...] = ()
    peak_memory: int = 0  # bytes: the largest the process that ran it has been so far


def plan(paths: list[Path], options: Options) -> tuple[list[Task], list[Outcome]]:
    """The dumps to clean, and those refused before any work: unreadable as named (a folder, a
    link out of its folder), named so that the output would land outside the output folder, or a
    second dump with the same name (`x.txt` and `x.md` would both write `x.tei.xml`)."""
    tasks, refused, claimed = [], [], {}
    for path, problem in inputs.find(paths):
        stem = source.stem(path)
        if problem is None and stem in claimed:
            problem = InputError(str(path), f"has the same name as {claimed[stem]}: both would "
                                            f"be written to {options.out / stem}.*; rename one")
        if problem is None:
            try:
                targets(Task(path, 0, options))
            except InputError as error:
                problem = error
        if problem is None:
            try:
                size = path.stat().st_size
            except OSError:  # missing: reading it says so, in the worker, like any other
                size = 0
            claimed[stem] = path
            tasks.append(Task(path, size, options))
        else:
            refused.append(Outcome(str(path), "failed", str(problem)))
    return tasks, refused


def targets(task: Task) -> list[Path]:
    """The files a task writes: a stage's text and change log, or the TEI, its resume record and
    (with a stage folder) each stage's text and change log and the repair as data."""
    stem, options = source.stem(task.raw), task.options
    if options.stage:
        return _stage_files(options.out, stem)
    tei_file = output.inside(options.out, f"{stem}.tei.xml")
    if options.stage_dir is None:
        return [tei_file, resume.sidecar(tei_file)]
    stage_files = [path for name in NAMES
                   for path in _stage_files(options.stage_dir / directory(name), stem)]
    return [tei_file, resume.sidecar(tei_file), *stage_files,
            output.inside(options.stage_dir / built.FOLDER, f"{stem}.json")]


def _stage_files(folder: Path, stem: str) -> list[Path]:
    return [output.inside(folder, f"{stem}.md"), output.inside(folder, f"{stem}.changes.jsonl")]


def remove_leftovers(tasks: list[Task]) -> None:
    """Delete what a killed run left of these tasks' outputs (see `pipeline.output`)."""
    names = defaultdict(set)
    for task in tasks:
        for target in targets(task):
            names[target.parent].add(target.name)
    for folder, found in names.items():
        output.remove_leftovers(folder, found)


def process_file(task: Task) -> Outcome:
    began = time.perf_counter()
    try:
        with _source_date_epoch(task.options.source_date_epoch):
            status, changes, warnings = _clean(task)
        return Outcome(str(task.raw), status, "", task.size, time.perf_counter() - began,
                       changes, warnings, _peak_memory())
    except InputError as error:
        message = str(error)
    except OSError as error:
        message = f"{error.filename or task.raw}: cannot write output ({error.strerror})"
    except Exception as error:  # a bug must not stop the batch, nor print a traceback
        message = (f"{task.raw}: internal error ({type(error).__name__}: {error}); "
                   "please report it with this file")
    return Outcome(str(task.raw), "failed", message, task.size, time.perf_counter() - began,
                   peak_memory=_peak_memory())


@contextmanager
def _source_date_epoch(value: str | None):
    before = os.environ.get("SOURCE_DATE_EPOCH")
    _set_epoch(value)
    try:
        yield
    finally:
        _set_epoch(before)


def _set_epoch(value: str | None) -> None:
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = value


def _peak_memory() -> int:
    # Measured where the work runs (a pool's or a cluster's worker), where no parent can see it.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (
        1 if sys.platform == "darwin" else 1024)


def _clean(task: Task) -> tuple[str, dict, tuple]:
    options = task.options
    raw = source.read(task.raw)
    decisions_file = decisions.path_for(options.decisions, task.raw)
    found = targets(task)
    if not options.stage:
        # A file of pages: its geometry record too (the original's checksum, the facsimile's
        # boxes), which can change while the text layer stays the same.
        data = raw.data + (raw.original.geometry().encode() if raw.original else b"")
        key = resume.key(data, decisions_file, task.raw, found[0], options.kind,
                         options.source_date_epoch)
        done = resume.up_to_date(found[0], key, found[2:]) if options.resume else None
        if done is not None:
            # Checked now and found current: dated now, so that make, which compares times,
            # agrees and does not ask again.
            for path in (found[0], *found[2:]):
                os.utime(path)
            return "skipped", done, ()
    result = process.repair(raw, until=options.stage, kind=options.kind,
                            decisions=decisions.load(decisions_file))
    changes = {f"{stage}/{rule}": count for stage in result.stages
               for rule, count in sorted(result.counts(stage).items())}
    if options.stage:
        _write_stages(result, {options.stage: result.text}, {options.stage: found})
        # A stage run repeats for every stage that make builds: the warnings once, at the end.
        return "written", changes, ()
    written = {}
    if options.stage_dir is not None:
        stage_files, results_file = found[2:-1], found[-1]
        written = _write_stages(result, dict(zip(result.stages, result.stage_texts()[1:])),
                                {name: stage_files[2 * k:2 * k + 2]
                                 for k, name in enumerate(result.stages)})
        data = built.dump(result, resume.key(raw.data, decisions_file, task.raw, results_file,
                                             options.kind, options.source_date_epoch))
        output.write(results_file, data)
        written[results_file] = data
    data = tei.write(result, found[0])
    output.write(found[0], data)
    resume.record(found[0], key, {found[0]: data, **written}, changes)
    warnings = tuple(f"{decisions_file}: {decision.change_id}: stale, not applied: {reason}"
                     for decision, reason in result.stale)
    return "written", changes, warnings


def _write_stages(result: process.Result, texts: dict[str, str],
                  files: dict[str, list[Path]]) -> dict[Path, bytes]:
    """Each stage's text and the log of its changes (those a reviewer rejected too); what was
    written, by file."""
    logs = {stage: [] for stage in texts}
    for change in result.changes:
        if change.stage in logs:
            logs[change.stage].append(json.dumps(change.as_record(), ensure_ascii=False) + "\n")
    written = {}
    for stage, text in texts.items():
        text_file, log_file = files[stage]
        written[text_file] = text.encode("utf-8")
        written[log_file] = "".join(logs[stage]).encode("utf-8")
    for path, data in written.items():
        output.write(path, data)
    return written
