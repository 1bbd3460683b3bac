"""The structured form between templates and the Word writer.

Templates render to a small line-based markup (documented in ``templates/README.md``);
``parse_markup`` turns it into these blocks. Blocks carry no numbering and no layout: the
writer numbers headings by level and lays everything out.

Values printed by templates pass through the environment's ``finalize`` (see ``render``),
which guards every line of user text with ``GUARD`` and every ``|`` with ``PIPE``, so user
text can never start a directive or split a table cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Control characters the model refuses in data, and that Python does not count as
# whitespace (unlike \x1c–\x1f), so ``strip()`` never eats them.
GUARD = "\x01"
"""Marks the start of a line that came from data: it is never a directive."""
PIPE = "\x02"
"""Stands for a ``|`` that came from data: it never separates table cells."""


@dataclass(frozen=True, slots=True)
class AttachmentLabel:
    text: str


@dataclass(frozen=True, slots=True)
class Title:
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered heading of level 1–4; ``body`` is text run on in the same paragraph."""

    level: int
    text: str
    body: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered paragraph of body text (a list entry), numbered at ``level``."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    caption: str | None
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Closing:
    """单位署名 and 成文日期, laid out at the end as GB/T 9704-2012 says."""

    signature: str
    date: str


Block = AttachmentLabel | Title | Heading | Item | Paragraph | Table | PageBreak | Closing


class MarkupError(ValueError):
    """A line of rendered markup that is not understood; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


_HEADING = re.compile(r"^(#{1,4})(\+?) (.*)$")
_DIRECTIVE = re.compile(r"^@(\w+)(?: (.*))?$")


def _clean(text: str) -> str:
    return text.replace(GUARD, "").replace(PIPE, "|").strip()


def parse_markup(text: str) -> list[Block]:
    """Turn rendered template text into blocks. Raises MarkupError on malformed markup."""
    blocks: list[Block] = []
    table: Table | None = None
    signature: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if table is not None:
            if line.startswith("|"):
                cells = [_clean(cell) for cell in line.strip().strip("|").split("|")]
                if not table.header:
                    table.header.extend(cells)
                elif len(cells) != len(table.header):
                    raise MarkupError(number, f"表格行有 {len(cells)} 列，表头有 {len(table.header)} 列")
                else:
                    table.rows.append(cells)
                continue
            if line.strip() == "@end":
                if not table.header:
                    raise MarkupError(number, "表格没有表头行")
                blocks.append(table)
                table = None
                continue
            raise MarkupError(number, "表格内只能有“| … |”行，并以“@end”结束")
        heading = _HEADING.match(line)
        directive = _DIRECTIVE.match(line)
        if heading:
            level, is_item, content = len(heading[1]), heading[2] == "+", _clean(heading[3])
            blocks.append(Item(level, content) if is_item else Heading(level, content))
        elif line.startswith("+ "):
            previous = blocks[-1] if blocks else None
            if not isinstance(previous, Heading) or previous.body is not None:
                raise MarkupError(number, "“+ ”行只能紧跟在标题之后（接排正文）")
            blocks[-1] = Heading(previous.level, previous.text, _clean(line[2:]))
        elif directive:
            name, argument = directive[1], _clean(directive[2] or "")
            if name == "attachment":
                blocks.append(AttachmentLabel(argument))
            elif name == "title":
                blocks.append(Title(argument))
            elif name == "pagebreak":
                blocks.append(PageBreak())
            elif name == "table":
                table = Table(argument or None, [])
            elif name == "signature":
                signature = argument
            elif name == "date":
                if signature is None:
                    raise MarkupError(number, "“@date”之前应有“@signature”")
                blocks.append(Closing(signature, argument))
                signature = None
            else:
                raise MarkupError(number, f"未知指令“@{name}”")
        else:
            blocks.append(Paragraph(_clean(line)))
    if table is not None:
        raise MarkupError(len(text.split("\n")), "表格没有以“@end”结束")
    if signature is not None:
        raise MarkupError(len(text.split("\n")), "“@signature”之后缺少“@date”")
    return [b for b in blocks if not isinstance(b, Paragraph | Item) or b.text]
