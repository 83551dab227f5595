"""The aligner's own error, where the truth is known: the PAGE documents' page-lines dumps.

For a page-lines dump every line's region is known, so its labels are exact (eval/corpus.py's
`page_labels`). Labelling the same dump with the aligner (eval/align.py), as every other dump is,
and counting where the two disagree measures the aligner: per line, its role; per boundary that
both place, wrap or break; per cut word, its hyphen.

    .venv/bin/python -m eval.aligner_error [--corpus build/corpus]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eval.align import label
from eval.corpus import OUT
from eval.gold import Gold


def compare(exact: list[dict], aligned: list[dict]) -> Counter:
    counts = Counter()
    for truth, guess in zip(exact, aligned, strict=True):
        if truth["role"] == "blank":
            continue
        if truth["role"] == "furniture":
            # Text absent from the gold: the aligner may call it furniture or unaligned, and
            # either keeps it out of the blocks; only placing it in a block is wrong.
            counts["furniture"] += 1
            counts["furniture placed in a block"] += guess["role"] not in ("furniture",
                                                                           "unaligned")
            continue
        counts["lines"] += 1
        counts["role wrong"] += truth["role"] != guess["role"]
        counts["unaligned"] += guess["role"] == "unaligned"
        if truth["next"] is not None:
            counts["boundaries"] += 1
            if guess["next"] is None:
                counts["boundary unknown"] += 1
            else:
                counts["boundary wrong"] += truth["next"] != guess["next"]
        if "hyphen" in truth:
            counts["hyphens"] += 1
            counts["hyphen wrong"] += guess.get("hyphen") not in (None, truth["hyphen"])
            counts["hyphen missing"] += guess.get("hyphen") is None
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval.aligner_error", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=OUT, help="default: build/corpus")
    args = parser.parse_args(argv)
    index = json.loads((args.corpus / "index.json").read_text())
    total = Counter()
    documents = 0
    for doc in index["documents"]:
        if "page-lines" not in doc["dumps"]:
            continue
        gold = [Gold(block["kind"], block["text"], block.get("level")) for block in
                json.loads((args.corpus / doc["gold"]).read_text())["blocks"]]
        dump = (args.corpus / doc["dumps"]["page-lines"]).read_text(encoding="utf-8")
        exact = [json.loads(line) for line in
                 (args.corpus / doc["labels"]["page-lines"]).read_text().splitlines()]
        total += compare(exact, label(dump, gold))
        documents += 1
    if not documents:
        print("eval.aligner_error: no page-lines dump in the corpus", file=sys.stderr)
        return 1
    def share(part: str, whole: str) -> str:
        return f"{total[part] / max(total[whole], 1):.2%}"

    print(f"{documents} page-lines dumps. {total['lines']} lines of the text: role wrong "
          f"{share('role wrong', 'lines')} (of which unaligned {share('unaligned', 'lines')}); "
          f"{total['furniture']} furniture lines: placed in a block "
          f"{share('furniture placed in a block', 'furniture')}. {total['boundaries']} line "
          f"ends: wrap/break wrong {share('boundary wrong', 'boundaries')}, left unknown "
          f"{share('boundary unknown', 'boundaries')}. {total['hyphens']} cut words: hyphen "
          f"wrong {share('hyphen wrong', 'hyphens')}, missing {share('hyphen missing', 'hyphens')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
