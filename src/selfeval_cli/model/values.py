"""Raw data values: field paths, looking a path up, the texts of a document, describing a value.

Loader, model messages, cross-checks and new-year all speak of places in the data by field
path (``department.units[3].name``); these helpers are the one definition of that language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

FieldPath = tuple[str | int, ...]

_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def dotted(path: FieldPath) -> str:
    """``('department', 'units', 3, 'name')`` → ``department.units[3].name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_dotted(text: str) -> FieldPath:
    """``department.units[3].name`` → ``('department', 'units', 3, 'name')``; the inverse of ``dotted``."""
    return tuple(int(m[1]) if m[1] is not None else m[2] for m in _PATH_PART.finditer(text))


MISSING = object()
"""What ``value_at`` returns for a path the data does not have."""


def value_at(data: Any, path: FieldPath) -> Any:
    """The value at ``path`` in raw (or dumped) data, or ``MISSING``."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return data


def text_fields(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every text value of raw or dumped data, with its field path, in document order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from text_fields(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from text_fields(child, (*path, index))


def quoted(name: str) -> str:
    """A name in Chinese quotation marks for a message, unless it carries its own (“三公”经费变动率):
    ““三公”经费变动率” would read as a typo."""
    return name if "“" in name or "”" in name else f"“{name}”"


def describe(value: Any) -> str:
    """A short Chinese description of a value, for messages ("实际为…")."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}"
    if isinstance(value, int | Decimal | float):
        return f"数字 {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:30] + "…"
        return f"文本“{shown}”"
    if isinstance(value, dt.date):
        return f"日期 {value.isoformat()}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射（键: 值）"
    return type(value).__name__
