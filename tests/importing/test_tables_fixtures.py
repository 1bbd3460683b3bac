"""selfeval import of 自评表 files: the fixtures of tests/fixtures/tables (each with a known 总分),
the .xls and the PDF made from them by LibreOffice, a table whose typed figures are wrong, and the
command line with a table alone or beside the report."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.model.assessment import Assessment
from selfeval_cli.model.scoring import ScoredTable, score_table
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.vocabulary import TO_FILL

from ..conftest import FIXTURES, TABLE_EXAMPLE, to_pdf

TABLES = FIXTURES / "tables"


def make_tables() -> ModuleType:
    """The fixtures' generator (a script beside them, not a package)."""
    spec = importlib.util.spec_from_file_location("make_tables", TABLES / "make_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = make_tables()


def table_errors(path: Path) -> list[Problem]:
    """The errors ``validate`` finds in the imported ``assessment`` (the rest of a table-only file is 待填)."""
    return [p for p in validate_file(path).problems
            if p.path.startswith("assessment") and p.severity is Severity.ERROR]


def imported_table(path: Path) -> tuple[dict[str, Any], ScoredTable]:
    """The ``assessment`` data of an imported file and its computed view."""
    loaded = validate_file(path).loaded
    assert loaded is not None
    data = loaded.data["assessment"]
    return data, score_table(Assessment.model_validate(data))


def reviews(path: Path) -> list[dict[str, str]]:
    loaded = validate_file(path).loaded
    assert loaded is not None
    return list(loaded.data.get("review", []))


def imported(source: Path, folder: Path, **options: Any) -> Path:
    result = import_report(source, folder / "imported.yaml", **options)
    assert result.output is not None, [p.format() for p in result.problems]
    return result.output


@pytest.mark.parametrize("name", ["national_grid.xlsx", "flat_export.xlsx", "old_scheme.docx"])
def test_each_fixture_imports_to_a_valid_table_with_its_total(name: str, tmp_path: Path) -> None:
    source = MAKE.WRITERS[name](tmp_path / name)
    out = imported(source, tmp_path, year=2025)
    assert table_errors(out) == []
    _, table = imported_table(out)
    assert table.total_score == MAKE.TOTALS[name]
    assert table.total_weight == 100


def test_the_national_grid_reads_merged_side_labels_and_weights_in_names(tmp_path: Path) -> None:
    out = imported(MAKE.national_grid(tmp_path / "t.xlsx"), tmp_path)
    data, table = imported_table(out)
    assert [(f["name"], f["weight"]) for f in data["indicators"]] == [("产出指标", 50), ("效益指标", 30),
                                                                       ("满意度指标", 10)]
    assert data["unit"] == "青禾县水利局" and data["supervisor"] == "青禾县人民政府"
    assert data["contact"] == "孙青禾" and data["phone"] == "0000-7654321"
    first = data["indicators"][0]["children"][0]["indicators"]
    assert first[1] == {"name": "河道清淤长度", "kind": "正向", "unit": "公里", "target": 15 + 20,
                        "actual": Decimal("31.5"), "weight": 10, "reason": "两段河道汛期无法施工，顺延至次年枯水期。"}
    cost = data["indicators"][0]["children"][3]["indicators"][0]
    assert (cost["kind"], cost["unit"], cost["target"]) == ("反向", "万元/处", 120)
    qualitative = data["indicators"][1]["children"][0]["indicators"][1]
    assert (qualitative["kind"], qualitative["actual"], qualitative["grade"], qualitative["score"]) == (
        "定性", "明显提升", "达成", 9)
    assert [row.rate for row in (table.funding.total, *table.funding.parts)] == [
        Decimal("96.92"), Decimal("97.29"), Decimal("81.82"), None]
    assert reviews(out) == [{"path": "year", "reason": "年度取自报告标题“2025年度部门整体支出绩效自评表”，请核对"}]


def test_the_flat_export_reads_repeated_names_kind_and_unit_columns(tmp_path: Path) -> None:
    out = imported(MAKE.flat_export(tmp_path / "t.xlsx"), tmp_path, year=2025)
    data, _ = imported_table(out)
    assert [second["name"] for first in data["indicators"] for second in first["children"]] == [
        "数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标"]
    rows = [ind for first in data["indicators"] for second in first["children"] for ind in second["indicators"]]
    assert [(r["kind"], r.get("unit")) for r in rows[:5]] == [
        ("正向", "万人"), ("正向", "万剂次"), ("等于", "%"), ("正向", "%"), ("反向", "元")]
    assert rows[3]["actual"] == Decimal("98.6")  # a General float, through Decimal(str(value))
    assert (rows[6]["kind"], rows[6]["grade"], rows[7]["grade"]) == ("定性", "部分达成", "达成")
    assert data["funding"]["total"] == {"name": "年度资金总额", "initial": Decimal("1520.40"),
                                        "budget": Decimal("1602.75"), "executed": Decimal("1498.30")}
    assert [part["name"] for part in data["funding"]["parts"]] == ["财政拨款", "其他资金"]
    assert reviews(out) == []  # its 合计 leaves the 执行率 out, and agrees with the indicators


def test_the_old_scheme_reads_blank_cells_a_subtotal_and_an_unscored_rate(tmp_path: Path) -> None:
    out = imported(MAKE.old_scheme(tmp_path / "t.docx"), tmp_path)
    data, table = imported_table(out)
    assert [(f["name"], f.get("weight")) for f in data["indicators"]] == [
        ("投入", 15), ("过程", 40), ("产出", None), ("效果", None)]
    assert [len(second["indicators"]) for first in data["indicators"] for second in first["children"]] == [
        3, 2, 2, 1, 1]
    assert data["funding"]["weight"] == 0 and data["funding"]["basis"] == "年初预算数"
    assert table.funding.total.rate == Decimal("95.32")
    rows = [row.indicator for _, _, row in table.indicators()]
    assert [r.kind for r in rows] == ["反向", "反向", "正向", "正向", "按评分标准", "定性", "等于", "正向", "正向"]
    reasons = [entry["reason"] for entry in reviews(out)]
    assert any("表1 第3行的预算执行率没有写分值" in r and "读作 0" in r for r in reasons)
    # The 结转结余控制 rule is read as 按评分标准 with nothing to review: the table writes the grade of its 定性
    # row (部分达成), so a text row without one is scored by its rule.
    assert not any("表3 第6行第5列没有写评价等级" in r for r in reasons)


def test_a_scoring_table_imports_with_its_funding_and_goals_to_fill(tmp_path: Path) -> None:
    out = imported(MAKE.scoring_table(tmp_path / "t.xlsx"), tmp_path)
    assert sorted(p.path for p in table_errors(out)) == [
        "assessment.funding.total.budget", "assessment.funding.total.executed", "assessment.funding.total.initial",
        "assessment.goals[0].result", "assessment.goals[0].target"]
    text = out.read_text(encoding="utf-8")
    for value, filled in (("initial: 待填", "initial: 1000"), ("budget: 待填", "budget: 1000"),
                          ("executed: 待填", "executed: 980"), ("target: 待填", "target: 保障救助"),
                          ("result: 待填", "result: 应救尽救")):
        text = text.replace(value, filled, 1)
    out.write_text(text, encoding="utf-8")
    assert table_errors(out) == []
    data, table = imported_table(out)
    assert table.total_score == MAKE.TOTALS["scoring_table.xlsx"] and table.funding.weight == 0
    assert data["unit"] == "石门县民政局"
    rows = [row.indicator for _, _, row in table.indicators()]
    assert {r.kind for r in rows} == {"按评分标准"}
    assert rows[2].target == "编制规范、测算依据充分得满分，酌情扣分"
    assert rows[2].reason == "个别项目测算依据不足，扣1分。"
    assert rows[0].reason is None  # "无" is no reason
    reasons = [entry["reason"] for entry in reviews(out)]
    assert any("原表是评分表，10 项指标" in r for r in reasons) and any("原表没有资金情况" in r for r in reasons)
    assert not any("总分" in r and "不符" in r for r in reasons)  # its 合计 and 自评总分 are the computed 92.50


def test_typed_figures_that_disagree_give_one_entry_per_cell(tmp_path: Path) -> None:
    report = tmp_path / "report.docx"
    assert build_report(FIXTURES / "other_department.yaml", report).output == report
    out = imported(report, tmp_path, table=MAKE.national_grid(tmp_path / "t.xlsx", slips=True))
    cells = sorted(entry["reason"].split("的")[0] for entry in reviews(out) if "不符" in entry["reason"])
    assert cells == ["自评表!H15", "自评表!H24", "自评表!I6"]
    # The 得分 the rules give otherwise is kept, so validate says it at its line too (once the rest of
    # the file is valid: the cross-checks run on a valid report).
    [error] = table_errors(out)
    assert error.path == "assessment.indicators[0].children[0].indicators[1].score" and error.line > 0
    assert "得分应为 9.00，填写的是 10.00" in error.message


def soffice_or_skip() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed: the .xls is made and read through it (CI installs it)")


def test_the_flat_export_as_xls(tmp_path: Path) -> None:
    soffice_or_skip()
    xlsx = MAKE.flat_export(tmp_path / "flat_export.xlsx")
    folder = tmp_path / "xls"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(folder), str(xlsx)], check=True, capture_output=True,
                   timeout=120)
    out = imported(folder / "flat_export.xls", tmp_path, year=2025)
    assert table_errors(out) == []
    assert imported_table(out)[1].total_score == MAKE.TOTALS["flat_export.xlsx"]
    assert reviews(out) == []


def test_the_pdf_of_a_table_selfeval_built(tmp_path: Path) -> None:
    built = tmp_path / "example.docx"
    assert build_report(TABLE_EXAMPLE, built).output == built
    out = imported(to_pdf(built), tmp_path)
    assert table_errors(out) == []
    expected = validate_file(TABLE_EXAMPLE).report
    assert expected is not None and expected.assessment is not None
    _, table = imported_table(out)
    assert table.total_score == score_table(expected.assessment).total_score
    # The report after the landscape 附件1 reads as a report: the table's pages have margins of their
    # own (else the last note under the table runs on into “附件2”), and no table is kept as text.
    result = validate_file(out)
    assert [p.format() for p in result.problems if p.severity is Severity.ERROR] == []
    assert result.report is not None and result.report.department.name == expected.department.name
    assert "unplaced" not in result.report.sections


def test_the_report_and_its_table_in_one_word_file(tmp_path: Path) -> None:
    built = tmp_path / "example.docx"
    assert build_report(TABLE_EXAMPLE, built).output == built
    out = imported(built, tmp_path)
    result = validate_file(out)
    assert result.parsed is not None and result.parsed.assessment is not None
    expected = validate_file(TABLE_EXAMPLE).report
    assert expected is not None and expected.assessment is not None
    assert score_table(result.parsed.assessment).total_score == score_table(expected.assessment).total_score
    assert result.parsed.department.name == expected.department.name  # the report's fields too
    assert "sections" not in (result.loaded.data if result.loaded else {})  # no table kept as text


def test_the_command_line_takes_a_table_alone_or_beside_the_report(tmp_path: Path) -> None:
    runner = CliRunner()
    table = MAKE.flat_export(tmp_path / "自评表.xlsx")
    alone = tmp_path / "alone.yaml"
    result = runner.invoke(cli, ["import", str(table), "-o", str(alone), "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert imported_table(alone)[1].total_score == MAKE.TOTALS["flat_export.xlsx"]
    report = tmp_path / "report.docx"
    assert build_report(FIXTURES / "other_department.yaml", report).output == report
    both = tmp_path / "both.yaml"
    for order in ([report, table], [table, report]):  # a workbook is the table wherever it stands
        result = runner.invoke(cli, ["import", *map(str, order), "-o", str(both), "--force"])
        assert result.exit_code == 0, result.output
        parsed = validate_file(both).parsed
        assert parsed is not None and parsed.assessment is not None
        assert parsed.department.name == "青山县文化旅游广电体育局"
    result = runner.invoke(cli, ["import", str(report), str(table), str(table), "-o", str(both)])
    assert result.exit_code == 2 and "最多给两个文件" in result.output


def test_a_table_file_without_a_table_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    sheet.append(["项目", "金额"])
    book.save(tmp_path / "other.xlsx")
    result = import_report(tmp_path / "other.xlsx", tmp_path / "out.yaml", year=2025)
    assert result.output is None
    assert "其中没有找到自评表" in result.problems[0].message


def test_a_broken_workbook_is_refused_with_a_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip at all")
    result = import_report(broken, tmp_path / "out.yaml", year=2025)
    assert result.output is None
    assert "不是可以读取的 Excel（.xlsx）文件" in result.problems[0].message


def test_new_year_rolls_an_imported_table_like_a_typed_one(tmp_path: Path) -> None:
    from selfeval_cli.commands.newyear import make_next_year

    report = tmp_path / "report.docx"
    assert build_report(FIXTURES / "other_department.yaml", report).output == report
    out = imported(report, tmp_path, table=MAKE.national_grid(tmp_path / "t.xlsx"))
    assert [p.format() for p in validate_file(out).problems if p.severity is Severity.ERROR] == []
    rolled = make_next_year(out, tmp_path / "next.yaml")
    assert rolled.output == tmp_path / "next.yaml"
    loaded = validate_file(rolled.output).loaded
    assert loaded is not None
    table = loaded.data["assessment"]
    rows = [row for first in table["indicators"] for second in first["children"] for row in second["indicators"]]
    assert {row["actual"] for row in rows} == {TO_FILL} and rows[0]["target"] == 12
    assert table["funding"]["total"]["executed"] == TO_FILL
