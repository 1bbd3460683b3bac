"""Assemble the Word document from blocks: paragraphs, numbering, footers, properties.

The output is deterministic: the same report gives the same bytes (fixed zip dates,
properties taken from the data, nothing from python-docx's template left behind).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import itertools
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from selfeval_cli.errors import BuildError, NumberingError
from selfeval_cli.model.report import Report
from selfeval_cli.render.blocks import (
    AttachmentLabel,
    Block,
    Heading,
    Item,
    Orientation,
    PageBreak,
    Paragraph,
    RightAligned,
    Signature,
    Title,
)
from selfeval_cli.render.numbering import Numberer
from selfeval_cli.render.tables import (
    Cell,
    Merge,
    Metrics,
    PlannedRow,
    Span,
    Table,
    balance_names,
    cell_align,
    em_width,
    fit_widths,
    paginate,
    row_heights,
    spans,
)
from selfeval_cli.word import styles as st
from selfeval_cli.word.titles import break_title

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
_UNUSED_PACKAGE_PARTS = {RT.THUMBNAIL, RT.EXTENDED_PROPERTIES}
# The template's numbering part defines bullet lists on styles the report does not keep.
_UNUSED_DOCUMENT_PARTS = {RT.CUSTOM_XML, RT.WEB_SETTINGS, RT.NUMBERING,
                          "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}


def build_document(report: Report, blocks: list[Block]) -> bytes:
    """The .docx file for ``report`` laid out from ``blocks``, as bytes."""
    doc = docx.Document(io.BytesIO(base_document()))
    _write_blocks(doc, blocks)
    _set_properties(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue())


BASE_DOCX = Path(__file__).with_name("base.docx")
"""The empty, fully styled report, shipped with the package (``make base`` regenerates it)."""


@functools.cache
def base_document() -> bytes:
    """The empty, fully styled report every build starts from (read once per process).

    None of it depends on the data, so it is made ahead of time by ``make_base_document`` and
    shipped; a test keeps the shipped file equal to what that function makes.
    """
    return BASE_DOCX.read_bytes()


def make_base_document() -> bytes:
    """Styles, page setup, settings and fonts applied to python-docx's template, nothing else."""
    doc = docx.Document()
    _drop_template_parts(doc)
    st.apply_styles(doc)
    st.apply_page_setup(doc)
    st.apply_settings(doc)
    st.record_font_fallbacks(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue())


def _drop_template_parts(doc: Document) -> None:
    # A package keeps only parts reachable through relationships: unlinking them drops the
    # thumbnail, the "Microsoft Macintosh Word" app properties and other template leftovers.
    package_rels = doc.part.package.rels
    for rid in [r for r, rel in package_rels.items() if rel.reltype in _UNUSED_PACKAGE_PARTS]:
        del package_rels[rid]
    for rid in [r for r, rel in doc.part.rels.items() if rel.reltype in _UNUSED_DOCUMENT_PARTS]:
        del doc.part.rels[rid]


def _write_blocks(doc: Document, blocks: list[Block]) -> None:
    assembler = _Assembler(doc)
    for index, block in enumerate(blocks):
        assembler.following = blocks[index + 1] if index + 1 < len(blocks) else None
        try:
            assembler.write(block)
        except NumberingError as exc:
            raise BuildError(f"模板生成的标题层级有误：{exc}") from exc
    assembler.footers()


class _Assembler:
    """Writes blocks into one document, numbering headings as it goes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.numberer = Numberer()
        self.landscape = False
        self.pending: bool | None = None
        """An orientation asked for and not yet applied: it takes effect with the next content, so
        that a switch at the very end of a document never leaves an empty page behind."""
        self.started = False
        # Looking a style up by name walks every style each time (python-docx); do it once.
        self.style_ids = {style.name: style.style_id for style in doc.styles}
        self.body_end = doc.element.body.sectPr
        self.following: Block | None = None
        """The block after the one being written (a unit line takes the size of the table it heads)."""
        self.used: tuple[float, float] | None = (0.0, 0.0)
        """How much of the current page is filled (least, most; points), while it is known: at the
        start of a page and after the lines of an attachment's label and title, not after text."""

    def write(self, block: Block) -> None:
        if isinstance(block, Orientation):
            self.pending = block.landscape
            return
        if self.pending is not None:
            self.orient(self.pending)
            self.pending = None
        self.started = True
        used, self.used = self.used, None  # known again only after what is measured below
        if isinstance(block, AttachmentLabel):
            self.numberer = Numberer()  # each attachment numbers its headings from 一、 again
            label = self.paragraph(block.text, st.LABEL)
            if self.landscape:
                # The digits of "附件1" in 黑体 like the word (GB/T 9704: the label is 3号黑体), on the
                # pages of the 自评表. (The portrait report keeps its label as published.)
                fonts = label.runs[0]._r.get_or_add_rPr().find(qn("w:rFonts"))
                fonts.set(qn("w:ascii"), st.HEITI)
                fonts.set(qn("w:hAnsi"), st.HEITI)
                _off_grid(label)
            self.used = _added(used, 2 * st.LINE_PITCH / 20)  # its line and the blank one under it
        elif isinstance(block, Title):
            text = break_title(block.text, self.text_width_twips / 20 / st.TITLE_PT)
            title = self.paragraph(text, st.TITLE)
            if self.landscape:
                _off_grid(title)  # one line of the grid, as Word lays it out, in LibreOffice too
            self.used = _added(used, (text.count("\n") + 2) * st.LINE_PITCH / 20)
        elif isinstance(block, Heading):
            number = self.numberer.next(block.level, block.text)
            paragraph = self.paragraph(number + block.text, st.HEADINGS[block.level])
            if block.body:
                # A run-in heading is a paragraph of text, not a title: it may break across pages, and
                # it stays out of the navigation pane (outline level "body text"), which would otherwise
                # list the whole paragraph. Word, WPS and LibreOffice all honour the paragraph's level.
                paragraph.paragraph_format.keep_with_next = False
                paragraph._p.get_or_add_pPr().insert_element_before(
                    st.element("w:outlineLvl", val="9"), "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
                self.run(paragraph, block.body, st.BODY_CHARS)
        elif isinstance(block, Item):
            self.paragraph(self.numberer.next(block.level, block.text) + block.text, st.BODY)
        elif isinstance(block, Paragraph):
            self.paragraph(block.text, st.BODY)
        elif isinstance(block, RightAligned):
            if isinstance(self.following, Table):  # 单位：万元 over a table: in the table's size
                size = self.following.size_pt or st.TABLE_PT
                paragraph = self.paragraph(block.text, st.TABLE_TEXT, size=size)
                _cell_text_format(paragraph, size, "right", keep_next=True)
                self.used = _added(used, _line_pt(size) + 1.0)
            else:
                paragraph = self.paragraph(block.text, st.BODY)
                paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.paragraph_format.first_line_indent = Pt(0)
        elif isinstance(block, Table):
            self.table(block, used)
        elif isinstance(block, PageBreak):
            self.doc.add_page_break()  # type: ignore[no-untyped-call]
            self.used = (0.0, 0.0)
        elif isinstance(block, Signature):
            self.signature(block)

    def orient(self, landscape: bool) -> None:
        """Go on in a new section of this orientation, from a new page (the first section itself
        when nothing has been written yet). Landscape pages turn the portrait margins with them."""
        if landscape == self.landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE) if self.started else self.doc.sections[-1]
        width, height = (st.PAGE_HEIGHT_MM, st.PAGE_WIDTH_MM) if landscape else (st.PAGE_WIDTH_MM, st.PAGE_HEIGHT_MM)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        margins = st.MARGINS_MM
        if landscape:  # the binding edge (portrait left) becomes the top
            top, right, bottom, left = margins["left"], margins["top"], margins["right"], margins["bottom"]
        else:
            top, right, bottom, left = margins["top"], margins["right"], margins["bottom"], margins["left"]
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
        # The page number stays as far under the text area as on portrait pages (GB/T 9704: about 7 mm).
        section.footer_distance = Mm(st.footer_distance_mm(bottom))
        self.landscape = landscape
        self.used = (0.0, 0.0)

    @property
    def text_height_pt(self) -> float:
        """The height of the text area of the current section, in points."""
        margins = st.MARGINS_MM
        mm = (st.PAGE_WIDTH_MM - margins["left"] - margins["right"] if self.landscape
              else st.PAGE_HEIGHT_MM - margins["top"] - margins["bottom"])
        return mm / 25.4 * 72

    @property
    def text_width_twips(self) -> int:
        """The width of the text area of the current section (landscape pages turn the margins too)."""
        margins = st.MARGINS_MM
        if self.landscape:
            mm = st.PAGE_HEIGHT_MM - margins["top"] - margins["bottom"]
        else:
            mm = st.PAGE_WIDTH_MM - margins["left"] - margins["right"]
        return round(mm / 25.4 * 1440)

    def paragraph(self, text: str, style: str, container: Any = None, size: float | None = None) -> DocxParagraph:
        """A paragraph of ``style`` holding ``text`` (of ``size`` points, else the style's), appended
        to the body (or ``container``)."""
        paragraph = container.add_paragraph() if container is not None else self.body_paragraph()
        if style != st.BODY:  # Normal is the default: no pStyle needed
            # The paragraph is new, without a pPr: build it whole rather than through python-docx's
            # search for where a pStyle goes among its siblings (README, “速度”).
            properties = st.element("w:pPr")
            properties.append(st.element("w:pStyle", val=self.style_ids[style]))
            paragraph._p.insert(0, properties)
        self.run(paragraph, text, size=size)
        return paragraph

    def body_paragraph(self) -> DocxParagraph:
        """A new paragraph at the end of the body, before the body's closing ``w:sectPr``.

        python-docx's ``add_paragraph`` finds that ``w:sectPr`` by scanning the body's children,
        so each paragraph cost as much as the body was long: 32 000 items took 7.5 s, three
        quarters of it in that scan. The closing ``w:sectPr`` stays the same element, so it is
        found once.
        """
        p = st.element("w:p")
        if self.body_end is None:
            self.doc.element.body.append(p)
        else:
            self.body_end.addprevious(p)
        return DocxParagraph(p, self.doc._body)

    def run(self, paragraph: DocxParagraph, text: str, style: str | None = None, size: float | None = None) -> None:
        """A run of ``text``, with the East Asian hint for punctuation shared by both scripts."""
        run = paragraph.add_run()
        if style is not None:
            run._r.style = self.style_ids[style]
        if "\t" in text or "\n" in text:
            run.text = text  # python-docx turns these into w:tab / w:br
        else:
            run._r.add_t(text)
        # Quotation marks, dashes and ellipses are shared by Latin and CJK: take the CJK font.
        # A new run's rPr holds at most its rStyle, which the schema puts before rFonts: appending
        # keeps the order without python-docx's search for a successor.
        properties = run._r.get_or_add_rPr()
        properties.append(st.element("w:rFonts", hint="eastAsia"))
        if size is not None:  # after rFonts, in schema order
            half_points = str(round(size * 2))
            properties.append(st.element("w:sz", val=half_points))
            properties.append(st.element("w:szCs", val=half_points))

    def table(self, block: Table, used: tuple[float, float] | None = None) -> None:
        """A bordered table across the text width: fixed column widths (``w:tblW``, ``w:gridCol``
        and every ``w:tcW`` agree, so Word and WPS lay it out alike), fitted to the content unless
        written; merged cells, header rows repeated on every page, rows that never split.

        A table of a given text size (``@size``, the 自评表) is also laid out row by row: exact line
        heights and cell margins, so that its rows' heights are known; groups kept on one page, and
        where a page breaks a group its name (and the heading of its block) written again. ``used``
        is how much of the page is filled above the table (least, most; points), where known.
        """
        if block.caption:
            self.paragraph(block.caption, st.TABLE_CAPTION)
        sized = block.size_pt is not None
        size = block.size_pt or st.TABLE_PT
        margin = CELL_MARGIN_TWIPS if sized else WORD_CELL_MARGIN_TWIPS
        total = self.text_width_twips
        if block.explicit_widths:
            widths = _shares(total, [column.weight for column in block.columns])
        else:
            widths = fit_widths(block, total, size, margin)
        pad = round(size * CELL_PADDING * 20)
        if sized:
            block = balance_names(block, [(w - 2 * margin) / (size * 20) for w in widths], 2 * margin / (size * 20))
        # A paginated table's 注 is its last row, open at the sides and the bottom: a row keeps with the
        # row above it in Word and LibreOffice alike, where a paragraph after a table does not in LibreOffice
        # (the 注 used to stand alone on a last page). Its height is counted like any row's.
        note = sized and bool(block.below)
        if note:
            block = dataclasses.replace(
                block, rows=[*block.rows, ["\n".join(block.below), *[Merge.LEFT] * (len(widths) - 1)]], below=())
        rows = block.all_rows()
        if sized:
            page = self.text_height_pt
            room = None if used is None else (page - used[1], page - used[0])
            metrics = Metrics(_line_pt(size), 2 * pad / 20 + BORDER_PT, page, room)
            ems = [(w - 2 * margin) / (size * 20) for w in widths]
            plan = paginate(block, row_heights(block, ems, 2 * margin / (size * 20), metrics), metrics)
        else:
            plan = [PlannedRow(i, cells, i < len(block.header), False) for i, cells in enumerate(rows)]
        table = self.doc.add_table(rows=0, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_frame(table, widths, (margin, pad) if sized else None)
        cell_style = self.style_ids[st.TABLE_TEXT]
        if block.below and plan:  # the lines under the table never stand on a page of their own
            plan[-1] = dataclasses.replace(plan[-1], keep_next=True)
        written = [(planned.cells, planned.header) for planned in plan]
        for index, planned in enumerate(plan):
            tr = table._tbl.add_tr()
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(st.element("w:cantSplit"))
            if planned.header:
                tr_pr.append(st.element("w:tblHeader"))  # repeats on every page the table spans
            for span in spans(planned.cells):
                tc = tr.add_tc()
                tc_pr = tc.get_or_add_tcPr()
                tc_pr.append(st.element("w:tcW", w=str(sum(widths[span.start:span.start + span.width])), type="dxa"))
                if span.width > 1:
                    tc_pr.append(st.element("w:gridSpan", val=str(span.width)))
                if note and index == len(plan) - 1:  # the 注 row: only the line above it
                    tc_pr.append(_open_below())
                if span.cell is Merge.UP:
                    tc_pr.append(st.element("w:vMerge"))  # continues the cell above
                elif _starts_vertical_merge(written, index, span):
                    tc_pr.append(st.element("w:vMerge", val="restart"))
                tc_pr.append(st.element("w:vAlign", val="center"))
                paragraph = DocxParagraph(tc.p_lst[0], table)
                if sized:  # a new, empty paragraph: its properties built whole (see _cell_text_format)
                    properties = st.element("w:pPr")
                    properties.append(st.element("w:pStyle", val=cell_style))
                    paragraph._p.insert(0, properties)
                else:
                    paragraph._p.style = cell_style
                marked = block.aligns.get((planned.source, span.start))
                align = marked or ("center" if planned.header else cell_align(block, planned.source, span))
                if sized:
                    _cell_text_format(paragraph, size, align, keep_next=planned.keep_next)
                elif align != "center":  # the style centres; body text and numbers say otherwise
                    paragraph.paragraph_format.alignment = _ALIGNMENTS[align]
                if isinstance(span.cell, str):
                    self.run(paragraph, span.cell, size=size if sized else None)
        for number, line in enumerate(block.below, start=1):
            _cell_text_format(self.paragraph(line, st.TABLE_TEXT, size=size), size, "left",
                              keep_next=number < len(block.below))

    def footers(self) -> None:
        """Page numbers "— N —": odd pages right, even pages left, one character in from the edge."""
        section = self.doc.sections[0]
        one_char = Pt(st.PAGE_NUMBER_PT)
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph._p.style = self.style_ids[st.FOOTER]
            fmt = paragraph.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
            fmt.right_indent, fmt.left_indent = (one_char, Pt(0)) if odd else (Pt(0), one_char)
            self.run(paragraph, "— ")
            _add_page_field(paragraph)
            self.run(paragraph, " —")

    def signature(self, block: Signature) -> None:
        # GB/T 9704-2012 7.3.5.2 (no seal): 署名 right-indented two characters one line below the
        # text; 成文日期 on the next line, starting two characters right of the 署名's first
        # character. A date longer than that keeps a right indent of two characters.
        signature_width, date_width = em_width(block.signature), em_width(block.date)
        signature_indent = 2.0
        date_indent = signature_indent + signature_width - 2 - date_width
        if date_indent < 2:
            date_indent = 2.0
            signature_indent = date_indent + date_width + 2 - signature_width
        # The closing never stands alone on a page, nor splits: the last line of text, the blank
        # line, the 署名 and the 日期 are kept together.
        body = self.doc.element.body
        last = body[-2] if len(body) > 1 and body[-2].tag == qn("w:p") else None
        if last is not None:
            DocxParagraph(last, self.doc._body).paragraph_format.keep_with_next = True
        self.paragraph("", st.CLOSING).paragraph_format.keep_with_next = True
        for text, indent in ((block.signature, signature_indent), (block.date, date_indent)):
            paragraph = self.paragraph(text, st.CLOSING)
            if text == block.signature:
                paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.right_indent = Pt(indent * st.BODY_PT)


def _table_frame(table: DocxTable, widths: list[int], margins: tuple[int, int] | None = None) -> None:
    """Borders, the fixed layout and the column widths, written the same in all three places;
    ``margins`` (left and right, top and bottom; twips) when the cells have their own."""
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = st.element("w:tblW")
        tbl_pr.insert_element_before(tbl_w, "w:jc", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
                                     "w:tblLook")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    borders = st.element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(st.element(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    tbl_pr.insert_element_before(st.element("w:tblLayout", type="fixed"), "w:tblCellMar", "w:tblLook")
    if margins is not None:
        sides, ends = margins
        cell_margins = st.element("w:tblCellMar")
        for side, width in (("top", ends), ("left", sides), ("bottom", ends), ("right", sides)):
            cell_margins.append(st.element(f"w:{side}", w=str(width), type="dxa"))
        tbl_pr.insert_element_before(cell_margins, "w:tblLook")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.set(qn("w:w"), str(width))


CELL_MARGIN_TWIPS = 57
"""Left and right text margin of a sized table's cells (1 mm; Word's default is 1.9 mm)."""
WORD_CELL_MARGIN_TWIPS = 108
"""Word's (and LibreOffice's) default left and right cell margin, for tables without a size."""
CELL_PADDING = 0.3
"""Top and bottom margin of a sized table's cells, in its text size: room to write by hand."""
LINE_SPACING = 1.3
"""A sized table's exact line height, in its text size."""
BORDER_PT = 0.5
"""The width of a table's rule (``w:sz`` 4, in eighths of a point)."""


def _line_pt(size: float) -> float:
    """The exact line height of table text of ``size`` points (whole twips)."""
    return round(size * LINE_SPACING * 20) / 20


def _open_below() -> BaseOxmlElement:
    """``w:tcBorders`` of a cell with no line at its left, right and bottom (the 注 under a form)."""
    borders = st.element("w:tcBorders")
    for side in ("left", "bottom", "right"):
        borders.append(st.element(f"w:{side}", val="nil"))
    return borders


def _cell_text_format(paragraph: DocxParagraph, size: float, align: str, *, keep_next: bool) -> None:
    """A sized table's paragraph: exact lines, aligned, kept with the next row where asked.

    The paragraph is new (its ``w:pPr`` holds at most its ``w:pStyle``): the properties are appended
    in schema order, without python-docx's search for where each goes (README, “速度”)."""
    properties = paragraph._p.get_or_add_pPr()
    if keep_next:
        properties.append(st.element("w:keepNext"))
    properties.append(st.element("w:spacing", line=str(round(_line_pt(size) * 20)), lineRule="exact"))
    properties.append(st.element("w:jc", val=align))


def _off_grid(paragraph: DocxParagraph) -> None:
    """Not snapped to the page's line grid: LibreOffice gives a line of large type two lines of
    the grid where Word keeps one (the lines are exact), and the table under it is measured."""
    paragraph._p.get_or_add_pPr().insert_element_before(
        st.element("w:snapToGrid", val="0"), "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr")


def _added(used: tuple[float, float] | None, height: float) -> tuple[float, float] | None:
    """``used`` grown by a block ``height`` points high (at most a few points more in LibreOffice)."""
    return None if used is None else (used[0] + height, used[1] + height + 4.0)


def _shares(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole twips that add up to ``total`` exactly."""
    whole = sum(weights)
    edges = [round(total * sum(weights[:i]) / whole) for i in range(len(weights) + 1)]
    return [right - left for left, right in itertools.pairwise(edges)]


def _starts_vertical_merge(rows: list[tuple[list[Cell], bool]], index: int, span: Span) -> bool:
    """Whether the cell below ``span`` of row ``index`` (in the same header or body part) continues it."""
    if index + 1 >= len(rows) or rows[index + 1][1] != rows[index][1]:
        return False
    return any(s.start == span.start and s.cell is Merge.UP for s in spans(rows[index + 1][0]))


def _add_page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field (python-docx has no field API): begin, instruction, separate, result, end."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = st.element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            run._r.append(st.element("w:fldChar", fldCharType=kind))


def _set_properties(doc: Document, report: Report) -> None:
    props = doc.core_properties
    when = report.closing.date if report.closing else dt.date(report.year, 12, 31)
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
    props.title = f"{report.department.name}{report.year}年度{report.attachment.title}"
    props.subject = report.attachment.title
    props.author = report.department.name
    props.last_modified_by = report.department.name
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.language = "zh-CN"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
