"""What a report says of the department as a body, read by the vocabulary in any wording.

Case tables of sentences in the shapes reports take (ours and others'), and properties tying the reader
to the macros: whatever rank, kind, name and counts the macros print, the reader gives them back.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from selfeval_cli.importing.wording import macro_text
from selfeval_cli.phrases import Counts, Standing, counts, numeral_value, plaques, standing
from selfeval_cli.vocabulary import AFFILIATED_UNITS, INTERNAL_UNIT, KIND_ENDINGS, RANK_LEVELS, RANK_SIDES

STANDINGS: list[tuple[str, Standing | None, bool]] = [
    ("某县教育局为正科级行政单位。", Standing("某县教育局", "正科级", "行政单位", False), True),
    ("某县教育局为的正科级行政单位。", Standing("某县教育局", "正科级", "行政单位", False), True),  # a slip of the pen
    ("某县自然资源局为正科级行政单位，主要职责是：", Standing("某县自然资源局", "正科级", "行政单位", True), True),
    ("某县档案馆系副科级参照公务员法管理事业单位，其职责如下:",
     Standing("某县档案馆", "副科级", "参照公务员法管理事业单位", True), True),
    ("某市某中心是正处级全额拨款事业单位", Standing("某市某中心", "正处级", "全额拨款事业单位", False), True),
    ("某区政务服务中心属于股级事业单位。", Standing("某区政务服务中心", "股级", "事业单位", False), True),
    ("县水利局为正科级的行政单位。", Standing("县水利局", "正科级", "行政单位", False), True),
    ("县为民服务中心为副科级事业单位", Standing("县为民服务中心", "副科级", "事业单位", False), True),
    # The first sentence says what the department is, and more: read from it, the line kept.
    ("某县财政局为县政府工作部门，正科级行政机关。", Standing("某县财政局", "正科级", "行政机关", False), False),
    ("某县某局为正科级行政单位，内设5个股室。", Standing("某县某局", "正科级", "行政单位", False), False),
    ("某县档案馆系副科级参照公务员法管理事业单位，加挂县地方志编纂室牌子，负责全县档案工作。",
     Standing("某县档案馆", "副科级", "参照公务员法管理事业单位", False), False),
    ("某县某局是全县的主管部门。", None, False),  # no rank
    ("某县某局为正科级。", None, False),  # no kind
    ("本局下属的县检验中心为正股级事业单位，负责检验。", None, False),  # an institution under it
    ("2024年全县完成投资3亿元，为正科级单位。", None, False),  # no department named first
]


@pytest.mark.parametrize(("line", "expected", "whole"), STANDINGS, ids=[line for line, _, _ in STANDINGS])
def test_what_the_department_is(line: str, expected: Standing | None, whole: bool) -> None:
    said = standing(line)
    assert said == expected
    assert said is None or said.whole is whole


COUNTS: list[tuple[str, tuple[int | None, int | None, str | None, str | None], tuple[str, ...], bool]] = [
    ("根据上述职责，某县教育局设8个内设机构和4个正股级局属事业单位：", (8, 4, "正股级", "局属事业单位"), (), True),
    ("本局设两个内设机构和一个下属事业单位：", (2, 1, None, "下属事业单位"), (), True),
    ("某局设3个内设机构（办公室、财务股、业务股）。", (3, None, None, None), ("办公室", "财务股", "业务股"), True),
    ("局机关内设6个股室，在乡镇设11个市场监管所。", (6, None, None, None), (), False),
    ("内设机构5个，下属事业单位2个。", (5, 2, None, "下属事业单位"), (), True),
    ("局机关内设办公室、规划股3个股室，下属县养护中心等2个单位。", (3, None, None, None), (), False),
    ("本委设十二个科室及三个委属事业单位。", (12, 3, None, "委属事业单位"), (), True),
    ("本局内设机构有5个，下属事业单位共2个。", (5, 2, None, "下属事业单位"), (), True),
    ("本局下属事业单位2个：", (None, 2, None, "下属事业单位"), (), True),
    # What stands before the counts is more than who has them: the line says more, and is kept.
    ("经县委编办批复（县编办〔2023〕12号），本局下设1个正股级事业单位：", (None, 1, "正股级", "事业单位"), (), False),
    ("本局下设2个二级机构和1个正股级事业单位：", (None, 1, "正股级", "事业单位"), (), False),
]


@pytest.mark.parametrize(("line", "expected", "names", "whole"), COUNTS, ids=[case[0] for case in COUNTS])
def test_counts_of_units_in_any_order(line: str, expected: tuple[int | None, int | None, str | None, str | None],
                                      names: tuple[str, ...], whole: bool) -> None:
    read = counts(line)
    assert read is not None
    assert (read.internal, read.affiliated, read.rank, read.kind) == expected
    assert read.names == names and read.whole is whole


@pytest.mark.parametrize("line", [
    "本局全年共召开3次党组会议。", "一般公共预算支出3个项目。", "",
    "指导全县文化事业单位28个开展普查。",  # a count of what it oversees, not of its own units
    "走访了12个乡镇的事业单位。", "对全县45个行政事业单位开展内控检查。", "县人民医院设临床科室32个。",
    "抽查了三四个事业单位。",  # no one number
])
def test_a_line_without_counts_of_units(line: str) -> None:
    assert counts(line) is None


@pytest.mark.parametrize("text", ["三四", "十十", "五五", "", "百", "二〇"])
def test_what_is_not_one_number_in_chinese_numerals(text: str) -> None:
    with pytest.raises(ValueError, match="不是中文数字"):
        numeral_value(text)


@pytest.mark.parametrize(("text", "value"), [("两", 2), ("两百", 200), ("十二", 12), ("一百零五", 105),
                                             ("一千零一十", 1010)])
def test_chinese_numerals(text: str, value: int) -> None:
    assert numeral_value(text) == value


@pytest.mark.parametrize(("title", "expected"), [
    ("文物局（加挂文物股牌子）", ("文物局", ["文物股"])),
    ("办公室（加挂党建办、信访办牌子）", ("办公室", ["党建办", "信访办"])),
    ("教育团工委(加挂少工委的牌子)", ("教育团工委", ["少工委"])),
    ("文化旅游局（加挂县新闻出版和版权局牌子）", ("文化旅游局", ["县新闻出版和版权局"])),  # 和 inside one name
    ("县文物局（加挂文物股牌子、加挂博物馆牌子）", ("县文物局", ["文物股", "博物馆"])),
    ("计划财务股", ("计划财务股", [])),
])
def test_plaques_a_unit_also_bears(title: str, expected: tuple[str, list[str]]) -> None:
    assert plaques(title) == expected


_NAME = st.text(st.sampled_from("青禾山水县市区教育交通局委中心办"), min_size=2, max_size=8).map(lambda s: s + "局")
_RANK = st.builds(lambda side, level: side + level + "级", st.sampled_from(("", *RANK_SIDES)),
                  st.sampled_from(RANK_LEVELS))
_KIND = st.builds(lambda before, ending: before + ending, st.sampled_from(("行政", "参公事业", "全额拨款事业", "")),
                  st.sampled_from(KIND_ENDINGS))


@settings(max_examples=60)
@given(name=_NAME, rank=_RANK, kind=_KIND)
def test_what_the_macro_prints_the_reader_gives_back(name: str, rank: str, kind: str) -> None:
    printed = macro_text("rank_kind", SimpleNamespace(name=name, rank=rank, kind=kind))
    assert standing(printed + "。") == Standing(name, rank, kind, False)


def _units(internal: int, affiliated: int) -> tuple[list[Any], list[Any]]:
    return ([SimpleNamespace(kind=INTERNAL_UNIT)] * internal, [SimpleNamespace(kind=AFFILIATED_UNITS[0])] * affiliated)


@settings(max_examples=60)
@given(internal=st.integers(0, 30), affiliated=st.integers(0, 30), rank=st.none() | _RANK,
       kind=st.sampled_from(AFFILIATED_UNITS))
def test_the_counts_the_macro_prints_are_read_back(internal: int, affiliated: int, rank: str | None,
                                                   kind: str) -> None:
    assume(internal or affiliated)  # a department has a unit at least
    inside, under = _units(internal, affiliated)
    line = "某县某局" + macro_text("unit_counts", inside, under, rank, kind) + "："
    read = counts(line)
    assert read is not None and read.whole
    assert (read.internal, read.affiliated) == (internal or None, affiliated or None)
    assert (read.rank, read.kind) == ((rank, kind) if affiliated else (None, None))


def test_counts_add_up() -> None:
    assert Counts(3, 2, None, None).stated == 5 and Counts(None, 2, None, None).stated == 2
