"""Every column of the summary's department sheet holds the figure its header names.

Two columns of one kind can be swapped (基本支出 reading ``project``, 编制 reading ``in_post``…) and a
test that only checks a few cells, or a department whose figures coincide, does not notice. Here one
department whose figures are pairwise distinct goes through ``selfeval summary``, and every cell of its
row is compared with the field of the loaded data that its header names.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands import workbook
from selfeval_cli.model.scoring import score_table
from selfeval_cli.problems import count
from selfeval_cli.vocabulary import DEFAULT_OUTLINE

from ..conftest import TABLE_EXAMPLE, edited_copy

# The full example states every figure the sheet has; three edits give it one error and two warnings,
# so that 错误, 警告 and 说明 are told apart too (a file whose checks find errors still has its figures read).
EDITS = (
    ("  label: 附件2\n", "  label: 附件1\n"),  # check_attachment_labels: an error
    ("document_number: 示财绩〔2026〕3号", "document_number: 示财绩〔2023〕3号"),  # check_notice_year: a warning
    ("scope: 县级财政资金整体支出绩效", "scope: 2024年度县级财政资金整体支出绩效"),  # check_title_years: a warning
)
PERCENT_COLUMNS = {"执行率（报告）", "执行率（自评表）", "“三公”经费变动率", "在职人员控制率", "收入同比"}
SUMMED = {"年初预算数（万元）", "全年预算数（报告，万元）", "全年执行数（报告，万元）", "全年预算数（自评表，万元）",
          "全年执行数（自评表，万元）", "基本支出（万元）", "项目支出（万元）", "本年收入（万元）",
          "“三公”经费（万元）", "编制（人）", "在职（人）", "错误", "警告"}
RATES = {"执行率（报告）": ("全年执行数（报告，万元）", "全年预算数（报告，万元）"),
         "执行率（自评表）": ("全年执行数（自评表，万元）", "全年预算数（自评表，万元）"),
         "在职人员控制率": ("在职（人）", "编制（人）")}


@pytest.fixture
def department(tmp_path: Path) -> Path:
    source = edited_copy(TABLE_EXAMPLE, tmp_path, EDITS, "文旅局.yaml")
    return source


def expected_row(source: Path) -> dict[str, Any]:
    """Each column's value, header → value, read from the loaded model (Excel's percentages as fractions)."""
    result = validate_file(source)
    report = result.parsed  # the model even though a cross-check found an error (``report`` is then None)
    assert report is not None and report.assessment is not None and report.three_public is not None
    budget, staffing, three = report.budget, report.department.staffing, report.three_public
    income = report.income
    assert income is not None and income.previous is not None
    assert budget.adjusted is not None and budget.executed is not None
    funding = report.assessment.funding.total
    actual = [figures.actual for _, _, figures in three.items()]
    previous = [figures.previous for _, _, figures in three.items()]
    assert all(a is not None for a in actual) and all(p is not None for p in previous)
    spent, spent_before = sum(a for a in actual if a is not None), sum(p for p in previous if p is not None)
    table = score_table(report.assessment)
    errors, warnings = count(result.problems)
    return {
        "部门": report.department.name,
        "年度": report.year,
        "计入合计": "否" if errors else "是",
        "提纲": report.outline or DEFAULT_OUTLINE,
        "年初预算数（万元）": budget.amount,
        "全年预算数（报告，万元）": budget.adjusted,
        "全年执行数（报告，万元）": budget.executed,
        "执行率（报告）": budget.executed / budget.adjusted,
        "全年预算数（自评表，万元）": funding.budget,
        "全年执行数（自评表，万元）": funding.executed,
        "执行率（自评表）": funding.executed / funding.budget,
        "基本支出（万元）": budget.basic.amount,
        "项目支出（万元）": budget.project.amount,
        "本年收入（万元）": income.amount,
        "收入同比": (income.amount - income.previous) / income.previous,
        "“三公”经费（万元）": spent,
        "“三公”经费变动率": (spent - spent_before) / spent_before,
        "编制（人）": staffing.authorized,
        "在职（人）": staffing.actual,
        "在职人员控制率": Decimal(staffing.actual) / Decimal(staffing.authorized),
        "自评总分": table.total_score,
        "等级": table.grade,
        "错误": errors,
        "警告": warnings,
        "说明": next(p.message for p in result.problems if p.severity.value == "error"),
        "数据文件": str(source),
    }


def written_rows(source: Path, out: Path, runner: CliRunner) -> tuple[dict[str, Any], dict[str, Any]]:
    """The department's row and the total row of the workbook ``selfeval summary`` writes (cached values)."""
    result = runner.invoke(cli, ["summary", str(source), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out, data_only=True)["部门汇总"]
    header, row, total = sheet.iter_rows(values_only=True)
    return dict(zip(header, row, strict=True)), dict(zip(header, total, strict=True))


def _same(header: str, cell: Any, expected: Any) -> bool:
    if isinstance(expected, str | int) and not isinstance(expected, bool):
        return bool(cell == expected)
    if not isinstance(cell, int | float) or isinstance(cell, bool):  # a figure is a number, never text
        return False
    if header in PERCENT_COLUMNS:  # rounded to 0.01 % by selfeval
        return bool(cell == pytest.approx(float(expected), abs=0.00005))
    return float(cell) == float(expected)  # amounts and scores: two decimals, exactly (400.00 reads back as 400)


def mismatches(source: Path, out: Path, runner: CliRunner) -> dict[str, tuple[Any, Any]]:
    """Columns whose cell is not the data's field: header → (cell, expected)."""
    row, _ = written_rows(source, out, runner)
    expected = expected_row(source)
    assert set(row) == set(expected), "the sheet's columns changed: say here what each new one holds"
    return {h: (row[h], expected[h]) for h in expected if not _same(h, row[h], expected[h])}


def test_the_department_is_one_where_a_swap_shows(department: Path) -> None:
    # Two columns with one value would hide their swap: every figure and every text differs.
    values = expected_row(department).values()
    shown = [round(float(v), 4) if isinstance(v, Decimal | int) else v for v in values]
    assert len(set(shown)) == len(shown), shown
    assert expected_row(department)["错误"] == 1 and expected_row(department)["警告"] == 2


def test_every_column_holds_the_field_its_header_names(department: Path, tmp_path: Path,
                                                       runner: CliRunner) -> None:
    assert mismatches(department, tmp_path / "汇总.xlsx", runner) == {}


def test_the_total_row_sums_each_column_of_its_one_department(tmp_path: Path, runner: CliRunner) -> None:
    # Warnings only: the file is counted (a file with an error is not, see test_summary_rollup).
    source = edited_copy(TABLE_EXAMPLE, tmp_path, EDITS[1:], "文旅局.yaml")
    row, total = written_rows(source, tmp_path / "汇总.xlsx", runner)
    assert (row["计入合计"], row["警告"]) == ("是", 2)
    assert total["部门"] == "合计：2025 年度、没有错误的 1 个部门（同一部门只计一份）"
    for header in SUMMED:
        assert total[header] == row[header], header
    for rate, (part, whole) in RATES.items():  # the overall rates are Σ part ÷ Σ whole, not rounded
        assert total[rate] == pytest.approx(row[part] / row[whole], abs=1e-12), rate
        assert total[rate] == pytest.approx(row[rate], abs=0.00005), rate
    assert total["说明"].startswith("合计只加“计入合计”为“是”的行：2025 年度（文件最多的年度）、没有错误")
    assert {h for h, v in total.items() if v is not None} == SUMMED | set(RATES) | {"部门", "说明"}


def test_a_file_with_an_error_is_not_in_the_totals(department: Path, tmp_path: Path, runner: CliRunner) -> None:
    row, total = written_rows(department, tmp_path / "汇总.xlsx", runner)
    assert (row["计入合计"], row["错误"], row["警告"]) == ("否", 1, 2)
    assert total["部门"] == "合计：没有可以计入合计的文件（2025 年度的文件都有错误）"
    assert (total["错误"], total["警告"]) == (1, 2)  # the counts of problems add every row
    assert all(total[header] == 0 for header in SUMMED - {"错误", "警告"})
    assert all(total[rate] is None for rate in RATES)  # no rate of nothing (an empty cached value)


def test_swapped_basic_and_project_columns_are_caught(department: Path, tmp_path: Path, runner: CliRunner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The bug planted in-process: 基本支出 reads ``project`` and 项目支出 reads ``basic``."""
    columns = workbook.DEPARTMENT_COLUMNS
    swap = {"basic": "project", "project": "basic"}
    monkeypatch.setattr(workbook, "DEPARTMENT_COLUMNS", tuple(
        dataclasses.replace(c, attribute=swap.get(c.attribute, c.attribute)) for c in columns))
    found = mismatches(department, tmp_path / "汇总.xlsx", runner)
    assert set(found) == {"基本支出（万元）", "项目支出（万元）"}
