"""A scan (TIFF, also multi-page, PNG, JPEG) read through tesseract's hOCR, so that it is then read
exactly like an hOCR file.

The language is decided as a reader would: tesseract reads the pages once with English; when the
text that gives is in another language the pipeline knows and tesseract has the language pack for,
it reads them again in that language (an English reading is kept as it is). A collection that sets
`ocr_language` in `[tool.pipeline]` (a language the pipeline does not detect, a script such as
Fraktur) is read in it at once. What was used, and why, goes into the TEI.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import config, language
from pipeline.extract import hocr, tools
from pipeline.extract.geometry import Layer
from pipeline.model import InputError

# The pipeline's languages (pipeline.language) as tesseract names its packs.
TESSERACT = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "it": "ita"}
FIRST = "eng"


@dataclass
class Ocr:
    """The language decided on the first page that needed OCR, kept for the document's others."""

    lang: str | None = None
    evidence: str = ""

    def read(self, path: str, image: str, layer: Layer, first_page: int, shown: str) -> None:
        """Read `image` (its pages numbered from `first_page`) into `layer`; `shown` is the
        image's name as the geometry record gives it."""
        first = None
        if self.lang is None:
            first = self._hocr(path, image, FIRST)
            detected, _ = language.detect(hocr.read(path, first, shown, first_page).text)
            pack = TESSERACT.get(detected)
            if pack and pack != FIRST and pack in tools.tesseract_languages():
                self.lang, self.evidence = pack, (f"{pack}: the language a first reading with "
                                                  f"{FIRST} shows ({detected})")
            else:
                self.lang, self.evidence = FIRST, f"{FIRST}: " + (
                    f"the language a first reading shows ({detected})" if pack == FIRST else
                    f"no pack for the language a first reading shows ({detected})" if pack else
                    "no language of the pipeline's shows in a first reading")
        again = first if first is not None and self.lang == FIRST else \
            self._hocr(path, image, self.lang)
        hocr.read(path, again, shown, first_page, layer)

    @staticmethod
    def _hocr(path: str, image: str, lang: str):
        try:
            done = tools.run(path, "tesseract", image, "stdout", "-l", lang, "hocr",
                             what="read the scan with OCR")
        except InputError as error:
            if "needs tesseract" in error.message:
                raise
            missing = [pack for pack in lang.split("+") if pack not in tools.tesseract_languages()]
            if missing:
                raise InputError(path, f"needs tesseract's {'+'.join(missing)} language pack; "
                                       f"install Debian's tesseract-ocr-{missing[0]}") from None
            raise InputError(path, "is an image tesseract cannot read (damaged, or of a kind "
                                   f"it does not take): {error.message}") from None
        if not done.stdout.strip():
            raise InputError(path, "cannot read the scan with OCR: tesseract wrote nothing")
        return hocr.parse(path, done.stdout)


def ocr_for() -> Ocr:
    """The reader of a document's scanned pages: in the collection's language when
    `[tool.pipeline] ocr_language` sets one, else in the one a first reading shows."""
    lang = config.ocr_language()
    return Ocr() if lang is None else Ocr(lang, f"{lang}: set in [tool.pipeline] ocr_language")


def read(path: str) -> tuple[Layer, Ocr]:
    layer, ocr = Layer(), ocr_for()
    ocr.read(path, path, layer, 1, _name(path))
    return layer, ocr


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
