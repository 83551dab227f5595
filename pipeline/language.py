"""Which language a dump is in, and the conventions that follow from it.

Detection counts very frequent function words: on prose of a few sentences that already separates
the languages the rules care about (Spanish, English, French, German, Portuguese, Italian), and it
needs no model download. A word counts for each language by how distinctive it is, measured: its
share of the word's frequency (in wordfreq's lists) among the languages that have it as a function
word (`the` is English's alone; `a`, a function word of three, counts for each in part; the
table is `function_word_frequencies.py`). And no single word decides: one repeated through a
text (`os` in a manual of Python's `os` module, Portuguese for `the`) counts for a language at
most as much as all its other words. The result drives the abbreviation list (a period after `Sr`
or `z. B` ends no sentence), titles, the words no sentence ends on, elisions (`l'`, `dell'`),
spacing rules (French puts a space before `: ; ! ?`, so that space is never removed as
conversion damage there) and which word-frequency list weighs a hyphenated word. A text too short
to decide gets the conventions of every language at once, and no word-frequency list.
"""

from __future__ import annotations

from collections import Counter

import regex

from pipeline.function_word_frequencies import FREQUENCIES, LANGUAGES

_FUNCTION_WORDS = {
    "es": "el la los las de del que y en un una por con para es se no lo al como más pero sus a "
          "ha fue este esta también",
    "en": "the of and to in is that for it with as was on be by this are from or have an which a "
          "were has its their after",
    "fr": "le la les des du de et est un une que qui dans pour pas sur au aux ce il elle sont à "
          "avec par été ont leur",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es wir "
          "sie aber wird wurde werden am zum zur",
    "pt": "o a os as de do da dos das que e em um uma para com não por mais se ao como foi no na "
          "nas pela pelos pelas à às é são ou mas também seu sua ele ela isso esse essa já muito "
          "há foram tem após",
    "it": "il lo la gli le di del della che e è un una per con non si da al nel sono come dei "
          "degli delle dal dalla nella nei sul sulla alla alle ai anche ha hanno stato stata "
          "questo questa più ma ed tra fra ci perché molto già dopo dell nell sull dall",
}


def _sets(table: dict[str, str]) -> dict[str, frozenset[str]]:
    """A language table written as space-separated words, as a set per language."""
    return {lang: frozenset(words.split()) for lang, words in table.items()}


_WORDS = _sets(_FUNCTION_WORDS)


def _weights() -> dict[str, dict[str, float]]:
    """What one occurrence of each function word counts for each language that has it among its
    function words: its share of the word's frequency in those languages (`de` counts 0.4 for
    Spanish, 0.3 for French and for Portuguese)."""
    weights = {}
    for word, frequencies in FREQUENCIES.items():
        shares = {lang: f for lang, f in zip(LANGUAGES, frequencies) if word in _WORDS[lang]}
        weights[word] = {lang: f / sum(shares.values()) for lang, f in shares.items()}
    return weights


_WEIGHTS = _weights()

# Abbreviations after which a period does not end a sentence, by language; lower-cased, no dots.
ABBREVIATIONS = {
    "es": "sr sra srta sres dr dra dres ud uds vd vds p ej pág págs núm art cap vol aprox av avda "
          "lic ing prof gral cía etc fig ee uu ff aa cc oo rr pp",
    "en": "mr mrs ms dr prof st jr sr vs etc e g i e eg ie inc ltd co no nos fig figs vol cf approx "
          "dept univ gen col sgt capt lt jan feb mar apr jun jul aug sep sept oct nov dec u s uk",
    "fr": "m mm mme mmes mlle mlles mgr dr pr p ex cf av bd etc vol chap fig env réf st ste",
    "de": "z b d h u a usw bzw nr s dr hr hrn fr prof ca vgl ggf evtl inkl sog str abs bd jh jhs",
    "pt": "sr sra srta srs sras dr dra drs dras prof profa eng exmo exma ilmo ilma sto sta p ex "
          "av pág págs pp etc fig vol cap n nº núm art séc ed obs aprox tel cia ltda",
    "it": "sig sigg dott dr prof avv ing arch sen mons p es ecc pag pagg pp fig vol cap ca art n "
          "nr cfr tel sec ss sgg",
}
ABBREVIATION_SETS = _sets(ABBREVIATIONS)

# Titles: abbreviations that only ever stand before a name, so that the capital after them starts
# the name, not a sentence (`Sr. Martínez`, `M. Dupont`). A subset of ABBREVIATIONS.
TITLES = {
    "es": "sr sra srta sres dr dra dres lic ing prof gral",
    "en": "mr mrs ms dr prof gen col sgt capt lt",
    "fr": "m mm mme mmes mlle mlles mgr dr pr",
    "de": "hr hrn fr dr prof",
    "pt": "sr sra srta srs sras dr dra drs dras prof profa eng exmo exma ilmo ilma sto sta",
    "it": "sig sigg dott dr prof avv ing arch sen mons",
}
TITLE_SETS = _sets(TITLES)

# Words a sentence never ends on: articles, most prepositions and conjunctions. A block that stops
# on one was cut mid-sentence whatever the next block starts with (German nouns and every name
# start with a capital). Left out are words that also end sentences: separable verb particles
# (German `an`, `auf`, `mit`), verb forms spelt like prepositions (Spanish `para`, `entre`),
# and English prepositions that menus and buttons end on (`Sign in`, `Log out`).
BINDING_WORDS = {
    "es": "el la los las un una unos unas del al de a en con por sin y e o u ni que pero cuyo "
          "cuya cuyos cuyas su sus mi mis tu tus",
    "en": "the a an of and or nor but than from with by for at into its their his our your my "
          "whose",
    "fr": "le la les un une des du de au aux à et ou mais sans pour par avec dans sur vers chez "
          "ce cet cette ces sa ses mon ma mes ton ta tes notre votre nos vos dont que en",
    "de": "der die das den dem des ein eine einen einem einer eines und oder sondern dass weil "
          "wenn von für im vom zum zur beim am gegen ohne",
    "pt": "o a os as um uma uns umas de do da dos das em no na nos nas num numa nuns numas "
          "dum duma e ou nem mas que com sem por pelo pela pelos pelas ao aos à às cujo cuja "
          "cujos cujas",
    "it": "il lo la i gli le un uno una di del dello della dei degli delle da dal dallo dalla "
          "dai dagli dalle a al allo alla ai agli alle in nel nello nella nei negli nelle sul sullo "
          "sulla sui sugli sulle con col coi per tra fra e ed o od ma che cui",
}
BINDING_SETS = _sets(BINDING_WORDS)

# Elided words written with an apostrophe and no space before the next word (`l'Assemblée`).
ELISIONS = {
    "fr": "l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu",
    "it": "l d c m t s v un dell all nell dall sull coll quell quest tutt sant bell buon "
          "nessun anch dov com",
    "pt": "d",
}
ELISION_SETS = _sets(ELISIONS)

# The words after which a hyphen is a suspended one (`Vor- und Nachteile`, `pre- and post-war`):
# it stands for the shared part of two compounds and keeps its space.
COORDINATORS = {
    "es": "y e o u ni", "en": "and or to nor", "fr": "et ou", "de": "und oder bis sowie bzw",
    "pt": "e ou", "it": "e ed o",
}
COORDINATOR_SETS = _sets(COORDINATORS)

# Languages that write a compound of two words as one word (`Stadtchronik`, `Bundesrepublik`):
# there, two words of their own on either side of a line-end hyphen are no sign that the hyphen
# belongs to the compound, as they are in English (`well-known`) or French (`porte-parole`).
SOLID_COMPOUNDS = frozenset({"de"})

# French typography puts a (non-breaking) space before these and after « ‹; elsewhere such a
# space is damage.
SPACED_PUNCTUATION = {"fr": frozenset(":;!?»›")}
SPACED_AFTER = {"fr": frozenset("«‹")}

# Quotation marks, opening and closing, that sit tight against what they enclose. German opens
# with „ or » and closes with “ or «; French is left without « »: it puts a space inside them.
# Undecided text keeps to the marks no language spaces or turns around.
QUOTES = {
    "es": ("\"“«", "\"”»"), "pt": ("\"“«", "\"”»"), "it": ("\"“«", "\"”»"),
    "en": ("\"“", "\"”"), "fr": ("\"“", "\"”"), "de": ("\"„»", "\"“”«"),
}
_NEUTRAL_QUOTES = ("\"“„", "\"”")



def common_words(lang: str | None) -> frozenset[str]:
    """Words known to be words of their own: a piece of text equal to one is no cut-off syllable."""
    tables = (_WORDS, BINDING_SETS, COORDINATOR_SETS)
    return frozenset().union(*(words_for(table, lang) for table in tables))


def words_for(table: dict[str, frozenset[str]], lang: str | None) -> frozenset[str]:
    """The words of `table` for `lang`; for an undecided text, those of every language."""
    return table.get(lang, frozenset()) if lang else frozenset().union(*table.values())


def quotes(lang: str | None) -> tuple[str, str]:
    """(opening, closing) quotation marks that sit tight against a link or emphasis in `lang`."""
    return QUOTES.get(lang, _NEUTRAL_QUOTES) if lang else _NEUTRAL_QUOTES


_WORD = regex.compile(r"\p{L}+")


def detect(text: str, sample: int = 20000) -> tuple[str | None, str]:
    """Return (language code or None, evidence) from the function words in a sample of `text`.

    A word that several languages share ('de', 'la', 'que') counts for each of them in part, by
    its frequency in each, so that the words one language has to itself decide; a short text is
    then decided by a clear margin instead of by a count only long texts reach. No one word makes
    more than half of a language's evidence: it counts at most as much as the language's other
    words together, so that a word repeated through a text (a name, a module) decides nothing.

    >>> detect("The report was written for the ministry and published in March.")[0]
    'en'
    >>> detect("La lettre était signée par le maire et publiée dans le journal.")[0]
    'fr'
    >>> detect("Share on Facebook")[0] is None
    True
    """
    # A soft hyphen is no letter: `y\u00ado` is one word, as it is once the breaks stage drops
    # the mark, so a repaired text is read as the same language as its dump.
    text = text[:sample].replace("\u00ad", "")
    words = _WORD.findall(text.lower())
    found = Counter(word for word in words if word in _WEIGHTS)
    if not found:
        return None, "no function words of a known language"
    evidence: dict[str, Counter] = {}
    for word, n in found.items():
        for lang, weight in _WEIGHTS[word].items():
            evidence.setdefault(lang, Counter())[word] = n * weight
    counts, capped = Counter(), {}
    for lang, weights in evidence.items():
        (top, most), = weights.most_common(1)
        rest = sum(weights.values()) - most
        counts[lang] = rest + min(most, rest)
        if most > rest and found[top] >= 3:  # a word that would have decided: said in the note
            capped[lang] = f"{top!r} {found[top]}× weighs for {lang} only as much as its other " \
                           f"words, {rest:.0f}"
    ranked = counts.most_common()
    best, hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    shown = {lang: round(count, 1) for lang, count in ranked[:3]}
    weighed = f"function words weighed by their frequency in each language, in {len(words)} words"
    notes = [capped[lang] for lang, _ in ranked[:2] if lang in capped]
    weighed += f" ({'; '.join(notes)})" if notes else ""
    if hits < 3 or hits - runner_up < 2 or hits < 1.3 * runner_up:
        return None, f"undecided: {shown}, {weighed}"
    return best, f"{hits:.0f} for {best}, {runner_up:.0f} for {ranked[1][0]}: {weighed}" \
        if len(ranked) > 1 else f"{hits:.0f} for {best}: {weighed}"


def measured_table() -> str:
    """The text of `function_word_frequencies.py`: each function word's frequency in each of the
    six languages, as the installed wordfreq gives it."""
    from importlib.metadata import version

    import wordfreq  # its lists take seconds to load: only when the table is measured again

    rows = []
    for word in sorted(set().union(*_WORDS.values())):
        frequencies = ", ".join(f"{wordfreq.word_frequency(word, lang):.3g}" for lang in LANGUAGES)
        rows.append(f"    {word!r}: ({frequencies}),\n")
    return (f'"""How often each function word of `pipeline.language` occurs in each language, '
            f'from wordfreq\n{version("wordfreq")}. Written by `python -m pipeline.language`; '
            "tests/test_language.py checks it\nagainst the installed wordfreq.\n\"\"\"\n\n"
            f"LANGUAGES = {LANGUAGES!r}\n\nFREQUENCIES = {{\n{''.join(rows)}}}\n")


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).with_name("function_word_frequencies.py").write_text(measured_table(),
                                                                         encoding="utf-8")
