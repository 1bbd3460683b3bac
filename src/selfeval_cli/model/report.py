"""The report as data: a pydantic model of one 部门整体支出绩效自评报告.

The model holds structure, not pre-numbered text: numbering, units and layout come from the
templates and the writer. Counts the prose states (how many internal offices…) are derived
from the lists here, never typed. Every field carries a Chinese description, which becomes the
hover help of the JSON Schema in ``schemas/``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from selfeval_cli.model.lazy import lazy_model
from selfeval_cli.model.money import Money
from selfeval_cli.model.types import Count, DocNumber, Prose, StrictModel, Text, Year, one_line
from selfeval_cli.vocabulary import (
    INTERNAL_UNIT,
    MONEY_UNIT,
    SELF_WORDS,
    STILL_TO_FILL,
    TO_FILL,
    MoneyUnit,
    UnitKind,
)

if TYPE_CHECKING:
    from selfeval_cli.model.assessment import Assessment
    from selfeval_cli.model.finance import Income, ThreePublic
else:  # optional parts: their models are defined only when a file has them (start-up time, see lazy)
    Assessment = lazy_model("selfeval_cli.model.assessment", "Assessment")
    Income = lazy_model("selfeval_cli.model.finance", "Income")
    ThreePublic = lazy_model("selfeval_cli.model.finance", "ThreePublic")



class Attachment(StrictModel):
    label: Text | None = Field(None, description="附件标签，如“附件2”；正文前左上角，黑体。不是附件时省略")
    title: Text = Field(description="报告标题，如“部门整体支出绩效自评报告”；居中，方正小标宋；"
                                    "一行排不下时按词义自动分行")
    title_lines: list[Text] | None = Field(
        None, description="自己指定标题怎样分行（可选）：每项一行，连起来应与 title 完全相同")

    @model_validator(mode="after")
    def _lines_make_the_title(self) -> Attachment:
        if self.title_lines is not None and "".join(self.title_lines) != self.title:
            raise PydanticCustomError("title_lines", "title_lines 连起来是“{joined}”，与 title 不同",
                                      {"joined": "".join(self.title_lines)})
        return self


class Notice(StrictModel):
    issuer: Text = Field(description="发文机关，如“株洲市渌口区财政局”")
    title: Text = Field(
        description="通知标题（不含书名号），如“关于做好2024年度区本级财政资金整体支出绩效自评工作的通知”")
    document_number: DocNumber = Field(
        description="发文字号，如“渌财通〔2024〕6号”；年份括号统一输出为六角括号〔〕")


class SubUnit(StrictModel):
    kind: UnitKind = Field(
        description="类别：内设机构，或某种事业单位（局属、委属、直属、下属、所属）")
    name: Text = Field(description="名称，如“办公室”“株洲市渌口区教研室”")
    rank: Text | None = Field(None, description="级别，如“正股级”；可省略")
    plaques: list[Text] = Field(
        default=[], description="加挂的牌子（只写牌子名称），如“教育团工委”；报告中写作“加挂…牌子”")
    duties: Prose | None = Field(
        None, description="主要职责；每行一段。湖南提纲逐个输出（必填）；全国参考提纲只在括号中列出名称（可省略）")


class StaffGroup(StrictModel):
    name: Text = Field(description="编制类别，如“行政编制”“工勤编制”“事业编制”")
    authorized: Count = Field(description="该类编制数（人）")
    actual: Count | None = Field(None, description="该类实际在职人数（人）")


class Staffing(StrictModel):
    authorized: Count = Field(description="编制数（人）；有分类时应等于各类之和")
    actual: Count = Field(description="实际在职人数（人）")
    groups: list[StaffGroup] = Field(default=[], description="按类别列出的编制（和在职）人数")
    retired: Count | None = Field(None, description="退休人员（人）")


class VehicleCount(StrictModel):
    authorized: Count = Field(description="公务用车编制数（辆）")
    actual: Count = Field(description="实有公务用车（辆）")


class Assets(StrictModel):
    vehicles: VehicleCount | None = Field(None, description="公务用车")
    fixed_assets: Money | None = Field(None, description="固定资产原值（万元）")


def unit_word_of(name: str) -> str | None:
    """The word a unit calls itself by, guessed from the ending of its name (局 → 全局); None if unknown."""
    return next((word for word in SELF_WORDS if name.endswith(word)), None)


class Department(StrictModel):
    name: Text = Field(description="部门全称，如“株洲市渌口区教育局”")
    unit_word: Text | None = Field(
        None, description="单位自称用字，如“局”“委”“中心”，用于“全局编制共…人”；名称以局、委、办、院、馆、站、所、"
                          "中心等结尾时可省略，其他（如“…委员会”“…办公室”）必须写")
    rank: Text = Field(description="机构规格，如“正科级”")
    kind: Text = Field(description="单位性质，如“行政单位”“参公事业单位”")
    duties: list[Prose] = Field(min_length=1, description="主要职责，每项一条；编号由工具生成，不要手写“（一）”")
    units: list[SubUnit] = Field(
        min_length=1, description="内设机构及下属单位，按报告顺序；个数由列表自动统计，不要写进文字")
    staffing: Staffing = Field(description="人员情况")
    assets: Assets | None = Field(None, description="资产情况：公务用车、固定资产")

    def self_word(self) -> str | None:
        """How the department refers to itself: ``unit_word``, else the known ending of its name."""
        return self.unit_word or unit_word_of(self.name)

    def internal_units(self) -> list[SubUnit]:
        """The internal offices (内设机构), in report order."""
        return [u for u in self.units if u.kind == INTERNAL_UNIT]

    def affiliated_units(self) -> list[SubUnit]:
        """The institutions under the department (局属/委属…事业单位), in report order."""
        return [u for u in self.units if u.kind != INTERNAL_UNIT]


class WorkItem(StrictModel):
    title: Text = Field(description="标题，一句话，不带编号和句末标点，如“持续深化教师职称评聘制度改革”")
    text: Prose | None = Field(None, description="正文；第一段紧接标题，其余每行一段；标题一句话已说完的可省略")


SectionKey = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
"""The key of a free section, as templates address it: sections.other."""


class Section(StrictModel):
    title: Text = Field(description="章节标题，不带编号，如“其他需要说明的情况”")
    text: Prose = Field(description="正文；每行一段")


Adjusted = Annotated[Money | None, Field(description="全年预算数（调整后预算，万元）；有则报告写出执行率")]
Executed = Annotated[Money | None, Field(description="全年执行数（决算数、实际支出，万元）")]
Reason = Annotated[Prose | None, Field(description="执行率低于 90% 或超出全年预算数时的原因说明；报告中写在执行率之后")]


class BudgetLine(StrictModel):
    name: Text = Field(description="支出项目名称，如“人员支出”“公用支出”")
    amount: Money = Field(description="本年年初预算数（万元，两位小数）")
    previous: Money | None = Field(None, description="上年预算数（万元）；有则报告写出同比增减")
    adjusted: Adjusted = None
    executed: Executed = None
    reason: Reason = None


class BudgetPart(StrictModel):
    amount: Money = Field(description="本年年初预算数（万元，两位小数）")
    previous: Money | None = Field(None, description="上年预算数（万元）；有则报告写出同比增减")
    adjusted: Adjusted = None
    executed: Executed = None
    reason: Reason = None
    items: list[BudgetLine] = Field(default=[], description="构成明细；合计应等于本项预算数")


BUDGET_PARTS = (("basic", "基本支出"), ("project", "项目支出"))
"""The parts whose sum is the budget total, in report order: (field name, Chinese name)."""


class Budget(StrictModel):
    amount: Money = Field(description="年初财政批复的整体支出合计（万元）＝基本支出＋项目支出")
    previous: Money | None = Field(None, description="上年整体支出合计（万元）")
    adjusted: Adjusted = None
    executed: Executed = None
    reason: Reason = None
    basic: BudgetPart = Field(description="基本支出，明细如 人员支出、公用支出")
    project: BudgetPart = Field(description="项目支出，明细如 专项商品和服务支出")

    def parts(self) -> list[tuple[str, str, BudgetPart]]:
        """The parts whose sum is the total, in report order: (field name, Chinese name, part)."""
        return [(key, name, getattr(self, key)) for key, name in BUDGET_PARTS]


class Person(StrictModel):
    name: Text = Field(description="姓名")
    title: Text | None = Field(None, description="职务，如“局长”；成员可省略")


class Team(StrictModel):
    leader: Person = Field(description="组长")
    deputies: list[Person] = Field(default=[], description="副组长")
    members: list[Person] = Field(min_length=1, description="成员")


class Evaluation(StrictModel):
    team: Team = Field(description="绩效评价工作小组")
    process: Prose = Field(description="评价工作如何开展")
    use_of_funds: Prose = Field(description="资金主要用途")


class Improvements(StrictModel):
    opening: Prose | None = Field(None, description="开头一段（总述），可省略")
    measures: list[WorkItem] = Field(min_length=1, description="各项改进措施")


def _date_to_fill(value: object) -> object:
    if isinstance(value, str) and value.strip() == TO_FILL:
        raise PydanticCustomError("date_to_fill", f"成文日期未填写{STILL_TO_FILL}")
    return value


class Closing(StrictModel):
    signature: Text = Field(description="单位署名")
    date: Annotated[dt.date, BeforeValidator(_date_to_fill)] = Field(
        description="成文日期，写作 2025-03-05；报告中输出为“2025年3月5日”")


def _field_path(value: str) -> str:
    value = one_line(value)
    if not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*", value):
        raise PydanticCustomError("review_path", "字段路径格式应为 key_work[0] 或 department.staffing，实际为“{value}”",
                                  {"value": value})
    return value


class ReviewItem(StrictModel):
    path: Annotated[str, AfterValidator(_field_path)] = Field(
        description="要核对的字段，如 problems、key_work[0]")
    text: Text | None = Field(None, description="要核对的原文片段；字段中不再含有它时视为已处理")
    reason: Text = Field(description="为什么要核对")


class Report(StrictModel):
    """一份部门整体支出绩效自评报告的全部数据。"""

    model_config = ConfigDict(title="部门整体支出绩效自评报告数据", extra="forbid", frozen=True)

    year: Year = Field(description="报告年度，如 2024")
    money_unit: MoneyUnit = Field(
        MONEY_UNIT,
        description="本文件中金额的单位：万元（默认，最多两位小数）或元（精确到分）；报告正文一律按万元写出")
    outline: Text | None = Field(
        None, description="提纲：内置提纲的名称（hunan、national，selfeval outlines 列出全部），或自己的模板目录"
                          "（相对于本文件）；省略为 hunan")
    attachment: Attachment = Field(description="附件标签和报告标题")
    notice: Notice | None = Field(
        None, description="报告所依据的财政部门通知；报告没有引用通知时省略，开头一句就从“我们对……”写起")
    scope: Text = Field(description="自评对象，如“区本级财政资金整体支出绩效”")
    verdict: Prose = Field(description="总体自我评价（一句或几句，以句号结束）")
    department: Department = Field(description="预算单位基本情况")
    summary: Prose | None = Field(None, description="摘要（部分提纲在正文之前有一段摘要）")
    key_work: list[WorkItem] = Field(default=[], description="本年度重点工作（hunan 提纲需要）")
    performance_goals: Prose | None = Field(
        None, description="绩效目标（national 提纲“一、基本情况”之“绩效目标”；有自评表时其年度总体目标也会列出）")
    income: Income | None = Field(None, description="本年收入（万元），按来源列出；可省略")
    budget: Budget = Field(description="一般公共预算支出情况（万元）")
    three_public: ThreePublic | None = Field(None, description="“三公”经费预算和实际支出（万元）；可省略")
    evaluation: Evaluation | None = Field(None, description="绩效评价工作：评价小组、评价思路和过程、资金用途")
    conclusion: Prose | None = Field(
        None, description="综合评价情况及评价结论（national 提纲）；总分和等级由自评表算出")
    indicator_analysis: Prose | None = Field(None, description="绩效评价指标分析（national 提纲）")
    experience: Prose | None = Field(None, description="主要经验及做法（national 提纲）")
    problems: Prose | None = Field(None, description="存在的问题及原因分析")
    improvements: Improvements | None = Field(None, description="下一步改进措施（hunan 提纲）")
    suggestions: Prose | None = Field(None, description="有关建议（national 提纲）")
    disclosure: Prose | None = Field(None, description="绩效自评结果拟应用和公开情况（hunan 提纲）")
    sections: dict[SectionKey, Section] = Field(
        default={},
        description="按键名存放的其他章节，供提纲模板按键取用（如 other: 其他需要说明的问题）；"
                    "键名用英文字母、数字、下划线")
    more_sections: list[Section] = Field(
        default=[],
        description="其他章节，排在“绩效自评结果拟应用和公开情况”之后，如“其他需要说明的情况”；编号自动接续")
    closing: Closing | None = Field(None, description="落款（单位署名和成文日期）；省略则不输出")
    assessment: Assessment | None = Field(
        None, description="附件1 部门整体支出绩效自评表：资金、年度总体目标和绩效指标；执行率、得分、总分和等级"
                          "由工具计算。省略则只生成报告")
    review: list[ReviewItem] = Field(
        default=[],
        description="待核对清单（由 selfeval new-year 或 import 生成）：逐条核对，处理完后删除该条；"
                    "validate 会一直提示未处理的条目")

