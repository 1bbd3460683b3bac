"""What every cross-check shares: its type (a report in, problems about its fields out) and the adds-up rule."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from selfeval_cli.model.money import format_money
from selfeval_cli.model.values import FieldPath
from selfeval_cli.problems import Problem, Severity

if TYPE_CHECKING:
    from selfeval_cli.model.report import Report


Check = Callable[["Report"], Iterator[Problem]]
"""A cross-check: a small function from a valid report to the problems it finds (``Problem.about`` a field)."""


def _shown(value: int | Decimal) -> str:
    return format_money(value) if isinstance(value, Decimal) else str(value)


def unless_adds_up(path: FieldPath, terms: Sequence[tuple[str, int | Decimal]], total_name: str, total: int | Decimal,
                   *, unit: str = "万元", prefix: str = "", difference: bool = False) -> Iterator[Problem]:
    """A warning at ``path`` when the named amounts (or head counts) do not add up to ``total``:
    "甲 1.00 + 乙 2.00 = 3.00 万元，与合计 4.00 万元不符", with the gap when ``difference``."""
    added: int | Decimal = sum((value for _, value in terms), 0)
    if added == total:
        return
    shown = " + ".join(f"{name} {_shown(value)}" for name, value in terms)
    missing: int | Decimal = abs(total - added)  # type: ignore[assignment]  # int and Decimal mix exactly
    gap = f"（差 {_shown(missing)} {unit}）" if difference else ""
    yield Problem.about(path, Severity.WARNING,
                        f"{prefix}{shown} = {_shown(added)} {unit}，与{total_name} {_shown(total)} {unit}不符{gap}")
