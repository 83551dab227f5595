"""`pipeline run|verify|explain|validate|diff|review|deposit`: the command line.

Stages and the TEI writer never touch files; this module reads the dumps and writes the outputs
(the deposit module writes its bag itself, building it aside and renaming it at the end).

Errors are one line each, naming the file and what is wrong; a bad file never stops the others, and
the exit status says whether any failed. Outputs are written to a temporary file and renamed, so an
interrupted run leaves the old output or none, never half of one. `run` hands the dumps to an
engine (`pipeline.engines`: this process, a process pool or a Dask cluster), which runs
`pipeline.batch.process_file` on each; this module only reports what comes back.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

from pipeline import (__version__, batch, built, config, decisions, engines, inputs, output,
                      process, progress, report, schema, source, tei)
from pipeline.extract import command as extract_command
from pipeline.model import InputError
from pipeline.stages import NAMES, directory
from pipeline.xmlsafe import parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pipeline", description="Clean raw text dumps into TEI P5 with a provenance note "
                                     "for every change.")
    parser.add_argument("--version", action="version", version=f"pipeline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="clean raw dumps into TEI (or stop after a stage)")
    run.add_argument("paths", nargs="+", type=Path, help="raw dump files or folders of them")
    run.add_argument("--out", type=Path, metavar="DIR",
                     help="output folder (default: clean, or build/NN-stage with --stage)")
    run.add_argument("--stage", choices=NAMES,
                     help="stop after this stage; write its text (.md) and change log (.jsonl)")
    run.add_argument("--stage-dir", type=Path, metavar="DIR",
                     help="with the TEI, write every stage's text and change log into "
                          "DIR/NN-stage/, and the repair as data into DIR/results/ (which diff "
                          "and review read from build/ instead of running the stages again)")
    run.add_argument("--decisions", type=Path, default=Path("review"), metavar="DIR",
                     help="reviewers' decisions, DIR/<name>.decisions.json (default: review)")
    run.add_argument("-j", "--jobs", type=_positive, default=_cores(), metavar="N",
                     help=f"dumps cleaned at once, in worker processes (default: all cores, "
                          f"{_cores()} here)")
    run.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local: this machine (-j); dask: the Dask cluster at --scheduler")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --engine dask)")
    run.add_argument("--force", action="store_true",
                     help="clean every dump again, even those whose TEI is up to date")
    run.add_argument("--report", type=Path, metavar="FILE",
                     help="where to write the run report (default: run-report.json in the "
                          "output folder)")
    _input_kind_option(run)

    extract_command.add_parser(commands)

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
    deposit.add_argument("--no-review", action="store_true",
                         help="leave the HTML review pages out of the bag (the decisions and "
                              "provenance stay in; require_review then asks for decisions only)")

    review = commands.add_parser("review", help="write HTML review pages: raw and repaired "
                                 "text side by side, every change, decisions to export")
    review.add_argument("paths", nargs="+", type=Path, help="raw dump files or folders of them")
    review.add_argument("--out", type=Path, default=Path("build/review"),
                        help="output folder: <name>.html per dump and index.html "
                             "(default: build/review)")
    review.add_argument("--decisions", type=Path, default=Path("review"), metavar="DIR",
                        help="reviewers' decisions, DIR/<name>.decisions.json (default: review)")
    _input_kind_option(review)

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
    _input_kind_option(changes)

    args = parser.parse_args(argv)
    if args.command == "run" and (args.engine == "dask") != bool(args.scheduler):
        parser.error("--scheduler goes with --engine dask, and --engine dask needs it")
    if args.command == "run" and args.stage and args.stage_dir:
        parser.error("--stage-dir writes every stage with the TEI; --stage stops after one")
    if hasattr(args, "input_kind"):
        try:
            args.kind = _kind(args)
        except InputError as error:
            _fail(str(error))
            return 1
    try:
        return {"run": _run, "diff": _diff, "verify": _verify, "explain": _explain,
                "validate": _validate, "review": _review, "deposit": _deposit,
                "extract": extract_command.run}[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (`| head`) went away: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _fail(message: str) -> None:
    print(f"pipeline: error: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"pipeline: warning: {message}", file=sys.stderr)


def _each_dump(paths: list[Path], decisions_dir: Path, work, kind: str | None) -> list:
    """Repair each dump (honouring its decisions) and hand it to `work(path, result)`.

    A dump that fails gets one line on stderr and the batch goes on; the failure messages are
    returned so the caller can report them (and set the exit status).
    """
    failures = []
    for path, problem in inputs.find(paths):
        try:
            if problem:
                raise problem
            decisions_file = decisions.path_for(decisions_dir, path)
            # What `make` (`run --stage-dir build`) left, when it still holds: not run again.
            result = built.load(Path("build"), path, decisions_dir, kind) or process.repair(
                source.read(path), decisions=decisions.load(decisions_file), kind=kind)
            for decision, reason in result.stale:
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
    began = time.perf_counter()
    # A stage's text is not TEI: it never lands in clean/ unless asked to.
    out = args.out or (Path("build") / directory(args.stage) if args.stage else Path("clean"))
    report_file = args.report or out / report.FILENAME
    options = batch.Options(out, args.decisions, args.stage, args.kind, resume=not args.force,
                            stage_dir=args.stage_dir)
    for message in inputs.passed_over(args.paths):
        _warn(message)
    tasks, refused = batch.plan(args.paths, options)
    try:
        if tasks:
            output.check_writable(out)
    except InputError as error:
        _fail(str(error))
        return 1
    batch.remove_leftovers(tasks)
    shown = progress.Progress(len(tasks) + len(refused), sum(task.size for task in tasks))
    outcomes = []
    try:
        running = engines.dask(tasks, args.scheduler) if args.engine == "dask" \
            else engines.local(tasks, args.jobs)
        for outcome in itertools.chain(refused, running):
            outcomes.append(outcome)
            if outcome.status == "failed":
                shown.say(f"pipeline: error: {outcome.message}")
            for warning in outcome.warnings:
                shown.say(f"pipeline: warning: {warning}")
            shown.advance(outcome)
    except InputError as error:  # the cluster cannot be reached
        shown.say(f"pipeline: error: {error}")
        return 1
    except KeyboardInterrupt:
        shown.close()
        written = sum(o.status == "written" for o in outcomes)
        print(f"pipeline: interrupted: {written} of {len(tasks)} written, "
              f"{sum(o.status == 'skipped' for o in outcomes)} up to date; every output is whole "
              "or absent: run the same command again to do the rest", file=sys.stderr)
        return 130
    finally:
        shown.close()
    done = report.build(outcomes, args.engine, args.jobs if args.engine == "local" else None,
                        time.perf_counter() - began)
    try:
        report.write(done, report_file)
    except OSError as error:
        _fail(f"{error.filename or report_file}: cannot write the run report ({error.strerror})")
        return 1
    if len(outcomes) > 1:  # one dump says all there is in its error, if any
        print(f"{report.summary(done)}; report: {report_file}")
    return 1 if done["files"]["failed"] else 0


def _input_kind_option(command) -> None:
    command.add_argument("--input-kind", choices=config.CHOICES,
                         help="how to read the dumps: markdown, plain (text from pdftotext or "
                              "OCR) or auto (each dump's kind read from its text); default: "
                              "[tool.pipeline] input_kind in ./pyproject.toml, else auto")


def _kind(args) -> str | None:
    """The input kind to force: the option's, else the collection's (None: read each dump's)."""
    if args.input_kind is not None:
        return None if args.input_kind == "auto" else args.input_kind
    return config.input_kind()


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _cores() -> int:
    # The cores this process may use (a container, `taskset`, a batch system's allocation), not
    # all the machine has.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _load(path: Path):
    try:
        return parse(path.read_bytes()).getroot()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from None
    except Exception as error:
        raise InputError(str(path), f"is not well-formed XML ({error})") from None


def _is_xml(path: Path) -> bool:
    try:
        _load(path)
        return True
    except InputError:
        return False


def _verify(args) -> int:
    from pipeline.verify import verify

    try:
        try:
            _load(args.tei)
        except InputError:
            if _is_xml(args.raw):
                raise InputError(str(args.tei), f"is not XML, but {args.raw} is: the raw dump "
                                 "comes first, then its TEI (`pipeline verify "
                                 f"{args.tei} {args.raw}`)") from None
            raise
        checks = verify(args.raw, args.tei,
                        decisions.load(decisions.path_for(args.decisions, args.raw)))
    except InputError as error:
        _fail(str(error))
        return 1
    except Exception as error:  # a bug must not print a traceback
        _fail(f"{args.raw}: internal error ({type(error).__name__}: {error}); please report it "
              "with this file")
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
    from pipeline.verify import edit, records

    ns = {"t": tei.TEI_NS}
    xml_id = f"{{{tei.XML_NS}}}id"
    reviewers = {"#" + statement.get(xml_id): statement.findtext("t:name", namespaces=ns)
                 for statement in document.iterfind(".//t:respStmt", ns) if statement.get(xml_id)}
    for record in records(document):
        where = record.findtext("t:label", namespaces=ns) or ""
        reason = record.findtext("t:p", namespaces=ns) or ""
        try:
            before, after = edit(record)
        except (ValueError, TypeError):
            _fail(f"{args.tei}: line {record.sourceline}: a change record without "
                  "<choice> of two readings: not this pipeline's TEI, or damaged")
            return 1
        verdict, decided = _decision(record.find("t:seg[@type='decision']", ns), reviewers)
        print(f"{record.get(xml_id)}  {record.get('n')}/{record.get('subtype')}  {where}"
              f"{'  ' + verdict if verdict else ''}\n"
              f"    {before!r} → {after!r}\n    {reason} ({record.get('type')}, certainty "
              f"{record.get('cert')}){decided}")
    for note in document.iterfind(".//t:notesStmt/t:note", ns):
        text = "".join(note.itertext())
        if note.get("type") == "stale-decision":
            print(f"stale decision {note.get('n')} by {reviewers.get(note.get('resp'), '?')}\n"
                  f"    {text}")
        elif note.get("type") == "doubt":
            print(f"{note.get(xml_id)}  doubt {note.get('subtype')}/{note.get('n')}\n    {text}")
        else:
            print(f"{note.get('type')}\n    {text}")
    return 0


def _decision(seg, reviewers: dict[str, str]) -> tuple[str, str]:
    """A change record's decision as the run applied it: the verdict for its first line, and a
    line with the verdict, reviewer, date and comment ("" and "" when undecided)."""
    if seg is None:
        return "", ""
    verdict = seg.get("subtype")
    reviewer = reviewers.get(seg.get("resp"), "?")
    when = seg.find(f"{{{tei.TEI_NS}}}date")
    # the seg reads "<date>: rejected, not applied by NAME: COMMENT"; the comment is what follows
    comment = "".join(seg.itertext()).partition(f" by {reviewer}")[2].removeprefix(": ")
    return (f"{verdict}{', not applied' if verdict == 'rejected' else ''}",
            f"\n    {verdict} by {reviewer} on {when.get('when') if when is not None else '?'}"
            + (f": {comment}" if comment else ""))


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
        inputs = deposit.Inputs(args.raw, args.clean, args.decisions,
                                None if args.no_review else args.review_html)
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
        output.write(target, review.page(result, target))
        summaries.append(review.summary(result))

    failures = _each_dump(args.paths, args.decisions, work, args.kind)
    try:
        output.write(args.out / "index.html", review.index(summaries, failures))
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
                output.write(args.out / stem / name, text.encode("utf-8"))
        else:
            sys.stdout.write(diff.show(result, stem, args.words, args.stage, colour))
            sys.stdout.flush()

    return 1 if _each_dump(args.paths, args.decisions, work, args.kind) else 0
