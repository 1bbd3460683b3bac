"""Breaking a long title where its meaning allows, in balanced lines (GB/T 9704-2012 7.3.2).

A title wider than the text area is broken into as few lines as it needs, never inside a number or
between a year and its 年/年度, preferably after "年度", before "部门", or after the name of a unit
(…局, …委员会, …办公室), with lines as even as can be and the upper ones not longer than the lower
(a 梯形 or 菱形 shape rather than an inverted one).
"""

from __future__ import annotations

import itertools
import math
import re

from selfeval_cli.render.tables import em_width
from selfeval_cli.vocabulary import UNIT_ENDINGS

_STRONG_AFTER = ("年度",)
_STRONG_BEFORE = ("部门", "关于")


def _name_end(text: str) -> int:
    """Where the unit's name at the head of a title ends ("…委员会办公室" before "2023年度"), 0 if none:
    a name is one word, never broken while it fits on a line."""
    found = re.match(rf"^\S*?(?:{'|'.join(UNIT_ENDINGS)})(?=\d{{4}}\s*年|部门|关于)", text)
    return found.end() if found else 0


def _allowed(text: str, at: int, name_end: int = 0) -> float | None:
    """The cost of breaking before ``text[at]`` (lower is better), or None where it must not break."""
    before, after = text[:at], text[at:]
    if 0 < at < name_end:
        return None  # inside the unit's name
    if before[-1:].isascii() and before[-1:].isalnum() and (after[:1].isascii() and after[:1].isalnum()):
        return None  # inside a number or a Latin word
    if before[-1:].isdigit() and after[:1] in "年月日号%":
        return None  # 2024 | 年度
    if after[:1] in "，。、；：）》”" or before[-1:] in "（《“":
        return None  # punctuation stays with its word
    if before.endswith(_STRONG_AFTER) or after.startswith(_STRONG_BEFORE):
        return 0.0
    if before.endswith(UNIT_ENDINGS):
        return 1.0
    return 4.0


def break_title(text: str, per_line: float) -> str:
    """``text`` with line breaks ("\\n") where it must wrap; unchanged when it fits on one line."""
    if "\n" in text or em_width(text) <= per_line:
        return text
    lines = math.ceil(em_width(text) / per_line)
    name_end = _name_end(text)
    if em_width(text[:name_end]) > per_line:
        name_end = 0  # a name longer than a line breaks where the other rules allow (after 委员会…)
    positions = [i for i in range(1, len(text)) if _allowed(text, i, name_end) is not None]
    best: tuple[float, tuple[int, ...]] | None = None
    for cuts in itertools.combinations(positions, lines - 1):
        parts = [text[a:b] for a, b in itertools.pairwise((0, *cuts, len(text)))]
        widths = [em_width(part) for part in parts]
        if max(widths) > per_line:
            continue
        cost = sum(_allowed(text, cut, name_end) or 0.0 for cut in cuts) + (max(widths) - min(widths)) / 2
        cost += sum(2.0 for upper, lower in itertools.pairwise(widths) if upper > lower)  # no inverted shape
        if best is None or cost < best[0]:
            best = (cost, cuts)
    if best is None:  # nothing fits the rules: let the line wrap where it is full
        return text
    return "\n".join(text[a:b] for a, b in itertools.pairwise((0, *best[1], len(text))))
