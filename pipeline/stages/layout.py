"""Layout: the block structure of a plain-text dump (pdftotext, OCR), written as markdown.

A plain-text dump has lines, not blocks. pdftotext and OCR engines start a new paragraph on the next
line as often as after a blank one; what tells it is a short last line that ends a sentence, or an
indented first line. Titles are lines of their own (`1.2. El comienzo`, `CHAPTER 3`), often with no
blank line before the paragraph they head. And characters that mean markup to a CommonMark parser
(`*` footnote marks, a four-space layout indent, `<`) are only text there.

This stage, for plain-text dumps only, says all that in markdown, the pipeline's one internal form:
it separates paragraphs and titles with blank lines, makes titles headings and `•` bullets list
items, drops the layout indent that would make a code block, and escapes what would be misread as
markup. After it, the other stages treat both kinds of dump alike. Each decision is a change with
its evidence; where the evidence is weak the lines stay one paragraph.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

import regex

from pipeline.model import Context, Doubt, Edit, Proposal
from pipeline.stages.links import BARE_URL, BRACKETED_ADDRESS

NAME = "layout"
RULES = {
    "split_paragraph": "In plain text, a line that ends a sentence and is clearly shorter than "
                       "the text's full lines, or that is followed by an indented line, ends a "
                       "paragraph when the next line starts like a sentence; a title line is "
                       "a block of its own. A blank line is inserted there.",
    "mark_title_line": "In plain text, a short line of its own ending in no period, comma or "
                       "colon that is numbered like a section ('1.2. El comienzo', 'II. Methods'), names a "
                       "chapter or part ('Capítulo 3', 'Chapter IV'), or is all capitals, becomes "
                       "a heading; its level follows its numbering (a title that opens the text "
                       "is above all others). Runs of numbered lines are lists, lines with dot "
                       "leaders a table of contents: neither is a title.",
    "mark_list_item": "In plain text, a line that opens with a bullet character ('•', '▪', '◦') "
                      "becomes a markdown list item.",
    "remove_layout_indent": "In plain text, the indent of a line that starts a block is layout "
                            "(a markdown parser would read four spaces as code) and is removed, "
                            "unless the block is indented four more than the line before it, "
                            "which ends in a colon: a command or code listing, kept as code.",
    "keep_table_verbatim": "In plain text, lines whose columns line up (two or more gaps of "
                           "three spaces at the same places in consecutive lines) are a table "
                           "the extraction flattened: the block is fenced as a verbatim listing, "
                           "so nothing joins or reflows it, and a doubt says it was not "
                           "understood.",
    "fence_table_cells": "In plain text, six or more blocks in a row of a few words each are a "
                         "table whose cells the extraction put one per line: they are fenced as "
                         "a verbatim listing, so that no join runs them together, and a doubt "
                         "says they were not understood.",
    "keep_session_verbatim": "In plain text, the lines of an interactive session (a Python "
                             "prompt '>>> ', an IPython 'In [1]:', a shell prompt '$ ' or a root "
                             "'# ' before a command) and the output under them, to the block's "
                             "end, are a code listing: fenced verbatim, so that no prompt is read "
                             "as markup and nothing joins or reflows them.",
    "escape_markup": "In plain text, characters a markdown parser would read as markup ('*', '_', "
                     "'`', '<', '&…;', the ']' of '[…](…)', or opening a line '#', '>', a "
                     "fence, a rule, an underline, a table's delimiter row or an ordered-list "
                     "number) are escaped with a backslash: the TEI shows them as they are.",
}

_SENTENCE_END = regex.compile(r"[.!?…:][\"'»”’)\]]*\s*$")
_STARTS_SENTENCE = regex.compile(r"^\s*[\"'«“‘¿¡(\[—–-]?\s*[\p{Lu}\d]")
_NUMBERED = regex.compile(r"^((?:\d{1,3}\.){0,4}\d{1,3}\.?|[IVXLC]{1,6}\.)\s+"
                          r"(?=[¿¡\"'«“‘(]?[\p{Lu}\p{Lt}])")
# The words that name a division of a book or report, by rank: parts, chapters, sections.
_DIVISION_WORDS = (
    r"part|parte|partie|teil|book|libro|livre|buch|livro",
    r"chapter|cap[ií]tulo|chapitre|kapitel|capitolo|appendix|ap[eé]ndice|anexo|annexe|anhang"
    r"|appendice",
    r"section|secci[oó]n|sec[cç][aã]o|sezione|abschnitt",
)
_DIVISION = regex.compile(
    "^(?:" + "|".join(f"({words})" for words in _DIVISION_WORDS) + ")"
    r"\s+(?:\d{1,3}|(?-i:[IVXLC]{1,6})|\p{L}{2,12})\b", regex.IGNORECASE)
# A heading that only numbers or names its division ('Capítulo 1', '2.3', 'IV'): the title proper
# often follows as a heading of its own, which is one heading split in two.
LABEL = regex.compile(
    "^(?:(?:" + "|".join(_DIVISION_WORDS) + r")\s+(?:\d{1,3}|(?-i:[IVXLC]{1,6})|\p{L}{2,12})"
    r"|\d{1,3}(?:\.\d{1,3})*|(?-i:[IVXLC]{1,6}))\.?$", regex.IGNORECASE)
# Dot leaders or a column gap before a number: a line of contents, or a table's row.
# (A gap counts from its first space only: tried from each space of a long run, it cost time
# growing with the cube of the run.)
_CONTENTS = regex.compile(r"(?:(?:\.{3,}|…)[ \t]*|(?<![ \t])[ \t]{2,}+)\d[\d.,]*\s*$")
_BULLET = regex.compile(r"^([ \t]*)([•▪◦●‣∙■□○])[ \t]+")
# The prompts of interactive sessions: Python's and IPython's, and a shell's before a command (a
# lower-case word: `$ 5 million` is money, `# Results` a stray heading). A shell's prompt opens a
# block or follows a line that introduces it with a colon: a `# ` or `$ ` that OCR left in the
# middle of a paragraph (`# the year after`) is no command.
_PROMPT = regex.compile(r"^[ \t]*(?:>>>(?:[ \t]|$)|In \[\d+\]:|(?P<shell>(?:\$|#)[ \t]+"
                        r"[a-z./~][\w.+/~-]*(?:[ \t]|$)))")
_TITLE_WORDS = 12
_TITLE_LENGTH = 90


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line's first character
    text: str  # without its line end
    indent: int

    @property
    def content(self) -> int:
        return self.start + self.indent

    @property
    def stripped(self) -> str:
        return self.text.strip()


def propose(text: str, context: Context) -> Proposal:
    r"""Paragraphs, titles, bullets, layout indents and markup characters of a plain-text dump.

    >>> from pipeline import alignment
    >>> def repaired(text, kind="plain"):
    ...     return alignment.apply(text, propose(text, Context.of(text, "en", kind)).edits).text
    >>> print(repaired("1. Introduction\nThe survey covered *all* the towns.\n"), end="")
    # 1. Introduction
    <BLANKLINE>
    The survey covered \*all\* the towns.
    >>> repaired("Markdown is left alone: *this* is emphasis.\n", kind="markdown")
    'Markdown is left alone: *this* is emphasis.\n'
    >>> print(repaired("Run it as root:\n# apt install tcl\n\n> 5 % of the runs fail.\n"), end="")
    Run it as root:
    <BLANKLINE>
    ```
    # apt install tcl
    ```
    <BLANKLINE>
    \> 5 % of the runs fail.
    """
    if context.kind != "plain":
        return Proposal([], [])
    blocks, sessions = _sessions(_blocks(text))
    width = _width(blocks)
    titles = _titles(text, blocks, width)
    run_ons = _run_ons(blocks, titles, width)
    labelled = _labelled_titles(blocks, context, titles, run_ons)
    levels = _levels(blocks, titles)
    edits, doubts = [], []
    cell_runs = list(_cell_runs(blocks, sessions))
    cells = {block[0].start for run, _ in cell_runs for block in run}
    for run, why in cell_runs:
        _fence_blocks(text, run, "fence_table_cells", why, edits, doubts)
    for b, block in enumerate(blocks):
        if b and _listing(blocks[b - 1], block) or block[0].start in cells:
            continue
        if block[0].start in sessions:
            edits.extend(_fence_session(text, block, *sessions[block[0].start]))
            continue
        if _table_like(block):
            _fence_blocks(text, [block], "keep_table_verbatim",
                          f"{len(block)} lines whose columns line up: a table, kept verbatim, "
                          "its rows and cells not understood", edits, doubts)
            continue
        indent = min(line.indent for line in block)  # found once: _split asks for every line
        splits = {i: why for i in range(len(block) - 1)
                  if (why := _split(block, i, width, titles, run_ons, indent)
                      or _page_split(block, i, context, run_ons))}
        for i, line in enumerate(block):
            starts = i == 0 or i - 1 in splits
            edits.extend(_line_edits(line, block[i - 1] if i else None, starts,
                                     levels.get(line.start)))
            if line.start in run_ons:
                title = block[i - 1]
                edits.append(Edit(title.start + len(title.text), line.content, " ",
                                  "mark_title_line", f"the title {title.stripped!r} runs on to "
                                  f"the next line, {line.stripped!r}: one heading"))
            if i in splits:
                end = line.start + len(line.text)
                edits.append(Edit(end, end, "\n", "split_paragraph", splits[i]))
    edits = [replace(edit, reason=f"{edit.reason}; {labelled[edit.start]}")
             if edit.rule == "mark_title_line" and edit.start in labelled else edit
             for edit in edits]
    return Proposal(sorted(edits), doubts)


def _labelled_titles(blocks: list[list[_Line]], context: Context, titles: dict[int, str],
                     run_ons: set[int]) -> dict[int, str]:
    """Title lines the page gives (a file of pages: pipeline.extract.evidence), by the input's
    own label or a larger type size, each with that as its reason; a title line under another
    of the same block carries that title on. `titles` and `run_ons` take them in."""
    labelled = {}
    if context.pages is None:
        return labelled
    for block in blocks:
        previous = None
        for line in block:
            found = context.pages.title(line.content)
            if found and previous is not None and \
                    context.pages.line(previous.content).block == \
                    context.pages.line(line.content).block:
                run_ons.add(line.start)
                titles.pop(line.start, None)
            elif found:
                labelled[line.start], rank = found
                titles[line.start] = "labelled" if rank is None else f"sized-{rank}"
            previous = line if found else None
    return labelled


def _page_split(block: list[_Line], i: int, context: Context, run_ons: set[int]) -> str | None:
    """A paragraph end the page shows (a file of pages: pipeline.extract.evidence), where the
    text allows one: the line ends a sentence and the next starts one."""
    line, following = block[i], block[i + 1]
    if context.pages is None or following.start in run_ons or not _ends_sentence(line) or \
            not _STARTS_SENTENCE.match(following.text):
        return None
    return context.pages.paragraph_end(line.content, following.content)


def _fence_blocks(text: str, blocks: list[list[_Line]], rule: str, why: str, edits: list,
                  doubts: list) -> None:
    """Fence `blocks` as one verbatim listing (so that no later stage joins or reflows them),
    and say so to the reviewer."""
    start, last = blocks[0][0].start, blocks[-1][-1]
    edits.extend(_fences(text, start, last, rule, why))
    doubts.append(Doubt(start, last.start + len(last.text), rule, why))


def _fences(text: str, start: int, last: _Line, rule: str, why: str) -> list[Edit]:
    """The two fences of a verbatim listing from `start` to the end of `last`, longer than any
    run of backticks inside."""
    end = last.start + len(last.text)
    fence = "`" * max(3, 1 + max(map(len, regex.findall(r"`+", text[start:end])), default=0))
    return [Edit(start, start, fence + "\n", rule, why), Edit(end, end, "\n" + fence, rule, why)]


def _sessions(blocks: list[list[_Line]]) -> tuple[list[list[_Line]], dict[int, tuple]]:
    """The blocks, each cut where an interactive session starts in it, and the sessions (what
    follows a prompt to the block's end: its commands and their output) by their first line's
    offset, each with the prompt that tells it and whether a line of text runs into it."""
    def opens(i, line):
        prompt = _PROMPT.match(line.text)
        return prompt and (not prompt.group("shell") or i == 0 or
                           block[i - 1].text.rstrip().endswith(":"))
    cut, sessions = [], {}
    for block in blocks:
        first = next((i for i, line in enumerate(block) if opens(i, line)), None)
        if first is None:
            cut.append(block)
            continue
        if first:
            cut.append(block[:first])
        cut.append(block[first:])
        sessions[block[first].start] = (_PROMPT.match(block[first].text).group().strip(),
                                        first > 0)
    return cut, sessions


def _fence_session(text: str, block: list[_Line], prompt: str, run_into: bool) -> list[Edit]:
    why = (f"{block[0].stripped[:40]!r} opens with the prompt {prompt!r}: an interactive "
           f"session of {len(block)} line{'s' if len(block) > 1 else ''}, kept verbatim as code")
    edits = _fences(text, block[0].start, block[-1], "keep_session_verbatim", why)
    if run_into:  # the line of text before it is a block of its own
        end = block[0].start - 1
        edits.insert(0, Edit(end, end, "\n", "split_paragraph",
                             "an interactive session starts on the next line: a block of its own"))
    return edits


_CELL_WORDS, _CELL_RUN = 4, 6


def _cell_runs(blocks: list[list[_Line]], sessions: dict[int, tuple]):
    """Runs of blocks of a few words each: table cells pdftotext wrote one per line."""
    def cell(block):  # a few words that end no sentence (a colon introduces the table)
        if block[0].start in sessions:
            return False
        words = sum(len(line.stripped.split()) for line in block)
        return words <= _CELL_WORDS and sum(len(line.stripped) for line in block) <= 40 and \
            not _ends_sentence(block[-1])
    run = []
    for block in [*blocks, None]:
        if block is not None and cell(block):
            run.append(block)
            continue
        if len(run) >= _CELL_RUN:
            yield run, (f"{len(run)} blocks of a few words in a row, from "
                        f"{run[0][0].stripped!r} to {run[-1][-1].stripped!r}: the cells of a "
                        "table, kept verbatim, not understood")
        run = []


def _blocks(text: str) -> list[list[_Line]]:
    """The text's runs of non-blank lines."""
    blocks, current, start = [], [], 0
    for raw in text.split("\n"):
        stripped = raw.lstrip(" \t")
        if stripped.strip():
            current.append(_Line(start, raw, len(raw) - len(stripped)))
        elif current:
            blocks.append(current)
            current = []
        start += len(raw) + 1
    if current:
        blocks.append(current)
    return blocks


def _width(blocks: list[list[_Line]]) -> int | None:
    """The length of a full line, when the text is wrapped at a margin: most lines of its
    paragraphs come close to one length. None for text that is not (one sentence a line, verse)."""
    lengths = sorted(len(line.stripped) for block in blocks if len(block) > 1 for line in block)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    full = sum(1 for n in lengths if n >= 0.85 * width)
    return width if width >= 30 and full >= max(4, 0.2 * len(lengths)) else None


def _table_like(block: list[_Line]) -> bool:
    """Two consecutive lines at least with two or more column gaps (three spaces) at the same
    places: pdftotext -layout's rendering of a table. Justified text spreads its spaces unevenly,
    so its gaps do not line up."""
    def columns(line: _Line) -> set[int]:
        return {m.end() for m in regex.finditer(r"(?<=\S)[ ]{3,}(?=\S)", line.text)}
    aligned = 0
    for a, b in zip(block, block[1:]):
        shared = {c for c in columns(a) if {c - 1, c, c + 1} & columns(b)}
        aligned += len(shared) >= 2
    return aligned >= max(1, (len(block) - 1) // 2)


def _listing(previous: list[_Line], block: list[_Line]) -> bool:
    """A command or code listing: indented four more than the text that introduces it with a
    colon. It stays a code block, kept verbatim by every later stage."""
    return previous[-1].stripped.endswith(":") and \
        min(line.indent for line in block) >= previous[0].indent + 4


def _ends_sentence(line: _Line) -> bool:
    return bool(_SENTENCE_END.search(line.text))


def _split(block: list[_Line], i: int, width: int | None, titles: dict,
           run_ons: set[int], indent: int) -> str | None:
    """Why a paragraph ends after line `i` of `block` (whose least indent is `indent`), or None."""
    line, following = block[i], block[i + 1]
    if following.start in run_ons:
        return None
    if line.start in run_ons:
        return f"{line.stripped!r} ends a title: the text after it is a block of its own"
    if line.start in titles:
        return f"{line.stripped!r} is a title line: the text after it is a block of its own"
    if following.start in titles:
        return f"{following.stripped!r} is a title line: a block of its own"
    if _BULLET.match(following.text) and not _BULLET.match(line.text):
        return f"{following.stripped[:40]!r} opens with a bullet: a list item"
    if not _ends_sentence(line) or not _STARTS_SENTENCE.match(following.text):
        return None
    if width and len(line.stripped) < 0.75 * width:
        return (f"the line ends a sentence {len(line.stripped)} characters long, where the "
                f"text's lines run to {width}, and the next starts one: a paragraph end")
    if following.indent >= indent + 2 and line.indent == indent:
        return (f"the line ends a sentence and the next is indented by {following.indent} "
                f"spaces: a paragraph's first line")
    return None


def _titles(text: str, blocks: list[list[_Line]], width: int | None) -> dict[int, str]:
    """Title lines by offset, each with its kind: 'numbered', 'division' (its group), 'capitals'
    or 'isolated' (a short line alone between blocks)."""
    titles = {}
    for b, block in enumerate(blocks):
        # Three lines and more all in capitals are a paragraph typed so (a telegram, a memo),
        # not titles: a title wraps once at most.
        typed_in_capitals = len(block) >= 3 and all(_in_capitals(line.stripped) for line in block)
        for i, line in enumerate(block):
            before = block[i - 1] if i else None
            after = block[i + 1] if i + 1 < len(block) else \
                (blocks[b + 1][0] if b + 1 < len(blocks) else None)
            kind = _title_kind(line, before, after, width,
                               before is not None and before.start in titles)
            if kind == "capitals" and typed_in_capitals:
                kind = None
            if kind is None and len(block) == 1 and b + 1 < len(blocks):
                kind = _isolated_title(text, line, blocks[b - 1] if b else None, blocks[b + 1],
                                       width)
            if kind:
                titles[line.start] = kind
    return titles


def _run_ons(blocks: list[list[_Line]], titles: dict[int, str], width: int | None) -> set[int]:
    """Lines that carry on the title line above them (`Kapitel 3. Bevor Sie Debian GNU/Linux` /
    `installieren`): short, ending no sentence, starting in lower case or of a few words, with
    the paragraph still to come below."""
    run_ons = set()
    for block in blocks:
        for title, line, following in zip(block, block[1:], block[2:]):
            if titles.get(title.start, "isolated") == "isolated" or line.start in titles or \
                    _ends_sentence(line) or _BULLET.match(line.text) or \
                    len(line.stripped) > (0.6 * width if width else 40):
                continue
            if line.stripped[:1].islower() or len(line.stripped.split()) <= 5:
                run_ons.add(line.start)
    return run_ons


def _title_kind(line: _Line, before: _Line | None, after: _Line | None,
                width: int | None, after_title: bool) -> str | None:
    words = line.stripped.split()
    if after is None or len(words) > _TITLE_WORDS or len(line.stripped) > _TITLE_LENGTH or \
            (width and len(line.stripped) >= 0.8 * width) or _CONTENTS.search(line.text) or \
            not regex.search(r"\p{L}", line.text) or _BULLET.match(line.text):
        return None
    if before is not None and not after_title and not _ends_sentence(before) and \
            not (width and len(before.stripped) < 0.75 * width):
        return None  # inside a wrapped sentence
    division = _DIVISION.match(line.stripped)
    if division and regex.search(r"[,;]$", line.stripped) is None and \
            _names_a_division(line.stripped, division):
        return "division-" + str(next(i for i, group in enumerate(division.groups()) if group))
    # A title may ask a question ('1.1. ¿Qué es Debian?'); it does not end a sentence otherwise.
    if regex.search(r"[.,;:…]$", line.stripped):
        return None
    numbered = _NUMBERED.match(line.stripped)
    if numbered:
        depth = len(regex.findall(r"\d+|[IVXLC]+", numbered.group(1)))
        # A run of numbered lines is a list (or an outline), not titles.
        if any(other is not None and _NUMBERED.match(other.stripped) and
               _depth(other) == depth for other in (before, after)):
            return None
        return f"numbered-{depth}"
    if _in_capitals(line.stripped) and not _SENTENCES.search(line.stripped):
        return "capitals"
    return None


# A sentence ending inside the line and another starting: `GERMANY. HE SAID` (not `DR. SMITH`).
_SENTENCES = regex.compile(r"\p{L}{3,}[.!?]\s+\p{Lu}")


def _in_capitals(text: str) -> bool:
    letters = regex.sub(r"[^\p{L}]", "", text)
    return len(letters) >= 3 and letters.isupper()


def _names_a_division(text: str, division: regex.Match) -> bool:
    """Whether a line that opens with a division's name ('Part', 'Section') is its title, not a
    sentence about it: the name's number or word is the line, or a title follows it after a
    mark or with a capital.

    >>> def names(line): return _names_a_division(line, _DIVISION.match(line))
    >>> names("Part One"), names("Chapter 3: The Storm"), names("Capítulo 3 La ciudad")
    (True, True, True)
    >>> names("Part of the collection is now in the Bodleian."), names("Section 5 applies to it")
    (False, False)
    """
    rest = text[division.end():].strip()
    if not rest:
        return True
    named = division.group().split()[-1]
    if named[0].islower() or rest[0].islower():
        return False  # 'Part of the…', 'Section headings…', 'Section 5 applies…': sentences
    return rest[0] in ":.—–-" or not (text.endswith(".") and len(text.split()) > 5)


def _depth(line: _Line) -> int:
    numbered = _NUMBERED.match(line.stripped)
    return len(regex.findall(r"\d+|[IVXLC]+", numbered.group(1))) if numbered else 0


_CAPTION = regex.compile(r"^(?:fig(?:ure|ura)?|tab(?:le|la|elle|leau)|abb(?:ildung)?|gr[aá]fico"
                         r"|source|fuente|quelle)\b", regex.IGNORECASE)


def _isolated_title(text: str, line: _Line, previous: list[_Line] | None,
                    following: list[_Line], width: int | None) -> str | None:
    """A short capitalised line alone between blank lines, heading the paragraph after it.

    Names (a signature, a byline) have the same shape; a title has a word the text also uses in
    lower case, or is one word ('Introduction')."""
    words = line.stripped.split()
    if len(words) > 10 or not words[0][:1].isupper() or _CAPTION.match(line.stripped) or \
            regex.search(r"[.,;:!?…)\]\"'»”]$", line.stripped) or _CONTENTS.search(line.text):
        return None
    body = following[0].stripped
    if len(following) < 2 and len(body) < max(50, 0.6 * (width or 0)):
        return None  # what follows is no paragraph: a menu, an address, a list of names
    if not _STARTS_SENTENCE.match(following[0].text) or width and len(line.stripped) >= 0.8 * width:
        return None  # a full line, or one the next block continues: a paragraph cut in two
    if previous is not None and not _ends_sentence(previous[-1]):
        return None
    if len(words) == 1:
        return "isolated" if regex.fullmatch(r"\p{L}{4,}", words[0]) else None
    lowered = [w for w in words[1:] if w[:1].islower()]
    if lowered or any(regex.search(rf"(?<!\p{{L}}){regex.escape(w.lower())}(?!\p{{L}})", text)
                      for w in words if len(w) > 3):
        return "isolated"
    return None


def _levels(blocks: list[list[_Line]], titles: dict[int, str]) -> dict[int, int]:
    """The heading level of each title line: parts above chapters above sections, numbered
    titles by their depth, a title opening the text above everything; an unnumbered title takes
    the rank of the title before it."""
    first = blocks[0][0].start if blocks else None
    ranks, previous = {}, None
    for start, kind in sorted(titles.items()):
        if start == first and kind in ("capitals", "isolated"):
            rank = 0
        elif kind.startswith("division-"):
            rank = 1 + int(kind[-1])
        elif kind.startswith("numbered-"):
            rank = 3 + int(kind[-1])
        elif kind.startswith("sized-"):  # the page's type sizes, the largest first
            rank = 1 + int(kind.removeprefix("sized-"))
        else:
            rank = previous if previous not in (None, 0) else None
        ranks[start] = rank
        previous = rank
    present = sorted({r for r in ranks.values() if r is not None})
    fallback = present[1] if len(present) > 1 and present[0] == 0 else \
        (present[0] if present else 0)
    return {start: min(6, present.index(fallback if rank is None else rank) + 1
                       if (fallback if rank is None else rank) in present else 1)
            for start, rank in ranks.items()}


def _line_edits(line: _Line, before: _Line | None, starts: bool, level: int | None):
    """The edits of one line: its heading or list marker or indent, and its escapes."""
    text = line.text
    if starts and level is not None:
        yield Edit(line.start, line.content, "#" * level + " ", "mark_title_line",
                   f"{line.stripped!r} is a title line of its own: a level-{level} heading")
    elif bullet := _BULLET.match(text):
        yield Edit(line.start, line.start + bullet.end(), "- ", "mark_list_item",
                   f"{bullet.group(2)!r} opens the line: a list item")
        marker = _marker_in_item(text, bullet.end())
        yield from _escapes(line, line.start + (bullet.end() if marker is None else marker),
                            marker is not None)
        return
    elif starts and (line.indent >= 4 or "\t" in text[:line.indent]):
        yield Edit(line.start, line.content, "", "remove_layout_indent",
                   f"an indent of {line.indent} characters at a block's start is layout, "
                   "not code")
    if starts and level is not None:  # a heading's text is inline: nothing in it opens a block
        yield from _escapes(line, line.content, False)
    elif _opens_block(line, before, starts):
        yield from _escapes(line, line.content, True)
    elif _ITEM_MARKER.match(text, line.indent) and \
            (marker := _marker_in_item(text, line.indent)) is not None:
        yield from _escapes(line, line.start + marker, True)  # the item's marker is the list's
    else:
        yield from _escapes(line, line.content, False)


# What opens a block wherever it stands: a heading's `#`, a fence, a quotation's `>`, a rule.
_BLOCK_MARKER = regex.compile(r"#{1,6}(?:\s|$)|```|~~~|>|(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}"
                              r"|(?:_[ \t]*){3,})$")
# The marker a list item opens with: its own text is a block, where `>` or `#` is markup too.
_ITEM_MARKER = regex.compile(r"(?:[-+*]|\d{1,9}[.)])[ \t]+")


def _marker_in_item(text: str, pos: int) -> int | None:
    """Where block markup opens the text of a list item that starts at `pos`, after the
    markers of any items nested in it (`- > x`, `1. * * *`), or None."""
    while not _BLOCK_MARKER.match(text, pos):
        item = _ITEM_MARKER.match(text, pos)
        if item is None:
            return None
        pos = item.end()
    return pos


# What turns the line above into a heading (a setext underline) or a table's header row (a
# delimiter row: dashes and colons between pipes).
_UNDERLINE = regex.compile(r"(?:=+|-+)[ \t]*$|(?=.*-)(?=.*\|)[|: \t-]+$")


def _opens_block(line: _Line, before: _Line | None, starts: bool) -> bool:
    """Whether the line's opening would be read as block markup that the text does not mean:
    `#`, `>`, a fence or a rule anywhere, a year such as `1984.` opening a block, an underline
    or a table's delimiter row under a line, or a list marker in the middle of a wrapped
    sentence."""
    content = line.stripped
    if _BLOCK_MARKER.match(content):
        return True
    if starts:
        number = regex.match(r"(\d{1,9})[.)](?:\s|$)", content)
        return bool(number and int(number.group(1)) >= 1000)
    if _UNDERLINE.match(content):
        return True
    # Only these interrupt a paragraph in CommonMark (an ordered list only from 1).
    wrapped = before is not None and not _ends_sentence(before)
    return wrapped and bool(regex.match(r"(?:[-+*]|1[.)])(?:\s|$)", content))


_INLINE = regex.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape what follows, or break a line
    r"|`+"
    r"|(?<=\S)[*~]+|[*~]+(?=\S)"  # emphasis and strikethrough delimiters: next to text
    r"|(?<![\p{L}\p{N}])_+(?=\S)|(?<=\S)_+(?![\p{L}\p{N}])"  # `_` outside words
    r"|<(?=[A-Za-z/!?])"
    r"|&(?=#?\w+;)"
    # A link, image or reference needs a `]` right before its target or label (`](`, `][`,
    # `]:`), wherever its `[` is (a line above, around nested brackets): that `]` is escaped.
    # Not a footnote's, which the pages stage made of a page's foot (`[^3]`).
    r"|(?<!\[\^[^\]\s]{1,60})\](?=[(\[:])")


def _escapes(line: _Line, content: int, opening: bool):
    text = line.text
    offset = content - line.start
    escaped_to = content  # the opening's escape covers the text up to here
    if opening:
        # The first character is the marker: `#`, `>`, a fence, a bullet, the underline, or a
        # year's digits (escape its period). A run of emphasis characters (`~~~`, `***`) is
        # escaped whole, or what is left of it could still pair with a run further on.
        match = regex.match(r"(\d{1,9})[.)]", text[offset:])
        at = content + (len(match.group(1)) if match else 0)
        run = regex.match(r"[`*~_]+", text, at - line.start)
        run = run.group() if run else ""
        escaped_to = at + max(1, len(run))
        yield Edit(at, at + len(run), "".join("\\" + ch for ch in run) or "\\", "escape_markup",
                   f"{text[at - line.start]!r} opening the line {line.stripped[:40]!r} would "
                   "be read as markdown")
    # A web address, and a mail address in angle brackets, is a link to itself (the links stage
    # makes it one); its `_` and `~` stay.
    addresses = sorted(m.span() for pattern in (BARE_URL, BRACKETED_ADDRESS)
                       for m in pattern.finditer(text, offset))
    for match in _INLINE.finditer(text, offset):
        at = line.start + match.start()
        address = bisect_right(addresses, (match.start(), len(text))) - 1
        if content <= at < escaped_to or address >= 0 and match.start() < addresses[address][1]:
            continue
        run = match.group()
        escaped = "".join("\\" + ch for ch in run) if run[0] in "`*~_" else "\\" + run
        yield Edit(at, at + len(run), escaped, "escape_markup",
                   f"{run!r} would be read as markdown, not text")
