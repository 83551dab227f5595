"""Decoding raw bytes: every encoding decision is evidence-based, recorded, and reversible."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline import process, source
from pipeline.model import InputError

TEXT = "El “niño” comió paella — ¿verdad?\nÇa coûte 5 €.\n"


def _roundtrip(data: bytes) -> source.Source:
    src = source.decode(Path("dump.txt"), data)
    assert process.repair(src).undo() == data
    return src


@pytest.mark.parametrize("codec, data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("utf-16-le", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
    ("utf-16-be", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ("utf-32-le", codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le")),
    ("utf-16-le", TEXT.encode("utf-16-le")),
    ("utf-16-be", TEXT.encode("utf-16-be")),
    ("cp1252", TEXT.encode("cp1252")),
])
def test_encodings_are_detected_and_replay_exactly(codec, data):
    src = _roundtrip(data)
    assert src.codec == codec
    assert "niño" in src.text and "€" in src.text


def test_latin1_only_bytes_that_windows_1252_leaves_unassigned():
    data = "Se\u00f1or\n".encode("latin-1") + b"\x81\n"
    src = _roundtrip(data)
    assert src.codec == "latin-1"
    assert "unassigned" in src.evidence


def test_crlf_convention_is_decided_once_and_restored():
    data = "Uno.\r\n\r\nDos.\r\n".encode("utf-8")
    src = _roundtrip(data)
    assert src.newline == "\r\n" and src.text == "Uno.\n\nDos.\n"
    assert "CRLF" in src.evidence


def test_mixed_line_ends_are_recorded_one_by_one():
    result = process.repair(source.decode(Path("d.txt"), b"Uno.\r\n\nDos.\n"))
    assert [c.rule for c in result.changes if c.stage == "encoding"] == ["normalize_newlines"]


def test_legacy_decoding_is_said_in_the_evidence():
    src = source.decode(Path("d.txt"), "Caf\u00e9 “x”\n".encode("cp1252"))
    assert src.codec == "cp1252"
    assert "not valid UTF-8" in src.evidence and "offset 3" in src.evidence


@pytest.mark.parametrize("data, words", [
    (b"", "is empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (bytes(range(256)) * 4, "binary"),
    (b"abc\x00\xff\xfe\x00\x01\x02" * 50, "binary"),
])
def test_bad_input_is_refused_with_a_reason(data, words):
    with pytest.raises(InputError) as caught:
        source.decode(Path("raw/bad.txt"), data)
    assert words in caught.value.message
    assert str(caught.value).startswith("raw/bad.txt: ")


def test_unreadable_paths_are_refused_with_a_reason(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        source.read(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        source.read(tmp_path / "missing.txt")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="cannot be read"):
        source.read(tmp_path / "file" / "below-a-file.txt")
