"""The review list's field paths: judged by their form, not by whether a field of that name exists.

Written against the mutant ``make mutation`` found alive (a path in capitals refused as malformed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval_cli.checks.validation import validate_file

from ..conftest import TABLE_EXAMPLE, edited_copy


def problems_with_review_path(folder: Path, path: str) -> list[tuple[str, str]]:
    """(severity, message) of each problem of the county example with one review entry at ``path``."""
    source = edited_copy(TABLE_EXAMPLE, folder, [(
        "year: 2025\n", f"year: 2025\nreview:\n  - {{path: '{path}', reason: 上年的问题，请核对}}\n")])
    return [(p.severity.value, p.message) for p in validate_file(source).problems]


@pytest.mark.parametrize("path", ["key_workz[0]", "Key_work[0]", "Problems", "key_work[99]"])
def test_a_well_formed_path_that_names_no_field_is_an_entry_dealt_with(tmp_path: Path, path: str) -> None:
    # The field is gone (or never was): nothing left to check, so neither an error nor a warning —
    # in capitals too, since a path is refused for its form only.
    assert problems_with_review_path(tmp_path, path) == []


def test_the_path_of_an_existing_field_asks_for_a_check(tmp_path: Path) -> None:
    assert problems_with_review_path(tmp_path, "key_work[0]") == [
        ("warning", "待核对：上年的问题，请核对（处理后删除 review[0]）")]


@pytest.mark.parametrize("path", ["0key", "key work", "key_work[x]", "department..name"])
def test_a_path_not_in_the_form_of_one_is_an_error(tmp_path: Path, path: str) -> None:
    assert problems_with_review_path(tmp_path, path) == [
        ("error", f"字段路径格式应为 key_work[0] 或 department.staffing，实际为“{path}”")]
