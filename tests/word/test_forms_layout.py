"""How a form's table is measured and laid out: East Asian widths, line breaking, column widths that
leave no name on a line of one character, rows kept together and continued across pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from selfeval_cli.errors import MarkupError
from selfeval_cli.render.blocks import RightAligned, parse_markup
from selfeval_cli.render.tables import (
    SLACK,
    Cell,
    Merge,
    Metrics,
    Table,
    balance_names,
    em_width,
    fit_widths,
    lone_last_line,
    paginate,
    wrap,
)

TEXT_WIDTH = round(225 / 25.4 * 1440)  # a landscape page's text area, in twips


def _table(markup: str) -> Table:
    [table] = parse_markup(markup)
    assert isinstance(table, Table)
    return table


def test_widths_are_east_asian() -> None:
    assert em_width("“三公”经费变动率") == 9  # quotation marks are full width in the CJK font
    assert em_width("一个月——完成…") == 8
    assert em_width("≥95%") == 2.5 and em_width("1250.80") == 3.5 and em_width("产出指标（50分）") == 8


def test_lines_break_as_chinese_breaks() -> None:
    assert wrap("社会效益指标", 5) == ("社会效益指", "标")
    assert lone_last_line(wrap("社会效益指标", 5)) and not lone_last_line(wrap("社会效益指标", 4))
    assert wrap("产出指标（50分）", 5) == ("产出指标", "（50分）")  # an opening bracket never ends a line
    assert wrap("县乡两级全覆盖，村级", 7) == ("县乡两级全覆", "盖，村级")  # a comma never starts one
    assert wrap("第2026年完成", 2.5) == ("第", "2026", "年完", "成")  # nor is a number broken
    assert wrap("甲\n乙丙", 9) == ("甲", "乙丙")
    assert lone_last_line(("满意度指标（10", "分）"))  # one character with its bracket is still one


def test_ambiguous_characters_are_measured_both_ways() -> None:
    # Word takes “ ” from the East Asian font (an em), LibreOffice from the Latin one (half).
    assert wrap("“三公经费”变动率", 7.5) == ("“三公经费”变", "动率")
    assert wrap("“三公经费”变动率", 7.5, narrow=True) == ("“三公经费”变动", "率")


NAMES = """@table
@size 五号
| 一级指标 | 二级指标 | 三级指标 | 说明 |
| 效益指标 | 社会效益指标 | 图书馆年接待读者人次 | {prose} |
| ^ | 可持续影响指标 | 长效管理机制建立情况 | {prose} |
| 满意度指标 | 服务对象满意度指标 | 群众满意度 | 短 |
@end
"""


@pytest.mark.parametrize("room_mm", [120, 150, 225])
def test_fitted_widths_leave_no_name_on_a_line_of_one_character(room_mm: int) -> None:
    prose = "少数偏远村服务点设备未配齐；明年完成配置，并建立巡检制度。"
    table = _table(NAMES.format(prose=prose))
    total = round(room_mm / 25.4 * 1440)
    widths = fit_widths(table, total, 10.5, 57)
    assert sum(widths) == total
    ems = [(w - 114) / 210 for w in widths]
    for row in table.all_rows():
        for column, cell in enumerate(row):
            if isinstance(cell, str) and cell != prose:
                for lines in (wrap(cell, ems[column] - SLACK), wrap(cell, ems[column] + SLACK, narrow=True)):
                    assert not lone_last_line(lines), (room_mm, cell, lines)
    assert ems[3] == max(ems)  # what is left goes to the prose


def test_numbers_fit_on_one_line_and_the_rest_wraps() -> None:
    table = _table("@table\n@size 小四\n| 名称 | 金额 |\n| 年度资金总额 | 1234567.89 |\n@end\n")
    ems = [(w - 114) / 240 for w in fit_widths(table, 4000, 12, 57)]
    assert ems[1] >= em_width("1234567.89") + SLACK


def test_where_no_width_avoids_it_the_name_is_broken_evenly() -> None:
    table = _table("@table\n| 名称 |\n| 提质改造项目验收合格率 |\n| 乡镇综合文化站提质改造数量 |\n@end\n")
    balanced = balance_names(table, [5.5], 0.5)
    assert balanced.rows == [["提质改造\n项目验收\n合格率"], ["乡镇综合文化站提质改造数量"]]
    assert balance_names(table, [11.5], 0.5).rows == table.rows  # nothing to mend


GROUPS = """@table
@size 五号
| 预算单位 | 某局 | < |
|---|
| 项目资金 | 年度资金总额 | 1.00 |
@repeat
| 绩效指标 | 一级指标 | 三级指标 |
| ^ | 产出 | 甲 |
| ^ | ^ | 乙 |
| ^ | ^ | 丙 |
| ^ | 效益 | 丁 |
| ^ | ^ | 戊 |
| 总分 | < | 100 |
@end
"""


def _plan(first: float | None, page: float = 100.0) -> list[tuple[list[Cell], bool]]:
    table = _table(GROUPS)
    heights = [(10.0, 10.0)] * len(table.all_rows())
    metrics = Metrics(10, 0, page, None if first is None else (first, first))
    return [(p.cells, p.keep_next) for p in paginate(table, heights, metrics)]


def test_groups_keep_together_and_a_block_goes_on() -> None:
    plan = _plan(None)
    keeps = [keep for _, keep in plan]
    # The heading row keeps with the block's first row; each group's rows with the next but its last.
    assert keeps == [False, False, True, True, True, False, True, False, False]


def test_a_page_break_inside_a_block_writes_its_heading_and_names_again() -> None:
    # Room for the header row, 项目资金, the heading and 产出 on the first page: 效益 moves, and its
    # page starts with the header row (Word repeats it), the block's heading again and 效益.
    plan = _plan(60.0)
    cells = [row for row, _ in plan]
    assert cells[5][2] == "丙" and cells[6] == ["绩效指标", "一级指标", "三级指标"]  # written again above 效益
    assert cells[7] == [Merge.UP, "效益", "丁"]
    assert len(plan) == len(_plan(None)) + 1


def test_a_group_longer_than_a_page_names_itself_where_it_goes_on() -> None:
    # Pages of four rows: the header row, 项目资金, the heading, 甲 — 产出 (with its heading) does not fit
    # on one, so 乙 starts a page: the heading again, and the name of the group.
    plan = _plan(40.0, page=40.0)
    cells = [row for row, _ in plan]
    restarted = next(i for i, row in enumerate(cells) if row[2] == "乙")
    assert cells[restarted - 1] == ["绩效指标", "一级指标", "三级指标"]
    assert cells[restarted] == [Merge.UP, "产出", "乙"]
    assert cells[restarted - 2] == [Merge.UP, "产出", "甲"]


def test_table_directives_and_their_mistakes() -> None:
    table = _table("@table\n@size 五号\n| @c 标签 | @r 文字 |\n@repeat\n| 甲 | 乙 |\n@below 注：一\n@end\n")
    assert table.size_pt == 10.5 and table.below == ("注：一",) and table.repeat == (0,)
    assert table.aligns == {(0, 0): "center", (0, 1): "right"} and table.header == [["标签", "文字"]]
    for markup, says in (("@table\n@size 三十号\n| a |\n@end\n", "@size"),
                         ("@table\n| a |\n@repeat\n@end\n", "@repeat"),
                         ("@table\n@repeat\n| a |\n| b |\n@end\n", "表体")):
        with pytest.raises(MarkupError, match=says):
            parse_markup(markup)


def test_a_unit_line_over_a_table_takes_its_size(tmp_path: Path) -> None:
    from selfeval_cli.commands.build import build_report

    from ..conftest import OTHER
    from ..docx_read import open_docx

    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "01_t.j2").write_text("@right 单位：万元\n@table\n@size 五号\n| 项目 | 金额 |\n| 甲 | 1.00 |\n@end\n"
                                    "@right 右对齐的正文\n", encoding="utf-8")
    out = tmp_path / "t.docx"
    assert build_report(OTHER, out, template_dir=folder).output == out
    blocks = parse_markup((folder / "01_t.j2").read_text(encoding="utf-8"))
    assert isinstance(blocks[0], RightAligned)
    doc = open_docx(out)
    unit, body = (p for p in doc.paragraphs if p.text in ("单位：万元", "右对齐的正文"))
    unit_run: Any = unit.runs[0]._r
    body_run: Any = body.runs[0]._r
    assert unit_run.rPr.find(qn("w:sz")).get(qn("w:val")) == "21"  # 五号, as the table under it
    assert body_run.rPr.find(qn("w:sz")) is None  # elsewhere a body line, as before


def test_a_group_that_might_just_fit_is_made_to_move() -> None:
    # One renderer lays the rows out a little taller than another (10–12 points): 产出 with its heading
    # might fit in what is left of the first page, or might not. It is kept with 效益, so that together
    # they surely move, and the block starts the next page whole (no heading written twice).
    table = _table(GROUPS)
    heights = [(10.0, 12.0)] * len(table.all_rows())
    plan = paginate(table, heights, Metrics(10, 0, 100, (58.0, 62.0)))
    assert len(plan) == len(table.all_rows())
    keeps = {str(p.cells[2]): p.keep_next for p in plan}
    assert keeps["丙"]  # the last row of 产出 now keeps with 效益


def test_rows_longer_than_a_page_go_on_row_by_row() -> None:
    from selfeval_cli.render.tables import _foresee

    keep = [True, True, False, False]
    breaks = _foresee(keep, [(30.0, 30.0)] * 4, (70.0, 70.0), 50.0, lambda row: (0.0, 0.0))
    assert breaks == {2, 3}


def test_what_cannot_be_fitted_is_shared_in_proportion() -> None:
    # Numbers wider than the page: every column as narrow as its number allows, scaled to the width.
    table = _table("@table\n| 甲 | 乙 |\n| 123456789012 | 1234567890123456 |\n@end\n")
    widths = fit_widths(table, 2000, 12, 108)
    assert sum(widths) == 2000 and widths[1] > widths[0]


def test_without_prose_the_spare_width_goes_where_it_saves_lines() -> None:
    table = _table("@table\n| 名称 | 金额 |\n| 乡镇综合文化站提质改造数量项目 | 1.00 |\n@end\n")
    widths = fit_widths(table, 8000, 12, 108)
    ems = [(w - 216) / 240 for w in widths]
    assert len(wrap("乡镇综合文化站提质改造数量项目", ems[0] - SLACK)) == 1  # the name on one line


def test_a_word_wider_than_its_line_is_broken_anyway() -> None:
    assert wrap("ABCDEFGHIJ", 2) == ("ABCD", "EFGH", "IJ")


def test_cell_alignment_by_mark_number_and_merge() -> None:
    from selfeval_cli.render.tables import Span, cell_align

    table = _table("@table\n| a | b | c |\n| @c 甲 | 1.00 | 乙 |\n| 长文字 | < | 2 |\n@end\n")
    assert cell_align(table, 1, Span(0, 1, "甲")) == "center"
    assert cell_align(table, 1, Span(1, 1, "1.00")) == "right" and cell_align(table, 1, Span(2, 1, "乙")) == "left"
    assert cell_align(table, 2, Span(0, 2, "长文字")) == "left"
