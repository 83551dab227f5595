"""Batches: a process pool or a Dask cluster, resuming, the run report, and the inputs a batch of
thousands of files will meet sooner or later (folders named like dumps, links out of the folder,
unreadable files, an unwritable output folder, a run killed half-way, hostile file names)."""

from __future__ import annotations

import io
import json
import os
import signal
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import (batch, built, decisions, engines, output, process, progress, resume, source,
                      tei)
from pipeline.cli import main
from pipeline.xmlsafe import parse

PROJECT = Path(__file__).resolve().parent.parent
GOOD = "# Title of the piece\n\nA sentence that was cut\n\nin two by a page break.\n"


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    # The defaults (review/, build/run-report.json) are relative: not the project's own.
    monkeypatch.chdir(tmp_path)


def _corpus(folder: Path, count: int, paragraphs: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "".join(f"Sentence {k} of dump {i} was cut\n\nin two by a page break.\n\n"
                       for k in range(paragraphs))
        (folder / f"d{i:03d}.md").write_text(f"# Dump {i}\n\n{body}", encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    """The outputs in `folder`, without the run report (its times differ from run to run)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "run-report.json"}


def _report(path: Path = Path("clean/run-report.json")) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_pool_writes_what_one_process_writes_and_reports_the_corpus(tmp_path, capsys):
    raw = _corpus(tmp_path / "raw", 6)
    (raw / "zz-empty.txt").write_bytes(b"")
    assert main(["run", str(raw), "--out", "one", "-j1", "--report", "one.json"]) == 1
    assert main(["run", str(raw), "--out", "two", "-j2"]) == 1
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert len(list((tmp_path / "two").glob("*.tei.xml"))) == 6
    captured = capsys.readouterr()
    assert captured.err.count("zz-empty.txt: is empty") == 2 and "Traceback" not in captured.err
    assert captured.out.splitlines()[-1].startswith("7 files: 6 written, 0 up to date, 1 failed")
    report = _report(tmp_path / "two" / "run-report.json")
    assert report["files"] == {"total": 7, "written": 6, "up_to_date": 0, "failed": 1}
    assert report["jobs"] == 2 and report["engine"] == "local"
    assert report["changes_per_rule"]["breaks/join_midsentence_break"] == 6
    assert report["failures"] == [{"file": str(raw / "zz-empty.txt"),
                                   "message": f"{raw / 'zz-empty.txt'}: is empty: there is "
                                              "nothing to clean"}]
    assert len(report["slowest"]) == 6 and len(report["documents"]) == 7


def test_resume_skips_what_has_not_changed_and_redoes_what_has(tmp_path, monkeypatch):
    raw = _corpus(tmp_path / "raw", 4)
    out = tmp_path / "clean"
    run = ["run", str(raw), "--out", str(out), "-j1"]
    assert main(run) == 0
    first, counted = _tree(out), _report()["changes_per_rule"]
    assert main(run) == 0
    assert _report()["files"]["up_to_date"] == 4
    assert _report()["changes_per_rule"] == counted, "a resumed run reports on the whole corpus"
    assert _tree(out) == first

    (raw / "d000.md").write_text(GOOD, encoding="utf-8")              # the dump changed
    decisions = tmp_path / "review"
    decisions.mkdir()
    (decisions / "d001.decisions.json").write_text(json.dumps({"decisions": {}}))  # decided
    (out / "d002.tei.xml").write_bytes(first["d002.tei.xml"].replace(b"Dump", b"Dumb"))  # edited
    assert main(run) == 0
    report = _report()
    assert report["files"]["written"] == 3 and report["files"]["up_to_date"] == 1
    assert [d["file"] for d in report["documents"] if d["status"] == "skipped"] == \
        [str(raw / "d003.md")]
    assert (out / "d002.tei.xml").read_bytes() == first["d002.tei.xml"]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # dates the revisions: a new TEI
    assert main(run) == 0 and _report()["files"]["written"] == 4
    assert main([*run, "--force"]) == 0 and _report()["files"]["written"] == 4


def test_every_library_the_tei_depends_on_is_in_the_resume_key():
    # In a fresh interpreter: what cleaning a dump imports, and who ships it.
    script = ("import importlib.metadata as m, json, sys\n"
              "before = set(sys.modules)\n"
              "import pipeline.process, pipeline.tei\n"
              "owners = m.packages_distributions()\n"
              "print(json.dumps(sorted({d for n in set(sys.modules) - before if '.' not in n "
              "for d in owners.get(n, [])})))")
    imported = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True,
                                         text=True, check=True, cwd="/").stdout)
    assert set(imported) - {"pipeline"} <= set(resume._runtime())


def test_dask_engine_writes_byte_identical_outputs(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    raw = _corpus(tmp_path / "raw", 5)
    (raw / "broken.txt").write_bytes(b"%PDF-1.4\n")
    assert main(["run", str(raw), "--out", "local/clean", "--stage-dir", "local/build",
                 "-j2"]) == 1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:
        assert main(["run", str(raw), "--out", "dask/clean", "--stage-dir", "dask/build",
                     "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--report", "dask.json"]) == 1
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
    assert len(list((tmp_path / "dask" / "build" / "05-breaks").glob("*.md"))) == 5
    report = _report(tmp_path / "dask.json")
    assert report["engine"] == "dask" and report["files"]["written"] == 5
    assert report["failures"] == [{"file": str(raw / "broken.txt"), "message": (
        f"{raw / 'broken.txt'}: is a damaged PDF: pdfinfo failed (Syntax Error: Couldn't read "
        "xref table)")}]


def test_a_cluster_is_sent_every_path_absolute():
    # A worker's working directory is its own: a relative path would land elsewhere.
    task = engines._absolute(batch.Task(Path("raw/x.md"), 1, batch.Options(
        Path("clean"), Path("review"), stage_dir=Path("build"))))
    assert all(path.is_absolute() for path in (
        task.raw, task.options.out, task.options.decisions, task.options.stage_dir))


def test_dask_engine_without_a_scheduler_is_one_line(tmp_path, capsys):
    _corpus(tmp_path / "raw", 1)
    with pytest.raises(SystemExit):
        main(["run", "raw", "--engine", "dask"])
    assert "--engine dask needs it" in capsys.readouterr().err


def _dies_on_d001(task: batch.Task) -> batch.Outcome:
    if task.raw.name == "d001.md":
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return batch.process_file(task)


def test_a_worker_that_dies_fails_its_dump_alone(tmp_path):
    raw = _corpus(tmp_path / "raw", 6)
    tasks, _ = batch.plan([raw], batch.Options(tmp_path / "clean", tmp_path / "review"))
    outcomes = {Path(o.file).name: o for o in engines.local(tasks, 2, _dies_on_d001)}
    assert sorted(outcomes) == [f"d{i:03d}.md" for i in range(6)]
    # A dump whose worker wrote it just before the pool broke is found up to date when run again.
    assert [name for name, o in outcomes.items() if o.status == "failed"] == ["d001.md"]
    assert all(o.status in ("written", "skipped") for name, o in outcomes.items()
               if name != "d001.md")
    assert "worker process cleaning it died" in outcomes["d001.md"].message


# ---- the bad-input matrix ------------------------------------------------------------------


def test_a_folder_named_like_a_dump_is_refused(tmp_path, capsys):
    raw = _corpus(tmp_path / "raw", 1)
    (raw / "x.txt").mkdir()
    (raw / "x.txt" / "inner.txt").write_text(GOOD)
    assert main(["run", str(raw), "--out", "clean"]) == 1
    assert main(["run", str(raw / "x.txt"), "--out", "clean"]) == 1  # as make names it
    err = capsys.readouterr().err.splitlines()
    assert err == [f"pipeline: error: {raw / 'x.txt'}: is a directory, not a dump"] * 2
    assert sorted(p.name for p in (tmp_path / "clean").glob("*.tei.xml")) == ["d000.tei.xml"]


def test_a_link_out_of_the_input_folder_is_refused(tmp_path, capsys):
    raw = _corpus(tmp_path / "raw", 1)
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(GOOD)
    (raw / "outside.txt").symlink_to(secret)
    (raw / "inside.md").symlink_to(raw / "d000.md")  # within the folder: a dump like any other
    assert main(["run", str(raw), "--out", "clean"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"pipeline: error: {raw / 'outside.txt'}: is a symbolic link to {secret}, outside "
        f"{raw}; copy the file into the folder instead"]
    assert sorted(p.name for p in (tmp_path / "clean").glob("*.tei.xml")) == [
        "d000.tei.xml", "inside.tei.xml"]


def test_an_unreadable_dump_is_one_line(tmp_path, capsys, monkeypatch):
    raw = _corpus(tmp_path / "raw", 2)
    locked = raw / "d001.md"
    locked.chmod(0)
    try:
        locked.read_bytes()
        # root reads it anyway: make it fail as it does for everyone else.
        real = Path.read_bytes

        def denied(path):
            if path == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)
        monkeypatch.setattr(Path, "read_bytes", denied)
    except PermissionError:
        pass
    assert main(["run", str(raw), "--out", "clean", "-j1"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"pipeline: error: {locked}: cannot be read (permission denied)"]
    assert [p.name for p in (tmp_path / "clean").glob("*.tei.xml")] == ["d000.tei.xml"]


def test_an_unwritable_output_folder_is_one_line_not_one_per_dump(tmp_path, capsys, monkeypatch):
    raw = _corpus(tmp_path / "raw", 3)
    out = tmp_path / "clean"
    out.mkdir()
    out.chmod(0o555)
    try:
        (out / "probe").touch()
        # root writes anyway: make it fail as it does for everyone else.
        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(out / "tmpx"))
        monkeypatch.setattr(output.tempfile, "TemporaryFile", denied)
        (out / "probe").unlink()
    except PermissionError:
        pass
    assert main(["run", str(raw), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"pipeline: error: {out}: cannot write output (Permission denied)"]
    assert list(out.iterdir()) == []


def test_a_killed_run_leaves_no_partial_tei_and_the_next_run_completes_it(tmp_path):
    raw = _corpus(tmp_path / "raw", 40, paragraphs=300)
    out = tmp_path / "clean"
    out.mkdir()
    leftover = out / ".d000.tei.xml.abcd1234.part"  # what a kill in mid-write leaves
    leftover.write_bytes(b"<TEI")
    command = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "-j2"]
    run = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(list(out.glob("*.tei.xml"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGKILL)  # the whole group: the workers die with it
    run.wait()
    written = list(out.glob("*.tei.xml"))
    assert 3 <= len(written) < 40, "the kill did not land in mid-batch"
    for path in written:
        parse(path.read_bytes())  # whole, or not there at all
    assert main(["run", str(raw), "--out", str(out)]) == 0
    report = _report()
    assert report["files"]["up_to_date"] >= len(written) - 2  # those whose record was written
    assert report["files"]["written"] + report["files"]["up_to_date"] == 40
    assert not [p.name for p in out.iterdir() if p.name.endswith(".part")]
    assert not [p.name for p in (out / ".resume").iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("name", ["..txt", "...txt", "..md", "a..b.txt", ".x.txt"])
def test_outputs_stay_in_the_output_folder_whatever_the_names(tmp_path, name):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / name).write_text(GOOD)
    # The same dump named relatively (with ..) and absolutely.
    for path in (Path("raw") / ".." / "raw" / name, raw / name):
        assert main(["run", str(path), "--out", "out/clean", "--force"]) == 0
        assert main(["run", str(path), "--out", "out/03-breaks", "--stage", "breaks"]) == 0
    written = {p.relative_to(tmp_path).parts[:2] for p in tmp_path.rglob("*")
               if p.is_file() and "raw" not in p.parts and "build" not in p.parts}
    assert written == {("out", "clean"), ("out", "03-breaks")}


def test_an_output_name_that_leaves_the_folder_is_refused(tmp_path):
    for name in ("..", "../x.tei.xml", "/etc/x.tei.xml", "sub/x.tei.xml", ""):
        with pytest.raises(output.InputError, match="would be written outside"):
            output.inside(tmp_path / "clean", name)


def test_two_dumps_with_one_name_are_not_both_written_to_it(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.md").write_text(GOOD)
    (raw / "x.txt").write_text(GOOD.replace("Title", "Other title"))
    assert main(["run", str(raw), "--out", "clean"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"pipeline: error: {raw / 'x.txt'}: has the same name as {raw / 'x.md'}: both would be "
        "written to clean/x.*; rename one"]
    assert b"Title of the piece" in (tmp_path / "clean" / "x.tei.xml").read_bytes()


def test_progress_off_a_terminal_is_a_plain_line_now_and_then():
    stream = io.StringIO()
    shown = progress.Progress(3, 3_000_000, stream, interval=0)
    for name in ("a", "b"):
        shown.advance(batch.Outcome(name, "written" if name == "a" else "failed", bytes=1_000_000))
    shown.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in stream.getvalue()
    assert lines[1].startswith("pipeline: 2/3 files (1 failed), 2.0/3.0 MB, ")
    assert "MB/s" in lines[1] and lines[1].endswith(" left")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_time_left_is_estimated_from_the_bytes_cleaned_not_the_files(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    stream = _Terminal()
    shown = progress.Progress(4, 20_000_000, stream)
    now[0] = 0.1
    shown.advance(batch.Outcome("a", "skipped", bytes=9_000_000))  # up to date: no time at all
    now[0] = 10.0
    shown.advance(batch.Outcome("b", "written", bytes=1_000_000))  # 0.1 MB/s
    now[0] = 10.1
    shown.advance(batch.Outcome("c", "written", bytes=10_000))      # small, and just after
    assert 99 < shown.left() < 100  # 9.99 MB to go at 0.1 MB/s
    shown.close()
    bar = stream.getvalue().rsplit("\r", 1)[-1]
    assert bar.endswith("3/4 files, 10.0/20.0 MB, 0.10 MB/s, 0:00:10 elapsed, 0:01:40 left\n")
    assert "<" not in bar, "the bar's own estimate, from its last few updates, is not shown"


def test_the_stage_files_are_written_with_the_tei_and_resumed_with_it(tmp_path):
    raw = _corpus(tmp_path / "raw", 2)
    run = ["run", str(raw), "--out", "clean", "--stage-dir", "build", "-j1"]
    assert main(run) == 0
    stage_files = sorted(p.relative_to(tmp_path / "build").as_posix()
                         for p in (tmp_path / "build").rglob("d000*"))
    assert stage_files == [f"{folder}/d000.{suffix}" for folder in (
        "01-encoding", "02-pages", "03-layout", "04-links", "05-breaks", "06-headings",
        "07-structure") for suffix in ("changes.jsonl", "md")] + ["results/d000.json"]
    # the same bytes as a run that stops after the stage
    assert main(["run", str(raw / "d000.md"), "--stage", "breaks", "--out", "alone"]) == 0
    for name in ("d000.md", "d000.changes.jsonl"):
        assert (tmp_path / "alone" / name).read_bytes() == \
            (tmp_path / "build" / "05-breaks" / name).read_bytes()

    written = _tree(tmp_path / "build")
    old = time.time() - 3600
    for path in (tmp_path / "clean").glob("*.tei.xml"):
        os.utime(path, (old, old))
    assert main(run) == 0 and _report()["files"]["up_to_date"] == 2
    assert min(p.stat().st_mtime for p in (tmp_path / "clean").glob("*.tei.xml")) > old + 60, \
        "found up to date, dated now: make sees it current too"
    (tmp_path / "build" / "04-links" / "d001.md").unlink()
    assert main(run) == 0 and _report()["files"] == {
        "total": 2, "written": 1, "up_to_date": 1, "failed": 0}
    assert _tree(tmp_path / "build") == written
    # A run without the stage folder finds the TEI current; one with it again too.
    assert main(["run", str(raw), "--out", "clean"]) == 0
    assert _report()["files"]["up_to_date"] == 2


def _cut_in_two(folder: Path) -> Path:
    """A dump with two joins, the first of them rejected in review/, and CRLF line ends."""
    raw = folder / "raw"
    raw.mkdir()
    (raw / "d.md").write_bytes(b"# The minutes\r\n\r\nThe committee met and agreed that the\r\n\r\n"
                               b"archive would open in May, &amp; that the\r\n\r\nfunding would "
                               b"come from the city.\r\n")
    first = [c for c in process.repair(source.read(raw / "d.md")).changes
             if c.rule == "join_midsentence_break"][0]
    (folder / "review").mkdir()
    (folder / "review" / "d.decisions.json").write_text(json.dumps({"decisions": {first.id: {
        "decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
        "before": first.before, "after": first.after}}}))
    return raw / "d.md"



def test_the_repair_make_leaves_reads_back_as_the_stages_gave_it(tmp_path):
    raw = _cut_in_two(tmp_path)
    for sample in sorted((PROJECT / "raw").glob("*")):  # real dumps: pages, layout, a plain kind
        shutil.copyfile(sample, raw.parent / sample.name)
    for dump in sorted(raw.parent.iterdir()):
        assert main(["run", str(dump), "--out", "clean", "--stage-dir", "build"]) == 0
        repaired = process.repair(source.read(dump), decisions=decisions.load(
            decisions.path_for(Path("review"), dump)))
        stored = built.load(Path("build"), dump, Path("review"), None)
        assert replace(stored, lines=repaired.lines) == repaired
        assert tei.write(stored, Path("clean/x.tei.xml")) == \
            tei.write(repaired, Path("clean/x.tei.xml"))


def test_diff_and_review_read_the_repair_make_left_instead_of_running_the_stages(
        tmp_path, monkeypatch):
    raw = _cut_in_two(tmp_path)
    for command in ("diff", "review"):
        assert main([command, str(raw), "--out", f"fresh-{command}"]) == 0
    assert main(["run", str(raw), "--out", "clean", "--stage-dir", "build"]) == 0
    monkeypatch.setattr(process, "repair", _not_again)
    for command in ("diff", "review"):
        assert main([command, str(raw), "--out", f"read-{command}"]) == 0
        assert _tree(tmp_path / f"read-{command}") == _tree(tmp_path / f"fresh-{command}")
    # A decision withdrawn since: what is stored no longer holds.
    (tmp_path / "review" / "d.decisions.json").write_text(json.dumps({"decisions": {}}))
    assert built.load(Path("build"), raw, Path("review"), None) is None


def _not_again(*args, **kwargs):
    raise AssertionError("ran the stages again")


def test_a_damaged_stored_repair_is_not_read(tmp_path):
    raw = _corpus(tmp_path / "raw", 1) / "d000.md"
    assert main(["run", str(raw), "--out", "clean", "--stage-dir", "build"]) == 0
    stored = tmp_path / "build" / "results" / "d000.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["changes"][0] = data["changes"][0][:-1]  # a field short, its key still right
    stored.write_text(json.dumps(data), encoding="utf-8")
    assert built.load(Path("build"), raw, Path("review"), None) is None
    assert main(["diff", str(raw), "--out", "diffs"]) == 0
