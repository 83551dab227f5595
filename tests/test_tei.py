"""The TEI contract: golden files reviewed as diffs, validity, and what the body and notes hold.

Golden files are regenerated on purpose (`pytest --force-regen`) and reviewed in `git diff`.
The sample's golden file is the committed `clean/` output itself, so a rule change that alters the
real output fails here until the new output is regenerated and reviewed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from pipeline import editorial, process, schema, source, tei
from pipeline.model import Change, Decision

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SAMPLE = ROOT / "raw" / "000_5f556d4f1fe15307.txt"
NS = {"t": tei.TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _write(raw: Path, out: Path) -> bytes:
    return tei.write(process.repair(source.read(raw)), out)


def _cleaned(tmp_path: Path, name: str, content: str) -> tuple[Path, Path]:
    """`content` written as raw/`name` and cleaned to clean/, as `make` lays them out."""
    raw, out = tmp_path / "raw" / name, tmp_path / "clean" / f"{Path(name).stem}.tei.xml"
    raw.parent.mkdir(exist_ok=True)
    out.parent.mkdir(exist_ok=True)
    raw.write_text(content, encoding="utf-8")
    out.write_bytes(_write(raw, out))
    return raw, out


@pytest.fixture(scope="module")
def sample() -> etree._Element:
    return etree.fromstring(_write(SAMPLE, ROOT / "clean" / "x.tei.xml"))


def test_sample_matches_committed_clean_output(file_regression):
    out = ROOT / "clean" / "000_5f556d4f1fe15307.tei.xml"
    file_regression.check(_write(SAMPLE, out).decode("utf-8"), fullpath=out, encoding="utf-8")


@pytest.mark.parametrize("raw", sorted([*GOLDEN.glob("*.md"), *GOLDEN.glob("*.txt")]),
                         ids=lambda p: p.stem)
def test_small_golden_files(raw, file_regression):
    out = raw.with_suffix(".tei.xml")
    file_regression.check(_write(raw, out).decode("utf-8"), fullpath=out, encoding="utf-8")


@pytest.mark.parametrize("path", [*sorted(GOLDEN.glob("*.tei.xml")),
                                  *sorted((ROOT / "clean").glob("*.tei.xml"))],
                         ids=lambda p: p.name)
def test_golden_and_clean_files_are_valid_tei(path):
    assert schema.errors(path.read_bytes()) == []


def test_sample_structure(sample):
    body = sample.find(".//t:text/t:body", NS)
    articles = body.findall("t:div[@type='article']", NS)
    assert len(articles) == 7
    assert [len(a.findall("t:head", NS)) for a in articles] == [0, 1, 1, 1, 1, 1, 1]
    assert sample.findtext(".//t:titleStmt/t:author", namespaces=NS) == "Andrew Korybko"
    assert articles[0][0].tag == f"{{{tei.TEI_NS}}}byline"
    quotes = body.findall(".//t:quote", NS)
    assert len(quotes) == 2 and len(quotes[1].findall("t:p", NS)) == 4


def test_lost_targets_are_refs_without_target(sample):
    refs = sample.findall(".//t:body//t:ref", NS)
    assert refs and all(ref.get("target") is None for ref in refs)
    text = "".join(sample.find(".//t:body", NS).itertext())
    assert "(#)" not in text and "](" not in text


def test_every_note_points_at_a_body_element_and_ids_are_unique(sample):
    ids = [e.get(XML_ID) for e in sample.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids))
    body_ids = {e.get(XML_ID) for e in sample.find(".//t:text", NS).iter() if e.get(XML_ID)}
    records = sample.findall(".//t:listChange[@type='provenance']/t:change", NS)
    assert records and all(record.get("target")[1:] in body_ids for record in records)
    assert sample.find("t:standOff", NS) is None, "nothing a renderer would show after the text"


def test_records_carry_rule_kind_responsibility_certainty_and_raw_location(sample):
    record = sample.find(".//t:change[@subtype='join_midsentence_break']", NS)
    assert (record.get("n"), record.get("type")) == ("breaks", "structure")
    assert (record.get("resp"), record.get("cert")) == ("#pipeline", "medium")
    assert sample.find(".//t:titleStmt/t:respStmt", NS).get(XML_ID) == "pipeline"
    assert record.get(XML_ID).startswith("chg-join_midsentence_break-")
    assert record.find("t:choice/t:orig", NS).text == "\n\n"
    assert record.find("t:choice/t:reg", NS).text == " "
    assert record.find("t:ptr[@type='raw']", NS).get("target").startswith(
        "raw:000_5f556d4f1fe15307.txt#char=")
    prefix = sample.find(".//t:listPrefixDef/t:prefixDef[@ident='raw']", NS)
    assert prefix.get("replacementPattern") == "../raw/$1"
    assert record.findtext("t:label", namespaces=NS).startswith("line ")
    lost = sample.find(".//t:change[@subtype='drop_lost_link_target']", NS)
    assert (lost.get("type"), lost.get("cert")) == ("correction", "high")
    assert [lost.find(f"t:choice/t:{n}", NS).text or "" for n in ("sic", "corr")] == ["#", ""]
    exact = [seg.text or "" for seg in lost.findall("t:seg[@type='markdown']", NS)]
    assert exact == ["(#)", "()"], "the exact edit, for replay, where it reads otherwise"


def test_header_names_the_raw_file_tool_rules_and_counts(sample):
    header = sample.find("t:teiHeader", NS)
    assert header.findtext(".//t:idno[@type='sha256']", namespaces=NS) == \
        source.read(SAMPLE).sha256
    assert header.find(".//t:measure", NS).get("quantity") == str(SAMPLE.stat().st_size)
    assert header.find(".//t:appInfo/t:application", NS).get("ident") == "pipeline"
    assert header.find(".//t:editorialDecl/t:segmentation/t:p[@n='breaks/join_midsentence_break']",
                       NS) is not None
    assert header.find(".//t:editorialDecl/t:hyphenation/t:p[@n='breaks/join_hyphenated_word']",
                       NS) is not None
    changes = header.findall(".//t:revisionDesc/t:listChange/t:change", NS)
    assert [c.get("n") for c in changes] == ["encoding", "pages", "layout", "links", "breaks",
                                             "headings", "structure"]
    assert header.find(".//t:sourceDesc//t:note[@type='input-kind']", NS).get("n") == "markdown"
    assert all(c.get("when") is None for c in changes), "no run timestamp without the epoch"


def test_source_date_epoch_dates_the_revisions(monkeypatch, tmp_path):
    raw = tmp_path / "d.md"
    raw.write_text("Uno.\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    document = etree.fromstring(_write(raw, tmp_path / "d.tei.xml"))
    stages = document.iterfind(".//t:revisionDesc/t:listChange/t:change", NS)
    assert {c.get("when") for c in stages} == {"2023-11-14"}
    assert document.find(".//t:application", NS).get("when") == "2023-11-14"
    assert document.find(".//t:publicationStmt/t:date", NS).get("when") == "2023-11-14"


def test_forbidden_xml_characters_in_a_note_are_shown_as_g(tmp_path):
    raw = tmp_path / "d.md"
    raw.write_bytes(b"Hello\x01 world.\n")
    document = etree.fromstring(_write(raw, tmp_path / "d.tei.xml"))
    orig = document.find(".//t:change[@subtype='remove_control_chars']/t:choice/t:sic", NS)
    assert orig[0].get("n") == "U+0001"
    assert schema.errors(etree.tostring(document)) == []


def test_block_ids_count_the_raw_file_characters_of_a_crlf_dump(tmp_path):
    raw = tmp_path / "d.txt"
    raw.write_bytes(b"First paragraph ends here.\r\n\r\nSecond one.\r\n")
    document = etree.fromstring(_write(raw, tmp_path / "d.tei.xml"))
    ids = [p.get(XML_ID) for p in document.iterfind(".//t:body//t:p", NS)]
    second = raw.read_bytes().decode().index("Second")
    assert ids == ["p-0", f"p-{second}"]


def test_each_note_is_one_line_and_line_ends_survive(tmp_path):
    raw = tmp_path / "d.md"
    raw.write_text("A sentence cut\n\nin two.\n", encoding="utf-8")
    data = _write(raw, tmp_path / "d.tei.xml")
    notes = [line for line in data.decode().splitlines() if '<change xml:id="chg-' in line]
    assert len(notes) == 1 and "<orig>&#10;&#10;</orig>" in notes[0]
    document = etree.fromstring(data)
    assert document.find(".//t:change/t:choice/t:orig", NS).text == "\n\n"


def test_a_dump_using_private_use_characters_keeps_them_and_notes_stay_on_one_line(tmp_path):
    raw = tmp_path / "d.md"
    raw.write_text("A sentence \ue000 cut\n\nin two.\n", encoding="utf-8")
    data = _write(raw, tmp_path / "d.tei.xml")
    notes = [line for line in data.decode().splitlines() if '<change xml:id="chg-' in line]
    assert len(notes) == 1 and "<orig>&#10;&#10;</orig>" in notes[0]
    document = etree.fromstring(data)
    assert document.find(".//t:change/t:choice/t:orig", NS).text == "\n\n"
    assert "\ue000" in "".join(document.find(".//t:body", NS).itertext())


def test_a_byline_under_the_title_stays_under_it(tmp_path):
    from pipeline.verify import verify

    raw, out = _cleaned(tmp_path, "d.md", "# The Harbour Archive Reopens\n\n*By Jane Whitfield*\n\n"
                                          "The archive reopened on Monday after two years.\n")
    div = etree.fromstring(out.read_bytes()).find(".//t:body/t:div", NS)
    assert [etree.QName(child).localname for child in div] == ["head", "byline", "p"]
    assert all(check.ok for check in verify(raw, out))


def test_footnotes_are_written_at_their_marks(tmp_path):
    from pipeline.verify import verify

    raw, out = _cleaned(tmp_path, "fn.md",
                        "The archive was founded in 1931[^1] and moved in 1960.[^2] Again.[^1]\n\n"
                        "[^1]: By the town council.\n\n[^2]: To the old convent.\n\n"
                        "[^2]: A second note with the same label.\n\nMore text.\n")
    data = out.read_bytes()
    assert schema.errors(data) == []
    body = etree.fromstring(data).find(".//t:body", NS)
    paragraph = body.find("t:p", NS)
    notes = paragraph.findall("t:note[@place='foot']", NS)
    assert [(n.get("n"), "".join(n.itertext())) for n in notes] == [
        ("1", "By the town council."), ("2", "To the old convent.")]
    assert notes[0].getprevious() is None and paragraph.text.endswith("in 1931")
    again = paragraph.find("t:ptr[@type='noteAnchor']", NS)
    assert (again.get("n"), again.get("target")) == ("1", "#" + notes[0].get(XML_ID))
    assert body.find(".//t:ref[@type='noteAnchor']", NS) is None, "no empty reference"
    unreferenced = body.findall("t:note[@place='foot']", NS)
    assert ["".join(n.itertext()) for n in unreferenced] == ["A second note with the same label."]
    assert all(check.ok for check in verify(raw, out))


def test_an_autolinked_mail_address_links_to_its_mailto_address(tmp_path):
    raw = tmp_path / "mail.md"
    raw.write_text("Write to <archivo@example.org> or see <https://example.org/a>.\n",
                   encoding="utf-8")
    body = etree.fromstring(_write(raw, tmp_path / "mail.tei.xml")).find(".//t:body", NS)
    assert [ref.get("target") for ref in body.iter(f"{{{tei.TEI_NS}}}ref")] == [
        "mailto:archivo@example.org", "https://example.org/a"]


def _infoset(element) -> tuple:
    """What an element says: name, attributes, text, children and the text after each."""
    return (element.tag, dict(element.attrib), element.text or "",
            [(_infoset(child), child.tail or "") for child in element])


def _note_as_elements(change, note_id, target, raw_ref, reviewers, step) -> etree._Element:
    """The change record built as lxml elements, as `tei._record` must read back."""
    resp = "#pipeline" + (f" #{reviewers[change.decision.reviewer]}"
                          if change.decision and change.applied else "")
    note = tei.E("change", {"xml:id": note_id, "type": "correction", "subtype": change.rule,
                            "n": change.stage, "target": "#" + target, "resp": resp,
                            "cert": "high"})
    choice = tei.sub(note, "choice")
    tei.sub(choice, "sic", text=editorial.reading(change.before))
    tei.sub(choice, "corr", text=editorial.reading(change.after))
    if (editorial.reading(change.before), editorial.reading(change.after)) != (change.before,
                                                                               change.after):
        tei.sub(note, "seg", {"type": "markdown", "subtype": "before"}, change.before)
        tei.sub(note, "seg", {"type": "markdown", "subtype": "after"}, change.after)
    tei.sub(note, "ptr", {"type": "raw",
                          "target": f"raw:{raw_ref}#char={change.raw_start},{change.raw_end}"})
    if step is not None:
        tei.sub(note, "num", {"type": "offset-step", "value": str(step)})
    tei.sub(note, "label", text=f"line {change.raw_line}, column {change.raw_column}")
    if change.decision:
        decision = change.decision
        seg = tei.sub(note, "seg", {"type": "decision",
                                    "subtype": "accepted" if change.applied else "rejected",
                                    "resp": "#" + reviewers[decision.reviewer]})
        tei.sub(seg, "date", {"when": decision.date}, decision.date)
        tei._append_text(seg, f": {'accepted' if change.applied else 'rejected, not applied'} "
                              f"by {decision.reviewer}"
                              + (f": {decision.comment}" if decision.comment else ""))
    tei.sub(note, "p", text=change.reason)
    return note


# Text with what XML escapes or cannot carry: markup characters, quotes, CR, tabs, line ends,
# C0 controls, noncharacters, astral characters.
_TRICKY = st.text(st.sampled_from(list("a é&<>\"'\r\n\t\x01\x0c\x1f\ufffe\uffff😀]]>-#()*\\")),
                  max_size=12)


@settings(max_examples=300, deadline=None)
@given(before=_TRICKY, after=_TRICKY, reason=_TRICKY, comment=_TRICKY,
       raw_ref=st.text(st.sampled_from(list("a/.é&<>\"'\t ")), min_size=1, max_size=8),
       step=st.none() | st.integers(0, 10**6), verdict=st.none() | st.sampled_from(
           ["accept", "reject"]))
def test_notes_written_as_text_read_as_the_notes_lxml_would_build(before, after, reason, comment,
                                                                  raw_ref, step, verdict):
    decision = None if verdict is None else Decision(
        "chg-x-1", verdict, "Ana <&>", "2026-11-26", comment, before, after)
    change = Change("links", "drop_lost_link_target", reason, before, after, 3, 7, 1, 4, 3, 3, 5,
                    decision)
    reviewers = {"Ana <&>": "reviewer-ana"}
    written = tei._record(change, "chg-x-1", "p-0", raw_ref, reviewers, step)
    assert "\n" not in written
    read = etree.fromstring(f'<TEI xmlns="{tei.TEI_NS}">{written}</TEI>')[0]
    assert _infoset(read) == _infoset(_note_as_elements(change, "chg-x-1", "p-0", raw_ref,
                                                        reviewers, step))


def test_kept_line_ends_are_line_beginnings(tmp_path):
    raw = tmp_path / "poem.txt"
    raw.write_text("Caminante, son tus huellas\nel camino y nada más;\ncaminante, no hay camino,\n"
                   "se hace camino al andar.\n", encoding="utf-8")
    document = etree.fromstring(_write(raw, tmp_path / "poem.tei.xml"))
    paragraph = document.find(".//t:body//t:p", NS)
    assert len(paragraph.findall("t:lb", NS)) == 3
    assert "".join(paragraph.itertext()).split("\n")[1] == "el camino y nada más;"


def test_a_tight_item_with_a_list_under_it_is_one_paragraph_and_verifies(tmp_path):
    from pipeline.verify import verify

    raw, out = _cleaned(tmp_path, "lists.md",
                        "- One *two*\n  - One.a\n- Two\n\n1. First\n   > quoted\n2. Second\n")
    item = etree.fromstring(out.read_bytes()).find(".//t:body/t:list/t:item", NS)
    assert [etree.QName(child).localname for child in item] == ["p", "list"]
    assert "".join(item[0].itertext()) == "One two"
    assert all(check.ok for check in verify(raw, out))


def test_front_matter_fields_the_writer_does_not_map_are_kept_as_notes(tmp_path):
    _, out = _cleaned(tmp_path, "front.md",
                      "---\ntitle: Il fondo\ndate: 2020-05-01\ntags: [archivio, restauro]\n"
                      "source_url: https://example.org/x?a=1&b=2\n---\n\n"
                      "Il fondo è stato restaurato nel 2019.\n")
    document = etree.fromstring(out.read_bytes())
    notes = {note.get("n"): note.text for note in
             document.iterfind(".//t:sourceDesc//t:note[@type='front-matter']", NS)}
    assert notes == {"tags": "[archivio, restauro]"}
    work = document.find(".//t:sourceDesc/t:bibl[@type='work']", NS)
    assert [(etree.QName(e).localname, e.text) for e in work] == [
        ("title", "Il fondo"), ("date", "2020-05-01"),
        ("ref", "https://example.org/x?a=1&b=2")]
    assert work.find("t:ref", NS).get("target") == "https://example.org/x?a=1&b=2"
    assert document.find(".//t:titleStmt/t:title", NS).text == "Il fondo"


def test_internal_links_point_at_the_heading_or_the_marked_element(tmp_path):
    from pipeline.verify import verify

    raw, out = _cleaned(tmp_path, "links.md",
                        "# Part one\n\nAs [part two](#part-two) says, [the method](#method) "
                        "shows and [nowhere](#missing) does not.\n\n# Part two\n\nThe second.\n\n"
                        "## How it was done {#method}\n\nBy hand.\n")
    document = etree.fromstring(out.read_bytes())
    heads = {h.text: h.get(XML_ID) for h in document.iterfind(".//t:head", NS)}
    refs = [(ref.text, ref.get("target")) for ref in document.iterfind(".//t:body//t:ref", NS)]
    assert refs == [("part two", "#" + heads["Part two"]),
                    ("the method", "#" + heads["How it was done"]), ("nowhere", None)]
    lost = document.find(".//t:notesStmt/t:note[@type='unresolved-link']", NS)
    assert "'#missing'" in lost.text and lost.get("target") == "#p-12"
    assert schema.errors(out.read_bytes()) == []
    assert all(check.ok for check in verify(raw, out))


def test_the_header_says_who_publishes_under_which_licence_and_what_the_work_is(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline.tei]\npublisher = "Archivo Municipal"\nlicence = "CC BY 4.0"\n'
        'licence_url = "https://creativecommons.org/licenses/by/4.0/"\n'
        'code_url = "https://example.org/pipeline"\n'
        '[tool.pipeline.tei.source]\npublisher = "Editorial Sur"\n', encoding="utf-8")
    _, out = _cleaned(tmp_path, "d.md", "---\ntitle: Il fondo\nauthor: Ana Ruiz\n---\n\nTesto.\n")
    header = etree.fromstring(out.read_bytes()).find("t:teiHeader", NS)
    publication = header.find(".//t:publicationStmt", NS)
    assert [(etree.QName(e).localname, e.text) for e in publication.iter() if e.text and
            e.text.strip()] == [("publisher", "Archivo Municipal"), ("idno", "d.tei.xml"),
                                ("licence", "CC BY 4.0")]
    assert publication.find(".//t:licence", NS).get("target").startswith("https://creative")
    work = header.find(".//t:sourceDesc/t:bibl[@type='work']", NS)
    assert [(etree.QName(e).localname, e.text) for e in work] == [
        ("title", "Il fondo"), ("author", "Ana Ruiz"), ("publisher", "Editorial Sur")]
    application = header.find(".//t:application", NS)
    assert application.find("t:ref", NS).get("target") == "https://example.org/pipeline"
    assert application.findtext("t:desc", namespaces=NS).startswith("Cleans raw text dumps")


def test_without_settings_the_header_says_publisher_and_licence_are_unknown(tmp_path,
                                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, out = _cleaned(tmp_path, "d.md", "Testo.\n")
    publication = etree.fromstring(out.read_bytes()).find(".//t:publicationStmt", NS)
    assert publication.findtext("t:publisher", namespaces=NS) == "unknown"
    assert publication.find("t:availability", NS).get("status") == "unknown"
    assert publication.find("t:date", NS) is None, "no date without settings or the epoch"


def test_a_setting_the_header_does_not_know_is_one_line(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline.tei]\npublsher = "X"\n')
    (tmp_path / "d.md").write_text("Testo.\n", encoding="utf-8")
    assert main(["run", "d.md", "--out", "clean"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[tool.pipeline.tei] has no setting 'publsher'" in err


@pytest.mark.parametrize("line, place, next_word, expected", [
    ("12", "bottom", "", [("pageNum", "bottom", "12")]),
    ("- xiv -", "top", "", [("pageNum", "top", "- xiv -")]),
    ("4   THE MANOR", "top", "", [("pageNum", "top", "4"), ("header", "top", "THE MANOR")]),
    ("THE MANOR   5", "top", "", [("header", "top", "THE MANOR"), ("pageNum", "top", "5")]),
    ("B2", "bottom", "", [("sig", "bottom", "B2")]),
    ("whereof", "bottom", "whereof", [("catch", "bottom", "whereof")]),
    ("whereof", "bottom", "Thus", [("footer", "bottom", "whereof")]),
    ("whereof", "bottom", "whereof,", [("catch", "bottom", "whereof")]),
    ("Bb3", "bottom", "", [("sig", "bottom", "Bb3")]),
    ("THE END", "bottom", "", [("footer", "bottom", "THE END")]),
    ("DRAFT", "bottom", "", [("footer", "bottom", "DRAFT")]),
    ("Informe anual  12", "bottom", "", [("footer", "bottom", "Informe anual"),
                                          ("pageNum", "bottom", "12")]),
    ("Annual report 2024", "top", "", [("header", "top", "Annual report 2024")]),
])
def test_page_furniture_is_told_apart_for_fw(line, place, next_word, expected):
    assert tei._fw(line, place, next_word) == expected


def test_a_number_beside_a_head_is_its_folio_when_it_is_the_page_number():
    assert tei._fw("HISTORY 3", "top", "", "3") == [("header", "top", "HISTORY"),
                                                     ("pageNum", "top", "3")]


def test_records_read_as_text_where_the_edit_is_markdown_syntax(tmp_path):
    from pipeline.verify import verify

    raw, out = _cleaned(tmp_path, "d.txt", "The minutes were marked *draft* by the clerk of "
                                           "the county court that morning.\n\n• first point\n"
                                           "• second point\n")
    document = etree.fromstring(out.read_bytes())

    def read(rule):
        record = document.find(f".//t:change[@subtype='{rule}']", NS)
        return ([record.find(f"t:choice/t:{n}", NS).text or "" for n in ("orig", "reg")],
                [seg.text or "" for seg in record.findall("t:seg[@type='markdown']", NS)])

    assert read("escape_markup") == (["*", "*"], ["*", "\\*"])
    assert read("mark_list_item") == (["• ", ""], ["• ", "- "])
    assert all(check.ok for check in verify(raw, out))


def test_a_file_verifies_away_from_the_settings_it_was_written_with(tmp_path, monkeypatch):
    from pipeline.verify import verify

    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.pipeline.tei]\npublisher = "Archivo Municipal"\nlicence = "CC0"\n'
        'authority = "Ayuntamiento"\ncode_url = "https://example.org/p"\n'
        '[tool.pipeline.tei.source]\nurl = "https://example.org/w"\n', encoding="utf-8")
    monkeypatch.chdir(project)
    raw, out = _cleaned(project, "d.md", "# Il fondo\n\nTesto.\n")
    monkeypatch.chdir(elsewhere)  # as a deposited bag is checked, without the project's settings
    assert [check.name for check in verify(raw, out) if not check.ok] == []


def test_every_rule_has_a_kind_a_certainty_and_a_heading():
    from pipeline.stages import STAGES

    rules = {rule for stage in STAGES for rule in stage.RULES}
    assert rules == set(editorial.RULES), "pipeline/editorial.py must describe every rule"
    assert {kind for kind, _, _ in editorial.RULES.values()} == {
        "correction", "normalization", "structure"}
    assert {cert for _, cert, _ in editorial.RULES.values()} <= {"high", "medium", "low"}
    assert {heading for _, _, heading in editorial.RULES.values()} == set(editorial.HEADINGS)


def test_front_matter_the_work_cannot_say_is_kept_as_a_note(tmp_path):
    _, out = _cleaned(tmp_path, "d.md", "---\ntitle: X\nurl: see the archive\nlink: https://a.org/x"
                                        "\npublisher: [Sur, Norte]\n---\n\nTesto.\n")
    document = etree.fromstring(out.read_bytes())
    notes = {note.get("n"): note.text for note in
             document.iterfind(".//t:sourceDesc//t:note[@type='front-matter']", NS)}
    assert notes == {"link": "https://a.org/x", "publisher": "[Sur, Norte]"}
    ref = document.find(".//t:bibl[@type='work']/t:ref", NS)
    assert (ref.text, ref.get("target")) == ("see the archive", None), "no address: no target"
    assert schema.errors(out.read_bytes()) == []
