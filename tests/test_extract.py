"""Files of pages as raw input (pipeline/extract): told by content, read into a text layer and a
geometry record, cleaned like a text dump, proved lossless back to the original, refused in one
line when they cannot be read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import inputs, schema, source
from pipeline.cli import main
from pipeline.model import InputError
from pipeline.verify import verify
from tests import pages_data

NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="Debian's poppler-utils is not installed (.ci/run "
                                          "installs it)")
NEEDS_TESSERACT = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Debian's tesseract-ocr is not installed (.ci/run "
                                            "installs it)")


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


def _clean_and_verify(path: Path, out: Path, capsys) -> bytes:
    """Clean `path` as `pipeline run` does, then check the TEI is valid and verifies."""
    assert main(["run", str(path), "--out", str(out), "--decisions", str(out / "none"),
                 "--report", str(out / "report.json")]) == 0, capsys.readouterr().err
    tei = out / f"{source.stem(path)}.tei.xml"
    data = tei.read_bytes()
    assert schema.errors(data) == []
    checks = verify(path, tei)
    assert [(c.name, c.ok) for c in checks] == [
        ("checksum", True), ("text layer", True), ("replay", True), ("reading text", True),
        ("deterministic", True)], checks
    return data


@pytest.mark.parametrize("version", [2, 3, 4])
def test_alto_of_each_version_is_read_with_its_geometry(tmp_path, version):
    baseline = "200,110 1000,112" if version == 4 else "110"
    src = source.read(_write(tmp_path, "a.xml", pages_data.alto(version, baseline)))
    assert src.original.format == f"alto-v{version}"
    assert src.text == ("Chapter One\n\nThe archive was reor-\nganized in\n\n1\n"
                        "\fthe spring of that year.\n")
    heading, first, second, folio, last = src.original.lines
    assert (heading.font_size, heading.font_style, heading.region_type) == (18, "bold", "heading")
    assert heading.confidences == (0.98, 0.91)
    assert heading.box == (200, 100, 1000, 140)
    assert heading.baseline == ([[200, 110], [1000, 112]] if version == 4 else 110)
    assert (first.text, first.font_size, first.block) == ("The archive was reor-", 10, "B2")
    assert folio.region_type == "BottomMargin"
    assert (last.page, last.id) == (2, "L5")
    for line in src.original.lines:  # each line is where the record says it is
        assert src.text[line.start:line.end] == line.text
    assert src.original.pages[0].image == "page-0001.tif"


def test_hocr_is_read_with_confidences_sizes_and_line_kinds(tmp_path):
    src = source.read(_write(tmp_path, "minutes.hocr", pages_data.HOCR))
    assert src.original.format == "hocr"
    assert src.text == "Minutes\n\nThe council\nmet today.\n"
    header, line, _ = src.original.lines
    assert (header.region_type, header.font_style, header.font_size) == ("ocr_header", "bold", 40)
    assert line.confidences == (0.91, 0.45)
    assert (line.block, line.baseline, line.box) == ("par_1_2", [0.001, -7], (100, 200, 1100, 240))
    assert src.original.pages[0].image == "scan-01.png"


def test_page_xml_follows_its_reading_order_and_region_types(tmp_path):
    src = source.read(_write(tmp_path, "folio.xml", pages_data.PAGE))
    assert src.original.format == "page-2019-07-15"
    # The reading order puts the heading first though the file has it last; the line's
    # TextEquiv of the lowest index is its text, not the one written first.
    assert src.text == "Accounts\n\nItem received\nfrom the abbot.\n\n12\n"
    head, first, second, number = src.original.lines
    assert (head.region_type, head.font_size, head.font_style) == ("heading", 24, "bold")
    assert first.baseline == [[100, 340], [1400, 342]]
    assert first.confidences == (0.93, 0.71)
    assert second.confidences == (0.88,)
    assert number.region_type == "page-number"


@NEEDS_POPPLER
def test_a_pdf_text_layer_is_read_page_by_page_with_line_boxes(tmp_path):
    src = source.read(_write(tmp_path, "report.pdf", pages_data.pdf(pages_data.BOOK)))
    assert src.text == ("A Report\n\nThe first line of a paragraph that\ngoes on here.\n\n"
                        "Another paragraph.\n\fPage two text.\n\n2\n")
    assert [(p.number, p.width, p.height, p.unit) for p in src.original.pages] == [
        (1, 595, 842, "pt"), (2, 595, 842, "pt")]
    title, first, second = src.original.lines[:3]
    assert first.block == second.block != title.block
    assert [line.font_size for line in src.original.lines] == [18, 11, 11, 11, 11, 9]
    # pdftotext measures from the top: the title, higher on the page, has the smaller y.
    assert title.box[1] < first.box[1] < second.box[1]
    assert src.original.tools[0][0] == "pdftotext"


@NEEDS_POPPLER
def test_a_pdf_line_in_a_bold_font_says_so(tmp_path):
    path = _write(tmp_path, "bold.pdf", pages_data.pdf([[(72, 760, 18, "A Report")]],
                                                      font="Helvetica-Bold"))
    (line,) = source.read(path).original.lines
    assert (line.font_size, line.font_style) == (18, "bold")


def test_page_formats_are_told_by_content_not_by_name(tmp_path):
    alto = _write(tmp_path, "named-as-text.txt", pages_data.alto(4))
    assert source.read(alto).original.format == "alto-v4"
    other = _write(tmp_path, "catalogue.xml", "<catalogue><item>Not pages</item></catalogue>\n")
    html = _write(tmp_path, "page.html", "<html><body><p>A scraped page</p></body></html>\n")
    hocr = _write(tmp_path, "ocr.html", pages_data.HOCR)
    found = [path.name for path, problem in inputs.find([tmp_path]) if problem is None]
    # An XML or HTML file that holds no pages is not taken from a folder; one named, is a dump.
    assert found == ["named-as-text.txt", "ocr.html"]
    assert source.read(other).original is None and source.read(html).original is None
    assert source.read(hocr).original.format == "hocr"


@pytest.mark.parametrize("name, data, message", [
    ("damaged.xml", pages_data.alto(4).replace("</Layout>", ""),
     "is ALTO that is not well-formed XML"),
    ("empty.xml", pages_data.alto(3).split("<Layout>")[0] + "</alto>\n",
     "is an ALTO file with no Layout/Page: no page to read"),
    ("blank.hocr", pages_data.HOCR_NO_WORDS, "is hOCR with no text on its 1 page: nothing"),
    ("letter.docx", b"PK\x03\x04" + bytes(40), "is a ZIP archive (DOCX, ODT, EPUB"),
])
def test_unreadable_pages_are_refused_in_one_line(tmp_path, capsys, name, data, message):
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as refused:
        source.read(path)
    assert message in refused.value.message
    assert main(["run", str(path), "--out", str(tmp_path / "out"),
                 "--report", str(tmp_path / "report.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.tei.xml"))


@NEEDS_POPPLER
@pytest.mark.parametrize("data, message", [
    (pages_data.encrypted_pdf(), "is an encrypted PDF that needs a password"),
    (pages_data.pdf(pages_data.BOOK)[:300], "is a damaged PDF"),
    (b"%PDF-1.4\n1 0 obj garbage\n", "is a damaged PDF"),
])
def test_encrypted_and_broken_pdfs_are_refused_in_one_line(tmp_path, capsys, data, message):
    path = _write(tmp_path, "bad.pdf", data)
    assert main(["run", str(path), "--out", str(tmp_path / "out"),
                 "--report", str(tmp_path / "report.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.tei.xml"))


@pytest.mark.parametrize("name, data", [
    ("book.xml", pages_data.alto(4)), ("minutes.hocr", pages_data.HOCR),
    ("folio.xml", pages_data.PAGE)])
def test_pages_clean_to_valid_tei_that_verifies_back_to_the_original(tmp_path, capsys, name,
                                                                     data):
    path = _write(tmp_path / "raw", name, data)
    tei = _clean_and_verify(path, tmp_path / "clean", capsys).decode()
    src = source.read(path)
    assert f'<idno type="sha256">{src.sha256}</idno>' in tei
    assert f'quantity="{path.stat().st_size}"' in tei
    assert tei.count("<surface ") == len(src.original.pages)
    assert tei.count('<zone xml:id="facs-p') == len(src.original.lines)
    if len(src.original.pages) > 1:
        assert '<pb n="1" facs="#facs-p1"/>' in tei or '<pb facs="#facs-p1"/>' in tei
        assert 'facs="#facs-p2"' in tei
    image = src.original.pages[0].image
    assert f'<graphic url="../raw/{image}"' in tei


@NEEDS_POPPLER
def test_a_pdf_cleans_to_tei_with_the_tools_and_a_facsimile(tmp_path, capsys):
    path = _write(tmp_path / "raw", "report.pdf", pages_data.pdf(pages_data.BOOK))
    tei = _clean_and_verify(path, tmp_path / "clean", capsys).decode()
    assert '<application ident="pdftotext"' in tei
    assert '<graphic url="../raw/report.pdf#page=2" width="595pt" height="842pt"/>' in tei
    assert '<pb n="2" facs="#facs-p2"/>' in tei


def test_verify_fails_when_the_text_layer_is_not_the_one_recorded(tmp_path, capsys):
    path = _write(tmp_path / "raw", "book.xml", pages_data.alto(4))
    _clean_and_verify(path, tmp_path / "clean", capsys)
    # The original re-read gives another text layer: an OCR correction made in the ALTO file.
    path.write_text(pages_data.alto(4).replace("ganized in", "ganised in"))
    checks = {c.name: c.ok for c in verify(path, tmp_path / "clean" / "book.tei.xml")}
    assert checks["checksum"] is False and checks["text layer"] is False


def test_extract_writes_the_text_layer_and_a_geometry_record_with_offsets(tmp_path):
    path = _write(tmp_path / "raw", "book.xml", pages_data.alto(2))
    out = tmp_path / "build" / "00-extract"
    assert main(["extract", str(path), "--out", str(out)]) == 0
    text = (out / "book.txt").read_text(encoding="utf-8")
    assert text == source.read(path).text
    records = [json.loads(line) for line in
               (out / "book.geometry.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in records] == ["document", "page", "line", "line", "line", "line",
                                           "page", "line"]
    assert records[0]["format"] == "alto-v2" and records[0]["sha256"] == source.read(path).sha256
    for record in records:
        if record["type"] == "line":
            assert text[record["start"]:record["end"]] == record["text"]


def test_deposit_puts_the_original_pages_in_the_bag(tmp_path, capsys):
    project = tmp_path / "project"
    path = _write(project / "raw", "book.xml", pages_data.alto(4))
    assert main(["run", str(project / "raw"), "--out", str(project / "clean"),
                 "--decisions", str(project / "review"),
                 "--report", str(tmp_path / "report.json")]) == 0
    bag = tmp_path / "bag"
    (project / "deposit.toml").write_text("", encoding="utf-8")
    assert main(["deposit", "--out", str(bag), "--raw", str(project / "raw"),
                 "--clean", str(project / "clean"), "--decisions", str(project / "review"),
                 "--review-html", str(project / "build" / "review"),
                 "--config", str(project / "deposit.toml")]) == 0, capsys.readouterr().err
    assert (bag / "data" / "raw" / "book.xml").read_bytes() == path.read_bytes()
    assert main(["deposit", "--verify", str(bag)]) == 0


def _scan(path: Path, lines: list[str]) -> Path:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1400, 120 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)  # Pillow's own font: no system font needed
    for i, line in enumerate(lines):
        draw.text((60, 60 + 70 * i), line, font=font, fill=0)
    image.save(path)
    return path


@NEEDS_TESSERACT
def test_a_scan_is_read_by_tesseract_like_an_hocr_file_and_verifies(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    path = _scan(tmp_path / "raw" / "scan.png",
                 ["The council met on Tuesday and", "agreed that the archive would open."])
    src = source.read(path)
    assert src.original.format == "png"
    assert "council" in src.text and "archive" in src.text
    assert all(0 <= c <= 1 for line in src.original.lines for c in line.confidences)
    assert src.original.lines[0].box is not None
    tei = _clean_and_verify(path, tmp_path / "clean", capsys).decode()
    assert '<application ident="tesseract"' in tei
    assert '<graphic url="../raw/scan.png"' in tei


@NEEDS_TESSERACT
def test_an_image_without_text_is_refused_in_one_line(tmp_path):
    path = _scan(tmp_path / "blank.png", [])
    with pytest.raises(InputError) as refused:
        source.read(path)
    assert refused.value.message == ("is a PNG scan with no text on its 1 page (OCR found no "
                                     "words): nothing to clean")


@NEEDS_TESSERACT
def test_a_damaged_image_is_refused_in_one_line(tmp_path):
    path = _write(tmp_path, "torn.png", b"\x89PNG\r\n\x1a\n" + bytes(20))
    with pytest.raises(InputError) as refused:
        source.read(path)
    assert refused.value.message.startswith("is an image tesseract cannot read (damaged")


def test_a_resumed_run_cleans_pages_again_when_only_their_geometry_changed(tmp_path, capsys):
    path = _write(tmp_path / "raw", "book.xml", pages_data.alto(4))
    _clean_and_verify(path, tmp_path / "clean", capsys)
    path.write_text(pages_data.alto(4).replace('HPOS="950"', 'HPOS="960"'))  # same text layer
    assert main(["run", str(path), "--out", str(tmp_path / "clean"),
                 "--report", str(tmp_path / "report.json")]) == 0
    assert all(c.ok for c in verify(path, tmp_path / "clean" / "book.tei.xml"))


_PARAGRAPHS = [
    (200, 100, "The first paragraph runs across the whole measure of the page and"),
    (200, 140, "ends on a line that is as long as the others are on this page."),
    (260, 180, "The second paragraph opens on an indented line of the same length"),
    (200, 220, "and runs on to its end, which comes on a shorter line."),
    (200, 260, "It has one more line after that, which closes this block here.")]


def _layout(path: Path) -> tuple[str, list, str]:
    """The repaired text of a file of pages, its layout changes, and the repaired text of its
    text layer read as a plain dump: what the page added."""
    from pipeline import process

    src = source.read(path)
    result = process.repair(src)
    as_text = process.repair(source.decode(Path("layer.txt"), src.data), kind="plain")
    return result.text, [c for c in result.changes if c.stage == "layout"], as_text.text


def test_a_region_the_input_labels_a_heading_is_a_title_and_the_note_says_so(tmp_path):
    path = _write(tmp_path, "p.xml", pages_data.alto_lines(_PARAGRAPHS[:2],
                                                           tag="the accounts of the year"))
    text, changes, as_text = _layout(path)
    assert text.startswith("# the accounts of the year\n\n")
    assert not as_text.startswith("#")  # a lower-case line alone is no title, from text alone
    (title,) = [c for c in changes if c.rule == "mark_title_line"]
    assert title.reason.endswith("from the input: its region is labelled 'heading'")


def test_a_heading_region_of_two_lines_is_one_heading(tmp_path):
    data = pages_data.PAGE.replace(
        '<TextEquiv><Unicode>Accounts</Unicode></TextEquiv></TextLine>',
        '<TextEquiv><Unicode>Accounts</Unicode></TextEquiv></TextLine>'
        '<TextLine id="l0b"><Coords points="100,150 1000,150 1000,200 100,200"/>'
        '<TextEquiv><Unicode>of the abbey</Unicode></TextEquiv></TextLine>')
    text, _, _ = _layout(_write(tmp_path, "folio.xml", data))
    assert text.startswith("# Accounts of the abbey\n\n")


def test_an_indented_line_under_a_full_one_starts_a_paragraph_from_the_page(tmp_path):
    text, changes, as_text = _layout(_write(tmp_path, "p.xml",
                                            pages_data.alto_lines(_PARAGRAPHS)))
    assert "this page.\n\nThe second paragraph" in text
    assert "this page. The second paragraph" in as_text  # the text alone cannot tell
    (split,) = [c for c in changes if c.rule == "split_paragraph"]
    assert split.reason.startswith("from the input: the next line starts 60 right of its "
                                   "block's left edge")
    assert "shorter line. It has one more line" in text  # no indent, no gap: one paragraph


def test_a_wider_gap_between_lines_ends_a_paragraph_from_the_page(tmp_path):
    lines = [(200, top + (40 if top >= 180 else 0), words)
             for (_, top, words) in _PARAGRAPHS]
    text, changes, as_text = _layout(_write(tmp_path, "p.xml", pages_data.alto_lines(lines)))
    assert "this page.\n\nThe second paragraph" in text
    assert "this page. The second paragraph" in as_text
    (split,) = [c for c in changes if c.rule == "split_paragraph"]
    assert split.reason.startswith("from the input: the gap above the next line is 50, where "
                                   "the block's lines are 10 apart")


def test_an_indented_line_after_an_unfinished_sentence_is_not_a_paragraph(tmp_path):
    lines = [(200, 100, "The witness said that the papers had been kept in"),
             (260, 140, "A Box Marked With The Seal of the council and nowhere else.")]
    text, changes, _ = _layout(_write(tmp_path, "p.xml", pages_data.alto_lines(lines)))
    assert not [c for c in changes if c.rule == "split_paragraph"]
    assert "kept in\n\n" not in text


@NEEDS_TESSERACT
@NEEDS_POPPLER
def test_a_pdf_page_without_a_text_layer_is_rendered_and_read_by_tesseract(tmp_path, capsys):
    image = _scan(tmp_path / "page.png", ["The council met on Tuesday and",
                                          "agreed that the archive would open."])
    from PIL import Image

    with Image.open(image) as lines:  # the lines at the top of an A4 page at 150 dpi
        page = Image.new("L", (1240, 1754), 255)
        page.paste(lines.crop((0, 0, 1240, lines.height)), (0, 0))
        data = pages_data.scanned_pdf(1240, 1754, page.tobytes())
    path = _write(tmp_path / "raw", "scanned.pdf", data)
    src = source.read(path)
    assert "council" in src.text and "archive" in src.text
    (page,) = src.original.pages
    assert (page.unit, page.width, page.height) == ("px", 2480, 3509)  # rendered at 300 dpi
    assert [tool[0] for tool in src.original.tools] == ["pdftotext", "pdftohtml", "tesseract"]
    _clean_and_verify(path, tmp_path / "clean", capsys)


@NEEDS_TESSERACT
def test_a_multi_page_tiff_is_one_document_a_page_each(tmp_path):
    from PIL import Image

    first = _scan(tmp_path / "one.png", ["The first page of the minutes."])
    second = _scan(tmp_path / "two.png", ["The second page of the minutes."])
    with Image.open(first) as a, Image.open(second) as b:
        a.save(tmp_path / "minutes.tif", save_all=True, append_images=[b])
    src = source.read(tmp_path / "minutes.tif")
    assert src.original.format == "tiff"
    assert [p.number for p in src.original.pages] == [1, 2]
    assert src.text.count("\f") == 1 and "first page" in src.text.split("\f")[0]
    assert "second page" in src.text.split("\f")[1]


@NEEDS_POPPLER
def test_a_long_pdf_is_read_a_few_pages_at_a_time_into_every_page(tmp_path):
    from pipeline.extract import pdf

    count = 2 * pdf.PAGES_AT_ONCE + 3
    path = _write(tmp_path, "long.pdf", pages_data.pdf(
        [[(72, 760, 11, f"Text of page {n}."), (290, 40, 9, str(n))] for n in range(1, count + 1)]))
    src = source.read(path)
    assert [p.number for p in src.original.pages] == list(range(1, count + 1))
    assert src.text.split("\f")[-1] == f"Text of page {count}.\n\n{count}\n"
    assert {line.font_size for line in src.original.lines} == {11, 9}


def test_alto_is_read_top_margin_print_space_then_foot_as_its_schema_orders_them(tmp_path):
    data = pages_data.alto(4)
    foot = data[data.index("      <BottomMargin>"):data.index("</BottomMargin>") + 16]
    head = foot.replace("BottomMargin", "TopMargin").replace('CONTENT="1"', 'CONTENT="Annals"')
    data = data.replace(foot, "").replace("      <PrintSpace>",
                                          head + foot + "      <PrintSpace>", 1)
    assert data.index("<BottomMargin>") < data.index("<PrintSpace>")
    lines = source.read(_write(tmp_path, "a.xml", data)).original.lines
    assert [(line.text, line.region_type) for line in lines][:2] == [
        ("Annals", "TopMargin"), ("Chapter One", "heading")]
    assert (lines[4].text, lines[4].region_type) == ("1", "BottomMargin")


def test_hocr_without_a_declared_encoding_is_read_as_utf8(tmp_path):
    data = pages_data.HOCR_NO_WORDS.replace(
        "></div>", "><span class='ocr_line' title='bbox 0 0 10 10'>"
                   "<span class='ocrx_word' title='bbox 0 0 10 10'>Müller’s</span></span></div>")
    src = source.read(_write(tmp_path, "x.hocr", data.encode("utf-8")))
    assert src.text == "Müller’s\n"


@pytest.mark.parametrize("name, text", [
    ("notes.md", "<!-- about hOCR -->\nTesseract marks each page with the class ocr_page.\n"),
    ("notes.txt", "A note on PDF headers:\n%PDF-1.4 comes first in the file.\n"),
])
def test_a_text_that_only_mentions_a_page_format_stays_a_text_dump(tmp_path, name, text):
    assert source.read(_write(tmp_path, name, text)).original is None


@NEEDS_TESSERACT
def test_a_scan_in_german_is_read_again_with_the_german_pack(tmp_path):
    from pipeline.extract import tools

    if "deu" not in tools.tesseract_languages():
        pytest.skip("tesseract's German pack is not installed (.ci/run installs "
                    "tesseract-ocr-deu)")
    # Pillow's own font has no umlauts: German words without them.
    path = _scan(tmp_path / "brief.png", ["Der Rat der Stadt hat die Akten und die Briefe",
                                          "nicht mehr, weil sie in das Archiv der Kirche sind."])
    src = source.read(path)
    (tesseract,) = [tool for tool in src.original.tools if tool[0] == "tesseract"]
    assert tesseract[2] == ("OCR, hOCR output, -l deu: the language a first reading with eng "
                            "shows (de)")
    assert "Archiv der Kirche" in src.text


@NEEDS_TESSERACT
def test_an_english_scan_is_read_once(tmp_path, monkeypatch):
    from pipeline.extract import tools

    calls = []
    run = tools.run
    monkeypatch.setattr(tools, "run",
                        lambda *args, **kw: calls.append(args[1]) or run(*args, **kw))
    source.read(_scan(tmp_path / "en.png", ["The council met on Tuesday and agreed that the",
                                            "archive would open in the spring."]))
    assert calls == ["tesseract"]


def test_a_page_image_named_with_spaces_is_a_relative_uri_beside_the_raw_file(tmp_path, capsys):
    path = _write(tmp_path / "raw", "folio.xml",
                  pages_data.PAGE.replace("folio-12r.jpg", "scans/folio 12r.jpg"))
    tei = _clean_and_verify(path, tmp_path / "clean", capsys).decode()
    assert '<graphic url="../raw/scans/folio%2012r.jpg" width="1500px" height="2200px"/>' in tei


def test_a_line_the_input_labels_a_page_number_is_removed_as_furniture(tmp_path):
    text, _, as_text = _layout(_write(tmp_path, "folio.xml", pages_data.PAGE))
    assert text == "# Accounts\n\nItem received from the abbot.\n"
    assert as_text.rstrip().endswith("12")  # from the text alone, a number is a paragraph
    from pipeline import process

    (removed,) = [c for c in process.repair(source.read(tmp_path / "folio.xml")).changes
                  if c.rule == "remove_page_furniture"]
    assert (removed.before, removed.after) == ("\n12\n", "")
    assert removed.reason == "'12': from the input: its region is labelled 'page-number', " \
                             "page furniture"


def test_a_running_head_in_alto_s_top_margin_is_removed_on_a_single_page(tmp_path):
    data = pages_data.alto(4)
    data = data[:data.index('    <Page ID="P2"')] + "  </Layout>\n</alto>\n"
    data = data.replace("      <PrintSpace>", '      <TopMargin><TextBlock ID="T1"><TextLine '
                        'ID="T1L" HPOS="200" VPOS="20" WIDTH="600" HEIGHT="30"><String '
                        'CONTENT="ANNALS OF THE TOWN"/></TextLine></TextBlock></TopMargin>\n'
                        "      <PrintSpace>", 1)
    text, _, _ = _layout(_write(tmp_path, "a.xml", data))
    assert "ANNALS" not in text and text.startswith("# Chapter One\n\n")
    assert "\n1\n" not in text  # the folio in the bottom margin too



def test_a_page_region_transcribed_without_lines_gives_its_own_lines(tmp_path):
    data = pages_data.PAGE.replace(
        '<TextRegion id="r_num" type="page-number">',
        '<TextRegion id="r_note" type="marginalia"><Coords points="1420,300 1490,300 1490,500 '
        '1420,500"/><TextEquiv><Unicode>paid\nin full</Unicode></TextEquiv></TextRegion>\n'
        '    <TextRegion id="r_num" type="page-number">')
    lines = source.read(_write(tmp_path, "folio.xml", data)).original.lines
    assert [(line.text, line.block, line.box) for line in lines[-2:]] == [
        ("paid", "r_note", (1420, 300, 1490, 500)), ("in full", "r_note", (1420, 300, 1490, 500))]


_SIZED = [(72, 760, 20, "The Harbour Report"),
          (72, 720, 11, "The harbour was built in the last century by the city and the"),
          (72, 706, 11, "merchants of the town, who paid for it together."),
          (72, 670, 14, "the early years"),
          (72, 640, 11, "In the early years the harbour saw little trade, and the quays"),
          (72, 626, 11, "stood empty for months at a time.")]


@NEEDS_POPPLER
def test_blocks_set_larger_than_the_body_text_are_titles_ranked_by_size(tmp_path):
    text, changes, as_text = _layout(_write(tmp_path, "r.pdf", pages_data.pdf([_SIZED])))
    assert text.startswith("# The Harbour Report\n\n")
    assert "\n\n## the early years\n\n" in text
    assert "# the early years" not in as_text  # from the text alone, a lower-case line
    reasons = [c.reason for c in changes if c.rule == "mark_title_line"]
    assert reasons[1].endswith("from the input: its block is set in 14, where the body text "
                               "is 11")


@NEEDS_POPPLER
def test_a_drop_capital_or_a_long_passage_in_large_type_is_no_title(tmp_path):
    quote = [(72, 700 - 20 * k, 16, f"A passage in display type, line {k} of a long quotation")
             for k in range(5)]
    lines = [(72, 760, 30, "T"), (100, 760, 11, "he harbour was built in the last century by"),
             *quote, *_SIZED[1:3], *_SIZED[4:]]
    _, changes, _ = _layout(_write(tmp_path, "q.pdf", pages_data.pdf([lines])))
    assert not [c for c in changes if c.rule == "mark_title_line" and "from the input" in c.reason]


def test_a_hanging_indent_marks_no_paragraph(tmp_path):
    lines = [(200, 100, "Archive of the Town Council. Minutes."),
             (260, 140, "Volume One, from the year of the founding."),
             (200, 180, "Archive of the Harbour Board. Letters."),
             (260, 220, "Volume Two, the first decade of its trade.")]
    _, changes, _ = _layout(_write(tmp_path, "b.xml", pages_data.alto_lines(lines)))
    assert not [c for c in changes if c.reason.startswith("from the input: the next line")]


@NEEDS_TESSERACT
def test_the_collection_s_ocr_language_is_used_at_once_and_a_missing_pack_named(tmp_path,
                                                                               monkeypatch):
    path = _scan(tmp_path / "scan.png", ["The council met on Tuesday and agreed."])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\nocr_language = "eng"\n')
    (tesseract,) = [t for t in source.read(path).original.tools if t[0] == "tesseract"]
    assert tesseract[2] == "OCR, hOCR output, -l eng: set in [tool.pipeline] ocr_language"
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\nocr_language = "xyz"\n')
    with pytest.raises(InputError) as refused:
        source.read(path)
    assert refused.value.message == ("needs tesseract's xyz language pack; install Debian's "
                                     "tesseract-ocr-xyz")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\nocr_language = "eng; rm"\n')
    with pytest.raises(InputError, match="ocr_language is 'eng; rm'; it names tesseract's"):
        source.read(path)
