"""The converters: a PDF's text as each tool extracts it, an HTML page as a scraper writes it.

    pdftotext, pdftotext-layout   poppler's pdftotext, plain and -layout
    tesseract                     OCR of the pages rendered as images (pdftoppm, OCR_DPI)
    pymupdf4llm                   markdown from the PDF
    html2md                       pandoc's GitHub markdown from the HTML the PDF was printed from

The tools are Debian's (`make corpus` installs them) and the `eval` extra in pyproject.toml.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
from pathlib import Path

PDF_CONVERTERS = {"pdftotext": ".txt", "pdftotext-layout": ".txt", "tesseract": ".txt",
                  "pymupdf4llm": ".md"}
SUFFIX = {**PDF_CONVERTERS, "html2md": ".md", "page-lines": ".txt"}
TESSERACT_LANG = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "it": "ita",
                  "sl": "slv", "ro": "ron"}
TOOL_PACKAGES = {"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "pdfinfo":
                 "poppler-utils", "tesseract": "tesseract-ocr", "chromium": "chromium",
                 "pandoc": "pandoc"}
OCR_DPI = 150  # the cheap end of a scanner's range: OCR is the corpus's cost
TOOL_TIMEOUT = 600  # seconds; OCR of ten pages takes well under a minute


class CorpusError(Exception):
    """A document or tool that cannot be used; the message says which and what to do."""


def extract(converter: str, pdf: Path, lang: str, dump: Path) -> None:
    dump.parent.mkdir(parents=True, exist_ok=True)
    if converter == "pdftotext":
        run(["pdftotext", "-enc", "UTF-8", str(pdf), str(dump)])
    elif converter == "pdftotext-layout":
        run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), str(dump)])
    elif converter == "tesseract":
        _ocr(pdf, TESSERACT_LANG[lang], dump)
    elif converter == "pymupdf4llm":
        # By default it skips text drawn over filled shapes (page backgrounds, shaded notes and
        # code boxes): up to half of some manuals. A dump that lost its text would measure the
        # extractor, not the repair, so vector graphics are ignored (tables come out as lines).
        markdown = pymupdf4llm().to_markdown(str(pdf), ignore_graphics=True)
        dump.write_text(markdown, encoding="utf-8")
    else:
        raise ValueError(converter)


def html_to_markdown(page: Path, dump: Path) -> None:
    """What a scraper keeps of a web page: pandoc's GitHub markdown, a paragraph a line, no
    HTML tags (the page's `div`s and `span`s are layout, not text)."""
    dump.parent.mkdir(parents=True, exist_ok=True)
    run(["pandoc", "-f", "html-native_divs-native_spans", "-t", "gfm-raw_html", "--wrap=none",
         str(page), "-o", str(dump)])


def _ocr(pdf: Path, lang: str, dump: Path) -> None:
    """Tesseract over the pages rendered as images, all in one run so that its output has a form
    feed between pages, as a scanned book's OCR has."""
    with tempfile.TemporaryDirectory(prefix="corpus-ocr-") as tmp:
        run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", str(pdf), f"{tmp}/page"])
        listing = Path(tmp, "pages.txt")
        listing.write_text("".join(f"{page}\n" for page in sorted(Path(tmp).glob("page*.png"))))
        # One thread per tesseract: the documents already run in parallel.
        run(["tesseract", str(listing), str(dump.with_suffix("")), "-l", lang],
            env={**os.environ, "OMP_THREAD_LIMIT": "1"})


def pymupdf4llm():
    # Its import prints an advertisement for a layout package on stdout, which is no news here.
    with contextlib.redirect_stdout(io.StringIO()):
        import pymupdf4llm
    return pymupdf4llm


def page_count(pdf: Path) -> int:
    info = run(["pdfinfo", str(pdf)])
    return next(int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:"))


def run(command: list[str], env: dict | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                              env=env)
    except FileNotFoundError:
        raise CorpusError(f"{command[0]} is not installed: `make corpus` installs Debian's "
                          f"{TOOL_PACKAGES.get(command[0], command[0])}") from None
    except subprocess.TimeoutExpired:
        raise CorpusError(f"{command[0]} took more than {TOOL_TIMEOUT} s: {' '.join(command)}") \
            from None
    if done.returncode != 0:
        raise CorpusError(f"{command[0]} failed (exit {done.returncode}): {' '.join(command)}\n"
                          + done.stderr[-2000:])
    return done.stdout


def tool_versions() -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True)
        return (done.stdout or done.stderr).strip().splitlines()[0]

    return {
        "pdftotext": first_line(["pdftotext", "-v"]),
        "tesseract": first_line(["tesseract", "--version"]),
        "chromium": first_line(["chromium", "--version"]),
        "pandoc": first_line(["pandoc", "--version"]),
        "pymupdf4llm": pymupdf4llm().__version__,
    }
