"""Reading a built report back: text, styles and raw XML values, for the tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(path: Path) -> Document:
    return docx.Document(str(path))


def style_xml(doc: Document, name: str) -> BaseOxmlElement:
    element: BaseOxmlElement = doc.styles[name].element
    return element


def style_name(paragraph: Any) -> str:
    """The name of a paragraph's (or run's) style; every one the writer makes has a style."""
    assert paragraph.style is not None and paragraph.style.name is not None
    name: str = paragraph.style.name
    return name


def attr(element: BaseOxmlElement | None, path: str, name: str) -> str | None:
    """The ``w:name`` attribute of the first ``path`` (``w:`` prefixed tags, '/'-separated) below element."""
    if element is None:
        return None
    found = element.find("/".join(qn(part) for part in path.split("/")))
    return None if found is None else found.get(qn(f"w:{name}"))


def body_texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def part_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def part_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def clauses(text: str) -> list[str]:
    """Split prose into clauses at Chinese sentence and clause punctuation."""
    return [c for c in re.split(r"[。；：！？\n]", text) if c]
