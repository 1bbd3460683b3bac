"""selfeval summary: the bureau's workbook over many departments, read back with openpyxl."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from xlsxwriter.utility import xl_col_to_name

from selfeval_cli.cli import cli

from ..conftest import EXAMPLE, FIXTURES, TABLE_EXAMPLE


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """The published example, the full example, a file with errors and a file that is not YAML."""
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a_教育局.yaml")
    shutil.copy(TABLE_EXAMPLE, folder / "b_文旅局.yaml")
    shutil.copy(FIXTURES / "table_four_mistakes.yaml", folder / "c_有错误.yaml")
    (folder / "d_不是数据.yaml").write_bytes(b"PK\x03\x04\x00\x00binary")
    return folder


def rows(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_workbook_holds_figures_rates_grades_and_problems(district: Path, tmp_path: Path,
                                                                runner: CliRunner, start_method: str) -> None:
    out = tmp_path / "汇总.xlsx"
    result = runner.invoke(cli, ["summary", str(district), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "已汇总 4 个文件" in result.output and "其中 2 个有错误" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["部门汇总", "问题清单", "自评指标"]
    departments = rows(book["部门汇总"])
    published, full, wrong, broken, total = departments
    assert (published["部门"], published["年度"], published["计入合计"]) == ("株洲市渌口区教育局", 2024, "否")
    assert "2024 年度的文件，本表汇总 2025 年度，未计入合计" in published["说明"]
    assert published["年初预算数（万元）"] == 795.63
    assert published["全年执行数（报告，万元）"] is None and published["警告"] == 2 and published["错误"] == 0
    assert full["执行率（报告）"] == pytest.approx(0.9762) and full["在职人员控制率"] == pytest.approx(0.9444)
    assert full["执行率（自评表）"] == pytest.approx(0.9737)  # what its own 附件1 shows
    assert (full["自评总分"], full["等级"], full["“三公”经费（万元）"], full["计入合计"]) == (95.99, "优", 13.15, "是")
    assert full["“三公”经费变动率"] == pytest.approx(-0.0471)
    # Figures of a file whose checks found errors are still read; its first error says why it fails.
    assert wrong["自评总分"] == 90.99 and wrong["错误"] == 3 and "自评得分97分" in wrong["说明"]
    assert wrong["计入合计"] == "否" and wrong["全年预算数（报告，万元）"] is None  # its report states none…
    assert wrong["全年预算数（自评表，万元）"] == 1302.60  # …and the 自评表's is not passed off as the report's
    assert broken["部门"] is None and "不是文本文件" in broken["说明"] and broken["错误"] == 1
    assert broken["计入合计"] == "否"
    errors_column = xl_col_to_name(list(total).index("错误"))
    assert total["部门"].startswith('="合计：2025 年度、没有错误的 "&SUMPRODUCT(SUBTOTAL(103,OFFSET(C2,')
    assert total["错误"] == f"=SUBTOTAL(109,{errors_column}2:{errors_column}5)"
    assert full["本年收入（万元）"] == 1282.6 and full["收入同比"] is not None
    sheet = book["部门汇总"]
    assert sheet["E6"].value == '=SUMPRODUCT(SUBTOTAL(109,OFFSET(E2,ROW(E2:E5)-ROW(E2),0)),--(C2:C5="是"))'
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:Z5"
    assert sheet["E2"].number_format == "#,##0.00" and sheet["H3"].number_format == "0.00%"
    # Cached values of the formulas, for readers that do not compute: only the one counted file is added.
    cached = openpyxl.load_workbook(out, data_only=True)["部门汇总"]
    assert cached["A6"].value == "合计：2025 年度、没有错误的 1 个部门（同一部门只计一份）"
    assert Decimal(str(cached["E6"].value)) == Decimal("1250.80")
    assert cached[f"{errors_column}6"].value == 4  # 3 errors in one file, 1 in another: every row's
    assert cached["H6"].value == pytest.approx(1240.60 / 1270.80)  # the report's, not mixed with a 自评表's
    assert cached["K6"].value == pytest.approx(1268.40 / 1302.60)
    problems = rows(book["问题清单"])
    wrong_lines = [(p["行"], p["级别"], p["字段"]) for p in problems if p["数据文件"].endswith("c_有错误.yaml")]
    assert wrong_lines == [(23, "错误", "verdict"), (153, "错误", "assessment.indicators"),
                           (186, "错误", "assessment.indicators[0].children[2].indicators[0].score"),
                           (204, "警告", "assessment.indicators[1].children[0].indicators[1]")]
    indicators = rows(book["自评指标"])
    timely = next(r for r in indicators
                  if r["三级指标"] == "项目按期完成率" and r["数据文件"].endswith("b_文旅局.yaml"))
    assert (timely["一级指标"], timely["年度指标值"], timely["实际完成值"], timely["得分"]) == \
        ("产出指标", "≥100%", "87.5%", 8.75)
    assert sum(1 for r in indicators if r["部门"] == "示例县文化旅游广电体育局") == 20  # two files, ten rows each


def test_csv_has_a_bom_and_the_first_sheet_without_a_total_row(district: Path, tmp_path: Path,
                                                                runner: CliRunner) -> None:
    out = tmp_path / "汇总.csv"
    assert runner.invoke(cli, ["summary", str(district), "-o", str(out)]).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("部门,年度,计入合计,提纲,年初预算数（万元）") and len(lines) == 5  # no 合计 line
    assert ("示例县文化旅游广电体育局,2025,是,hunan,1250.80,1270.80,1240.60,97.62%,1302.60,1268.40,97.37%,"
            in lines[2])


def test_an_output_that_is_an_input_is_refused(district: Path, runner: CliRunner) -> None:
    target = district / "a_教育局.yaml"
    before = target.read_bytes()
    result = runner.invoke(cli, ["summary", str(district), "-o", str(target)])
    assert result.exit_code == 2 and "汇总表只能写成 .xlsx 或 .csv 文件" in result.output  # refused by its name
    assert target.read_bytes() == before
    named = district / "e.csv"  # a file given by name is an input whatever its suffix
    named.write_bytes(before)
    result = runner.invoke(cli, ["summary", str(named), "-o", str(named)])
    assert result.exit_code == 1 and "输出文件不能是输入文件本身" in result.output
    assert named.read_bytes() == before


@pytest.mark.pdf
def test_libreoffice_opens_the_workbook(district: Path, tmp_path: Path, runner: CliRunner) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    out = tmp_path / "汇总.xlsx"
    assert runner.invoke(cli, ["summary", str(district), "-o", str(out)]).exit_code == 0
    done = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",  # 76: UTF-8
                           "--outdir", str(tmp_path / "lo"), str(out)],
                          capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "lo" / "汇总.csv"
    assert done.returncode == 0 and converted.is_file(), done.stderr
    text = converted.read_text(encoding="utf-8", errors="replace")
    assert "示例县文化旅游广电体育局" in text and "95.99" in text
    # LibreOffice computes the totals itself (OFFSET is volatile) and gets what selfeval cached: one file counted.
    total = text.splitlines()[-1]
    assert total.startswith('合计：2025 年度、没有错误的 1 个部门（同一部门只计一份）,,,,"1,250.80","1,270.80"')
