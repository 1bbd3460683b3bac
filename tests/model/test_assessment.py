"""The self-assessment table: its model's rules, each scoring rule both ways, and the computed view."""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from selfeval_cli.model.assessment import Assessment, Indicator
from selfeval_cli.model.scoring import (
    execution_rate,
    execution_score,
    grade_for,
    qualitative_band,
    quantitative_score,
    score_in_band,
    score_table,
)
from selfeval_cli.vocabulary import GRADE_BANDS

D = Decimal


def _indicator(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name": "培训人次", "kind": "正向", "unit": "人次", "target": 100, "actual": D("95"),
                            "weight": 20}
    base.update(changes)
    return base


def _table(**changes: Any) -> dict[str, Any]:
    """A 财预〔2020〕10号 table: 执行率 10, 产出 50, 效益 30, 满意度 10."""
    data: dict[str, Any] = {
        "unit": "株洲市渌口区教育局",
        "funding": {
            "total": {"name": "年度资金总额", "initial": D("100.00"), "budget": D("120.00"), "executed": D("118.50")},
            "parts": [
                {"name": "本年财政拨款", "initial": 100, "budget": 110, "executed": D("109.00")},
                {"name": "上年结转资金", "initial": 0, "budget": 10, "executed": D("9.50")},
            ],
        },
        "goals": [{"target": "完成全年教育教学任务", "result": "已完成"}],
        "indicators": [
            {"name": "产出", "weight": 50, "children": [
                {"name": "产出数量", "weight": 20, "indicators": [_indicator()]},
                {"name": "产出质量", "indicators": [
                    _indicator(name="教学质量", kind="定性", unit=None, target="良好", actual="良好", weight=30,
                               score=D("28.50"), grade="达成")]},
            ]},
            {"name": "效益", "children": [{"name": "社会效益", "indicators": [
                _indicator(name="安全事故", kind="反向", unit="起", target=2, actual=3, weight=30)]}]},
            {"name": "满意度", "children": [{"name": "服务对象满意度", "indicators": [
                _indicator(name="家长满意度", kind="按评分标准", unit="%", target=90, actual="95%", weight=10,
                           score=10)]}]},
        ],
    }
    data.update(changes)
    return data


def _errors(data: dict[str, Any], model: Any = Assessment) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return list(caught.value.errors(include_url=False))


def _error(data: dict[str, Any], kind: str, model: Any = Assessment) -> Any:
    found = [e for e in _errors(data, model) if e["type"] == kind]
    assert found, _errors(data, model)
    return found[0]


def _half_up(value: Fraction) -> Decimal:
    """Reference rounding, independent of decimal's: two decimals, halves away from zero (value ≥ 0)."""
    return D(math.floor(value * 100 + Fraction(1, 2))) / 100


# --- 执行率 ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("executed", "budget", "rate"), [
    (D("118.50"), D("120.00"), D("98.75")),
    (D("120.00"), D("120.00"), D("100.00")),
    (D("126.00"), D("120.00"), D("105.00")),  # the rate itself is not capped
    (D("0.00"), D("50.00"), D("0.00")),
    (D("197.29"), D("200.00"), D("98.65")),  # 98.645: half up, where half-even would give 98.64
])
def test_execution_rate(executed: Decimal, budget: Decimal, rate: Decimal) -> None:
    assert execution_rate(executed, budget) == rate


def test_execution_rate_without_budget_is_none() -> None:
    assert execution_rate(D("5.00"), D("0.00")) is None
    assert execution_score(D("5.00"), D("0.00"), D(10)) is None


@pytest.mark.parametrize(("executed", "budget", "weight", "score"), [
    (D("100.00"), D("100.00"), D(10), D("10.00")),  # B = A: full
    (D("130.00"), D("100.00"), D(10), D("10.00")),  # overspending earns no more than full
    (D("90.00"), D("100.00"), D(10), D("9.00")),
    (D("98.65"), D("100.00"), D(10), D("9.87")),  # 9.865 rounds half up (half-even: 9.86)
    (D("98.64"), D("100.00"), D(10), D("9.86")),
    (D("50.00"), D("100.00"), D(0), D("0.00")),  # old schemes: the rate carries no points
])
def test_execution_score(executed: Decimal, budget: Decimal, weight: Decimal, score: Decimal) -> None:
    assert execution_score(executed, budget, weight) == score


# --- quantitative indicators -------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "target", "actual", "weight", "score"), [
    # 正向: B ≥ A is full, else B/A × 分值
    ("正向", D(100), D(100), D(20), D("20.00")),
    ("正向", D(100), D(120), D(20), D("20.00")),
    ("正向", D(100), D(95), D(20), D("19.00")),
    ("正向", D(8), D(7), D(3), D("2.63")),  # 2.625: half up (half-even would give 2.62)
    ("正向", D(100), D(-5), D(20), D("0.00")),  # never below 0
    ("正向", D(0), D(0), D(20), D("20.00")),
    ("正向", D(0), D(3), D(20), D("20.00")),
    ("正向", D(0), D(-1), D(20), D("0.00")),  # short of a zero target: nothing to be partly right on
    ("正向", D(-5), D(-3), D(10), D("10.00")),
    ("正向", D(-5), D(-7), D(10), D("6.00")),  # negative target: the miss (2) measured against |A| (5)
    # 反向: B ≤ A full; A < B < 2A → (1 − (B−A)/A) × 分值; B ≥ 2A → 0
    ("反向", D(10), D(8), D(10), D("10.00")),
    ("反向", D(10), D(10), D(10), D("10.00")),
    ("反向", D(10), D(15), D(10), D("5.00")),
    ("反向", D(10), D("19.99"), D(10), D("0.01")),
    ("反向", D(10), D(20), D(10), D("0.00")),  # B = 2A
    ("反向", D(10), D(35), D(10), D("0.00")),
    ("反向", D(0), D(0), D(10), D("10.00")),
    ("反向", D(0), D(1), D(10), D("0.00")),
    ("反向", D(8), D(9), D(3), D("2.63")),  # 3 × 7/8 = 2.625: half up
    # 等于: equal full, else (1 − |B−A|/|A|) × 分值, at least 0
    ("等于", D(100), D(100), D(10), D("10.00")),
    ("等于", D(100), D(90), D(10), D("9.00")),
    ("等于", D(100), D(110), D(10), D("9.00")),
    ("等于", D(100), D(250), D(10), D("0.00")),
    ("等于", D(0), D(0), D(10), D("10.00")),
    ("等于", D(0), D("0.1"), D(10), D("0.00")),
    ("等于", D(-4), D(-5), D(8), D("6.00")),
])
def test_quantitative_score(kind: str, target: Decimal, actual: Decimal, weight: Decimal, score: Decimal) -> None:
    assert quantitative_score(kind, target, actual, weight) == score


def test_quantitative_score_refuses_typed_kinds() -> None:
    with pytest.raises(ValueError, match="定性"):
        quantitative_score("定性", D(1), D(1), D(1))


_VALUES = st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
_WEIGHTS = st.decimals(min_value=D("0.01"), max_value=100, places=2)


@given(st.sampled_from(["正向", "反向", "等于"]), _VALUES, _VALUES, _WEIGHTS)
def test_quantitative_score_stays_within_weight(kind: str, target: Decimal, actual: Decimal, weight: Decimal) -> None:
    score = quantitative_score(kind, target, actual, weight)
    assert D(0) <= score <= weight
    assert score == score.quantize(D("0.01"))


@given(st.decimals(min_value=D("0.001"), max_value=10**6, places=3),
       st.decimals(min_value=0, max_value=10**6, places=3), _WEIGHTS)
def test_positive_targets_follow_the_published_formulas(target: Decimal, actual: Decimal, weight: Decimal) -> None:
    a, b, w = Fraction(target), Fraction(actual), Fraction(weight)
    assert quantitative_score("正向", target, actual, weight) == _half_up(min(b / a, Fraction(1)) * w)
    reverse = w if b <= a else (max(Fraction(0), 1 - (b - a) / a) * w)
    assert quantitative_score("反向", target, actual, weight) == _half_up(reverse)
    assert quantitative_score("等于", target, actual, weight) == _half_up(max(Fraction(0), 1 - abs(b - a) / a) * w)


# --- 定性 bands and grades ---------------------------------------------------------------------

def test_qualitative_bands() -> None:
    assert qualitative_band("达成", D(10)) == (D(8), D(10))
    assert qualitative_band("部分达成", D(10)) == (D(6), D(8))
    assert qualitative_band("未达成", D(10)) == (D(0), D(6))
    assert qualitative_band("部分达成", D("1.23")) == (D("0.738"), D("0.984"))  # exact, not rounded


@pytest.mark.parametrize(("grade", "score", "inside"), [
    ("达成", "10", True), ("达成", "8", True), ("达成", "7.99", False),
    ("部分达成", "8", False), ("部分达成", "7.99", True), ("部分达成", "6", True), ("部分达成", "5.99", False),
    ("未达成", "6", False), ("未达成", "5.99", True), ("未达成", "0", True),
])
def test_score_in_band(grade: str, score: str, inside: bool) -> None:
    assert score_in_band(grade, D(score), D(10)) is inside


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"),
    ("0", "差"),
])
def test_grade_for(total: str, grade: str) -> None:
    assert grade_for(D(total)) == grade


def test_grade_for_custom_bands() -> None:
    bands = (("好", D(85)), ("一般", D(0)))
    assert grade_for(D("85.00"), bands) == "好"
    assert grade_for(D("84.99"), bands) == "一般"
    with pytest.raises(ValueError, match="no grade"):
        grade_for(D(-1), bands)


# --- the model ---------------------------------------------------------------------------------

def test_valid_table() -> None:
    table = Assessment.model_validate(_table())
    assert table.funding.weight == D("10.00") and table.funding.basis == "全年预算数"
    indicator = table.indicators[0].children[0].indicators[0]
    assert indicator.target == D(100) and isinstance(indicator.target, Decimal)
    assert indicator.weight == D("20.00") and str(indicator.weight) == "20.00"
    satisfaction = table.indicators[2].children[0].indicators[0]
    assert satisfaction.target == "90" and satisfaction.actual == "95%"  # kept as text for typed kinds
    with pytest.raises(ValidationError):
        indicator.weight = D(1)  # type: ignore[misc]


def test_qualitative_indicator_needs_a_grade() -> None:
    data = _indicator(kind="定性", target="良好", actual="良好", score=8, weight=10)
    error = _error(data, "assessment_grade_missing", Indicator)
    assert "定性指标需要写 grade" in error["msg"]
    assert Indicator.model_validate({**data, "grade": "达成"}).grade == "达成"


@pytest.mark.parametrize(("changes", "kind", "needle"), [
    ({"kind": "按评分标准", "target": "按标准", "actual": "达标"}, "assessment_score_missing", "需要写 score"),
    ({"grade": "达成"}, "assessment_grade_extra", "只有定性指标写 grade"),
    ({"score": D("20.01")}, "assessment_score_over", "超过分值"),
])
def test_kind_requirements(changes: dict[str, Any], kind: str, needle: str) -> None:
    assert needle in _error(_indicator(**changes), kind, Indicator)["msg"]


@pytest.mark.parametrize(("value", "kind", "needle"), [
    ("≥95%", "assessment_value_text", "正向指标的年度指标值应为数字，实际为文本“≥95%”"),
    ("较好", "assessment_value_text", "定性"),
    ("95", "assessment_quoted", "不要加引号"),
    ("95%", "assessment_unit", "不要带 %"),
    ("待填", "assessment_to_fill", "未填写"),
    (True, "assessment_number_type", "真假值"),
    (None, "assessment_number_type", "空值"),
    (D("NaN"), "assessment_not_finite", "有限"),
    (D("1e999"), "assessment_too_large", "过大"),
])
def test_quantitative_values_must_be_numbers(value: object, kind: str, needle: str) -> None:
    error = _error(_indicator(target=value), kind, Indicator)
    assert error["loc"] == ("target",)
    assert needle in error["msg"]


def test_actual_value_is_named_in_messages() -> None:
    assert "实际完成值" in _error(_indicator(kind="反向", actual="很少"), "assessment_value_text", Indicator)["msg"]


def test_indicator_values_may_be_negative_or_decimal() -> None:
    indicator = Indicator.model_validate(_indicator(target=D("-5.5"), actual=-3))
    assert indicator.target == D("-5.5") and indicator.actual == D(-3)


def test_text_values_of_typed_kinds() -> None:
    base = _indicator(kind="定性", grade="达成", score=18)
    assert Indicator.model_validate({**base, "target": D("99.5")}).target == "99.5"
    assert _error({**base, "target": "  "}, "text_empty", Indicator)["loc"] == ("target",)
    assert _error({**base, "actual": False}, "assessment_value_type", Indicator)["loc"] == ("actual",)


@pytest.mark.parametrize(("value", "kind"), [
    (D("10.005"), "assessment_score_precision"),
    (D("100.01"), "assessment_score_range"),
    (-1, "assessment_score_range"),
    ("10分", "assessment_unit"),
    (True, "assessment_number_type"),
])
def test_weights_are_scores(value: object, kind: str) -> None:
    error = _error(_indicator(weight=value), kind, Indicator)
    assert error["loc"] == ("weight",) and "分" in error["msg"]


def test_indicator_weight_must_be_positive() -> None:
    assert "大于 0" in _error(_indicator(weight=0), "assessment_weight_zero", Indicator)["msg"]


def test_funding_weight_with_three_decimals_is_an_error() -> None:
    data = _table()
    data["funding"]["weight"] = D("9.999")
    assert _error(data, "assessment_score_precision")["loc"] == ("funding", "weight")


@pytest.mark.parametrize("path", [
    (), ("funding",), ("funding", "total"), ("goals", 0), ("indicators", 0), ("indicators", 0, "children", 0),
    ("indicators", 0, "children", 0, "indicators", 0),
])
def test_unknown_keys_are_errors(path: tuple[str | int, ...]) -> None:
    data = _table()
    node: Any = data
    for part in path:
        node = node[part]
    node["remark"] = "备注"
    assert _error(data, "extra_forbidden")["loc"] == (*path, "remark")


def test_lists_must_not_be_empty() -> None:
    data = _table()
    data["indicators"][0]["children"][0]["indicators"] = []
    assert _error(data, "too_short")["loc"] == ("indicators", 0, "children", 0, "indicators")
    assert _error(_table(goals=[]), "too_short")["loc"] == ("goals",)


@pytest.mark.parametrize(("grades", "kind"), [
    ([], "assessment_grades_empty"),
    ([{"name": "良", "lower": 80}, {"name": "优", "lower": 90}, {"name": "差", "lower": 0}], "assessment_grades_order"),
    ([{"name": "优", "lower": 90}, {"name": "良", "lower": 80}], "assessment_grades_floor"),
    ([{"name": "合格", "lower": 60}, {"name": "合格", "lower": 0}], "assessment_grades_duplicate"),
])
def test_grade_bands_are_checked(grades: list[dict[str, Any]], kind: str) -> None:
    assert _error(_table(grades=grades), kind)["loc"] == ("grades",)


def test_json_schema_describes_every_field_in_chinese() -> None:
    schema = Assessment.model_json_schema()
    for name, definition in schema["$defs"].items():
        for field, spec in definition["properties"].items():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in spec.get("description", "")), (name, field)


# --- the computed table ------------------------------------------------------------------------

def test_score_table() -> None:
    table = score_table(Assessment.model_validate(_table()))
    funding = table.funding
    assert funding.total.rate == D("98.75") and funding.score == D("9.88")  # 118.5/120 × 10 = 9.875
    assert [p.rate for p in funding.parts] == [D("99.09"), D("95.00")]
    assert not funding.rate_missing and not funding.needs_reason
    rows = [row for _, _, row in table.indicators()]
    assert [r.score for r in rows] == [D("19.00"), D("28.50"), D("15.00"), D("10.00")]
    assert [r.typed for r in rows] == [None, D("28.50"), None, D("10.00")]
    assert rows[2].path == ("indicators", 1, "children", 0, "indicators", 0)
    assert [r.short for r in rows] == [True, True, True, False]
    assert [r.in_band for r in rows] == [None, True, None, None]
    first = table.levels[0]
    assert (first.weight, first.score) == (D(50), D("47.50"))
    assert [(c.weight, c.score) for c in first.children] == [(D(20), D(19)), (D(30), D("28.50"))]
    assert first.children[0].level.weight == D(20)  # the typed weight stays on the model
    assert table.total_weight == D(100)
    assert table.total_score == D("82.38") and table.grade == "良"
    assert table.bands == GRADE_BANDS


def test_typed_scores_of_computed_kinds_are_checked_not_trusted() -> None:
    data = _table()
    row = data["indicators"][0]["children"][0]["indicators"][0]  # computes to 19.00
    for typed, mismatch in [(D("19.00"), False), (D("18.99"), False), (D("19.01"), False), (D("18.98"), True),
                            (D(20), True)]:
        row["score"] = typed
        table = score_table(Assessment.model_validate(data))
        scored = next(table.indicators())[2]
        assert (scored.score, scored.typed, scored.mismatch) == (D(19), typed, mismatch)
        assert table.total_score == D("82.38")  # the typed score never enters the total


def test_qualitative_score_outside_its_band_is_exposed() -> None:
    data = _table()
    data["indicators"][0]["children"][1]["indicators"][0]["score"] = D("23.99")  # 达成 starts at 24
    table = score_table(Assessment.model_validate(data))
    assert [r.in_band for _, _, r in table.indicators()][1] is False


def test_execution_rate_on_initial_budget_and_without_a_divisor() -> None:
    data = _table()
    data["funding"]["basis"] = "年初预算数"
    funding = score_table(Assessment.model_validate(data)).funding
    assert funding.total.rate == D("118.50") and funding.score == D("10.00")
    assert funding.parts[1].rate is None  # 上年结转资金 has no 年初预算
    data["funding"]["total"]["initial"] = 0
    funding = score_table(Assessment.model_validate(data)).funding
    assert funding.total.rate is None and funding.rate_missing and funding.score == D(0)


def test_low_execution_rate_needs_a_reason() -> None:
    data = _table()
    data["funding"]["total"]["executed"] = D("107.99")  # 89.99 %
    assert score_table(Assessment.model_validate(data)).funding.needs_reason
    data["funding"]["total"]["executed"] = D("108.00")  # 90.00 %
    assert not score_table(Assessment.model_validate(data)).funding.needs_reason


def test_older_scheme_with_unscored_funding_and_custom_grades() -> None:
    level = {"name": "预算配置", "indicators": [_indicator(name="在职人员控制率", kind="反向", unit="%",
                                                          target=100, actual=D("98.5"), weight=25)]}
    data = _table(
        indicators=[{"name": name, "weight": 25, "children": [copy.deepcopy(level)]}
                    for name in ["投入", "过程", "产出", "效果"]],
        grades=[{"name": "好", "lower": 85}, {"name": "较好", "lower": 70}, {"name": "一般", "lower": 0}])
    data["funding"]["weight"] = 0
    table = score_table(Assessment.model_validate(data))
    assert table.funding.score == D(0) and table.total_weight == D(100)
    assert table.total_score == D(100) and table.grade == "好"
    assert [f.level.name for f in table.levels] == ["投入", "过程", "产出", "效果"]


# --- generated tables --------------------------------------------------------------------------

_MONEY = st.decimals(min_value=0, max_value=10**6, places=2)


@st.composite
def _generated_indicator(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["正向", "反向", "等于", "定性", "按评分标准"]))
    weight = draw(_WEIGHTS.filter(lambda w: w <= 30))
    row: dict[str, Any] = {"name": "指标", "kind": kind, "weight": weight}
    if kind in {"正向", "反向", "等于"}:
        values = st.one_of(st.just(D(0)), st.integers(-50, 500), _VALUES)
        row.update(target=draw(values), actual=draw(values))
        if draw(st.booleans()):
            row["score"] = draw(st.decimals(min_value=0, max_value=weight, places=2))
        return row
    row.update(target="目标", actual="完成", score=draw(st.decimals(min_value=0, max_value=weight, places=2)))
    if kind == "定性":
        row["grade"] = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
    return row


@st.composite
def _generated_table(draw: st.DrawFn) -> dict[str, Any]:
    def funding_row(name: str) -> dict[str, Any]:
        return {"name": name, "initial": draw(_MONEY), "budget": draw(st.one_of(st.just(D(0)), _MONEY)),
                "executed": draw(_MONEY)}

    levels = draw(st.lists(st.lists(st.lists(_generated_indicator(), min_size=1, max_size=3),
                                    min_size=1, max_size=3), min_size=1, max_size=4))
    return {
        "funding": {"total": funding_row("年度资金总额"), "parts": [funding_row("本年财政拨款")],
                    "weight": draw(st.sampled_from([0, 10, D("12.5")])),
                    "basis": draw(st.sampled_from(["全年预算数", "年初预算数"]))},
        "goals": [{"target": "目标", "result": "结果"}],
        "indicators": [{"name": f"一级{i}", "children": [{"name": f"二级{j}", "indicators": rows}
                                                       for j, rows in enumerate(children)]}
                       for i, children in enumerate(levels)],
    }


@settings(deadline=None, max_examples=150)
@given(_generated_table())
def test_generated_tables_add_up(data: dict[str, Any]) -> None:
    table = score_table(Assessment.model_validate(data))
    rows = [row for _, _, row in table.indicators()]
    assert table.total_score == table.funding.score + sum(r.score for r in rows)
    assert table.total_weight == table.funding.weight + sum(r.weight for r in rows)
    assert D(0) <= table.funding.score <= table.funding.weight
    for row in rows:
        assert D(0) <= row.score <= row.weight
        assert row.score == row.score.quantize(D("0.01"))
        if not row.indicator.computed:
            assert row.score == row.typed
    for first in table.levels:
        assert first.score == sum(c.score for c in first.children)
        assert first.weight == sum(c.weight for c in first.children)
    expected = next(name for name, lower in GRADE_BANDS if table.total_score >= lower)
    assert table.grade == expected
    assert (table.grade == "优") == (table.total_score >= 90)
    assert (table.grade == "差") == (table.total_score < 60)
