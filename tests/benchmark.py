"""Benchmark: `pipeline run` throughput and peak memory, against pandoc, on a generated corpus.

Not a test: it prints figures and a table with PASS/MISS next to each target, and exits 0 unless
the run itself breaks (the corpus cannot be built, the pipeline or pandoc fails on a file, a
measurement times out). `make bench` runs it; `--keep DIR` leaves the corpus in DIR for profiling:

    .venv/bin/python tests/benchmark.py --keep /tmp/bench
    .venv/bin/python -m cProfile -o /tmp/prof.out -m pipeline run /tmp/bench/corpus --out /tmp/o

The corpus (about 6 MB) is generated deterministically (fixed seed) from the sample dump in raw/
and from synthetic prose in English, French, German, Portuguese and Italian, with the damage the
pipeline repairs: paragraphs cut mid-sentence by blank lines, lost-target links `[text](#)`, link
text split across a break, `### ` fragment headings, bold-only title lines, stray spaces before
punctuation, a little mojibake and HTML entities, italic quoted paragraphs.

Every measured command runs in its own fresh wrapper process pinned to one CPU; the wrapper times
the command and reads `getrusage(RUSAGE_CHILDREN)`, whose max RSS (the largest of its children) is
then the peak of the measured command alone.

Targets (from the issue): at least 40x pandoc's throughput; at least 10 MB/s on one core; peak
memory under 10x the largest input file; time linear in size (10x the input in at most 11x the
time). Wall times include interpreter start-up, as a user sees them; the start-up is measured on
its own and also reported, and the linearity and memory targets are judged on what the input
adds above it. Linearity compares one file of 10 S with its ten S-sized parts run one by one, so
that the content is the same on both sides, and is judged on CPU time, which waiting for a core
shared with other work does not inflate.

Scaling (the batch engines) is the exception to pinning: `pipeline run -j1` against `-j2` and
against a Dask cluster of two workers on loopback, over 200 files of 8 to 64 KB, on wall time (the
workers' CPU time is not the runner's children's to count). Targets: 2 cores at least 1.8x one;
per-file time linear in size; peak memory per worker (from the run report) under 10x the largest
file above start-up; Dask outputs byte-identical to the local ones.

make (the README's path) is measured against one run: `make` in a copy of the project, from
nothing, over the sample six times and over the corpus, against `pipeline run raw/ -j1` on the
same dumps, both on one core. Target: make within 2x of the run. `--only make` runs this section
alone.

Pathological inputs (what makes a naive parser or regex backtrack: 100 000 `[` in a row, brackets
nested 100 000 deep, a 20 MB line, a million blank lines, 100 000 lines of `_`, `#`, `>` …) are
each run at n and 10 n, as markdown (`.md`) and as text whose kind is read from it (`.txt`), one
`pipeline run` each; target: 10 n in at most 11x the CPU time of n, above start-up.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "raw" / "000_5f556d4f1fe15307.txt"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
SEED = 20240611
KB, MB = 1000, 1_000_000  # decimal units, as throughput is usually quoted

CORPUS_FILES = 20          # files of about 250 KB ...
CORPUS_FILE_BYTES = 250 * KB
CORPUS_BIG_BYTES = 1 * MB  # ... plus one of about 1 MB
LINEAR_SMALL_BYTES = MB // 2
LINEAR_FACTOR = 10
FTFY_BYTES = 1 * MB

TARGET_VS_PANDOC = 40.0
TARGET_MB_S = 10.0
TARGET_MEMORY_FACTOR = 10.0
TARGET_LINEAR_SLACK = 1.1  # 10x the input in at most 11x the time
TIMEOUT = 150  # seconds for any one measurement; the whole run should stay under ~3 minutes

# --------------------------------------------------------------------------------------------
# Corpus generation
# --------------------------------------------------------------------------------------------

# Synthetic vocabularies: each language's frequent function words (so that the pipeline's
# language detection decides as it would on real prose) and content words, some accented so that
# mojibake has something to damage.
VOCAB = {
    "en": {
        "function": "the of and to in is that for it with as was on be by this are from or have "
                    "an which their its not but at were has had they been would who more",
        "content": "government report council minister policy agreement market growth region "
                   "committee analysis evidence security economy decision treaty spokesman "
                   "observers parliament election reform investment crisis pressure summit "
                   "statement officials negotiations protesters infrastructure currency energy "
                   "pipeline border sanctions diplomats interview archive museum library research "
                   "university students workers farmers citizens century history journalists "
                   "newspaper broadcast village harbour railway bridge festival café résumé naïve",
        "verbs": "said announced confirmed rejected proposed reported argued explained warned "
                 "insisted suggested revealed approved signed claimed denied discussed expected",
        "adjectives": "new recent important national regional international economic political "
                      "public private local foreign difficult unexpected historic serious broad",
        "names": "Margaret Thompson|John Whitaker|Sarah O'Connor|David Mills|Emily Carter|"
                 "Robert Hughes|Anna Fischer|Thomas Reed",
        "by": "By",
    },
    "fr": {
        "function": "le la les des du de et est un une que qui dans pour pas sur au aux ce il elle "
                    "sont par avec plus se ne son sa ses nous vous leur",
        "content": "gouvernement rapport conseil ministre politique accord marché croissance "
                   "région comité analyse preuve sécurité économie décision traité porte-parole "
                   "observateurs parlement élection réforme investissement crise pression sommet "
                   "déclaration fonctionnaires négociations manifestants énergie frontière "
                   "sanctions diplomates entretien archives musée bibliothèque université "
                   "étudiants ouvriers agriculteurs citoyens siècle histoire journalistes "
                   "journal village port chemin pont festival café théâtre église écoles",
        "verbs": "a déclaré a annoncé a confirmé a rejeté a proposé a souligné a expliqué a "
                 "averti a insisté a suggéré a révélé a approuvé a signé a affirmé a nié",
        "adjectives": "nouveau récent important national régional international économique "
                      "politique public privé local étranger difficile inattendu historique",
        "names": "Jean Dupont|Marie Lefèvre|Hélène Moreau|François Girard|Élodie Bernard|"
                 "Pierre Lambert|Cécile Rousseau",
        "by": "Par",
    },
    "de": {
        "function": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
                    "auch es wird wurde sind hat bei nach aus wie",
        "content": "Regierung Bericht Rat Minister Politik Abkommen Markt Wachstum Region "
                   "Ausschuss Analyse Beweis Sicherheit Wirtschaft Entscheidung Vertrag Sprecher "
                   "Beobachter Parlament Wahl Reform Investition Krise Druck Gipfel Erklärung "
                   "Beamte Verhandlungen Demonstranten Energie Grenze Sanktionen Diplomaten "
                   "Gespräch Archiv Museum Bibliothek Universität Studenten Arbeiter Bauern "
                   "Bürger Jahrhundert Geschichte Journalisten Zeitung Dorf Hafen Brücke Straße "
                   "Übersetzung Förderung Größe Müller Bäckerei Schlüssel",
        "verbs": "sagte kündigte bestätigte lehnte schlug berichtete erklärte warnte betonte "
                 "verriet genehmigte unterzeichnete behauptete bestritt erwartete",
        "adjectives": "neue jüngste wichtige nationale regionale internationale wirtschaftliche "
                      "politische öffentliche private örtliche ausländische schwierige große",
        "names": "Klaus Müller|Jürgen Schäfer|Petra Köhler|Stefan Weiß|Ursula Becker|"
                 "Andreas Hoffmann",
        "by": "Von",
    },
    "pt": {
        "function": "o a os as de do da dos das que e em um uma para com não por mais se ao como "
                    "mas foi são seu sua pelo pela",
        "content": "governo relatório conselho ministro política acordo mercado crescimento "
                   "região comitê análise prova segurança economia decisão tratado porta-voz "
                   "observadores parlamento eleição reforma investimento crise pressão cúpula "
                   "declaração funcionários negociações manifestantes energia fronteira sanções "
                   "diplomatas entrevista arquivo museu biblioteca universidade estudantes "
                   "trabalhadores agricultores cidadãos século história jornalistas jornal "
                   "aldeia porto ponte festival coração ação informação",
        "verbs": "disse anunciou confirmou rejeitou propôs relatou explicou alertou insistiu "
                 "sugeriu revelou aprovou assinou afirmou negou discutiu",
        "adjectives": "novo recente importante nacional regional internacional econômico "
                      "político público privado local estrangeiro difícil inesperado histórico",
        "names": "João Silva|Maria Conceição|António Gonçalves|Beatriz Araújo|Luís Magalhães",
        "by": "Por",
    },
    "it": {
        "function": "il lo la gli le di del della che e è un una per con non si da al nel sono "
                    "come ma più anche questo",
        "content": "governo rapporto consiglio ministro politica accordo mercato crescita "
                   "regione comitato analisi prova sicurezza economia decisione trattato "
                   "portavoce osservatori parlamento elezione riforma investimento crisi "
                   "pressione vertice dichiarazione funzionari negoziati manifestanti energia "
                   "confine sanzioni diplomatici intervista archivio museo biblioteca università "
                   "studenti lavoratori agricoltori cittadini secolo storia giornalisti giornale "
                   "villaggio porto ponte festival città libertà perché",
        "verbs": "ha detto ha annunciato ha confermato ha respinto ha proposto ha riferito ha "
                 "spiegato ha avvertito ha insistito ha suggerito ha rivelato ha approvato",
        "adjectives": "nuovo recente importante nazionale regionale internazionale economico "
                      "politico pubblico privato locale straniero difficile inatteso storico",
        "names": "Giuseppe Rossi|Francesca Bianchi|Niccolò Ferrari|Lucia Esposito|Marco Romano",
        "by": "Di",
    },
}
for _vocab in VOCAB.values():
    for _key in ("function", "content", "adjectives"):
        _vocab[_key] = _vocab[_key].split()
    _vocab["verbs"] = re.findall(r"(?:a |ha )?\S+", _vocab["verbs"])
    _vocab["names"] = _vocab["names"].split("|")
LANGS = ["es", "en", "fr", "de", "pt", "it"]
QUOTES = {"es": ("\u201c", "\u201d"), "en": ("\u201c", "\u201d"), "fr": ("« ", " »"),
          "de": ("\u201e", "\u201c"), "pt": ("\u201c", "\u201d"), "it": ("«", "»")}
ENTITIES = ["&amp;", "&quot;", "&eacute;", "&#8217;", "&nbsp;", "&#233;", "&ndash;"]


def _mojibake(word: str) -> str | None:
    """The word as UTF-8 bytes read as Windows-1252 (`Café` → `CafÃ©`), if that is possible."""
    if word.isascii():
        return None
    try:
        return word.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return None


class Sample:
    """Sentences, link texts, headings and names of the sample dump, for Spanish articles."""

    def __init__(self, text: str) -> None:
        prose = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # keep link texts only
        prose = re.sub(r"[*_#]+", "", prose)
        prose = re.sub(r"\s+([,.;:])", r"\1", prose)
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", prose) if p.strip()]
        self.sentences = [s for p in paragraphs if len(p.split()) > 12
                          for s in re.split(r"(?<=[.?!])\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"“])", p)
                          if 5 <= len(s.split()) <= 80]
        self.words = re.findall(r"[^\W\d_]+", prose)
        self.titles = [" ".join(p.split()) for p in paragraphs if 4 <= len(p.split()) <= 16
                       and not p.rstrip().endswith(".")]
        if len(self.sentences) < 20:
            raise SystemExit(f"benchmark: {SAMPLE} gives too few sentences to build a corpus")


class Writer:
    """Generates distinct damaged articles in one language from a seeded random source."""

    def __init__(self, rng: random.Random, lang: str, sample: Sample) -> None:
        self.rng, self.lang, self.sample = rng, lang, sample
        self.vocab = VOCAB.get(lang)

    # ---- clean prose --------------------------------------------------------------------
    def sentence(self) -> str:
        rng = self.rng
        if self.vocab is None:  # Spanish: a sample sentence, its words lightly reshuffled so
            words = rng.choice(self.sample.sentences).split()  # that articles differ
            for _ in range(max(1, len(words) // 12)):
                i = rng.randrange(len(words))
                if words[i].isalpha() and words[i].islower():
                    words[i] = rng.choice(self.sample.words).lower()
            return " ".join(words)
        v = self.vocab
        words = []
        for _ in range(rng.randint(7, 24)):
            kind = rng.random()
            if kind < 0.45:
                words.append(rng.choice(v["function"]))
            elif kind < 0.75:
                words.append(rng.choice(v["content"]))
            elif kind < 0.88:
                words.append(rng.choice(v["adjectives"]))
            else:
                words.append(rng.choice(v["verbs"]))
            if rng.random() < 0.06:
                words[-1] += ","
        words[0] = words[0][:1].upper() + words[0][1:]
        words[-1] = words[-1].rstrip(",") + rng.choice(".....?!")
        return " ".join(words)

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self) -> str:
        rng = self.rng
        if self.vocab is None and rng.random() < 0.5:
            return rng.choice(self.sample.titles)
        words = self.sentence().rstrip(".?!").split()[: rng.randint(5, 12)]
        return " ".join(words).rstrip(",")

    def name(self) -> str:
        if self.vocab is None:
            return self.rng.choice(["Andrew Korybko", "María José García", "Luis de la Fuente",
                                    "Carmen Núñez", "José Ángel Peña"])
        return self.rng.choice(self.vocab["names"])

    def quotation(self) -> str:
        opening, closing = QUOTES[self.lang]
        return f"{opening}{self.paragraph(self.rng.randint(1, 3))}{closing}"

    # ---- damage -------------------------------------------------------------------------
    def links(self, paragraph: str) -> str:
        """Lost-target links, some with the stray spaces converters leave around them."""
        rng = self.rng
        words = paragraph.split(" ")
        i = 0
        out = []
        while i < len(words):
            if rng.random() < 0.012 and i + 1 < len(words):  # the sample: ~1 link per 100 words
                n = rng.randint(1, 4)
                span = words[i:i + n]
                trail = ""
                if span[-1][-1:] in ",.;:?!":
                    trail, span[-1] = span[-1][-1], span[-1][:-1]
                if all(span) and not any(w[-1:] in ",.;:?!" for w in span):
                    link = f"[{' '.join(span)}](#)"
                    if trail and rng.random() < 0.5:
                        link += " " + trail  # `[Asia Times](#) ,`
                    else:
                        link += trail
                    out.append(link)
                    i += n
                    continue
            out.append(words[i])
            i += 1
        return " ".join(out)

    def stray_spaces(self, paragraph: str) -> str:
        if self.lang == "fr":
            return paragraph
        return re.sub(r"(\w)([,;])", lambda m: m.group(1) + (" " if self.rng.random() < 0.1
                                                             else "") + m.group(2), paragraph)

    def encoding_damage(self, paragraph: str, rate: float = 0.07) -> str:
        rng = self.rng
        if rng.random() < rate:
            words = paragraph.split(" ")
            candidates = [i for i, w in enumerate(words) if _mojibake(w)]
            if candidates:
                i = rng.choice(candidates)
                words[i] = _mojibake(words[i])
                paragraph = " ".join(words)
        if rng.random() < rate * 0.7:
            words = paragraph.split(" ")
            words.insert(rng.randrange(1, len(words)), rng.choice(ENTITIES))
            paragraph = " ".join(words)
        return paragraph

    def cut(self, paragraph: str) -> list[str]:
        """A paragraph cut mid-sentence, by a blank line, a lone link, or a `### ` fragment."""
        rng = self.rng
        words = paragraph.split(" ")
        if len(words) < 12:
            return [paragraph]
        at = rng.randrange(4, len(words) - 4)
        while at < len(words) - 4 and (words[at - 1][-1:] in ".?!" or not words[at][:1].islower()):
            at += 1
        before, after = " ".join(words[:at]), " ".join(words[at:])
        kind = rng.random()
        if kind < 0.55:
            return [before, after]
        if kind < 0.75:  # link text cut apart by the break, then the sentence goes on
            a, b = rng.randint(1, 3), rng.randint(1, 2)
            head, tail = words[at:at + a], words[at + a:at + a + b]
            rest = words[at + a + b:]
            if not rest or any(w[-1:] in ",.;:?!\"“”«»" for w in head + tail):
                return [before, after]
            return [before + f" [{' '.join(head)}](#)", f"[{' '.join(tail)}](#)", " ".join(rest)]
        if kind < 0.9:  # a fragment wrongly promoted to a heading
            n = rng.randint(2, 6)
            frag, rest = words[at:at + n], words[at + n:]
            if not rest or not rest[0][:1].islower():
                return [before, after]
            return [before, "### " + " ".join(frag), " ".join(rest)]
        return [before, f"[{' '.join(words[at:at + 3])}](#)", " ".join(words[at + 3:])]

    # ---- an article ---------------------------------------------------------------------
    def article(self, damage: bool = True, encoding: bool = True) -> str:
        rng = self.rng
        blocks: list[str] = []
        if rng.random() < 0.6:
            name = self.name()
            byline = f"{self.vocab['by']} {name}" if self.vocab and rng.random() < 0.3 else name
            blocks.append(f"**{byline}**")
        kind = rng.random()
        title = self.title()
        blocks.append(f"**{title}**" if kind < 0.4 or not damage else
                      f"## {title}" if kind < 0.7 else f"### {title}")
        for _ in range(rng.randint(6, 16)):
            roll = rng.random()
            if roll < 0.06:  # a real sub-heading, bold only or marked up
                sub = self.title()
                blocks.append(f"**{sub}**" if rng.random() < 0.5 else f"### {sub}")
                continue
            if roll < 0.13:  # quoted speech in italics after a colon, or opening with a quote
                lead = self.paragraph(rng.randint(1, 3)).rstrip(".?!") + ":"
                blocks.append(lead)
                for k in range(rng.randint(1, 3)):
                    if k:
                        blocks.append(rng.choice(["…", "(...)", "[…]"]) if rng.random() < 0.3
                                      else "")
                    star = rng.choice("*_")
                    blocks.append(f"{star}{self.quotation()}{star}")
                blocks = [b for b in blocks if b]
                continue
            paragraph = self.paragraph(rng.randint(2, 7))
            if damage:
                paragraph = self.stray_spaces(self.links(paragraph))
            if encoding:
                paragraph = self.encoding_damage(paragraph)
            if damage and rng.random() < 0.2:
                blocks.extend(self.cut(paragraph))
            else:
                blocks.append(paragraph)
        gap = "\n\n\n" if damage and rng.random() < 0.3 else "\n\n"
        return gap.join(blocks) + "\n\n"


def dump(seed: str, lang: str, size: int, sample: Sample, damage: bool = True,
         encoding: bool = True) -> str:
    """Distinct articles in one language until the text is at least `size` UTF-8 bytes."""
    writer = Writer(random.Random(seed), lang, sample)
    parts, total = ["\n\n"], 2  # converters often leave blank lines at the top
    while total < size:
        article = writer.article(damage, encoding)
        parts.append(article)
        total += len(article.encode("utf-8"))
    return "".join(parts)


def damage_encoding(text: str, seed: str, every: int) -> str:
    """The same text with mojibake or an entity in one paragraph out of `every`."""
    rng = random.Random(seed)
    paragraphs = text.split("\n\n")
    for i in range(0, len(paragraphs), every):
        words = paragraphs[i].split(" ")
        candidates = [k for k, w in enumerate(words) if _mojibake(w)]
        if candidates:
            k = rng.choice(candidates)
            words[k] = _mojibake(words[k])
        elif len(words) > 3:
            words.insert(rng.randrange(1, len(words)), rng.choice(ENTITIES))
        paragraphs[i] = " ".join(words)
    return "\n\n".join(paragraphs)


def build_corpus(root: Path) -> dict:
    sample = Sample(SAMPLE.read_text(encoding="utf-8"))
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(CORPUS_FILES):
        lang = LANGS[i % len(LANGS)]
        (corpus / f"dump_{i:02d}_{lang}.md").write_text(
            dump(f"{SEED}-corpus-{i}", lang, CORPUS_FILE_BYTES, sample), encoding="utf-8")
    (corpus / "dump_big_es.md").write_text(
        dump(f"{SEED}-corpus-big", "es", CORPUS_BIG_BYTES, sample), encoding="utf-8")
    # The sample itself, as it is: the damage of a real dump.
    shutil.copyfile(SAMPLE, corpus / SAMPLE.name)

    # Linearity: ten distinct files of size S, and their concatenation (10 S). Comparing the
    # concatenation with the same ten parts run one by one (in one process) takes the content out
    # of the comparison: damage such as mojibake is rare, and a lone S file may hold more or less
    # of it per byte than 10 S does, which would show as a spurious (non-)linearity.
    parts_dir, large_dir = root / "linear-parts", root / "linear-large"
    parts_dir.mkdir()
    large_dir.mkdir()
    parts = []
    for j in range(LINEAR_FACTOR):
        part = parts_dir / f"linear_part_{j}.md"
        part.write_text(dump(f"{SEED}-linear-{j}", "es", LINEAR_SMALL_BYTES, sample),
                        encoding="utf-8")
        parts.append(part)
    large = large_dir / "linear_large.md"
    large.write_bytes(b"".join(part.read_bytes() for part in parts))
    linear = {"small": parts[0], "parts": parts_dir, "large": large}

    ftfy = {}
    clean = dump(f"{SEED}-ftfy", "fr", FTFY_BYTES, sample, damage=True, encoding=False)
    for name, text in (("clean", clean),
                       ("light", damage_encoding(clean, f"{SEED}-ftfy-light", 20)),
                       ("heavy", damage_encoding(clean, f"{SEED}-ftfy-heavy", 1))):
        folder = root / f"ftfy-{name}"
        folder.mkdir()
        path = folder / f"ftfy_{name}.md"
        path.write_text(text, encoding="utf-8")
        ftfy[name] = path

    tiny = root / "tiny"
    tiny.mkdir()
    (tiny / "tiny.md").write_text("**A Title**\n\nOne short paragraph, in English, that is the "
                                  "whole of the text of this dump.\n", encoding="utf-8")
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.md")) + sorted(root.rglob("*.txt")):
        digest.update(path.read_bytes())
    return {"corpus": corpus, "linear": linear, "ftfy": ftfy, "tiny": tiny / "tiny.md",
            "sha256": digest.hexdigest()}


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------

# Runs in a fresh interpreter: pins itself (and so its children) to one CPU, runs the commands
# one after the other, and reports wall time, children's CPU time and the largest child's max RSS.
WRAPPER = r"""
import json, os, resource, subprocess, sys, time
spec = json.loads(sys.argv[1])
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
failures = []
start = time.perf_counter()
for argv in spec["commands"]:
    done = subprocess.run(argv, cwd=spec["cwd"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode:
        failures.append({"argv": argv, "status": done.returncode,
                         "stderr": done.stderr.decode("utf-8", "replace")[-2000:]})
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss": usage.ru_maxrss * 1024, "failures": failures}))
"""


MEASURED: list[tuple[str, dict]] = []  # every measurement, to tell whether the machine was busy


class Broken(Exception):
    """The run itself broke: the benchmark has no figures to give."""


def measure(commands: list[list[str]], what: str) -> dict:
    spec = json.dumps({"commands": commands, "cwd": str(ROOT)})
    # Its own session, so that a timeout or ^C ends the measured command too, not only the wrapper.
    wrapper = subprocess.Popen([sys.executable, "-c", WRAPPER, spec], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = wrapper.communicate(timeout=TIMEOUT)
    except BaseException as error:
        try:
            os.killpg(wrapper.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wrapper.communicate()
        if isinstance(error, subprocess.TimeoutExpired):
            raise Broken(f"{what}: took more than {TIMEOUT} s") from None
        raise
    if wrapper.returncode:
        raise Broken(f"{what}: the measuring wrapper failed:\n{stderr}")
    result = json.loads(stdout)
    if result["failures"]:
        failure = result["failures"][0]
        raise Broken(f"{what}: {' '.join(failure['argv'])} exited with {failure['status']}:\n"
                     f"{failure['stderr']}")
    MEASURED.append((what, result))
    return result


def best_of(commands, what: str, repeats: int) -> dict:
    """The fastest of `repeats` runs (the least disturbed), with the largest peak memory seen."""
    runs = [measure(commands, what) for _ in range(repeats)]
    best = min(runs, key=lambda r: r["wall"])
    return {**best, "maxrss": max(r["maxrss"] for r in runs), "runs": len(runs)}


def pipeline_cmd(inputs: Path, out: Path, stage: str | None = None) -> list[str]:
    # One process (the one-core figures), and every dump cleaned on every repeat: a run that
    # resumed would skip the dumps the previous repeat wrote and measure nothing.
    return [PYTHON, "-m", "pipeline", "run", str(inputs), "--out", str(out), "-j1", "--force",
            *(["--stage", stage] if stage else [])]


def inline(script: str, *args: str) -> dict:
    """Run `script` in the project's Python pinned to one CPU; it prints a JSON object."""
    try:
        done = subprocess.run([PYTHON, "-c", script, *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Broken(f"in-process timing took more than {TIMEOUT} s") from None
    if done.returncode:
        raise Broken(f"in-process timing failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pandoc_cmds(files: list[Path], out: Path) -> list[list[str]]:
    return [["pandoc", "-f", "markdown", "-t", "tei", "-s", str(f), "-o",
             str(out / (f.stem + ".xml"))] for f in files]


def size_of(paths) -> int:
    return sum(p.stat().st_size for p in paths)


def mb(n: float) -> str:
    return f"{n / MB:.2f} MB"


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# --------------------------------------------------------------------------------------------
# Scaling: a corpus of many files, on one core and on two, and on a Dask cluster
# --------------------------------------------------------------------------------------------

# Many small dumps of four sizes, each twice the one before, so that the per-file times also say
# whether time grows with size alone (per-file costs would show as small files being slower).
SCALING_FILES = 200
SCALING_SIZES = (8 * KB, 16 * KB, 32 * KB, 64 * KB)
TARGET_TWO_CORES = 1.8  # -j2 at least 1.8x as fast as -j1


def build_many(folder: Path) -> Path:
    sample = Sample(SAMPLE.read_text(encoding="utf-8"))
    folder.mkdir()
    for i in range(SCALING_FILES):
        lang, size = LANGS[i % len(LANGS)], SCALING_SIZES[i % len(SCALING_SIZES)]
        (folder / f"many_{i:03d}_{lang}.md").write_text(
            dump(f"{SEED}-many-{i}", lang, size, sample), encoding="utf-8")
    return folder


def timed_run(inputs: Path, out: Path, *options: str) -> dict:
    """Wall time of one `pipeline run`, not pinned (its parallelism is what is measured), with
    its run report (per-file seconds, the peak memory of each worker)."""
    report = out.with_suffix(".report.json")
    command = [*pipeline_cmd(inputs, out), "--force", "--report", str(report), *options]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Broken(f"{' '.join(command)}: took more than {TIMEOUT} s") from None
    wall = time.perf_counter() - start
    if done.returncode:
        raise Broken(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return {"wall": wall, "report": json.loads(report.read_text(encoding="utf-8"))}


def scaling(workdir: Path, repeats: int, startup_rss: int) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if cores < 2:
        print("\nScaling: skipped, this process may use only one core")
        return
    print("running the scaling runs (many files: -j1, -j2, a Dask cluster of 2 workers) …",
          flush=True)
    many = build_many(workdir / "many")
    files = list(many.iterdir())
    corpus_bytes, largest = size_of(files), max(p.stat().st_size for p in files)
    out = workdir / "out-many"

    def best(tag: str, *options: str) -> dict:
        return min((timed_run(many, out / tag, *options) for _ in range(repeats)),
                   key=lambda r: r["wall"])

    one, two = best("j1", "-j1"), best("j2", "-j2")
    from dask.distributed import LocalCluster  # in the benchmark's own process: loopback only
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        on_dask = best("dask", "--engine", "dask", "--scheduler", cluster.scheduler_address)

    def tree(folder: Path) -> dict:
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    identical = tree(out / "j2") == tree(out / "dask")

    # Per file, from the one-core run: seconds per MB in each size class.
    per_mb = {}
    for size in SCALING_SIZES:
        docs = [d for d in one["report"]["documents"]
                if SCALING_SIZES[int(Path(d["file"]).stem.split("_")[1]) % len(SCALING_SIZES)]
                == size]
        per_mb[size] = sum(d["seconds"] for d in docs) / (sum(d["bytes"] for d in docs) / MB)
    small, big = SCALING_SIZES[0], SCALING_SIZES[-1]
    growth = per_mb[big] * big / (per_mb[small] * small)
    factor = big / small

    speedup = one["wall"] / two["wall"]
    print(f"\nScaling ({SCALING_FILES} files, {mb(corpus_bytes)}, largest {largest / KB:.0f} KB; "
          f"wall time, not pinned, best of {repeats}):")
    for name, result in (("pipeline run -j1", one), ("pipeline run -j2", two),
                         ("pipeline run --engine dask (2 workers)", on_dask)):
        print(f"  {name:<40} {result['wall']:6.2f} s {corpus_bytes / result['wall'] / MB:6.2f} "
              f"MB/s   peak per worker {result['report']['peak_memory_per_worker'] / MB:6.1f} MB")
    print(f"  {mark(speedup >= TARGET_TWO_CORES)}  2 cores ≥ {TARGET_TWO_CORES}x one core: "
          f"{speedup:.2f}x")
    print(f"  {mark(growth <= TARGET_LINEAR_SLACK * factor)}  per-file time linear in size: a "
          f"{big // KB} KB file takes {growth:.1f}x a {small // KB} KB one (≤ "
          f"{TARGET_LINEAR_SLACK * factor:.1f}x; seconds per MB by size: "
          + ", ".join(f"{s // KB} KB {per_mb[s]:.2f}" for s in SCALING_SIZES) + ")")
    added = two["report"]["peak_memory_per_worker"] - startup_rss
    print(f"  {mark(added < TARGET_MEMORY_FACTOR * largest)}  peak memory per worker bounded: "
          f"-j2 workers {added / MB:+.1f} MB above start-up vs {TARGET_MEMORY_FACTOR:.0f}x the "
          f"largest file {TARGET_MEMORY_FACTOR * largest / MB:.1f} MB")
    print(f"  {mark(identical)}  Dask outputs byte-identical to the local ones; Dask "
          f"{on_dask['wall'] / two['wall']:.2f}x the time of -j2 (client start-up and scheduling "
          "included)")


# --------------------------------------------------------------------------------------------
# make: the README's path against one run
# --------------------------------------------------------------------------------------------

TARGET_MAKE = 2.0  # `make` from nothing in at most twice the time of `pipeline run raw/ -j1`
MAKE_COPIES = 6    # the sample six times over: small dumps, where a process per dump would show


def project_copy(folder: Path, dumps: list[Path]) -> Path:
    """The Makefile and the code in `folder`, the project's .venv linked (never rebuilt), the
    dumps in its raw/."""
    folder.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, folder / name)  # its time kept: .venv stays up to date
    shutil.copytree(ROOT / "pipeline", folder / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".venv").symlink_to(ROOT / ".venv")
    (folder / "raw").mkdir()
    for dump_file in dumps:
        shutil.copyfile(dump_file, folder / "raw" / dump_file.name)
    stale = subprocess.run(["make", "-q", "-C", str(folder), ".venv/.installed"],
                           capture_output=True).returncode
    if stale:
        raise Broken("make would rebuild .venv (older than pyproject.toml): run `make` first")
    return folder


def make_against_run(workdir: Path, corpus: Path, repeats: int) -> None:
    """`make` in a copy of the project, from nothing (no clean/, no build/), against `pipeline
    run raw/ -j1 --force` over the same dumps, both on one core; and `make` with nothing to do."""
    print("running make against one pipeline run (the sample six times; the corpus) …",
          flush=True)
    sample_copies = workdir / "make-samples"
    sample_copies.mkdir()
    for i in range(MAKE_COPIES):
        shutil.copyfile(SAMPLE, sample_copies / f"sample_{i}.txt")
    rows, within = [], True
    for name, dumps in ((f"the sample x{MAKE_COPIES}", sorted(sample_copies.iterdir())),
                        ("the corpus", sorted(corpus.iterdir()))):
        project = project_copy(workdir / f"make-{name.split()[1]}", dumps)
        fresh = [["rm", "-rf", str(project / "clean"), str(project / "build")],
                 ["make", "--no-print-directory", "-C", str(project)]]
        made = best_of(fresh, f"make ({name})", repeats)
        idle = best_of([fresh[1]], f"make with nothing to do ({name})", repeats)
        run_once = best_of([pipeline_cmd(project / "raw", workdir / f"run-{name.split()[1]}")],
                           f"pipeline run ({name})", repeats)
        # On CPU time, which waiting for a core shared with other work does not inflate (a
        # process per dump would show: its start-up is CPU time).
        ratio = made["cpu"] / run_once["cpu"]
        within &= ratio <= TARGET_MAKE
        size = size_of(dumps)
        rows.append(f"  {mark(ratio <= TARGET_MAKE)}  {name} ({len(dumps)} files, {mb(size)}): "
                    f"make cpu {made['cpu']:.2f} s (wall {made['wall']:.2f} s), pipeline run -j1 "
                    f"cpu {run_once['cpu']:.2f} s (wall {run_once['wall']:.2f} s): {ratio:.2f}x "
                    f"(wall {made['wall'] / run_once['wall']:.2f}x); make with nothing to do "
                    f"{idle['wall']:.2f} s")
    print(f"\nmake (from nothing: every stage's text and change log, the repair as data and the "
          f"TEI) against "
          f"`pipeline run raw/ -j1` (the TEI), one core, best of {repeats}; PASS: at most "
          f"{TARGET_MAKE:.0f}x the CPU time:")
    print("\n".join(rows))
    print(f"  {mark(within)}  make within {TARGET_MAKE:.0f}x of one run")


# --------------------------------------------------------------------------------------------
# Pathological inputs
# --------------------------------------------------------------------------------------------

# (what, the text of n units, n): each is run at n and 10 n units. tests/test_hostile.py runs the
# same list at small sizes in the suite.
PATHOLOGICAL = [
    ("`[` in a row", lambda n: "[" * n, 10_000),
    ("`*` in a row", lambda n: "*" * n, 10_000),
    ("`](` in a row", lambda n: "](" * n, 10_000),
    ("nested `[[…]]`", lambda n: "[" * n + "x" + "]" * n, 10_000),
    ("nested `((…))`", lambda n: "(" * n + "x" + ")" * n, 10_000),
    ("one line of words", lambda n: "word " * n, 400_000),
    ("a line of `- `", lambda n: "- " * n, 100_000),
    ("blank lines", lambda n: "a" + "\n" * n + "b\n", 100_000),
    ("`_` lines", lambda n: "_\n" * n, 10_000),
    ("`` ` `` lines", lambda n: "`\n" * n, 10_000),
    ("`<` lines", lambda n: "<\n" * n, 10_000),
    ("`#` lines", lambda n: "#\n" * n, 10_000),
    ("`>` lines", lambda n: ">\n" * n, 10_000),
    ("one-word lines", lambda n: "Word.\n" * n, 10_000),
    ("`&amp;` among words", lambda n: "w &amp; " * n, 10_000),
    ("a word of soft hyphens", lambda n: "a\u00ad" * n, 10_000),
    ("words cut by breaks", lambda n: "wo-\n\nrd " * n, 10_000),
    ("a column gap alone", lambda n: "Intro.\n\nX" + " " * n + "Y\n\nA line follows.\n", 10_000),
    ("capitals before mojibake", lambda n: "A" * n + "Ã» cafÃ©\n", 10_000),
]
PATHOLOGICAL_FACTOR = 10
PATHOLOGICAL_NOISE = 0.1  # seconds


def pathological(workdir: Path, startup: dict) -> None:
    print("running the pathological inputs (n and 10 n of each, .md and .txt) …", flush=True)
    folder = workdir / "pathological"
    folder.mkdir()
    rows, linear = [], True
    for k, (what, text, n) in enumerate(PATHOLOGICAL):
        for suffix in (".md", ".txt"):
            runs = []
            for units in (n, PATHOLOGICAL_FACTOR * n):
                path = folder / f"{k:02d}-{units}{suffix}"
                path.write_text(text(units), encoding="utf-8")
                result = measure([pipeline_cmd(path, workdir / "out-pathological")],
                                 f"{what} ({units}{suffix})")
                runs.append((path.stat().st_size, max(1e-3, result["cpu"] - startup["cpu"]),
                             result["maxrss"]))
            (small, small_s, _), (large, large_s, peak) = runs
            # Start-up varies by a few hundredths of a second: what is that small says nothing.
            ok = large_s <= TARGET_LINEAR_SLACK * PATHOLOGICAL_FACTOR * small_s + PATHOLOGICAL_NOISE
            linear &= ok
            rows.append(f"  {mark(ok)}  {what:<22} {suffix:<4} {small / MB:7.3f} MB "
                        f"{small_s:6.2f} s  {large / MB:7.3f} MB {large_s:6.2f} s  "
                        f"{large_s / small_s:5.1f}x  peak {peak / MB:6.1f} MB")
    print(f"\nPathological inputs (CPU seconds above start-up; n, then {PATHOLOGICAL_FACTOR} n; "
          f"PASS: at most {TARGET_LINEAR_SLACK * PATHOLOGICAL_FACTOR:.0f}x, "
          f"+{PATHOLOGICAL_NOISE} s):")
    print("\n".join(rows))
    print(f"  {mark(linear)}  every pathological input in linear time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the corpus in this (new) folder and "
                        "leave it there, e.g. for profiling")
    parser.add_argument("--repeats", type=int, default=2,
                        help="runs of each short measurement; the fastest counts (default 2)")
    parser.add_argument("--only", choices=("make",),
                        help="run only this section (make: `make` against one run)")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        print("benchmark: pandoc is not installed (`apt-get install pandoc`, or `make bench`)",
              file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
        workdir, cleanup = args.keep, None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="pipeline-bench-")
        workdir = Path(cleanup.name)
    try:
        return run(workdir, max(1, args.repeats), args.only)
    except Broken as error:
        print(f"\nbenchmark: the run broke: {error}", file=sys.stderr)
        return 1
    finally:
        if cleanup:
            cleanup.cleanup()
        else:
            print(f"corpus and outputs kept in {workdir}")


def run(workdir: Path, repeats: int, only: str | None = None) -> int:
    began = time.perf_counter()
    pandoc_version = subprocess.run(["pandoc", "--version"], capture_output=True,
                                    text=True).stdout.splitlines()[0]
    print(f"pipeline benchmark — python {sys.version.split()[0]} ({PYTHON}), {pandoc_version}, "
          f"{os.cpu_count()} CPUs (each measurement pinned to one)")
    t = time.perf_counter()
    built = build_corpus(workdir)
    files = sorted(built["corpus"].iterdir())
    corpus_bytes = size_of(files)
    largest = max(files, key=lambda p: p.stat().st_size)
    print(f"corpus: {len(files)} files, {mb(corpus_bytes)} (largest {largest.name}, "
          f"{mb(largest.stat().st_size)}), built in {time.perf_counter() - t:.1f} s, "
          f"sha256 {built['sha256'][:16]}")
    if only == "make":
        make_against_run(workdir, built["corpus"], repeats)
        print(f"\nbenchmark took {time.perf_counter() - began:.0f} s")
        return 0
    out = workdir / "out"

    def ours(inputs: Path, tag: str, n: int = repeats, stage: str | None = None) -> dict:
        target = out / tag
        result = best_of([pipeline_cmd(inputs, target, stage)], f"pipeline run {inputs}", n)
        expected = len(list(inputs.iterdir())) if inputs.is_dir() else 1
        written = len(list(target.glob("*.changes.jsonl" if stage else "*.tei.xml")))
        if written != expected:
            raise Broken(f"pipeline run {inputs}: wrote {written} outputs for {expected} inputs")
        return result

    # Start-up: interpreter, imports and a one-paragraph dump.
    startup = best_of([pipeline_cmd(built["tiny"], out / "tiny")], "pipeline start-up",
                      max(3, repeats))
    print(f"start-up (one-paragraph dump): {startup['wall']:.3f} s, peak {mb(startup['maxrss'])}")

    # The corpus: ours in one process, pandoc one process per file.
    print("running pipeline on the corpus …", flush=True)
    corpus_ours = ours(built["corpus"], "corpus")
    (out / "pandoc").mkdir(parents=True)
    print("running pandoc on the corpus (one process per file) …", flush=True)
    corpus_pandoc = measure(pandoc_cmds(files, out / "pandoc"), "pandoc on the corpus")
    pandoc_startup = best_of(pandoc_cmds([built["tiny"]], out / "pandoc"), "pandoc start-up",
                             max(3, repeats))

    # Linearity: S and 10 S, distinct articles.
    print("running the linearity runs (S, ten S files, 10 S in one file) …", flush=True)
    small, large = built["linear"]["small"], built["linear"]["large"]
    lin_small = ours(small, "linear-small")
    lin_parts = ours(built["linear"]["parts"], "linear-parts", 1)
    lin_large = ours(large.parent, "linear-large", 1)

    # The ftfy path: the same text clean, lightly and heavily damaged.
    print("running the encoding-damage variants …", flush=True)
    enc = {name: ours(path.parent, f"ftfy-{name}", 1) for name, path in built["ftfy"].items()}
    enc_stage = {name: ours(path.parent, f"ftfy-stage-{name}", stage="encoding")
                 for name, path in built["ftfy"].items()}
    whole = inline(FTFY_WHOLE, *(str(built["ftfy"][name]) for name in ("clean", "heavy")))

    # ---- figures ------------------------------------------------------------------------
    base_wall, base_rss = startup["wall"], startup["maxrss"]
    ours_rate = corpus_bytes / corpus_ours["wall"]
    ours_net_rate = corpus_bytes / max(1e-9, corpus_ours["wall"] - base_wall)
    pandoc_rate = corpus_bytes / corpus_pandoc["wall"]
    ratio = ours_rate / pandoc_rate
    s_bytes, l_bytes = small.stat().st_size, large.stat().st_size
    p_bytes = size_of(built["linear"]["parts"].iterdir())
    # 10 S in one file against the mean of its ten S parts (net of start-up): judged on CPU time,
    # as the child is single-threaded and pinned, so that its CPU time is its wall time on an idle
    # machine, but unlike wall time it does not count waiting for a core shared with other work.
    def net(result, key):
        return max(1e-9, result[key] - startup[key])
    cpu_ratio = net(lin_large, "cpu") / (net(lin_parts, "cpu") / LINEAR_FACTOR)
    wall_ratio = net(lin_large, "wall") / (net(lin_parts, "wall") / LINEAR_FACTOR)
    one_ratio = net(lin_large, "cpu") / net(lin_small, "cpu")
    linear_ok = cpu_ratio <= TARGET_LINEAR_SLACK * LINEAR_FACTOR

    rows = []

    def row(name, size, result, extra=""):
        rate = size / result["wall"]
        rows.append(f"  {name:<34} {mb(size):>8} {result['wall']:8.2f} s {rate / MB:8.2f} MB/s"
                    f"   cpu {result['cpu']:6.2f} s   peak {result['maxrss'] / MB:7.1f} MB"
                    f"{'   ' + extra if extra else ''}")

    row("pipeline, corpus", corpus_bytes, corpus_ours)
    row("pandoc, corpus (per file)", corpus_bytes, corpus_pandoc)
    row("pipeline, start-up only", built["tiny"].stat().st_size, startup)
    row("pandoc, start-up only", built["tiny"].stat().st_size, pandoc_startup,
        f"(x {len(files)} files = {pandoc_startup['wall'] * len(files):.2f} s of the corpus run)")
    row(f"pipeline, S ({small.name})", s_bytes, lin_small)
    row(f"pipeline, {LINEAR_FACTOR} S files (one run)", p_bytes, lin_parts)
    row(f"pipeline, {LINEAR_FACTOR}S in one file", l_bytes, lin_large)
    for name, result in enc.items():
        row(f"pipeline, encoding {name}", built["ftfy"][name].stat().st_size, result)

    # Memory: the largest peak of any pipeline run, against the largest input of that run.
    memory_runs = [("corpus", corpus_ours, largest.stat().st_size),
                   (small.name, lin_small, s_bytes), (large.name, lin_large, l_bytes)]
    memory_runs.append((f"{LINEAR_FACTOR} S files", lin_parts,
                        max(p.stat().st_size for p in built["linear"]["parts"].iterdir())))
    memory_lines = []
    for name, result, biggest in memory_runs:
        added = result["maxrss"] - base_rss
        ok = added < TARGET_MEMORY_FACTOR * biggest
        strict = result["maxrss"] < TARGET_MEMORY_FACTOR * biggest
        memory_lines.append(
            f"  {mark(ok)}  peak memory above start-up < {TARGET_MEMORY_FACTOR:.0f}x largest "
            f"input ({name}): {added / MB:.1f} MB vs {TARGET_MEMORY_FACTOR * biggest / MB:.1f} MB"
            f" = {added / biggest:.1f}x  [absolute peak {result['maxrss'] / MB:.1f} MB = "
            f"{result['maxrss'] / biggest:.1f}x: {mark(strict)}]")

    print("\nFigures (wall time includes interpreter start-up; 1 MB = 10^6 bytes):")
    print("\n".join(rows))
    print("\nTargets:")
    print(f"  {mark(ratio >= TARGET_VS_PANDOC)}  throughput vs pandoc ≥ {TARGET_VS_PANDOC:.0f}x: "
          f"{ratio:.1f}x ({ours_rate / MB:.2f} vs {pandoc_rate / MB:.2f} MB/s)")
    print(f"  {mark(ours_rate >= TARGET_MB_S * MB)}  throughput on one core ≥ {TARGET_MB_S:.0f} "
          f"MB/s: {ours_rate / MB:.2f} MB/s  [{ours_net_rate / MB:.2f} MB/s without start-up, "
          f"{corpus_bytes / corpus_ours['cpu'] / MB:.2f} MB/s of CPU time]")
    print("\n".join(memory_lines))
    print(f"  {mark(linear_ok)}  linear time, {LINEAR_FACTOR}x the input in ≤ "
          f"{TARGET_LINEAR_SLACK * LINEAR_FACTOR:.0f}x the time: 10 S in one file takes "
          f"{cpu_ratio:.1f}x the mean of its S parts (CPU time without start-up; wall "
          f"{wall_ratio:.1f}x)  [{one_ratio:.1f}x the one S file {small.name}, whose damage per "
          f"byte differs]")
    print("\nEncoding damage and the ftfy path (CPU seconds; the same ~1 MB French text: clean; "
          "mojibake or an entity in 1 paragraph of 20; in every paragraph):")
    for name in enc:
        full, stage = enc[name]["cpu"], enc_stage[name]["cpu"]
        print(f"  {name:<6} full run {full:6.2f} s ({full - enc['clean']['cpu']:+6.2f} s vs clean)"
              f"   `--stage encoding` {stage:6.2f} s ({stage - startup['cpu']:5.2f} s above "
              f"start-up, {stage - enc_stage['clean']['cpu']:+6.2f} s vs clean)")
    scan = max(0.0, enc_stage["clean"]["cpu"] - startup["cpu"])
    print(f"  {mark(scan < whole['clean'])}  on clean text the scan costs less than ftfy over all "
          f"of it: {scan:.2f} s (`--stage encoding` above start-up, with decoding and writing) vs "
          f"ftfy.fix_text over the whole text {whole['clean']:.2f} s (in process; "
          f"{whole['heavy']:.2f} s on the damaged one)")
    scaling(workdir, repeats, startup["maxrss"])
    make_against_run(workdir, built["corpus"], repeats)
    pathological(workdir, startup)
    waited = [what for what, r in MEASURED if r["wall"] > 1.15 * r["cpu"] + 0.05]
    if waited:
        print(f"\nnote: the machine was busy (wall time well above CPU time) during "
              f"{len(waited)} of {len(MEASURED)} measurements, e.g. {waited[0]}; "
              "the figures are noisy, compare CPU times or run again")
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s")
    return 0


FTFY_WHOLE = r"""
import json, os, sys, time, ftfy
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
try:  # the stage's own configuration, if it is still there
    from pipeline.stages.encoding import _FTFY as config
except Exception:
    config = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False,
                                  fix_line_breaks=False, normalization=None)
times = {}
for name, path in zip(("clean", "heavy"), sys.argv[1:]):
    text = open(path, encoding="utf-8").read()
    start = time.perf_counter()
    ftfy.fix_text(text, config)
    times[name] = time.perf_counter() - start
print(json.dumps(times))
"""


if __name__ == "__main__":
    sys.exit(main())
