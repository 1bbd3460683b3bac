"""Reading a published report back: its paragraphs as text, from the files departments have.

A .docx is read with python-docx: each paragraph's text, and whether Word numbers it itself
(automatic list numbering leaves the number out of the text, so its level is kept instead); the
tables too. A .doc or .wps is converted to .docx by LibreOffice first (``importing.convert``) and
then read the same way. A .pdf is read with pdfplumber (``importing.pdf``): its lines rejoined into
paragraphs, running headers and page numbers dropped, its tables kept as tables. Any other file is
text (the report as published on a website, copied from a PDF viewer, or extracted from a Word
file): one paragraph a line, or hard-wrapped lines rejoined, or a run pasted as one line split at
its headings (``importing.text``), with extraction leftovers such as ``[bookmark: _GoBack]``
removed and the ASCII punctuation of Chinese text made full-width.

Whatever the format, a table of contents near the start is left out of the paragraphs (it would
read as a second set of chapters) and kept in ``SourceDocument.contents``, to be named in the review.

A .docx comes from outside: it is checked by ``importing.office`` before python-docx opens it, and
whatever python-docx or lxml then finds wrong in it is refused as an unreadable file. Reading takes
time linear in the document: styles are resolved once, not looked up paragraph by paragraph, and
tables are read row by row without python-docx's search of the rows above for merged cells. It
stops as soon as the text read could not fit in one data file (the loader's ``MAX_BYTES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from selfeval_cli.errors import InputFileError
from selfeval_cli.importing.office import WORD, check_office_zip, unreadable
from selfeval_cli.importing.text import find_contents, normalise, text_paragraphs
from selfeval_cli.model.loader import MAX_BYTES, read_text
from selfeval_cli.problems import Problem

MergedCells = dict[int, list[tuple[int, int]]]
"""The cells of a table that continue a merged cell: row → runs of columns [start, stop). Runs, not
cells: a hostile table of cells spanning 63 columns each stays as small as its text."""


def mark_merged(merged: MergedCells, row: int, start: int, stop: int) -> None:
    """Note columns [start, stop) of ``row`` as continuing a merged cell (joining the run before them)."""
    if start >= stop:
        return
    runs = merged.setdefault(row, [])
    if runs and runs[-1][1] == start:
        runs[-1] = (runs[-1][0], stop)
    else:
        runs.append((start, stop))


@dataclass(frozen=True)
class Para:
    """One paragraph of the source: its text, and the list level Word numbers it at (if it does)."""

    text: str
    list_level: int | None = None
    """0-based level of Word's automatic numbering; None when any number is typed in the text."""
    style: str = ""


@dataclass
class SourceDocument:
    """The paragraphs of a report, in order, its tables (rows of cell texts), and notes on reading it."""

    paragraphs: list[Para]
    tables: list[list[list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Warnings about the source itself, located in it (a text file read as GB18030)."""
    contents: list[str] = field(default_factory=list)
    """The lines of the table of contents, left out of ``paragraphs``."""
    table_names: list[str] = field(default_factory=list)
    """How a review entry names each table ("表2", "第3页表1"); empty: by its position, "表N"."""
    merged: list[MergedCells] = field(default_factory=list)
    """For each table, the cells that continue a merged cell: they repeat its text (Word) or are
    empty (PDF). Empty when the reader cannot tell."""


_LEFTOVER = re.compile(r"\[bookmark: [^\]]*\]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def tidy(text: str) -> str:
    """A paragraph's text without extraction leftovers and with runs of spaces folded."""
    return _SPACES.sub(" ", _LEFTOVER.sub("", text)).strip()


def too_long(path: Path, what: str) -> InputFileError:
    """The refusal of a source whose data file ``validate`` would refuse: ``what`` exceeds its size limit."""
    limit = MAX_BYTES // 1024 // 1024
    return InputFileError(str(path), f"原文太长，一个数据文件容纳不下：{what}超过数据文件的上限 {limit} MiB"
                                     "（一份报告通常约 40 KiB，请检查是否选错了文件）")


CONVERTED = (".doc", ".wps")
"""Word's and WPS's older formats: LibreOffice converts them to .docx."""


def read_document(path: Path) -> SourceDocument:
    """The paragraphs (and tables) of ``path``, by its extension: .docx, .doc/.wps, .pdf, else text.

    Raises InputFileError when the file cannot be read, or its text cannot fit in one data file (a
    text file cannot: it is held to the same limit as a data file).
    """
    suffix = path.suffix.lower()
    if suffix == ".docx":
        document = _read_docx(path)
    elif suffix in CONVERTED:
        document = _read_converted(path)
    elif suffix == ".pdf":
        from selfeval_cli.importing.pdf import read_pdf

        document = read_pdf(path)
    else:
        text, notes = read_text(path, str(path))
        paragraphs = (tidy(normalise(paragraph)) for paragraph in text_paragraphs(text))
        document = SourceDocument([Para(t) for t in paragraphs if t], problems=notes)
    return _without_contents(document)


def _without_contents(document: SourceDocument) -> SourceDocument:
    """``document`` with its table of contents moved from the paragraphs to ``contents``: the
    paragraphs in Word's contents styles ("toc 1", …) and the block ``find_contents`` finds."""
    kept = [p for p in document.paragraphs if not p.style.lower().startswith("toc ")]
    contents = [p.text for p in document.paragraphs if p.style.lower().startswith("toc ")]
    found = find_contents([p.text for p in kept])
    if found is not None:
        contents += [kept[i].text for i in found]
        kept = kept[:found.start] + kept[found.stop:]
    document.paragraphs, document.contents = kept, contents
    return document


def _read_converted(path: Path) -> SourceDocument:
    """A .doc or .wps converted to .docx by LibreOffice, read as one; errors name ``path``."""
    import tempfile

    from selfeval_cli.importing.convert import to_docx

    with tempfile.TemporaryDirectory(prefix="selfeval-import-") as folder:
        converted = to_docx(path, Path(folder))
        try:
            return _read_docx(converted)
        except InputFileError as exc:  # about the converted file: say it of the one the user gave
            raise InputFileError(str(path), exc.reason.replace(str(converted), str(path))) from exc


def _read_docx(path: Path) -> SourceDocument:
    """Check ``path`` as an Office archive, open it with python-docx, read its body."""
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.exceptions import InvalidXmlError
    from lxml import etree

    if not path.is_file():
        raise InputFileError(str(path), "文件不存在")
    check_office_zip(path, WORD)
    try:
        document = docx.Document(str(path))
        return _read_body(path, document)
    except etree.LxmlError as exc:  # malformed XML: truncated, mistyped
        raise unreadable(path, WORD, f"其中的 XML 不完整或有误（{exc}）") from exc
    except RecursionError as exc:  # python-docx walks the parts' relationships recursively
        raise unreadable(path, WORD, "部件之间的引用层次过深") from exc
    except (InvalidXmlError, PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error,
            EOFError) as exc:
        # What python-docx raises for a part, a relationship or a value that is missing or out of
        # place (ValueError includes its "not a Word file" and a mistyped attribute value).
        raise unreadable(path, WORD, f"内容不符合 Word 文件的格式（{type(exc).__name__}: {exc}）") from exc


def _read_body(path: Path, document: Any) -> SourceDocument:
    """The paragraphs and tables that stand directly in the document's body, in one pass each."""
    body = document.element.find(qn("w:body"))
    if body is None:
        raise unreadable(path, WORD, "正文部件中没有正文（w:body）")
    styles = _ParagraphStyles(_styles_element(path, document))
    budget = Budget(path)
    paragraphs = []
    for p in body.iterchildren(qn("w:p")):
        text = tidy(normalise(p.text))  # typed in Word with half-width punctuation too: "无出国(境)费用"
        if not text:
            continue
        budget.spend(text)
        style = styles.of(p.style)
        level = _list_level(p.pPr)
        if level is None and style is not None:  # numbered through its style ("List Number")
            level = style.level
        paragraphs.append(Para(text, level, style.name if style is not None else ""))
    read = [_table_rows(tbl, budget) for tbl in body.iterchildren(qn("w:tbl"))]
    return SourceDocument(paragraphs, [rows for rows, _ in read], merged=[merged for _, merged in read],
                          table_names=[f"表{n}" for n in range(1, len(read) + 1)])


class Budget:
    """The text read so far, against the size limit of one data file.

    Each paragraph and each table cell takes at least its text and one more byte (a line break, a
    separator) in the data file: once they exceed the limit, the source is refused, before a huge
    document has become millions of objects.
    """

    def __init__(self, path: Path) -> None:
        self._path, self._left = path, MAX_BYTES

    def spend(self, text: str, times: int = 1) -> None:
        """Count ``text`` (``times`` over, for a cell spanning columns); raises InputFileError past the limit."""
        self._left -= (len(text.encode("utf-8")) + 1) * times
        if self._left < 0:
            raise too_long(self._path, "其中的文字")


def _styles_element(path: Path, document: Any) -> Any:
    """The ``w:styles`` element (python-docx supplies its default styles when the file has none)."""
    try:
        return document.styles.element
    except AttributeError as exc:  # the styles relationship leads to a part that is not XML
        raise unreadable(path, WORD, "样式部件不是 XML") from exc


@dataclass(frozen=True)
class _Style:
    """What a paragraph takes from its style: the style's name and the list level it numbers at."""

    name: str
    level: int | None


class _ParagraphStyles:
    """The paragraph styles of a document, resolved the way python-docx's ``Paragraph.style`` does.

    python-docx looks the style up anew for every paragraph, and a paragraph without a style of its
    own makes it scan every style for the default: with ~160 styles that cost milliseconds per
    paragraph. Here the styles are indexed once and each one resolved at most once.
    """

    def __init__(self, styles: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self._paragraph = WD_STYLE_TYPE.PARAGRAPH
        self._by_id: dict[str, Any] = {}
        default = None
        for style in styles.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id is not None:
                self._by_id.setdefault(style_id, style)  # the first one, as python-docx's get_by_id
            if style.type == self._paragraph and style.default:
                default = style  # the last default counts, as in Word and python-docx
        self._default = default
        self._resolved: dict[str | None, _Style | None] = {}

    def of(self, style_id: str | None) -> _Style | None:
        """The style of a paragraph whose ``w:pStyle`` is ``style_id``: that paragraph style if it
        exists, else the default paragraph style (None when there is none)."""
        if style_id not in self._resolved:
            found = self._by_id.get(style_id) if style_id else None
            if found is None or found.type != self._paragraph:
                found = self._default
            self._resolved[style_id] = None if found is None else _Style(_style_name(found), _list_level(found.pPr))
        return self._resolved[style_id]


def _style_name(style: Any) -> str:
    """The name Word shows for ``style`` ("Heading 1" for the stored "heading 1"), "" when it has none."""
    from docx.styles import BabelFish

    name = style.name_val
    return BabelFish.internal2ui(name) if name else ""


def _table_rows(tbl: Any, budget: Budget) -> tuple[list[list[str]], MergedCells]:
    """A table's rows as python-docx's ``row.cells`` gives them, in linear time, and the cells that
    continue a merged cell (``gridSpan``, ``vMerge``): the 自评表's reader tells a merged 一级 from
    a name repeated on every row by them.

    A cell spanning columns appears once per column; a cell continuing a vertical merge repeats the
    text standing at its column in the row above. python-docx finds that cell by searching the rows
    above, recursively, which takes quadratic time and fails on long merges; here the previous row's
    texts are kept by column. A merge with nothing above it reads as empty (python-docx fails).
    """
    rows: list[list[str]] = []
    merged: MergedCells = {}
    above: dict[int, str] = {}
    for tr in tbl.iterchildren(qn("w:tr")):
        row: list[str] = []
        here: dict[int, str] = {}
        column = tr.grid_before
        for tc in tr.iterchildren(qn("w:tc")):
            continued = tc.vMerge == "continue"
            text = above.get(column, "") if continued else tidy("\n".join(p.text for p in tc.iterchildren(qn("w:p"))))
            span = min(max(tc.grid_span, 1), _MAX_COLUMNS)
            budget.spend(text, span)
            for offset in range(span):
                here[column + offset] = text
            if continued or span > 1:
                mark_merged(merged, len(rows), column if continued else column + 1, column + span)
            row += [text] * span
            column += span
        rows.append(row)
        above = here
    return rows, merged


def _list_level(p_pr: Any) -> int | None:
    """The level Word's automatic numbering gives a paragraph (from ``w:numPr``), or None."""
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    if num_id is None or num_id.get(qn("w:val")) in (None, "0"):  # numId 0 switches numbering off
        return None
    level = ilvl.get(qn("w:val")) if ilvl is not None else None
    if level is None or not level.isdecimal():
        return 0  # no level given (or none readable): Word's first
    return min(int(level), _MAX_LEVEL)


_MAX_LEVEL = 8
"""Word's list levels are 0 to 8; a larger level is read as the last one."""

_MAX_COLUMNS = 63
"""Word's tables have at most 63 columns: a wider span is damage, not a table."""
