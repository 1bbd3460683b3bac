"""The vocabulary shared by the markup parsers: guarded data text and the error they raise.

Values printed by templates pass through the environment's ``finalize`` (see ``sections``),
which ``guard``s them: every line of user text starts with ``GUARD`` and its ``|``, ``#`` and
``@`` are stood in for, so user text can never start a directive, split a table cell or stand
for a merged cell — and a ``#``, ``@`` or ``|`` left in the middle of a line can only be
template markup that lost its line start (``find_stray_markup``).
"""

from __future__ import annotations

import re

# Control characters the model refuses in data, and that Python does not count as
# whitespace (unlike \x1c–\x1f), so ``strip()`` never eats them.
GUARD = "\x01"
"""Marks the start of a line that came from data: it is never a directive."""
PIPE = "\x02"
"""Stands for a ``|`` that came from data: it never separates table cells."""
HASH = "\x04"
"""Stands for a ``#`` that came from data."""
AT = "\x05"
"""Stands for an ``@`` that came from data."""
BREAK = "\x03"
"""A line break inside one paragraph or table cell (the ``cell`` filter turns data's line breaks into it)."""


def guard(text: str) -> str:
    """Data text made inert for the markup: each line marked as data, its markup characters stood in for."""
    escaped = text.replace("|", PIPE).replace("#", HASH).replace("@", AT)
    return GUARD + escaped.replace("\n", "\n" + GUARD)


def clean(text: str) -> str:
    """Markup text as it reads in the report: guards removed, data's own characters restored, trimmed."""
    text = text.replace(GUARD, "").replace(PIPE, "|").replace(HASH, "#").replace(AT, "@")
    return text.strip().replace(BREAK, "\n")


_DIRECTIVES = "attachment|title|table|columns|end|pagebreak|landscape|portrait|right|signature|date"
_STRAY = re.compile(rf"#{{1,4}}\+? |@(?:{_DIRECTIVES})\b|\|")


def find_stray_markup(line: str) -> str | None:
    """Template markup standing after the start of a line of text — a heading, a directive or a
    table row that a ``{%- … %}`` or ``… -%}`` joined to the line before it. Data cannot produce
    one (it is guarded), so any found was written in the template."""
    match = _STRAY.search(line, 1)
    return line[match.start():].strip() if match else None
