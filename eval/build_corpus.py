"""Build the evaluation corpus: real documents pushed through real PDF-to-text tools.

For each document of eval/sources.toml (HTML shipped in a Debian package) this writes, under
build/eval/:

    corpus/<name>/source.html   the pages joined, less their navigation: the ground truth, and
                                what Chromium prints
    corpus/<name>/<name>.pdf    Chromium's print of it, or the chapter cut from the package's PDF
    corpus/<name>/entry.json    what was built, and from what (the document's entry, hashed)
    dumps/<kind>/<name>.txt|md  the PDF's text as each tool extracts it, one folder per kind:
                                pdftotext, pdftotext-layout (poppler), tesseract (OCR of 200 dpi
                                page images), pymupdf4llm (markdown)
    corpus.json                 the manifest the scorer reads, with the tools' versions

Nothing is fetched: the documents come from installed packages and the tools are Debian's and the
`eval` dependencies in pyproject.toml. `make eval` installs both first; `--missing-packages`
prints the Debian packages still needed, one a line. A document is rebuilt only when its entry or
this script changed (Chromium's running head dates each print, so a rebuild is not byte-identical).

    .venv/bin/python -m eval.build_corpus [--jobs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import lxml.html
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).with_name("sources.toml")
OUT = ROOT / "build" / "eval"
KINDS = {"pdftotext": ".txt", "pdftotext-layout": ".txt", "tesseract": ".txt", "pymupdf4llm": ".md"}
TESSERACT_LANG = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "it": "ita"}
TOOL_PACKAGES = {"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils",
                 "tesseract": "tesseract-ocr", "chromium": "chromium", "pandoc": "pandoc"}
OCR_DPI = 200
TOOL_TIMEOUT = 600  # seconds; OCR of a few pages takes well under a minute

# Site furniture, not the document: navigation bars and tables of contents (DocBook), the
# permalink pilcrows that Sphinx appends to headings (hidden on screen until hovered).
_FURNITURE = {
    "docbook": ".//div[@class='navheader'] | .//div[@class='navfooter'] | .//div[@class='toc']",
    "sphinx": ".//a[@class='headerlink']",
}
_CONTENT = {"docbook": ".//body", "sphinx": ".//div[@role='main']"}
_SECTION = "self::section or self::div[@class='section' or @class='sect1']"
HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


class CorpusError(Exception):
    """A document or tool that cannot be used; the message says which and what to do."""


def load_sources(path: Path = SOURCES) -> list[dict]:
    with path.open("rb") as f:
        documents = tomllib.load(f)["document"]
    for doc in documents:
        if doc["lang"] not in TESSERACT_LANG:
            raise CorpusError(f"{path}: {doc['name']}: no tesseract language for {doc['lang']!r}; "
                              f"add it to TESSERACT_LANG in {Path(__file__).name}")
    return documents


def needed_packages(documents: list[dict]) -> list[str]:
    langs = sorted({TESSERACT_LANG[doc["lang"]] for doc in documents})
    return sorted({*TOOL_PACKAGES.values(), *(f"tesseract-ocr-{lang}" for lang in langs),
                   *(doc["package"] for doc in documents)})


def missing_packages(packages: list[str]) -> list[str]:
    return [package for package in packages if not _installed(package)]


def _installed(package: str) -> bool:
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", package],
                            capture_output=True, text=True)
    return status.stdout.startswith("ii")


def pages_of(doc: dict) -> list[Path]:
    pages = []
    for pattern in doc["html"]:
        found = sorted(glob.glob(pattern))
        if not found:
            raise CorpusError(f"{doc['name']}: no file matches {pattern}: is the Debian package "
                              f"{doc['package']} installed? (`make eval` installs it)")
        pages += map(Path, found)
    return pages


def source_html(doc: dict) -> bytes:
    """The document's pages as one HTML file: their content in order, styled as the package
    styles it (a <base> points at the package's folder, so its stylesheets and images load)."""
    pages = pages_of(doc)
    trees = [lxml.html.document_fromstring(page.read_bytes(), parser=HTML_PARSER)
             for page in pages]
    first = trees[0]
    html = etree.Element("html", lang=doc["lang"])
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "base", href=pages[0].parent.as_uri() + "/")
    title = first.find(".//title")
    etree.SubElement(head, "title").text = (title.text_content() if title is not None
                                            else doc["name"])
    for style in first.xpath(".//link[@rel='stylesheet'] | .//style"):
        head.append(style)
    body = etree.SubElement(html, "body")
    for tree in trees:
        content = tree.find(_CONTENT[doc["layout"]])
        if content is None:
            raise CorpusError(f"{doc['name']}: no {_CONTENT[doc['layout']]} in a page: is its "
                              f"layout {doc['layout']!r} right?")
        for element in content.xpath(_FURNITURE[doc["layout"]]):
            _drop(element)
        for script in content.xpath(".//script"):
            _drop(script)
        wrapper = etree.SubElement(body, "div", {"class": "page"})
        wrapper.extend(list(content))
        wrapper.text = content.text
    if "sections" in doc:
        _keep_sections(body, doc["sections"])
    return lxml.html.tostring(html, doctype="<!DOCTYPE html>", encoding="utf-8")


def _drop(element) -> None:
    """Remove an element but keep its tail, the text that follows it in its parent."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _keep_sections(body, count: int) -> None:
    """Cut a long chapter to its opening and first `count` sections: of the outermost element
    holding two sections or more, every later section goes, and whatever follows it."""
    for container in body.iter():
        sections = [child for child in container if child.xpath(_SECTION)]
        if len(sections) >= 2:
            cut = sections[count] if count < len(sections) else None
            while cut is not None:
                following = cut.getnext()
                container.remove(cut)
                cut = following
            return


def print_to_pdf(html: Path, pdf: Path) -> None:
    """Chromium's "Save as PDF", as a reader would print the page (running head and footer
    included: the date, the title, the file's address, page numbers)."""
    with tempfile.TemporaryDirectory(prefix="eval-chromium-") as profile:
        _run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()])
    if not pdf.exists():
        raise CorpusError(f"chromium wrote no PDF for {html}")


def cut_chapter(source: Path, chapter: str, pdf: Path) -> tuple[int, int]:
    """Copy one chapter of a typeset PDF, found by its title in the PDF's outline."""
    import pymupdf

    with pymupdf.open(source) as book:
        chapters = [(title, page) for level, title, page, *_ in book.get_toc() if level == 1]
        starts = [page for title, page in chapters if title == chapter]
        if not starts:
            raise CorpusError(f"{source}: no chapter {chapter!r} in its outline; it has: "
                              + ", ".join(repr(title) for title, _ in chapters))
        first = starts[0]
        later = [page for _, page in chapters if page > first]
        last = (later[0] - 1) if later else book.page_count
        with pymupdf.open() as part:
            part.insert_pdf(book, from_page=first - 1, to_page=last - 1)
            part.save(pdf, garbage=3, deflate=True)
    return first, last


def extract(kind: str, pdf: Path, lang: str, dump: Path) -> None:
    dump.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdftotext":
        _run(["pdftotext", "-enc", "UTF-8", str(pdf), str(dump)])
    elif kind == "pdftotext-layout":
        _run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), str(dump)])
    elif kind == "tesseract":
        _ocr(pdf, TESSERACT_LANG[lang], dump)
    elif kind == "pymupdf4llm":
        # By default it skips text drawn over filled shapes (page backgrounds, shaded notes and
        # code boxes): up to half of these documents. A dump that lost its text would measure
        # the extractor, not the repair, so vector graphics are ignored (tables come out as lines).
        markdown = _pymupdf4llm().to_markdown(str(pdf), ignore_graphics=True)
        dump.write_text(markdown, encoding="utf-8")


def _ocr(pdf: Path, lang: str, dump: Path) -> None:
    """Tesseract over the pages rendered as images, all in one run so that its output has a form
    feed between pages, as a scanned book's OCR has."""
    with tempfile.TemporaryDirectory(prefix="eval-ocr-") as tmp:
        _run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", str(pdf), f"{tmp}/page"])
        listing = Path(tmp, "pages.txt")
        listing.write_text("".join(f"{page}\n" for page in sorted(Path(tmp).glob("page*.png"))))
        # One thread per tesseract: the documents already run in parallel.
        _run(["tesseract", str(listing), str(dump.with_suffix("")), "-l", lang],
             env={**os.environ, "OMP_THREAD_LIMIT": "1"})


def _pymupdf4llm():
    # Its import prints an advertisement for a layout package on stdout, which is no news here.
    with contextlib.redirect_stdout(io.StringIO()):
        import pymupdf4llm
    return pymupdf4llm


def _run(command: list[str], env: dict | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                              env=env)
    except FileNotFoundError:
        raise CorpusError(f"{command[0]} is not installed: `make eval` installs Debian's "
                          f"{TOOL_PACKAGES.get(command[0], command[0])}") from None
    except subprocess.TimeoutExpired:
        raise CorpusError(f"{command[0]} took more than {TOOL_TIMEOUT} s: {' '.join(command)}") \
            from None
    if done.returncode != 0:
        raise CorpusError(f"{command[0]} failed (exit {done.returncode}): {' '.join(command)}\n"
                          + done.stderr[-2000:])
    return done.stdout


def build_document(doc: dict, out: Path) -> dict:
    """Build one document's source, PDF and dumps (unless up to date); return its manifest entry."""
    folder = out / "corpus" / doc["name"]
    html, pdf, saved = folder / "source.html", folder / f"{doc['name']}.pdf", folder / "entry.json"
    dumps = {kind: out / "dumps" / kind / f"{doc['name']}{suffix}"
             for kind, suffix in KINDS.items()}
    fingerprint = _fingerprint(doc)
    if saved.exists() and all(path.exists() for path in dumps.values()):
        entry = json.loads(saved.read_text())
        if entry["fingerprint"] == fingerprint:
            return entry
    folder.mkdir(parents=True, exist_ok=True)
    saved.unlink(missing_ok=True)
    entry = {key: doc[key] for key in ("name", "lang", "package", "about")}
    entry.update(fingerprint=fingerprint, source=str(html.relative_to(out)),
                 pdf=str(pdf.relative_to(out)),
                 dumps={kind: str(path.relative_to(out)) for kind, path in dumps.items()})
    html.write_bytes(source_html(doc))
    if "pdf" in doc:
        first, last = cut_chapter(Path(doc["pdf"]), doc["chapter"], pdf)
        entry["printed"] = f"{doc['pdf']}, pages {first}-{last}"
    else:
        print_to_pdf(html, pdf)
        entry["printed"] = "chromium --print-to-pdf"
    for kind, dump in dumps.items():
        extract(kind, pdf, doc["lang"], dump)
    entry["pages"] = _page_count(pdf)
    saved.write_text(json.dumps(entry, indent=2, ensure_ascii=False) + "\n")
    return entry


def _fingerprint(doc: dict) -> str:
    data = json.dumps(doc, sort_keys=True).encode() + Path(__file__).read_bytes()
    return hashlib.sha256(data).hexdigest()


def _page_count(pdf: Path) -> int:
    info = _run(["pdfinfo", str(pdf)])
    return next(int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:"))


def tool_versions() -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True)
        return (done.stdout or done.stderr).strip().splitlines()[0]

    return {
        "pdftotext": first_line(["pdftotext", "-v"]),
        "tesseract": first_line(["tesseract", "--version"]),
        "chromium": first_line(["chromium", "--version"]),
        "pymupdf4llm": _pymupdf4llm().__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval.build_corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--missing-packages", action="store_true",
                        help="print the Debian packages the corpus needs that are not installed")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="documents built in parallel (default: one per core)")
    parser.add_argument("--out", type=Path, default=OUT, help="default: build/eval")
    args = parser.parse_args(argv)
    try:
        documents = load_sources()
        if args.missing_packages:
            print("\n".join(missing_packages(needed_packages(documents))))
            return 0
        for tool in ("chromium", "pdftotext", "pdftoppm", "tesseract"):
            if shutil.which(tool) is None:
                raise CorpusError(f"{tool} is not installed: `make eval` installs Debian's "
                                  f"{TOOL_PACKAGES[tool]}")
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            entries = list(pool.map(build_document, documents, [args.out] * len(documents)))
    except CorpusError as error:
        print(f"eval.build_corpus: error: {error}", file=sys.stderr)
        return 1
    manifest = {"tools": tool_versions(), "documents": entries}
    (args.out / "corpus.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    pages = sum(entry["pages"] for entry in entries)
    print(f"corpus: {len(entries)} documents, {pages} pages, {len(KINDS)} input kinds "
          f"in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
