"""Figures from the report's own wording, read by the vocabulary: right, or on the review list, never silently wrong."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing import figures, prose
from selfeval_cli.model.loader import load_file
from selfeval_cli.render.outline_folders import templates_root

from ..conftest import EXAMPLE, FIXTURES, TABLE_EXAMPLE

D = Decimal
OTHER_WORDING = FIXTURES / "import" / "hunan_other_wording.txt"


@pytest.mark.parametrize(("sentence", "figures", "ambiguous"), [
    ("全局编制共58人，实际在职人员58人。", {"authorized": 58, "actual": 58}, 0),
    ("局机关行政编制41人，事业编制6人；在职人员35人，退休人员12人。",
     {"authorized": 47, "actual": 35, "retired": 12,
      "groups": [{"name": "行政编制", "authorized": 41}, {"name": "事业编制", "authorized": 6}]}, 0),
    ("核定编制52人，其中行政编制40人、事业编制12人；实有在职人员48人。",
     {"authorized": 52, "actual": 48,
      "groups": [{"name": "行政编制", "authorized": 40}, {"name": "事业编制", "authorized": 12}]}, 0),
    ("局本级编制120人，在职在编111人、退休人员9人；园林处在职人员88人、退休人员70人。",
     {"authorized": 120, "actual": 111, "retired": 9}, 1),  # the institution's figures are not the bureau's
    ("编制数为36名，在职人员33名，离退休人员20名。", {"authorized": 36, "actual": 33, "retired": 20}, 0),
    ("本单位编制共15人，在职14人。", {"authorized": 15, "actual": 14}, 0),
])
def test_staffing_in_other_words(sentence: str, figures: dict[str, Any], ambiguous: int) -> None:
    read = prose.staffing(sentence, "某县城市管理局")
    assert read is not None and read.figures == figures
    assert len(read.ambiguous) == ambiguous
    assert read.sources  # what it read from, to quote on the review list


@pytest.mark.parametrize("sentence", [
    "编制共40人，其中行政编制30人、事业编制8人；在职人员36人。",  # the kinds do not add up to the total
    "县环卫所在职人员64人、退休人员52人。",  # only an institution's figures
    "全局干部职工团结协作，圆满完成了年度任务。",  # no figure at all
])
def test_staffing_that_cannot_be_read_for_sure_fills_nothing(sentence: str) -> None:
    read = prose.staffing(sentence, "某县城市管理局")
    assert read is None or "authorized" not in read.figures


@pytest.mark.parametrize(("sentence", "expected"), [
    ("“三公”经费支出36.18万元，其中公务接待费3.52万元，公务用车购置及运行维护费32.66万元，因公出国（境）费0万元。",
     # the total is the items' sum: the outline prints the sum, so the data needs none
     {"reception": {"actual": D("3.52")}, "vehicles": {"actual": D("32.66")}, "abroad": {"actual": D("0.00")}}),
    ("2024年“三公”经费预算40万元，实际支出35.2万元。其中：因公出国（境）费预算0万元，实际支出0万元；"
     "公务用车购置及运行维护费预算30万元，实际支出27.5万元，比上年减少2.5万元；公务接待费预算10万元，实际支出7.7万元。",
     {"abroad": {"budget": D("0.00"), "actual": D("0.00")},
      "vehicles": {"budget": D("30.00"), "actual": D("27.50"), "previous": D("30.00")},
      "reception": {"budget": D("10.00"), "actual": D("7.70")}}),
    ("三公经费决算数12.6万元，其中：公务接待费1.6万元，公务用车购置及运行费11万元。",  # no 出国 item: the total stays
     {"total": {"actual": D("12.60")}, "reception": {"actual": D("1.60")}, "vehicles": {"actual": D("11.00")}}),
    ("\"三公\"经费支出合计126,000元，其中公务接待费26,000元、公务用车购置及运行维护费100,000元。",
     {"total": {"actual": D("12.60")}, "reception": {"actual": D("2.60")}, "vehicles": {"actual": D("10.00")}}),
    ("“三公”经费支出40万元，其中公务接待费5万元、公务用车购置及运行维护费30万元、因公出国（境）费0万元。",
     # a total that is not the sum is kept, for validate to point at
     {"total": {"actual": D("40.00")}, "reception": {"actual": D("5.00")}, "vehicles": {"actual": D("30.00")},
      "abroad": {"actual": D("0.00")}}),
])
def test_three_public_in_any_order(sentence: str, expected: dict[str, Any]) -> None:
    assert figures.three_public(sentence) == expected
    passage = prose.three_public(sentence)
    assert passage is not None
    in_yuan = [reason for stated in passage.statements for _, reason in stated.notes if "以元为单位" in reason]
    assert bool(in_yuan) == ("元，" in sentence and "万元" not in sentence)


@pytest.mark.parametrize(("text", "path", "amount", "previous"), [
    ("部门预算基本支出755.85万元，比上年减少13.6万元，其中：人员支出", "budget.basic", D("755.85"), D("769.45")),
    ("2024年收入916.4万元，同比上年度减少98.7万元", "income", D("916.40"), D("1015.10")),
    ("项目支出为210万元，较上年增长12.5万元。", "budget.project", D("210.00"), D("197.50")),
    # 1,250元 is 0.125 万元: last year's is worked out exactly, then rounded (half up) to the cent
    ("项目支出为210万元，与上年相比增加1,250元。", "budget.project", D("210.00"), D("209.88")),
    ("收入合计1,234,500.00元", "income", D("123.45"), None),
    ("项目支出300万元，与上年持平。", "budget.project", D("300.00"), D("300.00")),
    ("基本支出情况良好。项目支出300万元", "budget.basic", None, None),  # no amount in its own sentence
])
def test_an_amount_and_its_change(text: str, path: str, amount: Decimal | None, previous: Decimal | None) -> None:
    read = prose.budget(text).figures
    assert read.get(f"{path}.amount") == amount
    assert read.get(f"{path}.previous") == previous


@pytest.mark.parametrize(("text", "names"), [
    ("基本支出755.2万元，其中人员支出612.3万元，公用支出140.8万元、对个人和家庭补助2.1万元",
     ["人员支出", "公用支出", "对个人和家庭补助"]),
    ("基本支出792.6万元，其中：人员支出643.40万元，较上年增加20.00万元，增长3.21%；公用支出149.20万元",
     ["人员支出", "公用支出"]),
    ("项目支出1,700.5万元，其中：工资福利支出500万元；商品和服务支出1,200.5万元", ["工资福利支出", "商品和服务支出"]),
])
def test_every_item_of_a_list(text: str, names: list[str]) -> None:
    read = prose.budget(text).figures
    items = next(value for path, value in read.items() if path.endswith(".items"))
    assert [item["name"] for item in items] == names


def test_sentences_keep_every_character() -> None:
    text = "第一句。第二句；第三句;没有句号"
    assert "".join(prose.sentences(text)) == text and len(prose.sentences(text)) == 4


def test_a_report_in_other_words(tmp_path: Path) -> None:
    """The fixture says in its own words what the outline would: each figure lands in its field and is
    on the review list with the sentence it came from; an institution's figures are quoted, not taken."""
    out = tmp_path / "d.yaml"
    result = import_report(OTHER_WORDING, out)
    assert result.output == out
    data = load_file(out).data
    staffing = data["department"]["staffing"]
    assert (staffing["authorized"], staffing["actual"], staffing["retired"]) == (30, 27, 11)
    assert [g["name"] for g in staffing["groups"]] == ["行政编制", "事业编制"]
    basic = data["budget"]["basic"]
    assert (basic["amount"], basic["previous"]) == (D("688.40"), D("710.00"))
    assert [item["name"] for item in basic["items"]] == ["人员支出", "公用支出", "对个人和家庭补助"]
    assert data["budget"]["amount"] == D("1000.40")  # basic + project: the report states no total
    assert (data["income"]["amount"], data["income"]["previous"]) == (D("1010.60"), D("1054.50"))
    three = data["three_public"]
    # 21.35 is the items' sum; stated in other words than ours, the data keeps it (validate checks the sum)
    assert three["vehicles"] == {"actual": D("19.20")} and three["total"] == {"actual": D("21.35")}
    reasons: dict[str, list[str]] = {entry["path"]: [] for entry in data["review"]}
    for entry in data["review"]:
        reasons[entry["path"]].append(entry["reason"])
    # Every figure read from the report's own words is quoted on the review list.
    for path in ("department.staffing", "budget.basic", "budget.project.amount", "income", "three_public",
                 "budget.amount"):
        assert path in reasons, path
    assert any("budget.basic.previous 710.00 万元" in reason and "比上年减少21.6万元" in reason
               for reason in reasons["budget.basic"])
    assert any("县环卫所在职人员64人" in reason and "未读入" in reason for reason in reasons["department.staffing"])
    # And the sentence that states more than a figure is kept.
    assert "主要用于城区环境卫生保洁和路灯维护" in data["sections"]["unplaced"]["text"]


def _printed_from(sentence: str, outline: str | Path = "hunan") -> frozenset[str]:
    """What the outline prints from the figures read from ``sentence``."""
    data: dict[str, Any] = {}
    for path, value in prose.budget(sentence).figures.items():
        figures.place(data, path, value)
    return figures.printed(figures.budget_values(data), outline)


@pytest.mark.parametrize(("sentence", "own"), [
    ("部门预算基本支出850.80万元，较上年增加30.50万元，增长3.72%。", True),
    ("部门预算基本支出850.8万元，较上年增加30.5万元。", False),  # the same figures in other words
    ("部门预算基本支出850.80万元，较上年增加30.50万元，增长9.99%。", False),  # a rate that disagrees
    ("基本支出850.80万元，较上年增加30.50万元，增长3.72%。", False),
])
def test_our_own_sentence_is_known_by_printing_it_again(sentence: str, own: bool) -> None:
    assert (figures.squash(sentence) in _printed_from(sentence)) is own


def test_a_template_that_says_it_otherwise_is_followed(tmp_path: Path) -> None:
    """The wording lives in the templates only: an outline that words the sentence otherwise makes that
    wording the one read silently, and the shipped one another report's words."""
    folder = tmp_path / "outline"
    shutil.copytree(templates_root() / "hunan", folder)
    macros = (templates_root() / "common" / "_macros.j2").read_text(encoding="utf-8")
    assert macros.count("部门预算{{ label }}") == 1
    (folder / "common").mkdir()
    (folder / "common" / "_macros.j2").write_text(macros.replace("部门预算{{ label }}", "本年{{ label }}预算"),
                                                  encoding="utf-8")
    ours, theirs = "本年基本支出预算850.80万元。", "部门预算基本支出850.80万元。"
    assert figures.squash(ours) in _printed_from(ours, folder)
    assert figures.squash(theirs) not in _printed_from(theirs, folder)
    assert figures.squash(theirs) in _printed_from(theirs)


@pytest.mark.parametrize("source", [EXAMPLE, TABLE_EXAMPLE], ids=["published", "fictional"])
def test_the_examples_figures_come_back_with_nothing_to_review(source: Path, tmp_path: Path) -> None:
    """Both examples built and imported: every figure the same, and no review entry about one (the
    fictional example's 自评表 header and team titles are another importer's matter)."""
    built = tmp_path / "r.docx"
    assert build_report(source, built).output == built
    result = import_report(built, tmp_path / "back.yaml")
    assert result.output is not None
    back, original = validate_file(result.output).parsed, validate_file(source).parsed
    assert back is not None and original is not None
    for key in ("budget", "income", "three_public"):
        assert getattr(back, key) == getattr(original, key), key
    assert (back.department.staffing, back.department.assets) == (original.department.staffing,
                                                                  original.department.assets)
    figure_fields = ("budget", "income", "three_public", "department")
    assert [item for item in back.review if item.path.startswith(figure_fields)] == []


def test_the_team_sentence_is_read_by_the_pattern_its_macro_makes(tmp_path: Path) -> None:
    # The pattern is the macro's own output with stand-ins: change the wording in the macro, the reading follows.
    from selfeval_cli.importing import wording

    pattern = wording.team_pattern()
    said = "绩效评价工作由局长甲同志任组长，副局长乙为副组长，办公室主任丙、丁为成员。资金主要用于人员工资。"
    read, bare = pattern.match(said), pattern.match("绩效评价工作由局长甲同志任组长，丙为成员。")
    assert read is not None and bare is not None
    assert read.groupdict() == {"leader": "局长甲", "deputies": "副局长乙", "members": "办公室主任丙、丁"}
    assert bare["deputies"] is None
    assert "绩效评价工作由" not in Path(wording.__file__).read_text(encoding="utf-8")  # never written out there


@pytest.mark.parametrize(("text", "word"), [("全局核定编制共128名，实有在职人员121人。", "局"),
                                            ("全中心编制共20人，实有在职人员18人。", "中心")])
def test_the_word_a_department_calls_itself_by_leaves_the_qualifier_out(text: str, word: str) -> None:
    read = prose.staffing(text)
    assert read is not None and read.self_word == word
