"""Reviewers' decisions: a rejected change is not applied, every decision is recorded, stale ones
are reported, and the result is still lossless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from pipeline import decisions, process, schema, source, tei
from pipeline.cli import main
from pipeline.model import Decision, InputError

DUMP = ("The committee met on Tuesday and agreed that the\n\narchive would open in May.\n\n"
        "Funding came from the\n\ncity council.\n")
NS = {"t": tei.TEI_NS, "xml": "http://www.w3.org/XML/1998/namespace"}


def _setup(tmp_path, entries: dict):
    raw, review = tmp_path / "raw", tmp_path / "review"
    raw.mkdir()
    review.mkdir()
    (raw / "d.md").write_text(DUMP, encoding="utf-8")
    (review / "d.decisions.json").write_text(json.dumps({"document": "d.md",
                                                         "decisions": entries}))
    return raw / "d.md", review


def _joins():
    result = process.repair(source.decode(Path("d.md"), DUMP.encode()))
    return [c for c in result.changes if c.rule == "join_midsentence_break"]


def test_rejected_change_is_not_applied_and_both_are_recorded(tmp_path, capsys):
    first, second = _joins()
    raw, review = _setup(tmp_path, {
        first.id: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                   "comment": "two paragraphs in print", "before": "\n\n", "after": " "},
        second.id: {"decision": "accept", "reviewer": "Ben Ode", "date": "2026-11-21",
                    "before": "\n\n", "after": " "},
    })
    out = tmp_path / "clean"
    assert main(["run", str(raw), "--out", str(out), "--decisions", str(review)]) == 0
    data = (out / "d.tei.xml").read_bytes()
    document = etree.fromstring(data)
    paragraphs = ["".join(p.itertext()) for p in document.iterfind(".//t:body//t:p", NS)]
    assert paragraphs == ["The committee met on Tuesday and agreed that the",
                          "archive would open in May.",
                          "Funding came from the city council."]
    rejected = document.find(f".//t:change[@xml:id='{first.id}']/t:seg", NS)
    assert rejected.get("subtype") == "rejected" and rejected.get("resp") == "#reviewer-ana-ruiz"
    assert rejected.find("t:date", NS).get("when") == "2026-11-20"
    assert "two paragraphs in print" in "".join(rejected.itertext())
    accepted = document.find(f".//t:change[@xml:id='{second.id}']/t:seg", NS)
    assert accepted.get("subtype") == "accepted" and accepted.get("resp") == "#reviewer-ben-ode"
    reviews = document.findall(".//t:revisionDesc/t:listChange/t:change[@n='review']", NS)
    assert [(c.get("who"), c.get("when")) for c in reviews] == [
        ("#reviewer-ana-ruiz", "2026-11-20"), ("#reviewer-ben-ode", "2026-11-21")]
    assert schema.errors(data) == []
    assert main(["verify", str(raw), str(out / "d.tei.xml"), "--decisions", str(review)]) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_stale_decisions_are_reported_not_applied(tmp_path, capsys):
    first, _ = _joins()
    raw, review = _setup(tmp_path, {
        first.id: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                   "before": "\n\n\n", "after": " "},
        "chg-join_midsentence_break-9999": {"decision": "reject", "reviewer": "Ana Ruiz",
                                            "date": "2026-11-20", "before": "x", "after": "y"},
    })
    out = tmp_path / "clean"
    assert main(["run", str(raw), "--out", str(out), "--decisions", str(review)]) == 0
    err = capsys.readouterr().err
    assert "chg-join_midsentence_break-9999: stale, not applied: no change has this id" in err
    assert f"{first.id}: stale, not applied: the change with this id now turns" in err
    document = etree.fromstring((out / "d.tei.xml").read_bytes())
    stale = document.findall(".//t:notesStmt/t:note[@type='stale-decision']", NS)
    assert len(stale) == 2
    assert "Funding came from the city council." in "".join(document.find(".//t:body",
                                                                           NS).itertext())


@pytest.mark.parametrize("content, words", [
    ("{", r"is not valid JSON \(line 1"),
    ('{"decisions": []}', 'no "decisions" object'),
    ('{"decisions": {"chg-x-1": {"decision": "maybe"}}}', '"accept" or "reject"'),
    ('{"decisions": {"chg-x-1": {"decision": "reject", "reviewer": "A", "before": "",'
     ' "after": "", "date": "26/11/2026"}}}', "YYYY-MM-DD"),
])
def test_a_broken_decisions_file_is_named_with_its_fault(tmp_path, content, words):
    path = tmp_path / "d.decisions.json"
    path.write_text(content)
    with pytest.raises(InputError, match=words):
        decisions.load(path)


def test_each_character_reference_is_one_change_a_reviewer_can_reject_alone():
    dump = "Il a &eacute;t&eacute; r&eacute;serv&eacute;e en 1903.\n"
    result = process.repair(source.decode(Path("d.md"), dump.encode()))
    entities = [c for c in result.changes if c.rule == "unescape_html"]
    assert [(c.before, c.after) for c in entities] == [("&eacute;", "é")] * 4
    second = entities[1]
    rejected = {second.id: Decision(second.id, "reject", "Ana Ruiz", "2026-11-26", "",
                                    second.before, second.after)}
    again = process.repair(source.decode(Path("d.md"), dump.encode()), decisions=rejected)
    assert again.text == "Il a ét&eacute; réservée en 1903.\n"
    assert again.undo() == dump.encode()
