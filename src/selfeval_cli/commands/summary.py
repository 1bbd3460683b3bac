"""The finance bureau's view of many departments: one row of key figures per data file.

Figures are read through the same validation as every other command (no second parser of the
data) and derived the same way (``percent_of``, ``score_table``); a file that cannot be read, or
whose data has errors, still gets its row — with what could be read, and its problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.model.money import percent_of
from selfeval_cli.model.report import Report
from selfeval_cli.outputs import check_output_path, write_atomically
from selfeval_cli.problems import Problem, count
from selfeval_cli.vocabulary import DEFAULT_OUTLINE


@dataclass(frozen=True)
class DepartmentRow:
    """The key figures of one data file; None where the file does not state a figure."""

    file: str
    name: str | None = None
    year: int | None = None
    outline: str | None = None
    initial: Decimal | None = None
    """年初预算数 (万元)."""
    adjusted: Decimal | None = None
    """全年预算数 (万元): the budget's, else the 自评表's."""
    executed: Decimal | None = None
    """全年执行数 (万元): the budget's, else the 自评表's."""
    rate: Decimal | None = None
    """执行率 (%)."""
    basic: Decimal | None = None
    project: Decimal | None = None
    income: Decimal | None = None
    """本年收入 (万元)."""
    income_change: Decimal | None = None
    """本年收入较上年的变动率 (%)."""
    three_public: Decimal | None = None
    """“三公”经费实际支出 (万元)."""
    three_public_change: Decimal | None = None
    """“三公”经费变动率 (%) against last year's actual."""
    authorized: int | None = None
    in_post: int | None = None
    staffing_rate: Decimal | None = None
    """在职人员控制率 (%): 在职 ÷ 编制."""
    total_score: Decimal | None = None
    grade: str | None = None
    errors: int = 0
    warnings: int = 0
    note: str = ""
    """Why figures are missing: the file's first error, when it has any."""


@dataclass(frozen=True)
class IndicatorRow:
    """One third-level indicator of one department's 自评表, with its computed 得分."""

    department: str
    file: str
    first: str
    second: str
    name: str
    kind: str
    unit: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    reason: str


@dataclass
class FileSummary:
    """What one file contributes to the workbook: its row, its indicators and its problems."""

    source: Path
    row: DepartmentRow
    indicators: list[IndicatorRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.row.errors > 0


def summary_inputs(sources: Sequence[Path], output: Path) -> list[Path]:
    """The data files to summarise (directories and patterns expanded); raises OutputError when
    ``output`` cannot be written (a directory, or one of the inputs)."""
    from selfeval_cli.commands.batch import expand_inputs

    files = expand_inputs(sources)
    check_output_path(output, files)
    return files


def write_summary(summaries: Sequence[FileSummary], output: Path, fmt: str | None = None) -> str:
    """Write the summary atomically: the workbook, or its first sheet as CSV when ``fmt`` is "csv"
    (or, without ``fmt``, when ``output`` ends in .csv). Returns the format written."""
    from selfeval_cli.commands.workbook import csv_bytes, workbook_bytes

    chosen = fmt or ("csv" if output.suffix.lower() == ".csv" else "xlsx")
    write_atomically(output, csv_bytes(summaries) if chosen == "csv" else workbook_bytes(summaries))
    return chosen


def summarize_file(source: Path, trust_outlines: bool = False) -> FileSummary:
    """The row, indicators and problems of one data file; never raises for a bad file."""
    result = validate_file(source, trust_outlines=trust_outlines)
    errors, warnings = count(result.problems)
    first_error = next((p.message for p in result.problems if p.severity.value == "error"), "")
    report = result.parsed  # figures are read even where a cross-check found an error: that is the point
    if report is None:
        raw = result.loaded.data if result.loaded is not None else None
        row = DepartmentRow(str(source), _raw_name(raw), _raw_year(raw), errors=errors, warnings=warnings,
                            note=first_error)
        return FileSummary(source, row, [], result.problems)
    row = _row(report, str(source), errors, warnings, first_error)
    return FileSummary(source, row, _indicators(report, str(source)), result.problems)


def _row(report: Report, file: str, errors: int, warnings: int, note: str) -> DepartmentRow:
    budget, staffing = report.budget, report.department.staffing
    table = None
    if report.assessment is not None:
        from selfeval_cli.model.scoring import score_table

        table = score_table(report.assessment)
    adjusted = budget.adjusted if budget.adjusted is not None else (
        report.assessment.funding.total.budget if report.assessment else None)
    executed = budget.executed if budget.executed is not None else (
        report.assessment.funding.total.executed if report.assessment else None)
    income = report.income
    income_change = None
    if income is not None and income.previous:
        income_change = percent_of(income.amount - income.previous, income.previous)
    spent = report.three_public.summed() if report.three_public else None
    change = None
    if spent is not None and spent.actual is not None and spent.previous is not None:
        change = percent_of(spent.actual - spent.previous, spent.previous)
    return DepartmentRow(
        file, report.department.name, report.year, report.outline or DEFAULT_OUTLINE,
        initial=budget.amount, adjusted=adjusted, executed=executed,
        rate=percent_of(executed, adjusted) if executed is not None and adjusted is not None else None,
        basic=budget.basic.amount, project=budget.project.amount,
        income=income.amount if income is not None else None, income_change=income_change,
        three_public=spent.actual if spent else None, three_public_change=change,
        authorized=staffing.authorized, in_post=staffing.actual,
        staffing_rate=percent_of(Decimal(staffing.actual), Decimal(staffing.authorized)),
        total_score=table.total_score if table else None, grade=table.grade if table else None,
        errors=errors, warnings=warnings, note=note)


def _indicators(report: Report, file: str) -> list[IndicatorRow]:
    if report.assessment is None:
        return []
    from selfeval_cli.model.scoring import score_table
    from selfeval_cli.render.textfmt import indicator_value

    rows = []
    for first, second, scored in score_table(report.assessment).indicators():
        ind = scored.indicator
        target = indicator_value(ind.target, ind.kind, ind.unit, signed=True)
        actual = indicator_value(ind.actual, ind.kind, ind.unit)
        rows.append(IndicatorRow(
            report.department.name, file, first.level.name, second.level.name, ind.name, ind.kind, ind.unit or "",
            target, actual, scored.weight, scored.score, (ind.reason or "").replace("\n", " ")))
    return rows


def _raw_name(raw: Any) -> str | None:
    department = raw.get("department") if isinstance(raw, dict) else None
    name = department.get("name") if isinstance(department, dict) else None
    return name if isinstance(name, str) else None


def _raw_year(raw: Any) -> int | None:
    year = raw.get("year") if isinstance(raw, dict) else None
    return year if isinstance(year, int) and not isinstance(year, bool) else None
