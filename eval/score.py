"""Score our pipeline against the unrepaired conversion on the evaluation corpus.

Every dump that eval/build_corpus.py wrote is converted twice: by `pipeline run` (our TEI) and by
pandoc without any repair (the baseline). Both are read into blocks (eval/blocks.py) and compared
with the source document's paragraphs and headings:

    paragraph precision/recall/F1, exact and at similarity >= 0.9 (one-to-one matching)
    heading precision/recall/F1 at similarity >= 0.9
    CER, the character error rate of the whole reading text (Levenshtein distance / truth length)

Counts and distances are summed over documents (micro averages), per input kind and per
document. A dump a converter fails on is reported, and scored as an empty output. The tables go
to stdout and to build/eval/report.md, every figure to build/eval/report.json. It reports; it
exits 0 unless the corpus is missing.

    .venv/bin/python -m eval.score [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from eval.blocks import (HEADING, PARAGRAPH, Block, html_file_blocks, reading_text,
                         tei_file_blocks)
from eval.convert import ConversionError, run_pandoc, run_pipeline
from eval.metrics import FUZZY, Counts, edit_distance, match

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "eval"
SYSTEMS = ("pandoc", "pipeline")


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


def convert_and_read(system: str, dump: Path, out_dir: Path) -> list[Block]:
    out_dir.mkdir(parents=True, exist_ok=True)
    if system == "pipeline":
        output = run_pipeline(dump, out_dir)
        reader = tei_file_blocks
    else:
        output = run_pandoc(dump, out_dir)
        reader = html_file_blocks
    try:
        return reader(output)
    except etree.XMLSyntaxError as error:
        raise ConversionError(f"{dump}: {system} wrote unreadable XML: {error}") from None


def evaluate(out: Path, jobs: int) -> dict:
    manifest_path = out / "corpus.json"
    if not manifest_path.exists():
        raise SystemExit(f"eval.score: error: no {manifest_path}: build the corpus first "
                         f"(`make eval`, or .venv/bin/python -m eval.build_corpus)")
    manifest = json.loads(manifest_path.read_text())
    documents = manifest["documents"]
    truths = {doc["name"]: html_file_blocks(out / doc["source"]) for doc in documents}
    tasks = [(system, kind, doc) for doc in documents for kind in doc["dumps"]
             for system in SYSTEMS]

    def run(task):
        system, kind, doc = task
        dump = out / doc["dumps"][kind]
        try:
            predicted = convert_and_read(system, dump, out / system / kind)
        except ConversionError as error:
            return task, failed(truths[doc["name"]]), str(error)
        return task, score(truths[doc["name"]], predicted), None

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(run, tasks))

    kinds = list(dict.fromkeys(kind for _, kind, _ in tasks))
    by_kind = {(kind, system): Score() for kind in kinds for system in SYSTEMS}
    by_document = {(doc["name"], system): Score() for doc in documents for system in SYSTEMS}
    details, failures = [], []
    for (system, kind, doc), result, error in results:
        by_kind[kind, system] += result
        by_document[doc["name"], system] += result
        details.append({"system": system, "kind": kind, "document": doc["name"],
                        **result.as_dict(), **({"error": error} if error else {})})
        if error:
            failures.append(error)
    return {
        "tools": manifest["tools"],
        "documents": [{key: doc[key] for key in ("name", "lang", "about", "pages", "printed")}
                      for doc in documents],
        "by_kind": {kind: {system: by_kind[kind, system] for system in SYSTEMS} for kind in kinds},
        "by_document": {doc["name"]: {system: by_document[doc["name"], system]
                                      for system in SYSTEMS} for doc in documents},
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
    kinds = side_by_side(result["by_kind"], "input kind")
    documents = side_by_side(result["by_document"], "document")
    total = sum(doc["pages"] for doc in result["documents"])
    intro = (f"{len(result['documents'])} documents ({total} pages), each measure as "
             f"pandoc unrepaired → our pipeline; F1 higher is better, CER lower is better; "
             f"failed: pandoc / pipeline.")
    failures = [f"- {error}" for error in result["failures"]] or ["- none"]
    corpus = [f"- `{doc['name']}` ({doc['lang']}, {doc['pages']} pages): {doc['about']}"
              for doc in result["documents"]]
    tools = [f"- {name}: {version}" for name, version in result["tools"].items()]
    markdown = "\n".join([
        "# Evaluation: raw dumps → TEI, against the unrepaired conversion", "", intro, "",
        "## By input kind", "", as_markdown(kinds), "",
        "## By document (all input kinds)", "", as_markdown(documents), "",
        "## Conversion failures", "", *failures, "",
        "## Corpus", "", *corpus, "", "## Tools", "", *tools,
        f"- scoring took {seconds:.0f} s", "",
    ])
    (out / "report.md").write_text(markdown)
    serializable = {**result,
                    "by_kind": _as_dicts(result["by_kind"]),
                    "by_document": _as_dicts(result["by_document"])}
    (out / "report.json").write_text(json.dumps(serializable, indent=2, ensure_ascii=False) + "\n")
    return "\n\n".join([intro, as_text(kinds), as_text(documents),
                        "Conversion failures:\n" + "\n".join(failures),
                        f"Written: {out / 'report.md'}, {out / 'report.json'} ({seconds:.0f} s)"])


def _as_dicts(rows: dict[str, dict[str, Score]]) -> dict:
    return {name: {system: s.as_dict() for system, s in systems.items()}
            for name, systems in rows.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval.score", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="conversions run in parallel (default: one per core)")
    parser.add_argument("--out", type=Path, default=OUT, help="the corpus folder (build/eval)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    result = evaluate(args.out, args.jobs)
    print(report(result, time.monotonic() - start, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
