"""The TEI as the community's renderer shows it: CETEIcean, with its default behaviours, in Debian's
headless chromium (driven by Playwright: the `browser` of tests/conftest.py).

CETEIcean (npm, pinned in tests/cetei/package-lock.json, installed by `make test` with `npm ci`)
turns TEI elements into HTML custom elements and shows all their text except the teiHeader's. So
these tests prove that a reader sees the reading text and nothing of the provenance, that a
footnote shows where its mark is, and that each page break sits where the page turned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline import process, source, tei

ROOT = Path(__file__).resolve().parent.parent
CETEI = Path(__file__).parent / "cetei" / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"
SAMPLE = ROOT / "raw" / "000_5f556d4f1fe15307.txt"
NS = {"t": tei.TEI_NS}

# A pdftotext dump of three pages: a running head on each, a folio at each foot, a sentence and
# a word's line across the first page turn, a footnote at the first page's foot.
PAGES = [
    "THE HISTORY OF PAPER\n\n"
    "The making of paper began in China, where the bark of the mulberry tree\n"
    "and old fishing nets were beaten into a pulp and spread on screens to dry.\n"
    "The craft travelled west along the trade routes,1 reaching Samarkand in the\n"
    "eighth century and Baghdad soon after, where mills were built along the\n\n"
    "1 Carter, The Invention of Printing, 1925.\n\n3\n",
    "THE HISTORY OF PAPER\n\n"
    "river. From there the knowledge passed to Damascus and Cairo, and by the\n"
    "twelfth century paper was made in Spain, at Xàtiva, whose mills supplied\n"
    "the chanceries of Aragon.\n\n4\n",
    "THE HISTORY OF PAPER\n\n"
    "In the fifteenth century the press created a demand that the old mills\n"
    "could not meet.\n\n5\n",
]

# The text a reader sees, and around each <pb>, the text just before and just after it
# (furniture and footnotes set aside: CETEIcean shows them, they are not the page's running text).
_RENDER = """async (xml) => {
  const dom = await new Promise(done => (new CETEI()).makeHTML5(xml, done));
  document.body.appendChild(dom);
  const text = document.body.querySelector("tei-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_ALL);
  let running = "", breaks = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === Node.TEXT_NODE && !node.parentElement.closest("tei-fw, tei-note")) {
      running += node.textContent;
    } else if (node.localName === "tei-pb") {
      breaks.push([node.getAttribute("n"), running.length]);
    }
  }
  const note = text.querySelector("tei-note");
  return {shown: document.body.innerText, running, breaks,
          note: note && {n: note.getAttribute("n"), shown: note.innerText,
                         before: note.previousSibling && note.previousSibling.textContent}};
}"""


@pytest.fixture
def render(browser, tmp_path):
    if not CETEI.exists():
        pytest.fail(f"{CETEI} is missing: `make test` installs it (npm ci in tests/cetei)")
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body>"
                     "</html>")
    page.add_script_tag(path=str(CETEI))

    def rendered(raw: Path) -> tuple[dict, etree._Element]:
        data = tei.write(process.repair(source.read(raw)), tmp_path / f"{raw.stem}.tei.xml")
        return page.evaluate(_RENDER, data.decode("utf-8")), etree.fromstring(data)

    yield rendered
    page.close()


def _provenance(document: etree._Element) -> list[str]:
    """Every text the file says about its changes and doubts, each long enough to be told."""
    records = document.iterfind(".//t:listChange[@type='provenance']/t:change", NS)
    said = [text for record in records for text in (record.findtext("t:p", namespaces=NS),
                                                    record.findtext("t:label", namespaces=NS))]
    said += ["".join(note.itertext()) for note in document.iterfind(".//t:notesStmt/t:note", NS)]
    return [text for text in said if text and len(text) > 12]


def test_the_sample_shows_its_reading_text_and_no_provenance(render):
    shown, document = render(SAMPLE)
    provenance = _provenance(document)
    assert len(provenance) > 100
    assert [text for text in provenance if text in shown["shown"]] == []
    assert not re.search(r"line \d+, column \d+|was lost in conversion", shown["shown"])
    first = "".join(document.find(".//t:body//t:p", NS).itertext())
    assert first[:200] in shown["shown"]


def test_a_paged_dump_shows_its_footnote_at_the_mark_and_its_pages_where_they_turned(
        render, tmp_path):
    raw = tmp_path / "raw" / "paper.txt"
    raw.parent.mkdir()
    raw.write_text("\f".join(PAGES), encoding="utf-8")
    shown, document = render(raw)
    assert [text for text in _provenance(document) if text in shown["shown"]] == []
    # The footnote's mark: the note itself, numbered, right after the word that carried it.
    assert shown["note"]["n"] == "1"
    assert shown["note"]["before"].endswith("along the trade routes,")
    assert "Carter, The Invention of Printing, 1925." in shown["note"]["shown"]
    assert "trade routes,(Carter, The Invention of Printing, 1925.) reaching" in shown["shown"]
    # Each page break where the page turned: after the last words of one page, before the first
    # of the next, numbered by the page's folio.
    running = shown["running"]
    turns = [(n, running[:at].rstrip()[-20:], running[at:].lstrip()[:20])
             for n, at in shown["breaks"]]
    assert turns == [
        ("3", "", "The making of paper "),
        ("4", "were built along the", "river. From there th"),
        ("5", "hanceries of Aragon.", "In the fifteenth cen"),
    ]
    assert "THE HISTORY OF PAPER" not in running
