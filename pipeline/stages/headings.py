"""Headings: fragments wrongly promoted, real titles left as bold lines, levels, the byline.

Converters promote whatever looked big on the page: a sentence fragment that wrapped onto a styled
line becomes `### …`, while a real title styled only in bold stays `**…**`. Scraped compilations
mix `##`, `###` and bold for titles of the same rank. A bold name alone at the top is a byline.
"""

from __future__ import annotations

from collections import Counter

import regex

from pipeline import markdown
from pipeline.evidence import SENTENCE_END, ending, opening
from pipeline.frontmatter import set_fields
from pipeline.model import Context, Edit, Proposal

NAME = "headings"
RULES = {
    "demote_fragment_heading": "A heading that continues the sentence before it (which does not "
                               "end) and is continued by the paragraph after it (lower case or "
                               "closing punctuation) goes back into its paragraph.",
    "promote_bold_title": "A paragraph that is one line of bold (or bold italic) text, with no "
                          "final period, comma or colon, at most 25 words, between other blocks, "
                          "is a title and becomes a heading.",
    "unbold_heading": "Bold markup around a heading's whole text is dropped: the heading says it.",
    "set_heading_level": "Promoted titles take the document's most common heading level; the "
                         "first heading sets the top level (a later, shallower one is set to it) "
                         "and no heading is more than one level deeper than the one before.",
    "mark_byline": "A short bold or italic line of names (optionally after 'By', 'Por', 'Par', "
                   "'Von', 'Di'), first in the document, is the byline: it becomes the 'byline' "
                   "field of the front matter, the document's author.",
}

_BYLINE = regex.compile(
    r"^(?:(?:by|por|par|von|di|de|door|av)\s*:?\s+)?"
    r"(\p{Lu}[\p{L}.'’-]*(?:\s+(?:(?:de|del|la|las|los|da|do|dos|das|di|van|von|der|den|le|y|e|"
    r"and|und|et|&)\s+)?\p{Lu}[\p{L}.'’-]*){1,4})$", regex.IGNORECASE)
_MAX_TITLE_WORDS = 25


def propose(text: str, context: Context) -> Proposal:
    root = markdown.parse(text)
    blocks = root.children
    edits: list[Edit] = []
    demoted = set()
    for before, heading, after in zip(blocks, blocks[1:], blocks[2:]):
        joins = _fragment_heading(text, before, heading, after, context.lang)
        if joins:
            edits.extend(joins)
            demoted.add(heading.start)
    byline = _byline(text, blocks)
    if byline:
        edits.extend(byline[1])
    headings = []  # (block, level or None for a promoted title)
    for i, block in enumerate(blocks):
        if block.start in demoted or (byline and block is byline[0]):
            continue
        if block.kind == "Heading":
            headings.append((block, block.level))
        elif _bold_title(text, blocks, i, context.lang):
            headings.append((block, None))
    levels = _consistent_levels([level for _, level in headings])
    for (block, level), new_level in zip(headings, levels):
        edits.extend(_rewrite(text, block, level, new_level))
    return Proposal(edits, [])


def _fragment_heading(text, before, heading, after, lang) -> list[Edit]:
    if heading.kind != "Heading" or before.kind != "Paragraph" or after.kind != "Paragraph" \
            or heading.wholly("Strong") or not heading.children:
        return []
    end, start = ending(before.visible(), lang), opening(after.visible())
    if end.kind not in ("none", "comma", "open") or start.kind not in ("lower", "closing"):
        return []
    if heading.visible().rstrip()[-1:] in SENTENCE_END + ":":
        return []
    content_start, content_end = heading.children[0].start, heading.children[-1].end
    before_end = before.start + len(text[before.start:before.end].rstrip())
    why = (f"the heading {heading.visible()!r} continues the paragraph before it, which "
           f"{end.why}, and the paragraph after it {start.why}")
    return [
        Edit(before_end, content_start, "" if end.kind == "open" else " ",
             "demote_fragment_heading", why),
        Edit(content_end, after.start, "" if start.kind == "closing" else " ",
             "demote_fragment_heading", why),
    ]


def _byline(text, blocks):
    """The byline block at the top and the edits that move it into the front matter."""
    index = 1 if blocks and blocks[0].kind == "MetadataBlock" else 0
    if len(blocks) <= index + 1:
        return None
    block = blocks[index]
    if block.kind != "Paragraph" or not block.wholly("Strong", "Emphasis"):
        return None
    name = block.visible().strip()
    match = _BYLINE.match(name)
    if not match or "\n" in name:
        return None
    author = match.group(1)
    why = f"{name!r}, alone in bold or italic at the top, is a line of names: the byline"
    block_end = block.start + len(text[block.start:block.end].rstrip())
    if index == 0:
        return block, [Edit(block.start, block_end, set_fields("", {"byline": author}).rstrip(),
                            "mark_byline", why)]
    meta = blocks[0]
    return block, [
        Edit(meta.start, meta.end, set_fields(text[meta.start:meta.end], {"byline": author}),
             "mark_byline", why),
        Edit(meta.end, blocks[index + 1].start, "\n\n", "mark_byline", why),
    ]


def _bold_title(text, blocks, i, lang) -> bool:
    block = blocks[i]
    if block.kind != "Paragraph" or not block.wholly("Strong", "Emphasis"):
        return False
    if block.only_child().kind != "Strong" and block.only_child().only_child() is None:
        return False
    if not _contains_strong(block):
        return False
    words = block.visible().split()
    title = block.visible().strip()
    if "\n" in title or not words or len(words) > _MAX_TITLE_WORDS or title[-1] in ".,;:":
        return False
    if i + 1 >= len(blocks) or blocks[i + 1].kind == "Heading":
        return False
    if i > 0 and blocks[i - 1].kind == "Paragraph" and title[0].islower() and \
            ending(blocks[i - 1].visible(), lang).kind in ("none", "comma", "open"):
        return False  # a bold fragment of the sentence before, not a title
    return True


def _contains_strong(block: markdown.Node) -> bool:
    return any(node.kind == "Strong" for node in markdown.walk(block))


def _consistent_levels(levels: list[int | None]) -> list[int]:
    present = Counter(level for level in levels if level is not None)
    common = max(present.items(), key=lambda kv: (kv[1], kv[0]))[0] if present else 2
    resolved = [common if level is None else level for level in levels]
    if not resolved:
        return []
    top, fixed, previous = resolved[0], [], None
    for level in resolved:
        level = max(level, top)
        if previous is not None:
            level = min(level, previous + 1)
        fixed.append(level)
        previous = level
    return fixed


def _rewrite(text: str, block: markdown.Node, level: int | None, new_level: int) -> list[Edit]:
    edits = []
    inner = _innermost(block)
    if level is None:
        why = (f"{block.visible().strip()!r} is a line of bold text with no final punctuation "
               f"between other blocks: a title, made a level-{new_level} heading")
        edits.append(Edit(block.start, inner.children[0].start, "#" * new_level + " ",
                          "promote_bold_title", why))
        end = block.start + len(text[block.start:block.end].rstrip())
        edits.append(Edit(inner.children[-1].end, end, "", "promote_bold_title", why))
        return edits
    marker = regex.match(r"[ ]{0,3}(#{1,6})", text[block.start:block.end])
    if marker and new_level != level:
        edits.append(Edit(block.start + marker.start(1), block.start + marker.end(1),
                          "#" * new_level, "set_heading_level",
                          f"level {level} made {new_level}: headings of the same rank must share "
                          "a level"))
    if block.wholly("Strong", "Emphasis") and _contains_strong(block) and marker:
        why = f"the whole heading {block.visible().strip()!r} was also marked bold"
        edits.append(Edit(block.children[0].start, inner.children[0].start, "", "unbold_heading",
                          why))
        edits.append(Edit(inner.children[-1].end, block.children[-1].end, "", "unbold_heading",
                          why))
    return edits


def _innermost(block: markdown.Node) -> markdown.Node:
    node = block
    while node.only_child() is not None and node.only_child().kind in ("Strong", "Emphasis"):
        node = node.only_child()
    return node
