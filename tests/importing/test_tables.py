"""importing.tables and importing.spreadsheet in small: values and names, and grids written here —
the same table merged, flat and with blank cells; comparisons from signs, columns and scores; rows
that cannot be placed; pages that continue a table; workbooks' number formats and hostile files."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from selfeval_cli.errors import InputFileError
from selfeval_cli.importing.reader import MergedCells, mark_merged
from selfeval_cli.importing.spreadsheet import number_format_digits, read_workbook, shown_text
from selfeval_cli.importing.tables import (
    Grid,
    column_letters,
    grade_suffix,
    kind_word,
    label_pairs,
    name_key,
    number,
    parse_value,
    prose,
    read_assessment,
    table_paragraphs,
    weight_in_name,
)

# ── Values and names ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("text", "kind", "value", "unit"), [
    ("≥8个", "正向", Decimal(8), "个"),
    ("≤-4.71%", "反向", Decimal("-4.71"), "%"),
    ("=100%", "等于", Decimal(100), "%"),
    ("＝１００％", "等于", Decimal(100), "%"),  # full-width, as typed with a Chinese input method
    ("不低于60%", "正向", Decimal(60), "%"),
    (">=95", "正向", Decimal(95), None),
    ("1,250.80万元", None, Decimal("1250.80"), "万元"),
    ("县乡村三级全覆盖", None, None, None),
])
def test_a_value_is_split_into_comparison_number_and_unit(text: str, kind: str | None, value: Decimal | None,
                                                          unit: str | None) -> None:
    read = parse_value(text)
    assert (read.kind, read.number, read.unit) == (kind, value, unit)


def test_numbers_names_and_weights() -> None:
    assert number("97.37%", "%") == Decimal("97.37") and number("10分", "分") == 10 and number("—") is None
    assert number("12人") is None  # a unit not asked for: not this column's number
    assert name_key("全年预算数\n（A）") == "全年预算数" and name_key("执行率（B/A）") == "执行率"
    assert weight_in_name("产出指标（50分）") == ("产出指标", Decimal(50))
    assert weight_in_name("产出指标\n(12.5分)") == ("产出指标", Decimal("12.5"))
    assert weight_in_name("产出指标") == ("产出指标", None)
    assert grade_suffix("县乡两级全覆盖（部分达成）") == ("县乡两级全覆盖", "部分达成")
    assert grade_suffix("达成") == ("达成", "达成") and grade_suffix("基本完成") == ("基本完成", None)
    assert [kind_word(w) for w in ("≥", "反向", "＝", "定性", "定量", "按评分标准", "其他")] == [
        "正向", "反向", "等于", "定性", "定量", "按评分标准", None]
    assert [column_letters(c) for c in (0, 6, 25, 26, 27)] == ["A", "G", "Z", "AA", "AB"]


def test_prose_joins_the_lines_a_cell_wrapped() -> None:
    assert prose("河湖养设\n绿疗务金。\n第二段。") == "河湖养设绿疗务金。\n第二段。"
    assert prose("Phase one\nof the work.") == "Phase one of the work."


def test_labels_and_the_lines_around_a_table() -> None:
    assert label_pairs("项目负责人：王某　　财务负责人：　　填报日期：2026年3月5日") == [
        ("head", "王某"), ("finance_head", ""), ("filled_on", "2026年3月5日")]
    assert label_pairs("单位（盖章）：") == [(None, "")] and label_pairs("其他文字：X") == []
    texts = ["附件1", "2025年度部门整体支出绩效自评表", "单位：万元", "注：1. 一级指标分值：产出50分。",
             "2. 定性指标按等级区间打分。", "附件2", "1. 主要职责"]
    assert table_paragraphs(texts) == {0, 1, 2, 3, 4}


def test_a_workbook_cell_shows_what_excel_shows() -> None:
    assert number_format_digits("#,##0.00_ ") == (2, False) and number_format_digits("0.0%") == (1, True)
    assert number_format_digits("General") == (None, False) and number_format_digits('"¥"#,##0') == (0, False)
    assert shown_text(0.1 + 0.2) == "0.30000000000000004"  # General: the float's shortest repr, never rounded away
    assert shown_text(0.1 + 0.2, "0.00") == "0.30"
    assert shown_text(884.19 / 912.3, "0.00%") == "96.92%"
    assert shown_text(2.675, "0.00") == "2.68"  # half up on the float's decimal digits (Python's round gives 2.67)
    assert shown_text(12) == "12" and shown_text("≥8个") == "≥8个"


# ── Grids ─────────────────────────────────────────────────────────────────────────────────────

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
FUNDING = [["资金项", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
           ["年度资金总额", "100.00", "100.00", "95.00", "10", "95.00%", "9.50"]]
GOALS = [["预期目标", "实际完成情况"], ["目标。", "完成。"]]
ROWS = [
    ["产出指标", "数量指标", "甲", "≥10个", "10个", "30", "30", ""],
    ["产出指标", "数量指标", "乙", "≥10个", "8个", "30", "24", "未完成。"],
    ["产出指标", "质量指标", "丙", "=100%", "100%", "10", "10", ""],
    ["效益指标", "社会效益指标", "丁", "有效提升", "有效提升（部分达成）", "20", "14", "差一些。"],
]
"""总分 9.50 + 30 + 24 + 10 + 14 = 87.50."""


def grids(rows: list[list[str]], merged: MergedCells | None = None) -> list[Grid]:
    return [Grid(FUNDING, "表1"), Grid(GOALS, "表2"), Grid([HEADER, *rows], "表3", merged or {})]


def read(rows: list[list[str]], merged: MergedCells | None = None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    reading = read_assessment(grids(rows, merged))
    assert reading is not None
    return reading.assessment, reading.review


def test_merged_flat_and_blank_level_cells_read_the_same() -> None:
    flat, flat_review = read(ROWS)
    merged_cells: MergedCells = {}
    for row, column in ((2, 0), (3, 0), (2, 1)):  # rows below the header: 产出 down three, 数量 down two
        mark_merged(merged_cells, row, column, column + 1)
    merged, merged_review = read(ROWS, merged_cells)
    blank_rows = [["" if (r, c) in ((1, 0), (2, 0), (1, 1)) else text for c, text in enumerate(row)]
                  for r, row in enumerate(ROWS)]
    blank, blank_review = read(blank_rows)
    assert flat == merged == blank and flat_review == merged_review == blank_review == []
    assert [(f["name"], [s["name"] for s in f["children"]]) for f in flat["indicators"]] == [
        ("产出指标", ["数量指标", "质量指标"]), ("效益指标", ["社会效益指标"])]
    qualitative = flat["indicators"][1]["children"][0]["indicators"][0]
    assert (qualitative["kind"], qualitative["actual"], qualitative["grade"]) == ("定性", "有效提升", "部分达成")


def test_a_target_without_a_sign_takes_the_comparison_its_score_follows() -> None:
    rows = [["产出指标", "成本指标", "人均经费", "5800元", "6380元", "90", "81", ""]]
    data, review = read(rows)
    row = data["indicators"][0]["children"][0]["indicators"][0]
    assert (row["kind"], row["target"], row["actual"], row["unit"]) == ("反向", 5800, 6380, "元")
    assert "score" not in row  # it agrees with the rule: the tool computes it
    assert review == [("assessment.indicators[0].children[0].indicators[0]",
                       "表3 第2行第4列的年度指标值没有写 ≥、≤ 或 =，按得分与规则相符的“反向”读取，请核对")]


def test_a_score_that_disagrees_is_kept_and_named_by_its_cell() -> None:
    rows = [[*ROWS[0][:6], "25", ""], *ROWS[1:]]
    data, review = read(rows)
    assert data["indicators"][0]["children"][0]["indicators"][0]["score"] == 25
    assert [path for path, reason in review if "表3 第2行第7列的得分 25 与按规则计算的 30.00 不符" in reason] == [
        "assessment.indicators[0].children[0].indicators[0]"]
    assert any("表3 第2行" not in reason and "总分" in reason for _, reason in review) is False


def test_a_kind_column_and_a_unit_column() -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标性质", "度量单位", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [header, ["产出指标", "数量指标", "甲", "≤", "天", "30", "33", "90", "81"],
            ["产出指标", "数量指标", "乙", "定性", "", "好", "好", "0.5", "0.5"]]
    reading = read_assessment([Grid(FUNDING, "表1"), Grid(GOALS, "表2"), Grid(rows, "表3")])
    assert reading is not None
    first, second = reading.assessment["indicators"][0]["children"][0]["indicators"]
    assert (first["kind"], first["unit"], first["target"], first["actual"]) == ("反向", "天", 30, 33)
    assert second["kind"] == "按评分标准"  # 定性 in the column but no grade: the typed score, as a rubric's
    assert any("指标性质写的是定性，但表3 第3行第7列没有写评价等级" in reason for _, reason in reading.review)


TEXT_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
RULE_ROW = ["效益指标", "可持续影响指标", "制度建设", "建立管理制度", "已建立", "10", "9"]
GRADED_ROW = ["效益指标", "社会效益指标", "服务覆盖", "全覆盖", "覆盖九成（部分达成）", "10", "7"]


@pytest.mark.parametrize(("rows", "hedged"), [
    ([RULE_ROW], True),  # nothing in the table says how it writes a 定性 row: a guess, on the review list
    ([GRADED_ROW, RULE_ROW], False),  # its 定性 rows carry their grade: a row without one is 按评分标准
    ([RULE_ROW, GRADED_ROW], False),  # wherever the graded row stands
], ids=["no row graded", "graded before", "graded after"])
def test_a_text_row_without_a_grade_is_a_rule_row_when_the_table_grades_its_others(
        rows: list[list[str]], hedged: bool) -> None:
    reading = read_assessment([Grid(FUNDING, "表1"), Grid(GOALS, "表2"), Grid([TEXT_HEADER, *rows], "表3")])
    assert reading is not None
    read = {row["name"]: row for first in reading.assessment["indicators"] for second in first["children"]
            for row in second["indicators"]}
    assert read["制度建设"]["kind"] == "按评分标准" and read["制度建设"]["score"] == 9
    assert any("没有写评价等级" in reason for _, reason in reading.review) is hedged
    if "服务覆盖" in read:
        assert (read["服务覆盖"]["kind"], read["服务覆盖"]["grade"]) == ("定性", "部分达成")


def test_rows_that_cannot_be_placed_are_quoted() -> None:
    rows = [["", "", "没有一级", "≥1个", "1个", "10", "10", ""], *ROWS,
            ["评价结论", "总体良好", "总体良好", "总体良好", "总体良好", "总体良好", "总体良好", "总体良好"]]
    _, review = read(rows)
    assert ("assessment", "表3 第2行没有一级指标，未能导入：“没有一级｜≥1个｜1个｜10”，请核对后手工填写") in review
    assert ("assessment", "表3 第7行未能归入自评表的任何部分，没有导入：“评价结论｜总体良好”，请核对") in review


def test_a_page_without_a_header_continues_the_indicators() -> None:
    """A PDF's next page: the same width, no header row; a wider table after it is not the 自评表."""
    pages = [*grids(ROWS[:2]), Grid(ROWS[2:], "第2页表1", {0: [(0, 1)]}), Grid([["甲", "乙", "丙"]], "第2页表2")]
    reading = read_assessment(pages)
    assert reading is not None and reading.used == {0, 1, 2, 3}
    assert [len(s["indicators"]) for f in reading.assessment["indicators"] for s in f["children"]] == [2, 1, 1]
    pages.append(Grid([["项目", "金额"], ["甲", "1"]], "第3页表1"))
    reading = read_assessment(pages)
    assert reading is not None and 4 not in reading.used


def test_a_second_table_is_not_read_into_the_first() -> None:
    first = [HEADER, *ROWS, ["总分", "总分", "总分", "总分", "总分", "100", "87.50", ""]]
    reading = read_assessment([*grids([])[:2], Grid(first, "表3"), Grid([HEADER, ROWS[0]], "表4")])
    assert reading is not None and 3 not in reading.used
    assert any("表4 第1行起是另一张自评表" in reason for _, reason in reading.review)
    assert not any("总分" in reason and "不符" in reason for _, reason in reading.review)  # 87.50 is right


def test_typed_total_rate_and_grade_are_checked() -> None:
    funding = [FUNDING[0], ["年度资金总额", "100.00", "100.00", "95.00", "10", "96.00%", "9.50"]]
    rows = [HEADER, *ROWS, ["总分", "", "", "", "", "100", "88.50", ""], ["自评等级", "", "", "", "", "", "良", ""]]
    reading = read_assessment([Grid(funding, "Sheet1", sheet=True), Grid(GOALS, "Sheet2", sheet=True),
                               Grid(rows, "Sheet3", sheet=True)])
    assert reading is not None
    assert [reason for _, reason in reading.review] == [
        "Sheet1!F2的执行率 96.00% 与计算的 95.00% 不符（年度资金总额），请核对",
        "Sheet3!G6的总分 88.50 与计算的 87.50 不符，请核对"]  # 良 is 87.50's grade


def test_amounts_with_more_than_two_decimals_are_rounded_and_said() -> None:
    funding = [FUNDING[0], ["年度资金总额", "100.004", "100", "95", "10", "", ""]]
    reading = read_assessment([Grid(funding, "表1"), Grid(GOALS, "表2"), Grid([HEADER, *ROWS], "表3")])
    assert reading is not None and reading.assessment["funding"]["total"]["initial"] == Decimal("100.00")
    said = "表1 第2行第2列的金额 100.004 多于两位小数，已按 100.00 万元读取，请核对"
    assert ("assessment.funding", said) in reading.review


def test_no_indicator_block_is_no_table() -> None:
    assert read_assessment([Grid(FUNDING, "表1"), Grid([["项目", "金额"]], "表2")]) is None
    huge = Grid([HEADER, *([ROWS[0]] * 2500)], "表1")  # longer than any 自评表: not searched
    assert read_assessment([huge]) is None


# ── Workbooks from outside ────────────────────────────────────────────────────────────────────


def test_a_workbook_with_a_dtd_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            target.writestr(info, data)
    with pytest.raises(InputFileError, match="声明了 DTD"):
        read_workbook(hostile)


def test_a_workbook_without_its_main_part_is_refused(tmp_path: Path) -> None:
    renamed = tmp_path / "report.xlsx"
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputFileError, match=r"缺少正文部件 xl/workbook.xml"):
        read_workbook(renamed)


def test_an_xls_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xls"
    fake.write_text("一级指标,二级指标", encoding="utf-8")
    with pytest.raises(InputFileError, match="开头不是 Excel 文件的格式"):
        read_workbook(fake)


def test_a_sheet_is_read_within_its_caps(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from selfeval_cli.importing import spreadsheet

    book = Workbook()
    sheet: Any = book.active
    sheet["A1"] = "一级指标"
    sheet["CZ5000"] = "far away"
    sheet.merge_cells("A2:C3")
    sheet["A2"] = "合并"
    book.save(tmp_path / "wide.xlsx")
    [grid] = read_workbook(tmp_path / "wide.xlsx")
    assert len(grid.rows) == spreadsheet.MAX_ROWS and len(grid.rows[0]) == spreadsheet.MAX_COLUMNS
    assert grid.rows[2][:4] == ["合并", "合并", "合并", ""]
    assert [grid.is_merged(1, c) for c in range(4)] == [False, True, True, False]
    assert grid.is_merged(2, 0) and grid.address(1, 0) == "Sheet!A2"


def reasons(reading: Any) -> list[str]:
    return [reason for _, reason in reading.review]


def test_a_messy_table_is_read_and_every_judgement_said() -> None:
    """A one-grid table in other words: goals without a header row, the unit named twice, a signature
    row with a date, a reason column in the funding block, values that need a second look."""
    rows = [
        ["主管部门", "某县人民政府", "实施单位（盖章）", "某县某中心"],
        ["预算单位", "某县某局", "", ""],
        ["资金项", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "原因"],
        ["年度资金总额", "100", "120", "90", "10", "90.00%", "8.00", "项目推迟。"],
        ["年度总体目标", "目标一。", "完成一。"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "计量单位", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "甲", "正向", "个", "≥10个", "≥10家", "20", "20"],
        ["产出指标", "数量指标", "乙", "反向", "", "=5天", "5天", "20", "20"],
        ["产出指标", "数量指标", "丙", "正向", "", "≥10个", "全部完成", "20", "18"],
        ["产出指标", "小计", "", "", "", "", "", "60", "50"],
        ["效益指标", "社会效益", "丁", "定性", "", "达成", "较好", "15", "13"],
        ["效益指标", "社会效益", "戊", "某种", "", "良好", "良好", "15", "15"],
        ["总分", "", "", "", "", "", "", "99", "90"],
        ["自评等级", "", "", "", "", "", "", "", "优秀"],
        ["填表人", "王某", "填报日期", "2026年3月5日"],
    ]
    reading = read_assessment([Grid(rows, "Sheet1", sheet=True)])
    assert reading is not None
    data, said = reading.assessment, reasons(reading)
    assert (data["unit"], data["supervisor"], data["preparer"]) == ("某县某局", "某县人民政府", "王某")
    assert str(data["filled_on"]) == "2026-03-05"
    assert data["goals"] == [{"target": "目标一。", "result": "完成一。"}]
    assert data["funding"]["reason"] == "项目推迟。" and data["funding"]["basis"] == "年初预算数"
    first, second, third = data["indicators"][0]["children"][0]["indicators"]
    assert (first["kind"], first["unit"], first["actual"]) == ("正向", "个", 10)
    assert second["kind"] == "反向" and third["kind"] == "按评分标准" and third["target"] == "≥10个"
    fourth, fifth = data["indicators"][1]["children"][0]["indicators"]
    assert (fourth["kind"], fourth["grade"]) == ("定性", "达成")  # 13 of 15 is 86.7 %: in the band of 达成
    assert fifth["kind"] == "按评分标准" and fifth["score"] == 15
    for expected in ("原表的实施单位“某县某中心”没有对应的字段，未导入",
                     "Sheet1!F4的执行率是按年初预算数算的，已按此读取，请核对",
                     "计量单位不一致（个、家），已按“个”读取，请核对",
                     "Sheet1!G7的实际完成值“≥10家”带有比较符号，已按 10 读取",
                     "指标性质是“反向”，Sheet1!F8的年度指标值“=5天”写的却是另一种比较，已按反向读取，请核对",
                     "Sheet1!G9的实际完成值“全部完成”不是数字，无法按正向计分，已按文字读取（得分照原表），请核对",
                     "Sheet1!I10的小计得分 50 与其下各项得分之和 58.00 不符，请核对",
                     "Sheet1!D12的指标性质“某种”不认识，已按年度指标值判断，请核对",
                     "Sheet1!H13的分值合计 99 与计算的 100.00 不符，请核对",
                     "Sheet1!G4的执行率得分 8.00 与计算的 9.00 不符，请核对",
                     "Sheet1!I11：定性指标没有写评价等级，按得分 13（分值 15）定为“达成”，请核对"):
        assert any(expected in reason for reason in said), (expected, said)


def test_a_table_with_errors_is_imported_and_not_checked_further() -> None:
    rows = [[*ROWS[0][:5], "30", "", ""], *ROWS[1:3], [*ROWS[3][:6], "", ""]]
    data, review = read(rows)
    qualitative = data["indicators"][1]["children"][0]["indicators"][0]
    assert "score" not in qualitative and "grade" in qualitative  # the grade its value states
    assert [reason for _, reason in review] == [
        "表3 第5行第7列没有得分，定性指标的得分需手工填写",
        "自评表中有 1 处需要先改正（validate 逐条列出），改正前未与原表的执行率、小计、总分和等级核对"]
