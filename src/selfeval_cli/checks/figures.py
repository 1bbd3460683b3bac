"""Cross-checks of the figures beyond the approved budget: income, execution, "三公", staffing, assets.

Like the budget's own sums, parts that do not add up to their total are warnings: the published
reports these figures come from often disagree with themselves, and the finance bureau decides.
A name the report cannot refer to itself by is an error, since the sentence it would print is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from selfeval_cli.checks.common import Check, unless_adds_up
from selfeval_cli.model.money import format_money, percent_of
from selfeval_cli.model.report import Report
from selfeval_cli.model.values import FieldPath, text_fields
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.vocabulary import (
    CENT,
    DOWN_WORDS,
    LOW_RATE,
    MONEY_UNIT,
    THREE_PUBLIC,
    THREE_PUBLIC_ITEMS,
    UP_WORDS,
    YUAN,
    YUAN_SUSPECT_PER_HEAD,
)

if TYPE_CHECKING:  # the 三公 models are defined only when a file has them (see model.lazy)
    from selfeval_cli.model.finance import ExpenseFigures

# "增长31.39%", "下降 5%", "增加了12.5%": a change stated in the prose, with its direction.
_STATED_CHANGE = re.compile(f"({'|'.join(UP_WORDS + DOWN_WORDS)})了?\\s*(\\d+(?:\\.\\d+)?)\\s*%")
_MONEY_WORDS = ("收入", "支出", "预算", "经费", "决算", "资金", "拨款")


def check_unit_word(report: Report) -> Iterator[Problem]:
    """The report can say 全局/全委/全中心: from ``unit_word`` or a known ending of the name."""
    department = report.department
    if department.self_word() is None:
        yield Problem.about(("department", "name"), Severity.ERROR,
                            f"无法从“{department.name}”判断单位自称（报告要写“全局编制…”“全委编制…”这类句子），"
                            "请写 unit_word，如“委”“室”")


def check_amounts_in_yuan(report: Report) -> Iterator[Problem]:
    """Amounts that look written in 元 in a file in 万元: the budget per person in post is implausible."""
    if report.money_unit == YUAN or report.department.staffing.actual == 0:
        return
    per_head = report.budget.amount / report.department.staffing.actual
    if per_head > YUAN_SUSPECT_PER_HEAD:
        yield Problem.about(("budget", "amount"), Severity.WARNING,
                            f"整体支出 {format_money(report.budget.amount)} {MONEY_UNIT}、在职 "
                            f"{report.department.staffing.actual} 人，人均 {format_money(per_head.quantize(CENT))} "
                            f"{MONEY_UNIT}：金额像是按{YUAN}填写的。数据中的金额单位是{MONEY_UNIT}；按{YUAN}填写时，"
                            f"在文件开头写 money_unit: {YUAN}")


def check_staff_groups(report: Report) -> Iterator[Problem]:
    """编制 by kind adds up to the total, and so does 在职 when every kind states it."""
    staffing = report.department.staffing
    path: FieldPath = ("department", "staffing")
    if not staffing.groups:
        return
    yield from unless_adds_up((*path, "authorized"),
                              [(g.name, g.authorized) for g in staffing.groups], "编制", staffing.authorized, unit="人")
    actual = [(g.name, g.actual) for g in staffing.groups if g.actual is not None]
    if len(actual) == len(staffing.groups):
        yield from unless_adds_up((*path, "actual"),
                                  [(n, a) for n, a in actual if a is not None], "在职人数", staffing.actual, unit="人")


def check_vehicles(report: Report) -> Iterator[Problem]:
    """实有 official cars do not exceed the 编制."""
    assets = report.department.assets
    vehicles = assets.vehicles if assets else None
    if vehicles is not None and vehicles.actual > vehicles.authorized:
        yield Problem.about(("department", "assets", "vehicles", "actual"), Severity.WARNING,
                            f"实有公务用车 {vehicles.actual} 辆超过编制 {vehicles.authorized} 辆，请核对")


def check_income(report: Report) -> Iterator[Problem]:
    """Income by source adds up to the total, this year and (when every source states it) last year."""
    income = report.income
    if income is None or not income.sources:
        return
    yield from unless_adds_up(("income", "amount"),
                              [(s.name, s.amount) for s in income.sources], "本年收入合计", income.amount)
    last = [(f"上年{s.name}", s.previous) for s in income.sources if s.previous is not None]
    if income.previous is not None and len(last) == len(income.sources):
        yield from unless_adds_up(("income", "previous"),
                                  [(n, v) for n, v in last if v is not None], "上年收入合计", income.previous)


def check_income_gap(report: Report) -> Iterator[Problem]:
    """Where income and spending differ, the report says why (结转, 结余) somewhere in its text."""
    income, budget = report.income, report.budget
    if income is None:
        return
    spent, what = (budget.executed, "全年执行数") if budget.executed is not None else (budget.amount, "年初预算数")
    if income.amount == spent:
        return
    data = report.model_dump(mode="python", exclude={"assessment", "review"})
    if any(word in text for _, text in text_fields(data) for word in ("结转", "结余")):
        return
    verb = "多" if income.amount > spent else "少"
    yield Problem.about(("income", "amount"), Severity.WARNING,
                        f"本年收入 {format_money(income.amount)} 万元比支出{what} {format_money(spent)} 万元{verb} "
                        f"{format_money(abs(income.amount - spent))} 万元，报告中没有说明（如结转结余），请补充")


def check_execution(report: Report) -> Iterator[Problem]:
    """执行数 within 全年预算数 and 执行率 at least 90 %; parts' 执行数 add up to the total."""
    budget = report.budget
    places: list[tuple[FieldPath, str, Any]] = [(("budget",), "整体支出", budget)]
    for key, name, part in budget.parts():
        places.append((("budget", key), name, part))
        places += [(("budget", key, "items", i), line.name, line) for i, line in enumerate(part.items)]
    for path, name, figures in places:
        adjusted, executed = figures.adjusted, figures.executed
        if adjusted is None or executed is None or figures.reason is not None:
            continue
        rate = percent_of(executed, adjusted)
        if executed > adjusted:
            yield Problem.about((*path, "executed"), Severity.WARNING,
                                f"{name}全年执行数 {format_money(executed)} 万元超过全年预算数 "
                                f"{format_money(adjusted)} 万元，请核对，或在 reason 中说明原因")
        elif rate is not None and rate < LOW_RATE:
            yield Problem.about((*path, "executed"), Severity.WARNING,
                                f"{name}执行率 {rate}% 低于 90%，请在 reason 中写明原因（报告写在执行率之后）")
    executed_parts = [(name, part.executed) for _, name, part in budget.parts() if part.executed is not None]
    if budget.executed is not None and len(executed_parts) == len(budget.parts()):
        yield from unless_adds_up(("budget", "executed"), [(n, v) for n, v in executed_parts if v is not None],
                                  "整体支出全年执行数", budget.executed)


def check_three_public(report: Report) -> Iterator[Problem]:
    """The three "三公" items add up to the stated total; 购置 + 运行维护 to the vehicle figure."""
    three = report.three_public
    if three is None:
        return
    if three.total is not None:
        yield from _figures_add_up(("three_public", "total"), f"{THREE_PUBLIC}合计",
                                   [(name, item) for _, name, item in three.items()], three.total)
    vehicles = three.vehicles
    if vehicles.purchase is not None and vehicles.operation is not None:
        yield from _figures_add_up(("three_public", "vehicles"), dict(THREE_PUBLIC_ITEMS)["vehicles"],
                                   vehicles.breakdown(), vehicles)


def _figures_add_up(path: FieldPath, what: str, parts: list[tuple[str, ExpenseFigures]],
                    total: ExpenseFigures) -> Iterator[Problem]:
    for index, (key, label, stated) in enumerate(total.figures()):
        values = [(name, figures.figures()[index][2]) for name, figures in parts]
        if stated is None or any(value is None for _, value in values):
            continue
        yield from unless_adds_up((*path, key), [(n, v) for n, v in values if v is not None], f"{what}{label}", stated)


def _known_changes(report: Report) -> set[tuple[bool, Decimal]]:
    """Every year-on-year change the data allows: (up?, percent), for budget, income and "三公"."""
    pairs: list[tuple[Decimal, Decimal | None]] = [(report.budget.amount, report.budget.previous)]
    for _, _, part in report.budget.parts():
        pairs += [(part.amount, part.previous), *((line.amount, line.previous) for line in part.items)]
    if report.income:
        pairs += [(report.income.amount, report.income.previous),
                  *((s.amount, s.previous) for s in report.income.sources)]
    if report.three_public:
        three = report.three_public
        items = [three.summed(), *(figures for _, _, figures in three.items())]
        items += [part for _, _, figures in three.items() for _, part in figures.breakdown()]
        pairs += [(f.actual, f.previous) for f in items if f.actual is not None]
    changes = set()
    for current, previous in pairs:
        if previous is None or current == previous:
            continue
        percent = percent_of(abs(current - previous), previous)
        if percent is not None:
            changes.add((current > previous, percent))
    return changes


def check_stated_changes(report: Report) -> Iterator[Problem]:
    """A year-on-year change written in the prose about money matches one the figures give."""
    known = _known_changes(report)
    if not known:
        return  # no last-year figures: nothing to compare a stated change with
    data = report.model_dump(mode="python", exclude={"assessment", "review"})
    for path, text in text_fields(data):
        for clause in re.split(r"[。；;！!？?\n]", text):
            if not any(word in clause for word in _MONEY_WORDS):
                continue
            for match in _STATED_CHANGE.finditer(clause):
                up, stated = match[1] in UP_WORDS, Decimal(match[2])
                if not any(up == k_up and abs(stated - k) <= CENT for k_up, k in known):
                    yield Problem.about(path, Severity.WARNING,
                                        f"“{match[0]}”与数据中任何一项收支的同比变化都不符，请核对", quote=match[0])


CHECKS: tuple[Check, ...] = (
    check_unit_word,
    check_amounts_in_yuan,
    check_staff_groups,
    check_vehicles,
    check_income,
    check_income_gap,
    check_execution,
    check_three_public,
    check_stated_changes,
)
