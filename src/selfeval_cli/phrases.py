"""The domain's phrases found in prose by the vocabulary's words: numbers in Chinese numerals, and
what a report says of the department as a body — its rank and kind, the counts of its units (with
the names listed after them) and the plaques a unit also bears. The importer reads them
(``importing.fields``); the checks of the prose compare the counts a text states with the data
(``checks.prose``).

Nothing here restates a sentence of an outline. The terms are the vocabulary's (a 机构规格 is a level
with 级 after it, a 单位性质 ends in 单位 or 机关, a count is a number and 个 before a kind of unit…),
found where the sentence puts them. Whether a line is selfeval's own wording is asked of the
templates afterwards (``importing.figures.printed``), as for the figures: a line in other words is read
all the same and named on the review list.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from selfeval_cli.vocabulary import (
    AFFILIATED_ANY,
    AFFILIATED_ENDINGS,
    AFFILIATED_UNITS,
    AND_WORDS,
    COPULAS,
    COUNT_LINK_WORDS,
    COUNT_TWO,
    DUTIES_WORD,
    INTERNAL_UNIT_NAMES,
    KIND_ENDINGS,
    NUMERAL_UNITS,
    NUMERALS,
    OWN_LEVEL_WORDS,
    PLAQUE_WORDS,
    RANK_LEVELS,
    RANK_SIDES,
    SLIP_WORD,
    UNIT_ENDINGS,
    UNIT_MEASURE,
)

_TEN = NUMERAL_UNITS[-1][0]  # 十
HEADING_NUMERALS = NUMERALS[1:] + _TEN
"""The characters of a heading number (一、 to 九十九、): no 零."""
_NUMERAL_CHARS = NUMERALS + "".join(dict(NUMERAL_UNITS)) + COUNT_TWO
"""Every character a count in Chinese numerals is written with (零…九, 十百千, 两)."""


def chinese_numeral(number: int) -> str:
    """0–9999 in Chinese numerals as prose writes them: 8 → 八, 12 → 十二, 105 → 一百零五."""
    if not 0 <= number <= 9999:
        raise ValueError(f"{number} 超出 0–9999")
    if number < 10:
        return NUMERALS[number]
    if number < 20:
        return _TEN + (NUMERALS[number % 10] if number % 10 else "")
    text, pending_zero = "", False
    for unit, value in (*NUMERAL_UNITS, ("", 1)):
        digit = number // value % 10
        if digit:
            text += (NUMERALS[0] if pending_zero else "") + NUMERALS[digit] + unit
            pending_zero = False
        elif text:
            pending_zero = True
    return text


def chinese_count(number: int) -> str:
    """A count before a measure word: 2 → 两 (两个内设机构), otherwise as ``chinese_numeral``."""
    return COUNT_TWO if number == 2 else chinese_numeral(number)


def numeral_value(text: str) -> int:
    """What Chinese numerals count to, written as ``chinese_numeral`` writes them (两 for 二 anywhere,
    as prose counts): 八 → 8, 十二 → 12, 两 → 2, 两百 → 200, 一百零五 → 105. Raises ValueError for
    anything else ("三四", "十十")."""
    plain = text.replace(COUNT_TWO, NUMERALS[2])
    units = dict(NUMERAL_UNITS)
    total, digit = 0, None
    for ch in plain:
        if ch in NUMERALS:
            digit = NUMERALS.index(ch)
        elif ch in units:
            total += (1 if digit is None else digit) * units[ch]
            digit = None
        else:
            raise ValueError(f"“{text}”不是中文数字")
    total += digit or 0
    if not plain or total > 9999 or chinese_numeral(total) != plain:  # written otherwise: not a number we know
        raise ValueError(f"“{text}”不是中文数字")
    return total


_RANK = f"(?:{'|'.join(RANK_SIDES)})?(?:{'|'.join(RANK_LEVELS)})级"
_KIND = f"[^，,。；;：:、（(）)]*?(?:{'|'.join(KIND_ENDINGS)})"
_COPULA = "|".join(COPULAS)
_NUMBER = rf"\d+|[{_NUMERAL_CHARS}]+"
_LINK = "|".join(COUNT_LINK_WORDS)
_CLAUSE_END = re.compile(r"[，,]")
_OTHER_WORDS = re.compile(rf"[；;。.（()）《》〔〕\d{NUMERALS}]")
"""What no subject of a count of units holds: a sentence's end, a bracket, a title, a number."""
_JOINER = re.compile(rf"\s*(?:{'|'.join(AND_WORDS)}|[、，,])?\s*")
_END = re.compile(r"\s*[：:。.]?\s*")
_STANDING = re.compile(rf"^(?P<name>[^，,。；;：:]+?)(?:{_COPULA}){SLIP_WORD}?(?P<rank>{_RANK}){SLIP_WORD}?"
                       rf"(?P<kind>{_KIND})$")
_SENTENCE_END = re.compile(r"[。；;]")
_NAMED = re.compile(rf"^(?P<name>[^，,。；;：:（()）、]+?(?:{'|'.join(UNIT_ENDINGS)}))(?:{_COPULA})")
_RANKED = re.compile(rf"(?P<rank>{_RANK}){SLIP_WORD}?(?P<kind>{_KIND})(?=[，,。；;]|$)")
_UNDER = tuple(kind.removesuffix(AFFILIATED_ANY) for kind in AFFILIATED_UNITS)
"""What an institution under a department is called by (下属, 局属…): its name is not the department's."""
_INTERNAL = "|".join(INTERNAL_UNIT_NAMES)
_AFFILIATED = "|".join((*AFFILIATED_UNITS, *AFFILIATED_ENDINGS))
# A count and a kind of unit the vocabulary knows, the one right after the other: "3个内设机构", "两个正股级局属
# 事业单位"; not "12个乡镇的事业单位" or "45个行政事业单位", which count something else.
_COUNTED = re.compile(rf"(?<![{_NUMERAL_CHARS}\d])(?P<n>{_NUMBER})\s*{UNIT_MEASURE}"
                      rf"\s*(?:(?P<internal>{_INTERNAL})|(?P<rank>{_RANK})?(?P<kind>{_AFFILIATED}))")
# The kind first, opening its clause or right after who has them: "内设机构5个，下属事业单位2个", "本局内设机构有
# 5个", "局机关内设机构5个" (not "临床科室32个", "文化事业单位28个": those count something else).
_OWNER_END = "|".join(f"(?<={word})" for word in (*UNIT_ENDINGS, *OWN_LEVEL_WORDS))
_COUNTED_AFTER = re.compile(rf"(?:^|(?<=[，,；;：:。、\s])|{_OWNER_END})(?:(?P<internal>{_INTERNAL})|"
                            rf"(?P<kind>{_AFFILIATED}))(?:{_LINK})?\s*(?P<n>{_NUMBER})\s*{UNIT_MEASURE}")
_NAMES_APART = re.compile(r"[、，,]")  # not 和 or 及: "新闻出版和版权局" is one name
_LISTED = re.compile(r"[（(](?P<names>[^（）()]+)[）)][。.]?$")
_PLAQUE = re.compile(rf"[（(]?{PLAQUE_WORDS[0]}(?P<names>.+?){SLIP_WORD}?{PLAQUE_WORDS[1]}[）)]?")


@dataclass(frozen=True)
class Standing:
    """The department's name, its 机构规格 and 单位性质, and whether its duties are listed next."""

    name: str
    rank: str
    kind: str
    duties_follow: bool
    tail: str = field(default="", compare=False)
    """What the line says after the kind ("，主要职责是：", or nothing)."""
    whole: bool = field(default=True, compare=False)
    """Whether the line says nothing else (else it is read from its first sentence, and says more)."""


def standing(line: str) -> Standing | None:
    """``line`` read as the statement of what the department is (name, a copula, rank, kind), perhaps
    followed by a clause that leads into its duties; None when the line says anything else."""
    text = line.strip().rstrip("。.")
    end = _CLAUSE_END.search(text)
    head, rest = (text[:end.start()], text[end.end():]) if end else (text, "")
    match = _STANDING.match(head)
    duties_follow = bool(rest) and DUTIES_WORD in rest and rest.endswith(("：", ":"))
    if match is not None and (duties_follow or not rest):
        return Standing(match["name"].strip(), match["rank"], match["kind"].strip(), duties_follow,
                        line.strip()[end.start():] if end else "")
    first = _SENTENCE_END.split(line.strip(), maxsplit=1)[0]  # "X系副科级…事业单位，加挂…牌子。…": says more
    named = _NAMED.match(first)
    ranked = _RANKED.search(first, named.end()) if named else None
    if named is None or ranked is None or any(word in named["name"] for word in _UNDER):
        return None  # the first sentence is not about what the department is, or names an institution under it
    return Standing(named["name"].strip(), ranked["rank"], ranked["kind"].strip(), False, whole=False)


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
    return int(text) if text.isdigit() else numeral_value(text)


@dataclass(frozen=True)
class Mention:
    """One count of units a text states: its words, the count, whether it counts the internal offices,
    and the words naming the kind counted (with a rank before them, for institutions)."""

    text: str
    count: int
    internal: bool
    kind: str
    rank: str | None
    span: tuple[int, int]


def mentions(text: str) -> list[Mention]:
    """Every count of units ``text`` states, in order: "3个内设机构", "两个正股级局属事业单位",
    "内设机构5个"."""
    found = [mention for match in _COUNTED.finditer(text) if (mention := _mention(match)) is not None]
    taken = [mention.span for mention in found]
    found += [mention for match in _COUNTED_AFTER.finditer(text)
              if not any(start < match.end() and match.start() < end for start, end in taken)
              and (mention := _mention(match)) is not None]
    return sorted(found, key=lambda mention: mention.span)


def _mention(match: re.Match[str]) -> Mention | None:
    try:
        count = count_of(match["n"])
    except ValueError:  # "三四个": no one number
        return None
    rank = match.groupdict().get("rank")
    return Mention(match[0], count, bool(match["internal"]), match["internal"] or match["kind"], rank, match.span())


def counts(line: str) -> Counts | None:
    """The counts of units ``line`` states, in whatever order ("设3个内设机构和2个事业单位", "内设机构
    3个"), the first of each kind; None when it states none."""
    said = mentions(line)
    internal = next((mention for mention in said if mention.internal), None)
    affiliated = next((mention for mention in said if not mention.internal), None)
    if internal is None and affiliated is None:
        return None
    spans = [mention.span for mention in (internal, affiliated) if mention is not None]
    listed = _LISTED.search(line)
    names = tuple(name.strip() for name in _NAMES_APART.split(listed["names"]) if name.strip()) if listed else ()
    lead = line[:spans[0][0]]
    between = [line[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    tail = line[spans[-1][1]:listed.start() if listed else len(line)]
    whole = (_subject_only(lead) and all(_JOINER.fullmatch(part) for part in between)
             and _END.fullmatch(tail) is not None and len(said) == len(spans))
    return Counts(internal.count if internal else None, affiliated.count if affiliated else None,
                  affiliated.rank if affiliated else None, affiliated.kind if affiliated else None,
                  names, lead, whole)


def _subject_only(lead: str) -> bool:
    """Whether what a line says before its counts is only who has the units ("本局设", "局机关内设"),
    perhaps after a clause that leads in from the duties ("根据上述职责，"): nothing else that would be
    lost if the line were printed from the counts alone."""
    *before, subject = _CLAUSE_END.split(lead)
    if len(before) > 1 or (before and DUTIES_WORD not in before[0]):
        return False
    return not any(_OTHER_WORDS.search(part) for part in (*before, subject))


def plaques(title: str) -> tuple[str, list[str]]:
    """A unit's heading as its name and the plaques it also bears ("文物局（加挂文物股牌子）")."""
    names = [name for match in _PLAQUE.finditer(title) for name in _NAMES_APART.split(match["names"]) if name]
    return _PLAQUE.sub("", title).strip().rstrip("、，,"), names
