"""Sentences in the shapes county reports write their figures, each with the figures it must give.

Each case puts its text where a report in the default outline would have it — a paragraph of the
budget chapter, the staffing paragraph, a heading — imports the report, and checks every figure it
names (or that it gives nothing). None of these is selfeval's own wording, so every figure read must
also be on the review list: an entry on that field (or the part holding it) that quotes the sentence
and, for the budget's figures, names the field. A case that must not fill a field says so with
``TO_FILL`` (a required figure still to fill) or ``ABSENT`` (an optional one left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing import prose
from selfeval_cli.model.loader import load_file
from selfeval_cli.model.values import MISSING, parse_dotted, value_at
from selfeval_cli.vocabulary import TO_FILL

D = Decimal
ABSENT = MISSING

REPORT = """附件2
部门整体支出绩效自评报告
根据某县财政局《关于开展2024年度部门整体支出绩效自评工作的通知》（某财绩〔2025〕1号）精神，我们对县级财政资金整体支出绩效进行了认真自评，总体自我评价是：预算执行平稳。具体自评情况如下：
一、预算单位基本情况
某县城市管理局为正科级行政单位。
（一）主要职责
1、负责全县市容环境卫生的监督管理。
（二）内设机构
本局设1个内设机构：
1、办公室
负责机关日常运转。
（三）人员情况{staffing_heading}
{staffing}
二、一般公共预算支出情况
{budget}
三、部门整体支出绩效情况
绩效评价工作由局长王青山同志任组长，李川为成员。评价组逐项核对了预算执行情况。资金主要用于人员工资和机关运转。
四、存在的问题及原因分析
部分项目预算编制不够细化。
五、下一步改进措施
（一）细化预算编制。结合年度重点工作编制预算。
六、绩效自评结果拟应用和公开情况
自评结果将在局门户网站公开。
"""


@dataclass(frozen=True)
class Case:
    """A text, where it stands, and what the import must make of it."""

    name: str
    text: str
    expect: dict[str, Any]
    """Data path → the value it must have (``TO_FILL`` or ``ABSENT`` where nothing may be filled)."""
    where: str = "budget"
    """``budget`` (paragraphs of the budget chapter), ``staffing`` (of 人员情况) or ``staffing_heading``
    (run on after the heading “（三）人员情况：”)."""
    unread: bool = False
    """The text states figures that are not read: a review entry quotes it and says 未读入."""
    notes: tuple[str, ...] = field(default=())
    """Words some review entry must say (an amount in 元 converted, a percentage that disagrees)."""
    kept: bool = False
    """The text says more than the figures read from it: it stays, whole, in ``sections.unplaced``."""


STAFF = "全局编制共15人，实际在职人员14人。"
"""A staffing paragraph for the cases about something else."""

CASES = [
    # ── Amounts and their changes ─────────────────────────────────────────────────────────────────
    Case("比上年减少", "部门预算基本支出755.85万元，比上年减少13.6万元。",
         {"budget.basic.amount": D("755.85"), "budget.basic.previous": D("769.45")}),
    Case("较上年增长", "项目支出为210万元，较上年增长12.5万元。",
         {"budget.project.amount": D("210.00"), "budget.project.previous": D("197.50")}),
    Case("同比上年度减少", "2024年收入916.4万元，同比上年度减少98.7万元。",
         {"income.amount": D("916.40"), "income.previous": D("1015.10")}),
    Case("同比增加与增幅", "本年收入合计1,234.5万元，同比增加34.5万元，增幅2.88%。",
         {"income.amount": D("1234.50"), "income.previous": D("1200.00")}),
    Case("与上年持平", "年初预算整体支出合计1,000万元，与上年持平。",
         {"budget.amount": D("1000.00"), "budget.previous": D("1000.00")}),
    Case("比去年增加并增长", "基本支出688.4万元，比去年增加8.4万元，增长1.24%。",
         {"budget.basic.amount": D("688.40"), "budget.basic.previous": D("680.00")}),
    Case("较上年度降低", "部门预算项目支出400万元，较上年度降低39.8万元，降幅9.05%。",
         {"budget.project.amount": D("400.00"), "budget.project.previous": D("439.80")}),
    Case("百分比与金额不符", "基本支出850.80万元，较上年增加30.50万元，增长5.00%。",
         {"budget.basic.amount": D("850.80"), "budget.basic.previous": D("820.30")}, notes=("按金额算为 3.72%",)),
    Case("只写了百分比", "项目支出同比下降5.2%，为312万元。",
         {"budget.project.amount": D("312.00"), "budget.project.previous": ABSENT}, unread=True),
    Case("收入之后的年初预算与执行",
         "2023年度部门收入总计3,286.45万元，其中财政拨款收入3,270.25万元，其他收入16.20万元。"
         "年初预算2,845.60万元，全年预算数3,302.18万元，全年实际支出3,198.77万元。",
         {"income.amount": D("3286.45"), "budget.amount": D("2845.60"), "budget.adjusted": D("3302.18"),
          "budget.executed": D("3198.77")}),  # the income has no such figures: the budget's, not the income's
    Case("另起一句的变化是收入的",
         "2024年收入合计412.36万元，其中财政拨款405.16万元，其他收入7.20万元。较上年增加31.50万元。",
         {"income.amount": D("412.36"), "income.previous": D("380.86"),
          "income.sources": [{"name": "财政拨款", "amount": D("405.16")}, {"name": "其他收入", "amount": D("7.20")}]}),
    Case("变化比本年数还大", "其他收入7.20万元，较上年增加31.50万元。", {"income.previous": ABSENT}, unread=True),
    Case("三公合计的变化在各项之后", "“三公”经费实际支出2.86万元。其中公务接待费0.96万元，因公出国（境）费0万元。"
         "“三公”经费较上年减少0.54万元。",
         {"three_public.total.actual": D("2.86"), "three_public.total.previous": D("3.40"),
          "three_public.abroad.actual": D("0.00"), "three_public.abroad.previous": ABSENT},
         notes=("按原文““三公”经费较上年减少0.54万元。”读出前文数字的上年数",)),  # the sentence, read whole, quoted
    Case("基本支出中", "全年支出合计398.45万元，其中基本支出286.15万元。基本支出中，工资福利支出230.40万元，"
         "商品和服务支出41.25万元。",
         {"budget.basic.amount": TO_FILL, "budget.basic.items": [{"name": "工资福利支出", "amount": D("230.40")},
                                                                {"name": "商品和服务支出", "amount": D("41.25")}]}),
    Case("项目支出主要用于", "项目支出112.30万元，主要用于数字档案馆建设78.00万元，年鉴编纂出版34.30万元。",
         {"budget.project.amount": D("112.30"),
          "budget.project.items": [{"name": "数字档案馆建设", "amount": D("78.00")},
                                   {"name": "年鉴编纂出版", "amount": D("34.30")}]}),
    Case("与上年相比在前", "2024年“三公”经费支出18.46万元，其中公务接待费3.20万元。与上年相比，“三公”经费减少2.14万元，"
         "降低10.39%。",
         {"three_public.total.actual": D("18.46"), "three_public.total.previous": D("20.60"),
          "three_public.reception.actual": D("3.20")}),
    Case("人均收入不是部门的收入", "全县农民人均可支配收入达到18,652元，同比增长7.1%。", {"income": ABSENT},
         unread=True),
    # ── 其中 lists, separated by 、，； ────────────────────────────────────────────────────────────
    Case("其中以分号分隔", "部门预算基本支出795.63万元，其中：人员支出643.4万元；公用支出149.2万元。",
         {"budget.basic.amount": D("795.63"),
          "budget.basic.items": [{"name": "人员支出", "amount": D("643.40")},
                                 {"name": "公用支出", "amount": D("149.20")}]}),
    Case("其中以顿号逗号分隔", "基本支出612.3万元，其中人员支出469.5万元，公用支出140.8万元、对个人和家庭补助2万元。",
         {"budget.basic.items": [{"name": "人员支出", "amount": D("469.50")},
                                 {"name": "公用支出", "amount": D("140.80")},
                                 {"name": "对个人和家庭补助", "amount": D("2.00")}]}),
    Case("其中另起一句并带变化", "项目支出300万元。其中：城区保洁200万元，路灯维护100万元，比上年增加20万元。",
         {"budget.project.amount": D("300.00"), "budget.project.previous": ABSENT,
          "budget.project.items": [{"name": "城区保洁", "amount": D("200.00")},
                                   {"name": "路灯维护", "amount": D("100.00"), "previous": D("80.00")}]}),
    Case("收入来源", "2024年收入1282.6万元，其中：财政拨款收入1270.8万元；其他收入11.8万元。",
         {"income.amount": D("1282.60"), "income.sources": [{"name": "财政拨款收入", "amount": D("1270.80")},
                                                            {"name": "其他收入", "amount": D("11.80")}]}),
    Case("合计其中是两部分", "部门整体支出1,302.6万元，其中基本支出860.8万元、项目支出441.8万元。",
         {"budget.amount": D("1302.60"), "budget.basic.amount": D("860.80"), "budget.project.amount": D("441.80")}),
    # ── 编制 by kind ──────────────────────────────────────────────────────────────────────────────
    Case("行政和事业编制", "局机关行政编制41人，事业编制6人；在职人员35人，退休人员12人。",
         {"department.staffing.authorized": 47, "department.staffing.actual": 35, "department.staffing.retired": 12,
          "department.staffing.groups": [{"name": "行政编制", "authorized": 41},
                                         {"name": "事业编制", "authorized": 6}]},
         where="staffing"),
    Case("核定编制其中各类", "核定编制30人，其中行政编制20人、工勤编制4人、参照公务员法管理编制6人；实有在职人员28人。",
         {"department.staffing.authorized": 30, "department.staffing.actual": 28,
          "department.staffing.groups": [{"name": "行政编制", "authorized": 20}, {"name": "工勤编制", "authorized": 4},
                                         {"name": "参照公务员法管理编制", "authorized": 6}]}, where="staffing"),
    Case("各类编制各自实有", "核定行政编制21名，实有20人；事业编制96名，实有91人。",
         {"department.staffing.authorized": 117, "department.staffing.actual": 111,
          "department.staffing.groups": [{"name": "行政编制", "authorized": 21, "actual": 20},
                                         {"name": "事业编制", "authorized": 96, "actual": 91}]}, where="staffing"),
    Case("各类之和与合计不符", "编制共40人，其中行政编制30人、事业编制8人；在职人员36人。",
         {"department.staffing.authorized": TO_FILL, "department.staffing.actual": TO_FILL}, where="staffing",
         unread=True),
    # ── A sub-unit's figures are not the department's ───────────────────────────────────────────
    Case("本级与下属单位", "局本级编制120人，在职在编111人、退休人员9人；园林处在职人员88人、退休人员70人。",
         {"department.staffing.authorized": 120, "department.staffing.actual": 111, "department.staffing.retired": 9},
         where="staffing", unread=True),
    Case("只有下属单位的人数", "县环卫所在职人员64人、退休人员52人。",
         {"department.staffing.authorized": TO_FILL, "department.staffing.actual": TO_FILL}, where="staffing",
         unread=True),
    Case("下属单位的支出", "县图书馆基本支出120.5万元，比上年增加3万元。",
         {"budget.basic.amount": TO_FILL, "budget.basic.previous": ABSENT}, unread=True),
    # ── Amounts in 元 and thousands separators ───────────────────────────────────────────────────
    Case("三公以元计", "“三公”经费支出合计126,000元，其中公务接待费26,000元、公务用车购置及运行维护费100,000元。",
         {"three_public.total.actual": D("12.60"), "three_public.reception.actual": D("2.60"),
          "three_public.vehicles.actual": D("10.00")}, notes=("以元为单位",)),
    Case("变化额以元计", "项目支出为210万元，与上年相比增加1,250元。",
         {"budget.project.amount": D("210.00"), "budget.project.previous": D("209.88")}, notes=("1,250元",)),
    Case("元是万元之误", "部门预算基本支出795.63元，其中：人员支出643.4万元；公用支出149.2万元。",
         {"budget.basic.amount": D("795.63")}, notes=("原文写作“795.63元”，上下文是万元",)),
    Case("收入以元计", "本年收入合计1,234,500.00元。", {"income.amount": D("123.45")}, notes=("以元为单位",)),
    # ── 全年预算数, 执行数 and 执行率 in prose ────────────────────────────────────────────────────
    Case("整体执行", "全年预算数1,302.6万元，全年执行数1,268.4万元，执行率97.38%。",
         {"budget.adjusted": D("1302.60"), "budget.executed": D("1268.40")},
         notes=("按金额算为 97.37%",), kept=True),  # the rate stated is not the amounts': quoted, kept
    Case("执行率与金额相符", "全年预算数1,302.6万元，全年执行数1,268.4万元，执行率97.37%。",
         {"budget.adjusted": D("1302.60"), "budget.executed": D("1268.40")}),
    Case("执行率没有全年预算数", "全年实际支出1,987.45万元，预算执行率96.4%。",
         {"budget.executed": D("1987.45"), "budget.adjusted": ABSENT}, kept=True),  # 96.4% is in no field
    Case("全年支出合计是执行数", "全年支出合计2,412.78万元，其中基本支出1,086.40万元，项目支出1,326.38万元。",
         {"budget.executed": D("2412.78"), "budget.basic.executed": D("1086.40"),
          "budget.project.executed": D("1326.38"), "budget.basic.amount": TO_FILL}),
    Case("全年部门整体支出含结转", "全年部门整体支出3,856.42万元（含上年结转126.50万元），其中基本支出1,210.08万元，"
         "项目支出2,646.34万元。",
         {"budget.executed": D("3856.42"), "budget.basic.executed": D("1210.08"),
          "budget.project.executed": D("2646.34")}, unread=True, kept=True),
    Case("收入与执行数之差", "本年收入较全年执行数多42.00万元。", {"income": ABSENT}, unread=True, kept=True),
    Case("基本支出执行", "基本支出调整后预算860.8万元，决算数858.2万元，预算执行率99.7%。",
         {"budget.basic.adjusted": D("860.80"), "budget.basic.executed": D("858.20")}),
    Case("执行与原因", "项目支出全年预算数410万元，全年执行数382.4万元。主要是部分项目年底才完成验收。",
         {"budget.project.adjusted": D("410.00"), "budget.project.executed": D("382.40"),
          "budget.project.reason": "主要是部分项目年底才完成验收。"}),
    Case("小标题给出是哪一部分", "（二）项目支出情况\n全年预算数410万元，全年执行数382.4万元，执行率93.27%。",
         {"budget.project.adjusted": D("410.00"), "budget.project.executed": D("382.40"), "budget.adjusted": ABSENT}),
    # ── "三公": budget and actual in any order ──────────────────────────────────────────────────
    Case("三公先预算后实际", "2024年“三公”经费预算40万元，实际支出35.2万元。"
         "其中：因公出国（境）费预算0万元，实际支出0万元；公务用车购置及运行维护费预算30万元，实际支出27.5万元，"
         "比上年减少2.5万元；公务接待费预算10万元，实际支出7.7万元。",
         # the items' sum: stated in other words than ours, the data keeps it (validate checks the sum)
         {"three_public.total": {"budget": D("40.00"), "actual": D("35.20")},
          "three_public.vehicles": {"budget": D("30.00"), "actual": D("27.50"), "previous": D("30.00")},
          "three_public.reception": {"budget": D("10.00"), "actual": D("7.70")},
          "three_public.abroad": {"budget": D("0.00"), "actual": D("0.00")}}),
    Case("三公先实际后预算", "“三公”经费中，公务接待费实际支出4.99万元，预算5万元；"
         "公务用车购置及运行维护费实际支出18万元，预算20万元；因公出国（境）费未安排支出。",
         {"three_public.reception": {"actual": D("4.99"), "budget": D("5.00")},
          "three_public.vehicles": {"actual": D("18.00"), "budget": D("20.00")},
          "three_public.abroad": {"budget": D("0.00"), "actual": D("0.00"), "previous": D("0.00")}}),
    Case("公务用车的两部分",
         "“三公”经费中，公务用车购置及运行维护费实际支出12万元，其中购置费0万元，运行维护费12万元。",
         {"three_public.vehicles.actual": D("12.00"), "three_public.vehicles.purchase": {"actual": D("0.00")},
          "three_public.vehicles.operation": {"actual": D("12.00")}}),
    Case("三公只写了下降百分比", "“三公”经费支出较上年下降8%。", {"three_public": ABSENT}, unread=True),
    # ── Vehicles and fixed assets ──────────────────────────────────────────────────────────────────
    Case("实有与编制车辆", STAFF + "实有公务用车2辆，编制3辆。",
         {"department.assets.vehicles": {"actual": 2, "authorized": 3}}, where="staffing"),
    Case("车辆在括号里", STAFF + "单位现有公务用车4辆（核定编制4辆），固定资产原值1,080.5万元。",
         {"department.assets.vehicles": {"actual": 4, "authorized": 4}, "department.assets.fixed_assets": D("1080.50")},
         where="staffing"),
    # ── 离退休 (the model's ``retired``: 退休人员) ────────────────────────────────────────────────
    Case("离退休人员", "编制数为36名，在职人员33名，离退休人员20名。",
         {"department.staffing.authorized": 36, "department.staffing.actual": 33, "department.staffing.retired": 20},
         where="staffing"),
    Case("离休另写", "本单位编制共15人，在职14人，退休人员3人，离休人员1人。",
         {"department.staffing.retired": 3}, where="staffing", unread=True),  # 离休 has no field of its own
    # ── Figures inside heading lines ──────────────────────────────────────────────────────────────
    Case("人员在标题行", STAFF, {"department.staffing.authorized": 15, "department.staffing.actual": 14},
         where="staffing_heading"),
    Case("预算在标题行", "（一）基本支出情况：部门预算基本支出795.63万元，其中：人员支出643.4万元；公用支出149.2万元。",
         {"budget.basic.amount": D("795.63"), "budget.basic.items": [{"name": "人员支出", "amount": D("643.40")},
                                                                     {"name": "公用支出", "amount": D("149.20")}]}),
    # ── Ambiguous: nothing filled, the sentence quoted ──────────────────────────────────────────
    Case("分别为", "基本支出和项目支出分别为600万元和200万元。",
         {"budget.basic.amount": TO_FILL, "budget.project.amount": TO_FILL}, unread=True),
    Case("不知是哪一项的金额", "结转结余资金42万元。", {"budget.amount": TO_FILL}, unread=True),
    Case("只有变化没有金额", "基本支出较上年增加5万元。",
         {"budget.basic.amount": TO_FILL, "budget.basic.previous": ABSENT}, unread=True),
    Case("下属单位的三公经费", "“三公”经费支出20万元，其中县图书馆公务接待费2万元。",
         {"three_public.total.actual": D("20.00"), "three_public.reception": ABSENT}, unread=True),
    Case("同一项写了两个数", "部门预算基本支出795.63万元。基本支出全年共800万元。",
         {"budget.basic.amount": D("795.63")}, notes=("与前文的 795.63 万元不同，已按前文读取",)),
]


def _imported(case: Case, tmp_path: Path) -> dict[str, Any]:
    text = REPORT.format(staffing=STAFF if case.where == "budget" else case.text if case.where == "staffing" else "",
                         staffing_heading="：" + case.text if case.where == "staffing_heading" else "",
                         budget=case.text if case.where == "budget" else "")
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    result = import_report(source, tmp_path / "data.yaml")
    assert result.output is not None, result.problems
    data = load_file(result.output).data
    assert isinstance(data, dict)
    return data


def _quotes(reason: str, text: str) -> bool:
    """Whether ``reason`` quotes a sentence (or a clause) of ``text``."""
    return any(piece.strip() and piece.strip() in reason for line in text.splitlines()
               for part in (line, line.partition("：")[2]) for piece in prose.sentences(part))


def test_there_are_enough_variants() -> None:
    assert len(CASES) >= 30 and len({case.name for case in CASES}) == len(CASES)


def _leaves(path: str, value: Any) -> list[tuple[str, Any]]:
    """Each figure an expectation names, with its own path (a list of items is one figure)."""
    if isinstance(value, dict) and value:
        return [leaf for key, inner in value.items() for leaf in _leaves(f"{path}.{key}", inner)]
    return [(path, value)]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_sentence_gives_its_figures_and_says_so(case: Case, tmp_path: Path) -> None:
    data = _imported(case, tmp_path)
    review: list[dict[str, str]] = data.get("review", [])
    for path, expected in case.expect.items():
        found = value_at(data, parse_dotted(path))
        if isinstance(expected, dict) and isinstance(found, dict):  # the parts a case does not name are its own
            found = {key: value for key, value in found.items() if key in expected or not isinstance(value, dict)}
        assert found == expected, path
    for path, expected in [leaf for name, value in case.expect.items() for leaf in _leaves(name, value)]:
        if expected is ABSENT or expected in (TO_FILL, {}):
            continue
        # Not our wording: the figure is on the review list, on its field or the part holding it, quoted,
        # and — for the budget's figures, whose entries list what they read — named.
        entries = [entry for entry in review if path == entry["path"] or path.startswith(entry["path"] + ".")]
        entries = [entry for entry in entries if _quotes(entry["reason"], case.text)]
        if not path.startswith("department."):
            entries = [entry for entry in entries if path in entry["reason"]]
        assert entries, (path, review)
    if case.unread:
        assert any("未读入" in entry["reason"] and _quotes(entry["reason"], case.text) for entry in review), review
    for words in case.notes:
        assert any(words in entry["reason"] for entry in review), (words, review)
    if case.kept:
        assert case.text.splitlines()[-1] in data.get("sections", {}).get("unplaced", {}).get("text", "")
