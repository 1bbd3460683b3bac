"""附件1 in the Word file: one grid with merged side labels, weights, the closing and signature rows,
the 注 lines, the page set-up of its landscape pages; and the split into one file per attachment.

What LibreOffice prints of every shipped form is checked in ``test_forms_pages.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from selfeval_cli.commands.build import build_report

from ..conftest import TABLE_EXAMPLE, edited_copy
from ..docx_read import body_texts, open_docx, style_name

OLD_SCHEME = Path(__file__).resolve().parents[1] / "fixtures" / "assessment_old_scheme.yaml"


@pytest.fixture(scope="module")
def table_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("table") / "example.docx"
    assert build_report(TABLE_EXAMPLE, out).output == out
    return out


@pytest.fixture(scope="module")
def old_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("old") / "old.docx"
    assert build_report(OLD_SCHEME, out).output == out
    return out


def x(element: object) -> Any:
    """An XML element as python-docx made it, its optional children read without checks (the test fails if absent)."""
    return element


def grid(tbl: Any) -> list[list[tuple[str, int, str | None]]]:
    """The table as written: per row, each cell's (text, columns it spans, vMerge value or None);
    a cell continuing a vertical merge reads as its vMerge value "continue"."""
    rows = []
    for tr in tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            span = tc.tcPr.find(qn("w:gridSpan"))
            merge = tc.tcPr.find(qn("w:vMerge"))
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            cells.append((text, int(span.get(qn("w:val"))) if span is not None else 1,
                          None if merge is None else (merge.get(qn("w:val")) or "continue")))
        rows.append(cells)
    return rows


def texts(row: list[tuple[str, int, str | None]]) -> list[str]:
    return [text for text, _, _ in row]


def test_one_grid_with_merged_side_labels(table_docx: Path) -> None:
    doc = open_docx(table_docx)
    [table] = doc.tables  # the 自评表 is one table; the report (附件2) has none
    rows = grid(table._tbl)
    side = [row[0] for row in rows]
    for label, count in (("项目资金（万元）", 5), ("年度总体目标", 3)):
        start = next(i for i, cell in enumerate(side) if cell[0] == label)
        assert side[start][2] == "restart"
        assert [cell[2] for cell in side[start + 1:start + count]] == ["continue"] * (count - 1)
    # 绩效指标 heads its block; the block runs to the 总分 row, its label written again where a page breaks it.
    start = next(i for i, cell in enumerate(side) if cell[0] == "绩效指标")
    total = next(i for i, row in enumerate(rows) if texts(row)[0] == "总分")
    assert side[start][2] == "restart"
    assert all(cell[2] == "continue" or cell[:3:2] == ("绩效指标", "restart") for cell in side[start + 1:total])
    assert texts(rows[start]) == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
                                  "得分", "偏差原因分析及改进措施"]
    # No "资金项" header: the side label says what the block is, as the issued forms do.
    assert "资金项" not in {text for row in rows for text in texts(row)}


def test_weights_scores_and_the_closing_rows(table_docx: Path) -> None:
    rows = grid(open_docx(table_docx).tables[0]._tbl)
    by_first = {texts(row)[0]: row for row in rows if row[0][2] != "continue"}
    funding = next(row for row in rows if "年度资金总额" in texts(row))
    assert texts(funding)[1:] == ["年度资金总额", "1250.80", "1302.60", "1268.40", "10", "97.37%", "9.74"]
    parts = [row for row in rows if any(t.startswith("其中：") for t in texts(row))]
    assert texts(parts[0])[5:] == ["—", "97.62%", "—"]  # no 分值 or 得分 of its own
    everything = [text for row in rows for text in texts(row)]
    assert {"产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"} <= set(everything)
    timely = next(row for row in rows if "项目按期完成率" in texts(row))
    assert texts(timely)[-5:-1] == ["≥100%", "87.5%", "10", "8.75"]  # whole weight, two-decimal score
    assert "县乡两级全覆盖，村级覆盖九成（部分达成）" in everything  # the 定性 grade is shown
    assert texts(by_first["总分"]) == ["总分", "100", "95.99", ""]
    grade = by_first["自评等级"]
    assert texts(grade) == ["自评等级", "优", ""] and grade[1][1] == 2  # across 分值 and 得分
    signatures = [text for row in rows[-3:-1] for text in texts(row)]  # above the 注, the table's last row
    for label in ("单位（盖章）", "单位负责人", "财务负责人", "填表人", "联系电话", "填报日期"):
        assert label in signatures
    assert "赵示例" in signatures and "0000-1234567" in signatures  # what the data has; the rest left to write


def test_the_notes_are_the_tables_last_row_open_below(table_docx: Path) -> None:
    # The 注 stands under the grid as on the issued form, but as the table's last row: a row keeps with the
    # row above it in LibreOffice too, where a paragraph after the table did not (it was left alone on a page).
    doc = open_docx(table_docx)
    last = doc.tables[0]._tbl.tr_lst[-1]
    [cell] = [x(tc) for tc in last.tc_lst]
    assert cell.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(doc.tables[0]._tbl.tblGrid.gridCol_lst))
    borders = cell.tcPr.find(qn("w:tcBorders"))
    assert {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders} == {
        "left": "nil", "bottom": "nil", "right": "nil"}  # only the line above it, under the grid
    lines = "".join(node.text if node.tag == qn("w:t") else "\n" for node in cell.iter(qn("w:t"), qn("w:br")))
    notes = lines.split("\n")
    assert [line[:5] for line in notes] == ["注：1. ", "2. 预算", "3. 自评"]
    assert "产出指标50分" in notes[0] and "未达成60%以下" in notes[1] and "90分（含）以上为优" in notes[2]
    assert cell.p_lst[0].pPr.find(qn("w:jc")).get(qn("w:val")) == "left"
    cell_runs = doc.tables[0]._tbl.xpath(".//w:r/w:rPr/w:sz/@w:val")
    assert set(cell_runs) == {"21"}  # 五号, the national form's size, the 注 too
    body = doc.element.body
    after = [p.text for p in doc.paragraphs if body.index(p._p) > body.index(doc.tables[0]._tbl)]
    assert not any(text.startswith("注") for text in after)


def test_merged_text_is_flush_left_and_a_weight_of_zero_a_dash(old_docx: Path) -> None:
    table: Any = open_docx(old_docx).tables[0]
    rows = grid(table._tbl)
    funding = next(row for row in rows if "年度资金总额" in texts(row))
    assert texts(funding)[-3:] == ["—", "88.00%", "—"]  # 执行率 not scored in the old scheme: no 0.00
    reason_row = next(tr for tr in table._tbl.tr_lst if "执行率偏差原因" in "".join(tr.itertext()))
    reason_cell = reason_row.tc_lst[-1]
    assert reason_cell.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "6"
    assert reason_cell.p_lst[0].pPr.find(qn("w:jc")).get(qn("w:val")) == "left"


def test_landscape_pages_the_label_and_the_page_number(table_docx: Path) -> None:
    doc = open_docx(table_docx)
    landscape, portrait = doc.sections

    def mm(length: int | None) -> float:
        assert length is not None
        return round(length / Mm(1), 1)

    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(landscape.page_width), mm(landscape.page_height)) == (297, 210)
    assert (mm(landscape.top_margin), mm(landscape.left_margin), mm(landscape.bottom_margin)) == (28, 35, 26)
    # The page number as far under the text area as on portrait pages (bottom margin − footer distance).
    assert mm(landscape.bottom_margin) - mm(landscape.footer_distance) == mm(portrait.bottom_margin) - mm(
        portrait.footer_distance) == 14
    assert portrait.orientation == WD_ORIENT.PORTRAIT and mm(portrait.page_width) == 210
    label = doc.paragraphs[0]
    assert label.text == "附件1" and style_name(label) == "附件标签"
    fonts = x(label.runs[0]._r).rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "黑体"  # the "1" like "附件"
    texts_ = body_texts(doc)
    assert texts_.index("附件2") > texts_.index("2025年度部门整体支出绩效自评表")
    assert "单位：万元" not in texts_  # the unit stands in the side label 项目资金（万元）


def test_rows_keep_together_and_never_split(table_docx: Path) -> None:
    table: Any = open_docx(table_docx).tables[0]._tbl
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in table.tr_lst)
    header = [tr.trPr.find(qn("w:tblHeader")) is not None for tr in table.tr_lst]
    assert header[0] and not any(header[1:])  # 预算单位 heads every page
    grid_widths = [int(col.get(qn("w:w"))) for col in table.tblGrid.gridCol_lst]
    assert int(table.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid_widths) == round(225 / 25.4 * 1440)

    def kept(tr: Any) -> bool:
        return bool(tr.xpath("./w:tc/w:p/w:pPr/w:keepNext"))

    rows = grid(table)
    names = [texts(row) for row in rows]
    quantity = next(i for i, row in enumerate(names) if "数量指标" in row)
    # A 二级 group's rows keep with the next (it moves whole); a 一级 group may go on over a page, its names
    # written again: the page that ends after 数量指标 does not wait for the whole 产出 group.
    assert kept(table.tr_lst[quantity]) and names[quantity + 1][3] == "阅读推广活动场次"
    assert names[quantity + 2][:3] == ["绩效指标", "一级指标", "二级指标"]  # the block's heading, written again
    # The rows that close the form (总分, 自评等级, the signatures, the 注) stay together.
    total = next(i for i, row in enumerate(names) if row[0] == "总分")
    assert [kept(tr) for tr in table.tr_lst[total:]] == [True] * (len(rows) - total - 1) + [False]


def test_split_writes_one_file_per_attachment(tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    result = build_report(TABLE_EXAMPLE, out, split=True)
    assert result.written == [tmp_path / "报告-附件1.docx", tmp_path / "报告-附件2.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告-附件1.docx", "报告-附件2.docx"]
    table, report = (open_docx(p) for p in result.written)
    assert len(table.tables) == 1 and [s.orientation for s in table.sections] == [WD_ORIENT.LANDSCAPE]
    assert report.tables == [] and [s.orientation for s in report.sections] == [WD_ORIENT.PORTRAIT]
    assert body_texts(report)[0] == "附件2"


def test_a_report_without_table_is_one_file_even_when_split(tmp_path: Path) -> None:
    from ..conftest import OTHER

    out = tmp_path / "r.docx"
    assert build_report(OTHER, out, split=True).written == [out]


def test_the_data_fills_the_signature_row(tmp_path: Path) -> None:
    signers = "  head: 钱局长\n  finance_head: 孙会计\n  preparer: 李填表\n  filled_on: 2026-03-05\n"
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("  preparer: 赵示例\n", signers)])
    out = tmp_path / "r.docx"
    assert build_report(source, out).output == out
    rows = grid(open_docx(out).tables[0]._tbl)
    assert texts(rows[-3])[-3:] == ["钱局长", "财务负责人", "孙会计"]
    assert texts(rows[-2]) == ["填表人", "李填表", "联系电话", "0000-1234567", "填报日期", "2026年3月5日"]


@pytest.mark.parametrize(("label", "names"), [
    ("附件1", ["报告-附件1.docx", "报告-2.docx"]),  # a repeated label never overwrites the table
    (None, ["报告-附件1.docx", "报告-2.docx"]),  # an unlabelled report is still a file of its own
])
def test_split_never_loses_a_part(label: str | None, names: list[str], tmp_path: Path) -> None:
    import yaml

    from selfeval_cli.commands.build import _part_targets
    from selfeval_cli.model.report import Report
    from selfeval_cli.render.blocks import split_attachments
    from selfeval_cli.render.sections import render_blocks
    from selfeval_cli.word.writer import build_document

    data = yaml.safe_load(TABLE_EXAMPLE.read_text(encoding="utf-8"))
    data["attachment"]["label"] = label
    report = Report.model_validate(data)  # validate warns or refuses such a label; the split must hold anyway
    parts = split_attachments(render_blocks(report))
    targets = _part_targets(tmp_path / "报告.docx", [name for name, _ in parts])
    assert [t.name for t in targets] == names
    for target, (_, blocks) in zip(targets, parts, strict=True):
        target.write_bytes(build_document(report, blocks))
    first, second = (open_docx(t) for t in targets)
    assert len(first.tables) == 1 and second.tables == [] and "部门整体支出绩效自评报告" in body_texts(second)


def test_the_published_example_has_no_table_and_is_unchanged(example_docx: Path) -> None:
    """The shipped example has no 自评表: nothing of the form's layout reaches it (its label keeps its fonts)."""
    doc = open_docx(example_docx)
    assert doc.tables == [] and len(doc.sections) == 1
    assert x(doc.paragraphs[0].runs[0]._r).rPr.find(qn("w:rFonts")).get(qn("w:ascii")) is None
    assert not re.search("snapToGrid", doc.paragraphs[1]._p.xml)
