"""The 自评表's cross-checks, each passing and failing, and the four slips located in one run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks import table as table_checks
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.model.report import Report
from selfeval_cli.model.scoring import score_table
from selfeval_cli.problems import Severity

from ..conftest import FIXTURES, ROOT, TABLE_EXAMPLE, edited_copy, report_with

EXAMPLE_TABLE = ROOT / "data" / "2025_example_county.yaml"
OLD_SCHEME = FIXTURES / "assessment_old_scheme.yaml"


@pytest.fixture(scope="module")
def table_report() -> Report:
    report = validate_file(EXAMPLE_TABLE).report
    assert report is not None
    return report


ROW = ("assessment", "indicators", 0, "children", 2, "indicators", 0)  # 项目按期完成率: 87.5 of 100 → 8.75


def test_both_examples_pass_every_table_check(table_report: Report) -> None:
    old = validate_file(OLD_SCHEME).report
    assert old is not None
    for report in (table_report, old):
        assert [f for check in table_checks.CHECKS for f in check(report)] == []
    table = score_table(old.assessment) if old.assessment else None
    assert table is not None and table.funding.weight == 0 and table.total_weight == 100


def test_no_table_no_findings(other_report: Report) -> None:
    assert other_report.assessment is None
    assert [f for check in table_checks.CHECKS for f in check(other_report)] == []


def test_weights_add_up_to_100(table_report: Report) -> None:
    bad = report_with(table_report, (("assessment", "funding", "weight"), Decimal(5)))
    [finding] = table_checks.check_table_weights(bad)
    assert finding.severity is Severity.ERROR and finding.field == ("assessment", "indicators")
    assert finding.message.endswith("= 95.00") and "预算执行率 5.00" in finding.message


def test_typed_level_weights_match_their_children(table_report: Report) -> None:
    first = report_with(table_report, (("assessment", "indicators", 0, "weight"), Decimal(45)))
    [finding] = table_checks.check_table_weights(first)
    assert finding.field == ("assessment", "indicators", 0, "weight") and "45.00" in finding.message
    second = report_with(table_report, (("assessment", "indicators", 0, "children", 1, "weight"), Decimal(10)))
    [finding] = table_checks.check_table_weights(second)
    assert finding.field == ("assessment", "indicators", 0, "children", 1, "weight")
    assert "二级指标“质量指标”的分值 10.00 与其三级指标分值之和 15.00 不符" in finding.message


def test_typed_score_is_checked_not_trusted(table_report: Report) -> None:
    right = report_with(table_report, ((*ROW, "score"), Decimal("8.75")))
    assert list(table_checks.check_table_scores(right)) == []
    within = report_with(table_report, ((*ROW, "score"), Decimal("8.76")))  # the bureaus' 0.01 tolerance
    assert list(table_checks.check_table_scores(within)) == []
    wrong = report_with(table_report, ((*ROW, "score"), Decimal("9")))
    [finding] = table_checks.check_table_scores(wrong)
    assert finding.severity is Severity.ERROR and finding.field == (*ROW, "score")
    assert "得分应为 8.75，填写的是 9.00" in finding.message


def test_qualitative_score_stays_in_its_band(table_report: Report) -> None:
    qualitative = ("assessment", "indicators", 1, "children", 0, "indicators", 1)  # 部分达成, 分值 10
    assert list(table_checks.check_table_scores(report_with(table_report, ((*qualitative, "score"), Decimal(6))))) == []
    [finding] = table_checks.check_table_scores(report_with(table_report, ((*qualitative, "score"), Decimal(8))))
    assert finding.field == (*qualitative, "score") and "得分应不低于6分、低于8分" in finding.message


def test_shortfalls_need_a_reason(table_report: Report) -> None:
    bare = report_with(table_report, ((*ROW, "reason"), ...))
    [finding] = table_checks.check_table_reasons(bare)
    assert finding.severity is Severity.WARNING and finding.field == ROW and "8.75 低于分值 10.00" in finding.message


def test_execution_rate_below_90_needs_a_reason(table_report: Report) -> None:
    low = report_with(table_report, (("assessment", "funding", "total", "executed"), Decimal("1100.00")))
    [finding] = table_checks.check_table_reasons(low)
    assert finding.field == ("assessment", "funding") and "84.45% 低于 90%" in finding.message
    explained = report_with(low, (("assessment", "funding", "reason"), "项目顺延。"))
    assert list(table_checks.check_table_reasons(explained)) == []
    # Exactly 90 % needs no reason.
    at_90 = report_with(table_report, (("assessment", "funding", "total", "executed"), Decimal("1172.34")))
    assert list(table_checks.check_table_reasons(at_90)) == []


def test_a_zero_budget_has_no_rate(table_report: Report) -> None:
    zero = report_with(table_report, (("assessment", "funding", "total", "budget"), Decimal(0)))
    findings = list(table_checks.check_table_reasons(zero))
    assert [(f.field, f.severity) for f in findings] == [
        (("assessment", "funding", "total", "budget"), Severity.ERROR)]


def test_funding_parts_add_up(table_report: Report) -> None:
    bad = report_with(table_report, (("assessment", "funding", "parts", 1, "executed"), Decimal("30.00")))
    [finding] = table_checks.check_table_funding(bad)
    assert finding.severity is Severity.WARNING and finding.field == ("assessment", "funding", "total", "executed")
    assert "= 1270.60 万元，与年度资金总额 1268.40 万元不符" in finding.message


def test_funding_agrees_with_the_budget_section(table_report: Report) -> None:
    bad = report_with(table_report, (("budget", "amount"), Decimal("1300.00")))
    findings = [f for f in table_checks.check_table_funding(bad) if f.field[-1] == "initial"]
    assert len(findings) == 1 and "1300.00 万元不符" in findings[0].message


@pytest.mark.parametrize(("verdict", "quote"), [
    ("总体良好，自评得分97分。", "自评得分97分"),
    ("综合得分为 90.5 分。", "综合得分为 90.5 分"),
    ("自评等级为良。", "自评等级为良"),
    ("评价等级：良好。", "评价等级：良好"),
])
def test_prose_that_contradicts_the_table(table_report: Report, verdict: str, quote: str) -> None:
    [finding] = table_checks.check_prose_against_table(report_with(table_report, (("verdict",), verdict)))
    assert finding.severity is Severity.ERROR and finding.field == ("verdict",) and finding.quote == quote


@pytest.mark.parametrize("verdict", ["自评得分95.99分，自评等级为优。", "自评等级为优秀。", "满意度调查有效问卷97份。"])
def test_prose_that_agrees_with_the_table(table_report: Report, verdict: str) -> None:
    assert list(table_checks.check_prose_against_table(report_with(table_report, (("verdict",), verdict)))) == []


def test_four_slips_one_located_line_each(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(FIXTURES / "table_four_mistakes.yaml")])
    assert result.exit_code == 1
    lines = [line.split(": ", 3) for line in result.output.splitlines() if ": error: " in line or ": warning: " in line]
    found = [(where.rsplit(":", 2)[1], severity, path) for where, severity, path, _ in lines]
    assert found == [
        ("23", "error", "verdict"),
        ("153", "error", "assessment.indicators"),
        ("186", "error", "assessment.indicators[0].children[2].indicators[0].score"),
        ("204", "warning", "assessment.indicators[1].children[0].indicators[1]"),
    ]
    assert result.output.splitlines()[-1] == "共 3 个错误，1 个警告"


def test_model_errors_of_a_table_speak_chinese(tmp_path: Path, runner: CliRunner) -> None:
    text = EXAMPLE_TABLE.read_text(encoding="utf-8").replace("              grade: 部分达成\n", "")
    source = tmp_path / "t.yaml"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1
    assert "定性指标需要写 grade（达成、部分达成或未达成）" in result.output and "实际为" not in result.output


def test_an_indicator_listed_twice_under_one_group_is_a_warning_naming_both(tmp_path: Path) -> None:
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("{name: 阅读推广活动场次,", "{name: 乡镇综合文化站提质改造数量,")])
    [problem] = [p for p in validate_file(source).problems if p.code == "check_table_unique_indicators"]
    lines = source.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1) if "乡镇综合文化站提质改造数量" in line)
    assert problem.severity is Severity.WARNING and problem.line > first
    assert problem.message == ("“乡镇综合文化站提质改造数量”在“数量指标”下重复列出，两行都会印出并计分"
                               f"（第 {first} 行已列出）")
