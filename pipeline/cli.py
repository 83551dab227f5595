"""`pipeline run|verify|explain|validate`: the command line, and the only place that writes files.

Errors are one line each, naming the file and what is wrong; a bad file never stops the others, and
the exit status says whether any failed. Outputs are written to a temporary file and renamed, so an
interrupted run leaves the old output or none, never half of one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from pipeline import __version__, decisions, process, schema, source, tei
from pipeline.model import InputError
from pipeline.stages import NAMES
from pipeline.xmlsafe import parse

RAW_SUFFIXES = (".txt", ".md", ".markdown")
_UMASK = os.umask(0)
os.umask(_UMASK)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pipeline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="clean raw dumps into TEI (or stop after a stage)")
    run.add_argument("paths", nargs="+", type=Path, help="raw dump files or folders of them")
    run.add_argument("--out", type=Path, default=Path("clean"), help="output folder")
    run.add_argument("--stage", choices=NAMES,
                     help="stop after this stage; write its text (.md) and change log (.jsonl)")
    run.add_argument("--decisions", type=Path, default=Path("review"), metavar="DIR",
                     help="reviewers' decisions, DIR/<name>.decisions.json (default: review)")

    check = commands.add_parser("verify", help="prove a TEI file loses nothing of its raw dump")
    check.add_argument("raw", type=Path)
    check.add_argument("tei", type=Path)
    check.add_argument("--decisions", type=Path, default=Path("review"), metavar="DIR",
                       help="the decisions the TEI was written with (default: review)")

    explain = commands.add_parser("explain", help="list the changes recorded in a TEI file")
    explain.add_argument("tei", type=Path)

    validate = commands.add_parser("validate", help="validate TEI files against TEI P5 tei_all")
    validate.add_argument("tei", nargs="+", type=Path)

    args = parser.parse_args(argv)
    try:
        return {"run": _run, "verify": _verify, "explain": _explain,
                "validate": _validate}[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (`| head`) went away: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _fail(message: str) -> None:
    print(f"pipeline: error: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"pipeline: warning: {message}", file=sys.stderr)


def _inputs(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in RAW_SUFFIXES and p.is_file())
            if not found:
                yield path, InputError(str(path), "holds no raw dumps (*.txt, *.md)")
            for file in found:
                yield file, None
        else:
            yield path, None


def _run(args) -> int:
    failed = 0
    for path, problem in _inputs(args.paths):
        try:
            if problem:
                raise problem
            decisions_file = decisions.path_for(args.decisions, path)
            result = process.repair(source.read(path), until=args.stage,
                                    decisions=decisions.load(decisions_file))
            for decision, reason in result.stale:
                _warn(f"{decisions_file}: {decision.change_id}: stale, not applied: {reason}")
            stem = path.name.rsplit(".", 1)[0]
            if args.stage:
                _write(args.out / f"{stem}.md", result.text.encode("utf-8"))
                log = "".join(json.dumps(c.as_record(), ensure_ascii=False) + "\n"
                              for c in result.changes if c.stage == args.stage)
                _write(args.out / f"{stem}.changes.jsonl", log.encode("utf-8"))
            else:
                target = args.out / f"{stem}.tei.xml"
                _write(target, tei.write(result, target))
        except InputError as error:
            _fail(str(error))
            failed += 1
        except OSError as error:
            _fail(f"{error.filename or path}: cannot write output ({error.strerror})")
            failed += 1
        except Exception as error:  # a bug must not stop the batch, nor print a traceback
            _fail(f"{path}: internal error ({type(error).__name__}: {error}); "
                  "please report it with this file")
            failed += 1
    return 1 if failed else 0


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes it private; outputs are not
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _load(path: Path):
    try:
        return parse(path.read_bytes()).getroot()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from None
    except Exception as error:
        raise InputError(str(path), f"is not well-formed XML ({error})") from None


def _verify(args) -> int:
    from pipeline.verify import verify

    try:
        _load(args.tei)
        checks = verify(args.raw, args.tei,
                        decisions.load(decisions.path_for(args.decisions, args.raw)))
    except InputError as error:
        _fail(str(error))
        return 1
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    return 0 if all(check.ok for check in checks) else 1


def _explain(args) -> int:
    try:
        document = _load(args.tei)
    except InputError as error:
        _fail(str(error))
        return 1
    ns = {"t": tei.TEI_NS}
    for note in document.iterfind(".//t:standOff//t:note", ns):
        where = note.findtext("t:label", namespaces=ns) or ""
        reason = note.findtext("t:p", namespaces=ns) or "".join(note.itertext())
        if note.get("type") == "provenance":
            before = "".join(note.find("t:choice/t:orig", ns).itertext())
            after = "".join(note.find("t:choice/t:reg", ns).itertext())
            print(f"{note.get('{http://www.w3.org/XML/1998/namespace}id')}  "
                  f"{note.get('subtype')}/{note.get('n')}  {where}\n"
                  f"    {before!r} → {after!r}\n    {reason}")
        else:
            print(f"{note.get('{http://www.w3.org/XML/1998/namespace}id')}  doubt "
                  f"{note.get('subtype')}/{note.get('n')}\n    {reason}")
    return 0


def _validate(args) -> int:
    invalid = 0
    for path in args.tei:
        try:
            problems = schema.errors(path.read_bytes())
        except OSError as error:
            _fail(f"{path}: cannot be read ({error.strerror})")
            invalid += 1
            continue
        except Exception as error:
            _fail(f"{path}: is not well-formed XML ({error})")
            invalid += 1
            continue
        for problem in problems:
            _fail(f"{path}: {problem}")
        print(f"{'valid  ' if not problems else 'INVALID'} {path}")
        invalid += bool(problems)
    return 1 if invalid else 0
