"""Properties over generated dumps: never a crash, lossless, idempotent, deterministic, valid.

The generator strings together the pieces real damage is made of (blank lines, markdown markers,
lost links, quotes, mojibake, controls, CR) with arbitrary text, so that Hypothesis explores the
places where rules meet. Arbitrary bytes, and arbitrary Unicode in every encoding the decoder
reads, go through the whole pipeline too, as markdown (`.md`) and as text whose kind is read from
it (`.txt`). Each TEI written is proved as `pipeline verify` proves it, and validated.

`tests/fuzz.py` asks the same of inputs that atheris (libFuzzer) grows by coverage.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import process, schema, source, tei, verify, xmlsafe
from pipeline.model import InputError

PIECES = [
    "\n", "\n\n", "\n\n\n", " ", "  ", "#", "## ", "### ", "*", "**", "***", "_", "[", "]", "(#)",
    "](#)", "](https://example.org)", "()", ">", "> ", "- ", "1. ", "`", "```\n", "---\n", ".",
    ",", ":", ";", "?", "!", "…", "...", "\"", "“", "”", "«", "»", "'", "(", ")", "-", "—",
    "EE. UU.", "e.g.", "z. B.", "Sr.", "la", "de", "the", "word", "Terro", "r", "Title",
    "Jane Doe", "Ã©", "â€™", "&amp;", "&#8217;", "ﬁ", "e\u0301", "\r", "\r\n", "\ufeff", "\x01",
    "\x0c", "\u00a0", "\t", "|", "| a | b |\n|---|---|\n", "<br>", "\\", "![x](y.png)",
    # Characters XML cannot carry, markup that nests, and what makes parsers backtrack.
    "\x00", "\x1b[31m", "\ufffe", "\uffff", "> > > ", "  - ", "![", "~~", "<", "&lt;", "[^1]",
    "$", "    ", "\u2028", "\ue000",
]
dumps = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map(
    "".join)
# A dump's name says what it is: `.md` is markdown; the kind of a `.txt` is read from its text.
names = st.sampled_from(["d.md", "d.txt"])
# Every encoding the decoder tells apart (with and without a byte order mark); text a legacy
# encoding cannot hold is written with `?` instead, which is still a dump in that encoding.
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
             "utf-32-be", "cp1252", "latin-1"]


def _repair(text: str):
    """The repair of a generated dump, or None when it is refused (empty, binary-looking):
    a refusal with a reason is an allowed outcome, a crash is not."""
    try:
        return process.repair(source.decode(Path("raw/d.md"), text.encode("utf-8")))
    except InputError as error:
        assert error.message and "\n" not in str(error)  # one line, naming the file
        return None


def proved(data: bytes, name: str):
    """Run the raw bytes `data`, a dump called `name`, as `pipeline run` does, and prove the TEI
    as `pipeline verify` does (checksum, replay to the bytes, reading text, a second run writes
    the same bytes) and against tei_all. The repair, or None when the dump is refused."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw" / name
        raw.parent.mkdir()
        raw.write_bytes(data)
        try:
            result = process.repair(source.read(raw))
        except InputError as error:
            assert error.message and "\n" not in str(error)
            return None
        target = Path(folder) / "clean" / f"{source.stem(raw)}.tei.xml"
        target.parent.mkdir()
        target.write_bytes(tei.write(result, target))
        failed = [check for check in verify.verify(raw, target) if not check.ok]
        assert not failed, failed
        assert schema.errors(target.read_bytes()) == []
        return result


@given(st.binary(max_size=300), names)
@settings(max_examples=150, deadline=None)
def test_any_bytes_are_cleaned_or_refused_with_a_reason(data, name):
    proved(data, name)


@given(st.text(max_size=200), st.sampled_from(ENCODINGS), names)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_in_any_encoding_is_cleaned_or_refused(text, encoding, name):
    proved(text.encode(encoding, "replace"), name)


@given(dumps, names)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_lossless_deterministic_and_valid(text, name):
    proved(text.encode("utf-8"), name)


@given(st.one_of(dumps, st.text(max_size=200)))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_idempotent(text):
    once = _repair(text)
    if once is None or not once.text:
        return  # nothing left (a lone byte order mark): an empty file is refused, not repaired
    twice = _repair(once.text)
    assert twice is not None, "the repaired text itself was refused"
    assert twice.text == once.text, [(c.rule, c.before, c.after) for c in twice.changes]


# Plain text in which every markdown character is text: quotation and heading markers, rules,
# setext underlines, fences, table rows, emphasis, code, links, autolinks, HTML, entities and
# escapes, at the start of a line and inside it, and the prompts of interactive sessions.
PLAIN_PIECES = [
    "\n", "\n", "\n\n", " ", "    ", ">", "> ", ">>> ", "... ", "#", "# ", "## ", "$ ", "In [1]: ",
    "---", "***", "___", "===", "* * *", "```", "~~~", "|", "| a | b |", "|---|---|", "-|-",
    "<", "<div>", "<https://example.org/a>", "<a@example.org>", "&amp;", "&#35;", "[", "]",
    "](x)", "]: x", "![", "`", "*", "_", "~~", "\\", "!", "The end.", "Word", "word", "x",
    "1984.", "the", ":", "=", "-", "+", "(", ")", "\t", "1. ", "2) ", "- ", "+ ", "**b**", "_i_",
    "<!--", "</p>", "&lt;", "[a]", "[a]:", "`x`", "  \n",
]
plain_dumps = st.lists(st.sampled_from(PLAIN_PIECES), min_size=1, max_size=30).map("".join)
# A line opening with a list marker is a list item in plain text too (its marker is the list's,
# and those of the items nested in it).
_LIST_MARKER = re.compile(r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$))+", re.MULTILINE)


@given(plain_dumps)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_character_of_plain_text_reaches_the_reading_text(text):
    """What no recorded change touched reaches the TEI's reading text, markdown characters too:
    in plain text they are text, so the parser must consume none of them."""
    result = process.repair(source.decode(Path("d.txt"), text.encode()), kind="plain")
    document = xmlsafe.parse(tei.write(result, Path("clean/d.tei.xml")))
    reading = "".join(document.find(".//{%s}body" % tei.TEI_NS).itertext())
    changed = set()
    for change in result.changes:
        changed.update(range(change.raw_start, change.raw_end))
    for marker in _LIST_MARKER.finditer(text):
        changed.update(range(*marker.span()))
    kept = [ch for i, ch in enumerate(text) if not ch.isspace() and i not in changed]
    remaining = iter(ch for ch in reading if not ch.isspace())
    missing = [ch for ch in kept if ch not in remaining]  # a subsequence, in order
    assert not missing, (missing, reading)
