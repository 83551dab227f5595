"""The evidence a join is decided on: does a text end a sentence, does the next one continue it.

A break is only repaired when the text on both sides says so. These functions look at visible text
(markup already stripped by the parser) and return their reason in words, which goes into the
provenance note or, when the evidence is weak, into a doubt for the reviewer.

Quotation marks are judged by where they stand, not by their glyph: the same `“` opens in English
and closes in German, `»` closes in Spanish and opens in German. A mark with a space (or nothing)
before it and text after it opens; a mark written against the text before it closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import regex
from wordfreq import zipf_frequency

from pipeline.language import (ABBREVIATION_SETS, BINDING_SETS, ELISION_SETS, SOLID_COMPOUNDS,
                               TITLE_SETS, common_words, words_for)

SENTENCE_END = ".!?…"
QUOTE_MARKS = "\"'“”„‟«»‹›‘’‚"
BRACKET_OPENERS = "([{¿¡"
_TRAILING_CLOSERS = regex.compile(rf"[{regex.escape(QUOTE_MARKS)})\]}}*_\s]+$")
_LAST_TOKEN = regex.compile(r"(?:\p{L}+\.\s?)*\p{L}+\.$")
_INITIAL = regex.compile(r"(?:^|[\s(])\p{Lu}\.$")
_LETTER_DOTS = regex.compile(r"(?:^|[\s(])(?:\p{L}\.){2,}$")  # U.S., e.g., z.B.
_DOUBLED = regex.compile(r"(?:^|\s)(\p{Lu})\1\.$")  # EE. UU., FF. AA.: Spanish plural initials
_ELLIPSIS_ONLY = regex.compile(r"^[\[(]?(?:\.{3}|…)[\])]?$")
_ELIDED = regex.compile(r"(?:^|[\s(\[\"“«])(\p{L}+)['’]$")  # French l', d', qu'; Italian dell'
_BARE_LAST_WORD = regex.compile(r"(?:^|[\s(\[\"“„«»])(\p{L}+)$")
WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
_LAST_WORD = regex.compile(r"(\p{L}+)$")
_FIRST_WORD = regex.compile(r"(\p{L}+)")
# The hyphens a typesetter breaks a word at: ASCII's, and Unicode's own (U+2010), which groff
# writes for every hyphen of a man page; a non-breaking one (U+2011) that ends a line anyway was
# broken at all the same.
HYPHENS = "-\u2010\u2011"
_LETTER_HYPHEN = regex.compile(rf"\p{{L}}[{HYPHENS}]$")
_LETTERS_AND_HYPHENS = regex.compile(rf"[{HYPHENS}\p{{L}}]+")
# The document's compounds are counted with one hyphen, whichever it was written with.
_ONE_HYPHEN = str.maketrans(HYPHENS[1:], "-" * len(HYPHENS[1:]))


@dataclass(frozen=True)
class Ending:
    """How a piece of text ends, as far as joining is concerned.

    `continues` is set when the text cannot stop where it does, whatever comes next: it ends on
    a title that stands before a name (`Sr.`) or on a word no sentence ends on (`of`, `der`).
    """

    kind: str  # "sentence", "abbreviation", "open", "comma", "hyphen", "colon", "none"
    why: str
    continues: bool = False


def ending(text: str, lang: str | None) -> Ending:
    """How `text` ends: a sentence end, or a place where the sentence must go on.

    >>> ending("The committee met on Tuesday.", "en").kind
    'sentence'
    >>> ending("La delegación viajó a EE. UU.", "es").why
    "ends with the abbreviation 'EE. UU.', not a sentence end"
    >>> ending("Visitammo molte città, p. es.", "it").why
    "ends with the abbreviation 'p. es.', not a sentence end"
    >>> ending("la carta iba dirigida al Sr.", "es").continues
    True
    >>> ending("written for the Department of", "en").continues
    True

    A closing mark after the sentence's period is no opening quotation, whatever its glyph:

    >>> ending("Der Minister sagte: „Wir halten am Zeitplan fest.“", "de").kind
    'sentence'
    >>> ending('dijo a sus compatriotas que "', "es").kind
    'open'
    >>> ending("« Nous voulons que chaque habitant puisse les consulter. »", "fr").kind
    'sentence'
    """
    stripped = text.rstrip()
    if not stripped:
        return Ending("sentence", "empty")
    last = stripped[-1]
    if last in BRACKET_OPENERS or last in QUOTE_MARKS and _stands_apart(stripped):
        return Ending("open", f"ends inside an opening {last!r}")
    tail = stripped[-80:]  # what decides is at the end; the searches below need no more
    elided = _ELIDED.search(tail)
    if elided and elided.group(1).lower() in words_for(ELISION_SETS, lang):
        return Ending("open", f"ends with the elided {elided.group(0).lstrip()!r}, which is "
                      "written against the next word")
    core = _TRAILING_CLOSERS.sub("", tail) or tail
    if _LETTER_HYPHEN.search(tail):
        return Ending("hyphen", "ends with a hyphen after a letter")
    if core[-1] in ",–—":
        return Ending("comma", f"ends with {core[-1]!r}, mid-sentence")
    if core[-1] in ":;":
        return Ending("colon", f"ends with {core[-1]!r}, which introduces what follows")
    if core[-1] in SENTENCE_END:
        if core[-1] == "." and not core.endswith(".."):
            abbreviation = _abbreviation(core, lang)
            if abbreviation and _is_title(abbreviation, lang):
                return Ending("abbreviation", f"ends with the title {abbreviation!r}, which "
                              "stands before a name", continues=True)
            if abbreviation:
                return Ending("abbreviation", f"ends with the abbreviation {abbreviation!r}, "
                              "not a sentence end")
        return Ending("sentence", f"ends a sentence with {core[-1]!r}")
    bare = _BARE_LAST_WORD.search(core[-40:])
    if lang and bare and bare.group(1).lower() in BINDING_SETS.get(lang, ()):
        return Ending("none", f"ends with {bare.group(1)!r}, a word no sentence ends on",
                      continues=True)
    return Ending("none", f"ends without sentence punctuation ({stripped[-12:]!r})")


def _stands_apart(stripped: str) -> bool:
    """Whether the quotation mark that ends `stripped` opens a quotation.

    One written against the word before it closes. One with a space before it opens, unless it
    answers a mark opened earlier in the text: French sets a space before its closing `»`.
    """
    mark = stripped[-1]
    if len(stripped) > 1 and not (stripped[-2].isspace() or stripped[-2] in BRACKET_OPENERS):
        return False
    partner = _PARTNERS.get(mark, mark)
    if partner == mark:
        return stripped.count(mark) % 2 == 1
    unanswered = 0
    for ch in stripped[:-1]:
        if ch == partner:
            unanswered += 1
        elif ch == mark:
            unanswered = max(0, unanswered - 1)
    return unanswered == 0


# The mark each closing mark answers; a mark that answers itself (`"`) is paired by counting.
_PARTNERS = {"»": "«", "›": "‹", "”": "“", "“": "„", "«": "»", "’": "‘", "‘": "‚"}


_DOTS_OR_SPACES = regex.compile(r"[.\s]+")


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
    words = [w for w in _DOTS_OR_SPACES.split(token.lower()) if w]
    return token if words and words[-1] in words_for(ABBREVIATION_SETS, lang) else None


def _is_title(abbreviation: str, lang: str | None) -> bool:
    word = abbreviation.rstrip(".").split(".")[-1].strip("( ").lower()
    # Undecided text: a lone capital is more often an initial (`John F.`) than the French `M.`.
    return word in words_for(TITLE_SETS, lang) and (lang is not None or len(word) > 1)


@dataclass(frozen=True)
class Opening:
    kind: str  # "lower", "closing", "upper", "ellipsis", "other"
    why: str


def opening(text: str) -> Opening:
    """How `text` starts: does it continue a sentence (lower case, closing punctuation)?

    >>> opening("provocadores geopolíticos afirman").kind
    'lower'
    >>> opening(", el presidente agradeció").kind
    'closing'
    >>> opening("»Wir kommen«, sagte sie.").why
    "starts with a capital ('Wir kommen«,') after an opening '»'"
    >>> opening("« nous ne reculerons pas »").kind
    'lower'
    """
    stripped = text.lstrip()
    if not stripped:
        return Opening("other", "empty")
    if _ELLIPSIS_ONLY.match(stripped.rstrip()):
        return Opening("ellipsis", "is only an ellipsis marking an omission")
    first, rest = stripped[0], stripped[1:]
    if first in "*_" and rest.lstrip("*_")[:1].isalnum():
        # A literal `*` or `_` before a word is emphasis markup whose closing half the break cut
        # off; the word after it is what the reader sees.
        inner = opening(rest.lstrip("*_"))
        return Opening(inner.kind, f"{inner.why} after a cut-off {first!r}")
    if first in BRACKET_OPENERS + QUOTE_MARKS:
        # French sets a space after « and ‹; any other mark that opens is written against the text.
        inside = rest.lstrip() if first in "«‹" else rest
        if inside[:1].isalnum():
            inner = opening(inside)
            return Opening(inner.kind, f"{inner.why} after an opening {first!r}")
    if first in ",.;:!?)]}" or first in QUOTE_MARKS:
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


# Zipf frequencies of the word lists (log10 of occurrences per billion words): 3 is once in a
# million words, a word every reader of the language knows; under 2 a form is barely attested. The
# web text the lists were counted on was itself hyphenated at line ends, so syllables that only
# ever occur cut off (`desarro`, `infor`) reach about 2: only a common word is a word of its own.
_COMMON_ZIPF = 3.0
_ATTESTED_ZIPF = 2.0


@dataclass(frozen=True)
class Hyphenation:
    """Whether a word cut at a hyphen is one word or a compound, and the evidence in words."""

    verdict: str | None  # "whole" (the hyphen was the typesetter's), "compound", or None (unknown)
    reason: str


def _count(pattern: regex.Pattern, text: str, chunk: int = 1 << 16) -> Counter:
    """How often each match of `pattern` (which never matches white space) occurs in `text`,
    lowered, found a chunk at a time: `str.lower` of a whole long text takes twelve times its
    memory while it runs, and the list of every word in it ten times.

    Soft hyphens are no letters: `desa\u00adrrollo` is the word `desarrollo`.

    >>> _count(WORD, "A b a desa\u00adrrollo", chunk=1) == Counter(a=2, b=1, desarrollo=1)
    True
    """
    counts: Counter = Counter()
    start = 0
    while start < len(text):
        end = text.find(" ", start + chunk)
        end = len(text) if end < 0 else end
        counts.update(pattern.findall(text[start:end].lower().replace("\u00ad", "")))
        start = end
    return counts


class Vocabulary:
    """Word counts of the document itself: the evidence for mending a word cut in two."""

    def __init__(self, text: str, lang: str | None = None) -> None:
        self.text = text
        self.lang = lang
        self.common = common_words(lang)

    @cached_property
    def counts(self) -> Counter:
        # Counted on first use: most documents never have a candidate cut word to check.
        return _count(WORD, self.text)

    @cached_property
    def _compounds(self) -> Counter:
        # Every run of letters and hyphens, counted when a compound is first asked for: a scan
        # of the text for each one would take quadratic time in a dump of thousands of them.
        counts: Counter = Counter()
        for word, n in _count(_LETTERS_AND_HYPHENS, self.text).items():
            counts[word.translate(_ONE_HYPHEN)] += n
        return counts

    def count(self, word: str) -> int:
        """How often `word` occurs (case-insensitively); a hyphenated compound (`anti-rusa`,
        `well-known`) is counted whole, not where it is part of a longer one."""
        word = word.lower().translate(_ONE_HYPHEN)
        return (self._compounds if "-" in word else self.counts)[word]

    def split_word(self, tail: str, head: str) -> str | None:
        """Why `tail`+`head` is one word cut in two, or None.

        It is when the joined word occurs in the document and neither piece is a word of its
        own: each occurs only at the cut and is no function word of the language. A piece that
        is a word (`sin` / `número`, `dijera` / `a`) leaves the space, even when the document
        also has the joined form.

        >>> german = Vocabulary("Die Bundesregierung tagte. Die Bundesregie rung schwieg.", "de")
        >>> german.split_word("Bundesregie", "rung")  # doctest: +NORMALIZE_WHITESPACE
        "'Bundesregierung' occurs 1× in the document and neither 'Bundesregie' nor 'rung'
         on its own"
        >>> spanish = Vocabulary("Un sinnúmero de cartas. La calle sin número.", "es")
        >>> spanish.split_word("sin", "número") is None
        True
        """
        joined = (tail + head).lower()
        if self.counts[joined] < 1:
            return None
        if any(self.counts[p.lower()] > 1 or p.lower() in self.common for p in (tail, head)):
            return None
        return (f"{tail + head!r} occurs {self.counts[joined]}× in the document and neither "
                f"{tail!r} nor {head!r} on its own")

    def hyphenated(self, tail: str, head: str) -> Hyphenation:
        """Whether `tail`-`head`, hyphenated where a line or paragraph ended, is one word whose
        hyphen was the typesetter's (`desarro-llo`) or a compound that keeps it (`well-known`).

        Two witnesses are asked: the document, which decides when it writes one form and never
        the other, and the word list of its language, which knows the whole word (`desarrollo`)
        or knows both parts as words when the whole is no word (`anti` and `rusa`, never
        `antirusa`). Where they disagree, or neither knows, the verdict is None.

        >>> spanish = Vocabulary("El desarrollo fue lento. La facción anti-rusa calló.", "es")
        >>> spanish.hyphenated("desarro", "llo").verdict, spanish.hyphenated("anti", "rusa").verdict
        ('whole', 'compound')
        >>> print(Vocabulary("", "en").hyphenated("Main", "tainers").reason)
        ... # doctest: +NORMALIZE_WHITESPACE
        the document has 'Maintainers' 0× and 'Main-tainers' 0×; wordfreq (en): zipf 2.3 for
        'Maintainers', 5.2 for 'Main' and 0.0 for 'tainers': one word, the hyphen goes

        German writes compounds solid, so two German words are no evidence for a hyphen:

        >>> Vocabulary("", "de").hyphenated("Stadt", "chroniken").verdict is None
        True
        """
        joined, compound = tail + head, f"{tail}-{head}"
        whole, written = self.count(joined), self.count(compound)
        facts = f"the document has {joined!r} {whole}× and {compound!r} {written}×"
        document = None if bool(whole) == bool(written) else "whole" if whole else "compound"
        listed = None
        if self.lang:
            zipf = {w: zipf_frequency(w, self.lang) for w in (joined, tail, head)}
            pieces = min(zipf[tail], zipf[head])
            # A rare whole word counts when its parts are not both words (`maintainers`);
            # `bookcase` against `book` and `case` is left undecided.
            if zipf[joined] >= _COMMON_ZIPF or \
                    zipf[joined] >= _ATTESTED_ZIPF and pieces < _COMMON_ZIPF:
                listed = "whole"
            elif zipf[joined] < _ATTESTED_ZIPF and pieces >= _COMMON_ZIPF and \
                    self.lang not in SOLID_COMPOUNDS:
                listed = "compound"
            facts += (f"; wordfreq ({self.lang}): zipf {zipf[joined]:.1f} for {joined!r}, "
                      f"{zipf[tail]:.1f} for {tail!r} and {zipf[head]:.1f} for {head!r}")
        else:
            facts += "; no word list for a text whose language is undecided"
        if whole and written:
            return Hyphenation(None, f"{facts}: the document writes both")
        if document and listed and document != listed:
            return Hyphenation(None, f"{facts}: the document and the word list disagree")
        verdict = document or listed
        if verdict == "whole":
            return Hyphenation(verdict, f"{facts}: one word, the hyphen goes")
        if verdict == "compound":
            return Hyphenation(verdict, f"{facts}: a compound, the hyphen stays")
        return Hyphenation(None, f"{facts}: neither form is known well enough")


def last_word(text: str) -> str | None:
    match = _LAST_WORD.search(text[-64:])
    return match.group(1) if match else None


def first_word(text: str) -> str | None:
    match = _FIRST_WORD.match(text)
    return match.group(1) if match else None
