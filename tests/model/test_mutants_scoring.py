"""Scoring: small targets, scores that do not depend on the caller's decimal context, and the computed
view that the 自评表's templates print.

Written against the mutants ``make mutation`` found alive.
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

from selfeval_cli.model.report import Report
from selfeval_cli.model.scoring import execution_score, qualitative_band, quantitative_score, score_table


def test_a_target_of_one_is_scored_in_proportion_like_any_other() -> None:
    # Only a target of 0 has no scale to be partly right on; 1 is an ordinary target.
    assert quantitative_score("正向", Decimal(1), Decimal("0.5"), Decimal(10)) == Decimal("5.00")
    assert quantitative_score("反向", Decimal(1), Decimal("1.25"), Decimal(10)) == Decimal("7.50")
    assert quantitative_score("等于", Decimal(1), Decimal("0.9"), Decimal(10)) == Decimal("9.00")
    assert quantitative_score("正向", Decimal(0), Decimal("-1"), Decimal(10)) == Decimal("0.00")


def test_scores_do_not_depend_on_the_callers_decimal_context() -> None:
    # A library caller may have lowered the precision of its decimal context; the product and the division
    # are still exact and rounded once, half up (with 3 digits, 1234.56 × 10 would already be 12300).
    with localcontext(Context(prec=3)):
        assert execution_score(Decimal("1234.56"), Decimal("2345.67"), Decimal(10)) == Decimal("5.26")
        assert quantitative_score("正向", Decimal(1000), Decimal(877), Decimal("12.34")) == Decimal("10.82")
        assert quantitative_score("反向", Decimal(1000), Decimal(1123), Decimal("12.34")) == Decimal("10.82")


def test_the_scored_table_carries_what_the_templates_print(table_example: Report) -> None:
    # The 自评表's templates print the funding rows' names and figures, and the goals, from the scored view.
    assessment = table_example.assessment
    assert assessment is not None
    table = score_table(assessment)
    assert table.assessment is assessment
    assert table.funding.total.row is assessment.funding.total
    assert [part.row.name for part in table.funding.parts] == ["本年财政拨款", "上年结转资金", "其他资金"]
    assert (table.funding.total.rate, table.funding.score) == (Decimal("97.37"), Decimal("9.74"))


def test_a_callers_lowered_precision_does_not_change_a_score() -> None:
    # The miss used to be computed in the caller's context: at 3 digits 123456 − 1 became 123000, and
    # the indicator kept 456/123456 of its weight (0.04 instead of 0.00).
    exact = quantitative_score("正向", Decimal(123456), Decimal(1), Decimal(10))
    with localcontext() as coarse:
        coarse.prec = 3
        assert quantitative_score("正向", Decimal(123456), Decimal(1), Decimal(10)) == exact == Decimal("0.00")


def test_the_whole_table_is_scored_exactly_whatever_the_callers_precision(table_example: Report) -> None:
    assert table_example.assessment is not None
    exact = score_table(table_example.assessment)
    assert exact.total_score == Decimal("95.99")
    with localcontext() as coarse:
        coarse.prec = 3
        again = score_table(table_example.assessment)
        band = qualitative_band("部分达成", Decimal("12.34"))
    assert (again.total_score, again.grade) == (exact.total_score, exact.grade)
    assert band == (Decimal("7.404"), Decimal("9.872"))
