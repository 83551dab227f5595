"""Paragraphs cut in mid-sentence, and the blank lines a conversion leaves between blocks.

PDF and web converters start a new paragraph wherever a line, column or page ended, so one sentence
arrives as several paragraphs: `… de la` / `provocadores geopolíticos …`, a lone link, a lone `.`,
or the rest of a word (`Terro` / `r`). A break is joined only on evidence from both sides (see
`pipeline.evidence`); real paragraph ends, headings, title-like bold lines, lists, quotations and
code are never joined. Where the evidence is weak the break stays and a doubt is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import markdown
from pipeline.evidence import (Vocabulary, ending, first_word, is_fragment, last_word, opening)
from pipeline.model import Context, Doubt, Edit, Proposal

NAME = "breaks"
RULES = {
    "join_midsentence_break": "Two paragraphs are one when the first does not end a sentence "
                              "(no final punctuation, a comma, an abbreviation such as 'EE. UU.', "
                              "an open quotation mark or bracket) and the second continues it (lower "
                              "case, closing punctuation, or a fragment such as a lone link).",
    "join_split_word": "A word cut in two by a paragraph break is mended when the whole word "
                       "occurs elsewhere in the document and a piece never does on its own.",
    "join_hyphenated_word": "A word hyphenated across a paragraph break is mended; the hyphen "
                            "stays when the document writes the word with it.",
    "collapse_blank_lines": "Runs of blank lines (and spaces at the end of a block) between "
                            "blocks become one blank line.",
    "strip_leading_blank_lines": "Blank lines before the first block are removed.",
    "strip_trailing_blank_lines": "The text ends with exactly one line end.",
}

_JOINABLE = "Paragraph"


def propose(text: str, context: Context) -> Proposal:
    root = markdown.parse(text)
    blocks = root.children
    vocabulary = Vocabulary(text)
    edits, doubts = [], []
    if blocks and blocks[0].start > 0 and not text[:blocks[0].start].strip():
        edits.append(Edit(0, blocks[0].start, "", "strip_leading_blank_lines",
                          f"{text[:blocks[0].start].count(chr(10))} blank lines before the text"))
    for a, b in zip(blocks, blocks[1:]):
        edit, doubt = _between(text, a, b, vocabulary, context.lang)
        if edit:
            edits.append(edit)
        if doubt:
            doubts.append(doubt)
    if blocks:
        end = _content_end(text, blocks[-1])
        if text[end:] != "\n":
            edits.append(Edit(end, len(text), "\n", "strip_trailing_blank_lines",
                              f"the text ended with {text[end:]!r}"))
    return Proposal(edits, doubts)


def _content_end(text: str, block: markdown.Node) -> int:
    """Where a block's text ends: trailing spaces after a paragraph or heading mean nothing."""
    if block.kind in ("Paragraph", "Heading"):
        return block.start + len(text[block.start:block.end].rstrip())
    end = block.end
    return end - 1 if text[end - 1:end] == "\n" else end


def title_like(block: markdown.Node) -> bool:
    """Headings, and lines wholly in bold (or bold italic), which the headings stage judges."""
    return block.kind == "Heading" or block.wholly("Strong", "Emphasis") and \
        any(node.kind == "Strong" for node in markdown.walk(block))


def _between(text, a, b, vocabulary, lang) -> tuple[Edit | None, Doubt | None]:
    start, stop = _content_end(text, a), b.start
    separator = text[start:stop]
    if separator.count("\n") < 2 or separator.strip():
        return None, None  # not a blank-line break (or something we do not understand)
    if a.kind == _JOINABLE and b.kind == _JOINABLE and not title_like(a) and not title_like(b):
        decision = _join(a.visible(), b.visible(), vocabulary, lang)
        if isinstance(decision, _Join):
            return Edit(start - decision.drop_hyphen, stop, decision.joiner, decision.rule,
                        decision.reason), None
        if decision:
            return _collapse(start, stop, separator), Doubt(start, stop, "join_midsentence_break",
                                                            decision)
    elif a.kind == _JOINABLE and b.kind == "Heading" and not b.visible()[:1].islower():
        end = ending(a.visible(), lang)
        if end.kind in ("none", "comma", "open", "hyphen"):
            return _collapse(start, stop, separator), Doubt(
                start, stop, "join_midsentence_break",
                f"the paragraph {end.why} right before a heading: text may be missing here")
    return _collapse(start, stop, separator), None


def _collapse(start: int, stop: int, separator: str) -> Edit | None:
    if separator == "\n\n":
        return None
    blank = separator.count("\n") - 1
    spaces = separator[:separator.index("\n")]
    why = [f"{blank} blank lines"] if blank > 1 else []
    if separator.strip(" \t\n") or spaces:
        why.append(f"spaces {spaces!r} at the end of the block" if spaces else "blank lines "
                   "holding spaces")
    return Edit(start, stop, "\n\n", "collapse_blank_lines", " and ".join(why) + " between blocks")


@dataclass(frozen=True)
class _Join:
    joiner: str
    rule: str
    reason: str
    drop_hyphen: bool = False


def _join(before: str, after: str, vocabulary: Vocabulary, lang: str | None):
    """A `_Join`, a doubt (a string), or None for a break that is a real paragraph end."""
    end, start = ending(before, lang), opening(after)
    if start.kind == "ellipsis":
        return None
    both = f"the paragraph {end.why} and the next {start.why}"
    if end.kind == "hyphen":
        return _hyphenated(before, after, vocabulary, both) if start.kind == "lower" else None
    if end.kind in ("none", "comma", "abbreviation") and start.kind == "lower" or \
            end.kind in ("none", "comma") and start.kind == "closing":
        tail, head = last_word(before), first_word(after.lstrip())
        if end.kind == "none" and start.kind == "lower" and tail and head:
            split = vocabulary.split_word(tail, head)
            if split:
                return _Join("", "join_split_word", f"{both}; {split}")
        return _Join("" if start.kind == "closing" else " ", "join_midsentence_break", both)
    if end.kind == "open":
        return _Join("", "join_midsentence_break", both)
    if end.kind in ("none", "comma") and is_fragment(after):
        return _Join(" ", "join_midsentence_break",
                     f"the paragraph {end.why} and the next is a fragment ({after.strip()!r})")
    if end.kind in ("none", "comma", "abbreviation") and start.kind == "upper":
        return f"{both}: left as two paragraphs (a capital may start a new paragraph)"
    if end.kind == "sentence" and start.kind == "lower":
        return f"{both}: left as two paragraphs (the sentence seems complete)"
    return None


def _hyphenated(before: str, after: str, vocabulary: Vocabulary, both: str) -> _Join | None:
    tail, head = last_word(before[:-1]), first_word(after.lstrip())
    if not (tail and head):
        return None
    # The hyphen goes only when the document has the word whole and never hyphenated; without
    # that evidence a compound (anti-rusa, well-known) is the safer reading.
    whole, hyphenated = (vocabulary.counts[(tail + head).lower()],
                         vocabulary.counts[f"{tail}-{head}".lower()])
    if whole and not hyphenated:
        return _Join("", "join_hyphenated_word",
                     f"{both}; '{tail}{head}' occurs {whole}× in the document, so the hyphen goes",
                     drop_hyphen=True)
    return _Join("", "join_hyphenated_word",
                 f"{both}; the hyphen stays, the document never writes '{tail}{head}' whole")
