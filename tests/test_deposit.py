"""`pipeline deposit`: a BagIt bag an archive can check on its own, refused unless the collection
passes, byte-identical from the same inputs, and re-checked with `--verify`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bagit
import pytest

from pipeline import __version__, decisions, deposit, process, source
from pipeline.cli import main
from pipeline.model import InputError

EPOCH = "1764115200"  # 2025-11-26
DUMP = ("The committee met on Tuesday and agreed that the\n\narchive would open in May.\n\n"
        "Funding came from the\n\ncity council.\n")
GOOD = "# Title of the piece\n\nA sentence that was cut\n\nin two by a page break.\n"
CONFIG = ('source_organization = "Archivo Municipal"\ncontact_name = "Ana Ruiz"\n'
          'external_description = "Council minutes, 1931"\n')


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch):
    # The TEI's revision dates and the bag's Bagging-Date both come from it: the TEI is written
    # and checked under the same setting, as `make` and `make deposit` run.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _changes(text: str) -> list:
    return list(process.repair(source.decode(Path("d.md"), text.encode())).changes)


def _decide(review: Path, stem: str, verdicts: list[tuple]) -> None:
    """Write review/<stem>.decisions.json: one (change, "accept" or "reject") per decision."""
    review.mkdir(exist_ok=True)
    (review / f"{stem}.decisions.json").write_text(json.dumps({"document": stem, "decisions": {
        c.id: {"decision": verdict, "reviewer": "Ana Ruiz", "date": "2026-11-20",
               "before": c.before, "after": c.after} for c, verdict in verdicts}}),
        encoding="utf-8")


def _project(tmp_path: Path, config: str = CONFIG, reject_first: bool = True) -> Path:
    """raw/ with two dumps, one rejected decision, a review report, and clean/ from `run`."""
    project = tmp_path / "project"
    (project / "raw").mkdir(parents=True)
    (project / "raw" / "d.md").write_text(DUMP, encoding="utf-8")
    (project / "raw" / "e.txt").write_text(GOOD, encoding="utf-8")
    if reject_first:
        _decide(project / "review", "d", [(_changes(DUMP)[0], "reject")])
    (project / "build" / "review").mkdir(parents=True)
    (project / "build" / "review" / "d.html").write_text("<html><body>d</body></html>\n")
    (project / "deposit.toml").write_text(config, encoding="utf-8")
    _run(project)
    return project


def _run(project: Path) -> None:
    assert main(["run", str(project / "raw"), "--out", str(project / "clean"),
                 "--decisions", str(project / "review")]) == 0


def _deposit(project: Path, out: Path, *extra: str) -> int:
    return main(["deposit", "--out", str(out), "--raw", str(project / "raw"),
                 "--clean", str(project / "clean"), "--decisions", str(project / "review"),
                 "--review-html", str(project / "build" / "review"),
                 "--config", str(project / "deposit.toml"), *extra])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_good_bag_holds_the_collection_and_validates(tmp_path, capsys):
    project = _project(tmp_path)
    capsys.readouterr()  # what `run` printed
    bag = tmp_path / "deposit" / "council-1931"
    assert _deposit(project, bag) == 0
    assert capsys.readouterr().out.strip() == f"bag written: {bag}"
    bagit.Bag(str(bag)).validate()
    assert sorted(_files(bag)) == [
        "bag-info.txt", "bagit.txt",
        "data/clean/d.tei.xml", "data/clean/e.tei.xml",
        "data/decisions/d.decisions.json",
        "data/provenance/d.changes.jsonl", "data/provenance/e.changes.jsonl",
        "data/raw/d.md", "data/raw/e.txt",
        "data/review/d.html",
        "manifest-sha256.txt", "manifest-sha512.txt",
        "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"]
    for name in ("d.md", "e.txt"):
        assert (bag / "data" / "raw" / name).read_bytes() == (project / "raw" / name).read_bytes()
    assert (bag / "data/clean/d.tei.xml").read_bytes() == \
        (project / "clean/d.tei.xml").read_bytes()
    info = bagit.Bag(str(bag)).info
    assert info["Source-Organization"] == "Archivo Municipal"
    assert info["Contact-Name"] == "Ana Ruiz"
    assert info["External-Description"] == "Council minutes, 1931"
    assert info["Bagging-Date"] == "2025-11-26"
    assert info["Bag-Software-Agent"] == f"pipeline {__version__}"
    payload = _files(bag / "data")
    assert info["Payload-Oxum"] == f"{sum(map(len, payload.values()))}.{len(payload)}"
    assert (bag / "bagit.txt").read_text() == \
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

    records = [json.loads(line) for line in
               (bag / "data/provenance/d.changes.jsonl").read_text(encoding="utf-8").splitlines()]
    first, second = _changes(DUMP)
    assert [(r["id"], r["applied"]) for r in records] == [(first.id, False), (second.id, True)]
    assert records[0]["decision"]["decision"] == "reject"
    assert records[1]["decision"] is None
    assert {key for key in records[1] if key != "applied"} == set(second.as_record())

    assert main(["deposit", "--verify", str(bag)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("ok ") for line in lines)
    assert lines[0] == ("ok   fixity: 8 payload files and 4 tag files match their sha256 and "
                        "sha512 manifests")


def test_invalid_tei_is_refused_and_nothing_is_written(tmp_path, capsys):
    project = _project(tmp_path)
    tei = project / "clean" / "e.tei.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace(
        "<title>Title of the piece</title>", "<title>Title of the piece</title><bogus/>"),
        encoding="utf-8")
    out = tmp_path / "deposit" / "bag"
    assert _deposit(project, out, "--tar") == 1
    err = capsys.readouterr().err
    assert f"pipeline: error: {tei}: not valid TEI P5 tei_all: line " in err
    assert err.strip().splitlines()[-1] == \
        f"pipeline: error: {out}: deposit refused, no bag written"
    assert "Traceback" not in err
    assert not (tmp_path / "deposit").exists(), "no bag, no staging folder, not even its parent"


def test_a_tampered_tei_that_fails_verify_is_refused(tmp_path, capsys):
    project = _project(tmp_path)
    tei = project / "clean" / "e.tei.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace("a page break", "a stapler"),
                   encoding="utf-8")
    (tmp_path / "deposit").mkdir()
    out = tmp_path / "deposit" / "bag"
    assert _deposit(project, out) == 1
    problems = capsys.readouterr().err.strip().splitlines()
    assert len(problems) == 2
    assert problems[0].startswith(f"pipeline: error: {tei}: fails verify against "
                                  f"{project / 'raw' / 'e.txt'}: reading text: block 2")
    assert list((tmp_path / "deposit").iterdir()) == []


def test_undecided_changes_are_refused_when_review_is_required(tmp_path, capsys):
    project = _project(tmp_path, CONFIG + "require_review = true\n")
    out = tmp_path / "bag"
    assert _deposit(project, out) == 1
    err = capsys.readouterr().err
    assert f"{project / 'build' / 'review' / 'e.html'}: missing, the review page" in err
    second = _changes(DUMP)[1]
    assert (f"pipeline: error: {project / 'review' / 'd.decisions.json'}: 1 of 2 changes have "
            f"no decision (require_review = true in {project / 'deposit.toml'}): {second.id}"
            ) in err
    assert f"{project / 'review' / 'e.decisions.json'}: 1 of 1 changes have no decision" in err
    assert not out.exists()

    _decide(project / "review", "d", [(_changes(DUMP)[0], "reject"), (second, "accept")])
    _decide(project / "review", "e", [(change, "accept") for change in _changes(GOOD)])
    _run(project)  # the decisions are in the TEI only once it is written with them
    assert _deposit(project, out) == 1  # build/review has d.html only
    assert capsys.readouterr().err.splitlines()[0].startswith(
        f"pipeline: error: {project / 'build' / 'review' / 'e.html'}: missing, the review page of "
        f"{project / 'raw' / 'e.txt'} (require_review = true")

    (project / "build" / "review" / "e.html").write_text("<html></html>\n")
    (project / "build" / "review" / "index.html").write_text("<html></html>\n")
    assert _deposit(project, out) == 0
    assert sorted(p.name for p in (out / "data" / "review").iterdir()) == [
        "d.html", "e.html", "index.html"]


def test_without_review_required_absent_reports_and_decisions_are_fine(tmp_path):
    project = _project(tmp_path, "", reject_first=False)
    shutil.rmtree(project / "build" / "review")
    out = tmp_path / "bag"
    assert _deposit(project, out) == 0
    assert sorted(p.name for p in (out / "data").iterdir()) == ["clean", "provenance", "raw"]
    info = bagit.Bag(str(out)).info
    assert info["External-Description"] == (
        f"2 raw text dumps (data/raw, unchanged), their TEI P5 cleaned by pipeline {__version__} "
        "(data/clean) and one provenance record per change with its decision (data/provenance)")
    assert info["Source-Organization"] == info["Contact-Name"] == "Not specified"


def test_no_review_leaves_the_review_pages_out_and_still_requires_the_decisions(tmp_path, capsys):
    project = _project(tmp_path, CONFIG + "require_review = true\n")
    (project / "build" / "review" / "index.html").write_text("<html></html>\n")
    _decide(project / "review", "d", [(c, "accept") for c in _changes(DUMP)])
    out = tmp_path / "bag"
    assert _deposit(project, out, "--no-review") == 1  # e.txt has no decisions yet
    assert "e.decisions.json: 1 of 1 changes have no decision" in capsys.readouterr().err
    _decide(project / "review", "e", [(c, "accept") for c in _changes(GOOD)])
    _run(project)
    assert _deposit(project, out, "--no-review") == 0  # and e.html is not asked for
    assert sorted(p.name for p in (out / "data").iterdir()) == [
        "clean", "decisions", "provenance", "raw"]
    assert "review" not in bagit.Bag(str(out)).info["External-Description"]
    bagit.Bag(str(out)).validate()
    assert _deposit(project, tmp_path / "with-pages") == 1  # the default asks for every page


@pytest.fixture
def good_bag(tmp_path) -> Path:
    project = _project(tmp_path)
    bag = tmp_path / "bag"
    assert _deposit(project, bag) == 0
    return bag


def _verify(bag: Path, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["deposit", "--verify", str(bag)]) == 1
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]


def test_verify_catches_a_flipped_bit(good_bag, capsys):
    target = good_bag / "data" / "raw" / "d.md"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    failures = _verify(good_bag, capsys)
    assert failures[0] == ("FAIL fixity: data/raw/d.md: content differs from the manifests "
                           "(changed since bagging)")
    assert any(line.startswith("FAIL data/clean/d.tei.xml: fails verify") and "checksum" in line
               for line in failures)


def test_verify_catches_a_deleted_file(good_bag, capsys):
    (good_bag / "data" / "provenance" / "e.changes.jsonl").unlink()
    failures = _verify(good_bag, capsys)
    assert "data/provenance/e.changes.jsonl: listed in the manifests but missing" in failures[0]
    assert "Payload-Oxum validation failed" in failures[0]


def test_verify_catches_an_unlisted_file(good_bag, capsys):
    size = int(bagit.Bag(str(good_bag)).info["Payload-Oxum"].split(".")[0])
    (good_bag / "data" / "clean" / "notes.txt").write_text("added after bagging\n")
    failures = _verify(good_bag, capsys)
    assert failures == [f"FAIL fixity: Payload-Oxum validation failed. Expected 8 files and {size} "
                        f"bytes but found 9 files and {size + 20} bytes; data/clean/notes.txt: in "
                        "the bag but in no manifest"]


def test_verify_catches_a_flip_hidden_behind_a_deletion(good_bag, capsys):
    (good_bag / "data" / "raw" / "e.txt").unlink()
    target = good_bag / "data" / "provenance" / "d.changes.jsonl"
    data = bytearray(target.read_bytes())
    data[-5] ^= 0x20
    target.write_bytes(bytes(data))
    failures = "\n".join(_verify(good_bag, capsys))
    assert "data/raw/e.txt: listed in the manifests but missing" in failures
    assert "data/provenance/d.changes.jsonl: content differs from the manifests" in failures
    assert "FAIL data/clean/e.tei.xml: its raw dump is missing from data/raw" in failures
    assert "FAIL data/provenance/d.changes.jsonl: differs from the changes the pipeline records" \
        in failures


def test_verify_of_something_that_is_not_a_bag(tmp_path, capsys):
    assert main(["deposit", "--verify", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith(f"FAIL bag: {tmp_path}: not a readable bag")


def test_same_inputs_give_the_same_bag_and_tar(tmp_path):
    project = _project(tmp_path)
    first, second = tmp_path / "one" / "bag", tmp_path / "two" / "bag"
    assert _deposit(project, first, "--tar") == 0
    assert _deposit(project, second, "--tar") == 0
    assert _files(first) == _files(second)  # bag-info.txt, manifests, tag manifests, payload
    assert (tmp_path / "one" / "bag.tar").read_bytes() == \
        (tmp_path / "two" / "bag.tar").read_bytes()
    assert (tmp_path / "one" / "bag.tar.sha256").read_bytes() == \
        (tmp_path / "two" / "bag.tar.sha256").read_bytes()
    tag_manifest = (first / "tagmanifest-sha256.txt").read_text().splitlines()
    assert [line.split()[1] for line in tag_manifest] == [
        "bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"]


def test_a_tar_of_the_bag_and_its_checksum(tmp_path):
    import hashlib
    import tarfile

    project = _project(tmp_path)
    bag = tmp_path / "bag"
    assert _deposit(project, bag, "--tar") == 0
    data = (tmp_path / "bag.tar").read_bytes()
    assert (tmp_path / "bag.tar.sha256").read_text() == \
        f"{hashlib.sha256(data).hexdigest()}  bag.tar\n"
    with tarfile.open(tmp_path / "bag.tar") as archive:
        members = archive.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names, key=lambda n: n.split("/")) and names[0] == "bag"
        assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == \
            {(int(EPOCH), 0, 0, "", "")}
        assert archive.extractfile("bag/data/raw/d.md").read() == DUMP.encode()


def test_a_second_deposit_replaces_the_bag_but_never_another_folder(tmp_path, capsys):
    project = _project(tmp_path)
    bag = tmp_path / "bag"
    assert _deposit(project, bag, "--tar") == 0
    (project / "raw" / "f.md").write_text(GOOD, encoding="utf-8")
    _run(project)
    capsys.readouterr()
    assert _deposit(project, bag) == 0
    assert (bag / "data" / "raw" / "f.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bag", "project"], \
        "no staging folder, no old bag, no tar of the old bag"
    assert f"{tmp_path / 'bag.tar'}: removed" in capsys.readouterr().err

    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    capsys.readouterr()
    assert _deposit(project, other) == 1
    assert f"{other}: exists and is not a bag; not replacing it" in capsys.readouterr().err
    assert (other / "mine.txt").read_text() == "keep me"


def test_a_dump_without_its_tei_and_a_tei_without_its_dump_are_refused(tmp_path, capsys):
    project = _project(tmp_path)
    (project / "raw" / "new.md").write_text(GOOD, encoding="utf-8")
    (project / "raw" / "e.txt").unlink()
    assert _deposit(project, tmp_path / "bag") == 1
    err = capsys.readouterr().err
    assert f"{project / 'clean' / 'new.tei.xml'}: missing, the TEI of " in err
    assert f"{project / 'clean' / 'e.tei.xml'}: has no raw dump in {project / 'raw'}" in err


def test_config_from_the_project_table_or_a_file(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.pipeline.deposit]\n'
                         'bag_name = "smith-papers"\nrequire_review = true\n')
    config = deposit.load_config(project=pyproject)
    assert (config.bag_name, config.require_review) == ("smith-papers", True)
    assert deposit.default_out(config) == Path("build/deposit/smith-papers")
    assert deposit.load_config(project=tmp_path / "none.toml") == deposit.Config()

    small = tmp_path / "collection.toml"
    small.write_text('contact_name = "Ana Ruiz"\n')
    assert deposit.load_config(small, project=pyproject).contact_name == "Ana Ruiz"
    info = deposit.load_config(small).bag_info(2, {"raw", "clean", "provenance"}, "2026-01-02")
    assert info["Source-Organization"] == "Not specified"
    assert info["External-Description"].startswith("2 raw text dumps (data/raw, unchanged)")

    small.write_text('require-review = true\n')
    with pytest.raises(InputError, match="unknown key 'require-review'"):
        deposit.load_config(small)
    small.write_text('require_review = "yes"\n')
    with pytest.raises(InputError, match="require_review must be a boolean"):
        deposit.load_config(small)
    small.write_text('bag_name = "../elsewhere"\n')
    with pytest.raises(InputError, match="bag_name must be a plain folder name"):
        deposit.load_config(small)


def test_a_bad_config_is_one_line(tmp_path, capsys):
    project = _project(tmp_path, "require_review = maybe\n")
    assert _deposit(project, tmp_path / "bag") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        f"pipeline: error: {project / 'deposit.toml'}: is not valid TOML")


def test_provenance_record_is_the_change_record_plus_applied(tmp_path):
    review = tmp_path / "review"
    _decide(review, "d", [(_changes(DUMP)[0], "reject")])
    result = process.repair(source.decode(Path("d.md"), DUMP.encode()),
                            decisions=decisions.load(review / "d.decisions.json"))
    records = [json.loads(line) for line in deposit.provenance(result).decode().splitlines()]
    assert records == [{**c.as_record(), "applied": c.applied} for c in result.changes]
    assert records[0]["applied"] is False and records[0]["decision"]["reviewer"] == "Ana Ruiz"


def test_a_tei_written_under_another_source_date_epoch_is_refused_with_the_reason(
        tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    project = _project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert _deposit(project, tmp_path / "bag") == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert "fails verify" in first and "deterministic: a second run differs" in first
    assert first.endswith("(the TEI was written without SOURCE_DATE_EPOCH and is checked with "
                          "it: run both with the same setting)")
