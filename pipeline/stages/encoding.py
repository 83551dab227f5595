"""Encoding damage: mojibake, HTML entities, C1 and other control characters, ligatures, NFC.

ftfy decides what is damage; this stage only finds where to ask it. `ftfy.fix_text` over a whole
dump costs about a second per megabyte, yet damage is rare, so a cheap scan for the characters that
damage leaves (a UTF-8 lead byte read as Windows-1252 followed by a continuation byte, C1 controls,
entities, ligatures, the replacement character) picks the lines ftfy is run on. ftfy is configured
to leave correct typography alone: curly quotes, dashes, ellipses, non-breaking spaces and
full-width characters of the source are not damage.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

import ftfy

from pipeline.model import Context, Edit, Proposal

NAME = "encoding"
RULES = {
    "remove_byte_order_mark": "A byte order mark (U+FEFF) at the start of the text, or left "
                              "inside it by concatenated files, is removed.",
    "normalize_newlines": "Stray CR and CRLF line ends in a file that otherwise uses LF become LF.",
    "fix_mojibake": "Text that was encoded in UTF-8 and decoded in another encoding is decoded "
                    "again, as ftfy decides.",
    "unescape_html": "HTML character references (&amp;, &eacute;, &#8217;) left by a scraper "
                     "become the characters they stand for.",
    "fix_c1_controls": "C1 control characters that stand for Windows-1252 punctuation become "
                       "that punctuation.",
    "fix_latin_ligatures": "Latin ligature code points from PDF extraction (ﬁ, ﬂ) become letters.",
    "remove_control_chars": "Control characters with no meaning in text are removed.",
    "fix_surrogates": "Surrogate pairs written as separate characters are combined.",
    "replace_page_break": "A form feed (page break, not allowed in XML) becomes a block break; "
                          "the break stage decides whether the paragraph goes on across it.",
    "normalize_unicode_nfc": "Text is put in Unicode normalization form C, so that the same letter "
                             "is always the same code points.",
}

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False,
                             fix_line_breaks=False, normalization=None, explain=True)
_CP1252_CONTINUATION = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                        "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                        "\u20ac\u2122")
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][" + _CP1252_CONTINUATION + "]"  # UTF-8 read as Windows-1252 / Latin-1
    "|[\u0080-\u009f]"  # C1 controls
    "|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});"  # HTML character references
    "|[\ufb00-\ufb06\ufffd]"  # ligatures, replacement character
    "|[\x00-\x08\x0b\x0e-\x1f\x7f]"  # C0 controls other than tab, newlines and form feed
    "|[\ud800-\udfff]"
)
_STEP_RULES = {"unescape_html", "fix_c1_controls", "fix_latin_ligatures", "remove_control_chars",
               "fix_surrogates"}


def propose(text: str, context: Context) -> Proposal:
    edits = [*_byte_order_marks(text), *_newlines(text), *_form_feeds(text)]
    for line_start, line in _suspect_lines(text):
        edits.extend(_ftfy_edits(line_start, line))
    edits = _without_overlaps(edits)
    edits.extend(_nfc(text, edits))
    return Proposal(_without_overlaps(edits), [])


def _byte_order_marks(text: str):
    for match in re.finditer("\ufeff", text):
        where = "at the start of the text" if match.start() == 0 else "inside the text"
        yield Edit(match.start(), match.end(), "", "remove_byte_order_mark",
                   f"a byte order mark {where} is an encoding artefact, not text")


def _newlines(text: str):
    for match in re.finditer("\r\n?", text):
        yield Edit(match.start(), match.end(), "\n", "normalize_newlines",
                   f"a stray {match.group()!r} line end in a file that uses LF")


def _form_feeds(text: str):
    for match in re.finditer("\f", text):
        yield Edit(match.start(), match.end(), "\n\n", "replace_page_break",
                   "a form feed (page break) is not allowed in XML")


def _suspect_lines(text: str):
    seen_line = -1
    for match in _SUSPECT.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if line_start == seen_line:
            continue
        seen_line = line_start
        line_end = text.find("\n", match.end())
        yield line_start, text[line_start:line_end if line_end >= 0 else len(text)]


def _ftfy_edits(line_start: int, line: str):
    fixed, steps = ftfy.fix_and_explain(line, _FTFY)
    if fixed == line:
        return
    # Split the line's fix into its separate places, so each change names its own raw column and
    # the steps ftfy takes for that place alone (the line's steps are the fallback).
    matcher = SequenceMatcher(None, line, fixed, autojunk=False)
    groups = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if groups and i1 == groups[-1][1] and j1 == groups[-1][3]:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])
    for i1, i2, j1, j2 in groups:
        local, local_steps = ftfy.fix_and_explain(line[i1:i2], _FTFY)
        yield Edit(line_start + i1, line_start + i2, fixed[j1:j2],
                   *_explain(local_steps if local == fixed[j1:j2] else steps))


def _explain(steps) -> tuple[str, str]:
    rule = next((name for action, name in steps if name in _STEP_RULES), "fix_mojibake")
    return rule, "ftfy: " + ", then ".join(f"{action} {name}" for action, name in steps)


def _nfc(text: str, earlier: list[Edit]):
    """Lines not in NFC, each reduced to the part that changes, away from edits already made."""
    if unicodedata.is_normalized("NFC", text):
        return
    taken = [(e.start, e.end) for e in earlier]
    offset = 0
    for line in text.split("\n"):
        if not unicodedata.is_normalized("NFC", line):
            normal = unicodedata.normalize("NFC", line)
            head = _common_prefix(line, normal)
            tail = _common_prefix(line[head:][::-1], normal[head:][::-1])
            start, end = offset + head, offset + len(line) - tail
            if not any(s < end and start < e for s, e in taken):
                yield Edit(start, end, normal[head:len(normal) - tail], "normalize_unicode_nfc",
                           "decomposed characters composed (Unicode NFC)")
        offset += len(line) + 1


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    """Keep the first of edits that touch the same characters (an ftfy fix of a line already
    covers a control character found on its own)."""
    kept, end = [], -1
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if edit.start >= end or edit.start == edit.end == end:
            kept.append(edit)
            end = max(end, edit.end)
    return kept
