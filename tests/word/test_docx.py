"""The built .docx read back: page setup, styles, fonts, numbering, footers, properties."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from selfeval_cli.commands.build import build_report
from selfeval_cli.word import styles as st

from ..conftest import EXAMPLE, OTHER
from ..docx_read import attr, body_texts, open_docx, part_names, part_text, style_name, style_xml

LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")
LEVEL_3 = re.compile(r"^\d+\.")


def close_mm(length: int | None, mm: float) -> bool:
    """Word stores lengths in twips: equal to within a twentieth of a point."""
    return length is not None and abs(length - Mm(mm)) <= 635


def props(tc: Any) -> Any:
    """A cell's (or row's) property element, which every cell the writer makes has."""
    found = tc.tcPr if hasattr(tc, "tcPr") else tc.trPr
    assert found is not None
    return found


def test_page_setup_is_gb_t_9704(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    [section] = doc.sections
    assert close_mm(section.page_width, 210) and close_mm(section.page_height, 297)
    assert close_mm(section.top_margin, 37) and close_mm(section.bottom_margin, 35)
    assert close_mm(section.left_margin, 28) and close_mm(section.right_margin, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert section.page_height and section.top_margin and section.bottom_margin
    assert round((section.page_height - section.top_margin - section.bottom_margin) / 12700 / 28.95) == 22


def test_body_style(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    normal = style_xml(doc, "Normal")
    assert attr(normal, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(normal, "w:rPr/w:rFonts", "ascii") == "Times New Roman"
    assert attr(normal, "w:rPr/w:sz", "val") == "32"
    assert attr(normal, "w:rPr/w:spacing", "val") == "-5"
    assert attr(normal, "w:rPr/w:lang", "eastAsia") == "zh-CN"
    assert attr(normal, "w:pPr/w:spacing", "line") == "579"
    assert attr(normal, "w:pPr/w:spacing", "lineRule") == "exact"
    assert attr(normal, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(normal, "w:pPr/w:ind", "firstLine") == "640"
    fmt = doc.styles["Normal"].paragraph_format
    assert fmt.line_spacing == Pt(28.95) and fmt.first_line_indent == Pt(32)


def test_doc_defaults_name_east_asian_font(example_docx: Path) -> None:
    defaults = open_docx(example_docx).styles.element.find(qn("w:docDefaults"))
    assert attr(defaults, "w:rPrDefault/w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(defaults, "w:rPrDefault/w:rPr/w:lang", "eastAsia") == "zh-CN"
    styles = part_text(Path(open_docx.__module__ and str(example_docx)), "word/styles.xml")
    assert "Theme=" not in styles and "eastAsiaTheme" not in styles


def test_title_label_and_heading_styles(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    expected = {"Title": ("方正小标宋简体", "44", "center", None), "附件标签": ("黑体", "32", "left", None),
                "Heading 1": ("黑体", "32", "both", "0"), "Heading 2": ("楷体_GB2312", "32", "both", "1"),
                "Heading 3": ("仿宋_GB2312", "32", "both", "2"), "Heading 4": ("仿宋_GB2312", "32", "both", "3")}
    for name, (font, size, align, outline) in expected.items():
        style = style_xml(doc, name)
        assert attr(style, "w:rPr/w:rFonts", "eastAsia") == font, name
        assert attr(style, "w:rPr/w:sz", "val") == size, name
        assert attr(style, "w:pPr/w:jc", "val") == align, name
        assert attr(style, "w:pPr/w:outlineLvl", "val") == outline, name
        assert attr(style, "w:rPr/w:b", "val") == "0" and attr(style, "w:rPr/w:i", "val") == "0", name
        assert attr(style, "w:rPr/w:color", "val") == "000000", name
        assert style.find(qn("w:pPr")).find(qn("w:pBdr")) is None, name


def test_first_paragraphs_are_label_title_and_intro(example_docx: Path) -> None:
    paragraphs = [p for p in open_docx(example_docx).paragraphs if p.text.strip()]
    assert (paragraphs[0].text, style_name(paragraphs[0])) == ("附件2", "附件标签")
    assert (paragraphs[1].text, style_name(paragraphs[1])) == ("部门整体支出绩效自评报告", "Title")
    assert paragraphs[2].text.startswith("根据株洲市渌口区财政局《关于做好2024年度")
    assert "（渌财通〔2024〕6号）" in paragraphs[2].text


def test_headings_are_numbered_without_skipping(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    level_1 = [p.text for p in doc.paragraphs if style_name(p) == "Heading 1"]
    assert [t.split("、")[0] for t in level_1] == ["一", "二", "三", "四", "五", "六"]
    assert level_1[0] == "一、预算单位基本情况" and level_1[4] == "五、下一步改进措施"
    last = 0
    for p in doc.paragraphs:
        if style_name(p).startswith("Heading"):
            level = int(style_name(p)[-1])
            assert level <= last + 1, f"skipped a level at {p.text[:20]}"
            pattern = {1: LEVEL_1, 2: LEVEL_2, 3: LEVEL_3}[level]
            assert pattern.match(p.text), p.text[:20]
            last = level
    level_2 = [p.text for p in doc.paragraphs if style_name(p) == "Heading 2"]
    assert level_2[:4] == ["（一）主要职责", "（二）内设机构及局属事业单位", "（三）人员情况", "（四）2024年重点工作"]


def test_items_and_run_in_headings(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    duties = [p.text for p in doc.paragraphs if style_name(p) == "Normal" and LEVEL_3.match(p.text)]
    assert len(duties) == 11 and duties[10].startswith("11.统筹管理区县教育督导工作")
    measure = next(p for p in doc.paragraphs if p.text.startswith("（一）继续实施"))
    assert style_name(measure) == "Heading 2"
    title_run, body_run = measure.runs
    assert title_run.text == "（一）继续实施“第一校长”制度，毫不动摇地坚持党对教育工作的全面领导。"
    assert style_name(body_run) == st.BODY_CHARS and body_run.text.startswith("坚定政治方向")
    assert measure.paragraph_format.keep_with_next is False
    assert attr(doc.styles[st.BODY_CHARS].element, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"


def test_runs_hint_east_asian_for_shared_punctuation(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    quoted = next(p for p in doc.paragraphs if "“" in p.text)
    assert all(attr(r._r, "w:rPr/w:rFonts", "hint") == "eastAsia" for r in quoted.runs)


def test_amounts_always_carry_unit_and_two_decimals(example_docx: Path) -> None:
    text = "\n".join(body_texts(open_docx(example_docx)))
    assert "部门预算基本支出795.63万元，其中：人员支出643.40万元；公用支出149.20万元。" in text
    assert "部门预算项目支出为0.00万元，其中：专项商品和服务支出0.00万元。" in text
    assert not re.search(r"\d+\.\d{2}元", text.replace("万元", ""))


def test_footers_page_field_odd_right_even_left(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                     WD_ALIGN_PARAGRAPH.LEFT)):
        [paragraph] = footer.paragraphs
        assert paragraph.alignment == align
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        fmt = paragraph.paragraph_format
        assert (fmt.right_indent if align == WD_ALIGN_PARAGRAPH.RIGHT else fmt.left_indent) == Pt(14)
    footer_style = style_xml(doc, "Footer")
    assert attr(footer_style, "w:rPr/w:rFonts", "eastAsia") == "宋体"
    assert attr(footer_style, "w:rPr/w:rFonts", "ascii") == "宋体"
    assert attr(footer_style, "w:rPr/w:sz", "val") == "28"


def test_font_table_records_fallbacks(example_docx: Path) -> None:
    fonts = part_text(example_docx, "word/fontTable.xml")
    for name, alternatives in st.FALLBACKS.items():
        assert f'w:name="{name}"' in fonts and ",".join(alternatives) in fonts


def test_properties_come_from_the_data_and_nothing_leaks(example_docx: Path) -> None:
    props = open_docx(example_docx).core_properties
    assert props.author == "株洲市渌口区教育局" and props.last_modified_by == "株洲市渌口区教育局"
    assert props.title == "株洲市渌口区教育局2024年度部门整体支出绩效自评报告"
    assert props.created.year == 2024 and props.modified == props.created
    names = part_names(example_docx)
    assert not any("thumbnail" in n or "customXml" in n or "stylesWithEffects" in n for n in names)
    assert "docProps/app.xml" not in names
    core = part_text(example_docx, "docProps/core.xml")
    assert "python-docx" not in core and "2013" not in core
    settings = part_text(example_docx, "word/settings.xml")
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    build_report(EXAMPLE, first)
    build_report(EXAMPLE, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_other_department_builds_with_the_same_templates(other_docx: Path) -> None:
    doc = open_docx(other_docx)
    texts = body_texts(doc)
    assert "部门预算项目支出为400.00万元，其中：公共文化服务体系建设320.00万元；全民健身活动80.00万元。" in texts
    assert "全局编制共36人，实际在职人员33人。" in texts
    assert "绩效评价工作由局长李明同志任组长，张华、王芳为成员。对照年度目标逐项核查资金使用情况。" \
           "资金主要用于人员工资、日常运转和公共文化服务项目。" in texts
    assert not any("渌口" in t or "教育" in t for t in texts)
    assert style_name(doc.paragraphs[0]) == "Title"  # no attachment label in this data
    assert doc.core_properties.created.date().isoformat() == "2026-03-05"


def test_more_sections_continue_the_numbering(other_docx: Path) -> None:
    doc = open_docx(other_docx)
    level_1 = [p.text for p in doc.paragraphs if style_name(p) == "Heading 1"]
    assert level_1[-2:] == ["六、绩效自评结果拟应用和公开情况", "七、其他需要说明的情况"]
    assert "无。" in body_texts(doc)


def test_closing_block_follows_the_standard(other_docx: Path) -> None:
    doc = open_docx(other_docx)
    signature, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (signature.text, date.text) == ("青山县文化旅游广电体育局", "2026年3月5日")
    assert doc.paragraphs[-3].text == ""  # one empty line above the signature
    assert signature.alignment is None and style_name(signature) == "落款"
    assert attr(style_xml(doc, "落款"), "w:pPr/w:jc", "val") == "right"
    # The date starts two characters right of the signature's start: the signature is 12
    # characters wide, the date 6 (its six digits count half each).
    right_sig, right_date = signature.paragraph_format.right_indent, date.paragraph_format.right_indent
    assert right_sig == Pt(2 * 16)
    assert right_date == Pt((2 + 12 - 2 - 6) * 16)


def test_table_layout(other_report: object, tmp_path: Path) -> None:
    import shutil

    from selfeval_cli.render.sections import default_template_dir

    folder = tmp_path / "tpl"
    shutil.copytree(default_template_dir(), folder)
    (folder / "02_budget.j2").write_text(
        "# 预算支出情况\n@table 单位：万元\n| 项目 | 预算数 |\n"
        "{% for _, name, part in budget.parts() %}| {{ name }} | {{ part.amount }} |\n{% endfor %}@end\n",
        encoding="utf-8")
    out = tmp_path / "t.docx"
    assert build_report(OTHER, out, template_dir=folder).output == out
    doc = open_docx(out)
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["项目", "预算数"]
    assert [c.text for c in table.rows[2].cells] == ["项目支出", "400.00"]
    xml = table._tbl.xml
    assert xml.count("<w:tblHeader/>") == 1 and xml.count("<w:cantSplit/>") == 3
    assert 'w:insideH w:val="single"' in xml
    # Widths follow the content (4 : 3 characters) across the text width, the same in all three places.
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)]
    assert sum(grid) == round(156 / 25.4 * 1440) and grid[0] > grid[1]
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    assert (tbl_w.get(qn("w:w")), tbl_w.get(qn("w:type"))) == (str(sum(grid)), "dxa")
    assert '<w:tblLayout w:type="fixed"/>' in xml
    assert all(close_mm(row.cells[i].width, grid[i] / 1440 * 25.4) for row in table.rows for i in range(2))
    # Header centred by the style; the numbers right-aligned, the names left.
    assert table.rows[0].cells[1].paragraphs[0].alignment is None
    body_alignment = [c.paragraphs[0].alignment for c in table.rows[1].cells]
    assert body_alignment == [WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT]
    cell_style = style_xml(doc, "表格文字")
    assert attr(cell_style, "w:pPr/w:snapToGrid", "val") == "0"


def test_every_style_reference_resolves(example_docx: Path, other_docx: Path) -> None:
    for path in (example_docx, other_docx):
        styles = part_text(path, "word/styles.xml")
        ids = re.findall(r'w:styleId="([^"]+)"', styles)
        assert len(ids) == len(set(ids)) and len(ids) < 20  # pruned, and no id twice
        assert all(i.isascii() for i in ids)
        xml = styles + "".join(part_text(path, n) for n in part_names(path) if re.match(r"word/(document|footer)", n))
        referenced = set(re.findall(r'<w:(?:pStyle|rStyle|basedOn|next|link) w:val="([^"]+)"', xml))
        assert referenced <= set(ids), referenced - set(ids)
        assert "word/numbering.xml" not in part_names(path)


def test_shipped_base_document_is_up_to_date() -> None:
    from selfeval_cli.word.writer import BASE_DOCX, make_base_document

    assert BASE_DOCX.read_bytes() == make_base_document(), "run `make base` and commit the result"


MERGED = """@attachment 附件1
@title 表
# 说明节
@table
| 一级 | 二级 | 分值 |
|---|
| 产出 | 数量 | 10 |
| ^ | 质量 | 5 |
| 效益 | 社会 | 15 |
| 总分 | < | 30 |
@end
@pagebreak
@attachment 附件2
@title 报告
# 第一节
## 小节
正文
"""


def test_merged_cells_and_numbering_per_attachment(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "01_all.j2").write_text(MERGED + "# 第二节\n正文\n", encoding="utf-8")
    out = tmp_path / "m.docx"
    assert build_report(OTHER, out, template_dir=folder).output == out
    doc = open_docx(out)
    [table] = doc.tables
    rows = table._tbl.tr_lst
    # Row 1 starts a vertical merge that row 2 continues; row 3 starts none; row 4 spans two columns.
    first_cells = [props(tr.tc_lst[0]) for tr in rows]
    assert [tc.find(qn("w:vMerge")).get(qn("w:val")) if tc.find(qn("w:vMerge")) is not None else "-"
            for tc in first_cells] == ["-", "restart", None, "-", "-"]
    assert [len(tr.tc_lst) for tr in rows] == [3, 3, 3, 3, 2]
    assert props(rows[4].tc_lst[0]).find(qn("w:gridSpan")).get(qn("w:val")) == "2"
    widths = [int(props(tc).find(qn("w:tcW")).get(qn("w:w"))) for tc in rows[4].tc_lst]
    assert sum(widths) == sum(int(props(tc).find(qn("w:tcW")).get(qn("w:w"))) for tc in rows[1].tc_lst)
    assert [c.text for c in table.rows[2].cells] == ["产出", "质量", "5"]  # a merged cell reads as its origin
    assert [props(tr).find(qn("w:tblHeader")) is not None for tr in rows] == [True, False, False, False, False]
    # Each attachment numbers its headings from 一、 again.
    headings = [t for t in body_texts(doc) if "节" in t]
    assert headings == ["一、说明节", "一、第一节", "（一）小节", "二、第二节"]


def test_the_closing_is_kept_with_the_last_lines_of_text(other_docx: Path) -> None:
    paragraphs = open_docx(other_docx).paragraphs
    spacer, signature, date = paragraphs[-3:]
    assert (signature.text, date.text) == ("青山县文化旅游广电体育局", "2026年3月5日")
    assert paragraphs[-4].paragraph_format.keep_with_next is True  # the last line of text
    assert spacer.paragraph_format.keep_with_next is True and signature.paragraph_format.keep_with_next is True
    assert date.paragraph_format.keep_with_next is None


def test_word_opens_it_without_compatibility_mode(example_docx: Path) -> None:
    settings = part_text(example_docx, "word/settings.xml")
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)


def test_the_attachment_title_stands_on_the_third_line(example_docx: Path) -> None:
    label = style_xml(open_docx(example_docx), "附件标签")
    assert attr(label, "w:pPr/w:spacing", "after") == str(st.LINE_PITCH)  # one blank line under 附件2


def test_run_in_headings_stay_out_of_the_navigation_pane(example_docx: Path) -> None:
    doc = open_docx(example_docx)
    run_in = [p for p in doc.paragraphs if any(r.style is not None and r.style.name == st.BODY_CHARS for r in p.runs)]
    levels = [p._p.get_or_add_pPr().find(qn("w:outlineLvl")) for p in run_in]
    assert run_in and all(level is not None and level.get(qn("w:val")) == "9" for level in levels)
    plain = [p for p in doc.paragraphs if style_name(p) == "Heading 1"]
    assert plain and all(p._p.get_or_add_pPr().find(qn("w:outlineLvl")) is None for p in plain)  # style's level


@pytest.mark.parametrize(("title", "lines"), [
    ("株洲市渌口区人民政府办公室2023年度部门整体支出绩效自评报告",
     ["株洲市渌口区人民政府办公室", "2023年度部门整体支出绩效自评报告"]),
    ("株洲市渌口区教育局2024年度部门整体支出绩效自评报告", ["株洲市渌口区教育局2024年度", "部门整体支出绩效自评报告"]),
    ("中国人民政治协商会议某某县委员会2023年度部门整体支出绩效自评报告",
     ["中国人民政治协商会议某某县委员会", "2023年度部门整体支出绩效自评报告"]),
    ("部门整体支出绩效自评报告", ["部门整体支出绩效自评报告"]),
])
def test_long_titles_break_by_meaning(title: str, lines: list[str]) -> None:
    from selfeval_cli.word.titles import break_title

    broken = break_title(title, 20.1)  # 156 mm of 22 pt characters
    assert broken.split("\n") == lines
    assert not re.search(r"\d\n|\n[年度]", broken)  # never inside a number or between a year and 年度


def test_a_long_title_breaks_in_the_report(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(OTHER.read_text(encoding="utf-8"))
    data["attachment"]["title"] = "青山县文化旅游广电体育局2025年度部门整体支出绩效自评报告"
    source = tmp_path / "t.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "t.docx"
    assert build_report(source, out).output == out
    title = next(p for p in open_docx(out).paragraphs if style_name(p) == "Title")
    assert title.text == "青山县文化旅游广电体育局\n2025年度部门整体支出绩效自评报告"  # w:br read back as \n
    data["attachment"]["title_lines"] = ["青山县文化旅游广电体育局2025年度", "部门整体支出绩效自评报告"]
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert build_report(source, out).output == out
    title = next(p for p in open_docx(out).paragraphs if style_name(p) == "Title")
    assert title.text == "青山县文化旅游广电体育局2025年度\n部门整体支出绩效自评报告"  # the data's own lines


@pytest.mark.parametrize("source", [EXAMPLE, EXAMPLE.with_name("2025_example_county.yaml")], ids=["report", "table"])
def test_style_and_font_properties_stand_where_the_schema_puts_them(source: Path, tmp_path: Path) -> None:
    # Word refuses a file whose property children are out of schema order; the writer builds new
    # paragraphs' pPr and runs' rFonts itself instead of letting python-docx place them.
    target = tmp_path / "r.docx"
    assert build_report(source, target).output == target
    xml = part_text(target, "word/document.xml")
    paragraph_props = re.findall(r"<w:pPr>(.*?)</w:pPr>", xml)
    run_props = re.findall(r"<w:rPr>(.*?)</w:rPr>", xml)
    assert len(paragraph_props) > 30 and len(run_props) > 50
    for children in paragraph_props:
        assert "<w:pStyle" not in children or children.startswith("<w:pStyle"), children
    styled = [children for children in run_props if "<w:rStyle" in children]
    assert styled, "no run with a character style: the rStyle/rFonts order is not tested"
    for children in run_props:
        tags = re.findall(r"<w:(\w+)", children)
        expected_start = ["rStyle", "rFonts"] if "rStyle" in tags else ["rFonts"]
        assert tags[:len(expected_start)] == expected_start, children
