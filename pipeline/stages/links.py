"""Links damaged by conversion: lost targets, links cut apart by a break, spaces around them.

Web-to-markdown converters keep a link's text but often lose its target (`[text](#)`, `()`,
`javascript:`), and PDF converters cut a link's text where the line or page broke, sometimes in the
middle of a word. They also leave a space where inline markup met punctuation or a quotation mark
(`[Asia Times](#) ,`, `" [democracia](#) "`). Real targets (http, https, mailto, relative paths)
are never touched.
"""

from __future__ import annotations

import regex

from pipeline import markdown
from pipeline.evidence import SENTENCE_END, Vocabulary, first_word, last_word
from pipeline.language import SPACED_PUNCTUATION
from pipeline.model import Context, Edit, Proposal

NAME = "links"
RULES = {
    "drop_lost_link_target": "A link whose target was lost in conversion ('#', empty, "
                             "'javascript:') keeps its text; the empty target makes it a TEI "
                             "<ref> without @target.",
    "merge_split_link": "Two links with the same (or a lost) target on either side of a "
                        "paragraph break, the first not ending a sentence, are one link cut "
                        "apart by the break and become one.",
    "rejoin_cut_link_word": "A link whose text ends in the first part of a word whose rest "
                            "starts the next paragraph takes the rest back in.",
    "remove_space_before_punctuation": "A space between the end of a link or emphasis and the "
                                       "punctuation after it is removed (not before : ; ! ? in "
                                       "French, whose typography puts one there).",
    "remove_space_inside_quotes": "A space between a quotation mark and the link or emphasis it "
                                  "encloses is removed.",
}

_LOST = regex.compile(r"^(?:#|javascript:.*|)$", regex.IGNORECASE | regex.DOTALL)
_INLINE_MARKUP = {"Link", "Emphasis", "Strong"}


def is_lost(dest: str | None) -> bool:
    return dest is not None and bool(_LOST.match(dest.strip()))


def propose(text: str, context: Context) -> Proposal:
    root = markdown.parse(text)
    vocabulary = Vocabulary(text)
    edits: list[Edit] = []
    consumed: set[int] = set()  # link starts whose target an edit across a break already rewrote
    blocks = root.children
    for a, b in zip(blocks, blocks[1:]):
        edit = _across_break(text, a, b, vocabulary)
        if edit:
            edits.append(edit)
            consumed.add(_last_link(a).start)
    for node in markdown.walk(root):
        if node.kind == "Link" and is_lost(node.dest) and node.start not in consumed:
            edit = _drop_target(text, node)
            if edit:
                edits.append(edit)
        if node.kind in _INLINE_MARKUP:
            edits.extend(_spaces_around(text, node, context.lang))
    return Proposal(edits, [])


def _last_link(block: markdown.Node) -> markdown.Node | None:
    if block.kind != "Paragraph" or not block.children:
        return None
    content = [c for c in block.children if not (c.kind in ("Text", "SoftBreak")
                                                  and not c.text.strip())]
    return content[-1] if content and content[-1].kind == "Link" else None


def _target_suffix(text: str, link: markdown.Node) -> tuple[int, str]:
    """Where the link's `](target)` starts, and that suffix with a lost target emptied."""
    close = text.rfind("](", link.start, link.end)
    suffix = text[close:link.end]
    return close, ("]()" if is_lost(link.dest) else suffix)


def _across_break(text, a, b, vocabulary) -> Edit | None:
    link = _last_link(a)
    if link is None or b.kind != "Paragraph" or not markdown.separated_by_blank_lines(text, a, b):
        return None
    close, suffix = _target_suffix(text, link)
    if close < 0:
        return None
    link_text = link.visible()
    lost = " (its target was lost)" if is_lost(link.dest) else ""
    head = b.children[0] if b.children else None
    if head is not None and head.kind == "Link" and (head.dest == link.dest or
                                                      is_lost(head.dest) and is_lost(link.dest)):
        if link_text.rstrip()[-1:] in SENTENCE_END:
            return None
        tail, first = last_word(link_text), first_word(head.visible())
        why = vocabulary.split_word(tail, first) if tail and first else None
        joiner = "" if why else " "
        return Edit(close, head.start + 1, joiner, "merge_split_link",
                    f"the link {link_text!r} ends a paragraph without ending a sentence and the "
                    f"next paragraph starts with a link to the same target{lost}"
                    + (f"; no space, since {why}" if why else ""))
    if head is not None and head.kind == "Text":
        tail, first = last_word(link_text), first_word(head.text)
        if tail and first and link_text.endswith(tail) and head.text.startswith(first) \
                and first[0].islower():
            why = vocabulary.split_word(tail, first)
            if why:
                return Edit(close, head.start + len(first), first + suffix,
                            "rejoin_cut_link_word",
                            f"the link text {link_text!r} was cut inside a word: {why}{lost}")
    return None


def _drop_target(text: str, link: markdown.Node) -> Edit | None:
    close, suffix = _target_suffix(text, link)
    if close < 0 or text[close:link.end] == suffix:
        return None
    return Edit(close + 1, link.end, suffix[1:], "drop_lost_link_target",
                f"the link target {link.dest!r} was lost in conversion; the text "
                f"{link.visible()!r} is kept, as a reference without a target")


_QUOTES_OPEN = "\"“„"
_QUOTES_CLOSE = "\"”"


def _spaces_around(text: str, node: markdown.Node, lang: str | None):
    spaced = SPACED_PUNCTUATION.get(lang, frozenset())
    what = {"Link": "link", "Emphasis": "emphasis", "Strong": "bold text"}[node.kind]
    after = regex.match(r"[ \t]+(?=([,.;:!?)\]]|[\"”](?=$|[\s.,;:!?)\]])))", text[node.end:
                                                                                 node.end + 64])
    if after:
        mark = after.group(1) or after.group(2)
        if mark in _QUOTES_CLOSE:
            yield Edit(node.end, node.end + after.end(), "", "remove_space_inside_quotes",
                       f"a space between the {what} and its closing {mark!r}")
        elif mark not in spaced:
            yield Edit(node.end, node.end + after.end(), "", "remove_space_before_punctuation",
                       f"a space between the {what} and the {mark!r} after it")
    before = regex.search(r"(?:^|(?<=[\s(\[]))([\"“„])([ \t]+)$",
                          text[max(0, node.start - 64):node.start])
    if before:
        yield Edit(node.start - len(before.group(2)), node.start, "",
                   "remove_space_inside_quotes",
                   f"a space between the opening {before.group(1)!r} and the {what}")
