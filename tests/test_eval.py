"""The evaluation's scorer (eval/): its measures on hand-made documents with known answers."""

from __future__ import annotations

import doctest

import lxml.html
import pytest

from eval import blocks, metrics
from eval.blocks import HEADING, OTHER, PARAGRAPH, Block, html_blocks
from eval.score import score

TRUTH = [
    Block(HEADING, "1. Introducción"),
    Block(PARAGRAPH, "Debian es una organización formada totalmente por voluntarios."),
    Block(PARAGRAPH, "Los desarrolladores Debian están involucrados en una gran variedad de "
                     "tareas."),
]


@pytest.mark.parametrize("module", [blocks, metrics], ids=lambda module: module.__name__)
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_a_perfect_output_scores_one_and_no_errors():
    result = score(TRUTH, list(TRUTH))
    assert result.paragraphs.f1 == result.paragraphs_fuzzy.f1 == result.headings.f1 == 1.0
    assert result.cer == 0.0


def test_a_split_paragraph_loses_recall_and_precision():
    first, rest = TRUTH[2].text.split(" en una ")
    split = [*TRUTH[:2], Block(PARAGRAPH, first), Block(PARAGRAPH, "en una " + rest)]
    result = score(TRUTH, split)
    assert result.paragraphs_fuzzy.recall == 0.5
    assert result.paragraphs_fuzzy.precision == pytest.approx(1 / 3)
    assert result.cer == 0.0  # the same characters, only cut apart


def test_a_stray_character_is_forgiven_by_fuzzy_matching_only():
    typo = [TRUTH[0], Block(PARAGRAPH, TRUTH[1].text.replace("voluntarios", "vo1untarios")),
            TRUTH[2]]
    result = score(TRUTH, typo)
    assert result.paragraphs.f1 == 0.5
    assert result.paragraphs_fuzzy.f1 == 1.0
    assert result.cer == pytest.approx(1 / len(" ".join(block.text for block in TRUTH)))


def test_a_heading_left_as_a_paragraph_is_a_missed_heading():
    result = score(TRUTH, [Block(PARAGRAPH, TRUTH[0].text), *TRUTH[1:]])
    assert result.headings.recall == 0.0
    assert result.paragraphs_fuzzy.precision == pytest.approx(2 / 3)


def test_matching_is_one_to_one():
    counts = metrics.match(["same text"], ["same text", "same text"], metrics.FUZZY)
    assert (counts.matched, counts.precision, counts.recall) == (1, 0.5, 1.0)


def test_html_blocks_keep_list_items_and_leave_tables_and_code_out_of_paragraphs():
    page = lxml.html.document_fromstring(
        "<body><h2>Título <a>¶</a></h2><ul><li><p>Un  punto\n largo.</p></li><li>Otro</li></ul>"
        "<table><tr><td><p>celda</p></td></tr></table><pre>code</pre></body>")
    assert html_blocks(page) == [
        Block(HEADING, "Título ¶"), Block(PARAGRAPH, "Un punto largo."), Block(PARAGRAPH, "Otro"),
        Block(OTHER, "celda"), Block(OTHER, "code")]


def test_tei_blocks_read_the_body_only(tmp_path):
    tei = tmp_path / "x.tei.xml"
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><p>header</p></teiHeader>'
        "<text><body><div><head>Titre</head><p>Un <hi>mot</hi>.<!-- note --><fw type='pageNum'"
        " place='bottom'>3</fw><pb n='4'/><fw type='header' place='top'>TITRE</fw></p>"
        "<list><item>point</item></list><ab type='code'>x = 1</ab></div></body></text>"
        "<standOff><note>provenance</note></standOff></TEI>")
    assert blocks.tei_file_blocks(tei) == [
        Block(HEADING, "Titre"), Block(PARAGRAPH, "Un mot."), Block(PARAGRAPH, "point"),
        Block(OTHER, "x = 1")]
