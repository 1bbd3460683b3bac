"""Tables in the markup, and how they are laid out on the page.

::

    @table 表题
    @columns 3 3 6 3r 3r 2r     (optional: relative widths, l/c/r alignment)
    @size 五号                   (optional: the text size; a sized table is also paginated, see ``paginate``)
    | 一级指标 | 二级指标 | … |    header rows: those above the |---| line (else the first row)
    |---|
    @repeat                      the next row heads the rows its first cell spans, and is repeated above
    | @c 绩效指标 | 一级指标 | … |   them on a continuation page; @l @c @r before a cell set its alignment
    | ^ | 产出指标 | … |            ^ joins the cell above (vertical merge)
    | 总分 | < | < | … |          < joins the cell on the left (horizontal merge)
    @below 注：……                a line under the table, in the table's text size
    @end

Without ``@columns`` each column's width is fitted to the content (``fit_widths``): text is
measured with East Asian widths, numbers fit on one line, and no name ends on a line of a single
character where another width avoids it. A body cell without a mark is aligned by its column
(``@columns``, or right when the column holds only numbers), except that text merged across
columns is always flush left. A ``<``, ``^`` or ``@`` that came from data is text (data is
guarded, see ``markup``), never a merge or a mark.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum

from selfeval_cli.errors import MarkupError
from selfeval_cli.records import record
from selfeval_cli.render.markup import clean
from selfeval_cli.vocabulary import FONT_SIZES


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
    size_pt: float | None = None
    """The text size (``@size``); None for the style's 小四, without pagination."""
    below: tuple[str, ...] = ()
    """Lines under the table (``@below``), such as the 注 of a form."""
    repeat: tuple[int, ...] = ()
    """Body rows marked ``@repeat``: each heads the rows its first cell spans."""
    aligns: dict[tuple[int, int], str] = field(default_factory=dict)
    """Cells marked ``@l``/``@c``/``@r``: (row counted over header and body, column) → alignment."""
    explicit_widths: bool = False
    """The widths were written (``@columns``), not fitted to the content."""

    def all_rows(self) -> list[list[Cell]]:
        """Header rows, then body rows."""
        return [*self.header, *self.rows]


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


# ── Measuring text ────────────────────────────────────────────────────────────────────────────


def char_width(ch: str) -> float:
    """Width of one character in ems of a CJK font: 1 for wide, full-width and ambiguous ones
    (“ ” — … ≥ take the East Asian font, see the writer's ``w:hint``), 0.5 for the rest."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


def em_width(text: str) -> float:
    """Width of ``text`` in characters of a CJK font (see ``char_width``)."""
    return sum(map(char_width, text))


_NO_LINE_START = frozenset("，。、；：？！）》〉」』】〕”’…·%％‰,.;:!?)]}")
"""Punctuation that never starts a line (it stays with what precedes it)."""
_NO_LINE_END = frozenset("（《〈「『【〔“‘([{≥≤＜＞<>=＝±+")
"""Punctuation and signs that never end a line (they stay with what follows)."""
SLACK = 0.3
"""Ems a renderer may have more or less on a line than the column's width says (kerning,
punctuation, rounding): layout decisions hold on both sides of it."""


_FULL_EVERYWHERE = frozenset("—…")
"""Ambiguous characters an em wide in a Latin font too."""


def _narrow_width(ch: str) -> float:
    """Width of a character where a renderer takes the ambiguous ones (“ ” ≥) from the Latin font,
    as LibreOffice does: half an em, about."""
    if ch not in _FULL_EVERYWHERE and unicodedata.east_asian_width(ch) == "A":
        return 0.5
    return char_width(ch)


@functools.lru_cache(maxsize=4096)
def _pieces(paragraph: str, narrow: bool = False) -> tuple[tuple[str, float], ...]:
    """The pieces a line never splits, with their widths: one CJK character, or a Latin word or
    number; punctuation sticks to its side (never starting or ending a line where it may not).
    ``narrow``: with the ambiguous characters half an em (see ``_narrow_width``)."""
    pieces: list[list[str | float]] = []
    glue = False
    latin = False
    for ch in paragraph:
        width = _narrow_width(ch) if narrow else char_width(ch)
        narrow = width < 1 and not ch.isspace()
        if pieces and (glue or ch in _NO_LINE_START or (narrow and latin)):
            pieces[-1][0] = str(pieces[-1][0]) + ch
            pieces[-1][1] = float(pieces[-1][1]) + width
        else:
            pieces.append([ch, width])
        glue = ch in _NO_LINE_END
        latin = narrow
    return tuple((str(text), float(width)) for text, width in pieces)


@functools.lru_cache(maxsize=16384)
def wrap(text: str, capacity: float, narrow: bool = False) -> tuple[str, ...]:
    """The lines ``text`` takes in a cell ``capacity`` ems wide, broken as Word and LibreOffice
    break Chinese: anywhere between characters, not inside a number or a Latin word, not before
    closing or after opening punctuation. Each line break of ``text`` starts a new line.

    Word takes “ ” ≥ from the East Asian font as the runs ask (an em wide), LibreOffice from the
    Latin one (half as wide): ``narrow`` lays the text out the second way."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for piece, width in _pieces(paragraph, narrow):
            if line and used + width > capacity + 1e-9:
                lines.append(line)
                line, used = "", 0.0
            while width > capacity and len(piece) > 1:  # wider than the line: broken anywhere
                cut = 1
                while cut < len(piece) and em_width(piece[:cut + 1]) <= capacity:
                    cut += 1
                lines.append(piece[:cut])
                piece, width = piece[cut:], em_width(piece[cut:])
            line, used = line + piece, used + width
        lines.append(line)
    return tuple(lines)


def _letters(line: str) -> list[str]:
    return [ch for ch in line if ch not in _NO_LINE_START and ch not in _NO_LINE_END and not ch.isspace()]


def lone_last_line(lines: tuple[str, ...]) -> bool:
    """Whether wrapped text ends with a line of one character (punctuation aside): "指/标"."""
    if len(lines) < 2:
        return False
    letters = _letters(lines[-1])
    return len(letters) == 1 and char_width(letters[0]) == 1


# ── Reading the markup ────────────────────────────────────────────────────────────────────────

MIN_WEIGHT, MAX_WEIGHT = 2.0, 14.0
"""Bounds of a content-sized column's weight, in characters: a long paragraph wraps instead."""

SIZES = FONT_SIZES
"""The text sizes a table may ask for by name (points)."""

_SEPARATOR = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_COLUMN = re.compile(r"^(\d+(?:\.\d+)?)([lcr]?)$")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d+)?|\.\d+)%?$")
_ALIGN = {"l": "left", "c": "center", "r": "right", "": "left"}
_MARK = re.compile(r"^@([lcr])(?=\s|$|\x01)")


@dataclass
class TableDraft:
    """A table being read line by line, until ``@end``."""

    caption: str | None
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    header_rows: int | None = None
    columns: list[Column] | None = None
    size_pt: float | None = None
    below: list[str] = field(default_factory=list)
    repeat: list[int] = field(default_factory=list)
    """Indexes into ``rows`` of the rows marked ``@repeat``."""
    aligns: dict[tuple[int, int], str] = field(default_factory=dict)
    pending_repeat: bool = False

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
        elif stripped.startswith("@size"):
            self.size_pt = _size(number, clean(stripped.removeprefix("@size")))
        elif stripped.startswith("@below"):
            self.below.append(clean(stripped.removeprefix("@below")))
        elif stripped == "@repeat":
            self.pending_repeat = True
        elif stripped.startswith("|"):
            cells: list[Cell] = []
            for index, raw in enumerate(stripped.strip("|").split("|")):
                cell, align = _cell(raw)
                if align:
                    self.aligns[(len(self.rows), index)] = align
                cells.append(cell)
            if self.pending_repeat:
                self.repeat.append(len(self.rows))
                self.pending_repeat = False
            self.rows.append((number, cells))
        else:
            raise MarkupError(number, "表格内只能有“| … |”行、“|---|”、“@columns”“@size”“@repeat”“@below”，"
                                      "并以“@end”结束")

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
        if self.pending_repeat:
            raise MarkupError(number, "“@repeat”后面应是一个表格行")
        split = self.header_rows if self.header_rows is not None else 1
        header, body = self.rows[:split], self.rows[split:]
        _check_merges(header)
        _check_merges(body)
        if any(index < split for index in self.repeat):
            raise MarkupError(number, "“@repeat”只用于表体的行（表头行本来就在每页重复）")
        rows = [cells for _, cells in body]
        columns = self.columns or _columns_from_content([cells for _, cells in self.rows], rows)
        return Table(self.caption, [cells for _, cells in header], rows, columns, self.size_pt, tuple(self.below),
                     tuple(index - split for index in self.repeat), dict(self.aligns), self.columns is not None)


def _cell(raw: str) -> tuple[Cell, str | None]:
    marker = raw.strip()  # data is guarded, so a data "<", "^" or "@" never equals a bare marker
    if marker == Merge.LEFT.value:
        return Merge.LEFT, None
    if marker == Merge.UP.value:
        return Merge.UP, None
    mark = _MARK.match(marker)
    if mark:
        return clean(marker[2:]), _ALIGN[mark[1]]
    return clean(raw), None


def _size(number: int, word: str) -> float:
    if word in SIZES:
        return SIZES[word]
    try:
        size = float(word)
    except ValueError:
        size = 0.0
    if not 6 <= size <= 22:
        raise MarkupError(number, f"“@size”应为字号（{'、'.join(SIZES)}）或 6–22 之间的磅值，实际为“{word}”")
    return size


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


def is_number(text: str) -> bool:
    """Whether a cell holds a number (an amount, a score, a rate) or the dash of one that has none."""
    return bool(_NUMBER.match(text)) or text in ("—", "-")


def cell_align(table: Table, row: int, span: Span) -> str:
    """How a body cell is aligned: by its mark; else text merged across columns flush left; else in
    a table of written widths by its column, and in one fitted to its content numbers flush right
    and text flush left (one column of a form may hold an amount in one block and a name in the next)."""
    marked = table.aligns.get((row, span.start))
    if marked:
        return marked
    text = span.cell if isinstance(span.cell, str) else ""
    if span.width > 1 and not is_number(text):
        return "left"
    if table.explicit_widths or not text:
        return table.columns[span.start].align
    return "right" if is_number(text) else "left"


# ── Fitting the columns ───────────────────────────────────────────────────────────────────────

PROSE_EM = 16.0
"""Text longer than this (or of several paragraphs or clauses) is prose: it may wrap as it likes."""
_SENTENCE = ("。", "；", "，")
_LONE = 100.0
"""What a name ending on a line of one character costs, in lines of table height."""
_SHORT = 3.0
"""What a long name ending on a line of two characters costs (it reads as a leftover, too)."""
_STEP = 0.5
"""Column widths are fitted in half characters."""


@dataclass
class _Text:
    """One text cell as the fitting sees it."""

    text: str
    row: int
    start: int
    width: int
    weight: float
    """What each of its lines costs: 1, less for a cell merged down over several rows."""
    prose: bool
    least: float
    """Its widest unbreakable piece, in ems (all of it for a number): no line may be narrower."""

    measured: dict[int, tuple[int, float]] = field(default_factory=dict)

    def measure(self, ems: float) -> tuple[int, float]:
        """Its lines at a width of ``ems`` and its penalty: a name ending on one character, a number
        broken apart (remembered: the fitting asks for the same widths again and again)."""
        key = int(ems * 1024 + 0.5)
        found = self.measured.get(key)
        if found is None:
            found = self.measured[key] = (len(wrap(self.text, ems - SLACK)), self._penalty(ems))
        return found

    def cost(self, ems: float) -> float:
        """Its lines at a width of ``ems`` (weighted), and its penalty."""
        lines, penalty = self.measure(ems)
        return lines * self.weight + penalty

    def _penalty(self, ems: float) -> float:
        if ems - SLACK < self.least - 1e-9:
            return _LONE * 10  # a number or a word broken apart
        if self.prose:
            return 0.0
        wrapped = [wrap(self.text, ems - SLACK), wrap(self.text, ems + SLACK, narrow=True)]
        if any(lone_last_line(lines) for lines in wrapped):
            return _LONE
        if len(_letters(self.text)) >= 9 and any(len(lines) > 1 and len(_letters(lines[-1])) == 2 for lines in wrapped):
            return _SHORT  # "偏差原因分析及改进/措施": better "偏差原因分析/及改进措施"
        return 0.0


def _texts(table: Table) -> list[_Text]:
    rows = table.all_rows()
    found = []
    for index, row in enumerate(rows):
        below = rows[index + 1] if index + 1 < len(rows) else []
        for span in spans(row):
            if not isinstance(span.cell, str) or not span.cell:
                continue
            merged_down = any(s.start == span.start and s.cell is Merge.UP for s in spans(below))
            text = span.cell
            prose = "\n" in text or em_width(text) > PROSE_EM or any(mark in text for mark in _SENTENCE)
            pieces = [width for line in text.split("\n") for _, width in _pieces(line)]
            least = em_width(text) if is_number(text) else max(pieces, default=0.0)
            found.append(_Text(text, index, span.start, span.width, 0.3 if merged_down else 1.0, prose, least))
    return found


def fit_widths(table: Table, total_twips: int, size_pt: float, margin_twips: int) -> list[int]:
    """Column widths (twips, adding up to ``total_twips``) fitted to the content at ``size_pt``.

    Each column gets a width in half characters, at least its widest number or unbreakable word.
    The columns of names (every column without prose) get, for each total width they might take,
    the widths of least cost — a line of a name or header costs one, a name that would end on a
    line of a single character a hundred (so that happens only where no width avoids it); the
    columns of prose share what is left. Of these, the table of least height (rows as tall as their
    tallest cell) is taken. Without prose columns, what is left widens the columns that still save
    lines, then all in proportion. Each cell's left and right margins (``margin_twips``) come on top.
    """
    count = len(table.columns)
    em = size_pt * 20
    room = (total_twips - count * 2 * margin_twips) / em
    margin_ems = 2 * margin_twips / em
    texts = _texts(table)
    single = [[t for t in texts if t.width == 1 and t.start == c] for c in range(count)]
    least = [_up(max([MIN_WEIGHT / 2, *(t.least + SLACK for t in single[c])])) for c in range(count)]
    if sum(least) > room:  # not even the numbers fit: share the width in proportion
        return _twips(total_twips, [w * em + 2 * margin_twips for w in least])
    prose = [c for c in range(count) if any(t.prose for t in single[c])]
    names = [c for c in range(count) if c not in prose]
    shape = _Shape(table, texts, margin_ems)

    def column_cost(column: int, ems: float) -> float:
        return sum(t.cost(ems) for t in single[column])

    for column in prose:  # a column of prose is at least as wide as its names and headers need
        ems = least[column]
        while ems + _STEP <= room and any(t.measure(ems)[1] for t in single[column]):
            ems += _STEP
        if not any(t.measure(ems)[1] for t in single[column]):
            least[column] = ems

    # For each column of names, the widths worth trying: each step up to where its cells stop changing.
    candidates: list[list[tuple[float, float]]] = []
    for column in names:
        widest = max([least[column], *(em_width(t.text) + SLACK + _STEP for t in single[column])])
        widest = max(least[column], min(_up(widest), room))
        options: list[tuple[float, float]] = []
        ems = least[column]
        while ems <= widest + 1e-9:
            cost = column_cost(column, ems)
            if not options or cost < options[-1][1] - 1e-9:
                options.append((ems, cost))
            ems += _STEP
        candidates.append(options)
    prose_least = sum(least[c] for c in prose)
    # How much prose each prose column holds: what it gets of the width left to them.
    mass = {c: sum(em_width(t.text) for t in single[c] if t.prose) for c in prose}
    best: tuple[float, list[float]] | None = None
    for chosen in _frontier(candidates, room - prose_least):
        widths = [0.0] * count
        for column, ems in zip(names, chosen, strict=True):
            widths[column] = ems
        if prose:
            _share(widths, prose, room - sum(chosen), least, mass)
        cost = shape.cost(widths)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, widths)
    assert best is not None  # the narrowest widths always fit (checked above)
    widths = best[1]
    if not prose:
        _spend(widths, room - sum(widths), shape)
    return _twips(total_twips, [w * em + 2 * margin_twips for w in widths])


def _share(widths: list[float], columns: list[int], spare: float, least: list[float],
           mass: dict[int, float]) -> None:
    """``spare`` ems shared by ``columns`` (of prose) in proportion to the prose each holds, each at
    least its ``least``."""
    whole = sum(mass.values()) or 1.0
    for column in columns:
        widths[column] = least[column]
    rest = spare - sum(least[c] for c in columns)
    # What a column's share would give it beyond its least; those whose least already exceeds their share give none.
    wanted = {c: max(0.0, spare * mass[c] / whole - least[c]) for c in columns}
    total = sum(wanted.values())
    for column in columns:
        widths[column] += rest * (wanted[column] / total if total else 1 / len(columns))


def _spend(widths: list[float], spare: float, shape: _Shape) -> None:
    """Widen the columns where it saves most per character while it saves anything; the rest of
    ``spare`` in proportion to the widths."""
    current = shape.cost(widths)
    while spare >= _STEP:
        best: tuple[float, int, float] | None = None  # (saving per em, column, added ems)
        for column in range(len(widths)):
            added = _STEP
            while added <= min(spare, 12) + 1e-9:
                trial = [*widths]
                trial[column] += added
                saving = current - shape.cost(trial)
                if saving > 1e-9 and (best is None or saving / added > best[0] + 1e-9):
                    best = (saving / added, column, added)
                added += _STEP
        if best is None:
            break
        widths[best[1]] += best[2]
        spare -= best[2]
        current = shape.cost(widths)
    whole = sum(widths)
    for column in range(len(widths)):
        widths[column] += spare * widths[column] / whole


class _Shape:
    """The cost of a table at given column widths: its height in lines (each row as tall as its
    tallest cell; a cell merged down counts a little), and the penalties of its cells."""

    def __init__(self, table: Table, texts: list[_Text], margin_ems: float) -> None:
        rows: dict[int, list[_Text]] = {}
        for text in texts:
            rows.setdefault(text.row, []).append(text)
        # Per row: (text, first column, column after its last, margins inside it, share of a line).
        self.rows = [[(t, t.start, t.start + t.width, margin_ems * (t.width - 1), 1.0 if t.weight == 1 else t.weight)
                      for t in cells] for cells in rows.values()]
        self.empty_rows = len(table.all_rows()) - len(rows)

    def cost(self, widths: list[float]) -> float:
        edges = [0.0, *itertools.accumulate(widths)]
        total = float(self.empty_rows)
        for cells in self.rows:
            tallest = 1.0
            for text, first, after, margins, share in cells:
                lines, penalty = text.measure(edges[after] - edges[first] + margins)
                total += penalty
                if lines * share > tallest:
                    tallest = lines * share
            total += tallest
        return total


def _up(ems: float) -> float:
    """``ems`` rounded up to the next half character."""
    steps = int(ems / _STEP)
    return steps * _STEP if steps * _STEP >= ems - 1e-9 else (steps + 1) * _STEP


def _frontier(candidates: list[list[tuple[float, float]]], room: float) -> list[list[float]]:
    """For each total width within ``room`` (in half characters), one width per column from its
    candidates (width, cost) of least total cost — keeping only totals that cost less than every
    narrower one (a knapsack over half characters)."""
    units = int(room / _STEP + 1e-9)
    best: dict[int, tuple[float, list[float]]] = {0: (0.0, [])}
    for options in candidates:
        following: dict[int, tuple[float, list[float]]] = {}
        for used, (cost, chosen) in best.items():
            for ems, extra in options:
                total = used + round(ems / _STEP)
                if total > units:
                    break
                entry = (cost + extra, [*chosen, ems])
                if total not in following or entry[0] < following[total][0] - 1e-9:
                    following[total] = entry
        if not following:
            return [[options[0][0] for options in candidates]]
        pruned: dict[int, tuple[float, list[float]]] = {}
        floor = float("inf")
        for total in sorted(following):
            if following[total][0] < floor - 1e-9:
                pruned[total] = following[total]
                floor = following[total][0]
        best = pruned
    return [chosen for _, chosen in best.values()]


def _twips(total: int, widths: list[float]) -> list[int]:
    """``widths`` scaled to add up to ``total`` exactly, in whole twips."""
    whole = sum(widths)
    edges = [round(total * sum(widths[:i]) / whole) for i in range(len(widths) + 1)]
    return [right - left for left, right in itertools.pairwise(edges)]


def balance_names(table: Table, widths_ems: list[float], margin_ems: float) -> Table:
    """``table`` with a line break written into each name that would still end on a line of a
    single character at the fitted widths (when no width avoids it): its lines made even instead,
    "提质改造项/目验收合格/率" becoming "提质改造/项目验收/合格率", as one would by hand."""
    def balanced(row: list[Cell]) -> list[Cell]:
        cells = list(row)
        for span in spans(row):
            text = span.cell
            if not isinstance(text, str) or "\n" in text or is_number(text) or em_width(text) > PROSE_EM \
                    or any(mark in text for mark in _SENTENCE):
                continue
            ems = sum(widths_ems[span.start:span.start + span.width]) + margin_ems * (span.width - 1)
            if lone_last_line(wrap(text, ems - SLACK)) or lone_last_line(wrap(text, ems + SLACK, narrow=True)):
                cells[span.start] = _even_lines(text, ems - SLACK)
        return cells

    return dataclasses.replace(table, header=[balanced(row) for row in table.header],
                               rows=[balanced(row) for row in table.rows])


def _even_lines(text: str, capacity: float) -> str:
    """``text`` broken into as many lines as it needs at ``capacity`` ems, as even as can be (the
    upper lines the longer where it cannot be quite even)."""
    pieces = _pieces(text)
    count = len(wrap(text, capacity))
    best: tuple[tuple[int, float, list[float]], list[int]] | None = None

    def place(start: int, left: int, cuts: list[int]) -> None:
        nonlocal best
        if left == 1:
            widths = [sum(w for _, w in pieces[a:b]) for a, b in itertools.pairwise([0, *cuts, len(pieces)])]
            lines = ["".join(p for p, _ in pieces[a:b]) for a, b in itertools.pairwise([0, *cuts, len(pieces)])]
            lone = sum(1 for line in lines if lone_last_line(("", line)))
            rank = (lone, max(widths) - min(widths), [-w for w in widths])
            if max(widths) <= capacity + 1e-9 and (best is None or rank < best[0]):
                best = (rank, cuts)
            return
        for cut in range(start + 1, len(pieces) - left + 2):
            place(cut, left - 1, [*cuts, cut])

    if len(pieces) <= 24:
        place(0, count, [])
    if best is None:
        return text
    return "\n".join("".join(p for p, _ in pieces[a:b]) for a, b in itertools.pairwise([0, *best[1], len(pieces)]))


# ── Rows on pages ─────────────────────────────────────────────────────────────────────────────


@record
class Metrics:
    """What the height of a row is made of, in points, and the pages it goes on."""

    line: float
    """The (exact) line height of the text."""
    padding: float
    """Top and bottom cell margins together, plus the border."""
    page: float
    """The height of the text area of a page."""
    first: tuple[float, float] | None
    """Room left on the page where the table starts (least, most); None when unknown."""


@record
class PlannedRow:
    """A row as it is written: its cells (a group's name written again where a page breaks it),
    whether it is a header row, and whether it keeps with the next row."""

    source: int
    """Its row in ``table.all_rows()``."""
    cells: list[Cell]
    header: bool
    keep_next: bool


def row_heights(table: Table, widths_ems: list[float], margin_ems: float,
                metrics: Metrics) -> list[tuple[float, float]]:
    """Each row's height (least, most) in points; a cell merged down shares its rows' height."""
    rows = table.all_rows()
    heights: list[list[float]] = []
    merged: list[tuple[int, int, float, float]] = []
    for index, row in enumerate(rows):
        low = high = 1.0
        for span in spans(row):
            if not isinstance(span.cell, str):
                continue
            ems = sum(widths_ems[span.start:span.start + span.width]) + margin_ems * (span.width - 1)
            most = float(len(wrap(span.cell, ems - SLACK)))
            least = float(len(wrap(span.cell, ems + SLACK, narrow=True)))
            end = _merge_end(rows, index, span, len(table.header))
            if end > index:
                merged.append((index, end, least, most))
            else:
                low, high = max(low, least), max(high, most)
        heights.append([low * metrics.line + metrics.padding, high * metrics.line + metrics.padding])
    for first, last, fewest, most_lines in merged:
        for side, lines in ((0, fewest), (1, most_lines)):
            need = lines * metrics.line + metrics.padding
            have = sum(heights[r][side] for r in range(first, last + 1))
            if need > have:
                heights[last][side] += need - have
    return [(low, high) for low, high in heights]


def _merge_end(rows: list[list[Cell]], index: int, span: Span, header: int) -> int:
    """The last row the cell ``span`` of row ``index`` spans downwards (``index`` when none)."""
    end = index
    while end + 1 < len(rows) and (end + 1 < header) == (index < header) and any(
            s.start == span.start and s.width == span.width and s.cell is Merge.UP for s in spans(rows[end + 1])):
        end += 1
    return end


@dataclass
class _Group:
    """Body rows a vertical merge spans: ``first`` (holding the text) to ``last``, in ``column``."""

    first: int
    last: int
    column: int
    width: int


def paginate(table: Table, heights: list[tuple[float, float]], metrics: Metrics) -> list[PlannedRow]:
    """The rows as they are written, kept together and continued across pages like a printed form.

    Rows of a vertical merge (an indicator group and its name) are kept on one page when they fit
    on one (each row but the last keeps with the next, which Word and LibreOffice both honour);
    a group longer than a page keeps its smaller groups together instead. Where the table's start
    is known, its page breaks are foreseen from the rows' heights: a row that starts a page inside
    a group writes the group's name again (the merge starts anew), and inside a block headed by a
    ``@repeat`` row that row is written again above it. Where a break cannot be foreseen for
    certain (a group that might just fit), the group is kept with the next one so that it moves.
    """
    rows = table.all_rows()
    top = len(table.header)
    header_height = sum(heights[r][1] for r in range(top))
    body = len(table.rows)
    keep = [False] * body
    groups = _groups(table)
    blocks = _blocks(table, groups)

    def height(first: int, last: int, side: int) -> float:
        return sum(heights[top + r][side] for r in range(first, last + 1))

    # Keep each group that fits on a page (the widest first; those inside one kept are kept with it).
    # Where the breaks are foreseen, a group holding smaller groups (一级 around 二级) goes on across a
    # page with its name written again, rather than leave the rest of a page empty; its groups are kept.
    room = metrics.page - header_height
    for group in sorted(groups, key=lambda g: (g.first, -g.last)):
        if group.first in blocks and group.column == 0:
            continue  # a block goes on across pages, its heading written again; its groups are kept
        if metrics.first is not None and _holds_groups(group, groups):
            continue
        if any(k.first <= group.first and group.last <= k.last for k in _kept(keep, groups) if k is not group):
            continue
        above = next((height(b, b, 1) for b, (start, end) in blocks.items() if start < group.first <= end), 0.0)
        if height(group.first, group.last, 1) + above <= room:
            for r in range(group.first, group.last):
                keep[r] = True
    for heading_row in blocks:
        if heading_row + 1 < body:
            keep[heading_row] = True  # a block's heading row never ends a page
    # The rows after the last block (总分, 自评等级, the signatures, the 注) close the form: kept together
    # when they take at most half a page, else only the last three (a 注 or a signature never stands alone).
    tail = max((last for _, last in blocks.values()), default=body - 1) + 1
    if tail < body - 1:
        start = tail if height(tail, body - 1, 1) <= room / 2 else max(tail, body - 3)
        for r in range(start, body - 1):
            keep[r] = True
    planned = [PlannedRow(r, list(rows[r]), True, False) for r in range(top)]
    if metrics.first is None:
        return planned + [PlannedRow(top + r, list(rows[top + r]), False, keep[r]) for r in range(body)]

    def heading(row: int) -> tuple[float, float]:
        """The height of the block heading written again above ``row`` when a page starts there."""
        for heading_row, (_, last) in blocks.items():
            if heading_row < row <= last:
                return heights[top + heading_row]
        return (0.0, 0.0)

    # The header rows stand at the top of the first page as well as of every other.
    header_least = sum(heights[r][0] for r in range(top))
    first = (metrics.first[0] - header_height, metrics.first[1] - header_least)
    breaks = _foresee(keep, heights[top:], first, room, heading)
    for r in range(body):
        cells = list(rows[top + r])
        if r in breaks:
            block: int | None = next((b for b, (_, last) in blocks.items() if b < r <= last), None)
            if block is not None:  # the heading of the block, again, above its continuation
                planned.append(PlannedRow(top + block, list(rows[top + block]), False, True))
            for group in groups:
                if group.first < r <= group.last and group.first != block:
                    cells[group.column] = rows[top + group.first][group.column]
        planned.append(PlannedRow(top + r, cells, False, keep[r]))
    return planned


def _groups(table: Table) -> list[_Group]:
    rows = table.rows
    found = []
    for index, row in enumerate(rows):
        for span in spans(row):
            if isinstance(span.cell, str):
                end = _merge_end(rows, index, span, 0)
                if end > index:
                    found.append(_Group(index, end, span.start, span.width))
    return found


def _blocks(table: Table, groups: list[_Group]) -> dict[int, tuple[int, int]]:
    """Each ``@repeat`` row → (itself, the last row it heads): the rows its first cell spans, else
    those up to the next such row."""
    blocks = {}
    for number, row in enumerate(table.repeat):
        spanned = [g.last for g in groups if g.first == row and g.column == 0]
        following = table.repeat[number + 1] - 1 if number + 1 < len(table.repeat) else len(table.rows) - 1
        blocks[row] = (row, spanned[0] if spanned else following)
    return blocks


def _holds_groups(group: _Group, groups: list[_Group]) -> bool:
    """Whether smaller groups of a later column lie inside ``group`` (二级 names inside a 一级 name)."""
    return any(other.column > group.column and group.first <= other.first and other.last <= group.last
               for other in groups)


def _kept(keep: list[bool], groups: list[_Group]) -> Iterator[_Group]:
    for group in groups:
        if all(keep[r] for r in range(group.first, group.last)):
            yield group


def _foresee(keep: list[bool], heights: list[tuple[float, float]], first: tuple[float, float], room: float,
             heading: Callable[[int], tuple[float, float]]) -> set[int]:
    """The body rows that start a new page (after the first), given which rows keep with the next;
    ``keep`` is extended where a break has to be made certain.

    Heights and room are ranges (least, most): one renderer lays a row out a little tighter than
    another, and the room above the table is not known to the point. A run of rows kept together
    surely fits when its most fits the least room, surely moves when its least exceeds the most
    room; in between it is kept with the runs after it until together they surely move (and still
    fit on a page), so that the renderer breaks where the names are written again.
    """
    breaks: set[int] = set()
    low, high = first
    start = 0

    def run_end(row: int) -> int:
        while row < len(heights) - 1 and keep[row]:
            row += 1
        return row

    while start < len(heights):
        end = run_end(start)
        least = sum(h[0] for h in heights[start:end + 1])
        most = sum(h[1] for h in heights[start:end + 1])
        if end > start and most + heading(start)[1] > room:  # longer than a page: it goes on row by row
            end, (least, most) = start, heights[start]
        if most <= low:
            low, high = low - most, high - least
            start = end + 1
            continue
        if least <= high:  # might just fit: keep it with what follows until together they surely move
            last, total_least, total_most = end, least, most
            while last + 1 < len(heights) and total_least <= high:
                following = run_end(last + 1)
                total_least += sum(h[0] for h in heights[last + 1:following + 1])
                total_most += sum(h[1] for h in heights[last + 1:following + 1])
                last = following
            if total_least > high and total_most + heading(start)[1] <= room:
                for row in range(end, last):
                    keep[row] = True
                continue  # the longer run is placed from the same row
        if start > 0:
            breaks.add(start)
        top_least, top_most = heading(start)
        low, high = room - top_most - most, room - top_least - least
        start = end + 1
    return breaks
