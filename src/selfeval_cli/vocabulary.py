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
MONEY_UNIT = "万元"
"""The unit every amount of the data is in."""
CENT = Decimal("0.01")
"""Amounts, rates and scores are kept to two decimals (of 万元, of a percent, of a point)."""

# ── Thresholds of the rules ───────────────────────────────────────────────────────────────────
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
UNIT_ENDINGS = ("中心", "局", "委", "会", "办", "室", "院", "馆", "站", "所", "厅", "处", "队", "社", "团", "场",
                "校", "署")
"""How the names of departments and institutions end: a title may be broken after one."""
SELF_WORDS = tuple(ending for ending in UNIT_ENDINGS if ending not in ("会", "室"))
"""The endings that also name the unit in its own prose ("全局编制", "本中心"); a "…委员会" or
"…办公室" is not "全会" or "全室", so it writes its word (委, 办) itself."""

# ── Figures ───────────────────────────────────────────────────────────────────────────────────
THREE_PUBLIC = "“三公”经费"
THREE_PUBLIC_ITEMS = (("abroad", "因公出国（境）费"), ("vehicles", "公务用车购置及运行维护费"),
                      ("reception", "公务接待费"))
"""The three "三公" items (field, name): the national definition, so they are fields, not names."""
VEHICLE_PARTS = (("purchase", "购置费"), ("operation", "运行维护费"))
"""The two parts of the vehicle item (field, name)."""

# ── Attachments and outlines ──────────────────────────────────────────────────────────────────
TABLE_LABEL = "附件1"
"""The label of the 自评表, which comes before the report."""
DEFAULT_OUTLINE = "hunan"
"""The outline of a data file that names none."""


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
IN_POST_WORDS = ("实有在职人员", "在职在编人员", "在职在编", "在职人员", "实有人员", "实有人数", "在职")
"""How reports name the staff in post."""
RETIRED_WORDS = ("离退休人员", "退休人员", "离退休", "退休")
"""How reports name the retired staff."""
CHANGE_WORDS = ("与上年相比", "比上年度", "较上年度", "比上年", "较上年", "同比上年度", "同比上年", "同比", "比去年",
                "较去年")
"""Words that introduce a year-on-year change."""
UP_WORDS = ("增加", "增长", "上升")
DOWN_WORDS = ("减少", "下降", "降低")
OWN_LEVEL_WORDS = ("本级", "机关", "本部")
"""Words that mark a figure as the department's own (局本级, 局机关) rather than an institution's."""
