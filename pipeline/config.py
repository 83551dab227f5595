"""The collection's settings for cleaning, from `[tool.pipeline]` in the project's pyproject.toml.

Only what changes the output of every command alike lives here (the input kind); the deposit has
its own table, `[tool.pipeline.deposit]`, read by `pipeline.deposit`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.kind import KINDS
from pipeline.model import InputError

CHOICES = ("auto", *KINDS)


def input_kind(project: Path = Path("pyproject.toml")) -> str | None:
    """The input kind the collection forces (`input_kind = "plain"`), or None to read each
    dump's kind from its text ("auto", the default, also when there is no pyproject.toml). The
    file is the one in the folder the command runs in: the project's, as make runs it."""
    try:
        data = tomllib.loads(project.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(str(project), f"cannot be read as TOML ({error})") from None
    table = data.get("tool", {})
    table = table.get("pipeline", {}) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise InputError(str(project), "[tool.pipeline] is not a table of settings")
    value = table.get("input_kind", "auto")
    if value not in CHOICES:
        raise InputError(str(project), f"[tool.pipeline] input_kind is {value!r}; it can be "
                                       f"{', '.join(map(repr, CHOICES))}")
    return None if value == "auto" else value
