"""The command line as a user meets it: batches, one-line errors, no half-written output."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main

GOOD = "# Title of the piece\n\nA sentence that was cut\n\nin two by a page break.\n"


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    # The defaults (review/, build/run-report.json) are relative: not the project's own.
    monkeypatch.chdir(tmp_path)


def test_a_bad_file_is_one_line_and_the_others_are_still_written(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a-good.md").write_text(GOOD, encoding="utf-8")
    (raw / "b-empty.txt").write_bytes(b"")
    (raw / "c-binary.txt").write_bytes(b"%PDF-1.4\n\x00\x01")
    (raw / "d-good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "clean"
    status = main(["run", str(raw), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert sorted(p.name for p in out.glob("*.tei.xml")) == ["a-good.tei.xml", "d-good.tei.xml"]
    lines = sorted(err.strip().splitlines())  # a pool reports in the order the dumps finish
    assert len(lines) == 2 and "Traceback" not in err
    assert lines[0] == f"pipeline: error: {raw / 'b-empty.txt'}: is empty: there is nothing to clean"
    assert str(raw / "c-binary.txt") in lines[1] and "PDF" in lines[1]


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path, capsys):
    (tmp_path / "d.md").write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    assert main(["run", str(tmp_path / "d.md"), "--out", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert "cannot write output" in err and "Traceback" not in err


def test_stage_option_writes_the_stage_text_and_its_change_log(tmp_path):
    (tmp_path / "d.md").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "05-breaks"
    assert main(["run", str(tmp_path / "d.md"), "--stage", "breaks", "--out", str(out)]) == 0
    assert (out / "d.md").read_text(encoding="utf-8") == (
        "# Title of the piece\n\nA sentence that was cut in two by a page break.\n")
    records = [json.loads(line) for line in (out / "d.changes.jsonl").read_text().splitlines()]
    assert [r["rule"] for r in records] == ["join_midsentence_break"]
    assert records[0]["before"] == "\n\n" and records[0]["after"] == " "
    assert records[0]["raw"]["line"] == 3 and records[0]["stage"] == "breaks"
    assert not list(out.glob(".*")), "no temporary file is left behind"


def test_verify_explain_and_validate_on_a_written_file(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "d.md").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "clean"
    assert main(["run", str(raw / "d.md"), "--out", str(out)]) == 0
    tei = out / "d.tei.xml"
    assert main(["verify", str(raw / "d.md"), str(tei)]) == 0
    assert capsys.readouterr().out.count("ok  ") == 4
    assert main(["explain", str(tei)]) == 0
    explained = capsys.readouterr().out
    assert "breaks/join_midsentence_break  line 3, column 24" in explained
    assert "'\\n\\n' → ' '" in explained
    assert main(["validate", str(tei)]) == 0
    assert capsys.readouterr().out.startswith("valid")


def test_explain_shows_each_decision_as_the_run_applied_it(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "d.md").write_text(GOOD + "\nSee [the notes](#) here.\n", encoding="utf-8")
    (tmp_path / "review").mkdir()
    (tmp_path / "review" / "d.decisions.json").write_text(json.dumps({"document": "d.md",
        "decisions": {
            "chg-join_midsentence_break-45": {
                "decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                "comment": "two paragraphs in print", "before": "\n\n", "after": " "},
            "chg-drop_lost_link_target-87": {
                "decision": "accept", "reviewer": "Ben Ode", "date": "2026-11-21",
                "before": "(#)", "after": "()"},
            "chg-drop_lost_link_target-9999": {
                "decision": "accept", "reviewer": "Ben Ode", "date": "2026-11-22",
                "before": "x", "after": "y"}}}), encoding="utf-8")
    assert main(["run", str(raw / "d.md"), "--out", "clean"]) == 0
    capsys.readouterr()
    assert main(["explain", "clean/d.tei.xml"]) == 0
    notes = capsys.readouterr().out.split("\nchg-")
    join = next(note for note in notes if "join_midsentence_break-45 " in note)
    assert "line 3, column 24  rejected, not applied" in join.splitlines()[0]
    assert "    rejected by Ana Ruiz on 2026-11-20: two paragraphs in print" in join
    link = next(note for note in notes if "drop_lost_link_target-87 " in note)
    assert link.splitlines()[0].endswith("  accepted")
    assert "    accepted by Ben Ode on 2026-11-21" in link.splitlines()
    stale = notes[-1].split("\nstale decision ")[1]
    assert stale.startswith("chg-drop_lost_link_target-9999 by Ben Ode\n")
    assert "The accept decision of 2026-11-22" in stale and "doubt" not in notes[-1]


def test_verify_reports_a_tampered_file(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "d.md").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "clean"
    main(["run", str(raw / "d.md"), "--out", str(out)])
    tei = out / "d.tei.xml"
    tei.write_bytes(tei.read_bytes().replace(b"<orig>&#10;&#10;</orig>", b"<orig>&#10;</orig>"))
    assert main(["verify", str(raw / "d.md"), str(tei)]) == 1
    report = capsys.readouterr().out
    assert "FAIL replay" in report and "FAIL deterministic" in report
    (raw / "d.md").write_text(GOOD + "more\n", encoding="utf-8")
    assert main(["verify", str(raw / "d.md"), str(tei)]) == 1
    assert "FAIL checksum" in capsys.readouterr().out


def test_verify_of_a_file_that_is_not_xml(tmp_path, capsys):
    (tmp_path / "d.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "d.tei.xml").write_text("<TEI>not closed")
    assert main(["verify", str(tmp_path / "d.md"), str(tmp_path / "d.tei.xml")]) == 1
    assert "is not well-formed XML" in capsys.readouterr().err


def _kind_note(tei) -> str:
    text = tei.read_text(encoding="utf-8")
    note = text[text.index('<note type="input-kind"'):]
    return note[:note.index(">")]


def test_input_kind_from_the_option_or_the_collection_config(tmp_path, capsys):
    (tmp_path / "n.md").write_text("Notes on the *draft*:\n\n    see the annex\n", encoding="utf-8")
    assert main(["run", "n.md", "--out", "a"]) == 0
    assert 'n="markdown" subtype="detected"' in _kind_note(tmp_path / "a" / "n.tei.xml")
    assert main(["run", "n.md", "--out", "b", "--input-kind", "plain"]) == 0
    assert 'n="plain" subtype="user"' in _kind_note(tmp_path / "b" / "n.tei.xml")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\ninput_kind = "plain"\n')
    assert main(["run", "n.md", "--out", "c"]) == 0
    assert 'n="plain" subtype="user"' in _kind_note(tmp_path / "c" / "n.tei.xml")
    assert main(["verify", "n.md", "c/n.tei.xml"]) == 0  # verify reads the kind from the TEI
    assert main(["run", "n.md", "--out", "d", "--input-kind", "auto"]) == 0
    assert 'n="markdown" subtype="detected"' in _kind_note(tmp_path / "d" / "n.tei.xml")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\ninput_kind = "text"\n')
    capsys.readouterr()
    assert main(["diff", "n.md"]) == 1
    assert capsys.readouterr().err == (
        "pipeline: error: pyproject.toml: [tool.pipeline] input_kind is 'text'; it can be "
        "'auto', 'markdown', 'plain'\n")


def test_explain_on_a_damaged_note_is_one_line(tmp_path, capsys):
    damaged = tmp_path / "d.tei.xml"
    damaged.write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
                       '<teiHeader><revisionDesc><listChange><listChange type="provenance">'
                       '<change n="links"><p>why</p></change>'
                       '</listChange></listChange></revisionDesc></teiHeader></TEI>\n',
                       encoding="utf-8")
    assert main(["explain", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2: a change record without <choice>" in err


def test_a_collection_config_that_is_not_a_table_is_one_line(tmp_path, capsys):
    (tmp_path / "n.md").write_text("Some text.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool]\npipeline = 1\n")
    assert main(["run", "n.md", "--out", "a"]) == 1
    assert capsys.readouterr().err == (
        "pipeline: error: pyproject.toml: [tool.pipeline] is not a table of settings\n")


def test_verify_with_its_arguments_swapped_names_the_order(tmp_path, capsys):
    (tmp_path / "d.md").write_text(GOOD, encoding="utf-8")
    assert main(["run", "d.md", "--out", "clean"]) == 0
    assert main(["verify", "clean/d.tei.xml", "d.md"]) == 1
    assert capsys.readouterr().err == (
        "pipeline: error: d.md: is not XML, but clean/d.tei.xml is: the raw dump comes first, "
        "then its TEI (`pipeline verify d.md clean/d.tei.xml`)\n")


def test_files_a_folder_run_passes_over_are_named_one_line_each(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.md").write_text(GOOD, encoding="utf-8")
    (raw / "letter.docx").write_bytes(b"PK\x03\x04")
    (raw / "notes.odt").write_bytes(b"PK\x03\x04")
    (raw / "old").mkdir()
    (raw / ".gitkeep").write_bytes(b"")  # hidden: nobody's document
    assert main(["run", "raw", "--out", "clean"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "pipeline: warning: raw/letter.docx: skipped: not a text dump (*.txt, *.md) nor pages "
        "(PDF, scans, ALTO, hOCR, PAGE XML); extract its text into a dump first (pandoc -t plain "
        "for a word-processor file)",
        "pipeline: warning: raw/notes.odt: skipped: not a text dump (*.txt, *.md) nor pages "
        "(PDF, scans, ALTO, hOCR, PAGE XML); extract its text into a dump first (pandoc -t plain "
        "for a word-processor file)",
        "pipeline: warning: raw/old: skipped: a folder (only the dumps directly in raw are "
        "cleaned)"]
    assert [p.name for p in (tmp_path / "clean").glob("*.tei.xml")] == ["a.tei.xml"]


def test_a_stage_run_without_out_writes_into_build_not_clean(tmp_path):
    (tmp_path / "x.txt").write_text(GOOD, encoding="utf-8")
    assert main(["run", "x.txt", "--stage", "layout"]) == 0
    assert sorted(p.name for p in (tmp_path / "build" / "03-layout").iterdir()) == [
        "run-report.json", "x.changes.jsonl", "x.md"]
    assert not (tmp_path / "clean").exists()


def test_a_run_elsewhere_leaves_nothing_in_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "x.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "raw" / "y.md").write_text(GOOD, encoding="utf-8")
    unrelated = tmp_path / "somewhere"
    unrelated.mkdir()
    monkeypatch.chdir(unrelated)
    assert main(["run", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    assert list(unrelated.iterdir()) == []
    assert json.loads((tmp_path / "out" / "run-report.json").read_text())["files"]["written"] == 2
    assert main(["run", str(tmp_path / "raw"), "--out", str(tmp_path / "out"),
                 "--report", str(tmp_path / "r.json")]) == 0
    assert json.loads((tmp_path / "r.json").read_text())["files"]["up_to_date"] == 2


def test_an_interrupted_run_says_what_it_wrote_and_that_running_again_resumes(
        tmp_path, monkeypatch, capsys):
    from pipeline import batch, engines
    for name in "abc":
        (tmp_path / f"{name}.md").write_text(GOOD, encoding="utf-8")

    def interrupted(tasks, jobs):
        yield batch.process_file(tasks[0])
        raise KeyboardInterrupt  # ^C while the second dump is cleaned
    monkeypatch.setattr(engines, "local", interrupted)
    assert main(["run", "a.md", "b.md", "c.md", "--out", "clean"]) == 130
    assert capsys.readouterr().err == (
        "pipeline: interrupted: 1 of 3 written, 0 up to date; every output is whole or absent: "
        "run the same command again to do the rest\n")


def test_verify_runs_the_stages_once(tmp_path, monkeypatch, capsys):
    from pipeline import process
    (tmp_path / "d.md").write_text(GOOD, encoding="utf-8")
    assert main(["run", "d.md", "--out", "clean"]) == 0
    runs = []
    real = process.repair
    monkeypatch.setattr(process, "repair", lambda *a, **k: runs.append(1) or real(*a, **k))
    assert main(["verify", "d.md", "clean/d.tei.xml"]) == 0
    assert capsys.readouterr().out.count("ok  ") == 4 and len(runs) == 1
