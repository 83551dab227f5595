"""The input kind: markdown only when its syntax recurs in proportion to the text, and not on the
kinds of line plain text writes too (`#` prompts and comments, `>` quotations, `|` rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import kind

ROOT = Path(__file__).resolve().parent.parent

# An OCR'd report: long, wrapped prose with a few stray lines an engine read as `#` and `>`.
_PROSE = ("The survey of the county archive took three years and covered every parish in the "
          "district,\nfrom the smallest chapel to the cathedral library, with its registers and "
          "accounts.\n\n")
OCR = _PROSE * 70 + "# 3\n\n> The\n\n" + _PROSE * 20 + "#  ~ *\n\n> ,\n\n" + _PROSE * 20


def test_a_few_stray_heading_and_quotation_lines_in_a_long_plain_text_are_no_markdown():
    detected, evidence = kind.detect(OCR)
    assert OCR.count("\n") > 290
    assert detected == "plain", evidence
    assert "headings 2, quotations 2" in evidence and "never decide alone" in evidence


def test_prompts_and_mail_quotations_do_not_make_a_text_markdown():
    text = ("Install the package as root and check the mail from the maintainers:\n\n"
            "# apt install tcl\n# tclsh\n\n> We fixed it in 8.6.\n> Please try again.\n")
    assert kind.detect(text)[0] == "plain"


def test_markdown_syntax_must_recur_in_proportion_to_the_text():
    links = "See [the register](https://example.org/r) and [the map](maps/1.png).\n\n" \
            "The [catalogue](https://example.org/c) lists them.\n\n"
    assert kind.detect(links + _PROSE * 3)[0] == "markdown"
    detected, evidence = kind.detect(links + _PROSE * 200)
    assert detected == "plain" and "links 2" in evidence and "1 in 50" in evidence


@pytest.mark.parametrize("path", [ROOT / "raw" / "000_5f556d4f1fe15307.txt",
                                  ROOT / "tests" / "golden" / "en-report.md",
                                  ROOT / "tests" / "golden" / "de-ocr.md"],
                         ids=lambda path: path.name)
def test_real_markdown_dumps_stay_markdown_without_their_name(path):
    detected, evidence = kind.detect(path.read_text(encoding="utf-8"), ".txt")
    assert detected == "markdown", evidence
