"""The TEI writer: the repaired markdown's syntax tree mapped to TEI P5, one function per node kind.

The writer decides nothing about the text: every repair is already an edit in the markdown, and the
writer maps syntax (headings, emphasis, links, block quotations, lists, front matter fields) to
elements. It adds the header (who made the file and who publishes it, the work and the raw file with
its checksum, the tool, the editorial practice, counts) and one record per change in the header's
`revisionDesc`, each pointing at the body element the change landed in: renderers show the reading
text, and the page furniture the pages stage removed comes back as `<fw>` beside its `<pb/>`.

The layout is for `git diff`: one block element per line, records one per line, and no element's
reading text is ever re-indented.
"""

from __future__ import annotations

import datetime
import os
import re
import time
from bisect import bisect_right
from collections import Counter
from functools import cache
from urllib.parse import quote
from pathlib import Path

import yaml
from lxml import etree

from pipeline import __version__, config, editorial, frontmatter, markdown, process
from pipeline.extract import facsimile
from pipeline.model import Change
from pipeline.process import Result
from pipeline.stages import STAGES, pages
from pipeline.stages.headings import is_label

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_LANGUAGES = {"es": "Spanish", "en": "English", "fr": "French", "de": "German",
              "pt": "Portuguese", "it": "Italian"}
# Characters XML 1.0 cannot carry; a change that removed one shows it as <g>.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Inline nodes that are only text in TEI.
_INLINE_TEXT = {"Text", "Html", "InlineHtml", "InlineMath", "DisplayMath"}
_RECORDS_PLACE = "change records"
RAW_PREFIX = "raw"  # `raw:NAME#char=S,E`, declared in the header's listPrefixDef
PIPELINE_ID = "pipeline"  # the xml:id of the pipeline's respStmt, which every record points at
# Front matter fields the writer maps to TEI elements; the others are kept as notes.
_MAPPED_FIELDS = {"title", "author", "byline", "type"}
_RECORD_INDENT = b"\n          "  # between records, as `_layout` indents their listChange
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_LEAF_BLOCKS = {"p", "head", "item", "docAuthor", "ab", "cell", "label"}
_LAYOUT = {"TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "bibl",
           "encodingDesc", "appInfo", "application", "editorialDecl", "profileDesc", "langUsage",
           "revisionDesc", "listChange", "change", "list", "text", "body", "div", "quote",
           "byline", "table", "row", "notesStmt", "availability", "listPrefixDef", "prefixDef",
           "refsDecl", "correction", "normalization", "hyphenation", "punctuation", "quotation",
           "segmentation", "respStmt"}


_XML_ATTRIBUTES = {f"xml:{name}": f"{{{XML_NS}}}{name}" for name in ("id", "lang", "space")}


def _attributes(attrib: dict | None) -> dict | None:
    if not attrib:
        return None
    return {_XML_ATTRIBUTES.get(key, key): _NOT_XML.sub(_percent, value) if _NOT_XML.search(value)
            else value for key, value in attrib.items()}


# What a URI (RFC 3986) holds as it is: its own characters, a `%` that escapes a byte, the `#` that
# starts the fragment, and letters beyond ASCII (an IRI's). Anything else is percent-encoded.
_URI_PART = re.compile(r"(%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~:/?@!$&'()*+,;=]+)|(#)|([^\x00-\x7f])|.",
                       re.DOTALL)


def _uri(dest: str) -> str:
    """A link's destination as @target can hold it (xsd:anyURI): a dump's `[x](<a b>)` or a bare
    address that runs into `##` keeps its characters, escaped as a browser sends them."""
    parts, fragment = [], False
    for match in _URI_PART.finditer(dest):
        kept, hash_, wide = match.groups()
        if kept or wide and not _NOT_XML.match(wide) or hash_ and not fragment:
            parts.append(match.group())
        else:
            parts.append(_percent(match))
        fragment = fragment or bool(hash_)
    return "".join(parts)


def _percent(match: re.Match) -> str:
    # An attribute can hold neither a character XML forbids nor a <g> for it: a link target or a
    # note label with one (left there by a reviewer's rejected removal) has it as a URI has it.
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8", "surrogatepass"))


@cache
def _tag(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def E(tag: str, attrib: dict | None = None, text: str | None = None) -> etree._Element:
    element = etree.Element(_tag(tag), _attributes(attrib), nsmap={None: TEI_NS})
    if text is not None:
        _set_text(element, text)
    return element


def sub(parent, tag: str, attrib: dict | None = None, text: str | None = None):
    element = etree.SubElement(parent, _tag(tag), _attributes(attrib))
    if text is not None:
        _set_text(element, text)
    return element


def _set_text(element, text: str) -> None:
    """The text of a new, empty element: most text has no XML-forbidden character in it."""
    if _NOT_XML.search(text) is None:
        element.text = text
    else:
        _append_text(element, text)


def _append_text(parent, text: str) -> None:
    """Append text after the last child (or inside `parent`), XML-forbidden characters as <g>."""
    if _NOT_XML.search(text) is None:
        pieces, controls = [text], []
    else:
        pieces, controls = _NOT_XML.split(text), _NOT_XML.findall(text)
    for i, piece in enumerate(pieces):
        last = next(reversed(parent), None)  # len(parent) would count every child, every time
        if last is not None:
            last.tail = (last.tail or "") + piece
        else:
            parent.text = (parent.text or "") + piece
        if i < len(controls):
            # <figDesc> holds no <g>: there it is the original's character, <choice><orig><g>.
            holder = sub(sub(parent, "choice"), "orig") if parent.tag == _tag("figDesc") else parent
            sub(holder, "g", {"type": "unrepresentable", "n": f"U+{ord(controls[i]):04X}"})


def write(result: Result, tei_path: Path, settings: config.TeiSettings | None = None) -> bytes:
    """The TEI document for `result`, as bytes; `tei_path` only places the raw file relative to
    it. `settings` are the collection's (`[tool.pipeline.tei]`), read from pyproject.toml when
    not given."""
    root = markdown.parse(result.text)
    fields = _front_matter(result.text, root)
    ids = _Ids(result)
    reviewers = _reviewers(result)
    breaks = _page_breaks(result)
    body_builder = _Body(result, ids, fields, breaks)
    tei = E("TEI", {"xml:lang": result.lang} if result.lang else None)
    raw_dir = Path(os.path.relpath(result.source.path.parent, tei_path.parent)).as_posix()
    settings = settings or config.tei_settings()
    raw_name = quote(result.source.path.name)
    header = _header(result, fields, raw_dir, _title(root), reviewers, settings, tei_path)
    tei.append(header)
    # The body is built in its place: moving a finished body into another document costs
    # libxml2 time quadratic in the number of its xml:ids (18 s for 160 000 empty headings).
    body_builder.build(root, sub(tei, "text"))
    body_builder.resolve_links(result.changes)
    facsimile.add(tei, result, breaks, f"{raw_dir}/{raw_name}")
    targets = body_builder.targets()
    # Doubts, stale decisions and links that lead nowhere are notes on the file, in the header:
    # renderers (the Consortium's Stylesheets, CETEIcean) show the reading text only.
    notes = [*_doubt_notes(result, ids, targets), *_stale_notes(result, reviewers),
             *body_builder.unresolved]
    if notes:
        notes_stmt = E("notesStmt")
        notes_stmt.extend(notes)
        header.find(_tag("fileDesc")).find(_tag("sourceDesc")).addprevious(notes_stmt)
    records = header.find(f".//{_tag('listChange')}[@type='provenance']")
    # A plain-text dump's stages up to layout read text that is not yet markdown.
    plain_stages = {"encoding", "pages", "layout"} if result.kind == "plain" else set()
    previous: dict[str, int] = {}  # the last applied change's offset, per stage
    written: list[bytes] = []  # each record on its line, encoded at once: a dump's records are
    for change in result.changes:  # often larger than the dump
        step = None
        if change.applied:
            step = change.out_start - previous.get(change.stage, 0)
            previous[change.stage] = change.out_start
        written += [_RECORD_INDENT, _record(change, ids.change(change),
                                            targets(change.final_start), raw_name, reviewers,
                                            step, change.stage in plain_stages).encode("utf-8")]
    if written:
        records.append(etree.Comment(_RECORDS_PLACE))  # where the serialized records go
    else:
        records.getparent().remove(records)
    _layout(tei, 0)
    # The writer makes no other comment, and a `<!--` in text or attributes is escaped. The
    # document is joined once from its pieces: each copy of it costs its whole size again.
    head, *tail = etree.tostring(tei, encoding="UTF-8", xml_declaration=False).split(
        f"<!--{_RECORDS_PLACE}-->".encode(), 1)
    return b"".join([_DECLARATION, head, *written[1:], *tail, b"\n"])


def _doubt_notes(result: Result, ids: _Ids, targets) -> list:
    return [E("note", {"type": "doubt", "subtype": doubt.stage, "n": doubt.rule,
                       "xml:id": ids.unique(doubt.id), "target": "#" + targets(doubt.final_start),
                       "resp": "#" + PIPELINE_ID},
              f"Line {doubt.raw_line}, column {doubt.raw_column}: {doubt.reason}")
            for doubt in result.doubts]


def _stale_notes(result: Result, reviewers: dict[str, str]) -> list:
    return [E("note", {"type": "stale-decision", "n": decision.change_id,
                       "resp": "#" + reviewers[decision.reviewer]},
              f"The {decision.verdict} decision of {decision.date} on {decision.change_id} "
              f"matches no change and was not applied: {reason}.")
            for decision, reason in result.stale]


# A page break in the repaired text: where the page begins, its number, and the furniture the
# pages stage removed there, as (type, place, text) for <fw>: the foot of the page before, then
# the head of this one. An entry with `pb` False only carries the last page's foot.
PageBreak = tuple[int, str | None, list[tuple[str, str, str]], bool]


def _page_breaks(result: Result) -> list[PageBreak]:
    """Where each page of the dump begins in the repaired text, with its number and furniture:
    the pages stage removed the breaks from the reading text, and they come back as `<pb/>`
    with the running heads, folios, catchwords and signatures beside them as `<fw>` (PH, as the
    DTA base format keeps them)."""
    # A dump with pages always has a change there; the others need no second pass over the text.
    if not any(change.stage == "pages" for change in result.changes):
        return []
    k = result.stages.index("pages")
    text = result.stage_text(k)
    paged = pages.paginate(text)
    found = pages.breaks(text, paged)
    if not found:
        return []
    furniture = _furniture(text, paged, _removed(result))
    entries = [(process.forward(result.alignments[k:], pos), number, fw, True)
               for (pos, number), fw in zip(found, furniture)]
    if furniture[-1]:
        entries.append((len(result.text), None, furniture[-1], False))
    return sorted(entries, key=lambda entry: entry[0])


def _removed(result: Result) -> list[tuple[int, int]]:
    """The spans of the pages stage's input that its applied changes removed or replaced."""
    spans, delta = [], 0
    for change in result.changes:
        if change.stage == "pages" and change.applied:
            start = change.out_start - delta
            spans.append((start, start + len(change.before)))
            delta += len(change.after) - len(change.before)
    return spans


def _furniture(text: str, found: list[pages.Page],
               removed: list[tuple[int, int]]) -> list[list[tuple[str, str, str]]]:
    """For each page break of `text` (and one more, for the end), the furniture around it:
    the lines at the pages' edges that the pages stage took for furniture and removed."""
    edges, firsts = [], []
    for page in found:
        lines = [(m.start(), m.group().strip()) for m in _LINE.finditer(text, page.start, page.end)]
        top, bottom = lines[:page.top], lines[len(lines) - page.bottom:] if page.bottom else []
        edges.append(([line for line in top if _inside(line, removed)],
                      [line for line in bottom if _inside(line, removed) and line not in top]))
        body = lines[page.top:len(lines) - page.bottom]
        firsts.append(body[0][1].split()[0] if body else "")
    result: list[list[tuple[str, str, str]]] = []
    for i in range(len(found) + 1):
        foot = [fw for _, line in (edges[i - 1][1] if i else [])
                for fw in _fw(line, "bottom", firsts[i] if i < len(found) else "",
                              found[i - 1].number)]
        head = [fw for _, line in (edges[i][0] if i < len(found) else [])
                for fw in _fw(line, "top", "", found[i].number)]
        result.append(foot + head)
    return result


_LINE = re.compile(r"[^\n\f]*\S[^\n\f]*")
_MARKS = ".,;:!?-"
_RUNNING = {"top": "header", "bottom": "footer"}  # a running title above the text, or below it


def _inside(line: tuple[int, str], spans: list[tuple[int, int]]) -> bool:
    """Whether the line lies in one of `spans` (in order, apart)."""
    start, content = line
    i = bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and start + len(content) <= spans[i][1]


_FOLIO_BESIDE = re.compile(r"^(\d{1,4})\s+(\S.*)$|^(.*\S)\s+(\d{1,4}(?:\s*/\s*\d{1,4})?)$")
# A gathering's signature: a letter or two (Aa, BB) with the leaf's number, or a star.
_SIGNATURE = re.compile(r"^(?:\*|[A-Z][a-z]?|[A-Z]{2})\s?[0-9ivx]{0,3}$")


def _fw(line: str, place: str, next_word: str,
        number: str | None = None) -> list[tuple[str, str, str]]:
    """A furniture line as <fw> pieces: a folio (pageNum), a running head or foot (header,
    footer) with or without a folio beside it, a signature mark (sig) or a catchword (catch, the
    first word of the next page). A number beside a head is its folio when it is the page's
    `number` or set apart by a column gap ('2  HISTORY'); 'Annual report 2024' is a head."""
    if pages.is_folio(line):
        return [("pageNum", place, line)]
    beside = _FOLIO_BESIDE.match(line)
    if beside:
        folio, head = (beside.group(1), beside.group(2)) if beside.group(1) else \
            (beside.group(4), beside.group(3))
        if folio == number or len(line) - len(folio) - len(head) >= 2:
            pieces = [("pageNum", place, folio), (_RUNNING[place], place, head)]
            return pieces if beside.group(1) else pieces[::-1]
    if place == "bottom" and _SIGNATURE.match(line):
        return [("sig", place, line)]
    if place == "bottom" and " " not in line and line.strip(_MARKS) == next_word.strip(_MARKS):
        return [("catch", place, line)]
    return [(_RUNNING[place], place, line)]


def _title(root: markdown.Node) -> str | None:
    """The dump's own title: a heading that opens it and is the only one at its level."""
    blocks = [b for b in root.children if b.kind != "MetadataBlock"]
    if not blocks or blocks[0].kind != "Heading":
        return None
    level = blocks[0].level
    if any(b.kind == "Heading" and b.level <= level for b in blocks[1:]):
        return None
    return blocks[0].visible().strip() or None


def _front_matter(text: str, root: markdown.Node) -> dict:
    first = root.children[0] if root.children else None
    if first is None or first.kind != "MetadataBlock":
        return {}
    return frontmatter.read(text[first.start:first.end])


class _Ids:
    """Stable ids: derived from raw offsets, never from counters over the whole document."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.used: set[str] = set()

    def unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def block(self, kind: str, final_start: int) -> str:
        return self.unique(f"{kind}-{self.result.to_raw(final_start)}")

    def change(self, change: Change) -> str:
        return self.unique(change.id)


class _Body:
    """Builds `<body>` from the markdown tree and remembers where each block element landed."""

    def __init__(self, result: Result, ids: _Ids, fields: dict,
                 page_breaks: list[PageBreak]) -> None:
        self.result, self.ids, self.fields = result, ids, fields
        self.spans: list[tuple[int, int, str]] = []  # (final start, final end, xml:id), in order
        self.page_breaks = page_breaks[::-1]  # the next one last
        self.footnotes: dict[str, str] = {}  # a label -> the xml:id of its (first) <note>
        self.note_ids: dict[int, str] = {}  # a footnote definition's start -> its <note>'s id
        self.definitions: dict[str, markdown.Node] = {}  # a label -> its (first) definition
        self.anchored: set[str] = set()  # labels whose note is written at a mark
        self.aside = False  # writing a footnote at its mark, away from its place in the text
        self.links: list[tuple[etree._Element, str, int]] = []  # <ref> to '#x', x, where
        self.anchors: dict[str, str] = {}  # '{#x}' and heading slugs -> the xml:id there
        self.unresolved: list[etree._Element] = []  # notes on links that lead nowhere
        self.written_notes: set[str] = set()

    def _pb(self, parent, before: int, inclusive: bool = False) -> None:
        """Write the page breaks that fall before `before` (or at it) into `parent`, each with
        the furniture of its page's edges around it."""
        breaks = self.page_breaks
        if self.aside:
            return
        while breaks and (breaks[-1][0] < before or inclusive and breaks[-1][0] == before):
            _, number, furniture, is_pb = breaks.pop()
            foot = [fw for fw in furniture if fw[1] == "bottom"]
            for kind, place, text in foot:
                sub(parent, "fw", {"type": kind, "place": place}, text)
            if is_pb:
                sub(parent, "pb", {"n": number} if number else None)
            for kind, place, text in furniture[len(foot):]:
                sub(parent, "fw", {"type": kind, "place": place}, text)

    def build(self, root: markdown.Node, parent) -> None:
        body = sub(parent, "body")
        for node in markdown.walk(root):  # notes may come after their anchors
            if node.kind == "FootnoteDefinition":
                self.note_ids[node.start] = self.ids.block("fn", node.start)
                self.footnotes.setdefault(node.dest, self.note_ids[node.start])
                self.definitions.setdefault(node.dest, node)
            elif node.kind == "FootnoteReference":
                self.anchored.add(node.text)
        self.anchored &= self.footnotes.keys()
        blocks = [b for b in root.children if b.kind != "MetadataBlock"]
        headings = sorted({b.level for b in blocks if b.kind == "Heading"})
        division = "article" if self.fields.get("type") == "compilation" else "section"
        stack = [(0, body)]
        if headings and blocks and blocks[0].kind != "Heading":
            stack.append((headings[0], self._div(body, division, blocks[0].start)))
        # A byline is only found first in a dump or right under its opening title: it goes back
        # where it was read, under that title's head when there is one.
        under_title = bool(blocks) and blocks[0].kind == "Heading"
        if not under_title:
            self._byline(stack[-1][1], root)
        previous = None
        for block in blocks:
            self._pb(stack[-1][1], block.start, inclusive=True)
            if block.kind == "Heading" and previous is not None and is_label(previous) and \
                    previous.level == block.level and len(stack[-1][1]) == 1:
                # A label ('Capítulo 1') and the title after it: one heading split in two, the
                # two <head>s of one division.
                self._leaf(stack[-1][1], "head", block)
            elif block.kind == "Heading":
                rank = headings.index(block.level) + 1
                while len(stack) > 1 and stack[-1][0] >= rank:
                    stack.pop()
                div = self._div(stack[-1][1], division if rank == 1 else "section", block.start)
                stack.append((rank, div))
                head = self._leaf(div, "head", block)
                for slug in _slugs(block.visible()):
                    self.anchors.setdefault(slug, head.get(f"{{{XML_NS}}}id"))
                if under_title:
                    self._byline(div, root)
                    under_title = False
            else:
                self.block(stack[-1][1], block)
            previous = block
        self._pb(stack[-1][1], len(self.result.text) + 1)
        if not any(etree.QName(child).localname not in ("milestone", "pb")
                   for child in body.iter() if child is not body):
            self._leaf(body, "p", markdown.Node("Paragraph", 0, 0))  # TEI's body needs a block

    def _div(self, parent, kind: str, start: int):
        div = sub(parent, "div", {"type": kind, "xml:id": self.ids.block("div", start)})
        return div

    def _byline(self, parent, root: markdown.Node) -> None:
        byline = self.fields.get("byline")
        if isinstance(byline, str) and root.children:
            meta = root.children[0]
            element = sub(parent, "byline", {"xml:id": self.ids.block("byline", meta.start)})
            sub(element, "docAuthor", text=byline)
            self.spans.append((meta.start, meta.end, element.get(f"{{{XML_NS}}}id")))

    def _leaf(self, parent, tag: str, node: markdown.Node, attrib: dict | None = None):
        element = sub(parent, tag, {**(attrib or {}), "xml:id": self.ids.block(tag, node.start)})
        self.inlines(element, node.children)
        self.spans.append((node.start, node.end, element.get(f"{{{XML_NS}}}id")))
        return element

    def block(self, parent, node: markdown.Node) -> None:
        kind = node.kind
        if kind == "Paragraph":
            self._leaf(parent, "p", node)
        elif kind == "Heading":  # inside a quotation or list: no division to open
            self._leaf(parent, "p", node, {"rend": f"h{node.level}"})
        elif kind == "BlockQuote":
            quote = sub(parent, "quote", {"xml:id": self.ids.block("quote", node.start)})
            for child in node.children:
                self.block(quote, child)
            if not len(quote):
                self._leaf(quote, "p", markdown.Node("Paragraph", node.start, node.start))
        elif kind == "List":
            ordered = node.ordered_start is not None
            lst = sub(parent, "list", {"rend": "numbered" if ordered else "bulleted",
                                       "xml:id": self.ids.block("list", node.start)})
            for item in node.children:
                self._item(lst, item)
        elif kind in ("CodeBlock", "HtmlBlock"):
            code = self._leaf(parent, "ab", node, {"type": "code" if kind == "CodeBlock"
                                                   else "html"})
            code.set(f"{{{XML_NS}}}space", "preserve")
        elif kind == "Table":
            self._table(parent, node)
        elif kind == "FootnoteDefinition":
            # A note is written at its mark (CONONO, as the DTA does); one that no mark refers
            # to, or a second definition of a label, stays where the dump has it.
            if self.definitions.get(node.dest) is not node or node.dest not in self.anchored:
                self._note(parent, node)
        elif kind == "Rule":
            rule = sub(parent, "milestone", {"unit": "section", "rend": "rule",
                                             "xml:id": self.ids.block("milestone", node.start)})
            self.spans.append((node.start, node.end, rule.get(f"{{{XML_NS}}}id")))
        else:
            self._leaf(parent, "p", node)

    def _note(self, parent, node: markdown.Node) -> None:
        note_id = self.note_ids[node.start]
        self.written_notes.add(note_id)
        note = sub(parent, "note", {"place": "foot", "n": _mark(node.dest), "xml:id": note_id})
        for child in node.children:
            self.block(note, child)
        if not len(note):
            self._leaf(note, "p", markdown.Node("Paragraph", node.start, node.start))

    def _item(self, lst, item: markdown.Node) -> None:
        if any(child.kind in ITEM_BLOCKS for child in item.children):
            # A tight item's own text, then the list under it: the text is one <p>.
            element = sub(lst, "item", {"xml:id": self.ids.block("item", item.start)})
            for run in item_parts(item):
                if isinstance(run, list):
                    self._leaf(element, "p", markdown.Node("Paragraph", run[0].start,
                                                           run[-1].end, children=run))
                else:
                    self.block(element, run)
        else:
            self._leaf(lst, "item", item)

    def _table(self, parent, node: markdown.Node) -> None:
        table = sub(parent, "table", {"xml:id": self.ids.block("table", node.start)})
        for part in node.children:
            rows = part.children if part.kind == "TableHead" and part.children and \
                part.children[0].kind == "TableRow" else [part]
            for row in rows:
                row_el = sub(table, "row", {"role": "label"} if part.kind == "TableHead" else None)
                for cell in row.children:
                    self._leaf(row_el, "cell", cell)

    def inlines(self, parent, nodes: list[markdown.Node]) -> None:
        """`nodes` mapped into `parent`, a run of text with no page break in it appended in one
        piece: lxml copies an element's whole text on every append, so a paragraph of 100 000
        `[` (each a text node to the parser) appended node by node takes quadratic time."""
        run: list[str] = []
        for node in nodes:
            if node.kind in _INLINE_TEXT and (self.aside or not (
                    self.page_breaks and self.page_breaks[-1][0] < node.end)):
                run.append(node.text)
                continue
            if run:
                _append_text(parent, "".join(run))
                run = []
            self.inline(parent, node)
        if run:
            _append_text(parent, "".join(run))

    def inline(self, parent, node: markdown.Node) -> None:
        kind = node.kind
        self._pb(parent, node.start)
        if kind == "Text" and len(node.text) == node.end - node.start and not self.aside:
            # A page break inside a paragraph: the milestone goes where the page turned.
            cut = node.start
            while self.page_breaks and self.page_breaks[-1][0] < node.end:
                at = self.page_breaks[-1][0]
                _append_text(parent, node.text[cut - node.start:at - node.start])
                self._pb(parent, at, inclusive=True)
                cut = at
            _append_text(parent, node.text[cut - node.start:])
        elif kind in ("Text", "Html", "InlineHtml", "InlineMath", "DisplayMath"):
            _append_text(parent, node.text)
        elif kind == "Code":
            sub(parent, "code", text=node.text)
        elif kind == "FootnoteReference":
            definition = self.definitions[node.text]  # the parser reads '[^x]' with none as text
            if self.note_ids[definition.start] in self.written_notes:
                # A second mark of one note: it points at the note the first one holds.
                sub(parent, "ptr", {"type": "noteAnchor", "n": _mark(node.text),
                                    "target": "#" + self.note_ids[definition.start]})
            else:
                aside, self.aside = self.aside, True
                self._note(parent, definition)
                self.aside = aside
        elif kind in ("SoftBreak", "HardBreak"):
            # A line end the repairs kept is one the source meant (verse, an address, a list
            # of lines): the next line begins there, as it does in the source.
            _append_text(parent, "\n")
            sub(parent, "lb")
        elif kind in ("Emphasis", "Strong", "Strikethrough"):
            rend = {"Emphasis": "italic", "Strong": "bold", "Strikethrough": "strikethrough"}[kind]
            element = sub(parent, "hi", {"rend": rend})
            self.inlines(element, node.children)
        elif kind == "Link":
            # A lost target is an empty one by now (the links stage recorded it); TEI allows a
            # <ref> without @target, which says exactly that: a reference whose target is unknown.
            element = sub(parent, "ref", {"target": _uri(node.dest)} if node.dest else None)
            if node.dest and node.dest.startswith("#") and len(node.dest) > 1:
                self.links.append((element, node.dest[1:], node.start))
            self.inlines(element, node.children)
        elif kind == "Image":
            element = sub(parent, "figure")
            if node.dest:
                sub(element, "graphic", {"url": _uri(node.dest)})
            desc = sub(element, "figDesc")  # no <pb/> allowed in it: they follow the figure
            _append_text(desc, node.visible())
        else:
            self.inlines(parent, node.children)

    def resolve_links(self, changes) -> None:
        """Point each internal link ('#x') at the element that had '{#x}' (the headings stage
        dropped the attribute) or at the heading whose slug x is; one that leads nowhere keeps
        its text as a <ref> without @target, and a note on the file says so."""
        if not self.links:
            return
        target = self.targets()
        explicit = {}
        for change in changes:
            if change.rule == "drop_heading_attributes" and change.applied:
                for name in re.findall(r"#([^\s}]+)", change.before):
                    explicit.setdefault(name, target(change.final_start))
        for element, name, where in self.links:
            found = explicit.get(name) or self.anchors.get(name)
            if found:
                element.set("target", "#" + found)
                continue
            del element.attrib["target"]
            self.unresolved.append(E("note", {
                "type": "unresolved-link", "target": "#" + target(where),
                "resp": "#" + PIPELINE_ID},
                f"The link '{''.join(element.itertext())}' points at '#{name}', which no heading "
                "or marked element of the text has: it is kept as a reference without a "
                "target."))

    def targets(self):
        """A function from a repaired-text offset to the id of the block element there."""
        spans = sorted(self.spans)
        starts = [s for s, _, _ in spans]

        def target(pos: int) -> str:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos <= spans[i][1]:
                return spans[i][2]
            following = min(i + 1, len(spans) - 1)
            return spans[following][2]

        return target


# A footnote label the pages stage made unique with its page ('12-1'): the mark is the note's own.
_PAGED_LABEL = re.compile(r"[0-9ivxlcdm]+-([0-9¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})")


def _slugs(heading: str) -> set[str]:
    """The ids converters give a heading: GitHub's and pandoc's ('Part two' -> 'part-two').

    >>> sorted(_slugs("2. Part two: the end"))
    ['2-part-two-the-end', 'part-two-the-end']
    """
    github = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
    pandoc = re.sub(r"^[^a-z]+", "", re.sub(r"\s+", "-", re.sub(r"[^\w\-.\s]", "",
                                                               heading.strip().lower())))
    return {slug for slug in (github, pandoc) if slug}


def _mark(label: str) -> str:
    paged = _PAGED_LABEL.fullmatch(label)
    return paged.group(1) if paged else label


ITEM_BLOCKS = {"Paragraph", "List", "BlockQuote", "CodeBlock", "Heading", "HtmlBlock", "Table"}


def item_parts(item: markdown.Node):
    """A list item's blocks, each run of inline nodes between them as one list of nodes."""
    run: list[markdown.Node] = []
    for child in item.children:
        if child.kind in ITEM_BLOCKS:
            if run:
                yield run
                run = []
            yield child
        else:
            run.append(child)
    if run:
        yield run


def _reviewers(result: Result) -> dict[str, str]:
    """Each reviewer's name and the xml:id of their respStmt, which decisions point at."""
    names = {c.decision.reviewer for c in result.changes if c.decision} | \
        {decision.reviewer for decision, _ in result.stale}
    ids = {}
    for name in sorted(names):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "anonymous"
        candidate, n = f"reviewer-{slug}", 1
        while candidate in ids.values():
            n += 1
            candidate = f"reviewer-{slug}-{n}"
        ids[name] = candidate
    return ids


def _header(result: Result, fields: dict, raw_dir: str, heading: str | None,
            reviewers: dict[str, str], settings: config.TeiSettings,
            tei_path: Path) -> etree._Element:
    source = result.source
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = time.strftime("%Y-%m-%d", time.gmtime(int(epoch))) if epoch else None
    header = E("teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    work = _work(fields, heading, settings)
    # The front matter fields the work's bibl says; the others are kept as notes.
    taken = {key for key, name in _WORK_FIELDS.items()
             if _scalar(fields.get(key)) and work.get(name) == str(fields[key]).strip()}
    sub(title_stmt, "title", text=work.get("title") or source.path.name)
    if "author" in work:
        sub(title_stmt, "author", text=work["author"])
    # Who made the file (HD21, CERESP): every change record points at one of these.
    resp_stmt = sub(title_stmt, "respStmt", {"xml:id": PIPELINE_ID})
    sub(resp_stmt, "resp", text="automatic cleaning and encoding")
    sub(resp_stmt, "name", {"type": "software"}, f"pipeline {__version__}")
    for name, reviewer_id in reviewers.items():
        resp_stmt = sub(title_stmt, "respStmt", {"xml:id": reviewer_id})
        sub(resp_stmt, "resp", text="review of the automatic changes")
        sub(resp_stmt, "name", text=name)
    _publication(sub(file_desc, "publicationStmt"), settings, tei_path, today)
    source_desc = sub(file_desc, "sourceDesc")
    if work:
        bibl = sub(source_desc, "bibl", {"type": "work"})
        for key in config.SOURCE_FIELDS:
            if key == "url" and key in work:
                sub(bibl, "ref", {"target": work[key]} if _URL.fullmatch(work[key]) else None,
                    work[key])
            elif key == "date" and key in work:
                sub(bibl, "date", text=work[key])
            elif key in work:
                sub(bibl, key, text=work[key])
    bibl = sub(source_desc, "bibl", {"type": "raw"})
    sub(bibl, "ref", {"type": "raw", "target": f"{RAW_PREFIX}:{quote(source.path.name)}"},
        source.path.name)
    sub(bibl, "idno", {"type": "sha256"}, source.sha256)
    extent = sub(bibl, "extent")
    sub(extent, "measure", {"unit": "byte", "quantity": str(source.size)}, f"{source.size} bytes")
    sub(bibl, "note", {"type": "input-kind", "n": result.kind,
                       "subtype": "user" if result.kind_evidence == process.FORCED else "detected"},
        f"Read as {'markdown' if result.kind == 'markdown' else 'plain text'}: "
        f"{result.kind_evidence}.")
    for key, value in fields.items():
        if key not in _MAPPED_FIELDS and key not in taken:
            # The dump's own front matter (tags, a summary): kept as it was written, since TEI
            # has no one place for every such field.
            sub(bibl, "note", {"type": "front-matter", "n": str(key)},
                value if isinstance(value, str) else
                yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                               width=10**6).strip().removesuffix("...").strip())
    sub(bibl, "note", {"type": "encoding", "n": source.codec + (
        "" if source.newline == "\n" else "+" + {"\r\n": "crlf", "\r": "cr"}[source.newline])},
        f"Decoded as {source.codec}: {source.evidence}.")
    _encoding(sub(header, "encodingDesc"), settings, raw_dir, today)
    facsimile.header(bibl, header.find(f"{_tag('encodingDesc')}/{_tag('appInfo')}"), source)
    if result.lang:
        profile = sub(header, "profileDesc")
        usage = sub(profile, "langUsage")
        sub(usage, "language", {"ident": result.lang},
            f"{_LANGUAGES[result.lang]} (detected: {result.lang_evidence})")
    # The history of the file (HD6): a change per stage and per reviewer, then one record per
    # change, which `_record` writes.
    history = sub(sub(header, "revisionDesc"), "listChange")
    for stage in result.stages:
        counts = result.counts(stage)
        attrib = {"n": stage, "who": "#" + PIPELINE_ID, **({"when": today} if today else {})}
        change = sub(history, "change", attrib,
                     f"Stage {stage}: {sum(counts.values())} changes.")
        if counts:
            listing = sub(change, "list")
            for rule, count in sorted(counts.items()):
                sub(listing, "item", {"n": rule}, f"{rule}: {count}")
    for name, reviewer_id in reviewers.items():
        decided = [c.decision for c in result.changes if c.decision and c.decision.reviewer == name]
        verdicts = Counter(d.verdict for d in decided)
        attrib = {"n": "review", "who": "#" + reviewer_id}
        if decided:
            attrib["when"] = max(d.date for d in decided)
        stale = sum(1 for d, _ in result.stale if d.reviewer == name)
        sub(history, "change", attrib,
            f"Review by {name}: {verdicts['accept']} accepted, {verdicts['reject']} rejected "
            f"(not applied)" + (f", {stale} stale decisions matching no change." if stale
                                else "."))
    sub(history, "listChange", {"type": "provenance"})
    return header


# Front matter fields that describe the work, as the header's work bibl writes them.
_WORK_FIELDS = {"title": "title", "author": "author", "byline": "author", "date": "date",
                "publisher": "publisher", "url": "url", "source_url": "url", "link": "url"}


def _work(fields: dict, heading: str | None, settings: config.TeiSettings) -> dict[str, str]:
    """The work the dump holds: its front matter first, then its own title, then the
    collection's settings (`[tool.pipeline.tei.source]`)."""
    work: dict[str, str] = {}
    for key, name in _WORK_FIELDS.items():
        value = fields.get(key)
        if _scalar(value) and name not in work:
            work[name] = str(value).strip()
    if heading and "title" not in work:
        work["title"] = heading
    for key, value in settings.source.items():
        work.setdefault(key, value)
    return work


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, datetime.date)) and bool(str(value).strip())


_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:\S+")


def _publication(publication, settings: config.TeiSettings, tei_path: Path,
                 today: str | None) -> None:
    """publicationStmt as HD24 has it: who publishes, the file's identifier, its licence."""
    sub(publication, "publisher", text=settings.publisher)
    if settings.authority:
        sub(publication, "authority", text=settings.authority)
    sub(publication, "idno", {"type": "filename"}, tei_path.name)
    known = settings.licence != "unknown"
    availability = sub(publication, "availability", {"status": "restricted" if known
                                                     else "unknown"})
    sub(availability, "licence", {"target": settings.licence_url} if settings.licence_url
        else None, settings.licence if known else "Licence unknown.")
    date = settings.date or today
    if date:
        sub(publication, "date", {"when": date}, date)


def _encoding(encoding_desc, settings: config.TeiSettings, raw_dir: str,
              today: str | None) -> None:
    """The tool (HDAPP), the editorial practice under HD53's headings, and the raw pointers."""
    app_info = sub(encoding_desc, "appInfo")
    application = sub(app_info, "application", {"ident": "pipeline", "version": __version__,
                                                **({"when": today} if today else {})})
    sub(application, "label", text="pipeline")
    sub(application, "desc", text="Cleans raw text dumps (converter, scraper and OCR output) "
                                  "into TEI P5 and records every change it makes.")
    sub(application, "ref", {"target": settings.code_url} if settings.code_url else None,
        settings.code_url or "source code location not given")
    decl = sub(encoding_desc, "editorialDecl")
    described = {heading: sub(decl, heading, _DECL_ATTRIBUTES.get(heading))
                 for heading in editorial.HEADINGS}
    for stage in STAGES:
        for rule, description in stage.RULES.items():
            kind, cert, heading = editorial.RULES[rule]
            sub(described[heading], "p", {"n": f"{stage.NAME}/{rule}"},
                f"{description} ({kind}; certainty {cert} unless the change says otherwise)")
    refs = sub(encoding_desc, "refsDecl")
    sub(refs, "p", text=f"A pointer {RAW_PREFIX}:NAME#char=START,END is a range of the raw "
                        "file's characters, START included and END not, counted from 0 "
                        "(RFC 5147).")
    prefixes = sub(encoding_desc, "listPrefixDef")
    prefix = sub(prefixes, "prefixDef", {"ident": RAW_PREFIX, "matchPattern": "(.+)",
                                         "replacementPattern": f"{raw_dir}/$1"})
    sub(prefix, "p", text="The raw dump the file was cleaned from, beside it as the pipeline "
                          "lays them out (raw/ and clean/, or data/raw and data/clean in a "
                          "deposited bag).")


# The practice each heading of editorialDecl declares as its attributes (HD53).
_DECL_ATTRIBUTES = {"correction": {"method": "markup"}, "normalization": {"method": "markup"},
                    "hyphenation": {"eol": "hard"}, "punctuation": {"marks": "all"},
                    "quotation": {"marks": "all"}}


def _record(change: Change, record_id: str, target: str, raw_name: str,
            reviewers: dict[str, str], step: int | None, plain_input: bool = False) -> str:
    """One change record, serialized: a TEI `<change>` in the header's `listChange` (HD6), so
    that renderers show the reading text alone. `step` places the change in its stage's output,
    counted from the previous applied change of that stage: replaying needs the place, and a
    step (unlike an absolute offset) does not shift in every later record when one change is
    added or dropped, which keeps `git diff clean/` to the records that really changed.

    The `choice` holds the change as it reads: `sic`/`corr` for an error put right, `orig`/`reg`
    for a normalisation or a structural change (COEDCOR, COEDREG). Where the pipeline's edit of
    its markdown (a heading's `## `, a quotation's `> `, a footnote's `[^1]`) reads otherwise,
    the exact edit follows as two `seg type="markdown"`: what `verify` replays. `plain_input`:
    the change's stage read a plain text's own characters, not markdown.

    Records are tens of thousands of small elements of one fixed shape: written as text they
    cost a tenth of what lxml elements do, in time and memory. A test checks that lxml reads
    each back as the record it would have built as elements.
    """
    kind = editorial.kind(change.rule)
    resp = "#" + PIPELINE_ID
    if change.decision and change.applied:
        resp += " #" + reviewers[change.decision.reviewer]
    wrong, right = ("sic", "corr") if kind == "correction" else ("orig", "reg")
    before = change.before if plain_input else editorial.reading(change.before)
    after = editorial.reading(change.after)
    parts = [_start("change", {
                 "xml:id": record_id, "type": kind, "subtype": change.rule, "n": change.stage,
                 "target": "#" + target, "resp": resp,
                 "cert": editorial.cert(change.rule, change.reason,
                                        getattr(change, "confidence", None))}),
             f"<choice><{wrong}>", _text(before), f"</{wrong}><{right}>", _text(after),
             f"</{right}></choice>"]
    if (before, after) != (change.before, change.after):
        parts += ['<seg type="markdown" subtype="before">', _text(change.before), "</seg>",
                  '<seg type="markdown" subtype="after">', _text(change.after), "</seg>"]
    parts.append(_start("ptr", {"type": "raw", "target": f"{RAW_PREFIX}:{raw_name}"
                                                         f"#char={change.raw_start},"
                                                         f"{change.raw_end}"}, True))
    if step is not None:
        parts.append(_start("num", {"type": "offset-step", "value": str(step)}, True))
    parts += ["<label>", _text(f"line {change.raw_line}, column {change.raw_column}"), "</label>"]
    if change.decision:
        decision = change.decision
        parts += [_start("seg", {"type": "decision",
                                 "subtype": "accepted" if change.applied else "rejected",
                                 "resp": "#" + reviewers[decision.reviewer]}),
                  _start("date", {"when": decision.date}), _text(decision.date), "</date>",
                  _text(f": {'accepted' if change.applied else 'rejected, not applied'} by "
                        f"{decision.reviewer}" + (f": {decision.comment}" if decision.comment
                                                  else "")),
                  "</seg>"]
    parts += ["<p>", _text(change.reason), "</p></change>"]
    return "".join(parts)


# What libxml2 writes as references: in text & < > and CR; in attribute values also " and the
# white space that attribute normalization would otherwise turn into spaces. Notes write line
# ends as references too, so that each note is one line of the file (a join's `<orig>` is two
# line ends; `git diff` should show one line).
_TEXT_SPECIAL = re.compile("[&<>\r\n]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\r\t]')
_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
               "\r": "&#13;", "\t": "&#9;"}


def _reference(match: re.Match) -> str:
    return _REFERENCES[match.group()]


def _start(tag: str, attrib: dict[str, str], empty: bool = False) -> str:
    attributes = []
    for key, value in attrib.items():
        if _NOT_XML.search(value):
            raise ValueError(f"an attribute of <{tag}> has a character XML cannot carry: {value!r}")
        attributes.append(f' {key}="{_ATTRIBUTE_SPECIAL.sub(_reference, value)}"')
    return f"<{tag}{''.join(attributes)}{'/' if empty else ''}>"


def _text(text: str) -> str:
    """Escaped text on one line, each XML-forbidden character as a <g>, as `_append_text`
    makes it."""
    if _NOT_XML.search(text) is None:
        return _TEXT_SPECIAL.sub(_reference, text)
    pieces, controls = _NOT_XML.split(text), _NOT_XML.findall(text)
    return "".join(_TEXT_SPECIAL.sub(_reference, piece) + (
        f'<g type="unrepresentable" n="U+{ord(controls[i]):04X}"/>' if i < len(controls) else "")
        for i, piece in enumerate(pieces))


def _layout(element, depth: int) -> None:
    """Put structural elements' children one per line; leave reading text as it is."""
    if not isinstance(element.tag, str):  # the notes' place
        return
    name = etree.QName(element).localname
    if name not in _LAYOUT or name in _LEAF_BLOCKS:
        return
    if name == "change" and not len(element):
        return
    if (element.text or "").strip():
        if name != "change":
            return
    children = list(element)
    if not children:
        return
    indent = "\n" + "  " * (depth + 1)
    if not (element.text or "").strip():
        element.text = indent
    for child in children:
        _layout(child, depth + 1)
        if not (child.tail or "").strip():
            child.tail = indent
    children[-1].tail = "\n" + "  " * depth
