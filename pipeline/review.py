"""The review pages: one self-contained HTML page per dump, and an index of them.

A reviewer has to see, for every automatic change, what the raw dump said and what the repaired
text says now, and why; and has to be able to say "no" to a change. The page shows the raw text and
the repaired text side by side with each change highlighted at both ends (raw range from
`raw_start`/`raw_end`, landing place from `final_start`/`final_end`), lists every change with its
provenance (stage, rule, exact before and after with whitespace made visible, raw line:column,
reason, id), and lets the reviewer accept or reject each one and export the verdicts as
`<name>.decisions.json` — the file `pipeline.decisions` reads on the next run.

The pages work from disk with no network: CSS and JavaScript are inline, and a Content Security
Policy forbids every fetch. They are built with lxml, so every piece of text is escaped by the
serializer, never by string pasting; the one exception is the embedded JSON data, which is
ASCII-only and has `<`, `>` and `&` escaped so that no text can close its `<script>`. The output
is a function of the input alone (no clock, no randomness), so a page can be diffed between runs.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from pipeline import __version__, decisions, source
from pipeline.model import Change
from pipeline.process import LocatedDoubt, Result
from pipeline.stages import STAGES

# Characters a reader cannot see, or that HTML cannot carry (C0/C1 controls, format characters,
# lone surrogates, non-characters): always shown as a labelled box, never passed through.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e"
                     "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff"
                     "\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]")
# Whitespace that matters inside a change: shown with a symbol over it, the character kept.
_SPACES = {" ": ("·", "space"), "\u00a0": ("⍽", "no-break space"), "\t": ("→", "tab"),
           "\u202f": ("⍽", "narrow no-break space"), "\u2009": ("·", "thin space"),
           "\u3000": ("·", "ideographic space")}
_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u00a0\u00ad\u061c\u115f\u1160\u180e\u2000-\u200f"
                    "\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\ufff9-\ufffb"
                    "\ufffe\uffff\ud800-\udfff ]")
_CONTENT_SECURITY = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                     "img-src data:; base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Summary:
    """One line of the index: a document and how much of it is still to review."""

    name: str
    href: str
    changes: int
    undecided: int
    rejected: int
    doubts: int
    stale: int


def filename(raw: Path) -> str:
    """The page of a dump: `<name>.html`, named like its TEI and decisions files."""
    return f"{source.stem(raw)}.html"


def summary(result: Result) -> Summary:
    changes = result.changes
    return Summary(result.source.path.name, filename(result.source.path), len(changes),
                   sum(1 for c in changes if c.decision is None),
                   sum(1 for c in changes if not c.applied), len(result.doubts), len(result.stale))


def element_ids(result: Result) -> tuple[list[str], list[str]]:
    """The page's id for each change and each doubt: the TEI's `xml:id`, so that a note in
    `standOff` and its entry here are found by the same name. Two changes with one rule at one raw
    offset get `-2`, `-3`… in order, exactly as the TEI writer numbers them."""
    used: set[str] = set()

    def unique(base: str) -> str:
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        return candidate

    return [unique(c.id) for c in result.changes], [unique(d.id) for d in result.doubts]


def page(result: Result, page_path: Path) -> bytes:
    """The review page of one repaired dump; `page_path` only places the raw file relative to it."""
    change_ids, doubt_ids = element_ids(result)
    stats = summary(result)
    name = result.source.path.name
    decisions_file = decisions.path_for(Path(), result.source.path).name

    root, body = _document(f"Review: {name}")
    _el(body, "a", {"class": "skip", "href": "#changes"}, "Skip to the list of changes")

    header = _el(body, "header", {"class": "top"})
    _el(_el(header, "p", {"class": "crumb"}), "a", {"href": "index.html"}, "← All documents")
    heading = _el(header, "h1", text="Review of ")
    _el(heading, "span", {"class": "docname"}, name)
    facts = _el(header, "dl", {"class": "facts"})
    raw_href = Path(os.path.relpath(result.source.path, page_path.parent)).as_posix()
    _fact(facts, "Raw file", None, lambda dd: _el(dd, "a", {"href": raw_href}, raw_href))
    _fact(facts, "Size and SHA-256",
          f"{len(result.source.data)} bytes, {result.source.sha256}")
    _fact(facts, "Decoded as", f"{result.source.codec}: {result.source.evidence}")
    if result.lang:
        _fact(facts, "Language", f"{result.lang} ({result.lang_evidence})")
    counts = _el(header, "ul", {"class": "tally", "aria-label": "Totals"})
    _tally(counts, "changes", str(stats.changes), "changes")
    _tally(counts, "undecided", str(stats.undecided), "still undecided", live=True)
    _tally(counts, "rejected", str(stats.rejected), "rejected (not applied in this build)")
    _tally(counts, "doubts", str(stats.doubts), "doubts", href="#doubts")
    _tally(counts, "stale", str(stats.stale), "stale decisions", href="#stale")

    _controls(body, result, decisions_file)

    _legend(body)
    main = _el(body, "main")
    texts = _el(main, "div", {"class": "texts"})
    raw_text = result.source.data.decode(result.source.codec)
    raw_pane = _pane(texts, "raw", "Raw dump", "as received, each change's raw range marked")
    clean_pane = _pane(texts, "clean", "Repaired text", "where each change landed")
    _render_text(raw_pane, raw_text, [
        (c.raw_start, c.raw_end, cid, c) for c, cid in zip(result.changes, change_ids)],
        [(d.raw_start, did, d) for d, did in zip(result.doubts, doubt_ids)], side="raw")
    _render_text(clean_pane, result.text, [
        (c.final_start, c.final_end, cid, c) for c, cid in zip(result.changes, change_ids)],
        [(d.final_start, did, d) for d, did in zip(result.doubts, doubt_ids)], side="clean")

    listing = _el(main, "section", {"id": "changes", "aria-labelledby": "changes-heading"})
    title = _el(listing, "h2", {"id": "changes-heading"}, "Changes ")
    _el(title, "span", {"class": "shown", "id": "shown"}, f"{stats.changes} of {stats.changes}")
    _el(listing, "p", {"class": "hint"},
        "Press j or n for the next change, k or p for the previous one, Enter to decide, "
        "a to accept, r to reject, u to undo your choice, Esc to return to the list. Click a "
        "highlight in either text to open its change.")
    changes_list = _el(listing, "ol", {"class": "changes"})
    if not result.changes:
        _el(listing, "p", {"class": "none"}, "No change was made to this dump.")
    for change, cid in zip(result.changes, change_ids):
        _change(changes_list, change, cid)

    aside = _el(body, "aside", {"class": "notes"})
    _doubts(aside, result.doubts, doubt_ids)
    _stale(aside, result)
    footer = _el(body, "footer")
    _el(footer, "p", text=f"Written by pipeline {__version__}. Export your decisions, save the "
                          f"file as review/{decisions_file} and run make: rejected changes are "
                          "then undone and every decision is recorded in the TEI.")

    data = {
        "document": name,
        "decisionsFile": decisions_file,
        "changes": {cid: {"key": c.id, "before": c.before, "after": c.after,
                          "applied": c.applied,
                          "decision": None if c.decision is None else {
                              "decision": c.decision.verdict, "reviewer": c.decision.reviewer,
                              "date": c.decision.date, "comment": c.decision.comment}}
                    for c, cid in zip(result.changes, change_ids)},
        "stale": [{"key": d.change_id, "decision": d.verdict, "reviewer": d.reviewer,
                   "date": d.date, "comment": d.comment, "before": d.before, "after": d.after}
                  for d, _ in result.stale],
    }
    _el(body, "script", {"type": "application/json", "id": "review-data"}, _json(data))
    _el(body, "script", text=_JS)
    return _serialize(root)


def _document(title: str, body_attributes: dict | None = None):
    """An HTML page that loads nothing from outside: inline style, a policy that forbids the rest."""
    root = etree.Element("html", lang="en")
    head = _el(root, "head")
    _el(head, "meta", {"charset": "utf-8"})
    _el(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
    _el(head, "meta", {"http-equiv": "Content-Security-Policy", "content": _CONTENT_SECURITY})
    _el(head, "meta", {"name": "generator", "content": f"pipeline {__version__}"})
    _el(head, "title", text=title)
    _el(head, "link", {"rel": "icon", "href": "data:,"})
    _el(head, "style", text=_CSS)
    return root, _el(root, "body", body_attributes)


def index(summaries: list[Summary], failures: list[str]) -> bytes:
    """The list of review pages, with what each still needs from a reviewer."""
    root, body = _document("Review: all documents", {"class": "index"})
    header = _el(body, "header", {"class": "top"})
    _el(header, "h1", text="Review: all documents")
    undecided = sum(s.undecided for s in summaries)
    _el(header, "p", {"class": "lead"},
        f"{_count(len(summaries), 'document')}, "
        f"{_count(sum(s.changes for s in summaries), 'change')}, {undecided} still undecided.")
    main = _el(body, "main")
    table = _el(main, "table", {"class": "documents"})
    _el(table, "caption", text="Documents and what each still needs from a reviewer "
                               "(counted from the decisions files when this page was written)")
    row = _el(_el(table, "thead"), "tr")
    for label in ("Document", "Changes", "Undecided", "Rejected", "Doubts", "Stale decisions"):
        _el(row, "th", {"scope": "col", "class": "number" if label != "Document" else "name"},
            label)
    rows = _el(table, "tbody")
    for item in sorted(summaries, key=lambda s: s.name):
        row = _el(rows, "tr", {"class": "done" if not item.undecided else "open"})
        _el(_el(row, "th", {"scope": "row"}), "a", {"href": item.href}, item.name)
        for value in (item.changes, item.undecided, item.rejected, item.doubts, item.stale):
            _el(row, "td", text=str(value))
    if failures:
        problems = _el(main, "section", {"class": "failures"})
        _el(problems, "h2", text="Dumps that could not be reviewed")
        listing = _el(problems, "ul")
        for failure in failures:
            _el(listing, "li", text=failure)
    return _serialize(root)


# --- building blocks -------------------------------------------------------------------------


def _el(parent, tag: str, attrib: dict | None = None, text: str | None = None):
    element = etree.Element(tag, attrib or {}) if parent is None else \
        etree.SubElement(parent, tag, attrib or {})
    if text:
        _append(element, text)
    return element


def _append(parent, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _serialize(root) -> bytes:
    return lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8",
                              method="html") + b"\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _json(data) -> str:
    # ASCII only, so no character can be unrepresentable; and nothing that could end the <script>.
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _fact(dl, term: str, text: str | None, fill=None) -> None:
    _el(dl, "dt", text=term)
    dd = _el(dl, "dd", text=text)
    if fill:
        fill(dd)


def _tally(ul, key: str, number: str, label: str, live: bool = False,
           href: str | None = None) -> None:
    item = _el(ul, "li", {"class": f"tally-{key}"})
    holder = _el(item, "a", {"href": href}) if href else item
    _el(holder, "output" if live else "strong", {"id": f"count-{key}"} if live else None, number)
    _append(holder, f" {label}")


def _controls(body, result: Result, decisions_file: str) -> None:
    controls = _el(body, "section", {"class": "controls", "aria-label": "Filters and export"})
    filters = _el(controls, "div", {"class": "filters"})
    stage_box = _el(filters, "fieldset", {"class": "filter-stages"})
    _el(stage_box, "legend", text="Show stages")
    rule_box = _el(filters, "fieldset", {"class": "filter-rules"})
    _el(rule_box, "legend", text="Show rules (changes per rule)")
    counts = Counter((c.stage, c.rule) for c in result.changes)
    for stage in STAGES:
        in_stage = {rule: n for (s, rule), n in counts.items() if s == stage.NAME}
        label = _el(stage_box, "label", {"class": "check"})
        _el(label, "input", {"type": "checkbox", "checked": "checked", "data-filter": "stage",
                             "value": stage.NAME})
        _append(label, f" {stage.NAME} ")
        _el(label, "span", {"class": "count"}, f"({sum(in_stage.values())})")
        if not in_stage:
            continue
        group = _el(rule_box, "div", {"class": "rule-group"})
        _el(group, "span", {"class": "rule-stage"}, stage.NAME)
        rules = _el(group, "div", {"class": "rule-list"})
        for rule in sorted(in_stage):
            label = _el(rules, "label", {"class": "check", "title": stage.RULES.get(rule, rule)})
            _el(label, "input", {"type": "checkbox", "checked": "checked", "data-filter": "rule",
                                 "value": f"{stage.NAME}/{rule}"})
            _append(label, f" {rule} ")
            _el(label, "span", {"class": "count"}, f"({in_stage[rule]})")
    if not counts:
        _el(rule_box, "p", {"class": "none"}, "No rule fired.")
    label = _el(stage_box, "label", {"class": "check only"})
    _el(label, "input", {"type": "checkbox", "id": "only-undecided"})
    _append(label, " only undecided")

    export = _el(controls, "div", {"class": "export", "role": "group",
                                   "aria-labelledby": "export-heading"})
    _el(export, "h2", {"id": "export-heading"}, "Your review")
    _el(export, "label", {"for": "reviewer"}, "Reviewer name")
    _el(export, "input", {"type": "text", "id": "reviewer", "name": "reviewer",
                          "autocomplete": "name"})
    _el(export, "button", {"type": "button", "id": "export"}, "Export decisions")
    _el(export, "p", {"class": "file"}, f"Saves {decisions_file}; put it in review/ and run "
                                        "make to apply it.")
    _el(export, "a", {"id": "download", "hidden": "hidden", "download": decisions_file},
        f"Download {decisions_file} again")
    _el(export, "p", {"id": "export-status", "role": "status", "aria-live": "polite"})


def _pane(parent, key: str, title: str, note: str):
    section = _el(parent, "section", {"class": "pane", "aria-labelledby": f"{key}-heading"})
    heading = _el(section, "h2", {"id": f"{key}-heading"}, f"{title} ")
    _el(heading, "small", text=note)
    return _el(section, "pre", {"class": f"text {key}", "id": f"{key}-text", "tabindex": "0"})


def _legend(parent) -> None:
    legend = _el(parent, "p", {"class": "legend", "aria-label": "Key to the highlights"})
    for swatch, classes, words in (
            ("raw", "swatch before", "raw text a change replaced or removed"),
            ("+", "swatch point ins", "text inserted here"),
            ("new", "swatch after", "text a change put in"),
            ("⌫", "swatch point del", "text removed here"),
            ("old", "swatch rejected", "rejected change"),
            ("⊘", "swatch point rej", "rejected, not applied"),
            ("?", "swatch point doubt", "doubt"),
            ("⏎ · → CR", "swatch", "line break, space, tab, carriage return")):
        item = _el(legend, "span", {"class": "item"})
        _el(item, "span", {"class": classes, "aria-hidden": "true"}, swatch)
        _append(item, words)


def _render_text(pre, text: str, spans: list[tuple[int, int, str, Change]],
                 doubts: list[tuple[int, str, LocatedDoubt]], side: str) -> None:
    """Write `text` into `pre`, each change's range wrapped in <mark data-c="ids…"> (overlapping
    ranges are cut into pieces that name every change covering them), and an empty range (an
    insertion seen from the raw side, a deletion or a rejected change seen from the repaired side)
    as a point marker, so that no change is invisible on either side."""
    ranged = sorted(((start, end, cid, change) for start, end, cid, change in spans
                     if end > start), key=lambda s: (s[0], s[1]))
    points: dict[int, list] = {}
    for start, end, cid, change in spans:
        if end == start:
            points.setdefault(start, []).append(("change", cid, change))
    for pos, did, doubt in doubts:
        points.setdefault(pos, []).append(("doubt", did, doubt))
    bounds = sorted({0, len(text), *points, *(s[0] for s in ranged), *(s[1] for s in ranged)})
    bounds = [b for b in bounds if 0 <= b <= len(text)]
    active: list[tuple[int, int, str, Change]] = []
    k = 0
    for i, pos in enumerate(bounds):
        active = [s for s in active if s[1] > pos]
        while k < len(ranged) and ranged[k][0] <= pos:
            if ranged[k][1] > pos:
                active.append(ranged[k])
            k += 1
        for kind, pid, item in points.get(pos, ()):
            _point(pre, kind, pid, item, side)
        if i + 1 == len(bounds):
            break
        piece, following = text[pos:bounds[i + 1]], text[bounds[i + 1]:bounds[i + 1] + 1]
        if not active:
            _visible(pre, piece, whitespace=False, following=following)
            continue
        mark = _el(pre, "mark", {"class": "hl", "data-c": " ".join(s[2] for s in active),
                                 "title": "; ".join(_describe(s[3]) for s in active)})
        _visible(mark, piece, whitespace=True, following=following)


def _point(parent, kind: str, pid: str, item, side: str) -> None:
    if kind == "doubt":
        _el(parent, "a", {"class": "pt doubt", "href": f"#{pid}", "data-d": pid,
                          "data-mark": "?", "aria-label": f"doubt {pid}",
                          "title": f"Doubt ({item.rule}): {item.reason}"})
        return
    change: Change = item
    if not change.applied and side == "clean":
        kind_class, mark = "rej", "⊘"
    elif side == "raw":
        kind_class, mark = "ins", "+"
    else:
        kind_class, mark = "del", "⌫"
    _el(parent, "span", {"class": f"pt {kind_class}", "data-c": pid, "data-mark": mark,
                         "title": _describe(change)})


def _describe(change: Change) -> str:
    state = "" if change.applied else " (rejected, not applied)"
    return (f"{change.id}{state}: {change.stage}/{change.rule}, line {change.raw_line}, "
            f"column {change.raw_column}: {_plain(change.before)} → {_plain(change.after)}")


def _plain(text: str) -> str:
    """A one-line picture of `text` for a tooltip, its whitespace and hidden characters named.

    A join replaces a blank line with a space, and a tooltip that showed both as blank would hide
    the whole change:

    >>> _plain("\\n\\n"), _plain(" "), _plain("")
    ('⏎⏎', '·', '∅')
    >>> _plain("caf\\u00e9\\u00a0\\x07")
    'café⍽[U+0007]'
    >>> _plain("plain words stay")
    'plain·words·stay'
    """
    if not text:
        return "∅"
    out = []
    for ch in text:
        if ch == "\n":
            out.append("⏎")
        elif ch == "\r":
            out.append("[CR]")
        elif ch in _SPACES:
            out.append(_SPACES[ch][0])
        elif _HIDDEN.match(ch):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out)


def _visible(parent, text: str, whitespace: bool, following: str = "") -> None:
    """Append `text`, hidden characters as labelled boxes and, when `whitespace`, every space, tab
    and line break marked with a symbol (drawn by CSS, so copying the text copies the text)."""
    pattern = _SHOWN if whitespace else _HIDDEN
    last = 0
    for match in pattern.finditer(text):
        ch, at = match.group(), match.start()
        _append(parent, text[last:at])
        last = at + 1
        nxt = text[at + 1:at + 2] or following
        if ch == "\r":  # CR (alone or before LF) is a line end in the raw file's own convention
            if whitespace:
                _el(parent, "span", {"class": "ws cr", "data-ws": "CR",
                                     "title": "carriage return (U+000D)"})
            if nxt != "\n":
                _append(parent, "\n")
        elif ch == "\n" and whitespace:
            _el(parent, "span", {"class": "ws nl", "data-ws": "⏎", "title": "line break"}, "\n")
        elif ch == "\n":
            _append(parent, "\n")
        elif ch in _SPACES and whitespace:
            symbol, name = _SPACES[ch]
            _el(parent, "span", {"class": "ws sp", "data-ws": symbol,
                                 "title": f"{name} (U+{ord(ch):04X})"}, ch)
        elif not _HIDDEN.match(ch):  # other spacing characters: keep, named in a tooltip
            _el(parent, "span", {"class": "ws sp", "data-ws": "·",
                                 "title": f"{_name(ch)} (U+{ord(ch):04X})"}, ch)
        else:
            _el(parent, "span", {"class": "ctl", "title": f"{_name(ch)} (U+{ord(ch):04X}), "
                                                           "invisible or not representable"},
                f"U+{ord(ch):04X}")
    _append(parent, text[last:])


def _name(ch: str) -> str:
    return unicodedata.name(ch, "").lower() or "control character"


def _change(parent, change: Change, cid: str) -> None:
    item = _el(parent, "li", {"class": "change" + ("" if change.applied else " rejected"),
                              "id": cid, "tabindex": "-1", "data-stage": change.stage,
                              "data-rule": change.rule,
                              "aria-labelledby": f"{cid}-title"})
    title = _el(item, "h3", {"id": f"{cid}-title"})
    _el(title, "a", {"class": "cid", "href": f"#{cid}"}, cid)
    where = _el(item, "p", {"class": "where"})
    _el(where, "span", {"class": "stage"}, change.stage)
    _append(where, " / ")
    _el(where, "span", {"class": "rule"}, change.rule)
    _append(where, f" · raw line {change.raw_line}, column {change.raw_column}")
    diff = _el(item, "div", {"class": "diff"})
    for label, text, kind in (("before", change.before, "del"), ("after", change.after, "ins")):
        row = _el(diff, "div", {"class": f"side {kind}"})
        _el(row, "span", {"class": "label"}, label)
        code = _el(row, "code", {"class": "exact"})
        if text:
            _visible(code, text, whitespace=True)
        else:
            _el(code, "span", {"class": "empty"}, "nothing")
    _el(item, "p", {"class": "reason"}, change.reason)
    _el(item, "p", {"class": "range"},
        f"Raw characters {change.raw_start}–{change.raw_end}; repaired text "
        f"{change.final_start}–{change.final_end}.")
    recorded = _el(item, "p", {"class": "recorded"})
    decision = change.decision
    if decision is None:
        _append(recorded, "No decision recorded yet.")
    else:
        verdict = "Accepted" if change.applied else "Rejected (not applied in this build)"
        _el(recorded, "strong", text=verdict)
        _append(recorded, f" by {decision.reviewer} on {decision.date}")
        if decision.comment:
            _append(recorded, ": ")
            _el(recorded, "q", text=decision.comment)
        _append(recorded, ".")
    decide = _el(item, "fieldset", {"class": "decide"})
    _el(decide, "legend", text="Your decision")
    current = decision.verdict if decision else ""
    for value, label in (("", "undecided"), ("accept", "accept"), ("reject", "reject")):
        option = _el(decide, "label", {"class": f"choice choice-{value or 'none'}"})
        attrib = {"type": "radio", "name": f"decision-{cid}", "value": value}
        if value == current:
            attrib["checked"] = "checked"
        _el(option, "input", attrib)
        _append(option, f" {label}")
    comment = _el(decide, "label", {"class": "comment"}, "Comment ")
    attrib = {"type": "text", "class": "comment-input", "name": f"comment-{cid}"}
    if decision and decision.comment:
        attrib["value"] = decision.comment
    _el(comment, "input", attrib)


def _listing_section(parent, key: str, title: str, any_items: bool, none: str, hint: str):
    """A titled section with its hint and an empty list to fill, or a 'none' line (None)."""
    section = _el(parent, "section", {"id": key, "aria-labelledby": f"{key}-heading"})
    _el(section, "h2", {"id": f"{key}-heading"}, title)
    if not any_items:
        _el(section, "p", {"class": "none"}, none)
        return None
    _el(section, "p", {"class": "hint"}, hint)
    return _el(section, "ol")


def _doubts(parent, doubts: tuple[LocatedDoubt, ...], ids: list[str]) -> None:
    listing = _listing_section(
        parent, "doubts", f"Doubts ({len(doubts)})", bool(doubts), "No rule was left in doubt.",
        "Places where a rule saw a possible defect but the evidence was too weak to repair it; "
        "marked ? in both texts.")
    if listing is None:
        return
    for doubt, did in zip(doubts, ids):
        item = _el(listing, "li", {"id": did, "tabindex": "-1"})
        _el(item, "span", {"class": "cid"}, did)
        _append(item, f" — {doubt.stage} / {doubt.rule}, raw line {doubt.raw_line}, column "
                      f"{doubt.raw_column}: {doubt.reason}")


def _stale(parent, result: Result) -> None:
    listing = _listing_section(
        parent, "stale", f"Stale decisions ({len(result.stale)})", bool(result.stale),
        "Every recorded decision matches a change.",
        "Decisions in the decisions file that match no change any more; they were not applied. "
        "They are kept in the export unless you untick them.")
    if listing is None:
        return
    for n, (decision, reason) in enumerate(result.stale):
        item = _el(listing, "li")
        label = _el(item, "label", {"class": "check"})
        _el(label, "input", {"type": "checkbox", "checked": "checked", "class": "keep-stale",
                             "value": str(n)})
        _append(label, " keep ")
        _el(label, "span", {"class": "cid"}, decision.change_id)
        _append(item, f": {decision.verdict} by {decision.reviewer} on {decision.date}"
                      + (f" ({decision.comment})" if decision.comment else "")
                      + f" — {reason}.")


_CSS = """
:root {
  --ink: #161616; --muted: #454545; --paper: #ffffff; --panel: #f5f4f0; --rule: #b9b5ab;
  --accent: #0b4a8b; --accent-soft: #e3edf8;
  --del-bg: #fbe1e1; --del-line: #a4161a; --del-ink: #6d0c0f;
  --ins-bg: #d7f0dd; --ins-line: #17663a; --ins-ink: #0b4424;
  --rej-bg: #e8e8e8; --rej-line: #555555;
  --doubt-bg: #fff0c2; --doubt-line: #7a5500;
  --focus: #0b4a8b;
  --mono: "DejaVu Sans Mono", ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans",
          sans-serif;
  --serif: Georgia, "Noto Serif", "DejaVu Serif", "Liberation Serif", serif;
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; padding: 0 1.25rem 2rem; background: var(--paper); color: var(--ink);
  font-family: var(--sans); line-height: 1.5; }
a { color: var(--accent); }
:focus-visible { outline: 0.2rem solid var(--focus); outline-offset: 0.15rem; }
.skip { position: absolute; left: -100vw; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--paper); padding: 0.25rem 0.5rem;
  z-index: 3; }
h1, h2, h3 { font-family: var(--serif); font-weight: 600; line-height: 1.25; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.5rem; }
h2 small { font-family: var(--sans); font-weight: 400; font-size: 0.85rem; color: var(--muted); }
.top { border-bottom: 0.15rem solid var(--ink); padding: 0.8rem 0 0.7rem; }
.crumb { margin: 0; font-size: 0.9rem; }
.docname { font-family: var(--mono); font-size: 0.85em; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.1rem 1rem;
  margin: 0 0 0.6rem; font-size: 0.9rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.tally { display: flex; flex-wrap: wrap; gap: 0.4rem 1.4rem; list-style: none; margin: 0;
  padding: 0; }
.tally li { font-size: 0.95rem; }
.tally strong, .tally output { font-size: 1.2rem; font-weight: 700; }
.tally-undecided output { color: var(--accent); }
.controls { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.8rem;
  padding: 0.8rem 0; border-bottom: 0.06rem solid var(--rule); }
@media (min-width: 60rem) {
  .controls { grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem); }
}
.filters { display: grid; gap: 0.6rem; min-width: 0; }
fieldset { border: 0.06rem solid var(--rule); border-radius: 0.3rem; margin: 0;
  padding: 0.3rem 0.8rem 0.5rem; min-width: 0; }
legend { font-weight: 600; padding: 0 0.3rem; font-size: 0.9rem; }
.check { display: inline-flex; align-items: baseline; gap: 0.3rem; margin-right: 1.1rem;
  font-size: 0.9rem; overflow-wrap: anywhere; }
.check input { margin: 0; }
.check.only { padding-left: 1rem; border-left: 0.06rem solid var(--rule); }
.rule-group { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: 0 0.5rem;
  padding: 0.25rem 0; border-top: 0.06rem dotted var(--rule); }
.rule-group:first-of-type { border-top: 0; }
.rule-stage { font-weight: 600; font-size: 0.85rem; color: var(--muted); }
.rule-list { display: flex; flex-wrap: wrap; gap: 0.1rem 0; min-width: 0; }
.rule-list .check { font-family: var(--mono); font-size: 0.8rem; }
.count { color: var(--muted); }
.export { display: flex; flex-direction: column; gap: 0.35rem; align-items: stretch;
  background: var(--panel); border: 0.06rem solid var(--rule); border-radius: 0.3rem;
  padding: 0.6rem 0.8rem; min-width: 0; }
.export h2 { margin: 0; font-size: 1rem; }
.export label { font-size: 0.9rem; font-weight: 600; }
.export input { font: inherit; padding: 0.3rem 0.45rem; border: 0.08rem solid var(--muted);
  border-radius: 0.2rem; min-width: 0; background: var(--paper); }
.export .file { margin: 0; font-size: 0.8rem; color: var(--muted); overflow-wrap: anywhere; }
button { font: inherit; font-weight: 600; color: #fff; background: var(--accent);
  border: 0.08rem solid var(--accent); border-radius: 0.25rem; padding: 0.35rem 0.8rem;
  cursor: pointer; overflow-wrap: anywhere; }
button:hover { background: #083766; }
#download { font-size: 0.85rem; overflow-wrap: anywhere; }
#export-status { margin: 0; font-size: 0.9rem; overflow-wrap: anywhere; }
#export-status:empty { display: none; }
#export-status.error { color: var(--del-line); font-weight: 600; }
main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; margin-top: 1rem; }
@media (min-width: 75rem) {
  main { grid-template-columns: minmax(0, 2fr) minmax(22rem, 1fr); }
  #changes .changes { max-height: 80vh; overflow-y: auto; }
}
.texts { display: grid; gap: 1rem; align-content: start;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); }
.pane { min-width: 0; }
.text { margin: 0; padding: 0.6rem 0.8rem; max-height: 80vh; overflow: auto;
  background: var(--panel); border: 0.06rem solid var(--rule); border-radius: 0.3rem;
  font-family: var(--mono); font-size: 0.85rem; line-height: 1.6; white-space: pre-wrap;
  overflow-wrap: anywhere; position: relative; }
.text.raw mark.hl { background: var(--del-bg); color: var(--del-ink);
  box-shadow: inset 0 -0.14rem 0 var(--del-line); }
.text.clean mark.hl { background: var(--ins-bg); color: var(--ins-ink);
  box-shadow: inset 0 -0.14rem 0 var(--ins-line); }
.text mark.hl { cursor: pointer; border-radius: 0.1rem; }
.text mark.hl.rej { background: var(--rej-bg); color: var(--ink);
  box-shadow: inset 0 -0.14rem 0 var(--rej-line); text-decoration: line-through dotted; }
.text mark.hl.off { background: transparent; color: inherit; box-shadow: none; cursor: auto;
  text-decoration: none; }
.text mark.hl.off .ws::before { color: transparent; }
.text mark.hl.cur, .text .pt.cur { outline: 0.16rem solid var(--focus); outline-offset: 0.05rem; }
.pt { cursor: pointer; }
.pt::before, .swatch.point { content: attr(data-mark); display: inline-block; font-weight: 700;
  font-family: var(--sans); font-size: 0.8rem; min-width: 1.1em; text-align: center;
  padding: 0 0.15rem; margin: 0 0.05rem; border-radius: 0.15rem; line-height: 1.3; }
.pt.ins::before, .swatch.point.ins { color: #fff; background: var(--ins-line); }
.pt.del::before, .swatch.point.del { color: #fff; background: var(--del-line); }
.pt.rej::before, .pt.ins.rej::before, .swatch.point.rej { color: #fff;
  background: var(--rej-line); }
.pt.doubt { text-decoration: none; }
.pt.doubt::before, .swatch.point.doubt { color: var(--ink); background: var(--doubt-bg);
  border: 0.06rem solid var(--doubt-line); }
.pt.off { visibility: hidden; }
.ws { position: relative; }
.ws::before { content: attr(data-ws); color: var(--muted); }
.ws.sp::before { position: absolute; left: 0; right: 0; text-align: center; }
.ws.nl::before { font-size: 0.85em; padding: 0 0.1rem; }
.ws.cr::before { font-family: var(--sans); font-size: 0.65em; border: 0.06rem solid currentColor;
  border-radius: 0.15rem; padding: 0 0.1rem; margin: 0 0.1rem; vertical-align: 0.1em; }
.legend { margin: 0.7rem 0 0; font-size: 0.85rem; color: var(--muted);
  display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; }
.legend span.item { display: inline-flex; align-items: baseline; gap: 0.35rem; }
.swatch { font-family: var(--mono); padding: 0 0.3rem; border-radius: 0.1rem; }
.swatch.before { background: var(--del-bg); color: var(--del-ink);
  box-shadow: inset 0 -0.14rem 0 var(--del-line); }
.swatch.after { background: var(--ins-bg); color: var(--ins-ink);
  box-shadow: inset 0 -0.14rem 0 var(--ins-line); }
.swatch.rejected { background: var(--rej-bg); color: var(--ink);
  box-shadow: inset 0 -0.14rem 0 var(--rej-line); text-decoration: line-through dotted; }
.ctl { font-size: 0.75em; border: 0.06rem solid currentColor; border-radius: 0.15rem;
  padding: 0 0.15rem; margin: 0 0.05rem; }
#changes h2 .shown { font-family: var(--sans); font-weight: 400; font-size: 0.85rem;
  color: var(--muted); }
.hint { font-size: 0.85rem; color: var(--muted); margin: 0 0 0.5rem; }
.changes { list-style: none; margin: 0; padding: 0 0.2rem 0 0; }
.change { content-visibility: auto; contain-intrinsic-size: auto 14rem;
  border: 0.06rem solid var(--rule); border-left: 0.35rem solid var(--rule);
  border-radius: 0.3rem; padding: 0.5rem 0.7rem; margin: 0 0 0.6rem; background: var(--paper); }
.change.filtered { content-visibility: hidden; contain-intrinsic-size: none; height: 0;
  margin: 0; padding: 0; border: 0; }
.change.current { border-left-color: var(--focus); background: var(--accent-soft); }
.change:focus-visible, .change:focus { outline: 0.2rem solid var(--focus); outline-offset: 0.1rem; }
.change.decided-accept { border-left-color: var(--ins-line); }
.change.decided-reject { border-left-color: var(--del-line); }
.change h3 { font-size: 0.95rem; margin: 0; font-family: var(--mono); font-weight: 600;
  overflow-wrap: anywhere; }
.cid { font-family: var(--mono); overflow-wrap: anywhere; }
.change h3 a { text-decoration: none; color: var(--ink); }
.where { margin: 0.1rem 0 0.4rem; font-size: 0.85rem; color: var(--muted); }
.where .stage, .where .rule { font-family: var(--mono); color: var(--ink); }
.diff { display: grid; gap: 0.25rem; margin: 0 0 0.4rem; }
.side { display: grid; grid-template-columns: 4.6rem minmax(0, 1fr); align-items: start; }
.side .label { font-size: 0.8rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.04em; color: var(--muted); padding-top: 0.1rem; }
.exact { font-family: var(--mono); font-size: 0.85rem; white-space: pre-wrap;
  overflow-wrap: anywhere; padding: 0.05rem 0.4rem 0.05rem 0.55rem; border-radius: 0.15rem; }
.side.del .exact { background: var(--del-bg); color: var(--del-ink);
  box-shadow: inset 0.15rem 0 0 var(--del-line); }
.side.ins .exact { background: var(--ins-bg); color: var(--ins-ink);
  box-shadow: inset 0.15rem 0 0 var(--ins-line); }
.empty { font-family: var(--sans); font-style: italic; color: var(--muted); }
.reason { margin: 0 0 0.3rem; font-size: 0.92rem; }
.range { margin: 0 0 0.3rem; font-size: 0.8rem; color: var(--muted); }
.recorded { margin: 0 0 0.3rem; font-size: 0.88rem; }
.change.rejected .recorded strong { color: var(--del-line); }
.decide { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 1rem;
  font-size: 0.9rem; border: 0; border-top: 0.06rem dashed var(--rule); border-radius: 0;
  padding: 0.45rem 0 0; margin-top: 0.4rem; }
.decide legend { float: left; padding: 0; margin: 0; font-size: 0.85rem; }
.choice { display: inline-flex; align-items: center; gap: 0.2rem; }
.comment { display: flex; flex: 1 1 12rem; align-items: center; gap: 0.4rem; min-width: 0; }
.comment input { flex: 1 1 auto; min-width: 0; font: inherit; padding: 0.15rem 0.35rem;
  border: 0.08rem solid var(--muted); border-radius: 0.2rem; }
.notes { display: grid; gap: 1rem; margin-top: 1.2rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); }
.notes section { border-top: 0.15rem solid var(--ink); padding-top: 0.5rem; }
.notes ol { padding-left: 1.5rem; margin: 0; font-size: 0.9rem; }
.notes li { margin-bottom: 0.3rem; overflow-wrap: anywhere; }
.notes .check { margin-right: 0.2rem; }
.none { color: var(--muted); font-size: 0.9rem; }
footer { margin-top: 1.5rem; font-size: 0.85rem; color: var(--muted);
  border-top: 0.06rem solid var(--rule); padding-top: 0.5rem; }
.lead { margin: 0; }
.documents { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
.documents caption { text-align: left; color: var(--muted); font-size: 0.9rem;
  padding-bottom: 0.4rem; }
.documents th, .documents td { border-bottom: 0.06rem solid var(--rule); padding: 0.35rem 0.6rem;
  text-align: left; overflow-wrap: anywhere; }
.documents td { font-variant-numeric: tabular-nums; text-align: right; }
.documents thead th { border-bottom: 0.12rem solid var(--ink); }
.documents thead th.number { text-align: right; }
.documents tr.open td:nth-child(3) { color: var(--accent); font-weight: 700; }
.failures h2 { margin-top: 1.5rem; }
[hidden] { display: none !important; }
@media print {
  .controls, .decide, .hint { display: none; }
  .text, #changes .changes { max-height: none; overflow: visible; }
}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var items = Array.prototype.slice.call(document.querySelectorAll("li.change"));
  var byId = {};
  items.forEach(function (li) { byId[li.id] = li; });
  var marks = Array.prototype.slice.call(document.querySelectorAll(".text [data-c]"))
    .map(function (el) { return { el: el, ids: el.getAttribute("data-c").split(" ") }; });
  var state = {};
  var dirty = false;
  var current = null;
  Object.keys(data.changes).forEach(function (id) {
    var d = data.changes[id].decision;
    if (d) {
      state[id] = { decision: d.decision, reviewer: d.reviewer, date: d.date,
                    comment: d.comment, fresh: false };
    }
  });
  var reviewerInput = document.getElementById("reviewer");
  var statusLine = document.getElementById("export-status");

  function today() {
    var d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function checkedValues(kind) {
    var values = {};
    document.querySelectorAll('input[data-filter="' + kind + '"]').forEach(function (box) {
      if (box.checked) { values[box.value] = true; }
    });
    return values;
  }
  function visible(li) { return !li.classList.contains("filtered"); }
  function rejected(id) {
    return state[id] ? state[id].decision === "reject" : !data.changes[id].applied;
  }

  function refreshMarks() {
    marks.forEach(function (m) {
      var shown = m.ids.filter(function (id) { return byId[id] && visible(byId[id]); });
      m.el.classList.toggle("off", shown.length === 0);
      m.el.classList.toggle("rej", shown.length > 0 && shown.every(rejected));
      m.el.classList.toggle("cur", current !== null && shown.indexOf(current) >= 0);
    });
  }
  function refreshCounts() {
    var undecided = items.filter(function (li) { return !state[li.id]; }).length;
    document.getElementById("count-undecided").textContent = String(undecided);
    var shown = items.filter(visible).length;
    document.getElementById("shown").textContent = shown + " of " + items.length +
      " shown, " + undecided + " undecided";
  }
  function applyFilters() {
    var stages = checkedValues("stage");
    var rules = checkedValues("rule");
    var onlyUndecided = document.getElementById("only-undecided").checked;
    items.forEach(function (li) {
      var stage = li.getAttribute("data-stage");
      var show = !!stages[stage] && !!rules[stage + "/" + li.getAttribute("data-rule")] &&
        (!onlyUndecided || !state[li.id]);
      // Not `hidden`: taking thousands of items out of layout costs seconds in Chromium;
      // skipping their contents (content-visibility) hides them as well, from sight, focus and
      // the accessibility tree, in a fraction of that.
      if (visible(li) !== show) {
        li.classList.toggle("filtered", !show);
        if (show) { li.removeAttribute("aria-hidden"); }
        else { li.setAttribute("aria-hidden", "true"); }
      }
    });
    refreshMarks();
    refreshCounts();
  }
  function scrollPane(pane, el) {
    var top = 0;
    for (var node = el; node && node !== pane; node = node.offsetParent) { top += node.offsetTop; }
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
  }
  function select(li, focus) {
    if (current && byId[current]) {
      byId[current].classList.remove("current");
      byId[current].removeAttribute("aria-current");
    }
    current = li.id;
    li.classList.add("current");
    li.setAttribute("aria-current", "true");
    refreshMarks();
    ["raw-text", "clean-text"].forEach(function (paneId) {
      var pane = document.getElementById(paneId);
      var first = marks.filter(function (m) {
        return m.ids.indexOf(li.id) >= 0 && pane.contains(m.el);
      })[0];
      if (first) { scrollPane(pane, first.el); }
    });
    if (focus) {
      li.focus({ preventScroll: true });
      li.scrollIntoView({ block: "nearest" });
    }
  }
  function move(step) {
    var start = current && byId[current] ? items.indexOf(byId[current])
      : (step > 0 ? -1 : items.length);
    for (var i = start + step; i >= 0 && i < items.length; i += step) {
      if (visible(items[i])) { select(items[i], true); return; }
    }
    if (current && byId[current] && visible(byId[current])) { byId[current].focus(); }
  }
  function focusDetails(li) {
    var target = li.querySelector(".decide input:checked") || li.querySelector(".decide input");
    if (target) { target.focus(); }
  }
  function setDecision(id, verdict, fromKey) {
    var li = byId[id];
    if (!li) { return; }
    var comment = li.querySelector(".comment-input").value;
    if (verdict) {
      state[id] = { decision: verdict, reviewer: "", date: today(), comment: comment, fresh: true };
    } else {
      delete state[id];
    }
    if (fromKey) {
      var radio = li.querySelector('.decide input[value="' + verdict + '"]');
      if (radio) { radio.checked = true; }
    }
    li.classList.toggle("decided-accept", verdict === "accept");
    li.classList.toggle("decided-reject", verdict === "reject");
    dirty = true;
    refreshMarks();
    refreshCounts();
  }
  function exportDecisions() {
    var reviewer = reviewerInput.value.trim();
    var fresh = Object.keys(state).some(function (id) { return state[id].fresh; });
    if (fresh && !reviewer) {
      statusLine.textContent =
        "Enter your name as reviewer first: every decision records who made it.";
      statusLine.className = "error";
      reviewerInput.focus();
      return;
    }
    var out = {};
    document.querySelectorAll("input.keep-stale").forEach(function (box) {
      if (!box.checked) { return; }
      var s = data.stale[Number(box.value)];
      out[s.key] = { decision: s.decision, reviewer: s.reviewer, date: s.date,
                     comment: s.comment, before: s.before, after: s.after };
    });
    items.forEach(function (li) {
      var st = state[li.id];
      if (!st) { return; }
      var change = data.changes[li.id];
      out[change.key] = { decision: st.decision,
                          reviewer: st.fresh ? reviewer : st.reviewer,
                          date: st.date, comment: st.comment,
                          before: change.before, after: change.after };
    });
    var sorted = {};
    Object.keys(out).sort().forEach(function (key) { sorted[key] = out[key]; });
    var text = JSON.stringify({ document: data.document, decisions: sorted }, null, 2) + "\n";
    var link = document.getElementById("download");
    if (link.href) { URL.revokeObjectURL(link.href); }
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.hidden = false;
    link.click();
    dirty = false;
    statusLine.className = "";
    statusLine.textContent = "Exported " + Object.keys(sorted).length + " decisions as " +
      data.decisionsFile + ". Save it in review/ and run make.";
  }

  document.querySelector(".controls").addEventListener("change", function (e) {
    if (e.target.matches("input[data-filter], #only-undecided")) { applyFilters(); }
  });
  document.getElementById("export").addEventListener("click", exportDecisions);
  var list = document.querySelector("ol.changes");
  list.addEventListener("change", function (e) {
    var li = e.target.closest("li.change");
    if (!li) { return; }
    if (e.target.type === "radio") { setDecision(li.id, e.target.value, false); }
  });
  list.addEventListener("input", function (e) {
    var li = e.target.closest("li.change");
    if (li && e.target.classList.contains("comment-input") && state[li.id]) {
      state[li.id].comment = e.target.value;
      state[li.id].fresh = true;
      state[li.id].date = today();
      dirty = true;
    }
  });
  list.addEventListener("click", function (e) {
    var li = e.target.closest("li.change");
    if (li && li.id !== current) { select(li, false); }
  });
  document.querySelectorAll(".text").forEach(function (pane) {
    pane.addEventListener("click", function (e) {
      var el = e.target.closest("[data-c]");
      if (!el) { return; }
      var ids = el.getAttribute("data-c").split(" ").filter(function (id) {
        return byId[id] && visible(byId[id]);
      });
      if (!ids.length) { return; }
      var next = ids[(ids.indexOf(current) + 1) % ids.length];
      select(byId[next], true);
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    var typing = t.matches && t.matches('input[type="text"], textarea, select, [contenteditable]');
    if (typing) {
      if (e.key === "Escape" && current) { byId[current].focus(); e.preventDefault(); }
      return;
    }
    var onChange = t.classList && t.classList.contains("change");
    switch (e.key) {
      case "j": case "n": move(1); break;
      case "k": case "p": move(-1); break;
      case "Enter":
        if (!onChange) { return; }
        focusDetails(t);
        break;
      case "Escape":
        if (!current) { return; }
        byId[current].focus();
        break;
      case "a": case "r": case "u":
        if (!current) { return; }
        setDecision(current, { a: "accept", r: "reject", u: "" }[e.key], true);
        break;
      default: return;
    }
    e.preventDefault();
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  items.forEach(function (li) {
    var st = state[li.id];
    if (st) { li.classList.add("decided-" + st.decision); }
  });
  applyFilters();
})();
"""
