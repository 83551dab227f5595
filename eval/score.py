"""Score our pipeline against the unrepaired conversion on the development corpus.

Every dump that `make corpus` wrote into build/corpus/ (eval/corpus.py) is converted twice: by
`pipeline run` (our TEI) and by pandoc without any repair (the baseline). Both are read into blocks
(eval/blocks.py) and compared with the document's gold blocks (build/corpus/gold/<id>.json):

    paragraph precision/recall/F1, exact and at similarity >= 0.9 (one-to-one matching)
    heading precision/recall/F1 at similarity >= 0.9
    CER, the character error rate of the whole reading text (Levenshtein distance / truth length)

Counts and distances are summed over documents (micro averages), per genre × converter and per
converter. Leave one genre out: a genre's dumps are repaired with the decision models fit without
that genre, build/models/logo-<genre>/ (`make train`), named to the pipeline by PIPELINE_MODELS;
where that folder does not exist, with the models the pipeline ships, and the report says which.
A dump a converter fails on is reported, and scored as an empty output. The tables go to stdout
and to build/eval/report.md, every figure to build/eval/report.json. It reports; it exits 0
unless the corpus is missing.

    .venv/bin/python -m eval.score [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from eval.blocks import (HEADING, OTHER, PARAGRAPH, Block, html_file_blocks, normalize,
                         reading_text, tei_file_blocks)
from eval.convert import ConversionError, run_pandoc, run_pipeline
from eval.metrics import FUZZY, Counts, edit_distance, match

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "eval"
CORPUS = ROOT / "build" / "corpus"
MODELS = ROOT / "build" / "models"
SYSTEMS = ("pandoc", "pipeline")
GOLD_KIND = {"head": HEADING, "p": PARAGRAPH, "item": PARAGRAPH, "quote": PARAGRAPH}
GENRE_ORDER = ("manuals", "novels", "letters", "papers", "newspapers", "prints")
CONVERTER_ORDER = ("pdftotext", "pdftotext-layout", "tesseract", "pymupdf4llm", "html2md",
                   "page-lines")


@dataclass
class Score:
    """One system's figures on one or more dumps; `+` sums them."""

    paragraphs: Counts = field(default_factory=Counts)
    paragraphs_fuzzy: Counts = field(default_factory=Counts)
    headings: Counts = field(default_factory=Counts)
    distance: int = 0
    truth_chars: int = 0
    dumps: int = 0
    failed: int = 0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.paragraphs + other.paragraphs,
                     self.paragraphs_fuzzy + other.paragraphs_fuzzy,
                     self.headings + other.headings, self.distance + other.distance,
                     self.truth_chars + other.truth_chars, self.dumps + other.dumps,
                     self.failed + other.failed)

    @property
    def cer(self) -> float:
        return self.distance / self.truth_chars if self.truth_chars else 0.0

    def as_dict(self) -> dict:
        def prf(counts: Counts) -> dict:
            return {"precision": round(counts.precision, 4), "recall": round(counts.recall, 4),
                    "f1": round(counts.f1, 4), "matched": counts.matched,
                    "predicted": counts.predicted, "expected": counts.expected}

        return {"paragraphs_exact": prf(self.paragraphs),
                "paragraphs_fuzzy": prf(self.paragraphs_fuzzy),
                "headings": prf(self.headings), "cer": round(self.cer, 4),
                "dumps": self.dumps, "failed": self.failed}


def score(truth: list[Block], predicted: list[Block]) -> Score:
    def texts(blocks: list[Block], kind: str) -> list[str]:
        return [block.text for block in blocks if block.kind == kind]

    truth_text = reading_text(truth)
    return Score(
        paragraphs=match(texts(truth, PARAGRAPH), texts(predicted, PARAGRAPH)),
        paragraphs_fuzzy=match(texts(truth, PARAGRAPH), texts(predicted, PARAGRAPH), FUZZY),
        headings=match(texts(truth, HEADING), texts(predicted, HEADING), FUZZY),
        distance=edit_distance(truth_text, reading_text(predicted)),
        truth_chars=len(truth_text), dumps=1)


def failed(truth: list[Block]) -> Score:
    """A dump the converter failed on: nothing predicted, every character to type again."""
    return score(truth, []) + Score(failed=1)


def gold_blocks(path: Path) -> list[Block]:
    """A corpus document's gold (build/corpus/gold/<id>.json) as the scorer's blocks: heads are
    headings; paragraphs, list items and quotations are paragraphs; the rest (notes, verse, code,
    tables) counts only towards the reading text."""
    blocks = json.loads(path.read_text(encoding="utf-8"))["blocks"]
    return [Block(GOLD_KIND.get(block["kind"], OTHER), normalize(block["text"]))
            for block in blocks]


def models_for(genre: str, models: Path) -> Path | None:
    """The decision models fit without `genre` (leave one genre out), if `make train` wrote them."""
    fold = models / f"logo-{genre}"
    return fold if fold.is_dir() else None


def convert_and_read(system: str, dump: Path, out_dir: Path,
                     model_dir: Path | None = None) -> list[Block]:
    out_dir.mkdir(parents=True, exist_ok=True)
    if system == "pipeline":
        output = run_pipeline(dump, out_dir, model_dir)
        reader = tei_file_blocks
    else:
        output = run_pandoc(dump, out_dir)
        reader = html_file_blocks
    try:
        return reader(output)
    except etree.XMLSyntaxError as error:
        raise ConversionError(f"{dump}: {system} wrote unreadable XML: {error}") from None


def evaluate(corpus: Path, out: Path, jobs: int, models: Path) -> dict:
    index_path = corpus / "index.json"
    if not index_path.exists():
        raise SystemExit(f"eval.score: error: no {index_path}: build the corpus first "
                         f"(`make corpus`)")
    index = json.loads(index_path.read_text())
    documents = index["documents"]
    truths = {doc["id"]: gold_blocks(corpus / doc["gold"]) for doc in documents}
    folds = {genre: models_for(genre, models) for genre in sorted({d["genre"] for d in documents})}
    tasks = [(system, converter, doc) for doc in documents for converter in doc["dumps"]
             for system in SYSTEMS]

    def run(task):
        system, converter, doc = task
        dump = corpus / doc["dumps"][converter]
        try:
            predicted = convert_and_read(system, dump, out / system / converter,
                                         folds[doc["genre"]])
        except ConversionError as error:
            return task, failed(truths[doc["id"]]), str(error)
        return task, score(truths[doc["id"]], predicted), None

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(run, tasks))

    converters = [c for c in CONVERTER_ORDER if any(c == t[1] for t in tasks)]
    genres = [g for g in GENRE_ORDER if g in folds]
    cells = {(genre, converter): {system: Score() for system in SYSTEMS}
             for genre in genres for converter in converters}
    by_converter = {converter: {system: Score() for system in SYSTEMS} for converter in converters}
    details, failures = [], []
    for (system, converter, doc), result, error in results:
        cells[doc["genre"], converter][system] += result
        by_converter[converter][system] += result
        details.append({"system": system, "converter": converter, "document": doc["id"],
                        "genre": doc["genre"], **result.as_dict(),
                        **({"error": error} if error else {})})
        if error:
            failures.append(error)
    return {
        "tools": index.get("tools", {}),
        "documents": documents,
        "models": {genre: str(fold) if fold else None for genre, fold in folds.items()},
        "cells": {f"{genre} × {converter}": systems for (genre, converter), systems
                  in cells.items() if systems["pipeline"].dumps},
        "by_converter": by_converter,
        "details": details,
        "failures": failures,
    }


def side_by_side(rows: dict[str, dict[str, Score]], label: str) -> list[list[str]]:
    """One row per input kind or document: each measure as pandoc → pipeline."""
    header = [label, "dumps", "para F1 exact", "para F1 ≥0.9", "para P / R ≥0.9 (ours)",
              "heading F1", "CER", "failed"]
    table = [header]
    for name, systems in rows.items():
        base, ours = systems["pandoc"], systems["pipeline"]
        table.append([
            name, str(ours.dumps),
            _pair(base.paragraphs.f1, ours.paragraphs.f1),
            _pair(base.paragraphs_fuzzy.f1, ours.paragraphs_fuzzy.f1),
            f"{ours.paragraphs_fuzzy.precision:.2f} / {ours.paragraphs_fuzzy.recall:.2f}",
            _pair(base.headings.f1, ours.headings.f1),
            _pair(base.cer, ours.cer, digits=3),
            f"{base.failed} / {ours.failed}",
        ])
    return table


def _pair(baseline: float, ours: float, digits: int = 2) -> str:
    return f"{baseline:.{digits}f} → {ours:.{digits}f}"


def as_text(table: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def as_markdown(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(row) + " |" for row in table]
    lines.insert(1, "|" + "---|" * len(table[0]))
    return "\n".join(lines)


def report(result: dict, seconds: float, out: Path) -> str:
    cells = side_by_side(result["cells"], "genre × converter")
    converters = side_by_side(result["by_converter"], "converter (all genres)")
    documents = result["documents"]
    total = sum(doc["pages"] or 0 for doc in documents)
    intro = (f"{len(documents)} documents ({total} pages), each measure as pandoc unrepaired → "
             f"our pipeline; F1 higher is better, CER lower is better; failed: pandoc / pipeline.")
    models = [f"- {genre}: " + (f"`{fold}` (fit without {genre})" if fold else
                                "the shipped models (no leave-one-genre-out fold yet)")
              for genre, fold in result["models"].items()]
    failures = [f"- {error}" for error in result["failures"]] or ["- none"]
    tools = [f"- {name}: {version}" for name, version in result["tools"].items()]
    contents = corpus_table(documents)
    markdown = "\n".join([
        "# Evaluation: raw dumps → TEI, against the unrepaired conversion", "", intro, "",
        "## Models the pipeline ran with, per genre", "", *models, "",
        "## By genre × converter", "", as_markdown(cells), "",
        "## By converter", "", as_markdown(converters), "",
        "## Conversion failures", "", *failures, "",
        "## The corpus: documents (pages) per genre × language, and dumps per converter", "",
        as_markdown(contents), "",
        "## Tools", "", *tools, f"- scoring took {seconds:.0f} s", "",
    ])
    (out / "report.md").write_text(markdown)
    serializable = {**result, "cells": _as_dicts(result["cells"]),
                    "by_converter": _as_dicts(result["by_converter"])}
    (out / "report.json").write_text(json.dumps(serializable, indent=2, ensure_ascii=False) + "\n")
    return "\n\n".join([intro, "\n".join(models), as_text(cells), as_text(converters),
                        "Conversion failures:\n" + "\n".join(failures),
                        f"Written: {out / 'report.md'}, {out / 'report.json'} ({seconds:.0f} s)"])


def corpus_table(documents: list[dict]) -> list[list[str]]:
    """Per genre × language: documents (pages), and how many of them each converter has."""
    converters = [c for c in CONVERTER_ORDER if any(c in doc["dumps"] for doc in documents)]
    cells: dict[tuple[str, str], list[dict]] = {}
    for doc in documents:
        cells.setdefault((doc["genre"], doc["lang"]), []).append(doc)
    table = [["genre", "language", "documents (pages)", *converters]]
    order = sorted(cells, key=lambda cell: (GENRE_ORDER.index(cell[0]), cell[1]))
    for genre, lang in [*order, ("all", "")]:
        docs = cells.get((genre, lang), documents)
        table.append([genre, lang, f"{len(docs)} ({sum(d['pages'] or 0 for d in docs)})",
                      *(str(sum(c in d["dumps"] for d in docs)) for c in converters)])
    return table


def _as_dicts(rows: dict[str, dict[str, Score]]) -> dict:
    return {name: {system: s.as_dict() for system, s in systems.items()}
            for name, systems in rows.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval.score", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="conversions run at once (2)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="default: build/corpus")
    parser.add_argument("--models", type=Path, default=MODELS,
                        help="where the leave-one-genre-out folds are (build/models)")
    parser.add_argument("--out", type=Path, default=OUT, help="default: build/eval")
    args = parser.parse_args(argv)
    start = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    result = evaluate(args.corpus, args.out, args.jobs, args.models)
    print(report(result, time.monotonic() - start, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
