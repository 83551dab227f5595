"""Reviewers' decisions on changes: `review/<name>.decisions.json`, honoured on the next run.

A decision is keyed by the change id (`chg-<rule>-<raw offset>`, stable across runs and unrelated
changes) and anchored by the change's exact text before and after: a decision whose change no
longer exists, or now says something else, is stale. Stale decisions are reported, never dropped
silently and never applied to a different change.

The file (written by hand or exported from the review page):

    {"document": "000_x.txt",
     "decisions": {"chg-join_midsentence_break-1632":
                     {"decision": "reject", "reviewer": "Ana Ruiz", "date": "2026-11-26",
                      "comment": "two paragraphs in the print edition",
                      "before": "\\n\\n", "after": " "}}}
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from pipeline.model import Decision, InputError
from pipeline.source import stem

VERDICTS = ("accept", "reject")
# A key is a change id (`model.change_id`); anything else is a typo, or text that would reach the
# TEI's attributes and the terminal's warnings as it is.
_CHANGE_ID = re.compile(r"chg-[a-z0-9_]+-[0-9]+")
# A decision is a few hundred bytes: 100 MB holds hundreds of thousands, more than any review of
# one dump exports. Parsed JSON takes several times its size in memory, so a bigger file is
# refused before it is read.
MAX_BYTES = 100_000_000


def path_for(folder: Path, raw: Path) -> Path:
    return folder / f"{stem(raw)}.decisions.json"


def load(path: Path) -> dict[str, Decision]:
    """The decisions in `path` by change id; {} when there is no such file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), f"is {size / 1e6:.1f} MB, over the "
                                        f"{MAX_BYTES // 1_000_000} MB a decisions file may have")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise InputError(str(path), f"is not valid JSON (line {error.lineno}, column "
                                    f"{error.colno}: {error.msg})") from None
    except RecursionError:
        raise InputError(str(path), "is not a decisions file: its JSON nests too deep to read") \
            from None
    except ValueError as error:  # JSON that Python will not read: an integer of 5 000 digits
        raise InputError(str(path), f"is not a decisions file: {error}") from None
    entries = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise InputError(str(path), 'has no "decisions" object keyed by change id')
    decisions = {}
    for change_id, entry in entries.items():
        if not _CHANGE_ID.fullmatch(change_id):
            raise InputError(str(path), f"{change_id[:60]!r} is not a change id "
                                        "(chg-<rule>-<raw offset>)")
        decisions[change_id] = _decision(path, change_id, entry)
    return decisions


def _decision(path: Path, change_id: str, entry) -> Decision:
    where = f"decision {change_id}"
    if not isinstance(entry, dict):
        raise InputError(str(path), f"{where} is not an object")
    verdict = entry.get("decision")
    if verdict not in VERDICTS:
        raise InputError(str(path), f'{where}: "decision" must be "accept" or "reject", '
                                    f"not {verdict!r}")
    missing = [key for key in ("reviewer", "before", "after") if not isinstance(entry.get(key),
                                                                                 str)]
    if missing or not entry.get("reviewer", "").strip():
        raise InputError(str(path), f"{where}: needs {', '.join(missing) or 'reviewer'} "
                                    "(strings; before/after anchor it to its change)")
    when = entry.get("date") or ""
    try:
        # TEI's @when takes this form only; `fromisoformat` also reads `2026W474` and `20261126`.
        dated = date.fromisoformat(when).isoformat() == when
    except (TypeError, ValueError):
        dated = False
    if not dated:
        raise InputError(str(path), f'{where}: "date" must be YYYY-MM-DD, not {when!r}')
    return Decision(change_id, verdict, entry["reviewer"].strip(), when,
                    str(entry.get("comment") or ""), entry["before"], entry["after"])


def stale_reason(decision: Decision, before: str | None, after: str | None) -> str:
    if before is None:
        return "no change has this id any more"
    return (f"the change with this id now turns {before!r} into {after!r}, the decision was "
            f"about {decision.before!r} into {decision.after!r}")
