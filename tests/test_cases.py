"""The case tables: for each defect family, raw dumps and the repaired markdown they must give.

Each `tests/cases/<family>.json` is a list of cases:
  label     short name, unique in its file
  lang      the language the case is written in (es, en, fr, de, pt, it)
  raw       the dump as a converter left it
  expected  the repaired markdown after all stages (== raw, modulo rules listed, for negatives)
  rules     the exact set of rules that must fire ([] for a case that must stay unchanged)
  comment   where this damage comes from, or why the text must be left alone
  kind      optional: "plain" for a plain-text dump (pdftotext, OCR); markdown when absent

Every case is also replayed: undoing its changes must give back the raw bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import process, source

CASES = Path(__file__).parent / "cases"


def _cases():
    for table in sorted(CASES.glob("*.json")):
        for case in json.loads(table.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{table.stem}:{case['label']}")


def _repair(case):
    kind = case.get("kind", "markdown")
    name = f"{case['label']}.{'md' if kind == 'markdown' else 'txt'}"
    return process.repair(source.decode(Path(name), case["raw"].encode()), kind=kind)


@pytest.mark.parametrize("case", list(_cases()))
def test_case_repairs_as_expected(case):
    result = _repair(case)
    assert result.text == case["expected"], case["comment"]
    assert {change.rule for change in result.changes} == set(case["rules"]), case["comment"]


@pytest.mark.parametrize("case", list(_cases()))
def test_case_replays_to_raw(case):
    assert _repair(case).undo() == case["raw"].encode()


def test_tables_have_positive_and_negative_cases_in_several_languages():
    for table in sorted(CASES.glob("*.json")):
        cases = json.loads(table.read_text(encoding="utf-8"))
        labels = [case["label"] for case in cases]
        assert len(labels) == len(set(labels)), f"{table.name}: duplicate labels"
        assert any(case["rules"] for case in cases), f"{table.name}: no positive case"
        assert any(not case["rules"] for case in cases), f"{table.name}: no negative case"
        assert {"es", "en"} <= {case["lang"] for case in cases}, f"{table.name}: es and en needed"


@pytest.mark.parametrize("case", list(_cases()))
def test_case_is_idempotent(case):
    repaired = _repair(case)
    if not repaired.text:
        return
    again = process.repair(source.decode(Path("again.md"), repaired.text.encode()))
    assert again.text == repaired.text, [(c.rule, c.before, c.after) for c in again.changes]


def test_sample_is_idempotent():
    sample = Path(__file__).resolve().parent.parent / "raw" / "000_5f556d4f1fe15307.txt"
    once = process.repair(source.read(sample))
    again = process.repair(source.decode(sample, once.text.encode()))
    assert [(c.rule, c.before, c.after) for c in again.changes] == []
