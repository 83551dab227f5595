"""Resuming a batch: an output is skipped when nothing that made it has changed.

What makes a TEI file: the raw bytes, the reviewers' decisions, the pipeline's code (its version
alone does not move when a rule changes during development), the libraries it runs on, the Unicode
tables, the input kind forced on the command line, SOURCE_DATE_EPOCH (the revision dates) and where
the raw file sits relative to the TEI (its `ptr`s point there). All of it is hashed into a key.

After writing `<out>/x.tei.xml` the run writes `<out>/.resume/x.json`: that key, the checksums of
the files it wrote (the TEI; with `--stage-dir`, each stage's text and change log and the repair
as data too), and its counts per rule (so a resumed run still reports on the whole corpus). The
dump is only skipped when the key is the same and every file asked for is still the one written
then; a sidecar that is missing, unreadable or stale just means the dump is cleaned again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pipeline
from pipeline import output

FOLDER = ".resume"
# The libraries the TEI depends on (with what they require in turn): the stages' (ftfy, regex,
# wordfreq's word lists), the markdown parser's, the writer's. A library a stage starts using
# belongs here; a test says so. (Named, not read from this package's requirements: those are
# found through sys.path, where a stale *.egg-info in the working directory can answer.)
OUTPUT_LIBRARIES = ("ftfy", "regex", "wordfreq", "pyromark", "lxml", "PyYAML")


def key(data: bytes, decisions: Path, raw: Path, target: Path, kind: str | None,
        source_date_epoch: str | None) -> dict:
    try:
        decided = hashlib.sha256(decisions.read_bytes()).hexdigest()
    except FileNotFoundError:
        decided = None
    return {"input_sha256": hashlib.sha256(data).hexdigest(), "decisions_sha256": decided,
            "pipeline": pipeline.__version__, "code_sha256": _code(), "runtime": _runtime(),
            "kind": kind, "source_date_epoch": source_date_epoch,
            "raw_ref": os.path.relpath(raw, target.parent)}


def sidecar(target: Path) -> Path:
    return target.parent / FOLDER / f"{target.name.removesuffix('.tei.xml')}.json"


def up_to_date(target: Path, current: dict, others: list[Path] = ()) -> dict | None:
    """The counts recorded with `target` if it was written with this very key, and it and the
    `others` written with it (the stage files) are still what was written then; else None."""
    try:
        recorded = json.loads(sidecar(target).read_text(encoding="utf-8"))
        if recorded["key"] != current:
            return None
        for path in (target, *others):
            # replaced since (git checkout, an edit), or never written with it: not what the
            # key describes
            if _digest(path.read_bytes()) != recorded["outputs"].get(_name(target, path)):
                return None
        return recorded["changes"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record(target: Path, current: dict, outputs: dict[Path, bytes], changes: dict) -> None:
    """Written after `outputs` (the TEI first among them), which it names by their place
    relative to the TEI's folder."""
    output.write(sidecar(target), json.dumps(
        {"key": current, "changes": changes,
         "outputs": {_name(target, path): _digest(data) for path, data in outputs.items()}},
        indent=1, sort_keys=True).encode("utf-8"))


def _name(target: Path, path: Path) -> str:
    return os.path.relpath(path, target.parent)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _code() -> str:
    digest = hashlib.sha256()
    package = Path(pipeline.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def _runtime() -> dict:
    """The versions of Python, its Unicode tables, and the output's libraries with everything they
    require in turn (wordfreq's language matching, ftfy's character widths)."""
    versions = {"python": ".".join(map(str, sys.version_info[:3])),
                "unicode": unicodedata.unidata_version}
    waiting = list(OUTPUT_LIBRARIES)
    while waiting:
        name = waiting.pop()
        if name in versions:
            continue
        try:
            versions[name] = importlib.metadata.version(name)
            required = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            versions[name], required = None, []
        waiting += [re.match(r"[A-Za-z0-9._-]+", r)[0] for r in required if "extra ==" not in r]
    return dict(sorted(versions.items()))
