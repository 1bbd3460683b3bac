"""Which rows the summary's totals add, and how the sheet says so.

A bureau's folder holds more than this year's final files: a department's draft beside its final file,
last year's file, files that do not validate. The totals add only the files of the year most files
are of, without errors, one per department (the one saved last); every other row says 否 under 计入合计
and why under 说明, and the 合计 row says the rule.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from selfeval_cli.cli import cli
from selfeval_cli.commands.summary import DepartmentRow, FileSummary, roll_up

from ..conftest import EXAMPLE, OTHER, TABLE_EXAMPLE, edited_copy


def summary(file: str, name: str | None, year: int | None, errors: int = 0, modified: float | None = None,
            **figures: Any) -> FileSummary:
    return FileSummary(Path(file), DepartmentRow(file, name, year, errors=errors, **figures), modified=modified)


def counted(summaries: list[FileSummary]) -> list[str]:
    return [row.file for row in roll_up(summaries).rows if row.counted]


def test_the_year_summed_is_the_one_most_files_are_of() -> None:
    files = [summary("a", "甲局", 2024), summary("b", "乙局", 2025), summary("c", "丙局", 2025),
             summary("d", None, None, errors=1)]
    rolled = roll_up(files)
    assert rolled.year == 2025 and counted(files) == ["b", "c"]
    assert rolled.rows[0].note == "2024 年度的文件，本表汇总 2025 年度，未计入合计"
    # As many of each: the later year (a bureau summarises the year just ended, not the one before).
    assert roll_up(files[:2]).year == 2025 and roll_up(files[:2][::-1]).year == 2025
    assert roll_up([files[3]]).year is None and counted([files[3]]) == []


def test_a_file_with_errors_is_not_counted_and_keeps_its_first_error_as_note() -> None:
    files = [summary("a", "甲局", 2025, errors=2, note="金额不能为负数"), summary("b", "乙局", 2025)]
    rows = roll_up(files).rows
    assert [(row.counted, row.note) for row in rows] == [(False, "金额不能为负数"), (True, "")]


def test_of_one_department_the_file_saved_last_is_counted() -> None:
    draft = summary("初稿.yaml", "甲局", 2025, modified=100.0)
    final = summary("终稿.yaml", "甲局", 2025, modified=200.0)
    other = summary("乙局.yaml", "乙局", 2025, modified=50.0)
    for order in ([draft, final, other], [final, draft, other]):
        rows = {row.file: row for row in roll_up(order).rows}
        assert counted(order) == ["终稿.yaml", "乙局.yaml"]
        assert rows["初稿.yaml"].note == "与 终稿.yaml 是同一部门，计入合计的是 终稿.yaml"
        assert rows["终稿.yaml"].note == "与 初稿.yaml 是同一部门，计入合计的是这一份"
        assert rows["乙局.yaml"].note == ""


def test_a_later_file_with_errors_leaves_the_earlier_one_counted() -> None:
    files = [summary("终稿.yaml", "甲局", 2025, modified=100.0),
             summary("改了一半.yaml", "甲局", 2025, errors=1, modified=300.0, note="金额未填写")]
    rows = roll_up(files).rows
    assert [row.counted for row in rows] == [True, False]
    assert rows[1].note == "金额未填写；与 终稿.yaml 是同一部门，计入合计的是 终稿.yaml"


def test_saved_at_the_same_time_the_later_in_the_list_is_counted_and_no_time_is_the_oldest() -> None:
    same = [summary("a.yaml", "甲局", 2025, modified=5.0), summary("b.yaml", "甲局", 2025, modified=5.0)]
    assert counted(same) == ["b.yaml"]
    unknown = [summary("a.yaml", "甲局", 2025, modified=5.0), summary("b.yaml", "甲局", 2025)]
    assert counted(unknown) == ["a.yaml"]


def test_three_copies_name_each_other_and_a_name_is_compared_without_surrounding_spaces() -> None:
    files = [summary("a", "甲局", 2025, modified=1.0), summary("b", " 甲局 ", 2025, modified=3.0),
             summary("c", "甲局", 2025, modified=2.0)]
    rows = roll_up(files).rows
    assert [row.counted for row in rows] == [False, True, False]
    assert rows[0].note == "与 b、c 是同一部门，计入合计的是 b"


def test_copies_of_another_year_are_flagged_and_none_is_counted() -> None:
    files = [summary("a", "甲局", 2024), summary("b", "甲局", 2024), summary("c", "乙局", 2025),
             summary("d", "丙局", 2025)]
    rows = roll_up(files).rows
    assert [row.counted for row in rows] == [False, False, True, True]
    assert rows[0].note == "2024 年度的文件，本表汇总 2025 年度，未计入合计；与 b 是同一部门，都未计入合计"
    # Of two years, one department each: not copies of each other.
    assert roll_up([summary("x", "甲局", 2024), summary("y", "甲局", 2025), summary("z", "乙局", 2025)]).rows[1].note \
        == ""


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    """This year's two departments, one of them twice (a draft with an error saved first, then the final
    file), last year's file of a third, and a file that is not data."""
    folder = tmp_path / "各单位"
    folder.mkdir()
    final = Path(shutil.copy(TABLE_EXAMPLE, folder / "文旅局.yaml"))
    draft = edited_copy(TABLE_EXAMPLE, folder, [("  label: 附件2\n", "  label: 附件1\n")], "文旅局_初稿.yaml")
    os.utime(draft, (1_000_000, 1_000_000))
    os.utime(final, (2_000_000, 2_000_000))
    shutil.copy(OTHER, folder / "青山局.yaml")
    shutil.copy(EXAMPLE, folder / "去年教育局.yaml")
    (folder / "说明.yaml").write_text("各位领导：报告见附件。\n", encoding="utf-8")
    return folder


def by_file(sheet: Any) -> dict[str, dict[str, Any]]:
    """The department sheet's rows by the name of their data file; the total row as 合计."""
    header, *rows = sheet.iter_rows(values_only=True)
    where = header.index("数据文件")
    return {Path(row[where]).name if row[where] else "合计": dict(zip(header, row, strict=True)) for row in rows}


def test_the_workbook_counts_this_years_valid_files_once_each(bureau: Path, tmp_path: Path,
                                                                runner: CliRunner) -> None:
    out = tmp_path / "汇总.xlsx"
    result = runner.invoke(cli, ["summary", str(bureau), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    rows = by_file(openpyxl.load_workbook(out, data_only=True)["部门汇总"])
    total = rows.pop("合计")
    assert {name: row["计入合计"] for name, row in rows.items()} == {
        "文旅局.yaml": "是", "文旅局_初稿.yaml": "否", "青山局.yaml": "是", "去年教育局.yaml": "否", "说明.yaml": "否"}
    final, draft = str(bureau / "文旅局.yaml"), str(bureau / "文旅局_初稿.yaml")
    assert rows["文旅局.yaml"]["说明"] == f"与 {draft} 是同一部门，计入合计的是这一份"
    assert rows["文旅局_初稿.yaml"]["说明"].endswith(f"；与 {final} 是同一部门，计入合计的是 {final}")
    assert rows["文旅局_初稿.yaml"]["错误"] == 1
    assert rows["去年教育局.yaml"]["说明"] == "2024 年度的文件，本表汇总 2025 年度，未计入合计"
    assert rows["青山局.yaml"]["说明"] is None
    assert total["部门"] == "合计：2025 年度、没有错误的 2 个部门（同一部门只计一份）"
    both = [rows["文旅局.yaml"], rows["青山局.yaml"]]
    for header in ("年初预算数（万元）", "基本支出（万元）", "项目支出（万元）", "编制（人）", "在职（人）"):
        assert Decimal(str(total[header])) == sum(Decimal(str(row[header])) for row in both), header
    assert total["错误"] == sum(row["错误"] for row in rows.values())  # the problems of every file
    assert total["警告"] == sum(row["警告"] for row in rows.values())
    assert "同一部门有几份时只计保存时间最晚的一份" in total["说明"]


def test_a_row_left_out_shows_a_red_no(bureau: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "汇总.xlsx"
    assert runner.invoke(cli, ["summary", str(bureau), "-o", str(out), "-j", "1"]).exit_code == 0
    sheet = openpyxl.load_workbook(out)["部门汇总"]
    flags = [row[2] for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1)]
    assert {c.value for c in flags} == {"是", "否"} and all(c.data_type == "s" for c in flags)
    assert all((c.font.color is not None and c.font.color.rgb == "FFC00000" and c.font.b) == (c.value == "否")
               for c in flags)


def test_the_csv_says_which_rows_to_add(bureau: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "汇总.csv"
    assert runner.invoke(cli, ["summary", str(bureau), "-o", str(out), "-j", "1"]).exit_code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 5  # one line per file, no total
    assert [line.split(",")[2] for line in lines[1:]].count("是") == 2


@pytest.mark.pdf
def test_libreoffice_totals_only_the_counted_rows_that_are_shown(tmp_path: Path) -> None:
    """The totals are formulas LibreOffice computes: hide a counted row (as a filter does) and it drops out."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    from selfeval_cli.commands.workbook import workbook_bytes

    files = [summary("a.yaml", "甲局", 2025, initial=Decimal("100.10"), adjusted=Decimal("200.00"),
                     executed=Decimal("150.00"), authorized=10, in_post=9),
             summary("b.yaml", "乙局", 2025, initial=Decimal("20.02"), adjusted=Decimal("50.00"),
                     executed=Decimal("50.00"), authorized=5, in_post=5),
             summary("c.yaml", "丙局", 2024, initial=Decimal("3000.00"), authorized=7, in_post=7),
             summary("d.yaml", "丁局", 2025, errors=1, warnings=2, initial=Decimal("4000.00")),
             summary("e.yaml", "戊局", 2025, initial=Decimal("0.03"), adjusted=Decimal("1.00"), authorized=1,
                     in_post=1)]
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(workbook_bytes(files))
    book = openpyxl.load_workbook(out)  # openpyxl keeps the formulas and drops the cached values
    book["部门汇总"].row_dimensions[3].hidden = True  # 乙局
    hidden = tmp_path / "筛选.xlsx"
    book.save(hidden)
    done = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "lo"),
                           str(hidden)], capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "lo" / "筛选.csv"
    assert done.returncode == 0 and converted.is_file(), done.stderr
    import csv

    header, *rows = list(csv.reader(converted.read_text(encoding="utf-8").splitlines()))
    total = dict(zip(header, rows[-1], strict=True))
    assert total["部门"] == "合计：2025 年度、没有错误的 2 个部门（同一部门只计一份）"  # 甲局 and 戊局 are shown
    assert total["年初预算数（万元）"] == "100.13"  # neither 2024's 3000 nor the 4000 of a file with an error
    assert (total["全年预算数（报告，万元）"], total["全年执行数（报告，万元）"]) == ("201.00", "150.00")
    assert total["执行率（报告）"] == "75.00%"  # 150 ÷ 200: 戊局 states no 执行数, so its 预算数 stays out
    assert (total["编制（人）"], total["在职（人）"], total["在职人员控制率"]) == ("11", "10", "90.91%")
    assert (total["错误"], total["警告"]) == ("1", "2")  # every row shown


def test_a_defect_met_in_one_file_costs_only_its_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One department's file that trips a bug in selfeval used to stop the summary: no workbook for anyone.
    from selfeval_cli.checks.validation import validate_file as real
    from selfeval_cli.commands import summary

    def planted(source: Path, **kwargs: Any) -> Any:
        if source.name == "b.yaml":
            raise ZeroDivisionError("planted")
        return real(source, **kwargs)

    monkeypatch.setattr(summary, "validate_file", planted)
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(OTHER, folder / "a.yaml")
    shutil.copy(OTHER, folder / "b.yaml")
    rows = [summary.summarize_file(path) for path in sorted(folder.iterdir())]
    assert [row.row.errors for row in rows] == [0, 1]
    broken = rows[1]
    assert broken.row.note.startswith("内部错误（ZeroDivisionError: planted）：这是 selfeval 的缺陷")
    assert (broken.row.file, broken.row.name, broken.row.year, broken.row.warnings) == (str(folder / "b.yaml"), "",
                                                                                          None, 0)
    assert [p.code for p in broken.problems] == ["internal"] and broken.modified is None
    assert rows[0].row.name == "青山县文化旅游广电体育局"
