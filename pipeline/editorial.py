"""What each rule's change is to an editor, in one place: its kind, how sure it is, its heading.

The TEI Guidelines tell an error put right (`sic`/`corr`, COEDCOR) from a spelling or layout made
regular (`orig`/`reg`, COEDREG), and both from a change of the text's structure; each intervention
says who made it (`@resp`) and how sure they were (`@cert`, CECERT). The header declares the
practice under the headings of HD53's `editorialDecl`. This module is that mapping, rule by rule:

- `correction`: the dump is wrong (mojibake, C1 controls, lost link targets, a link cut apart);
- `normalization`: the dump is right but irregular (wraps, hyphens, spacing, NFC, ligatures);
- `structure`: blocks made, joined or retyped (a paragraph made a heading, two blocks joined,
  page breaks and footnotes); recorded as such, with the rule as the kind of structural change.

`@cert` comes from the evidence a rule weighs. A change that carries a calibrated probability
(`Change.confidence`, a number in [0, 1]) is mapped by `CONFIDENCE`; otherwise the rule's own
certainty applies, refined by the evidence its note names (`EVIDENCE`):

- high: the defect is a fact of the bytes or of the syntax (an invalid character, a form feed,
  an entity, a target '#'), and the repair is the only one;
- medium: the rule weighs evidence that can mislead on an unseen document (word frequencies,
  punctuation at a break, a shape recurring on pages, ftfy's reading of mojibake);
- low: one line's shape alone decides (a short line taken as a title, cells one per line).
"""

from __future__ import annotations

import re

# rule -> (kind, cert, HD53 heading)
RULES: dict[str, tuple[str, str, str]] = {
    "remove_byte_order_mark": ("normalization", "high", "normalization"),
    "normalize_newlines": ("normalization", "high", "normalization"),
    "fix_mojibake": ("correction", "medium", "correction"),
    "unescape_html": ("correction", "high", "correction"),
    "fix_c1_controls": ("correction", "high", "correction"),
    "fix_latin_ligatures": ("normalization", "high", "normalization"),
    "remove_control_chars": ("correction", "high", "correction"),
    "fix_surrogates": ("correction", "high", "correction"),
    "normalize_unicode_nfc": ("normalization", "high", "normalization"),
    "mark_page_break": ("structure", "medium", "segmentation"),
    "mark_footnote": ("structure", "medium", "segmentation"),
    "remove_page_furniture": ("structure", "medium", "segmentation"),
    "flag_recurring_prose": ("structure", "low", "segmentation"),  # a doubt: kept as text
    "split_paragraph": ("structure", "medium", "segmentation"),
    "mark_title_line": ("structure", "low", "segmentation"),
    "mark_list_item": ("structure", "high", "segmentation"),
    "remove_layout_indent": ("normalization", "high", "normalization"),
    "keep_table_verbatim": ("structure", "medium", "segmentation"),
    "fence_table_cells": ("structure", "low", "segmentation"),
    "keep_session_verbatim": ("structure", "medium", "segmentation"),
    "escape_markup": ("normalization", "high", "normalization"),
    "drop_lost_link_target": ("correction", "high", "correction"),
    "merge_split_link": ("correction", "medium", "correction"),
    "rejoin_cut_link_word": ("correction", "medium", "correction"),
    "remove_space_before_punctuation": ("normalization", "medium", "punctuation"),
    "flag_link_extent": ("correction", "low", "correction"),
    "mark_bare_url": ("structure", "high", "segmentation"),
    "mark_bracketed_address": ("structure", "high", "segmentation"),
    "remove_html_anchor": ("correction", "high", "correction"),
    "remove_space_inside_brackets": ("normalization", "medium", "punctuation"),
    "remove_space_inside_quotes": ("normalization", "medium", "quotation"),
    "join_midsentence_break": ("structure", "medium", "segmentation"),
    "join_split_word": ("normalization", "medium", "hyphenation"),
    "join_hyphenated_word": ("normalization", "medium", "hyphenation"),
    "join_hyphenated_line": ("normalization", "medium", "hyphenation"),
    "join_wrapped_line": ("normalization", "medium", "segmentation"),
    "drop_soft_hyphen": ("normalization", "high", "hyphenation"),
    "collapse_blank_lines": ("normalization", "high", "normalization"),
    "strip_leading_blank_lines": ("normalization", "high", "normalization"),
    "strip_trailing_blank_lines": ("normalization", "high", "normalization"),
    "demote_fragment_heading": ("structure", "medium", "segmentation"),
    "promote_bold_title": ("structure", "medium", "segmentation"),
    "unbold_heading": ("structure", "high", "segmentation"),
    "set_heading_level": ("structure", "medium", "segmentation"),
    "join_split_heading": ("structure", "medium", "segmentation"),
    "drop_heading_attributes": ("structure", "high", "segmentation"),
    "mark_byline": ("structure", "medium", "segmentation"),
    "mark_block_quotation": ("structure", "medium", "quotation"),
    "mark_compilation": ("structure", "medium", "segmentation"),
}
# Evidence named in a change's note that settles it beyond the rule's usual doubt.
EVIDENCE: dict[str, tuple[str, str]] = {
    "mark_page_break": ("form feed", "high"),  # pdftotext's and OCR's own page end
}
# A calibrated probability's lower bounds for each certainty.
CONFIDENCE = ((0.9, "high"), (0.7, "medium"), (0.0, "low"))
HEADINGS = ("correction", "normalization", "hyphenation", "punctuation", "quotation",
            "segmentation")


def kind(rule: str) -> str:
    return RULES[rule][0]


def cert(rule: str, reason: str, confidence: float | None = None) -> str:
    """How sure a change is, as TEI's high/medium/low.

    >>> cert("mark_page_break", "'3' at the page break (1 form feed)")
    'high'
    >>> cert("mark_page_break", "'HISTORY 3' at the page break")
    'medium'
    >>> cert("mark_title_line", "a short line", confidence=0.93)
    'high'
    """
    if confidence is not None:
        return next(name for bound, name in CONFIDENCE if confidence >= bound)
    found = EVIDENCE.get(rule)
    if found and found[0] in reason:
        return found[1]
    return RULES[rule][1]


# Markdown syntax the pipeline writes or removes, and what a reader sees of it: a heading's, a
# quotation's or a list item's marker, a fence, emphasis markers, a footnote's label nothing; a
# backslash escape the character; a footnote's mark its label; a link its text, and a lone link
# destination (a lost '#') what it said.
_SYNTAX = re.compile(r"""
    (?P<line>(?m:^)[ \t]{0,3}(?:\#{1,6}(?:[ \t]+|$)|>[ \t]?|```.*|\[\^[^\]\s]+\]:[ \t]?
                                |[-+*][ \t]+|\d{1,9}[.)][ \t]+))
  | \\(?P<escaped>[!-/:-@\[-`{-~])
  | \[\^(?P<mark>[^\]\s]+)\]
  | \[(?P<link>[^\]\n]*)\]\([^)\s]*\)
  | \{\#[^}\s]*\}
  | </?[a-z][^>\n]*>
  | \*+ | __+
""", re.VERBOSE)
_DESTINATION = re.compile(r"\(([^()\s]*)\)")


def reading(text: str) -> str:
    """`text`, a piece of the pipeline's markdown, as it reads. (A plain-text dump is not
    markdown until the layout stage has written it: what the stages up to it found there reads
    as it is.)

    >>> reading("\\n\\n## ")
    '\\n\\n'
    >>> reading("archivo.[^1]")
    'archivo.1'
    >>> reading("(#)"), reading("()")
    ('#', '')
    >>> reading("sin \\\\*markup\\\\*")
    'sin *markup*'
    >>> reading("\\n- ")
    '\\n'
    """
    whole = _DESTINATION.fullmatch(text)
    if whole:
        return whole.group(1)

    def read(match: re.Match) -> str:
        return match.group("escaped") or match.group("mark") or match.group("link") or ""

    return _SYNTAX.sub(read, text)
