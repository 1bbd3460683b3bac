"""One story across both attachments: the funding figures the 自评表 (附件1) and the report (附件2) both state.

The table's 年度资金总额 may hold 上年结转资金 and other funds that the report's 一般公共预算支出情况 does
not, so its 全年预算数, 全年执行数 and 执行率 may differ from the report's — and a reviewer who reads
97.37% in one attachment and 97.62% in the other asks which is right. Both may be right: so this is a
warning that names both figures and, where the table's own rows account for the gap (the 本年财政拨款
row equal to the report's, 上年结转资金 and 其他资金 the difference), says so. It is silent when the
figures agree, and when the report's text itself states the table's figures (it explains the two
bases). A 总分 or 等级 stated in the report's text against the table's is an error (``checks.table``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_cli.checks.common import Check
from selfeval_cli.model.money import format_money, percent_of
from selfeval_cli.model.report import Report
from selfeval_cli.model.values import FieldPath, quoted, text_fields
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.vocabulary import TABLE_LABEL

TOTAL: FieldPath = ("assessment", "funding", "total")


def _rate(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate:f}%"


def check_story_funding(report: Report) -> Iterator[Problem]:
    """The table's 年度资金总额 (全年预算数, 全年执行数, 执行率) is the report's, or the report says why not."""
    assessment, budget = report.assessment, report.budget
    if assessment is None or budget.adjusted is None or budget.executed is None:
        return
    from selfeval_cli.model.scoring import score_table  # only a file with a table pays for it

    total = assessment.funding.total
    table_rate = score_table(assessment).funding.total.rate
    report_rate = percent_of(budget.executed, budget.adjusted)
    if (total.budget, total.executed, table_rate) == (budget.adjusted, budget.executed, report_rate):
        return
    said = [text for _, text in text_fields(report.model_dump(mode="python", exclude={"assessment", "review"}))]
    table_figures = [format_money(total.budget), _rate(table_rate)]
    if any(figure in text for text in said for figure in table_figures):
        return  # the report states the table's figures: it explains the two bases itself
    attachment = f"{report.attachment.label} " if report.attachment.label else ""
    message = (f"{TABLE_LABEL} 自评表的{total.name}为全年预算数 {format_money(total.budget)} 万元、全年执行数 "
               f"{format_money(total.executed)} 万元、执行率 {_rate(table_rate)}；{attachment}报告写的是全年预算数 "
               f"{format_money(budget.adjusted)} 万元、全年执行数 {format_money(budget.executed)} 万元、执行率 "
               f"{_rate(report_rate)}")
    same = [part for part in assessment.funding.parts
            if (part.budget, part.executed) == (budget.adjusted, budget.executed)]
    others = [part for part in assessment.funding.parts if part not in same and (part.budget or part.executed)]
    gap = (total.budget - budget.adjusted, total.executed - budget.executed)
    if same and others and gap == (sum((p.budget for p in others), Decimal(0)),
                                   sum((p.executed for p in others), Decimal(0))):
        names = "、".join(quoted(part.name) for part in others)
        message += (f"。其中“{same[0].name}”一行与报告相同，差额（{format_money(gap[0])} 万元、"
                    f"{format_money(gap[1])} 万元）是自评表另含的{names}")
    message += (f"：请使两处一致，或在报告中写明自评表的口径（如“含上年结转资金，年度资金总额"
                f"{format_money(total.budget)}万元，执行率{_rate(table_rate)}”）")
    yield Problem.about(TOTAL, Severity.WARNING, message)


CHECKS: tuple[Check, ...] = (check_story_funding,)
