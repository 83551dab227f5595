"""Build the development corpus: real documents in six genres, printed, extracted and labelled.

Each document of eval/corpus.toml is read from its source (a pinned commit of a repository in the
mirror folder, or a Debian package), its gold blocks taken from the source's own structure
(eval/gold.py, eval/pagexml.py), printed to PDF by Chromium in a page style (eval/render.py),
extracted by every converter that applies (eval/extract.py), and each dump's lines labelled from
the gold (eval/align.py). Into build/corpus/ (notes/corpus-interface.md is the contract):

    gold/<id>.json                  the gold blocks
    dumps/<id>.<converter>.txt|md   each converter's output
    labels/<id>.<converter>.jsonl   a label per dump line
    work/<id>/                      the page printed, its PDF, what was built from what
    index.json                      every document; written last, atomically, after each one

A document is rebuilt only when its entry or the code that prints it changed; its labels only
when the aligner changed. A source missing from the mirror is one line saying how to get it, and
the rest is built.

    .venv/bin/python -m eval.corpus [--jobs 2] [--mirror DIR] [--genre G ...] [--converter C ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tomllib
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import lxml.html
from lxml import etree

from eval import align, debian, pagexml
from eval.blocks import normalize
from eval.extract import (PDF_CONVERTERS, SUFFIX, TESSERACT_LANG, CorpusError, extract,
                          html_to_markdown, page_count, tool_versions)
from eval.gold import Gold, cut, html_blocks, letter_blocks, novel_blocks, paper_blocks
from eval.render import HYPHENATED, browser_css, page_html, print_pdf

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).with_name("corpus.toml")
OUT = ROOT / "build" / "corpus"
MIRROR = Path(os.environ.get("MIRROR", ROOT.parent / ".mirror"))
GENRES = ("manuals", "novels", "letters", "papers", "newspapers", "prints")
CONVERTERS = (*PDF_CONVERTERS, "html2md", "page-lines")
UNPAGED = {"pymupdf4llm"}  # writes a PDF's pages as one text, their heads and feet inside it
TOOLS = ["chromium", "poppler-utils", "tesseract-ocr", "pandoc"]
# About eight pages of text in each style (A5 book, A4 web page, A4 two columns).
TARGET_CHARS = {"book": 11000, "web": 20000, "two-column": 30000}
# What decides a document's print and dumps, and what decides its labels. Not this file, whose
# orchestration changes more often than what it builds: after a change to TARGET_CHARS or to
# `gold_of`, `rm -r build/corpus/work` rebuilds every document.
PRINT_CODE = ["gold.py", "pagexml.py", "render.py", "extract.py", "debian.py",
              "styles/book.css", "styles/web.css", "styles/two-column.css", "styles/browser.css"]
LABEL_CODE = ["align.py"]
# recover: GROBID's training files carry `xml:id="0"`, no valid name, and nothing else wrong.
XML_PARSER = etree.XMLParser(huge_tree=True, remove_comments=True, recover=True)


# --- the documents ------------------------------------------------------------------------

def load(path: Path = SOURCES) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def documents(config: dict, mirror: Path) -> tuple[list[dict], list[str]]:
    """Every document spec, and one line for each source missing from the mirror."""
    repos = {repo["name"]: repo for repo in config["repo"]}
    missing, present = [], {}
    for name, repo in repos.items():
        git_dir = mirror / repo["repo"].replace("/", "+") / "repo"
        if _git(git_dir, "cat-file", "-e", f"{repo['commit']}^{{commit}}", check=False) is None:
            missing.append(f"missing source {repo['repo']} at {repo['commit'][:12]} in {mirror}: "
                           f"get it with the search tool's fetch of {repo['repo']} "
                           f"(into {git_dir}); its documents are left out")
        else:
            present[name] = {**repo, "git_dir": str(git_dir)}
    specs = []
    for genre in GENRES[1:]:
        for group in config.get(genre, []):
            repo = present.get(group["repo"])
            if repo is None:
                continue
            files = sorted(name for name in _git(Path(repo["git_dir"]), "ls-tree", "--name-only",
                                                 repo["commit"], group["path"] + "/").split("\n")
                           if name.endswith(".xml"))
            first, step, count = group["pick"]
            for n, index in enumerate(range(first, first + step * count, step)):
                if index >= len(files):
                    break
                chosen = files[index:index + group.get("group", 1)]
                stem = Path(chosen[0]).name.removesuffix(".xml").removesuffix(
                    ".training.fulltext.tei")
                style = group["style"][n % len(group["style"])]
                base = {"genre": genre, "lang": group["lang"], "source": repo["name"],
                        "repo": repo["repo"], "commit": repo["commit"], "files": chosen,
                        "git_dir": repo["git_dir"]}
                if genre in ("newspapers", "prints"):
                    specs.append({**base, "id": f"{genre}-{group['lang']}-{stem}",
                                  "style": "page-gt"})
                    specs.append({**base, "id": f"{genre}-{group['lang']}-{stem}-print",
                                  "style": style})
                else:
                    specs.append({**base, "id": f"{genre}-{group['lang']}-{stem}", "style": style})
    for manual in config.get("manual", []):
        specs.append({**manual, "genre": "manuals", "id": f"manuals-{manual['lang']}-"
                      f"{manual['name']}", "source": manual["package"],
                      "style": "book" if "pdf" in manual else "web"})
    return specs, missing


def _git(git_dir: Path, *args: str, check: bool = True) -> str | None:
    done = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True)
    if done.returncode != 0:
        if check:
            raise CorpusError(f"git {' '.join(args)} failed in {git_dir}: "
                              + done.stderr.decode(errors="replace").strip())
        return None
    return done.stdout.decode()


def _read_xml(spec: dict, path: str):
    data = subprocess.run(["git", f"--git-dir={spec['git_dir']}", "show",
                           f"{spec['commit']}:{path}"], capture_output=True, check=True).stdout
    return etree.ElementTree(etree.fromstring(data, XML_PARSER))


# --- one document -------------------------------------------------------------------------

def gold_of(spec: dict, work: Path) -> tuple[list[Gold], str, str, list | None]:
    """The gold blocks, the running heads' title and author, and (PAGE only) the lines."""
    genre, style = spec["genre"], spec["style"]
    if genre == "novels":
        blocks, title, author = novel_blocks(_read_xml(spec, spec["files"][0]),
                                             TARGET_CHARS[style])
        return blocks, title, author, None
    if genre == "letters":
        blocks = [b for path in spec["files"] for b in letter_blocks(_read_xml(spec, path))]
        return blocks, "Arthur Schnitzler: Briefwechsel", "Briefwechsel", None
    if genre == "papers":
        blocks = cut(paper_blocks(_read_xml(spec, spec["files"][0])), TARGET_CHARS[style])
        title = Path(spec["files"][0]).name.split(".training")[0].replace("_", " ")
        return blocks, title, title, None
    if genre in ("newspapers", "prints"):
        blocks, pages = [], []
        for path in spec["files"]:
            page_blocks, lines = pagexml.read_page(_read_xml(spec, path))
            for line in lines:
                if line.block is not None:
                    line.block += len(blocks)
            blocks += page_blocks
            pages.append(lines)
        title = Path(spec["files"][0]).name.split(".")[0]
        return blocks, title, title, pages
    source = work / "source.html"
    source.write_bytes(debian.source_html(spec))
    tree = lxml.html.document_fromstring(source.read_bytes(), parser=debian.HTML_PARSER)
    title = normalize(tree.findtext(".//title") or spec["name"])
    return html_blocks(tree.find(".//body")), title, title, None


def converters_of(spec: dict) -> list[str]:
    if spec["style"] == "page-gt":
        return ["page-lines"]
    return [*PDF_CONVERTERS, "html2md"]


def build_document(spec: dict, out: Path, wanted: list[str]) -> dict:
    """Build one document (what is not up to date of it); return its index entry."""
    doc_id = spec["id"]
    work = out / "work" / doc_id
    saved = work / "entry.json"
    print_print = _fingerprint(spec, PRINT_CODE)
    label_print = _fingerprint(spec, PRINT_CODE + LABEL_CODE)
    entry = json.loads(saved.read_text()) if saved.exists() else {}
    if entry.get("print") != print_print:
        entry = {}
    paths = {c: out / "dumps" / f"{doc_id}.{c}{SUFFIX[c]}" for c in converters_of(spec)}
    done = [c for c in paths if c in entry.get("dumps", {}) and paths[c].exists()]
    todo = [c for c in paths if c in wanted and c not in done]
    dumps = {c: paths[c] for c in paths if c in done or c in todo}
    gold_path = out / "gold" / f"{doc_id}.json"
    if not todo and entry.get("labelled") == label_print:
        return entry

    work.mkdir(parents=True, exist_ok=True)
    saved.unlink(missing_ok=True)
    blocks, title, author, pages = gold_of(spec, work)
    if not blocks:
        raise CorpusError(f"{doc_id}: no text in {spec.get('files') or spec.get('html')}")
    _write(gold_path, '{"blocks": [\n' + ",\n".join(json.dumps(b.as_dict(), ensure_ascii=False)
                                                    for b in blocks) + "\n]}\n")
    page_total = entry.get("pages")
    if spec["style"] == "page-gt":
        page_total = len(pages)
        if "page-lines" in todo:
            _write(dumps["page-lines"], pagexml.page_lines(pages))
    elif todo:
        pdf = work / f"{doc_id}.pdf"
        if not pdf.exists() or entry.get("pdf") != print_print:
            _print(spec, blocks, title, author, work, pdf)
        for converter in todo:
            if converter == "html2md":
                html_to_markdown(work / "source.html", dumps[converter])
            else:
                extract(converter, pdf, spec["lang"], dumps[converter])
        page_total = page_count(pdf)
    labels = {}
    for converter, dump in dumps.items():
        path = out / "labels" / f"{doc_id}.{converter}.jsonl"
        text = dump.read_text(encoding="utf-8")
        if converter == "page-lines":
            rows = page_labels(pages, blocks)
        else:
            rows = align.label(text, blocks, paged=converter not in UNPAGED)
        _write(path, "".join(json.dumps(row) + "\n" for row in rows))
        labels[converter] = str(path.relative_to(out))
    entry = {
        "id": doc_id, "genre": spec["genre"], "lang": spec["lang"], "source": spec["source"],
        "pages": page_total, "style": spec["style"], "gold": str(gold_path.relative_to(out)),
        "dumps": {c: str(p.relative_to(out)) for c, p in dumps.items()}, "labels": labels,
        "files": spec.get("files") or spec.get("html"), "print": print_print, "pdf": print_print,
        "labelled": label_print,
    }
    _write(saved, json.dumps(entry, indent=1, ensure_ascii=False) + "\n")
    return entry


def _print(spec, blocks, title, author, work: Path, pdf: Path) -> None:
    address = f"https://example.org/{spec['genre']}/{spec['id']}.html"
    page = work / "page.html"
    if spec["genre"] == "manuals":
        if "pdf" in spec:
            debian.cut_chapter(Path(spec["pdf"]), spec["chapter"], pdf)
            return
        # The package's page as its stylesheets lay it out, with a browser's head and foot.
        source = (work / "source.html").read_text(encoding="utf-8")
        style = f"<style>\n{browser_css(title, address)}</style>\n</head>"
        _write(page, source.replace("</head>", style, 1))
    else:
        style = spec["style"]
        _write(work / "source.html", page_html(blocks, "web", spec["lang"], title, author,
                                               hyphenate=False, address=address))
        _write(page, page_html(blocks, style, spec["lang"], title, author,
                               hyphenate=style in HYPHENATED, address=address))
    print_pdf(page, pdf)


def page_labels(pages: list[list[pagexml.Line]], blocks: list[Gold]) -> list[dict]:
    """The page-lines dump's labels, exact: each line's region is known."""
    lines = [line for page in pages for line in page]
    labels = []
    for i, line in enumerate(lines):
        if line.block is None:
            labels.append({"line": i, "role": "furniture", "next": None})
            continue
        entry = {"line": i, "role": align.ROLE_OF_KIND[blocks[line.block].kind], "next": None}
        following = next((other for other in lines[i + 1:] if other.block is not None), None)
        if following is not None:
            entry["next"] = "wrap" if following.block == line.block else "break"
            if entry["next"] == "wrap" and line.hyphen is not None:
                entry["hyphen"] = line.hyphen
        labels.append(entry)
    # The dump ends with a newline: its last, empty line.
    labels.append({"line": len(lines), "role": "blank", "next": None})
    return labels


def _fingerprint(spec: dict, code: list[str]) -> str:
    """The document's entry (less where the mirror is) and the code that builds it, hashed."""
    entry = {key: value for key, value in spec.items() if key != "git_dir"}
    digest = hashlib.sha256(json.dumps(entry, sort_keys=True).encode())
    for name in code:
        digest.update(Path(__file__).with_name(name).read_bytes()
                      if "/" not in name else (Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a killed build leaves no half file for a reader."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    part.replace(path)


# --- the corpus ---------------------------------------------------------------------------

def needed_packages(config: dict) -> list[str]:
    langs = {TESSERACT_LANG[lang] for lang in TESSERACT_LANG}
    return sorted({*TOOLS, *(f"tesseract-ocr-{lang}" for lang in langs),
                   *(manual["package"] for manual in config.get("manual", []))})


def write_index(out: Path, config: dict, specs: list[dict], entries: dict[str, dict],
                tools: dict) -> None:
    used = {spec["source"] for spec in specs if spec["id"] in entries}
    sources = [{"name": r["name"], "repo": r["repo"], "commit": r["commit"],
                "licence": r["licence"]} for r in config["repo"] if r["name"] in used]
    packages = sorted({(m["package"], m["version"]) for m in config.get("manual", [])
                       if m["package"] in used})
    sources += [{"name": package, "debian": package, "version": version,
                 "installed": debian.installed_version(package),
                 "licence": f"as /usr/share/doc/{package}/copyright says (DFSG-free)"}
                for package, version in packages]
    documents = [{key: value for key, value in entries[spec["id"]].items()
                  if key not in ("print", "pdf", "labelled")}
                 for spec in specs if spec["id"] in entries]
    _write(out / "index.json", json.dumps({"version": 1, "tools": tools, "sources": sources,
                                           "documents": documents},
                                          indent=1, ensure_ascii=False) + "\n")


def _round_robin(specs: list[dict]) -> list[dict]:
    """One document of each genre in turn: a build stopped early still covers every genre."""
    by_genre: dict[str, list[dict]] = {}
    for spec in specs:
        by_genre.setdefault(spec["genre"], []).append(spec)
    queues = list(by_genre.values())
    return [queue[i] for i in range(max(map(len, queues), default=0)) for queue in queues
            if i < len(queue)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--missing-packages", action="store_true",
                        help="print the Debian packages the corpus needs that are not installed")
    parser.add_argument("--jobs", type=int, default=2, help="documents built at once (2)")
    parser.add_argument("--mirror", type=Path, default=MIRROR,
                        help="the folder of bare git snapshots (MIRROR; default ../.mirror)")
    parser.add_argument("--genre", action="append", choices=GENRES,
                        help="build only these genres (repeatable)")
    parser.add_argument("--converter", action="append", choices=CONVERTERS,
                        help="build only these converters' dumps (repeatable)")
    parser.add_argument("--out", type=Path, default=OUT, help="default: build/corpus")
    args = parser.parse_args(argv)
    config = load()
    if args.missing_packages:
        print("\n".join(p for p in needed_packages(config) if debian.installed_version(p) is None))
        return 0
    try:
        specs, missing = documents(config, args.mirror.resolve())
    except CorpusError as error:
        print(f"eval.corpus: error: {error}", file=sys.stderr)
        return 1
    for line in missing:
        print(f"eval.corpus: {line}", file=sys.stderr)
    for manual in config.get("manual", []):
        installed = debian.installed_version(manual["package"])
        if installed not in (None, manual["version"]):
            print(f"eval.corpus: {manual['package']} {installed} is installed, the corpus pins "
                  f"{manual['version']}: its manuals may differ", file=sys.stderr)
    wanted = args.converter or list(CONVERTERS)
    chosen = _round_robin([spec for spec in specs
                           if not args.genre or spec["genre"] in args.genre])
    out = args.out
    index = out / "index.json"
    entries = {}
    if index.exists():  # documents built before stay in the index while the others are built
        entries = {doc["id"]: doc for doc in json.loads(index.read_text())["documents"]}
    tools = tool_versions()
    failures = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(build_document, spec, out, wanted): spec for spec in chosen}
        for future in as_completed(futures):
            spec = futures[future]
            try:
                entries[spec["id"]] = future.result()
            except (CorpusError, subprocess.CalledProcessError, etree.XMLSyntaxError) as error:
                failures += 1
                print(f"eval.corpus: {spec['id']}: {error}", file=sys.stderr)
                continue
            write_index(out, config, specs, entries, tools)
    write_index(out, config, specs, entries, tools)
    built = [entries[s["id"]] for s in specs if s["id"] in entries]
    print(f"corpus: {len(built)} documents, {sum(e['pages'] or 0 for e in built)} pages, "
          f"{sum(len(e['dumps']) for e in built)} dumps in {out}"
          + (f"; {failures} failed (above)" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
