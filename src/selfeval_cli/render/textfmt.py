"""Formatting helpers for the templates (as filters), headings and the summary: Chinese numerals, dates, changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from selfeval_cli.model.money import format_money, percent_of
from selfeval_cli.vocabulary import CENT


def chinese_date(day: dt.date) -> str:
    """A date as GB/T 9704-2012 writes 成文日期: 2025年3月5日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def money(amount: Decimal) -> str:
    """An amount with its unit, always two decimals: 795.63万元."""
    return f"{format_money(amount)}万元"


def year_on_year(current: Decimal, previous: Decimal | None) -> str:
    """The change against last year as a clause: ，较上年增加12.30万元，增长1.57%. Empty when unknown.

    No percentage where last year was 0 (it has none), and "不足0.01%" where it rounds to zero.
    """
    if previous is None:
        return ""
    change = current - previous
    if change == 0:
        return "，与上年持平"
    verb, growth = ("增加", "增长") if change > 0 else ("减少", "下降")
    clause = f"，较上年{verb}{format_money(abs(change))}万元"
    percent = percent_of(abs(change), previous)
    if percent is not None:
        clause += f"，{growth}{percent:f}%" if percent > 0 else f"，{growth}不足0.01%"
    return clause


def rate(part: Decimal, whole: Decimal | None) -> str:
    """``part`` as a percentage of ``whole``: 97.37%; a dash where there is none (``whole`` 0 or missing)."""
    return percent(percent_of(part, whole) if whole is not None else None)


def points(value: Decimal) -> str:
    """A 分值, 得分 or 总分 as the table prints it: always two decimals (9.85, 10.00)."""
    return format_money(value)


def score_words(value: Decimal) -> str:
    """A score in running text, without trailing zeros: 50分, 48.75分, 9.7分 (the table keeps two decimals)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(rate: Decimal | None) -> str:
    """An 执行率 already in percent: 98.50%; a dash where there is no rate (its divisor is 0)."""
    return "—" if rate is None else f"{rate.quantize(CENT):f}%"


_SIGNS = {"正向": "≥", "反向": "≤", "等于": "="}


def indicator_value(value: Decimal | str, kind: str, unit: str | None, *, signed: bool = False) -> str:
    """年度指标值 or 实际完成值 as the table shows it: ≥95%, 12人, or the text of a 定性 indicator.

    Numbers keep the digits the data gave (95, 99.5): they are measures, not amounts in 万元.
    """
    if isinstance(value, str):
        return value
    sign = _SIGNS.get(kind, "") if signed else ""
    return f"{sign}{value:f}{unit or ''}"
