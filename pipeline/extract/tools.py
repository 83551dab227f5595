"""The programs extraction runs (poppler's pdftotext, pdfinfo, pdftohtml and pdftoppm;
tesseract), each with its version for the TEI's appInfo, and one clear line when one is missing or
fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache

from pipeline.model import InputError

# The Debian package that brings each program, for the message when it is missing.
PACKAGES = {"pdftotext": "poppler-utils", "pdfinfo": "poppler-utils", "pdftoppm": "poppler-utils",
            "pdftohtml": "poppler-utils", "tesseract": "tesseract-ocr"}
# Tesseract's threads split a page's work in an order that can change its result; one thread
# gives the same text for the same bytes every time.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C"}


def run(path: str, program: str, *args: str, what: str) -> subprocess.CompletedProcess:
    """Run `program`; a failure is an `InputError` on `path` saying `what` could not be done."""
    if shutil.which(program) is None:
        raise InputError(path, f"needs {program} to {what}; install Debian's "
                               f"{PACKAGES[program]} (apt-get install {PACKAGES[program]})")
    done = subprocess.run([program, *args], capture_output=True, env=_ENV, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(path, f"cannot {what}: {program} failed "
                               f"({message[-1] if message else f'exit status {done.returncode}'})")
    return done


@cache
def version(program: str) -> str:
    """`5.3.0` from `tesseract 5.3.0`, `22.12.0` from `pdftotext version 22.12.0`."""
    done = subprocess.run([program, "-v" if program.startswith("pdf") else "--version"],
                          capture_output=True, env=_ENV, check=False)
    match = re.search(rb"(\d+(?:\.\d+){0,2})", done.stdout + done.stderr)
    return match.group(1).decode() if match else "unknown"


@cache
def tesseract_languages() -> frozenset[str]:
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, env=_ENV,
                          check=False)
    return frozenset(done.stdout.decode().split()[1:] if done.returncode == 0 else ())
