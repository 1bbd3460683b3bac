"""new-year drops what belonged to last year: every ``reason``, every figure of the year.

A ``reason`` explains last year's 执行率 or shortfall; carried over, it would print under next year's
figures, which nobody has entered yet, and ``validate`` has no way to tell. So the full example gets a
reason on every kind of node that can have one, goes through ``make_next_year``, and the new file is
read back: no reason is left, every amount is 待填 with last year's figure as ``previous``, and the
自评表's 实际完成值 and hand-given 得分 are to be filled again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from selfeval_cli.commands import newyear, roundtrip
from selfeval_cli.commands.newyear import make_next_year
from selfeval_cli.model.assessment import QUANTITATIVE
from selfeval_cli.model.loader import load_file
from selfeval_cli.model.values import FieldPath
from selfeval_cli.vocabulary import TO_FILL

from ..conftest import TABLE_EXAMPLE, edited_copy

# The example has reasons on two indicators only; these give one to each other kind of node (text edits,
# so the file stays the user's): the budget, a part, a line of a part, and the 自评表's funding.
REASONS = (
    ("  executed: 1240.60\n", "  executed: 1240.60\n  reason: 整体支出执行率偏低的原因。\n"),
    ("    executed: 382.40\n", "    executed: 382.40\n    reason: 项目支出执行偏慢的原因。\n"),
    ("        previous: 60.00\n", "        previous: 60.00\n        reason: 全民健身活动延期的原因。\n"),
    ("\n  goals:\n", "\n    reason: 上年结转资金未用完的原因。\n  goals:\n"),
)
BUDGET_REASONS = {("budget", "reason"), ("budget", "project", "reason"), ("budget", "project", "items", 1, "reason")}


def walk(node: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every (path, value) of the data, mappings and lists included."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def reasons(data: Any) -> set[FieldPath]:
    """Where the data has a ``reason``, the review list apart (its entries say why to check a place)."""
    return {path for path, _ in walk(data) if path and path[-1] == "reason" and path[0] != "review"}


def at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


def indicators(data: Any) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    for i, first in enumerate(data["assessment"]["indicators"]):
        for j, second in enumerate(first["children"]):
            for k, row in enumerate(second["indicators"]):
                yield ("assessment", "indicators", i, "children", j, "indicators", k), row


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return edited_copy(TABLE_EXAMPLE, tmp_path, REASONS)


def load(path: Path) -> Any:
    loaded = load_file(path)
    assert loaded.data is not None and not loaded.problems
    return loaded.data


def next_year(source: Path) -> Any:
    result = make_next_year(source, source.with_name("2026.yaml"))
    assert result.output is not None, [p.format() for p in result.problems]
    return load(result.output)


def test_the_source_has_a_reason_on_every_kind_of_node(source: Path) -> None:
    old = load(source)
    indicator_reasons = {(*path, "reason") for path, row in indicators(old) if "reason" in row}
    assert len(indicator_reasons) == 2
    assert reasons(old) == BUDGET_REASONS | indicator_reasons | {("assessment", "funding", "reason")}


def test_no_reason_is_carried_over(source: Path) -> None:
    assert reasons(next_year(source)) == set()


def test_every_amount_is_to_fill_with_last_years_figure_as_previous(source: Path) -> None:
    old, new = load(source), next_year(source)
    amounts = [(path, node) for path, node in walk(old)
               if isinstance(node, dict) and isinstance(node.get("amount"), Decimal | int)]
    assert {path[0] for path, _ in amounts} == {"budget", "income"}  # the budget's 8 nodes and income's 3
    assert len(amounts) == 11
    for path, node in amounts:
        rolled = at(new, path)
        assert (rolled["amount"], rolled["previous"]) == (TO_FILL, node["amount"]), path
        for key in ("adjusted", "executed"):  # this year's too
            if key in node:
                assert rolled[key] == TO_FILL, (path, key)


def test_the_table_is_to_be_filled_again(source: Path) -> None:
    old, new = load(source), next_year(source)
    funding = new["assessment"]["funding"]
    for row in [funding["total"], *funding["parts"]]:
        assert [row[key] for key in ("initial", "budget", "executed")] == [TO_FILL] * 3, row["name"]
    assert all(goal["result"] == TO_FILL for goal in new["assessment"]["goals"])
    typed = 0
    for path, row in indicators(new):
        was = at(old, path)
        assert row["actual"] == TO_FILL and row["target"] == was["target"], path  # the target stays
        if row["kind"] in QUANTITATIVE:
            assert "score" not in row, path  # computed again from this year's 实际完成值
        elif "score" in was:
            assert row["score"] == TO_FILL, path
            typed += 1
    assert typed == 2  # 公共文化服务覆盖面 (定性) and 长效管理机制建立情况 (按评分标准)


# ---------------------------------------------------------------------------------------- planted bugs


def _keeping_reason(where: Callable[[Any], bool]) -> Callable[[Any, str], None]:
    """``roundtrip.pop`` (new-year's ``pop``), except that it keeps ``reason`` on the nodes ``where`` picks."""

    def pop(node: Any, key: str) -> None:
        if key == "reason" and where(node):
            return
        roundtrip.pop(node, key)

    return pop


PLANTED = {
    "_roll_amount keeps the reason": (lambda node: "amount" in node, BUDGET_REASONS),
    "_roll_assessment keeps the indicators' reason": (
        lambda node: "kind" in node,
        {("assessment", "indicators", 0, "children", 2, "indicators", 0, "reason"),
         ("assessment", "indicators", 1, "children", 0, "indicators", 1, "reason")}),
}


@pytest.mark.parametrize("bug", PLANTED)
def test_a_reason_kept_is_caught(bug: str, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where, kept = PLANTED[bug]
    monkeypatch.setattr(newyear, "pop", _keeping_reason(where))
    assert reasons(next_year(source)) == kept  # test_no_reason_is_carried_over fails on exactly these
