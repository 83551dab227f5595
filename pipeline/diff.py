"""What a repair did, as text diffs a reviewer reads: raw → repaired, and each stage against the
one before, line by line (unified diff) and word by word (`[-old-]{+new+}`).

Every hunk names the changes behind it. They are not re-guessed from the text: each applied change
knows where its `after` sits in its stage's output (`out_start`) and, replaying the stage's
changes in order, where its `before` sat in the stage's input; for raw → repaired, its raw range
and its range in the repaired text. A change belongs to a hunk when one of those ranges falls in
the hunk's lines.

The line diff is difflib's unified diff, the format `patch` and every review tool read. Text
outside the changes' ranges is copied verbatim by construction, so only the lines a change touched
are handed to `SequenceMatcher`; that keeps a long document fast and stops difflib's popularity
heuristic from treating its blank lines as junk. The word diff tokenises words, whitespace runs and
single other characters, and within a hunk diffs only each change's neighbourhood, widened to whole
words (without its heuristic `SequenceMatcher` is quadratic, and a paragraph can be thousands of
words long).

Nothing here reads or writes files; `pipeline.cli` does.
"""

from __future__ import annotations

import difflib
import os
import re
from bisect import bisect_right
from dataclasses import dataclass

import regex

from pipeline.model import Change
from pipeline.process import Result
from pipeline.stages import directory

CONTEXT = 3
# SequenceMatcher without its popularity heuristic is quadratic: above this many pairs of lines a
# region is aligned with the heuristic, and above this many pairs of words a piece is shown whole.
_QUADRATIC_LIMIT = 4_000_000
_TOKEN = regex.compile(r"\s+|[\w\p{M}]+|\X")
# C0/C1 controls other than tab and newline: never sent raw to a terminal (an ESC in a dump would
# drive it), and shown by code point in a word diff, where an invisible change must be seen.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Format characters (BOM, zero-width, soft hyphen, bidi marks) and spaces other than the plain one:
# the encoding stage changes them, and a diff that showed them as they are would show nothing.
_UNSEEN = regex.compile(r"[\p{Cf}\x00-\x08\x0b-\x1f\x7f-\x9f]|[^\S \t\n]")

_RED, _GREEN, _CYAN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[m"


@dataclass(frozen=True)
class Located:
    """An applied change placed on both sides of a diff: `a` in the older text, `b` in the newer."""

    change: Change
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class TextDiff:
    name: str  # the file stem: `00-raw..07-structure`, `05-breaks`
    a_label: str
    b_label: str
    a: str
    b: str
    located: tuple[Located, ...]


@dataclass(frozen=True)
class Hunk:
    opcodes: tuple[tuple[str, int, int, int, int], ...]  # line opcodes, as difflib groups them
    a_chars: tuple[int, int]
    b_chars: tuple[int, int]
    located: tuple[Located, ...]

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(located.change for located in self.located)

    @property
    def header(self) -> str:
        first, last = self.opcodes[0], self.opcodes[-1]
        return _header(first[1], last[2], first[3], last[4], self.located)


@dataclass(frozen=True)
class WordHunk:
    """A hunk of the word diff: one paragraph of a line hunk (or more, when a change joins them,
    or when one holds no change), so that a plain text whose every line end was repaired reads
    as hunks of a paragraph each, not as one hunk naming every change of the document."""

    header: str
    a_chars: tuple[int, int]
    b_chars: tuple[int, int]
    located: tuple[Located, ...]
    runs: tuple[tuple[str, str, str], ...]  # (kind, old, new): `equal` text or a `change`


def _header(a_first: int, a_stop: int, b_first: int, b_stop: int,
            located: tuple[Located, ...]) -> str:
    ids = " ".join(loc.change.id for loc in located)
    return f"@@ -{_range(a_first, a_stop)} +{_range(b_first, b_stop)} @@" + (f" {ids}" if ids
                                                                            else "")


def diffs(result: Result, stem: str) -> list[TextDiff]:
    """Raw → repaired first, then each stage against the text before it (the decoded raw for the
    first stage). Only applied changes take part: a change a reviewer rejected is not in the
    text."""
    labels = [f"00-raw/{result.source.path.name}"]
    labels += [f"{directory(stage)}/{stem}.md" for stage in result.stages]
    texts = result.stage_texts()
    applied = [change for change in result.changes if change.applied]
    whole = TextDiff(f"00-raw..{directory(result.stages[-1])}" if result.stages else "00-raw",
                     labels[0], labels[-1], texts[0], texts[-1],
                     tuple(_across_all_stages(result, applied)))
    per_stage = [TextDiff(directory(stage), labels[k], labels[k + 1], texts[k], texts[k + 1],
                          tuple(_within_stage(stage, texts[k], texts[k + 1], applied)))
                 for k, stage in enumerate(result.stages)]
    return [whole, *per_stage]


def _within_stage(stage: str, before: str, after: str, changes: list[Change]):
    """Replaying a stage's changes in the order it made them gives each one's input offset: the
    output offset less what the changes before it added. (That order is the output's; where two
    changes share an output offset, the one that left nothing there came first.)"""
    shift = 0
    for change in sorted((change for change in changes if change.stage == stage),
                         key=lambda change: (change.out_start, change.after != "")):
        a_start = change.out_start - shift
        a_end, b_end = a_start + len(change.before), change.out_start + len(change.after)
        if before[a_start:a_end] != change.before or after[change.out_start:b_end] != change.after:
            raise ValueError(f"{change.id}: the {stage} change log and its text disagree at output "
                             f"offset {change.out_start}")
        yield Located(change, a_start, a_end, change.out_start, b_end)
        shift += len(change.after) - len(change.before)


def _across_all_stages(result: Result, changes: list[Change]):
    """Raw offsets are the file's own characters (a CRLF file counts two per line end); the diff is
    of the decoded text, so they are mapped back to it."""
    to_text = _FileOffsets(result.source.text, result.source.newline)
    for change in changes:
        yield Located(change, to_text(change.raw_start), to_text(change.raw_end),
                      change.final_start, change.final_end)


class _FileOffsets:
    def __init__(self, text: str, newline: str) -> None:
        self.wide = newline == "\r\n"
        # where each decoded line starts, counted in the file's characters
        self.starts = [0] + [m.end() + i + 1 for i, m in enumerate(re.finditer("\n", text))] \
            if self.wide else []

    def __call__(self, offset: int) -> int:
        return offset - (bisect_right(self.starts, offset) - 1) if self.wide else offset


def hunks(diff: TextDiff, context: int = CONTEXT) -> list[Hunk]:
    """The line hunks of a diff, in unified diff form, each with the changes that made it.

    >>> from pipeline.model import Change
    >>> c = Change("breaks", "join_midsentence_break", "", "\\n\\n", " ", 8, 10, 1, 9, 8, 8, 9)
    >>> d = TextDiff("05-breaks", "a", "b", "cut here\\n\\nand on\\n", "cut here and on\\n",
    ...              (Located(c, 8, 10, 8, 9),))
    >>> [h.header for h in hunks(d)]
    ['@@ -1,3 +1 @@ chg-join_midsentence_break-8']
    """
    a_lines, b_lines = lines(diff.a), lines(diff.b)
    a_starts, b_starts = _line_starts(a_lines), _line_starts(b_lines)
    groups = _grouped(_line_opcodes(diff, a_lines, b_lines, a_starts, b_starts), context)
    ranges = [((a_starts[g[0][1]], a_starts[g[-1][2]]), (b_starts[g[0][3]], b_starts[g[-1][4]]))
              for g in groups]
    members = _members(diff.located, ranges)
    return [Hunk(tuple(group), a, b, members[k])
            for k, (group, (a, b)) in enumerate(zip(groups, ranges))]


def _members(located: tuple[Located, ...], ranges: list[tuple[tuple[int, int], tuple[int, int]]]
             ) -> list[tuple[Located, ...]]:
    """The changes in each of the (a, b) character ranges, in the order of the newer text."""
    members: list[list[Located]] = [[] for _ in ranges]
    for loc in located:
        found = [k for k, (a, b) in enumerate(ranges) if _overlaps(loc, a, b, strict=True)]
        # a change whose text a later one removed whole has only points left: it belongs where
        # its point is
        found = found or [k for k, (a, b) in enumerate(ranges)
                          if _overlaps(loc, a, b, strict=False)][:1]
        for k in found:
            members[k].append(loc)
    return [tuple(sorted(found, key=lambda loc: (loc.b_start, loc.a_start, loc.change.id)))
            for found in members]


def _line_opcodes(diff: TextDiff, a_lines, b_lines, a_starts, b_starts) -> list[tuple]:
    """difflib's line opcodes, computed only where the changes are.

    Outside the changes' own ranges the two texts are the same by construction, so those lines are
    equal without asking; `SequenceMatcher` (without the popularity heuristic that makes blank lines
    of a long document junk) aligns only the lines a change touched. Should the log and the texts
    ever disagree, the whole texts are handed to difflib as they are.
    """
    regions = _line_regions(diff)
    if regions is None:
        return difflib.SequenceMatcher(None, a_lines, b_lines).get_opcodes()
    opcodes, i, j = [], 0, 0
    for a_start, a_end, b_start, b_end in regions:
        i1, i2 = bisect_right(a_starts, a_start) - 1, bisect_right(a_starts, a_end) - 1
        j1, j2 = bisect_right(b_starts, b_start) - 1, bisect_right(b_starts, b_end) - 1
        opcodes.append(("equal", i, i1, j, j1))
        old, new = a_lines[i1:i2], b_lines[j1:j2]
        matcher = difflib.SequenceMatcher(None, old, new,
                                          autojunk=len(old) * len(new) > _QUADRATIC_LIMIT)
        opcodes += [(op, i1 + o1, i1 + o2, j1 + p1, j1 + p2)
                    for op, o1, o2, p1, p2 in matcher.get_opcodes()]
        i, j = i2, j2
    opcodes.append(("equal", i, len(a_lines), j, len(b_lines)))
    merged: list[tuple] = []
    for op in opcodes:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and op[0] == merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    return merged


def _line_regions(diff: TextDiff) -> list[tuple[int, int, int, int]] | None:
    """The changes' ranges merged and widened to whole lines on both sides, in order; None when a
    gap between them is not the same text on both sides (the log and the texts disagree)."""
    a, b = diff.a, diff.b
    spans: list[list[int]] = []
    for loc in sorted(diff.located, key=lambda loc: (loc.a_start, loc.b_start)):
        if spans and (loc.a_start <= spans[-1][1] or loc.b_start <= spans[-1][3]):
            spans[-1][1], spans[-1][3] = max(spans[-1][1], loc.a_end), max(spans[-1][3], loc.b_end)
        else:
            spans.append([loc.a_start, loc.a_end, loc.b_start, loc.b_end])
    regions, k = [], 0
    while k < len(spans):
        a_start, a_end, b_start, b_end = spans[k]
        # the text before a change is the same on both sides, so is the way back to its line start
        back = a_start - (a.rfind("\n", 0, a_start) + 1)
        a_start, b_start = a_start - back, b_start - back
        while not (_line_boundary(a, a_end) and _line_boundary(b, b_end)):
            newline = a.find("\n", a_end)
            target = len(a) if newline < 0 else newline + 1
            if k + 1 < len(spans) and spans[k + 1][0] < target:
                k += 1  # the next change is on the line this one ends on: one region
                a_end, b_end = max(a_end, spans[k][1]), max(b_end, spans[k][3])
            elif newline < 0:  # the last line: this region takes in any change still to come
                a_end, b_end, k = len(a), len(b), len(spans) - 1
            else:
                b_end += target - a_end
                a_end = target
        regions.append((a_start, a_end, b_start, b_end))
        k += 1
    a_cursor = b_cursor = 0
    for a_start, a_end, b_start, b_end in [*regions, (len(a), len(a), len(b), len(b))]:
        if a_start < a_cursor or b_start < b_cursor or a[a_cursor:a_start] != b[b_cursor:b_start] \
                or not (_line_boundary(a, a_start) and _line_boundary(b, b_start)):
            return None
        a_cursor, b_cursor = a_end, b_end
    return regions


def _line_boundary(text: str, pos: int) -> bool:
    return pos <= 0 or pos >= len(text) or text[pos - 1] == "\n"


def _grouped(opcodes: list[tuple], context: int) -> list[list[tuple]]:
    """Opcodes into hunks with `context` equal lines around each, as
    `SequenceMatcher.get_grouped_opcodes` groups them; no hunk at all when nothing changed."""
    if all(op[0] == "equal" for op in opcodes):
        return []
    codes = list(opcodes)
    if codes[0][0] == "equal":
        _, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        _, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups, group = [], []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append(("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def lines(text: str) -> list[str]:
    """The text's lines with their line ends, cut at LF only: `str.splitlines` would also cut at
    form feeds, U+001C–U+001E, NEL and U+2028, which a dump may carry and a stage may repair.

    >>> lines("a\\x0cb\\nc"), lines("a\\n"), lines("")
    (['a\\x0cb\\n', 'c'], ['a\\n'], [])
    """
    pieces = text.split("\n")
    return [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])


def _line_starts(text_lines: list[str]) -> list[int]:
    starts = [0]
    for line in text_lines:
        starts.append(starts[-1] + len(line))
    return starts


def _overlaps(located: Located, a: tuple[int, int], b: tuple[int, int], strict: bool) -> bool:
    for start, end, (low, high) in ((located.a_start, located.a_end, a),
                                    (located.b_start, located.b_end, b)):
        if strict and start < end and start < high and low < end:
            return True
        if not strict and start == end and low <= start <= high and low < high:
            return True
    return False


def _range(start: int, stop: int) -> str:
    """A unified diff range, as difflib writes it (1-based; a count of 1 is left out).

    >>> _range(6, 7), _range(6, 9), _range(6, 6)
    ('7', '7,3', '6,0')
    """
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if not length else start + 1},{length}"


def unified(diff: TextDiff, colour: bool = False) -> str:
    """The unified diff of the two texts, as `difflib.unified_diff` writes it, each hunk header
    naming its change ids; a last line without a line end is marked as `diff` and `patch` expect,
    and changes that left no difference (a later stage undid them) are said after the hunks."""
    found = hunks(diff)
    if not found and not diff.located:
        return ""
    a_lines, b_lines = lines(diff.a), lines(diff.b)
    out = [f"--- {diff.a_label}\n", f"+++ {diff.b_label}\n"]
    for hunk in found:
        out.append(hunk.header + "\n")
        for tag, i1, i2, j1, j2 in hunk.opcodes:
            if tag == "equal":
                out += [" " + line for line in a_lines[i1:i2]]
                continue
            out += ["-" + line for line in a_lines[i1:i2]]
            out += ["+" + line for line in b_lines[j1:j2]]
    out = [piece for line in out for piece in (
        (line,) if line.endswith("\n") else (line + "\n", "\\ No newline at end of file\n"))]
    out += _unseen_changes(diff, found)
    return "".join(_paint_line(line) for line in out) if colour else "".join(out)


def _paint_line(line: str) -> str:
    line = _CONTROL.sub(_code_point, line)
    body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
    if line.startswith(("---", "+++")):
        return f"{_BOLD}{body}{_RESET}{end}"
    if line.startswith("@@"):
        return f"{_CYAN}{body}{_RESET}{end}"
    if line.startswith("-"):
        return f"{_RED}{body}{_RESET}{end}"
    if line.startswith("+"):
        return f"{_GREEN}{body}{_RESET}{end}"
    return line


def _unseen_changes(diff: TextDiff, found: list[Hunk]) -> list[str]:
    named = {id(located) for hunk in found for located in hunk.located}
    unseen = [located.change.id for located in diff.located if id(located) not in named]
    return [f"# no difference left by: {' '.join(unseen)}\n"] if unseen else []


def words(diff: TextDiff, colour: bool = False) -> str:
    """Each hunk word by word: removed text as `[-…-]`, added as `{+…+}` (red and green when
    `colour`, which then shows changed whitespace as · → ↵ since it has no brackets to show it in).

    >>> c = Change("breaks", "join_midsentence_break", "", "\\n\\n", " ", 8, 10, 1, 9, 8, 8, 9)
    >>> d = TextDiff("05-breaks", "a", "b", "cut here\\n\\nand on\\n", "cut here and on\\n",
    ...              (Located(c, 8, 10, 8, 9),))
    >>> print(words(d), end="")
    --- a
    +++ b
    @@ -1,3 +1 @@ chg-join_midsentence_break-8
    cut here[-
    <BLANKLINE>
    -]{+ +}and on
    """
    found = hunks(diff)
    if not found and not diff.located:
        return ""
    out = [_paint_line(f"--- {diff.a_label}\n") if colour else f"--- {diff.a_label}\n",
           _paint_line(f"+++ {diff.b_label}\n") if colour else f"+++ {diff.b_label}\n"]
    for hunk in word_hunks(diff, found):
        out.append(_paint_line(hunk.header + "\n") if colour else hunk.header + "\n")
        text = "".join(_render(kind, a, b, colour) for kind, a, b in hunk.runs)
        out.append(text if text.endswith("\n") else text + "\n")
    out += _unseen_changes(diff, found)
    return "".join(out)


# A paragraph ends at a blank line (spaces or tabs alone count as blank).
_PARAGRAPH_END = re.compile(r"\n(?:[ \t]*\n)+")


def word_hunks(diff: TextDiff, found: list[Hunk]) -> list[WordHunk]:
    """The line hunks cut after each blank line they hold as unchanged text, each piece with the
    changes in it; a piece that holds no change stays with the one before it (or after it, at
    a hunk's start), as context."""
    a_starts, b_starts = _line_starts(lines(diff.a)), _line_starts(lines(diff.b))
    out = []
    for hunk in found:
        parts: list[list[tuple[int, int, int, int, bool]]] = [[]]
        for a_start, a_end, b_start, b_end, piece in _runs(diff, hunk, a_starts, b_starts):
            if piece:
                parts[-1].append((a_start, a_end, b_start, b_end, True))
                continue
            # the text is the same on both sides here, so a cut in one is a cut in the other
            for match in _PARAGRAPH_END.finditer(diff.a, a_start, a_end):
                cut = match.end()
                parts[-1].append((a_start, cut, b_start, b_start + cut - a_start, False))
                parts.append([])
                b_start += cut - a_start
                a_start = cut
            if a_start < a_end:
                parts[-1].append((a_start, a_end, b_start, b_end, False))
        merged: list[list[tuple[int, int, int, int, bool]]] = []
        for part in filter(None, parts):
            if merged and not (any(run[4] for run in part) and any(run[4] for run in merged[-1])):
                merged[-1] += part
            else:
                merged.append(part)
        ranges = [((part[0][0], part[-1][1]), (part[0][2], part[-1][3])) for part in merged]
        for part, (a, b), located in zip(merged, ranges, _members(hunk.located, ranges)):
            header = _header(bisect_right(a_starts, a[0]) - 1, bisect_right(a_starts, a[1]) - 1,
                             bisect_right(b_starts, b[0]) - 1, bisect_right(b_starts, b[1]) - 1,
                             located)
            runs = tuple(op for a_start, a_end, b_start, b_end, piece in part
                         for op in (_token_ops(diff.a[a_start:a_end], diff.b[b_start:b_end])
                                    if piece else [("equal", diff.a[a_start:a_end],
                                                    diff.a[a_start:a_end])]))
            out.append(WordHunk(header, a, b, located, runs))
    return out


def _runs(diff: TextDiff, hunk: Hunk, a_starts: list[int], b_starts: list[int]
          ) -> list[tuple[int, int, int, int, bool]]:
    """A hunk as runs (a_start, a_end, b_start, b_end, is_change) that cover it in order."""
    pieces = _pieces(diff, hunk)
    if pieces is None:  # never expected (the log and the text agree): line block by line block
        pieces = [(a_starts[i1], a_starts[i2], b_starts[j1], b_starts[j2], tag != "equal")
                  for tag, i1, i2, j1, j2 in hunk.opcodes]
    return pieces


def _pieces(diff: TextDiff, hunk: Hunk) -> list[tuple[int, int, int, int, bool]] | None:
    """The hunk cut into runs (a_start, a_end, b_start, b_end, is_piece): between pieces the text is
    the same on both sides; each piece holds one or more changes, widened to whole words. None when
    the changes do not account for every difference in the hunk."""
    (a_low, a_high), (b_low, b_high) = hunk.a_chars, hunk.b_chars
    spans: list[list[int]] = []
    for loc in sorted(hunk.located, key=lambda loc: (loc.a_start, loc.b_start)):
        if not (a_low <= loc.a_start <= loc.a_end <= a_high
                and b_low <= loc.b_start <= loc.b_end <= b_high):
            return None
        if spans and (loc.a_start <= spans[-1][1] or loc.b_start <= spans[-1][3]):
            last = spans[-1]
            spans[-1] = [last[0], max(last[1], loc.a_end), last[2], max(last[3], loc.b_end)]
        else:
            spans.append([loc.a_start, loc.a_end, loc.b_start, loc.b_end])
    if not _gaps_equal(diff, spans, a_low, a_high, b_low, b_high):
        return None
    for k, span in enumerate(spans):
        # widen into the verbatim text around it up to whitespace, so a word is diffed whole
        left_limit = spans[k - 1][1] if k else a_low
        right_limit = spans[k + 1][0] if k + 1 < len(spans) else a_high
        grow = 0
        while span[0] - grow > left_limit and not diff.a[span[0] - grow - 1].isspace():
            grow += 1
        span[0] -= grow
        span[2] -= grow
        grow = 0
        while span[1] + grow < right_limit and not diff.a[span[1] + grow].isspace():
            grow += 1
        span[1] += grow
        span[3] += grow
    merged: list[list[int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1], merged[-1][3] = span[1], span[3]
        else:
            merged.append(span)
    runs, a_cursor, b_cursor = [], a_low, b_low
    for a_start, a_end, b_start, b_end in merged:
        if a_cursor < a_start:
            runs.append((a_cursor, a_start, b_cursor, b_start, False))
        runs.append((a_start, a_end, b_start, b_end, True))
        a_cursor, b_cursor = a_end, b_end
    if a_cursor < a_high:
        runs.append((a_cursor, a_high, b_cursor, b_high, False))
    return runs


def _gaps_equal(diff: TextDiff, spans, a_low, a_high, b_low, b_high) -> bool:
    a_cursor, b_cursor = a_low, b_low
    for a_start, a_end, b_start, b_end in [*spans, [a_high, a_high, b_high, b_high]]:
        if a_start < a_cursor or b_start < b_cursor or \
                diff.a[a_cursor:a_start] != diff.b[b_cursor:b_start]:
            return False
        a_cursor, b_cursor = a_end, b_end
    return True


def tokens(text: str) -> list[str]:
    """Words (with their combining marks), whitespace runs, and any other character alone.

    >>> tokens("Bundesregie-\\n\\nrung [misión](#) ,")
    ['Bundesregie', '-', '\\n\\n', 'rung', ' ', '[', 'misión', ']', '(', '#', ')', ' ', ',']
    """
    return _TOKEN.findall(text)


def _token_ops(old: str, new: str):
    a, b = tokens(old), tokens(new)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if head:
        yield "equal", "".join(a[:head]), "".join(a[:head])
    middle_a, middle_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if len(middle_a) * len(middle_b) > _QUADRATIC_LIMIT:
        # one change thousands of words long on both sides: shown whole rather than aligned for
        # minutes (the line diff has already said which lines it is)
        opcodes = [("replace", 0, len(middle_a), 0, len(middle_b))]
    else:
        opcodes = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        old_run, new_run = "".join(middle_a[i1:i2]), "".join(middle_b[j1:j2])
        yield ("equal" if op == "equal" else "change"), old_run, new_run
    if tail:
        yield "equal", "".join(a[len(a) - tail:]), "".join(a[len(a) - tail:])


def _render(kind: str, old: str, new: str, colour: bool) -> str:
    if kind == "equal":
        return _CONTROL.sub(_code_point, old)
    if not colour:
        return (f"[-{_UNSEEN.sub(_code_point, old)}-]" if old else "") + \
               (f"{{+{_UNSEEN.sub(_code_point, new)}+}}" if new else "")
    # coloured text follows the new layout: a removed line end is drawn, an added one is kept
    return (_paint(_visible(old, removed=True), _RED) if old else "") + \
           (_paint(_visible(new, removed=False), _GREEN) if new else "")


def _visible(text: str, removed: bool) -> str:
    text = _UNSEEN.sub(_code_point, text)
    if text.isspace():
        text = text.replace(" ", "·").replace("\t", "→")
        return text.replace("\n", "↵" if removed else "↵\n")
    return text.replace("\n", "↵") if removed else text


def _paint(text: str, code: str) -> str:
    """Colour each line on its own, so a pager that resets at line ends keeps the colour."""
    return "\n".join(f"{code}{line}{_RESET}" if line else "" for line in text.split("\n"))


def _code_point(match: re.Match) -> str:
    return f"<U+{ord(match.group()):04X}>"


def files(result: Result, stem: str) -> dict[str, str]:
    """The plain files of one document, by name: a `.diff` and a `.wdiff` for raw → repaired and
    for each stage (an empty file when the stage changed nothing)."""
    out = {}
    for diff in diffs(result, stem):
        out[f"{diff.name}.diff"] = unified(diff)
        out[f"{diff.name}.wdiff"] = words(diff)
    return out


def show(result: Result, stem: str, word_level: bool = False, stage: str | None = None,
         colour: bool = False) -> str:
    """What `pipeline diff` prints: raw → repaired then every stage, or the one stage asked for.
    Unlike the files, which are exact, control characters are shown by code point: a terminal must
    not act on an escape sequence that came with a dump."""
    chosen = diffs(result, stem)
    if stage is not None:
        chosen = [diff for diff in chosen if diff.name == directory(stage)]
    if word_level:  # the word diff shows them by code point anyway
        return "".join(words(diff, colour) for diff in chosen)
    if colour:  # each line is escaped before it is painted
        return "".join(unified(diff, colour=True) for diff in chosen)
    return _CONTROL.sub(_code_point, "".join(unified(diff) for diff in chosen))


def colour_wanted(choice: str, stream, environ=os.environ) -> bool:
    """`always`, `never`, or (`auto`) only on a terminal and only when NO_COLOR is not set
    (https://no-color.org: set and not empty)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not environ.get("NO_COLOR")
