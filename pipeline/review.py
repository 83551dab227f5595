"""The review pages: one self-contained HTML page per dump, and an index of them.

A reviewer has to see, for every automatic change, what the raw dump said and what the repaired
text says now, and why; and has to be able to say "no" to a change. The page shows the raw text and
the repaired text side by side with each change highlighted at both ends (raw range from
`raw_start`/`raw_end`, landing place from `final_start`/`final_end`), lists every change with its
provenance (stage, rule, exact before and after with whitespace made visible, raw line:column,
reason, id), and lets the reviewer accept or reject each one and export the verdicts as
`<name>.decisions.json` — the file `pipeline.decisions` reads on the next run.

A page stays a few times the size of its dump, however many changes it has, and opens in about a
second: each text is written once, as plain text in blocks of lines that the browser lays out only
when they are scrolled to (`content-visibility`); the changes are data (JSON), from which the
page's script builds the list and draws a block's highlights when the block is shown or one of its
changes is chosen. Writing every highlight and list item as HTML made a page tens of times its
dump (a 5.5 MB dump gave 47 MB, 17 s to open in Chromium).

The pages work from disk with no network: the CSS and JavaScript (`review.css`, `review.js`,
package data) are written into each page, and a Content Security Policy forbids every fetch. They
are built with lxml, so every piece of text is escaped by the serializer, never by string pasting;
the one exception is the embedded JSON data, which is ASCII-only and has `<`, `>` and `&` escaped
so that no text can close its `<script>`. The output is a function of the input alone (no clock,
no randomness), so a page can be diffed between runs.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from pipeline import __version__, decisions, source
from pipeline.process import LocatedDoubt, Result
from pipeline.stages import STAGES

# Characters a reader cannot see, or that HTML cannot carry (C0/C1 controls, format characters,
# lone surrogates, non-characters): always shown as a labelled box, never passed through.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e"
                     "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff"
                     "\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]")
# Whitespace that matters inside a change: the script shows it with a symbol over it, and names
# it from the page's data (but for the few spaces it knows).
_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u00a0\u00ad\u061c\u115f\u1160\u180e\u2000-\u200f"
                    "\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\ufff9-\ufffb"
                    "\ufffe\uffff\ud800-\udfff ]")
# In the texts, the characters written as an element of their own: hidden ones as a labelled box,
# a CR (a line end in the raw file's own convention, shown as such in a highlight), spacing
# characters the script does not name, and characters beyond U+FFFF (JavaScript counts them as
# two, the change log as one); each element stands for one character of the text.
_ATOM = re.compile(f"{_HIDDEN.pattern}|\r|[\u2000-\u2008\u200a\u205f]|[\U00010000-\U0010ffff]")
# The texts are written in blocks of whole lines of about this many characters: the browser lays
# out a block only when it is scrolled to, and the script draws its highlights then. A block is
# a few screens of text, drawn in about a millisecond.
_BLOCK = 4096
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
    _text(_pane(texts, "raw", "Raw dump", "as received, each change's raw range marked"),
          raw_text)
    _text(_pane(texts, "clean", "Repaired text", "where each change landed"), result.text)

    listing = _el(main, "section", {"id": "changes", "aria-labelledby": "changes-heading"})
    title = _el(listing, "h2", {"id": "changes-heading"}, "Changes ")
    _el(title, "span", {"class": "shown", "id": "shown"}, f"{stats.changes} of {stats.changes}")
    _el(listing, "p", {"class": "hint"},
        "Press j or n for the next change, k or p for the previous one, Enter to decide, "
        "a to accept, r to reject, u to undo your choice, Esc to return to the list. Click a "
        "highlight in either text to open its change.")
    _el(listing, "ol", {"class": "changes"})  # filled by the script from the data
    if not result.changes:
        _el(listing, "p", {"class": "none"}, "No change was made to this dump.")

    aside = _el(body, "aside", {"class": "notes"})
    _doubts(aside, result.doubts, doubt_ids)
    _stale(aside, result)
    footer = _el(body, "footer")
    _el(footer, "p", text=f"Written by pipeline {__version__}. Export your decisions, save the "
                          f"file as review/{decisions_file} and run make: rejected changes are "
                          "then undone and every decision is recorded in the TEI.")
    _change_template(body)
    _el(body, "script", {"type": "application/json", "id": "review-data"},
        _json(_data(result, change_ids, doubt_ids, raw_text, decisions_file)))
    _el(body, "script", text=_asset("review.js"))
    return _serialize(root)


def _data(result: Result, change_ids: list[str], doubt_ids: list[str], raw_text: str,
          decisions_file: str) -> dict:
    """What the script needs to list and highlight the changes, as compact as JSON allows: a
    change is an array (`review.js` reads it by position, see `CHANGE` there), its stage and rule
    and its reason are indices into tables, since thousands of changes share a few rules and
    often their reason."""
    rules = sorted({(c.stage, c.rule) for c in result.changes},
                   key=lambda pair: ([s.NAME for s in STAGES].index(pair[0]), pair[1]))
    rule_index = {pair: n for n, pair in enumerate(rules)}
    reasons: dict[str, int] = {}
    changes = []
    for change, cid in zip(result.changes, change_ids):
        decision = change.decision
        item = [cid, rule_index[(change.stage, change.rule)], change.raw_start, change.raw_end,
                change.final_start, change.final_end, change.raw_line, change.raw_column,
                change.before, change.after, reasons.setdefault(change.reason, len(reasons)),
                None if decision is None else [decision.verdict, decision.reviewer,
                                               decision.date, decision.comment]]
        if cid != change.id:  # a second change with one rule at one offset: `-2` on the page
            item.append(change.id)
        changes.append(item)
    shown = {ch for c in result.changes for ch in _SHOWN.findall(c.before + c.after)}
    return {
        "document": result.source.path.name,
        "decisionsFile": decisions_file,
        "lengths": [len(raw_text), len(result.text)],
        "rules": [list(pair) for pair in rules],
        "reasons": list(reasons),
        "changes": changes,
        "doubts": [[did, d.raw_start, d.final_start, d.rule, d.reason]
                   for d, did in zip(result.doubts, doubt_ids)],
        "names": {f"{ord(ch):04X}": _name(ch) for ch in sorted(shown)},
        "hidden": _HIDDEN.pattern,  # one character class, read the same by JavaScript
        "shown": _SHOWN.pattern,
        "stale": [{"key": d.change_id, "decision": d.verdict, "reviewer": d.reviewer,
                   "date": d.date, "comment": d.comment, "before": d.before, "after": d.after}
                  for d, _ in result.stale],
    }


@cache
def _asset(name: str) -> str:
    """A file of the page's own code (CSS, JavaScript), shipped beside this module."""
    return resources.files("pipeline").joinpath(name).read_text(encoding="utf-8")


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
    _el(head, "style", text=_asset("review.css"))
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


def _text(pre, text: str) -> None:
    """Write `text` into `pre` in blocks of whole lines, each with its offset in the text, so that
    the script can find a change's place in it; the characters `_ATOM` names are elements of
    their own (one character of the text each), the rest is text."""
    start = 0
    while start < len(text) or not len(pre):  # an empty text is one empty block
        newline = text.find("\n", start + _BLOCK)
        end = len(text) if newline < 0 else newline + 1
        piece = text[start:end]
        # its height before it is first laid out, at about 80 characters a row
        rows = sum(1 + len(line) // 80 for line in piece.split("\n"))
        block = _el(pre, "span", {"class": "block", "data-at": str(start),
                                  "style": f"contain-intrinsic-block-size: auto {rows * 1.6:g}em"})
        last = 0
        for match in _ATOM.finditer(piece):
            _append(block, piece[last:match.start()])
            last = match.end()
            ch = match.group()
            if ch == "\r":  # alone, it is the line end; before LF, the LF shows it
                _el(block, "span", {"class": "x-cr"}, None if piece[last:last + 1] == "\n"
                    else "\n")
            elif ord(ch) > 0xFFFF:
                _el(block, "span", {"class": "x-char"}, ch)
            elif _HIDDEN.match(ch):
                _el(block, "span", {"class": "ctl", "title": f"{_name(ch)} (U+{ord(ch):04X}), "
                                                              "invisible or not representable"},
                    f"U+{ord(ch):04X}")
            else:
                _el(block, "span", {"class": "x-sp", "title": f"{_name(ch)} (U+{ord(ch):04X})"},
                    ch)
        _append(block, piece[last:])
        start = end


def _name(ch: str) -> str:
    return unicodedata.name(ch, "").lower() or "control character"


def _change_template(body) -> None:
    """One change of the list, as the script fills it in for each change."""
    item = _el(_el(body, "template", {"id": "change-template"}), "li",
               {"class": "change", "tabindex": "-1"})
    _el(_el(item, "h3"), "a", {"class": "cid"})
    where = _el(item, "p", {"class": "where"})
    _el(where, "span", {"class": "stage"})
    _append(where, " / ")
    _el(where, "span", {"class": "rule"})
    _el(where, "span", {"class": "at"})
    diff = _el(item, "div", {"class": "diff"})
    for label, kind in (("before", "del"), ("after", "ins")):
        row = _el(diff, "div", {"class": f"side {kind}"})
        _el(row, "span", {"class": "label"}, label)
        _el(row, "code", {"class": "exact"})
    for kind in ("reason", "range", "recorded"):
        _el(item, "p", {"class": kind})
    decide = _el(item, "fieldset", {"class": "decide"})
    _el(decide, "legend", text="Your decision")
    for value, label in (("", "undecided"), ("accept", "accept"), ("reject", "reject")):
        option = _el(decide, "label", {"class": f"choice choice-{value or 'none'}"})
        _el(option, "input", {"type": "radio", "value": value})
        _append(option, f" {label}")
    comment = _el(decide, "label", {"class": "comment"}, "Comment ")
    _el(comment, "input", {"type": "text", "class": "comment-input"})


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
