"""Figures from free prose: the sentences reports write in their own words, read by the vocabulary.

``importing.figures`` reads back selfeval's own sentences, whose wording it knows. Published reports
say the same things in many ways — "比上年减少12.5万元", "行政编制39人，事业编制5人", "“三公”经费支出
44.29万元，其中公务接待费4.99万元…" — so here the figures are found by the words the vocabulary lists
for them (``THREE_PUBLIC_SYNONYMS``, ``IN_POST_WORDS``, ``CHANGE_WORDS``…), in any order.

Nothing read here is trusted silently: every reader returns, beside the figures, the sentences they
came from, for the importer to quote on the review list. A sentence it cannot read unambiguously —
figures of an institution under the department mixed with the department's own — fills nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from selfeval_cli.vocabulary import (
    AUTHORIZED_WORD,
    CENT,
    CHANGE_WORDS,
    DOWN_WORDS,
    IN_POST_WORDS,
    MONEY_UNIT,
    OWN_LEVEL_WORDS,
    RETIRED_WORDS,
    STAFF_KINDS,
    THREE_PUBLIC_NAMES,
    THREE_PUBLIC_SYNONYMS,
    UNIT_ENDINGS,
    UP_WORDS,
)

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
"""A number as reports write it, thousands separators included."""
_AMOUNT = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>万元|元)")
_PEOPLE = re.compile(r"(?P<number>\d+)\s*(?:人|名)")
_SENTENCE_END = re.compile(r"(?<=[。；;])")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_CHANGE = re.compile(rf"^[，,]?\s*(?:{_alternatives(CHANGE_WORDS)})\s*(?P<dir>{_alternatives(UP_WORDS + DOWN_WORDS)})"
                     rf"\s*(?P<number>{NUMBER})\s*(?P<unit>万元|元)")


@dataclass
class Read:
    """What a reader found: the figures, the sentences they came from, and sentences left unread."""

    figures: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    """Sentences that state figures this reader would not assign (quoted on the review list)."""
    in_yuan: bool = False
    """Whether an amount was written in 元 and converted (the review entry says so)."""


def sentences(text: str) -> list[str]:
    """``text`` cut after each 。 and ；, every character kept (the pieces join back to ``text``)."""
    return [piece for piece in _SENTENCE_END.split(text) if piece]


def wan(number: str, unit: str) -> Decimal:
    """An amount as reports write it (``1,234.5`` ``元`` or ``万元``) in 万元, to the cent of 万元."""
    value = Decimal(number.replace(",", ""))
    return (value / 10000 if unit == "元" else value).quantize(CENT)


def change(after: str, amount: Decimal) -> Decimal | None:
    """Last year's figure from a change stated right after ``amount`` ("，比上年减少12.5万元"), else None."""
    found = _CHANGE.match(after)
    if not found:
        return None
    delta = wan(found["number"], found["unit"])
    return amount - delta if found["dir"] in UP_WORDS else amount + delta


def amount_after(text: str, word: str) -> tuple[Decimal, Decimal | None, bool, int] | None:
    """The first amount after ``word`` in ``text`` (before the next clause of another figure):
    (万元, last year's if a change follows, written in 元?, where the amount ends)."""
    at = text.find(word)
    if at < 0:
        return None
    rest = text[at + len(word):]
    found = _AMOUNT.search(rest)
    if not found or re.search(r"[。；;]", rest[:found.start()]):
        return None
    amount = wan(found["number"], found["unit"])
    return amount, change(rest[found.end():], amount), found["unit"] == "元", at + len(word) + found.end()


def listed_items(text: str) -> list[tuple[str, Decimal, Decimal | None, bool]]:
    """The items of a 其中 list — "人员支出643.4万元，公用支出149.2万元、对个人和家庭补助3.03万元" —
    as (name, 万元, last year's, written in 元?), separated by any of 、，,；;."""
    items = []
    # A separator followed by a change or a rate ("，比上年增加…", "，增长3.2%") belongs to the item before it.
    keep = _alternatives(CHANGE_WORDS + UP_WORDS + DOWN_WORDS + ("与上年持平",))
    for piece in re.split(rf"[、，,；;](?!\d{{3}})(?!\s*(?:{keep}))", text):
        found = re.match(rf"^\s*(?P<name>[^\d，,、；;：:]+?)\s*(?:为|共)?\s*(?P<number>{NUMBER})\s*(?P<unit>万元|元)",
                         piece)
        if found:
            amount = wan(found["number"], found["unit"])
            items.append((found["name"].strip(), amount, change(piece[found.end():], amount), found["unit"] == "元"))
    return items


def three_public(text: str) -> Read | None:
    """The "三公" figures of a sentence, each item's 预算 and 实际支出 in any order; None without "三公"."""
    if not any(name in text for name in THREE_PUBLIC_NAMES):
        return None
    read = Read(sources=[text])
    for key, names in THREE_PUBLIC_SYNONYMS.items():
        at, name = min(((text.find(n), n) for n in names if n in text), default=(-1, ""))
        if at < 0:
            continue
        clause = re.split(r"[；;。]|(?:，|,(?!\d{3}))(?=[^，,；;。]*(?:" + "|".join(
            re.escape(n) for other, ns in THREE_PUBLIC_SYNONYMS.items() if other != key for n in ns) + "))",
            text[at + len(name):])[0]
        read.figures[key] = _expense(clause, read)
    if not read.figures:
        return None
    first, name = min((text.find(n), n) for n in THREE_PUBLIC_NAMES if n in text)
    items = min(text.find(n) for names in THREE_PUBLIC_SYNONYMS.values() for n in names if n in text)
    total = _expense(text[first + len(name):items], read) if first < items else {}
    if total:  # the total stated before the items: kept, so that validate checks the items add up to it
        read.figures["total"] = total
    return read


def _expense(clause: str, read: Read) -> dict[str, Any]:
    """预算 and 实际支出 (or a bare amount: what was spent) of one "三公" item's clause."""
    figures: dict[str, Any] = {}
    budget = re.search(rf"预算(?:数|为)?\s*(?P<number>{NUMBER})\s*(?P<unit>万元|元)", clause)
    spent = re.search(rf"(?:实际支出|支出|决算|实际)(?:数|为)?\s*(?P<number>{NUMBER})\s*(?P<unit>万元|元)", clause)
    if budget:
        figures["budget"] = wan(budget["number"], budget["unit"])
        read.in_yuan |= budget["unit"] == "元"
    if not spent and not budget:
        spent = _AMOUNT.search(clause)
    if spent:
        figures["actual"] = wan(spent["number"], spent["unit"])
        read.in_yuan |= spent["unit"] == "元"
        previous = change(clause[spent.end():], figures["actual"])
        if previous is not None:
            figures["previous"] = previous
    return figures


def staffing(text: str, own_name: str = "") -> Read | None:
    """编制 (by kind where stated), 在职 and 退休 of the department from free prose; None when it
    states no 编制 or no 在职. A clause that names an institution under the department (…处在职人员
    132人) is set aside as ambiguous, not taken as the department's."""
    read = Read()
    groups: list[dict[str, Any]] = []
    total: int | None = None
    for clause in re.split(r"(?<=[；;。])", text):
        if not clause.strip():
            continue
        if _names_an_institution(clause, own_name):
            if _PEOPLE.search(clause):
                read.ambiguous.append(clause.strip())
            continue
        used = False
        for found in re.finditer(rf"(?P<kind>[\u4e00-\u9fff]{{0,4}}?){AUTHORIZED_WORD}(?:数)?(?:共|为|核定)?\s*"
                                 r"(?P<number>\d+)\s*(?:人|名)", clause):
            kind = re.sub(rf"^(?:其中|.*?(?:{_alternatives(OWN_LEVEL_WORDS)}))", "", found["kind"])
            if not kind.endswith(STAFF_KINDS):  # 全局编制, 年末核定编制, 单位编制: the total
                total = int(found["number"]) if total is None else total
            else:
                groups.append({"name": f"{kind}{AUTHORIZED_WORD}", "authorized": int(found["number"])})
            used = True
        for key, words in (("actual", IN_POST_WORDS), ("retired", RETIRED_WORDS)):
            pattern = rf"(?:{_alternatives(words)})(?:人员|人数)?(?:共|为)?\s*(?P<number>\d+)\s*(?:人|名)"
            stated = re.search(pattern, clause)
            if stated and key not in read.figures:
                read.figures[key] = int(stated["number"])
                used = True
        if used:
            read.sources.append(clause.strip())
    if (total is None and not groups) or "actual" not in read.figures:
        return None if not read.ambiguous else read
    if groups:
        summed = sum(group["authorized"] for group in groups)
        if total is not None and total != summed:
            read.ambiguous.append(f"编制共{total}人，各类编制之和为{summed}人")
            return read
        read.figures["groups"] = groups
        total = summed
    read.figures["authorized"] = total
    return read


def _names_an_institution(clause: str, own_name: str) -> bool:
    """Whether the clause's figures belong to an institution named before them (环卫处在职人员…)."""
    head = re.split(rf"{AUTHORIZED_WORD}|{_alternatives(IN_POST_WORDS + RETIRED_WORDS)}", clause, maxsplit=1)[0]
    head = re.split(r"[，,；;。、]", head)[-1].strip()  # the words right before the figure, in its own clause
    if not head or (own_name and own_name.endswith(head)) or head.endswith(OWN_LEVEL_WORDS):
        return False
    if head.startswith(("全", "本")) or len(head) <= 1:
        return False
    return head.endswith(UNIT_ENDINGS) and not head.endswith(MONEY_UNIT)
