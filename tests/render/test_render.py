"""Templates → blocks: the markup, the shipped outline, user templates and template errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_cli.errors import MarkupError, TemplateError
from selfeval_cli.model.report import Report
from selfeval_cli.render.blocks import Heading, Item, Paragraph, Title, parse_markup
from selfeval_cli.render.sections import default_template_dir, make_environment, render_blocks, section_names
from selfeval_cli.render.tables import Column, Merge, Table, spans

from ..conftest import FIXTURES, report_with


def test_markup_directives() -> None:
    blocks = parse_markup("@title 标题\n# 一级\n## 二级\n+ 接排正文\n###+ 条目\n正文\n\n"
                          "@table 单位：万元\n| 项目 | 金额 |\n| 基本支出 | 1.00 |\n@end\n")
    assert blocks == [Title("标题"), Heading(1, "一级"), Heading(2, "二级", "接排正文"), Item(3, "条目"),
                      Paragraph("正文"),
                      Table("单位：万元", [["项目", "金额"]], [["基本支出", "1.00"]],
                            [Column(4.0), Column(2.0, "right")])]


@pytest.mark.parametrize(("markup", "needle"), [
    ("+ 孤立的接排\n", "紧跟在标题之后"),
    ("@table\n| a | b |\n| 1 |\n@end\n", "列"),
    ("@table\n| a |\n", "@end"),
    ("@nonsense x\n", "未知指令"),
    ("@date 2025年3月5日\n", "@signature"),
])
def test_markup_errors(markup: str, needle: str) -> None:
    with pytest.raises(MarkupError, match=needle):
        parse_markup(markup)


def test_shipped_outline_has_six_sections(example_report: Report) -> None:
    names = section_names(default_template_dir())
    assert len(names) == 10 and names[0] == "00_assessment.j2"  # the 自评表 (附件1) comes first
    headings = [b.text for b in render_blocks(example_report) if isinstance(b, Heading) and b.level == 1]
    assert headings == ["预算单位基本情况", "一般公共预算支出情况", "部门整体支出绩效情况",
                        "存在的问题及原因分析", "下一步改进措施", "绩效自评结果拟应用和公开情况"]


def test_counts_are_derived_from_the_lists(example_report: Report, other_report: Report) -> None:
    texts = [b.text for b in render_blocks(example_report) if isinstance(b, Paragraph)]
    assert "根据上述职责，株洲市渌口区教育局设八个内设机构和四个正股级局属事业单位：" in texts
    texts = [b.text for b in render_blocks(other_report) if isinstance(b, Paragraph)]
    assert "根据上述职责，青山县文化旅游广电体育局设三个内设机构和两个副科级局属事业单位：" in texts
    assert ("部门预算基本支出850.80万元，其中：工资福利支出600.50万元；商品和服务支出200.30万元；"
            "对个人和家庭的补助50.00万元。") in texts


def test_kind_and_rank_of_institutions_come_from_the_data(other_report: Report) -> None:
    institutions = report_with(other_report, (("department", "units", 3, "kind"), "委属事业单位"),
                               (("department", "units", 4, "kind"), "委属事业单位"),
                               (("department", "units", 4, "rank"), "正科级"))  # ranks differ: prose names none
    blocks = render_blocks(institutions)
    assert Heading(2, "内设机构及委属事业单位") in blocks
    assert Paragraph("根据上述职责，青山县文化旅游广电体育局设三个内设机构和两个委属事业单位：") in blocks
    units = [unit.model_dump() for unit in other_report.department.units[:3]]
    blocks = render_blocks(report_with(other_report, (("department", "units"), units)))
    assert Heading(2, "内设机构") in blocks
    assert Paragraph("根据上述职责，青山县文化旅游广电体育局设三个内设机构：") in blocks


_PIECES = [*"#@+|{}%\n 正文abc-", "{{", "}}", "{%", "%}", "\n# ", "\n@title ", "\n+ ", "\n###+ "]
_hostile = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=20).map("".join).map(str.strip).filter(
    lambda s: bool(s) and s != "待填")


@settings(max_examples=60, deadline=None)
@given(_hostile)
def test_user_text_is_never_markup_or_template_code(other_report: Report, text: str) -> None:
    report = report_with(other_report, (("problems",), text))
    blocks = render_blocks(report)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "存在的问题及原因分析")
    end = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "下一步改进措施")
    rendered = [b for b in blocks[start + 1:end]]
    assert all(isinstance(b, Paragraph) for b in rendered)
    assert [b.text for b in rendered if isinstance(b, Paragraph)] == [
        line.strip() for line in (report.problems or "").split("\n") if line.strip()]


def _copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "tpl"
    shutil.copytree(default_template_dir(), folder)
    return folder


def test_user_template_folder_with_a_table(other_report: Report, tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    (folder / "02_budget.j2").write_text(
        "# 预算支出情况\n@table 单位：万元\n| 项目 | 预算数 |\n"
        "{% for _, name, part in budget.parts() %}| {{ name }} | {{ part.amount }} |\n{% endfor %}@end\n",
        encoding="utf-8")
    tables = [b for b in render_blocks(other_report, folder) if isinstance(b, Table)]
    assert tables == [Table("单位：万元", [["项目", "预算数"]], [["基本支出", "850.80"], ["项目支出", "400.00"]],
                            [Column(4.0), Column(3.0, "right")])]


@pytest.mark.parametrize(("content", "needle"), [
    ("# 标题\n{% if %}\n", ":2: 模板语法错误"),
    ("# 标题\n\n{{ no_such_name }}\n", ":3: 模板出错"),
    ("{% include '_missing.j2' %}\n", "找不到被引用的模板"),
    ("# 标题\n{{ report.closing.signature if false else none }}\n", ":2: 模板输出了空值"),
])
def test_template_errors_name_file_and_line(other_report: Report, tmp_path: Path, content: str,
                                            needle: str) -> None:
    folder = _copy_templates(tmp_path)
    (folder / "04_problems.j2").write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_blocks(other_report, folder)
    assert "04_problems.j2" in caught.value.message and needle in caught.value.message


def test_missing_or_empty_template_folder(other_report: Report, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="不存在"):
        render_blocks(other_report, tmp_path / "nope")
    with pytest.raises(TemplateError, match="没有章节模板"):
        render_blocks(other_report, tmp_path)


def test_environment_is_strict() -> None:
    env = make_environment(FIXTURES)
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()


def test_table_header_rows_merges_and_columns() -> None:
    [table] = parse_markup("@table 表\n@columns 2 3c 1.5r\n| 一级 | 二级 | 分值 |\n| ^ | 子 | < |\n|---|\n"
                           "| 产出 | 数量 | 10 |\n| ^ | 质量 | 5 |\n| 总分 | < | 15 |\n@end\n")
    assert isinstance(table, Table)
    assert table.header == [["一级", "二级", "分值"], [Merge.UP, "子", Merge.LEFT]]
    assert table.rows == [["产出", "数量", "10"], [Merge.UP, "质量", "5"], ["总分", Merge.LEFT, "15"]]
    assert table.columns == [Column(2.0), Column(3.0, "center"), Column(1.5, "right")]
    assert [(s.start, s.width, s.cell) for s in spans(table.rows[2])] == [(0, 2, "总分"), (2, 1, "15")]


def test_table_columns_from_content() -> None:
    long = "很长的一段偏差原因分析及改进措施，超过了列宽的上限"
    [table] = parse_markup(f"@table\n| 名称 | 数 | 说明 |\n| 甲 | 1.5 | {long} |\n| 乙 | 80% | 短 |\n@end\n")
    assert isinstance(table, Table)
    assert table.columns == [Column(2.0), Column(2.0, "right"), Column(14.0)]


def test_merge_markers_from_data_are_text(other_report: Report, tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    (folder / "02_budget.j2").write_text(
        "# 预算\n@table\n| 甲 | 乙 |\n| {{ department.name[:0] }}x | {{ '<' }} |\n| {{ '^' }} | y |\n@end\n",
        encoding="utf-8")
    [table] = [b for b in render_blocks(other_report, folder) if isinstance(b, Table)]
    assert table.rows == [["x", "<"], ["^", "y"]]


@pytest.mark.parametrize(("markup", "says"), [
    ("| < | a |\n", "第一格"),
    ("| a | b |\n|---|\n| ^ | b |\n", "上方没有"),
    ("| a | b |\n| a | < |\n| b | ^ |\n", "上方没有"),
    ("| a | b |\n| a |\n", "第一行有 2 列"),
    ("@columns 1 2 3\n| a | b |\n", "@columns"),
    ("@columns 1 x\n| a | b |\n", "宽度"),
    ("|---|\n| a |\n", "前面要有表头行"),
    ("| a |\n|---|\n|---|\n", "只能出现一次"),
    ("正文\n", "表格内只能有"),
])
def test_malformed_tables(markup: str, says: str) -> None:
    with pytest.raises(MarkupError, match=says):
        parse_markup(f"@table\n{markup}@end\n")
