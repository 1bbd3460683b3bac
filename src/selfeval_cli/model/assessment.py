"""The self-assessment table (附件1, 部门整体支出绩效自评表) as data.

The table has a funding block (年度资金总额 and its 其中 rows, scored on 预算执行率), the
年度总体目标 (预期目标 against 实际完成情况), and a three-level indicator tree whose leaves carry
分值 and 得分. Level names and weights come from the data, never from here: the 财预〔2020〕10号
scheme (执行率 10, 产出 50, 效益 30, 满意度 10) and the older 投入/过程/产出/效果 schemes (funding
weight 0, all 100 points in the indicators) are both plain data.

This module holds only what one value or one indicator can get wrong. Sums across the tree
(Σ 分值 = 100, a level's weight = Σ of its children) are cross-checks, made on the computed view
in ``scoring``. Every custom error type starts with ``assessment_``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from selfeval_cli.model.money import Money
from selfeval_cli.model.types import Prose, StrictModel, Text, one_line
from selfeval_cli.model.values import describe
from selfeval_cli.vocabulary import CENT, STILL_TO_FILL, TO_FILL

Kind = Literal["正向", "反向", "等于", "定性", "按评分标准"]
QUANTITATIVE: frozenset[str] = frozenset({"正向", "反向", "等于"})
"""Kinds whose 得分 the tool computes from 年度指标值 and 实际完成值."""
Grade = Literal["达成", "部分达成", "未达成"]
DEFAULT_TITLE = "部门整体支出绩效自评表"
"""The table's title without its year (the form puts "2025年度" before it)."""

MAX_VALUE = Decimal(10) ** 12
"""Indicator values beyond this are slips; the bound also keeps Decimal arithmetic exact."""
_NUMBER_TEXT = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*$")


def _number(value: Any, what: str) -> Decimal:
    """A YAML number (int or Decimal) as a finite Decimal, or a Chinese reason why not."""
    # bool is an int subclass: `true` must not become 1.
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):  # only from Python callers; the loader never makes floats
        number = Decimal(str(value))
    else:
        raise _not_a_number(value, what)
    if not number.is_finite():
        raise PydanticCustomError("assessment_not_finite", "{what}必须是有限的数字，实际为 {value}",
                                  {"what": what, "value": str(number)})
    if abs(number) >= MAX_VALUE:
        raise PydanticCustomError("assessment_too_large", "{what}过大（{value}），请检查",
                                  {"what": what, "value": str(number)})
    return number


def _not_a_number(value: Any, what: str) -> PydanticCustomError:
    found = describe(value)
    if isinstance(value, str):
        text = value.strip()
        if text == TO_FILL:
            return PydanticCustomError("assessment_to_fill", "{what}未填写" + STILL_TO_FILL, {"what": what})
        if _NUMBER_TEXT.match(text):
            return PydanticCustomError("assessment_quoted", "{what}应为数字，不要加引号，实际为{found}",
                                       {"what": what, "found": found})
        if _NUMBER_TEXT.match(text.rstrip("%％分")):
            return PydanticCustomError(
                "assessment_unit", "{what}只写数字，不要带 % 或“分”（计量单位写在 unit），实际为{found}",
                {"what": what, "found": found})
        if text.lower().lstrip("+-.") in {"nan", "inf", "infinity"}:
            return PydanticCustomError("assessment_not_finite", "{what}必须是有限的数字，实际为{found}",
                                       {"what": what, "found": found})
    return PydanticCustomError("assessment_number_type", "{what}应为数字，实际为{found}",
                               {"what": what, "found": found})


def parse_score(value: Any) -> Decimal:
    """The validator behind ``Score``: 0 ≤ x ≤ 100 points, at most two decimals."""
    score = _number(value, "分值或得分")
    if not 0 <= score <= 100:
        raise PydanticCustomError("assessment_score_range", "分值或得分应在 0 到 100 分之间，实际为 {value}",
                                  {"value": str(score)})
    if score != score.quantize(CENT):
        raise PydanticCustomError("assessment_score_precision", "分值或得分最多保留两位小数，实际为 {value}",
                                  {"value": str(score)})
    return score.quantize(CENT)


Score = Annotated[
    Decimal,
    BeforeValidator(parse_score),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100, "description": "分数，最多两位小数"}),
]
"""A 分值 or 得分 in points: ``Decimal`` with two decimals, 0 to 100."""

IndicatorValue = Annotated[
    Decimal | str,
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}]}),
]
"""年度指标值 or 实际完成值: a number for 正向/反向/等于, a line of text otherwise."""

_VALUE_NAMES = {"target": "年度指标值", "actual": "实际完成值"}


class FundingRow(StrictModel):
    name: Text = Field(description="资金项，如“年度资金总额”“本年财政拨款”“上年结转资金”“其他资金”")
    initial: Money = Field(description="年初预算数（万元）")
    budget: Money = Field(description="全年预算数（万元，表中的 A）")
    executed: Money = Field(description="全年执行数（万元，表中的 B）")


class Funding(StrictModel):
    total: FundingRow = Field(description="年度资金总额一行")
    parts: list[FundingRow] = Field(
        default=[], description="“其中”各行，如 本年财政拨款、上年结转资金、其他资金；可为空")
    weight: Score = Field(
        10, validate_default=True, description="预算执行率的分值，财预〔2020〕10号为 10；执行率不计分的旧体系写 0")
    basis: Literal["全年预算数", "年初预算数"] = Field(
        "全年预算数", description="执行率的分母：全年预算数（多数地区）或年初预算数")
    reason: Prose | None = Field(None, description="执行率低于 90% 时的偏差原因分析及改进措施")


class Goal(StrictModel):
    target: Prose = Field(description="预期目标")
    result: Prose = Field(description="实际完成情况")


class Indicator(StrictModel):
    """三级指标：一行指标。"""

    name: Text = Field(description="三级指标名称，如“在职人员控制率”")
    # `kind` stands before target/actual so that their validator can read it (info.data).
    kind: Kind = Field(
        description="指标性质：正向（≥，越大越好）、反向（≤，越小越好）、等于（=）的得分由工具计算；"
                    "定性、按评分标准的得分手工填写")
    unit: Text | None = Field(None, description="计量单位，如“%”“人”“次”；定性指标可省略")
    target: IndicatorValue = Field(description="年度指标值：正向、反向、等于写数字（不带单位），定性写文字")
    actual: IndicatorValue = Field(description="实际完成值：正向、反向、等于写数字（不带单位），定性写文字")
    weight: Score = Field(description="分值")
    score: Score | None = Field(
        None, description="得分：定性、按评分标准必填；正向、反向、等于可省略（由工具计算，填写则用于核对）")
    grade: Grade | None = Field(
        None, description="定性指标的评价等级：达成（分值的 80%–100%）、部分达成（60%–80%）、未达成（60% 以下）")
    reason: Prose | None = Field(None, description="偏差原因分析及改进措施；未得满分时应填写")

    @field_validator("target", "actual", mode="plain")
    @classmethod
    def _value_for_kind(cls, value: Any, info: ValidationInfo) -> Decimal | str:
        what = _VALUE_NAMES[info.field_name or "target"]
        kind = info.data.get("kind")  # absent when `kind` itself was invalid
        if kind in QUANTITATIVE:
            try:
                return _number(value, what)
            except PydanticCustomError as exc:
                if exc.type == "assessment_number_type" and isinstance(value, str):
                    # Prose where a number belongs usually means the wrong kind, not a typo.
                    raise PydanticCustomError(
                        "assessment_value_text", "{kind}指标的{what}应为数字，实际为{found}；"
                        "用文字描述的指标请把 kind 写作“定性”或“按评分标准”",
                        {"kind": kind, "what": what, "found": describe(value)}) from None
                raise
        if isinstance(value, str):
            return one_line(value)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            # A number is a fine 定性 target ("100"); keep it as the text the table shows.
            return format(_number(value, what), "f")
        raise PydanticCustomError("assessment_value_type", "{what}应为文字，实际为{found}",
                                  {"what": what, "found": describe(value)})

    @field_validator("weight")
    @classmethod
    def _weight_positive(cls, weight: Decimal) -> Decimal:
        if weight == 0:  # a row worth nothing does not belong in the table
            raise PydanticCustomError("assessment_weight_zero", "三级指标的分值应大于 0")
        return weight

    @model_validator(mode="after")
    def _kind_requirements(self) -> Indicator:
        if self.kind == "定性" and self.grade is None:
            raise PydanticCustomError("assessment_grade_missing",
                                      "定性指标需要写 grade（达成、部分达成或未达成）")
        if self.kind != "定性" and self.grade is not None:
            raise PydanticCustomError("assessment_grade_extra", "只有定性指标写 grade，{kind}指标请删除 grade",
                                      {"kind": self.kind})
        if self.kind not in QUANTITATIVE and self.score is None:
            raise PydanticCustomError("assessment_score_missing", "{kind}指标需要写 score（得分）",
                                      {"kind": self.kind})
        if self.score is not None and self.score > self.weight:
            raise PydanticCustomError("assessment_score_over", "得分 {score} 超过分值 {weight}",
                                      {"score": str(self.score), "weight": str(self.weight)})
        return self

    @property
    def computed(self) -> bool:
        """Whether the tool computes this indicator's 得分 (正向/反向/等于)."""
        return self.kind in QUANTITATIVE


class SecondLevel(StrictModel):
    name: Text = Field(description="二级指标名称，如“产出数量”“预算执行”")
    weight: Score | None = Field(None, description="分值；填写时应等于其下三级指标分值之和")
    indicators: list[Indicator] = Field(min_length=1, description="三级指标")


class FirstLevel(StrictModel):
    name: Text = Field(description="一级指标名称，如“产出”“效益”“满意度”，或“投入”“过程”")
    weight: Score | None = Field(None, description="分值；填写时应等于其下二级指标分值之和")
    children: list[SecondLevel] = Field(min_length=1, description="二级指标")


class GradeBand(StrictModel):
    name: Text = Field(description="等级名称，如“优”")
    lower: Score = Field(description="该等级的最低总分（含），如 90")


class Assessment(StrictModel):
    """部门整体支出绩效自评表（附件1）。"""

    title: Text | None = Field(None, description="表格标题；省略时为“（报告年度）年度部门整体支出绩效自评表”，"
                                                 "如“2025年度部门整体支出绩效自评表”（评分表为“…绩效评价评分表”）")
    unit: Text | None = Field(None, description="预算单位；省略时取部门名称")
    supervisor: Text | None = Field(None, description="主管部门")
    contact: Text | None = Field(None, description="联系人")
    phone: Text | None = Field(None, description="联系电话")
    form: Text | None = Field(
        None, description="表格格式：内置格式的名称（national 全国通用、sichuan 四川式、scoring 旧评分表，"
                          "selfeval forms 列出全部），或自己的格式目录（相对于本文件）；省略时用提纲指定的格式，"
                          "提纲也未指定时为 national")
    head: Text | None = Field(
        None, description="单位负责人（表格写作“项目负责人”的格式也用它）；省略则表中留空，打印后手填")
    finance_head: Text | None = Field(None, description="财务负责人；省略则表中留空，打印后手填")
    preparer: Text | None = Field(None, description="填表人；省略时取联系人 contact，都没有则留空")
    filled_on: dt.date | None = Field(None, description="填报日期，写作 2026-03-05；省略则表中留空")
    funding: Funding = Field(description="年度资金情况（万元）与预算执行率")
    goals: list[Goal] = Field(min_length=1, description="年度总体目标：预期目标与实际完成情况，每项一行")
    indicators: list[FirstLevel] = Field(min_length=1, description="绩效指标：一级、二级、三级指标")
    grades: list[GradeBand] | None = Field(
        None, description="自评等级划分，从高到低，最后一档的最低分为 0；省略时为 优 90、良 80、中 60、差 0")

    @property
    def shipped_form(self) -> Any:
        """The shipped form ``form`` names (or the default), as templates see it: what
        ``common/assessment.j2`` uses where the renderer gives it no ``form`` of its own."""
        from selfeval_cli.render.form_folders import shipped_form  # only when a table is rendered

        return shipped_form(self.form).view()

    @field_validator("grades")
    @classmethod
    def _bands_in_order(cls, bands: list[GradeBand] | None) -> list[GradeBand] | None:
        if bands is None:
            return None
        if not bands:
            raise PydanticCustomError("assessment_grades_empty", "等级划分不能为空；不需要自定义时请删除 grades")
        lowers = [band.lower for band in bands]
        if any(high <= low for high, low in pairwise(lowers)):
            raise PydanticCustomError("assessment_grades_order", "等级应从高到低排列，最低分逐档递减")
        if lowers[-1] != 0:
            raise PydanticCustomError("assessment_grades_floor", "最后一档的最低分应为 0，否则低分无等级")
        names = [band.name for band in bands]
        if len(set(names)) != len(names):
            raise PydanticCustomError("assessment_grades_duplicate", "等级名称不能重复")
        return bands
