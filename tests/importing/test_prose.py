"""Figures from the report's own wording, read by the vocabulary: right, or on the review list, never silently wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing import prose
from selfeval_cli.model.loader import load_file

from ..conftest import FIXTURES

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
     {"total": {"actual": D("36.18")}, "reception": {"actual": D("3.52")}, "vehicles": {"actual": D("32.66")},
      "abroad": {"actual": D("0.00")}}),
    ("2024年“三公”经费预算40万元，实际支出35.2万元。其中：因公出国（境）费预算0万元，实际支出0万元；"
     "公务用车购置及运行维护费预算30万元，实际支出27.5万元，比上年减少2.5万元；公务接待费预算10万元，实际支出7.7万元。",
     {"total": {"budget": D("40.00"), "actual": D("35.20")},
      "abroad": {"budget": D("0.00"), "actual": D("0.00")},
      "vehicles": {"budget": D("30.00"), "actual": D("27.50"), "previous": D("30.00")},
      "reception": {"budget": D("10.00"), "actual": D("7.70")}}),
    ("三公经费决算数12.6万元，其中：公务接待费1.6万元，公务用车购置及运行费11万元。",
     {"total": {"actual": D("12.60")}, "reception": {"actual": D("1.60")}, "vehicles": {"actual": D("11.00")}}),
    ("\"三公\"经费支出合计126,000元，其中公务接待费26,000元、公务用车购置及运行维护费100,000元。",
     {"total": {"actual": D("12.60")}, "reception": {"actual": D("2.60")}, "vehicles": {"actual": D("10.00")}}),
])
def test_three_public_in_any_order(sentence: str, expected: dict[str, Any]) -> None:
    read = prose.three_public(sentence)
    assert read is not None and read.figures == expected
    assert read.in_yuan == ("元，" in sentence and "万元" not in sentence)


@pytest.mark.parametrize(("text", "word", "amount", "previous"), [
    ("部门预算基本支出755.85万元，比上年减少13.6万元，其中：人员支出", "基本支出", D("755.85"), D("769.45")),
    ("2024年收入916.4万元，同比上年度减少98.7万元", "收入", D("916.40"), D("1015.10")),
    ("项目支出为210万元，较上年增长12.5万元。", "项目支出", D("210.00"), D("197.50")),
    ("项目支出为210万元，与上年相比增加1,250元。", "项目支出", D("210.00"), D("209.88")),
    ("收入合计1,234,500.00元", "收入合计", D("123.45"), None),
    ("基本支出情况良好。项目支出300万元", "基本支出", None, None),  # no amount in its own sentence
])
def test_an_amount_and_its_change(text: str, word: str, amount: Decimal | None, previous: Decimal | None) -> None:
    read = prose.amount_after(text, word)
    if amount is None:
        assert read is None
    else:
        assert read is not None and (read[0], read[1]) == (amount, previous)


@pytest.mark.parametrize(("text", "names"), [
    ("人员支出612.3万元，公用支出140.8万元、对个人和家庭补助2.75万元", ["人员支出", "公用支出", "对个人和家庭补助"]),
    ("人员支出643.40万元，较上年增加20.00万元，增长3.21%；公用支出149.20万元", ["人员支出", "公用支出"]),
    ("工资福利支出500万元；商品和服务支出1,200.5万元", ["工资福利支出", "商品和服务支出"]),
])
def test_every_item_of_a_list(text: str, names: list[str]) -> None:
    assert [name for name, *_ in prose.listed_items(text)] == names


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
    assert three["vehicles"] == {"actual": D("19.20")} and three["total"] == {"actual": D("21.35")}
    reasons: dict[str, list[str]] = {entry["path"]: [] for entry in data["review"]}
    for entry in data["review"]:
        reasons[entry["path"]].append(entry["reason"])
    # Every figure read from the report's own words is quoted on the review list.
    for path in ("department.staffing", "budget.basic.previous", "budget.basic", "income.previous", "three_public",
                 "budget.amount"):
        assert path in reasons, path
    assert any("县环卫所在职人员64人" in reason and "未读入" in reason for reason in reasons["department.staffing"])
    # And the sentence that states more than a figure is kept.
    assert "主要用于城区环境卫生保洁和路灯维护" in data["sections"]["unplaced"]["text"]
