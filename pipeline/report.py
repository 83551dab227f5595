"""The run report: what a batch did to the corpus, in one JSON file and a one-line summary.

The report answers the questions a batch raises after the fact: which rules fired how often over
the whole corpus (up-to-date files included, from what was recorded when they were written), which
files were slowest (the ones to profile, or to split), and which failed and why.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipeline import __version__, output
from pipeline.batch import Outcome

SLOWEST = 10
# Its name in the output folder, unless the run is told where to write it.
FILENAME = "run-report.json"


def build(outcomes: list[Outcome], engine: str, jobs: int, seconds: float) -> dict:
    outcomes = sorted(outcomes, key=lambda o: o.file)
    statuses = Counter(o.status for o in outcomes)
    changes = Counter()
    for outcome in outcomes:
        changes.update(outcome.changes)
    worked = [o for o in outcomes if o.status == "written"]
    return {
        "pipeline": __version__,
        "engine": engine,
        "jobs": jobs,
        "seconds": round(seconds, 3),
        "files": {"total": len(outcomes), "written": statuses["written"],
                  "up_to_date": statuses["skipped"], "failed": statuses["failed"]},
        "bytes": sum(o.bytes for o in outcomes),
        # Per worker, not summed: what each of -j N processes (or cluster workers) needs at most.
        "peak_memory_per_worker": max((o.peak_memory for o in outcomes), default=0),
        "changes_per_rule": dict(sorted(changes.items())),
        "slowest": [{"file": o.file, "seconds": round(o.seconds, 3), "bytes": o.bytes}
                    for o in sorted(worked, key=lambda o: -o.seconds)[:SLOWEST]],
        "failures": [{"file": o.file, "message": o.message}
                     for o in outcomes if o.status == "failed"],
        "documents": [{"file": o.file, "status": o.status, "bytes": o.bytes,
                       "seconds": round(o.seconds, 3), "changes": sum(o.changes.values())}
                      for o in outcomes],
    }


def write(report: dict, path: Path) -> None:
    output.write(path, (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def summary(report: dict) -> str:
    """One line for the end of a run, naming the dumps that failed: each was said as it
    happened, maybe far above in a long log.

    >>> summary({"files": {"total": 3, "written": 1, "up_to_date": 1, "failed": 1},
    ...          "bytes": 2_500_000, "seconds": 2.0, "failures": [{"file": "raw/x.txt"}]})
    '3 files: 1 written, 1 up to date, 1 failed (raw/x.txt); 2.50 MB in 2.0 s (1.25 MB/s)'
    """
    files, megabytes = report["files"], report["bytes"] / 1e6
    rate = megabytes / report["seconds"] if report["seconds"] else 0.0
    failed = [failure["file"] for failure in report["failures"]]
    named = (f" ({', '.join(failed[:SLOWEST])}"
             + (f" and {len(failed) - SLOWEST} more" if len(failed) > SLOWEST else "") + ")"
             if failed else "")
    return (f"{files['total']} files: {files['written']} written, {files['up_to_date']} up to "
            f"date, {files['failed']} failed{named}; {megabytes:.2f} MB in "
            f"{report['seconds']:.1f} s ({rate:.2f} MB/s)")
