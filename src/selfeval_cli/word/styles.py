"""Page setup, styles and fonts of the report, to GB/T 9704-2012.

Everything a style needs is written explicitly — fonts through ``w:rFonts`` including
``w:eastAsia`` (python-docx's ``font.name`` sets only the Latin font), sizes, spacing,
indents, outline levels — after clearing what the built-in styles carry (theme fonts,
colours, bold, italic, borders), so nothing from python-docx's template leaks into the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm

# GB/T 9704-2012 §5.2: A4, 版心 156 × 225 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_DISTANCE_MM = 21  # puts the page number's top about 7 mm below the 版心
HEADER_DISTANCE_MM = 15
LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in 225 mm
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 12  # 小四
CHAR_SPACING = -5  # twentieths of a point: −0.25 pt makes 28 characters fit 156 mm
LATIN = "Times New Roman"

FANGSONG, KAITI, HEITI, SONGTI, XIAOBIAOSONG = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"

FALLBACKS = {
    FANGSONG: ("仿宋", "FangSong"),
    KAITI: ("楷体", "KaiTi"),
    HEITI: ("SimHei",),
    SONGTI: ("SimSun",),
    XIAOBIAOSONG: ("宋体", "SimSun"),
}
"""Names a reader's machine may have instead, recorded in the font table as ``w:altName``."""

# Style names used by the writer.
BODY, TITLE, LABEL, CLOSING, TABLE_TEXT, TABLE_CAPTION, FOOTER = (
    "Normal", "Title", "附件标签", "落款", "表格文字", "表格标题", "Footer")
BODY_CHARS = "正文字符"
# Word shows a style's name; its id is for references in the XML, where ASCII is safest.
CUSTOM_IDS = {LABEL: "AttachmentLabel", CLOSING: "Closing", TABLE_TEXT: "TableText",
              TABLE_CAPTION: "TableCaption", BODY_CHARS: "RunInText"}
HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4"}


def footer_distance_mm(bottom_margin_mm: float) -> float:
    """The footer distance that puts the page number as far under the text area as on a portrait
    page, above a bottom margin of ``bottom_margin_mm`` (a landscape page's is the portrait right margin)."""
    return bottom_margin_mm - (MARGINS_MM["bottom"] - FOOTER_DISTANCE_MM)


@dataclass(frozen=True)
class StyleSpec:
    """What one paragraph style looks like."""

    east_asian: str
    size_pt: float
    align: str = "both"  # w:jc value
    first_line_chars: int = 2
    outline_level: int | None = None
    keep_next: bool = False
    latin: str = LATIN
    exact_line: bool = True
    snap_to_grid: bool = True
    char_spacing: int = CHAR_SPACING
    space_after: int = 0


SPECS: dict[str, StyleSpec] = {
    BODY: StyleSpec(FANGSONG, BODY_PT),
    TITLE: StyleSpec(XIAOBIAOSONG, TITLE_PT, align="center", first_line_chars=0, keep_next=True,
                     char_spacing=0, space_after=LINE_PITCH),
    # GB/T 9704-2012: 附件 label on the first line, the attachment's title on the third.
    LABEL: StyleSpec(HEITI, BODY_PT, align="left", first_line_chars=0, keep_next=True, space_after=LINE_PITCH),
    HEADINGS[1]: StyleSpec(HEITI, BODY_PT, outline_level=0, keep_next=True),
    HEADINGS[2]: StyleSpec(KAITI, BODY_PT, outline_level=1, keep_next=True),
    HEADINGS[3]: StyleSpec(FANGSONG, BODY_PT, outline_level=2, keep_next=True),
    HEADINGS[4]: StyleSpec(FANGSONG, BODY_PT, outline_level=3, keep_next=True),
    CLOSING: StyleSpec(FANGSONG, BODY_PT, align="right", first_line_chars=0),
    TABLE_CAPTION: StyleSpec(HEITI, BODY_PT, align="center", first_line_chars=0, keep_next=True),
    TABLE_TEXT: StyleSpec(FANGSONG, TABLE_PT, align="center", first_line_chars=0, exact_line=False,
                          snap_to_grid=False, char_spacing=0),
    FOOTER: StyleSpec(SONGTI, PAGE_NUMBER_PT, align="right", first_line_chars=0, latin=SONGTI,
                      exact_line=False, snap_to_grid=False, char_spacing=0),
}


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new ``w:`` element with ``w:`` attributes: ``element("w:jc", val="center")``."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(f"w:{name}"), value)
    return node


def fonts_element(east_asian: str, latin: str = LATIN, hint: bool = False) -> BaseOxmlElement:
    """``w:rFonts`` naming every script's font explicitly (no theme fonts)."""
    attrs = {"ascii": latin, "hAnsi": latin, "eastAsia": east_asian, "cs": latin}
    if hint:
        attrs["hint"] = "eastAsia"  # “ ” — … take the East Asian font
    return element("w:rFonts", **attrs)


def run_properties(spec: StyleSpec) -> BaseOxmlElement:
    """``w:rPr`` for a style, children in schema order."""
    rpr = element("w:rPr")
    rpr.append(fonts_element(spec.east_asian, spec.latin))
    for tag in ("w:b", "w:bCs", "w:i", "w:iCs"):
        rpr.append(element(tag, val="0"))
    rpr.append(element("w:color", val="000000"))
    if spec.char_spacing:
        rpr.append(element("w:spacing", val=str(spec.char_spacing)))
    half_points = str(round(spec.size_pt * 2))
    rpr.append(element("w:sz", val=half_points))
    rpr.append(element("w:szCs", val=half_points))
    rpr.append(element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    return rpr


def paragraph_properties(spec: StyleSpec) -> BaseOxmlElement:
    """``w:pPr`` for a style, children in schema order."""
    ppr = element("w:pPr")
    ppr.append(element("w:keepNext", val="1" if spec.keep_next else "0"))
    # Widow control moves single lines and breaks the 22-line grid; official documents keep it off.
    ppr.append(element("w:widowControl", val="0"))
    if not spec.snap_to_grid:
        ppr.append(element("w:snapToGrid", val="0"))
    line = {"line": str(LINE_PITCH), "lineRule": "exact"} if spec.exact_line else {"line": "240", "lineRule": "auto"}
    ppr.append(element("w:spacing", before="0", after=str(spec.space_after), **line))
    twips = spec.first_line_chars * BODY_PT * 20
    # Both forms: Word reads firstLineChars, LibreOffice only firstLine.
    ppr.append(element("w:ind", left="0", right="0", firstLineChars=str(spec.first_line_chars * 100),
                       firstLine=str(twips)))
    ppr.append(element("w:jc", val=spec.align))
    if spec.outline_level is not None:
        ppr.append(element("w:outlineLvl", val=str(spec.outline_level)))
    return ppr


def _replace_formatting(style_element: BaseOxmlElement, *new: BaseOxmlElement) -> None:
    for tag in ("w:pPr", "w:rPr"):
        for old in style_element.findall(qn(tag)):
            style_element.remove(old)
    for child in new:
        style_element.append(child)


def apply_styles(doc: Document) -> None:
    """Define every style the report uses, and the document defaults under them."""
    styles = doc.styles
    for name in (LABEL, CLOSING, TABLE_TEXT, TABLE_CAPTION):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = CUSTOM_IDS[name]
        style.base_style = styles[BODY]
    for name, spec in SPECS.items():
        _replace_formatting(styles[name].element, paragraph_properties(spec), run_properties(spec))
    chars = styles.add_style(BODY_CHARS, WD_STYLE_TYPE.CHARACTER)
    chars.style_id = CUSTOM_IDS[BODY_CHARS]
    rpr = element("w:rPr")
    rpr.append(fonts_element(FANGSONG))
    chars.element.append(rpr)
    _set_doc_defaults(doc)
    prune_styles(doc)
    _strip_theme_fonts(doc)


_ALWAYS_KEPT = {"DefaultParagraphFont", "TableNormal", "NoList"}


def prune_styles(doc: Document) -> None:
    """Keep only the styles the report uses (and Word's three defaults), and no latent styles.

    python-docx's template defines ~160 styles and ~270 latent ones; besides the bytes, every
    style looked up by name walks them all, which dominated the time of a build.
    """
    used = {doc.styles[name].style_id for name in (*SPECS, BODY_CHARS)} | _ALWAYS_KEPT
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in used:
            root.remove(style)
        else:
            for link in style.findall(qn("w:link")):  # the linked "… Char" styles are gone
                style.remove(link)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)


def _set_doc_defaults(doc: Document) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:  # pragma: no cover - python-docx's template always has them
        defaults = element("w:docDefaults")
        doc.styles.element.insert(0, defaults)
    for child in list(defaults):
        defaults.remove(child)
    rpr_default, ppr_default = element("w:rPrDefault"), element("w:pPrDefault")
    rpr_default.append(run_properties(StyleSpec(FANGSONG, BODY_PT, char_spacing=0)))
    ppr = element("w:pPr")
    ppr.append(element("w:spacing", before="0", after="0", line=str(LINE_PITCH), lineRule="exact"))
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)


def _strip_theme_fonts(doc: Document) -> None:
    # Other built-in styles (linked "… Char" styles and the like) still name theme fonts, which
    # resolve through the template's ja-JP theme language; name no theme anywhere.
    theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in theme_attrs:
            if attr in fonts.attrib:
                del fonts.attrib[attr]


def apply_page_setup(doc: Document) -> None:
    """A4, GB/T margins, footer distance and the 22-line grid, on every section."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance, section.footer_distance = Mm(HEADER_DISTANCE_MM), Mm(FOOTER_DISTANCE_MM)
        section.gutter = Mm(0)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = element("w:docGrid")
            sect_pr.append(grid)
        grid.attrib.clear()
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))


def record_font_fallbacks(doc: Document) -> None:
    """List the report's fonts in the font table, each with the names to use where it is missing."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    part = doc.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = etree.fromstring(part.blob)
    present = {node.get(qn("w:name")) for node in table.findall(qn("w:font"))}
    for name, alternatives in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): ",".join(alternatives)})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if name != HEITI else "swiss"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    # The font table is a plain (non-XML) part in python-docx; its bytes are all there is to set.
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def apply_settings(doc: Document) -> None:
    """Odd/even footers on, and Chinese as the East Asian theme language (not ja-JP)."""
    doc.settings.odd_and_even_pages_header_footer = True
    settings = doc.settings.element
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    for template in settings.findall(qn("w:attachedTemplate")):
        settings.remove(template)
    # Word 2013 and later open a document in 兼容模式 below mode 15 and offer to convert it.
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
