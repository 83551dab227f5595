"""The TEI writer: the repaired markdown's syntax tree mapped to TEI P5, one function per node kind.

The writer decides nothing about the text: every repair is already an edit in the markdown, and the
writer maps syntax (headings, emphasis, links, block quotations, lists, front matter fields) to
elements. It adds the header (source file, checksum, tool, rules, counts) and one provenance note per
change in `standOff`, each pointing at the body element the change landed in.

The layout is for `git diff`: one block element per line, notes one per line, and no element's
reading text is ever re-indented.
"""

from __future__ import annotations

import os
import re
import time
from bisect import bisect_right
from collections import Counter
from functools import cache
from pathlib import Path

import yaml
from lxml import etree

from pipeline import __version__, frontmatter, markdown, process
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
_NOTES_PLACE = "provenance notes"
# Front matter fields the writer maps to TEI elements; the others are kept as notes.
_MAPPED_FIELDS = {"title", "author", "byline", "type"}
_NOTE_INDENT = b"\n      "  # between notes, as `_layout` indents the children of their list
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_LEAF_BLOCKS = {"p", "head", "item", "docAuthor", "ab", "cell", "label"}
_LAYOUT = {"TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "bibl",
           "encodingDesc", "appInfo", "application", "editorialDecl", "profileDesc", "langUsage",
           "revisionDesc", "change", "list", "text", "body", "div", "quote", "standOff",
           "listAnnotation", "byline", "table", "row"}


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


def write(result: Result, tei_path: Path) -> bytes:
    """The TEI document for `result`, as bytes; `tei_path` only places the raw file relative to it."""
    root = markdown.parse(result.text)
    fields = _front_matter(result.text, root)
    ids = _Ids(result)
    reviewers = _reviewers(result)
    body_builder = _Body(result, ids, fields, _page_breaks(result))
    tei = E("TEI", {"xml:lang": result.lang} if result.lang else None)
    raw_ref = Path(os.path.relpath(result.source.path, tei_path.parent)).as_posix()
    tei.append(_header(result, fields, raw_ref, _title(root), reviewers))
    # The body is built in its place: moving a finished body into another document costs
    # libxml2 time quadratic in the number of its xml:ids (18 s for 160 000 empty headings).
    body_builder.build(root, sub(tei, "text"))
    stand_off = sub(tei, "standOff")
    notes = sub(stand_off, "listAnnotation", {"type": "provenance"})
    targets = body_builder.targets()
    previous: dict[str, int] = {}  # the last applied change's offset, per stage
    written: list[bytes] = []  # each note on its line, encoded at once: a dump's notes are
    for change in result.changes:  # often larger than the dump
        step = None
        if change.applied:
            step = change.out_start - previous.get(change.stage, 0)
            previous[change.stage] = change.out_start
        written += [_NOTE_INDENT, _note(change, ids.change(change), targets(change.final_start),
                                        raw_ref, reviewers, step).encode("utf-8")]
    if result.doubts:
        doubts = sub(stand_off, "listAnnotation", {"type": "doubts"})
        for doubt in result.doubts:
            doubts.append(E("note", {"type": "doubt", "subtype": doubt.stage, "n": doubt.rule,
                                     "xml:id": ids.unique(doubt.id),
                                     "target": "#" + targets(doubt.final_start)},
                            f"Line {doubt.raw_line}, column {doubt.raw_column}: {doubt.reason}"))
    if result.stale:
        stale = sub(stand_off, "listAnnotation", {"type": "stale-decisions"})
        for decision, reason in result.stale:
            sub(stale, "note", {"type": "stale-decision", "n": decision.change_id,
                                "resp": "#" + reviewers[decision.reviewer]},
                f"The {decision.verdict} decision of {decision.date} on {decision.change_id} "
                f"matches no change and was not applied: {reason}.")
    if written:
        notes.append(etree.Comment(_NOTES_PLACE))  # where the serialized notes go
    else:
        stand_off.remove(notes)
    if not len(stand_off):
        tei.remove(stand_off)
    _layout(tei, 0)
    # The writer makes no other comment, and a `<!--` in text or attributes is escaped. The
    # document is joined once from its pieces: each copy of it costs its whole size again.
    head, *tail = etree.tostring(tei, encoding="UTF-8", xml_declaration=False).split(
        f"<!--{_NOTES_PLACE}-->".encode(), 1)
    return b"".join([_DECLARATION, head, *written[1:], *tail, b"\n"])


def _page_breaks(result: Result) -> list[tuple[int, str | None]]:
    """Where each page of the dump begins in the repaired text, with its number: the pages
    stage removed the breaks from the reading text, and they come back as `<pb/>`."""
    # A dump with pages always has a change there; the others need no second pass over the text.
    if not any(change.stage == "pages" for change in result.changes):
        return []
    k = result.stages.index("pages")
    found = [(process.forward(result.alignments[k:], pos), number)
             for pos, number in pages.breaks(result.stage_text(k))]
    return sorted(found, key=lambda found: found[0])


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
                 page_breaks: list[tuple[int, str | None]]) -> None:
        self.result, self.ids, self.fields = result, ids, fields
        self.spans: list[tuple[int, int, str]] = []  # (final start, final end, xml:id), in order
        self.page_breaks = page_breaks[::-1]  # the next one last
        self.footnotes: dict[str, str] = {}  # a label -> the xml:id of its (first) <note>
        self.note_ids: dict[int, str] = {}  # a footnote definition's start -> its <note>'s id

    def _pb(self, parent, before: int, inclusive: bool = False) -> None:
        """Write the page breaks that fall before `before` (or at it) into `parent`."""
        breaks = self.page_breaks
        while breaks and (breaks[-1][0] < before or inclusive and breaks[-1][0] == before):
            _, number = breaks.pop()
            sub(parent, "pb", {"n": number} if number else None)

    def build(self, root: markdown.Node, parent) -> None:
        body = sub(parent, "body")
        for node in markdown.walk(root):  # notes may come after their anchors
            if node.kind == "FootnoteDefinition":
                self.note_ids[node.start] = self.ids.block("fn", node.start)
                self.footnotes.setdefault(node.dest, self.note_ids[node.start])
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
                self._leaf(div, "head", block)
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
            # The note stays where the dump has it (a page's foot, the end); its anchor points
            # at it. A second definition of one label is kept too, with an id of its own.
            note = sub(parent, "note", {"place": "foot", "n": node.dest,
                                        "xml:id": self.note_ids[node.start]})
            for child in node.children:
                self.block(note, child)
            if not len(note):
                self._leaf(note, "p", markdown.Node("Paragraph", node.start, node.start))
        elif kind == "Rule":
            rule = sub(parent, "milestone", {"unit": "section", "rend": "rule",
                                             "xml:id": self.ids.block("milestone", node.start)})
            self.spans.append((node.start, node.end, rule.get(f"{{{XML_NS}}}id")))
        else:
            self._leaf(parent, "p", node)

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
            if node.kind in _INLINE_TEXT and not (self.page_breaks and
                                                  self.page_breaks[-1][0] < node.end):
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
        if kind == "Text" and len(node.text) == node.end - node.start:
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
            target = self.footnotes.get(node.text)
            sub(parent, "ref", {"type": "noteAnchor", "n": node.text,
                                **({"target": "#" + target} if target else {})})
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
            self.inlines(element, node.children)
        elif kind == "Image":
            element = sub(parent, "figure")
            if node.dest:
                sub(element, "graphic", {"url": _uri(node.dest)})
            desc = sub(element, "figDesc")  # no <pb/> allowed in it: they follow the figure
            _append_text(desc, node.visible())
        else:
            self.inlines(parent, node.children)

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


def _header(result: Result, fields: dict, raw_ref: str, heading: str | None,
            reviewers: dict[str, str]) -> etree._Element:
    source = result.source
    header = E("teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    title = fields.get("title") if isinstance(fields.get("title"), str) else None
    sub(title_stmt, "title", text=title or heading or source.path.name)
    author = fields.get("byline") or fields.get("author")
    if isinstance(author, str):
        sub(title_stmt, "author", text=author)
    for name, reviewer_id in reviewers.items():
        resp_stmt = sub(title_stmt, "respStmt", {"xml:id": reviewer_id})
        sub(resp_stmt, "resp", text="review of the automatic changes")
        sub(resp_stmt, "name", text=name)
    publication = sub(file_desc, "publicationStmt")
    sub(publication, "p", text=f"Cleaned from a raw dump by pipeline {__version__}; "
                               "not published.")
    source_desc = sub(file_desc, "sourceDesc")
    bibl = sub(source_desc, "bibl")
    sub(bibl, "ref", {"type": "raw", "target": raw_ref}, source.path.name)
    sub(bibl, "idno", {"type": "sha256"}, source.sha256)
    extent = sub(bibl, "extent")
    sub(extent, "measure", {"unit": "byte", "quantity": str(len(source.data))},
        f"{len(source.data)} bytes")
    sub(bibl, "note", {"type": "input-kind", "n": result.kind,
                       "subtype": "user" if result.kind_evidence == process.FORCED else "detected"},
        f"Read as {'markdown' if result.kind == 'markdown' else 'plain text'}: "
        f"{result.kind_evidence}.")
    for key, value in fields.items():
        if key not in _MAPPED_FIELDS:
            # The dump's own front matter (a date, tags, the page it was taken from): kept as it
            # was written, since TEI has no one place for every such field.
            sub(bibl, "note", {"type": "front-matter", "n": str(key)},
                value if isinstance(value, str) else
                yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                               width=10**6).strip().removesuffix("...").strip())
    sub(bibl, "note", {"type": "encoding", "n": source.codec + (
        "" if source.newline == "\n" else "+" + {"\r\n": "crlf", "\r": "cr"}[source.newline])},
        f"Decoded as {source.codec}: {source.evidence}.")
    encoding_desc = sub(header, "encodingDesc")
    app_info = sub(encoding_desc, "appInfo")
    application = sub(app_info, "application", {"ident": "pipeline", "version": __version__})
    sub(application, "label", text="pipeline")
    editorial = sub(encoding_desc, "editorialDecl")
    for stage in STAGES:
        for rule, description in stage.RULES.items():
            sub(editorial, "p", {"n": f"{stage.NAME}/{rule}"}, description)
    if result.lang:
        profile = sub(header, "profileDesc")
        usage = sub(profile, "langUsage")
        sub(usage, "language", {"ident": result.lang},
            f"{_LANGUAGES[result.lang]} (detected: {result.lang_evidence})")
    revision = sub(header, "revisionDesc")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    for stage in result.stages:
        counts = result.counts(stage)
        attrib = {"n": stage}
        if epoch:
            attrib["when"] = time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
        change = sub(revision, "change", attrib,
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
        sub(revision, "change", attrib,
            f"Review by {name}: {verdicts['accept']} accepted, {verdicts['reject']} rejected "
            f"(not applied)" + (f", {stale} stale decisions matching no change." if stale
                                else "."))
    return header


def _note(change: Change, note_id: str, target: str, raw_ref: str, reviewers: dict[str, str],
          step: int | None) -> str:
    """One provenance note, serialized. `step` places the change in its stage's output, counted
    from the previous applied change of that stage: replaying needs the place, and a step (unlike
    an absolute offset) does not shift in every later note when one change is added or dropped,
    which keeps `git diff clean/` to the notes that really changed.

    Notes are tens of thousands of small elements of one fixed shape: written as text they cost a
    tenth of what lxml elements do, in time and memory. A test checks that lxml reads each back
    as the note it would have built as elements.
    """
    parts = [_start("note", {"type": "provenance", "subtype": change.stage, "n": change.rule,
                             "xml:id": note_id, "target": "#" + target}),
             "<choice><orig>", _text(change.before), "</orig><reg>", _text(change.after),
             "</reg></choice>",
             _start("ptr", {"type": "raw",
                            "target": f"{raw_ref}#char={change.raw_start},{change.raw_end}"}, True)]
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
    parts += ["<p>", _text(change.reason), "</p></note>"]
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
