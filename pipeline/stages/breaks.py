"""Paragraphs cut in mid-sentence, and the blank lines a conversion leaves between blocks.

PDF and web converters start a new paragraph wherever a line, column or page ended, so one sentence
arrives as several paragraphs: `… de la` / `provocadores geopolíticos …`, a lone link, a lone `.`,
or the rest of a word (`Terro` / `r`). A break is joined only on evidence from both sides (see
`pipeline.evidence`); real paragraph ends, headings, title-like bold lines, lists, quotations and
code are never joined. Short lines with no final punctuation are not evidence on their own: menus,
share buttons, captions and salutations are lines of their own too, so a short piece is joined only
when the text around it continues the sentence. Where the evidence is weak the break stays and a
doubt is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import markdown
from pipeline.evidence import (Vocabulary, ending, first_word, is_fragment, last_word, opening)
from pipeline.language import COORDINATOR_SETS, SPACED_AFTER, SPACED_PUNCTUATION, words_for
from pipeline.model import Context, Doubt, Edit, Proposal

NAME = "breaks"
RULES = {
    "join_midsentence_break": "Two paragraphs are one when the first does not end a sentence "
                              "(no final punctuation, a comma, an abbreviation such as 'EE. UU.', "
                              "an open quotation mark or bracket) and the second continues it (lower "
                              "case, closing punctuation, or a fragment such as a lone link that "
                              "the paragraph after it continues), or when the first stops on a "
                              "word no sentence ends on ('of', 'der') or a title before a name "
                              "('Sr.', 'M.').",
    "join_split_word": "A word cut in two by a paragraph break is mended when the whole word "
                       "occurs elsewhere in the document and a piece never does on its own.",
    "join_hyphenated_word": "A word hyphenated across a paragraph break is mended when the "
                            "document has it whole (the hyphen goes) or hyphenated (it stays); "
                            "a suspended hyphen ('Vor- und Nachteile') keeps its space; with no "
                            "evidence the break stays and a doubt is recorded.",
    "join_hyphenated_line": "A word hyphenated at a line end inside a paragraph is mended on "
                            "the document's own evidence: without the hyphen when the document "
                            "has the word whole, with it when it writes the compound; with no "
                            "evidence the line break stays and a doubt is recorded.",
    "collapse_blank_lines": "Runs of blank lines (and spaces at the end of a block) between "
                            "blocks become one blank line.",
    "strip_leading_blank_lines": "Blank lines before the first block are removed.",
    "strip_trailing_blank_lines": "The text ends with exactly one line end.",
}

_JOINABLE = "Paragraph"
_JOINS = ("join_midsentence_break", "join_split_word", "join_hyphenated_word")


def propose(text: str, context: Context) -> Proposal:
    root = markdown.parse(text)
    blocks = root.children
    vocabulary = context.vocabulary
    edits, doubts = [], []
    # Only whole lines go: spaces that open the first block's line are its indentation, which
    # can make it a code block.
    blank = text[:text.rfind("\n", 0, blocks[0].start) + 1] if blocks else ""
    if blank and not blank.strip(" \t\n"):
        edits.append(Edit(0, len(blank), "", "strip_leading_blank_lines",
                          f"{blank.count(chr(10))} blank lines before the text"))
    continued = False  # whether the block before the break is itself the end of a join
    for a, b, c in zip(blocks, blocks[1:], [*blocks[2:], None]):
        edit, doubt = _between(text, a, b, c, vocabulary, context.lang, continued)
        continued = edit is not None and edit.rule in _JOINS
        if edit:
            edits.append(edit)
        if doubt:
            doubts.append(doubt)
    for node in markdown.walk(root):
        if node.kind == "Paragraph":
            for edit, doubt in _line_hyphens(text, node, vocabulary):
                edits.extend([edit] if edit else [])
                doubts.extend([doubt] if doubt else [])
    if blocks:
        end = _content_end(text, blocks[-1])
        if text[end:] != "\n":
            edits.append(Edit(end, len(text), "\n", "strip_trailing_blank_lines",
                              f"the text ended with {text[end:]!r}"))
    return Proposal(edits, doubts)


def _content_end(text: str, block: markdown.Node) -> int:
    """Where a block's text ends: trailing spaces after a paragraph or heading mean nothing."""
    if block.kind in ("Paragraph", "Heading"):
        return block.start + len(text[block.start:block.end].rstrip(" \t\n"))
    end = block.end
    return end - 1 if text[end - 1:end] == "\n" else end


def title_like(block: markdown.Node) -> bool:
    """Headings, and lines wholly in bold (or bold italic), which the headings stage judges."""
    return block.kind == "Heading" or block.wholly("Strong", "Emphasis") and \
        any(node.kind == "Strong" for node in markdown.walk(block))


def _styled_line(block: markdown.Node) -> bool:
    """One line wholly in italics or bold (a byline, a caption): no sentence is expected to end
    there, so a capital after it is no reason for doubt."""
    return block.wholly("Strong", "Emphasis") and "\n" not in block.visible().strip()


def _between(text, a, b, c, vocabulary, lang, continued) -> tuple[Edit | None, Doubt | None]:
    start, stop = _content_end(text, a), b.start
    separator = text[start:stop]
    if separator.count("\n") < 2 or separator.strip(" \t\n"):
        return None, None  # not a blank-line break (or something we do not understand)
    if a.kind == _JOINABLE and b.kind == _JOINABLE and not title_like(a) and not title_like(b):
        following = c.visible() if c is not None and c.kind == _JOINABLE else None
        decision = _join(a.visible(), b.visible(), following, vocabulary, lang, continued)
        if isinstance(decision, _Join) and decision.drop_hyphen and text[start - 1] != "-":
            decision = (f"{decision.reason}, but the hyphen sits inside markup that ends the "
                        "paragraph: left for a reviewer")
        if isinstance(decision, _Join):
            return Edit(start - decision.drop_hyphen, stop, decision.joiner, decision.rule,
                        decision.reason), None
        if decision and not _styled_line(a):
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
    # Spaces that open the next block's line are its indentation (four make a code block).
    indent = len(separator) - separator.rfind("\n") - 1
    stop, separator = stop - indent, separator[:len(separator) - indent]
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


def _join(before: str, after: str, following: str | None, vocabulary: Vocabulary,
          lang: str | None, continued: bool = False):
    """A `_Join`, a doubt (a string), or None for a break that is a real paragraph end.

    `following` is the paragraph after `after`, if there is one: a short piece is a fragment of
    the sentence only when the text on both sides of it continues, that is when the break after
    it is joined too. `continued` says that `before` is the end of a paragraph already joined
    to the one before it, so that it is no line of its own.
    """
    if not after.strip():
        return None  # a paragraph of no-break spaces: nothing to continue
    end = ending(before, lang)
    # A paragraph that is only an opening quotation mark is read with the text it opens, as it
    # will be once the break after it is joined.
    opens_only = following is not None and not any(ch.isalnum() for ch in after) and \
        ending(after, lang).kind == "open"
    start = opening(after.strip() + following.lstrip() if opens_only else after)
    if start.kind == "ellipsis":
        return None
    both = f"the paragraph {end.why} and the next {start.why}"
    if end.kind == "hyphen":
        return _hyphenated(before, after, vocabulary, lang, both) if start.kind == "lower" else None
    if end.kind == "open":
        return _Join(_space_after_opener(before, lang), "join_midsentence_break", both)
    if end.kind in ("none", "comma", "abbreviation") and start.kind == "lower":
        if end.kind == "comma" and not continued and _line_of_its_own(before):
            return (f"{both}: left as two paragraphs (a short capitalised line ending in a comma "
                    "is a salutation or an address line as often as a cut sentence)")
        tail, head = last_word(before), first_word(after.lstrip())
        if end.kind == "none" and tail and head:
            split = vocabulary.split_word(tail, head)
            if split:
                return _Join("", "join_split_word", f"{both}; {split}")
        return _Join(" ", "join_midsentence_break", both)
    if end.kind in ("none", "comma") and start.kind == "closing":
        return _Join(_space_before_closer(after, lang), "join_midsentence_break", both)
    if end.continues and (start.kind == "upper" or after.lstrip()[:1].isdigit()):
        return _Join(" ", "join_midsentence_break",
                     f"the paragraph {end.why}, so the next, which {start.why}, continues it")
    if end.kind in ("none", "comma") and is_fragment(after):
        fragment = f"the paragraph {end.why} and the next is a fragment ({after.strip()!r})"
        onward = _join(after, following, None, vocabulary, lang, True) if following else None
        if isinstance(onward, _Join):
            return _Join(" ", "join_midsentence_break",
                         f"{fragment}, which the paragraph after it continues ({onward.reason})")
        return (f"{fragment}, but nothing after it continues the sentence: left as two "
                "paragraphs (menus, captions and bylines are short lines of their own)")
    if end.kind in ("none", "comma", "abbreviation") and start.kind == "upper":
        return f"{both}: left as two paragraphs (a capital may start a new paragraph)"
    if end.kind == "sentence" and start.kind == "lower":
        return f"{both}: left as two paragraphs (the sentence seems complete)"
    return None


def _line_of_its_own(before: str) -> bool:
    """A short capitalised line: a salutation (`Sehr geehrte Damen und Herren,`, after which
    German goes on in lower case) or an address line, not the first line of a wrapped sentence,
    which fills the width of the page."""
    stripped = before.strip()
    return "\n" not in stripped and len(stripped.split()) <= 6 and stripped[:1].isupper()


def _space_after_opener(before: str, lang: str | None) -> str:
    return " " if before.rstrip()[-1:] in SPACED_AFTER.get(lang, ()) else ""


def _space_before_closer(after: str, lang: str | None) -> str:
    return " " if after.lstrip()[:1] in SPACED_PUNCTUATION.get(lang, ()) else ""


def _hyphenated(before: str, after: str, vocabulary: Vocabulary, lang: str | None,
                both: str) -> _Join | None:
    tail, head = last_word(before.rstrip()[:-1]), first_word(after.lstrip())
    if not (tail and head):
        return None
    if head.lower() in words_for(COORDINATOR_SETS, lang):
        return _Join(" ", "join_hyphenated_word",
                     f"{both}; a hyphen before {head!r} is a suspended one ('{tail}- {head} …'), "
                     "so it stays with its space")
    # The hyphen goes only when the document has the word whole and never hyphenated, and stays
    # when it writes the compound; with neither, any join would invent a form: a doubt.
    whole, hyphenated = vocabulary.count(tail + head), vocabulary.count(f"{tail}-{head}")
    if whole and not hyphenated:
        return _Join("", "join_hyphenated_word",
                     f"{both}; '{tail}{head}' occurs {whole}× in the document, so the hyphen goes",
                     drop_hyphen=True)
    if hyphenated:
        return _Join("", "join_hyphenated_word",
                     f"{both}; the document writes '{tail}-{head}' {hyphenated}× elsewhere: a "
                     "compound, the hyphen stays")
    return (f"{both}; the document has neither '{tail}{head}' nor '{tail}-{head}': left as it "
            "is, for a reviewer to mend")


def _line_hyphens(text: str, paragraph: markdown.Node, vocabulary: Vocabulary):
    """Words hyphenated across a line end inside one paragraph (`desarro-` / `llo`)."""
    children = paragraph.children
    for previous, soft, following in zip(children, children[1:], children[2:]):
        if soft.kind != "SoftBreak" or previous.kind != "Text" or following.kind != "Text":
            continue
        tail = last_word(previous.text[:-1]) if previous.text.endswith("-") else None
        head = first_word(following.text)
        if not tail or not head or not previous.text[:-1].endswith(tail) or \
                not following.text.startswith(head) or not head[0].islower():
            continue
        whole, compound = vocabulary.count(tail + head), vocabulary.count(f"{tail}-{head}")
        hyphen = previous.end - 1
        if whole and not compound:
            yield Edit(hyphen, following.start, "", "join_hyphenated_line",
                       f"'{tail}-' ends a line and '{tail}{head}' occurs {whole}× in the "
                       "document: the hyphen was the line's"), None
        elif compound and not whole:
            yield Edit(hyphen + 1, following.start, "", "join_hyphenated_line",
                       f"'{tail}-' ends a line and the document writes '{tail}-{head}' "
                       f"{compound}× elsewhere: a compound, the hyphen stays"), None
        else:
            yield None, Doubt(hyphen, following.start, "join_hyphenated_line",
                              f"'{tail}-' / '{head}' at a line end: the document has "
                              f"'{tail}{head}' {whole}× and '{tail}-{head}' {compound}×, so "
                              "the line break stays")

