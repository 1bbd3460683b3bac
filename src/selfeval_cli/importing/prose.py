"""Figures from prose, found by the words the vocabulary lists for them — in any wording, ours too.

Published reports state their figures in many ways: "部门预算基本支出755.85万元，比上年减少13.6万元，
其中：人员支出…", "行政编制39人，事业编制5人", "“三公”经费支出44.29万元，其中公务接待费4.99万元…". A
sentence is cut into pieces at its separators (``pieces``), each holding at most one figure; the words
before a figure say whose it is (its subject: ``TOTAL_WORDS``, ``PART_WORDS``, ``INCOME_WORDS``, the
"三公" items…) and which of its figures (its measure: ``ADJUSTED_WORDS``, ``EXECUTED_WORDS``,
``EXPENSE_MEASURES``…); a subject holds until another is named, a 其中 opens the list of its items.
selfeval's own sentences are read the same way: no pattern here knows how a template words them
(``importing.figures`` tells them apart by printing them again).

Nothing read here is trusted silently: each reader returns, beside the figures (keyed by their path
in the data), the sentence they came from, what it had to interpret (an amount in 元) and the figures
it would not assign — of an institution under the department, given "分别", or a change stated only
as a percentage — for the importer to quote on the review list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from selfeval_cli.model.money import percent_of
from selfeval_cli.vocabulary import (
    ADJUSTED_WORDS,
    AMONG_WORD,
    AUTHORIZED_WORD,
    CENT,
    CHANGE_WORDS,
    DERIVED_RATE_WORDS,
    DERIVED_RATES,
    DOWN_WORDS,
    EXECUTED_WORDS,
    EXPENSE_MEASURES,
    FIXED_ASSET_WORDS,
    FLAT_WORDS,
    FUNDING_PARTS_WORD,
    IN_POST_WORDS,
    INCOME_WORDS,
    INITIAL_BUDGET_WORDS,
    INITIAL_WORDS,
    LESS_THAN_WORD,
    LINK_WORDS,
    MONEY_UNIT,
    NOT_SPENT_WORDS,
    OWN_LEVEL_WORDS,
    PART_WORDS,
    PEOPLE_UNITS,
    PEOPLES_INCOME_WORDS,
    POST_QUALIFIERS,
    RESPECTIVELY_WORD,
    RETIRED_WORDS,
    STAFF_KINDS,
    THIS_UNIT_WORD,
    THREE_PUBLIC_NAMES,
    THREE_PUBLIC_SYNONYMS,
    TOTAL_WORDS,
    UNIT_ENDINGS,
    UP_WORDS,
    USE_WORDS,
    VEHICLE_PART_SYNONYMS,
    VEHICLE_UNIT,
    VEHICLE_WORDS,
    WHOLE_UNIT_WORD,
    WHOLE_WORDS,
    WHOLE_YEAR_WORD,
    YUAN,
    YUAN_PER_WAN,
)

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
"""A number as reports write it, thousands separators included."""
PERCENT = ("%", "％")


def alternatives(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_FIGURE = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>"
                     rf"{alternatives((MONEY_UNIT, YUAN, *PERCENT, *PEOPLE_UNITS, VEHICLE_UNIT))})")
_SEPARATORS = "，,、；;：:\n"
_CLAUSE_ENDS = "；;。！？\n"
_OPENING, _CLOSING = "（(", "）)"
_SENTENCE_END = re.compile(r"(?<=[。；;])")
_FULL_STOP = re.compile(r"(?<=[。！？\n])")
_DIGIT = re.compile(r"\d")


def sentences(text: str) -> list[str]:
    """``text`` cut after each 。 and ；, every character kept (the pieces join back to ``text``)."""
    return [piece for piece in _SENTENCE_END.split(text) if piece]


def full_sentences(text: str) -> list[str]:
    """``text`` cut after each 。 (a 其中 list runs on over ；), every character kept."""
    return [piece for piece in _FULL_STOP.split(text) if piece]


# ── Pieces: a sentence cut at its separators, each piece at most one figure ───────────────────────

@dataclass(frozen=True)
class Piece:
    """The words before a figure, the figure as written, and where the piece stands."""

    head: str
    number: str | None = None
    unit: str | None = None
    tail: str = ""
    """Words after the figure, up to the next separator."""
    depth: int = 0
    """How many brackets holding a list (“（行政编制29人、工勤编制5人）”) the piece stands in."""
    clause: int = 0
    """Which clause of the text (cut at ；and 。) the piece stands in."""

    @property
    def is_money(self) -> bool:
        return self.unit in (MONEY_UNIT, YUAN)

    @property
    def exact(self) -> Decimal:
        """The figure as a number, an amount in 万元 (one in 元 divided, not rounded)."""
        assert self.number is not None
        value = Decimal(self.number.replace(",", ""))
        return value / YUAN_PER_WAN if self.unit == YUAN else value

    @property
    def written(self) -> str:
        return f"{self.number}{self.unit}"

    @property
    def words(self) -> str:
        return self.head + self.tail


def pieces(text: str, names: Iterable[str] = ()) -> list[Piece]:
    """``text`` cut at ，、；： (not a thousands separator) and at the brackets of a list, each chunk
    cut again after each figure it holds. A bracket holds a list when it holds a digit, a separator or
    one of ``names`` (“（运行维护费）”); other brackets (“全年预算数（调整后预算）”, “因公出国（境）费”)
    are words."""
    lists = _list_brackets(text, tuple(names))
    found: list[Piece] = []
    depth = clause = start = 0
    for index in range(len(text) + 1):
        char = text[index] if index < len(text) else "\n"
        cuts = index in lists or (char in _SEPARATORS and not _thousands(text, index)) or char in _CLAUSE_ENDS
        if not cuts:
            continue
        found += _chunk(text[start:index], depth, clause)
        depth += lists.get(index, 0)
        clause += char in _CLAUSE_ENDS
        start = index + 1
    return found


def _thousands(text: str, index: int) -> bool:
    return index < len(text) and text[index] == "," and index > 0 and text[index - 1].isdigit() and \
        re.match(r"\d{3}(?!\d)", text[index + 1:]) is not None


def _list_brackets(text: str, names: tuple[str, ...] = ()) -> dict[int, int]:
    """Where a bracket holding a list opens (+1) and closes (−1)."""
    marks: dict[int, int] = {}
    opened: list[int] = []
    for index, char in enumerate(text):
        if char in _OPENING:
            opened.append(index)
        elif char in _CLOSING and opened:
            start = opened.pop()
            inside = text[start + 1:index]
            if _DIGIT.search(inside) or has_any(inside, (*_SEPARATORS, *names)):
                marks[start], marks[index] = 1, -1
    return marks


def _chunk(text: str, depth: int, clause: int) -> list[Piece]:
    text = text.strip()
    if not text:
        return []
    found: list[Piece] = []
    at = 0
    for match in _FIGURE.finditer(text):
        found.append(Piece(text[at:match.start()].strip(), match["number"], match["unit"], "", depth, clause))
        at = match.end()
    rest = text[at:].strip()
    if not found:
        return [Piece(rest, depth=depth, clause=clause)]
    if rest:
        found[-1] = replace(found[-1], tail=rest)
    return found


def hits(text: str, words: Mapping[str, Iterable[str]]) -> list[tuple[int, int, str]]:
    """(start, end, key) of each word of ``words`` (key → words) in ``text``, left to right; where
    two overlap the longer is kept (公务用车购置及运行维护费, not its 运行维护费)."""
    found = sorted(((m.start(), m.end(), key) for key, group in words.items() for word in group
                    for m in re.finditer(re.escape(word), text)), key=lambda hit: (hit[0], hit[0] - hit[1]))
    kept: list[tuple[int, int, str]] = []
    for hit in found:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def last_hit(text: str, words: Mapping[str, Iterable[str]]) -> tuple[int, int, str] | None:
    """The word of ``words`` nearest the end of ``text`` (the one a figure after it belongs to)."""
    found = hits(text, words)
    return found[-1] if found else None


def has_any(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


def cent(value: Decimal) -> Decimal:
    """An exact amount to the cent of 万元, halves up (as selfeval prints amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def names_an_institution(before: str, own_name: str) -> bool:
    """Whether the words right before a figure's name (县环卫所, 县图书馆) name an institution under
    the department rather than the department itself (局机关, 本局, 全局, its own name)."""
    before = before.strip().removeprefix(FUNDING_PARTS_WORD)
    if len(before) <= 1 or (own_name and own_name.endswith(before)) or before.endswith(OWN_LEVEL_WORDS):
        return False
    if before.startswith((WHOLE_UNIT_WORD, THIS_UNIT_WORD)):
        return False
    return before.endswith(UNIT_ENDINGS) and not before.endswith(MONEY_UNIT)


# ── What a sentence states ────────────────────────────────────────────────────────────────────────

@dataclass
class Stated:
    """What one sentence states: its figures by their path in the data, and what was interpreted."""

    sentence: str
    figures: dict[str, Any] = field(default_factory=dict)
    """Path → value: ``budget.basic.amount`` → Decimal, ``budget.basic.items`` → a list of items,
    ``three_public.abroad`` → {} (an item named with no figure)."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(path, what was interpreted): an amount written in 元, a percentage that disagrees."""
    unread: list[str] = field(default_factory=list)
    """Figures the sentence states that were not assigned, and why (quoted on the review list)."""
    words: bool = False
    """Whether the sentence says more than its figures (it is then kept as text as well)."""


@dataclass
class Passage:
    """What a paragraph states, sentence by sentence, and the reason written after an execution."""

    text: str
    statements: list[Stated] = field(default_factory=list)
    reason: tuple[str, str] | None = None
    """(the path of the part whose 全年执行数 the paragraph stated, the text after it)."""

    @property
    def figures(self) -> dict[str, Any]:
        return {path: value for stated in self.statements for path, value in stated.figures.items()}


@dataclass
class _Change:
    target: dict[str, Any]
    prefix: str
    sign: int
    """+1 up, −1 down, 0 the same as last year."""
    delta: Decimal
    stated: Stated
    written: str


@dataclass
class _Percent:
    change: _Change
    percent: Decimal
    less_than: bool
    written: str


class _Reader:
    """What the budget and the "三公" readers share: changes, percentages, amounts in 元."""

    principal = "amount"
    """The figure a year-on-year change is of (last year's is ``previous``)."""

    def __init__(self, own_name: str) -> None:
        self.own_name = own_name
        self.subject: str | None = None
        """Whose figures the pieces state (a path: ``budget.basic``, ``three_public.reception``)."""
        self.last: tuple[dict[str, Any], str] | None = None
        """Where the last principal figure went: (the dict, the key prefix of its figures)."""
        self.principals: dict[str, tuple[dict[str, Any], str]] = {}
        """Where each subject's principal figure went: what a change naming that subject is of."""
        self.comparing = False
        """A piece of the sentence so far said it compares with last year ("与上年相比，…减少2.14万元")."""

        self.changes: list[_Change] = []
        self.percents: list[_Percent] = []
        self.in_yuan: list[tuple[dict[str, Any], str, Piece, Stated]] = []
        self.rates: list[tuple[str, str | None, Piece, Stated]] = []
        """(which rate, whose, the piece, its sentence) of each rate stated beside its amounts."""

    def direction(self, head: str, piece: Piece) -> int | None:
        """+1 or −1 when the piece states a change: in its own words (较上年增加), or by 增加/减少 after a
        piece of the same sentence that said it compares with last year."""
        found = _direction(head)
        if found is None and self.comparing:
            up = last_hit(head, {"up": UP_WORDS, "down": DOWN_WORDS})
            found = None if up is None else (1 if up[2] == "up" else -1)
        if piece.number is None and has_any(head, CHANGE_WORDS):
            self.comparing = True
        return found

    def amount(self, piece: Piece, target: dict[str, Any], key: str, stated: Stated) -> None:
        """Put the amount of ``piece`` at ``key`` of ``target`` (to the cent of 万元)."""
        target[key] = cent(piece.exact)
        if piece.unit == YUAN:
            self.in_yuan.append((target, key, piece, stated))

    def change(self, piece: Piece, sign: int, stated: Stated, named: str | None = None) -> None:
        """A change of the principal figure of the subject the piece ``named``, else of the last one read:
        last year's is worked out once the paragraph is read."""
        if named is not None:
            self.last = self.principals.get(named)
        if self.last is None:
            stated.unread.append(f"“{piece.head}{piece.written if piece.number else piece.tail}”之前没有它所比较的"
                                 "本年数，上年数不能算出")
            return
        target, prefix = self.last
        delta = piece.exact if piece.number is not None else Decimal(0)
        self.changes.append(_Change(target, prefix, sign, delta, stated, piece.head + (piece.written if piece.number
                                                                                         else "")))
        if piece.unit == YUAN:
            stated.notes.append((_path_of(target, f"{prefix}previous", stated),
                                 f"变化额原文写作“{piece.written}”，即 {piece.exact.normalize():f} 万元"))

    def percent(self, piece: Piece, stated: Stated) -> None:
        """A percentage: a rate derived from the amounts (checked against them once the paragraph is
        read), or the size of the change just read."""
        rate = last_hit(piece.head, DERIVED_RATES)
        if rate is not None:
            self.rates.append((rate[2], self.subject, piece, stated))
            return
        if self.changes and self.changes[-1].stated is stated and has_any(piece.head, UP_WORDS + DOWN_WORDS):
            self.percents.append(_Percent(self.changes[-1], piece.exact, LESS_THAN_WORD in piece.head,
                                          piece.head + piece.written))
            return
        if has_any(piece.head, UP_WORDS + DOWN_WORDS) and self.subject is not None:
            stated.unread.append(f"“{piece.head}{piece.written}”只写了变化的百分比，上年数不能由它准确算出")
        else:
            stated.words = True  # a percentage of something else (资金到位率100%): text

    def finish(self, statements: Iterable[Stated] = ()) -> None:
        """Amounts in 元 (a slip for 万元 where its 其中 items in 万元 say so), then last year's figures,
        then the rates the paragraph's ``statements`` state beside their amounts."""
        for target, key, piece, stated in self.in_yuan:
            path = _path_of(target, key, stated)
            items = _items_of(target, key)
            assert piece.number is not None
            as_wan = Decimal(piece.number.replace(",", ""))
            if items and abs(sum(items) - as_wan) < abs(sum(items) - piece.exact):
                target[key] = cent(as_wan)
                stated.notes.append((path, f"原文写作“{piece.written}”，上下文是万元，"
                                           f"已按 {target[key]} 万元读取，请核对"))
            else:
                rounded = "（四舍五入到分）" if target[key] != piece.exact else ""
                stated.notes.append((path, f"原文以元为单位写作“{piece.written}”，"
                                           f"已换算为 {target[key]} 万元{rounded}"))
        for change in self.changes:
            base = change.target.get(change.prefix + self.principal)
            if not isinstance(base, Decimal):
                change.stated.unread.append(f"“{change.written}”之前没有它所比较的本年数，上年数不能算出")
                continue
            last_year = cent(base - change.sign * change.delta)
            if last_year < 0:  # it is not the change of that figure: of what, a person can tell
                change.stated.unread.append(f"“{change.written}”比它之前的本年数 {base} 万元还大，不是它的变化")
                continue
            change.target[change.prefix + "previous"] = last_year
        for said in self.percents:
            change = said.change
            previous = change.target.get(change.prefix + "previous")
            if not isinstance(previous, Decimal):
                continue
            if previous == 0:
                continue  # a change from nothing has no percentage to agree with
            exact = change.delta * 100 / previous
            computed = percent_of(change.delta, previous)
            agrees = exact < CENT if said.less_than else \
                exact.quantize(said.percent, rounding=ROUND_HALF_UP) == said.percent
            if not agrees:
                change.stated.notes.append((_path_of(change.target, change.prefix + "previous", change.stated),
                                            f"原文写“{said.written}”，按金额算为 {computed}%"))
        read = {path: value for stated in statements for path, value in stated.figures.items()}
        for which, subject, piece, stated in self.rates:
            rate = _rate(which, read, subject)
            if rate is None:  # the amounts it derives from are not all stated: it says more than they do
                stated.words = True
            elif rate.quantize(piece.exact, rounding=ROUND_HALF_UP) != piece.exact:
                stated.words = True
                stated.notes.append((subject or "budget", f"原文写“{piece.head}{piece.written}”，"
                                                          f"按金额算为 {cent(rate)}%"))


_RATE_OF = {"execution": ("executed", "adjusted"), "control": ("actual", "budget"), "change": ("actual", "previous")}
"""Each derived rate's figures (of its subject): the one it is the share of, and the whole."""


def _rate(which: str, read: Mapping[str, Any], subject: str | None) -> Decimal | None:
    """The rate ``which`` of ``subject`` as the figures ``read`` give it (exact), None when they do not."""
    if subject is None:
        return None
    part, whole = (read.get(f"{subject}.{key}") for key in _RATE_OF[which])
    if not isinstance(part, Decimal) or not isinstance(whole, Decimal) or whole == 0:
        return None
    return abs(part - whole if which == "change" else part) * 100 / whole


def _path_of(target: dict[str, Any], key: str, stated: Stated) -> str:
    """The data path of ``key`` of ``target``: itself in a sentence's figures, else the item's list."""
    if target is stated.figures:
        return key
    for path, value in stated.figures.items():
        if isinstance(value, list) and any(item is target for item in value):
            return path
    return key


def _items_of(target: dict[str, Any], key: str) -> list[Decimal]:
    """The amounts of the 其中 items of the figure at ``key`` (of a budget part or the income)."""
    prefix = key.removesuffix("amount")
    for name in ("items", "sources"):
        listed = target.get(prefix + name)
        if isinstance(listed, list) and listed:
            return [item["amount"] for item in listed if isinstance(item.get("amount"), Decimal)]
    return []


_STRUCTURE = (FUNDING_PARTS_WORD, *FLAT_WORDS, *DERIVED_RATE_WORDS, *CHANGE_WORDS, *UP_WORDS, *DOWN_WORDS)
"""Words a piece without a figure may hold and still say nothing beyond the figures."""
_MARKS = re.compile(r"[\s—\-（）()“”\"‘’、，,；;：:。]")


def _leftover(text: str, words: Iterable[str]) -> str:
    """What ``text`` says besides the vocabulary's ``words`` (and punctuation)."""
    for word in sorted(set(words), key=len, reverse=True):
        text = text.replace(word, "")
    return _MARKS.sub("", text)


def _direction(head: str) -> int | None:
    """+1 or −1 when ``head`` states a change (较上年增加, 同比下降), else None."""
    if not has_any(head, CHANGE_WORDS):
        return None
    up = last_hit(head, {"up": UP_WORDS, "down": DOWN_WORDS})
    return None if up is None else (1 if up[2] == "up" else -1)


# ── The budget chapter: the total, the two parts with their items, execution, income ──────────────

_BUDGET_SUBJECTS: dict[str, tuple[str, ...]] = {
    "budget": TOTAL_WORDS, **{f"budget.{key}": (name,) for key, name in PART_WORDS}, "income": INCOME_WORDS}
_MEASURES: dict[str, tuple[str, ...]] = {"amount": INITIAL_WORDS, "adjusted": ADJUSTED_WORDS,
                                         "executed": EXECUTED_WORDS}


_PARTS = tuple(f"budget.{key}" for key, _ in PART_WORDS)
_BUDGET_WORDS = (*_STRUCTURE, *(w for words in (*_BUDGET_SUBJECTS.values(), *_MEASURES.values()) for w in words))


class _Budget(_Reader):
    def __init__(self, own_name: str) -> None:
        super().__init__(own_name)
        self.measure = "amount"
        self.listing = False
        self.executed: str | None = None
        """The part whose 全年执行数 was stated: what follows in the paragraph is its reason."""
        self.list_of: tuple[str | None, str] | None = None
        """The subject and measure a 其中 opened a list of (its parts are stated in that measure)."""

    def sentence(self, sentence: str) -> Stated:
        stated = Stated(sentence)
        self.listing, self.list_of, self.comparing = False, None, False
        if self.subject in self.principals:  # a new sentence's change is of its subject, not of a listed item
            self.last = self.principals[self.subject]
        if RESPECTIVELY_WORD in sentence:
            stated.unread.append(f"数字用“{RESPECTIVELY_WORD}”并列写出，哪个数是哪一项需要人工核对")
            return stated
        for piece in pieces(sentence):
            if not self.piece(piece, stated):
                break
        return stated

    def piece(self, piece: Piece, stated: Stated) -> bool:
        """Read one piece; False when the rest of the sentence is not to be read (an institution's)."""
        head = piece.head
        if FUNDING_PARTS_WORD in head:
            self.listing, head = True, head.partition(FUNDING_PARTS_WORD)[2].lstrip("：:")
            self.list_of = (self.subject, self.measure)
        subject = self._subject(head)
        if subject is not None:
            if names_an_institution(head[:subject[0]], self.own_name):
                stated.unread.append(f"“{head[:subject[0]]}”可能是下属单位，它的数字不是本部门的")
                stated.figures.clear()
                return False
            self.subject, self.measure, self.listing = subject[2], self._measure_of(head, subject), False
            if piece.number is None and head[subject[1]:].rstrip("：:，, ") == AMONG_WORD and self.subject != "budget":
                self.listing, self.list_of = True, (self.subject, self.measure)  # 基本支出中，…: its items
        use = next((word for word in USE_WORDS if word in head), None)
        if use and self.subject in _PARTS and (subject is None or head.index(use) >= subject[1]):
            # 项目支出（…）主要用于数字档案馆建设78万元，…: what it was spent on, item by item
            self.listing, self.list_of = True, (self.subject, self.measure)
            head = head.partition(use)[2]
        measure = last_hit(head, _MEASURES)
        if measure is not None:
            self.measure = measure[2]
        said_measure = measure is not None and (measure[2] != "amount" or has_any(head, INITIAL_BUDGET_WORDS))
        if subject is None and said_measure and self.subject == "income":
            self.subject = "budget"  # 收入…。年初预算…，全年执行数…: the income has no such figures
        direction = self.direction(head, piece)
        if piece.number is None:
            if has_any(piece.words, FLAT_WORDS):
                self.change(piece, 0, stated)
            stated.words |= _leftover(piece.words, _BUDGET_WORDS) != ""
            return True
        if piece.unit in PERCENT:
            self.percent(piece, stated)
            return True
        if not piece.is_money:
            stated.words = True  # a count (培训3,120人次): text, not a budget figure
            return True
        if direction is not None:
            self.change(piece, direction, stated, subject[2] if subject is not None else None)
            return True
        if self.listing and self.subject in ("income", "budget.basic", "budget.project"):
            name = head.strip("：:，, ")
            for word in LINK_WORDS:
                name = name.removesuffix(word)
            item: dict[str, Any] = {"name": name}
            self.amount(piece, item, "amount", stated)
            kind = "sources" if self.subject == "income" else "items"
            listed = stated.figures.setdefault(f"{self.subject}.{kind}", [])
            listed.append(item)
            self.last = (item, "")
            return True
        if self.subject is None and (self.measure != "amount" or said_measure):
            self.subject = "budget"  # 年初预算…，全年预算数…，全年执行数…: the department's
        if self.subject is None or (self.listing and self.subject == "budget"):
            stated.unread.append(f"“{head}{piece.written}”是哪一项的数字不能确定")
            return True
        key = f"{self.subject}.{self.measure}"
        if key in stated.figures:  # “（含上年结转126.50万元）”: a figure of the sentence already read is not another
            stated.unread.append(f"“{head}{piece.written}”是哪一项的数字不能确定")
            return True
        self.amount(piece, stated.figures, key, stated)
        if self.measure == "amount":
            self.last = self.principals[self.subject] = (stated.figures, f"{self.subject}.")
        else:
            self.executed, self.last = self.subject, None
        return True

    def _measure_of(self, head: str, subject: tuple[int, int, str]) -> str:
        """Which figure of a subject just named a piece states before any measure word: that of the total
        whose 其中 list it is a part of (全年支出合计…，其中基本支出…), what the year spent when named for the
        whole year (全年部门整体支出), else the 年初预算数."""
        whole, measure = self.list_of or (None, "amount")
        if whole is not None and subject[2].startswith(f"{whole}."):
            return measure
        if subject[2] != "income" and head[:subject[0]].endswith(WHOLE_YEAR_WORD):
            return "executed"
        return "amount"

    def _subject(self, head: str) -> tuple[int, int, str] | None:
        found = _budget_subject(head)
        if found is not None and found[2] == "income" and self.listing and self.subject == "income":
            return None  # 其中：财政拨款收入…: a source of the income, not the income again
        return found


def _budget_subject(head: str) -> tuple[int, int, str] | None:
    """The part of the budget or the income ``head`` names last; not people's income (农民人均可支配收入)."""
    found = last_hit(head, _BUDGET_SUBJECTS)
    if found is not None and found[2] == "income" and has_any(head[:found[1]], PEOPLES_INCOME_WORDS):
        return None
    return found


def _names_a_budget_amount(sentence: str) -> bool:
    """Whether ``sentence`` states an amount of a part it names (基本支出中，工资福利支出…: its items too)."""
    found = pieces(sentence)
    return any(piece.is_money for piece in found) and any(last_hit(piece.head, _BUDGET_SUBJECTS) is not None
                                                           for piece in found)


def about_the_budget(sentence: str) -> bool:
    """Whether ``sentence`` states an amount as one of the budget's or the income's (named, or by a
    measure only the budget has: 年初预算, 全年预算数, 全年执行数)."""
    return any(piece.is_money and (_budget_subject(piece.head) is not None
                                   or has_any(piece.head, (*INITIAL_BUDGET_WORDS, *ADJUSTED_WORDS, *EXECUTED_WORDS)))
               for piece in pieces(sentence))


def subject_of(title: str) -> str | None:
    """The budget figure a heading names (基本支出情况 → ``budget.basic``), if any."""
    found = last_hit(title, _BUDGET_SUBJECTS)
    return found[2] if found is not None else None


def budget(text: str, own_name: str = "", subject: str | None = None) -> Passage:
    """The budget figures of a paragraph: the total, 基本支出 and 项目支出 with their 其中 items, their
    全年预算数 and 全年执行数, and the income with its sources — each with last year's figure where a
    change is stated. What a paragraph says after a 全年执行数, in sentences that state no other
    part's amount, is the reason for it (``Passage.reason``). ``subject`` is whose figures a sentence
    that names none states (the sub-heading's: 基本支出情况)."""
    reader = _Budget(own_name)
    reader.subject = subject
    passage = Passage(text)
    parts = full_sentences(text)
    for index, sentence in enumerate(parts):
        if reader.executed is not None and not _names_a_budget_amount(sentence):
            reason = "".join(parts[index:]).strip()
            if reason:
                passage.reason = (reader.executed, reason)
            break
        passage.statements.append(reader.sentence(sentence))
    reader.finish(passage.statements)
    return passage


# ── The "三公" expenses: the total and each item, 预算 and 实际支出 in any order ──────────────────

_THREE_SUBJECTS: dict[str, tuple[str, ...]] = {
    "three_public.total": THREE_PUBLIC_NAMES,
    **{f"three_public.{key}": names for key, names in THREE_PUBLIC_SYNONYMS.items()},
    **{f"three_public.vehicles.{key}": names for key, names in VEHICLE_PART_SYNONYMS.items()},
}


_PART_NAMES = tuple(name for names in VEHICLE_PART_SYNONYMS.values() for name in names)
_THREE_WORDS = (*_STRUCTURE, *NOT_SPENT_WORDS, *WHOLE_WORDS,
                *(w for words in (*_THREE_SUBJECTS.values(), *EXPENSE_MEASURES.values()) for w in words))


class _ThreePublic(_Reader):
    principal = "actual"

    def __init__(self, own_name: str) -> None:
        super().__init__(own_name)
        self.outer: list[str | None] = []
        """The subjects before each open bracket (after it closes, its subject holds again)."""
        self.wholes: list[str] = []

    def passage(self, text: str) -> Passage:
        passage = Passage(text)
        for sentence in full_sentences(text):
            stated = Stated(sentence)
            self.comparing = False
            if RESPECTIVELY_WORD in sentence:
                stated.unread.append(f"数字用“{RESPECTIVELY_WORD}”并列写出，哪个数是哪一项需要人工核对")
            else:
                for piece in pieces(sentence, _PART_NAMES):
                    self.piece(piece, stated)
            passage.statements.append(stated)
        self.finish(passage.statements)
        for path in self.wholes:  # 全部为运行维护费: the part is all of the vehicle item
            stated = next(s for s in passage.statements if path in s.figures)
            whole = {key: value for s in passage.statements for key, value in s.figures.items()
                     if key.rpartition(".")[0] == "three_public.vehicles" and isinstance(value, Decimal)}
            for key, value in whole.items():
                stated.figures[f"{path}.{key.rpartition('.')[2]}"] = value
        return passage

    def piece(self, piece: Piece, stated: Stated) -> None:
        while len(self.outer) > piece.depth:
            self.subject = self.outer.pop()
        while len(self.outer) < piece.depth:
            self.outer.append(self.subject)
        head = piece.head
        subject = last_hit(head, _THREE_SUBJECTS)
        if subject is not None:
            if names_an_institution(head[:subject[0]], self.own_name):
                stated.unread.append(f"“{head[:subject[0]]}”可能是下属单位，它的数字不是本部门的")
                self.subject = None
                return
            self.subject = subject[2]
            stated.figures.setdefault(self.subject, {})
            if has_any(head[:subject[0]], WHOLE_WORDS):
                self.wholes.append(self.subject)
        if self.subject is not None and has_any(piece.words, NOT_SPENT_WORDS):
            for key in ("budget", "actual", "previous"):
                stated.figures[f"{self.subject}.{key}"] = Decimal("0.00")
        direction = self.direction(head, piece)
        if piece.number is None:
            if has_any(piece.words, FLAT_WORDS):
                self.change(piece, 0, stated)
            stated.words |= _leftover(piece.words, _THREE_WORDS) != ""
            return
        if piece.unit in PERCENT:
            self.percent(piece, stated)
            return
        if not piece.is_money:
            stated.words = True
            return
        if direction is not None:
            self.change(piece, direction, stated, subject[2] if subject is not None else None)
            return
        if self.subject is None:
            stated.unread.append(f"“{head}{piece.written}”是哪一项的数字不能确定")
            return
        measure = last_hit(head, EXPENSE_MEASURES)
        key = measure[2] if measure is not None else "actual"
        self.amount(piece, stated.figures, f"{self.subject}.{key}", stated)
        self.last = (stated.figures, f"{self.subject}.") if key == "actual" else None
        if self.last is not None:
            self.principals[self.subject] = self.last


def three_public(text: str, own_name: str = "") -> Passage | None:
    """The "三公" figures of a paragraph that names them: the total and each item (and the vehicle
    item's two parts), 预算 and 实际支出 in any order, last year's where a change is stated; None when
    the paragraph does not name "三公"."""
    if not has_any(text, THREE_PUBLIC_NAMES):
        return None
    return _ThreePublic(own_name).passage(text)


# ── Staffing and assets ───────────────────────────────────────────────────────────────────────────

@dataclass
class Read:
    """What a reader found: the figures, the sentences they came from, and sentences left unread."""

    figures: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str]] = field(default_factory=list)
    """(sentence, why) of figures this reader would not assign (quoted on the review list)."""
    unread: list[tuple[str, str]] = field(default_factory=list)
    """(sentence, count) of counts of people no field takes (离休人员2人): quoted, not dropped."""
    extra: list[str] = field(default_factory=list)
    """Sentences read that say more than the figures read from them (内设办公室、水政股三个股室，编制20人…):
    kept as text as well."""
    self_word: str | None = None
    """The word the department calls itself by before its total (局 of 全局编制)."""


_STAFF_WORDS: dict[str, tuple[str, ...]] = {
    "authorized": (AUTHORIZED_WORD,), "actual": IN_POST_WORDS, "retired": RETIRED_WORDS}


def _clauses(text: str) -> list[str]:
    return [clause for clause in re.split(r"(?<=[；;。！？\n])", text) if clause.strip()]


def staffing(text: str, own_name: str = "") -> Read | None:
    """编制 (by kind where stated), 在职 (by kind where stated) and 退休 of the department from prose;
    None when it states no 编制 or no 在职. A clause that names an institution under the department
    (…处在职人员132人) is set aside as ambiguous, not taken as the department's; so are kinds that do
    not add up to the total stated.

    A count in post right after one kind of post in its clause is that kind's (行政编制21名，实有20人);
    a bracket after the count in post breaks it down by kind (在职34人（行政编制29人、工勤编制5人）)."""
    read = Read()
    groups: list[dict[str, Any]] = []
    total: int | None = None
    actual: int | None = None
    for clause in _clauses(text):
        counts = [piece for piece in pieces(clause) if piece.unit in PEOPLE_UNITS and piece.number]
        found = [(piece, hit) for piece in counts for hit in [last_hit(piece.head, _STAFF_WORDS)] if hit is not None]
        if not found:
            continue
        if any(names_an_institution(piece.head[:hit[0]], own_name) for piece, hit in found):
            read.ambiguous.append((clause.strip(), "的人数可能是下属单位的"))
            continue
        claimed = [piece for piece, _ in found]
        read.unread += [(clause.strip(), f"{piece.head}{piece.written}") for piece in counts if piece not in claimed]
        read.sources.append(clause.strip())
        if _says_more(clause, claimed, _PEOPLE_TEXT):
            read.extra.append(clause.strip())
        kinds: list[dict[str, Any]] = []  # the kinds of post this clause names
        stated_total = broken_down = False
        for piece, (start, _, key) in found:
            count = int(Decimal(str(piece.number).replace(",", "")))
            before = piece.head[:start].strip()
            kind = _kind(before) if key == "authorized" else None
            if kind is not None and piece.depth and broken_down:
                group = next((g for g in groups if g["name"] == kind), None)
                if group is None:
                    read.ambiguous.append((clause.strip(), f"的“{kind}”不在前面列出的编制类别中"))
                else:
                    group["actual"] = count
            elif kind is not None:
                kinds.append({"name": kind, "authorized": count})
                groups.append(kinds[-1])
            elif key == "authorized" and total is None:
                total, stated_total = count, True
                word = before.removeprefix(WHOLE_UNIT_WORD)
                for qualifier in POST_QUALIFIERS:  # 全局核定编制: the 局, not 局核定
                    word = word.removesuffix(qualifier)
                if before.startswith(WHOLE_UNIT_WORD) and word:
                    read.self_word = word
            elif key == "actual" and len(kinds) == 1 and not stated_total and "actual" not in kinds[0]:
                kinds[0]["actual"] = count
            elif key == "actual" and actual is None:
                actual, broken_down = count, True
            elif key == "retired" and "retired" not in read.figures:
                read.figures["retired"] = count
    if actual is None and groups and all("actual" in group for group in groups):
        actual = sum(group["actual"] for group in groups)
    if actual is not None:
        read.figures["actual"] = actual
    if (total is None and not groups) or actual is None:
        return None if not read.ambiguous else read
    if groups:
        summed = sum(group["authorized"] for group in groups)
        if total is not None and total != summed:
            read.ambiguous.append(("".join(read.sources), f"各类编制之和为{summed}人，与编制共{total}人不符"))
            read.figures.clear()
            return read
        in_post = sum(group.get("actual", 0) for group in groups)
        if all("actual" in group for group in groups) and in_post != actual:
            read.ambiguous.append(("".join(read.sources), f"各类在职人数之和为{in_post}人，与在职共{actual}人不符"))
            read.figures.clear()
            return read
        read.figures["groups"] = groups
        total = summed
    read.figures["authorized"] = total
    read.figures = {key: read.figures[key] for key in ("authorized", "actual", "groups", "retired")
                    if key in read.figures}  # in the order of the data file
    return read


_PEOPLE_TEXT = (AUTHORIZED_WORD, *IN_POST_WORDS, *RETIRED_WORDS, *STAFF_KINDS, *OWN_LEVEL_WORDS, *POST_QUALIFIERS,
                *LINK_WORDS, FUNDING_PARTS_WORD, *PEOPLE_UNITS)
"""What a sentence of the staffing may say besides its figures and still say nothing more."""


def _says_more(clause: str, claimed: list[Piece], words: Iterable[str]) -> bool:
    """Whether ``clause`` says more than its ``claimed`` figures: a figure not read, or words beyond
    ``words`` (the words before a figure read say whose it is)."""
    for piece in pieces(clause):
        if piece.number is not None and piece not in claimed:
            return True
        said = piece.tail if piece.number is not None else piece.words
        if _leftover(said, words):
            return True
    return False


def _kind(before: str) -> str | None:
    """The kind of post named right before 编制 (行政 of 局机关行政编制), with 编制; None for the total."""
    words = re.split(r"[，,、；;：:]", before)[-1].strip()
    words = words.removeprefix(FUNDING_PARTS_WORD)
    for level in OWN_LEVEL_WORDS:
        words = words.rpartition(level)[2] if level in words else words
    for qualifier in POST_QUALIFIERS:
        words = words.removeprefix(qualifier)
    return f"{words}{AUTHORIZED_WORD}" if words.endswith(STAFF_KINDS) else None


_ASSET_WORDS: dict[str, tuple[str, ...]] = {"authorized": (AUTHORIZED_WORD,), "actual": IN_POST_WORDS}
_ASSET_TEXT = (*VEHICLE_WORDS, AUTHORIZED_WORD, *IN_POST_WORDS, *FIXED_ASSET_WORDS, *POST_QUALIFIERS, *LINK_WORDS,
               FUNDING_PARTS_WORD)


def assets(text: str) -> Read | None:
    """公务用车 (编制 and 实有, in any order) and 固定资产原值 from prose; None when it states neither."""
    read = Read()
    vehicles: dict[str, int] = {}
    for clause in full_sentences(text):
        claimed: list[Piece] = []
        named = False
        for piece in pieces(clause):
            named = named or has_any(piece.head, VEHICLE_WORDS)
            if piece.unit == VEHICLE_UNIT and named and piece.number is not None:
                hit = last_hit(piece.head, _ASSET_WORDS)
                key = hit[2] if hit is not None else "actual"
                if key not in vehicles:
                    vehicles[key] = int(Decimal(piece.number.replace(",", "")))
                    claimed.append(piece)
            elif piece.is_money and has_any(piece.head, FIXED_ASSET_WORDS) and "fixed_assets" not in read.figures:
                read.figures["fixed_assets"] = cent(piece.exact)
                claimed.append(piece)
        if claimed:
            read.sources.append(clause.strip())
            if _says_more(clause, claimed, _ASSET_TEXT):
                read.extra.append(clause.strip())
    if vehicles:  # in the order of the data file
        read.figures = {"vehicles": {key: vehicles[key] for key in ("authorized", "actual") if key in vehicles},
                        **read.figures}
    return read if read.figures else None
