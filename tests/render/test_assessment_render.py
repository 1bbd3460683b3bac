"""The 自评表 as the shipped forms render it: one grid, computed figures in its cells, levels merged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from selfeval_cli.model.report import Report
from selfeval_cli.model.scoring import score_table
from selfeval_cli.render.blocks import AttachmentLabel, Orientation, Title
from selfeval_cli.render.sections import render_blocks
from selfeval_cli.render.tables import Cell, Merge, Table
from selfeval_cli.vocabulary import GRADE_BANDS

from ..conftest import report_with
from ..model.test_assessment import _generated_table

FORMS = ["national", "sichuan", "scoring"]


def _table(report: Report) -> Table:
    [table] = [b for b in render_blocks(report) if isinstance(b, Table)]
    return table


def _row(table: Table, first: Cell) -> list[Cell]:
    return next(row for row in table.rows if row[0] == first)


@settings(deadline=None, max_examples=40)
@given(_generated_table())
def test_rendered_scores_add_up_to_the_rendered_total(other_report_data: dict[str, Any],
                                                      assessment: dict[str, Any]) -> None:
    report = Report.model_validate({**other_report_data, "assessment": assessment})
    table = _table(report)
    computed = score_table(report.assessment)  # type: ignore[arg-type]
    funding = next(row for row in table.rows if row[1] == "年度资金总额")
    scores = [] if computed.funding.weight == 0 else [Decimal(str(funding[-1]))]
    assert funding[-3] == ("—" if computed.funding.weight == 0 else f"{computed.funding.weight.normalize():f}")
    heading = next(i for i, row in enumerate(table.rows) if row[1] == "一级指标")
    total_row = _row(table, "总分")
    indicators = table.rows[heading + 1:table.rows.index(total_row)]
    scores += [Decimal(str(row[-2])) for row in indicators]
    total = Decimal(str(total_row[-2]))
    assert total == sum(scores) == computed.total_score
    assert Decimal(str(total_row[-3])) == computed.total_weight
    assert _row(table, "自评等级")[-3] == next(name for name, lower in GRADE_BANDS if total >= lower)
    # Each 一级 name carries its weight, once for its rows (merged below).
    for first in computed.levels:
        name = f"{first.level.name}（{first.weight.normalize():f}分）"
        assert sum(1 for row in indicators if row[1] == name) == 1


def test_layout_blocks_of_the_example(table_example: Report) -> None:
    blocks = render_blocks(table_example)
    assert blocks[:3] == [Orientation(True), AttachmentLabel("附件1"), Title("2025年度部门整体支出绩效自评表")]
    assert isinstance(blocks[3], Table)  # one grid, straight after the title: the unit is in its side label
    back = blocks.index(Orientation(False))
    assert blocks[back + 1] == AttachmentLabel("附件2")
    table = _table(table_example)
    assert table.size_pt == 10.5 and len(table.header) == 1 and table.header[0][0] == "预算单位"
    side = [row[0] for row in table.rows]
    assert side[:5] == ["项目资金（万元）", *[Merge.UP] * 4]
    assert side[5:8] == ["年度总体目标", Merge.UP, Merge.UP]
    assert side[8] == "绩效指标" and table.repeat == (8,)
    funding = _row(table, Merge.UP)  # the first row under 项目资金（万元）
    assert funding[1:] == ["年度资金总额", Merge.LEFT, "1250.80", "1302.60", "1268.40", "10", "97.37%", "9.74"]
    first_level = [row[1] for row in table.rows[9:19]]
    assert first_level[:6] == ["产出指标（50分）", *[Merge.UP] * 5] and first_level[6] == "效益指标（30分）"
    timely = next(row for row in table.rows if row[3] == "项目按期完成率")
    assert timely[4:8] == ["≥100%", "87.5%", "10", "8.75"]
    assert _row(table, "总分")[-3:] == ["100", "95.99", ""]
    assert _row(table, "自评等级")[-3:] == ["优", Merge.LEFT, ""]
    assert [line[:5] for line in table.below] == ["注：1. ", "2. 预算", "3. 自评"]
    # Labels centred, names and prose flush left, numbers flush right (by cell, not by column).
    row = table.rows.index(timely) + len(table.header)
    assert table.aligns[(len(table.header) + 8, 0)] == "center"
    assert (row, 3) not in table.aligns


@pytest.mark.parametrize("form", FORMS)
def test_every_form_prints_the_computed_figures(table_example: Report, form: str) -> None:
    table = _table(report_with(table_example, (("assessment", "form"), form)))
    cells = {cell for row in [*table.header, *table.rows] for cell in row if isinstance(cell, str)}
    assert {"95.99", "8.75", "7.50"} <= cells
    assert "产出指标（50分）" in cells
    assert any("（部分达成）" in c for c in cells)  # the 定性 grade
    assert table.below and table.below[0].startswith("注：1. 一级指标分值")


def test_the_sichuan_form_adds_its_columns_and_rows(table_example: Report) -> None:
    table = _table(report_with(table_example, (("assessment", "form"), "sichuan")))
    heading = next(row for row in table.rows if row[1] == "一级指标")
    assert heading[4:7] == ["指标性质", "年度指标值", "度量单位"]
    reading = next(row for row in table.rows if row[3] == "阅读推广活动场次")
    assert reading[4:8] == ["≥", "80", "场", "80"]  # the sign and the unit in columns of their own
    quality = next(row for row in table.rows if row[3] == "公共文化服务覆盖面")
    assert quality[4] == "定性"
    assert [row[0] for row in table.rows[-3:]] == ["评价结论", "存在问题", "改进措施"]
    assert "调整后预算数（A）" in table.rows[0]
    assert "实施单位（盖章）" in table.header[0]
    assert any(line.startswith("项目负责人：") and "财务负责人：" in line for line in table.below)


def test_the_scoring_form_of_the_older_scheme(table_example: Report) -> None:
    table = _table(report_with(table_example, (("assessment", "form"), "scoring")))
    assert table.size_pt == 12
    assert table.header[1] == ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"]
    cells = [cell for row in table.rows for cell in row if isinstance(cell, str)]
    assert not any("年度资金总额" in c for c in cells)  # no funding block
    timely = next(row for row in table.rows if row[2] == "项目按期完成率")
    assert timely[3:6] == ["≥100%得满分，未达到按完成比例计分", "10", "8.75"]
    assert timely[6] == "实际完成：87.5%\n一个站点因选址调整推迟一个月验收；今后项目入库前完成选址论证。"
    assert table.rows[-2][:1] == ["合计"] and table.rows[-2][4:6] == ["100", "95.99"]
