"""The vocabulary shared by the markup parsers: guarded data text and the error they raise.

Values printed by templates pass through the environment's ``finalize`` (see ``sections``),
which guards every line of user text with ``GUARD`` and every ``|`` with ``PIPE``, so user
text can never start a directive, split a table cell or stand for a merged cell.
"""

from __future__ import annotations

# Control characters the model refuses in data, and that Python does not count as
# whitespace (unlike \x1c–\x1f), so ``strip()`` never eats them.
GUARD = "\x01"
"""Marks the start of a line that came from data: it is never a directive."""
PIPE = "\x02"
"""Stands for a ``|`` that came from data: it never separates table cells."""
BREAK = "\x03"
"""A line break inside one paragraph or table cell (the ``cell`` filter turns data's line breaks into it)."""


class MarkupError(ValueError):
    """A line of rendered markup that is not understood; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def clean(text: str) -> str:
    """Markup text as it reads in the report: guards removed, data's own ``|`` restored, trimmed."""
    return text.replace(GUARD, "").replace(PIPE, "|").strip().replace(BREAK, "\n")
