"""A 自评表 (附件1) recognised in rows of cells, and read as ``assessment`` data.

The rows come from any file: a Word table (``importing.reader``), a PDF table (``importing.pdf``), a
sheet of a workbook (``importing.spreadsheet``). Each table is a ``Grid``: its rows of cell texts,
the cells that continue a merged cell, and how to name a cell in a review entry ("Sheet1!G12",
"表2 第5行第7列", "第3页表1 第5行第7列"). The grids of a file are read as one stream of rows, so a
table split into three (the header and funding, the goals, the indicators) or across pages reads
like one grid with side labels.

Nothing is found by its position. Each block is found by a header row whose cells carry the names
of ``vocabulary`` (``FUNDING_COLUMNS``, ``GOAL_COLUMNS``, ``INDICATOR_COLUMNS``), and each column by
its name in that row; the fields above the table by their labels (``TABLE_HEADER_LABELS``). A 一级
or 二级 name stands in a merged cell, or is repeated on every row (flat exports), or stands once
with blank cells under it: all three read the same. A weight inside a name ("产出指标（50分）") is
the level's weight.

The comparison of each indicator comes from a 指标性质 column, else from the 年度指标值's sign
("≥8个", "≤100%", "=100%"); a target without one is scored each way and read as the kind its typed
得分 follows. Text values are 定性 when a grade word (达成, 部分达成, 未达成) says so, else scored
按评分标准 — a guess named on the review list, unless another row of the table states its grade (as
selfeval's own tables write every 定性 row's), which shows the table tells the two apart, or the table
is the one selfeval prints for the data read (``TableReading.guessed``: the import asks by printing it
again). Numbers are split from their units.

Typed figures are kept and checked, not trusted: every 得分, 执行率, 总分 and 等级 the table states
is compared with what ``scoring`` computes, and each difference is a review entry naming its cell.
A typed 得分 of a computed kind that agrees is dropped (the tool computes it); one that disagrees is
kept, so that ``validate`` reports it at its line. Whatever could not be placed is quoted in the
review list; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from selfeval_cli.importing.reader import SourceDocument
from selfeval_cli.model.assessment import DEFAULT_TITLE, QUANTITATIVE, Funding
from selfeval_cli.model.scoring import TOLERANCE, quantitative_score
from selfeval_cli.vocabulary import (
    CENT,
    FORM_NOTE_WORD,
    FULL_MARKS_WORD,
    FUNDING_COLUMNS,
    FUNDING_PARTS_WORD,
    FUNDING_REASON_ROWS,
    FUNDING_TOTAL,
    GOAL_COLUMNS,
    GOALS_LABELS,
    GRADE_ROWS,
    GRADE_SYNONYMS,
    INDICATOR_COLUMNS,
    INDICATOR_LABELS,
    INITIAL_BASIS_WORD,
    KIND_WORDS,
    MONEY_UNIT,
    NO_TEXT,
    QUALITATIVE_BANDS,
    QUANTITY_WORD,
    RESULT_WORD,
    RUBRIC_ACTUAL,
    STAMP_WORD,
    SUBTOTAL_WORD,
    TABLE_HEADER_LABELS,
    TABLE_LABEL,
    TABLE_NAMES,
    TO_FILL,
    TOTAL_ROWS,
)

ROOT = "assessment"
"""The data's field the table becomes, and the path of review entries about the whole table."""

QUOTED = 80
"""How many characters of an unplaced row a review entry quotes."""

MAX_ROWS = 2000
"""A 自评表 has 30 to 80 rows: a table of more is not one (and is not searched, row by row, for one)."""

MAX_COLUMNS = 64
"""A 自评表 has 8 to 14 columns (Word allows 63): a wider table is not one."""


class Measure(Decimal):
    """An indicator value with the digits the table shows ("87.5", "8.50"): written as it reads, not
    rounded to the two decimals of money (the importer's YAML writer rounds plain Decimals)."""


# ── Grids and addresses ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Grid:
    """One table of a file: rows of cell texts, the merged cells, and how its cells are named."""

    rows: list[list[str]]
    name: str
    """"Sheet1", "表2", "第3页表1"."""
    merged: Mapping[int, Sequence[tuple[int, int]]] = field(default_factory=dict)
    """The cells that continue a merged cell, row → runs of columns [start, stop): they repeat the
    merged cell's text (Word, Excel) or are empty (PDF)."""
    sheet: bool = False
    """Cells are named as a spreadsheet names them ("Sheet1!G12"), else by row and column."""

    def is_merged(self, row: int, column: int) -> bool:
        """Whether the cell continues a merged cell."""
        return any(start <= column < stop for start, stop in self.merged.get(row, ()))

    def address(self, row: int, column: int) -> str:
        """The cell at 0-based ``row``, ``column``, as a person finds it in the file."""
        if self.sheet:
            return f"{self.name}!{column_letters(column)}{row + 1}"
        return f"{self.name} 第{row + 1}行第{column + 1}列"

    def row_address(self, row: int) -> str:
        """The row at 0-based ``row``: "Sheet1 第12行", "表2 第5行"."""
        return f"{self.name} 第{row + 1}行"


def column_letters(column: int) -> str:
    """A 0-based column as a spreadsheet names it: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_BRACKET_TAIL = re.compile(r"[(\[][^()\[\]]*[)\]]$")
_SPACE = re.compile(r"\s+")


def name_key(text: str) -> str:
    """``text`` as names are compared: NFKC (full-width as half-width), no spaces or line breaks,
    no trailing bracket ("全年预算数（A）" → "全年预算数")."""
    key = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return _BRACKET_TAIL.sub("", key) or key


def one_line(text: str) -> str:
    """A cell's text as one line: its lines joined (Chinese wraps without spaces), spaces folded."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = ""
    for line in lines:
        ascii_join = joined and joined[-1].isascii() and joined[-1].isalnum() and line[0].isascii()
        joined += (" " if ascii_join else "") + line
    return _SPACE.sub(" ", joined).strip()


_PARAGRAPH_END = tuple("。！？；：!?;:…")


def prose(text: str) -> str:
    """A cell's text as paragraphs: a line ending a sentence ends a paragraph; any other line break
    is where the cell wrapped (a builder's or a PDF's line break, or Alt+Enter in Excel) and is joined."""
    paragraphs: list[str] = []
    for line in (_SPACE.sub(" ", line).strip() for line in text.splitlines()):
        if not line:
            continue
        if paragraphs and not paragraphs[-1].endswith(_PARAGRAPH_END):
            paragraphs[-1] = one_line(paragraphs[-1] + "\n" + line)
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs)


@dataclass(frozen=True)
class _Row:
    """One row of the stream: its grid, its index there, its cells' texts and name keys."""

    grid: Grid
    index: int
    texts: tuple[str, ...]
    keys: tuple[str, ...]

    @classmethod
    def of(cls, grid: Grid, index: int) -> _Row:
        texts = tuple(text.strip() for text in grid.rows[index])
        return cls(grid, index, texts, tuple(name_key(text) for text in texts))

    def at(self, column: int | None) -> str:
        """The text at ``column`` ("" beyond the row or for no column)."""
        return self.texts[column] if column is not None and column < len(self.texts) else ""

    def merged(self, column: int) -> bool:
        return self.grid.is_merged(self.index, column)

    def cell(self, column: int) -> str:
        """The address of the cell at ``column``."""
        return self.grid.address(self.index, column)

    @property
    def where(self) -> str:
        return self.grid.row_address(self.index)

    def own_texts(self, start: int = 0) -> list[tuple[int, str]]:
        """The non-empty cells from ``start`` on that are not copies of a merged cell or of the cell
        to their left (a flat export repeats a spanning text): (column, text)."""
        found = []
        for column in range(start, len(self.texts)):
            text = self.texts[column]
            if not text or self.merged(column) or (column > start and self.texts[column - 1] == text):
                continue
            found.append((column, text))
        return found

    def quote(self) -> str:
        """The row's own texts, as a review entry quotes them."""
        text = "｜".join(one_line(t) for _, t in self.own_texts())
        return text if len(text) <= QUOTED else text[:QUOTED] + "…"

    @property
    def empty(self) -> bool:
        return not any(self.texts)


# ── Names ─────────────────────────────────────────────────────────────────────────────────────


def _keys(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({name_key(n) for n in names}, key=len, reverse=True))


_FUNDING = {field: _keys(names) for field, names in FUNDING_COLUMNS.items()}
_GOALS = {field: _keys(names) for field, names in GOAL_COLUMNS.items()}
_INDICATORS = {field: _keys(names) for field, names in INDICATOR_COLUMNS.items()}
_LABELS = {field: _keys(names) for field, names in TABLE_HEADER_LABELS.items()}
_TOTAL, _GRADE_ROW = _keys(TOTAL_ROWS), _keys(GRADE_ROWS)
_GOAL_LABELS, _INDICATOR_LABELS = _keys(GOALS_LABELS), _keys(INDICATOR_LABELS)
_REASON_ROWS = _keys(FUNDING_REASON_ROWS)
_GRADES = tuple(QUALITATIVE_BANDS)


def _is(key: str, names: tuple[str, ...]) -> bool:
    """Whether a cell's key is one of ``names``."""
    return key in names


def _columns(row: _Row, names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Where each field's column stands in a header row: an exact name first, else a name the cell
    starts with ("扣分原因和其他说明"); leftmost first (a spanning name repeats), each column once."""
    found: dict[str, int] = {}
    for exact in (True, False):
        for field_name, keys in names.items():
            if field_name in found:
                continue
            for column, key in enumerate(row.keys):
                if column in found.values() or not key:
                    continue
                if key in keys or (not exact and any(key.startswith(k) for k in keys)):
                    found[field_name] = column
                    break
    return found


def _header(row: _Row) -> tuple[str, dict[str, int]] | None:
    """The block a header row opens ("funding", "goals", "indicators") and its columns, or None."""
    indicators = _columns(row, _INDICATORS)
    if {"first", "name", "weight"} <= indicators.keys():
        return "indicators", indicators
    funding = _columns(row, _FUNDING)
    if "executed" in funding and ("initial" in funding or "budget" in funding):
        return "funding", funding
    goals = _columns(row, _GOALS)
    if {"target", "result"} <= goals.keys() and goals["target"] != goals["result"]:
        return "goals", goals
    return None


# ── Numbers and values ────────────────────────────────────────────────────────────────────────

_WIDE = str.maketrans("０１２３４５６７８９．－＋％，＝＞＜", "0123456789.-+%,=><")
_NUMBER = re.compile(r"^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(.*)$")


def number(text: str, *units: str) -> Decimal | None:
    """The number a cell states ("1,250.80", "97.37%", "10分"), with one of ``units`` after it; None
    when it states none (empty, "—", words)."""
    compact = _SPACE.sub("", text.translate(_WIDE))
    match = _NUMBER.match(compact)
    if match is None or match[2] not in ("", *units):
        return None
    try:
        return Decimal(match[1].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def says_nothing(text: str) -> bool:
    """A cell that is empty or holds only a dash, a slash or 无."""
    return not text.strip() or text.strip() in NO_TEXT


_SIGN_WORDS = sorted(((word, kind) for kind, words in KIND_WORDS.items() for word in words
                      if kind in QUANTITATIVE), key=lambda pair: len(pair[0]), reverse=True)


@dataclass(frozen=True)
class Value:
    """A 年度指标值 or 实际完成值: its text, and the comparison, number and unit it states."""

    text: str
    kind: str | None = None
    """The comparison its sign or word states (正向, 反向, 等于)."""
    number: Decimal | None = None
    digits: str = ""
    """The number as written ("8.50"), for writing it back unchanged."""
    unit: str | None = None


def parse_value(text: str) -> Value:
    """"≥8个" → 正向, 8, 个; "-4.71%" → 4.71 below zero, %; "县乡两级全覆盖" → text only."""
    line = one_line(text)
    rest, kind = line.translate(_WIDE).replace(" ", ""), None
    for word, meaning in _SIGN_WORDS:
        if rest.startswith(word) and not (word in "<>" and rest[1:2] == "="):
            rest, kind = rest[len(word):], meaning
            break
    match = _NUMBER.match(rest)
    if match is None:
        return Value(line, kind)
    digits = match[1].replace(",", "")
    return Value(line, kind, Decimal(digits), digits, match[2].strip() or None)


def kind_word(text: str) -> str | None:
    """The kind a 指标性质 cell names (正向…按评分标准), ``QUANTITY_WORD`` for 定量, else None."""
    key = name_key(text)
    if key == name_key(QUANTITY_WORD):
        return QUANTITY_WORD
    for kind, words in KIND_WORDS.items():
        if key in _keys(words):
            return kind
    return None


def written(value: Decimal, digits: str) -> int | Decimal:
    """A number for the data file: an int when written without decimals, else a ``Measure`` that
    keeps its digits."""
    return int(value) if "." not in digits else Measure(digits)


def points(value: Decimal) -> int | Decimal:
    """A 分值 or 得分 for the data file: an int when whole, else two decimals."""
    return int(value) if value == value.to_integral_value() else value.quantize(CENT)


_WEIGHT_IN_NAME = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*[）)]$")


def weight_in_name(text: str) -> tuple[str, Decimal | None]:
    """"产出指标（50分）" → ("产出指标", 50); a name without a weight → (name, None)."""
    line = one_line(text)
    match = _WEIGHT_IN_NAME.match(line)
    return (match["name"], Decimal(match["weight"])) if match else (line, None)


# ── The reading ───────────────────────────────────────────────────────────────────────────────


@dataclass
class TableReading:
    """What was read: the ``assessment`` data, review entries (path, reason), the grids used."""

    assessment: dict[str, Any]
    review: list[tuple[str, str]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    """Indexes of the grids that belong to the 自评表 (the others are not its tables)."""
    lines: list[str] = field(default_factory=list)
    """Texts standing alone above the table (its title, "（2025年度）"): where the year is found."""
    guessed: list[tuple[str, str]] = field(default_factory=list)
    """The review entries that are guesses about a row's kind (a text row without a grade, read as
    按评分标准): a table selfeval printed itself needs none (``commands.import_report`` asks)."""
    rows: list[list[list[str]]] = field(default_factory=list)
    """The cell texts of the grids used, as read: to compare with the table selfeval would print."""


@dataclass
class _Typed:
    """A figure the table states, to be compared once the table is scored: its value and cell."""

    value: Decimal
    cell: str


@dataclass
class _FundingRow:
    data: dict[str, Any]
    where: str
    weight: _Typed | None = None
    rate: _Typed | None = None
    score: _Typed | None = None


def _plausible(grid: Grid) -> bool:
    """Whether a grid is small enough to be a 自评表 (a hostile or unrelated huge table is not read)."""
    return len(grid.rows) <= MAX_ROWS and all(len(row) <= MAX_COLUMNS for row in grid.rows)


def _path(*indexes: int) -> str:
    """The data path of a level or an indicator by its indexes: 0 → assessment.indicators[0]."""
    names = ("indicators", "children", "indicators")
    return ROOT + "".join(f".{names[n]}[{index}]" for n, index in enumerate(indexes))


class _Reader:
    """Reads the stream of rows block by block (see the module docstring)."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.funding: list[_FundingRow] = []
        self.funding_reason: str | None = None
        self.basis: str | None = None
        self.goals: list[dict[str, str]] = []
        self.levels: list[dict[str, Any]] = []
        self.level_weights: list[tuple[str, Decimal, str]] = []
        """(path, weight, where) of each level weight read from a name or a subtotal row."""
        self.level_scores: list[tuple[str, Decimal, str]] = []
        """(path, 得分, cell) of each level subtotal the table states."""
        self.total_score: _Typed | None = None
        self.total_weight: _Typed | None = None
        self.grade: tuple[str, str] | None = None
        self.review: list[tuple[str, str]] = []
        self.used: set[int] = set()
        self.lines: list[str] = []
        self.rubric = False
        self.rubric_rows = 0
        """Rows of a 评分表 that state no 实际完成值 (one review entry says so for all)."""
        self.graded = False
        """A row states its grade after its 实际完成值 (as selfeval's tables write every 定性 row's)."""
        self.guessed: list[tuple[str, str]] = []
        """Review entries of text rows read as 按评分标准 for stating no grade (whatever their 指标性质 says)."""
        self.ungraded: list[tuple[str, str]] = []
        """Review entries of text rows read as 按评分标准 for stating no grade, in a table that names no
        指标性质: wanted only if no row of the table states a grade (see ``settle_kinds``)."""
        self.state: str | None = None
        self.columns: dict[str, int] = {}
        self.block_header: _Row | None = None
        self.indicator_header: _Row | None = None
        self.seen_block = False
        self.closed = False
        """A 总分 row was read: another indicator header starts another table, not read."""
        self.done = False

    def note(self, path: str, reason: str) -> None:
        self.review.append((path, reason))

    def settle_kinds(self) -> None:
        """A table that writes the grade of its 定性 rows after their 实际完成值 tells its 按评分标准 rows
        by the lack of one: their kind is read, not guessed, and needs no review entry."""
        if self.graded:
            self.review = [entry for entry in self.review if entry not in self.ungraded]

    # ── the stream ──

    def read(self, grids: Sequence[Grid]) -> None:
        """Read every row of ``grids`` in order, until a second table starts. A grid of the 自评表 holds
        one of its blocks, or continues the indicator block, or stands beside such a grid holding only
        labelled fields (the signature rows on a page of their own)."""
        every = [[row for row in (_Row.of(grid, i) for i in range(len(grid.rows))) if not row.empty]
                 if _plausible(grid) else [] for grid in grids]
        blocky = [any(_header(row) is not None for row in rows) for rows in every]
        for position, rows in enumerate(every):
            continuing = self.state == "indicators" and self._continues(rows)
            if not continuing:
                self.state = None
            beside = any(blocky[p] for p in (position - 1, position + 1) if 0 <= p < len(blocky))
            labelled = beside and bool(rows) and all(row_labels(row) is not None for row in rows)
            if not (continuing or blocky[position] or labelled):
                continue
            for row in rows:
                if self._row(row):
                    self.used.add(position)
                if self.done:
                    return

    def _continues(self, rows: list[_Row]) -> bool:
        """Rows with no header of their own that continue the indicator block (the next page of a
        PDF), below the labelled rows a form repeats on every page ("预算单位 | … | 主管部门 | …"): as
        wide as the block's header, or the rows that close it (总分, 自评等级), before its 总分."""
        header = self.indicator_header
        body = [row for row in rows if row_labels(row) is None]
        if not body or header is None or self.closed or _header(body[0]) is not None:
            return False
        closing = any(_is(key, _TOTAL) or _is(key, _GRADE_ROW) for key in body[0].keys[:2])
        return closing or len(body[0].texts) == len(header.texts)

    def _row(self, row: _Row) -> bool:
        """Read one row; whether it belongs to the 自评表."""
        opened = _header(row)
        if opened is not None:
            return self._open(row, *opened)
        if self._form_line(row):
            return True
        if self.state == "funding" and self._funding_row(row):
            return True
        if self.state == "goals" and self._goal_row(row):
            return True
        if self.state == "indicators" and self._indicator_row(row):
            return True
        if self.state in ("funding", "goals"):
            self.state = None
        return self._loose(row)

    def _open(self, row: _Row, block: str, columns: dict[str, int]) -> bool:
        """Start reading a block at its header row; a second indicator block (or funding block) after
        the 总分 is another table: reading stops there."""
        if self.closed and (block == "indicators" or (block == "funding" and self.funding)):
            self.note(ROOT, f"{row.where}起是另一张自评表（“{row.quote()}”），没有导入：一次只导入一张表，"
                            "请把它单独存成一个文件再导入")
            self.done = True
            return False
        self.state, self.columns, self.block_header, self.seen_block = block, columns, row, True
        if block == "indicators":
            self.indicator_header = row
            self.rubric = "rubric" in columns and "target" not in columns
        if block == "funding" and "rate" in columns:  # "执行率（B/A）" says its divisor; "执行率" alone does not
            said = row.texts[columns["rate"]]
            self.basis = "年初预算数" if INITIAL_BASIS_WORD in said else "全年预算数" if "/" in said else None
        return True

    def _form_line(self, row: _Row) -> bool:
        """A note under the form ("注：1.……"): the form's words, not the table's data. Written as the
        grid's last row (selfeval's own forms), its lines may go on with the signature lines under a
        form ("项目负责人：…　财务负责人：…"), which are read as such."""
        own = row.own_texts()
        if len({t for _, t in own}) != 1 or not form_note(own[0][1]):
            return False
        for line in own[0][1].splitlines()[1:]:
            self.take_labels(label_pairs(line))
        return True

    def _loose(self, row: _Row) -> bool:
        """A row outside the blocks: the fields above the table, goals without a header, a title or
        caption; anything else in a grid of the 自评表 is quoted in the review list."""
        if self._labels(row) or self._goal_without_header(row):
            return True
        own = row.own_texts()
        if not own:
            return False  # only the continuations of merged cells above it
        single = len({t for _, t in own}) == 1
        if single and not self.seen_block:
            self.lines.append(one_line(own[0][1]))
            return is_table_caption(own[0][1])
        if single and is_table_caption(own[0][1]):
            return True
        self.note(ROOT, f"{row.where}未能归入自评表的任何部分，没有导入：“{row.quote()}”，请核对")
        return True

    def _labels(self, row: _Row) -> bool:
        """The fields above the table ("预算单位 | 某局 | 主管部门 | 某局") and the signatures below it
        ("填表人 | 张三", "财务负责人：李四"); whether the row is made of them."""
        pairs = row_labels(row)
        if pairs is None:
            return False
        self.take_labels(pairs)
        return True

    def take_labels(self, pairs: Iterable[tuple[str | None, str]]) -> None:
        """Keep each label's value (the first one given); a stamp's place has none."""
        for field_name, value in pairs:
            if field_name is not None and value.strip() and field_name not in self.header:
                self.header[field_name] = one_line(value)

    def _goal_without_header(self, row: _Row) -> bool:
        """"年度总体目标 | 预期目标的文字 | 实际完成情况的文字", with no header row of the two."""
        own = row.own_texts()
        if len(own) < 2 or name_key(own[0][1]) not in _GOAL_LABELS:
            return False
        target = prose(own[1][1])
        result = prose(own[2][1]) if len(own) > 2 else TO_FILL
        self.goals.append({"target": target, "result": result})
        if len(own) < 3:
            self.note(f"{ROOT}.goals[{len(self.goals) - 1}]", f"{row.where}的年度总体目标只有一栏，已读作预期目标，"
                                                             "实际完成情况请补写")
        self.seen_block = True
        return True

    # ── funding ──

    def _funding_row(self, row: _Row) -> bool:
        """A row of the funding block: 年度资金总额, a 其中 row, or the 执行率's 偏差原因."""
        cols = self.columns
        first_figure = min(cols[k] for k in ("initial", "budget", "executed") if k in cols)
        header = self.block_header
        names = [(c, t) for c, t in row.own_texts() if c < first_figure and not (header and header.at(c) == t)]
        label = names[-1][1] if names else ""
        if label and any(name_key(label).startswith(k) for k in _REASON_ROWS):
            rest = [t for c, t in row.own_texts() if c > names[-1][0]]
            if rest and not says_nothing(rest[0]):
                self.funding_reason = prose(rest[0])
            return True
        reason = row.at(cols.get("reason")) if "reason" in cols else ""
        cells = [row.at(cols.get(k)) for k in ("initial", "budget", "executed")]
        if not any(number(t, MONEY_UNIT) is not None for t in cells):
            return False
        if any(not says_nothing(t) and number(t, MONEY_UNIT) is None for t in cells):
            return False
        self.funding.append(self._funding_data(row, label))
        if not says_nothing(reason) and len(self.funding) == 1:
            self.funding_reason = prose(reason)
        return True

    def _funding_data(self, row: _Row, label: str) -> _FundingRow:
        cols = self.columns
        name = one_line(label)
        if name_key(name).startswith(FUNDING_PARTS_WORD):
            name = re.sub(rf"^{FUNDING_PARTS_WORD}\s*[:：]?\s*", "", name)
        if not name:
            name = FUNDING_TOTAL if not self.funding else TO_FILL
            self.note(f"{ROOT}.funding", f"{row.where}没有资金项名称，已读作“{name}”，请核对")
        data: dict[str, Any] = {"name": name}
        blank = []
        for key in ("initial", "budget", "executed"):
            where = row.cell(cols[key]) if key in cols else row.where
            amount = number(row.at(cols.get(key)), MONEY_UNIT)
            if amount is None:
                blank.append(where if key in cols else f"{where}（{FUNDING_COLUMNS[key][0]}）")
                amount = Decimal(0)
            data[key] = self._money(amount, where)
        if blank:
            self.note(f"{ROOT}.funding", f"{'、'.join(blank)}没有金额，已按 0 读取，请核对")
        return _FundingRow(data, row.where, self._typed(row, "weight"), self._typed(row, "rate"),
                           self._typed(row, "score"))

    def _money(self, amount: Decimal, cell: str) -> Decimal:
        rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        if rounded != amount:
            self.note(f"{ROOT}.funding", f"{cell}的金额 {amount} 多于两位小数，已按 {rounded} 万元读取，请核对")
        return rounded

    def _typed(self, row: _Row, key: str) -> _Typed | None:
        """A figure the row states in the block's column ``key`` (a 分值, 执行率 or 得分), with its cell.
        In a narrower grid (the 总分 on a PDF page of its own, where the merged label leaves fewer column
        rules) the columns are counted from the right, as the form's last columns stand."""
        column = self.columns.get(key)
        if column is None:
            return None
        header = self.indicator_header
        if header is not None and len(row.texts) < len(header.texts):
            column -= len(header.texts) - len(row.texts)
            if column < 0:
                return None
        value = number(row.at(column), "%", "分")
        return None if value is None else _Typed(value, row.cell(column))

    # ── goals ──

    def _goal_row(self, row: _Row) -> bool:
        cols = self.columns
        target, result = row.at(cols["target"]), row.at(cols["result"])
        if not target and not result:
            return False
        if target == result and row.merged(cols["result"]):
            return False  # one text across both columns: not a goal
        self.goals.append({"target": prose(target) or TO_FILL, "result": prose(result) or TO_FILL})
        if not target or not result:
            missing = GOAL_COLUMNS["target" if not target else "result"][0]
            self.note(f"{ROOT}.goals[{len(self.goals) - 1}]", f"{row.where}的{missing}是空的，请补写")
        return True

    # ── indicators ──

    def _indicator_row(self, row: _Row) -> bool:
        """A row of the indicator block: an indicator, a level's subtotal, the 总分 or the 等级."""
        cols = self.columns
        left = row.keys[:cols["name"] + 1]
        if any(_is(key, _TOTAL) for key in left):
            self.total_weight, self.total_score = self._typed(row, "weight"), self._typed(row, "score")
            self.closed = True
            return True
        if any(_is(key, _GRADE_ROW) for key in left):
            self._grade_row(row, len(left))
            return True
        first, second, name = row.at(cols["first"]), row.at(cols.get("second")), row.at(cols["name"])
        weight, score = self._typed(row, "weight"), self._typed(row, "score")
        if weight is None and score is None:
            return False  # no figures: a caption, a conclusion row, or a row to quote
        if not name or name_key(name) == name_key(SUBTOTAL_WORD):
            return self._subtotal(row, first, second, weight, score)
        if name == first and name == second:
            return False  # one text across the row
        if self._place(row, first, second):
            self._indicator(row)
        return True

    def _grade_row(self, row: _Row, width: int) -> None:
        words = [(c, t) for c, t in row.own_texts() if c >= width or not _is(row.keys[c], _GRADE_ROW)]
        words = [(c, t) for c, t in words if not _is(name_key(t), _GRADE_ROW)]
        if words:
            column, text = words[0]
            self.grade = (GRADE_SYNONYMS.get(name_key(text), one_line(text)), row.cell(column))

    def _place(self, row: _Row, first_text: str, second_text: str) -> bool:
        """Open the row's 一级 and 二级, or continue those above (a merged or blank cell, or the same
        name repeated); False, with a review entry, when the row has none to stand under."""
        first = self._first(first_text, row)
        if first is None:
            self.note(ROOT, f"{row.where}没有一级指标，未能导入：“{row.quote()}”，请核对后手工填写")
            return False
        opened, level = first
        if "second" not in self.columns:  # two levels only: the 一级 stands for the 二级 too
            second_text = second_text or level["name"]
        second_name, second_weight = weight_in_name(second_text) if second_text else ("", None)
        children = level["children"]
        if second_name and (opened or not children or second_name != children[-1]["name"]):
            children.append({"name": second_name, "indicators": []})
        elif opened or not children:
            self.note(ROOT, f"{row.where}没有二级指标，未能导入：“{row.quote()}”，请核对后手工填写")
            return False
        self._level_weight(_path(len(self.levels) - 1, len(children) - 1), children[-1], second_weight, row.where)
        return True

    def _first(self, text: str, row: _Row) -> tuple[bool, dict[str, Any]] | None:
        """The 一级 a row stands under: (whether it opens here, the level), None when there is none."""
        name, weight = weight_in_name(text) if text else ("", None)
        opened = bool(name) and (not self.levels or name != self.levels[-1]["name"])
        if opened:
            self.levels.append({"name": name, "children": []})
        if not self.levels:
            return None
        self._level_weight(_path(len(self.levels) - 1), self.levels[-1], weight, row.where)
        return opened, self.levels[-1]

    def _level_weight(self, path: str, level: dict[str, Any], weight: Decimal | None, where: str) -> None:
        if weight is None:
            return
        if "weight" in level:
            if level["weight"] != points(weight):
                self.note(path, f"{where}写的分值 {weight} 与前面写的 {level['weight']} 不一致，已按前者读取，请核对")
            return
        level["weight"] = points(weight)
        self.level_weights.append((path, weight, where))

    def _subtotal(self, row: _Row, first_text: str, second_text: str, weight: _Typed | None,
                  score: _Typed | None) -> bool:
        """A row of a level's own 分值 and 得分: its 二级's when it names one, else its 一级's."""
        if weight is None:
            return False
        first = self._first(first_text, row)
        if first is None:
            self.note(ROOT, f"{row.where}有分值但没有指标名称，未能导入：“{row.quote()}”，请核对")
            return True
        opened, level = first
        second_name = weight_in_name(second_text)[0] if second_text else ""
        children = level["children"]
        own_second = bool(second_name) and name_key(second_name) != name_key(SUBTOTAL_WORD) and second_name != level[
            "name"]
        if own_second and (opened or not children or children[-1]["name"] != second_name):
            children.append({"name": second_name, "indicators": []})
        i = len(self.levels) - 1
        path = _path(i, len(children) - 1) if own_second else _path(i)
        self._level_weight(path, children[-1] if own_second else level, weight.value, weight.cell)
        if score is not None:
            self.level_scores.append((path, score.value, score.cell))
        return True

    def _indicator(self, row: _Row) -> None:
        i, j = len(self.levels) - 1, len(self.levels[-1]["children"]) - 1
        second = self.levels[-1]["children"][j]
        path = _path(i, j, len(second["indicators"]))
        second["indicators"].append(_IndicatorReading(self, row, path).data())


class _IndicatorReading:
    """One indicator row read into its data: the comparison, the values and units, the typed 得分."""

    def __init__(self, reader: _Reader, row: _Row, path: str) -> None:
        self.reader, self.row, self.path = reader, row, path
        self.cols, self.rubric = reader.columns, reader.rubric

    def note(self, reason: str) -> None:
        self.reader.note(self.path, reason)

    def cell(self, key: str) -> str:
        return self.row.cell(self.cols[key]) if key in self.cols else self.row.where

    def data(self) -> dict[str, Any]:
        row, cols = self.row, self.cols
        out: dict[str, Any] = {"name": one_line(row.at(cols["name"]))}
        weight = number(row.at(cols["weight"]), "分")
        score = number(row.at(cols.get("score")), "分") if "score" in cols else None
        if weight is None:
            self.note(f"{self.cell('weight')}没有分值，请补写")
        reason = row.at(cols.get("reason"))
        target, actual = row.at(cols.get("target")), row.at(cols.get("actual"))
        if self.rubric:
            target, actual, reason = self._rubric_values(reason)
        if self.rubric and actual == RUBRIC_ACTUAL:  # a 评分表's own row: scored by its 评分标准
            out.update(self._text("按评分标准", Value(target), Value(actual), score))
        else:
            out.update(self._values(parse_value(target), parse_value(actual), weight, score))
        if weight is not None:
            out["weight"] = points(self._two_decimals(weight, "weight"))
        if "score" in out:
            out["score"] = points(self._two_decimals(out["score"], "score"))
        if out.get("kind") == "定性" and "grade" not in out and score is not None and weight:
            out["grade"] = self._band(score, weight)
        if not says_nothing(reason):
            out["reason"] = prose(reason)
        return _ordered(out)

    def _two_decimals(self, value: Decimal, key: str) -> Decimal:
        rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
        if rounded != value:
            self.note(f"{self.cell(key)}的 {value} 多于两位小数，已按 {rounded} 读取，请核对")
        return rounded

    def _rubric_values(self, reason: str) -> tuple[str, str, str]:
        """年度指标值, 实际完成值 and 偏差原因 of a 评分表 row: the 评分标准's target when it opens with one
        ("≥8个得满分，…"), the 实际完成值 when the 扣分原因 opens with one ("实际完成：8个")."""
        rule = one_line(self.row.at(self.cols["rubric"]))
        lines = [line.strip() for line in reason.splitlines() if line.strip()]
        stated = re.match(rf"^{RESULT_WORD}\s*[:：]\s*(.*)$", lines[0]) if lines else None
        if stated is None:
            self.reader.rubric_rows += 1
            return rule, RUBRIC_ACTUAL, reason
        head = re.split(r"[，,；;]", rule, maxsplit=1)[0].removesuffix(FULL_MARKS_WORD)
        target = head if parse_value(head).number is not None or grade_suffix(stated[1])[1] else rule
        return target, stated[1], "\n".join(lines[1:])

    def _values(self, target: Value, actual: Value, weight: Decimal | None,
                score: Decimal | None) -> dict[str, Any]:
        """kind, unit, target, actual (and score, grade) of the row."""
        stated = self._stated_kind()
        if stated in QUANTITATIVE or (stated in (None, QUANTITY_WORD) and target.number is not None):
            if target.number is not None and actual.number is not None and weight is not None:
                return self._quantitative(stated, target, actual, weight, score)
            if target.number is not None and actual.number is None:
                self.note(f"{self.cell('actual')}的实际完成值“{actual.text}”不是数字，无法按{stated or '定量指标'}"
                          "计分，已按文字读取（得分照原表），请核对")
        return self._text(stated, target, actual, score)

    def _stated_kind(self) -> str | None:
        """The kind a 指标性质 column names, if the table has one."""
        if "kind" not in self.cols:
            return None
        text = self.row.at(self.cols["kind"])
        stated = kind_word(text)
        if stated is None and text:
            self.note(f"{self.cell('kind')}的指标性质“{one_line(text)}”不认识，已按年度指标值判断，请核对")
        return stated

    def _quantitative(self, stated: str | None, target: Value, actual: Value, weight: Decimal,
                      score: Decimal | None) -> dict[str, Any]:
        assert target.number is not None and actual.number is not None
        kind = stated if stated in QUANTITATIVE else target.kind
        if stated in QUANTITATIVE and target.kind not in (None, stated):
            self.note(f"指标性质是“{stated}”，{self.cell('target')}的年度指标值“{target.text}”写的却是另一种比较，"
                      f"已按{stated}读取，请核对")
        if kind is None:
            kind = self._kind_by_score(target.number, actual.number, weight, score)
        unit = self._unit(target, actual)
        out: dict[str, Any] = {"kind": kind, **({"unit": unit} if unit else {}),
                               "target": written(target.number, target.digits),
                               "actual": written(actual.number, actual.digits)}
        if actual.kind is not None:
            self.note(f"{self.cell('actual')}的实际完成值“{actual.text}”带有比较符号，已按 {actual.digits} 读取")
        if score is not None:
            computed = quantitative_score(kind, target.number, actual.number, weight)
            if abs(score - computed) > TOLERANCE:
                out["score"] = score  # kept: validate reports it at its line
                self.note(f"{self.cell('score')}的得分 {score} 与按规则计算的 {computed} 不符（{kind}，年度指标值 "
                          f"{target.text}，实际完成值 {actual.text}，分值 {weight}）：请核对原表，"
                          "确认后删除 score 由工具计算")
        return out

    def _kind_by_score(self, target: Decimal, actual: Decimal, weight: Decimal, score: Decimal | None) -> str:
        """The comparison of a target without a sign: the one whose rule gives the typed 得分 (正向 first)."""
        kinds = ("正向", "反向", "等于")
        fits = [k for k in kinds if score is not None
                and abs(quantitative_score(k, target, actual, weight) - score) <= TOLERANCE]
        kind = fits[0] if fits else kinds[0]
        how = "按得分与规则相符的" if fits else "默认按"
        self.note(f"{self.cell('target')}的年度指标值没有写 ≥、≤ 或 =，{how}“{kind}”读取，请核对")
        return kind

    def _unit(self, target: Value, actual: Value) -> str | None:
        column = one_line(self.row.at(self.cols.get("unit"))) if "unit" in self.cols else ""
        column = "" if says_nothing(column) else column
        units = [u for u in (column, target.unit, actual.unit) if u]
        if len(set(units)) > 1:
            self.note(f"计量单位不一致（{'、'.join(dict.fromkeys(units))}），已按“{units[0]}”读取，请核对")
        return units[0] if units else None

    def _text(self, stated: str | None, target: Value, actual: Value, score: Decimal | None) -> dict[str, Any]:
        """A 定性 or 按评分标准 row: values kept as text, the 得分 as typed. 定性 when the 实际完成值
        states a grade ("……（部分达成）", "达成") or the 年度指标值 is one; else 按评分标准."""
        text, grade = grade_suffix(actual.text)
        if stated == "按评分标准" or (grade is None and target.text not in _GRADES):
            kind = "按评分标准"
            if stated != "按评分标准" and not self.rubric:
                said = "指标性质写的是定性，但" if stated == "定性" else ""
                self.note(f"{said}{self.cell('actual')}没有写评价等级（达成、部分达成、未达成），已按“按评分标准”读取，"
                          "得分照原表；若按定性的等级区间评分，请把 kind 改为“定性”并写 grade")
                self.reader.guessed.append(self.reader.review[-1])
                if stated is None:
                    self.reader.ungraded.append(self.reader.review[-1])
            text = actual.text
        else:
            kind = "定性"
            self.reader.graded = self.reader.graded or grade is not None
        out: dict[str, Any] = {"kind": kind, "target": target.text or TO_FILL, "actual": text or TO_FILL}
        for key, value in (("target", target.text), ("actual", text)):
            if not value:
                self.note(f"{self.cell(key)}是空的，请补写")
        if grade is not None and kind == "定性":
            out["grade"] = grade
        if score is None:
            self.note(f"{self.cell('score')}没有得分，{kind}指标的得分需手工填写")
        else:
            out["score"] = score
        return out

    def _band(self, score: Decimal, weight: Decimal) -> str:
        """The grade of a 定性 row that states none: the band its 得分 lies in."""
        share = score / weight
        grade = next((g for g, (low, high) in QUALITATIVE_BANDS.items()
                      if low <= share and (share <= high if g == _GRADES[0] else share < high)), _GRADES[-1])
        self.note(f"{self.cell('score')}：定性指标没有写评价等级，按得分 {score}（分值 {weight}）定为“{grade}”，请核对")
        return grade


def grade_suffix(text: str) -> tuple[str, str | None]:
    """A 实际完成值 and the grade it states: "达成" alone, or after the value in brackets
    ("县乡两级全覆盖（部分达成）"); (text, None) when it states none."""
    if text in _GRADES:
        return text, text
    match = re.match(r"^(.*?)\s*[（(]\s*(" + "|".join(_GRADES) + r")\s*[）)]$", text, re.S)
    return (match[1], match[2]) if match and match[1] else (text, None)


_LABEL_FIELDS = {name_key(label): field for field, labels in TABLE_HEADER_LABELS.items() for label in labels}
_LABEL_PATTERN = re.compile(
    "(?P<label>" + "|".join(re.escape(unicodedata.normalize("NFKC", label)) for label in
                            sorted((lb for lbs in TABLE_HEADER_LABELS.values() for lb in lbs), key=len, reverse=True))
    + rf"|[^\s:]*\({STAMP_WORD}\))\s*:")


def label_field(text: str) -> tuple[str | None] | None:
    """The field a label cell names ("预算单位" → unit; "实施单位（盖章）" → implementer); (None,) for a
    stamp's place ("单位（盖章）"); None when the cell is not a label."""
    key = name_key(text)
    if key in _LABEL_FIELDS:
        return (_LABEL_FIELDS[key],)
    return (None,) if STAMP_WORD in text and len(key) <= 12 else None


def label_pairs(text: str) -> list[tuple[str | None, str]]:
    """A cell or line of labels with their values ("财务负责人：李四　填表人：王五") as (field, value)
    pairs; [] when it does not start with a label and a colon."""
    line = unicodedata.normalize("NFKC", one_line(text)).strip()
    found = list(_LABEL_PATTERN.finditer(line))
    if not found or found[0].start() != 0:
        return []
    pairs: list[tuple[str | None, str]] = []
    for match, after in zip(found, [*found[1:], None], strict=True):
        value = line[match.end():after.start() if after else len(line)].strip()
        field = label_field(match["label"])
        pairs.append((field[0] if field else None, value))
    return pairs


def row_labels(row: _Row) -> list[tuple[str | None, str]] | None:
    """The (field, value) pairs of a row made of labelled fields — a label and the value after it, or
    "label：value" in one cell; None when the row holds anything else."""
    own = [text for _, text in row.own_texts()]
    pairs: list[tuple[str | None, str]] = []
    position = 0
    while position < len(own):
        text = own[position]
        label, inline = label_field(text), label_pairs(text)
        if inline:
            pairs += inline
            position += 1
        elif label is not None:
            after = own[position + 1] if position + 1 < len(own) else ""
            value = "" if label_field(after) is not None or label_pairs(after) else after
            pairs.append((label[0], value))
            position += 2 if value else 1
        else:
            return None
    return pairs


def form_note(text: str) -> bool:
    """A note of the form ("注：1.一级指标分值统一设置为……")."""
    key = name_key(text)
    return key.startswith(FORM_NOTE_WORD) and len(key) > 1 and (key[1] == ":" or key[1].isdigit())


_FIELD_ORDER = ("name", "kind", "unit", "target", "actual", "weight", "score", "grade", "reason")


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """An indicator's keys in the model's order, so the data file reads like the example."""
    return {key: data[key] for key in _FIELD_ORDER if key in data}


_UNIT_LINE = re.compile(rf"^单位[:：]\s*{MONEY_UNIT}$")
_YEAR_LINE = re.compile(r"^[(（]?\s*\d{4}\s*年度?\s*[)）]?$")


def is_table_caption(text: str) -> bool:
    """Whether a paragraph is one a 自评表 stands among: 附件1, its title, "（2025年度）", "单位：万元",
    "年度总体目标", "绩效指标", or a note of the form."""
    line = one_line(text)
    key = name_key(line)
    return (key == name_key(TABLE_LABEL) or _UNIT_LINE.match(line) is not None or _YEAR_LINE.match(line) is not None
            or key in _GOAL_LABELS or key in _INDICATOR_LABELS
            or (len(line) <= 60 and any(line.endswith(name) for name in TABLE_NAMES)) or form_note(line))


_DEFAULT_FUNDING_WEIGHT = Funding.model_fields["weight"].default
"""The 预算执行率 分值 a data file need not write (财预〔2020〕10号)."""

_SIGNATURE_FIELDS = frozenset({"head", "finance_head", "preparer", "filled_on", None})
_NOTE_ITEM = re.compile(r"^\d+\s*[.．、]")


def table_paragraphs(texts: Sequence[str]) -> set[int]:
    """The indexes of the paragraphs a 自评表 prints around its grid (``is_table_caption``), its
    signature lines, and the numbered items continuing its note ("2. 正向、反向……计分") — those that
    speak of 分, as the form's notes do."""
    found: set[int] = set()
    in_note = False
    for index, text in enumerate(texts):
        signature = any(field in _SIGNATURE_FIELDS for field, _ in label_pairs(text))
        if is_table_caption(text) or signature:
            found.add(index)
            in_note = form_note(text)
        elif in_note and _NOTE_ITEM.match(text) and "分" in text:
            found.add(index)
        else:
            in_note = False
    return found


_ANY_YEAR = re.compile(r"\d{4}\s*年度?")


def table_title(lines: Sequence[str]) -> str | None:
    """The title a table carries when it is not the default one ("项目支出绩效自评表", "某局2025年度
    部门整体支出绩效评价评分表"), as written; None for the default title or none."""
    for line in lines:
        if len(line) <= 60 and any(line.endswith(name) for name in TABLE_NAMES):
            return None if name_key(DEFAULT_TITLE) == name_key(_ANY_YEAR.sub("", line)) else line
    return None


# ── Putting it together ───────────────────────────────────────────────────────────────────────


def read_assessment(grids: Sequence[Grid], lines: Sequence[str] = ()) -> TableReading | None:
    """The 自评表 in ``grids`` as ``assessment`` data with its review entries; None when no grid
    holds an indicator block (no 自评表 here). ``lines`` are the paragraphs around the tables (a
    Word file's), where the title stands."""
    reader = _Reader()
    reader.read(list(grids))
    if not reader.levels:
        return None
    reader.settle_kinds()
    for line in lines:  # signature lines under the table ("财务负责人：李四　填表人：王五")
        reader.take_labels(label_pairs(line))
    title = table_title([*reader.lines, *lines])
    assessment = _Assembly(reader).assessment(title)
    guessed = [entry for entry in reader.guessed if entry in reader.review]
    return TableReading(assessment, reader.review, reader.used, reader.lines, guessed,
                        [grids[index].rows for index in sorted(reader.used)])


class _Assembly:
    """The parts read, put together and checked against the scoring rules."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader

    def assessment(self, title: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if title:  # not taken: the form writes the title, with the year of the data
            self.r.note(ROOT, f"原表的标题是“{title}”；表题由所选的表格格式写出，需要时在 assessment.title "
                              "中写明（不带年度）")
        out.update(self._header())
        out["funding"] = self._funding()
        out["goals"] = self.r.goals or [{"target": TO_FILL, "result": TO_FILL}]
        if not self.r.goals:
            self.r.note(f"{ROOT}.goals", "原表没有年度总体目标（预期目标、实际完成情况），请补写")
        out["indicators"] = [_level(first) for first in self.r.levels]
        if self.r.rubric_rows:
            self.r.note(f"{ROOT}.indicators", f"原表是评分表，{self.r.rubric_rows} 项指标没有年度指标值和实际完成值："
                                              f"年度指标值取自评分标准，实际完成值写作“{RUBRIC_ACTUAL}”，请按实际改写")
        self._check(out)
        return out

    def _header(self) -> dict[str, Any]:
        """The fields above and below the table that the data has (the model may lack the signatures)."""
        from selfeval_cli.model.assessment import Assessment

        header, out = dict(self.r.header), dict[str, Any]()
        implementer = header.pop("implementer", None)
        if implementer and "unit" not in header:
            header["unit"] = implementer
        elif implementer and implementer != header["unit"]:
            self.r.note(ROOT, f"原表的实施单位“{implementer}”没有对应的字段，未导入")
        for key, text in header.items():
            value: str | dt.date | None = _date(text) if key == "filled_on" else text
            if value is None:
                self.r.note(ROOT, f"原表的填报日期“{text}”读不出日期，未导入")
            elif key in Assessment.model_fields:
                out[key] = value
        return out

    def _funding(self) -> dict[str, Any]:
        rows = self.r.funding
        indicator_weights = sum((Decimal(str(ind.get("weight", 0))) for first in self.r.levels
                                 for second in first["children"] for ind in second["indicators"]), Decimal(0))
        if not rows:
            weight = max(Decimal(0), 100 - indicator_weights)
            self.r.note(f"{ROOT}.funding", f"原表没有资金情况（年初预算数、全年预算数、全年执行数），请从决算表补写；"
                                           f"预算执行率的分值按 100 减去指标分值合计读作 {points(weight)}")
            return {"total": {"name": FUNDING_TOTAL, "initial": TO_FILL, "budget": TO_FILL, "executed": TO_FILL},
                    "weight": points(weight)}
        total, *parts = rows
        funding: dict[str, Any] = {"total": total.data}
        if parts:
            funding["parts"] = [part.data for part in parts]
        if total.weight is not None:
            if total.weight.value != _DEFAULT_FUNDING_WEIGHT:  # like the basis: written only when not the rule's
                funding["weight"] = points(total.weight.value)
        else:
            weight = max(Decimal(0), 100 - indicator_weights)
            funding["weight"] = points(weight)
            self.r.note(f"{ROOT}.funding", f"{total.where}的预算执行率没有写分值，按 100 减去指标分值合计读作 "
                                           f"{points(weight)}，请核对")
        basis = self.r.basis or self._basis_by_rate(total)
        if basis != "全年预算数":
            funding["basis"] = basis
        if self.r.funding_reason:
            funding["reason"] = self.r.funding_reason
        return funding

    def _basis_by_rate(self, total: _FundingRow) -> str:
        """The 执行率's divisor when the column does not say: 年初预算数 when the typed rate is that one's."""
        from selfeval_cli.model.scoring import execution_rate

        if total.rate is None:
            return "全年预算数"
        data = total.data
        on_budget = execution_rate(data["executed"], data["budget"])
        on_initial = execution_rate(data["executed"], data["initial"])
        if on_initial is not None and abs(on_initial - total.rate.value) <= TOLERANCE and (
                on_budget is None or abs(on_budget - total.rate.value) > TOLERANCE):
            self.r.note(f"{ROOT}.funding", f"{total.rate.cell}的执行率是按年初预算数算的，已按此读取，请核对")
            return "年初预算数"
        return "全年预算数"

    def _check(self, data: dict[str, Any]) -> None:
        """Compare what the table states with what selfeval computes; each difference a review entry."""
        from pydantic import ValidationError

        from selfeval_cli.model.assessment import Assessment
        from selfeval_cli.model.scoring import score_table

        checked = dict(data)
        if not self.r.funding:  # a 评分表: no amounts, and a weight of 0 makes them matter to no score
            checked["funding"] = {**data["funding"], "total": {"name": FUNDING_TOTAL, "initial": 1, "budget": 1,
                                                                "executed": 1}}
        if not self.r.goals:
            checked["goals"] = [{"target": RUBRIC_ACTUAL, "result": RUBRIC_ACTUAL}]
        try:
            table = score_table(Assessment.model_validate(checked))
        except ValidationError as exc:
            self.r.note(ROOT, f"自评表中有 {exc.error_count()} 处需要先改正（validate 逐条列出），"
                              "改正前未与原表的执行率、小计、总分和等级核对")
            return
        for line in _differences(self.r, table):
            self.r.note(*line)


def _level(level: dict[str, Any]) -> dict[str, Any]:
    """A level's keys in the model's order (name, weight, then what stands under it)."""
    out: dict[str, Any] = {key: level[key] for key in ("name", "weight") if key in level}
    if "children" in level:
        out["children"] = [_level(child) for child in level["children"]]
    if "indicators" in level:
        out["indicators"] = level["indicators"]
    return out


_DATE = re.compile(r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$")


def _date(text: str) -> dt.date | None:
    """"2026年3月5日", "2026-03-05", "2026.3.5" as a date; None for anything else."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _differences(reader: _Reader, table: Any) -> Iterator[tuple[str, str]]:
    """Review entries for each figure the table states that the computed view does not."""
    funding = table.funding
    rows = [funding.total, *funding.parts]
    for read, scored in zip(reader.funding, rows, strict=False):
        # A rate typed as a fraction (0.9737 in a General cell) is the same rate.
        if read.rate is not None and (scored.rate is None or all(
                abs(typed - scored.rate) > TOLERANCE for typed in (read.rate.value, read.rate.value * 100))):
            computed = "无法计算" if scored.rate is None else f"{scored.rate}%"
            yield (f"{ROOT}.funding", f"{read.rate.cell}的执行率 {read.rate.value}% 与计算的 {computed} 不符"
                                      f"（{scored.row.name}），请核对")
    if reader.funding and reader.funding[0].score is not None:
        typed = reader.funding[0].score
        if abs(typed.value - funding.score) > TOLERANCE:
            yield (f"{ROOT}.funding", f"{typed.cell}的执行率得分 {typed.value} 与计算的 {funding.score} 不符，请核对")
    levels = {first.path: first for first in table.levels}
    levels.update({second.path: second for first in table.levels for second in first.children})
    by_path = {_path(*(p for p in level.path if isinstance(p, int))): level for level in levels.values()}
    for path, typed_score, cell in reader.level_scores:
        level = by_path.get(path)
        if level is not None and abs(typed_score - level.score) > TOLERANCE:
            yield path, f"{cell}的小计得分 {typed_score} 与其下各项得分之和 {level.score} 不符，请核对"
    for path, weight, where in reader.level_weights:
        level = by_path.get(path)
        if level is not None and weight != level.weight:
            yield path, f"{where}写的分值 {weight} 与其下各项分值之和 {level.weight} 不符，请核对"
    yield from _total_differences(reader, table)


def _total_differences(reader: _Reader, table: Any) -> Iterator[tuple[str, str]]:
    """The 总分, its 分值 and the 等级 the table states, against the computed ones. A 合计 that leaves
    the 执行率 out (an export's indicator sheet) agrees when it is the indicators' own sum."""
    weights = {table.total_weight, table.total_weight - table.funding.weight}
    scores = (table.total_score, table.total_score - table.funding.score)
    typed_weight, typed_score = reader.total_weight, reader.total_score
    if typed_weight is not None and typed_weight.value not in weights:
        yield ROOT, f"{typed_weight.cell}的分值合计 {typed_weight.value} 与计算的 {table.total_weight} 不符，请核对"
    if typed_score is not None and all(abs(typed_score.value - s) > TOLERANCE for s in scores):
        yield ROOT, f"{typed_score.cell}的总分 {typed_score.value} 与计算的 {table.total_score} 不符，请核对"
    stated = reader.header.get("total")
    if stated is not None:
        said = number(re.split(r"[（(]", stated)[0], "分")
        if said is None or abs(said - table.total_score) > TOLERANCE:
            yield ROOT, f"表头的自评总分“{stated}”与计算的 {table.total_score} 不符，请核对"
    if reader.grade is not None and reader.grade[0] != table.grade:
        yield ROOT, (f"{reader.grade[1]}的等级“{reader.grade[0]}”与按总分 {table.total_score} 评定的“{table.grade}”"
                     "不符，请核对")


def document_grids(document: SourceDocument) -> list[Grid]:
    """The tables of a Word or PDF file as grids, named as the reader names them ("表2", "第3页表1")."""
    grids = []
    for index, rows in enumerate(document.tables):
        name = document.table_names[index] if index < len(document.table_names) else f"表{index + 1}"
        merged = document.merged[index] if index < len(document.merged) else {}
        grids.append(Grid(rows, name, merged))
    return grids
