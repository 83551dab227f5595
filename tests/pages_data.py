"""Small invented files of pages for the tests: ALTO of each version, hOCR, PAGE XML, and a PDF
written by hand (a few text objects in Helvetica, one page each)."""

from __future__ import annotations


def alto(version: int, baseline: str = "110") -> str:
    """Two pages: a heading tagged as such and a paragraph whose first line ends on a hyphen, a
    folio in the bottom margin; page two goes on with the paragraph."""
    ns = f"http://www.loc.gov/standards/alto/ns-v{version}#"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="{ns}">
  <Description><MeasurementUnit>pixel</MeasurementUnit>
    <sourceImageInformation><fileName>page-0001.tif</fileName></sourceImageInformation>
  </Description>
  <Styles>
    <TextStyle ID="big" FONTSIZE="18" FONTSTYLE="bold"/>
    <TextStyle ID="body" FONTSIZE="10"/>
  </Styles>
  <Tags><StructureTag ID="t1" LABEL="heading"/></Tags>
  <Layout>
    <Page ID="P1" WIDTH="2000" HEIGHT="3000" PHYSICAL_IMG_NR="1">
      <PrintSpace>
        <TextBlock ID="B1" TAGREFS="t1" STYLEREFS="big">
          <TextLine ID="L1" HPOS="200" VPOS="100" WIDTH="800" HEIGHT="40" BASELINE="{baseline}">
            <String CONTENT="Chapter" WC="0.98"/><SP/><String CONTENT="One" WC="0.91"/>
          </TextLine>
        </TextBlock>
        <TextBlock ID="B2" STYLEREFS="body">
          <TextLine ID="L2" HPOS="200" VPOS="300" WIDTH="1500" HEIGHT="30">
            <String CONTENT="The archive was" WC="0.9"/><SP/><String CONTENT="reor" WC="0.8"/>
            <HYP CONTENT="-"/>
          </TextLine>
          <TextLine ID="L3" HPOS="200" VPOS="340" WIDTH="1400" HEIGHT="30">
            <String CONTENT="ganized in" WC="0.95"/>
          </TextLine>
        </TextBlock>
      </PrintSpace>
      <BottomMargin>
        <TextBlock ID="B3">
          <TextLine ID="L4" HPOS="950" VPOS="2900" WIDTH="40" HEIGHT="30">
            <String CONTENT="1" WC="0.99"/>
          </TextLine>
        </TextBlock>
      </BottomMargin>
    </Page>
    <Page ID="P2" WIDTH="2000" HEIGHT="3000" PHYSICAL_IMG_NR="2">
      <PrintSpace>
        <TextBlock ID="B4" STYLEREFS="body">
          <TextLine ID="L5" HPOS="200" VPOS="100" WIDTH="1500" HEIGHT="30">
            <String CONTENT="the spring of that year." WC="0.97"/>
          </TextLine>
        </TextBlock>
      </PrintSpace>
    </Page>
  </Layout>
</alto>
"""


HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title></title>
  <meta name='ocr-system' content='tesseract 5.3.0' />
  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word'/>
 </head>
 <body>
  <div class='ocr_page' id='page_1' title='image "scan-01.png"; bbox 0 0 1240 1754; ppageno 0'>
   <div class='ocr_carea' id='block_1_1' title="bbox 100 100 1100 300">
    <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 100 100 1100 140">
     <span class='ocr_header' id='line_1_1' title="bbox 100 100 700 140; baseline 0 -8; x_size 40">
      <span class='ocrx_word' id='word_1_1' title='bbox 100 100 300 140; x_wconf 96'><strong>Minutes</strong></span>
     </span>
    </p>
    <p class='ocr_par' id='par_1_2' lang='eng' title="bbox 100 200 1100 300">
     <span class='ocr_line' id='line_1_2' title="bbox 100 200 1100 240; baseline 0.001 -7; x_size 30">
      <span class='ocrx_word' id='word_1_2' title='bbox 100 200 300 240; x_wconf 91'>The</span>
      <span class='ocrx_word' id='word_1_3' title='bbox 320 200 600 240; x_wconf 45'>council</span>
     </span>
     <span class='ocr_line' id='line_1_3' title="bbox 100 250 900 290; baseline 0 -6; x_size 30">
      <span class='ocrx_word' id='word_1_4' title='bbox 100 250 300 290; x_wconf 88'>met</span>
      <span class='ocrx_word' id='word_1_5' title='bbox 320 250 600 290; x_wconf 90'>today.</span>
     </span>
    </p>
   </div>
  </div>
 </body>
</html>
"""

HOCR_NO_WORDS = """<html><head><meta name='ocr-system' content='tesseract 5.3.0' /></head>
<body><div class='ocr_page' id='page_1' title='bbox 0 0 600 400'></div></body></html>
"""

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
PAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="{PAGE_NS}">
  <Metadata><Creator>test</Creator><Created>2026-01-01T00:00:00</Created>
    <LastChange>2026-01-01T00:00:00</LastChange></Metadata>
  <Page imageFilename="folio-12r.jpg" imageWidth="1500" imageHeight="2200">
    <ReadingOrder>
      <OrderedGroup id="ro1">
        <RegionRefIndexed index="0" regionRef="r_head"/>
        <RegionRefIndexed index="1" regionRef="r_text"/>
        <RegionRefIndexed index="2" regionRef="r_num"/>
      </OrderedGroup>
    </ReadingOrder>
    <TextRegion id="r_num" type="page-number">
      <Coords points="700,2100 760,2100 760,2150 700,2150"/>
      <TextLine id="l_num"><Coords points="700,2100 760,2100 760,2150 700,2150"/>
        <TextEquiv><Unicode>12</Unicode></TextEquiv></TextLine>
    </TextRegion>
    <TextRegion id="r_text" type="paragraph">
      <Coords points="100,300 1400,300 1400,600 100,600"/>
      <TextLine id="l1">
        <Coords points="100,300 1400,300 1400,350 100,350"/>
        <Baseline points="100,340 1400,342"/>
        <Word id="w1"><Coords points="100,300 300,300 300,350 100,350"/>
          <TextEquiv conf="0.93"><Unicode>Item</Unicode></TextEquiv></Word>
        <Word id="w2"><Coords points="320,300 600,300 600,350 320,350"/>
          <TextEquiv conf="0.71"><Unicode>received</Unicode></TextEquiv></Word>
        <TextEquiv index="2"><Unicode>Item recieved</Unicode></TextEquiv>
        <TextEquiv index="1"><Unicode>Item received</Unicode></TextEquiv>
      </TextLine>
      <TextLine id="l2">
        <Coords points="100,360 900,360 900,410 100,410"/>
        <TextEquiv conf="0.88"><Unicode>from the abbot.</Unicode></TextEquiv>
      </TextLine>
    </TextRegion>
    <TextRegion id="r_head" type="heading">
      <Coords points="100,100 1000,100 1000,200 100,200"/>
      <TextLine id="l0"><Coords points="100,100 1000,100 1000,200 100,200"/>
        <TextStyle fontSize="24" bold="true"/>
        <TextEquiv><Unicode>Accounts</Unicode></TextEquiv></TextLine>
    </TextRegion>
  </Page>
</PcGts>
"""


def pdf(pages: list[list[tuple[int, int, int, str]]], font: str = "Helvetica") -> bytes:
    """A PDF with one page per list of (x, y, font size, text) lines, y from the page's foot, all
    in one of the standard fonts."""
    objects: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /%s >>" % font.encode(),
                            b""]
    kids = []
    for lines in pages:
        stream = b"".join(b"BT /F1 %d Tf %d %d Td (%s) Tj ET\n" % (
            size, x, y, text.encode("latin-1")) for x, y, size, text in lines)
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       b"<< /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes]) -> bytes:
    """The PDF file of numbered `objects`, the last the catalogue, with its cross-reference
    table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)
    return bytes(out)


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler needs a user password (the empty one fails)."""
    data = pdf([[(72, 760, 11, "Secret")]])
    encrypt = (b"99 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" +
               b"22" * 32 + b"> /P -4 >>\nendobj\n")
    data = data.replace(b"trailer\n<< ", b"trailer\n<< /Encrypt 99 0 R /ID [<00112233445566778899"
                        b"aabbccddeeff><00112233445566778899aabbccddeeff>] ")
    at = data.index(b"xref")
    return data[:at] + encrypt + data[at:]


BOOK = [[(72, 760, 18, "A Report"), (72, 720, 11, "The first line of a paragraph that"),
         (72, 706, 11, "goes on here."), (72, 660, 11, "Another paragraph.")],
        [(72, 760, 11, "Page two text."), (290, 40, 9, "2")]]


def alto_lines(lines: list[tuple[int, int, str]], tag: str | None = None) -> str:
    """ALTO v4 with one block of (left, top, text) lines 30 high, a page 2000 wide; `tag` labels
    the first line's own block when given (a heading above the block)."""
    ns = "http://www.loc.gov/standards/alto/ns-v4#"
    body = "".join(
        f'<TextLine HPOS="{left}" VPOS="{top}" WIDTH="{1800 - left}" HEIGHT="30">'
        f'<String CONTENT="{text}"/></TextLine>\n' for left, top, text in lines)
    head = ""
    if tag:
        head = (f'<TextBlock ID="H" TAGREFS="t1"><TextLine HPOS="200" VPOS="20" WIDTH="600" '
                f'HEIGHT="40"><String CONTENT="{tag}"/></TextLine></TextBlock>\n')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="{ns}">\n'
            '<Tags><LayoutTag ID="t1" LABEL="heading"/></Tags>\n'
            '<Layout><Page ID="P1" WIDTH="2000" HEIGHT="3000"><PrintSpace>\n'
            f'{head}<TextBlock ID="B">\n{body}</TextBlock>\n'
            '</PrintSpace></Page></Layout>\n</alto>\n')


def scanned_pdf(width: int, height: int, gray: bytes) -> bytes:
    """A one-page PDF whose page is only an image (8-bit grey, `width` × `height` pixels, drawn on
    the whole A4 page): a scanned page with no text layer."""
    import zlib

    image = zlib.compress(gray)
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
    objects = [
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
            width, height, len(image), image),
        b"<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
        b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /XObject << /Im1 1 0 R >> >> /Contents 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Catalog /Pages 4 0 R >>"]
    return _pdf_file(objects)
