"""The command line as a user meets it: batches, one-line errors, no half-written output."""

from __future__ import annotations

import json

from pipeline.cli import main

GOOD = "# Title of the piece\n\nA sentence that was cut\n\nin two by a page break.\n"


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
    assert sorted(p.name for p in out.iterdir()) == ["a-good.tei.xml", "d-good.tei.xml"]
    lines = err.strip().splitlines()
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
