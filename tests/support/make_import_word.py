"""Make the .docx fixtures of tests/import.rs that imitate what Word and WPS
write, part by part, as raw WordprocessingML (the shapes are those of files
saved by a Chinese Word and by WPS; no library in between that would tidy
them):

- word.docx: a Chinese Word (style ids `a`, `1`, `2`, `3`; English built-in
  names `heading 1`; localized `标题 1 字符` character styles). Headings by
  style; the first two levels numbered by a list linked to the heading
  styles (the level named in numbering.xml, not in the style), the third
  level by style only, one heading by a direct `w:outlineLvl`. A table of
  contents in a content control; a text box as `mc:AlternateContent` (the
  DrawingML choice and its VML fallback, same text twice); fields (a
  hyperlink field, page references, a date); tracked changes; a content
  control with its placeholder; a symbol font check mark; a footer with
  `— PAGE —`; a score table with a title row and merged cells; a one-cell
  frame table round a paragraph.
- wps.docx: WPS (style ids `1` Normal, `2` heading 1, `3` heading 2: an id
  `1` is NOT a heading there). Headings by style, no numbers at all; the
  report title in the heading 1 style; a VML-only text box (`w:pict`); a page
  number typed as a paragraph; a staffing sentence.
- bold.docx: no styles and no numbers: the headings are short bold lines.
- online.docx: what files from the wild showed (see `online()`): Word for
  the web's document2.xml, table rows and cells in content controls,
  check boxes in symbol fonts.
- plain.docx: a notice with no heading at all.

    python3 tests/support/make_import_word.py
"""

import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fixtures/import"

NS = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'mc:Ignorable="w14 wp14"'
)
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

CONTENT_TYPES = XML + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
RELS = XML + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOC_RELS = XML + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://www.example.gov.cn/" TargetMode="External"/>'
    "</Relationships>"
)
SETTINGS = XML + f'<w:settings {NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/></w:settings>'
CORE = XML + (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>示例局</dc:creator><cp:lastModifiedBy>示例局</cp:lastModifiedBy><cp:revision>3</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2023-03-01T08:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)


def app(name):
    return XML + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Template>Normal.dotm</Template><Pages>3</Pages><Application>{name}</Application></Properties>"
    )


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RPR = '<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="32"/></w:rPr>'


def r(text, rpr=RPR):
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<w:r w:rsidRPr="00A1B2C3">{rpr}<w:t{space}>{esc(text)}</w:t></w:r>'


def p(body, ppr=""):
    return f'<w:p w:rsidR="00D41F2A" w:rsidRDefault="00D41F2A"><w:pPr>{ppr}</w:pPr>{body}</w:p>'


def para(text, ppr='<w:ind w:firstLineChars="200" w:firstLine="640"/>'):
    return p(r(text), ppr)


def styled(text, style):
    return p(r(text), f'<w:pStyle w:val="{style}"/>')


def footer_page():
    """`— 1 —`: Word's page number field in the footer."""
    return XML + (
        f'<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="a5"/><w:jc w:val="center"/></w:pPr>'
        + r("— ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE   \\* MERGEFORMAT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("1")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + r(" —")
        + "</w:p></w:ftr>"
    )


HEADER = XML + f'<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val="a6"/></w:pPr>{r("示例县示例局")}</w:p></w:hdr>'

SECT = (
    '<w:sectPr w:rsidR="00D41F2A"><w:headerReference w:type="default" r:id="rId8"/>'
    '<w:footerReference w:type="default" r:id="rId9"/><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1417" w:gutter="0"/>'
    '<w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/></w:sectPr>'
)


def document(body):
    return XML + f'<w:document {NS}><w:body>{body}{SECT}</w:body></w:document>'


def textbox_alternate(text):
    """A text box as Word 2010+ writes it: DrawingML choice, VML fallback."""
    inner = p(r(text))
    return (
        '<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wps">'
        '<w:drawing><wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5274310" cy="400050"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        '<wp:docPr id="1" name="文本框 2"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"><a:spLocks noChangeArrowheads="1"/></wps:cNvSpPr>'
        '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5274310" cy="400050"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        '<v:shape id="文本框 2" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:415.3pt;height:31.5pt">'
        f'<v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent>{inner}</w:txbxContent></v:textbox>'
        '<w10:wrap type="topAndBottom"/></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )


def textbox_vml(text):
    """A text box as WPS (and Word before 2010) writes it: VML only."""
    return (
        '<w:r><w:pict><v:shape id="_x0000_s1027" o:spt="202" type="#_x0000_t202" '
        'style="position:absolute;left:0pt;margin-top:2pt;height:30pt;width:400pt;z-index:251660288;" '
        'fillcolor="#FFFFFF" filled="t" stroked="t" coordsize="21600,21600">'
        f'<v:textbox><w:txbxContent>{p(r(text))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
    )


def cell(text, width, props=""):
    content = p(r(text), '<w:jc w:val="center"/>')
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{props}<w:vAlign w:val="center"/></w:tcPr>{content}</w:tc>'


def table(rows, grid):
    g = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    body = "".join(f"<w:tr>{row}</w:tr>" for row in rows)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="a7"/><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{g}</w:tblGrid>{body}</w:tbl>"
    )


# --- Chinese Word ----------------------------------------------------------

WORD_STYLES = XML + (
    f'<w:styles {NS}>'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/>'
    '<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="22"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    "<w:pPrDefault/></w:docDefaults>"
    '<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376">'
    '<w:lsdException w:name="Normal" w:uiPriority="0" w:qFormat="1"/><w:lsdException w:name="heading 1" w:uiPriority="9" w:qFormat="1"/>'
    '<w:lsdException w:name="heading 2" w:semiHidden="1" w:uiPriority="9" w:unhideWhenUsed="1" w:qFormat="1"/>'
    '<w:lsdException w:name="toc 1" w:semiHidden="1" w:uiPriority="39" w:unhideWhenUsed="1"/>'
    '<w:lsdException w:name="TOC Heading" w:semiHidden="1" w:uiPriority="39" w:unhideWhenUsed="1" w:qFormat="1"/></w:latentStyles>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:link w:val="10"/><w:uiPriority w:val="9"/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:keepLines/><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:line="579" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="200"/><w:outlineLvl w:val="0"/></w:pPr>'
    '<w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体"/><w:kern w:val="44"/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:link w:val="20"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:keepLines/><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr>'
    '<w:rPr><w:rFonts w:ascii="楷体_GB2312" w:eastAsia="楷体_GB2312"/><w:sz w:val="32"/></w:rPr></w:style>'
    # Built-in heading 3: Word leaves the outline level to the name.
    '<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 3"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:link w:val="30"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:keepLines/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:link w:val="a4"/><w:uiPriority w:val="10"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="240" w:after="60"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="footer"/><w:basedOn w:val="a"/><w:link w:val="a8"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4153"/></w:tabs><w:snapToGrid w:val="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="a6"><w:name w:val="header"/><w:basedOn w:val="a"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="paragraph" w:styleId="TOC"><w:name w:val="TOC Heading"/><w:basedOn w:val="1"/><w:next w:val="a"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:widowControl/><w:numPr><w:numId w:val="0"/></w:numPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="11"><w:name w:val="toc 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:autoRedefine/><w:uiPriority w:val="39"/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="paragraph" w:styleId="21"><w:name w:val="toc 2"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:autoRedefine/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:ind w:leftChars="200" w:left="420"/></w:pPr></w:style>'
    '<w:style w:type="character" w:styleId="10"><w:name w:val="标题 1 字符"/><w:basedOn w:val="a0"/><w:link w:val="1"/><w:uiPriority w:val="9"/><w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体"/><w:kern w:val="44"/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="a9"><w:name w:val="Hyperlink"/><w:basedOn w:val="a0"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1" w:themeColor="hyperlink"/><w:u w:val="single"/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="ab"><w:name w:val="Strong"/><w:basedOn w:val="a0"/><w:uiPriority w:val="22"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/></w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="a7"><w:name w:val="Table Grid"/><w:basedOn w:val="a1"/><w:uiPriority w:val="39"/></w:style>'
    "</w:styles>"
)

# One multilevel list linked to the heading styles: the levels name their
# style, the styles name only the list.
WORD_NUMBERING = XML + (
    f'<w:numbering {NS}><w:abstractNum w:abstractNumId="0" w15:restartNumberingAfterBreak="0" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
    '<w:nsid w:val="2A3B4C5D"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="6E7F8A9B"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="1"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="2"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:lvl>'
    + "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%{i + 1}."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{i * 420}" w:hanging="420"/></w:pPr></w:lvl>'
        for i in range(2, 9)
    )
    + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)


def toc():
    """The table of contents Word inserts: a content control, a TOC field,
    a line per heading with a hyperlink and a PAGEREF field."""

    def entry(style, text, page, first=False, last=False):
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            if first
            else ""
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if last else ""
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8296"/></w:tabs><w:rPr><w:noProof/></w:rPr></w:pPr>{begin}'
            f'<w:hyperlink w:anchor="_Toc1290{page}" w:history="1"><w:r><w:rPr><w:rStyle w:val="a9"/><w:noProof/></w:rPr><w:t>{esc(text)}</w:t></w:r>'
            '<w:r><w:rPr><w:noProof/><w:webHidden/></w:rPr><w:tab/></w:r><w:r><w:rPr><w:noProof/><w:webHidden/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:rPr><w:noProof/><w:webHidden/></w:rPr><w:instrText xml:space="preserve"> PAGEREF _Toc1290{page} \\h </w:instrText></w:r>'
            '<w:r><w:rPr><w:noProof/><w:webHidden/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:rPr><w:noProof/><w:webHidden/></w:rPr><w:t>{page}</w:t></w:r><w:r><w:rPr><w:noProof/><w:webHidden/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>{end}</w:p>'
        )

    return (
        '<w:sdt><w:sdtPr><w:id w:val="-1542207542"/><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr>'
        '<w:sdtEndPr><w:rPr><w:b/><w:bCs/><w:lang w:val="zh-CN"/></w:rPr></w:sdtEndPr><w:sdtContent>'
        f'<w:p><w:pPr><w:pStyle w:val="TOC"/></w:pPr>{r("目录")}</w:p>'
        + entry("11", "一、部门基本情况", 1, first=True)
        + entry("21", "（一）部门职责", 1)
        + entry("11", "二、绩效自评情况", 2, last=True)
        + "</w:sdtContent></w:sdt>"
    )


def word():
    body = [
        p(r("示例县示例局2023年度部门整体支出绩效自评报告"), '<w:pStyle w:val="a3"/>'),
        toc(),
        p('<w:r><w:br w:type="page"/></w:r>'),
        styled("部门基本情况", "1"),
        styled("部门职责", "2"),
        # Runs split by edits, a hyperlink, a smart tag, a tab, a field.
        p(
            r("本局是县政府工作部门，")
            + '<w:hyperlink r:id="rId10" w:history="1"><w:r><w:rPr><w:rStyle w:val="a9"/></w:rPr><w:t>负责全县的示例工作</w:t></w:r></w:hyperlink>'
            + '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chsdate"><w:smartTagPr><w:attr w:name="Year" w:val="2023"/></w:smartTagPr>'
            + r("，2023年")
            + "</w:smartTag>"
            + r("完成各项任务")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "http://www.example.gov.cn/" </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + r("（详见门户网站）")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + r("。"),
            '<w:ind w:firstLineChars="200" w:firstLine="640"/>',
        ),
        # Tracked changes: the insertion is kept, the deletion dropped.
        p(
            r("全年共办理")
            + '<w:del w:id="1" w:author="张三" w:date="2023-02-20T10:00:00Z"><w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:delText>旧的数字</w:delText></w:r></w:del>'
            + '<w:ins w:id="2" w:author="张三" w:date="2023-02-20T10:00:00Z">'
            + r("群众来信120件")
            + "</w:ins>"
            + r("，办结率100%。"),
        ),
        # A content control that holds text, and one that shows its placeholder.
        '<w:sdt><w:sdtPr><w:alias w:val="说明"/><w:id w:val="12"/></w:sdtPr><w:sdtContent>'
        + para("内设机构3个：办公室、业务股、财务股。")
        + "</w:sdtContent></w:sdt>",
        '<w:sdt><w:sdtPr><w:id w:val="13"/><w:placeholder><w:docPart w:val="DefaultPlaceholder_-1854013440"/></w:placeholder><w:showingPlcHdr/></w:sdtPr>'
        '<w:sdtContent><w:p><w:r><w:rPr><w:rStyle w:val="a9"/></w:rPr><w:t>单击或点击此处输入文字。</w:t></w:r></w:p></w:sdtContent></w:sdt>',
        styled("人员情况", "2"),
        para("本局核定行政编制8名，事业编制2名；实有在职人员9名，退休人员3名。"),
        # A text box anchored in an empty paragraph.
        p(textbox_alternate("注：人员数据截至2023年12月31日。")),
        styled("绩效自评情况", "1"),
        styled("预算执行（20分）", "2"),
        # Heading 3 by the style's name only, unnumbered.
        styled("资金使用", "3"),
        para("资金使用合规，无违规支出。"),
        # A heading by a direct outline level.
        p(r("资产管理"), '<w:outlineLvl w:val="2"/><w:ind w:firstLineChars="200" w:firstLine="640"/>'),
        # A symbol-font check mark, a no-break hyphen, a soft hyphen.
        p(
            r("资产账实相符")
            + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
            + r("，编号A")
            + "<w:r><w:noBreakHyphen/></w:r>"
            + r("01")
            + "<w:r><w:softHyphen/></w:r>"
            + r("号台账已更新。"),
        ),
        # A page number typed into the body, as copies of PDFs have.
        para("— 2 —", '<w:jc w:val="center"/>'),
        styled("评分情况", "2"),
        para("自评得分见下表。"),
        table(
            [
                cell("2023年度部门整体支出绩效评价指标表", 8296, '<w:gridSpan w:val="4"/>'),
                cell("一级指标", 2074) + cell("二级指标", 2074) + cell("分值", 2074) + cell("得分", 2074),
                cell("预算执行", 2074, '<w:vMerge w:val="restart"/>') + cell("资金使用", 2074) + cell("10", 2074) + cell("10", 2074),
                cell("", 2074, "<w:vMerge/>") + cell("资产管理", 2074) + cell("10", 2074) + cell("9", 2074),
                cell("合计", 4148, '<w:gridSpan w:val="2"/>') + cell("20", 2074) + cell("19", 2074),
            ],
            [2074, 2074, 2074, 2074],
        ),
        # A table nested in a cell; a picture (a chart pasted as an image).
        table(
            [
                cell("项目", 2074) + cell("构成", 6222),
                cell("资金来源", 2074)
                + '<w:tc><w:tcPr><w:tcW w:w="6222" w:type="dxa"/></w:tcPr>'
                + table([cell("财政拨款", 3111) + cell("100%", 3111), cell("其他", 3111) + cell("0%", 3111)], [3111, 3111])
                + "<w:p/></w:tc>",
            ],
            [2074, 6222],
        ),
        p(
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5274310" cy="3076575"/><wp:docPr id="3" name="图片 3"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="3" name="图片 3"/><pic:cNvPicPr/></pic:nvPicPr>'
            '<pic:blipFill><a:blip r:embed="rId11"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5274310" cy="3076575"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
            '<w:jc w:val="center"/>',
        ),
        # A one-cell table drawn as a frame round a paragraph.
        table([cell("存在问题：部分项目支出进度偏慢。", 8296)], [8296]),
        para("示例县示例局", '<w:jc w:val="right"/>'),
        para("2024年3月1日", '<w:jc w:val="right"/>'),
    ]
    return {
        "word/document.xml": document("".join(body)),
        "word/styles.xml": WORD_STYLES,
        "word/numbering.xml": WORD_NUMBERING,
        "docProps/app.xml": app("Microsoft Office Word"),
    }


# --- WPS -------------------------------------------------------------------

WPS_STYLES = XML + (
    f'<w:styles {NS}>'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:cstheme="minorBidi"/>'
    '<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="Normal"/><w:qFormat/><w:uiPriority w:val="0"/>'
    '<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="宋体" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/><w:next w:val="1"/><w:qFormat/><w:uiPriority w:val="0"/>'
    '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="340" w:after="330" w:line="576" w:lineRule="auto"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:kern w:val="44"/><w:sz w:val="44"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 2"/><w:basedOn w:val="1"/><w:next w:val="1"/><w:unhideWhenUsed/><w:qFormat/><w:uiPriority w:val="0"/>'
    '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="260" w:after="260" w:line="413" w:lineRule="auto"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="黑体"/><w:b/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="4"><w:name w:val="Default Paragraph Font"/><w:semiHidden/><w:uiPriority w:val="0"/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="5"><w:name w:val="Normal Table"/><w:semiHidden/><w:uiPriority w:val="0"/>'
    '<w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    # A unit's own heading style, based on heading 2: the level is inherited.
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="6"><w:name w:val="小标题"/><w:basedOn w:val="3"/><w:qFormat/><w:uiPriority w:val="0"/>'
    '<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>'
    "</w:styles>"
)

WPS_NUMBERING = XML + f'<w:numbering {NS}></w:numbering>'


def wps():
    def wpara(text):
        return p(r(text), '<w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLine="640" w:firstLineChars="200"/><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>')

    body = [
        # The title in the heading 1 style, as units do to get it large.
        p(r("示例县示例局"), '<w:pStyle w:val="2"/><w:jc w:val="center"/>'),
        p(r("2023年度部门整体支出绩效自评报告"), '<w:pStyle w:val="2"/><w:jc w:val="center"/>'),
        p(r("部门概况"), '<w:pStyle w:val="3"/>'),
        wpara("本局共有行政编制6名，工勤人员1名。"),
        wpara("本局负责全县示例工作的统筹协调。"),
        # A VML text box in a paragraph with its own text.
        p(r("主要职能如下。") + textbox_vml("（本段摘自三定方案）")),
        p(r("收支情况"), '<w:pStyle w:val="6"/>'),
        wpara("全年收支平衡。"),
        wpara("- 3 -"),
        p(r("存在问题"), '<w:pStyle w:val="3"/>'),
        wpara("预算编制不够细化。"),
    ]
    return {
        "word/document.xml": document("".join(body)),
        "word/styles.xml": WPS_STYLES,
        "word/numbering.xml": WPS_NUMBERING,
        "docProps/app.xml": app("WPS Office_11.1.0.14309_F1E327BC-269C-435d-A152-05C5408002CA"),
    }


# --- bold lines only --------------------------------------------------------


def bold():
    b = '<w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hint="eastAsia"/><w:b/><w:bCs/><w:sz w:val="32"/></w:rPr>'
    body = [
        p(r("示例县示例局2023年度部门整体支出绩效自评报告", b), '<w:jc w:val="center"/>'),
        p(r("部门基本情况", b)),
        para("本局负责全县示例工作。"),
        # Bold inside a sentence is emphasis, not a heading.
        p(r("重点工作：", b) + r("完成年度目标。")),
        p(r("绩效自评结论", b)),
        para("自评等级为优。"),
    ]
    return {
        "word/document.xml": document("".join(body)),
        "word/styles.xml": WPS_STYLES,
        "word/numbering.xml": WPS_NUMBERING,
        "docProps/app.xml": app("Microsoft Office Word"),
    }


# --- What real files showed ------------------------------------------------


def online():
    """Word for the web: the main part is word/document2.xml (named by
    _rels/.rels), its styles styles2.xml (named by its own relationships).
    A table whose rows are in a repeating-section content control and one
    of whose cells is a control showing its placeholder; check boxes as
    forms type them (`R` and `£` in Wingdings 2, ☒ of a check box control,
    a Wingdings private-use character in `w:t`); U+0085 from an old
    converter."""
    w2 = '<w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr>'
    wd = '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>'
    plc = '<w:sdtPr><w:alias w:val="备注"/><w:showingPlcHdr/></w:sdtPr>'
    rows = [
        cell("项目", 3000) + cell("完成情况", 3000),
        '</w:tr><w:sdt><w:sdtPr><w:alias w:val="指标"/></w:sdtPr><w:sdtContent><w:tr>'
        + cell("培训人次", 3000)
        + f"<w:sdt>{plc}<w:sdtContent>{cell('单击或点击此处输入文字。', 3000)}</w:sdtContent></w:sdt>"
        + "</w:tr><w:tr>"
        + cell("覆盖乡镇", 3000)
        + "<w:sdt><w:sdtPr/><w:sdtContent>"
        + cell("12个", 3000)
        + "</w:sdtContent></w:sdt></w:tr></w:sdtContent></w:sdt><w:tr>"
        + cell("合计", 3000)
        + cell("—", 3000),
    ]
    body = [
        p(r("示例县示例局2023年度部门整体支出绩效自评报告"), '<w:jc w:val="center"/>'),
        styled("部门基本情况", "Heading1"),
        para("本局负责全县示例工作。"),
        p(r("自评结论：") + r("R", w2) + r("优 ") + r("£", w2) + r("良 ") + r("\u2612合格 \u2610不合格 ") + r("\uf0fc", wd) + r("达标")),
        para("旧系统转来的文字\u0085"),
        styled("绩效指标完成情况", "Heading1"),
        table(rows, [3000, 3000]),
    ]
    styles = XML + (
        f'<w:styles {NS}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>'
    )
    rels = XML + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml" Id="rId1"/>'
        "</Relationships>"
    )
    doc_rels = XML + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/word/styles2.xml" Id="rId1"/>'
        "</Relationships>"
    )
    types = CONTENT_TYPES.replace("/word/document.xml", "/word/document2.xml").replace("/word/styles.xml", "/word/styles2.xml")
    return {
        "[Content_Types].xml": types,
        "_rels/.rels": rels,
        "word/document2.xml": document("".join(body)),
        "word/_rels/document2.xml.rels": doc_rels,
        "word/styles2.xml": styles,
    }


def plain():
    """No heading at all (no numbers, no heading styles, no bold): a notice
    whose text must not be lost."""
    body = [
        p(r("XXXX人民政府"), '<w:jc w:val="center"/>'),
        p(r("关于做好示例工作的通知"), '<w:jc w:val="center"/>'),
        para("各单位："),
        para("现将有关事项通知如下，请认真贯彻执行。"),
        table([cell("单位", 3000) + cell("人数", 3000), cell("示例局", 3000) + cell("10", 3000)], [3000, 3000]),
        p(r("XXXX人民政府"), '<w:jc w:val="right"/>'),
        p(r("2024年2月19日"), '<w:jc w:val="right"/>'),
    ]
    return {"word/document.xml": document("".join(body)), "word/styles.xml": WPS_STYLES, "word/numbering.xml": WPS_NUMBERING}


def save(name, parts, bare=False):
    common = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "word/_rels/document.xml.rels": DOC_RELS,
        "word/settings.xml": SETTINGS,
        "word/header1.xml": HEADER,
        "word/footer1.xml": footer_page(),
        "docProps/core.xml": CORE,
    }
    if bare:
        common = {}
    common.update(parts)
    order = [n for n in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/document.xml"] if n in common]
    names = order + sorted(n for n in common if n not in order)
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, common[n].encode("utf-8"))


# --- The import corpus (tests/import.rs `corpus`) -----------------------------
# Shapes seen in real reports, not in clean ones: numbering slips, a cover
# and a contents page typed by hand, figures in 元 with 合计, a score table
# and a closing.

BOLD = '<w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hint="eastAsia"/><w:b/><w:bCs/><w:sz w:val="32"/></w:rPr>'
CENTER = '<w:jc w:val="center"/>'
PAGE_BREAK = p('<w:r><w:br w:type="page"/></w:r>')


def corpus_slips():
    """Typed numbers only, level 1 bold; the writer repeated 二、 and
    skipped 三、 later; a （1） before the first （一）; the closing."""
    h = lambda t: p(r(t, BOLD))
    body = [
        p(r("和平县文化广电旅游体育局2022年度部门整体支出绩效自评报告", BOLD), CENTER),
        h("一、部门基本情况"),
        para("（1）主要职能。负责全县文化、广电、旅游和体育工作。"),
        para("（一）部门职责"),
        para("贯彻执行党和国家文化工作的方针政策，拟订全县文化事业发展规划。"),
        para("（二）机构设置"),
        para("内设办公室、文化股、旅游股、体育股4个股室。"),
        h("二、部门整体收支情况"),
        para("（一）收入情况"),
        para("2022年度收入总计1026.48万元，其中财政拨款收入986.48万元，其他收入40.00万元。"),
        para("（二）支出情况"),
        para("2022年度支出总计1018.32万元，其中基本支出712.50万元，项目支出305.82万元。"),
        h("二、绩效自评情况"),
        para("（一）预算编制"),
        para("1.预算编制合理。预算编制符合单位职责。"),
        para("2.目标设置明确。绩效目标与年度任务相符。"),
        para("（二）预算执行"),
        para("1.支出进度。全年支出进度符合要求。"),
        h("四、存在问题"),
        para("部分项目绩效目标不够细化。"),
        h("五、改进措施"),
        para("进一步细化绩效目标，加强跟踪监控。"),
        p(r("和平县文化广电旅游体育局"), '<w:jc w:val="right"/>'),
        p(r("2023年3月15日"), '<w:jc w:val="right"/>'),
    ]
    return {"word/document.xml": document("".join(body)), "word/styles.xml": WPS_STYLES, "word/numbering.xml": WPS_NUMBERING}


def corpus_cover():
    """A cover (unit, year-first title, date in Chinese numerals), a
    contents page typed without page numbers, the title again, then the
    body; figures in 元 with 合计."""
    body = [
        p(r("2022年度", BOLD), CENTER),
        p(r("茂名市发展和改革局", BOLD), CENTER),
        p(r("部门整体支出绩效自评报告", BOLD), CENTER),
        p(r("二〇二三年四月"), CENTER),
        PAGE_BREAK,
        p(r("目  录", BOLD), CENTER),
        para("一、部门概况"),
        para("二、部门整体支出情况"),
        para("三、绩效自评结论"),
        para("四、存在的问题及改进措施"),
        PAGE_BREAK,
        p(r("2022年度茂名市发展和改革局部门整体支出绩效自评报告", BOLD), CENTER),
        styled("一、部门概况", "2"),
        para("本局内设机构9个，下属事业单位1个。"),
        styled("二、部门整体支出情况", "2"),
        styled("（一）收入", "3"),
        para("2022年收入合计3562100.00元，其中财政拨款收入3462100.00元，其他收入100000.00元。"),
        styled("（二）支出", "3"),
        para("2022年支出合计3498765.40元，其中基本支出2998765.40元，项目支出500000.00元。"),
        styled("三、绩效自评结论", "2"),
        para("经自评，本局2022年度部门整体支出绩效自评等级为优。"),
        styled("四、存在的问题及改进措施", "2"),
        para("绩效运行监控有待加强。"),
    ]
    return {"word/document.xml": document("".join(body)), "word/styles.xml": WPS_STYLES, "word/numbering.xml": WPS_NUMBERING}


def corpus_score():
    """Headings typed and styled, a score table as a Word table with merged
    first-level cells, the closing before it, then the table as 附件."""
    def row(*cells):
        return "".join(cells)
    merge_start = '<w:vMerge w:val="restart"/>'
    merge = '<w:vMerge/>'
    score_rows = [
        row(cell("一级指标", 1800), cell("二级指标", 1800), cell("三级指标", 2400), cell("分值", 900), cell("得分", 900)),
        row(cell("部门决策", 1800, merge_start), cell("绩效目标", 1800), cell("绩效目标合理性", 2400), cell("10", 900), cell("9", 900)),
        row(cell("", 1800, merge), cell("预算编制", 1800), cell("预算编制科学性", 2400), cell("15", 900), cell("15", 900)),
        row(cell("部门管理", 1800, merge_start), cell("资金管理", 1800), cell("预算执行率", 2400), cell("20", 900), cell("18.5", 900)),
        row(cell("", 1800, merge), cell("资产管理", 1800), cell("资产管理规范性", 2400), cell("15", 900), cell("15", 900)),
        row(cell("部门绩效", 1800, merge_start), cell("产出", 1800), cell("重点工作完成率", 2400), cell("20", 900), cell("19", 900)),
        row(cell("", 1800, merge), cell("效益", 1800), cell("社会效益", 2400), cell("20", 900), cell("18", 900)),
    ]
    body = [
        p(r("信宜市林业局2021年度部门整体支出绩效自评报告", BOLD), CENTER),
        styled("一、部门基本情况", "2"),
        para("信宜市林业局是市政府工作部门，下设林业站等二级机构。"),
        styled("二、收支情况", "2"),
        para("2021年度本部门收入2156.78万元，上年为1988.20万元，增长8.48%。"),
        para("2021年度本部门支出2101.36万元，比上年增加95.16万元。"),
        styled("三、自评结果", "2"),
        para("自评得分94.5分，等级为优。"),
        p(r("信宜市林业局"), '<w:jc w:val="right"/>'),
        p(r("2022年4月28日"), '<w:jc w:val="right"/>'),
        para("附件：信宜市林业局2021年度部门整体支出绩效自评表"),
        table(score_rows, [1800, 1800, 2400, 900, 900]),
    ]
    return {"word/document.xml": document("".join(body)), "word/styles.xml": WPS_STYLES, "word/numbering.xml": WPS_NUMBERING}


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    save("word.docx", word())
    save("wps.docx", wps())
    save("bold.docx", bold())
    save("online.docx", online(), bare=True)
    save("plain.docx", plain())
    save("corpus-slips.docx", corpus_slips())
    save("corpus-cover.docx", corpus_cover())
    save("corpus-score.docx", corpus_score())
