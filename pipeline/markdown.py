"""The markdown syntax tree of a text, from a real CommonMark parser (pyromark, i.e. pulldown-cmark).

Stages read block and inline structure from here instead of guessing it with regexes, and the TEI
writer maps the same tree to elements. pyromark reports UTF-8 byte ranges; they are converted once to
character offsets, the unit the rest of the pipeline speaks.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

import pyromark

OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
           | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS)

# Inline containers whose text a reader sees; everything else inline is a leaf.
CONTAINERS = {"Emphasis", "Strong", "Strikethrough", "Link", "Image"}


@dataclass
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
    """UTF-8 byte offset → character offset, paying only for non-ASCII characters."""

    def __init__(self, text: str) -> None:
        self.byte_ends = array("q")
        self.extra = array("q")
        if text.isascii():
            return
        byte, extra = 0, 0
        for ch in text:
            width = len(ch.encode("utf-8", "surrogatepass"))
            byte += width
            if width > 1:
                extra += width - 1
                self.byte_ends.append(byte)
                self.extra.append(extra)

    def char(self, byte: int) -> int:
        i = bisect_right(self.byte_ends, byte) - 1
        return byte if i < 0 else byte - self.extra[i]


def parse(text: str) -> Node:
    """The document tree; block nodes span their source, inline nodes their markup."""
    offsets = _Offsets(text)
    root = Node("Document", 0, len(text))
    stack = [root]
    for event, span in pyromark.events_with_range(text, options=OPTIONS):
        start, end = offsets.char(span["start"]), offsets.char(span["end"])
        if "Start" in event:
            node = _node(event["Start"], start, end)
            stack[-1].children.append(node)
            stack.append(node)
        elif "End" in event:
            stack.pop()
        else:
            (kind, value), = event.items() if isinstance(event, dict) else ((event, ""),)
            stack[-1].children.append(Node(kind, start, end, text=value if isinstance(value, str)
                                           else ""))
    return root


def _node(tag, start: int, end: int) -> Node:
    if isinstance(tag, str):
        return Node(tag, start, end)
    (kind, info), = tag.items()
    if kind == "Heading":
        return Node(kind, start, end, level=int(info["level"][1:]))
    if kind in ("Link", "Image"):
        return Node(kind, start, end, dest=info["dest_url"])
    if kind == "List":
        return Node(kind, start, end, ordered_start=info)
    return Node(kind, start, end)


def walk(node: Node):
    """Every node below `node`, depth first, in document order."""
    for child in node.children:
        yield child
        yield from walk(child)


def first_leaf(node: Node) -> Node | None:
    for child in walk(node):
        if not child.children and child.kind not in CONTAINERS:
            return child
    return None


def separated_by_blank_lines(text: str, a: Node, b: Node) -> bool:
    """Two top-level blocks with nothing but blank lines between them."""
    between = text[a.end:b.start]
    return not between.strip() and between.count("\n") + text[a.start:a.end].endswith("\n") >= 2
