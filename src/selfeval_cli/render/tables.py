"""Tables in the markup: header rows, merged cells, column widths and alignment.

::

    @table 表题
    @columns 3 3 6 3r 3r 2r     (optional: relative widths, l/c/r alignment)
    | 一级指标 | 二级指标 | … |    header rows: those above the |---| line (else the first row)
    |---|
    | 产出指标 | 数量指标 | … |
    | ^ | ^ | … |                ^ joins the cell above (vertical merge)
    | 总分 | < | < | … |          < joins the cell on the left (horizontal merge)
    @end

Without ``@columns`` each column's width follows its longest unmerged cell (within limits) and
a column whose body holds only numbers is right-aligned, any other left. A ``<`` or ``^`` that
came from data is text (data is guarded, see ``markup``), never a merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from selfeval_cli.errors import MarkupError
from selfeval_cli.records import record
from selfeval_cli.render.markup import clean


class Merge(Enum):
    """A cell that is part of a neighbour: ``<`` joins the cell on its left, ``^`` the one above."""

    LEFT = "<"
    UP = "^"


Cell = str | Merge


@record
class Column:
    """A column's share of the table width (relative to the other columns) and its alignment."""

    weight: float
    align: str = "left"
    """``left``, ``center`` or ``right``; header rows are always centred."""


@record
class Table:
    """A table: header rows (repeated on every page), body rows, and its columns.

    Every row has one cell per column; merged cells are ``Merge`` markers, checked by the parser
    (a ``<`` never starts a row, a ``^`` always has a cell of the same width above it).
    """

    caption: str | None
    header: list[list[Cell]]
    rows: list[list[Cell]]
    columns: list[Column]


@record
class Span:
    """A run of cells of one row written as one cell: where it starts, how many columns, what."""

    start: int
    width: int
    cell: Cell


def spans(row: list[Cell]) -> Iterator[Span]:
    """The row's cells with each ``<`` folded into the cell on its left."""
    start = 0
    while start < len(row):
        end = start + 1
        while end < len(row) and row[end] is Merge.LEFT:
            end += 1
        yield Span(start, end - start, row[start])
        start = end


def em_width(text: str) -> float:
    """Width of ``text`` in characters of a CJK font: CJK 1, ASCII 0.5."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


MIN_WEIGHT, MAX_WEIGHT = 2.0, 14.0
"""Bounds of a content-sized column, in characters: a long paragraph wraps instead."""

_SEPARATOR = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_COLUMN = re.compile(r"^(\d+(?:\.\d+)?)([lcr]?)$")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d+)?|\.\d+)%?$")
_ALIGN = {"l": "left", "c": "center", "r": "right", "": "left"}


@dataclass
class TableDraft:
    """A table being read line by line, until ``@end``."""

    caption: str | None
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    header_rows: int | None = None
    columns: list[Column] | None = None

    def add(self, number: int, line: str) -> None:
        """Read one line inside the table. Raises MarkupError on anything else than a row."""
        stripped = line.strip()
        if _SEPARATOR.match(stripped):
            if self.header_rows is not None or not self.rows:
                raise MarkupError(number, "“|---|”只能出现一次，且前面要有表头行")
            self.header_rows = len(self.rows)
        elif stripped.startswith("@columns"):
            if self.columns is not None:
                raise MarkupError(number, "“@columns”只能写一次")
            self.columns = _column_spec(number, stripped.removeprefix("@columns").split())
        elif stripped.startswith("|"):
            self.rows.append((number, [_cell(raw) for raw in stripped.strip("|").split("|")]))
        else:
            raise MarkupError(number, "表格内只能有“| … |”行、“|---|”和“@columns”，并以“@end”结束")

    def finish(self, number: int) -> Table:
        """The finished table. Raises MarkupError where rows, merges or columns do not fit."""
        if not self.rows:
            raise MarkupError(number, "表格没有任何行")
        count = len(self.rows[0][1])
        for line, cells in self.rows:
            if len(cells) != count:
                raise MarkupError(line, f"表格行有 {len(cells)} 列，第一行有 {count} 列")
        if self.columns is not None and len(self.columns) != count:
            raise MarkupError(number, f"“@columns”给了 {len(self.columns)} 列，表格有 {count} 列")
        split = self.header_rows if self.header_rows is not None else 1
        header, body = self.rows[:split], self.rows[split:]
        _check_merges(header)
        _check_merges(body)
        rows = [cells for _, cells in body]
        columns = self.columns or _columns_from_content([cells for _, cells in self.rows], rows)
        return Table(self.caption, [cells for _, cells in header], rows, columns)


def _cell(raw: str) -> Cell:
    marker = raw.strip()  # data is guarded, so a data "<" or "^" never equals the bare marker
    if marker == Merge.LEFT.value:
        return Merge.LEFT
    if marker == Merge.UP.value:
        return Merge.UP
    return clean(raw)


def _column_spec(number: int, words: list[str]) -> list[Column]:
    columns = []
    for word in words:
        match = _COLUMN.match(word)
        if not match or float(match[1]) <= 0:
            raise MarkupError(number, f"“@columns”的每一项应为宽度（正数）加可选的 l/c/r，如 3 或 2.5r，实际为“{word}”")
        columns.append(Column(float(match[1]), _ALIGN[match[2]]))
    if not columns:
        raise MarkupError(number, "“@columns”后面要写每一列的宽度")
    return columns


def _check_merges(rows: list[tuple[int, list[Cell]]]) -> None:
    """A ``<`` never starts a row; a ``^`` stands under a cell of exactly its width (header and
    body are checked apart: a merge does not cross from one into the other)."""
    above: dict[int, int] = {}
    for line, cells in rows:
        if cells and cells[0] is Merge.LEFT:
            raise MarkupError(line, "“<”（与左边合并）不能是一行的第一格")
        current = {}
        for span in spans(cells):
            if span.cell is Merge.UP and above.get(span.start) != span.width:
                raise MarkupError(line, f"第 {span.start + 1} 列的“^”（与上面合并）上方没有同样宽的单元格")
            current[span.start] = span.width
        above = current


def _columns_from_content(every_row: list[list[Cell]], body: list[list[Cell]]) -> list[Column]:
    widths = [MIN_WEIGHT] * len(every_row[0])
    for row in every_row:
        for span in spans(row):
            if span.width == 1 and isinstance(span.cell, str):
                widths[span.start] = max(widths[span.start], min(em_width(span.cell), MAX_WEIGHT))
    columns = []
    for index, weight in enumerate(widths):
        texts = [row[index] for row in body if isinstance(row[index], str) and row[index]]
        numeric = bool(texts) and all(_NUMBER.match(str(text)) for text in texts)
        columns.append(Column(weight, "right" if numeric else "left"))
    return columns
