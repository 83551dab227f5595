"""Properties over generated dumps: never a crash, lossless, idempotent, deterministic, valid.

The generator strings together the pieces real damage is made of (blank lines, markdown markers,
lost links, quotes, mojibake, controls, CR) with arbitrary text, so that Hypothesis explores the
places where rules meet.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import process, schema, source, tei
from pipeline.model import InputError

PIECES = [
    "\n", "\n\n", "\n\n\n", " ", "  ", "#", "## ", "### ", "*", "**", "***", "_", "[", "]", "(#)",
    "](#)", "](https://example.org)", "()", ">", "> ", "- ", "1. ", "`", "```\n", "---\n", ".",
    ",", ":", ";", "?", "!", "…", "...", "\"", "“", "”", "«", "»", "'", "(", ")", "-", "—",
    "EE. UU.", "e.g.", "z. B.", "Sr.", "la", "de", "the", "word", "Terro", "r", "Title",
    "Jane Doe", "Ã©", "â€™", "&amp;", "&#8217;", "ﬁ", "e\u0301", "\r", "\r\n", "\ufeff", "\x01",
    "\x0c", "\u00a0", "\t", "|", "| a | b |\n|---|---|\n", "<br>", "\\", "![x](y.png)",
]
dumps = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map(
    "".join)


def _repair(text: str):
    """The repair of a generated dump, or None when it is refused (empty, binary-looking):
    a refusal with a reason is an allowed outcome, a crash is not."""
    try:
        return process.repair(source.decode(Path("raw/d.md"), text.encode("utf-8")))
    except InputError:
        return None


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_bytes_are_cleaned_or_refused_with_a_reason(data):
    try:
        result = process.repair(source.decode(Path("raw/d.txt"), data))
    except InputError as error:
        assert error.message
        return
    assert result.undo() == data
    tei.write(result, Path("clean/d.tei.xml"))


@given(dumps)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_lossless_and_deterministic(text):
    result = _repair(text)
    if result is None:
        return
    assert result.undo() == text.encode("utf-8")
    first = tei.write(result, Path("clean/d.tei.xml"))
    assert tei.write(_repair(text), Path("clean/d.tei.xml")) == first


@given(dumps)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_idempotent(text):
    once = _repair(text)
    if once is None or not once.text:
        return  # nothing left (a lone byte order mark): an empty file is refused, not repaired
    twice = _repair(once.text)
    assert twice is not None, "the repaired text itself was refused"
    assert twice.text == once.text, [(c.rule, c.before, c.after) for c in twice.changes]


@given(dumps)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_always_valid_tei(text):
    result = _repair(text)
    if result is None:
        return
    assert schema.errors(tei.write(result, Path("clean/d.tei.xml"))) == []
