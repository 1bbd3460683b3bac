"""A data file in 元 (``money_unit: 元``): exact to the fen, checked and summed as such, printed in 万元."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report

from ..conftest import OTHER, edited_copy
from ..docx_read import open_docx

AMOUNT = re.compile(r"((?:amount|previous|adjusted|executed|budget|actual|fixed_assets): )(\d+\.\d+)")


def in_yuan(folder: Path) -> Path:
    """The fictional department with every amount written in 元 (it has no other decimals)."""
    text = OTHER.read_text(encoding="utf-8")
    text = AMOUNT.sub(lambda m: m[1] + f"{Decimal(m[2]) * 10000:.2f}", text)
    target = folder / "yuan.yaml"
    target.write_text(text.replace("year: 2025\n", "year: 2025\nmoney_unit: 元\n", 1), encoding="utf-8")
    return target


def test_the_twin_in_yuan_builds_and_summarises_the_same(tmp_path: Path, runner: CliRunner) -> None:
    twin = in_yuan(tmp_path)
    assert "  amount: 12508000.00\n" in twin.read_text(encoding="utf-8")
    assert validate_file(twin).problems == []
    assert build_report(twin, tmp_path / "yuan.docx").output is not None
    assert build_report(OTHER, tmp_path / "wan.docx").output is not None
    assert (tmp_path / "yuan.docx").read_bytes() == (tmp_path / "wan.docx").read_bytes()
    for name, source in (("yuan.csv", twin), ("wan.csv", OTHER)):
        assert runner.invoke(cli, ["summary", str(source), "-o", str(tmp_path / name)]).exit_code == 0
    figures = [(tmp_path / name).read_text(encoding="utf-8-sig").splitlines()[1].split(",")[1:-1]
               for name in ("yuan.csv", "wan.csv")]
    assert figures[0] == figures[1]


def test_amounts_to_the_fen_are_exact_and_printed_half_up(tmp_path: Path) -> None:
    twin = in_yuan(tmp_path)
    source = edited_copy(twin, tmp_path, [  # 800000.05 元 is 80.000005 万元; the totals add up to the fen
        ("      - name: 全民健身活动\n        amount: 800000.00\n",
         "      - name: 全民健身活动\n        amount: 800000.05\n"),
        ("    amount: 4000000.00\n", "    amount: 4000000.05\n"),
        ("  amount: 12508000.00\n", "  amount: 12508000.05\n")], name="fen.yaml")
    result = validate_file(source)
    assert result.problems == [] and result.report is not None
    assert result.report.budget.project.amount == Decimal("400.000005")
    out = tmp_path / "fen.docx"
    assert build_report(source, out).output == out
    texts = [p.text for p in open_docx(out).paragraphs]
    assert any("部门预算项目支出为400.00万元" in text for text in texts)  # 400.000005 → 400.00


def test_a_third_decimal_of_a_yuan_is_refused_in_yuan(tmp_path: Path) -> None:
    source = edited_copy(in_yuan(tmp_path), tmp_path, [("  amount: 12508000.00\n", "  amount: 12508000.005\n")],
                         name="bad.yaml")
    messages = [p.message for p in validate_file(source).problems if p.code == "money_precision"]
    assert messages == ["金额最多保留两位小数（单位元），实际为 12508000.005"]


def test_an_unknown_unit_is_refused(tmp_path: Path) -> None:
    source = edited_copy(OTHER, tmp_path, [("year: 2025\n", "year: 2025\nmoney_unit: 千元\n")])
    problems = [p for p in validate_file(source).problems if p.path == "money_unit"]
    assert len(problems) == 1 and "“万元”" in problems[0].message and "“元”" in problems[0].message


def test_three_public_in_yuan_to_the_fen_is_checked_built_and_summarised(tmp_path: Path, runner: CliRunner) -> None:
    # 52345.67 元 is 5.234567 万元: the items' sum (the "三公" total the checks and the report need) keeps all
    # six decimals, and only the printed figure is rounded. It used to be validated again as 万元: 内部错误.
    three_public = ("three_public:\n"
                    "  abroad: {budget: 0, actual: 0, previous: 0}\n"
                    "  vehicles: {budget: 60000, actual: 52345.67, previous: 58000}\n"
                    "  reception: {budget: 20000, actual: 18000, previous: 21000}\n")
    source = edited_copy(in_yuan(tmp_path), tmp_path, [("\nevaluation:\n", f"\n{three_public}evaluation:\n")],
                         name="three_public.yaml")
    assert validate_file(source).problems == []
    out = tmp_path / "r.docx"
    assert build_report(source, out).output == out
    text = "\n".join(p.text for p in open_docx(out).paragraphs)
    assert "“三公”经费预算8.00万元，实际支出7.03万元，控制率87.93%" in text  # 7.034567 → 7.03; 7.034567/8 → 87.93%
    done = runner.invoke(cli, ["summary", str(source), "-o", str(tmp_path / "s.csv")])
    assert done.exit_code == 0 and "内部错误" not in done.output
