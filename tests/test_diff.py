"""`pipeline diff`: raw → repaired and stage by stage, each hunk naming the changes behind it.

The expected ids are written from the dumps themselves (the rule and the raw offset of what it
repairs), never read back from the diff code. The dumps keep their repairs eight unchanged lines
apart, so that each is a hunk of its own unless it shares a paragraph with another.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import diff, process, source
from pipeline.cli import main
from pipeline.model import Change, InputError

GOLDEN = Path(__file__).parent / "golden"
SAMPLE = Path(__file__).parent.parent / "raw"


def _filler(sentence: str) -> str:
    return "".join(sentence.format(n) + "\n\n" for n in range(4))


ES = ("# Informe de la comisión\n\n"
      "La [propuesta del consejo](#) fue aprobada por mayoría , según el acta.\n\n"
      + _filler("La comisión revisó el informe número {} sin objeciones.")
      + "Los técnicos revisaron las bombas, las tuberías y los filtros de la planta,\n\n"
      "y no encontraron ninguna fuga en el circuito.\n\n"
      + _filler("La comisión revisó el informe número {} sin objeciones.")
      + "El presupuesto se publicará en la [sede electrónica](#) del ayuntamiento.\n")
EN = ("**Annual Report on Library Digitisation**\n\n"
      + _filler("The board approved item {} without discussion.")
      + "Scanning throughput doubled after the new cradles arrived in the\n\n"
      "spring, although the error rate remained high.\n\n"
      + _filler("The board approved item {} without discussion.")
      + "The committee thanked the [volunteers](#) for their work .\n")
FR = ("*Par Marie Lefèvre*\n\n"
      + _filler("Le conseil a adopté la délibération numéro {} à l'unanimité.")
      + "Le conseil municipal a voté jeudi le budget de la [médiathèque](#) : une hausse de 4 % "
      "pour\n\nles acquisitions et la numérisation des fonds anciens.\n\n"
      + _filler("Le conseil a adopté la délibération numéro {} à l'unanimité."))
DE = ("### Die Geschichte der Stadtbibliothek\n\n"
      "Die Stadtbibliothek wurde 1872 gegrÃ¼ndet und besaÃŸ anfangs nur wenige BÃ¤nde.\n\n"
      + _filler("Der Rat der Bundesregierung hat den Antrag Nummer {} angenommen.")
      + "Im Jahr 1950 zog sie in das neue Haus am Markt, das die Bundesregie\n\n"
      "rung finanziert hatte.\n\n"
      + _filler("Der Rat der Bundesregierung hat den Antrag Nummer {} angenommen.")
      + "Heute umfasst der Bestand über 200 000 Medien &amp; Zeitschriften.\n")


def _id(rule: str, text: str, marker: str, shift: int = 0, last: bool = False) -> str:
    """The id of the change `rule` makes where `marker` (plus `shift`) is in the raw dump."""
    return f"chg-{rule}-{(text.rindex if last else text.index)(marker) + shift}"


# per language: the dump, and for each diff the ids of each of its hunks, in order
ES_LINKS = [[_id("drop_lost_link_target", ES, "(#)"),
             _id("remove_space_before_punctuation", ES, " , según")],
            [_id("drop_lost_link_target", ES, "(#)", last=True)]]
ES_BREAKS = [[_id("join_midsentence_break", ES, ",\n\ny no", 1)]]
EN_LINKS = [[_id("drop_lost_link_target", EN, "(#)"),
             _id("remove_space_before_punctuation", EN, " .\n")]]
EN_BREAKS = [[_id("join_midsentence_break", EN, "the\n\nspring", 3)]]
EN_HEADINGS = [[_id("promote_bold_title", EN, "**Annual"), _id("promote_bold_title", EN, "**\n\n")]]
FR_LINK = _id("drop_lost_link_target", FR, "(#)")
FR_JOIN = _id("join_midsentence_break", FR, "pour\n\nles", 4)
FR_TRAILING = _id("strip_trailing_blank_lines", FR, "\n\n", last=True)
FR_BYLINE = _id("mark_byline", FR, "*Par")
DE_ENCODING = [[_id("fix_mojibake", DE, "Ã¼"), _id("fix_mojibake", DE, "ÃŸ"),
                _id("fix_mojibake", DE, "Ã¤")],
               [_id("unescape_html", DE, "&amp;")]]
DE_BREAKS = [[_id("join_split_word", DE, "\n\nrung")]]
EXPECTED = {
    "es": (ES, {"04-links": ES_LINKS, "05-breaks": ES_BREAKS,
                "00-raw..07-structure": [ES_LINKS[0], ES_BREAKS[0], ES_LINKS[1]]}),
    "en": (EN, {"04-links": EN_LINKS, "05-breaks": EN_BREAKS, "06-headings": EN_HEADINGS,
                "00-raw..07-structure": [EN_HEADINGS[0], EN_BREAKS[0], EN_LINKS[0]]}),
    # the lost link and the cut sentence are one paragraph: one hunk of raw → clean
    "fr": (FR, {"04-links": [[FR_LINK]], "05-breaks": [[FR_JOIN], [FR_TRAILING]],
                "06-headings": [[FR_BYLINE]],
                "00-raw..07-structure": [[FR_BYLINE], [FR_LINK, FR_JOIN], [FR_TRAILING]]}),
    "de": (DE, {"01-encoding": DE_ENCODING, "05-breaks": DE_BREAKS,
                "00-raw..07-structure": [DE_ENCODING[0], DE_BREAKS[0], DE_ENCODING[1]]}),
}


def _repair(name: str, text: str, newline_bytes: bytes | None = None) -> process.Result:
    data = text.encode("utf-8") if newline_bytes is None else newline_bytes
    return process.repair(source.decode(Path(f"{name}.md"), data))


def _ids(found: list[diff.Hunk]) -> list[list[str]]:
    return [[change.id for change in hunk.changes] for hunk in found]


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_each_hunk_names_the_changes_that_made_it(lang):
    text, expected = EXPECTED[lang]
    result = _repair(lang, text)
    assert result.lang == lang
    diffs = diff.diffs(result, lang)
    assert [d.name for d in diffs] == ["00-raw..07-structure", "01-encoding", "02-pages",
                                       "03-layout", "04-links", "05-breaks", "06-headings",
                                       "07-structure"]
    for text_diff in diffs:
        assert _ids(diff.hunks(text_diff)) == expected.get(text_diff.name, []), text_diff.name


def _dumps():
    for lang, (text, _) in sorted(EXPECTED.items()):
        yield lang, text.encode("utf-8")
    for path in sorted(GOLDEN.glob("*.md")) + sorted(SAMPLE.glob("*.txt")):
        yield path.stem, path.read_bytes()
    # CRLF line ends (raw offsets count two characters per line end), a byte order mark, a control
    # character, mojibake and no final line end
    yield "crlf", ("\ufeffUna frase cortada por\r\n\r\nla mitad, con [enlace](#) , y "
                   "caf\u00c3\u00a9 x\x07y.\r\n\r\nOtra.").encode("utf-8")


@pytest.mark.parametrize("name,data", list(_dumps()), ids=[name for name, _ in _dumps()])
def test_every_applied_change_is_in_a_hunk_of_its_stage_and_of_raw_to_clean(name, data):
    result = process.repair(source.decode(Path(f"{name}.txt"), data))
    applied = [change.id for change in result.changes if change.applied]
    assert applied, "a dump that changes nothing proves nothing here"
    whole, *stages = diff.diffs(result, name)
    named = [change_id for ids in _ids(diff.hunks(whole)) for change_id in ids]
    assert sorted(named) == sorted(applied)
    for stage, stage_diff in zip(result.stages, stages):
        named = [change_id for ids in _ids(diff.hunks(stage_diff)) for change_id in ids]
        assert sorted(named) == sorted(c.id for c in result.changes
                                       if c.applied and c.stage == stage)
    for text_diff in (whole, *stages):
        assert "# no difference left by" not in diff.unified(text_diff)
        assert _patch(text_diff.a, diff.unified(text_diff)) == text_diff.b, text_diff.name


def _patch(text: str, unified: str) -> str:
    """Apply a unified diff the way `patch` does, checking every context and removed line."""
    lines, out, cursor = diff.lines(text), [], 0
    body = diff.lines(unified)[2:]
    k = 0
    while k < len(body):
        header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", body[k])
        assert header, body[k]
        start = int(header.group(1)) - (0 if header.group(2) == "0" else 1)
        out += lines[cursor:start]
        cursor = start
        k += 1
        while k < len(body) and not body[k].startswith("@@"):
            line = body[k]
            if k + 1 < len(body) and body[k + 1].startswith("\\ No newline"):
                line = line[:-1]
            if line[0] in " -":
                assert lines[cursor] == line[1:], (cursor, line)
                cursor += 1
            if line[0] in " +":
                out.append(line[1:])
            k += 2 if k + 1 < len(body) and body[k + 1].startswith("\\") else 1
    return "".join(out + lines[cursor:])


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_line_diff_is_what_difflib_writes_plus_the_ids(lang):
    text, _ = EXPECTED[lang]
    for text_diff in diff.diffs(_repair(lang, text), lang):
        ours = re.sub(r"^(@@ [^@]* @@).*$", r"\1", diff.unified(text_diff), flags=re.M)
        assert ours == "".join(difflib.unified_diff(
            diff.lines(text_diff.a), diff.lines(text_diff.b),
            text_diff.a_label, text_diff.b_label, n=3)), text_diff.name


def test_word_diff_shows_joins_inline():
    es = {d.name: diff.words(d) for d in diff.diffs(_repair("es", ES), "es")}
    assert "de la planta,[-\n\n-]{+ +}y no encontraron" in es["05-breaks"]
    assert "[propuesta del consejo]([-#-]) fue aprobada por mayoría[- -], según" in es["04-links"]
    de = {d.name: diff.words(d) for d in diff.diffs(_repair("de", DE), "de")}
    assert "das die [-Bundesregie\n\nrung-]{+Bundesregierung+} finanziert" in de["05-breaks"]
    assert "1872 [-gegrÃ¼ndet-]{+gegründet+} und" in de["01-encoding"]
    assert "Medien &[-amp;-] Zeitschriften" in de["00-raw..07-structure"]
    header = f"@@ -10,9 +10,7 @@ {_id('join_split_word', DE, chr(10) * 2 + 'rung')}\n"
    assert header in de["05-breaks"]


def test_word_diff_of_a_plain_text_is_a_hunk_per_paragraph_naming_its_own_changes():
    """Every line end of a wrapped plain text is repaired, so its line diff is one hunk; the word
    diff cuts it at each blank line, and each hunk names the joins of its paragraph only."""
    paragraphs = [
        "The archive received the collection in three boxes, each holding letters, drafts and "
        "notebooks that the family had kept in the attic for decades before anyone thought of "
        "reading them.",
        "Cataloguing began in the spring and went on through the summer, because every item had "
        "to be dated, described and measured, and many of the letters carried no date at all.",
        "The volunteers who read the notebooks found recipes, lists of debts and a diary of the "
        "flood year, written in a small and careful hand that grew larger as the water rose."]
    text = "\n\n".join(textwrap.fill(paragraph, 64) for paragraph in paragraphs) + "\n"
    expected, start = [], 0
    for paragraph in text.split("\n\n"):
        inner = paragraph.rstrip("\n")
        expected.append([f"chg-join_wrapped_line-{start + m.start()}"
                         for m in re.finditer("\n", inner)])
        start += len(paragraph) + 2
    result = process.repair(source.decode(Path("letters.txt"), text.encode("utf-8")))
    whole = diff.diffs(result, "letters")[0]
    assert len(diff.hunks(whole)) == 1
    headers = [line for line in diff.words(whole).splitlines() if line.startswith("@@")]
    assert [header.split(" @@")[1].split() for header in headers] == expected
    assert headers[0].startswith("@@ -1,4 +1,2 @@ ") and headers[2].startswith("@@ -9,3 +5 @@ ")


def test_invisible_and_control_characters_are_shown_by_code_point():
    data = "\ufeffUna frase cortada por\r\n\r\nla mitad x\x07y.\r\n".encode("utf-8")
    result = process.repair(source.decode(Path("c.txt"), data))
    whole = diff.diffs(result, "c")[0]
    assert diff.words(whole).splitlines()[3:] == [
        "[-<U+FEFF>-]Una frase cortada por[-", "", "-]{+ +}la mitad [-x<U+0007>y-]{+xy+}."]
    assert "\x07" in diff.unified(whole)  # the .diff file is exact
    printed = diff.show(result, "c")
    assert "\x07" not in printed and "<U+0007>" in printed  # a terminal never gets it


def _write_dump(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_out_writes_plain_files_per_document(tmp_path, capsys):
    raw = tmp_path / "raw"
    _write_dump(raw, "es.md", ES)
    _write_dump(raw, "de.txt", DE)
    out = tmp_path / "diff"
    assert main(["diff", str(raw), "--out", str(out), "--color", "always"]) == 0
    assert capsys.readouterr().out == ""
    names = ["00-raw..07-structure", "01-encoding", "02-pages", "03-layout", "04-links",
             "05-breaks", "06-headings", "07-structure"]
    for stem in ("es", "de"):
        assert sorted(p.name for p in (out / stem).iterdir()) == sorted(
            f"{n}.{kind}" for n in names for kind in ("diff", "wdiff"))
    first = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert not any(b"\x1b[" in data for data in first.values())  # files are never coloured
    assert first[out / "es" / "01-encoding.diff"] == b""  # nothing to repair there
    assert first[out / "es" / "05-breaks.diff"].startswith(
        b"--- 04-links/es.md\n+++ 05-breaks/es.md\n@@ ")
    assert main(["diff", str(raw), "--out", str(out)]) == 0
    again = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert again == first, "deterministic"


def test_colour_only_when_asked_or_on_a_terminal(tmp_path, capsys, monkeypatch):
    dump = _write_dump(tmp_path, "es.md", ES)
    for argv, coloured in ((["--color", "always"], True), (["--color", "never"], False),
                           ([], False), (["--words", "--color", "always"], True),
                           (["--words"], False)):
        assert main(["diff", str(dump), *argv]) == 0
        printed = capsys.readouterr().out
        assert ("\x1b[" in printed) is coloured, argv
        assert "chg-join_midsentence_break" in printed
    coloured = main(["diff", str(dump), "--words", "--stage", "breaks", "--color", "always"])
    printed = capsys.readouterr().out
    assert coloured == 0 and "04-links/es.md" in printed and "01-encoding" not in printed
    assert "planta,\x1b[31m↵↵\x1b[m\x1b[32m·\x1b[my no" in printed

    class Terminal:
        @staticmethod
        def isatty():
            return True

    assert diff.colour_wanted("auto", Terminal(), {}) is True
    assert diff.colour_wanted("auto", Terminal(), {"NO_COLOR": "1"}) is False
    assert diff.colour_wanted("auto", Terminal(), {"NO_COLOR": ""}) is True
    assert diff.colour_wanted("never", Terminal(), {}) is False
    assert diff.colour_wanted("auto", tmp_path, {}) is False  # not a stream at all
    assert diff.colour_wanted("always", None, {"NO_COLOR": "1"}) is True


def test_rejected_changes_are_not_in_the_diff(tmp_path, capsys):
    raw = _write_dump(tmp_path / "raw", "es.md", ES)
    join = _id("join_midsentence_break", ES, ",\n\ny no", 1)
    review = tmp_path / "review"
    review.mkdir()
    (review / "es.decisions.json").write_text(json.dumps({"document": "es.md", "decisions": {
        join: {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-20",
               "before": "\n\n", "after": " "}}}))
    out = tmp_path / "diff"
    assert main(["diff", str(raw), "--out", str(out), "--decisions", str(review)]) == 0
    files = {p.name: p.read_text(encoding="utf-8") for p in (out / "es").iterdir()}
    assert not any(join in text for text in files.values())
    assert files["05-breaks.diff"] == files["05-breaks.wdiff"] == ""
    assert _id("drop_lost_link_target", ES, "(#)") in files["00-raw..07-structure.diff"]
    assert "la planta," not in files["00-raw..07-structure.diff"]
    # the text the diff ends with is the one `run` writes under the same decisions
    stage = tmp_path / "07-structure"
    assert main(["run", str(raw), "--stage", "structure", "--out", str(stage),
                 "--decisions", str(review)]) == 0
    repaired = (stage / "es.md").read_text(encoding="utf-8")
    assert _patch(ES, files["00-raw..07-structure.diff"]) == repaired
    assert "de la planta,\n\ny no encontraron" in repaired
    # without the decision the join is back, named
    assert main(["diff", str(raw), "--stage", "breaks", "--decisions", str(tmp_path)]) == 0
    assert join in capsys.readouterr().out


def test_a_bad_file_is_one_line_and_the_others_are_still_diffed(tmp_path, capsys):
    raw = tmp_path / "raw"
    _write_dump(raw, "a.md", EN)
    (raw / "b.txt").write_bytes(b"")
    assert main(["diff", str(raw), str(tmp_path / "missing.md")]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 2 and "Traceback" not in captured.err
    assert "b.txt: is empty" in captured.err and "missing.md: no such file" in captured.err
    assert "+++ 07-structure/a.md" in captured.out


def test_a_last_line_without_line_end_is_marked():
    result = _repair("en", "The report was cut in the\n\nmiddle of a sentence.")
    text = diff.unified(diff.diffs(result, "en")[0])
    assert text.endswith("-middle of a sentence.\n\\ No newline at end of file\n"
                         "+The report was cut in the middle of a sentence.\n")


def test_a_change_with_no_difference_left_is_still_named():
    change = Change("links", "drop_lost_link_target", "", "(#)", "()", 4, 7, 1, 5, 4, 4, 6)
    same = diff.TextDiff("00-raw..07-structure", "a", "b", "[x](#)\n", "[x](#)\n",
                         (diff.Located(change, 3, 6, 3, 6),))
    expected = "# no difference left by: chg-drop_lost_link_target-4\n"
    assert diff.unified(same) == "--- a\n+++ b\n" + expected
    assert diff.words(same).endswith(expected)


def test_a_long_paragraph_with_thousands_of_changes_is_fast():
    """Word diffs are cut at the changes: one 3000-link paragraph must not take SequenceMatcher's
    quadratic time (minutes) on 20 000 tokens."""
    paragraph = " ".join(f"palabra{i} [enlace {i}](#) , texto" for i in range(3000))
    result = _repair("big", paragraph + "\n")
    started = time.perf_counter()
    files = diff.files(result, "big")
    assert time.perf_counter() - started < 30  # about a second; quadratic would be minutes
    assert files["04-links.wdiff"].count("[-#-]") == 3000
    assert files["04-links.wdiff"].count("[- -],") == 3000


# what makes diffs hard: line ends of every kind (and characters `str.splitlines` would cut at),
# repairs at the very start and end, invisible characters, repairs on one line and across lines
PIECES = ["\n", "\n\n", "\n\n\n", "\r\n", "\r", " ", "  ", "\t", "\x0c", "\x1e", "\x85",
          "\u2028", "\ufeff", "\x01", "\u00a0", "**", "### ", "> ", "*", "[", "](#)", "(#)", " ,",
          " .", "Ã©", "&amp;", "la", "the", "word", "Terro", "r", "-", ".", "EE. UU.", "« ", " »"]
dumps = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map("".join)


@given(dumps)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_dump_diffs_exactly_and_names_every_change(text):
    try:
        result = process.repair(source.decode(Path("d.md"), text.encode("utf-8")))
    except InputError:
        return
    for text_diff in diff.diffs(result, "d"):
        found = diff.hunks(text_diff)
        assert sorted(c.id for hunk in found for c in hunk.changes) == sorted(
            located.change.id for located in text_diff.located)
        assert _patch(text_diff.a, diff.unified(text_diff)) == text_diff.b
        paragraphs = diff.word_hunks(text_diff, found)
        assert sorted(loc.change.id for hunk in paragraphs for loc in hunk.located) == sorted(
            c.id for hunk in found for c in hunk.changes)
        for part in paragraphs:  # the word diff, read one side at a time, is each text again
            assert "".join(old for _, old, _ in part.runs) == text_diff.a[slice(*part.a_chars)]
            assert "".join(new for _, _, new in part.runs) == text_diff.b[slice(*part.b_chars)]
        for side in "ab":  # and its hunks cover the line hunks' text, in order, once
            assert "".join(getattr(text_diff, side)[slice(*getattr(part, f"{side}_chars"))]
                           for part in paragraphs) == "".join(
                getattr(text_diff, side)[slice(*getattr(hunk, f"{side}_chars"))] for hunk in found)
