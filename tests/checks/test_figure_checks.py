"""Income, execution, "三公", staffing detail and assets: each cross-check passing and failing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from selfeval_cli.checks import figures as figure_checks
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.model.report import Report
from selfeval_cli.problems import Severity

from ..conftest import FIXTURES, report_with


def findings(report: Report) -> list[Any]:
    return [f for check in figure_checks.CHECKS for f in check(report)]


def test_the_full_example_passes_and_the_published_one_is_not_touched(table_example: Report,
                                                                        example_report: Report) -> None:
    assert findings(table_example) == []
    assert findings(example_report) == []


def test_unit_word_is_guessed_only_from_known_endings(table_example: Report) -> None:
    for name in ("某县政协委员会", "某区人民政府办公室"):
        [finding] = figure_checks.check_unit_word(report_with(table_example, (("department", "name"), name)))
        assert finding.severity is Severity.ERROR and finding.field == ("department", "name")
        assert "请写 unit_word" in finding.message
    named = report_with(table_example, (("department", "name"), "某县政协委员会"), (("department", "unit_word"), "委"))
    assert list(figure_checks.check_unit_word(named)) == [] and named.department.self_word() == "委"
    for name, word in (("某县文化馆", "馆"), ("某县政务服务中心", "中心"), ("某县教育局", "局")):
        assert report_with(table_example, (("department", "name"), name)).department.self_word() == word


def test_staff_groups_add_up(table_example: Report) -> None:
    bad = report_with(table_example, (("department", "staffing", "groups", 1, "authorized"), 5))
    [finding] = figure_checks.check_staff_groups(bad)
    assert finding.field == ("department", "staffing", "authorized")
    assert finding.message == "行政编制 30 + 工勤编制 5 = 35 人，与编制 36 人不符"
    in_post = report_with(table_example, (("department", "staffing", "groups", 0, "actual"), 28))
    [finding] = figure_checks.check_staff_groups(in_post)
    assert finding.field == ("department", "staffing", "actual") and "33 人，与在职人数 34 人不符" in finding.message
    partial = report_with(in_post, (("department", "staffing", "groups", 1, "actual"), None))
    assert list(figure_checks.check_staff_groups(partial)) == []  # 在职 not stated for every kind: no sum


def test_vehicles_within_their_quota(table_example: Report) -> None:
    assert list(figure_checks.check_vehicles(table_example)) == []  # 3 of 3
    over = report_with(table_example, (("department", "assets", "vehicles", "actual"), 4))
    [finding] = figure_checks.check_vehicles(over)
    assert "实有公务用车 4 辆超过编制 3 辆" in finding.message


def test_income_sources_add_up(table_example: Report) -> None:
    bad = report_with(table_example, (("income", "sources", 1, "amount"), Decimal("12.80")))
    [finding] = figure_checks.check_income(bad)
    assert finding.field == ("income", "amount")
    assert "= 1283.60 万元，与本年收入合计 1282.60 万元不符" in finding.message
    last = report_with(table_example, (("income", "previous"), Decimal("1190.00")))
    [finding] = figure_checks.check_income(last)
    assert finding.field == ("income", "previous")


def test_a_gap_between_income_and_spending_is_explained(table_example: Report) -> None:
    # The example: income 1282.60, executed 1240.60, and its text speaks of 结转 nowhere…
    plain = report_with(table_example, (("problems",), "部分项目资金支付进度偏慢。"))
    texts = " ".join(str(v) for v in plain.model_dump(exclude={"assessment"}).values())
    assert "结转" not in texts and "结余" not in texts
    [finding] = figure_checks.check_income_gap(plain)
    assert finding.field == ("income", "amount") and "多 42.00 万元" in finding.message
    explained = report_with(plain, (("problems",), "部分项目资金支付进度偏慢，年末结转42.00万元。"))
    assert list(figure_checks.check_income_gap(explained)) == []
    equal = report_with(plain, (("budget", "executed"), Decimal("1282.60")))
    assert list(figure_checks.check_income_gap(equal)) == []


def test_execution_over_budget_low_rate_and_parts(table_example: Report) -> None:
    over = report_with(table_example, (("budget", "basic", "executed"), Decimal("870.00")))
    messages = {f.field: f.message for f in figure_checks.check_execution(over)}
    assert "超过全年预算数 860.80 万元" in messages[("budget", "basic", "executed")]
    assert "与整体支出全年执行数 1240.60 万元不符" in messages[("budget", "executed")]
    low = report_with(table_example, (("budget", "project", "executed"), Decimal("360.00")))
    low = report_with(low, (("budget", "executed"), Decimal("1218.20")))
    [finding] = figure_checks.check_execution(low)
    assert finding.field == ("budget", "project", "executed") and "执行率 87.80% 低于 90%" in finding.message
    at_90 = report_with(table_example, (("budget", "project", "executed"), Decimal("369.00")),
                        (("budget", "executed"), Decimal("1227.20")))
    assert list(figure_checks.check_execution(at_90)) == []


def test_three_public_items_add_up(table_example: Report) -> None:
    total = {"budget": Decimal("15.00"), "actual": Decimal("13.15")}
    stated = report_with(table_example, (("three_public", "total"), total))
    assert list(figure_checks.check_three_public(stated)) == []
    bad = report_with(stated, (("three_public", "total", "actual"), Decimal("13.50")))
    [finding] = figure_checks.check_three_public(bad)
    assert finding.field == ("three_public", "total", "actual") and "= 13.15 万元" in finding.message
    vehicles = report_with(table_example, (("three_public", "vehicles", "operation", "actual"), Decimal("10.00")))
    [finding] = figure_checks.check_three_public(vehicles)
    assert finding.field == ("three_public", "vehicles", "actual")
    assert "购置费 0.00 + 运行维护费 10.00 = 10.00 万元" in finding.message


def test_changes_stated_in_prose(table_example: Report, example_report: Report) -> None:
    right = "整体支出预算较上年增长5.96%；“三公”经费下降4.71%。"
    assert list(figure_checks.check_stated_changes(report_with(table_example, (("problems",), right)))) == []
    wrong = "收入较上年增长31.39%，主要是项目资金增加。"
    [finding] = figure_checks.check_stated_changes(report_with(table_example, (("problems",), wrong)))
    assert finding.quote == "增长31.39%" and finding.field == ("problems",)
    direction = "支出较上年下降5.96%。"  # the size of a real change, the wrong way
    assert len(list(figure_checks.check_stated_changes(report_with(table_example, (("problems",), direction))))) == 1
    not_money = "读者人次较上年增长31.39%。"  # not about income or spending: not judged
    assert list(figure_checks.check_stated_changes(report_with(table_example, (("problems",), not_money)))) == []
    # Without last year's figures there is nothing to compare with.
    assert list(figure_checks.check_stated_changes(report_with(example_report, (("problems",), wrong)))) == []


def test_three_slips_one_located_line_each(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(FIXTURES / "figures_three_mistakes.yaml")])
    assert result.exit_code == 0  # warnings only
    lines = [line.split(": ")[:3] for line in result.output.splitlines() if ": warning: " in line]
    assert [(where.rsplit(":", 2)[1], path) for where, _, path in lines] == [
        ("56", "department.staffing.authorized"), ("117", "three_public.total.actual"),
        ("139", "evaluation.use_of_funds")]
    assert result.output.splitlines()[-1] == "共 0 个错误，3 个警告"


def test_a_reason_answers_the_execution_warning(table_example: Report) -> None:
    low = report_with(table_example, (("budget", "project", "executed"), Decimal("360.00")),
                      (("budget", "executed"), Decimal("1218.20")))
    assert len(list(figure_checks.check_execution(low))) == 1
    explained = report_with(low, (("budget", "project", "reason"), "全民健身中心项目因用地调整顺延至次年。"))
    assert list(figure_checks.check_execution(explained)) == []


def test_a_file_in_yuan_without_its_money_unit_is_suspected(tmp_path: Path) -> None:
    from ..model.test_money_unit import in_yuan

    twin = in_yuan(tmp_path)  # every amount ×10 000, money_unit: 元
    assert [p for p in validate_file(twin).problems if p.code == "check_amounts_in_yuan"] == []
    undeclared = tmp_path / "undeclared.yaml"
    undeclared.write_text(twin.read_text(encoding="utf-8").replace("money_unit: 元\n", ""), encoding="utf-8")
    [problem] = [p for p in validate_file(undeclared).problems if p.code == "check_amounts_in_yuan"]
    assert problem.path == "budget.amount" and problem.severity is Severity.WARNING
    assert problem.message.startswith("整体支出 12508000.00 万元、在职 33 人，人均 379030.30 万元：金额像是按元填写的")
    assert problem.message.endswith("在文件开头写 money_unit: 元")
