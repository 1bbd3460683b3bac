"""new-year's review list: every entry points at a field the new file has, and every carried-over text
that states a figure is on it."""

from __future__ import annotations

import shutil
from pathlib import Path

from selfeval_cli.commands.newyear import make_next_year
from selfeval_cli.model.loader import load_file
from selfeval_cli.model.values import MISSING, parse_dotted, value_at

from ..conftest import FIXTURES, TABLE_EXAMPLE, edited_copy


def review_of(path: Path) -> list[dict[str, str]]:
    data = load_file(path).data
    assert isinstance(data, dict)
    return list(data.get("review") or [])


def test_no_entry_points_at_a_field_new_year_removed(tmp_path: Path) -> None:
    source = tmp_path / TABLE_EXAMPLE.name
    shutil.copy(TABLE_EXAMPLE, source)
    result = make_next_year(source)
    assert result.output is not None
    data = load_file(result.output).data
    entries = review_of(result.output)
    assert entries and all(value_at(data, parse_dotted(entry["path"])) is not MISSING for entry in entries)
    assert not any(entry["path"].endswith(".reason") for entry in entries)


def test_carried_over_figures_in_any_outline_are_listed(tmp_path: Path) -> None:
    source = edited_copy(FIXTURES / "national_outline.yaml", tmp_path, [(
        "conclusion: 全年预算执行总体较好，主要绩效目标基本完成，资金使用规范。",
        "conclusion: 全年预算执行率88.26%，资金到位率100%，主要绩效目标基本完成。")])
    result = make_next_year(source)
    assert result.output is not None
    entries = [e for e in review_of(result.output) if e["path"] == "conclusion"]
    assert [e.get("text") for e in entries] == ["88.26%"]
    assert "沿用自2025年报告的数字" in entries[0]["reason"]
    # The entry goes away by itself once the figure is rewritten (it quotes the text).
    rewritten = result.output.read_text(encoding="utf-8").replace("全年预算执行率88.26%，资金到位率100%",
                                                                   "全年预算执行情况待评价")
    result.output.write_text(rewritten, encoding="utf-8")
    from selfeval_cli.checks.validation import validate_file

    assert not [p for p in validate_file(result.output).problems if p.path == "conclusion"]


def test_amounts_that_are_not_budget_figures_are_not_called_so(tmp_path: Path) -> None:
    from selfeval_cli.checks.validation import validate_file

    source = tmp_path / TABLE_EXAMPLE.name
    shutil.copy(TABLE_EXAMPLE, source)
    result = make_next_year(source)
    assert result.output is not None
    messages = {p.path: p.message for p in validate_file(result.output).problems if p.code == "money_to_fill"}
    assert messages["department.assets.fixed_assets"] == "金额未填写（仍为“待填”）"
    assert messages["budget.amount"] == "2026年预算数未填写（仍为“待填”）"
