"""Numbering as people type it, turned into a tree of headings with their text.

Four kinds of typed numbers — 一、 / （一） / 1. or 1、 / （1）, with full- or half-width brackets —
and Word's own list numbering. A kind seen for the first time under a heading opens the next level
below it; a kind already open continues that level. Typed reports break this (a "5、" among
一、二、三、四、; a "（2）" among （一）（三）): a number of an unexpected kind that continues the count of
an open level (and is not a 1) is taken as that level's next item — and each such reading is
recorded, so that it reaches the review list instead of being guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selfeval_cli.importing.reader import Para
from selfeval_cli.phrases import HEADING_NUMERALS, numeral_value

_CN = HEADING_NUMERALS
_MARKERS = (
    ("一、", re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*")),
    ("（一）", re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*")),
    ("1.", re.compile(r"^(\d{1,2})\s*(?:[、]|[.．](?!\d))\s*")),
    ("（1）", re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*")),
)


@dataclass
class Node:
    """A numbered heading (or the document's preamble): its title line, text and sub-headings."""

    kind: str
    number: int
    title: str
    marker: str = ""
    """The number as the source wrote it, e.g. "（2）"."""
    body: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def all_text(self) -> list[str]:
        """Every line under this heading, its sub-headings' titles and text included, in order."""
        lines = list(self.body)
        for child in self.children:
            lines += [child.title, *child.all_text()]
        return lines


@dataclass(frozen=True)
class Reading:
    """A place where the numbering had to be interpreted: what was written and how it was read."""

    marker: str
    title: str
    meaning: str
    section: str
    """The title of the first-level section it stands in (its own, for a first-level heading)."""


def marker_of(text: str) -> tuple[str, int, str, str] | None:
    """(kind, number, marker as written, rest of the text) of a typed number at the start of ``text``."""
    for kind, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            number = numeral_value(match[1]) if kind in ("一、", "（一）") else int(match[1])
            return kind, number, text[:match.end()].strip(), text[match.end():].strip()
    return None


def build_tree(paragraphs: list[Para]) -> tuple[Node, list[Reading]]:
    """The heading tree of ``paragraphs`` under a root (whose body is the preamble), and the readings made."""
    root = Node("", 0, "")
    stack: list[Node] = []
    readings: list[Reading] = []
    auto_counts: dict[int, int] = {}
    for para in paragraphs:
        found = marker_of(para.text)
        if para.list_level is not None and found is None:  # Word numbers it: the level is known, the count is ours
            level = para.list_level
            auto_counts = {k: v for k, v in auto_counts.items() if k <= level}
            auto_counts[level] = auto_counts.get(level, 0) + 1
            found = (f"auto{level}", auto_counts[level], "", para.text)
        if found is None:
            (stack[-1] if stack else root).body.append(para.text)
            continue
        kind, number, marker, rest = found
        depth = next((d for d, node in enumerate(stack) if node.kind == kind), None)
        if depth is None and number != 1:
            continuing = [d for d, node in enumerate(stack) if node.number + 1 == number]
            if continuing:
                depth = continuing[-1]
                section = (stack[0].title if depth else rest)[:30]
                readings.append(Reading(marker, rest[:30], f"编号“{marker}”与同级的“{stack[depth].marker}”写法不一致，"
                                                            f"按同一级的第 {number} 项读取", section))
                kind = stack[depth].kind  # the level keeps its own kind, so the next item matches it again
        if depth is None:
            depth = len(stack)
        elif stack[depth].number + 1 != number and stack[depth].kind == kind:
            meaning = f"编号“{marker}”不接续上一项“{stack[depth].marker}”，按同一级读取"
            readings.append(Reading(marker, rest[:30], meaning,
                                    (stack[0].title if depth else rest)[:30]))
        del stack[depth:]
        node = Node(kind, number, rest, marker)
        (stack[-1] if stack else root).children.append(node)
        stack.append(node)
    return root, readings
