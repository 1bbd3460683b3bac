"""Heading numbers by level, as GB/T 9704-2012 orders them: 一、 → （一） → 1. → （1）."""

from __future__ import annotations

import re

from selfeval_cli.errors import NumberingError
from selfeval_cli.phrases import HEADING_NUMERALS, chinese_numeral

MAX_LEVEL = 4

_CN = HEADING_NUMERALS
TYPED_NUMBER = re.compile(
    rf"^\s*(?:[{_CN}]{{1,3}}\s*[、.．](?!\d)"  # 一、
    rf"|[（(]\s*(?:[{_CN}]{{1,3}}|\d{{1,2}})\s*[)）]"  # （一） （1）
    r"|\d{1,2}\s*(?:、|[.．](?!\d)))")  # 1. 1、 (not 1.5)
"""A heading number typed at the start of a text, in any of the styles reports use (full- or
half-width, 1. or 1、): what the importer reads as a heading, and what data must not carry."""


def typed_number(text: str) -> str | None:
    """The heading number ``text`` starts with, as typed ("（一）", "2、"), or None."""
    match = TYPED_NUMBER.match(text)
    return match.group().strip() if match else None


def number_text(level: int, count: int) -> str:
    """The number of the ``count``-th heading of ``level``: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(count)}、"
    if level == 2:
        return f"（{chinese_numeral(count)}）"
    if level == 3:
        return f"{count}."
    if level == 4:
        return f"（{count}）"
    raise NumberingError(f"标题层级只能是 1–{MAX_LEVEL}，实际为 {level}")


class Numberer:
    """Counts headings per level; a new heading restarts every deeper level."""

    def __init__(self) -> None:
        self._counts = [0] * (MAX_LEVEL + 1)

    def next(self, level: int, text: str) -> str:
        """The number for the next heading of ``level``. Raises NumberingError on a skipped level."""
        if not 1 <= level <= MAX_LEVEL:
            raise NumberingError(f"标题层级只能是 1–{MAX_LEVEL}，“{text}”为 {level}")
        if level > 1 and self._counts[level - 1] == 0:
            raise NumberingError(f"“{text[:20]}”是第 {level} 级标题，但前面没有第 {level - 1} 级标题（层级跳级）")
        self._counts[level] += 1
        for deeper in range(level + 1, MAX_LEVEL + 1):
            self._counts[deeper] = 0
        return number_text(level, self._counts[level])
