"""The summary as an Excel workbook (XlsxWriter) or as CSV: what the bureau filters, sorts, prints and sends on.

Three sheets: one row per data file with a total row; every problem with its file and line; every
indicator of every 自评表. Amounts are the 万元 the report prints (two decimals, rounded half up in
``Decimal`` and written as that decimal), rates percentages, the header row frozen, filters on,
widths fitted to the content, and each sheet printed landscape, one page wide, the header on every page.

The total row adds only the rows ``roll_up`` counts (计入合计 “是”: the summary's year, no errors, one
file per department) and, when a filter hides rows, only the rows shown — in Excel and in
LibreOffice, whichever way the sheet is sorted: ``SUMPRODUCT(SUBTOTAL(109, OFFSET(…)), 计入合计="是")``.
The 执行率 and 在职人员控制率 totals are formulas over the same rows. The CSV has no total row: it is
read by other programs, which would take a total for one more department; its 计入合计 column says
which rows to add.

The data files come from departments and are not trusted (issue 21): a department name such as
``=HYPERLINK(...)`` must reach the bureau as the text it is, never as a formula or a link. So every
cell is written by the kind of its column, not guessed from its text: text with ``write_string``,
figures with ``write_number``, and the only formulas are selfeval's own totals, made of cell
references and selfeval's own words. In CSV a text cell that a spreadsheet would read as a formula
gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from selfeval_cli.commands.summary import DepartmentRow, FileSummary, roll_up
from selfeval_cli.problems import Severity
from selfeval_cli.render.tables import em_width
from selfeval_cli.vocabulary import CENT, THREE_PUBLIC

COUNTED = "counted"
"""A total that adds the counted rows shown."""
EVERY = "every"
"""A total that adds every row shown (the counts of errors and warnings)."""
RATIO = "ratio"
"""A total that divides two counted totals (执行率, 在职人员控制率)."""
YES, NO = "是", "否"
"""The 计入合计 column's two values; the totals' formulas test for ``YES``."""


@dataclass(frozen=True)
class SheetColumn:
    """One column of the department sheet: header, the row attribute, its kind, how it is totalled."""

    header: str
    attribute: str
    kind: str = "text"
    """text, int, money (万元), percent (a value in %), score, or flag (是/否)."""
    total: str = ""
    """``COUNTED``, ``EVERY``, ``RATIO`` or "" (no total)."""
    ratio: tuple[str, str] = ("", "")
    """For a ``RATIO`` total: the attributes of the numerator and the denominator."""


DEPARTMENT_COLUMNS = (
    SheetColumn("部门", "name"), SheetColumn("年度", "year", "int"), SheetColumn("计入合计", "counted", "flag"),
    SheetColumn("提纲", "outline"),
    SheetColumn("年初预算数（万元）", "initial", "money", COUNTED),
    SheetColumn("全年预算数（报告，万元）", "adjusted", "money", COUNTED),
    SheetColumn("全年执行数（报告，万元）", "executed", "money", COUNTED),
    SheetColumn("执行率（报告）", "rate", "percent", RATIO, ("executed", "adjusted")),
    SheetColumn("全年预算数（自评表，万元）", "table_budget", "money", COUNTED),
    SheetColumn("全年执行数（自评表，万元）", "table_executed", "money", COUNTED),
    SheetColumn("执行率（自评表）", "table_rate", "percent", RATIO, ("table_executed", "table_budget")),
    SheetColumn("基本支出（万元）", "basic", "money", COUNTED),
    SheetColumn("项目支出（万元）", "project", "money", COUNTED),
    SheetColumn("本年收入（万元）", "income", "money", COUNTED), SheetColumn("收入同比", "income_change", "percent"),
    SheetColumn(f"{THREE_PUBLIC}（万元）", "three_public", "money", COUNTED),
    SheetColumn(f"{THREE_PUBLIC}变动率", "three_public_change", "percent"),
    SheetColumn("编制（人）", "authorized", "int", COUNTED), SheetColumn("在职（人）", "in_post", "int", COUNTED),
    SheetColumn("在职人员控制率", "staffing_rate", "percent", RATIO, ("in_post", "authorized")),
    SheetColumn("自评总分", "total_score", "score"), SheetColumn("等级", "grade"),
    SheetColumn("错误", "errors", "int", EVERY), SheetColumn("警告", "warnings", "int", EVERY),
    SheetColumn("说明", "note"), SheetColumn("数据文件", "file"),
)
PROBLEM_HEADERS = ("数据文件", "行", "列", "级别", "字段", "说明")
PROBLEM_KINDS = ("text", "int", "int", "text", "text", "text")
INDICATOR_HEADERS = ("部门", "数据文件", "一级指标", "二级指标", "三级指标", "指标性质", "计量单位", "年度指标值",
                     "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
# 年度指标值 and 实际完成值 are text ("=100%", "≥95%", "-4.71%"): as the 自评表 shows them, not figures.
INDICATOR_KINDS = ("text",) * 9 + ("score", "score", "text")
# What OWASP's CSV-injection guidance lists as the start of a formula (or of a DDE call) in a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XlsxWriter's write() guesses from a string's text: "=…" or "{=…}" becomes a formula, "http://…" or
# "external:…" a link, "12" a number. Data text is never to be guessed at; these switch the guessing off
# for any write() left over, and every cell below is written with write_string / write_number anyway.
_WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                     "strings_to_urls": False}
_SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTE: "提示"}
A4, A3 = 9, 8
"""Excel's paper sizes: a sheet is printed on A4 landscape when it fits there at ``SMALLEST_SCALE``, else A3."""
_PRINTABLE_PIXELS = {A4: 1046, A3: 1511}
"""The width inside 0.4-inch side margins of each paper, landscape, in pixels at 96 dpi (100 % scale)."""
SMALLEST_SCALE = 0.75
"""Below this scale (about 8 point for the sheet's 11 point text) the sheet goes on A3 instead."""
_MARGIN = 0.4
HEADER_HEIGHT = 30
"""Points: two lines of the 11-point header (set, because LibreOffice does not grow a row for wrapped text)."""


def csv_bytes(summaries: Sequence[FileSummary]) -> bytes:
    """The department sheet as UTF-8 CSV with a BOM (so Excel reads the Chinese headers right), without a total
    row (a program reading the CSV would take it for a department): 计入合计 says which rows to add."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in DEPARTMENT_COLUMNS])
    for row in roll_up(summaries).rows:
        writer.writerow([_csv_cell(getattr(row, c.attribute), c.kind) for c in DEPARTMENT_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: Any, kind: str) -> str:
    """One CSV cell: a text cell that would start a formula gets a leading apostrophe.

    Decided by the column's kind, not by the text: a rate of -8.77% or an amount is selfeval's own
    figure and stays as it is; a name or a file name is the department's text and may be hostile.
    """
    shown = _shown(value, kind)
    if kind == "text" and shown.startswith(_FORMULA_STARTS):
        return "'" + shown  # Excel and LibreOffice show the apostrophe-led cell as text
    return shown


def workbook_bytes(summaries: Sequence[FileSummary]) -> bytes:
    """The three-sheet workbook, as the bytes of an .xlsx file."""
    import xlsxwriter  # only the summary command needs it

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _WORKBOOK_OPTIONS)
    styles = _Styles(book)
    rolled = roll_up(summaries)
    _department_sheet(book.add_worksheet("部门汇总"), styles, rolled.rows, rolled.year)
    problems = [p for s in summaries for p in s.problems]
    _plain_sheet(book.add_worksheet("问题清单"), styles, PROBLEM_HEADERS,
                 [[p.file, p.line or None, p.column or None, _SEVERITY[p.severity], p.path, p.message]
                  for p in problems], PROBLEM_KINDS)
    _plain_sheet(book.add_worksheet("自评指标"), styles, INDICATOR_HEADERS,
                 [[r.department, r.file, r.first, r.second, r.name, r.kind, r.unit, r.target, r.actual, r.weight,
                   r.score, r.reason] for s in summaries for r in s.indicators], INDICATOR_KINDS)
    book.close()
    return buffer.getvalue()


_NUMBER_FORMATS = {"int": "0", "money": "#,##0.00", "percent": "0.00%", "score": "0.00"}


class _Styles:
    """The cell formats: the header, one per column kind, a 否 that stands out, and the bold total row's."""

    def __init__(self, book: Any) -> None:
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        self.header = book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "align": "center"})
        self.kinds = {"text": book.add_format(base), "flag": book.add_format({**base, "align": "center"}),
                      **{kind: book.add_format({**base, "num_format": number})
                         for kind, number in _NUMBER_FORMATS.items()}}
        self.left_out = book.add_format({**base, "align": "center", "bold": True, "font_color": "#C00000"})
        self.total = {kind: book.add_format({**base, "bold": True, "top": 1,
                                             "num_format": _NUMBER_FORMATS.get(kind, "General")})
                      for kind in self.kinds}


def _write_cell(sheet: Any, row: int, column: int, value: Any, kind: str, styles: _Styles) -> None:
    """One cell, written by its column's kind: text as a string, figures as a number, None left empty."""
    if value is None or value == "":  # empty stays a blank cell, as Excel's filter shows it: (空白)
        return
    if kind == "flag":
        sheet.write_string(row, column, YES if value else NO, styles.kinds["flag"] if value else styles.left_out)
    elif kind == "text" or isinstance(value, str):  # a str is never a figure, whatever its column says
        sheet.write_string(row, column, str(value), styles.kinds["text"])
    else:
        sheet.write_number(row, column, _number(value, kind), styles.kinds[kind])


def _number(value: int | Decimal, kind: str) -> int | Decimal:
    """A figure as the number the cell holds: an amount or a score rounded half up to two decimals, a rate as
    the fraction Excel's percentage format shows. Computed in Decimal and written as that decimal
    (XlsxWriter prints it with ``:.16G``): no float arithmetic on the way."""
    if isinstance(value, int) and kind == "int":
        return value
    if kind == "percent":
        return Decimal(value) / 100  # Excel's percentage format multiplies by 100
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _department_sheet(sheet: Any, styles: _Styles, rows: list[DepartmentRow], year: int | None) -> None:
    """One row per data file, then the total row; the 部门 column and the header stay in view."""
    columns = DEPARTMENT_COLUMNS
    _header(sheet, styles, [c.header for c in columns])
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            _write_cell(sheet, r, c, getattr(row, column.attribute), column.kind, styles)
    totals = _total_row(sheet, styles, rows, year) if rows else []
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    sheet.freeze_panes(1, 1)
    widths = _fit(sheet, [c.header for c in columns],
                  [[_measured(getattr(row, c.attribute), c.kind) for c in columns] for row in rows] + totals)
    _print_setup(sheet, widths)


def _letter(attribute: str) -> str:
    """The column letter of the department sheet's column that shows ``attribute``."""
    from xlsxwriter.utility import xl_col_to_name  # like xlsxwriter itself: a CSV summary does not load it

    return str(xl_col_to_name(next(i for i, c in enumerate(DEPARTMENT_COLUMNS) if c.attribute == attribute)))


class _Formulas:
    """The total row's formulas over data rows ``first``..``last`` (1-based, as Excel counts).

    ``SUBTOTAL(109, OFFSET(cell, i, 0))`` is cell i's value when its row is shown and 0 when a filter hides
    it; ``SUMPRODUCT`` adds those of the rows whose 计入合计 is “是”. Unlike a fixed range of counted rows
    it stays right when the sheet is sorted.
    """

    def __init__(self, first: int, last: int) -> None:
        self.first, self.last = first, last
        flag = _letter("counted")
        self.counted = f'--({self.cells(flag)}="{YES}")'

    def cells(self, letter: str) -> str:
        return f"{letter}{self.first}:{letter}{self.last}"

    def shown(self, letter: str, function: int = 109) -> str:
        """Each cell of the column as SUBTOTAL sees it: 0 (or, for 103, not counted) when its row is hidden."""
        top = f"{letter}{self.first}"
        return f"SUBTOTAL({function},OFFSET({top},ROW({self.cells(letter)})-ROW({top}),0))"

    def counted_sum(self, letter: str, *also: str) -> str:
        return f"SUMPRODUCT({','.join([self.shown(letter), self.counted, *also])})"

    def total(self, column: SheetColumn) -> str:
        letter = _letter(column.attribute)
        if column.total == EVERY:
            return f"=SUBTOTAL(109,{self.cells(letter)})"
        if column.total == COUNTED:
            return f"={self.counted_sum(letter)}"
        part, whole = (_letter(attribute) for attribute in column.ratio)
        # Only rows that state both figures: a 全年预算数 without its 执行数 would lower the rate.
        parts = self.counted_sum(part, self.stated(whole))
        wholes = self.counted_sum(whole, self.stated(part))
        return f'=IFERROR({parts}/{wholes},"")'

    def stated(self, letter: str) -> str:
        """1 for a row whose cell in the column holds a figure, 0 for an empty one."""
        return f'--({self.cells(letter)}<>"")'

    def label(self, year: int) -> str:
        """合计 and the number of counted rows shown; the rule that counts them."""
        count = f"SUMPRODUCT({self.shown(_letter('counted'), 103)},{self.counted})"
        return f'="合计：{year} 年度、没有错误的 "&{count}&" 个部门（同一部门只计一份）"'


def _total_row(sheet: Any, styles: _Styles, rows: list[DepartmentRow], year: int | None) -> list[list[str]]:
    """The total row where a total means something: amounts and people of the counted rows, the overall rates,
    the errors and warnings of every row — formulas of selfeval's own, with their values (no filter) cached
    for readers that do not compute — and, under 说明, which rows are counted.

    Returns the figures as they show, for the columns' widths (the label and the rule may run on to the
    empty cells beside them)."""
    columns, at = DEPARTMENT_COLUMNS, len(rows) + 1
    formulas = _Formulas(2, len(rows) + 1)
    counted = [row for row in rows if row.counted]
    note = next(i for i, c in enumerate(columns) if c.attribute == "note")
    if year is None or not counted:
        why = f"{year} 年度的文件都有错误" if year is not None else "没有读出年度的文件"
        sheet.write_string(at, 0, f"合计：没有可以计入合计的文件（{why}）", styles.total["text"])
    else:
        sheet.write_formula(at, 0, formulas.label(year), styles.total["text"],
                            f"合计：{year} 年度、没有错误的 {len(counted)} 个部门（同一部门只计一份）")
        sheet.write_string(at, note, f"合计只加“计入合计”为“{YES}”的行：{year} 年度（文件最多的年度）、没有错误；"
                                     "同一部门有几份时只计保存时间最晚的一份；筛选后只加显示的行", styles.total["text"])
    shown = [""] * len(columns)
    for c, column in enumerate(columns):
        if not column.total:
            continue
        if column.total == RATIO:
            part, whole = column.ratio
            both = [row for row in counted if getattr(row, part) is not None and getattr(row, whole) is not None]
            parts, wholes = (_sum([getattr(row, name) for row in both], "money") for name in (part, whole))
            cached: Any = float(parts / wholes) if wholes else ""
            shown[c] = "100.00%"
        else:
            cached = _sum([getattr(row, column.attribute) for row in (counted if column.total == COUNTED else rows)],
                          column.kind)
            shown[c] = _measured(cached, column.kind)
        sheet.write_formula(at, c, formulas.total(column), styles.total[column.kind], cached)
    return [shown]


def _sum(values: list[Any], kind: str) -> Decimal | int:
    """The sum of the cells as they are written (each amount rounded first), exactly."""
    numbers = [_number(v, kind) for v in values if v is not None]
    return sum(numbers, Decimal(0)) if kind == "money" else sum(numbers, 0)


def _plain_sheet(sheet: Any, styles: _Styles, headers: Sequence[str], rows: list[list[Any]],
                 kinds: Sequence[str]) -> None:
    """A sheet of rows under a header; ``kinds`` gives each column's kind (text, int, score)."""
    _header(sheet, styles, list(headers))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, kinds[c], styles)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, _fit(sheet, list(headers), [[_shown(v, "text") for v in row] for row in rows]))


def _header(sheet: Any, styles: _Styles, headers: list[str]) -> None:
    """The header row: selfeval's own text, written as strings like every other text."""
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, styles.header)


def _shown(value: Any, kind: str) -> str:
    """A value as text: amounts and scores with two decimals (halves up), rates with a % sign, a flag 是 or 否."""
    if kind == "flag":
        return YES if value else NO
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:.2f}%"
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}" if isinstance(value, Decimal) else str(value)


def _measured(value: Any, kind: str) -> str:
    """A value as its cell shows it, to measure: an amount with its thousands separators."""
    if kind == "money" and isinstance(value, Decimal):
        return f"{_number(value, kind):,.2f}"
    return _shown(value, kind)


def _fit(sheet: Any, headers: list[str], rows: list[list[str]], limit: int = 60) -> list[float]:
    """Column widths that fit the longest cell (CJK characters count double), within ``limit``; returns them.
    The header row is two lines high: a header wraps onto a second line where its column is narrower."""
    widths = []
    for c, header in enumerate(headers):
        # Excel counts widths in Latin characters: a CJK one takes two. Headers wrap onto two lines.
        longest = max([em_width(header) + 2, *(2 * em_width(row[c]) for row in rows)])
        widths.append(min(longest + 2, limit))
        sheet.set_column(c, c, widths[-1])
    sheet.set_row(0, HEADER_HEIGHT)
    return widths


def paper_for(widths: Sequence[float]) -> int:
    """A4 when the columns fit its landscape width at ``SMALLEST_SCALE`` or more, else A3.

    A column ``w`` characters wide is ``7w + 5`` pixels (Excel's default font, 96 dpi)."""
    pixels = sum(7 * w + 5 for w in widths)
    return A4 if pixels * SMALLEST_SCALE <= _PRINTABLE_PIXELS[A4] else A3


def _print_setup(sheet: Any, widths: Sequence[float]) -> None:
    """Landscape, every column on one page's width (as many pages down as needed), the header row on every
    page, gridlines printed, and the sheet's name and page number in the footer."""
    sheet.set_landscape()
    sheet.set_paper(paper_for(widths))
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.hide_gridlines(0)
    sheet.set_margins(left=_MARGIN, right=_MARGIN, top=0.6, bottom=0.6)
    sheet.set_footer("&L&A&R第 &P 页，共 &N 页")
