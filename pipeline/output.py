"""Where outputs go and how they are written: inside the output folder, whole or not at all.

Every output is written to a temporary file beside its target and renamed over it, so a run that
is interrupted (even by SIGKILL) leaves the old output or none, never half of one. What such a run
can leave is its temporary file, `.<name>.<random>.part`; the next run that writes the same target
removes it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from pipeline.model import InputError

_UMASK = os.umask(0)
os.umask(_UMASK)
_PART = ".part"
# mkstemp's random part: 8 characters of [a-z0-9_].
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}" + re.escape(_PART))


def write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=_PART)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes it private; outputs are not
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused unless it names a file directly in `folder`.

    Output names come from input file names, which a batch does not choose: whatever they hold,
    nothing is written outside the output folder.

    >>> inside(Path("clean"), "x.tei.xml")
    PosixPath('clean/x.tei.xml')
    >>> inside(Path("clean"), "../x.tei.xml")
    Traceback (most recent call last):
    pipeline.model.InputError: clean/../x.tei.xml: would be written outside clean; rename the dump
    """
    target = folder / name
    if name in ("", ".", "..") or os.sep in name or (os.altsep and os.altsep in name) \
            or target.resolve().parent != folder.resolve():
        raise InputError(str(target), f"would be written outside {folder}; rename the dump")
    return target


def remove_leftovers(folder: Path, names: set[str]) -> None:
    """Delete the temporary files that a killed run left for these targets (and only those: a
    concurrent run writing other targets into the same folder keeps its own)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no folder yet, or unreadable: writing will say so
        return
    for entry in entries:
        found = _LEFTOVER.fullmatch(entry.name)
        if found and found["name"] in names:
            Path(entry.path).unlink(missing_ok=True)


def check_writable(folder: Path) -> None:
    """Fail once, before any work, when the output folder cannot be written, instead of once per
    dump."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:  # named by the folder: the probe's own file name means nothing
        why = "it is a file" if folder.is_file() else error.strerror or error
        raise InputError(str(folder), f"cannot write output ({why})") from None
