"""The evaluation (eval/): the scorer's measures and the corpus labeller's labels, on hand-made
documents with known answers."""

from __future__ import annotations

import doctest

import lxml.html
import pytest
from lxml import etree

from eval import align, blocks, corpus, metrics, pagexml
from eval.blocks import HEADING, OTHER, PARAGRAPH, Block, html_blocks
from eval.gold import Gold
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


# --- the corpus's labeller (eval/align.py, eval/pagexml.py): invented pages, known answers ----

CHAPTER = [
    Gold("head", "CHAPTER I.", 1),
    Gold("p", "When the author first determined on attempting to draw the attention of her "
              "countrymen to the evils of the spinning-mills, she meant two parts."),
    Gold("p", "Evening."),
]


def labelled(dump: str, gold: list[Gold]) -> list[tuple[str, str, str | None, bool | None]]:
    lines = dump.split("\n")
    return [(lines[row["line"]], row["role"], row["next"], row.get("hyphen"))
            for row in align.label(dump, gold)]


def test_a_wrapped_paragraph_wraps_inside_and_breaks_at_its_end():
    dump = ("CHAPTER I.\nWhen the author first determined on attempting to draw\n"
            "the attention of her countrymen to the evils of the spinning-mills,\n"
            "she meant two parts.\nEvening.\n")
    assert labelled(dump, CHAPTER) == [
        ("CHAPTER I.", "head", "break", None),
        ("When the author first determined on attempting to draw", "body", "wrap", None),
        ("the attention of her countrymen to the evils of the spinning-mills,", "body", "wrap",
         None),
        ("she meant two parts.", "body", "break", None),
        ("Evening.", "body", None, None),
        ("", "blank", None, None),
    ]


def test_a_running_head_with_its_folio_is_furniture_and_the_paragraph_wraps_across_it():
    dump = ("THE FACTORY BOY 1\n\nCHAPTER I.\nWhen the author first determined on attempting\n"
            "to draw the attention of her countrymen\n\f2 THE FACTORY BOY\n\nto the evils of "
            "the spinning-mills, she\nmeant two parts.\n\f3\n")
    rows = labelled(dump, CHAPTER)
    assert [role for _, role, _, _ in rows] == [
        "furniture", "blank", "head", "body", "body", "furniture", "blank", "body", "body",
        "furniture", "blank"]
    # The boundary across the page, on the line before the running head; none on the head.
    assert rows[4][2] == "wrap" and rows[5][2] is None


def test_a_word_cut_at_the_line_end_is_whole_in_the_gold_and_a_compound_keeps_its_hyphen():
    dump = ("When the author first deter-\nmined on attempting to draw the attention of her\n"
            "countrymen to the evils of the spinning-\nmills, she meant two parts.\n")
    rows = labelled(dump, CHAPTER)
    assert rows[0][2:] == ("wrap", True)
    assert rows[2][2:] == ("wrap", False)
    assert rows[1][3] is None  # no hyphen at its end: no hyphen label


def test_a_misread_word_still_places_its_line_and_a_line_the_gold_lacks_is_unaligned():
    dump = ("CHAPTER I.\nWhen tlie author first determined on attempting to draw\n"
            "Printed for the proprietors by a firm in London and Edinburgh\n"
            "the attention of her countrymen to the evils of the spinning-mills,\n"
            "she meant two parts.\nEvening.\nthe last line\n")
    rows = labelled(dump, CHAPTER)
    assert rows[1][1:3] == ("body", None)  # the next line is unaligned: the boundary unknown
    assert rows[2][1] == "unaligned"
    assert rows[3][1:3] == ("body", "wrap")


def test_a_block_the_print_moved_is_still_found():
    gold = [Gold("p", "The table below lists the packages that configure the network."),
            Gold("table", "ifupdown standard tool to bring the network up and down"),
            Gold("p", "Name resolution is handled by the name service switch as well.")]
    dump = ("The table below lists the packages that configure the network.\n"
            "Name resolution is handled by the name service switch as well.\n"
            "ifupdown standard tool to bring the network up and down\n")
    assert [role for _, role, _, _ in labelled(dump, gold)] == ["body", "body", "table", "blank"]


PAGE = """<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
<Page imageFilename="p.png" imageWidth="1000" imageHeight="1500">
<ReadingOrder><OrderedGroup id="g"><RegionRefIndexed index="0" regionRef="h"/>
<RegionRefIndexed index="1" regionRef="a"/><RegionRefIndexed index="2" regionRef="b"/>
</OrderedGroup></ReadingOrder>
<TextRegion id="f" type="page-number"><Coords points="900,1400 950,1400 950,1450 900,1450"/>
<TextLine id="f1"><TextEquiv><Unicode>17</Unicode></TextEquiv></TextLine></TextRegion>
<TextRegion id="r" type="header"><Coords points="100,50 900,50 900,90 100,90"/>
<TextLine id="r1"><TextEquiv><Unicode>Berlinische Monatsschrift.</Unicode></TextEquiv>
</TextLine></TextRegion>
<TextRegion id="h" type="heading"><Coords points="100,100 900,100 900,150 100,150"/>
<TextLine id="h1"><TextEquiv><Unicode>Beantwortung der Frage:</Unicode></TextEquiv></TextLine>
</TextRegion>
<TextRegion id="a" type="paragraph"><Coords points="100,200 900,200 900,400 100,400"/>
<TextLine id="a1"><TextEquiv><Unicode>Aufklärung iſt der Ausgang des Men⸗</Unicode></TextEquiv>
</TextLine><TextLine id="a2"><TextEquiv><Unicode>ſchen aus ſeiner Unmündigkeit.</Unicode>
</TextEquiv></TextLine></TextRegion>
<TextRegion id="b" type="paragraph"><Coords points="100,500 900,500 900,600 100,600"/>
<TextLine id="b1"><TextEquiv><Unicode>Faulheit und Feigheit ſind die Urſachen.</Unicode>
</TextEquiv></TextLine></TextRegion>
</Page></PcGts>"""


def test_page_ground_truth_gives_lines_as_an_ocr_engine_writes_them_and_exact_labels():
    blocks, lines = pagexml.read_page(etree.ElementTree(etree.fromstring(PAGE)))
    assert [(block.kind, block.text) for block in blocks] == [
        ("head", "Beantwortung der Frage:"),
        ("p", "Aufklärung iſt der Ausgang des Menſchen aus ſeiner Unmündigkeit."),
        ("p", "Faulheit und Feigheit ſind die Urſachen.")]
    dump = pagexml.page_lines([lines])
    assert dump.split("\n")[0] == "Berlinische Monatsschrift."  # the head above the text
    assert dump.split("\n")[-2] == "17"  # the folio below it
    rows = corpus.page_labels([lines], blocks)
    assert [(row["role"], row["next"], row.get("hyphen")) for row in rows] == [
        ("furniture", None, None), ("head", "break", None), ("body", "wrap", True),
        ("body", "break", None), ("body", None, None), ("furniture", None, None),
        ("blank", None, None)]


def test_a_line_without_a_word_belongs_to_the_code_around_it_or_before_it():
    gold = [Gold("code", ">>> while True: ... try: ... break ..."),
            Gold("p", "The try statement works as follows.")]
    dump = ">>> while True:\n...\ntry:\n... break\n...\n\nThe try statement works as follows.\n"
    assert [role for _, role, _, _ in labelled(dump, gold)] == [
        "code", "code", "code", "code", "code", "blank", "body", "blank"]


def test_a_source_missing_from_the_mirror_is_one_line_saying_how_to_get_it(tmp_path):
    config = corpus.load()
    specs, missing = corpus.documents(config, tmp_path)
    assert len(missing) == len(config["repo"])
    assert all("fetch of " in line and "\n" not in line for line in missing)
    assert {spec["genre"] for spec in specs} == {"manuals"}  # the rest is still built


def test_in_markdown_whose_pages_run_together_a_recurring_head_is_furniture_a_closing_is_not():
    gold = [Gold("p", "Lieber Arthur, ich komme morgen."), Gold("p", "Herzlichst Ihr"),
            Gold("p", "Lieber Arthur, ich bleibe hier."), Gold("p", "Herzlichst Ihr"),
            Gold("p", "Lieber Arthur, nun bin ich fort."), Gold("p", "Herzlichst Ihr")]
    dump = ("Lieber Arthur, ich komme morgen.\n\nHerzlichst Ihr\n\nBriefwechsel 2\n\n"
            "Lieber Arthur, ich bleibe hier.\n\nHerzlichst Ihr\n\nBriefwechsel 3\n\n"
            "Lieber Arthur, nun bin ich fort.\n\nHerzlichst Ihr\n\nBriefwechsel 4\n")
    rows = [row for row in align.label(dump, gold, paged=False) if row["role"] != "blank"]
    assert [row["role"] for row in rows] == ["body", "body", "furniture"] * 3
