"""The evidence a join is decided on: does a text end a sentence, does the next one continue it.

A break is only repaired when the text on both sides says so. These functions look at visible text
(markup already stripped by the parser) and return their reason in words, which goes into the
provenance note or, when the evidence is weak, into a doubt for the reviewer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from pipeline.language import ABBREVIATION_SETS

SENTENCE_END = ".!?…"
CLOSERS = "\"'”’»)]}›"
OPENERS = "([{“‘«‹¿¡"
_TRAILING_CLOSERS = regex.compile(rf"[{regex.escape(CLOSERS)}*_\s]+$")
_LAST_TOKEN = regex.compile(r"(?:\p{L}+\.\s?)*\p{L}+\.$")
_INITIAL = regex.compile(r"(?:^|[\s(])\p{Lu}\.$")
_LETTER_DOTS = regex.compile(r"(?:^|[\s(])(?:\p{L}\.){2,}$")  # U.S., e.g., z.B.
_DOUBLED = regex.compile(r"(?:^|\s)(\p{Lu})\1\.$")  # EE. UU., FF. AA.: Spanish plural initials
_ELLIPSIS_ONLY = regex.compile(r"^[\[(]?(?:\.{3}|…)[\])]?$")
WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
_COMPOUND = regex.compile(r"\p{L}+(?:-\p{L}+)+")  # counted whole too: anti-rusa, well-known


@dataclass(frozen=True)
class Ending:
    """How a piece of text ends, as far as joining is concerned."""

    kind: str  # "sentence", "abbreviation", "open", "comma", "hyphen", "colon", "none"
    why: str


def ending(text: str, lang: str | None) -> Ending:
    stripped = text.rstrip()
    if not stripped:
        return Ending("sentence", "empty")
    last = stripped[-1]
    if last in OPENERS or (last in "\"'" and (len(stripped) == 1 or stripped[-2].isspace())):
        return Ending("open", f"ends inside an opening {last!r}")
    core = _TRAILING_CLOSERS.sub("", stripped) or stripped
    if regex.search(r"\p{L}-$", stripped):
        return Ending("hyphen", "ends with a hyphen after a letter")
    if core[-1] in ",–—":
        return Ending("comma", f"ends with {core[-1]!r}, mid-sentence")
    if core[-1] in ":;":
        return Ending("colon", f"ends with {core[-1]!r}, which introduces what follows")
    if core[-1] in SENTENCE_END:
        if core[-1] == "." and not core.endswith(".."):
            abbreviation = _abbreviation(core, lang)
            if abbreviation:
                return Ending("abbreviation", f"ends with the abbreviation {abbreviation!r}, "
                              "not a sentence end")
        return Ending("sentence", f"ends a sentence with {core[-1]!r}")
    return Ending("none", f"ends without sentence punctuation ({stripped[-12:]!r})")


def _abbreviation(core: str, lang: str | None) -> str | None:
    tail = core[-24:]
    if _DOUBLED.search(tail):
        return " ".join(tail.split()[-2:])
    if _INITIAL.search(tail) or _LETTER_DOTS.search(tail):
        return tail.split()[-1]
    match = _LAST_TOKEN.search(tail)
    if not match:
        return None
    token = match.group(0)
    words = [w for w in regex.split(r"[.\s]+", token.lower()) if w]
    known = ABBREVIATION_SETS.get(lang) if lang else frozenset().union(*ABBREVIATION_SETS.values())
    return token if words and words[-1] in known else None


@dataclass(frozen=True)
class Opening:
    kind: str  # "lower", "closing", "upper", "ellipsis", "other"
    why: str


def opening(text: str) -> Opening:
    stripped = text.lstrip()
    if not stripped:
        return Opening("other", "empty")
    if _ELLIPSIS_ONLY.match(stripped.rstrip()):
        return Opening("ellipsis", "is only an ellipsis marking an omission")
    first = stripped[0]
    if first in OPENERS + "\"'" and len(stripped) > 1 and stripped[1].isalpha():
        inner = opening(stripped[1:])
        return Opening(inner.kind, f"{inner.why} after an opening {first!r}")
    if first in ",.;:!?)]}»”’" or (first in "\"'" and (len(stripped) == 1 or
                                                       not stripped[1].isalnum())):
        return Opening("closing", f"starts with {first!r}, which closes the sentence before")
    if first.islower():
        return Opening("lower", f"starts in lower case ({stripped[:12]!r})")
    if first.isupper():
        return Opening("upper", f"starts with a capital ({stripped[:12]!r})")
    return Opening("other", f"starts with {first!r}")


def is_fragment(text: str) -> bool:
    """A lone word or a few words without sentence punctuation: a piece cut out of a sentence."""
    stripped = text.strip()
    return bool(stripped) and len(stripped.split()) <= 6 and stripped[-1] not in SENTENCE_END + ":;"


class Vocabulary:
    """Word counts of the document itself: the evidence for mending a word cut in two."""

    def __init__(self, text: str) -> None:
        self.counts = Counter(w.lower() for w in WORD.findall(text))
        self.counts.update(w.lower() for w in _COMPOUND.findall(text))

    def split_word(self, tail: str, head: str) -> str | None:
        """Why `tail`+`head` is one word cut in two, or None.

        It is when the joined word occurs in the document and one of the pieces never occurs on
        its own (the pieces each occur once, at the cut itself).
        """
        joined = (tail + head).lower()
        if self.counts[joined] < 1:
            return None
        lonely = [p for p in (tail, head) if self.counts[p.lower()] <= 1]
        if not lonely:
            return None
        return (f"{tail + head!r} occurs {self.counts[joined]}× in the document, "
                f"{lonely[0]!r} never on its own")


def last_word(text: str) -> str | None:
    match = regex.search(r"(\p{L}+)$", text)
    return match.group(1) if match else None


def first_word(text: str) -> str | None:
    match = regex.match(r"(\p{L}+)", text)
    return match.group(1) if match else None
