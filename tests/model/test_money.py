"""Amounts: parsing, the two rules (≥ 0, two decimals) and formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from selfeval_cli.model.money import check_non_negative, check_two_decimals, format_money, parse_money
from selfeval_cli.vocabulary import TO_FILL


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("643.4"), Decimal("643.40")), (58, Decimal("58.00")), (Decimal("0"), Decimal("0.00")),
])
def test_valid_amounts_get_two_decimals(value: object, expected: Decimal) -> None:
    amount = parse_money(value)
    assert amount == expected and str(amount) == str(expected)


@pytest.mark.parametrize(("value", "kind", "needle"), [
    ("795.63万元", "money_unit", "不要带单位"),
    ("1,234.5", "money_separator", "千位分隔符"),
    ("７９５．６３", "money_full_width", "全角"),
    ("795.63", "money_quoted", "不要加引号"),
    ("012", "money_leading_zero", "0 开头"),
    (".nan", "money_not_finite", "有限"),
    (TO_FILL, "money_to_fill", "未填写"),
    (True, "money_type", "真假值"),
    (None, "money_type", "空值"),
    ("很多", "money_type", "文本“很多”"),
    (Decimal("NaN"), "money_not_finite", "有限"),
    (Decimal("-1.00"), "money_negative", "负数"),
    (Decimal("1.234"), "money_precision", "两位小数"),
    (Decimal("1e999"), "money_too_large", "金额过大"),
    (Decimal("-1e999"), "money_too_large", "金额过大"),
])
def test_bad_amounts_are_explained(value: object, kind: str, needle: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        parse_money(value)
    assert caught.value.type == kind
    assert needle in caught.value.message()


def test_non_negative_rule() -> None:
    check_non_negative(Decimal("0"))
    with pytest.raises(PydanticCustomError, match="负数"):
        check_non_negative(Decimal("-0.01"))


def test_two_decimals_rule() -> None:
    check_two_decimals(Decimal("1.20"))
    check_two_decimals(Decimal("1.200"))  # trailing zeros carry no extra precision
    with pytest.raises(PydanticCustomError, match="两位小数"):
        check_two_decimals(Decimal("1.201"))


@given(st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False))
def test_format_then_parse_is_identity(amount: Decimal) -> None:
    text = format_money(amount)
    assert text.count(".") == 1 and len(text.split(".")[1]) == 2
    assert parse_money(Decimal(text)) == amount
