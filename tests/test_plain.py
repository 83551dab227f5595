"""Plain-text and paged dumps end to end: the TEI they give, beyond what the case tables check.

The case tables fix the repaired markdown; here the TEI writer's share is checked: page breaks as
`<pb n>` where the page turned (inside a paragraph when it goes on), a split heading as two `<head>`s
of one division, doubts for what was kept but not understood, and the input kind in the header.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline import process, source, tei, verify
from pipeline.schema import errors
from pipeline.xmlsafe import parse

NS = {"t": tei.TEI_NS}

# pdftotext of a two-column-free report: a running head, folios, a sentence across a page, a
# chapter label and its title on two lines, a flattened table.
PDFTOTEXT = (
    "Boletín del Archivo\n\n"
    "CAPÍTULO 2\nLOS FONDOS\n"
    "El archivo conserva las actas del concejo desde 1520 y los padrones de vecinos que\n"
    "se hicieron en el siglo XVIII, cuando la villa\n\n7\n"
    "\fBoletín del Archivo\n\n"
    "creció hasta duplicar su población.\n\n"
    "Serie        Años          Cajas\n"
    "Actas        1520-1990     310\n"
    "Padrones     1752-1950     45\n\n8\n\f"
)


def _tei(tmp_path: Path, name: str, text: str, kind: str | None = None):
    raw = tmp_path / "raw" / name
    raw.parent.mkdir(exist_ok=True)
    raw.write_text(text, encoding="utf-8")
    out = tmp_path / "clean" / f"{source.stem(raw)}.tei.xml"
    out.parent.mkdir(exist_ok=True)
    result = process.repair(source.read(raw), kind=kind)
    out.write_bytes(tei.write(result, out))
    return raw, out, parse(out.read_bytes()).getroot()


def test_pdftotext_dump_gives_pages_heads_and_a_kept_table(tmp_path):
    raw, out, root = _tei(tmp_path, "boletin.txt", PDFTOTEXT)
    assert errors(out.read_bytes()) == []
    assert all(check.ok for check in verify.verify(raw, out)), verify.verify(raw, out)
    body = root.find(".//t:body", NS)
    assert [pb.get("n") for pb in body.iter(f"{{{tei.TEI_NS}}}pb")] == ["7", "8"]
    div = body.find(".//t:div", NS)
    assert [h.text for h in div.findall("t:head", NS)] == ["CAPÍTULO 2", "LOS FONDOS"]
    paragraph = div.find("t:p", NS)
    # The sentence goes on across the page: one paragraph, the page break inside it, the
    # page's furniture beside it.
    assert [(fw.get("type"), fw.get("place"), fw.text) for fw in paragraph.findall("t:fw", NS)] \
        == [("pageNum", "bottom", "7"), ("header", "top", "Boletín del Archivo")]
    assert verify.reading_text(paragraph) == (
        "El archivo conserva las actas del concejo desde 1520 y los padrones de vecinos que se "
        "hicieron en el siglo XVIII, cuando la villa creció hasta duplicar su población.")
    assert paragraph.find("t:pb", NS).get("n") == "8"
    table = div.find("t:ab[@type='code']", NS)
    assert table.text.startswith("Serie        Años          Cajas\n")
    assert "Boletín del Archivo" not in verify.reading_text(body)
    doubts = root.findall(".//t:notesStmt/t:note[@type='doubt']", NS)
    assert [d.get("n") for d in doubts] == ["keep_table_verbatim"]
    kind = root.find(".//t:sourceDesc//t:note[@type='input-kind']", NS)
    assert (kind.get("n"), kind.get("subtype")) == ("plain", "detected")


def test_forced_kind_is_recorded_and_verify_uses_it(tmp_path):
    text = "Notes on the *draft*:\n\n    see the annex\n"
    raw, out, root = _tei(tmp_path, "notes.md", text, kind="plain")
    kind = root.find(".//t:sourceDesc//t:note[@type='input-kind']", NS)
    assert (kind.get("n"), kind.get("subtype")) == ("plain", "user")
    # Read as plain text, the asterisks are text, not emphasis.
    assert root.find(".//t:body//t:hi", NS) is None
    assert "*draft*" in "".join(root.find(".//t:body", NS).itertext())
    assert all(check.ok for check in verify.verify(raw, out))


def test_link_covering_a_whole_line_is_a_doubt_not_a_change(tmp_path):
    text = ("The maintainers explain it in\n"
            "[the section on release-critical bugs of the policy manual](https://x.org/rc)\n"
            "and in the frequently asked questions.\n")
    raw, out, root = _tei(tmp_path, "links.md", text)
    ref = root.find(".//t:body//t:ref", NS)
    assert ref.get("target") == "https://x.org/rc"
    doubts = root.findall(".//t:notesStmt/t:note[@type='doubt']", NS)
    assert [d.get("n") for d in doubts] == ["flag_link_extent"]
    assert not [n for n in root.iterfind(".//t:listChange[@type='provenance']/t:change", NS)
                if n.get("subtype") == "flag_link_extent"]


def test_bare_address_becomes_a_reference_to_itself(tmp_path):
    raw, out, root = _tei(tmp_path, "url.txt", "Véase https://archivo.example.es/fondos, "
                                               "la guía de fondos.\n")
    ref = root.find(".//t:body//t:ref", NS)
    assert (ref.get("target"), ref.text) == ("https://archivo.example.es/fondos",) * 2
    assert all(check.ok for check in verify.verify(raw, out))


def test_table_cells_one_per_line_are_kept_verbatim_and_flagged(tmp_path):
    cells = "\n\n".join(["Paquete", "Tamaño", "grub-pc", "534", "lilo", "693", "syslinux", "122"])
    text = f"Los cargadores de arranque disponibles son estos.\n\n{cells}\n\nEl texto sigue después de la tabla.\n"
    raw, out, root = _tei(tmp_path, "tabla.txt", text)
    listing = root.find(".//t:body//t:ab[@type='code']", NS)
    assert listing.text == cells + "\n"  # not joined into one line of prose
    assert ["".join(p.itertext()) for p in root.iterfind(".//t:body//t:p", NS)] == [
        "Los cargadores de arranque disponibles son estos.", "El texto sigue después de la tabla."]
    doubts = root.findall(".//t:notesStmt/t:note[@type='doubt']", NS)
    assert [d.get("n") for d in doubts] == ["fence_table_cells"]
    assert all(check.ok for check in verify.verify(raw, out))


def test_footnotes_at_page_feet_become_notes_and_the_sentence_goes_on(tmp_path):
    text = ("El archivo municipal se fundó en 1931, cuando el concejo1 reunió los papeles de la\n"
            "secretaría y los del antiguo pósito.2 La primera sede fue el convento, donde\n\n"
            "1 Acta del concejo de 3 de marzo de 1931.\n2 El pósito guardaba el grano de la villa\n"
            "desde el siglo XVI.\n\n7\n\fpermaneció hasta 1960.\n\n8\n\f")
    raw, out, root = _tei(tmp_path, "notas.txt", text)
    assert errors(out.read_bytes()) == []
    assert all(check.ok for check in verify.verify(raw, out))
    body = root.find(".//t:body", NS)
    paragraph = body.find(".//t:p", NS)
    assert verify.reading_text(paragraph).endswith("el convento, donde permaneció hasta 1960.")
    notes = paragraph.findall("t:note[@place='foot']", NS)  # at their marks, as DTA has them
    assert [(n.get("n"), "".join(n.itertext())) for n in notes] == [
        ("1", "Acta del concejo de 3 de marzo de 1931."),
        ("2", "El pósito guardaba el grano de la villa desde el siglo XVI.")]
    assert paragraph.text.endswith("cuando el concejo") and notes[1].tail.startswith(" La ")
    assert body.find(".//t:ref", NS) is None, "no empty anchor"


def test_verso_and_recto_heads_without_form_feeds_are_page_furniture(tmp_path):
    # An OCR'd book: the folio at the outer edge of each page's head, left on versos and right
    # on rectos, and no form feed; the pages' text differs from page to page.
    words = ("manor tenants survey steward holdings leases court rolls field acres rent "
             "harvest mill common meadow").split()
    pages = []
    for n in range(2, 8):
        head = f"{n}   THE MANOR OF ELMSWORTH" if n % 2 == 0 else \
            f"{' ' * 20}THE MANOR OF ELMSWORTH   {n}"
        lines = [" ".join(words[(n * 3 + k + j) % len(words)] for j in range(9)).capitalize()
                 + ("." if k % 4 == 3 else ",") for k in range(12)]
        pages.append(head + "\n\n" + "\n".join(lines) + "\n")
    raw, out, root = _tei(tmp_path, "manor.txt", "\n".join(pages))
    body = root.find(".//t:body", NS)
    assert [pb.get("n") for pb in body.iter(f"{{{tei.TEI_NS}}}pb")] == [str(n) for n in range(2, 8)]
    fws = [(fw.get("type"), fw.get("place"), fw.text) for fw in body.iter(f"{{{tei.TEI_NS}}}fw")
           if fw.text == "THE MANOR OF ELMSWORTH" or fw.text.isdigit()]
    assert fws == [kind for n in range(2, 8) for kind in (
        [("pageNum", "top", str(n)), ("header", "top", "THE MANOR OF ELMSWORTH")] if n % 2 == 0
        else [("header", "top", "THE MANOR OF ELMSWORTH"), ("pageNum", "top", str(n))])]
    assert all(fw.getprevious() is not None and etree.QName(fw.getprevious()).localname in
               ("pb", "fw") for fw in body.iter(f"{{{tei.TEI_NS}}}fw")), "beside its pb"
    assert "ELMSWORTH" not in verify.reading_text(body)
    assert body.find(".//t:head", NS) is None
    assert all(check.ok for check in verify.verify(raw, out))


def test_addresses_in_angle_brackets_are_links_and_their_brackets_text(tmp_path):
    text = ("Read the standards at <https://www.gnu.org/prep/standards/> before you\n"
            "write to <bug-standards@gnu.org> about them.\n")
    raw, out, root = _tei(tmp_path, "standards.txt", text)
    assert all(check.ok for check in verify.verify(raw, out)), verify.verify(raw, out)
    body = root.find(".//t:body", NS)
    assert [ref.get("target") for ref in body.iter(f"{{{tei.TEI_NS}}}ref")] == [
        "https://www.gnu.org/prep/standards/", "mailto:bug-standards@gnu.org"]
    reading = "".join(body.itertext())
    assert "<https://www.gnu.org/prep/standards/>" in reading
    assert "<bug-standards@gnu.org>" in reading
    notes = root.findall(".//t:change[@subtype='mark_bracketed_address']", NS)
    assert [note.find("t:choice/t:orig", NS).text for note in notes] == [
        "https://www.gnu.org/prep/standards/", "bug-standards@gnu.org"]


def test_an_interactive_session_in_plain_text_is_code_not_quotations(tmp_path):
    text = ("The loop prints the series up to ten:\n"
            ">>> # Fibonacci series:\n>>> a, b = 0, 1\n>>> while a < 10:\n"
            "...     print(a)\n...     a, b = b, a+b\n\n"
            "Every number is the sum of the two before it.\n")
    raw, out, root = _tei(tmp_path, "fib.txt", text)
    assert all(check.ok for check in verify.verify(raw, out)), verify.verify(raw, out)
    body = root.find(".//t:body", NS)
    assert body.find(".//t:quote", NS) is None
    assert [p.get("rend") for p in body.iter(f"{{{tei.TEI_NS}}}p")] == [None, None]
    code = body.find(".//t:ab[@type='code']", NS)
    assert code.text == text[text.index(">>>"):text.index("\n\n") + 1]
