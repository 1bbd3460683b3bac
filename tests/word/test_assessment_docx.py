"""附件1 in the Word file and in what LibreOffice prints: cells read back, merges, pages, split files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from selfeval_cli.commands.build import build_report

from ..conftest import TABLE_EXAMPLE, pdftotext, to_pdf
from ..docx_read import body_texts, open_docx


@pytest.fixture(scope="module")
def table_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("table") / "example.docx"
    assert build_report(TABLE_EXAMPLE, out).output == out
    return out


def _grid(table: object) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_cells_carry_the_computed_figures(table_docx: Path) -> None:
    doc = open_docx(table_docx)
    funding, goals, indicators = doc.tables
    grid = _grid(funding)
    assert grid[0][:2] == ["预算单位", "示例县文化旅游广电体育局"] and grid[2][5] == "执行率（B/A）"
    assert grid[3] == ["年度资金总额", "1250.80", "1302.60", "1268.40", "10.00", "97.37%", "9.74"]
    rows = _grid(indicators)
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                       "偏差原因分析及改进措施"]
    by_name = {row[2]: row for row in rows[1:-2]}
    assert by_name["项目按期完成率"][3:7] == ["≥100%", "87.5%", "10.00", "8.75"]
    assert by_name["“三公”经费变动率"][3:7] == ["≤0%", "-4.71%", "5.00", "5.00"]
    assert by_name["公共文化服务覆盖面"][6] == "7.50"
    # A merged cell reads as its origin in every row it covers.
    assert [row[0] for row in rows[1:7]] == ["产出指标"] * 6
    assert rows[-2][0] == "总分" and rows[-2][5:7] == ["100.00", "95.99"]
    assert rows[-1][0] == "自评等级" and rows[-1][6] == "优"
    assert _grid(goals)[1][1] == "人员经费和公用经费全部按时足额保障，机关运转正常。"


def test_merges_widths_and_repeating_headers_in_the_xml(table_docx: Path) -> None:
    indicators: Any = open_docx(table_docx).tables[2]._tbl  # the raw XML, read with lxml
    first_cells = [tr.tc_lst[0] for tr in indicators.tr_lst]
    merges = [tc.tcPr.find(qn("w:vMerge")) for tc in first_cells]
    values = [None if m is None else (m.get(qn("w:val")) or "continue") for m in merges]
    # 产出指标 over six rows, 效益指标 over three, 满意度指标 alone, then 总分 and 自评等级.
    assert values == [None, "restart", *["continue"] * 5, "restart", "continue", "continue", None, None, None]
    assert indicators.tr_lst[-2].tc_lst[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "5"
    grid = [int(col.get(qn("w:w"))) for col in indicators.tblGrid.gridCol_lst]
    assert int(indicators.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid) == round(225 / 25.4 * 1440)
    header = [tr.trPr.find(qn("w:tblHeader")) is not None for tr in indicators.tr_lst]
    assert header == [True] + [False] * (len(header) - 1)
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in indicators.tr_lst)


def test_the_table_has_landscape_pages_and_the_report_portrait(table_docx: Path) -> None:
    doc = open_docx(table_docx)
    landscape, portrait = doc.sections
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    def mm(length: int | None) -> float:
        assert length is not None
        return round(length / Mm(1), 1)

    assert (mm(landscape.page_width), mm(landscape.page_height)) == (297, 210)
    assert (mm(landscape.top_margin), mm(landscape.left_margin)) == (28, 35)
    assert portrait.orientation == WD_ORIENT.PORTRAIT and mm(portrait.page_width) == 210
    assert not portrait.footer.is_linked_to_previous or landscape.footer.paragraphs[0].text.startswith("—")
    texts = body_texts(doc)
    assert texts[0] == "附件1" and texts.index("附件2") > texts.index("2025年度部门整体支出绩效自评表")


def test_split_writes_one_file_per_attachment(tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    result = build_report(TABLE_EXAMPLE, out, split=True)
    assert result.written == [tmp_path / "报告-附件1.docx", tmp_path / "报告-附件2.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告-附件1.docx", "报告-附件2.docx"]
    table, report = (open_docx(p) for p in result.written)
    assert len(table.tables) == 3 and [s.orientation for s in table.sections] == [WD_ORIENT.LANDSCAPE]
    assert report.tables == [] and [s.orientation for s in report.sections] == [WD_ORIENT.PORTRAIT]
    assert body_texts(report)[0] == "附件2"


def test_a_report_without_table_is_one_file_even_when_split(tmp_path: Path) -> None:
    from ..conftest import OTHER

    out = tmp_path / "r.docx"
    assert build_report(OTHER, out, split=True).written == [out]


@pytest.mark.pdf
def test_what_a_reader_sees(table_docx: Path) -> None:
    pdf = to_pdf(table_docx)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    first_page = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True,
                                check=True).stdout
    assert re.search(r"Page\s+1 size:\s+841\.\d+ x 595\.\d+", first_page), first_page  # landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    boxes = "".join(pdftotext(pdf, "-bbox", "-f", str(p), "-l", str(p)) for p in range(1, 4))
    words = re.findall(r"<word [^>]*>([^<]*)</word>", boxes)
    text = "".join(words)
    # Merged: each first-level name is printed once for its block, not once per row.
    for name in ("产出指标", "效益指标", "满意度指标"):
        assert words.count(name) == 1, (name, words)
    assert "95.99" in text and "97.37%" in text
    # The report after the table is on portrait pages.
    last = subprocess.run(["pdfinfo", "-f", str(pages), "-l", str(pages), str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(rf"Page\s+{pages} size:\s+595\.\d+ x 841\.\d+", last), last


@pytest.mark.parametrize(("label", "names"), [
    ("附件1", ["报告-附件1.docx", "报告-2.docx"]),  # a repeated label never overwrites the table
    (None, ["报告-附件1.docx", "报告-2.docx"]),  # an unlabelled report is still a file of its own
])
def test_split_never_loses_a_part(label: str | None, names: list[str], tmp_path: Path) -> None:
    import yaml

    from selfeval_cli.commands.build import _part_targets
    from selfeval_cli.data.model import Report
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
    assert len(first.tables) == 3 and second.tables == [] and "部门整体支出绩效自评报告" in body_texts(second)
