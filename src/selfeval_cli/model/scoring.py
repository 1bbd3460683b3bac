"""Scoring the self-assessment table: the rules of 附件1 as small pure functions, and the
computed view (``score_table``) that both the cross-checks and the templates read.

All arithmetic is ``Decimal``. Each score is computed from the exact inputs in one division and
rounded once to two decimals, half up (the way the bureaus' spreadsheets and systems round):
rounding a rounded rate again would drift by 0.01 from what the bureau computes. Totals are
sums of the rounded scores, so the table adds up as printed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from selfeval_cli.model.assessment import Assessment, FirstLevel, Funding, FundingRow, Indicator, SecondLevel
from selfeval_cli.model.money import percent_of
from selfeval_cli.model.values import FieldPath
from selfeval_cli.vocabulary import CENT, GRADE_BANDS, LOW_RATE, QUALITATIVE_BANDS

ZERO = Decimal("0.00")
TOLERANCE = CENT
"""A typed 得分 may differ from the computed one by this much (the bureaus' tolerance)."""

# Indicator values may carry many digits; intermediate products must stay exact so that the
# only rounding is the final half-up one.
_EXACT = Context(prec=100)


def round_half_up(value: Decimal) -> Decimal:
    """``value`` to two decimals, halves rounded away from zero (9.865 → 9.87)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def execution_rate(executed: Decimal, budget: Decimal) -> Decimal | None:
    """执行率 in percent, B ÷ A × 100 to two decimals; None when A is 0."""
    return percent_of(executed, budget)


def execution_score(executed: Decimal, budget: Decimal, weight: Decimal) -> Decimal | None:
    """执行率得分 = min(B ÷ A, 1) × 分值; None when A is 0."""
    if budget == 0:
        return None
    if executed >= budget:  # overspending earns no more than the full weight
        return round_half_up(weight)
    with localcontext(_EXACT):
        return round_half_up(executed * weight / budget)


def quantitative_score(kind: str, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """得分 of a 正向, 反向 or 等于 indicator with 年度指标值 A and 实际完成值 B, in [0, 分值].

    正向: B ≥ A → 分值, else B/A × 分值. 反向: B ≤ A → 分值, A < B < 2A → (1 − (B−A)/A) × 分值,
    B ≥ 2A → 0. 等于: (1 − |B−A|/|A|) × 分值, at least 0. A = 0: full when met, else 0.
    """
    # One formula for the three: the score falls in proportion to how far B misses A, measured
    # against |A|. For A > 0 this is exactly the published rule; for a negative A (e.g. a
    # 变动率 target of −5 %) it keeps the same meaning instead of flipping sign. All of it in the
    # exact context: a caller's lowered precision must not round the miss before it is compared.
    with localcontext(_EXACT):
        if kind == "正向":
            miss = target - actual
        elif kind == "反向":
            miss = actual - target
        elif kind == "等于":
            miss = abs(actual - target)
        else:
            raise ValueError(f"not a computed kind: {kind}")
        if miss <= 0:
            return round_half_up(weight)
        if target == 0:  # any miss of a zero target is total: there is no scale to be partly right on
            return ZERO
        left = abs(target) - miss
        return ZERO if left <= 0 else round_half_up(weight * left / abs(target))


def qualitative_band(grade: str, weight: Decimal) -> tuple[Decimal, Decimal]:
    """The 得分 range of a 定性 grade: 达成 [80 %, 100 %], 部分达成 [60 %, 80 %), 未达成 [0, 60 %) of 分值.

    The bounds are exact (0.8 × 2.55 = 2.04, 0.6 × 1.23 = 0.738), not rounded.
    """
    low, high = QUALITATIVE_BANDS[grade]
    with localcontext(_EXACT):
        return weight * low, weight * high


def score_in_band(grade: str, score: Decimal, weight: Decimal) -> bool:
    """Whether a typed 得分 lies in its grade's band (upper bound excluded except for 达成)."""
    low, high = qualitative_band(grade, weight)
    return low <= score and (score <= high if grade == "达成" else score < high)


def grade_for(total: Decimal, bands: Sequence[tuple[str, Decimal]] = GRADE_BANDS) -> str:
    """The 自评等级 of a 总分: the first band, highest first, whose lowest total it reaches."""
    for name, lower in bands:
        if total >= lower:
            return name
    raise ValueError(f"no grade band reaches {total}")


@dataclass(frozen=True)
class ScoredFundingRow:
    row: FundingRow
    rate: Decimal | None
    """执行率 (%) on the funding's basis; None when that divisor is 0."""


@dataclass(frozen=True)
class ScoredFunding:
    funding: Funding
    total: ScoredFundingRow
    parts: tuple[ScoredFundingRow, ...]
    weight: Decimal
    score: Decimal
    """执行率得分 of the total row; 0 when its rate cannot be computed (see ``rate_missing``)."""

    @property
    def rate_missing(self) -> bool:
        """The total row's divisor is 0: no rate, and the score counts as 0."""
        return self.total.rate is None

    @property
    def needs_reason(self) -> bool:
        """执行率 below 90 %: the table needs a 偏差原因."""
        return self.total.rate is not None and self.total.rate < LOW_RATE


@dataclass(frozen=True)
class ScoredIndicator:
    indicator: Indicator
    path: FieldPath
    """Where the indicator stands, from the assessment: ("indicators", i, "children", j, "indicators", k)."""
    score: Decimal
    """The 得分 counted in the total: computed for 正向/反向/等于, typed for 定性/按评分标准."""
    typed: Decimal | None
    """The 得分 written in the data, if any."""

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    @property
    def mismatch(self) -> bool:
        """A typed 得分 of a computed kind differs from the computed one by more than 0.01."""
        return self.indicator.computed and self.typed is not None and abs(self.typed - self.score) > TOLERANCE

    @property
    def band(self) -> tuple[Decimal, Decimal]:
        """For 定性: the 得分 range of its grade (see ``qualitative_band``)."""
        assert self.indicator.grade is not None, "only a 定性 indicator has a grade"
        return qualitative_band(self.indicator.grade, self.weight)

    @property
    def in_band(self) -> bool | None:
        """For 定性: whether the typed 得分 lies in its grade's band; None for other kinds."""
        grade = self.indicator.grade
        return None if grade is None else score_in_band(grade, self.score, self.weight)

    @property
    def short(self) -> bool:
        """Below full marks: the row needs 偏差原因分析及改进措施."""
        return self.score < self.weight


@dataclass(frozen=True)
class ScoredSecond:
    level: SecondLevel
    path: FieldPath
    indicators: tuple[ScoredIndicator, ...]
    weight: Decimal
    """Σ 分值 of the indicators (``level.weight`` is the typed one, if any)."""
    score: Decimal
    """Σ 得分 of the indicators."""


@dataclass(frozen=True)
class ScoredFirst:
    level: FirstLevel
    path: FieldPath
    children: tuple[ScoredSecond, ...]
    weight: Decimal
    """Σ 分值 of the second levels' computed weights (``level.weight`` is the typed one)."""
    score: Decimal


@dataclass(frozen=True)
class ScoredTable:
    assessment: Assessment
    funding: ScoredFunding
    levels: tuple[ScoredFirst, ...]
    total_weight: Decimal
    """分值 of 执行率 + Σ 分值 of all indicators; should be 100."""
    total_score: Decimal
    """总分: 执行率得分 + Σ 得分 of all indicators."""
    grade: str
    bands: tuple[tuple[str, Decimal], ...]

    def indicators(self) -> Iterator[tuple[ScoredFirst, ScoredSecond, ScoredIndicator]]:
        """Every indicator row in table order, with its first and second level."""
        for first in self.levels:
            for second in first.children:
                for row in second.indicators:
                    yield first, second, row


def _score_row(row: FundingRow, basis: str) -> ScoredFundingRow:
    divisor = row.initial if basis == "年初预算数" else row.budget
    return ScoredFundingRow(row, execution_rate(row.executed, divisor))


def _score_funding(funding: Funding) -> ScoredFunding:
    total = _score_row(funding.total, funding.basis)
    divisor = funding.total.initial if funding.basis == "年初预算数" else funding.total.budget
    score = execution_score(funding.total.executed, divisor, funding.weight)
    return ScoredFunding(funding, total, tuple(_score_row(p, funding.basis) for p in funding.parts),
                         funding.weight, ZERO if score is None else score)


def _score_indicator(indicator: Indicator, path: FieldPath) -> ScoredIndicator:
    if indicator.computed:
        # target/actual are Decimal for computed kinds (the model's validator guarantees it).
        assert isinstance(indicator.target, Decimal) and isinstance(indicator.actual, Decimal)
        score = quantitative_score(indicator.kind, indicator.target, indicator.actual, indicator.weight)
    else:
        assert indicator.score is not None  # required for the typed kinds by the model
        score = indicator.score
    return ScoredIndicator(indicator, path, score, indicator.score)


def score_table(assessment: Assessment) -> ScoredTable:
    """The computed view of a table: rates, every 得分, subtotals, 总分 and 自评等级.

    Computed in the exact context whatever the caller's: at a lowered precision 89.99 would add up
    to 90.0 and change the grade.
    """
    with localcontext(_EXACT):
        return _score_table(assessment)


def _score_table(assessment: Assessment) -> ScoredTable:
    funding = _score_funding(assessment.funding)
    levels = []
    for i, first in enumerate(assessment.indicators):
        children = []
        for j, second in enumerate(first.children):
            path: FieldPath = ("indicators", i, "children", j)
            rows = tuple(_score_indicator(ind, (*path, "indicators", k)) for k, ind in enumerate(second.indicators))
            children.append(ScoredSecond(second, path, rows, sum((r.weight for r in rows), ZERO),
                                         sum((r.score for r in rows), ZERO)))
        levels.append(ScoredFirst(first, ("indicators", i), tuple(children),
                                  sum((c.weight for c in children), ZERO), sum((c.score for c in children), ZERO)))
    total_weight = funding.weight + sum((f.weight for f in levels), ZERO)
    total_score = funding.score + sum((f.score for f in levels), ZERO)
    bands = (tuple((b.name, b.lower) for b in assessment.grades) if assessment.grades else GRADE_BANDS)
    return ScoredTable(assessment, funding, tuple(levels), total_weight, total_score,
                       grade_for(total_score, bands), bands)
