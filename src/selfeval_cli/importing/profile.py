"""What a report says of the department as a body, read by the vocabulary: its rank and kind, the
counts of its units, the names listed after them and the plaques a unit also bears.

Nothing here restates a sentence of an outline. The terms are the vocabulary's (a 机构规格 is a level
with 级 after it, a 单位性质 ends in 单位 or 机关, a count is a number and 个 before a kind of unit…),
found where the sentence puts them. Whether a line is selfeval's own wording is asked of the
templates afterwards (``importing.figures.printed``), as for the figures: a line in other words is read
all the same and named on the review list.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from selfeval_cli.importing.outline import chinese_number
from selfeval_cli.vocabulary import (
    AFFILIATED_ANY,
    AFFILIATED_UNITS,
    COPULAS,
    DUTIES_WORD,
    INTERNAL_UNIT_NAMES,
    KIND_ENDINGS,
    PLAQUE_WORDS,
    RANK_LEVELS,
    RANK_SIDES,
)

_RANK = f"(?:{'|'.join(RANK_SIDES)})?(?:{'|'.join(RANK_LEVELS)})级"
_KIND = f"[^，,。；;：:、（(）)]*?(?:{'|'.join(KIND_ENDINGS)})"
_COPULA = "|".join(COPULAS)
_NUMBER = r"\d+|[一二三四五六七八九十两]+"
_CLAUSE_END = re.compile(r"[，,]")
_BREAK = re.compile(r"[；;。.]")  # a lead may run in ("根据上述职责，X设…"): a sentence may not end in it
_JOINER = re.compile(r"\s*(?:和|及|以及|、|，|,)?\s*")
_END = re.compile(r"\s*[：:。.]?\s*")
_STANDING = re.compile(rf"^(?P<name>[^，,。；;：:]+?)(?:{_COPULA})的?(?P<rank>{_RANK})(?P<kind>{_KIND})$")
_INTERNAL = "|".join(INTERNAL_UNIT_NAMES)
_COUNTED = re.compile(rf"(?P<n>{_NUMBER})\s*个\s*(?:(?P<internal>{_INTERNAL})|(?P<rank>{_RANK})?"
                      rf"(?P<kind>[^，,。；;：:、（(）)和及]*?{AFFILIATED_ANY}))")
_AFFILIATED = "|".join((*AFFILIATED_UNITS, AFFILIATED_ANY))
_COUNTED_AFTER = re.compile(rf"(?:(?P<internal>{_INTERNAL})|(?P<kind>{_AFFILIATED}))(?:共)?\s*(?P<n>{_NUMBER})\s*个")
_LISTED = re.compile(r"[（(](?P<names>[^（）()]+)[）)][。.]?$")
_PLAQUE = re.compile(rf"[（(]?{PLAQUE_WORDS[0]}(?P<names>.+?)的?{PLAQUE_WORDS[1]}[）)]?")


@dataclass(frozen=True)
class Standing:
    """The department's name, its 机构规格 and 单位性质, and whether its duties are listed next."""

    name: str
    rank: str
    kind: str
    duties_follow: bool


def standing(line: str) -> Standing | None:
    """``line`` read as the statement of what the department is (name, a copula, rank, kind), perhaps
    followed by a clause that leads into its duties; None when the line says anything else."""
    text = line.strip().rstrip("。.")
    end = _CLAUSE_END.search(text)
    head, rest = (text[:end.start()], text[end.end():]) if end else (text, "")
    match = _STANDING.match(head)
    if match is None:
        return None
    duties_follow = bool(rest) and DUTIES_WORD in rest and rest.endswith(("：", ":"))
    if rest and not duties_follow:
        return None
    return Standing(match["name"].strip(), match["rank"], match["kind"].strip(), duties_follow)


@dataclass(frozen=True)
class Counts:
    """The counts of units a sentence states: the internal offices, the institutions under the
    department (with the rank and kind it gives them), and the names it lists in a bracket after."""

    internal: int | None
    affiliated: int | None
    rank: str | None
    kind: str | None
    names: tuple[str, ...] = ()
    lead: str = ""
    """What the line says before its first count (the department's name, "根据上述职责，")."""
    whole: bool = False
    """Whether the line says nothing but its counts (and the names after them): a subject before them,
    和 between them, a colon or full stop after."""

    @property
    def stated(self) -> int:
        """How many units the counts add up to."""
        return (self.internal or 0) + (self.affiliated or 0)


def count_of(text: str) -> int:
    """A count written in digits or in Chinese numerals (两 as 二)."""
    return int(text) if text.isdigit() else chinese_number(text.replace("两", "二"))


def counts(line: str) -> Counts | None:
    """The counts of units ``line`` states, in whatever order ("设3个内设机构和2个事业单位", "内设机构
    3个"), the first of each kind; None when it states none."""
    internal = affiliated = None
    rank = kind = None
    spans = []
    for match in _COUNTED.finditer(line):
        spans.append(match.span())
        if match["internal"] and internal is None:
            internal = count_of(match["n"])
        elif match["kind"] and affiliated is None:
            affiliated, rank, kind = count_of(match["n"]), match["rank"], match["kind"].strip()
    for after in _COUNTED_AFTER.finditer(line):  # 内设机构5个, 下属事业单位2个
        if after["internal"] and internal is None:
            internal = count_of(after["n"])
        elif after["kind"] and affiliated is None:
            affiliated, kind = count_of(after["n"]), after["kind"]
        else:
            continue
        spans.append(after.span())
    if internal is None and affiliated is None:
        return None
    listed = _LISTED.search(line)
    names = tuple(name.strip() for name in re.split(r"[、，,]", listed["names"]) if name.strip()) if listed else ()
    spans.sort()
    lead = line[:spans[0][0]]
    between = [line[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    tail = line[spans[-1][1]:listed.start() if listed else len(line)]
    whole = (not _BREAK.search(lead) and all(_JOINER.fullmatch(part) for part in between)
             and _END.fullmatch(tail) is not None)
    return Counts(internal, affiliated, rank, kind, names, lead, whole)


def plaques(title: str) -> tuple[str, list[str]]:
    """A unit's heading as its name and the plaques it also bears ("文物局（加挂文物股牌子）")."""
    names = [name for match in _PLAQUE.finditer(title) for name in re.split(r"[、和]", match["names"]) if name]
    return _PLAQUE.sub("", title).strip(), names
