"""Every cross-check, run in one place: each module's ``CHECKS``, the 自评表's only when there is one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from selfeval_cli.checks import figures, prose, report
from selfeval_cli.checks.common import Check
from selfeval_cli.model.report import Report
from selfeval_cli.problems import Problem


def registered(*, with_table: bool) -> tuple[Check, ...]:
    """The checks a valid report goes through, in order; the 自评表's (imported only then) ``with_table``."""
    every = (*report.CHECKS, *figures.CHECKS, *prose.CHECKS)
    if with_table:  # they find nothing without a table: a file without one does not even import them
        from selfeval_cli.checks import story, table

        every += (*table.CHECKS, *story.CHECKS)
    return every


def without_figures() -> tuple[Check, ...]:
    """The checks that read only names, texts, lists and years — never an amount or a head count — and so
    can run on a file whose figures are still 待填 (``validation`` puts stand-ins there)."""
    return (report.check_notice_year, report.check_outlook_years, report.check_future_years,
            report.check_title_years, report.check_typed_numbers, report.check_unique_names,
            figures.check_unit_word, prose.check_old_years)


def run_without_figures(valid: Report) -> list[Problem]:
    """What ``without_figures`` finds, each tagged with its check's name."""
    return [replace(finding, code=check.__name__) for check in without_figures() for finding in check(valid)]


def run_all(valid: Report | None, data: Any = None) -> list[Problem]:
    """Every cross-check's problems (not yet located), each tagged with the name of the check that made it.

    The review list is checked on the raw ``data``; the other checks need a valid report.
    """
    found = [replace(f, code=report.check_review.__name__) for f in report.check_review(data)]
    if valid is not None:
        every = registered(with_table=valid.assessment is not None)
        found += [replace(finding, code=check.__name__) for check in every for finding in check(valid)]
    return found
