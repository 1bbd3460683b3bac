"""The words and numbers of the domain, each written once.

The model, the checks, the templates (as ``vocab`` in every environment), the importer and the
summary read them from here: the marker a value still to fill carries, the thresholds of the rules,
the names of the figures and institutions, the labels of the attachments, the default outline. A
test keeps each written only here (``tests/test_vocabulary.py``).

Nothing here imports anything of selfeval's: every layer may read it.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal, get_args

# ── Values still to fill ──────────────────────────────────────────────────────────────────────
TO_FILL = "待填"
"""What ``init``, ``import`` and ``new-year`` write where a person must enter a value."""
STILL_TO_FILL = f"（仍为“{TO_FILL}”）"
"""How a message says that a value is still the marker."""

# ── Money ─────────────────────────────────────────────────────────────────────────────────────
MoneyUnit = Literal["万元", "元"]
"""The units a data file's amounts may be written in (``money_unit``)."""
MONEY_UNIT: MoneyUnit = "万元"
"""The unit the report's sentences state amounts in, and the data's unless it declares ``money_unit``."""
YUAN: MoneyUnit = "元"
"""The other unit a data file may declare (``money_unit: 元``): its amounts are then exact to the fen."""
YUAN_PER_WAN = 10_000
CENT = Decimal("0.01")
"""Amounts, rates and scores are kept to two decimals (of 万元, of a percent, of a point)."""

# ── Thresholds of the rules ───────────────────────────────────────────────────────────────────
YUAN_SUSPECT_PER_HEAD = Decimal(10_000)
"""万元 of the year's budget per person in post above which the amounts look written in 元: a county
department spends from a few 万元 to a few thousand 万元 a head; amounts in 元 read as 万元 are 10 000×."""
LOW_RATE = Decimal(90)
"""An 执行率 (%) below this wants its reason written (in the budget and in the 自评表)."""
GRADE_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
"""The 自评等级 and the lowest 总分 of each, from the best (a 自评表 may state its own)."""
QUALITATIVE_BANDS: dict[str, tuple[Decimal, Decimal]] = {
    "达成": (Decimal("0.8"), Decimal(1)),
    "部分达成": (Decimal("0.6"), Decimal("0.8")),
    "未达成": (Decimal(0), Decimal("0.6")),
}
"""The share of its weight a 定性 indicator may score, by the grade it was given."""

# ── The department and its institutions ───────────────────────────────────────────────────────
UnitKind = Literal["内设机构", "局属事业单位", "委属事业单位", "直属事业单位", "下属事业单位", "所属事业单位"]
"""The kinds of a department's own institutions: its internal offices, then those under it."""
INTERNAL_UNIT: str = get_args(UnitKind)[0]
AFFILIATED_UNITS: tuple[str, ...] = get_args(UnitKind)[1:]
"""The kinds of institution under a department, as reports name them."""
AFFILIATED_ANY = "事业单位"
"""What prose calls institutions of several of those kinds together."""
AFFILIATED_ENDINGS = (AFFILIATED_ANY, "下属单位")
"""How prose ends a count of institutions under a department (2个局属事业单位, 3个下属单位)."""
UNIT_ENDINGS = ("中心", "局", "委", "会", "办", "室", "院", "馆", "站", "所", "厅", "处", "队", "社", "团", "场",
                "校", "署", "府")
"""How the names of departments and institutions end: a title may be broken after one."""
INTERNAL_UNIT_NAMES = (INTERNAL_UNIT, "内设股室", "职能股室", "股室", "科室")
"""How reports count a department's internal offices (设3个内设机构, 内设6个股室)."""
RANK_LEVELS = ("省部", "厅局", "地厅", "县处", "乡科", "部", "厅", "司", "局", "处", "县", "科", "乡", "股")
RANK_SIDES = ("正", "副")
"""A 机构规格 is a level with 级 after it and perhaps a side before it: 正科级, 副处级, 股级."""
KIND_ENDINGS = ("单位", "机关")
"""How a 单位性质 ends: 行政单位, 参公事业单位, 行政机关."""
COPULAS = ("属于", "为", "是", "系", "属")
"""Words between a department's name and what it is (X为正科级行政单位, X系…)."""
DUTIES_WORD = "职责"
"""The word that introduces a department's duties (…，主要职责是：)."""
PLAQUE_WORDS = ("加挂", "牌子")
"""How reports name a second name an institution also bears: 加挂文物股牌子."""
NUMERALS = "零一二三四五六七八九"
"""The Chinese digits 0–9, as prose counts (八个内设机构) and headings number (一、（二）)."""
NUMERAL_UNITS = (("千", 1000), ("百", 100), ("十", 10))
"""The Chinese numerals of the powers of ten prose counts with (一百零五)."""
YEAR_ZERO = "〇"
"""How a year written in Chinese numerals writes 0 (二〇二五年)."""
COUNT_TWO = "两"
"""How a count of two is written before a measure word (两个内设机构)."""
UNIT_MEASURE = "个"
COUNT_LINK_WORDS = ("共计", "合计", "共有", "共", "有", "为")
"""Words between a kind of unit and its count (内设机构共5个, 下属事业单位有2个)."""
"""The measure word of a count of units (设3个内设机构)."""
AND_WORDS = ("以及", "和", "及")
"""Words that join two counts or names (3个内设机构和2个事业单位)."""
SLIP_WORD = "的"
"""A particle reports slip in between words that need none (为的正科级, 加挂…的牌子): read past."""
SELF_WORDS = tuple(ending for ending in UNIT_ENDINGS if ending not in ("会", "室", "府"))
"""The endings that also name the unit in its own prose ("全局编制", "本中心"); a "…委员会",
"…办公室" or "…人民政府" is not "全会", "全室" or "全府", so it writes its word itself."""

# ── Figures ───────────────────────────────────────────────────────────────────────────────────
THREE_PUBLIC = "“三公”经费"
THREE_PUBLIC_ITEMS = (("abroad", "因公出国（境）费"), ("vehicles", "公务用车购置及运行维护费"),
                      ("reception", "公务接待费"))
"""The three "三公" items (field, name): the national definition, so they are fields, not names."""
VEHICLE_PARTS = (("purchase", "购置费"), ("operation", "运行维护费"))
"""The two parts of the vehicle item (field, name)."""

# ── Checks of the prose ───────────────────────────────────────────────────────────────────────
NOT_PROSE = ("notice", "attachment", "review", "closing")
"""Top-level fields whose text is not the department's prose (a notice's title, labels, the review list)."""
OLDEST_YEAR_BACK = 1
"""The prose of a report names no year before (report year − this): older ones are usually carried over."""
KNOWN_RATES: dict[str, tuple[str, ...]] = {
    "staffing": ("在职人员控制率", "人员编制控制率"),
    "three_public_change": (f"{THREE_PUBLIC}变动率", "三公经费变动率", "“三公”经费支出变动率"),
    "three_public_control": (f"{THREE_PUBLIC}控制率", "三公经费控制率"),
    "execution": ("预算执行率", "部门预算执行率"),
}
"""Indicators of the 自评表 whose actual value the data computes (key → the names tables give them)."""

# ── Attachments and outlines ──────────────────────────────────────────────────────────────────
TABLE_LABEL = "附件1"
"""The label of the 自评表, which comes before the report."""
DEFAULT_OUTLINE = "hunan"
CHAPTER_TITLE_ENDINGS = ("情况", "概况", "问题", "分析", "措施", "建议", "结论", "做法", "说明")
"""How the title of a report's chapter ends (预算单位基本情况, 存在问题, 改进措施, 自评结论): where a title
pasted with its text on one line ("四、存在问题一是……") ends."""
"""The outline of a data file that names none."""

# ── Forms of the 自评表 ───────────────────────────────────────────────────────────────────────
DEFAULT_FORM = "national"
"""The form (the grid of 附件1) of a table that names none, under an outline that names none."""
FONT_SIZES: dict[str, float] = {"三号": 16.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0}
"""Chinese type sizes in points (GB/T 9704 names them so)."""
FORM_SIZES = ("小四", "五号")
"""The text sizes a form's table may have."""


def for_templates() -> MappingProxyType[str, Any]:
    """The vocabulary as templates see it (``vocab.THREE_PUBLIC``): its upper-case names, read-only."""
    return MappingProxyType({name: value for name, value in globals().items() if name.isupper()})


# ── How real reports name the figures (synonyms, longest first where one contains another) ────
THREE_PUBLIC_NAMES = (THREE_PUBLIC, "\"三公\"经费", "‘三公’经费", "三公经费")
"""How reports write "三公" expenses."""
THREE_PUBLIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "abroad": ("因公出国（境）费用", "因公出国（境）费", "因公出国(境)费", "因公出国（境）经费", "出国（境）费",
               "因公出国费"),
    "vehicles": ("公务用车购置及运行维护费", "公务用车购置及运行费", "公务用车购置和运行维护费", "公务用车费"),
    "reception": ("公务接待费", "接待费"),
}
"""How reports name each "三公" item (field → names)."""
AUTHORIZED_WORD = "编制"
"""The word before a count of authorised posts (行政编制39人, 编制共44人)."""
IN_POST_WORDS = ("实有在职人员", "在职在编人员", "在职在编", "在职人员", "实有人员", "实有人数", "在职", "实有")
"""How reports name the staff in post."""
RETIRED_WORDS = ("离退休人员", "退休人员", "离退休", "退休")
"""How reports name the retired staff."""
CHANGE_WORDS = ("与上年相比", "比上年度", "较上年度", "比上年", "较上年", "同比上年度", "同比上年", "同比", "比去年",
                "较去年")
"""Words that introduce a year-on-year change."""
UP_WORDS = ("增加", "增长", "上升", "提高", "增幅")
DOWN_WORDS = ("减少", "下降", "降低", "减幅", "降幅")
"""The direction of a change (of an amount, or of its percentage: 增长3.2%, 增幅3.2%)."""
FLAT_WORDS = ("与上年度持平", "与上年持平", "同比持平", "持平")
"""A change of nothing: last year's figure is this year's."""
LESS_THAN_WORD = "不足"
"""A percentage too small to state ("增长不足0.01%")."""
STAFF_KINDS = ("行政", "事业", "工勤", "参公", "参照公务员法管理", "政法专项", "公益一类", "公益二类", "自收自支")
"""How a kind of authorised post ends (行政编制, 全额拨款事业编制…): other words before 编制 are not a kind."""
OWN_LEVEL_WORDS = ("本级", "机关", "本部")
"""Words that mark a figure as the department's own (局本级, 局机关) rather than an institution's."""

# ── How other files name the parts of a 自评表 (import finds columns and rows by these) ──────
# Names are compared without spaces, line breaks or a trailing bracket ("全年预算数（A）"), full-width
# and half-width alike; a cell is a name when it equals one or starts with one (longest first).
TABLE_HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "unit": ("预算单位", "项目名称", "部门名称", "单位名称", "部门（单位）名称"),
    "supervisor": ("主管部门",),
    "implementer": ("实施单位",),
    "contact": ("部门联系人", "联系人"),
    "phone": ("联系电话", "电话"),
    "head": ("单位负责人", "项目负责人"),
    "finance_head": ("财务负责人",),
    "preparer": ("填表人",),
    "filled_on": ("填报日期",),
    "total": ("自评总分",),
}
"""The fields above (and the signatures below) a table, field → labels. ``implementer`` has no field:
it stands for the unit when none is named; ``total`` is the 总分 the header states, checked."""
STAMP_WORD = "盖章"
"""A label "单位（盖章）": the stamp's place, no value to read."""
FUNDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数",),
    "budget": ("全年预算数", "调整后预算数"),
    "executed": ("全年执行数",),
    "weight": ("分值",),
    "rate": ("执行率",),
    "score": ("得分",),
    "reason": ("偏差原因", "原因"),
}
"""The columns of the funding block (field → names)."""
FUNDING_TOTAL = "年度资金总额"
"""The funding block's first row: the total the 执行率 is scored on."""
FUNDING_PARTS_WORD = "其中"
"""What opens the funding rows that make up the total ("其中：本年财政拨款")."""
FUNDING_REASON_ROWS = ("执行率偏差原因", "偏差原因")
"""A row of the funding block that holds the 执行率's 偏差原因 (name, then the text)."""
INITIAL_BASIS_WORD = "年初"
"""An 执行率 column whose name says this ("执行率（B/年初预算数）") divides by 年初预算数."""
GOALS_LABELS = ("年度总体目标完成情况", "年度总体目标")
"""The label beside the goals block."""
GOAL_COLUMNS: dict[str, tuple[str, ...]] = {"target": ("预期目标",), "result": ("实际完成情况",)}
"""The columns of the goals block (field → names)."""
INDICATOR_LABELS = ("年度绩效指标完成情况", "绩效指标")
"""The label beside (or the caption above) the indicator block."""
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "first": ("一级指标",),
    "second": ("二级指标",),
    "name": ("三级指标",),
    "kind": ("指标性质", "指标方向"),
    "unit": ("度量单位", "计量单位"),
    "target": ("年度指标值",),
    "actual": ("实际完成值",),
    "weight": ("分值",),
    "score": ("自评得分", "得分"),
    "reason": ("偏差原因分析及改进措施", "扣分原因", "偏差原因"),
    "rubric": ("评分标准",),
}
"""The columns of the indicator block (field → names); a 评分表 has 评分标准 instead of the two values."""
FORM_COLUMNS = (INDICATOR_COLUMNS["kind"][0], INDICATOR_COLUMNS["unit"][0])
"""Optional columns of the indicator rows a form may show: the comparison (≥ ≤ = 定性) and the unit."""
TOTAL_ROWS = ("总分", "合计", "总计")
"""The row that closes the indicator block with the table's 分值 and 得分."""
SUBTOTAL_WORD = "小计"
"""A row of a level's own 分值 and 得分."""
GRADE_ROWS = ("自评等级", "评价等级", "绩效等级", "等级")
"""The row that states the table's grade."""
GRADE_SYNONYMS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}
"""How tables write the grades of ``GRADE_BANDS``."""
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "正向": ("正向", "≥", ">=", "≧", ">", "大于等于", "不低于", "不少于"),
    "反向": ("反向", "≤", "<=", "≦", "<", "小于等于", "不高于", "不超过", "不多于"),
    "等于": ("等于", "="),
    "定性": ("定性",),
    "按评分标准": ("按评分标准", "评分标准"),
}
"""How a 指标性质 column or a 年度指标值 ("≥8个") states the comparison (kind → words and signs)."""
QUANTITY_WORD = "定量"
"""A 指标性质 that leaves the comparison to the 年度指标值's sign."""
NO_TEXT = ("无", "-", "—", "/", "／", "——")
"""What a cell holds when it says nothing (no 偏差原因, no amount)."""
FORM_NOTE_WORD = "注"
"""The notes under a form ("注：1.一级指标分值统一设置为…"): the form's, not the department's."""
RUBRIC_ACTUAL = "按评分标准评分"
"""The 实际完成值 of an indicator of a 评分表, which states none."""
RESULT_WORD = "实际完成"
"""How a 评分表's 扣分原因和其他说明 may open with the 实际完成值 ("实际完成：8个")."""
FULL_MARKS_WORD = "得满分"
"""How a 评分标准 ends its target ("≥8个得满分，未达到按完成比例计分")."""
TABLE_NAMES = ("自评表", "评分表")
"""How a 自评表's title ends."""


# ── How reports state the budget's figures in prose (import reads sentences by these) ─────────
# A sentence is cut into pieces at its separators (，、；：), each piece at most one figure; the words
# before a figure say whose it is (the subject) and which of its figures (the measure). Longest first
# where one contains another; the outline's own wording is among them, but never the only one.
PEOPLES_INCOME_WORDS = ("人均", "可支配", "居民", "农民", "职工")
"""Words before 收入 that make it people's income (农民人均可支配收入), not the department's."""
INCOME_WORDS = ("本年收入合计", "本年收入", "全年收入", "收入合计", "收入总额", "总收入", "收入")
"""How reports name the year's income (``income``); inside its 其中 list they name its sources."""
TOTAL_WORDS = ("部门整体支出", "整体支出合计", "整体支出", "支出合计", "支出总额", "总支出")
"""How reports name the department's whole expenditure (``budget``)."""
PART_WORDS = (("basic", "基本支出"), ("project", "项目支出"))
"""The two parts of the expenditure (field, name)."""
INITIAL_BUDGET_WORDS = ("年初预算数", "年初预算")
"""A 年初预算数 said as such: with no subject named, the department's (年初预算2,845.60万元)."""
INITIAL_WORDS = (*INITIAL_BUDGET_WORDS, "年初")
"""A figure said to be the 年初预算数 (``amount``, also a figure's measure when no word says)."""
ADJUSTED_WORDS = (*FUNDING_COLUMNS["budget"], "调整后预算", "全年预算")
"""A figure said to be the 全年预算数 after adjustment (``adjusted``)."""
EXECUTED_WORDS = (*FUNDING_COLUMNS["executed"], "全年实际支出", "执行数", "决算数", "实际支出", "全年支出")
"""A figure said to be the 全年执行数 (``executed``)."""
AMONG_WORD = "中"
"""After a part's name, opens the list of its items, as 其中 does: "基本支出中，工资福利支出…"."""
USE_WORDS = ("主要用于", "用于")
"""After a part's name, what it was spent on, item by item: "项目支出主要用于数字档案馆建设78.00万元，…"."""
WHOLE_YEAR_WORD = "全年"
"""Before the name of the expenditure or a part of it, with no measure word (全年部门整体支出, 全年项目支出):
what the whole year spent, the 全年执行数."""
DERIVED_RATES: dict[str, tuple[str, ...]] = {"execution": FUNDING_COLUMNS["rate"], "control": ("控制率",),
                                             "change": ("变动率",)}
"""Rates a sentence may state beside the amounts they derive from (the data keeps the amounts): the
执行率 (全年执行数 ÷ 全年预算数), the 控制率 of an expense (实际支出 ÷ 预算) and its 变动率 (the change
÷ last year's)."""
DERIVED_RATE_WORDS = tuple(word for words in DERIVED_RATES.values() for word in words)
EXPENSE_MEASURES: dict[str, tuple[str, ...]] = {
    "budget": ("预算数", "预算"),
    "actual": ("实际支出", "决算数", "决算", "支出", "实际"),
}
"""The measures of a "三公" figure (field → words); a bare amount is what was spent."""
NOT_SPENT_WORDS = ("未安排支出",)
"""A "三公" item with nothing budgeted or spent, this year or last."""
WHOLE_WORDS = ("全部为", "全部是", "均为")
"""A part that is all of its item ("全部为运行维护费")."""
VEHICLE_PART_SYNONYMS: dict[str, tuple[str, ...]] = {
    "purchase": ("公务用车购置费", "车辆购置费", "购置费"),
    "operation": ("公务用车运行维护费", "车辆运行维护费", "运行维护费", "公务用车运行费", "运行费"),
}
"""How reports name the two parts of the vehicle item (field → names, ``VEHICLE_PARTS``)."""
LINK_WORDS = ("共计", "合计", "为", "共", "是")
"""Words between a name and its figure (人员支出为…, 编制共…): not part of the name."""
RESPECTIVELY_WORD = "分别"
"""Figures given together ("分别为600万元和200万元"): which is which is left to a person."""
PEOPLE_UNITS = ("人", "名")
"""What a count of people is counted in."""
VEHICLE_WORDS = ("公务用车", "公车", "车辆")
"""How reports name official vehicles (``assets.vehicles``)."""
VEHICLE_UNIT = "辆"
FIXED_ASSET_WORDS = ("固定资产原值", "固定资产总值", "固定资产总额", "固定资产")
"""How reports name the original value of fixed assets (``assets.fixed_assets``)."""
WHOLE_UNIT_WORD = "全"
"""How a unit's prose names all of itself: this and its self word (全局编制, 全中心)."""
THIS_UNIT_WORD = "本"
"""How a unit's prose names itself (本局, 本单位): figures after it are its own."""
POST_QUALIFIERS = ("核定", "年末", "年初", "现有")
"""Words before a kind of post that are not part of its name (核定行政编制 is 行政编制)."""
