"""The YAML front matter block: where document-level decisions live in the repaired markdown.

A byline or the fact that a dump is a compilation of articles has no markdown syntax, yet the
pipeline's contract is that every decision is a text edit the TEI writer only maps. The front
matter (`---` … `---`, which the CommonMark parser reports as a metadata block) carries them.
"""

from __future__ import annotations

import yaml

FENCE = "---\n"


def read(block_text: str) -> dict:
    """The fields of a front matter block (with or without its fences); {} when it is not a map."""
    body = block_text
    if body.startswith(FENCE):
        body = body[len(FENCE):]
    body = body.rsplit("\n---", 1)[0] if body.rstrip().endswith(("---", "...")) else body
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def set_fields(block_text: str, fields: dict[str, str]) -> str:
    """`block_text` (a front matter block, or "" for none) with `fields` added at its end."""
    lines = "".join(yaml.safe_dump({key: value}, allow_unicode=True, width=10**6)
                    for key, value in fields.items())
    if not block_text:
        return FENCE + lines + "---\n"
    head, fence, tail = block_text.rstrip("\n").rpartition("\n")
    return head + "\n" + lines + tail + block_text[len(block_text.rstrip("\n")):]
