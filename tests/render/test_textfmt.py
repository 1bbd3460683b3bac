"""Chinese numerals, dates, year-on-year clauses and heading numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval_cli.errors import NumberingError
from selfeval_cli.phrases import chinese_count, chinese_numeral, numeral_value
from selfeval_cli.render.numbering import Numberer, number_text
from selfeval_cli.render.textfmt import chinese_date, money, year_on_year


@pytest.mark.parametrize(("number", "text"), [
    (0, "零"), (4, "四"), (8, "八"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"), (35, "三十五"),
    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1001, "一千零一"), (2024, "二千零二十四"),
])
def test_chinese_numerals(number: int, text: str) -> None:
    assert chinese_numeral(number) == text


def test_chinese_numeral_range() -> None:
    with pytest.raises(ValueError):
        chinese_numeral(10000)


def test_dates_and_money() -> None:
    assert chinese_date(dt.date(2025, 3, 5)) == "2025年3月5日"
    assert chinese_date(dt.date(2025, 12, 31)) == "2025年12月31日"
    assert money(Decimal("643.4")) == "643.40万元"


def test_year_on_year() -> None:
    assert year_on_year(Decimal("110.00"), None) == ""
    assert year_on_year(Decimal("110.00"), Decimal("100.00")) == "，较上年增加10.00万元，增长10.00%"
    assert year_on_year(Decimal("90.00"), Decimal("100.00")) == "，较上年减少10.00万元，下降10.00%"
    assert year_on_year(Decimal("5.00"), Decimal("0.00")) == "，较上年增加5.00万元"
    assert year_on_year(Decimal("5.00"), Decimal("5.00")) == "，与上年持平"
    assert year_on_year(Decimal("2.00"), Decimal("3.00")).endswith("下降33.33%")
    # Percentages round half up as the forms do: 0.05 / 200 = 0.025 % → 0.03 % (half-even gives 0.02 %).
    assert year_on_year(Decimal("200.05"), Decimal("200.00")).endswith("增长0.03%")
    assert year_on_year(Decimal("199.95"), Decimal("200.00")).endswith("下降0.03%")


def test_heading_numbers_by_level() -> None:
    assert [number_text(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    numberer = Numberer()
    got = [numberer.next(level, "x") for level in (1, 2, 3, 3, 2, 3, 1, 2)]
    assert got == ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "（一）"]


def test_skipped_levels_are_refused() -> None:
    with pytest.raises(NumberingError, match="跳级"):
        Numberer().next(2, "不在一级标题下")
    numberer = Numberer()
    numberer.next(1, "一")
    with pytest.raises(NumberingError, match="跳级"):
        numberer.next(3, "跳过了二级")


def test_scores_in_running_text_drop_trailing_zeros() -> None:
    from selfeval_cli.render.textfmt import score_words

    assert [score_words(Decimal(v)) for v in ("50.00", "48.75", "9.70", "0.00", "100")] == ["50", "48.75", "9.7", "0",
                                                                                            "100"]


@given(st.integers(0, 9999))
def test_chinese_numerals_read_back(number: int) -> None:
    """What the prose writes, the importer reads: every count 0–9999, and 两 before a measure word."""
    assert numeral_value(chinese_numeral(number)) == number
    assert numeral_value(chinese_count(number)) == number


@pytest.mark.parametrize("text", ["", "五十x", "2"])
def test_what_is_not_a_chinese_numeral(text: str) -> None:
    with pytest.raises(ValueError, match="不是中文数字"):
        numeral_value(text)
