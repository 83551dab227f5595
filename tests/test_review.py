"""The review page as a reviewer meets it: every change on the page, filters, keys, and an export
that the next run reads.

The HTML is checked twice: as text (escaping, ids, determinism; no browser needed) and in a real
headless browser, Debian's chromium driven by Playwright, on the real sample dump. The browser tests
are skipped, with the reason, only on a machine without /usr/bin/chromium outside CI; in CI
(`CI=true`) a missing browser is a failure, never a skip. One browser serves the whole session.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from pipeline import decisions, process, review, source, tei
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "raw" / "000_5f556d4f1fe15307.txt"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": tei.TEI_NS}

# CRLF line endings, a character beyond U+FFFF (two in JavaScript's count, one in Python's),
# mojibake, a control character, a lost link target, a space before a comma,
# a sentence cut by a blank line, a paragraph left unfinished before a heading (a doubt), and text
# that must be escaped, not interpreted.
SMALL = ("# Minutes \U0001f4dc <script>alert('x')</script> & notes\r\n\r\n"
         "The committee met on Tuesday and agreed that the\r\n\r\n"
         "archive would open in May , said [the chair](#).\r\n\r\n"
         "Caf\u00c3\u00a9 budget was set at the\r\n\r\n"
         "## Results of the first year\r\n\r\n"
         "Participation\u00a0exceeded every forecast.\x07\r\n")


def _ids(document: etree._Element, kind: str) -> list[str]:
    path = ".//t:listChange[@type='provenance']/t:change" if kind == "provenance" else \
        f".//t:note[@type='{kind}']"
    return [note.get(XML_ID) for note in document.iterfind(path, NS)]


def _small(tmp_path: Path):
    raw = tmp_path / "minutes.txt"
    raw.write_bytes(SMALL.encode("utf-8"))
    result = process.repair(source.read(raw))
    return raw, result


# --- the HTML itself -------------------------------------------------------------------------


def _pane_text(pane: lxml_html.HtmlElement) -> tuple[str, list[int]]:
    """The text a pane stands for, each element in it read as the one character it stands for,
    and the offset each block says it starts at."""
    text, offsets = [], []
    for block in pane:
        offsets.append(int(block.get("data-at")))
        assert len("".join(text)) == offsets[-1]
        text.append(block.text or "")
        for atom in block:
            kind = atom.get("class")
            assert kind in ("x-cr", "x-sp", "x-char", "ctl")
            text.append("\r" if kind == "x-cr" else
                        chr(int(atom.text.removeprefix("U+"), 16)) if kind == "ctl" else atom.text)
            text.append(atom.tail or "")
    return "".join(text), offsets


def test_page_holds_every_change_and_doubt_of_the_tei_escaped_and_deterministic(tmp_path):
    raw, result = _small(tmp_path)
    out = tmp_path / "build" / "minutes.html"
    data = review.page(result, out)
    assert data == review.page(result, out), "same input, same bytes"
    assert data.startswith(b"<!DOCTYPE html>")
    page = lxml_html.fromstring(data)
    document = etree.fromstring(tei.write(result, tmp_path / "minutes.tei.xml"))
    changes, doubts = _ids(document, "provenance"), _ids(document, "doubt")
    assert len(changes) == len(result.changes) >= 5 and len(doubts) == len(result.doubts) == 1
    embedded = json.loads(page.get_element_by_id("review-data").text)
    assert [change[0] for change in embedded["changes"]] == changes
    assert [doubt[0] for doubt in embedded["doubts"]] == doubts
    assert doubts[0] in page.get_element_by_id(doubts[0]).text_content()
    # The dump's markup is text on the page: only the page's own two scripts exist.
    assert len(page.findall(".//script")) == 2
    raw_text = page.get_element_by_id("raw-text").text_content()
    assert "<script>alert('x')</script> & notes" in raw_text
    assert b"<script>alert" not in data and b"&lt;script&gt;alert" in data
    # Each text is written once, whole, CRs and the control character included, as blocks that
    # say where they start: what the script needs to place every change.
    assert _pane_text(page.get_element_by_id("raw-text"))[0] == SMALL
    assert _pane_text(page.get_element_by_id("clean-text"))[0] == result.text
    join = next(c for c in result.changes if c.rule == "join_midsentence_break")
    entry = next(change for change in embedded["changes"] if change[0] == join.id)
    assert entry[2:10] == [join.raw_start, join.raw_end, join.final_start, join.final_end,
                           join.raw_line, join.raw_column, "\n\n", " "]
    assert embedded["reasons"][entry[10]] == join.reason
    assert page.get_element_by_id("count-undecided").text == str(len(result.changes))


def test_long_text_is_written_in_blocks_of_whole_lines():
    text = "".join(f"Line {n} of a long dump \U0001f4dc, with some words.\r\n"
                   for n in range(2000))
    result = process.repair(source.decode(Path("long.txt"), text.encode("utf-8")))
    page = lxml_html.fromstring(review.page(result, Path("long.html")))
    pane = page.get_element_by_id("raw-text")
    written, offsets = _pane_text(pane)
    assert written == text and len(offsets) > 10
    assert all(text[offset - 1] == "\n" for offset in offsets[1:])


def test_a_page_stays_within_ten_times_its_dump():
    """A plain text whose every line end is repaired: a few hundred KB, thousands of changes.
    Written as HTML, each change's highlights and list entry made pages 20 to 60 times their
    dump; as data, the page is the two texts and a few hundred bytes a change."""
    words = ("the archive of river town council minutes letters drafts notebooks family flood "
             "year water rose careful hand dated described measured volunteers recipes debts "
             "spring summer boxes attic decades").split()
    paragraphs = []
    for n in range(700):
        paragraph = " ".join(words[(n * 7 + k * k) % len(words)] for k in range(70))
        paragraphs.append(textwrap.fill(paragraph.capitalize() + ".", 60))
    text = "\n\n".join(paragraphs) + "\n"
    dump = text.encode("utf-8")
    result = process.repair(source.decode(Path("minutes.txt"), dump))
    assert 250_000 < len(dump) < 400_000 and len(result.changes) > 4000
    page = review.page(result, Path("minutes.html"))
    assert len(page) <= 10 * len(dump), f"{len(page) / len(dump):.1f} times the dump"


def test_recorded_and_stale_decisions_are_shown_and_counted(tmp_path):
    raw, result = _small(tmp_path)
    join = next(c for c in result.changes if c.rule == "join_midsentence_break")
    folder = tmp_path / "review"
    folder.mkdir()
    decisions.path_for(folder, raw).write_text(json.dumps({"document": raw.name, "decisions": {
        join.id: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                  "comment": "two <paragraphs> in print", "before": join.before, "after": " "},
        "chg-join_midsentence_break-9999": {"decision": "accept", "reviewer": "Ben Ode",
                                            "date": "2026-11-21", "before": "x", "after": "y"},
    }}))
    out = tmp_path / "pages"
    assert main(["review", str(raw), "--out", str(out), "--decisions", str(folder)]) == 0
    page = lxml_html.fromstring((out / "minutes.html").read_bytes())
    embedded = json.loads(page.get_element_by_id("review-data").text)
    entry = next(change for change in embedded["changes"] if change[0] == join.id)
    assert entry[11] == ["reject", "Ana Ruiz", "2026-11-20", "two <paragraphs> in print"]
    total = len(result.changes)
    assert page.get_element_by_id("count-undecided").text == str(total - 1)
    stale = page.get_element_by_id("stale").text_content()
    assert "chg-join_midsentence_break-9999" in stale and "no change has this id" in stale
    index = lxml_html.fromstring((out / "index.html").read_bytes())
    row = index.xpath("//tbody/tr")[0]
    assert [cell.text_content() for cell in row] == ["minutes.txt", str(total), str(total - 1),
                                                     "1", "1", "1"]
    assert row.xpath(".//a/@href") == ["minutes.html"]


def test_cli_review_writes_a_page_per_dump_and_names_the_bad_ones(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.md").write_text("A sentence that was cut\n\nin two by a page break.\n")
    (raw / "b.txt").write_bytes(b"")
    out = tmp_path / "pages"
    assert main(["review", str(raw), "--out", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "index.html"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "b.txt: is empty" in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "b.txt: is empty" in index and 'href="a.html"' in index


# --- in a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_review(tmp_path_factory):
    """The sample dump with one rejected, one accepted and one stale decision: its page and TEI."""
    folder = tmp_path_factory.mktemp("sample")
    plain = process.repair(source.read(SAMPLE))
    join = next(c for c in plain.changes if c.rule == "join_midsentence_break")
    link = [c for c in plain.changes if c.rule == "drop_lost_link_target"][1]
    recorded = {
        join.id: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                  "comment": "two paragraphs in the print edition", "before": join.before,
                  "after": join.after},
        link.id: {"decision": "accept", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                  "before": link.before, "after": link.after},
        "chg-drop_lost_link_target-999999": {"decision": "reject", "reviewer": "Ben Ode",
                                             "date": "2026-11-21", "before": "(#)",
                                             "after": "()"},
    }
    decisions_path = decisions.path_for(folder, SAMPLE)
    decisions_path.write_text(json.dumps({"document": SAMPLE.name, "decisions": recorded}))
    result = process.repair(source.read(SAMPLE), decisions=decisions.load(decisions_path))
    page_path = folder / review.filename(SAMPLE)
    page_path.write_bytes(review.page(result, page_path))
    document = etree.fromstring(tei.write(result, folder / "sample.tei.xml"))
    return page_path, result, document, recorded


@pytest.fixture
def page(browser, sample_review):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("request", lambda r: None if r.url.startswith(("file:", "blob:", "data:"))
              else problems.append(f"network request: {r.url}"))
    opened.goto(sample_review[0].as_uri())
    opened.problems = problems
    yield opened
    context.close()


def _shown(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('li.change')]"
                         ".filter(li => li.getBoundingClientRect().height > 0).map(li => li.id)")


def test_page_loads_without_errors_and_shows_every_tei_change(page, sample_review):
    _, result, document, _ = sample_review
    tei_ids = _ids(document, "provenance")
    assert len(tei_ids) == len(result.changes) > 100
    found = page.evaluate("ids => ids.filter(id => { const el = document.getElementById(id);"
                          " return el && el.textContent.includes(id); })", tei_ids)
    assert found == tei_ids
    assert page.text_content("#count-undecided") == str(len(result.changes) - 2)
    assert "two paragraphs in the print edition" in page.text_content("li.change.rejected")
    assert "chg-drop_lost_link_target-999999" in page.text_content("#stale")
    assert page.problems == []


def test_stage_and_rule_filters_hide_and_show_changes(page, sample_review):
    result = sample_review[1]
    everything = [c.id for c in result.changes]
    links = {c.id for c in result.changes if c.stage == "links"}
    joins = {c.id for c in result.changes if c.rule == "join_midsentence_break"}
    assert _shown(page) == everything
    some_link = next(iter(sorted(links)))
    # a highlight is drawn when its part of the text is shown: choosing the change shows it
    page.click(f"[id='{some_link}'] h3")
    page.uncheck("input[data-filter=stage][value=links]")
    assert set(_shown(page)) == set(everything) - links
    marks = f"[...document.querySelectorAll('#raw-text mark[data-c~=\"{some_link}\"]')]"
    assert page.evaluate(f"{marks}.length") > 0
    assert page.evaluate(f"{marks}.every(el => el.classList.contains('off') && "
                         "getComputedStyle(el).backgroundColor === 'rgba(0, 0, 0, 0)')")
    page.uncheck("input[data-filter=rule][value='breaks/join_midsentence_break']")
    assert set(_shown(page)) == set(everything) - links - joins
    page.check("input[data-filter=stage][value=links]")
    assert set(_shown(page)) == set(everything) - joins
    assert page.evaluate(f"{marks}.every(el => !el.classList.contains('off') && "
                         "getComputedStyle(el).backgroundColor !== 'rgba(0, 0, 0, 0)')")
    page.check("input[data-filter=rule][value='breaks/join_midsentence_break']")
    assert _shown(page) == everything
    page.check("#only-undecided")
    assert len(_shown(page)) == len(everything) - 2
    assert page.problems == []


def test_keyboard_moves_from_change_to_change_and_into_the_details(page, sample_review):
    result = sample_review[1]
    first, second = result.changes[0].id, result.changes[1].id
    assert result.changes[0].decision is None
    active = "document.activeElement.id"
    page.keyboard.press("j")
    assert page.evaluate(active) == first
    page.keyboard.press("j")
    assert page.evaluate(active) == second
    assert page.evaluate(f"document.querySelector('#raw-text [data-c~=\"{second}\"]')"
                         ".classList.contains('cur')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "focus must be visible"
    page.keyboard.press("k")
    assert page.evaluate(active) == first
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('li.change').id") == first
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("Escape")
    assert page.evaluate(active) == first
    before = int(page.text_content("#count-undecided"))
    page.keyboard.press("r")
    assert page.is_checked(f"[id='{first}'] input[value=reject]")
    assert int(page.text_content("#count-undecided")) == before - 1
    assert page.problems == []


def test_export_is_a_decisions_file_the_next_run_honours(page, sample_review, tmp_path):
    _, result, _, recorded = sample_review
    target = next(c for c in result.changes if c.rule == "remove_space_inside_quotes")
    item = f"[id='{target.id}']"
    page.check(f"{item} input[value=reject]")
    page.fill(f"{item} .comment-input", "the quotation is spaced so in the original")
    page.click("#export")
    assert "reviewer" in page.text_content("#export-status")  # no name, no export
    page.fill("#reviewer", "Carla Díaz")
    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename == "000_5f556d4f1fe15307.decisions.json"
    saved = decisions.path_for(tmp_path, SAMPLE)
    download.value.save_as(saved)
    loaded = decisions.load(saved)
    assert set(loaded) == set(recorded) | {target.id}
    mine = loaded[target.id]
    assert (mine.verdict, mine.reviewer, mine.comment) == (
        "reject", "Carla Díaz", "the quotation is spaced so in the original")
    assert (mine.before, mine.after) == (target.before, target.after)
    assert loaded["chg-drop_lost_link_target-999999"].reviewer == "Ben Ode"  # stale: kept
    rerun = process.repair(source.read(SAMPLE), decisions=loaded)
    assert not next(c for c in rerun.changes if c.id == target.id).applied
    assert page.problems == []


def _open(browser, page_path: Path):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.goto(page_path.as_uri())
    opened.problems = problems
    return context, opened


def test_each_change_is_listed_with_its_provenance_and_marked_in_both_texts(browser, tmp_path):
    raw, result = _small(tmp_path)
    join = next(c for c in result.changes if c.rule == "join_midsentence_break")
    folder = tmp_path / "review"
    folder.mkdir()
    decisions.path_for(folder, raw).write_text(json.dumps({"document": raw.name, "decisions": {
        join.id: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
                  "comment": "two <paragraphs> in print", "before": join.before, "after": " "}}}))
    out = tmp_path / "pages"
    assert main(["review", str(raw), "--out", str(out), "--decisions", str(folder)]) == 0
    context, page = _open(browser, out / "minutes.html")
    item = f"[id='{join.id}']"
    assert "rejected" in page.get_attribute(item, "class")
    assert "by Ana Ruiz on 2026-11-20: two <paragraphs> in print" in \
        page.text_content(f"{item} .recorded")
    assert page.is_checked(f"{item} input[value=reject]")
    # Exact before/after, whitespace shown: the join's raw "\r\n\r\n" (CRs read, in the
    # repaired text's terms: "\n\n") and its " ".
    symbols = "(code) => [...code.querySelectorAll('.ws')].map(s => s.dataset.ws)"
    assert page.eval_on_selector(f"{item} .side.del .exact", symbols) == ["⏎", "⏎"]
    assert page.eval_on_selector(f"{item} .side.ins .exact", symbols) == ["·"]
    assert page.text_content(f"{item} .where").endswith(
        f"raw line {join.raw_line}, column {join.raw_column}")
    assert join.reason in page.text_content(item)
    # The removed control character is a labelled box, not the character.
    control = next(c for c in result.changes if c.rule == "remove_control_chars")
    assert page.text_content(f"[id='{control.id}'] .ctl") == "U+0007"
    assert "(U+0007), invisible" in page.get_attribute(f"[id='{control.id}'] .ctl", "title")
    # Each change is marked in both texts (a range, or a point where it is empty).
    for change in result.changes:
        for pane in ("raw-text", "clean-text"):
            page.wait_for_selector(f"#{pane} [data-c~='{change.id}']", state="attached")
    # ... at its own place in the raw text (read as the page shows it: a CR before a line end
    # is a sign, the control character a box)
    for change in result.changes:
        marked = page.eval_on_selector_all(f"#raw-text mark[data-c~='{change.id}']",
                                           "marks => marks.map(m => m.textContent).join('')")
        assert marked == SMALL[change.raw_start:change.raw_end].replace("\r\n", "\n").replace(
            "\x07", "U+0007"), change.id
    doubt = result.doubts[0].id  # and each doubt, as a ? linked to its entry
    for pane in ("raw-text", "clean-text"):
        assert page.get_attribute(f"#{pane} .pt.doubt[data-d='{doubt}']", "href") == f"#{doubt}"
    assert page.problems == []
    context.close()


def test_highlights_are_drawn_when_their_text_is_shown(browser, tmp_path):
    """A long text is not highlighted all at once: a block's highlights are drawn when it is
    scrolled to or one of its changes is chosen, and are then there like any other."""
    raw = tmp_path / "long.txt"
    raw.write_bytes(SAMPLE.read_bytes() * 8)
    result = process.repair(source.read(raw))
    page_path = tmp_path / "long.html"
    page_path.write_bytes(review.page(result, page_path))
    context, page = _open(browser, page_path)
    last = result.changes[-1].id
    drawn = "(id) => document.querySelectorAll(`#raw-text [data-c~='${id}']`).length"
    page.wait_for_selector(f"#raw-text [data-c~='{result.changes[0].id}']", state="attached")
    assert page.evaluate(drawn, last) == 0, "the end of the text is not drawn on opening"
    page.keyboard.press("k")  # from the top, back to the last change
    assert page.evaluate("document.activeElement.id") == last
    for pane in ("raw-text", "clean-text"):
        mark = page.locator(f"#{pane} [data-c~='{last}']").first
        assert "cur" in mark.get_attribute("class")
        box, shown = mark.bounding_box(), page.locator(f"#{pane}").bounding_box()
        assert shown["y"] <= box["y"] <= shown["y"] + shown["height"], "scrolled into view"
    colour = page.eval_on_selector(  # a range is a coloured mark, an empty one a coloured sign
        f"#raw-text [data-c~='{last}']",
        "m => getComputedStyle(m, m.tagName === 'MARK' ? null : '::before').backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"
    # Scrolling a pane draws what comes into it.
    middle = result.changes[len(result.changes) // 2]
    page.eval_on_selector("#raw-text", "(pane, at) => { const blocks = [...pane.children];"
                          " const block = blocks.filter(b => +b.dataset.at <= at).pop();"
                          " pane.scrollTop = block.offsetTop; }", middle.raw_start)
    page.wait_for_selector(f"#raw-text [data-c~='{middle.id}']", state="attached")
    assert page.problems == []
    context.close()


def test_readable_at_200_percent_zoom_and_a_screenshot_for_a_person(browser, sample_review):
    page_path, result, _, _ = sample_review
    shots = ROOT / "build"
    shots.mkdir(exist_ok=True)
    # 200 % zoom of a 1280-pixel window: 640 CSS pixels, at twice the pixel density.
    zoomed = browser.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    narrow = zoomed.new_page()
    narrow.goto(page_path.as_uri())
    assert narrow.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    raw_box, clean_box = narrow.locator("#raw-text").bounding_box(), \
        narrow.locator("#clean-text").bounding_box()
    assert raw_box["x"] == clean_box["x"] and clean_box["y"] > raw_box["y"], "stacked, not squeezed"
    narrow.screenshot(path=str(shots / "review-screenshot-200.png"))
    zoomed.close()
    wide = browser.new_context(viewport={"width": 1400, "height": 1000})
    full = wide.new_page()
    full.goto(page_path.as_uri())
    for _ in range(3):
        full.keyboard.press("j")
    full.screenshot(path=str(shots / "review-screenshot.png"), full_page=True)
    wide.close()
    assert (shots / "review-screenshot.png").stat().st_size > 10_000
