"""The 自评表 as the shipped template renders it: computed figures in the cells, levels merged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings

from selfeval_cli.data.model import Report
from selfeval_cli.data.scoring import score_table
from selfeval_cli.render.blocks import AttachmentLabel, Orientation, RightAligned, Title
from selfeval_cli.render.sections import render_blocks
from selfeval_cli.render.tables import Merge, Table
from selfeval_cli.vocabulary import GRADE_BANDS

from ..data.test_assessment import _generated_table


def _tables(report: Report) -> list[Table]:
    return [b for b in render_blocks(report) if isinstance(b, Table)]


@settings(deadline=None, max_examples=60)
@given(_generated_table())
def test_rendered_scores_add_up_to_the_rendered_total(other_report_data: dict[str, Any],
                                                      assessment: dict[str, Any]) -> None:
    report = Report.model_validate({**other_report_data, "assessment": assessment})
    funding, _, indicators = _tables(report)
    scores = [Decimal(str(funding.rows[0][6]))]  # the 执行率 得分 of the 年度资金总额 row
    *rows, total_row, grade_row = indicators.rows
    scores += [Decimal(str(row[6])) for row in rows]
    assert total_row[0] == "总分" and Decimal(str(total_row[6])) == sum(scores)
    total = Decimal(str(total_row[6]))
    assert grade_row[6] == next(name for name, lower in GRADE_BANDS if total >= lower)
    assert Decimal(str(total_row[5])) == score_table(report.assessment).total_weight  # type: ignore[arg-type]


def test_layout_blocks_of_the_example(table_example: Report) -> None:
    blocks = render_blocks(table_example)
    assert blocks[:4] == [Orientation(True), AttachmentLabel("附件1"), Title("2025年度部门整体支出绩效自评表"),
                          RightAligned("单位：万元")]
    # The report (附件2) starts on portrait pages again.
    back = blocks.index(Orientation(False))
    assert blocks[back + 1] == AttachmentLabel("附件2")
    funding, goals, indicators = _tables(table_example)
    assert funding.rows[0] == ["年度资金总额", "1250.80", "1302.60", "1268.40", "10.00", "97.37%", "9.74"]
    assert funding.rows[1][0] == "其中：本年财政拨款" and funding.rows[3][5] == "—"  # no rate on a zero budget
    assert goals.rows[1][0] == "建成县图书馆新馆并对外开放；完成八个乡镇综合文化站提质改造。\n举办全县第十届运动会。"
    first_column = [row[0] for row in indicators.rows]
    assert first_column[:6] == ["产出指标", *[Merge.UP] * 5] and first_column[6:9] == ["效益指标", Merge.UP, Merge.UP]
    timely = next(row for row in indicators.rows if row[2] == "项目按期完成率")
    assert timely[3:7] == ["≥100%", "87.5%", "10.00", "8.75"]
    assert indicators.rows[-2][5:7] == ["100.00", "95.99"] and indicators.rows[-1][6] == "优"
