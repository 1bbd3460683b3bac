"""Which chapter is which, and figures read from whatever chapter states them.

The national outline's own report built and imported gives back what that outline prints (its 基本情况
read like the default outline's chapters of the department and the budget, its combined chapter split
by its sub-headings, its chapter of other matters in ``sections.other``, the evaluation team with
titles); a figure stated only in a chapter kept as text fills its field and is quoted, one the
budget's chapter states otherwise is left in the text.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing.fields import NATIONAL, chapter_fields
from selfeval_cli.importing.outline import build_tree
from selfeval_cli.importing.reader import Para
from selfeval_cli.model.loader import load_file
from selfeval_cli.vocabulary import DEFAULT_OUTLINE

from ..conftest import OTHER

D = Decimal
FIGURES = ("department.staffing", "department.assets", "budget", "income", "three_public")


def _dumped(data: dict[str, Any], path: Path) -> Path:
    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float",
                                                                                 f"{value:f}"))
    path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _national() -> dict[str, Any]:
    """The other department in the national outline, with the parts that outline prints."""
    data = load_file(OTHER).data
    for key in ("key_work", "improvements", "disclosure", "more_sections"):
        data.pop(key)
    data["evaluation"]["team"]["members"][0]["title"] = "办公室主任"  # a member with a title
    data["department"]["staffing"] = {"authorized": 36, "actual": 33, "retired": 12,
                                      "groups": [{"name": "行政编制", "authorized": 30, "actual": 28},
                                                 {"name": "工勤编制", "authorized": 6, "actual": 5}]}
    data["department"]["assets"] = {"vehicles": {"authorized": 2, "actual": 2}, "fixed_assets": D("480.25")}
    data["budget"].update(adjusted=D("1270.80"), executed=D("1240.60"))
    data["income"] = {"amount": D("1282.60"), "previous": D("1190.30")}
    data["three_public"] = {"abroad": {"budget": D("0.00"), "actual": D("0.00")},
                            "vehicles": {"budget": D("8.00"), "actual": D("7.50")},
                            "reception": {"budget": D("2.00"), "actual": D("1.60")}}
    return {**data, "outline": NATIONAL, "summary": "本报告对本局2025年度部门整体支出进行了绩效评价。",
            "performance_goals": "保障机关正常运转，建成县图书馆新馆。", "conclusion": "年度目标基本完成。",
            "indicator_analysis": "产出指标全部完成，效益指标基本完成。", "experience": "坚持项目化管理。",
            "suggestions": "建议年初一次性下达项目资金。",
            "sections": {"other": {"title": "其他需要说明的问题", "text": "本年度没有其他需要说明的问题。"}}}


def test_the_national_outlines_own_report_reads_back(tmp_path: Path) -> None:
    original = _national()
    built = tmp_path / "national.docx"
    assert build_report(_dumped(original, tmp_path / "national.yaml"), built).output == built
    result = import_report(built, tmp_path / "back.yaml")
    assert result.output is not None
    back = load_file(result.output).data
    for key in ("outline", "summary", "performance_goals", "evaluation", "conclusion", "indicator_analysis",
                "experience", "problems", "suggestions", "sections", "budget", "income"):
        assert back[key] == original[key], key
    department, said = back["department"], original["department"]
    for key in ("name", "rank", "kind", "duties", "staffing", "assets"):
        assert department[key] == said[key], key
    # The outline names the units without their duties, and needs none: none are asked for.
    assert [(unit["kind"], unit["name"], unit.get("rank")) for unit in department["units"]] == [
        (unit["kind"], unit["name"], unit.get("rank")) for unit in said["units"]]
    assert all("duties" not in unit for unit in department["units"])
    assert not [p for p in validate_file(result.output).problems if "duties" in p.path]
    # It prints the "三公" total only: the sum of the items, with its 控制率.
    assert back["three_public"] == {"total": {"budget": D("10.00"), "actual": D("9.10")}}
    assert [entry for entry in back["review"] if entry["path"].startswith(FIGURES)] == []


def _report(chapters: str) -> str:
    return ("附件2\n青山县文化旅游广电体育局2025年度部门整体支出绩效自评报告\n"
            "一、预算单位基本情况\n青山县文化旅游广电体育局为正科级行政单位。\n（一）人员情况\n全局编制共36人，实际在职人员33人。\n"
            "二、一般公共预算支出情况\n年初财政批复的整体支出合计1250.80万元。\n部门预算基本支出850.80万元。\n"
            "部门预算项目支出为400.00万元。\n" + chapters)


def _imported(text: str, tmp_path: Path) -> dict[str, Any]:
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    result = import_report(source, tmp_path / "data.yaml", year=2025)
    assert result.output is not None
    data = load_file(result.output).data
    assert isinstance(data, dict)
    return data


def test_a_figure_only_a_chapter_of_text_states_fills_its_field(tmp_path: Path) -> None:
    data = _imported(_report("三、部门整体支出绩效情况\n全年实际支出1,240.60万元，主要用于人员工资和机关运转。\n"
                             "四、存在的问题及原因分析\n部分项目进度偏慢。\n五、下一步改进措施\n（一）加快进度。按月调度。\n"),
                     tmp_path)
    assert data["budget"]["executed"] == D("1240.60")
    text = "全年实际支出1,240.60万元，主要用于人员工资和机关运转。"
    assert text in data["sections"]["unplaced"]["text"]  # the chapter, read by no team sentence, is kept as text
    entry = next(entry for entry in data["review"] if entry["path"] == "budget.executed")
    assert text in entry["reason"] and "budget.executed 1240.60 万元" in entry["reason"]


def test_a_figure_the_budget_chapter_states_otherwise_stays_in_the_text(tmp_path: Path) -> None:
    problems = "年初批复的基本支出为860.00万元，年中有调整。"
    data = _imported(_report(f"三、部门整体支出绩效情况\n评价组逐项核对。\n四、存在的问题及原因分析\n{problems}\n"
                             "五、下一步改进措施\n（一）加快进度。按月调度。\n"), tmp_path)
    assert data["budget"]["basic"]["amount"] == D("850.80") and data["problems"] == problems
    assert not [entry for entry in data["review"] if "860.00" in entry["reason"]]


@pytest.mark.parametrize(("titles", "outline", "keys"), [
    (["预算单位基本情况", "一般公共预算支出情况", "部门整体支出绩效情况", "存在的问题及原因分析", "下一步改进措施"],
     DEFAULT_OUTLINE, ["basic", "budget", "evaluation", "problems", "improvements"]),
    (["部门基本情况", "部门整体支出管理及使用情况", "部门整体支出绩效情况", "存在的问题", "改进措施"],
     DEFAULT_OUTLINE, ["basic", "budget", "evaluation", "problems", "improvements"]),
    (["基本情况", "绩效评价工作开展情况", "综合评价情况及评价结论", "主要经验及做法、存在的问题及原因分析",
      "其他需要说明的问题"], NATIONAL, ["basic", "evaluation", "conclusion", "experience", "other"]),
    (["部门概况", "部门整体支出及使用情况", "评价结论", "存在的问题", "改进措施"],
     NATIONAL, ["basic", None, "conclusion", "problems", "suggestions"]),
    (["部门概况", "年度主要工作", "自评结论", "下一步打算"], None, [None, None, None, None]),
    # a heading that runs on into its text is known by its title, not by what the text says
    (["部门概况：本局的绩效目标全部完成。", "绩效目标", "综合评价情况及评价结论", "有关建议"],
     NATIONAL, ["basic", "performance_goals", "conclusion", "suggestions"]),
])
def test_which_chapter_is_which(titles: list[str], outline: str | None, keys: list[str | None]) -> None:
    root, _ = build_tree([Para(f"{'一二三四五六'[index]}、{title}") for index, title in enumerate(titles)])
    assert chapter_fields(root.children) == (outline, keys)


UNITS = ("一、预算单位基本情况\n青山县水利局为正科级行政单位。\n（一）主要职责\n1.负责全县水利工作。\n"
         "（二）内设机构及下属单位\n{counts}\n1.县水利工程管理站\n负责工程管理。\n2.县水土保持站\n负责水土保持。\n"
         "二、一般公共预算支出情况\n年初财政批复的整体支出合计1250.80万元。\n"
         "三、部门整体支出绩效情况\n总体较好。\n四、存在的问题及原因分析\n部分项目进度偏慢。\n"
         "五、下一步改进措施\n（一）加快进度。按月调度。\n")


@pytest.mark.parametrize(("counts", "kinds", "kept"), [
    ("本局下属事业单位2个：", ["下属事业单位", "下属事业单位"], False),  # a count of institutions alone
    ("本局设1个内设机构和1个下属事业单位：", ["内设机构", "下属事业单位"], False),
    ("经县编办批复（县编办〔2023〕12号），本局下设2个下属事业单位：", ["下属事业单位", "下属事业单位"], True),
], ids=["institutions only", "both", "says more"])
def test_the_units_under_their_counts(counts: str, kinds: list[str], kept: bool, tmp_path: Path) -> None:
    """The kinds of the units listed under a count follow it; the count line is kept as text when it says
    more than the counts (an approval and its 文号), and quoted on the review list either way."""
    data = _imported(UNITS.format(counts=counts), tmp_path)
    assert [unit["kind"] for unit in data["department"]["units"]] == kinds
    assert (counts in data.get("sections", {}).get("unplaced", {}).get("text", "")) is kept
    quoted = next(entry["reason"] for entry in data["review"] if counts in entry["reason"])
    # ... and says what the report prints instead: the counts of the units listed, in the outline's words
    said = "一个内设机构和一个下属事业单位" if "内设机构" in counts else "两个下属事业单位"
    assert "报告中写作“" in quoted and said in quoted.split("报告中写作“")[1]


NUMBERED_PROFILE = (
    "附件2\n青禾县林业局2023年度部门整体支出绩效评价报告\n一、基本情况\n（一）部门概况\n"
    "1.部门职能。负责全县林业资源保护和发展。\n2.人员编制。全局编制共30人，实际在职人员28人。\n"
    "3.部门预算收支情况。年初预算1,200.00万元，全年预算数1,250.00万元，全年实际支出1,230.00万元。\n"
    "（二）部门绩效目标\n完成造林1万亩。\n二、绩效评价工作开展情况\n按要求开展。\n三、综合评价情况及评价结论\n较好。\n"
    "四、绩效评价指标分析\n完成目标。\n五、主要经验及做法、存在的问题及原因分析\n（一）主要经验及做法\n加强管理。\n"
    "（二）存在的问题及原因分析\n进度偏慢。\n六、有关建议\n加快进度。\n七、其他需要说明的问题\n无。\n")


def test_numbered_parts_of_the_profile_are_not_duties(tmp_path: Path) -> None:
    """Under 部门概况, "2.人员编制。…" and "3.部门预算收支情况。…" are the staffing and the budget, read as
    such (their run-in titles are structure); only "1.部门职能。…" is a duty."""
    data = _imported(NUMBERED_PROFILE, tmp_path)
    department = data["department"]
    assert department["duties"] == ["部门职能。负责全县林业资源保护和发展。"]
    assert (department["staffing"]["authorized"], department["staffing"]["actual"]) == (30, 28)
    budget = data["budget"]
    assert (budget["amount"], budget["adjusted"], budget["executed"]) == (D("1200.00"), D("1250.00"), D("1230.00"))
    kept = data.get("sections", {}).get("unplaced", {}).get("text", "")
    assert "人员编制" not in kept and "1,230.00" not in kept


@pytest.mark.parametrize(("front", "title"), [
    ("附件2\n河阳县审计局\n2024年度部门整体支出绩效自评报告\n", "河阳县审计局2024年度部门整体支出绩效自评报告"),
    ("附件2\n河阳县审计局2024年度部门整体支出绩效自评报告\n", "河阳县审计局2024年度部门整体支出绩效自评报告"),
    ("附件2\n（2024年度）\n部门整体支出绩效自评报告\n", "部门整体支出绩效自评报告"),  # not a name: kept apart
], ids=["on two lines", "on one", "after a line that is no name"])
def test_a_title_set_on_two_lines_is_one_title(front: str, title: str, tmp_path: Path) -> None:
    data = _imported(front + UNITS.format(counts="本局设1个内设机构和1个下属事业单位："), tmp_path)
    assert data["attachment"]["title"] == title
    assert "河阳县审计局\n" not in data.get("sections", {}).get("unplaced", {}).get("text", "")


def test_the_closing_before_a_web_pages_buttons_is_the_closing(tmp_path: Path) -> None:
    """Copied from a web page, 【打印本页】【关闭窗口】 follow the 落款: it is still the 落款, and they stay as text."""
    data = _imported(UNITS.format(counts="本局设1个内设机构和1个下属事业单位：")
                     + "青山县水利局\n2025年3月10日\n【打印本页】【关闭窗口】\n", tmp_path)
    assert data["closing"] == {"signature": "青山县水利局", "date": "2025-03-10"}
    assert "【打印本页】【关闭窗口】" in str(data)
