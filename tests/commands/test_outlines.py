"""Outlines chosen by the data: shipped ones, a user's folder, what each needs, batches of mixed outlines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.render.outline_folders import Outline

from ..conftest import EXAMPLE, FIXTURES, OTHER, ROOT, TABLE_EXAMPLE, edited_copy
from ..docx_read import open_docx, style_name

NATIONAL = FIXTURES / "national_outline.yaml"
NATIONAL_HEADINGS = ["基本情况", "绩效评价工作开展情况", "综合评价情况及评价结论", "绩效评价指标分析",
                     "主要经验及做法、存在的问题及原因分析", "有关建议", "其他需要说明的问题"]
HUNAN_HEADINGS = ["预算单位基本情况", "一般公共预算支出情况", "部门整体支出绩效情况", "存在的问题及原因分析",
                  "下一步改进措施", "绩效自评结果拟应用和公开情况"]


def level_1(docx: Path) -> list[str]:
    """The numbered first-level headings of a report, numbers taken off."""
    doc = open_docx(docx)
    return [p.text.split("、", 1)[1] for p in doc.paragraphs if style_name(p) == "Heading 1"]


def test_the_national_outline_in_order(tmp_path: Path) -> None:
    out = tmp_path / "n.docx"
    assert build_report(NATIONAL, out).output == out
    assert level_1(out) == NATIONAL_HEADINGS
    texts = [p.text for p in open_docx(out).paragraphs]
    assert "经评价，2025年度部门整体支出绩效自评得分95.99分，评价等级为“优”。" in texts
    assert "（二）产出指标" in texts and "本年度无其他需要说明的问题。" in texts


def test_what_an_outline_needs_is_a_located_error(tmp_path: Path, runner: CliRunner) -> None:
    conclusion = "conclusion: 全年预算执行总体较好，主要绩效目标基本完成，资金使用规范。\n"
    text = NATIONAL.read_text(encoding="utf-8").replace(conclusion, "")
    source = tmp_path / "n.yaml"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("outline:"))
    assert f"{source}:{line}:10: error: conclusion: 提纲“national”要用到 conclusion" \
           "（综合评价情况及评价结论（三、）），数据中没有：请添加 conclusion" in result.output
    assert result.output.splitlines()[-1] == "共 1 个错误，4 个警告"  # and the four parts national leaves out


def test_an_unknown_outline(tmp_path: Path, runner: CliRunner) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(OTHER.read_text(encoding="utf-8").replace("year: 2025\n", "year: 2025\noutline: 江西\n", 1),
                      encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1 and f"{source}:4:10: error: outline: 没有名为“江西”的提纲" in result.output
    assert "hunan、national" in result.output


def test_one_batch_each_in_its_own_outline(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(OTHER, folder / "a_湖南.yaml")
    shutil.copy(NATIONAL, folder / "b_全国.yaml")
    own = folder / "我的提纲"
    own.mkdir()
    (own / "01_only.j2").write_text("@title {{ attachment.title }}\n# 自定的一章\n{{ verdict }}\n", encoding="utf-8")
    own_text = OTHER.read_text(encoding="utf-8").replace("year: 2025\n", "year: 2025\noutline: 我的提纲\n", 1)
    (folder / "c_自己的.yaml").write_text(own_text, encoding="utf-8")
    assert [p.code for p in validate_file(folder / "c_自己的.yaml").problems] == ["outline_folder"]  # a note only
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(folder), "-o", f"{out}/", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert level_1(out / "a_湖南.docx") == [*HUNAN_HEADINGS, "其他需要说明的情况"]  # its more_sections
    assert level_1(out / "b_全国.docx") == NATIONAL_HEADINGS
    assert level_1(out / "c_自己的.docx") == ["自定的一章"]
    # --templates still overrides the data's choice for one run.
    result = runner.invoke(cli, ["build", str(folder / "b_全国.yaml"), "-o", str(tmp_path / "t.docx"),
                                 "--templates", str(ROOT / "templates" / "hunan")])
    assert result.exit_code == 0 and level_1(tmp_path / "t.docx") == [*HUNAN_HEADINGS, "其他需要说明的情况"]


def test_the_published_example_keeps_the_default_outline(example_docx: Path) -> None:
    assert level_1(example_docx) == HUNAN_HEADINGS
    assert validate_file(EXAMPLE).report is not None


def test_outlines_lists_the_shipped_ones(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["outlines"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("hunan（默认）  部门整体支出绩效自评报告（湖南）")
    assert any(line.startswith("national  部门整体支出绩效评价报告（全国参考提纲）") for line in lines)


def test_parts_an_outline_leaves_out_are_pointed_at(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(NATIONAL)])
    warned = [line.split(": ")[2] for line in result.output.splitlines() if ": warning: " in line]
    assert warned == ["key_work", "improvements", "disclosure", "more_sections"]
    assert "提纲“national”不输出 key_work" in result.output


def test_a_units_duties_are_needed_where_the_outline_prints_them(tmp_path: Path, runner: CliRunner) -> None:
    """The hunan outline prints each unit with its duties: one left out is an error at that unit. The
    national outline names the units in a bracket only: it needs none, and init asks for none."""
    duties = "      duties: 负责机关日常运转、文电、财务和综合协调。\n"
    hunan = edited_copy(TABLE_EXAMPLE, tmp_path, [(duties, "")], name="hunan.yaml")
    result = runner.invoke(cli, ["validate", str(hunan)])
    line = next(n for n, row in enumerate(hunan.read_text(encoding="utf-8").splitlines(), start=1)
                if row.endswith("name: 办公室")) - 1  # the unit's first key, "- kind:"
    assert result.exit_code == 1
    assert f"{hunan}:{line}:7: error: department.units[0].duties: 提纲“hunan”要用到 department.units[].duties" \
        in result.output
    national = edited_copy(NATIONAL, tmp_path, [(duties, "")], name="national.yaml")
    assert runner.invoke(cli, ["validate", str(national)]).exit_code == 0
    for outline, asked in (("hunan", True), ("national", False)):
        target = tmp_path / outline / "x.yaml"
        assert runner.invoke(cli, ["init", str(target), "--outline", outline, "--year", "2025"]).exit_code == 0
        units = target.read_text(encoding="utf-8").split("  units:")[1].split("  staffing:")[0]
        assert ("\n      duties: 待填" in units) is asked


@pytest.mark.parametrize(("requirement", "data", "places"), [
    ("three_public.total", {}, [("three_public", "total")]),  # an absent mapping lacks everything under it
    ("three_public.total", {"three_public": {}}, [("three_public", "total")]),
    ("three_public.total", {"three_public": {"total": {"budget": 1}}}, []),
    ("department.units[].duties",
     {"department": {"units": ["办公室", {"name": "甲"}, {"name": "乙", "duties": "负责。"}]}},
     [("department", "units", 1, "duties")]),  # a unit of another kind is the model's to report
    ("department.units[].duties", {"department": {}}, []),  # no list: the model says units are missing
    ("department.units[].duties", {}, []),
])
def test_what_a_dotted_requirement_finds_missing(requirement: str, data: dict[str, object],
                                                 places: list[tuple[object, ...]]) -> None:
    outline = Outline("x", Path("."), requires={requirement: "说明"})
    assert [path for path, _, _ in outline.missing(data)] == places
