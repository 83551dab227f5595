"""Paragraphs cut in mid-sentence, and the blank lines a conversion leaves between blocks.

PDF and web converters start a new paragraph wherever a line, column or page ended, so one sentence
arrives as several paragraphs: `… de la` / `provocadores geopolíticos …`, a lone link, a lone `.`,
or the rest of a word (`Terro` / `r`). A break is joined only on evidence from both sides (see
`pipeline.evidence`); real paragraph ends, headings, title-like bold lines, lists, quotations and
code are never joined. Short lines with no final punctuation are not evidence on their own: menus,
share buttons, captions and salutations are lines of their own too, so a short piece is joined only
when the text around it continues the sentence. Where the evidence is weak the break stays and a
doubt is recorded.

Inside a paragraph, the lines of markdown converters and of `pdftotext` are those of the printed
page: each line end is a wrap, and becomes a space. Lines that are lines of their own stay: markdown
hard breaks, a line opening with a bullet or a dash, and the lines of a poem, an address or a menu,
which are short and start with capitals with nothing on them asking for more. A line that ends on a
hyphen is a word cut by the typesetter (`desarro-` / `llo`) or a compound cut at its own hyphen
(`well-` / `known`): the document's vocabulary and a word-frequency list for its language decide,
and typesetting conventions (no syllable break leaves a single letter, or comes before a capital or
a number) decide before them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline import markdown
from pipeline.evidence import (HYPHENS, Vocabulary, ending, first_word, is_fragment, last_word,
                               opening)
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
                            "document and the word-frequency list of its language know it whole "
                            "(the hyphen goes) or as a compound (it stays); a suspended hyphen "
                            "('Vor- und Nachteile') keeps its space; with no or conflicting "
                            "evidence the break stays and a doubt is recorded.",
    "join_hyphenated_line": "A word hyphenated at a line end inside a paragraph is mended: the "
                            "hyphen stays next to a number ('1990-1995'), before a capital "
                            "('Jean-Pierre') or a single letter ('e-mail'), none of which a "
                            "syllable break gives; otherwise it goes when the document and the "
                            "word-frequency list of its language know the word whole, and stays "
                            "when they know the compound; a suspended hyphen ('Vor- und') keeps "
                            "its space; with no or conflicting evidence the line break stays and "
                            "a doubt is recorded.",
    "join_wrapped_line": "A line end inside a paragraph (the page's wrap, kept by the converter) "
                         "becomes one space. Markdown hard breaks stay, and so do a line that "
                         "opens with a bullet or a dash, a short first line ending in a comma (a "
                         "salutation), and the lines of a paragraph whose lines are all short and "
                         "start with a capital with nothing asking for more (a poem, an address). "
                         "A line that ends on a dash or slash written against its word stays, "
                         "with a doubt: whether a space followed it is unknown.",
    "drop_soft_hyphen": "A soft hyphen (U+00AD) inside a word only marks where a line may break "
                        "it: it is removed, and where it ends a line the word's parts are joined.",
    "collapse_blank_lines": "Runs of blank lines (and spaces at the end of a block) between "
                            "blocks become one blank line.",
    "strip_leading_blank_lines": "Blank lines before the first block are removed.",
    "strip_trailing_blank_lines": "The text ends with exactly one line end.",
}

_JOINABLE = "Paragraph"
_JOINS = ("join_midsentence_break", "join_split_word", "join_hyphenated_word", "drop_soft_hyphen")
SOFT_HYPHEN = "\u00ad"


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
        if node.kind in ("Paragraph", "Item"):
            for edit, doubt in _line_breaks(text, node, vocabulary, context.lang):
                edits.extend([edit] if edit else [])
                doubts.extend([doubt] if doubt else [])
    edits.extend(_soft_hyphens(text, root))
    if blocks:
        end = _content_end(text, blocks[-1])
        if text[end:].strip(" \t\n"):
            # What the parser keeps out of the tree after the last block (a link reference
            # definition, `[code]: https://…`) is text: only the blank after it goes.
            end = len(text.rstrip(" \t\n"))
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
    if a.kind == _JOINABLE and b.kind == _JOINABLE and not title_like(a) and not title_like(b) \
            and not _DISPLAY_MATH.fullmatch(text[a.start:a.end].strip()) \
            and not _DISPLAY_MATH.fullmatch(text[b.start:b.end].strip()):
        following = c.visible() if c is not None and c.kind == _JOINABLE else None
        decision = _join(a.visible(), b.visible(), following, vocabulary, lang, continued)
        if isinstance(decision, _Join) and decision.drop_hyphen and \
                text[start - 1] not in HYPHENS + SOFT_HYPHEN:
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
    if before.rstrip()[-2:-1].isalpha() and before.rstrip()[-1:] == SOFT_HYPHEN and \
            start.kind == "lower":
        return _Join("", "drop_soft_hyphen", f"the paragraph ends inside a word, on a soft hyphen "
                     f"(U+00AD), and the next {start.why}: one word", drop_hyphen=True)
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
    # With no verdict any join would invent a form: a doubt.
    hyphenation = vocabulary.hyphenated(tail, head)
    if hyphenation.verdict:
        return _Join("", "join_hyphenated_word", f"{both}; {hyphenation.reason}",
                     drop_hyphen=hyphenation.verdict == "whole")
    return f"{both}; {hyphenation.reason}: left as it is, for a reviewer to mend"


# A line that opens like a list item, a line of dialogue or a turn of an interview is a line of
# its own, whatever the paragraph around it: `• harina`, `2) the budget`, `(a) the board`,
# `—¿Vienes?`, `[3] Cook, T.`, `Q: Where…`, `SRA. PSAKI: Bueno…`.
_LIST_LINE = regex.compile(r"[ \t]*(?:[•◦▪‣●■□○∙·–—]|\d{1,3}[.)][ \t]|\(?(?:[a-z]|\d{1,3})\)[ \t]"
                           r"|\[\d{1,3}\][ \t]|\p{Lu}[\p{Lu} .'’-]{0,24}:[ \t])")
# Wrapped text fills the page's width: 60 to 100 characters a line, and a narrow column's lines
# start in lower case often enough to tell. Verse, addresses and menus have shorter lines.
_SHORT_LINE = 60
# A paragraph that is only a formula set apart (`$$E = mc^2$$`, `\[ … \]`): the sentence around
# it reads on through it, but it is no words of that sentence to join.
_DISPLAY_MATH = regex.compile(r"\$\$[^$]+\$\$|\\\[(?:(?!\\\]).)+\\\]", regex.DOTALL)
# Marks that end a line of verse or of a list more often than a line of wrapped prose.
_LINE_END_MARKS = ",;:.!?"
# What lies between the two lines of a soft break: spaces ending the first, the line end, the next
# line's indent and, in a block quotation, its `>` markers.
_LINE_GAP = regex.compile(r"[ \t]*\n[ \t>]*")
_WRITTEN_AGAINST = regex.compile(rf"\S[{HYPHENS}–—/]$")  # `end—`, `and/`: no space before it
# No hyphenation convention leaves a single letter on the line or carries one over: TeX's minimum
# is two letters on each side in all six languages (three after the break in English and
# Portuguese), and word processors keep two.
_HYPHEN_MIN = 2
_WORD_WITH_SOFT_HYPHENS = regex.compile(r"\p{L}+(?:\u00ad+\p{L}+)+")
_NOT_PROSE = ("CodeBlock", "HtmlBlock", "MetadataBlock")
_BLOCKS = ("Paragraph", "Heading", "BlockQuote", "CodeBlock", "HtmlBlock", "List", "Item",
           "Table", "Rule", "FootnoteDefinition", "MetadataBlock")


def _line_breaks(text: str, block: markdown.Node, vocabulary: Vocabulary, lang: str | None):
    r"""(edit, doubt) for each line end inside one paragraph (or one tight list item).

    >>> def changes(raw, lang):
    ...     block = markdown.parse(raw).children[0]
    ...     found = _line_breaks(raw, block, Vocabulary(raw, lang), lang)
    ...     return [(e.rule, raw[e.start:e.end], e.replacement) for e, _ in found if e]
    >>> changes("El desarrollo del archivo fue lento y el desarro-\nllo de los\n  fondos\n", "es")
    [('join_hyphenated_line', '-\n', ''), ('join_wrapped_line', '\n  ', ' ')]
    >>> changes("Juan Pérez\nCalle Mayor 3\nMadrid\n", "es")  # an address keeps its lines
    []
    """
    lines, styled, breaks = _lines(block)
    if not breaks:
        return
    wrapped = _wrapped(lines, lang)
    for at, previous, soft, following in breaks:
        if previous is None or following is None:
            continue
        mended = _hyphen_at_line_end(text, previous, following, vocabulary, lang)
        if mended:
            yield mended
            continue
        before, after = lines[at].rstrip(), lines[at + 1]
        if not wrapped or _LIST_LINE.match(after) or styled[at] or styled[at + 1] or \
                at == 0 and ending(before, lang).kind == "comma" and _line_of_its_own(before):
            continue
        start = soft.start
        while start > previous.end and text[start - 1] in " \t":
            start -= 1
        # A character escaped at the line's start (`\<`, `\#` in plain text) keeps its backslash.
        end = following.start - (text[following.start - 1] == "\\")
        if not _LINE_GAP.fullmatch(text, start, end):
            continue  # something between the lines that is not layout: not ours to touch
        if _WRITTEN_AGAINST.search(before):
            yield None, Doubt(start, following.start, "join_wrapped_line",
                              f"the line ends on {before[-1]!r} written against {before[-12:-1]!r}"
                              ": whether a space followed it is unknown, so the line end stays")
            continue
        # An opening quotation mark or bracket sits against what it opens, punctuation that
        # closes against what it closes, as at a paragraph break (French spacing and an ellipsis
        # keep their space).
        if ending(before, lang).kind == "open":
            joiner = _space_after_opener(before, lang)
        elif opening(after).kind == "closing" and not after.lstrip().startswith(("...", "…")):
            joiner = _space_before_closer(after, lang)
        else:
            joiner = " "
        yield Edit(start, end, joiner, "join_wrapped_line",
                   f"a line end inside a paragraph of wrapped text ({wrapped}): {before[-20:]!r} "
                   f"and {after.lstrip()[:20]!r} are one line"), None


def _lines(block: markdown.Node):
    """The visible lines of a block's inline text; whether each is wholly in bold or italics; and
    the soft breaks as (index of the line before, node before, the break, node after). A hard
    break separates lines but is kept.

    A line wholly in bold or italics is a line of its own: a title the converter ran into the
    paragraph, a caption, a quoted line, which the headings and structure stages judge.
    """
    # Each line's pieces, joined at the end: `+=` on a list's string copies the line so far, for
    # every piece of a paragraph of 100 000 one-character pieces.
    lines, tops, breaks = [[]], [[]], []

    def visit(nodes, top):
        for k, node in enumerate(nodes):
            if node.kind in ("SoftBreak", "HardBreak"):
                if node.kind == "SoftBreak":
                    breaks.append((len(lines) - 1, nodes[k - 1] if k else None, node,
                                   nodes[k + 1] if k + 1 < len(nodes) else None))
                lines.append([])
                tops.append([])
                continue
            if top and not (node.kind == "Text" and not node.text.strip()):
                tops[-1].append(node)
            if node.children:
                visit(node.children, False)
            else:
                lines[-1].append(node.visible())

    inline = []
    for child in block.children:
        if child.kind in _BLOCKS:
            break  # a list item's nested list or paragraphs: blocks of their own
        inline.append(child)
    visit(inline, True)
    lines = ["".join(pieces) for pieces in lines]
    styled = [len(nodes) == 1 and nodes[0].kind in ("Strong", "Emphasis") and
              "\n" not in nodes[0].visible() for nodes in tops]
    return lines, styled, breaks


def _wrapped(lines: list[str], lang: str | None) -> str | None:
    """Why a paragraph's lines are wrapped text, or None when they are lines of their own: every
    line short, nothing at a line end asking for more, and the lines starting with a capital or
    ending on punctuation (a poem, an address, a menu, a list of names).

    >>> _wrapped(["Caminante, son tus huellas", "El camino y nada más;", "Caminante, no hay camino,",
    ...           "Se hace camino al andar."], "es") is None
    True
    >>> _wrapped(["The report was written for the Department of", "Transport."], "en")
    "a line ends with 'of', a word no sentence ends on"

    Verse may start its lines in lower case; it ends them on punctuation as prose seldom does:

    >>> _wrapped(["Nel mezzo del cammin di nostra vita", "mi ritrovai per una selva oscura,",
    ...           "ché la diritta via era smarrita."], "it") is None
    True
    """
    for line in lines[:-1]:
        if len(line.strip()) > _SHORT_LINE:
            return f"a line of {len(line.strip())} characters, the width of a page"
    for line in lines[:-1]:
        end = ending(line, lang)
        if end.continues or end.kind in ("open", "hyphen"):
            return f"a line {end.why}"
        if line.rstrip()[-1:] and line.rstrip()[-1] in HYPHENS + SOFT_HYPHEN:
            return f"a line ends with {line.rstrip()[-1]!r}"
    punctuated = sum(line.rstrip()[-1:] in _LINE_END_MARKS for line in lines[:-1])
    if len(lines) >= 3 and 2 * punctuated >= len(lines) - 1:
        return None
    for line in lines[1:]:
        start = opening(line)
        if start.kind in ("lower", "closing"):
            return f"a line {start.why}"
    return None


def _hyphen_at_line_end(text, previous, following, vocabulary: Vocabulary, lang: str | None):
    """(edit, doubt) for a line that ends on a hyphen or a soft hyphen right after a letter or
    digit, with a letter or digit opening the next line; None for any other line end."""
    if previous.kind != "Text" or following.kind != "Text":
        return None
    mark, body, rest = previous.text[-1:], previous.text[:-1], following.text
    if mark in HYPHENS and body.endswith(SOFT_HYPHEN) and body[-2:-1].isalnum() and \
            rest[:1].isalnum() and text[previous.end - 2:previous.end] == body[-1] + mark:
        # A browser that breaks a word at its soft hyphen draws a hyphen there and keeps the
        # soft one in the PDF's text: the break is the typesetter's, by the word's own mark.
        cut = f"{body.split()[-1][:-1]}{mark}' / '{rest.split()[0]}"
        return Edit(previous.end - 2, following.start, "", "drop_soft_hyphen",
                    f"'{cut}': the line ends on a soft hyphen (U+00AD) and the hyphen drawn for "
                    "it, where the word was allowed to break, so its parts are joined"), None
    if not mark or mark not in HYPHENS + SOFT_HYPHEN or not body[-1:].isalnum() or \
            not rest[:1].isalnum():
        return None
    hyphen = previous.end - 1
    cut = f"{body.split()[-1]}{'' if mark == SOFT_HYPHEN else mark}' / '{rest.split()[0]}"
    if text[hyphen] != mark:
        return None, Doubt(hyphen, following.start, "join_hyphenated_line",
                           f"'{cut}' at a line end, the hyphen written as markup: left as it is")
    if mark == SOFT_HYPHEN:
        return Edit(hyphen, following.start, "", "drop_soft_hyphen",
                    f"'{cut}': a soft hyphen (U+00AD) ends the line inside the word; it only "
                    "marks where the word may be broken, so its parts are joined"), None
    tail, head = last_word(body), first_word(rest)
    kept = None
    if body[-1].isdigit() or rest[0].isdigit():
        kept = "a hyphen next to a number joins a range or a compound, never syllables"
    elif head.lower() in words_for(COORDINATOR_SETS, lang):
        return Edit(hyphen + 1, following.start, " ", "join_hyphenated_line",
                    f"'{cut}' at a line end: a hyphen before {head!r} is a suspended one "
                    f"('{tail}- {head} …'), so it stays with its space"), None
    elif head[0].isupper() and not (tail.isupper() and head.isupper()):
        kept = "the next line starts with a capital: a compound or a name, never a syllable break"
    elif min(len(tail), len(head)) < _HYPHEN_MIN:
        kept = ("no hyphenation convention leaves a single letter on a line or carries one over, "
                "so the hyphen is the word's")
    if kept:
        return Edit(hyphen + 1, following.start, "", "join_hyphenated_line",
                    f"'{cut}' at a line end: {kept}; the hyphen stays, the line end goes"), None
    hyphenation = vocabulary.hyphenated(tail, head)
    if hyphenation.verdict == "whole":
        return Edit(hyphen, following.start, "", "join_hyphenated_line",
                    f"'{cut}' at a line end: {hyphenation.reason}"), None
    if hyphenation.verdict == "compound":
        return Edit(hyphen + 1, following.start, "", "join_hyphenated_line",
                    f"'{cut}' at a line end: {hyphenation.reason}"), None
    return None, Doubt(hyphen, following.start, "join_hyphenated_line",
                       f"'{cut}' at a line end: {hyphenation.reason}, so the line break stays")


def _soft_hyphens(text: str, root: markdown.Node):
    """Soft hyphens (U+00AD) inside words, outside code and HTML: a PDF's or a web page's marks of
    where a word may be broken (`&shy;`), invisible in running text but a split word to a search."""
    for node in root.children:
        if node.kind in _NOT_PROSE:
            continue
        if node.kind == "Text" and SOFT_HYPHEN in node.text:
            for word in _WORD_WITH_SOFT_HYPHENS.finditer(text, node.start, node.end):
                # Every mark's reason names the word: a word of 10 000 marks, named whole in each
                # of them, would take quadratic time and space.
                shown = word.group(0).replace(SOFT_HYPHEN, "")
                shown = shown if len(shown) <= 40 else shown[:40] + "…"
                for mark in regex.finditer(SOFT_HYPHEN + "+", word.group(0)):
                    yield Edit(word.start() + mark.start(), word.start() + mark.end(), "",
                               "drop_soft_hyphen", f"a soft hyphen (U+00AD) inside {shown!r} "
                               "only marks where a line may break the word; it is no letter of it")
        yield from _soft_hyphens(text, node)
