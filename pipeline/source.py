"""Read a raw dump and decode it, deciding the character encoding from evidence in the bytes.

The raw file itself is never written. What decoding decides (codec, byte order mark, line-ending
convention) is kept on `Source` so that the TEI header records it and `verify` can re-encode the
repaired-then-undone text to the exact raw bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline import extract
from pipeline.model import InputError

# What a folder of dumps is read for.
RAW_SUFFIXES = (".txt", ".md", ".markdown")
# The largest dump read. A document is repaired, and its TEI built, in memory: about 60 times the
# dump's size on prose (README, Performance), more where changes are dense. A bigger dump is
# refused before it is read, in one line, rather than killed by the system halfway through.
MAX_BYTES = 50_000_000

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = {  # `read` takes PDF, TIFF, PNG and JPEG files as pages (pipeline.extract) first
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"PK\x03\x04": "a ZIP archive (DOCX, ODT, EPUB…); convert it to text first",
    b"GIF8": "a GIF image; convert it to PNG or TIFF, which are read as scans",
    b"\x1f\x8b": "a gzip archive; decompress it first",
}
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    text: str
    codec: str
    newline: str
    evidence: str
    # A file of pages (PDF, scan, ALTO, hOCR, PAGE): `data` and `text` are then its text layer.
    original: extract.Extraction | None = None

    @property
    def sha256(self) -> str:
        """The raw file's: the original's, for a file of pages."""
        return self.original.sha256 if self.original else hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return self.original.size if self.original else len(self.data)

    def encode(self, text: str) -> bytes:
        """The inverse of decoding: repaired text with every change undone gives back `data`."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return text.encode(self.codec)


def stem(path: Path) -> str:
    """The name every output of a dump is derived from: `raw/x.txt` → `clean/x.tei.xml`,
    `review/x.decisions.json`, `build/review/x.html`."""
    return path.name.rsplit(".", 1)[0]


def is_raw(path: Path) -> bool:
    """Whether a file found in a folder is one to clean: a dump, or a file of pages."""
    return path.suffix in RAW_SUFFIXES or extract.is_input(path)


def read(path: Path) -> Source:
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            pages = extract.read(path, file.read(65536))
        if pages is not None:
            return _text_layer(path, pages)
        data = path.read_bytes() if size <= MAX_BYTES else b""
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a dump") from None
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except PermissionError:
        raise InputError(str(path), "cannot be read (permission denied)") from None
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from None
    if size > MAX_BYTES:
        raise InputError(str(path), f"is {size / 1e6:.1f} MB, over the {MAX_BYTES // 1_000_000} "
                         "MB a dump may have: its repair and TEI are held in memory, about 60 "
                         "times its size; split it into parts")
    return decode(path, data)


def _text_layer(path: Path, pages: extract.Extraction) -> Source:
    data = pages.text.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise InputError(str(path), f"has a text layer of {len(data) / 1e6:.1f} MB, over the "
                         f"{MAX_BYTES // 1_000_000} MB a dump may have; split it into parts")
    return Source(path, data, pages.text, "utf-8", "\n", pages.evidence, pages)


def decode(path: Path, data: bytes) -> Source:
    if not data:
        raise InputError(str(path), "is empty: there is nothing to clean")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(str(path), f"is {what}, not a text dump")
    codec, evidence = _detect(path, data)
    text = data.decode(codec)
    _refuse_binary(path, text)
    newline, note = _line_endings(text)
    if newline != "\n":
        text = text.replace(newline, "\n")
        evidence += f"; {note}"
    return Source(path, data, text, codec, newline, evidence)


def _detect(path: Path, data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                data.decode(codec)
            except UnicodeDecodeError as error:
                raise InputError(str(path), f"starts with a {codec} byte order mark but byte "
                                 f"{error.start} is not valid {codec}") from None
            return codec, f"{codec} byte order mark"
    try:
        data.decode("utf-8")
        utf8_error = None
    except UnicodeDecodeError as error:
        utf8_error = error
    # UTF-8 text has no NUL in it; UTF-16 of ASCII, Greek or Cyrillic text is valid UTF-8 too.
    if utf8_error is None and b"\x00" not in data:
        return "utf-8", "valid UTF-8"
    wide = _utf16_or_32_without_bom(data)
    if wide:
        codec, why = wide
        return codec, f"{codec} without byte order mark: {why}"
    if utf8_error is None:
        return "utf-8", "valid UTF-8"
    if b"\x00" in data:
        raise InputError(str(path), f"looks binary: NUL byte at offset {data.index(0)} "
                         "and not readable as UTF-8, UTF-16 or UTF-32 text")
    where = f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})"
    try:
        data.decode("cp1252")
        return "cp1252", f"{where}; decodes as Windows-1252 (the usual legacy encoding of " \
                         "Western European dumps, a superset of Latin-1's printable range)"
    except UnicodeDecodeError as error:
        return "latin-1", f"{where}; not Windows-1252 either (byte 0x{data[error.start]:02x} " \
                          f"at offset {error.start} is unassigned there), decoded as Latin-1"


def _utf16_or_32_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 or UTF-32 without a byte order mark, and the evidence for it.

    Text in UTF-32 leaves NUL in its two high byte lanes (every character below U+10000 does), and
    ASCII-heavy text in UTF-16 in its high lane. Greek, Cyrillic or CJK text in UTF-16 leaves no
    such lane, but its line ends are still `0A 00` (or `00 0A`): the byte order that reads as lines
    with no unassigned or private-use character, when the other does not, is the evidence then.
    """
    sample = data[:4096]
    for width, codec_le, codec_be in ((4, "utf-32-le", "utf-32-be"), (2, "utf-16-le", "utf-16-be")):
        if len(sample) < width * 2 or len(data) % width:
            continue
        lanes = [sample[i::width].count(0) / (len(sample) // width) for i in range(width)]
        if width == 4 and lanes[2] > 0.9 and lanes[3] > 0.9:
            codec = codec_le
        elif width == 4 and lanes[0] > 0.9 and lanes[1] > 0.9:
            codec = codec_be
        elif width == 2 and lanes[1] > 0.5 and lanes[0] < 0.1:
            codec = codec_le
        elif width == 2 and lanes[0] > 0.5 and lanes[1] < 0.1:
            codec = codec_be
        else:
            continue
        try:
            data.decode(codec)
            return codec, f"NUL bytes at the positions text in {codec} leaves them"
        except UnicodeDecodeError:
            continue
    lines = [codec for codec in ("utf-16-le", "utf-16-be") if _reads_as_lines(data, codec)]
    if len(lines) == 1:
        return lines[0], f"line ends where {lines[0]} puts them, and no unassigned character"
    return None


def _reads_as_lines(data: bytes, codec: str) -> bool:
    if len(data) % 2:
        return False
    try:
        text = data.decode(codec)[:2048]
    except UnicodeDecodeError:
        return False
    return "\n" in text and all(unicodedata.category(ch) not in ("Cn", "Co") for ch in text)


def _refuse_binary(path: Path, text: str) -> None:
    controls = [i for i, ch in enumerate(text[:65536]) if ch < " " and ch not in _TEXT_CONTROLS]
    if len(controls) > max(8, len(text[:65536]) // 50):
        raise InputError(str(path), f"looks binary: {len(controls)} control characters in its "
                         f"first {min(len(text), 65536)} characters (first at character "
                         f"{controls[0]})")


def _line_endings(text: str) -> tuple[str, str]:
    """A consistent CRLF (or old Mac CR) convention is a property of the file, decided once."""
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n") == text.count("\r"):
        return "\r\n", f"{crlf} CRLF line endings read as LF"
    if "\n" not in text and text.count("\r") > 1:
        return "\r", f"{text.count(chr(13))} CR line endings read as LF"
    return "\n", ""
