"""Label a dump's lines from the gold: which block each line belongs to, and what each line end is.

1. Page furniture first: a line at a page's edge (its first or last EDGE non-blank lines) whose
   letters recur at the edge of other pages (a running head, the browser's title and address),
   digits aside, is furniture; its words are not aligned.
2. The other lines' words are aligned with the gold's words, in order: the longest common
   subsequence of the two word sequences, then, between its runs, the word in another's place when
   the two are alike (as OCR misreads one, or as a cut word's first half starts the whole one).
   A pair with no pair beside it is dropped: a common word matched by chance. Text the print moved
   (a float, a note, the other column of a -layout line) is left over by that pass, so what is
   left of both sides is aligned again, once.
3. A line belongs to the gold block most of its matched words come from, if at least half of its
   words matched; a line without a word (`...`, a rule) between two lines of one block belongs to
   it too. A short line at a page's edge that matched nothing is furniture; any other line that
   belongs to no block is "unaligned".
4. Between a line and the next one that belongs to a block (blank lines and furniture skipped),
   the boundary is a "wrap" when the first one's last matched word and the second one's first lie
   in the same block, a "break" when they do not; unknown (null) next to an unaligned line, or
   next to a line whose words come from two places of the gold (two columns side by side).
5. A word cut at a line end (`deter-` / `mined`) is looked up in the gold: whole there, its hyphen
   goes (true); hyphenated there (`spinning-` / `mills`), it stays (false).

The labels follow build/corpus's contract (notes/corpus-interface.md, eval/README.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from eval.gold import Gold

ROLE_OF_KIND = {"p": "body", "item": "body", "quote": "body", "verse": "body", "head": "head",
                "note": "note", "code": "code", "table": "table"}
HYPHENS = "-\u2010\u2011\u00ad¬⸗="
_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"(\w+)$")
_FIRST_WORD = re.compile(r"^\W*?(\w+)")
_PAGE_RULE = re.compile(r"^\s*-{3,}\s*$")  # the rule pymupdf4llm draws between pages
EDGE = 2  # lines from a page's top or foot that may be furniture
# A running head recurs on every page or every other one; a closing formula (`Herzlichst Ihr`)
# may stand at two pages' feet by chance.
RECURRING_PAGES = 3
FURNITURE_MAX_WORDS = 12
JUMP = 12  # gold words between two neighbours on a line: more, and the line joins two places
MATCHED_SHARE = 0.5  # of a line's words matched, for the line to belong to a block
# Two words in each other's place are one word misread, or a cut word's first half and the whole
# word, when they are this alike (fuzz.ratio) and neither is shorter than SHORTEST: short words
# (`de`, `la`) are alike by chance, and pairing them would take gold words from their real match.
ALIKE = 60
SHORTEST = 3


@dataclass
class _Token:
    key: str
    line: int  # dump: its line; gold: its block
    start: int = 0  # gold: its offset in the block's text
    end: int = 0


def key(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold().replace("ſ", "s").strip("_")


def _tokens(text: str, owner: int) -> list[_Token]:
    """The words of a line or a block; one without a word (`—`, `„`: a table's dash, a ditto
    mark) is one token of its signs, so that it is placed like any other."""
    text = text.replace("\u00ad", "")
    tokens = [_Token(key(m.group()), owner, m.start(), m.end()) for m in _WORD.finditer(text)
              if key(m.group())]
    signs = text.strip("\f").strip()
    if not tokens and signs:
        tokens = [_Token(" ".join(signs.split()), owner, 0, len(text))]
    return tokens


def label(dump: str, gold: list[Gold], paged: bool = True) -> list[dict]:
    """The labels of each line of `dump` (split on "\\n"), from the gold blocks. `paged`: the
    converter marks where pages end (a form feed), or writes all pages as one (pymupdf4llm)."""
    lines = dump.split("\n")
    edges = _page_edges(lines)
    furniture = _recurring_furniture(lines, edges, gold, paged)
    dump_tokens = [t for i, line in enumerate(lines) if i not in furniture
                   for t in _tokens(line, i)]
    gold_tokens = [t for b, block in enumerate(gold) for t in _tokens(block.text, b)]
    matched = _match(dump_tokens, gold_tokens)
    _join_cut_words(lines, dump_tokens, gold_tokens, matched)

    words = Counter(t.line for t in dump_tokens)
    blocks_of: dict[int, list[int]] = {}
    positions: dict[int, list[int]] = {}
    for d in sorted(matched):
        blocks_of.setdefault(dump_tokens[d].line, []).append(gold_tokens[matched[d]].line)
        positions.setdefault(dump_tokens[d].line, []).append(matched[d])
    # A line whose words come from two places of the gold (the two columns side by side in
    # pdftotext -layout) has no one boundary with the next line.
    split = {i for i, gs in positions.items()
             if any(not 0 < b - a <= JUMP for a, b in zip(gs, gs[1:]))}
    # Each placed line: (its majority block, the block of its first and of its last word).
    span: dict[int, tuple[int, int, int]] = {}
    for i, hits in blocks_of.items():
        if len(hits) >= MATCHED_SHARE * words[i]:
            span[i] = (Counter(hits).most_common(1)[0][0], hits[0], hits[-1])
    _fill_wordless(lines, furniture, span, gold)

    roles: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip("\f").strip():
            roles.append("blank")
        elif i in span:
            roles.append(ROLE_OF_KIND[gold[span[i][0]].kind])
        elif i in furniture or _PAGE_RULE.match(line) or (
                i in edges and len(line.split()) <= FURNITURE_MAX_WORDS):
            roles.append("furniture")
        else:
            roles.append("unaligned")

    labels = []
    for i, role in enumerate(roles):
        entry = {"line": i, "role": role, "next": None}
        if i in span:
            j = next((k for k in range(i + 1, len(lines))
                      if roles[k] not in ("blank", "furniture")), None)
            if j is not None and j in span and i not in split and j not in split:
                entry["next"] = "wrap" if span[i][2] == span[j][1] else "break"
                if entry["next"] == "wrap" and i in blocks_of:
                    last = max(d for d in matched if dump_tokens[d].line == i)
                    hyphen = _hyphen(lines[i], lines[j], gold[span[i][2]].text, gold_tokens,
                                     matched[last])
                    if hyphen is not None:
                        entry["hyphen"] = hyphen
        labels.append(entry)
    return labels


def _join_cut_words(lines, dump_tokens, gold_tokens, matched) -> None:
    """A word cut at a line end is one gold word: the half the alignment left out (`ſiren` of
    `charakteri-` / `ſiren`) is matched to the word its other half matched."""
    for k in range(len(dump_tokens) - 1):
        head, tail = dump_tokens[k], dump_tokens[k + 1]
        if head.line == tail.line or lines[head.line].rstrip()[-1:] not in HYPHENS:
            continue
        whole = head.key + tail.key
        if k in matched and k + 1 not in matched and gold_tokens[matched[k]].key == whole:
            matched[k + 1] = matched[k]
        elif k + 1 in matched and k not in matched and gold_tokens[matched[k + 1]].key == whole:
            matched[k] = matched[k + 1]
        elif k not in matched and k + 1 not in matched and k - 1 in matched:
            g = matched[k - 1] + 1  # `an-` / `beraumt`: both halves too unlike the whole
            if g < len(gold_tokens) and gold_tokens[g].key == whole \
                    and g not in matched.values():
                matched[k] = matched[k + 1] = g


def _recurring_furniture(lines: list[str], edges: set[int], gold: list[Gold],
                         paged: bool) -> set[int]:
    """Edge lines whose letters (digits aside) stand at the edge of RECURRING_PAGES pages or
    more. A dump whose pages run together (pymupdf4llm's markdown) has no edges to look at:
    there, a short line whose letters recur RECURRING_PAGES times anywhere is a running head,
    unless they are a gold block's (a letter's `Herzlichst Ihr`)."""
    def letters(line: str) -> str:
        return "".join(c for c in line.casefold() if c.isalpha())

    pages_of: dict[str, set[int]] = {}
    page = 0
    marked = paged or any(_PAGE_RULE.match(line) for line in lines)
    for i, line in enumerate(lines):
        if line.startswith("\f") or _PAGE_RULE.match(line):
            page += 1
        if i in edges:
            pages_of.setdefault(letters(line), set()).add(page)
        elif not marked and len(line.split()) <= FURNITURE_MAX_WORDS:
            pages_of.setdefault(letters(line), set()).add(i)
    if marked:
        candidates = edges
    else:
        blocks = {letters(block.text) for block in gold}
        candidates = {i for i in range(len(lines)) if letters(lines[i]) not in blocks}
    return {i for i in candidates if len(letters(lines[i])) >= 4
            and len(pages_of.get(letters(lines[i]), ())) >= RECURRING_PAGES}


def _fill_wordless(lines, furniture, span, gold: list[Gold]) -> None:
    """A line without a word (`...`, `}`) belongs to the block of the lines around it when they
    lie in one block, or to the block before it when that block ends with its signs."""
    previous = None
    pending: list[int] = []

    def close(following: int | None) -> None:
        if previous is None or not pending:
            return
        block = span[previous][2]
        if following is not None and span[following][1] == block:
            span.update({k: (block, block, block) for k in pending})
            return
        text = gold[block].text
        for k in pending:
            signs = " ".join(lines[k].strip("\f").split())
            if not text.endswith(signs):
                break
            span[k] = (block, block, block)
            text = text[:-len(signs)].rstrip()

    for i, line in enumerate(lines):
        if i in furniture or not line.strip("\f").strip():
            continue
        if i in span:
            close(i)
            previous, pending = i, []
        elif not _WORD.search(line):
            pending.append(i)
        else:
            close(None)
            previous, pending = None, []
    close(None)


def _match(dump_tokens: list[_Token], gold_tokens: list[_Token]) -> dict[int, int]:
    """Dump token index → gold token index, for the words the alignment pairs: one pass over
    both, and one more over what the first left of each (text the print moved)."""
    matched = _runs(_pairs(dump_tokens, gold_tokens, range(len(dump_tokens)),
                           range(len(gold_tokens))))
    used = set(matched.values())
    left_dump = [d for d in range(len(dump_tokens)) if d not in matched]
    left_gold = [g for g in range(len(gold_tokens)) if g not in used]
    if left_dump and left_gold:
        matched.update(_runs(_pairs(dump_tokens, gold_tokens, left_dump, left_gold)))
    return matched


def _runs(pairs: dict[int, int]) -> dict[int, int]:
    """The pairs that have a neighbour paired alongside: a lone pair is a common word (`de`,
    `the`) matched by chance across two different texts, which would hold the real match back."""
    def beside(d: int, g: int) -> bool:
        return any(0 < (pairs.get(d + step, -10) - g) * step <= 2 for step in (-2, -1, 1, 2))

    return {d: g for d, g in pairs.items() if beside(d, g)}


def _pairs(dump_tokens, gold_tokens, dump_index, gold_index) -> dict[int, int]:
    """Pair the words of two sequences: the longest common subsequence (Indel, which pairs as
    many equal words as there are, where Levenshtein would rather substitute one text for
    another), then, in each gap between two runs of equal words, the words standing in each
    other's place that are alike (a misread word, a cut word's first half)."""
    dump_index, gold_index = list(dump_index), list(gold_index)
    pairs: dict[int, int] = {}
    gap_dump: list[int] = []
    gap_gold: list[int] = []

    def close_gap() -> None:
        for d, g in zip(gap_dump, gap_gold):
            a, b = dump_tokens[d].key, gold_tokens[g].key
            if min(len(a), len(b)) >= SHORTEST and (fuzz.ratio(a, b) >= ALIKE
                                                    or b.startswith(a)):
                pairs[d] = g
        gap_dump.clear()
        gap_gold.clear()

    ops = Indel.opcodes([dump_tokens[d].key for d in dump_index],
                        [gold_tokens[g].key for g in gold_index])
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            close_gap()
            pairs.update(zip(dump_index[i1:i2], gold_index[j1:j2]))
        else:
            gap_dump.extend(dump_index[i1:i2])
            gap_gold.extend(gold_index[j1:j2])
    close_gap()
    return pairs


def _page_edges(lines: list[str]) -> set[int]:
    """The first and last EDGE non-blank lines of each page (a form feed opens a page)."""
    pages: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if line.startswith("\f") or _PAGE_RULE.match(line):
            pages.append([])
        if line.strip("\f").strip():
            pages[-1].append(i)
    return {i for page in pages for i in page[:EDGE] + page[-EDGE:]}


def _hyphen(line: str, following: str, block_text: str, gold_tokens, g: int) -> bool | None:
    """A word cut at this line's end: True if the gold has it whole, False if hyphenated. `g` is
    the gold word matched last on the line; the alignment pairs the whole word with either half,
    so it and the word after it are looked at."""
    line = line.rstrip()
    if not line or line[-1] not in HYPHENS:
        return None
    cut = _LAST_WORD.search(line[:-1].replace("\u00ad", ""))
    start = _FIRST_WORD.match(following.lstrip("\f").replace("\u00ad", ""))
    if cut is None or start is None or not start.group(1)[0].isalpha():
        return None
    head, tail = key(cut.group(1)), key(start.group(1))
    for candidate in gold_tokens[g:g + 3]:
        if candidate.line != gold_tokens[g].line:
            break
        if candidate.key == head + tail:
            return True
        after = block_text[candidate.end:candidate.end + 1]
        if candidate.key == head and after and after in HYPHENS:
            rest = _FIRST_WORD.match(block_text[candidate.end + 1:])
            if rest and key(rest.group(1)) == tail:
                return False
    return None
