"""The import's invariant as a property: whatever a report's chapters, numbering and shape, every
sentence of it is somewhere in the data file — a field, ``more_sections`` or ``sections.unplaced``.

Documents are generated from random chapters (numbered in the styles reports use: 一、 （一） 1.
（1）, a number sometimes missing or skipped), with sentences drawn from a pool of our own (some
stating figures the importer reads into fields), in the shapes reports are copied in: one paragraph
a line, the whole text on one line (pasted from a PDF viewer), or hard-wrapped at a random width
with ASCII punctuation (the paragraphs' first lines indented, or not). Each is written as a .txt,
imported, and held to ``sentences.placed``. A second property draws reports in the shipped outlines'
own chapters, so that most of their text is read into fields and figures rather than kept whole.

Sentences the importer was known to drop stand in fixed cases below; one it drops again is added
there, marked ``xfail(strict=True)`` with what should change, so that it turns red when fixed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing.reader import read_document

from .sentences import placed

PROSE = (
    "评价组对照年度目标逐项核对了完成情况。",
    "个别项目绩效目标设置不够具体，难以量化考核。",
    "下一步将建立月度调度机制，及时解决项目推进中的困难。",
    "全体干部职工团结协作，较好地完成了年度各项任务。",
    "资金使用严格执行财务管理制度，没有发现违规支出。",
    "部分乡镇配套资金到位较晚，影响了工程进度。",
    "我们将把自评结果作为下年度预算安排的重要依据。",
    "自评报告经局党组会议审议后报送县财政局。",
    "一是加强业务培训；二是完善内控制度；三是推进信息公开。",
    "群众对窗口服务的满意度进一步提高（抽样调查结果）。",
    "严格落实“过紧日子”要求，压减一般性支出。",
    "主要负责人亲自部署，分管领导具体抓落实！",
)
FIGURES = (
    "全年共开展执法检查326次，立案查处违法案件41件。",
    "项目资金到位率100%，支付进度为96.4%。",
    "每周一上午9:30召开调度会，通报各项目进展。",
    "完成高标准农田建设1.5万亩，比上年增长12.5%。",
    "全局编制共45人，实际在职人员43人。",
    "局机关行政编制31人，事业编制9人；在职人员38人，退休人员14人。",
    "部门预算基本支出856.20万元，其中：人员支出702.35万元；公用支出153.85万元。",
    "部门预算项目支出604.60万元，主要用于农村公路养护和危桥改造。",
    "2024年收入2,061.10万元，比上年增加58.30万元。",
    "“三公”经费支出12.60万元，其中公务接待费3.10万元，公务用车购置及运行维护费9.50万元，因公出国（境）费0万元。",
    "全年实际支出1,987.45万元，预算执行率96.4%。",
)
TITLES = (
    "预算单位基本情况", "部门职能", "内设机构及下属单位", "人员情况", "一般公共预算支出情况", "部门整体支出绩效情况",
    "存在的问题及原因分析", "下一步改进措施", "绩效自评结果拟应用和公开情况", "部门概况", "绩效目标",
    "绩效评价工作开展情况", "综合评价情况及评价结论", "有关建议", "其他需要说明的问题", "主要经验做法",
    "资金使用情况", "项目实施情况", "管理制度建设", "社会效益",
)
CN = "一二三四五六七八九十"
STYLES = (("{cn}、",), ("（{cn}）", "({cn})"), ("{n}.", "{n}、"), ("（{n}）", "({n})"))
"""How each level's headings are numbered: the forms reports type, full- and half-width."""
ASCII = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?"})


@st.composite
def chapters(draw: st.DrawFn, level: int = 0) -> list[str]:
    """The lines of a run of headings at ``level`` (each with its text and sub-headings)."""
    lines: list[str] = []
    number = 0
    for _ in range(draw(st.integers(1, 4 if level == 0 else 3))):
        number += draw(st.sampled_from((1, 1, 1, 1, 2)))  # now and then a number skipped
        number = min(number, len(CN))
        title = draw(st.sampled_from(TITLES))
        missing = draw(st.integers(0, 9)) == 0  # now and then a heading typed without its number
        style = draw(st.sampled_from(STYLES[level]))
        lines.append(title if missing else style.format(cn=CN[number - 1], n=number) + title)
        for _ in range(draw(st.integers(0 if level < 2 else 1, 2))):
            lines.append("".join(draw(st.lists(st.sampled_from(PROSE + FIGURES), min_size=1, max_size=3))))
        if level < len(STYLES) - 1 and draw(st.integers(0, 2)) == 0:
            lines += draw(chapters(level + 1))
    return lines


def _wrapped(lines: list[str], width: int, indent: str = "") -> str:
    """Each paragraph cut every ``width`` characters, ASCII punctuation for Chinese, its first line
    indented by ``indent`` (as a page is copied: the indent takes room on the line)."""
    out = []
    for line in lines:
        text = indent + line.translate(ASCII)
        out += [text[at:at + width] for at in range(0, len(text), width)]
    return "\n".join(out)


@st.composite
def documents(draw: st.DrawFn) -> str:
    body = draw(chapters())
    head = ["附件2", "青禾县某局2024年度部门整体支出绩效自评报告"] if draw(st.booleans()) else []
    lines = head + body
    shape = draw(st.sampled_from(("paragraphs", "one line", "wrapped", "wrapped and indented")))
    if shape == "one line":
        return " ".join(lines)
    if shape.startswith("wrapped"):
        return _wrapped(lines, draw(st.integers(16, 40)), "　　" if shape.endswith("indented") else "")
    return "\n".join(lines)


def _unplaced(text: str, year: int | None = 2024) -> list[str]:
    """The sentences of ``text`` (written as a .txt and imported) that stand nowhere in the data."""
    with tempfile.TemporaryDirectory(prefix="selfeval-invariant-") as folder:
        source = Path(folder) / "report.txt"
        source.write_text(text, encoding="utf-8")
        result = import_report(source, Path(folder) / "out.yaml", year=year)
        assert result.output is not None, [problem.format() for problem in result.problems]
        data = yaml.safe_load(result.output.read_text(encoding="utf-8"))  # figures may be 待填: plain YAML
        return placed(text, read_document(source), data)[2]


@settings(max_examples=100, deadline=None, derandomize=True)  # the same documents every run (see below)
@given(documents())
# Pasted as one line: a heading's title, then its text starting with a year; numbers skipped after bare titles.
@example("预算单位基本情况 （一）存在的问题及原因分析 （二）下一步改进措施 评价组对照年度目标逐项核对了完成情况。 "
         "（三）主要经验做法 2024年收入2,061.10万元，比上年增加58.30万元。 评价组对照年度目标逐项核对了完成情况。")
@example("（一）一般公共预算支出情况 1.部门概况 （1）绩效评价工作开展情况 2.管理制度建设 （2）预算单位基本情况 "
         "（二）绩效自评结果拟应用和公开情况 （四）部门整体支出绩效情况 一是加强业务培训；二是完善内控制度；"
         "三是推进信息公开。局机关行政编制31人，事业编制9人；在职人员38人，退休人员14人。自评报告经局党组会议审议后"
         "报送县财政局。")
def test_every_sentence_of_any_document_is_somewhere_in_the_data(text: str) -> None:
    assert _unplaced(text) == []


OUTLINE_TITLES = (
    "预算单位基本情况", "部门概况", "人员情况", "资产情况", "主要职责", "一般公共预算支出情况",
    "部门整体支出及使用情况", "部门整体支出绩效情况", "绩效目标", "绩效评价工作开展情况",
    "综合评价情况及评价结论", "主要经验做法", "存在的问题及原因分析", "有关建议", "下一步改进措施",
    "绩效自评结果拟应用和公开情况", "其他需要说明的问题",
)
"""Chapter titles of the shipped outlines (and sub-headings the department's chapter reads): drawn
several at a time, they make reports the importer reads as the default or the national outline."""


@st.composite
def outline_documents(draw: st.DrawFn) -> str:
    """A report in the shipped outlines' chapters (most of it read into fields and figures), headings now
    and then running on into their text after a colon, one paragraph a line or hard-wrapped."""
    lines = ["附件2", "青禾县某局2024年度部门整体支出绩效自评报告"]
    for number, title in enumerate(draw(st.lists(st.sampled_from(OUTLINE_TITLES), min_size=3, max_size=7,
                                                 unique=True))):
        text = "".join(draw(st.lists(st.sampled_from(PROSE + FIGURES), min_size=1, max_size=3)))
        lines += [f"{CN[number]}、{title}：{text}"] if draw(st.booleans()) else [f"{CN[number]}、{title}", text]
        for sub in range(draw(st.integers(0, 2))):
            lines += [f"（{CN[sub]}）{draw(st.sampled_from(OUTLINE_TITLES))}",
                      "".join(draw(st.lists(st.sampled_from(PROSE + FIGURES), min_size=1, max_size=3)))]
    if draw(st.booleans()):
        return _wrapped(lines, draw(st.integers(16, 40)))
    return "\n".join(lines)


# Derandomized: the suite runs the same 60 reports every time (CI stays green or red for a reason). Reports it
# found failing on other seeds are kept below as examples, once fixed.
@settings(max_examples=60, deadline=None, derandomize=True)
@given(outline_documents())
@example("附件2\n青禾县某局2024年度部门整体支\n出绩效自评报告\n一、预算单位基本情况\n评价组对照年度目标逐项核对了完成\n"
         "情况。\n七、部门整体支出及使用情况:20\n24年收入2,061.10万元,\n比上年增加58.30万元。")  # a number wrapped
@example("附件2\n青禾县某局2024年度部门整体支\n出绩效自评报告\n一、预算单位基本情况\n评价组对照年度目标逐项核对了完成\n"
         "情况。\n二、绩效自评结果拟应用和公开情况\n严格落实“过紧日子”要求,压减一\n般性支出。\n三、部门概况\n"
         "评价组对照年度目标逐项核对了完成\n情况。\n四、人员情况\n评价组对照年度目标逐项核对了完成\n情况。\n"
         "五、一般公共预算支出情况:评价组\n对照年度目标逐项核对了完成情况。\n六、资产情况\n评价组对照年度目标逐项核对了完成\n"
         "情况。\n七、部门整体支出绩效情况:评价组\n对照年度目标逐项核对了完成情况。")  # “ ” in a wrapped line
def test_every_sentence_of_a_report_in_a_known_outline_is_somewhere_in_the_data(text: str) -> None:
    assert _unplaced(text) == []


HUNAN = ("一、预算单位基本情况\n某县某局为正科级行政单位。\n{basic}二、一般公共预算支出情况\n{budget}\n"
         "三、部门整体支出绩效情况\n评价组对照年度目标逐项核对了完成情况。\n四、存在的问题及原因分析{problems}\n"
         "五、下一步改进措施\n（一）细化预算编制。按月调度。\n六、绩效自评结果拟应用和公开情况\n自评结果在门户网站公开。\n")
"""A report in the default outline's chapters, with lines of its 基本情况, a budget paragraph and the
problems' heading line to fill in."""
DUTIES = ("（一）主要职责\n根据县委编办的批复，本局承担以下职责：\n1.负责全县市容环境卫生的监督管理。\n"
          "2.负责城市道路的养护管理。\n")


@pytest.mark.parametrize("text", [
    pytest.param(HUNAN.format(basic="", budget="部门预算项目支出1,204.60万元，主要用于农村公路养护和危桥改造。",
                              problems="\n部分项目执行进度前慢后快。"),
                 id="budget-sentence-read-in-other-words"),
    pytest.param(HUNAN.format(basic="", budget="部门预算项目支出604.60万元。",
                              problems="：预算绩效管理的专业人员不足。"),
                 id="heading-running-on-into-its-text"),
    pytest.param(HUNAN.format(basic=DUTIES, budget="部门预算项目支出604.60万元。", problems="\n进度前慢后快。"),
                 id="duties-after-an-opening-paragraph"),
    pytest.param(HUNAN.format(basic=DUTIES.replace("根据县委编办的批复，本局承担以下职责：\n", ""),
                              budget="部门预算项目支出604.60万元，主要用于农村公路养护和危桥改造。",
                              problems="\n部分项目执行进度前慢后快。"), id="as-the-outline-writes-it"),
])
def test_sentences_the_importer_reads_into_fields_are_not_dropped(text: str) -> None:
    assert _unplaced(text) == []
