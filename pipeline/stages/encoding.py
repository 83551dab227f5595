"""Encoding damage: mojibake, HTML entities, C1 and other control characters, ligatures, NFC.

Why each defect happens:

- Mojibake: text encoded in UTF-8 was decoded as Windows-1252 or Latin-1 somewhere between the
  source and the dump (a scraper trusting a wrong `charset`, a database column declared Latin-1), so
  each accented letter became two or three characters: `CafÃ©`, `â€™`, `ÐŸÑ€Ð¸Ð²ÐµÑ‚`. When the
  second byte was A0, the decoded no-break space is often collapsed to a plain space on the way
  (`Ã ` for `à`).
- C1 controls: Windows-1252 text decoded as Latin-1 turns curly quotes, dashes and the euro sign
  into invisible control characters U+0080–U+009F.
- Surrogates: CESU-8 and Java's "modified UTF-8" write a character outside the Basic Multilingual
  Plane (an emoji, a rare CJK ideograph) as two encoded surrogates instead of one 4-byte sequence.
- HTML character references: a scraper copied the page source instead of the rendered text.
- Ligatures: PDF fonts map `fi`, `fl`, `ffi` to single glyphs, and text extraction keeps the glyph.
- Decomposed accents: macOS file names, some PDF producers and OCR engines emit `e` + U+0301.
- Stray CR, BOM: files concatenated from different systems. (Form feeds are page breaks: the
  pages stage takes them.)

ftfy decides what is damage; this stage only finds where to ask it. `ftfy.fix_text` over a whole
dump costs about a second per megabyte, yet damage is rare, so a cheap scan for the characters that
damage leaves (a UTF-8 lead byte read as Windows-1252 followed by a continuation byte, C1 controls,
entities, ligatures, the replacement character) picks the lines ftfy is run on. ftfy is configured
to leave correct typography alone: curly quotes, dashes, ellipses, non-breaking spaces and
full-width characters of the source are not damage.
"""

from __future__ import annotations

import html
import re
import unicodedata
from difflib import SequenceMatcher

import ftfy

from pipeline.model import Context, Doubt, Edit, Proposal

NAME = "encoding"
RULES = {
    "remove_byte_order_mark": "A byte order mark (U+FEFF) at the start of the text, or left "
                              "inside it by concatenated files, is removed.",
    "normalize_newlines": "Stray CR and CRLF line ends in a file that otherwise uses LF become LF.",
    "fix_mojibake": "Text that was encoded in UTF-8 and decoded in another encoding is decoded "
                    "again, as ftfy decides.",
    "unescape_html": "HTML character references (&amp;, &eacute;, &#8217;) left by a scraper "
                     "become the characters they stand for, except those for markdown syntax "
                     "characters (&lt;, &gt;, &#42;…), which is how markdown writes them as text.",
    "fix_c1_controls": "C1 control characters that stand for Windows-1252 punctuation become "
                       "that punctuation.",
    "fix_latin_ligatures": "Latin ligature code points from PDF extraction (ﬁ, ﬂ) become letters.",
    "remove_control_chars": "Control characters with no meaning in text (and terminal colour "
                            "escape sequences) are removed.",
    "fix_surrogates": "A character outside the Basic Multilingual Plane written as two "
                      "surrogates (CESU-8, Java's modified UTF-8) becomes that one character.",
    "normalize_unicode_nfc": "Text is put in Unicode normalization form C, so that the same letter "
                             "is always the same code points.",
}

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False,
                             fix_line_breaks=False, normalization=None, explain=True)
_CP1252_CONTINUATION = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                        "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                        "\u20ac\u2122")
_MOJIBAKE = "[\u00c2-\u00f4][" + _CP1252_CONTINUATION + "]"  # UTF-8 read as Windows-1252
_REFERENCE = "&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});"  # HTML, &eacute; &#233;
# The branches start with different characters, so their order decides nothing; the single
# characters are one class, which scans twice as fast as four alternatives.
_SUSPECT = re.compile(
    _REFERENCE + "|" + _MOJIBAKE +
    "|[\u0080-\u009f"  # C1 controls
    "\ufb00-\ufb06\ufffd"  # ligatures, replacement character
    "\x00-\x08\x0b\x0e-\x1f\x7f]"  # C0 controls other than tab, newlines and form feed
)
# `à` is C3 A0 in UTF-8; read as Windows-1252 the A0 is a no-break space, which editors and
# scrapers collapse to a plain one, leaving `Ã ` that no scan can tell from a real `Ã` before a
# space. It is only worth asking ftfy about where ftfy found mojibake elsewhere in the document.
_LOST_NBSP = re.compile("\u00c3 ")
_MARKDOWN_SYNTAX = frozenset("<>*_#[]`\\|~")
_WORDS_WITH_SPACE = re.compile(r"\S+\s*|\s+")
_UNITS = re.compile(_REFERENCE + "|.", re.DOTALL)
_DIFFERENCE_LIMIT = 40_000  # pairs of items SequenceMatcher may compare: 200 words by 200
_NFC_RULE = ("normalize_unicode_nfc", "decomposed characters composed (Unicode NFC)")
# ftfy's own steps that are one of our rules; every other step is part of undoing mojibake.
_STEP_RULES = {"unescape_html": "unescape_html", "fix_c1_controls": "fix_c1_controls",
               "fix_latin_ligatures": "fix_latin_ligatures",
               "remove_control_chars": "remove_control_chars",
               "remove_terminal_escapes": "remove_control_chars",  # ANSI colour codes from logs
               "fix_surrogates": "fix_surrogates"}


def propose(text: str, context: Context) -> Proposal:
    r"""Edits that undo the encoding damage in `text`, each named after the defect it repairs.

    >>> damaged = "Die Auﬂage kostet 20\u0080 fÃ¼r alle.\n"
    >>> [(e.rule, e.replacement) for e in propose(damaged, Context.of(damaged, "de")).edits]
    [('fix_latin_ligatures', 'fl'), ('fix_c1_controls', '€'), ('fix_mojibake', 'ü')]
    >>> typography = "«\u00a0Déjà\u00a0?\u00a0» — oui… “sí”, ‘ja’, 「はい」, AT&T\n"
    >>> propose(typography, Context.of(typography, "fr")).edits
    []
    """
    edits = [*_byte_order_marks(text), *_noncharacters(text), *_newlines(text)]
    by_line = {start: list(_ftfy_edits(start, line, lost_nbsp=False))
               for start, line in _suspect_lines(text, _SUSPECT)}
    if any(place.rule == "fix_mojibake" for places in by_line.values()
           for place in places if isinstance(place, Edit)):
        by_line.update((start, list(_ftfy_edits(start, line, lost_nbsp=True)))
                       for start, line in _suspect_lines(text, _LOST_NBSP))
    places = [place for line_places in by_line.values() for place in line_places]
    edits.extend(place for place in places if isinstance(place, Edit))
    edits = _without_overlaps(edits)
    edits.extend(_nfc(text, edits))
    return Proposal(_without_overlaps(edits), [place for place in places
                                               if isinstance(place, Doubt)])


def _byte_order_marks(text: str):
    for match in re.finditer("\ufeff", text):
        where = "at the start of the text" if match.start() == 0 else "inside the text"
        yield Edit(match.start(), match.end(), "", "remove_byte_order_mark",
                   f"a byte order mark {where} is an encoding artefact, not text")


def _noncharacters(text: str):
    r"""U+FFFE and U+FFFF, which ftfy keeps but XML 1.0 forbids: no TEI could carry them.

    >>> [(e.start, e.rule) for e in _noncharacters("a￾b￿")]
    [(1, 'remove_control_chars'), (3, 'remove_control_chars')]
    """
    for match in re.finditer("[￾￿]", text):
        yield Edit(match.start(), match.end(), "", "remove_control_chars",
                   f"U+{ord(match.group()):04X} is a Unicode noncharacter, which no text means "
                   "(a byte order mark read in the wrong byte order, a program's end-of-data "
                   "marker) and XML cannot carry")


def _newlines(text: str):
    for match in re.finditer("\r\n?", text):
        yield Edit(match.start(), match.end(), "\n", "normalize_newlines",
                   f"a {match.group()!r} line end in a file that mixes line-end conventions "
                   "(a file that uses CRLF or CR throughout is read as such when decoded)")


def _suspect_lines(text: str, suspect: re.Pattern):
    r"""(start, text) of each line where `suspect` finds what encoding damage leaves.

    >>> [line for _, line in _suspect_lines("Il a Ã©tÃ© malade.\nIl va Ã Paris.", _SUSPECT)]
    ['Il a Ã©tÃ© malade.']
    >>> [line for _, line in _suspect_lines("Il a Ã©tÃ© malade.\nIl va Ã Paris.", _LOST_NBSP)]
    ['Il va Ã Paris.']
    """
    if not unicodedata.is_normalized("NFC", text):
        # Decomposed letters are composed after this scan (`e` + U+0301 is `é`), and what they
        # compose into must be seen now, or a second run would find damage the first missed.
        offset = 0
        for line in text.split("\n"):
            if suspect.search(unicodedata.normalize("NFC", line)):
                yield offset, line
            offset += len(line) + 1
        return
    # No match spans a line end; the search goes on from the next line.
    match = suspect.search(text)
    while match is not None:
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        yield line_start, text[line_start:line_end]
        match = suspect.search(text, line_end + 1)


def _ftfy_edits(line_start: int, line: str, lost_nbsp: bool):
    """ftfy's fixes of a line, kept away from what it must not decide on: references that write
    markdown syntax as text, and `Ã ` unless the document shows mojibake (`lost_nbsp`)."""
    kept = [m.span() for m in re.finditer(_REFERENCE, line) if _writes_markdown_syntax(m.group())]
    if not lost_nbsp:
        kept.extend(m.span() for m in _LOST_NBSP.finditer(line))
    start = 0
    for kept_start, kept_end in sorted(kept):
        yield from _ftfy_segment_edits(line_start + start, line[start:kept_start])
        start = kept_end
    yield from _ftfy_segment_edits(line_start + start, line[start:])


def _ftfy_segment_edits(segment_start: int, segment: str):
    # ftfy is asked about the composed text, as a second run would see it after the NFC rule:
    # `e` + U+0301 before a damaged `Ã ` is `éÃ `, which ftfy judges differently.
    normal = unicodedata.normalize("NFC", segment)
    fixed, steps = ftfy.fix_and_explain(normal, _FTFY)
    if fixed == normal:
        return
    fixed = unicodedata.normalize("NFC", fixed)  # what ftfy decodes can be decomposed too
    # Split the fix into its separate places, so each change names its own raw column and the
    # steps ftfy takes for that place alone (the segment's steps are the fallback).
    for i1, i2, j1, j2 in _changed_places(segment, fixed):
        before, after = segment[i1:i2], fixed[j1:j2]
        if unicodedata.normalize("NFC", before) == after:
            yield Edit(segment_start + i1, segment_start + i2, after, *_NFC_RULE)
            continue
        local, local_steps = ftfy.fix_and_explain(unicodedata.normalize("NFC", before), _FTFY)
        place_steps = local_steps if unicodedata.normalize("NFC", local) == after else steps
        if ("transcode", "restore_byte_a0") in place_steps and before.endswith(" ") and \
                not any(ch.isalpha() for ch in after):
            # ftfy took the space for a lost no-break byte. That gives `à` from `Ã `, but a
            # sign from a mark whose last byte was dropped: `â€ ` is `†` that way, and far more
            # often a `”` (E2 80 9D, whose 9D Windows-1252 cannot show) before a real space.
            yield Doubt(segment_start + i1, segment_start + i2, "fix_mojibake",
                        f"{before!r} may be mojibake, but ftfy's reading {after!r} takes the "
                        "space after it for part of the character: left for a reviewer")
            continue
        if _lower_inside_capitals(segment, i1, after):
            # `IRMÃ»` is Portuguese in capitals before a closing guillemet; read as mojibake it
            # would be `IRMû`, a small letter inside a word in capitals.
            yield Doubt(segment_start + i1, segment_start + i2, "fix_mojibake",
                        f"{before!r} may be mojibake, but ftfy's reading {after!r} puts a small "
                        "letter into a word in capitals: it is likely correct text (Portuguese "
                        "and other capitals use Ã), left for a reviewer")
            continue
        yield Edit(segment_start + i1, segment_start + i2, after, *_explain(place_steps))


def _lower_inside_capitals(segment: str, at: int, after: str) -> bool:
    """Whether `after`, put at `at` in `segment`, is a small letter right after capitals.

    >>> _lower_inside_capitals("A IRMÃ» chegou", 6, "û"), _lower_inside_capitals("sÃ»r", 1, "û")
    (True, False)
    >>> _lower_inside_capitals("CAFÃ‰", 3, "É")
    False
    >>> _lower_inside_capitals("STRAÃŸE", 4, "ß")  # no capital of its own: capitals keep it
    False
    """
    letters = [ch for ch in after if ch.isalpha()]
    if not letters or not letters[0].islower() or len(letters[0].upper()) != 1:
        return False
    start = at  # the letters before the place, walked back to the word's start
    while start > 0 and segment[start - 1].isalpha():
        if not segment[start - 1].isupper():
            return False
        start -= 1
    return at - start >= 2


def _changed_places(a: str, b: str) -> list[list[int]]:
    """The (a_start, a_end, b_start, b_end) spans where `a` and `b` differ, adjacent ones merged.

    Words are aligned first and characters only inside the words that differ: a character diff
    of a whole paragraph-long line costs quadratic time when every word has mojibake in it.

    >>> _changed_places("El cafÃ© estÃ¡ frÃ­o.", "El café está frío.")
    [[6, 8, 6, 7], [12, 14, 11, 12], [17, 19, 15, 16]]
    >>> _changed_places("a &eacute;t&eacute;", "a été")
    [[2, 10, 2, 3], [11, 19, 4, 5]]
    >>> _changed_places("l&#39;&eacute;v&ecirc;que", "l'évêque")
    [[1, 6, 1, 2], [6, 14, 2, 3], [15, 22, 4, 5]]
    """
    places: list[list[int]] = []
    references: list[bool] = []  # whether each place is a reference of its own
    words_a, words_b = _WORDS_WITH_SPACE.findall(a), _WORDS_WITH_SPACE.findall(b)
    starts_a, starts_b = _starts(words_a), _starts(words_b)
    for w1, w2, v1, v2 in _differences(words_a, words_b):
        # Mojibake keeps the number of words: diff them pair by pair, not as one long run.
        if w2 - w1 == v2 - v1:
            ranges = [(starts_a[w], starts_a[w + 1], starts_b[v], starts_b[v + 1])
                      for w, v in zip(range(w1, w2), range(v1, v2))]
        else:
            ranges = [(starts_a[w1], starts_a[w2], starts_b[v1], starts_b[v2])]
        for a0, a1, b0, b1 in ranges:
            # A character reference is one unit: its letters are no letters of the text, and
            # a place must never start or end inside one (`&eacute;t&eacute;` is `été`).
            units = _UNITS.findall(a, a0, a1)
            unit_starts = _starts(units)
            for u1, u2, j1, j2 in _differences(units, b[b0:b1]):
                # References side by side (`&#39;&eacute;`), each become a character: one place
                # each, so that a reviewer can take one and leave the other.
                apart = u2 - u1 == j2 - j1 > 1 and all(len(unit) > 1 for unit in units[u1:u2])
                for p1, p2, q1, q2 in ([(u, u + 1, j1 + k, j1 + k + 1)
                                        for k, u in enumerate(range(u1, u2))] if apart
                                       else [(u1, u2, j1, j2)]):
                    i1, i2 = a0 + unit_starts[p1], a0 + unit_starts[p2]
                    if places and not apart and not references[-1] and \
                            i1 == places[-1][1] and b0 + q1 == places[-1][3]:
                        places[-1][1], places[-1][3] = i2, b0 + q2
                    else:
                        places.append([i1, i2, b0 + q1, b0 + q2])
                        references.append(apart)
    return places


def _differences(a, b) -> list[tuple[int, int, int, int]]:
    """The (a_start, a_end, b_start, b_end) of the parts where sequences `a` and `b` differ.

    Equal ends are set aside first; SequenceMatcher, whose time grows with the product of the
    lengths (and with their cube on repetitions: `w &amp; ` a thousand times took 30 s), aligns
    only a middle of bounded size, and a longer middle is one part.

    >>> _differences("a&amp;b&amp;c", "a&b&c")
    [(2, 6, 2, 2), (8, 12, 4, 4)]
    >>> _differences("&amp;" * 100, "&" * 100)
    [(1, 500, 1, 100)]
    """
    head = _common_prefix(a, b)
    tail = _common_prefix(a[head:][::-1], b[head:][::-1])
    a_end, b_end = len(a) - tail, len(b) - tail
    if (a_end - head) * (b_end - head) > _DIFFERENCE_LIMIT:
        return [(head, a_end, head, b_end)]
    return [(head + i1, head + i2, head + j1, head + j2) for tag, i1, i2, j1, j2 in
            SequenceMatcher(None, a[head:a_end], b[head:b_end], autojunk=False).get_opcodes()
            if tag != "equal"]


def _starts(pieces: list[str]) -> list[int]:
    starts = [0]
    for piece in pieces:
        starts.append(starts[-1] + len(piece))
    return starts


def _writes_markdown_syntax(reference: str) -> bool:
    """Is `reference` one of the references that stand for markdown or HTML syntax characters?

    In markdown a character reference is how a literal syntax character is written: `&lt;b&gt;`
    reads as the text "<b>", while `<b>` would be an HTML tag, `&#42;` a star where `*` opens
    emphasis. Decoding them would turn the source's text into markup, so they are left alone.

    >>> _writes_markdown_syntax("&lt;"), _writes_markdown_syntax("&#42;")
    (True, True)
    >>> _writes_markdown_syntax("&amp;"), _writes_markdown_syntax("&eacute;")
    (False, False)
    """
    return html.unescape(reference) in _MARKDOWN_SYNTAX


def _explain(steps) -> tuple[str, str]:
    """The rule a fix falls under, from the steps ftfy took, and those steps as the reason.

    ftfy repairs C1 controls and encoded surrogates by transcoding, which it reports by codec
    names: Latin-1 text re-read as Windows-1252 is C1 punctuation, and the `utf-8-variants` decoder
    is the one that joins surrogate pairs.

    >>> _explain([("encode", "latin-1"), ("decode", "windows-1252")])[0]
    'fix_c1_controls'
    >>> _explain([("encode", "sloppy-windows-1252"), ("decode", "utf-8")])[0]
    'fix_mojibake'
    """
    codecs = [name for action, name in steps if action in ("encode", "decode")]
    if codecs == ["latin-1", "windows-1252"]:
        rule = "fix_c1_controls"
    elif "utf-8-variants" in codecs:
        rule = "fix_surrogates"
    else:
        rule = next((_STEP_RULES[name] for _, name in steps if name in _STEP_RULES),
                    "fix_mojibake")
    return rule, "ftfy: " + ", then ".join(f"{action} {name}" for action, name in steps)


def _nfc(text: str, earlier: list[Edit]):
    """Stretches not in NFC, each reduced to the part that changes; a line is cut at the edits
    already made on it, so that a decomposed accent beside a mojibake fix is composed too."""
    if unicodedata.is_normalized("NFC", text):
        return
    cuts = sorted({pos for e in earlier for pos in (e.start, e.end)})
    spans = sorted((e.start, e.end) for e in earlier)
    offset = 0
    for line in text.split("\n"):
        if not unicodedata.is_normalized("NFC", line):
            line_end = offset + len(line)
            bounds = [offset, *(c for c in cuts if offset < c < line_end), line_end]
            for start, end in zip(bounds, bounds[1:]):
                if not any(s <= start and end <= e and s < e for s, e in spans):
                    yield from _nfc_piece(text, start, end)
        offset += len(line) + 1


def _nfc_piece(text: str, start: int, end: int):
    piece = text[start:end]
    if unicodedata.is_normalized("NFC", piece):
        return
    normal = unicodedata.normalize("NFC", piece)
    head = _common_prefix(piece, normal)
    tail = _common_prefix(piece[head:][::-1], normal[head:][::-1])
    yield Edit(start + head, end - tail, normal[head:len(normal) - tail], *_NFC_RULE)


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
