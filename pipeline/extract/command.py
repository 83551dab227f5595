"""`pipeline extract`: the first stage on its own, for make and for a reader of the geometry.

It writes `<out>/<name>.txt`, the text layer as the stages read it, and
`<out>/<name>.geometry.jsonl`, the geometry record: a document line (format, the original's and
the text layer's SHA-256, the tools), then each page and its lines, each line with its offsets in
the text layer. A text dump has no pages: its text is the decoded dump, its record the document
line alone.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from pipeline import inputs, output, source
from pipeline.model import InputError


def add_parser(commands) -> None:
    extract = commands.add_parser("extract", help="write the text layer and geometry record of "
                                                  "raw files (PDF, scans, ALTO, hOCR, PAGE)")
    extract.add_argument("paths", nargs="+", type=Path, help="raw files or folders of them")
    extract.add_argument("--out", type=Path, default=Path("build/00-extract"),
                         help="output folder (default: build/00-extract)")


def run(args) -> int:
    failed = 0
    for path, problem in inputs.find(args.paths):
        try:
            if problem:
                raise problem
            src = source.read(path)
            stem = source.stem(path)
            output.write(args.out / f"{stem}.geometry.jsonl", geometry(src).encode("utf-8"))
            output.write(args.out / f"{stem}.txt", src.text.encode("utf-8"))
        except InputError as error:
            print(f"pipeline: error: {error}", file=sys.stderr)
            failed += 1
        except OSError as error:
            print(f"pipeline: error: {error.filename or path}: cannot write output "
                  f"({error.strerror})", file=sys.stderr)
            failed += 1
        except Exception as error:  # a bug must not stop the others, nor print a traceback
            print(f"pipeline: error: {path}: internal error ({type(error).__name__}: {error}); "
                  "please report it with this file", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def geometry(src: source.Source) -> str:
    if src.original is not None:
        return src.original.geometry()
    return json.dumps({"type": "document", "format": "text", "sha256": src.sha256,
                       "size": src.size, "text_sha256": hashlib.sha256(
                           src.text.encode("utf-8")).hexdigest(), "tools": []},
                      sort_keys=True) + "\n"
