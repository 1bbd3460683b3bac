"""Cross-checks: the severity, the field and the words of each finding, and the boundaries the checks turn on.

Written against the mutants ``make mutation`` found alive: a finding that turns from an error into a
warning changes the exit code of ``selfeval validate``; a path that points at the wrong field sends the
user to the wrong line; a message that loses its figures tells them nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from selfeval_cli.checks import figures as figure_checks
from selfeval_cli.checks import report as checks
from selfeval_cli.checks import table as table_checks
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.model.report import Report, ReviewItem
from selfeval_cli.model.types import TO_FILL_CODES
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.vocabulary import TO_FILL

from ..conftest import TABLE_EXAMPLE, edited_copy, report_with

TABLE = ("assessment",)
FUNDING = ("assessment", "funding")
TIMELY = ("assessment", "indicators", 0, "children", 2, "indicators", 0)  # 项目按期完成率: 87.5 of 100 → 8.75
COVERAGE = ("assessment", "indicators", 1, "children", 0, "indicators", 1)  # 定性, 部分达成, 7.50 of 10


# --- 自评表 (table_checks) -------------------------------------------------------------------------------


def test_the_weight_sum_message_lists_every_term(table_example: Report) -> None:
    bad = report_with(table_example, ((*FUNDING, "weight"), Decimal(5)))
    [finding] = table_checks.check_table_weights(bad)
    assert finding.message == ("分值合计应为 100：预算执行率 5.00 + 产出指标 50.00 + 效益指标 30.00 + 满意度指标 10.00"
                               " = 95.00")


def test_a_level_weight_that_differs_from_its_children_is_an_error(table_example: Report) -> None:
    first = report_with(table_example, ((*TABLE, "indicators", 0, "weight"), Decimal(45)))
    [finding] = table_checks.check_table_weights(first)
    assert finding.severity is Severity.ERROR
    assert finding.message == "一级指标“产出指标”的分值 45.00 与其二级指标分值之和 50.00 不符"
    second = report_with(table_example, ((*TABLE, "indicators", 0, "children", 1, "weight"), Decimal(10)))
    [finding] = table_checks.check_table_weights(second)
    assert finding.severity is Severity.ERROR


def test_a_score_outside_the_band_of_achieved_is_an_error_up_to_full_marks(table_example: Report) -> None:
    # 达成 is [80 %, 100 %] of 分值: its upper bound is included, so the message says 不高于.
    achieved = report_with(table_example, ((*COVERAGE, "grade"), "达成"), ((*COVERAGE, "score"), Decimal(7)))
    [finding] = table_checks.check_table_scores(achieved)
    assert finding.severity is Severity.ERROR and finding.field == (*COVERAGE, "score")
    assert finding.message == "“公共文化服务覆盖面”评为达成，得分应不低于8分、不高于10分，填写的是 7.00"
    full = report_with(table_example, ((*COVERAGE, "grade"), "达成"), ((*COVERAGE, "score"), Decimal(10)))
    assert list(table_checks.check_table_scores(full)) == []


def test_a_score_outside_a_partial_band_is_an_error_below_its_upper_bound(table_example: Report) -> None:
    partial = report_with(table_example, ((*COVERAGE, "score"), Decimal(8)))  # 部分达成 is [60 %, 80 %)
    [finding] = table_checks.check_table_scores(partial)
    assert finding.severity is Severity.ERROR
    assert finding.message == "“公共文化服务覆盖面”评为部分达成，得分应不低于6分、低于8分，填写的是 8.00"


def test_a_zero_divisor_names_the_basis_and_its_field(table_example: Report) -> None:
    on_budget = report_with(table_example, ((*FUNDING, "total", "budget"), Decimal(0)))
    [finding] = table_checks.check_table_reasons(on_budget)
    assert finding.message == "全年预算数为 0，无法计算预算执行率"
    on_initial = report_with(table_example, ((*FUNDING, "basis"), "年初预算数"),
                         ((*FUNDING, "total", "initial"), Decimal(0)))
    zero = [f for f in table_checks.check_table_reasons(on_initial) if "无法计算" in f.message]
    assert [(f.field, f.severity, f.message) for f in zero] == [
        ((*FUNDING, "total", "initial"), Severity.ERROR, "年初预算数为 0，无法计算预算执行率")]


def test_a_low_rate_without_reason_is_a_warning(table_example: Report) -> None:
    low = report_with(table_example, ((*FUNDING, "total", "executed"), Decimal("1100.00")))
    [finding] = table_checks.check_table_reasons(low)
    assert finding.severity is Severity.WARNING
    assert finding.message == "预算执行率 84.45% 低于 90%，请在 reason 中写明偏差原因分析及改进措施"


def test_a_shortfall_without_reason_asks_for_one_in_words(table_example: Report) -> None:
    bare = report_with(table_example, ((*TIMELY, "reason"), ...))
    [finding] = table_checks.check_table_reasons(bare)
    assert finding.message == "“项目按期完成率”得分 8.75 低于分值 10.00，请在 reason 中写明偏差原因分析及改进措施"


def test_funding_parts_that_do_not_add_up_name_the_figure(table_example: Report) -> None:
    parts = (*FUNDING, "parts")
    cases = [("initial", Decimal("10.00"), "年初预算数：本年财政拨款 1250.80 + 上年结转资金 10.00 + 其他资金 0.00"),
             ("budget", Decimal("40.00"), "全年预算数：本年财政拨款 1270.80 + 上年结转资金 40.00 + 其他资金 0.00"),
             ("executed", Decimal("30.00"), "全年执行数：本年财政拨款 1240.60 + 上年结转资金 30.00 + 其他资金 0.00")]
    for key, value, start in cases:
        bad = report_with(table_example, ((*parts, 1, key), value))
        [finding] = [f for f in table_checks.check_table_funding(bad) if f.field == (*FUNDING, "total", key)]
        assert finding.message.startswith(start), finding.message


def test_a_table_without_parts_is_still_compared_with_the_budget(table_example: Report) -> None:
    bare = report_with(table_example, ((*FUNDING, "parts"), []), (("budget", "amount"), Decimal("1300.00")))
    [finding] = table_checks.check_table_funding(bare)
    assert (finding.field, finding.severity) == ((*FUNDING, "total", "initial"), Severity.WARNING)
    assert finding.message == ("自评表的年初预算数 1250.80 万元（及其中的财政拨款）与报告“一般公共预算支出情况”的 "
                               "1300.00 万元不符，请核对")


def test_the_budget_may_equal_the_appropriation_part_of_the_table(table_example: Report) -> None:
    # The table's total includes 20.00 carried over; the budget section states only the appropriation.
    carried = ((*FUNDING, "parts", 1, "initial"), Decimal("20.00"))
    total = ((*FUNDING, "total", "initial"), Decimal("1270.80"))
    assert list(table_checks.check_table_funding(report_with(table_example, carried, total))) == []
    # The budget section equal to a part that is not an appropriation (上年结转资金) is not enough.
    other = report_with(table_example, carried, total, (("budget", "amount"), Decimal("20.00")))
    assert [f.field for f in table_checks.check_table_funding(other)] == [(*FUNDING, "total", "initial")]


def test_a_score_stated_in_the_table_itself_is_not_taken_for_the_total(table_example: Report) -> None:
    # Only the report's prose is compared with the total: an indicator's reason or a review entry that
    # mentions some 得分 is not a contradiction.
    reason = report_with(table_example, ((*TIMELY, "reason"), "一个项目验收推迟，该项得分8.75分。"))
    assert list(table_checks.check_prose_against_table(reason)) == []
    entry = {"path": "verdict", "reason": "上年自评得分88分，等级为良，请更新"}
    review = report_with(table_example, (("review",), [entry]))
    assert list(table_checks.check_prose_against_table(review)) == []


def test_prose_contradicting_the_table_is_quoted_in_full(table_example: Report) -> None:
    score = report_with(table_example, (("verdict",), "总体良好，自评得分97分。"))
    [finding] = table_checks.check_prose_against_table(score)
    assert finding.message == "“自评得分97分”与自评表的总分 95.99 分不符"
    grade = report_with(table_example, (("verdict",), "总体良好，自评等级为良。"))
    [finding] = table_checks.check_prose_against_table(grade)
    assert finding.message == "“自评等级为良”与自评表的等级“优”不符（总分 95.99 分）"



# --- figures beyond the budget (figure_checks) ----------------------------------------------------------


def figure_findings(report: Report) -> list[Problem]:
    return [f for check in figure_checks.CHECKS for f in check(report)]


def test_a_stated_three_public_total_is_checked_figure_by_figure(table_example: Report) -> None:
    # No 预算数 in the stated total: its 实际支出 is still checked against the three items.
    stated = report_with(table_example, (("three_public", "total"), {"actual": Decimal("99.00")}))
    [finding] = figure_checks.check_three_public(stated)
    assert (finding.field, finding.severity) == (("three_public", "total", "actual"), Severity.WARNING)
    assert finding.message == ("因公出国（境）费 0.00 + 公务用车购置及运行维护费 10.80 + 公务接待费 2.35 = 13.15 万元，"
                               "与“三公”经费合计实际支出 99.00 万元不符")


def test_vehicle_parts_add_up_to_the_vehicle_figure(table_example: Report) -> None:
    operation = ("three_public", "vehicles", "operation")
    bad = report_with(table_example, ((*operation, "actual"), Decimal("9.00")))
    [finding] = figure_checks.check_three_public(bad)
    assert finding.field == ("three_public", "vehicles", "actual")
    assert finding.message == ("购置费 0.00 + 运行维护费 9.00 = 9.00 万元，"
                               "与公务用车购置及运行维护费实际支出 10.80 万元不符")
    # With only one of the two parts stated there is nothing to add up.
    alone = report_with(bad, (("three_public", "vehicles", "purchase"), None))
    assert list(figure_checks.check_three_public(alone)) == []


def test_more_cars_than_allowed_point_at_the_cars_in_use(table_example: Report) -> None:
    more = report_with(table_example, (("department", "assets", "vehicles", "actual"), 4))
    [finding] = figure_checks.check_vehicles(more)
    assert (finding.field, finding.severity) == (("department", "assets", "vehicles", "actual"), Severity.WARNING)


def test_an_unknown_unit_word_asks_for_one(table_example: Report) -> None:
    [finding] = figure_checks.check_unit_word(report_with(table_example, (("department", "name"), "某县政协委员会")))
    assert finding.message == ("无法从“某县政协委员会”判断单位自称（报告要写“全局编制…”“全委编制…”这类句子），"
                               "请写 unit_word，如“委”“室”")


def test_last_years_income_adds_up_only_when_every_source_states_it(table_example: Report) -> None:
    sources = ("income", "sources")
    bad = report_with(table_example, ((*sources, 1, "previous"), Decimal("5.00")))
    [finding] = figure_checks.check_income(bad)
    assert finding.field == ("income", "previous")
    assert finding.message == ("上年财政拨款收入 1180.50 + 上年其他收入 5.00 = 1185.50 万元，"
                               "与上年收入合计 1190.30 万元不符")
    partial = report_with(table_example, ((*sources, 1, "previous"), None))
    assert list(figure_checks.check_income(partial)) == []


# The example explains its income above spending (结转); these words do not.
SILENT = ((("problems",), "部分项目前期准备不足，资金支付进度前松后紧。"),
          (("evaluation", "use_of_funds"), "资金主要用于人员工资、机关日常运转和公共文化服务体系建设。"))


def test_income_above_spending_without_a_word_on_why(table_example: Report) -> None:
    silent = report_with(table_example, *SILENT)
    [finding] = figure_checks.check_income_gap(silent)
    assert (finding.field, finding.severity) == (("income", "amount"), Severity.WARNING)
    assert finding.message == ("本年收入 1282.60 万元比支出全年执行数 1240.60 万元多 42.00 万元，"
                               "报告中没有说明（如结转结余），请补充")
    no_execution = report_with(silent, (("budget", "executed"), None), (("budget", "basic", "executed"), None),
                           (("budget", "project", "executed"), None))
    [finding] = figure_checks.check_income_gap(no_execution)
    assert "比支出年初预算数 1250.80 万元多 31.80 万元" in finding.message


def test_income_below_spending_is_less(table_example: Report) -> None:
    less = report_with(table_example, *SILENT, (("income", "amount"), Decimal("1200.00")),
                   (("income", "sources", 0, "amount"), Decimal("1188.20")))
    [finding] = figure_checks.check_income_gap(less)
    assert "比支出全年执行数 1240.60 万元少 40.60 万元" in finding.message


def test_a_word_on_the_balance_explains_the_gap_but_not_in_the_review_list(table_example: Report) -> None:
    balance = report_with(table_example, (("problems",), "收支差额为当年结余，将按规定使用。"))
    assert list(figure_checks.check_income_gap(balance)) == []
    review = [{"path": "problems", "reason": "上年报告写了结转结余，请核对"}]
    in_review = report_with(table_example, *SILENT, (("review",), review))
    assert len(list(figure_checks.check_income_gap(in_review))) == 1


def test_execution_is_checked_for_the_total_and_every_line(table_example: Report) -> None:
    over = report_with(table_example, (("budget", "executed"), Decimal("1280.00")))
    [finding] = [f for f in figure_checks.check_execution(over) if f.field == ("budget", "executed")
                 and "超过" in f.message]
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("整体支出全年执行数 1280.00 万元超过全年预算数 1270.80 万元")
    line = ("budget", "project", "items", 1)
    low = report_with(table_example, ((*line, "adjusted"), Decimal("80.00")), ((*line, "executed"), Decimal("60.00")))
    [finding] = figure_checks.check_execution(low)
    assert finding.field == (*line, "executed") and finding.message.startswith("全民健身活动执行率 75.00% 低于 90%")


def test_spending_exactly_the_budget_or_only_stating_the_spending_is_fine(table_example: Report) -> None:
    line = ("budget", "project", "items", 1)
    exact = report_with(table_example, ((*line, "adjusted"), Decimal("80.00")), ((*line, "executed"), Decimal("80.00")))
    assert list(figure_checks.check_execution(exact)) == []
    spent_only = report_with(table_example, ((*line, "executed"), Decimal("60.00")))
    assert list(figure_checks.check_execution(spent_only)) == []


def test_stated_changes_are_read_clause_by_clause(table_example: Report) -> None:
    use = ("evaluation", "use_of_funds")
    # The head count is no money figure: its change is not compared, and the money clause after it is.
    wrong = report_with(table_example, (use, "参赛人数增长50%。整体支出预算较上年增长99%。"))
    [finding] = figure_checks.check_stated_changes(wrong)
    assert finding.quote == "增长99%" and finding.message == "“增长99%”与数据中任何一项收支的同比变化都不符，请核对"
    # 5.96 % is the budget's change; 0.01 either way is the bureaus' tolerance.
    for stated in ("5.95", "5.97"):
        close = report_with(table_example, (use, f"整体支出预算较上年增长{stated}%；参赛人数增长50%"))
        assert list(figure_checks.check_stated_changes(close)) == []


def test_a_change_whose_last_year_figure_is_missing_does_not_hide_the_others(table_example: Report) -> None:
    no_previous = report_with(table_example, (("budget", "previous"), None),
                          (("evaluation", "use_of_funds"), "整体支出预算较上年增长99%。"))
    assert [f.quote for f in figure_checks.check_stated_changes(no_previous)] == ["增长99%"]


def test_changes_in_the_table_or_the_review_list_are_not_the_reports_words(table_example: Report) -> None:
    reason = ("assessment", "indicators", 0, "children", 2, "indicators", 0, "reason")
    in_table = report_with(table_example, (reason, "项目经费支出增长99%，进度滞后。"))
    assert list(figure_checks.check_stated_changes(in_table)) == []
    in_review = report_with(table_example, (("review",), [{"path": "problems", "reason": "上年预算增长99%，请核对"}]))
    assert list(figure_checks.check_stated_changes(in_review)) == []


# --- the budget and the report's own words (checks) -----------------------------------------------------


def test_last_years_total_is_the_sum_of_last_years_parts(table_example: Report) -> None:
    bad = report_with(table_example, (("budget", "project", "previous"), Decimal("350.20")))
    [finding] = checks.check_budget_total(bad)
    assert finding.field == ("budget", "previous")
    assert finding.message == ("上年基本支出 820.30 + 上年项目支出 350.20 = 1170.50 万元，"
                               "与上年整体支出合计 1180.50 万元不符（差 10.00 万元）")
    assert list(checks.check_budget_total(report_with(table_example, (("budget", "previous"), None)))) == []


def test_each_part_is_checked_even_when_the_first_has_no_items(table_example: Report) -> None:
    bare = report_with(table_example, (("budget", "basic", "items"), []),
                   (("budget", "project", "items", 1, "amount"), Decimal("70.00")))
    assert [f.field for f in checks.check_part_components(bare)] == [("budget", "project")]
    last_year = report_with(table_example, (("budget", "basic", "items", 2, "previous"), Decimal("40.00")))
    [finding] = checks.check_part_components(last_year)
    assert finding.field == ("budget", "basic", "previous") and finding.message.endswith(
        "= 815.30 万元，与上年基本支出 820.30 万元不符（差 5.00 万元）")


def test_more_staff_than_posts_is_a_warning_on_the_staff(table_example: Report) -> None:
    more = report_with(table_example, (("department", "staffing", "actual"), 37),
                   (("department", "staffing", "groups"), []))
    [finding] = checks.check_staffing(more)
    assert (finding.field, finding.severity) == (("department", "staffing", "actual"), Severity.WARNING)


def test_an_old_notice_names_its_years(table_example: Report) -> None:
    old = report_with(table_example, (("notice", "title"), "关于开展2023年、2024年度部门整体支出绩效自评工作的通知"))
    [finding] = checks.check_notice_year(old)
    assert finding.severity is Severity.WARNING
    assert finding.message == "通知标题中的年度（2023、2024年）与报告年度 2025 年不符，可能沿用了旧通知"
    number = report_with(table_example, (("notice", "document_number"), "示财绩〔2023〕3号"))
    [finding] = checks.check_notice_year(number)
    assert finding.message == "发文字号“示财绩〔2023〕3号”的年份 2023 与报告年度 2025 不符"


def test_a_year_after_next_is_a_warning_naming_next_year(table_example: Report) -> None:
    late = report_with(table_example, (("disclosure",), "自评结果将在2030年公开。"))
    [finding] = checks.check_future_years(late)
    assert (finding.severity, finding.quote) == (Severity.WARNING, "2030年")
    assert finding.message == "“2030年”晚于 2026 年，请核对年份"


def test_a_name_listed_twice_is_a_warning_that_names_it(table_example: Report) -> None:
    units = [u.model_dump() for u in table_example.department.units]
    twice = report_with(table_example, (("department", "units"), [*units, units[0]]))
    [finding] = checks.check_unique_names(twice)
    assert (finding.severity, finding.message) == (Severity.WARNING, "“办公室”重复列出")
    items = [line.model_dump() for line in table_example.budget.project.items]
    renamed = [items[0], {**items[1], "name": items[0]["name"]}]
    lines = report_with(table_example, (("budget", "project", "items"), renamed))
    [finding] = checks.check_unique_names(lines)
    assert finding.severity is Severity.WARNING and finding.field == ("budget", "project", "items", 1, "name")


def test_a_report_may_be_dated_in_its_own_year_but_not_before(table_example: Report) -> None:
    same_year = report_with(table_example, (("closing", "date"), dt.date(2025, 12, 31)))
    assert list(checks.check_closing_date(same_year)) == []
    before = report_with(table_example, (("closing", "date"), dt.date(2024, 12, 31)))
    [finding] = checks.check_closing_date(before)
    assert (finding.field, finding.severity) == (("closing", "date"), Severity.WARNING)


def test_another_year_in_the_title_is_named(table_example: Report) -> None:
    old = report_with(table_example, (("scope",), "2024年度县级财政资金整体支出绩效"))
    [finding] = checks.check_title_years(old)
    assert finding.message == "“2024年”与报告年度 2025 年不符，可能沿用了旧报告"


def test_the_report_is_labelled_and_not_attachment_1_even_with_a_space(table_example: Report) -> None:
    unlabelled = report_with(table_example, (("attachment", "label"), None))
    [finding] = checks.check_attachment_labels(unlabelled)
    assert (finding.field, finding.severity) == (("attachment",), Severity.WARNING)
    spaced = report_with(table_example, (("attachment", "label"), "附件 1"))
    [finding] = checks.check_attachment_labels(spaced)
    assert (finding.field, finding.severity) == (("attachment", "label"), Severity.ERROR)


def test_a_low_rate_of_a_part_is_a_warning(table_example: Report) -> None:
    low = report_with(table_example, (("budget", "project", "executed"), Decimal("300.00")))
    [finding] = [f for f in figure_checks.check_execution(low) if f.field == ("budget", "project", "executed")]
    assert finding.severity is Severity.WARNING and finding.message.startswith("项目支出执行率 73.17% 低于 90%")


def test_parts_execution_is_summed_only_against_a_stated_total(table_example: Report) -> None:
    no_total = report_with(table_example, (("budget", "executed"), None))
    assert [f.field for f in figure_checks.check_execution(no_total)] == []


RAW: dict[str, Any] = {"problems": "部分项目前期准备不足，资金支付进度前松后紧。",
                       "key_work": [{"title": "建成县图书馆新馆"}]}


def review(*entries: dict[str, str]) -> dict[str, Any]:
    """Raw data (the review list is checked before, and without, a valid model) with ``entries`` to review."""
    return {**RAW, "review": list(entries)}


def test_each_review_entry_is_a_warning_until_dealt_with() -> None:
    found = list(checks.check_review(review(
        {"path": "problems", "text": "前松后紧", "reason": "沿用上年表述"},
        {"path": "key_work[0]", "reason": "上年的重点工作"})))
    assert [(f.field, f.severity, f.message, f.quote) for f in found] == [
        (("problems",), Severity.WARNING, "待核对“前松后紧”：沿用上年表述", "前松后紧"),
        (("key_work", 0), Severity.WARNING, "待核对：上年的重点工作（处理后删除 review[1]）", None)]


def test_a_rewritten_field_deals_with_its_entry() -> None:
    assert list(checks.check_review(review({"path": "problems", "text": "上年的原话", "reason": "沿用上年表述"}))) == []


def test_a_malformed_or_dealt_with_entry_does_not_hide_the_ones_after_it() -> None:
    later = {"path": "problems", "text": "前松后紧", "reason": "沿用上年表述"}
    for first in ({"path": "problems"}, {"path": "key_work[5]", "reason": "已删除的一项"}):
        assert [f.quote for f in checks.check_review(review(first, later))] == ["前松后紧"]


def test_a_review_path_that_is_not_a_field_path_is_refused_with_the_path_shown() -> None:
    with pytest.raises(ValidationError) as caught:
        ReviewItem.model_validate({"path": "key_work[x]", "reason": "上年的重点工作"})
    [error] = caught.value.errors()
    assert error["type"] == "review_path"
    assert error["msg"] == "字段路径格式应为 key_work[0] 或 department.staffing，实际为“key_work[x]”"


def test_a_closing_date_still_to_fill_counts_as_to_fill(tmp_path: Path) -> None:
    # new-year leaves the date to fill: what is left to fill is listed, not taken for a slip that blocks.
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("  date: 2026-03-05\n", f"  date: {TO_FILL}\n")])
    [problem] = validate_file(source).problems
    assert (problem.path, problem.code) == ("closing.date", "date_to_fill") and problem.code in TO_FILL_CODES


def test_every_numbered_text_is_looked_at_and_named_by_its_place(table_example: Report) -> None:
    # Each kind of text the outline numbers, with a number typed into it at a place other than the first:
    # found exactly there, quoted, with the message that says what the report would print.
    units = [u.model_dump() for u in table_example.department.units]
    typed = report_with(
        table_example,
        (("department", "duties", 1), "（二）" + table_example.department.duties[1]),
        (("department", "units", 2, "name"), "3." + units[2]["name"]),
        (("key_work", 1, "title"), "2、" + table_example.key_work[1].title),
        (("improvements", "measures", 1, "title"), "(二)细化预算编制"),
        (("more_sections", 0, "title"), "一、其他情况"))
    found = [(p.field, p.quote, p.severity) for p in checks.check_typed_numbers(typed)]
    assert found == [(("department", "duties", 1), "（二）", Severity.ERROR),
                     (("department", "units", 2, "name"), "3.", Severity.ERROR),
                     (("key_work", 1, "title"), "2、", Severity.ERROR),
                     (("improvements", "measures", 1, "title"), "(二)", Severity.ERROR),
                     (("more_sections", 0, "title"), "一、", Severity.ERROR)]
    [first, *_] = checks.check_typed_numbers(typed)
    assert first.message == "开头的“（二）”是手写的编号：编号由工具按层级生成，报告会印成“1.（二）…”，请删掉"


def test_only_titles_run_in_with_their_text_must_end_bare(table_example: Report) -> None:
    ended = report_with(
        table_example,
        (("department", "duties", 1), "负责文化市场管理。"),  # a whole paragraph: its full stop is its own
        (("more_sections", 0, "title"), "其他情况。"),  # a heading of its own line
        (("department", "units", 0, "name"), "办公室；"),  # a heading too (not this check's business)
        (("key_work", 2, "title"), "办好全县运动会；"),
        (("improvements", "measures", 1, "title"), "细化预算编制，"))
    found = [(p.field, p.quote) for p in checks.check_typed_numbers(ended)]
    assert found == [(("key_work", 2, "title"), "；"), (("improvements", "measures", 1, "title"), "，")]
    [_, last] = checks.check_typed_numbers(ended)
    assert last.message == "标题末尾的“，”请删掉：报告在标题后自己加句号，否则印成“化预算编制，。”"  # its last six
    assert last.severity is Severity.ERROR


def test_amounts_in_yuan_at_the_edges(table_example: Report) -> None:
    in_post = table_example.department.staffing.actual
    at = Decimal(10_000) * in_post  # exactly 10 000 万元 a head: not yet suspect
    edge = report_with(table_example, (("budget", "amount"), at))
    assert list(figure_checks.check_amounts_in_yuan(edge)) == []
    over = report_with(table_example, (("budget", "amount"), at + Decimal("0.01")))
    [problem] = figure_checks.check_amounts_in_yuan(over)
    assert problem.field == ("budget", "amount")
    # Nobody in post: no head to count (and no division by zero); one in post is counted.
    nobody = report_with(over, (("department", "staffing", "actual"), 0), (("department", "staffing", "groups"), []))
    assert list(figure_checks.check_amounts_in_yuan(nobody)) == []
    one = report_with(over, (("department", "staffing", "actual"), 1), (("department", "staffing", "groups"), []))
    assert len(list(figure_checks.check_amounts_in_yuan(one))) == 1


def test_a_duplicate_indicator_is_named_at_its_name(table_example: Report) -> None:
    from selfeval_cli.checks import table as table_checks

    assert table_example.assessment is not None
    first_name = table_example.assessment.indicators[0].children[0].indicators[0].name
    second = ("assessment", "indicators", 0, "children", 0, "indicators", 1, "name")
    twice = report_with(table_example, (second, first_name))
    [problem] = table_checks.check_table_unique_indicators(twice)
    assert problem.field == second and problem.also == (*second[:-2], 0, "name")
