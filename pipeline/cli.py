"""`pipeline run|verify|explain|validate|diff|review|deposit`: the command line.

Stages and the TEI writer never touch files; this module reads the dumps and writes the outputs
(the deposit module writes its bag itself, building it aside and renaming it at the end).

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

_UMASK = os.umask(0)
os.umask(_UMASK)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pipeline", description="Clean raw text dumps into TEI P5 with a provenance note "
                                     "for every change.")
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

    deposit = commands.add_parser("deposit", help="package the collection as a BagIt bag, "
                                  "refused unless every TEI is valid and verifies")
    target = deposit.add_mutually_exclusive_group()
    target.add_argument("--out", type=Path, metavar="BAGDIR",
                        help="the bag to write (default: build/deposit/<bag_name>)")
    target.add_argument("--verify", type=Path, metavar="BAG",
                        help="re-check a bag (fixity, TEI, verify) instead of writing one")
    deposit.add_argument("--config", type=Path, metavar="TOML",
                         help="collection config (default: pyproject.toml [tool.pipeline.deposit])")
    deposit.add_argument("--tar", action="store_true", help="also write BAGDIR.tar and .sha256")
    for option, default, what in (("--raw", "raw", "the raw dumps"),
                                  ("--clean", "clean", "their TEI"),
                                  ("--decisions", "review", "reviewers' decisions"),
                                  ("--review-html", "build/review", "HTML review reports")):
        deposit.add_argument(option, type=Path, default=Path(default), metavar="DIR",
                             help=f"{what} (default: {default})")

    review = commands.add_parser("review", help="write HTML review pages: raw and repaired "
                                 "text side by side, every change, decisions to export")
    review.add_argument("paths", nargs="+", type=Path, help="raw dump files or folders of them")
    review.add_argument("--out", type=Path, default=Path("build/review"),
                        help="output folder: <name>.html per dump and index.html "
                             "(default: build/review)")
    review.add_argument("--decisions", type=Path, default=Path("review"), metavar="DIR",
                        help="reviewers' decisions, DIR/<name>.decisions.json (default: review)")

    changes = commands.add_parser("diff", help="show what the repair did: raw → repaired text, "
                                  "and each stage against the one before, hunks named by change id")
    changes.add_argument("paths", nargs="+", type=Path, help="raw dump files or folders of them")
    changes.add_argument("--out", type=Path, metavar="DIR",
                         help="write DIR/<name>/*.diff and *.wdiff (plain) instead of printing")
    changes.add_argument("--words", action="store_true",
                         help="print word-level diffs ([-old-]{+new+}), not line diffs")
    changes.add_argument("--stage", choices=NAMES,
                         help="print only this stage's diff against the text before it")
    changes.add_argument("--color", "--colour", choices=("auto", "always", "never"), default="auto",
                         help="colour the printed diff (auto: on a terminal, unless NO_COLOR "
                              "is set)")
    changes.add_argument("--decisions", type=Path, default=Path("review"), metavar="DIR",
                         help="reviewers' decisions, DIR/<name>.decisions.json (default: review)")

    args = parser.parse_args(argv)
    try:
        return {"run": _run, "diff": _diff, "verify": _verify, "explain": _explain,
                "validate": _validate, "review": _review, "deposit": _deposit}[args.command](args)
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
            found = sorted(p for p in path.iterdir() if p.suffix in source.RAW_SUFFIXES and p.is_file())
            if not found:
                yield path, InputError(str(path), "holds no raw dumps (*.txt, *.md)")
            for file in found:
                yield file, None
        else:
            yield path, None


def _each_dump(paths: list[Path], decisions_dir: Path, work, until: str | None = None) -> list:
    """Repair each dump (honouring its decisions) and hand it to `work(path, result)`.

    A dump that fails gets one line on stderr and the batch goes on; the failure messages are
    returned so the caller can report them (and set the exit status).
    """
    failures = []
    for path, problem in _inputs(paths):
        try:
            if problem:
                raise problem
            decisions_file = decisions.path_for(decisions_dir, path)
            result = process.repair(source.read(path), until=until,
                                    decisions=decisions.load(decisions_file))
            for decision, reason in result.stale if until is None else ():
                # Stage runs (`--stage`) would repeat the warning once per make target.
                _warn(f"{decisions_file}: {decision.change_id}: stale, not applied: {reason}")
            work(path, result)
            continue
        except InputError as error:
            message = str(error)
        except BrokenPipeError:
            raise
        except OSError as error:
            message = f"{error.filename or path}: cannot write output ({error.strerror})"
        except Exception as error:  # a bug must not stop the batch, nor print a traceback
            message = (f"{path}: internal error ({type(error).__name__}: {error}); "
                       "please report it with this file")
        _fail(message)
        failures.append(message)
    return failures


def _run(args) -> int:
    def work(path: Path, result) -> None:
        stem = source.stem(path)
        if args.stage:
            _write(args.out / f"{stem}.md", result.text.encode("utf-8"))
            log = "".join(json.dumps(c.as_record(), ensure_ascii=False) + "\n"
                          for c in result.changes if c.stage == args.stage)
            _write(args.out / f"{stem}.changes.jsonl", log.encode("utf-8"))
        else:
            target = args.out / f"{stem}.tei.xml"
            _write(target, tei.write(result, target))

    return 1 if _each_dump(args.paths, args.decisions, work, until=args.stage) else 0


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


def _deposit(args) -> int:
    from pipeline import deposit

    if args.verify:
        checks = deposit.check(args.verify)
        for check in checks:
            print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        return 0 if all(check.ok for check in checks) else 1
    out = args.out
    try:
        config = deposit.load_config(args.config)
        out = out or deposit.default_out(config)
        inputs = deposit.Inputs(args.raw, args.clean, args.decisions, args.review_html)
        deposit.build(out, inputs, config, tar=args.tar, warn=_warn)
    except InputError as error:
        _fail(str(error))
        return 1
    except deposit.Refused as refused:
        for problem in refused.problems:
            _fail(problem)
        _fail(f"{out}: deposit refused, no bag written")
        return 1
    except (OSError, deposit.bagit.BagError) as error:
        _fail(f"{getattr(error, 'filename', None) or out}: cannot write the bag ({error})")
        return 1
    print(f"bag written: {out}" + (f" (and {out}.tar)" if args.tar else ""))
    return 0


def _review(args) -> int:
    from pipeline import review

    summaries = []

    def work(path: Path, result) -> None:
        target = args.out / review.filename(path)
        _write(target, review.page(result, target))
        summaries.append(review.summary(result))

    failures = _each_dump(args.paths, args.decisions, work)
    try:
        _write(args.out / "index.html", review.index(summaries, failures))
    except OSError as error:
        _fail(f"{error.filename or args.out}: cannot write output ({error.strerror})")
        return 1
    return 1 if failures else 0


def _diff(args) -> int:
    from pipeline import diff

    colour = diff.colour_wanted(args.color, sys.stdout)

    def work(path: Path, result) -> None:
        stem = source.stem(path)
        if args.out:
            for name, text in diff.files(result, stem).items():
                _write(args.out / stem / name, text.encode("utf-8"))
        else:
            sys.stdout.write(diff.show(result, stem, args.words, args.stage, colour))
            sys.stdout.flush()

    return 1 if _each_dump(args.paths, args.decisions, work) else 0
