"""Which files a command was given: the dumps named, and those in the folders named.

A dump is refused here, with one line saying why, when it cannot be part of the collection as it
stands: a folder named like a dump (`x.txt/`), or a symbolic link that leads out of the folder it
sits in. The TEI points at the raw file by a path relative to it and the deposit copies `raw/`, so
a link to a file elsewhere would make the collection depend on a file it does not hold (and a
batch could be made to read any file the user can).

In a folder, only dumps (`*.txt`, `*.md`, `*.markdown`) and files of pages (`pipeline.extract`:
PDF, scans, ALTO, hOCR, PAGE XML, told by their content) are cleaned; anything else in it is passed
over with one line saying so (`passed_over`), except hidden files (`.gitkeep`, `.DS_Store`), which
are nobody's documents.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.model import InputError
from pipeline.source import RAW_SUFFIXES, is_raw


def find(paths: list[Path]) -> list[tuple[Path, InputError | None]]:
    """Each dump with the reason it is refused (None when it is not), in the order given, each
    folder's dumps sorted by name."""
    found = []
    for path in paths:
        if path.is_dir() and path.suffix not in RAW_SUFFIXES:
            dumps = sorted(p for p in path.iterdir() if is_raw(p))
            if not dumps:
                found.append((path, InputError(str(path), "holds no raw dumps (*.txt, *.md) "
                                                          "nor pages (PDF, scans, ALTO, hOCR, "
                                                          "PAGE)")))
            found.extend((dump, _refusal(dump, path)) for dump in dumps)
        else:
            found.append((path, _refusal(path, path.parent)))
    return found


def _refusal(path: Path, folder: Path) -> InputError | None:
    if path.is_dir():
        return InputError(str(path), "is a directory, not a dump")
    if path.exists() and not path.is_file():  # reading a FIFO would wait forever
        return InputError(str(path), "is not a regular file (a FIFO, socket or device)")
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()):
            return InputError(str(path), f"is a symbolic link to {target}, outside {folder}; "
                                         "copy the file into the folder instead")
    return None


def passed_over(paths: list[Path]) -> list[str]:
    """One line for each thing in the folders named that is not cleaned, and why: a PDF or a
    word-processor file dropped among the dumps must not vanish without a word."""
    lines = []
    for path in paths:
        if not path.is_dir() or path.suffix in RAW_SUFFIXES:
            continue
        for entry in sorted(path.iterdir()):
            if entry.name.startswith(".") or entry.suffix in RAW_SUFFIXES or is_raw(entry):
                continue
            if entry.is_dir():
                lines.append(f"{entry}: skipped: a folder (only the dumps directly in {path} "
                             "are cleaned)")
            else:
                lines.append(f"{entry}: skipped: not a text dump (*.txt, *.md) nor pages "
                             "(PDF, scans, ALTO, hOCR, PAGE XML); extract its text into a dump "
                             "first (pandoc -t plain for a word-processor file)")
    return lines
