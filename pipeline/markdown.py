"""The markdown syntax tree of a text, from a real CommonMark parser (pyromark, i.e. pulldown-cmark).

Stages read block and inline structure from here instead of guessing it with regexes, and the TEI
writer maps the same tree to elements. pyromark reports UTF-8 byte ranges; they are converted once to
character offsets, the unit the rest of the pipeline speaks.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from itertools import accumulate, count
from operator import add
from dataclasses import dataclass, field

import pyromark

OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
           | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS
           | pyromark.Options.ENABLE_FOOTNOTES)

# Inline containers whose text a reader sees; everything else inline is a leaf.
CONTAINERS = {"Emphasis", "Strong", "Strikethrough", "Link", "Image"}
# How deep markup may nest (block quotations, lists, emphasis, links, one level each). XML readers
# refuse deeper documents (libxml2 stops at 256 elements, and an image is two in TEI), and no real
# text comes near it: `> > > …` a hundred times over is damage or an attack, not a quotation.
MAX_DEPTH = 100


class TooDeep(ValueError):
    """Markup nested deeper than MAX_DEPTH, at `offset` in `text` (the text being parsed)."""

    def __init__(self, text: str, offset: int) -> None:
        super().__init__(f"markup nested more than {MAX_DEPTH} levels deep at offset {offset}")
        self.text, self.offset = text, offset


@dataclass(eq=False, slots=True)  # nodes are compared by identity: deep equality would walk whole trees
class Node:
    kind: str
    start: int
    end: int
    level: int = 0
    dest: str | None = None
    text: str = ""
    ordered_start: int | None = None
    children: list[Node] = field(default_factory=list)

    def visible(self) -> str:
        """The text a reader sees: what the parser consumed as markup is gone."""
        if self.kind in ("Text", "Code", "Html", "InlineHtml", "InlineMath", "DisplayMath"):
            return self.text
        if self.kind in ("SoftBreak", "HardBreak"):
            return "\n"
        return "".join(child.visible() for child in self.children)

    def only_child(self) -> Node | None:
        """The single inline that makes up this block, ignoring surrounding blank text."""
        content = [c for c in self.children if not (c.kind == "Text" and not c.text.strip())]
        return content[0] if len(content) == 1 else None

    def wholly(self, *kinds: str) -> bool:
        """True when the block is nothing but nested `kinds` around text: `***x***`, `**x**`."""
        node = self
        for _ in range(3):
            child = node.only_child()
            if child is None or child.kind not in kinds:
                return node is not self and _plain(node)
            node = child
        return _plain(node)


def _plain(node: Node) -> bool:
    return all(c.kind in ("Text", "SoftBreak") for c in node.children)


class _Offsets:
    """UTF-8 byte offset → character offset.

    Every character has exactly one byte that is not a continuation byte (0b10xxxxxx), so a
    character offset is the byte offset less the continuation bytes before it: one binary search
    in their positions. The positions are found in C: the k-th continuation byte comes after the
    first k pieces the continuation bytes split the text into, and after k continuation bytes.
    """

    def __init__(self, text: str) -> None:
        if text.isascii():
            self.continuation = None
            return
        pieces = _CONTINUATION.split(text.encode("utf-8", "surrogatepass"))
        self.continuation = array("l", map(add, accumulate(map(len, pieces[:-1])), count()))

    def __call__(self, byte: int) -> int:
        if self.continuation is None:
            return byte
        return byte - bisect_left(self.continuation, byte)


_CONTINUATION = re.compile(rb"[\x80-\xbf]")


def parse(text: str) -> Node:
    """The document tree; block nodes span their source, inline nodes their markup.

    A stage that changed nothing hands the next one the very same string, so the last tree is
    kept and given again for it (trees are never modified once built).
    """
    if _last[0] is text:
        return _last[1]
    _last[:] = [None, None]  # the old tree goes before the new one is built, not after
    _last[:] = [text, _parse(text)]
    return _last[1]


_last: list = [None, None]


def _parse(text: str) -> Node:
    offsets = _Offsets(text)
    root = Node("Document", 0, len(text))
    stack = [root]
    for event, span in pyromark.events_with_range(text, options=OPTIONS):
        if type(event) is str:  # a leaf without payload: SoftBreak, HardBreak, Rule
            stack[-1].children.append(Node(event, offsets(span["start"]),
                                           offsets(span["end"])))
            continue
        (key, value), = event.items()
        if key == "End":
            stack.pop()
            continue
        start, end = offsets(span["start"]), offsets(span["end"])
        if key == "Start":
            if len(stack) > MAX_DEPTH:
                raise TooDeep(text, start)
            node = _node(value, start, end)
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack[-1].children.append(Node(key, start, end,
                                           text=value if type(value) is str else ""))
    return root


def _node(tag, start: int, end: int) -> Node:
    if isinstance(tag, str):
        return Node(tag, start, end)
    (kind, info), = tag.items()
    if kind == "Heading":
        return Node(kind, start, end, level=int(info["level"][1:]))
    if kind in ("Link", "Image"):
        # An autolinked mail address (`<name@example.org>`) links to its mailto: address.
        mail = "mailto:" if info["link_type"] == "Email" else ""
        return Node(kind, start, end, dest=mail + info["dest_url"])
    if kind == "FootnoteDefinition":
        return Node(kind, start, end, dest=info)  # its label
    if kind == "List":
        return Node(kind, start, end, ordered_start=info)
    return Node(kind, start, end)


def walk(node: Node):
    """Every node below `node`, depth first, in document order.

    With a stack of iterators, not recursion: a generator nested in a generator per level hands
    each node up through every level above it.
    """
    stack = [iter(node.children)]
    while stack:
        for child in stack[-1]:
            yield child
            if child.children:
                stack.append(iter(child.children))
            break
        else:
            stack.pop()


def separated_by_blank_lines(text: str, a: Node, b: Node) -> bool:
    """Two top-level blocks with nothing but blank lines between them."""
    between = text[a.end:b.start]
    return not between.strip() and between.count("\n") + text[a.start:a.end].endswith("\n") >= 2
