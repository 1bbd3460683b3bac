"""The summary as an Excel workbook (XlsxWriter) or as CSV: what the bureau filters, sorts and sends on.

Three sheets: one row per department with a total row; every problem with its file and line; every
indicator of every 自评表. Amounts are numbers in a two-decimal 万元 format, rates percentages, the
header row frozen, filters on, widths fitted to the content.
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


@dataclass(frozen=True)
class Column:
    """One column of the department sheet: header, the row attribute, its kind, whether it sums."""

    header: str
    attribute: str
    kind: str = "text"
    """text, int, money (万元), percent (a value in %), or score."""
    sums: bool = False


DEPARTMENT_COLUMNS = (
    Column("部门", "name"), Column("年度", "year", "int"), Column("提纲", "outline"),
    Column("年初预算数（万元）", "initial", "money", True), Column("全年预算数（万元）", "adjusted", "money", True),
    Column("全年执行数（万元）", "executed", "money", True), Column("执行率", "rate", "percent"),
    Column("基本支出（万元）", "basic", "money", True), Column("项目支出（万元）", "project", "money", True),
    Column("“三公”经费（万元）", "three_public", "money", True),
    Column("“三公”经费变动率", "three_public_change", "percent"),
    Column("编制（人）", "authorized", "int", True), Column("在职（人）", "in_post", "int", True),
    Column("在职人员控制率", "staffing_rate", "percent"), Column("自评总分", "total_score", "score"),
    Column("等级", "grade"), Column("错误", "errors", "int", True), Column("警告", "warnings", "int", True),
    Column("说明", "note"), Column("数据文件", "file"),
)
PROBLEM_HEADERS = ("数据文件", "行", "列", "级别", "字段", "说明")
INDICATOR_HEADERS = ("部门", "数据文件", "一级指标", "二级指标", "三级指标", "指标性质", "计量单位", "年度指标值",
                     "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
_SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


def csv_bytes(summaries: Sequence[FileSummary]) -> bytes:
    """The department sheet as UTF-8 CSV with a BOM (so Excel reads the Chinese headers right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in DEPARTMENT_COLUMNS])
    for summary in summaries:
        writer.writerow([_shown(getattr(summary.row, c.attribute), c.kind) for c in DEPARTMENT_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook_bytes(summaries: Sequence[FileSummary]) -> bytes:
    """The three-sheet workbook, as the bytes of an .xlsx file."""
    import xlsxwriter  # only the summary command needs it

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    styles = _Styles(book)
    _department_sheet(book.add_worksheet("部门汇总"), styles, [s.row for s in summaries])
    problems = [p for s in summaries for p in s.problems]
    _plain_sheet(book.add_worksheet("问题清单"), styles, PROBLEM_HEADERS,
                 [[p.file, p.line or None, p.column or None, _SEVERITY[p.severity], p.path, p.message]
                  for p in problems])
    _plain_sheet(book.add_worksheet("自评指标"), styles, INDICATOR_HEADERS,
                 [[r.department, r.file, r.first, r.second, r.name, r.kind, r.unit, r.target, r.actual, r.weight,
                   r.score, r.reason] for s in summaries for r in s.indicators],
                 kinds={9: "score", 10: "score"})
    book.close()
    return buffer.getvalue()


class _Styles:
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


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    return value / 100 if kind == "percent" else value  # Excel's percentage format multiplies by 100


def _department_sheet(sheet: Any, styles: _Styles, rows: list[DepartmentRow]) -> None:
    columns = DEPARTMENT_COLUMNS
    _header(sheet, styles, [c.header for c in columns])
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = _cell(getattr(row, column.attribute), column.kind)
            if value is not None:
                sheet.write(r, c, value, styles.kinds[column.kind])
    last = len(rows)
    if rows:  # a total row where a total means something: amounts, people, counts of problems
        total_row = last + 1
        sheet.write(total_row, 0, f"合计（{len(rows)} 个文件）", styles.total["text"])
        for c, column in enumerate(columns):
            if column.sums:
                values = [getattr(row, column.attribute) for row in rows]
                total = sum((v for v in values if v is not None), Decimal(0) if column.kind == "money" else 0)
                letter = _column_letter(c)
                sheet.write_formula(total_row, c, f"=SUM({letter}2:{letter}{last + 1})", styles.total[column.kind],
                                    total)
        both = [row for row in rows if row.adjusted is not None and row.executed is not None]
        adjusted = sum((row.adjusted for row in both if row.adjusted is not None), Decimal(0))
        executed = sum((row.executed for row in both if row.executed is not None), Decimal(0))
        if adjusted:
            rate_column = next(i for i, c in enumerate(columns) if c.attribute == "rate")
            sheet.write(total_row, rate_column, executed / adjusted, styles.total["percent"])
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    sheet.freeze_panes(1, 1)
    _fit(sheet, [c.header for c in columns],
         [[_shown(getattr(row, c.attribute), c.kind) for c in columns] for row in rows])


def _plain_sheet(sheet: Any, styles: _Styles, headers: Sequence[str], rows: list[list[Any]],
                 kinds: dict[int, str] | None = None) -> None:
    _header(sheet, styles, list(headers))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                kind = (kinds or {}).get(c, "int" if isinstance(value, int) else "text")
                sheet.write(r, c, value, styles.kinds[kind])
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.freeze_panes(1, 0)
    _fit(sheet, list(headers), [[_shown(v, "text") for v in row] for row in rows])


def _header(sheet: Any, styles: _Styles, headers: list[str]) -> None:
    for c, header in enumerate(headers):
        sheet.write(0, c, header, styles.header)


def _shown(value: Any, kind: str) -> str:
    """A value as text: amounts and scores with two decimals, rates with a % sign."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:.2f}%"
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _fit(sheet: Any, headers: list[str], rows: list[list[str]], limit: int = 60) -> None:
    """Column widths that fit the longest cell (CJK characters count double), within ``limit``."""
    for c, header in enumerate(headers):
        # Excel counts widths in Latin characters: a CJK one takes two. Headers wrap onto two lines.
        longest = max([em_width(header) + 2, *(2 * em_width(row[c]) for row in rows)])
        sheet.set_column(c, c, min(longest + 2, limit))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
