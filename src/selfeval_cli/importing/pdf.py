"""Reading a report published as PDF: its paragraphs rejoined from the lines of its pages, its tables.

pdfplumber gives each page's text lines with the position of every character. From them:

* running headers and footers are dropped: a line at the top or bottom of a page that stands at the
  same height with the same text (its digits aside) on many pages (odd and even pages may have
  headers of their own), and a page number standing alone ("— 3 —", "- 3 -", "第3页", "3/12") as a
  page's first or last line;
* tables found by their rules (pdfplumber's ``find_tables``) are kept as tables, rows of cell texts,
  and their text is left out of the lines;
* the lines of all pages are rejoined into paragraphs by ``text.join_lines``: the body's left
  margin (where continuation lines start) tells a first-line indent, its right margin (where the
  longest lines end) a line that stops short; a wider gap than between lines starts a paragraph;
* the text is normalised like a text file's (ASCII punctuation of Chinese text made full-width), and
  the spaces that justified lines open between Chinese characters and figures are closed.

A PDF comes from outside and pdfminer parses it all in Python, so it is held to limits: the file's
size, the number of pages, the characters on a page, the time taken, and the text read (no more
than one data file can hold). A PDF that pdfminer cannot read — damaged, or with an open password
— is refused with a reason; since pdfminer raises exceptions of many types for damaged files, every
exception from it is caught at this boundary and reported as an unreadable PDF.
"""

from __future__ import annotations

import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from selfeval_cli.errors import InputFileError
from selfeval_cli.importing.reader import Budget, MergedCells, Para, SourceDocument, mark_merged, tidy
from selfeval_cli.importing.text import PAGE_NUMBER_LINE, Line, close_up, glue, join_lines, normalise

MIB = 1024 * 1024

MAX_BYTES = 50 * MIB
"""A report as PDF is well under 5 MiB, a few MiB more with photographs."""

MAX_PAGES = 300
"""A report has 5 to 30 pages; with its attachments rarely 100."""

MAX_CHARS_PER_PAGE = 20_000
"""An A4 page of 6 pt text holds about 6 000 characters: more is not a page of a report."""

MAX_SECONDS = 60
"""Reading a report's PDF takes well under a second a page; a file that takes this long is refused."""

SPACE_RATIO = 0.3
"""A space is read between two characters only when the gap is wider than this part of the font
size: LibreOffice and Word set a quarter of a character between Chinese text and figures
("开展 2025 年度"), which is layout, not a space in the text."""

EDGE_LINES = 2
"""How many lines at the top and the bottom of a page can be a running header or footer."""

_BARE_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
"""A page's number without decoration: a page number only as a page's first or last line."""


@dataclass(frozen=True)
class _Text:
    """A line of a page as pdfplumber reads it: its text, where it stands, its font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Page:
    """What one page holds: its lines of text (outside tables) and its tables."""

    lines: list[_Text]
    tables: list[list[list[str]]] = field(default_factory=list)
    merged: list[MergedCells] = field(default_factory=list)
    """For each table, the cells a merged cell covers (pdfplumber gives them as None)."""
    width: float = 0.0
    """The page's width: a landscape page (the 自评表 of 附件1) has margins of its own."""


def _unreadable(path: Path, reason: str) -> InputFileError:
    return InputFileError(str(path), f"不是可以读取的 PDF 文件：{reason}")


def read_pdf(path: Path) -> SourceDocument:
    """The paragraphs and tables of the PDF at ``path``. Raises InputFileError (see the module)."""
    import pdfplumber

    _check_size(path)
    deadline = time.monotonic() + MAX_SECONDS
    try:
        with _pdfminer_quiet(), pdfplumber.open(path) as pdf:
            pages = [_read_page(path, page, deadline) for page in _pages(path, pdf)]
    except InputFileError:
        raise
    except Exception as exc:  # pdfminer raises many exception types for damaged files: all mean the same
        raise _refusal(path, exc) from exc
    return _document(path, pages)


def _check_size(path: Path) -> None:
    if not path.is_file():
        raise InputFileError(str(path), "文件不存在")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(str(path), f"无法读取文件（{exc.strerror or exc}）") from exc
    if size > MAX_BYTES:
        raise _unreadable(path, f"文件有 {size // MIB} MiB，超过上限 {MAX_BYTES // MIB} MiB"
                                "（报告通常不到 5 MiB；请检查是否选错了文件）")


@contextmanager
def _pdfminer_quiet() -> Iterator[None]:
    """pdfminer logs the damage it works around ("CropBox missing…"); Python would print it on the
    terminal. What matters to the user is said by the refusal, so its log is silenced meanwhile."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _refusal(path: Path, exc: Exception) -> InputFileError:
    """The refusal of a PDF that pdfminer (or pdfplumber around it) could not read."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return _unreadable(path, "设了打开密码：请用不设密码的文件，或原来的 Word 文件")
    if isinstance(cause, PDFEncryptionError):
        return _unreadable(path, f"加密方式不受支持（{cause}）：请用不加密的文件，或原来的 Word 文件")
    detail = f"{type(cause).__name__}: {cause}"
    return _unreadable(path, f"已损坏或不符合 PDF 的格式（{detail[:200]}）")


def _pages(path: Path, pdf: Any) -> list[Any]:
    """The pages of ``pdf``, refused beyond ``MAX_PAGES`` — by the count the file states before
    pdfplumber lists them (a page tree of a million pages takes minutes to list)."""
    from pdfminer.pdftypes import resolve1

    stated = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count")) if "Pages" in pdf.doc.catalog else 0
    if isinstance(stated, int) and stated > MAX_PAGES:
        raise _unreadable(path, f"共 {stated} 页，超过上限 {MAX_PAGES} 页")
    pages = list(pdf.pages)
    if len(pages) > MAX_PAGES:
        raise _unreadable(path, f"共 {len(pages)} 页，超过上限 {MAX_PAGES} 页")
    return pages


def _read_page(path: Path, page: Any, deadline: float) -> _Page:
    """The lines and tables of one page; refuses a page too dense, or reading past ``deadline``.
    The page's parsed objects are let go once read: a long PDF is not held in memory page by page."""
    if time.monotonic() > deadline:
        raise _unreadable(path, f"读取超过 {MAX_SECONDS} 秒，已放弃（第 {page.page_number} 页）")
    try:
        return _page_content(path, page)
    finally:
        page.close()


def _page_content(path: Path, page: Any) -> _Page:
    """What ``_read_page`` reads: the page's tables, and its lines outside them."""
    if len(page.chars) > MAX_CHARS_PER_PAGE:
        raise _unreadable(path, f"第 {page.page_number} 页有 {len(page.chars)} 个字符，"
                                f"超过每页的上限 {MAX_CHARS_PER_PAGE} 个")
    found = page.find_tables()
    extracted = [table.extract() for table in found]
    tables = [[[_cell(cell) for cell in row] for row in rows] for rows in extracted]
    merged = [_covered(rows) for rows in extracted]
    body = page
    for table in found:  # the table's text is in the table, not among the lines
        body = body.outside_bbox(table.bbox, strict=False)
    lines = []
    for line in body.extract_text_lines(x_tolerance_ratio=SPACE_RATIO, return_chars=True):
        text = line["text"].strip()
        if text:
            size = statistics.median(char["size"] for char in line["chars"]) if line["chars"] else 12.0
            lines.append(_Text(text, line["x0"], line["x1"], line["top"], line["bottom"], size or 12.0))
    return _Page(lines, tables, merged, float(page.width or 0.0))


def _covered(rows: list[list[str | None]]) -> MergedCells:
    """The cells of an extracted table that a merged cell covers: pdfplumber gives them as None."""
    covered: MergedCells = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None:
                mark_merged(covered, r, c, c + 1)
    return covered


def _cell(text: str | None) -> str:
    """A table cell's text: its lines joined as a paragraph's (a cell wraps like a page)."""
    return tidy(close_up(normalise(glue([line.strip() for line in (text or "").splitlines()]))))


def _document(path: Path, pages: list[_Page]) -> SourceDocument:
    """The paragraphs of all pages, headers, footers and page numbers left out, and the tables."""
    running = _running(pages)
    kept = [[line for index, line in enumerate(page.lines) if (number, index) not in running]
            for number, page in enumerate(pages)]
    lines = _positioned(kept, [page.width for page in pages])
    tables = [table for page in pages for table in page.tables]
    names = [f"第{number}页表{index}" for number, page in enumerate(pages, start=1)
             for index in range(1, len(page.tables) + 1)]
    if not lines and not tables:
        raise _unreadable(path, "其中没有可以读取的文字（可能是扫描得到的图片）：请用原来的 Word 文件，"
                                "或先做文字识别")
    budget = Budget(path)
    paragraphs = []
    for paragraph in join_lines(lines):
        text = tidy(close_up(normalise(paragraph)))
        if text:
            budget.spend(text)
            paragraphs.append(Para(text))
    for table in tables:
        for row in table:
            for cell in row:
                budget.spend(cell)
    return SourceDocument(paragraphs, tables, table_names=names,
                          merged=[merged for page in pages for merged in page.merged])


def _running(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page, line) of every running header or footer and page number.

    A line among the first or last ``EDGE_LINES`` of a page is running when a line of the same text
    (digits aside) stands at the same height on at least two pages and 40 % of them (alternating
    odd and even headers stand on half); a page's first or last line is a page number when that is
    all it says.
    """
    def edges(page: _Page) -> list[int]:
        count = len(page.lines)
        return sorted({*range(min(EDGE_LINES, count)), *range(max(count - EDGE_LINES, 0), count)})

    def key(line: _Text) -> tuple[str, int]:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text)), round(line.top / 3)

    seen = Counter(k for page in pages for k in {key(page.lines[i]) for i in edges(page)})
    often = max(2.0, 0.4 * len(pages))
    running = set()
    for number, page in enumerate(pages):
        for index in edges(page):
            line = page.lines[index]
            number_alone = PAGE_NUMBER_LINE.match(line.text) or _BARE_PAGE_NUMBER.match(line.text)
            alone = index in (0, len(page.lines) - 1) and number_alone is not None
            if alone or seen[key(line)] >= often:
                running.add((number, index))
    return running


def _positioned(pages: list[list[_Text]], widths: list[float] | None = None) -> list[Line]:
    """The lines of all pages, with their indent, their room to the right margin and the gap above
    them, measured against the body's margins (in characters of their own font size). Pages of
    another width (a landscape 附件1 among portrait pages) are measured against their own margins:
    else every line of a wide page would reach the narrow pages' right margin, and run on into the
    next page's first line."""
    every = [line for page in pages for line in page]
    if not every:
        return []
    sizes = [round(width) for width in widths] if widths and len(widths) == len(pages) else [0] * len(pages)
    margins = {size: _margins([line for page, own in zip(pages, sizes, strict=True) if own == size for line in page])
               for size in set(sizes)}
    spacing = [below.top - above.bottom for page in pages for above, below in pairwise(page)]
    usual = statistics.median(spacing) if spacing else 0.0
    lines = []
    for page, size in zip(pages, sizes, strict=True):
        left, right = margins[size]
        above: _Text | None = None
        for line in page:
            gap = above is not None and line.top - above.bottom > usual + 0.8 * line.size
            offset = (line.x0 - left) / line.size
            lines.append(Line(line.text, indent=offset >= 1.5, room=max(right - line.x1, 0.0) / line.size,
                              gap_before=gap, offset=max(offset, 0.0), size=line.size))
            above = line
    return lines


def _margins(every: list[_Text]) -> tuple[float, float]:
    """The left and right margins of the body the lines ``every`` stand in (0, 0 when there are none)."""
    if not every:
        return 0.0, 0.0
    starts = Counter(round(line.x0) for line in every)
    # The left margin is where continuation lines start: the leftmost start shared by a few lines
    # (not the commonest: a report of short paragraphs has more first lines than continuations).
    left = min((x for x, count in starts.items() if count >= max(2, len(every) // 20)), default=min(starts))
    ends = sorted(line.x1 for line in every)
    return left, ends[-max(1, len(ends) // 20)]  # where the longest lines end, a stray wider line aside
