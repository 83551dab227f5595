"""Links damaged by conversion: lost targets, links cut apart by a break, spaces around them.

Web-to-markdown converters keep a link's text but often lose its target (`[text](#)`, `()`,
`javascript:`), and PDF converters cut a link's text where the line or page broke, sometimes in the
middle of a word. They also leave a space where inline markup met punctuation or a quotation mark
(`[Asia Times](#) ,`, `" [democracia](#) "`). Real targets (http, https, mailto, relative paths)
are never touched. Two links with lost targets on either side of a break are not one link for that
alone: a scraped menu is a column of them. They are merged only when the text says the sentence
goes on, as for any other break (see `pipeline.evidence`). Which quotation marks sit tight against
what they enclose depends on the language: French spaces « », German closes with “ and «.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from functools import cache

import regex

from pipeline import markdown
from pipeline.evidence import HYPHENS, SENTENCE_END, ending, first_word, last_word, opening
from pipeline.language import SPACED_PUNCTUATION, quotes
from pipeline.model import Context, Doubt, Edit, Proposal

NAME = "links"
RULES = {
    "drop_lost_link_target": "A link whose target was lost in conversion ('#', empty, "
                             "'javascript:', a bare 'mailto:') keeps its text; the empty target "
                             "makes it a TEI <ref> without @target (an image: a <figure> "
                             "without <graphic>).",
    "merge_split_link": "Two links with the same target on either side of a paragraph break, "
                        "the first not ending a sentence, are one link cut apart by the break "
                        "and become one; with lost targets only when the text continues (the "
                        "second starts in lower case, the first stops on a word no sentence "
                        "ends on, or the two pieces make a word of the document).",
    "rejoin_cut_link_word": "A link whose text ends in the first part of a word (with or without "
                            "a hyphen) whose rest starts the next paragraph takes the rest back "
                            "in.",
    "remove_space_before_punctuation": "A space between a word, or the end of a link or "
                                       "emphasis, and the punctuation after it is removed (not "
                                       "before : ; ! ? in French, whose typography puts one "
                                       "there, nor before an ellipsis).",
    "flag_link_extent": "A link whose text is a whole line of a wrapped paragraph, five words or "
                        "more, is kept, but its extent is uncertain (PDF converters link the "
                        "whole line the link's area touched): a doubt is recorded for the "
                        "reviewer, never a change.",
    "mark_bare_url": "A web address written out in the text (bare, or in brackets after what it "
                     "names) becomes a link to itself, so the TEI has a <ref target>; "
                     "punctuation that ends the sentence after it is not part of it.",
    "mark_bracketed_address": "An address in angle brackets, as plain text delimits one "
                              "('<https://…>', '<name@example.org>'), whose brackets the layout "
                              "stage or a converter escaped as text, becomes a link to itself "
                              "(a mail address to its mailto: address); the brackets stay text.",
    "remove_html_anchor": "An empty HTML element that only names a place (<span id=…></span>, "
                          "<a name=…></a>), which converters leave where a page began or a link "
                          "pointed, holds no text and is removed.",
    "remove_space_inside_brackets": "A space just inside round brackets, after '(' or before "
                                    "')', left by a conversion, is removed.",
    "remove_space_inside_quotes": "A space between a quotation mark and the link or emphasis it "
                                  "encloses is removed (not inside French « », whose typography "
                                  "puts one there).",
}

# A link's text cut by more breaks than this is no longer read as one link.
_MAX_CUT_PIECES = 4
# A target that leads nowhere: a bare fragment mark, a script, or a scheme with nothing after it.
_LOST = regex.compile(r"^(?:#|javascript:.*|(?:mailto|tel|https?):(?://)?|)$",
                      regex.IGNORECASE | regex.DOTALL)
_INLINE_MARKUP = {"Link", "Emphasis", "Strong"}


def is_lost(dest: str | None) -> bool:
    return dest is not None and bool(_LOST.match(dest.strip()))


def propose(text: str, context: Context) -> Proposal:
    root = markdown.parse(text)
    vocabulary = context.vocabulary
    edits: list[Edit] = []
    doubts: list[Doubt] = []
    consumed: set[int] = set()  # link starts whose target an edit across a break already rewrote
    blocks = root.children
    i = 0
    while i + 1 < len(blocks):
        edit = _across_break(text, blocks[i], blocks[i + 1], vocabulary, context.lang)
        if edit:
            edits.append(edit)
            consumed.add(_last_link(blocks[i]).start)
        else:
            cut = _link_cut_apart(text, blocks[i:i + _MAX_CUT_PIECES], vocabulary, context.lang)
            edits.extend(cut)
            # The next break to look at is the one after the paragraph that closes the link.
            i += sum(join.rule == "merge_split_link" for join in cut[1:])
        i += 1
    for node in markdown.walk(root):
        if node.kind in ("Link", "Image") and is_lost(node.dest) and node.start not in consumed:
            edit = _drop_target(text, node)
            if edit:
                edits.append(edit)
        if node.kind in _INLINE_MARKUP:
            edits.extend(_spaces_around(text, node, context.lang))
        if node.kind in ("Paragraph", "Heading", "TableCell"):
            edits.extend(_spaces_in_text(text, node, context.lang))
            edits.extend(_bare_urls(text, node))
            edits.extend(_bracketed_addresses(text, node))
            edits.extend(_html_anchors(text, node))
            edits.extend(_spaces_in_brackets(text, node))
        if node.kind == "Paragraph":
            doubts.extend(_whole_line_links(text, node))
            edits.extend(_link_cut_at_line_end(text, node))
    return Proposal(_first_of_overlapping(edits), doubts)


def _first_of_overlapping(edits: list[Edit]) -> list[Edit]:
    """The edits in the order the rules proposed them, less any that touches characters an
    earlier one already changed: a link mended across a break also removes the space after it,
    which the rule for spaces in running text finds again.

    >>> a, b = Edit(5, 6, "", "x", ""), Edit(5, 6, "", "y", "")
    >>> _first_of_overlapping([a, b, Edit(7, 7, "<", "z", "")]) == [a, Edit(7, 7, "<", "z", "")]
    True
    """
    kept: list[Edit] = []
    spans: list[tuple[int, int]] = []  # of the kept edits, sorted
    for edit in edits:
        i = bisect_left(spans, (edit.start, edit.start))
        neighbours = spans[max(0, i - 1):i + 1]
        if any(start < edit.end and edit.start < end or start == end == edit.start == edit.end
               or (start, end) == (edit.start, edit.end) for start, end in neighbours):
            continue
        insort(spans, (edit.start, edit.end))
        kept.append(edit)
    return sorted(kept)


_WHOLE_LINE_WORDS = 5


def _whole_line_links(text: str, paragraph: markdown.Node):
    """Links that cover exactly one whole line of a paragraph of several lines."""
    if "\n" not in text[paragraph.start:paragraph.end].rstrip("\n"):
        return
    for link in paragraph.children:
        if link.kind != "Link" or not link.dest or is_lost(link.dest):
            continue
        line_start = text.rfind("\n", 0, link.start) + 1
        line_end = text.find("\n", link.end)
        line_end = len(text) if line_end < 0 else line_end
        words = link.visible().split()
        if len(words) >= _WHOLE_LINE_WORDS and not text[line_start:link.start].strip() and \
                not text[link.end:line_end].strip():
            yield Doubt(link.start, link.end, "flag_link_extent",
                        f"the link to {link.dest!r} covers the whole line "
                        f"{' '.join(words)!r}: the linked words may be fewer (or run on)")


# A URL ends before whitespace and markup; a closing bracket only belongs to it when it opened one.
# One right after `](` is the target of a link whose brackets a break cut apart: the link's.
BARE_URL = regex.compile(r"(?<![<\w/])(?<!\]\()(?<!\][ \t]*\n[ \t>]*\()(?:https?|ftp)://"
                         r"[^\s<>\[\]\"]+")
_URL_TAIL = regex.compile(r"[.,;:!?'’”»)]+$")


def url_span(url: str) -> str:
    """The part of a matched address that is the address: trailing sentence punctuation and an
    unmatched closing bracket are the text's.

    >>> url_span("https://example.org/a_(b).")
    'https://example.org/a_(b)'
    >>> url_span("http://example.org/report),")
    'http://example.org/report'
    """
    while True:
        tail = _URL_TAIL.search(url)
        if tail is None:
            return url
        cut = tail.start()
        # Keep closing brackets the address itself opened (Wikipedia's `…_(film)`).
        while url[cut:cut + 1] == ")" and url.count("(", 0, cut) > url.count(")", 0, cut):
            cut += 1
        if cut == len(url):
            return url
        url = url[:cut]


def _bare_urls(text: str, block: markdown.Node):
    """Web addresses in the block's running text (not already inside a link or code)."""
    if text.find("://", block.start, block.end) < 0:
        return
    for start, end in _running_text(block):
        for match in BARE_URL.finditer(text, start, end):
            url = url_span(match.group())
            if len(url) <= len(match.group().split("://")[0]) + 3:
                continue
            yield Edit(match.start(), match.start() + len(url), f"<{url}>", "mark_bare_url",
                       f"the web address {url!r} is written out in the text: a link to itself")


# An address between escaped angle brackets (`\<https://…>`, `\<name@example.org\>`): text that
# delimits an address, as plain text does (RFC 3986, appendix C). A mail address is read as
# CommonMark reads one in an autolink.
BRACKETED_ADDRESS = regex.compile(
    r"(?<=<)(?:(?:https?|ftp)://[^\s<>\[\]\"\\]+|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9]"
    r"(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
    r"(?=\\?>)")


def _bracketed_addresses(text: str, block: markdown.Node):
    """Addresses in the block's running text between angle brackets that are text, escaped."""
    if text.find("\\<", block.start, block.end) < 0:
        return
    for start, end in _running_text(block):
        # The closing bracket may be the next run's (an escape, `\>`): looked at, not matched.
        for match in BRACKETED_ADDRESS.finditer(text, start, min(end + 2, block.end)):
            if text[match.start() - 2:match.start()] != "\\<" or match.end() > end:
                continue
            address = match.group()
            kind = "web" if "://" in address else "mail"
            yield Edit(match.start(), match.end(), f"<{address}>", "mark_bracketed_address",
                       f"the {kind} address {address!r} is written between angle brackets, "
                       "as plain text delimits one: a link to itself")


def _running_text(node: markdown.Node):
    """(start, end) of each run of plain text: the parser splits text at every character that
    might have been markup (`_`, `(`), and an address runs across those pieces. Runs whose source
    is not the text itself (escapes, entities) are left out."""
    run = None
    for child in [*node.children, None]:
        plain = child is not None and child.kind == "Text" and \
            child.end - child.start == len(child.text)
        if plain and run and run[1] == child.start:
            run = (run[0], child.end)
            continue
        if run:
            yield run
        run = (child.start, child.end) if plain else None
        if child is not None and not plain and \
                child.kind not in ("Text", "Link", "Image", "Code", "Html", "InlineHtml"):
            yield from _running_text(child)


# An empty element that only names a place (`<span id="page-3-0"></span>`, `<a name="top"></a>`):
# PDF and web converters leave them where a page began or a link pointed.
_ANCHOR_OPEN = regex.compile(r'<(a|span)\s+(?:id|name)\s*=\s*"[^"<>]*"\s*>', regex.IGNORECASE)


def _html_anchors(text: str, block: markdown.Node):
    """Empty HTML anchors among the block's inline nodes: no text, only a name for a place."""
    children = block.children
    for start_tag, end_tag in zip(children, children[1:]):
        if start_tag.kind != "InlineHtml" or end_tag.kind != "InlineHtml" or \
                start_tag.end != end_tag.start:
            continue
        tag = _ANCHOR_OPEN.fullmatch(text, start_tag.start, start_tag.end)
        if tag and text[end_tag.start:end_tag.end].lower() == f"</{tag.group(1).lower()}>":
            yield Edit(start_tag.start, end_tag.end, "", "remove_html_anchor",
                       f"the empty HTML element {text[start_tag.start:end_tag.end]!r} only names a "
                       "place (a page or a link target of the converted document): no text")


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


def _across_break(text, a, b, vocabulary, lang) -> Edit | None:
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
        continues = why or _continues(a.visible(), head.visible(), lang)
        if is_lost(link.dest) and not continues:
            return None
        joiner = "" if why else " "
        return Edit(close, head.start + 1, joiner, "merge_split_link",
                    f"the link {link_text!r} ends a paragraph without ending a sentence and the "
                    f"next paragraph starts with a link to the same target{lost}"
                    + (f"; no space, since {why}" if why else
                       f"; {continues}" if is_lost(link.dest) else ""))
    if head is not None and head.kind == "Text":
        return _rejoin_word(text, link, close, suffix, head, vocabulary, lost)
    return None


_CUT_AT_LINE_END = regex.compile(r"\][ \t]*\n[ \t>]*\(")
# What only a link's target looks like: an address with its scheme, a fragment, a path from
# the root or the current folder, a web page's or a host's name. Not `?`, `...`, `and/or`, `3/4`:
# an editor's marks in a transcription (`[illegible]` / `(?)`).
_TARGET_LIKE = regex.compile(
    r"(?:[a-z][a-z0-9+.-]*:[^\s:]|#[\w-]|\.{0,2}/[\w-]|(?:www\.)?[\w-]+(?:\.[\w-]+)*"
    r"\.(?:html?|php|aspx?|jsp|pdf|xml|md|txt|org|com|net|edu|gov|int|eu|de|fr|es|it|pt|uk)"
    r"(?:[/#?]|$))", regex.IGNORECASE)


def _link_cut_at_line_end(text: str, paragraph: markdown.Node):
    """A link whose `](` a line end cut (`[library]` / `(#)`): no link to the parser, since
    nothing may stand between the text and the target; closed up, it is one."""
    for gap in _CUT_AT_LINE_END.finditer(text, paragraph.start, paragraph.end):
        close = text.find(")", gap.end(), paragraph.end)
        dest = text[gap.end():close].strip() if close >= 0 else None
        if dest is None or not (is_lost(dest) or _TARGET_LIKE.match(dest)):
            continue  # `[1]` / `(b) the board`: a citation, then an enumeration
        joined = text[paragraph.start:gap.start() + 1] + text[gap.end() - 1:paragraph.end]
        at = gap.start() - paragraph.start  # the `]` in `joined`
        link = next((n for n in markdown.walk(markdown.parse(joined))
                     if n.kind == "Link" and n.start < at < n.end), None)
        if link is None:
            continue
        why = (f"the link {link.visible()!r} has its text on one line and its target on the "
               "next: a line end cut it")
        yield Edit(gap.start() + 1, gap.end() - 1, "", "merge_split_link", why)
        close, suffix = _target_suffix(joined, link)
        if joined[close:link.end] != suffix:
            shift = paragraph.start + (gap.end() - gap.start() - 2)
            yield _dropped_target(link, close + 1 + shift, link.end + shift, suffix[1:])


def _link_cut_apart(text, run, vocabulary, lang) -> list[Edit]:
    """Edits for a link whose own markup breaks cut apart: `[annual` / `report](#)`.

    No paragraph holds a link then, only literal brackets; read together they do, and a link's
    brackets are evidence enough that the text goes on. `run` is the paragraph with the opening
    bracket and those after it.
    """
    if run[0].kind != "Paragraph" or \
            not any(n.kind == "Text" and "[" in n.text for n in markdown.walk(run[0])):
        return []
    for count in range(2, len(run) + 1):
        pieces = run[:count]
        if pieces[-1].kind != "Paragraph" or \
                not markdown.separated_by_blank_lines(text, pieces[-2], pieces[-1]):
            return []
        ends = [p.start + len(text[p.start:p.end].rstrip(" \t\n")) for p in pieces[:-1]]
        ends.append(pieces[-1].end)
        starts, joined = [], ""
        for piece, end in zip(pieces, ends):
            starts.append(len(joined) + (1 if joined else 0))
            joined += (" " if joined else "") + text[piece.start:end]
        link = next((n for n in markdown.walk(markdown.parse(joined)) if n.kind == "Link"
                     and n.start < starts[1] - 1 and n.end > starts[-1]), None)
        if link is not None:
            return _mend_cut_link(text, pieces, ends, joined, starts, link, vocabulary, lang)
    return []


def _mend_cut_link(text, pieces, ends, joined, starts, link, vocabulary, lang) -> list[Edit]:
    why = (f"the link {link.visible()!r} opens its text in one paragraph and closes it in a "
           "later one: one link cut apart by the breaks")
    edits = []
    for piece, end, after in zip(pieces, ends, pieces[1:]):
        tail, head = last_word(text[piece.start:end]), first_word(text[after.start:after.end])
        split = vocabulary.split_word(tail, head) if tail and head else None
        edits.append(Edit(end, after.start, "" if split else " ", "merge_split_link",
                          why + (f"; no space, since {split}" if split else "")))
    # Offsets in `joined` before the first junction or after the last are those of the first or
    # the last piece in `text`; the repairs the mended link needs there are made too.
    first_end, last_start = starts[1] - 1, starts[-1]
    first_shift, last_shift = pieces[0].start, pieces[-1].start - last_start
    close, suffix = _target_suffix(joined, link)
    if close >= last_start and joined[close:link.end] != suffix:
        edits.append(_dropped_target(link, close + 1 + last_shift, link.end + last_shift,
                                     suffix[1:]))
    for edit in _spaces_around(joined, link, lang):
        shift = first_shift if edit.end <= first_end else last_shift \
            if edit.start >= last_start else None
        if shift is not None:
            edits.append(Edit(edit.start + shift, edit.end + shift, edit.replacement, edit.rule,
                              edit.reason))
    return edits


def _continues(before: str, after: str, lang: str | None) -> str | None:
    """Why the text after a break goes on with the sentence before it, or None."""
    end, start = ending(before, lang), opening(after)
    if end.kind in ("none", "comma") and start.kind in ("lower", "closing") or end.continues:
        return f"the first paragraph {end.why} and the second {start.why}"
    return None


def _rejoin_word(text, link, close, suffix, head, vocabulary, lost) -> Edit | None:
    link_text = link.visible()
    hyphen = link_text[-1:] if link_text[-1:] and link_text[-1] in HYPHENS else ""
    tail = last_word(link_text.rstrip(HYPHENS) if hyphen else link_text)
    first = first_word(head.text)
    if not (tail and first and head.text.startswith(first) and first[0].islower()):
        return None
    if hyphen:
        if text[close - 1] != hyphen:
            return None  # the hyphen sits inside emphasis or code within the link text
        # A hyphen at the end of the link text is a line-end hyphen of the page; it goes when the
        # document writes the word whole and never hyphenated, as in the breaks stage.
        whole = vocabulary.count(tail + first)
        if whole and not vocabulary.count(f"{tail}-{first}"):
            return Edit(close - 1, head.start + len(first), first + suffix, "rejoin_cut_link_word",
                        f"the link text {link_text!r} ends with a hyphen inside a word: "
                        f"'{tail}{first}' occurs {whole}× in the document, so the hyphen goes"
                        f"{lost}")
        return Edit(close, head.start + len(first), first + suffix, "rejoin_cut_link_word",
                    f"the link text {link_text!r} ends with a hyphen inside a word: the document "
                    f"never writes '{tail}{first}' whole, so the hyphen stays{lost}")
    why = vocabulary.split_word(tail, first)
    if not why:
        return None
    return Edit(close, head.start + len(first), first + suffix, "rejoin_cut_link_word",
                f"the link text {link_text!r} was cut inside a word: {why}{lost}")


def _drop_target(text: str, link: markdown.Node) -> Edit | None:
    close, suffix = _target_suffix(text, link)
    if close < 0 or text[close:link.end] == suffix:
        return None
    return _dropped_target(link, close + 1, link.end, suffix[1:])


def _dropped_target(link: markdown.Node, start: int, end: int, replacement: str) -> Edit:
    """The edit that empties a link's lost target; its text (an image's description) stays."""
    if link.kind == "Image":
        why = (f"the image source {link.dest!r} was lost in conversion; its description "
               f"{link.visible()!r} is kept, as a figure without a graphic")
    else:
        why = (f"the link target {link.dest!r} was lost in conversion; the text "
               f"{link.visible()!r} is kept, as a reference without a target")
    return Edit(start, end, replacement, "drop_lost_link_target", why)


def _spaces_around(text: str, node: markdown.Node, lang: str | None):
    spaced = SPACED_PUNCTUATION.get(lang, frozenset())
    space_after, space_before = _space_patterns(lang)
    what = {"Link": "link", "Emphasis": "emphasis", "Strong": "bold text"}[node.kind]
    after = space_after.match(text, node.end, min(len(text), node.end + 64))
    if after:
        mark = after.group(1) or after.group(2)
        if after.group(2):
            yield Edit(node.end, after.end(), "", "remove_space_inside_quotes",
                       f"a space between the {what} and its closing {mark!r}")
        elif mark not in spaced:
            yield Edit(node.end, after.end(), "", "remove_space_before_punctuation",
                       f"a space between the {what} and the {mark!r} after it")
    before = space_before.search(text[max(0, node.start - 64):node.start])
    if before:
        yield Edit(node.start - len(before.group(2)), node.start, "",
                   "remove_space_inside_quotes",
                   f"a space between the opening {before.group(1)!r} and the {what}")


@cache
def _space_patterns(lang: str | None) -> tuple[regex.Pattern, regex.Pattern]:
    """The spaces after inline markup (before punctuation or a closing quotation mark) and
    before it (after an opening quotation mark) that a language does not set."""
    openers, closers = quotes(lang)
    close = regex.escape(closers)
    # The mark must end there: the `!` of an image (`![`), the `.` of `.com` or an ellipsis are
    # not punctuation closing the link's sentence.
    after = regex.compile(rf"[ \t]+(?=([,.;:!?)\]])(?=$|[\s,;:!?)\]{close}])|([{close}])"
                          rf"(?=$|[\s.,;:!?)\]]))")
    before = regex.compile(rf"(?:^|(?<=[\s(\[]))([{regex.escape(openers)}])([ \t]+)$")
    return after, before


# A mark that closes what comes before it (a word, or a closing quotation mark or bracket):
# followed by a space, a closing mark or the end, so that the `.` of
# `.com`, a decimal `.5` or an ellipsis `...` (which many writers set off with a space) is not one.
_CLOSERS = "\"”’»)"  # what may follow a mark that ends what comes before it
_LOOSE_MARK = regex.compile(rf"(?<=[\w\"”’»)\]])[ \t]+([,.;:!?])(?=\s|$|[{_CLOSERS}])")
_SPACE_THEN_MARK = regex.compile(r"[ \t][,.;:!?]")


def _spaces_in_brackets(text: str, block: markdown.Node):
    """Spaces a conversion left just inside round brackets of the block's running text
    (`( ver [su obra](#) )`, `( ref. D/EX 123/4 )`), both sides of a pair at once. A bracket
    after `:` or `;` is a smiley's mouth; empty brackets are left as they are.

    >>> def fixed(raw):
    ...     block = markdown.parse(raw).children[0]
    ...     return [(e.start, e.end) for e in _spaces_in_brackets(raw, block)]
    >>> fixed("( ¿verdad? ) and ( -5 degrees )"), fixed("lost :( but ( ) kept")
    ([(1, 2), (10, 11), (18, 19), (29, 30)], [])
    """
    if text.find("( ", block.start, block.end) < 0 and text.find(" )", block.start, block.end) < 0:
        return
    opened, pairs = [], []
    for node in _literal_text(text, block):
        for mark in _ROUND.finditer(text, node.start, node.end):
            at = mark.start()
            if text[at - 1:at] in (":", ";"):
                continue  # a smiley's mouth, `:(` or `;)`
            if mark.group() == "(":
                opened.append(at)
            elif opened:
                pairs.append((opened.pop(), at))
    for start, end in sorted(pairs):
        inner = text[start + 1:end]
        if not inner.strip():
            continue
        lead = len(inner) - len(inner.lstrip(" \t"))
        trail = len(inner) - len(inner.rstrip(" \t"))
        if lead:
            yield Edit(start + 1, start + 1 + lead, "", "remove_space_inside_brackets",
                       "a space after an opening round bracket, which no typography sets there")
        if trail:
            yield Edit(end - trail, end, "", "remove_space_inside_brackets",
                       "a space before a closing round bracket, which no typography sets there")


_ROUND = regex.compile(r"[()]")


def _guillemet_spans(text: str, block: markdown.Node):
    """A function telling whether a position in `block` is inside a « … » opened in it.

    >>> block = markdown.parse("He wrote « Que faire ? » and left ?").children[0]
    >>> inside = _guillemet_spans("He wrote « Que faire ? » and left ?", block)
    >>> inside(21), inside(33)
    (True, False)
    """
    if text.find("«", block.start, block.end) < 0:
        return lambda pos: False
    marks = [(m.start(), m.group()) for m in _GUILLEMET.finditer(text, block.start, block.end)]
    starts, depth, depths = [], 0, []
    for start, mark in marks:
        depth += 1 if mark == "«" else -1
        starts.append(start)
        depths.append(depth)
    return lambda pos: (k := bisect_left(starts, pos)) > 0 and depths[k - 1] > 0


_GUILLEMET = regex.compile("[«»]")


def _ends_mark(text: str, pos: int) -> bool:
    """Whether what follows a mark at `pos` lets it end what comes before it, as `_LOOSE_MARK`
    asks inside one text node."""
    return pos == len(text) or text[pos].isspace() or text[pos] in _CLOSERS


def _literal_text(text: str, block: markdown.Node):
    """The block's text nodes whose source is the text itself: not markup (a link's target),
    escapes or entities, which are left alone."""
    for node in markdown.walk(block):
        if node.kind == "Text" and text[node.start:node.end] == node.text:
            yield node


def _spaces_in_text(text: str, block: markdown.Node, lang: str | None):
    """Spaces stranded before punctuation in running text (`galleries , including`)."""
    if not _SPACE_THEN_MARK.search(text, block.start, block.end):
        return  # most blocks: no text node in them can have one
    spaced = SPACED_PUNCTUATION.get(lang, frozenset())
    quoted = _guillemet_spans(text, block)
    for node in _literal_text(text, block):
        for match in _LOOSE_MARK.finditer(node.text):
            mark = match.group(1)
            if mark in spaced or (mark in ";:!?" and lang is None):
                continue  # French sets a space there; an unknown language may be French
            if mark in ";:!?" and quoted(node.start + match.start()):
                continue  # a French quotation keeps its own spacing in any document
            if match.end() == len(node.text) and not _ends_mark(text, node.end):
                continue  # the node ends at markup (`!\[`), not at the end of the text
            yield Edit(node.start + match.start(), node.start + match.start(1), "",
                       "remove_space_before_punctuation",
                       f"a space between a word and the {mark!r} after it")

