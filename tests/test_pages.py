"""Page furniture against the text: what recurs at the pages' edges is not always furniture."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import process, source

CASES = json.loads((Path(__file__).parent / "cases" / "pages.json").read_text(encoding="utf-8"))


def _case(label: str) -> dict:
    return next(case for case in CASES if case["label"] == label)


def test_a_sentence_that_ends_two_pages_alike_stays_text_and_the_reviewer_is_told():
    case = _case("en-recurring-sentence-at-page-foot-is-text")
    result = process.repair(source.decode(Path("walk.txt"), case["raw"].encode()), kind="plain")
    assert result.text.count("wet, and the keeper came out and led them in.") == 2
    doubts = [doubt for doubt in result.doubts if doubt.rule == "flag_recurring_prose"]
    assert [doubt.raw_line for doubt in doubts] == [6, 21]
    # The features that weighed, named: how often it recurs where, the paragraph it is in, the
    # full line above it and the text's measure, the sentence it ends.
    for feature in ("recurs at the foot of 2 of 4 pages", "in one paragraph with the line above",
                    "is a full line ('wet,' would not have fit on it",
                    "wrapped lines have 48 characters, median", "ends a sentence"):
        assert feature in doubts[0].reason


def test_short_heads_glued_to_the_text_are_still_running_heads():
    case = _case("es-verso-recto-heads-glued-to-the-text")
    result = process.repair(source.decode(Path("villa.txt"), case["raw"].encode()), kind="plain")
    assert "VILLA" not in result.text
    assert not [doubt for doubt in result.doubts if doubt.rule == "flag_recurring_prose"]


def test_a_line_that_opens_two_pages_alike_in_mid_sentence_stays_text():
    pages = ["The children walked along the river all day long,\nand by nightfall they were tired",
             "and hungry, and the keeper came out and led them\ninto the lodge by the stove.",
             "In the morning the rain stopped and the sun came\nout over the fields, and they were "
             "tired",
             "and hungry, and the keeper came out and led them\nback to the gate of the park."]
    raw = "".join(f"{page}\n\n{k}\n\f" for k, page in enumerate(pages, 1))
    result = process.repair(source.decode(Path("lodge.txt"), raw.encode()), kind="plain")
    assert result.text.count("and hungry, and the keeper came out and led them") == 2
    [first, second] = [d for d in result.doubts if d.rule == "flag_recurring_prose"]
    assert "recurs at the top of 2 of 4 pages" in first.reason
    assert "goes on with a sentence, in lower case" in first.reason
