"""The structured form between templates and the Word writer.

Templates render to a small line-based markup (documented in ``templates/README.md``);
``parse_markup`` turns it into these blocks. Blocks carry no numbering and no layout: the
writer numbers headings by level and lays everything out.

User text is guarded so that it can never form markup (see ``markup``); tables have their
own small parser (see ``tables``).
"""

from __future__ import annotations

import re

from selfeval_cli.errors import MarkupError
from selfeval_cli.records import record
from selfeval_cli.render.markup import GUARD as GUARD
from selfeval_cli.render.markup import PIPE as PIPE
from selfeval_cli.render.markup import clean, find_stray_markup
from selfeval_cli.render.tables import Table, TableDraft


@record
class AttachmentLabel:
    text: str


@record
class Title:
    text: str


@record
class Heading:
    """A numbered heading of level 1–4; ``body`` is text run on in the same paragraph."""

    level: int
    text: str
    body: str | None = None


@record
class Item:
    """A numbered paragraph of body text (a list entry), numbered at ``level``."""

    level: int
    text: str


@record
class Paragraph:
    text: str


@record
class PageBreak:
    pass


@record
class RightAligned:
    """A short line flush right, such as 单位：万元 above a table."""

    text: str


@record
class Orientation:
    """What follows is on landscape (or again portrait) pages, from a new page on."""

    landscape: bool


@record
class Signature:
    """单位署名 and 成文日期, laid out at the end as GB/T 9704-2012 says."""

    signature: str
    date: str


Block = (AttachmentLabel | Title | Heading | Item | Paragraph | RightAligned | Table | PageBreak | Orientation
         | Signature)


_HEADING = re.compile(r"^(#{1,4})(\+?) (.*)$")
_DIRECTIVE = re.compile(r"^@(\w+)(?: (.*))?$")


def parse_markup(text: str) -> list[Block]:
    """Turn rendered template text into blocks. Raises MarkupError on malformed markup."""
    blocks: list[Block] = []
    table: TableDraft | None = None
    signature: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if table is not None:
            if line.strip() == "@end":
                blocks.append(table.finish(number))
                table = None
            else:
                table.add(number, line)
            continue
        heading = _HEADING.match(line)
        directive = _DIRECTIVE.match(line)
        if heading:
            level, is_item, content = len(heading[1]), heading[2] == "+", clean(heading[3])
            blocks.append(Item(level, content) if is_item else Heading(level, content))
        elif line.startswith("+ "):
            previous = blocks[-1] if blocks else None
            if not isinstance(previous, Heading) or previous.body is not None:
                raise MarkupError(number, "“+ ”行只能紧跟在标题之后（接排正文）")
            blocks[-1] = Heading(previous.level, previous.text, clean(line[2:]))
        elif directive:
            name, argument = directive[1], clean(directive[2] or "")
            if name == "attachment":
                blocks.append(AttachmentLabel(argument))
            elif name == "title":
                blocks.append(Title(argument))
            elif name == "pagebreak":
                blocks.append(PageBreak())
            elif name in ("landscape", "portrait"):
                blocks.append(Orientation(name == "landscape"))
            elif name == "right":
                blocks.append(RightAligned(argument))
            elif name == "table":
                table = TableDraft(argument or None)
            elif name == "signature":
                signature = argument
            elif name == "date":
                if signature is None:
                    raise MarkupError(number, "“@date”之前应有“@signature”")
                blocks.append(Signature(signature, argument))
                signature = None
            else:
                raise MarkupError(number, f"未知指令“@{name}”")
        else:
            stray = find_stray_markup(line)
            if stray is not None:
                raise MarkupError(number, f"“{clean(stray)[:20]}”不在行首，会被当作正文：多半是模板中的 {{%- … %}} "
                                          "或 {% … -%} 吞掉了它前面的换行", stray)
            blocks.append(Paragraph(clean(line)))
    if table is not None:
        raise MarkupError(len(text.split("\n")), "表格没有以“@end”结束")
    if signature is not None:
        raise MarkupError(len(text.split("\n")), "“@signature”之后缺少“@date”")
    return [b for b in blocks if not isinstance(b, Paragraph | Item) or b.text]


def split_attachments(blocks: list[Block]) -> list[tuple[str | None, list[Block]]]:
    """The blocks cut into documents, one per attachment: (label, its blocks).

    A document starts at each attachment label, and at a title that follows a document which
    already has one (an unlabelled report after the 自评表). Blocks before the first label belong
    to the first part; a page orientation just before a cut goes with what follows it.
    """
    parts: list[tuple[str | None, list[Block]]] = [(None, [])]
    for index, block in enumerate(blocks):
        current = parts[-1][1]
        starts = isinstance(block, AttachmentLabel) or (
            isinstance(block, Title) and any(isinstance(b, Title) for b in current)
            and not (index and isinstance(blocks[index - 1], AttachmentLabel)))
        if starts:
            label = block.text if isinstance(block, AttachmentLabel) else None
            if any(not isinstance(b, Orientation) for b in current):
                parts.append((label, []))
            else:  # nothing but a page orientation came before it: that part is this document's
                parts[-1] = (label, current)
        parts[-1][1].append(block)
    return parts


_CONTENT_DIRECTIVES = ("@table", "@right")


def empty_headings(text: str) -> list[tuple[int, str]]:
    """Headings of rendered markup with nothing under them: (line, heading line), in order.

    A heading is empty when the next heading of its level or above, a directive that starts
    something else (an attachment, a title, a closing…) or the end comes before any text or
    sub-heading (a sub-heading with nothing under it is reported itself).
    """
    empty: list[tuple[int, str]] = []
    pending: tuple[int, int, str] | None = None  # (line, level, heading line) waiting for content
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading and heading[2] != "+":
            if pending is not None and pending[1] >= len(heading[1]):
                empty.append((pending[0], pending[2]))
            pending = (number, len(heading[1]), line)
        elif line.startswith("@") and not line.startswith(_CONTENT_DIRECTIVES):
            if pending is not None:
                empty.append((pending[0], pending[2]))
            pending = None
        else:  # text, an item, a run-in body, a table: content under the pending heading
            pending = None
    if pending is not None:
        empty.append((pending[0], pending[2]))
    return empty
