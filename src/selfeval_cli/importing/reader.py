"""Reading a published report back: its paragraphs as text, from a .docx or a plain-text file.

A .docx is read with python-docx: each paragraph's text, and whether Word numbers it itself
(automatic list numbering leaves the number out of the text, so its level is kept instead); the
tables too. A .txt (the report as published on a website, or extracted from a Word file) is read
line by line, with extraction leftovers such as ``[bookmark: _GoBack]`` removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from selfeval_cli.data.loader import read_text
from selfeval_cli.errors import InputFileError


@dataclass(frozen=True)
class Para:
    """One paragraph of the source: its text, and the list level Word numbers it at (if it does)."""

    text: str
    list_level: int | None = None
    """0-based level of Word's automatic numbering; None when any number is typed in the text."""
    style: str = ""


@dataclass
class SourceDocument:
    """The paragraphs of a report, in order, and its tables (rows of cell texts)."""

    paragraphs: list[Para]
    tables: list[list[list[str]]] = field(default_factory=list)


_LEFTOVER = re.compile(r"\[bookmark: [^\]]*\]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def tidy(text: str) -> str:
    """A paragraph's text without extraction leftovers and with runs of spaces folded."""
    return _SPACES.sub(" ", _LEFTOVER.sub("", text)).strip()


def read_document(path: Path) -> SourceDocument:
    """The paragraphs (and tables) of ``path``: .docx by python-docx, anything else as UTF-8/GBK text.

    Raises InputFileError when the file cannot be read.
    """
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    text, _ = read_text(path, str(path))
    return SourceDocument([Para(t) for t in (tidy(line) for line in text.splitlines()) if t])


def _read_docx(path: Path) -> SourceDocument:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not path.is_file():
        raise InputFileError(str(path), "文件不存在")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(str(path), f"不是可以读取的 Word（.docx）文件（{exc}）") from exc
    paragraphs = []
    for paragraph in document.paragraphs:
        text = tidy(paragraph.text)
        if not text:
            continue
        level = _list_level(paragraph._p.pPr) if paragraph._p.pPr is not None else None
        if level is None and paragraph.style is not None:  # numbered through its style ("List Number")
            level = _list_level(paragraph.style.element.pPr)
        style = paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""
        paragraphs.append(Para(text, level, style))
    tables = [[[tidy(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]
    return SourceDocument(paragraphs, tables)


def _list_level(p_pr: Any) -> int | None:
    """The level Word's automatic numbering gives a paragraph (from ``w:numPr``), or None."""
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    if num_id is None or num_id.get(qn("w:val")) in (None, "0"):  # numId 0 switches numbering off
        return None
    return int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
