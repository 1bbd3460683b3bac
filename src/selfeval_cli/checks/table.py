"""Cross-checks of the self-assessment table (附件1), each a small function from a report to problems.

What is an error and what a warning follows one rule: arithmetic that the tool can redo and
that a finance bureau would send back is an **error** (weights that do not add up, a typed 得分
that is not the computed one, a 定性 score outside its grade's band, a report that states another
总分 or 等级 than its own table); what asks for a person's words or judgement is a **warning**
(a missing 偏差原因, 其中 rows that do not cover the total, a table whose funding differs from the
budget section — both may be right, the table can include 上年结转 and other funds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from selfeval_cli.checks.common import Check, unless_adds_up
from selfeval_cli.model.money import format_money
from selfeval_cli.model.report import Report
from selfeval_cli.model.values import FieldPath, quoted, text_fields
from selfeval_cli.problems import Problem, Severity

if TYPE_CHECKING:
    from selfeval_cli.model.scoring import ScoredTable

TABLE: FieldPath = ("assessment",)

# "自评得分97分", "综合得分为 95.5 分", "自评总分：90分"; and "自评等级为优", "评价等级：良好".
_PROSE_SCORE = re.compile(r"(?:自评|综合|评价|绩效)?(?:总得分|得分|总分)(?:为|是|：|:)?\s*(\d+(?:\.\d+)?)\s*分")
_PROSE_GRADE = re.compile(r"(?:自评|综合|评价|绩效)等级(?:为|是|：|:)?\s*[“\"]?(优秀|良好|优|良|中等|中|合格|差)")
_GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中"}


def _table(report: Report) -> ScoredTable | None:
    if report.assessment is None:
        return None
    # Imported here: only a file with a table pays for the scoring module (validate's start-up).
    from selfeval_cli.model.scoring import score_table

    return score_table(report.assessment)


def check_table_weights(report: Report) -> Iterator[Problem]:
    """分值 add up: the whole table to 100, and every typed level weight to its children."""
    table = _table(report)
    if table is None:
        return
    if table.total_weight != 100:
        terms = [f"预算执行率 {format_money(table.funding.weight)}",
                 *(f"{first.level.name} {format_money(first.weight)}" for first in table.levels)]
        yield Problem.about((*TABLE, "indicators"), Severity.ERROR,
                            f"分值合计应为 100：{' + '.join(terms)} = {format_money(table.total_weight)}")
    for first in table.levels:
        if first.level.weight is not None and first.level.weight != first.weight:
            yield Problem.about((*TABLE, *first.path, "weight"), Severity.ERROR,
                                f"一级指标{quoted(first.level.name)}的分值 {format_money(first.level.weight)} "
                                f"与其二级指标分值之和 {format_money(first.weight)} 不符")
        for second in first.children:
            if second.level.weight is not None and second.level.weight != second.weight:
                yield Problem.about((*TABLE, *second.path, "weight"), Severity.ERROR,
                                    f"二级指标{quoted(second.level.name)}的分值 {format_money(second.level.weight)} "
                                    f"与其三级指标分值之和 {format_money(second.weight)} 不符")


def check_table_scores(report: Report) -> Iterator[Problem]:
    """A typed 得分 of a computed indicator is the computed one; a 定性 得分 lies in its grade's band."""
    table = _table(report)
    if table is None:
        return
    for _, _, row in table.indicators():
        indicator = row.indicator
        if row.mismatch and row.typed is not None:
            yield Problem.about(
                (*TABLE, *row.path, "score"), Severity.ERROR,
                f"{quoted(indicator.name)}（{indicator.kind}，年度指标值 {indicator.target}，实际完成值 "
                f"{indicator.actual}，分值 {format_money(row.weight)}）得分应为 {format_money(row.score)}，"
                f"填写的是 {format_money(row.typed)}；可删除 score，由工具计算")
        if row.in_band is False and indicator.grade is not None:
            low, high = row.band
            upper = "不高于" if indicator.grade == "达成" else "低于"
            yield Problem.about((*TABLE, *row.path, "score"), Severity.ERROR,
                                f"{quoted(indicator.name)}评为{indicator.grade}，得分应不低于{low.normalize():f}分、"
                                f"{upper}{high.normalize():f}分，填写的是 {format_money(row.score)}")


def check_table_reasons(report: Report) -> Iterator[Problem]:
    """Every shortfall has its 偏差原因: an indicator below full marks, an 执行率 below 90 %."""
    table = _table(report)
    if table is None:
        return
    funding = table.funding
    if funding.rate_missing:
        divisor = "budget" if funding.funding.basis == "全年预算数" else "initial"
        yield Problem.about((*TABLE, "funding", "total", divisor),
                            Severity.ERROR, f"{funding.funding.basis}为 0，无法计算预算执行率")
    elif funding.needs_reason and funding.funding.reason is None:
        yield Problem.about((*TABLE, "funding"), Severity.WARNING,
                            f"预算执行率 {funding.total.rate}% 低于 90%，请在 reason 中写明偏差原因分析及改进措施")
    for _, _, row in table.indicators():
        if row.short and row.indicator.reason is None:
            yield Problem.about((*TABLE, *row.path), Severity.WARNING,
                                f"{quoted(row.indicator.name)}得分 {format_money(row.score)} 低于分值 "
                                f"{format_money(row.weight)}，请在 reason 中写明偏差原因分析及改进措施")


def check_table_funding(report: Report) -> Iterator[Problem]:
    """The 其中 rows add up to 年度资金总额; the table and the budget section agree on 年初预算数."""
    assessment = report.assessment
    if assessment is None:
        return
    funding = assessment.funding
    for key, label in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")):
        if not funding.parts:
            break
        yield from unless_adds_up((*TABLE, "funding", "total", key),
                                  [(part.name, getattr(part, key)) for part in funding.parts],
                                  funding.total.name, getattr(funding.total, key), prefix=f"{label}：")
    stated = report.budget.amount
    initial = {funding.total.initial, *(p.initial for p in funding.parts if "财政拨款" in p.name)}
    if stated not in initial:
        yield Problem.about((*TABLE, "funding", "total", "initial"), Severity.WARNING,
                            f"自评表的年初预算数 {format_money(funding.total.initial)} 万元（及其中的财政拨款）与报告"
                            f"“一般公共预算支出情况”的 {format_money(stated)} 万元不符，请核对")


def check_table_unique_indicators(report: Report) -> Iterator[Problem]:
    """An indicator is not listed twice under one 二级指标 (both rows would print and both be scored)."""
    if report.assessment is None:
        return
    for i, first in enumerate(report.assessment.indicators):
        for j, second in enumerate(first.children):
            seen: dict[str, int] = {}
            for k, indicator in enumerate(second.indicators):
                path: FieldPath = (*TABLE, "indicators", i, "children", j, "indicators")
                if indicator.name in seen:
                    yield Problem.about((*path, k, "name"), Severity.WARNING,
                                        f"{quoted(indicator.name)}在“{second.name}”下重复列出，两行都会印出并计分",
                                        also=(*path, seen[indicator.name], "name"))
                seen.setdefault(indicator.name, k)


def check_prose_against_table(report: Report) -> Iterator[Problem]:
    """A 总分 or 等级 the report's own text states is the one its table computes."""
    table = _table(report)
    if table is None:
        return
    data = report.model_dump(mode="python", exclude={"assessment", "review"})
    for path, text in text_fields(data):
        for match in _PROSE_SCORE.finditer(text):
            if Decimal(match[1]) != table.total_score:
                message = f"“{match[0]}”与自评表的总分 {format_money(table.total_score)} 分不符"
                yield Problem.about(path, Severity.ERROR, message, quote=match[0])
        for match in _PROSE_GRADE.finditer(text):
            if _GRADE_WORDS.get(match[1], match[1]) != table.grade:
                yield Problem.about(path, Severity.ERROR,
                                    f"“{match[0]}”与自评表的等级“{table.grade}”不符"
                                    f"（总分 {format_money(table.total_score)} 分）",
                                    quote=match[0])


CHECKS: tuple[Check, ...] = (
    check_table_weights,
    check_table_scores,
    check_table_reasons,
    check_table_funding,
    check_table_unique_indicators,
    check_prose_against_table,
)
