"""Every cross-check, passing and failing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from selfeval_cli.checks import registry
from selfeval_cli.checks import report as checks
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.model.report import Report
from selfeval_cli.problems import Severity

from ..conftest import OTHER, edited_copy, report_with


def test_the_published_report_has_exactly_its_two_slips(example_report: Report) -> None:
    findings = registry.run_all(example_report)
    assert [(f.field, f.severity) for f in findings] == [
        (("budget", "basic"), Severity.WARNING),
        (("improvements", "opening"), Severity.WARNING),
    ]
    assert findings[0].message == (
        "人员支出 643.40 + 公用支出 149.20 = 792.60 万元，与基本支出 795.63 万元不符（差 3.03 万元）")
    assert "展望2024年" in findings[1].message and "2025" in findings[1].message


def test_consistent_report_passes_every_check(other_report: Report) -> None:
    assert registry.run_all(other_report) == []


def test_part_components(other_report: Report) -> None:
    assert list(checks.check_part_components(other_report)) == []
    bad = report_with(other_report, (("budget", "project", "items", 1, "amount"), Decimal("81.00")))
    [finding] = checks.check_part_components(bad)
    assert finding.field == ("budget", "project")
    assert "公共文化服务体系建设 320.00 + 全民健身活动 81.00 = 401.00 万元" in finding.message
    assert "差 1.00 万元" in finding.message


def test_part_components_last_year(other_report: Report) -> None:
    good = report_with(other_report, (("budget", "project", "previous"), Decimal("300.00")),
                       (("budget", "project", "items", 0, "previous"), Decimal("200.00")),
                       (("budget", "project", "items", 1, "previous"), Decimal("100.00")))
    assert list(checks.check_part_components(good)) == []
    bad = report_with(good, (("budget", "project", "previous"), Decimal("301.00")))
    [finding] = checks.check_part_components(bad)
    assert finding.field == ("budget", "project", "previous")


def test_last_year_is_not_summed_when_only_some_lines_state_it(other_report: Report) -> None:
    # 300 ≠ 200, but the second line's last-year figure is unknown: no sum can be checked.
    partial = report_with(other_report, (("budget", "project", "previous"), Decimal("300.00")),
                          (("budget", "project", "items", 0, "previous"), Decimal("200.00")))
    assert list(checks.check_part_components(partial)) == []
    total_partial = report_with(other_report, (("budget", "previous"), Decimal("1.00")),
                                (("budget", "basic", "previous"), Decimal("850.00")))
    assert list(checks.check_budget_total(total_partial)) == []


def test_budget_total(other_report: Report) -> None:
    assert list(checks.check_budget_total(other_report)) == []
    bad = report_with(other_report, (("budget", "amount"), Decimal("1250.00")))
    [finding] = checks.check_budget_total(bad)
    assert finding.field == ("budget", "amount")
    assert finding.message \
        == "基本支出 850.80 + 项目支出 400.00 = 1250.80 万元，与整体支出合计 1250.00 万元不符（差 0.80 万元）"


def test_staffing(other_report: Report) -> None:
    assert list(checks.check_staffing(other_report)) == []
    [finding] = checks.check_staffing(report_with(other_report, (("department", "staffing", "actual"), 40)))
    assert "40 人超过编制 36 人" in finding.message
    # The boundary: as many as authorised is fine, one more is not.
    assert list(checks.check_staffing(report_with(other_report, (("department", "staffing", "actual"), 36)))) == []
    [one_over] = checks.check_staffing(report_with(other_report, (("department", "staffing", "actual"), 37)))
    assert "37 人超过编制 36 人" in one_over.message


def test_notice_year(other_report: Report) -> None:
    assert list(checks.check_notice_year(other_report)) == []  # number of the next year is normal
    stale = report_with(other_report, (("notice", "title"), "关于开展2024年度县级部门整体支出绩效自评工作的通知"),
                        (("notice", "document_number"), "青财绩〔2023〕2号"))
    paths = [f.field for f in checks.check_notice_year(stale)]
    assert paths == [("notice", "title"), ("notice", "document_number")]


def test_outlook_years(other_report: Report) -> None:
    assert list(checks.check_outlook_years(other_report)) == []
    good = report_with(other_report, (("problems",), "展望2026年，继续努力。"))
    assert list(checks.check_outlook_years(good)) == []
    bad = report_with(other_report, (("problems",), "展望2025年，继续努力。"))
    [finding] = checks.check_outlook_years(bad)
    assert finding.field == ("problems",) and finding.quote == "展望2025年"


def test_future_years(other_report: Report) -> None:
    assert list(checks.check_future_years(report_with(other_report, (("problems",), "2026年计划完成。")))) == []
    [finding] = checks.check_future_years(report_with(other_report, (("problems",), "2027年计划完成。")))
    assert finding.quote == "2027年"


def test_unique_names(other_report: Report) -> None:
    assert list(checks.check_unique_names(other_report)) == []
    bad = report_with(other_report, (("department", "units", 1, "name"), "办公室"))
    [finding] = checks.check_unique_names(bad)
    assert finding.field == ("department", "units", 1, "name")
    twice = report_with(other_report, (("budget", "basic", "items", 2, "name"), "工资福利支出"))
    [line] = checks.check_unique_names(twice)
    assert line.field == ("budget", "basic", "items", 2, "name") and "“工资福利支出”重复列出" in line.message


def test_closing_date(other_report: Report) -> None:
    assert list(checks.check_closing_date(other_report)) == []
    [finding] = checks.check_closing_date(report_with(other_report, (("closing", "date"), dt.date(2024, 12, 1))))
    assert "早于报告年度" in finding.message


def test_title_and_scope_name_the_report_year(other_report: Report) -> None:
    assert list(checks.check_title_years(other_report)) == []
    stale = report_with(other_report, (("attachment", "title"), "2024年度部门整体支出绩效自评报告"),
                        (("scope",), "2024年度县级财政资金整体支出绩效"))
    found = list(checks.check_title_years(stale))
    assert [(f.field, f.quote) for f in found] == [(("attachment", "title"), "2024年"), (("scope",), "2024年")]
    current = report_with(other_report, (("attachment", "title"), "2025年度部门整体支出绩效自评报告"))
    assert list(checks.check_title_years(current)) == []


def test_the_report_is_labelled_beside_its_table(table_example: Report) -> None:
    assert list(checks.check_attachment_labels(table_example)) == []  # 附件2 beside the table's 附件1
    [same] = checks.check_attachment_labels(report_with(table_example, (("attachment", "label"), "附件1")))
    assert same.severity is Severity.ERROR and same.field == ("attachment", "label")
    [none] = checks.check_attachment_labels(report_with(table_example, (("attachment", "label"), None)))
    assert none.severity is Severity.WARNING and "附件2" in none.message


@pytest.mark.parametrize(("path", "text", "said"), [
    (("department", "duties", 0), "（一）贯彻落实国家文化工作方针。", "开头的“（一）”是手写的编号"),
    (("department", "duties", 0), "2、负责全县文化市场管理。", "开头的“2、”是手写的编号"),
    (("department", "units", 1, "name"), "1.办公室", "报告会印成“1.1.…”"),
    (("department", "units", 1, "name"), "(三)体育股", "开头的“(三)”是手写的编号"),
    (("more_sections",), [{"title": "一、其他需要说明的情况", "text": "无。"}], "开头的“一、”"),
])
def test_a_number_typed_into_a_numbered_text_is_an_error(other_report: Report, path: tuple[str | int, ...],
                                                         text: Any, said: str) -> None:
    [problem] = checks.check_typed_numbers(report_with(other_report, (path, text)))
    assert problem.severity is Severity.ERROR and said in problem.message


@pytest.mark.parametrize("text", ["负责1.5万册图书的采购。", "2024年起负责全县体育场馆管理。", "十三五期间…",
                                  "一是加强管理。"])
def test_numbers_that_are_not_heading_numbers_are_left_alone(other_report: Report, text: str) -> None:
    assert list(checks.check_typed_numbers(report_with(other_report, (("department", "duties", 0), text)))) == []


def test_a_run_in_title_ends_without_punctuation(table_example: Report) -> None:
    title = table_example.key_work[0].title
    [problem] = checks.check_typed_numbers(report_with(table_example, (("key_work", 0, "title"), title + "。")))
    assert problem.field == ("key_work", 0, "title") and "标题末尾的“。”请删掉" in problem.message
    assert problem.message.endswith(f"否则印成“{(title + '。')[-6:]}。”")


def test_names_texts_and_years_are_checked_while_figures_are_still_to_fill(tmp_path: Path) -> None:
    # Every file new-year writes has its amounts 待填: last year's notice title and a number typed into a name
    # are said now, not after every amount is filled in; the sums (which read the figures) wait.
    source = edited_copy(OTHER, tmp_path, [
        ("  amount: 1250.80\n", "  amount: 待填\n"),
        ("关于开展2025年度", "关于开展2024年度"),
        ("      name: 办公室\n", "      name: 1.办公室\n"),
    ])
    codes = {p.code for p in validate_file(source).problems}
    assert {"money_to_fill", "check_notice_year", "check_typed_numbers"} <= codes
    assert "check_budget_total" not in codes  # the total is 待填: no sum is checked against a stand-in
    # An unknown key is left out for the checks; a missing field has no stand-in, and nothing is guessed.
    unknown = edited_copy(source, tmp_path, [("year: 2025\n", "year: 2025\nyaer: 2025\n")], name="unknown.yaml")
    assert "check_notice_year" in {p.code for p in validate_file(unknown).problems}
    missing = edited_copy(source, tmp_path, [("  amount: 待填\n", "")], name="missing.yaml")
    assert {p.code for p in validate_file(missing).problems}.isdisjoint({"check_notice_year", "check_typed_numbers"})


def test_what_a_check_finds_at_a_stand_in_is_not_said(tmp_path: Path) -> None:
    # Two unit names still 待填 would be "（待填）" twice: not a duplicate the user wrote.
    source = edited_copy(OTHER, tmp_path, [("      name: 办公室\n", "      name: 待填\n"),
                                           ("      name: 体育股\n", "      name: 待填\n"),
                                           ("  amount: 1250.80\n", "  amount: 待填\n")])
    codes = [p.code for p in validate_file(source).problems]
    assert codes.count("text_to_fill") == 2 and "check_unique_names" not in codes
    # …while a name the user wrote twice is said, 待填 amount and 待填 name beside it or not.
    written = edited_copy(OTHER, tmp_path, [("      name: 办公室\n", "      name: 待填\n"),
                                            ("      name: 文化艺术股\n", "      name: 体育股\n"),
                                            ("  amount: 1250.80\n", "  amount: 待填\n")], name="written.yaml")
    assert "check_unique_names" in [p.code for p in validate_file(written).problems]
