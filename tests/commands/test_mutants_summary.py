"""selfeval summary, one file at a time: the row and the indicators ``summarize_file`` reads, in this process.

``selfeval summary`` reads the files in worker processes, where mutmut cannot see which tests reach
``summarize_file``; these tests call it directly (as ``selfeval_cli.api`` does), written against the
mutants ``make mutation`` found alive.
"""

from __future__ import annotations

import io
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from selfeval_cli import api
from selfeval_cli.commands.summary import DepartmentRow, FileSummary, roll_up, summarize_file, write_summary
from selfeval_cli.commands.workbook import workbook_bytes
from selfeval_cli.errors import UsageError
from selfeval_cli.render.outline_folders import templates_root

from ..conftest import EXAMPLE, OTHER, TABLE_EXAMPLE, edited_copy


def fields(row: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def test_a_full_file_gives_every_figure_and_its_table(tmp_path: Path) -> None:
    source = Path(shutil.copy(TABLE_EXAMPLE, tmp_path / "文旅局.yaml"))
    summary = summarize_file(source)
    assert summary.source == source and summary.problems == [] and not summary.failed
    assert fields(summary.row, "file", "name", "year", "outline", "initial", "adjusted", "executed", "rate",
                  "basic", "project", "three_public", "three_public_change", "authorized", "in_post",
                  "staffing_rate", "total_score", "grade", "errors", "warnings", "note") == {
        "file": str(source), "name": "示例县文化旅游广电体育局", "year": 2025, "outline": "hunan",
        "initial": Decimal("1250.80"), "adjusted": Decimal("1270.80"), "executed": Decimal("1240.60"),
        "rate": Decimal("97.62"), "basic": Decimal("850.80"), "project": Decimal("400.00"),
        "three_public": Decimal("13.15"), "three_public_change": Decimal("-4.71"), "authorized": 36, "in_post": 34,
        "staffing_rate": Decimal("94.44"), "total_score": Decimal("95.99"), "grade": "优",
        "errors": 0, "warnings": 0, "note": ""}


def test_each_indicator_row_names_its_levels_and_values(tmp_path: Path) -> None:
    source = Path(shutil.copy(TABLE_EXAMPLE, tmp_path / "文旅局.yaml"))
    indicators = summarize_file(source).indicators
    assert len(indicators) == 10
    first, timely, coverage = indicators[0], indicators[4], indicators[7]
    assert fields(first, "department", "file", "first", "second", "name", "kind", "unit", "target", "actual",
                  "weight", "score", "reason") == {
        "department": "示例县文化旅游广电体育局", "file": str(source), "first": "产出指标", "second": "数量指标",
        "name": "乡镇综合文化站提质改造数量", "kind": "正向", "unit": "个", "target": "≥8个", "actual": "8个",
        "weight": Decimal("10.00"), "score": Decimal("10.00"), "reason": ""}
    assert (timely.name, timely.actual, timely.score) == ("项目按期完成率", "87.5%", Decimal("8.75"))
    assert timely.reason == "一个站点因选址调整推迟一个月验收；今后项目入库前完成选址论证。"
    # A 定性 indicator has no unit: an empty cell, not "None".
    assert (coverage.kind, coverage.unit, coverage.actual) == ("定性", "", "县乡两级全覆盖，村级覆盖九成")


def test_a_reason_over_several_lines_is_one_line_in_the_sheet(tmp_path: Path) -> None:
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [(
        "              reason: 一个站点因选址调整推迟一个月验收；今后项目入库前完成选址论证。\n",
        "              reason: |\n"
        "                一个站点因选址调整推迟一个月验收。\n"
        "                今后项目入库前完成选址论证。\n",
    )])
    timely = summarize_file(source).indicators[4]
    assert timely.reason == "一个站点因选址调整推迟一个月验收。 今后项目入库前完成选址论证。"


def test_a_file_without_a_table_or_execution_has_no_rate_score_or_indicators() -> None:
    summary = summarize_file(EXAMPLE)
    assert fields(summary.row, "name", "adjusted", "executed", "rate", "total_score", "grade", "staffing_rate") == {
        "name": "株洲市渌口区教育局", "adjusted": None, "executed": None, "rate": None, "total_score": None,
        "grade": None, "staffing_rate": Decimal("100.00")}
    assert summary.indicators == [] and summary.row.warnings == 2 and summary.row.note == ""


def test_only_a_stated_budget_and_execution_give_a_rate(tmp_path: Path) -> None:
    # 全年预算数 without 全年执行数 (and no 自评表 to take it from): no rate.
    budget = "budget:\n  amount: 1250.80\n"
    adjusted = edited_copy(OTHER, tmp_path, [(budget, budget + "  adjusted: 1260.80\n")])
    row = summarize_file(adjusted).row
    assert (row.adjusted, row.executed, row.rate, row.total_score) == (Decimal("1260.80"), None, None, None)
    executed = edited_copy(OTHER, tmp_path, [(budget, budget + "  executed: 1200.00\n")], "executed_only.yaml")
    row = summarize_file(executed).row
    assert (row.adjusted, row.executed, row.rate) == (None, Decimal("1200.00"), None)


def test_a_file_that_does_not_validate_still_gets_its_name_year_and_first_error(tmp_path: Path) -> None:
    # A negative amount (an error of the model) and an entry of the review list (a warning, read from the raw
    # data even when the model fails).
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("  amount: 1250.80\n", "  amount: -1250.80\n"),
                                                   ("year: 2025\n", "year: 2025\nreview:\n  - {path: problems, "
                                                    "reason: 上年的问题，请核对}\n")])
    summary = summarize_file(source)
    assert summary.source == source and summary.indicators == [] and summary.failed
    assert summary.problems and summary.row.errors == sum(p.severity.value == "error" for p in summary.problems)
    assert summary.row.warnings == sum(p.severity.value == "warning" for p in summary.problems) == 1
    first_error = next(p.message for p in summary.problems if p.severity.value == "error")
    assert fields(summary.row, "file", "name", "year", "note", "total_score") == {
        "file": str(source), "name": "示例县文化旅游广电体育局", "year": 2025, "note": first_error,
        "total_score": None}
    assert "负数" in summary.row.note


def test_a_file_that_is_not_yaml_gets_a_row_with_its_problem(tmp_path: Path) -> None:
    source = tmp_path / "不是数据.yaml"
    source.write_bytes(b"PK\x03\x04\x00\x00binary")
    summary = summarize_file(source)
    assert (summary.source, summary.indicators, summary.row.file) == (source, [], str(source))
    assert (summary.row.name, summary.row.year, summary.row.errors) == (None, None, 1)
    assert summary.problems and summary.row.note == summary.problems[0].message


@pytest.mark.parametrize(("old", "new"), [
    ("year: 2025\n", "year: true\n"),  # a truth value is no year
    ("year: 2025\n", "year: '2025'\n"),  # neither is text
    ("  name: 示例县文化旅游广电体育局\n  rank:", "  name: [示例县文化旅游广电体育局]\n  rank:"),
])
def test_only_a_real_year_and_name_are_read_from_a_broken_file(tmp_path: Path, old: str, new: str) -> None:
    row = summarize_file(edited_copy(TABLE_EXAMPLE, tmp_path, [(old, new)])).row
    assert row.errors >= 1
    if "year" in old:
        assert (row.name, row.year) == ("示例县文化旅游广电体育局", None)
    else:
        assert (row.name, row.year) == (None, 2025)


def test_a_broken_file_whose_department_is_not_a_mapping_has_no_name(tmp_path: Path) -> None:
    source = tmp_path / "d.yaml"
    source.write_text("year: 2025\ndepartment: 示例县文化旅游广电体育局\n", encoding="utf-8")
    row = summarize_file(source).row
    assert (row.name, row.year) == (None, 2025)


def test_an_outline_from_outside_the_files_folder_is_refused_unless_trusted(tmp_path: Path) -> None:
    shutil.copytree(templates_root() / "hunan", tmp_path / "other" / "mine")
    (tmp_path / "dept").mkdir()
    source = tmp_path / "dept" / "data.yaml"
    source.write_text(OTHER.read_text(encoding="utf-8").replace("year: 2025\n", "year: 2025\noutline: ../other/mine\n",
                                                                 1), encoding="utf-8")
    refused = summarize_file(source)
    assert refused.row.errors == 1 and "不在数据文件所在的目录之内" in refused.row.note
    assert summarize_file(source, trust_outlines=True).row.errors == 0


def test_the_format_written_follows_the_suffix_unless_given(tmp_path: Path) -> None:
    summaries = [summarize_file(EXAMPLE)]
    assert write_summary(summaries, tmp_path / "汇总.xlsx") == "xlsx"
    assert (tmp_path / "汇总.xlsx").read_bytes()[:2] == b"PK"
    assert write_summary(summaries, tmp_path / "汇总.CSV") == "csv"
    assert (tmp_path / "汇总.CSV").read_bytes().startswith(b"\xef\xbb\xbf")
    assert write_summary(summaries, tmp_path / "汇总.dat", "csv") == "csv"


def test_amounts_are_rounded_half_up_to_the_cent() -> None:
    from selfeval_cli.commands.summary import in_cents

    # 250 元 is 0.025 万元: half up gives 0.03 (half to even would give 0.02), as the report prints it.
    assert in_cents(Decimal("0.025")) == Decimal("0.03") and in_cents(Decimal("0.035")) == Decimal("0.04")
    assert in_cents(None) is None


# ── What the workbook reads and which rows it adds ────────────────────────────────────────────


def department_sheet(workbook: Path) -> list[dict[str, Any]]:
    """The rows of the 部门汇总 sheet (the 合计 row last), each by its column headings. Read from its bytes:
    openpyxl opens a path only when it is named .xlsx."""
    book = openpyxl.load_workbook(io.BytesIO(workbook.read_bytes()), data_only=True)
    header, *rows = book["部门汇总"].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def files_and_flags(workbook: Path) -> list[tuple[str, str]]:
    """(data file's name, 计入合计) of each department row, in the sheet's order."""
    return [(Path(row["数据文件"]).name, row["计入合计"]) for row in department_sheet(workbook)[:-1]]


@pytest.mark.parametrize(("name", "said"), [("汇总.txt", "扩展名为 .txt"), ("汇总", "没有扩展名")])
def test_an_output_name_refused_says_what_is_wrong_with_it(tmp_path: Path, name: str, said: str) -> None:
    out = tmp_path / name
    with pytest.raises(UsageError) as caught:
        api.summarize([OTHER], out)
    assert f"“{out}”{said}：请改为 {tmp_path / '汇总.xlsx'} 或 {tmp_path / '汇总.csv'}" in str(caught.value)
    assert not out.exists()


def test_every_file_and_folder_given_has_its_rows(tmp_path: Path) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(OTHER, folder / "青山局.yaml")
    single = Path(shutil.copy(TABLE_EXAMPLE, tmp_path / "文旅局.yaml"))
    out = tmp_path / "汇总.xlsx"
    api.summarize([single, folder], out)
    assert files_and_flags(out) == [("文旅局.yaml", "是"), ("青山局.yaml", "是")]


def test_a_pattern_that_reached_selfeval_unexpanded_is_expanded(tmp_path: Path) -> None:
    # A shell that does not expand *.yaml (cmd.exe, or a quoted pattern) passes it on as it stands.
    shutil.copy(OTHER, tmp_path / "青山局.yaml")
    shutil.copy(TABLE_EXAMPLE, tmp_path / "文旅局.yaml")
    out = tmp_path / "汇总.xlsx"
    outcomes = api.summarize([tmp_path / "*.yaml"], out)
    assert [outcome.failed for outcome in outcomes] == [False, False]
    assert files_and_flags(out) == [("文旅局.yaml", "是"), ("青山局.yaml", "是")]


def test_an_output_named_without_a_known_suffix_is_written_as_a_workbook(tmp_path: Path) -> None:
    # Only a caller of write_summary itself can name one (the command and the API refuse the name first).
    out = tmp_path / "汇总"
    assert write_summary([summarize_file(OTHER)], out) == "xlsx"
    first, total = department_sheet(out)
    assert (first["部门"], first["计入合计"], total["部门"]) == (
        "青山县文化旅游广电体育局", "是", "合计：2025 年度、没有错误的 1 个部门（同一部门只计一份）")


def test_of_a_departments_two_valid_files_the_one_saved_last_is_counted_wherever_it_stands(tmp_path: Path) -> None:
    # The final file sorts before the draft; its later modification time, read from the file, decides.
    folder = tmp_path / "各单位"
    folder.mkdir()
    final = Path(shutil.copy(TABLE_EXAMPLE, folder / "文旅局.yaml"))
    draft = Path(shutil.copy(TABLE_EXAMPLE, folder / "文旅局_初稿.yaml"))
    os.utime(draft, (1_000_000, 1_000_000))
    os.utime(final, (2_000_000, 2_000_000))
    assert summarize_file(final).modified == 2_000_000
    out = tmp_path / "汇总.xlsx"
    api.summarize([folder], out)
    assert files_and_flags(out) == [("文旅局.yaml", "是"), ("文旅局_初稿.yaml", "否")]
    assert department_sheet(out)[1]["说明"] == f"与 {final} 是同一部门，计入合计的是 {final}"


def test_the_year_summed_is_the_commonest_even_when_a_later_one_is_present(tmp_path: Path) -> None:
    # A bureau summarising 2024 whose folder already holds one department's 2025 file.
    files = [FileSummary(Path(file), DepartmentRow(file, name, year, initial=Decimal(amount)))
             for file, name, year, amount in [("a.yaml", "甲局", 2024, "10.00"), ("b.yaml", "乙局", 2024, "20.00"),
                                              ("c.yaml", "丙局", 2025, "40.00")]]
    rolled = roll_up(files)
    assert rolled.year == 2024 and [row.counted for row in rolled.rows] == [True, True, False]
    assert rolled.rows[2].note == "2025 年度的文件，本表汇总 2024 年度，未计入合计"
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(workbook_bytes(files))
    total = department_sheet(out)[-1]
    assert total["部门"] == "合计：2024 年度、没有错误的 2 个部门（同一部门只计一份）"
    assert Decimal(str(total["年初预算数（万元）"])) == Decimal("30.00")
