"""Amounts: the whole hint each slip gets, the edges of what counts as a slip, and rates that do not
depend on the caller's decimal context.

Written against the mutants ``make mutation`` found alive. A hint that prints ``{found}`` instead of the
text the user typed, or a full-width ``０`` that is taken for a quoted number, is a message the user
cannot act on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal, localcontext

import pytest
from pydantic_core import PydanticCustomError

from selfeval_cli.model.money import MAX_AMOUNT, format_money, parse_money, percent_of
from selfeval_cli.model.values import describe


@pytest.mark.parametrize(("value", "kind", "message"), [
    ("795.63万元", "money_unit", "金额不要带单位（单位固定为万元），实际为文本“795.63万元”：只写数字，如 795.63"),
    ("1,234.5", "money_separator", "金额不要用千位分隔符，实际为文本“1,234.5”：写作 1234.50"),
    ("1，234.50", "money_separator", "金额不要用千位分隔符，实际为文本“1，234.50”：写作 1234.50"),
    ("７９５．６３", "money_full_width", "金额用了全角数字或小数点，实际为文本“７９５．６３”：请改用半角，如 795.63"),
    ("012", "money_leading_zero", "金额不能以 0 开头（YAML 会误读），实际为文本“012”"),
    ("795.63", "money_quoted", "金额应为数字，不要加引号，实际为文本“795.63”"),
    (".nan", "money_not_finite", "金额必须是有限的数字，实际为文本“.nan”"),
    ("很多", "money_type", "金额应为数字（单位万元），实际为文本“很多”"),
    (True, "money_type", "金额应为数字（单位万元），实际为真假值 true"),
    (Decimal("NaN"), "money_not_finite", "金额必须是有限的数字，实际为 NaN"),
    (Decimal("1e999"), "money_too_large", "金额过大（1E+999），请检查单位是否为万元"),
    (Decimal("-1.00"), "money_negative", "金额不能为负数，实际为 -1.00 万元"),
    (Decimal("1.234"), "money_precision", "金额最多保留两位小数（单位万元），实际为 1.234"),
])
def test_each_slip_gets_its_whole_hint_with_the_value_given(value: object, kind: str, message: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        parse_money(value)
    assert (caught.value.type, caught.value.message()) == (kind, message)


@pytest.mark.parametrize("value", ["０", "９", "１２", "795．63"])
def test_full_width_digits_from_0_to_9_and_the_full_width_point_are_named(value: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        parse_money(value)
    assert caught.value.type == "money_full_width"


@pytest.mark.parametrize("value", ["inf", "Infinity", "-Infinity", "+inf", "NaN"])
def test_every_spelling_of_infinity_and_nan_is_not_finite(value: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        parse_money(value)
    assert caught.value.type == "money_not_finite"


def test_rates_do_not_depend_on_the_callers_decimal_context() -> None:
    # A library caller may have lowered the precision of its decimal context; the rate is still the
    # bureau's one division, rounded once, half up.
    with localcontext(Context(prec=3)):
        assert percent_of(Decimal("1240.60"), Decimal("1270.80")) == Decimal("97.62")
        assert percent_of(Decimal("34"), Decimal("36")) == Decimal("94.44")


def test_rates_round_half_up_at_two_decimals() -> None:
    assert percent_of(Decimal("1"), Decimal("8")) == Decimal("12.50")
    assert percent_of(Decimal("0.12345"), Decimal("1")) == Decimal("12.35")  # 12.345 → 12.35, not 12.34
    assert percent_of(Decimal("0.12344999"), Decimal("1")) == Decimal("12.34")
    assert percent_of(Decimal("5"), Decimal("0")) is None
    assert str(percent_of(Decimal("90"), Decimal("100"))) == "90.00"


def test_the_largest_amount_is_just_below_a_trillion() -> None:
    assert parse_money(MAX_AMOUNT - Decimal("0.01")) == Decimal("999999999999.99")
    with pytest.raises(PydanticCustomError) as caught:
        parse_money(MAX_AMOUNT)
    assert caught.value.type == "money_too_large"


def test_a_value_of_any_other_type_is_named_in_the_hint() -> None:
    # YAML reads 2024-01-01 as a date: not an amount, and the hint says what was found instead.
    date = dt.date(2024, 1, 1)
    with pytest.raises(PydanticCustomError) as caught:
        parse_money(date)
    assert caught.value.type == "money_type"
    assert caught.value.message() == f"金额应为数字（单位万元），实际为{describe(date)}"


def test_a_float_from_a_python_caller_is_the_amount_it_prints_as() -> None:
    # 643.4 as a binary float is 643.399999…; a library caller means 643.40.
    assert parse_money(643.4) == Decimal("643.40")
    assert parse_money(0.1) == Decimal("0.10")


def test_a_shown_amount_rounds_half_up_at_two_decimals() -> None:
    # As the bureaus round: 9.865 is shown as 9.87 and 0.125 as 0.13 (not to the even 0.12).
    assert format_money(Decimal("9.865")) == "9.87"
    assert format_money(Decimal("0.125")) == "0.13"
    assert format_money(Decimal("2.5")) == "2.50"
