"""Money: ``Decimal`` amounts in 万元 with two decimals, and the rules an amount must meet.

Amounts come from YAML as ``int`` or ``Decimal`` (the loader never makes floats). Strings are
refused with a hint rather than guessed at: "795.63万元" or "1,234.5" in a data file is a
slip worth fixing at the source, and guessing units is how 万元 turns into 元.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from selfeval_cli.model.values import describe
from selfeval_cli.vocabulary import CENT, MONEY_UNIT, STILL_TO_FILL, TO_FILL, YUAN, YUAN_PER_WAN

_NUMBER_TEXT = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*$")


def as_decimal(value: Any) -> Decimal:
    """Turn a YAML number into a Decimal, or explain in Chinese why it is not an amount."""
    if isinstance(value, bool):  # an int to isinstance, so refused first (None, lists, mappings: the last line)
        raise PydanticCustomError("money_type", "金额应为数字（单位万元），实际为{found}", {"found": describe(value)})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):  # only reachable from Python callers, never from the loader
        return Decimal(str(value))
    if isinstance(value, str):
        raise _text_amount_error(value)
    raise PydanticCustomError("money_type", "金额应为数字（单位万元），实际为{found}", {"found": describe(value)})


def _text_amount_error(text: str) -> PydanticCustomError:
    found = describe(text)
    if text.strip() == TO_FILL:
        return PydanticCustomError("money_to_fill", f"金额未填写{STILL_TO_FILL}")
    if "元" in text:
        return PydanticCustomError(
            "money_unit", "金额不要带单位（单位固定为万元），实际为{found}：只写数字，如 795.63", {"found": found})
    if "," in text or "，" in text:
        return PydanticCustomError(
            "money_separator", "金额不要用千位分隔符，实际为{found}：写作 1234.50", {"found": found})
    if any("０" <= ch <= "９" or ch == "．" for ch in text):
        return PydanticCustomError(
            "money_full_width", "金额用了全角数字或小数点，实际为{found}：请改用半角，如 795.63", {"found": found})
    if _NUMBER_TEXT.match(text):
        if re.match(r"^\s*[-+]?0\d", text):
            return PydanticCustomError(
                "money_leading_zero", "金额不能以 0 开头（YAML 会误读），实际为{found}", {"found": found})
        return PydanticCustomError("money_quoted", "金额应为数字，不要加引号，实际为{found}", {"found": found})
    if text.strip().lower().lstrip("+-.") in {"nan", "inf", "infinity"}:
        return PydanticCustomError("money_not_finite", "金额必须是有限的数字，实际为{found}", {"found": found})
    return PydanticCustomError("money_type", "金额应为数字（单位万元），实际为{found}", {"found": found})


def check_finite(amount: Decimal) -> None:
    """An amount must be an ordinary number (not NaN or infinity)."""
    if not amount.is_finite():
        raise PydanticCustomError("money_not_finite", "金额必须是有限的数字，实际为 {value}", {"value": str(amount)})


MAX_AMOUNT = Decimal(10) ** 12
"""No department's budget reaches a trillion 万元: a larger figure is a slip (or 1e999)."""


def check_magnitude(amount: Decimal) -> None:
    """An amount stays below ``MAX_AMOUNT`` (which also keeps Decimal arithmetic exact)."""
    if abs(amount) >= MAX_AMOUNT:
        raise PydanticCustomError("money_too_large", "金额过大（{value}），请检查单位是否为万元",
                                  {"value": str(amount)})


def check_non_negative(amount: Decimal) -> None:
    """An amount must not be negative."""
    if amount < 0:
        raise PydanticCustomError("money_negative", "金额不能为负数，实际为 {value} 万元", {"value": str(amount)})


def check_two_decimals(amount: Decimal, unit: str = MONEY_UNIT) -> None:
    """An amount has at most two decimals of its unit (分 of 万元 are below the report's precision;
    a file in 元 is exact to the fen)."""
    if amount != amount.quantize(CENT):
        raise PydanticCustomError(
            "money_precision", "金额最多保留两位小数（单位{unit}），实际为 {value}",
            {"value": str(amount), "unit": unit})


def unit_of(info: ValidationInfo | None) -> str:
    """The unit the data file's amounts are written in (``money_unit``, passed as validation context)."""
    context = info.context if info is not None else None
    return str(context.get("money_unit") or MONEY_UNIT) if isinstance(context, dict) else MONEY_UNIT


def parse_money(value: Any, info: ValidationInfo | None = None) -> Decimal:
    """The validator behind ``Money``: a finite, non-negative amount with two decimals of the file's
    unit, kept in 万元 — exactly: 186450.00 元 is 18.645 万元, rounded (half up) only where printed."""
    amount = as_decimal(value)  # Decimal(int | Decimal | str(float)) cannot raise
    unit = unit_of(info)
    check_finite(amount)
    check_magnitude(amount)
    check_non_negative(amount)
    check_two_decimals(amount, unit)
    amount = amount.quantize(CENT)
    return amount / YUAN_PER_WAN if unit == YUAN else amount  # exact: at most six decimals


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, two decimals, halves up (as the bureaus' forms round);
    None when ``whole`` is 0. One division, one rounding: 执行率, 控制率 and 同比 all come from here."""
    if whole == 0:
        return None
    with localcontext(Context(prec=50)):  # exact enough that the only rounding is the last one
        return (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    """``Decimal('643.4')`` → ``'643.40'``: always two decimals, halves up (18.645 → 18.65), no separators."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def _validate_money(value: Any, info: ValidationInfo) -> Decimal:
    # Two required parameters: pydantic then passes the validation info (and so the file's unit).
    return parse_money(value, info)


Money = Annotated[
    Decimal,
    BeforeValidator(_validate_money),
    WithJsonSchema({
        "anyOf": [
            # No "multipleOf": 0.01: JSON Schema validators test it in binary floating point and
            # reject exact amounts such as 149.2. The two decimals are selfeval's own check.
            {"type": "number", "minimum": 0, "description": "金额（万元），最多两位小数"},
            {"const": TO_FILL, "description": "待重新填写的标记（由 selfeval new-year 写入）"},
        ],
    }),
]
"""An amount in 万元: ``Decimal`` with two decimals, never negative."""
