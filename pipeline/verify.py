"""Prove that a TEI file loses nothing: checksum, replay to the raw bytes, reading text, determinism.

(a) the header's SHA-256 is the raw file's; (b) undoing the change records, last stage first, over
the repaired text gives the raw bytes exactly; (c) the TEI's reading text, block by block, is the
repaired markdown's text without the syntax the CommonMark parser consumed; (d) a second run writes
byte-identical TEI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import alignment, config, markdown, process, source, tei
from pipeline.extract import text_layer
from pipeline.stages import NAMES
from pipeline.xmlsafe import parse

NS = {"t": tei.TEI_NS}
# What the writer puts in an <item> whose list item holds blocks (a code block is an <ab>).
_ITEM_BLOCKS = {"p", "list", "quote", "ab", "table"}
_LEAVES = {"Paragraph", "Heading", "CodeBlock", "HtmlBlock", "TableCell"}
_G = f"{{{tei.TEI_NS}}}g"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def verify(raw_path: Path, tei_path: Path, decisions: dict | None = None) -> list[Check]:
    """The four checks; `decisions` are the reviewers' decisions the TEI was written with."""
    data = tei_path.read_bytes()
    document = parse(data).getroot()
    src = source.read(raw_path)
    kind = recorded_kind(document)
    result = process.repair(src, decisions=decisions, kind=kind)
    return [
        _checksum(document, src),
        *text_layer.check(document, src),
        _replay(document, result),
        _reading_text(document, result),
        _deterministic(data, result, tei_path, recorded_settings(document)),
    ]


def recorded_kind(document) -> str | None:
    """The input kind a user forced when the TEI was written (None: it was read from the text,
    and will be again)."""
    note = document.find(".//t:sourceDesc//t:note[@type='input-kind'][@subtype='user']", NS)
    return None if note is None else note.get("n")


def recorded_settings(document) -> config.TeiSettings:
    """The collection's settings the TEI was written with, read back from its header: a file is
    proved deterministic wherever it is checked (a bag verified away from its project's
    pyproject.toml). A front matter field in the work's bibl reads back as the setting it
    overrides, which the writer then takes from the front matter again."""
    def text(path: str) -> str:
        return (document.findtext(path, namespaces=NS) or "").strip()

    def attribute(path: str, name: str) -> str:
        element = document.find(path, NS)
        return "" if element is None else element.get(name) or ""

    publication = ".//t:fileDesc/t:publicationStmt"
    licence = f"{publication}/t:availability/t:licence"
    known = attribute(f"{publication}/t:availability", "status") != "unknown"
    work = document.find(".//t:sourceDesc/t:bibl[@type='work']", NS)
    source = {} if work is None else {
        ("url" if etree.QName(e).localname == "ref" else etree.QName(e).localname): e.text or ""
        for e in work}
    return config.TeiSettings(
        publisher=text(f"{publication}/t:publisher") or "unknown",
        authority=text(f"{publication}/t:authority"),
        licence=text(licence) if known else "unknown",
        licence_url=attribute(licence, "target"),
        date=attribute(f"{publication}/t:date", "when"),
        code_url=attribute(".//t:appInfo/t:application/t:ref", "target"),
        source=source)


def _checksum(document, src) -> Check:
    recorded = document.findtext(".//t:sourceDesc//t:idno[@type='sha256']", namespaces=NS)
    return Check("checksum", recorded == src.sha256,
                 f"header {recorded}, raw file {src.sha256}")


def _text(element) -> str:
    """The text of an element back to its exact string: <g type="unrepresentable" n="U+0001"/>
    stands for a character XML cannot carry (in a record's <sic>/<orig>, and in the reading text
    where a reviewer rejected the change that removed it)."""
    return reading_text(element, skip=())


def records(document):
    """The TEI's change records (`tei._record`), in order."""
    return document.iterfind(".//t:revisionDesc//t:listChange[@type='provenance']/t:change", NS)


def edit(record) -> tuple[str, str]:
    """The exact edit of the pipeline's markdown a record holds: its `seg type="markdown"`
    pair where the text reads otherwise, else its `choice`."""
    before = record.find("t:seg[@type='markdown'][@subtype='before']", NS)
    if before is not None:
        after = record.find("t:seg[@type='markdown'][@subtype='after']", NS)
    else:
        before, after = record.find("t:choice", NS)
    return _text(before), _text(after)


def replay(document, repaired: str, src: source.Source) -> bytes:
    """The raw bytes rebuilt from the repaired text and the TEI's change records alone."""
    by_stage: dict[str, list[tuple[int, str, str]]] = {name: [] for name in NAMES}
    for record in records(document):
        if record.find("t:seg[@type='decision'][@subtype='rejected']", NS) is not None:
            continue  # a reviewer rejected it: it was never applied
        stage = record.get("n")
        step = int(record.find("t:num[@type='offset-step']", NS).get("value"))
        offset = (by_stage[stage][-1][0] if by_stage[stage] else 0) + step
        by_stage[stage].append((offset, *edit(record)))
    text = repaired
    for name in reversed(NAMES):
        text = alignment.undo(text, by_stage[name])
    return src.encode(text)


def _replay(document, result) -> Check:
    try:
        rebuilt = replay(document, result.text, result.source)
    except (ValueError, KeyError, AttributeError, TypeError) as error:
        return Check("replay", False, f"the notes do not replay: {error}")
    if rebuilt == result.source.data:
        applied = sum(change.applied for change in result.changes)
        return Check("replay", True, f"{applied} changes undone give the "
                                     f"{len(rebuilt)} raw bytes exactly")
    first = next((i for i, (a, b) in enumerate(zip(rebuilt, result.source.data)) if a != b),
                 min(len(rebuilt), len(result.source.data)))
    return Check("replay", False, f"rebuilt bytes differ from the raw file at byte {first}")


def _tei_blocks(document) -> list[str]:
    """The reading text's blocks: the text's own in order, then its footnotes' in order. Page
    furniture (<fw>) is not reading text, and a footnote written at its mark is not part of the
    paragraph around it."""
    body = document.find(".//t:text/t:body", NS)
    if body is None:
        return []  # no TEI text at all: the check fails on the number of blocks
    texts, notes = [], []
    for element in body.iter():
        name = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if name in ("p", "head", "ab", "cell", "docAuthor") or \
                name == "item" and not any(isinstance(child.tag, str) and
                                           child.tag.rsplit("}", 1)[-1] in _ITEM_BLOCKS
                                           for child in element):
            in_note = any(ancestor.tag == _NOTE for ancestor in element.iterancestors())
            (notes if in_note else texts).append(reading_text(element))
    return texts + sorted(notes)


_NOTE, _FW = f"{{{tei.TEI_NS}}}note", f"{{{tei.TEI_NS}}}fw"


def reading_text(element, skip: tuple[str, ...] = (_NOTE, _FW)) -> str:
    """An element's reading text: without page furniture, and without the footnotes written at
    their marks (`skip`); a <g type="unrepresentable"> is the character it stands for."""
    parts = [element.text or ""]
    for child in element:
        if _G == child.tag and child.get("type") == "unrepresentable":
            parts.append(chr(int(child.get("n")[2:], 16)))
        elif isinstance(child.tag, str):
            if child.tag not in skip:
                parts.append(reading_text(child, skip))
        elif isinstance(child, etree._Entity):
            parts.append(child.text)  # a reference left unexpanded reads as written: `&x;`
        parts.append(child.tail or "")
    return "".join(parts)


def _markdown_blocks(text: str) -> list[str]:
    root = markdown.parse(text)
    texts, notes = [], []
    meta = root.children[0] if root.children and root.children[0].kind == "MetadataBlock" else None
    byline = tei.frontmatter.read(text[meta.start:meta.end]).get("byline") if meta else None

    def visit(node, texts):
        for child in node.children:
            if child.kind in _LEAVES:
                texts.append(child.visible())
            elif child.kind == "Item" and not any(c.kind in tei.ITEM_BLOCKS
                                                   for c in child.children):
                texts.append(child.visible())
            elif child.kind == "Item":
                for part in tei.item_parts(child):
                    if isinstance(part, list):
                        texts.append("".join(c.visible() for c in part))
                    else:
                        visit(markdown.Node("Document", part.start, part.end, children=[part]),
                              texts)
            elif child.kind == "BlockQuote" and not child.children:
                texts.append("")  # a `>` line with nothing after it: the writer's empty <p>
            elif child.kind == "FootnoteDefinition":
                visit(child, notes)
                if not child.children:
                    notes.append("")  # the writer's empty <p>
            elif child.kind in ("BlockQuote", "List", "Table", "TableHead", "TableRow"):
                visit(child, texts)
    visit(root, texts)
    if isinstance(byline, str):  # read under the opening title, if there is one, else first
        blocks = [b for b in root.children if b.kind != "MetadataBlock"]
        texts.insert(1 if blocks and blocks[0].kind == "Heading" else 0, byline)
    texts += sorted(notes)
    return texts or [""]  # an empty text is written as one empty <p>: TEI needs a block


def _reading_text(document, result) -> Check:
    tei_blocks, md_blocks = _tei_blocks(document), _markdown_blocks(result.text)
    if tei_blocks == md_blocks:
        return Check("reading text", True, f"{len(tei_blocks)} blocks, "
                                           f"{sum(map(len, tei_blocks))} characters, identical")
    for i, (a, b) in enumerate(zip(tei_blocks, md_blocks)):
        if a != b:
            return Check("reading text", False, f"block {i + 1}: TEI {a[:60]!r}, "
                                                f"markdown {b[:60]!r}")
    return Check("reading text", False, f"{len(tei_blocks)} blocks in the TEI, "
                                        f"{len(md_blocks)} in the markdown")


def _deterministic(data: bytes, result, tei_path: Path, settings: config.TeiSettings) -> Check:
    # This run is the second: the file was written by another, in another process (where the
    # hash seed and every cache differ), so repairing once more here would prove nothing more.
    again = tei.write(result, tei_path, settings)
    if again == data:
        return Check("deterministic", True, "a second run writes the same bytes")
    first = next((i for i, (a, b) in enumerate(zip(again, data)) if a != b),
                 min(len(again), len(data)))
    line = data[:first].count(b"\n") + 1
    return Check("deterministic", False, f"a second run differs from the file at line {line}")
