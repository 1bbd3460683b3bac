"""Workbooks (.xlsx, and .xls through LibreOffice) read as grids of the texts their cells show.

A budget-performance system exports the 自评表 as a workbook, often .xlsx, sometimes the older
.xls. Each sheet becomes a ``tables.Grid`` named by the sheet, its cells named as Excel names
them ("Sheet1!G12"). A merged range is filled with the text of its top-left cell, and its other
cells are marked as merged, as Word's merged cells are.

A cell's text is what Excel shows, never a float: openpyxl gives numbers as ``float``, and 0.1 + 0.2
is not 0.3. A number is turned into a ``Decimal`` through ``Decimal(str(value))`` (Python's shortest
repr, the digits Excel itself shows for a General cell), then rounded half up to the decimals of
the cell's number format ("0.00" → two), a percent format showing it times 100 with "%" ("97.37%").
A formula shows the value Excel saved with it (a workbook never opened in Excel has none: the cell
reads empty, and the importer's review list says what is missing).

A workbook comes from outside: an .xlsx is checked by ``importing.office`` (sizes, ratios, DTDs)
before openpyxl opens it, and at most ``MAX_ROWS`` × ``MAX_COLUMNS`` cells of a sheet are read. An
.xls is converted by LibreOffice in a folder of its own, as ``importing.convert`` converts a .doc,
and the .xlsx it writes is checked the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import warnings
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from selfeval_cli.errors import InputFileError
from selfeval_cli.importing.convert import to_xlsx
from selfeval_cli.importing.office import OfficeKind, check_office_zip, unreadable
from selfeval_cli.importing.reader import MergedCells, mark_merged
from selfeval_cli.importing.tables import Grid

EXCEL = OfficeKind("Excel（.xlsx）", "xl/workbook.xml", "请在 Excel（WPS）中另存为 .xlsx")

SPREADSHEETS = (".xlsx", ".xlsm", ".xls")
"""The workbooks import reads as tables."""

MAX_ROWS = 2000
"""Rows read of one sheet: a 自评表 has 30 to 80; an export of many tables a few hundred."""

MAX_COLUMNS = 60
"""Columns read of one sheet: a 自评表 has 8 to 14."""

MAX_SHEETS = 50
"""Sheets read of one workbook."""



def read_workbook(path: Path) -> list[Grid]:
    """The sheets of the workbook at ``path`` as grids. Raises InputFileError when it cannot be read."""
    if not path.is_file():
        raise InputFileError(str(path), "文件不存在")
    if path.suffix.lower() == ".xls":
        return _read_converted(path)
    return _read_xlsx(path, path)


def _read_xlsx(path: Path, shown: Path) -> list[Grid]:
    """Check ``path`` as an Office archive, open it with openpyxl, read its sheets; errors name ``shown``."""
    import zipfile

    import openpyxl
    from lxml import etree

    check_office_zip(path, EXCEL)
    try:
        with warnings.catch_warnings():  # openpyxl warns of features it drops (data validation, styles)
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, data_only=True)
        try:
            return [_sheet_grid(sheet) for sheet in book.worksheets[:MAX_SHEETS]]
        finally:
            book.close()
    except InputFileError:
        raise
    except (etree.LxmlError, SyntaxError) as exc:  # openpyxl parses with lxml or ElementTree
        raise unreadable(shown, EXCEL, f"其中的 XML 不完整或有误（{exc}）") from exc
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, zipfile.BadZipFile, OSError) as exc:
        # What openpyxl raises for a part or a value missing or out of place.
        raise unreadable(shown, EXCEL, f"内容不符合 Excel 文件的格式（{type(exc).__name__}: {exc}）") from exc


def _sheet_grid(sheet: Any) -> Grid:
    """One sheet as a grid: the texts its cells show, merged ranges filled from their top-left cell."""
    rows_count = min(sheet.max_row or 0, MAX_ROWS)
    columns_count = min(sheet.max_column or 0, MAX_COLUMNS)
    rows = [["" for _ in range(columns_count)] for _ in range(rows_count)]
    for row in sheet.iter_rows(min_row=1, max_row=rows_count, max_col=columns_count):
        for cell in row:
            if cell.value is not None and hasattr(cell, "column"):
                rows[cell.row - 1][cell.column - 1] = shown_text(cell.value, cell.number_format)
    merged: MergedCells = {}
    for span in sorted(sheet.merged_cells.ranges, key=lambda s: (s.min_row, s.min_col)):
        top, left = span.min_row - 1, span.min_col - 1
        if top >= rows_count or left >= columns_count:
            continue
        text, right = rows[top][left], min(span.max_col, columns_count)
        for r in range(top, min(span.max_row, rows_count)):
            for c in range(left, right):
                rows[r][c] = text
            mark_merged(merged, r, left + 1 if r == top else left, right)
    return Grid(rows, sheet.title, merged, sheet=True)


_DECIMALS = re.compile(r"\.([0#?]+)")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def number_format_digits(number_format: str) -> tuple[int | None, bool]:
    """The decimals a number format shows (None for General) and whether it is a percent format.

    Only the format's first section counts (positive numbers); quoted text, escaped characters,
    colours and padding are left out: "#,##0.00_ " → (2, False), "0.0%" → (1, True), "0" → (0, False).
    """
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    if section.strip().lower() in ("general", "@", ""):
        return None, False
    decimals = _DECIMALS.search(section)
    has_digits = any(ch in section for ch in "0#?")
    return (len(decimals[1]) if decimals else 0) if has_digits else None, "%" in section


def shown_text(value: Any, number_format: str = "General") -> str:
    """A cell's value as Excel shows it under ``number_format`` (see the module docstring)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - str() of a float is always a number or inf/nan
            return str(value)
        if not amount.is_finite():
            return ""
        decimals, percent = number_format_digits(number_format)
        if percent:
            amount *= 100
        if decimals is not None:
            amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{amount:f}"
        return text + "%" if percent else text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_converted(path: Path) -> list[Grid]:
    """An .xls converted to .xlsx by LibreOffice, read as one; errors name ``path``."""
    with tempfile.TemporaryDirectory(prefix="selfeval-import-") as folder:
        converted = to_xlsx(path, Path(folder))
        try:
            return _read_xlsx(converted, path)
        except InputFileError as exc:  # about the converted file: say it of the one the user gave
            raise InputFileError(str(path), exc.reason.replace(str(converted), str(path))) from exc
