"""What ``selfeval summary`` reads and what it writes: the folders it walks, the names it refuses, the
amounts of a file in 元 as the report prints them, and a workbook that prints one page wide."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from selfeval_cli import api
from selfeval_cli.cli import cli
from selfeval_cli.commands.summary import DepartmentRow, FileSummary, data_files, summarize_file
from selfeval_cli.commands.workbook import A3, A4, HEADER_HEIGHT, paper_for, workbook_bytes
from selfeval_cli.errors import UsageError
from selfeval_cli.render.outline_folders import templates_root

from ..conftest import EXAMPLE, OTHER, TABLE_EXAMPLE, edited_copy

# ── Names refused ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ["汇总.txt", "zz.yaml", "汇总", "汇总.xls"])
def test_an_output_not_named_xlsx_or_csv_is_refused_before_anything_is_read(name: str, tmp_path: Path,
                                                                             runner: CliRunner) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(OTHER, folder / "a.yaml")
    out = folder / name  # 各单位/zz.yaml would be read as a department's broken file next time
    result = runner.invoke(cli, ["summary", str(folder), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    stem = out.with_suffix("")
    assert f"错误：汇总表只能写成 .xlsx 或 .csv 文件，“{out}”" in result.output
    assert f"请改为 {stem}.xlsx 或 {stem}.csv" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml"]
    with pytest.raises(UsageError):
        api.summarize([folder], out)


@pytest.mark.parametrize(("name", "written"), [("汇总.XLSX", b"PK"), ("汇总.Csv", b"\xef\xbb\xbf")])
def test_the_suffix_may_be_in_capitals(name: str, written: bytes, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / name
    assert runner.invoke(cli, ["summary", str(OTHER), "-o", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(written)


def test_a_format_that_contradicts_the_suffix_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "汇总.xlsx"
    result = runner.invoke(cli, ["summary", str(OTHER), "-o", str(out), "--format", "csv"])
    assert result.exit_code == 2 and not out.exists()
    assert f"--format csv 与输出文件“{out}”的扩展名 .xlsx 不一致：请改为 {tmp_path / '汇总.csv'}" in result.output
    agreeing = tmp_path / "汇总.csv"
    assert runner.invoke(cli, ["summary", str(OTHER), "-o", str(agreeing), "--format", "csv"]).exit_code == 0


# ── Folders walked ────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """A bureau's folder with a department in a subfolder, one two levels down, and what is not a department:
    a hidden folder, a department's own outline folder and form folder, and a folder of reports."""
    folder = tmp_path / "各单位"
    (folder / "乡镇" / "甲镇").mkdir(parents=True)
    shutil.copy(OTHER, folder / "青山局.yaml")
    shutil.copy(TABLE_EXAMPLE, folder / "乡镇" / "文旅局.yml")
    shutil.copy(EXAMPLE, folder / "乡镇" / "甲镇" / "教育局.YAML")
    (folder / ".git").mkdir()
    (folder / ".git" / "config.yaml").write_text("core: {}\n", encoding="utf-8")
    shutil.copytree(templates_root() / "hunan", folder / "文旅局提纲")  # has outline.yaml
    shutil.copytree(templates_root() / "forms" / "national", folder / "自评表格式")  # has form.yaml
    (folder / "报告").mkdir()
    (folder / "报告" / "青山局.docx").write_bytes(b"PK")
    return folder


def test_subfolders_are_read_and_template_and_hidden_folders_are_not(nested: Path) -> None:
    assert data_files(nested) == [nested / "青山局.yaml", nested / "乡镇" / "文旅局.yml",
                                  nested / "乡镇" / "甲镇" / "教育局.YAML"]
    assert data_files(nested / "报告") == []


def test_the_summary_of_a_folder_has_a_row_for_each_file_below_it(nested: Path, tmp_path: Path,
                                                                   runner: CliRunner) -> None:
    out = nested / "汇总.xlsx"  # written into the folder: not read as a department next time
    for _ in range(2):
        result = runner.invoke(cli, ["summary", str(nested), "-o", str(out), "-j", "1"])
        assert result.exit_code == 0 and "已汇总 3 个文件" in result.output, result.output
    files = [row[-1] for row in openpyxl.load_workbook(out)["部门汇总"].iter_rows(min_row=2, values_only=True)]
    assert files == [str(nested / "青山局.yaml"), str(nested / "乡镇" / "文旅局.yml"),
                     str(nested / "乡镇" / "甲镇" / "教育局.YAML"), None]  # and the total row


def test_a_subfolder_that_cannot_be_listed_gets_a_row_of_its_own(nested: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    listed = os.scandir
    locked = nested / "乡镇"

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "权限不够", str(locked))
        return listed(path)

    monkeypatch.setattr(os, "scandir", scandir)  # as root, a mode of 000 would not keep the test out
    assert data_files(nested) == [nested / "青山局.yaml", locked]
    assert "是一个目录" in summarize_file(locked).row.note  # its row says it was not read as a data file


def test_a_folder_without_data_files_still_gets_its_row(tmp_path: Path, runner: CliRunner) -> None:
    empty = tmp_path / "空"
    (empty / "子目录").mkdir(parents=True)
    out = tmp_path / "汇总.csv"
    assert runner.invoke(cli, ["summary", str(empty), "-o", str(out)]).exit_code == 0
    [line] = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert "这是一个目录，其中没有 .yaml/.yml 数据文件" in line and line.endswith(str(empty))


# ── Amounts of a file in 元 ──────────────────────────────────────────────────────────────────

# The fictional department in 元, with amounts that are not whole 万元: 12345678.90 元 is 1234.56789 万元, and
# 12345650.00 元 is 1234.565 万元 — half a cent, which goes up (half-even rounding would print 1234.56).
IN_YUAN = (
    ("year: 2025\n", "year: 2025\nmoney_unit: 元\n"),
    ("budget:\n  amount: 1250.80\n", "budget:\n  amount: 12345678.90\n  adjusted: 13000000.00\n"
                                      "  executed: 12345650.00\n"),
    ("    amount: 850.80\n", "    amount: 8345678.90\n"),
    ("        amount: 600.50\n", "        amount: 6005000.00\n"),
    ("        amount: 200.30\n", "        amount: 2002000.00\n"),
    ("        amount: 50.00\n", "        amount: 338678.90\n"),
    ("    amount: 400.00\n", "    amount: 4000000.00\n"),
    ("        amount: 320.00\n", "        amount: 3200000.00\n"),
    ("        amount: 80.00\n", "        amount: 800000.00\n"),
)
ROUNDED = {"年初预算数（万元）": "1234.57", "全年预算数（报告，万元）": "1300.00",
           "全年执行数（报告，万元）": "1234.57", "基本支出（万元）": "834.57", "项目支出（万元）": "400.00"}


@pytest.fixture
def in_yuan(tmp_path: Path) -> Path:
    source = edited_copy(OTHER, tmp_path, IN_YUAN, "元.yaml")
    assert summarize_file(source).problems == []
    return source


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_a_file_in_yuan_has_the_printed_wan_yuan_in_its_cells(in_yuan: Path, tmp_path: Path,
                                                               runner: CliRunner) -> None:
    row = summarize_file(in_yuan).row
    assert (row.initial, row.executed, row.basic) == (Decimal("1234.57"), Decimal("1234.57"), Decimal("834.57"))
    assert row.rate == Decimal("94.97")  # from the exact amounts, as the report computes it: 1234.565 ÷ 1300
    out = tmp_path / "汇总.xlsx"
    assert runner.invoke(cli, ["summary", str(in_yuan), "-o", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out)["部门汇总"]
    header = [c.value for c in sheet[1]]
    cells = {h: sheet.cell(2, header.index(h) + 1) for h in ROUNDED}
    for h, shown in ROUNDED.items():
        assert cells[h].data_type == "n" and Decimal(str(cells[h].value)) == Decimal(shown), h
        assert cells[h].number_format == "#,##0.00"
    # The file holds the decimal itself, not a float's digits: <v>1234.57</v>, never 1234.56789 or 1234.5650000000001.
    values = re.findall(r'<c r="([A-Z]+)2"[^>]*><v>([^<]*)</v>', sheet_xml(out))
    written = dict(values)
    for h, shown in ROUNDED.items():
        assert Decimal(written[cells[h].column_letter]) == Decimal(shown) and "." in written[cells[h].column_letter]
        assert len(written[cells[h].column_letter].split(".")[1]) <= 2, (h, written[cells[h].column_letter])
    # The total adds the rounded cells: what the sheet shows adds up.
    cached = openpyxl.load_workbook(out, data_only=True)["部门汇总"]
    for h, shown in ROUNDED.items():
        assert Decimal(str(cached.cell(3, header.index(h) + 1).value)) == Decimal(shown), h


def test_the_csv_and_the_workbook_show_the_same_amounts(in_yuan: Path, tmp_path: Path, runner: CliRunner) -> None:
    csv_out, xlsx_out = tmp_path / "汇总.csv", tmp_path / "汇总.xlsx"
    for out in (csv_out, xlsx_out):
        assert runner.invoke(cli, ["summary", str(in_yuan), "-o", str(out)]).exit_code == 0
    header, line = (row.split(",") for row in csv_out.read_text(encoding="utf-8-sig").splitlines())
    shown = dict(zip(header, line, strict=True))
    sheet = openpyxl.load_workbook(xlsx_out)["部门汇总"]
    cells = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    for h, expected in ROUNDED.items():
        assert shown[h] == expected and Decimal(str(cells[h])) == Decimal(expected), h


# ── Printing ──────────────────────────────────────────────────────────────────────────────────


def many(count: int) -> list[FileSummary]:
    """``count`` departments of this year with every figure, as the sheet's widest rows are."""
    rows = []
    for i in range(count):
        name = f"示例县第{i + 1}局"
        row = DepartmentRow(f"各单位/{name}.yaml", name, 2025, "hunan", Decimal("1250.80"), Decimal("1270.80"),
                            Decimal("1240.60"), Decimal("97.62"), Decimal("1302.60"), Decimal("1268.40"),
                            Decimal("97.37"), Decimal("850.80"), Decimal("400.00"), Decimal("1282.60"),
                            Decimal("7.75"), Decimal("13.15"), Decimal("-4.71"), 36, 34, Decimal("94.44"),
                            Decimal("95.99"), "优", 0, 1, "文件不是 UTF-8 编码，已按 GB18030（GBK）读取")
        rows.append(FileSummary(Path(row.file), row))
    return rows


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_on_each_page(tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(workbook_bytes(many(3)))
    book = openpyxl.load_workbook(out)
    for sheet in book:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, sheet.title  # 1 wide, as many down
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.print_options.gridLines is True, sheet.title
        assert sheet.oddFooter.left.text == "&A" and sheet.oddFooter.right.text == "第 &P 页，共 &N 页"
        assert sheet.row_dimensions[1].height == HEADER_HEIGHT, sheet.title
    assert book["部门汇总"].page_setup.paperSize == A3  # 26 columns: A4 would print them below 75 %
    assert book["问题清单"].page_setup.paperSize == A4  # six columns, empty


def test_the_paper_is_a4_while_the_sheet_fits_it_at_three_quarters() -> None:
    assert paper_for([10.0] * 18) == A4  # 18 × 75 px = 1350 px; at 75 % 1012 px ≤ 1046
    assert paper_for([10.0] * 19) == A3


def test_a_total_wider_than_its_rows_widens_its_column(tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    rows = many(2)
    big = [FileSummary(s.source, DepartmentRow(**{**s.row.__dict__, "initial": Decimal("999999999999.99")}))
           for s in rows]
    out.write_bytes(workbook_bytes(big))
    sheet = openpyxl.load_workbook(out)["部门汇总"]
    width = sheet.column_dimensions["E"].width
    assert width >= len("1,999,999,999,999.98")  # not ### under a total of two such amounts


@pytest.mark.pdf
def test_libreoffice_prints_the_department_sheet_one_page_wide(tmp_path: Path) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are not installed (CI installs them)")
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(workbook_bytes(many(250)))
    done = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(out)],
                          capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "lo" / "汇总.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
             for n in range(1, int(re.search(r"Pages:\s+(\d+)", info)[1]) + 1)]  # type: ignore[index]
    department = [text for text in pages if "部门汇总" in text]
    assert 2 <= len(department) <= 5, len(department)  # 250 rows: a few pages down
    for text in department:  # every page has the first and the last column's header: one page wide
        assert "部门" in text and "数据文件" in text and "第 " in text
    sizes = re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes and all(float(w) > float(h) for w, h in sizes)  # landscape
    assert sizes[0] == ("1190.55", "841.89")  # A3
