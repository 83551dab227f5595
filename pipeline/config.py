"""The collection's settings for cleaning, from `[tool.pipeline]` in the project's pyproject.toml.

Only what changes the output of every command alike lives here (the input kind, the language
tesseract reads scans in, and what the TEI header says of the collection, `[tool.pipeline.tei]`);
the deposit has its own table, `[tool.pipeline.deposit]`, read by `pipeline.deposit`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.kind import KINDS
from pipeline.model import InputError

CHOICES = ("auto", *KINDS)


def input_kind(project: Path = Path("pyproject.toml")) -> str | None:
    """The input kind the collection forces (`input_kind = "plain"`), or None to read each
    dump's kind from its text ("auto", the default, also when there is no pyproject.toml). The
    file is the one in the folder the command runs in: the project's, as make runs it."""
    value = _settings(project).get("input_kind", "auto")
    if value not in CHOICES:
        raise InputError(str(project), f"[tool.pipeline] input_kind is {value!r}; it can be "
                                       f"{', '.join(map(repr, CHOICES))}")
    return None if value == "auto" else value


def ocr_language(project: Path = Path("pyproject.toml")) -> str | None:
    """The language packs tesseract reads the collection's scans with (`ocr_language = "deu"`,
    `"deu+frk"` for German in Fraktur), or None to read each scan in the language a first
    reading shows (the default)."""
    value = _settings(project).get("ocr_language")
    if value is not None and not (isinstance(value, str) and _PACKS.fullmatch(value)):
        raise InputError(str(project), f"[tool.pipeline] ocr_language is {value!r}; it names "
                                       "tesseract's packs, as 'deu' or 'deu+frk'")
    return value


_PACKS = re.compile(r"[a-z_]+(?:\+[a-z_]+)*", re.IGNORECASE)


def _settings(project: Path) -> dict:
    """`[tool.pipeline]` of `project` ({} when there is no such file)."""
    try:
        data = tomllib.loads(project.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(str(project), f"cannot be read as TOML ({error})") from None
    table = data.get("tool", {})
    table = table.get("pipeline", {}) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise InputError(str(project), "[tool.pipeline] is not a table of settings")
    return table


@dataclass(frozen=True)
class TeiSettings:
    """What the TEI header says of the collection's publication and of the works its dumps hold
    (`[tool.pipeline.tei]`): an archive catalogues a file by these. Left out, each says it is
    unknown rather than inventing a publisher or a licence."""

    publisher: str = "unknown"
    authority: str = ""  # who is responsible for making the file available, when not the publisher
    licence: str = "unknown"  # the licence's name or text
    licence_url: str = ""
    date: str = ""  # of publication (ISO 8601); empty: SOURCE_DATE_EPOCH's day, else none
    code_url: str = ""  # where the pipeline's code is, for the header's <application>
    # The work, for sourceDesc/bibl when a dump's front matter does not say.
    source: dict[str, str] = field(default_factory=dict)


_TEI_FIELDS = {"publisher", "authority", "licence", "licence_url", "date", "code_url"}
SOURCE_FIELDS = ("title", "author", "date", "publisher", "url")


def tei_settings(project: Path = Path("pyproject.toml")) -> TeiSettings:
    """`[tool.pipeline.tei]` of the project's pyproject.toml (see `input_kind` for which file)."""
    try:
        data = tomllib.loads(project.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return TeiSettings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(str(project), f"cannot be read as TOML ({error})") from None
    table = data
    for key in ("tool", "pipeline", "tei"):
        table = table.get(key, {}) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise InputError(str(project), "[tool.pipeline.tei] is not a table of settings")
    source = table.get("source", {})
    unknown = set(table) - _TEI_FIELDS - {"source"} | (
        set(source) - set(SOURCE_FIELDS) if isinstance(source, dict) else set())
    if unknown:
        raise InputError(str(project), f"[tool.pipeline.tei] has no setting "
                                       f"{', '.join(sorted(map(repr, unknown)))}")
    values = {key: table[key] for key in _TEI_FIELDS if key in table}
    if not isinstance(source, dict) or not all(
            isinstance(v, str) for v in [*values.values(), *source.values()]):
        raise InputError(str(project), "[tool.pipeline.tei] settings are strings "
                                       "(and [tool.pipeline.tei.source] a table of them)")
    defaults = TeiSettings()
    return TeiSettings(**{key: value or getattr(defaults, key) for key, value in values.items()},
                       source=dict(source))
