"""The finance bureau's view of many departments: one row of key figures per data file.

Figures are read through the same validation as every other command (no second parser of the
data) and derived the same way (``percent_of``, ``score_table``); a file that cannot be read, or
whose data has errors, still gets its row — with what could be read, and its problems.

Amounts are the 万元 the report prints: rounded half up to two decimals (a file in 元 is exact to
the fen, so its 万元 have up to six decimals); rates are computed from the exact amounts, as the
report computes them. 全年预算数 and 全年执行数 are read from two places and kept apart: the
report's ``budget`` (二、预算支出) and the 自评表's 年度资金总额 (附件1), which may also hold carried-over
and other funds — each with its own 执行率, the one its own document shows.

Not every row belongs in the totals (``roll_up``): only files of the year most files are of, without
errors, and one file per department.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.errors import UsageError
from selfeval_cli.model.money import percent_of
from selfeval_cli.model.report import Report
from selfeval_cli.outputs import check_output_path, write_atomically
from selfeval_cli.problems import Problem, count
from selfeval_cli.vocabulary import CENT, DEFAULT_OUTLINE

FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
"""The summary's output suffixes and the format each is written in; no other name is written."""


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
    """全年预算数 (万元) as the report states it (``budget.adjusted``); never taken from the 自评表."""
    executed: Decimal | None = None
    """全年执行数 (万元) as the report states it (``budget.executed``)."""
    rate: Decimal | None = None
    """执行率 (%) of the report: executed ÷ adjusted."""
    table_budget: Decimal | None = None
    """全年预算数 (万元) of the 自评表's 年度资金总额 row."""
    table_executed: Decimal | None = None
    """全年执行数 (万元) of the 自评表's 年度资金总额 row."""
    table_rate: Decimal | None = None
    """执行率 (%) of the 自评表, on its own basis: the one 附件1 shows."""
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
    """Why figures are missing: the file's first error, when it has any; ``roll_up`` adds why the
    row is left out of the totals, or which other file is the same department's."""
    counted: bool = False
    """Whether the totals add this row: set by ``roll_up``, which sees all the rows."""


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
    modified: float | None = None
    """When the file was last saved (seconds since the epoch): of two files of one department, the
    later one is taken as the final one."""

    @property
    def failed(self) -> bool:
        return self.row.errors > 0


def summary_inputs(sources: Sequence[Path], output: Path) -> list[Path]:
    """The data files to summarise: folders with their subfolders (``data_files``), patterns
    expanded. Raises UsageError when ``output`` is not named .xlsx or .csv (an Excel file called
    汇总.txt, or 各单位/zz.yaml read as a department's broken file next time), and OutputError when
    it cannot be written (a directory, or one of the inputs)."""
    from selfeval_cli.commands.batch import expand_inputs

    if output.suffix.lower() not in FORMATS:
        written = f"扩展名为 {output.suffix}" if output.suffix else "没有扩展名"
        raise UsageError(f"汇总表只能写成 .xlsx 或 .csv 文件，“{output}”{written}：请改为 "
                         f"{output.with_suffix('.xlsx')} 或 {output.with_suffix('.csv')}")
    files: list[Path] = []
    for source in sources:
        files += (data_files(source) or [source]) if source.is_dir() else expand_inputs([source])
    files = list(dict.fromkeys(files))  # each file once, first mention first
    check_output_path(output, files)
    return files


def data_files(folder: Path) -> list[Path]:
    """The .yaml/.yml files of ``folder`` and of its subfolders, each folder's own files first, sorted.

    Left out: hidden folders (``.git``), and outline and form folders (their ``outline.yaml`` or
    ``form.yaml`` describes templates, not a department). A subfolder that cannot be listed is
    returned itself, so that its row says why it was not read.
    """
    from selfeval_cli.model.loader import DATA_SUFFIXES
    from selfeval_cli.render.form_folders import MANIFEST as FORM_MANIFEST
    from selfeval_cli.render.outline_folders import MANIFEST as OUTLINE_MANIFEST

    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        if error.filename is not None and Path(error.filename) != folder:
            found.append(Path(error.filename))

    for root, folders, names in os.walk(folder, onerror=unreadable):
        here = Path(root)
        folders[:] = sorted(name for name in folders if not name.startswith(".")
                            and not (here / name / OUTLINE_MANIFEST).is_file()
                            and not (here / name / FORM_MANIFEST).is_file())
        found += sorted(here / name for name in names
                        if Path(name).suffix.lower() in DATA_SUFFIXES and (here / name).is_file())
    return found


def write_summary(summaries: Sequence[FileSummary], output: Path, fmt: str | None = None) -> str:
    """Write the summary atomically: the workbook, or its first sheet as CSV when ``fmt`` is "csv"
    (or, without ``fmt``, when ``output`` ends in .csv). Returns the format written.

    A ``fmt`` that contradicts the suffix (CSV text in a file named .xlsx) raises UsageError."""
    from selfeval_cli.commands.workbook import csv_bytes, workbook_bytes

    named = FORMATS.get(output.suffix.lower())
    if fmt is not None and named is not None and fmt != named:
        raise UsageError(f"--format {fmt} 与输出文件“{output}”的扩展名 {output.suffix} 不一致："
                         f"请改为 {output.with_suffix('.' + fmt)}，或省略 --format")
    chosen = fmt or named or "xlsx"
    write_atomically(output, csv_bytes(summaries) if chosen == "csv" else workbook_bytes(summaries))
    return chosen


@dataclass(frozen=True)
class RollUp:
    """The rows as the sheet shows them: each marked counted or not, with why in its note."""

    year: int | None
    """The year summed: the year most files are of (the later one when two are equally many)."""
    rows: list[DepartmentRow]


def roll_up(summaries: Sequence[FileSummary]) -> RollUp:
    """Decide which rows the totals add, and say so in each row left out.

    Counted: a file of the summary's year (the most common year) without errors; of several such
    files of one department (the same name), only the one saved last (the later in the list when
    saved at the same time). Every file of a department that has another file of the same year says
    which; a file of another year says it is not counted.
    """
    rows = [s.row for s in summaries]
    years = Counter(row.year for row in rows if row.year is not None)
    year = max(years, key=lambda y: (years[y], y)) if years else None
    groups: dict[tuple[str, int], list[int]] = {}
    for i, row in enumerate(rows):
        if row.name is not None and row.year is not None:
            groups.setdefault((row.name.strip(), row.year), []).append(i)
    counted = {i for i, row in enumerate(rows) if row.errors == 0 and row.year is not None and row.year == year}
    notes: list[list[str]] = [[row.note] if row.note else [] for row in rows]
    for i, row in enumerate(rows):
        if row.year is not None and row.year != year:
            notes[i].append(f"{row.year} 年度的文件，本表汇总 {year} 年度，未计入合计")
    for members in groups.values():
        if len(members) < 2:
            continue
        eligible = [i for i in members if i in counted]
        kept = max(eligible, key=lambda i: (_saved(summaries[i]), i)) if eligible else None
        counted -= set(eligible) - {kept}
        for i in members:
            others = "、".join(rows[j].file for j in members if j != i)
            outcome = ("计入合计的是这一份" if i == kept else "都未计入合计" if kept is None
                       else f"计入合计的是 {rows[kept].file}")
            notes[i].append(f"与 {others} 是同一部门，{outcome}")
    return RollUp(year, [replace(row, counted=i in counted, note="；".join(notes[i])) for i, row in enumerate(rows)])


def _saved(summary: FileSummary) -> float:
    return summary.modified if summary.modified is not None else float("-inf")


def summarize_file(source: Path, trust_outlines: bool = False) -> FileSummary:
    """The row, indicators and problems of one data file; never raises for a bad file, nor for a
    defect of selfeval met in it (its row says so, and the county's other rows are written)."""
    try:
        return _summarize(source, trust_outlines)
    except Exception as exc:  # see batch.internal_error
        from selfeval_cli.commands.batch import internal_error

        problem = internal_error(source, exc)
        return FileSummary(source, DepartmentRow(str(source), "", errors=1, note=problem.message), problems=[problem])


def _summarize(source: Path, trust_outlines: bool) -> FileSummary:
    result = validate_file(source, trust_outlines=trust_outlines)
    errors, warnings = count(result.problems)
    first_error = next((p.message for p in result.problems if p.severity.value == "error"), "")
    modified = None
    with contextlib.suppress(OSError):
        modified = source.stat().st_mtime
    report = result.parsed  # figures are read even where a cross-check found an error: that is the point
    if report is None:
        raw = result.loaded.data if result.loaded is not None else None
        row = DepartmentRow(str(source), _raw_name(raw), _raw_year(raw), errors=errors, warnings=warnings,
                            note=first_error)
        indicators: list[IndicatorRow] = []
    else:
        row = _row(report, str(source), errors, warnings, first_error)
        indicators = _indicators(report, str(source))
    return FileSummary(source, row, indicators, result.problems, modified)


def in_cents(amount: Decimal | None) -> Decimal | None:
    """An amount as the report prints it: 万元 to two decimals, halves up (18.645 → 18.65)."""
    return None if amount is None else amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _row(report: Report, file: str, errors: int, warnings: int, note: str) -> DepartmentRow:
    budget, staffing = report.budget, report.department.staffing
    table = None
    if report.assessment is not None:
        from selfeval_cli.model.scoring import score_table

        table = score_table(report.assessment)
    adjusted, executed = budget.adjusted, budget.executed
    funding = report.assessment.funding.total if report.assessment is not None else None
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
        initial=in_cents(budget.amount), adjusted=in_cents(adjusted), executed=in_cents(executed),
        rate=percent_of(executed, adjusted) if executed is not None and adjusted is not None else None,
        table_budget=in_cents(funding.budget) if funding is not None else None,
        table_executed=in_cents(funding.executed) if funding is not None else None,
        table_rate=table.funding.total.rate if table is not None else None,
        basic=in_cents(budget.basic.amount), project=in_cents(budget.project.amount),
        income=in_cents(income.amount) if income is not None else None, income_change=income_change,
        three_public=in_cents(spent.actual) if spent else None, three_public_change=change,
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
