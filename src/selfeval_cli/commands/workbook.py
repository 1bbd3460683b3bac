"""The summary as an Excel workbook (XlsxWriter) or as CSV: what the bureau filters, sorts and sends on.

Three sheets: one row per department with a total row; every problem with its file and line; every
indicator of every 自评表. Amounts are numbers in a two-decimal 万元 format, rates percentages, the
header row frozen, filters on, widths fitted to the content.

The data files come from departments and are not trusted (issue 21): a department name such as
``=HYPERLINK(...)`` must reach the bureau as the text it is, never as a formula or a link. So every
cell is written by the kind of its column, not guessed from its text: text with ``write_string``,
figures with ``write_number``, and the only formulas are selfeval's own ``=SUM`` totals. In CSV a
text cell that a spreadsheet would read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from selfeval_cli.commands.summary import DepartmentRow, FileSummary
from selfeval_cli.problems import Severity
from selfeval_cli.render.tables import em_width
from selfeval_cli.vocabulary import THREE_PUBLIC


@dataclass(frozen=True)
class SheetColumn:
    """One column of the department sheet: header, the row attribute, its kind, whether it sums."""

    header: str
    attribute: str
    kind: str = "text"
    """text, int, money (万元), percent (a value in %), or score."""
    sums: bool = False


DEPARTMENT_COLUMNS = (
    SheetColumn("部门", "name"), SheetColumn("年度", "year", "int"), SheetColumn("提纲", "outline"),
    SheetColumn("年初预算数（万元）", "initial", "money", True),
    SheetColumn("全年预算数（万元）", "adjusted", "money", True),
    SheetColumn("全年执行数（万元）", "executed", "money", True), SheetColumn("执行率", "rate", "percent"),
    SheetColumn("基本支出（万元）", "basic", "money", True), SheetColumn("项目支出（万元）", "project", "money", True),
    SheetColumn("本年收入（万元）", "income", "money", True), SheetColumn("收入同比", "income_change", "percent"),
    SheetColumn(f"{THREE_PUBLIC}（万元）", "three_public", "money", True),
    SheetColumn(f"{THREE_PUBLIC}变动率", "three_public_change", "percent"),
    SheetColumn("编制（人）", "authorized", "int", True), SheetColumn("在职（人）", "in_post", "int", True),
    SheetColumn("在职人员控制率", "staffing_rate", "percent"), SheetColumn("自评总分", "total_score", "score"),
    SheetColumn("等级", "grade"), SheetColumn("错误", "errors", "int", True),
    SheetColumn("警告", "warnings", "int", True), SheetColumn("说明", "note"), SheetColumn("数据文件", "file"),
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


def csv_bytes(summaries: Sequence[FileSummary]) -> bytes:
    """The department sheet as UTF-8 CSV with a BOM (so Excel reads the Chinese headers right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in DEPARTMENT_COLUMNS])
    for summary in summaries:
        writer.writerow([_csv_cell(getattr(summary.row, c.attribute), c.kind) for c in DEPARTMENT_COLUMNS])
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
    _department_sheet(book.add_worksheet("部门汇总"), styles, [s.row for s in summaries])
    problems = [p for s in summaries for p in s.problems]
    _plain_sheet(book.add_worksheet("问题清单"), styles, PROBLEM_HEADERS,
                 [[p.file, p.line or None, p.column or None, _SEVERITY[p.severity], p.path, p.message]
                  for p in problems], PROBLEM_KINDS)
    _plain_sheet(book.add_worksheet("自评指标"), styles, INDICATOR_HEADERS,
                 [[r.department, r.file, r.first, r.second, r.name, r.kind, r.unit, r.target, r.actual, r.weight,
                   r.score, r.reason] for s in summaries for r in s.indicators], INDICATOR_KINDS)
    book.close()
    return buffer.getvalue()


class _Styles:
    """The cell formats: the header, one per column kind, and the bold total row's."""

    def __init__(self, book: Any) -> None:
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        self.header = book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "align": "center"})
        self.kinds = {
            "text": book.add_format(base), "int": book.add_format({**base, "num_format": "0"}),
            "money": book.add_format({**base, "num_format": "#,##0.00"}),
            "percent": book.add_format({**base, "num_format": "0.00%"}),
            "score": book.add_format({**base, "num_format": "0.00"}),
        }
        self.total = {kind: book.add_format({**base, "bold": True, "top": 1,
                                             "num_format": {"money": "#,##0.00", "percent": "0.00%", "int": "0",
                                                            "score": "0.00"}.get(kind, "General")})
                      for kind in self.kinds}


def _write_cell(sheet: Any, row: int, column: int, value: Any, kind: str, styles: _Styles) -> None:
    """One cell, written by its column's kind: text as a string, figures as a number, None left empty."""
    if value is None or value == "":  # empty stays a blank cell, as Excel's filter shows it: (空白)
        return
    if kind == "text" or isinstance(value, str):  # a str is never a figure, whatever its column says
        sheet.write_string(row, column, str(value), styles.kinds["text"])
    else:
        sheet.write_number(row, column, _number(value, kind), styles.kinds[kind])


def _number(value: int | Decimal, kind: str) -> int | float:
    """A figure as the number Excel stores: computed in Decimal, converted to float only here at the end."""
    if kind == "percent":
        value = Decimal(value) / 100  # Excel's percentage format multiplies by 100
    # XlsxWriter writes a float with 16 significant digits, so a two-decimal 795.63 is stored as 795.63.
    return value if isinstance(value, int) else float(value)


def _department_sheet(sheet: Any, styles: _Styles, rows: list[DepartmentRow]) -> None:
    """One row per data file, then the total row; the 部门 column and the header stay in view."""
    columns = DEPARTMENT_COLUMNS
    _header(sheet, styles, [c.header for c in columns])
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            _write_cell(sheet, r, c, getattr(row, column.attribute), column.kind, styles)
    last = len(rows)
    if rows:
        _total_row(sheet, styles, rows)
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    sheet.freeze_panes(1, 1)
    _fit(sheet, [c.header for c in columns],
         [[_shown(getattr(row, c.attribute), c.kind) for c in columns] for row in rows])


def _total_row(sheet: Any, styles: _Styles, rows: list[DepartmentRow]) -> None:
    """A total row where a total means something: amounts, people, counts of problems; and the overall rate.

    The sums are selfeval's own formulas (the only formulas in the workbook), with their values cached
    for readers that do not compute.
    """
    from xlsxwriter.utility import xl_col_to_name  # like xlsxwriter itself: a CSV summary does not load it

    columns, total_row = DEPARTMENT_COLUMNS, len(rows) + 1
    sheet.write_string(total_row, 0, f"合计（{len(rows)} 个文件）", styles.total["text"])
    for c, column in enumerate(columns):
        if column.sums:
            values = [getattr(row, column.attribute) for row in rows]
            total = sum((v for v in values if v is not None), Decimal(0) if column.kind == "money" else 0)
            letter = xl_col_to_name(c)
            sheet.write_formula(total_row, c, f"=SUM({letter}2:{letter}{len(rows) + 1})", styles.total[column.kind],
                                _number(total, column.kind))
    both = [row for row in rows if row.adjusted is not None and row.executed is not None]
    adjusted = sum((row.adjusted for row in both if row.adjusted is not None), Decimal(0))
    executed = sum((row.executed for row in both if row.executed is not None), Decimal(0))
    if adjusted:
        rate_column = next(i for i, c in enumerate(columns) if c.attribute == "rate")
        sheet.write_number(total_row, rate_column, float(executed / adjusted), styles.total["percent"])


def _plain_sheet(sheet: Any, styles: _Styles, headers: Sequence[str], rows: list[list[Any]],
                 kinds: Sequence[str]) -> None:
    """A sheet of rows under a header; ``kinds`` gives each column's kind (text, int, score)."""
    _header(sheet, styles, list(headers))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, kinds[c], styles)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.freeze_panes(1, 0)
    _fit(sheet, list(headers), [[_shown(v, "text") for v in row] for row in rows])


def _header(sheet: Any, styles: _Styles, headers: list[str]) -> None:
    """The header row: selfeval's own text, written as strings like every other text."""
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, styles.header)


def _shown(value: Any, kind: str) -> str:
    """A value as text: amounts and scores with two decimals, rates with a % sign."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:.2f}%"
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _fit(sheet: Any, headers: list[str], rows: list[list[str]], limit: int = 60) -> None:
    """SheetColumn widths that fit the longest cell (CJK characters count double), within ``limit``."""
    for c, header in enumerate(headers):
        # Excel counts widths in Latin characters: a CJK one takes two. Headers wrap onto two lines.
        longest = max([em_width(header) + 2, *(2 * em_width(row[c]) for row in rows)])
        sheet.set_column(c, c, min(longest + 2, limit))
