"""Cross-checks of the prose against the data: what a bureau reviewer reads first.

Counts the text states against the lists it counts, years it names against the report year, and the
indicators of the 自评表 the vocabulary knows (在职人员控制率, "三公"经费变动率…) against the figures
they are computed from. Each is a warning located at the sentence (``quote``): the prose may be right
and the data wrong, which a person decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from selfeval_cli import phrases
from selfeval_cli.checks.common import Check
from selfeval_cli.model.money import percent_of
from selfeval_cli.model.report import Report
from selfeval_cli.model.values import FieldPath, quoted, text_fields
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.vocabulary import (
    KNOWN_RATES,
    MONEY_UNIT,
    NOT_PROSE,
    OLDEST_YEAR_BACK,
    THREE_PUBLIC,
    YUAN,
)

_YEAR = re.compile(r"(?<![\d〔\[【（(])(?P<year>(?:19|20)\d{2})\s*年")


def _prose(report: Report) -> Iterator[tuple[FieldPath, str]]:
    """The text fields a person wrote, not the notice, labels or the review list."""
    for path, text in text_fields(report.model_dump(mode="python")):
        if path and path[0] not in NOT_PROSE:
            yield path, text


def check_stated_counts(report: Report) -> Iterator[Problem]:
    """A count the prose states ("10个直属事业单位") equals the institutions the data lists."""
    internal, affiliated = len(report.department.internal_units()), len(report.department.affiliated_units())
    for path, text in _prose(report):
        for found in phrases.mentions(text):
            listed = internal if found.internal else affiliated
            if found.count != listed:
                message = f"“{found.text}”：数据中列出的{found.kind}是 {listed} 个，请核对正文或 department.units"
                yield Problem.about(path, Severity.WARNING, message, quote=found.text)


def check_old_years(report: Report) -> Iterator[Problem]:
    """No year earlier than the year before the report year stands in the prose, as last year's
    text carried over would ("2015年度，自评小组…" in a 2022 report); a 文号's 〔2015〕 is no mention."""
    oldest = report.year - OLDEST_YEAR_BACK
    for path, text in _prose(report):
        for found in _YEAR.finditer(text):
            if int(found["year"]) < oldest:
                message = f"“{found[0]}”早于 {oldest} 年：{report.year}年度报告的正文，可能沿用了旧报告，请核对"
                yield Problem.about(path, Severity.WARNING, message, quote=found[0])


def _known_rates(report: Report) -> dict[str, list[Decimal | None]]:
    """The rates the data allows, by the indicator names the vocabulary knows for them. The "三公" rates
    from the stated total and from the items added up: where those differ, another check says so."""
    staffing = report.department.staffing
    rates: dict[str, list[Decimal | None]] = {
        "staffing": [percent_of(Decimal(staffing.actual), Decimal(staffing.authorized))]}
    if report.three_public is not None:
        three = report.three_public
        for figures in (three.summed(), three.model_copy(update={"total": None}).summed()):
            if figures.actual is not None and figures.previous:
                rates.setdefault("three_public_change", []).append(
                    percent_of(figures.actual - figures.previous, figures.previous))
            if figures.actual is not None and figures.budget:
                rates.setdefault("three_public_control", []).append(percent_of(figures.actual, figures.budget))
    if report.assessment is not None and report.assessment.funding.total.budget:
        total = report.assessment.funding.total
        rates["execution"] = [percent_of(total.executed, total.budget)]
    return rates


def check_known_indicators(report: Report) -> Iterator[Problem]:
    """An indicator the vocabulary knows (在职人员控制率, “三公”经费变动率…) states the rate the data gives."""
    if report.assessment is None:
        return
    rates = _known_rates(report)
    for i, first in enumerate(report.assessment.indicators):
        for j, second in enumerate(first.children):
            for k, indicator in enumerate(second.indicators):
                key = next((key for key, names in KNOWN_RATES.items() if indicator.name in names), None)
                computed = [rate for rate in rates.get(key, []) if rate is not None] if key else []
                exponent = indicator.actual.as_tuple().exponent if isinstance(indicator.actual, Decimal) else None
                if not computed or not isinstance(exponent, int):
                    continue
                places = Decimal(1).scaleb(exponent)  # the rate as precisely as the actual value is written
                if all(rate.quantize(places) != indicator.actual for rate in computed):
                    path = ("assessment", "indicators", i, "children", j, "indicators", k, "actual")
                    yield Problem.about(path, Severity.WARNING,
                                        f"{quoted(indicator.name)}的实际完成值为 {indicator.actual}，按数据算出为 "
                                        f"{computed[0]}（{_basis(key)}），请核对")


def _basis(key: str | None) -> str:
    return {"staffing": "在职人数 ÷ 编制数", "three_public_change": f"{THREE_PUBLIC}实际支出较上年的变动",
            "three_public_control": f"{THREE_PUBLIC}实际支出 ÷ 预算", "execution": "自评表全年执行数 ÷ 全年预算数"
            }.get(key or "", "")


_IN_YUAN = re.compile(r"(?<![\d.,])(\d+(?:\.\d{1,2})?)\s*元")
"""An amount the prose states in 元 (not 万元: the digits stand right before 元)."""


def _amounts(value: object) -> Iterator[Decimal]:
    """Every amount in the data (of the model dumped to Python values)."""
    if isinstance(value, Decimal):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _amounts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _amounts(item)


def check_amounts_said_in_yuan(report: Report) -> Iterator[Problem]:
    """An amount the prose states in 元 that the data holds in 万元 ("全年基本支出795.63元" of a budget of
    795.63 万元): the unit dropped from 万元, a slip published reports make."""
    if report.money_unit == YUAN:
        return
    known = {amount for amount in _amounts(report.model_dump(mode="python")) if amount >= 1}
    for path, text in _prose(report):
        for match in _IN_YUAN.finditer(text):
            if Decimal(match[1]) in known:
                yield Problem.about(path, Severity.WARNING,
                                    f"“{match[0]}”：数据中是 {match[1]} {MONEY_UNIT}，这里的单位应为{MONEY_UNIT}",
                                    quote=match[0])


CHECKS: tuple[Check, ...] = (check_stated_counts, check_old_years, check_known_indicators,
                            check_amounts_said_in_yuan)
