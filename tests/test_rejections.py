"""A reviewer may reject any change: what the pipeline writes then must still verify.

Rejecting a change leaves its raw text in place, and the stages after it see that text: changes
that depended on it may not come again. Whatever the pipeline does then is recorded (the rejected
change with its decision, a decision that no longer finds its change as stale) and the TEI still
proves itself as `pipeline verify` does.

The dumps are composed from the case tables (tests/cases/*.json), which hold inputs for every
rule: Hypothesis picks, for each rule, one of the cases that fire it and the order they come in;
each change of the composed dump is rejected in turn, once.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline import process, schema, source, tei, verify
from pipeline.cli import main
from pipeline.model import Decision
from pipeline.stages import STAGES

CASES = [case for table in sorted((Path(__file__).parent / "cases").glob("*.json"))
         for case in json.loads(table.read_text(encoding="utf-8"))]
# Rules that record doubts for the reviewer rather than changes: nothing to reject.
DOUBTS_ONLY = {"flag_link_extent", "flag_recurring_prose"}
RULES = [rule for stage in STAGES for rule in stage.RULES if rule not in DOUBTS_ONLY]


def _kind(case) -> str:
    return case.get("kind", "markdown")


# For each rule, one of the cases that fire it, in some order: the parts of the generated dumps.
picks = st.tuples(*(st.sampled_from([case for case in CASES if rule in case["rules"]])
                    for rule in RULES)).flatmap(
    lambda chosen: st.permutations(list({case["label"]: case for case in chosen}.values())))


def _dumps(cases) -> list[tuple[str, str]]:
    """(text, kind): the cases of each kind one after the other in one dump, and each case whose
    rules the others keep from firing there (a byline opens a dump, a compilation is a whole
    one, a page furniture's page is the first) as a dump of its own."""
    dumps = []
    for kind in ("markdown", "plain"):
        parts = [case for case in cases if _kind(case) == kind]
        composed = "\n\n".join(case["raw"].strip("\n") for case in parts) + "\n"
        fired = {change.rule for change in _repair(composed, kind).changes}
        dumps.append((composed, kind))
        dumps += [(case["raw"], kind) for case in parts if not set(case["rules"]) <= fired]
    return dumps


def _repair(text: str, kind: str, decisions=None) -> process.Result:
    name = "d.md" if kind == "markdown" else "d.txt"
    return process.repair(source.decode(Path(name), text.encode()), decisions=decisions,
                          kind=kind)


def _decide(change, verdict: str) -> Decision:
    return Decision(change.id, verdict, "Ana Ruiz", "2026-12-08", "", change.before, change.after)


def _verified(text: str, kind: str, decisions: dict, rejected) -> process.Result:
    """The repair with `decisions`, written and proved as `pipeline run` and `pipeline verify`
    do."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw" / ("d.md" if kind == "markdown" else "d.txt")
        raw.parent.mkdir()
        raw.write_bytes(text.encode())
        result = process.repair(source.read(raw), decisions=decisions, kind=kind)
        target = Path(folder) / "d.tei.xml"
        target.write_bytes(tei.write(result, target))
        failed = [check for check in verify.verify(raw, target, decisions) if not check.ok]
        assert not failed, (rejected.rule, rejected.before, failed, text)
        return result


@given(picks)
# Each example costs a run and a verify per change: shrinking one would take minutes, and the
# failure names the rejected change already.
@settings(max_examples=2, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
def test_rejecting_any_change_leaves_a_tei_that_verifies(cases):
    dumps = _dumps(cases)
    found = [_repair(text, kind) for text, kind in dumps]
    assert {change.rule for result in found for change in result.changes} >= set(RULES)
    for (text, kind), result in zip(dumps, found):
        for rejected in result.changes:
            # Every other change accepted: those the rejection takes away must be reported.
            decisions = {change.id: _decide(change, "accept") for change in result.changes}
            decisions[rejected.id] = _decide(rejected, "reject")
            again = _verified(text, kind, decisions, rejected)
            assert any(change.decision == decisions[rejected.id] and not change.applied
                       for change in again.changes), rejected
            attached = {change.decision for change in again.changes if change.decision}
            stale = {decision for decision, _ in again.stale}
            assert attached.isdisjoint(stale) and attached | stale == set(decisions.values())


def test_a_rejected_page_break_between_browser_printed_pages_verifies(tmp_path, capsys):
    """A page printed by a browser: date and title at each page's head, the file's address and
    the page count at its foot. Rejecting a page break keeps its furniture and its form feed."""
    pages = ["Words and things were once bound together by resemblance, and knowledge was",
             "the art of finding the signatures that told them apart.",
             "In the nineteenth century words regained their density.",
             "The end of the book asks whether man himself will be erased."]
    raw = tmp_path / "raw" / "order.txt"
    raw.parent.mkdir()
    raw.write_text("\f".join(f"12/8/26, 1:08 AM\nThe Order of Things\n\n{page}\n\n"
                             f"file:///tmp/order.html\n{k}/4\n"
                             for k, page in enumerate(pages, 1)) + "\f", encoding="utf-8")
    breaks = [change for change in process.repair(source.read(raw)).changes
              if change.rule == "mark_page_break"]
    second = breaks[1]
    review = tmp_path / "review"
    review.mkdir()
    (review / "order.decisions.json").write_text(json.dumps({"document": "order.txt", "decisions": {
        second.id: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-12-08",
                    "before": second.before, "after": second.after}}}), encoding="utf-8")
    out = tmp_path / "clean"
    assert main(["run", str(raw), "--out", str(out), "--decisions", str(review)]) == 0
    tei_path = out / "order.tei.xml"
    assert "2/4" in tei_path.read_text(encoding="utf-8").split("<standOff>")[0]
    assert main(["verify", str(raw), str(tei_path), "--decisions", str(review)]) == 0
    assert "FAIL" not in capsys.readouterr().out


@pytest.mark.parametrize("dump", [
    "An image: ![a\x00b](x.png)\n",  # <figDesc> holds no <g>
    "Visit https://example.org/a\uffffb today.\n",  # nor can an attribute hold the character
    "A note[^a\x01].\n\n[^a\x01]: The note.\n",
])
def test_a_control_character_a_reviewer_keeps_is_written_where_xml_cannot_hold_it(dump):
    """Generated dumps found these: the removal of a character XML cannot carry, rejected, leaves
    it in an image's description, a link's target or a note's label, where the TEI writer could
    not write it."""
    found = _repair(dump, "markdown").changes
    decisions = {change.id: _decide(change, "reject") for change in found
                 if change.rule == "remove_control_chars"}
    assert decisions
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "d.md"
        raw.write_text(dump, encoding="utf-8")
        target = Path(folder) / "d.tei.xml"
        target.write_bytes(tei.write(process.repair(source.read(raw), decisions=decisions),
                                     target))
        assert [check for check in verify.verify(raw, target, decisions) if not check.ok] == []
        assert schema.errors(target.read_bytes()) == []


def test_a_decision_on_one_of_changes_sharing_an_id_is_applied_and_not_called_stale():
    # The footnote moved to the end is text the pages stage inserted: the layout stage's escapes
    # inside it all sit at the raw offset of the insertion, and share an id.
    dump = ("El archivo se fundó en 1931, cuando el concejo1 reunió sus papeles, y la primera "
            "sede fue el convento, donde\n\n1 Acta del concejo, *tomo* 3 y <de> 1931.\n\n7\n"
            "\fpermaneció hasta 1960.\n\n8\n\f")
    escapes = [change for change in _repair(dump, "plain").changes
               if change.rule == "escape_markup"]
    assert len({change.id for change in escapes}) == 1 < len(escapes)
    first = escapes[0]
    decisions = {first.id: _decide(first, "reject")}
    again = _verified(dump, "plain", decisions, first)
    assert again.stale == ()
    assert any(change.decision == decisions[first.id] for change in again.changes)
