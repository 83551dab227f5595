"""Pages: page breaks, page numbers and running heads that PDF extraction leaves in the text.

pdftotext and tesseract end every page with a form feed; a browser's print to PDF stamps the date,
the title, the file's address and `3/13` on every page; books repeat their title or chapter at the
top and a folio at the bottom. None of it is the author's text, and it cuts paragraphs (often words)
in two. Each page boundary, with the furniture around it, becomes one recorded change; the TEI writer
puts a `<pb n="…"/>` where it was, so the pagination is kept as a milestone while the paragraph
continues across it.

Furniture is told from text by repetition: a line at the top or bottom of the pages whose shape (its
digits set aside) recurs on many pages, or a bare page number at a page's edge. A line that recurs
on half the pages or fewer is still the text's when it reads as the text does: in one paragraph
with a full line next to it (a sentence that happens to end two pages alike); it stays, as a doubt
for the reviewer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import regex

from pipeline.model import Context, Doubt, Edit, Proposal
from pipeline.stages.layout import LABEL

NAME = "pages"
RULES = {
    "mark_page_break": "A page boundary (a form feed, or a line that numbers pages: '3/13', a "
                       "running head or a bare folio whose number grows at an even pace) is "
                       "removed from the reading text together with the running heads and page "
                       "numbers around it; the TEI keeps it as <pb/>, and the text on both sides "
                       "becomes two blocks, which the breaks stage joins when the sentence goes "
                       "on.",
    "mark_footnote": "A block at a page's foot whose lines open with numbers (1, 2, or ¹, ²) "
                     "that the page's text carries as note marks (glued to a word or after "
                     "punctuation: 'archivo.1', never '2.1') is that page's footnotes: each "
                     "mark becomes a footnote reference and each note moves to the end of the "
                     "text as its footnote (the TEI's <note place=\"foot\">), so that the "
                     "page's last paragraph can go on across the page.",
    "remove_page_furniture": "Running heads and page numbers above the first page's text or "
                             "below the last page's, and a form feed that ends the text, are "
                             "removed.",
    "flag_recurring_prose": "A line that recurs at the same edge of half the pages or fewer is "
                            "kept as text when it is in one paragraph with the line next to it "
                            "and one of the two is a full line, and it ends a sentence (at a "
                            "page's foot) or goes on with one in lower case (at its top); the "
                            "reviewer is told.",
}

_EDGE = 3  # lines at a page's top or bottom that may be furniture
_LONGEST = 120  # a running head is a short line
_PAGE_TEXT = 500  # characters a page holds at least, typically: numbered steps are closer
_PAGE_NUMBER = regex.compile(
    r"^[\p{Pd}\s]*(?:(?:page|pág\.?|página|pagina|seite|s\.|p\.)\s*)?"
    r"(\d{1,4}|(?-i:[ivxlcdm]{1,7}|[IVXLCDM]{1,7}))"
    r"(?:\s*(?:/|of|de|von|sur|di)\s*\d{1,4})?[\p{Pd}\s]*$", regex.IGNORECASE)
# `file:///…/report.html  3/13`, `Informe anual 12 / 63`: a page count at the end of a line.
_PAGE_OF = regex.compile(r"(?<!\S)(\d{1,4})\s*/\s*(\d{1,4})\s*$")


@dataclass(frozen=True)
class Page:
    start: int  # offset of the page's first character in the text
    end: int  # offset just after its last (before the form feed)
    top: int  # number of furniture lines at the top
    bottom: int  # and at the bottom
    number: str | None  # the page's own number, when a furniture line gives it
    # Lines at its edges that recur but read as the text: (start, end, why they stay).
    kept: tuple[tuple[int, int, str], ...] = ()


class _EdgeLine(NamedTuple):
    start: int
    text: str
    inward: str | None  # the line next to it toward the page's middle, with no blank line between


def propose(text: str, context: Context) -> Proposal:
    r"""Page boundaries with their running heads and folios, as one change each.

    >>> from pipeline import alignment
    >>> def repaired(text):
    ...     return alignment.apply(text, propose(text, Context.of(text, "en")).edits).text
    >>> repaired("Annual report\n\nThe first page ends in\n\n1\n\fAnnual report\n\n"
    ...          "the middle of a sentence.\n\n2\n\f")
    'The first page ends in\n\nthe middle of a sentence.\n'
    >>> repaired("One page, no furniture.\n")
    'One page, no furniture.\n'
    """
    lines = _Lines(text)
    pages = paginate(text, lines)
    if len(pages) < 2 and "\f" not in text:
        return Proposal(_labelled_furniture(text, context, []), [])
    edits = []
    content = [(p, lines.content(p)) for p in pages]
    content = [(p, span) for p, span in content if span is not None]
    doubts = [Doubt(start, end, "flag_recurring_prose", why)
              for page in pages for start, end, why in page.kept]
    if not content:  # only furniture on every page: it stays text, but no form feed may stay
        feeds = [Edit(feed.start(), feed.end(), "\n\n", "mark_page_break",
                      "a form feed between pages that hold nothing but what recurs on them")
                 for feed in regex.finditer("\f", text)]
        return Proposal(sorted(feeds + _labelled_furniture(text, context, feeds)), doubts)
    notes = []  # (label, text) of the footnotes moved to the end, in order
    footnotes = [_footnotes(text, start, end) for _, (start, end) in content]
    # Notes numbered page by page repeat their marks: the page tells them apart.
    repeated = Counter(mark for found in footnotes if found for mark, _, _ in found[2])
    for k, ((page, (start, end)), found) in enumerate(zip(content, footnotes)):
        if not found:
            continue
        body_end, block_end, marks = found
        for mark, anchor, note_text in marks:
            label = mark if repeated[mark] == 1 else f"{page.number or k + 1}-{mark}"
            edits.append(Edit(anchor, anchor + len(mark), f"[^{label}]", "mark_footnote",
                              f"the mark {mark!r} in the text refers to the note at the foot "
                              f"of its page: {note_text[:60]!r}"))
            notes.append((label, note_text))
        edits.append(Edit(body_end, block_end, "", "mark_footnote",
                          f"{len(marks)} footnote{'s' * (len(marks) > 1)} at the foot of the "
                          "page, moved to the end of the text"))
    first, (first_start, _) = content[0]
    if first.top or "\f" in text[:first_start] or text[:first_start].strip():
        edits.append(Edit(0, first_start, "", "remove_page_furniture",
                          _why(text, 0, first_start, "above the first page's text")))
    for (page, (_, end)), (following, (start, _)) in zip(content, content[1:]):
        numbers = [p.number for p in pages if page.start < p.start <= following.start]
        edits.append(Edit(end, start, "\n\n", "mark_page_break",
                          _why(text, end, start, "at the page break") +
                          (f"; page {numbers[-1]} begins" if numbers[-1] else "")))
    last, (_, last_end) = content[-1]
    tail = text[last_end:]
    if last.bottom or "\f" in tail or tail.strip() and not notes:
        edits.append(Edit(last_end, len(text), "\n", "remove_page_furniture",
                          _why(text, last_end, len(text), "below the last page's text")))
        tail = "\n"
    if notes:
        moved = "\n\n".join(f"[^{label}]: {note}" for label, note in notes)
        edits.append(Edit(len(text), len(text), ("\n" if tail.endswith("\n") else "\n\n")
                          + moved + "\n", "mark_footnote",
                          f"the {len(notes)} footnotes of the pages, as footnotes of the text"))
    return Proposal(sorted(edits + _labelled_furniture(text, context, edits)), doubts)


def _labelled_furniture(text: str, context: Context, taken: list[Edit]) -> list[Edit]:
    """The lines a file of pages labels as running heads, folios, catchwords (pipeline.extract.
    evidence), each removed with the blank line that set it apart, where no other edit of the
    page already removes it."""
    if context.pages is None:
        return []
    edits, start = [], 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        why = text[start:end].strip() and context.pages.furniture(start)
        if why:
            if text.startswith("\n\n", end):  # the line and the blank line after it
                span = (start, end + 2)
            elif text[end:] in ("", "\n") and text[:start].endswith("\n\n"):  # the last block
                span = (start - 1, min(end + 1, len(text)))
            else:
                span = (start, min(end + 1, len(text)))
            if not any(e.start < span[1] and span[0] < e.end for e in taken + edits):
                edits.append(Edit(*span, "", "remove_page_furniture",
                                  f"{text[start:end].strip()!r}: {why}"))
        start = end + 1
    return edits


# A footnote's mark: a number the text has glued to a word or punctuation (pdftotext writes a
# superscript as a plain digit), or a superscript digit.
_NOTE_LINE = regex.compile(r"^[ \t]*([0-9]{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})[ \t]+(\S.*)$")


def _anchor(mark: str) -> regex.Pattern:
    # After a digit's point or comma only where a sentence ends there (`en 1950.1 Il…`):
    # `versions 2.1 and 3.2` are numbers, not marks.
    escaped = regex.escape(mark)
    return regex.compile(rf"(?<=[\p{{L}}\p{{Pe}}\p{{Pf}}.,;:!?\"'])(?<!\d[.,])({escaped})"
                         rf"(?![\d\p{{L}}])|(?<=\d\.)({escaped})(?=\s+\p{{Lu}})")


def _footnotes(text: str, start: int, end: int):
    """(end of the page's text, end of its notes, [(mark, anchor offset, note)]) when the page's
    last block is its footnotes: lines that open with marks counting up, each mark found in the
    text above it, in order. None otherwise."""
    block_start = text.rfind("\n\n", start, end)
    if block_start < 0:
        return None
    lines = text[block_start + 2:end].split("\n")
    marks, current = [], None
    for line in lines:
        match = _NOTE_LINE.match(line)
        if match and (current is None or _value(match.group(1)) == _value(current[0]) + 1):
            current = [match.group(1), match.group(2).strip()]
            marks.append(current)
        elif current is not None and line.strip():
            current[1] += " " + line.strip()
        elif current is None:
            return None
    body_end = len(text[:block_start].rstrip()) if block_start > start else start
    found, search_from = [], start
    for mark, note in marks:
        anchor = _anchor(mark).search(text, search_from, body_end)
        if anchor is None:
            return None
        found.append((mark, anchor.start(), note))
        search_from = anchor.end()
    return (body_end, end, found) if found else None


def _value(mark: str) -> int:
    return int(mark.translate(str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")))


def breaks(text: str, pages: list[Page] | None = None) -> list[tuple[int, str | None]]:
    r"""Where each page begins in `text` (the pages stage's input) and its number, if known: the
    TEI writer's `<pb/>` milestones. The first page begins at 0; none when the text has no pages.
    `pages` are the text's, when the caller has them already (`paginate`).

    >>> breaks("Title\n\nText.\n\n- 1 -\n\fTitle\n\nMore.\n\n- 2 -\n")
    [(0, '1'), (12, '2')]
    """
    lines = _Lines(text)
    pages = pages or paginate(text, lines)
    if len(pages) < 2:
        return []
    found = [(0, pages[0].number)]
    for page, following in zip(pages, pages[1:]):
        span = lines.content(page)
        found.append((span[1] if span else page.end, following.number))
    return found


def paginate(text: str, lines: _Lines | None = None) -> list[Page]:
    """The pages of `text` with their furniture: split at form feeds, else at recurring page-count
    lines (`3/13`), else one page."""
    lines = lines or _Lines(text)
    # Pages counted by their numbered lines end on that line, which is furniture whatever else
    # recurs; form-feed pages have no such line.
    numbered = [] if "\f" in text else _counted_pages(text, lines)
    bounds = _form_feed_pages(text) if "\f" in text else [(a, b) for a, b, _, _ in numbered]
    if len(bounds) < 2:
        return [Page(0, len(text), 0, 0, None)]
    edges = [(lines.edge(start, end, top=True), lines.edge(start, end, top=False))
             for start, end in bounds]
    # On how many pages each shape stands at an edge: rows of one table at a page's foot are
    # one page's, however many of them there are.
    shapes = Counter(shape for top, bottom in edges
                     for shape in {_shape(line.text) for line in (*top, *bottom)})
    # Left and right pages of a book carry different heads, so a shape on two pages in five is
    # furniture; a chapter title opening a page now and then is not.
    recurring = {shape for shape, n in shapes.items()
                 if n >= max(2, -(-2 * len(bounds) // 5))}
    counted = _counting_shapes(edges, recurring)
    prose = _Prose(lines, edges, recurring)
    pages = []
    for k, ((start, end), (top, bottom)) in enumerate(zip(bounds, edges)):
        where = numbered[k][3] if numbered else None
        heads, foots = where == "top", where == "bottom"
        top_n = heads + _furniture(top[heads:], recurring, prose.top)
        bottom_n = foots + _furniture(bottom[::-1][foots:], recurring, prose.bottom)
        furniture = [line.text for line in (*top[:top_n], *bottom[::-1][:bottom_n])]
        number = str(numbered[k][2]) if where else \
            next((_number(line, counted) for line in furniture if _number(line, counted)), None)
        kept = [prose.why(line, "top") for line in top[top_n:top_n + 1] if prose.top(line)]
        kept += [prose.why(line, "foot") for line in bottom[::-1][bottom_n:bottom_n + 1]
                 if prose.bottom(line)]
        pages.append(Page(start, end, top_n, bottom_n, number, tuple(kept)))
    return pages


class _Prose:
    """Which recurring edge lines read as the text's own. A running head or foot is short, or a
    number, or on most pages at its edge; a line that recurs on fewer pages, in one paragraph with
    the line next to it, where one of the two is a full line (the other's first word would not
    have fit on it), is a sentence that happens to end two pages alike (it ends a sentence) or to
    open them (it goes on with one, in lower case)."""

    def __init__(self, lines: _Lines, edges, recurring: set[str]) -> None:
        self.pages = len(edges)
        self.recurring = recurring
        self.measure = lines.measure()
        self.at = {side: Counter(shape for page in edges
                                 for shape in {_shape(line.text) for line in page[k]})
                   for k, side in enumerate(("top", "foot"))}

    def top(self, line: _EdgeLine) -> bool:
        return self._reads_as_text(line, "top")

    def bottom(self, line: _EdgeLine) -> bool:
        return self._reads_as_text(line, "foot")

    def _reads_as_text(self, line: _EdgeLine, side: str) -> bool:
        shape = _shape(line.text)
        if shape not in self.recurring or 2 * self.at[side][shape] > self.pages or \
                line.inward is None or self.measure is None:
            return False
        upper, lower = (line.text, line.inward) if side == "top" else (line.inward, line.text)
        # A running head is a title, set in capitals or title case; prose that goes on at the
        # top of a page goes on with a sentence, in lower case.
        return _full(upper, lower, self.measure) and \
            (line.text.lstrip()[:1].islower() if side == "top" else
             _SENTENCE_END.search(line.text) is not None)

    def why(self, line: _EdgeLine, side: str) -> tuple[int, int, str]:
        upper, lower = (line.text, line.inward) if side == "top" else (line.inward, line.text)
        return (line.start, line.start + len(line.text),
                f"{line.text.strip()!r} recurs at the {side} of {self.at[side][_shape(line.text)]}"
                f" of {self.pages} pages but is kept as text: in one paragraph with the line "
                f"{'below' if side == 'top' else 'above'} it, {upper.strip()[-20:].strip()!r} is "
                f"a full line ({lower.split()[0]!r} would not have fit on it: the text's wrapped "
                f"lines have {self.measure} characters, median)" +
                (" and it ends a sentence" if side == "foot" else
                 " and it goes on with a sentence, in lower case"))


_SENTENCE_END = regex.compile(r"[.!?…][\p{Pf}\p{Pe}\"']*\s*$")


def _full(upper: str, lower: str, measure: int) -> bool:
    """Whether `upper` broke because the first word of `lower` would not fit on it."""
    return len(upper.strip()) + 1 + len(lower.split()[0]) > measure


def _counting_shapes(edges, recurring: set[str]) -> set[str]:
    """The recurring lines whose last number changes from page to page (`Report – page 7`):
    that number is the page's, where a constant one (`Annual report 2025`) is not."""
    last = {}
    for top, bottom in edges:
        for line in {line.text for line in (*top, *bottom)}:
            numbers = regex.findall(r"\d+", line)
            if numbers and _shape(line) in recurring:
                last.setdefault(_shape(line), set()).add(numbers[-1])
    return {shape for shape, numbers in last.items() if len(numbers) > 1}


def _form_feed_pages(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in regex.finditer("\f", text):
        bounds.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def _counted_pages(text: str, lines: _Lines) -> list[tuple[int, int, int | None, str | None]]:
    """Pages told by the lines that number them, when no form feed does: a printed footer with
    a page count (`file:///…/report.html  3/13`: the same total, the page growing), or running
    heads and folios whose numbers run on page after page (`9`, `10  Chapter 3. Duties`,
    `3.2. Administrative Duties  11`: left and right pages differ), as PDF-to-markdown converters
    leave them. A page ends after each such line, or begins with it when they head the pages."""
    counts, folios = [], []
    numbered = list(lines.all())
    beside = _beside_running_heads(numbered)
    for k, (start, line) in enumerate(numbered):
        if len(line) > _LONGEST or not line.strip() or _HEADING.match(line):
            continue  # a markdown heading ('## 2') numbers a section, not a page
        bare = _bare(line)
        if LABEL.match(bare) and not _PAGE_NUMBER.match(bare):
            continue  # 'Chapter 3', '2.1': a title
        match = _PAGE_OF.search(bare)
        if match and int(match.group(1)) <= int(match.group(2)):
            counts.append((start, start + len(line), int(match.group(1)), match.group(2)))
            continue
        # Not a piece of a larger number: `1,750` and `3.5` are no folios 750 and 5.
        first = regex.match(r"^(\d{1,4})\b(?![.,]\d)", bare)
        last = regex.search(r"(?<!\d[.,])\b(\d{1,4})$", bare)
        if first or last:
            folios.append((start, start + len(line), first and int(first.group(1)),
                           last and int(last.group(1)), _shape(line), k in beside))
    totals = Counter(total for _, _, _, total in counts)
    if totals and totals.most_common(1)[0][1] >= 2:
        total = totals.most_common(1)[0][0]
        found = [(start, end, page) for start, end, page, t in counts if t == total]
        if _growing(found):
            return _bounds(text, found)
    return _bounds(text, _folio_run(folios))


def _folio_run(folios: list[tuple[int, int, int | None, int | None, str, bool]]):
    """The lines whose numbers are page numbers: lines of a shape that recurs with a number at
    its start or end that grows (the other is a chapter's or an edition's), with bare numbers
    among them, together counting up one page at a time (a page without a head may skip one),
    three at least, over pages of a real page's length. Bare numbers alone number sections as
    often as pages: without a running head beside them (on the line itself, or a line of its
    own that recurs unchanged next to each) they are left alone."""
    by_shape: dict[str, list] = {}
    for folio in folios:
        by_shape.setdefault(folio[4], []).append(folio)
    run, headed = [], False
    for shape, found in by_shape.items():
        if not regex.sub(r"[#*_\s]", "", shape):
            run.extend((start, end, first) for start, end, first, _, _, _ in found)
            # The last page may end without a head after its folio.
            headed = headed or len(found) >= 3 and sum(f[5] for f in found) >= len(found) - 1
            continue
        for side in (3, 2, None):  # the number at the end, at the start, or at the outer edge
            numbered = [(f[0], f[1], _folio_number(f, side)) for f in found
                        if _folio_number(f, side) is not None]
            if len(found) >= 2 and len(numbered) == len(found) and _growing(numbered):
                run.extend(numbered)
                headed = True
                break
    run.sort()
    if not headed or len(run) < 3 or not _growing(run) or \
            any(b[2] - a[2] > 2 for a, b in zip(run, run[1:])):
        return []
    lengths = sorted((b[0] - a[0]) / (b[2] - a[2]) for a, b in zip(run, run[1:]))
    return run if lengths[len(lengths) // 2] >= _PAGE_TEXT else []


_HEADING = regex.compile(r"[ ]{0,3}#{1,6}(?:\s|$)")


def _folio_number(folio: tuple, side: int | None) -> int | None:
    """A folio line's number at its end (3), its start (2), or whichever edge has one (None):
    a verso's number opens its head, a recto's closes it."""
    if side is not None:
        return folio[side]
    return folio[3] if folio[3] is not None else folio[2]


def _beside_running_heads(lines: list[tuple[int, str]]) -> set[int]:
    """The indexes of lines next to a running head of their own line: a short line without
    digits that recurs unchanged three times or more (`HISTOIRE DE LA BRETAGNE` under each
    folio), blank lines between them aside.

    >>> lines = list(enumerate(["12", "  THE HISTORY", "", "text", "13", "THE HISTORY", "text",
    ...                         "14", "THE HISTORY"]))
    >>> sorted(_beside_running_heads(lines))  # the folios, and the text under the heads
    [0, 3, 4, 6, 7]
    """
    shapes = [" ".join(line.split()) for _, line in lines]
    recurring = Counter(shape for shape in shapes if shape and len(shape) <= _LONGEST and
                        regex.search(r"\p{L}", shape) and not regex.search(r"\d", shape))
    heads = {k for k, shape in enumerate(shapes) if recurring[shape] >= 3}
    beside = set()
    for k in heads:
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(shapes) and not shapes[j]:
                j += step
            if 0 <= j < len(shapes):
                beside.add(j)
    return beside


def _bare(line: str) -> str:
    """A line without the markdown a converter set it in: `**9**` is a folio too."""
    return regex.sub(r"[*_#`\s]+", " ", line).strip()


def _growing(found: list[tuple[int, int, int]]) -> bool:
    return all(b[2] > a[2] for a, b in zip(found, found[1:]))


def _bounds(text: str, marks: list[tuple[int, int, int]]):
    """(start, end, number, where the numbered line is) of each page. The numbered lines head
    the pages when less text comes before the first than after the last (a page's worth), and
    then a page begins with its line; else they foot the pages, and a page ends with its line."""
    if not marks:
        return []
    bounds = []
    if len(text[:marks[0][0]].strip()) < len(text[marks[-1][1]:].strip()):
        if text[:marks[0][0]].strip():
            bounds.append((0, marks[0][0], None, None))
        for (start, _, number), following in zip(marks, [*marks[1:], None]):
            bounds.append((start, following[0] if following else len(text), number, "top"))
        return bounds
    start = 0
    for _, end, number in marks:
        bounds.append((start, end, number, "bottom"))
        start = end
    if text[start:].strip():
        bounds.append((start, len(text), None, None))
    return bounds


def _shape(line: str) -> str:
    """A line with its numbers set aside: `Chapter 3 · 41` and `Chapter 3 · 42` are one head,
    and so are a verso's `2  HISTORY` and a recto's `HISTORY  3`, whose folio sits at the outer
    edge. Case counts: a title in capitals on the first page is not the running head that
    repeats it.

    >>> _shape("2    HISTORY OF THE TOWN") == _shape("HISTORY OF THE TOWN   3")
    True
    """
    shape = regex.sub(r"\d+", "#", " ".join(line.split()))
    return regex.sub(r"^# (?=.*\p{L})|(?<=\p{L}.*) #$", "", shape)


def _furniture(edge: list[_EdgeLine], recurring: set[str], reads_as_text) -> int:
    """How many lines from the page's edge are furniture: recurring shapes or a bare folio.
    A line that only names a division ('Capitolo 4') is a title, even when every page opens one."""
    count, seen = 0, set()
    for edge_line in edge:
        line = edge_line.text
        if len(line) > _LONGEST or LABEL.match(line.strip()) and not _PAGE_NUMBER.match(line) \
                or reads_as_text(edge_line):
            break
        # A running head is printed once per page: the same line again below it is the text's
        # (a browser prints the page title in the head, and the page opens with that title).
        if _shape(line) in recurring and _shape(line) not in seen or \
                _PAGE_NUMBER.match(_bare(line)) and count == 0:
            count += 1
            seen.add(_shape(line))
        else:
            break
    return count


def _number(line: str, counted: set[str]) -> str | None:
    """The folio a furniture line carries, if any.

    >>> _number("The Red House  41", {"The Red House"})
    '41'
    >>> _number("The Red House", {"The Red House"}) is None
    True
    """
    line = line.strip()
    match = _PAGE_NUMBER.match(line) or _PAGE_OF.search(line)
    if match:
        return match.group(1)
    # A running head the page left without its folio (OCR missed it) has the shape of the
    # numbered ones and no number to give.
    numbers = regex.findall(r"\d+", line) if _shape(line) in counted else []
    return numbers[-1] if numbers else None


def _why(text: str, start: int, end: int, where: str) -> str:
    lines = [" ".join(line.split()) for line in text[start:end].split("\n")]
    shown = [repr(line) for line in lines if line.strip() and line != "\f"]
    feeds = text.count("\f", start, end)
    what = ", ".join(shown) if shown else "no running head or page number"
    return f"{what} {where}" + (f" ({feeds} form feed{'s' * (feeds > 1)})" if feeds else "")


class _Lines:
    """The text's lines with their offsets, read once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in regex.finditer(r"[\n\f]", text)]

    def all(self):
        for start, end in zip(self.starts, [*self.starts[1:], len(self.text) + 1]):
            yield start, self.text[start:end - 1]

    def _nonblank(self, start: int, end: int) -> list[tuple[int, int]]:
        """(start, end) of the non-blank lines inside [start, end)."""
        found = []
        pos = start
        while pos < end:
            stop = self.text.find("\n", pos, end)
            stop = end if stop < 0 else stop
            if self.text[pos:stop].strip():
                found.append((pos, stop))
            pos = stop + 1
        return found

    def edge(self, start: int, end: int, top: bool) -> list[_EdgeLine]:
        """The lines at the page's top or bottom, in the text's order."""
        spans = self._nonblank(start, end)
        found = []
        for k in range(min(_EDGE, len(spans))) if top else range(len(spans))[-_EDGE:]:
            a, b = spans[k]
            j = k + 1 if top else k - 1
            # Two lines are one block when only a line end parts them.
            glued = 0 <= j < len(spans) and (spans[j][0] == b + 1 if top else spans[j][1] + 1 == a)
            found.append(_EdgeLine(a, self.text[a:b], self.text[slice(*spans[j])] if glued
                                   else None))
        return found

    def measure(self) -> int | None:
        """The text's measure: the median length of its wrapped lines (a line with another
        right below it). None without wrapped lines."""
        lines = self.text.split("\n")
        wrapped = sorted(len(line.strip()) for line, following in zip(lines, lines[1:])
                         if line.strip() and following.strip() and "\f" not in line + following)
        return wrapped[len(wrapped) // 2] if wrapped else None

    def content(self, page: Page) -> tuple[int, int] | None:
        """Where the page's own text starts (a line start, its indent kept) and ends (after its
        last visible character); None for a page of furniture only."""
        spans = self._nonblank(page.start, page.end)
        spans = spans[page.top:len(spans) - page.bottom]
        if not spans:
            return None
        last = self.text[spans[-1][0]:spans[-1][1]]
        return spans[0][0], spans[-1][0] + len(last.rstrip())


def is_folio(line: str) -> bool:
    """A line that is only a page number ('12', '- 3 -', 'xiv', 'Seite 4', '3/13')."""
    return bool(_PAGE_NUMBER.match(line.strip()))
