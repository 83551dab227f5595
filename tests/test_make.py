"""`make` as the README tells a user to run it, in a copy of the project with dumps of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = "# Title of the piece\n\nA sentence that was cut\n\nin two by a page break.\n"
STAGES = ("01-encoding", "02-pages", "03-layout", "04-links", "05-breaks", "06-headings",
          "07-structure")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Makefile, the code and the project's own .venv (linked, never rebuilt), with raw/."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / "pipeline", copy / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    # A copy whose .venv make thinks out of date would rebuild the project's own: not here.
    if make(copy, "-q", ".venv/.installed").returncode != 0:
        pytest.skip("the project's .venv is older than its pyproject.toml: run make first")
    (copy / "raw").mkdir()
    return copy


def make(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *arguments], cwd=folder,
                          capture_output=True, text=True, timeout=120)


def test_one_run_writes_every_stage_and_the_tei_then_make_has_nothing_to_do(project):
    for name in ("a", "b", "c"):
        (project / "raw" / f"{name}.md").write_text(GOOD, encoding="utf-8")
    planned = make(project, "-n").stdout
    assert planned.count("-m pipeline") == 1, "the stages run once per dump, in one process"
    done = make(project)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / "clean").glob("*.tei.xml")) == [
        "a.tei.xml", "b.tei.xml", "c.tei.xml"]
    for stage in STAGES:
        assert sorted(p.name for p in (project / "build" / stage).iterdir()) == [
            f"{name}.{suffix}" for name in "abc" for suffix in ("changes.jsonl", "md")]
    assert make(project, "-q").returncode == 0
    assert make(project, "-q", "breaks").returncode == 0
    # diff and review read the repair the run left: no stage runs again
    planned = make(project, "-n", "diff", "review").stdout
    assert "pipeline run" not in planned and planned.count("-m pipeline") == 2
    # The same bytes again: the run finds the dump current and dates its outputs now.
    (project / "raw" / "b.md").write_text(GOOD, encoding="utf-8")
    assert make(project, "-q").returncode == 1
    again = make(project)
    assert "3 files: 0 written, 3 up to date" in again.stdout
    assert make(project, "-q").returncode == 0


def test_a_stage_target_writes_its_text_and_change_log(project):
    (project / "raw" / "x.txt").write_text(GOOD, encoding="utf-8")
    assert make(project, "breaks").returncode == 0
    assert (project / "build" / "05-breaks" / "x.md").read_text(encoding="utf-8").endswith(
        "A sentence that was cut in two by a page break.\n")
    assert "join_midsentence_break" in \
        (project / "build" / "05-breaks" / "x.changes.jsonl").read_text(encoding="utf-8")


def test_a_decision_made_or_withdrawn_is_seen(project):
    (project / "raw" / "x.md").write_text(GOOD, encoding="utf-8")
    assert make(project).returncode == 0
    tei = project / "clean" / "x.tei.xml"
    joined = tei.read_bytes()
    change = json.loads((project / "build" / "05-breaks" / "x.changes.jsonl").read_text())
    decisions = project / "review" / "x.decisions.json"
    decisions.parent.mkdir()
    decisions.write_text(json.dumps({"decisions": {change["id"]: {
        "decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
        "before": change["before"], "after": change["after"]}}}))
    done = make(project)
    assert done.returncode == 0 and done.stderr == ""
    assert "pipeline review" not in done.stdout, "the run needs no review pages"
    assert b'subtype="rejected"' in tei.read_bytes()
    decisions.unlink()
    assert make(project).returncode == 0
    assert tei.read_bytes() == joined


def test_a_bad_dump_stops_nothing_and_files_passed_over_are_named(project):
    raw = project / "raw"
    (raw / "a-empty.txt").write_bytes(b"")
    (raw / "b-good.md").write_text(GOOD, encoding="utf-8")
    (raw / "c-letter.docx").write_bytes(b"PK\x03\x04")
    done = make(project)
    assert done.returncode != 0
    assert [p.name for p in (project / "clean").glob("*.tei.xml")] == ["b-good.tei.xml"]
    assert (project / "build" / "07-structure" / "b-good.md").is_file()
    assert "pipeline: error: raw/a-empty.txt: is empty" in done.stderr
    assert "pipeline: warning: raw/c-letter.docx: skipped: not a text dump" in done.stderr
    assert "2 files: 1 written, 0 up to date, 1 failed (raw/a-empty.txt)" in done.stdout


@pytest.mark.parametrize("name", ["my notes.txt", "a:b.md", "50%.txt"])
def test_a_name_make_cannot_handle_is_refused_in_one_line(project, name):
    (project / "raw" / name).write_text(GOOD, encoding="utf-8")
    (project / "raw" / "b.md").write_text(GOOD, encoding="utf-8")
    done = make(project)
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert f"raw/{name}: make cannot handle a file name with a space, `:`, `;` or `%`; rename " \
        "it" in done.stderr
    assert not (project / "clean").exists() and not (project / "build").exists()
    assert make(project, "help").returncode == 0


def test_names_the_shell_would_read_are_passed_to_it_whole(project):
    for name in ("it's.md", "a$b.md", "a&b.md"):
        (project / "raw" / name).write_text(GOOD, encoding="utf-8")
    done = make(project, "validate", "verify")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("valid  ") == 3
    assert [line for line in done.stdout.splitlines() if line.startswith("==")] == [
        "== raw/a$b.md", "== raw/a&b.md", "== raw/it's.md"]

def test_every_folder_the_readme_lays_out_is_in_a_fresh_clone():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Workflow")]
    folders = [line.split()[0] for line in layout.splitlines() if line.startswith("    ")
               and line.split()[0].endswith("/")]
    assert "review/" in folders
    tracked = subprocess.run(["git", "ls-files", *folders], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.splitlines()
    # build/ is what make writes; everything else comes with the clone
    assert {folder for folder in folders if folder != "build/"} == \
        {path.split("/")[0] + "/" for path in tracked}
