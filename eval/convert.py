"""The two conversions the scorer compares: our pipeline, and pandoc on the same dump unrepaired.

pandoc reads every dump, a converter's `.md` or a plain `.txt`, as CommonMark: blank lines separate
paragraphs, markdown syntax is honoured, and nothing is joined, split or dropped. Not pandoc's own
markdown: its extensions misread OCR text (a stray `[1` opens a span that swallows pages of it),
which would make the baseline look worse than the dump is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TIMEOUT = 600  # seconds for one dump; the largest here takes a few
PIPELINE = Path(sys.executable).with_name("pipeline")


class ConversionError(Exception):
    """A dump a converter failed on; the message names the dump and quotes the converter."""


def run_pipeline(dump: Path, out_dir: Path, models: Path | None = None) -> Path:
    """`pipeline run DUMP --out OUT_DIR`; the TEI it wrote. With `models`, the pipeline reads
    its decision models from that folder (PIPELINE_MODELS) instead of those it ships."""
    tei = out_dir / f"{dump.stem}.tei.xml"
    tei.unlink(missing_ok=True)  # a failed run must not leave an older TEI to be scored
    # Run from the output folder: what the pipeline writes relative to its working directory
    # (a run report in build/) then stays with the evaluation instead of the project's build/.
    env = {**os.environ, "PIPELINE_MODELS": str(models.resolve())} if models else None
    _run([str(PIPELINE), "run", str(dump.resolve()), "--out", str(out_dir.resolve())], dump,
         cwd=out_dir, env=env)
    if not tei.exists():
        raise ConversionError(f"{dump}: pipeline exited 0 but wrote no {tei}")
    return tei


def run_pandoc(dump: Path, out_dir: Path) -> Path:
    """`pandoc -f commonmark -t html DUMP`; the HTML it wrote."""
    html = out_dir / f"{dump.stem}.html"
    _run(["pandoc", "-f", "commonmark", "-t", "html", "--wrap=none", str(dump), "-o", str(html)],
         dump)
    return html


def _run(command: list[str], dump: Path, cwd: Path | None = None,
         env: dict | None = None) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd,
                              env=env)
    except FileNotFoundError:
        raise ConversionError(f"{command[0]} is not installed (`make eval` installs it)") from None
    except subprocess.TimeoutExpired:
        raise ConversionError(f"{dump}: {Path(command[0]).name} took more than {TIMEOUT} s") \
            from None
    if done.returncode != 0:
        message = " ".join(done.stderr.strip().splitlines()[-3:]) or "no message"
        name = Path(command[0]).name
        raise ConversionError(f"{dump}: {name} exited {done.returncode}: {message}")
