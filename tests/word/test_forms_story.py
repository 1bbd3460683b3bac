"""One story across both attachments: the 自评表's 年度资金总额 against the report's budget figures
(``checks/story.py``; the 附件1 and 附件2 of one file must not disagree without a word)."""

from __future__ import annotations

from pathlib import Path

from selfeval_cli.checks.story import CHECKS, check_story_funding
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.problems import Problem, Severity

from ..conftest import FIXTURES, TABLE_EXAMPLE, edited_copy

TOTAL_ROW = "total: {name: 年度资金总额, initial: 1250.80, budget: 1302.60, executed: 1268.40}"
STATED = "附件1 自评表的年度资金总额按全年预算数1302.60万元计，执行率97.37%。"
"""Where the full example states the table's own figures: without it, the two attachments disagree silently."""


def unexplained(folder: Path, *more: tuple[str, str]) -> Path:
    """The full example without its sentence on the table's figures (and with ``more`` edits)."""
    return edited_copy(TABLE_EXAMPLE, folder, [(STATED, ""), *more])


def _found(source: Path) -> list[Problem]:
    report = validate_file(source).parsed  # the 总分 the prose states may no longer be the table's
    assert report is not None
    return list(check_story_funding(report))


def test_two_rates_without_a_word_are_told_why(tmp_path: Path) -> None:
    [finding] = _found(unexplained(tmp_path))
    assert finding.severity is Severity.WARNING and finding.field == ("assessment", "funding", "total")
    assert "全年预算数 1302.60 万元、全年执行数 1268.40 万元、执行率 97.37%" in finding.message  # the table's
    assert "全年预算数 1270.80 万元、全年执行数 1240.60 万元、执行率 97.62%" in finding.message  # the report's
    assert "“本年财政拨款”一行与报告相同，差额（31.80 万元、27.80 万元）是自评表另含的“上年结转资金”" in finding.message
    assert check_story_funding in CHECKS


def test_figures_that_agree_say_nothing(tmp_path: Path) -> None:
    aligned = edited_copy(TABLE_EXAMPLE, tmp_path, [
        (TOTAL_ROW, "total: {name: 年度资金总额, initial: 1250.80, budget: 1270.80, executed: 1240.60}"),
        ("{name: 上年结转资金, initial: 0.00, budget: 31.80, executed: 27.80}",
         "{name: 上年结转资金, initial: 0.00, budget: 0.00, executed: 0.00}")])
    assert _found(aligned) == []


def test_a_report_that_states_the_tables_figures_explains_them(tmp_path: Path) -> None:
    assert _found(TABLE_EXAMPLE) == []  # the example says it in its use of funds
    source = TABLE_EXAMPLE.read_text(encoding="utf-8")
    verdict = next(line for line in source.splitlines() if line.startswith("verdict:"))
    explained = unexplained(tmp_path, (verdict, verdict.rstrip() + "含上年结转资金，自评表年度资金总额1302.60万元。"))
    assert _found(explained) == []


def test_a_gap_the_rows_do_not_account_for_is_named_without_a_reason(tmp_path: Path) -> None:
    other = unexplained(tmp_path, (TOTAL_ROW, "total: {name: 年度资金总额, initial: 1250.80, budget: 1302.60, "
                                              "executed: 1260.00}"))
    [finding] = _found(other)
    assert "全年执行数 1260.00 万元" in finding.message and "另含" not in finding.message


def test_without_the_reports_execution_figures_there_is_nothing_to_compare() -> None:
    assert _found(FIXTURES / "assessment_old_scheme.yaml") == []
