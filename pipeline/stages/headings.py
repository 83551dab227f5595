"""Headings: fragments wrongly promoted, real titles left as bold lines, levels, the byline.

Converters promote whatever looked big on the page: a sentence fragment that wrapped onto a styled
line (a pull quote, a link set in a larger font) becomes `### …` between the two halves of its
sentence, while a real title styled only in bold stays `**…**`, and a heading that was both large
and bold comes out as `### **…**`. Scraped compilations mix `##`, `###` and bold for titles of the
same rank, because each source page used its own template. A short bold or italic line of names
at the top, or under the title, is the byline, which markdown has no syntax for; a short title in
title case has the same shape, so the byline rule looks for what names lack (articles, common
words the text itself uses in lower case).
"""

from __future__ import annotations

from collections import Counter

import regex

from pipeline import markdown
from pipeline.evidence import QUOTE_MARKS, SENTENCE_END, ending, opening
from pipeline.frontmatter import read, set_fields
from pipeline.model import Context, Edit, Proposal
from pipeline.stages.layout import LABEL

NAME = "headings"
RULES = {
    "demote_fragment_heading": "A heading that continues the sentence before it (which does not "
                               "end) and is continued by the paragraph after it (lower case or "
                               "closing punctuation) goes back into its paragraph, unless it is "
                               "numbered like a section ('4 Results', 'II. Methods'); one that "
                               "starts with a capital only when the sentence before cannot stop "
                               "where it does (a comma, an article, a preposition).",
    "promote_bold_title": "A paragraph that is one line of bold (or bold italic) text with "
                          "words in it, no final period, comma or colon, at most 25 words, "
                          "between other blocks, is a title and becomes a heading.",
    "unbold_heading": "Bold markup around a heading's whole text is dropped: the heading says it.",
    "set_heading_level": "Promoted titles take the document's most common heading level (below "
                         "a level-1 title that opens the document and is its only one); the "
                         "first heading sets the top level (a later, shallower one is set to it) "
                         "and levels follow the nesting the source's levels imply, so no heading "
                         "is more than one level below its parent and headings of one rank share "
                         "a level.",
    "join_split_heading": "A heading that only numbers or names its division ('Capítulo 1', "
                          "'2.3', 'IV') followed at once by another heading is one heading split "
                          "in two: the second takes the first's level (the higher of the two), "
                          "and the TEI writes both as the <head>s of one division. A heading "
                          "that ends on a small function word no title ends on ('The history "
                          "of') and the heading of its level after it, going on in lower case, "
                          "are one title, and become one heading.",
    "drop_heading_attributes": "Pandoc's attributes at the end of a heading ('{#standards}', "
                               "'{.unnumbered}') are markup of its own dialect, not words of the "
                               "title, and are removed.",
    "mark_byline": "A bold or italic line of one to four personal names (optionally after "
                   "'By', 'Por', 'Par', 'Von'…), or several such lines one under the other, first "
                   "in the document or right after its title, is the byline: it becomes the "
                   "'byline' field of the front matter, the document's author. Without such a "
                   "word, a line that opens with an article, or whose first word or most of "
                   "whose words the document uses in lower case, is a title, not names.",
}

_BYLINE_PREFIX = regex.compile(r"^(?:by|por|par|von|di|de|door|av)\s*:?\s+", regex.IGNORECASE)
_BETWEEN_NAMES = regex.compile(r"\s*,\s*(?:(?:and|und|et|y|e|&)\s+)?|\s+(?:and|und|et|y|e|&)\s+")
_NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}'’-]*\.?")
_PARTICLES = frozenset("de del la las los da do dos das di du van von der den le ter ten".split())
# A title can open with an article; a personal name does not (La Fontaine is signed Jean de La
# Fontaine).
_ARTICLES = frozenset("the a an el los las un una le les une des der die das ein eine il lo gli "
                      "la o os as um uma".split())
_MAX_NAME_WORDS = 4
_MAX_NAMES = 4
_CONTEXT = 100_000
# Around a line of names further in: enough text to tell common words, and a bound on what each
# of a long dump's many articles costs.
_NEAR = 5_000
_MAX_TITLE_WORDS = 25
# Captions and the labels of note boxes are set in bold like titles, but head no section.
_CAPTION = regex.compile(r"^(?:fig(?:ure|ura)?|tab(?:le|la|elle|leau)|abb(?:ildung)?|gr[aá]fico"
                         r"|cuadro|ilustraci[oó]n|illustration|quadro|tabela)\.?\s+[\dIVX]",
                         regex.IGNORECASE)
_ADMONITIONS = frozenset(
    "note tip hint warning caution important danger attention nota sugerencia aviso atención "
    "advertencia consejo importante peligro remarque astuce avertissement attention important "
    "hinweis tipp warnung achtung wichtig vorsicht suggerimento avviso attenzione importante "
    "dica aviso atenção cuidado".split())
_SECTION_NUMBER = regex.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.)\s+\p{Lu}")


def propose(text: str, context: Context) -> Proposal:
    r"""Heading repairs: fragments demoted, bold titles promoted, levels, the byline.

    >>> from pipeline import alignment
    >>> def repaired(text):
    ...     return alignment.apply(text, propose(text, Context.of(text, "en")).edits).text
    >>> repaired("The bridge over the\n\n## River Lea near the docks\n\nwill open in May.\n")
    'The bridge over the River Lea near the docks will open in May.\n'
    >>> repaired("The bridge is open.\n\n## Traffic\n\nbuses use it from May.\n")
    'The bridge is open.\n\n## Traffic\n\nbuses use it from May.\n'
    """
    root = markdown.parse(text)
    blocks = root.children
    edits: list[Edit] = []
    bylines, byline_edits = _byline(text, blocks, context.lang)
    edits.extend(byline_edits)
    demoted = set()
    for before, heading, after in zip(blocks, blocks[1:], blocks[2:]):
        joins = _fragment_heading(text, before, heading, after, context.lang)
        if joins:
            edits.extend(joins)
            demoted.add(heading.start)
    for block in blocks:
        edits.extend(_attributes(text, block))
    cut = _cut_headings(text, blocks, demoted, context.lang)
    edits.extend(edit for edit, _ in cut)
    merged = {second.start for _, second in cut}
    headings = []  # (block, level or None for a promoted title)
    second_parts = {}  # the title half of a split heading -> its label half
    for i, block in enumerate(blocks):
        if block.start in demoted or block in bylines or block.start in merged:
            continue
        if block.kind == "Heading" and headings and headings[-1][0] is blocks[i - 1] and \
                is_label(blocks[i - 1]) and blocks[i - 1].start not in second_parts.values():
            label, level = headings[-1]
            headings[-1] = (label, min(level or block.level, block.level))
            second_parts[block] = label
        elif block.kind == "Heading":
            headings.append((block, block.level))
        elif _bold_title(text, blocks, i, context.lang):
            headings.append((block, None))
    content = [b for b in blocks if b.kind != "MetadataBlock" and b not in bylines]
    titled = bool(headings) and headings[0][0] is content[0]
    headings = _numbered_levels(headings)
    levels = _consistent_levels([level for _, level in headings], titled)
    new_levels, labels = {}, {label: title for title, label in second_parts.items()}
    for (block, level), new_level in zip(headings, levels):
        # A label's level may have been raised to its title's; its marker says what it was.
        written = block.level if block.kind == "Heading" else None
        rewrite = _rewrite(text, block, written, new_level)
        edits.extend(_split_heading(rewrite, block, labels[block]) if block in labels
                     else rewrite)
        new_levels[block] = new_level
    for block, label in second_parts.items():
        edits.extend(_split_heading(_rewrite(text, block, block.level, new_levels[label]),
                                    label, block))
    return Proposal(sorted(edits), [])


def _cut_headings(text, blocks, demoted, lang) -> list[tuple[Edit, markdown.Node]]:
    """A heading that ends on a word no title ends on (`## The history of`) and the heading of
    its level right after it, going on in lower case (`## the town archive`): one title the
    converter cut in two. The edit that makes them one, with the second heading."""
    cuts = []
    for first, second in zip(blocks, blocks[1:]):
        if first.kind != "Heading" or second.kind != "Heading" or first.level != second.level \
                or first.start in demoted or not first.children or not second.children:
            continue
        title = first.visible().strip()
        # Both halves say it: the first stops on a function word written small (not `Appendix
        # A`, `Parte I`, `What We Stand For`), the second goes on in lower case (not a title of
        # its own after a sentence ending on a pronoun: `Wir schaffen das` / `Die Folgen`).
        if not title or not title.split()[-1].islower() or \
                not second.visible().lstrip()[:1].islower() or \
                text[first.end:second.start].strip():
            continue
        end = ending(title, lang)
        if not end.continues:
            continue
        why = (f"the heading {title!r} {end.why}: the heading after it, "
               f"{second.visible().strip()!r}, is the rest of one title")
        cuts.append((Edit(first.children[-1].end, second.children[0].start, " ",
                          "join_split_heading", why), second))
    return cuts


# Pandoc's heading attributes (`{#standards}`, `{#intro .unnumbered}`): markup of its own
# dialect, which CommonMark shows as text.
_ATTRIBUTES = regex.compile(r"[ \t]+\{(?:[#.][\w:.-]+|[\w-]+=(?:\S+))(?:[ \t]+(?:[#.][\w:.-]+|"
                            r"[\w-]+=\S+))*\}[ \t]*$")


def _attributes(text: str, block: markdown.Node) -> list[Edit]:
    if block.kind != "Heading" or not block.children:
        return []
    line_end = block.start + len(text[block.start:block.end].rstrip("\n"))
    found = _ATTRIBUTES.search(text, block.start, line_end)
    if found is None or found.start() < block.children[0].start:
        return []
    return [Edit(found.start(), line_end, "", "drop_heading_attributes",
                 f"{found.group().strip()!r} is pandoc's markup for the heading's id or class, "
                 "not words of its title")]


def _split_heading(edits: list[Edit], label: markdown.Node, title: markdown.Node) -> list[Edit]:
    """The level changes that make the two halves of a split heading one level."""
    why = (f"the heading {label.visible().strip()!r} only labels its division: "
           f"{title.visible().strip()!r} right after it is the rest of that heading")
    return [Edit(e.start, e.end, e.replacement, "join_split_heading", why)
            if e.rule == "set_heading_level" else e for e in edits]


def _numbered_levels(headings: list[tuple[markdown.Node, int | None]]):
    """Promoted titles numbered like sections (`3.1.2`) take the level their numbering gives,
    read off the document's own numbered headings (`# 3.2 Duties` puts depth 2 at level 1).

    Without numbered headings to read it off, numbers of different depths still nest: the
    shallowest is level 1, or 2 under a title that comes before the first of them.

    >>> def levels(*lines):
    ...     blocks = [markdown.parse(line).children[0] for line in lines]
    ...     return [level for _, level in _numbered_levels(
    ...         [(b, b.level if b.kind == "Heading" else None) for b in blocks])]
    >>> levels("**Survey**", "**1** **Introduction**", "**1.1** **Method**", "**2** **Results**")
    [None, 2, 3, 2]
    >>> levels("**1** **Introduction**", "**2** **Results**")  # one depth: no levels to give
    [None, None]
    """
    offsets = Counter(level - _depth(block) for block, level in headings
                      if block.kind == "Heading" and _depth(block))
    if not offsets:
        numbered = [k for k, (block, _) in enumerate(headings) if _depth(block)]
        depths = {_depth(headings[k][0]) for k in numbered}
        if len(depths) < 2:
            return headings
        offsets[(2 if numbered[0] > 0 else 1) - min(depths)] += 1
    offset = offsets.most_common(1)[0][0]
    return [(block, max(1, min(6, _depth(block) + offset))
             if block.kind != "Heading" and _depth(block) else level)
            for block, level in headings]


def _depth(block: markdown.Node) -> int:
    number = regex.match(r"\d+(?:\.\d+)*", block.visible().strip())
    return len(number.group().split(".")) if number else 0


def is_label(block: markdown.Node) -> bool:
    """A heading that only numbers or names its division: 'Capítulo 1', '2.3', 'IV'."""
    return block.kind == "Heading" and bool(LABEL.match(block.visible().strip()))


def _fragment_heading(text, before, heading, after, lang) -> list[Edit]:
    if heading.kind != "Heading" or not heading.children:
        return []
    evidence = _inside_sentence(before, heading, after, lang)
    if not evidence:
        return _sentence_start(text, heading, after)
    end, start = evidence
    content_start, content_end = heading.children[0].start, heading.children[-1].end
    before_end = before.start + len(text[before.start:before.end].rstrip())
    why = (f"the heading {heading.visible()!r} continues the paragraph before it, which "
           f"{end.why}, and the paragraph after it {start.why}")
    return [
        Edit(before_end, content_start, "" if end.kind == "open" else " ",
             "demote_fragment_heading", why),
        Edit(content_end, after.start, "" if start.kind == "closing" else " ",
             "demote_fragment_heading", why),
    ]


def _sentence_start(text, heading, after) -> list[Edit]:
    """A heading that starts in lower case and runs on into the paragraph after it is the start
    of that paragraph's sentence (whatever came before it ended): it goes back as its opening."""
    words = heading.visible().strip()
    if after.kind != "Paragraph" or not words[:1].islower() or \
            words[-1:] in SENTENCE_END + ":" or heading.wholly("Strong"):
        return []
    start = opening(after.visible())
    if start.kind not in ("lower", "closing"):
        return []
    content_start, content_end = heading.children[0].start, heading.children[-1].end
    why = (f"the heading {words!r} starts in lower case, has no final punctuation and the "
           f"paragraph after it {start.why}: it is the start of that paragraph")
    return [Edit(heading.start, content_start, "", "demote_fragment_heading", why),
            Edit(content_end, after.start, "" if start.kind == "closing" else " ",
                 "demote_fragment_heading", why)]


def _inside_sentence(before, block, after, lang):
    """(ending, opening) when `block` sits inside one sentence cut around it: the paragraph
    before does not end it and the paragraph after goes on with it; else None."""
    if before.kind != "Paragraph" or after.kind != "Paragraph" or \
            before.wholly("Strong", "Emphasis"):
        return None  # a bold or italic line before it is a title, byline or caption, no sentence
    end, start = ending(before.visible(), lang), opening(after.visible())
    if end.kind not in ("none", "comma", "open") or start.kind not in ("lower", "closing"):
        return None
    words = block.visible().strip()
    if words[-1:] in SENTENCE_END + ":":
        return None
    if words[:1].isupper() and end.kind == "none" and not end.continues:
        # A title in capitals after a line without punctuation (a source, a caption) is a
        # title: the lower case after it may be a name's (`von Humboldt`, `de Gaulle`). Only a
        # sentence that cannot stop there (`… der`, `… of`, a comma) takes it back in.
        return None
    if _SECTION_NUMBER.match(words):
        return None  # a numbered section title cuts the text for some other reason (a page break)
    return end, start


def _byline(text, blocks, lang) -> tuple[list[markdown.Node], list[Edit]]:
    """The byline lines at the top and the edits that move them into the front matter.

    Several authors may stand on lines of their own, one under the other; they are one byline.
    """
    index = 1 if blocks and blocks[0].kind == "MetadataBlock" else 0
    if index and "byline" in read(text[blocks[0].start:blocks[0].end]):
        return [], []
    candidates = [index]
    if index < len(blocks) and (blocks[index].kind == "Heading"
                                or _bold_title(text, blocks, index, lang)):
        candidates.append(index + 1)
    for at in candidates:
        lines, names = [], []
        while at + len(lines) + 1 < len(blocks):
            block = blocks[at + len(lines)]
            if block.kind != "Paragraph" or not block.wholly("Strong", "Emphasis"):
                break
            line = block.visible().strip()
            # The opening of the document says enough about how it uses these words; reading
            # the whole of a long dump would cost more than it tells.
            author = byline_names(line, text[:block.start] + text[block.end:block.end + _CONTEXT])
            if not author:
                break
            lines.append(block)
            names.append(author)
        if lines:
            where = "first in the document" if at == index else "after the title"
            why = (f"{' / '.join(b.visible().strip() for b in lines)!r}, alone in bold or italic "
                   f"{where}, is a line of names: the byline")
            return lines, _move_to_front_matter(text, blocks, at, len(lines), "; ".join(names),
                                                why)
    return [], []


def byline_names(line: str, rest: str) -> str | None:
    """The names in `line` when it is a byline, else None; `rest` is the rest of the document.

    A title in title case (or a German one, whose nouns are capitalised) has the shape of a name;
    what tells them apart is an opening article, or common words, which the document itself uses
    in lower case: a first name seldom is one, a surname (Fuente, Torres, Koch) may be.

    >>> byline_names("By John Smith and Ann Lee", "")
    'John Smith and Ann Lee'
    >>> byline_names("Por José María de la Fuente", "según una fuente oficial")
    'José María de la Fuente'
    >>> byline_names("Andrew Korybko", "")
    'Andrew Korybko'
    >>> byline_names("The Quiet Revolution", "")  # an article opens titles, not names
    >>> byline_names("Breaking News", "the news was breaking")  # common words of the text
    >>> byline_names("Digitale Verwaltung", "die digitale Verwaltung kommt")
    >>> byline_names("Kazakhstan in turmoil", "")  # a lower-case word that is not a particle
    """
    if "\n" in line:
        return None
    prefix = _BYLINE_PREFIX.match(line)
    names = line[prefix.end():] if prefix else line
    people = [person.split() for person in _BETWEEN_NAMES.split(names)]
    if len(people) > _MAX_NAMES or not all(_is_name(p, bool(prefix)) for p in people):
        return None
    if not prefix:
        if people[0][0].lower() in _ARTICLES:
            return None
        words = [w.lower().strip(".") for person in people for w in person
                 if w not in _PARTICLES]
        lower = set(regex.findall(r"\b\p{Ll}[\p{L}\p{M}]*", rest))
        if words[0] in lower or 2 * sum(w in lower for w in words) > len(words):
            return None
    return names


def _is_name(words: list[str], prefixed: bool) -> bool:
    """One to four capitalised words with particles between them; two at least without 'By',
    since a single capitalised word alone at the top is as likely a title or a source."""
    capitalised = [w for w in words if _NAME_WORD.fullmatch(w)]
    if not (1 if prefixed else 2) <= len(capitalised) <= _MAX_NAME_WORDS:
        return False
    return all(_NAME_WORD.fullmatch(w) or (w in _PARTICLES and 0 < i < len(words) - 1)
               for i, w in enumerate(words))


def _move_to_front_matter(text, blocks, at, count, author, why) -> list[Edit]:
    last = blocks[at + count - 1]
    last_end = last.start + len(text[last.start:last.end].rstrip())
    meta = blocks[0] if blocks[0].kind == "MetadataBlock" else None
    if meta is None and at == 0:
        return [Edit(0, last_end, set_fields("", {"byline": author}).rstrip(), "mark_byline", why)]
    if meta is None:
        edits = [Edit(0, 0, set_fields("", {"byline": author}) + "\n", "mark_byline", why)]
    else:
        fields = set_fields(text[meta.start:meta.end], {"byline": author})
        edits = [Edit(meta.start, meta.end, fields, "mark_byline", why)]
    before = blocks[at - 1]
    before_end = before.start + len(text[before.start:before.end].rstrip())
    edits.append(Edit(max(before_end, meta.end if meta else 0), blocks[at + count].start, "\n\n",
                      "mark_byline", why))
    return edits


def _bold_title(text, blocks, i, lang) -> bool:
    block = blocks[i]
    if block.kind != "Paragraph":
        return False
    if not _numbered_bold_pieces(block):
        if not block.wholly("Strong", "Emphasis"):
            return False
        if block.only_child().kind != "Strong" and block.only_child().only_child() is None:
            return False
        if not _contains_strong(block):
            return False
    words = block.visible().split()
    title = block.visible().strip()
    if "\n" in title or not words or len(words) > _MAX_TITLE_WORDS:
        return False
    if _CAPTION.match(title) or title.strip("¡!¿?:.… ").casefold() in _ADMONITIONS:
        return False  # a table's or figure's caption; the label of a note or warning box
    if i > 0 and blocks[i - 1].kind == "Heading":
        near = text[max(0, block.start - _NEAR):block.start] + text[block.end:block.end + _NEAR]
        if byline_names(title, near):
            return False  # the names under a title: its byline, not a heading below it
    if title[0].islower():
        return False  # titles start with a capital or a number; a table's column head need not
    if regex.sub(rf"[{regex.escape(QUOTE_MARKS)})\]\s]+$", "", title)[-1:] in ".,;:":
        return False  # a sentence, also one that closes a quotation: 'He said "no."
    if not regex.search(r"\p{L}", title):
        return False  # a bold page or note number, not a title
    if i + 1 >= len(blocks) or blocks[i + 1].kind in ("Heading", "Table", "CodeBlock") or \
            _only_image(blocks[i + 1]):
        return False  # nothing to head, or the caption of the table, listing or figure below
    if i > 0 and blocks[i - 1].kind == "Paragraph" and title[0].islower() and \
            ending(blocks[i - 1].visible(), lang).kind in ("none", "comma", "open"):
        return False  # a bold fragment of the sentence before, not a title
    # A bold piece of a sentence cut around it: as a heading it would be demoted again.
    return i == 0 or not _inside_sentence(blocks[i - 1], block, blocks[i + 1], lang)


def _numbered_bold_pieces(block: markdown.Node) -> bool:
    """A section number and title set in bold pieces, code between them
    (`**3.1.2** **Maintain packages in** `stable``), as PDF-to-markdown converters write a
    heading whose font changes inside it."""
    content = [c for c in block.children if not (c.kind == "Text" and not c.text.strip())]
    return len(content) > 1 and content[0].kind == "Strong" and \
        all(c.kind in ("Strong", "Code") for c in content) and \
        bool(_SECTION_NUMBER.match(block.visible().strip()))


def _only_image(block: markdown.Node) -> bool:
    child = block.only_child()
    return block.kind == "Paragraph" and child is not None and child.kind == "Image"


def _contains_strong(block: markdown.Node) -> bool:
    return any(node.kind == "Strong" for node in markdown.walk(block))


def _consistent_levels(levels: list[int | None], titled: bool = False) -> list[int]:
    """The level each heading should have; None is a promoted title, which takes the level of
    the heading before it (the commonest level when it is the first, or follows the title).

    When a level-1 heading opens the document (`titled`) and no other is level 1, it is the
    document's title (converters give `#` to the page's `<h1>` or largest type), and promoted
    titles go below it, however few headings there are to count; a `##` or `###` that opens a
    scraped feed is only the first of its headlines.
    Levels are re-derived from the nesting the source's levels imply, so that a jump (`#` then
    `###`) closes up for every heading of that rank, not only the first.

    >>> _consistent_levels([1, 3, 3, 2])  # ### under # is the second rank, and so is ##
    [1, 2, 2, 2]
    >>> _consistent_levels([3, None, 3, 2, None])  # mixed templates for titles of one rank
    [3, 3, 3, 3, 3]
    >>> _consistent_levels([1, None, None], titled=True)  # bold subheads under the title
    [1, 2, 2]
    >>> _consistent_levels([1, 2, 3, 2])  # a consistent hierarchy stays
    [1, 2, 3, 2]
    >>> _consistent_levels([1, 2, None, 1])  # a bold title inside a section is one of its kind
    [1, 2, 2, 1]
    """
    title = titled and levels[0] == 1 and 1 not in levels[1:]
    present = Counter(level for level in (levels[1:] if title else levels) if level is not None)
    common = max(present.items(), key=lambda kv: (kv[1], kv[0]))[0] if present else 2
    if title:
        common = max(common, 2)
    resolved = []
    for level in levels:
        if level is None:  # a promoted title is a sibling of the heading before it
            level = resolved[-1] if resolved and not (title and len(resolved) == 1) else common
        resolved.append(level)
    if not resolved:
        return []
    top, open_levels, fixed = resolved[0], [], []
    for level in resolved:
        level = max(level, top)
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
        open_levels.append(level)
        fixed.append(top + len(open_levels) - 1)
    return fixed


def _rewrite(text: str, block: markdown.Node, level: int | None, new_level: int) -> list[Edit]:
    edits = []
    inner = _innermost(block)
    if level is None:
        why = (f"{block.visible().strip()!r} is a line of bold text with no final punctuation "
               f"between other blocks: a title, made a level-{new_level} heading")
        if _numbered_bold_pieces(block):  # a marker before the pieces, and their bold goes
            unbold = (f"the pieces of the heading {block.visible().strip()!r} were each marked "
                      "bold")
            edits = [Edit(block.start, block.start, "#" * new_level + " ", "promote_bold_title",
                          why)]
            for piece in block.children:
                if piece.kind == "Strong" and piece.children:
                    edits += [Edit(piece.start, piece.children[0].start, "", "unbold_heading",
                                   unbold),
                              Edit(piece.children[-1].end, piece.end, "", "unbold_heading",
                                   unbold)]
            return edits
        edits.append(Edit(block.start, inner.children[0].start, "#" * new_level + " ",
                          "promote_bold_title", why))
        end = block.start + len(text[block.start:block.end].rstrip())
        edits.append(Edit(inner.children[-1].end, end, "", "promote_bold_title", why))
        return edits
    marker = regex.match(r"[ ]{0,3}(#{1,6})", text[block.start:block.end])
    if marker and new_level != level:
        why = ("a heading is at most one level below the one it falls under, and headings of "
               "one rank share a level" if new_level < level else
               "the first heading sets the top level, and a later, shallower heading is a title "
               "of the same rank")
        edits.append(Edit(block.start + marker.start(1), block.start + marker.end(1),
                          "#" * new_level, "set_heading_level",
                          f"level {level} made {new_level}: {why}"))
    if block.wholly("Strong", "Emphasis") and _contains_strong(block) and marker:
        why = f"the whole heading {block.visible().strip()!r} was also marked bold"
        edits.append(Edit(block.children[0].start, inner.children[0].start, "", "unbold_heading",
                          why))
        edits.append(Edit(inner.children[-1].end, block.children[-1].end, "", "unbold_heading",
                          why))
    return edits


def _innermost(block: markdown.Node) -> markdown.Node:
    node = block
    while node.only_child() is not None and node.only_child().kind in ("Strong", "Emphasis"):
        node = node.only_child()
    return node
