"""Text as departments copy it (importing.text): lines rejoined, runs split, punctuation, contents, the year."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval_cli.importing.text import (
    Line,
    display_width,
    find_contents,
    find_year,
    is_flattened,
    join_lines,
    normalise,
    split_run,
    text_paragraphs,
    wrapped_lines,
)

from ..conftest import FIXTURES, PUBLISHED

# --- joining lines ----------------------------------------------------------------------------------


def test_lines_without_indents_end_paragraphs_at_short_lines_sentence_ends_and_headings() -> None:
    lines = [Line("一、部门概况", room=22), Line("（一）部门职能", room=21),
             Line("某县水利局负责全县水资源管理，组织实施水利工"),  # full: the paragraph goes on
             Line("程建设。", room=24),  # short: it ends
             Line("内设办公室、水政股、工程股三个股室，编制20人。"),  # full, but ends a sentence
             Line("实有19人。", room=23)]
    assert join_lines(lines) == ["一、部门概况", "（一）部门职能",
                                 "某县水利局负责全县水资源管理，组织实施水利工程建设。",
                                 "内设办公室、水政股、工程股三个股室，编制20人。", "实有19人。"]


def test_where_indents_mark_paragraphs_a_sentence_ending_at_the_margin_goes_on() -> None:
    lines = [Line("一、部门概况", indent=True, room=20),
             Line("绩效评价工作由局长李明同志任组长，张华为成员。", indent=True),
             Line("对照年度目标逐项核查。资金主要用于人员工资。", room=4),
             Line("二、存在的问题", indent=True, room=20),
             Line("部分项目资金支付进度偏慢，个别股室对绩效", indent=True),
             Line("工作重视不够。", room=20),
             Line("某县文化馆", indent=True, room=2)]
    assert join_lines(lines) == ["一、部门概况",
                                 "绩效评价工作由局长李明同志任组长，张华为成员。对照年度目标逐项核查。资金主要用于人员工资。",
                                 "二、存在的问题", "部分项目资金支付进度偏慢，个别股室对绩效工作重视不够。",
                                 "某县文化馆"]


def test_a_line_that_stopped_because_the_next_word_did_not_fit_goes_on() -> None:
    # 3 characters of room, but "1,234.56万元" starts with a word 4 characters wide: it could not fit.
    lines = [Line("全年支出合计", room=3), Line("1,234.56万元，其中基本支出", room=8), Line("800.00万元。", room=20)]
    assert join_lines(lines) == ["全年支出合计1,234.56万元，其中基本支出", "800.00万元。"]


def test_ascii_words_broken_between_lines_keep_a_space() -> None:
    lines = [Line("相关资料见 Microsoft"), Line("Word 文件。", room=20)]
    assert join_lines(lines) == ["相关资料见 Microsoft Word 文件。"]


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("其中基本支出3,203.", "56万元，项目支出905.21万元。", "其中基本支出3,203.56万元，项目支出905.21万元。"),
    ("其中基本支出3,2", "03.56万元。", "其中基本支出3,203.56万元。"),
    ("项目支出90", "5.21万元。", "项目支出905.21万元。"),
    ("版本 2", "and 3 更新。", "版本 2 and 3 更新。"),  # a word after a number is still a word apart
])
def test_a_number_broken_at_a_lines_end_is_one_number(first: str, second: str, joined: str) -> None:
    assert join_lines([Line(first), Line(second, room=20)]) == [joined]


def test_a_blank_line_ends_a_paragraph() -> None:
    assert join_lines([Line("第一段"), Line("第二段", gap_before=True)]) == ["第一段", "第二段"]


def test_hard_wrapped_text_is_recognised_and_one_paragraph_a_line_is_not() -> None:
    wrapped = (FIXTURES / "import" / "hard_wrapped_ascii.txt").read_text(encoding="utf-8").splitlines()
    lines = wrapped_lines(wrapped)
    assert lines is not None and len(lines) == len(wrapped)
    assert wrapped_lines(PUBLISHED.read_text(encoding="utf-8").splitlines()) is None
    assert wrapped_lines(["太短", "的文字"]) is None


def test_a_page_number_copied_into_hard_wrapped_text_does_not_break_its_paragraph() -> None:
    lines = (FIXTURES / "import" / "hard_wrapped_ascii.txt").read_text(encoding="utf-8").splitlines()
    middle = lines.index("系建设、疾病预防控制、妇幼健康、基层卫生和卫生监督等工")  # inside a paragraph
    for number in ("— 2 —", "- 2 -", "第2页", "2/3"):
        paged = [*lines[:middle], number, *lines[middle:]]
        assert text_paragraphs("\n".join(paged)) == text_paragraphs("\n".join(lines))


def test_hard_wrapped_text_with_indents_goes_on_after_a_sentence_ending_at_the_margin() -> None:
    body = ["　　根据县财政局的通知要求，我局对本部",
            "门整体支出开展了自评。现将有关情况报告",
            "如下。",
            "　　一、部门概况",
            "　　青禾县水务局负责全县水资源的统一管",
            "理和保护，组织实施水利工程，完成投资。",  # a sentence ends at the margin; the next line is not indented
            "各项工作均按计划推进，群众较为满意。",
            "　　二、存在的问题",
            "　　个别项目开工偏晚，支付进度前慢后快。",
            "这一问题将在下一年度加以改进。"]
    assert text_paragraphs("\n".join(body)) == [
        "根据县财政局的通知要求，我局对本部门整体支出开展了自评。现将有关情况报告如下。", "一、部门概况",
        "青禾县水务局负责全县水资源的统一管理和保护，组织实施水利工程，完成投资。各项工作均按计划推进，群众较为满意。",
        "二、存在的问题", "个别项目开工偏晚，支付进度前慢后快。这一问题将在下一年度加以改进。"]


# --- a run pasted as one line ----------------------------------------------------------------------


def test_a_run_is_cut_before_headings_but_not_inside_figures_dates_or_words() -> None:
    run = ("一、部门概况 某局负责全县工作。（一）机构 设3个股室，统一、规范管理。1.完成1.5万亩，2024年1、2月开工。"
           "2.支付1,234.56万元。二、问题 第一、第二季度支出偏慢。")
    assert split_run(run) == ["一、部门概况", "某局负责全县工作。", "（一）机构", "设3个股室，统一、规范管理。",
                              "1.完成1.5万亩，2024年1、2月开工。", "2.支付1,234.56万元。", "二、问题",
                              "第一、第二季度支出偏慢。"]


def test_a_run_loses_the_viewers_page_numbers_and_gives_its_label_and_signature() -> None:
    run = "附件2 部门整体支出绩效自评报告 一、概况 某局负责全县 — 2 — 工作。某县某局 2024年3月5日"
    assert split_run(run) == ["附件2", "部门整体支出绩效自评报告", "一、概况", "某局负责全县工作。", "某县某局",
                              "2024年3月5日"]


def test_flattened_text_is_told_from_text_with_a_paragraph_a_line() -> None:
    assert is_flattened([(FIXTURES / "import" / "pasted_one_line.txt").read_text(encoding="utf-8")])
    assert not is_flattened(PUBLISHED.read_text(encoding="utf-8").splitlines())


# --- ASCII punctuation -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("资金,2024年", "资金，2024年"),
    ("完成率100%,较上年", "完成率100%，较上年"),
    ("如下:一是;二是?三是!", "如下：一是；二是？三是！"),
    ("(一)部门职能", "（一）部门职能"),
    ("网站(www.qhx.gov.cn)查询", "网站（www.qhx.gov.cn）查询"),
    ("合计1,234.56万元", "合计1,234.56万元"),
    ("上午8:30至12:00", "上午8:30至12:00"),
    ("见http://www.qhx.gov.cn/a?id=1,2", "见http://www.qhx.gov.cn/a?id=1,2"),
    ("使用Word,Excel和(PDF)文件", "使用Word,Excel和（PDF）文件"),
    ("Word (2016), Excel", "Word (2016), Excel"),
    ("未闭合(括号", "未闭合（括号"),
])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


_MIXED = st.text(alphabet=st.sampled_from([*"资金管理项目，。、；：（）“”", *"0123456789", *",;:?!().%/ ", *"abcXYZ"]),
                 max_size=60)


@given(_MIXED)
def test_normalise_keeps_every_number_and_chinese_character(text: str) -> None:
    done = normalise(text)
    assert len(done) == len(text)
    assert re.findall(r"\d+(?:[.,:]\d+)*", done) == re.findall(r"\d+(?:[.,:]\d+)*", text)
    assert [c for c in done if "\u4e00" <= c <= "\u9fff"] == [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert all(a == b or (a in ",;:?!()" and b in "，；：？！（）") for a, b in zip(text, done, strict=True))


_LINES = st.lists(st.builds(Line, _MIXED, st.booleans(), st.floats(0, 30), st.booleans()), max_size=12)


@given(_LINES)
def test_joining_keeps_every_character_in_order(lines: list[Line]) -> None:
    def squash(text: str) -> str:
        return re.sub(r"\s+", "", text)

    assert squash("".join(join_lines(lines))) == squash("".join(line.text for line in lines))


@given(st.text(alphabet=st.sampled_from([*"资金管理项目，。、；：（）一二三", *"0123456789.、 "]), max_size=80))
def test_splitting_keeps_every_character_in_order(run: str) -> None:
    assert re.sub(r"\s+", "", "".join(split_run(run))) == re.sub(r"\s+", "", run)


# --- table of contents -----------------------------------------------------------------------------

_BODY = ["2021年度部门整体支出绩效评价报告", "一、部门概况", "某局负责全县工作。", "二、绩效目标", "完成任务。",
         "三、存在的问题", "个别项目开工偏晚。"]


@pytest.mark.parametrize("contents", [
    ["目　录", "一、部门概况……………1", "二、绩效目标……………2", "三、存在的问题…………3"],  # titled, dot leaders
    ["一、部门概况......1", "二、绩效目标......2", "三、存在的问题......3"],  # no title
    ["目录", "一、部门概况 1", "二、绩效目标 2", "三、存在的问题 3"],  # copied without the dots
    ["一、部门概况1", "二、绩效目标2", "三、存在的问题3"],  # without dots or spaces, nor a title
    ["目 录", "一、部门概况", "二、绩效目标", "三、存在的问题"],  # without page numbers
], ids=["dots", "untitled", "spaces", "glued", "no-pages"])
def test_contents_are_found(contents: list[str]) -> None:
    assert find_contents(["附件2", *contents, *_BODY]) == range(1, 1 + len(contents))


def test_contents_right_before_the_first_heading_end_where_it_repeats() -> None:
    paragraphs = ["目录", "一、部门概况", "二、绩效目标", *_BODY[1:]]
    assert find_contents(paragraphs) == range(0, 3)


def test_headings_without_text_between_them_are_no_contents() -> None:
    headings = ["附件2", "报告", "一、部门概况", "（一）部门职能", "1.负责全县工作", "局机关设三个股室。"]
    assert find_contents(headings) is None
    assert find_contents(PUBLISHED.read_text(encoding="utf-8").splitlines()) is None


# --- the year --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("paragraphs", "year", "how"), [
    (["附件2", "某县水利局2024年度部门整体支出绩效自评报告"], 2024, "报告标题"),
    (["某县林业局", "2019年部门整体支出绩效评价报告"], 2019, "报告标题"),
    (["根据县财政局《关于开展2022年度部门整体支出绩效自评工作的通知》要求，现将情况报告如下："], 2022, "通知标题"),
    (["部门整体支出绩效自评报告", "正文。", "某县水务局", "2021年4月12日"], 2020, "落款日期"),
    (["部门整体支出绩效自评报告", "正文。", "某县水务局", "二〇二一年三月十日"], 2020, "落款日期"),
    (["部门整体支出绩效自评报告", "2020年完成投资。", "2020年底竣工，2021年验收。", "2020年运行良好。", "某县水务局",
      "2021年10月8日"],
     2020, "出现最多"),
], ids=["titled", "no-du", "notice", "dated", "dated-in-words", "dominant"])
def test_find_year(paragraphs: list[str], year: int, how: str) -> None:
    found, reason = find_year(paragraphs)
    assert found == year and how in reason


def test_no_year_when_nothing_says_or_two_years_tie() -> None:
    assert find_year(["一、预算单位基本情况", "某局为正科级行政单位。"]) == (None, "")
    assert find_year(["2020年完成投资。", "2021年验收。", "2020年开工，2021年竣工。"]) == (None, "")


def test_quotation_marks_are_as_wide_as_the_chinese_around_them() -> None:
    # Hard-wrapped Chinese text sets “ ” in the CJK font: a line with quotes measured narrow looked short and
    # ended its paragraph in the middle of a sentence.
    assert display_width("严格落实“过紧日子”要求") == 12
    assert display_width("say “hi”") == 4  # Latin text: the quotes are narrow there


def test_a_chapter_title_run_into_its_text_on_one_line_is_cut_where_it_ends() -> None:
    """Pasted from a web page, a chapter's title has its text right after it ("四、存在问题一是……"): cut
    where a word that ends a chapter's title is followed by text — not by 、 or 及, which go on with it."""
    run = ("一、部门概况（一）部门职能。某县某局为县政府工作部门。二、部门整体支出情况支出合计100万元。"
           "三、绩效目标完成情况2022年，全县居民健康水平提高。四、存在问题一是资金到位较晚；二是人才难留。"
           "五、主要经验及做法、存在的问题及原因分析经验是加强管理。六、自评结论经自评，得分为90分。")
    assert split_run(run) == [
        "一、部门概况", "（一）部门职能。某县某局为县政府工作部门。", "二、部门整体支出情况", "支出合计100万元。",
        "三、绩效目标完成情况", "2022年，全县居民健康水平提高。", "四、存在问题", "一是资金到位较晚；二是人才难留。",
        "五、主要经验及做法、存在的问题及原因分析", "经验是加强管理。", "六、自评结论", "经自评，得分为90分。"]


def test_a_web_pages_buttons_after_the_closing_stand_apart() -> None:
    run = ("一、部门概况（一）部门职能。某县某局为县政府工作部门。二、自评结论经自评，得分为90分。"
           "某县某局2023年4月28日【打印本页】【关闭窗口】")
    assert split_run(run)[-3:] == ["某县某局", "2023年4月28日", "【打印本页】【关闭窗口】"]
