"""Hostile and broken input: every dump is cleaned into a TEI that verifies, or refused in one line
that names it; and no input, however pathological, costs more than linear time.

The bad-input matrix, input → behaviour:

    not UTF-8 (a stray byte, a sequence cut short, an encoded surrogate) → Windows-1252, or Latin-1
        when a byte is unassigned there; the header names the byte that decided it
    UTF-16 and UTF-32, either byte order, with or without a byte order mark → decoded as such, on
        the mark, or on where NUL bytes and line ends fall (also for Greek, with little ASCII)
    Latin-1, Windows-1252 → decoded as such
    NUL, the other C0 controls, U+FFFE, U+FFFF (XML 1.0 forbids them) → removed by the encoding
        stage, each one a change whose note shows it as <g n="U+0000"/>: the bytes replay exactly
    a form feed → a page break, <pb/>; never a character of the reading text
    an empty file → refused; a byte order mark or blank lines alone → an empty TEI that verifies
    more than 50 MB (100 MB here) → refused before it is read
    markup nested deeper than XML tools read (100 levels) → refused, naming the line and column

Each cleaned dump goes through `proved` (tests/test_properties.py): `pipeline verify`'s four checks
and tei_all.
"""

from __future__ import annotations

import codecs
import time
import tracemalloc
from pathlib import Path

import pytest

from pipeline import markdown, process, source, tei
from pipeline.cli import main
from pipeline.model import InputError
from pipeline.xmlsafe import parse

from benchmark import PATHOLOGICAL  # the one list of them; the benchmark runs them 10x larger
from test_properties import proved

NS = {"t": tei.TEI_NS}
TEXT = "El “niño” comió paella — ¿verdad?\nÇa coûte 5 €.\n"
GREEK = "Καλημέρα κόσμε.\nΔεύτερη γραμμή.\n"  # UTF-16 of it has no NUL lane to tell it by
WIDE = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
BOMS = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
UNITS = 5_000  # of each pathological input, and four times as many


@pytest.mark.parametrize("data, codec, evidence", [
    (b"Caf\xc3\xa9 \xff na\xefve\n", "cp1252", "byte 0xff at offset 6"),
    ("café".encode()[:-1] + b"\n", "cp1252", "byte 0xc3 at offset 3"),  # a sequence cut short
    (b"a\xed\xa0\x80b\n", "cp1252", "byte 0xed at offset 1"),  # a surrogate, as CESU-8 writes it
    ("Señor Müller\n".encode("latin-1") + b"\x81\n", "latin-1", "byte 0x81 at offset 13"),
    (TEXT.encode("cp1252"), "cp1252", "decodes as Windows-1252"),
    *[(BOMS[codec] + TEXT.encode(codec), codec, "byte order mark") for codec in WIDE],
    *[(TEXT.encode(codec), codec, "without byte order mark") for codec in WIDE],
    *[(GREEK.encode(codec), codec, "without byte order mark") for codec in WIDE],
], ids=lambda value: value if isinstance(value, str) else None)
def test_each_encoding_is_decoded_on_evidence_and_proved(data, codec, evidence):
    result = proved(data, "d.txt")
    assert (result.source.codec, result.undo()) == (codec, data)
    assert evidence in result.source.evidence


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\ufffe",
                                  "\uffff"])
@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_characters_xml_forbids_are_recorded_never_dropped(char, codec):
    data = f"Uno{char}dos.\n".encode(codec)
    result = proved(data, "d.md")
    removed = [c for c in result.changes if c.before == char]
    assert [(c.stage, c.rule, c.after) for c in removed] == [
        ("encoding", "remove_control_chars", "")]
    document = parse(tei.write(result, Path("clean/d.tei.xml"))).getroot()
    assert document.find(".//t:body//t:g", NS) is None  # the reading text has none left
    shown = document.findall(".//t:change[@subtype='remove_control_chars']/t:choice/t:sic/t:g", NS)
    assert [(g.get("type"), g.get("n")) for g in shown] == [
        ("unrepresentable", f"U+{ord(char):04X}")]


def test_a_form_feed_is_a_page_break_not_a_character():
    result = proved("The first page ends here.\fThe second begins.\n".encode(), "d.txt")
    assert "\f" not in result.text
    document = parse(tei.write(result, Path("clean/d.tei.xml"))).getroot()
    assert document.find(".//t:body//t:pb", NS) is not None


@pytest.mark.parametrize("data", [codecs.BOM_UTF8, b"\n\n\n", b" \t ", codecs.BOM_UTF16_LE])
def test_a_dump_of_nothing_visible_is_an_empty_tei_that_verifies(data):
    assert proved(data, "d.txt").text.strip() == ""


def test_an_empty_dump_is_refused():
    assert proved(b"", "d.txt") is None


def test_a_dump_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    """Cleaning holds a document, its TEI and a note per change in memory, about 60 times the
    dump's size (more where changes are dense): a 100 MB dump would take gigabytes and be killed
    by the system halfway. It is refused in one line instead, before a byte of it is read; the
    file here is sparse, so the test costs no disk and no time. The largest inputs that are
    cleaned (a 20 MB line, a million blank lines) are the benchmark's."""
    raw = tmp_path / "raw" / "big.txt"
    raw.parent.mkdir()
    with raw.open("wb") as file:
        file.truncate(100_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"is 100\.0 MB, over the 50 MB a dump may have"):
            source.read(raw)
        assert tracemalloc.get_traced_memory()[1] < 1_000_000
    finally:
        tracemalloc.stop()
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(raw), "--out", "clean"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "big.txt: is 100.0 MB" in err and "Traceback" not in err
    assert not (tmp_path / "clean" / "big.tei.xml").exists()


def test_markup_nested_deeper_than_xml_tools_read_is_refused_with_its_place():
    assert proved(("> " * (markdown.MAX_DEPTH - 1) + "x\n").encode(), "d.md") is not None
    for depth in (markdown.MAX_DEPTH, 100_000):
        with pytest.raises(InputError, match=f"nests more than {markdown.MAX_DEPTH} levels deep "
                                             "at line 1, column 201"):
            process.repair(source.decode(Path("raw/d.md"), ("> " * depth + "x\n").encode()))


@pytest.mark.parametrize("name", ["d.md", "d.txt"])
@pytest.mark.parametrize("text", [text for _, text, _ in PATHOLOGICAL],
                         ids=[what for what, _, _ in PATHOLOGICAL])
def test_pathological_input_takes_linear_time(text, name):
    """Four times the input takes at most ten times the CPU time. Linear time takes four; the
    blow-ups this guards against (a regex reading a line again from each of its `[`, lxml
    copying a paragraph's text on every append, a diff of a line of repeated words) took sixteen
    times and more, and minutes at the benchmark's sizes.

    Not a race against the clock, which a slower or busier machine would lose: both sizes run
    here, in this process, and are compared with each other; by CPU time, which waiting for a
    core does not inflate; with 50 ms of slack for timer resolution and a garbage collection at
    small sizes; and when a pair is over the bound it is measured once more and the better of
    the two runs of each size counts. `make bench` runs the same inputs at ten times the size.
    """
    def seconds(units: int) -> float:
        data = text(units).encode("utf-8")
        start = time.process_time()
        tei.write(process.repair(source.decode(Path("raw") / name, data)), Path("clean/d.tei.xml"))
        return time.process_time() - start

    small, large = seconds(UNITS), seconds(4 * UNITS)
    if large > 10 * small + 0.05:
        small, large = min(small, seconds(UNITS)), min(large, seconds(4 * UNITS))
    assert large <= 10 * small + 0.05, f"{UNITS} units: {small:.3f} s, {4 * UNITS}: {large:.3f} s"


def test_verify_of_xml_that_is_no_tei_fails_its_checks(tmp_path, capsys):
    (tmp_path / "d.md").write_text("Hello there.\n", encoding="utf-8")
    (tmp_path / "d.tei.xml").write_text("<x/>", encoding="utf-8")
    assert main(["verify", str(tmp_path / "d.md"), str(tmp_path / "d.tei.xml")]) == 1
    assert "FAIL reading text: 0 blocks in the TEI, 1 in the markdown" in capsys.readouterr().out
