"""The model's own rules on text fields and document numbers (the cross-checks are tested in tests/checks)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from selfeval_cli.model.report import Report


def _with(report: Report, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = report.model_dump()
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def _error(data: dict[str, Any]) -> tuple[tuple[str | int, ...], str, str]:
    with pytest.raises(ValidationError) as caught:
        Report.model_validate(data)
    [error] = caught.value.errors()
    return tuple(error["loc"]), error["type"], error["msg"]


@pytest.mark.parametrize("path", [("department", "name"), ("scope",), ("key_work", 0, "title")])
def test_one_line_fields_refuse_a_line_break(other_report: Report, path: tuple[str | int, ...]) -> None:
    loc, kind, message = _error(_with(other_report, path, "第一行\n第二行"))
    assert (loc, kind) == (path, "text_newline") and "不能换行" in message


def test_prose_fields_keep_one_paragraph_per_line(other_report: Report) -> None:
    report = Report.model_validate(_with(other_report, ("problems",), "  第一段\n\n   第二段  \n"))
    assert report.problems == "第一段\n第二段"


@pytest.mark.parametrize(("written", "stored"), [
    ("渌财通【2024】6号", "渌财通〔2024〕6号"),
    ("渌财通[2024]6号", "渌财通〔2024〕6号"),
    ("渌财通 （2024） 6号", "渌财通〔2024〕6号"),
])
def test_document_numbers_take_the_standard_brackets(other_report: Report, written: str, stored: str) -> None:
    report = Report.model_validate(_with(other_report, ("notice", "document_number"), written))
    assert report.notice is not None and report.notice.document_number == stored


@pytest.mark.parametrize("written", ["渌财通2024年6号", "〔2024〕6号", "渌财通〔24〕6号", "渌财通〔2024〕六号"])
def test_malformed_document_numbers_are_refused(other_report: Report, written: str) -> None:
    loc, kind, message = _error(_with(other_report, ("notice", "document_number"), written))
    assert (loc, kind) == (("notice", "document_number"), "doc_number")
    assert "机关代字〔年份〕序号号" in message and written in message


def test_text_still_to_fill_is_an_error(other_report: Report) -> None:
    loc, kind, _ = _error(_with(other_report, ("scope",), "待填"))
    assert (loc, kind) == (("scope",), "text_to_fill")


def test_title_lines_must_make_the_title(other_report: Report) -> None:
    data = _with(other_report, ("attachment", "title_lines"), ["部门整体支出", "绩效报告"])
    loc, kind, message = _error(data)
    assert (loc, kind) == (("attachment",), "title_lines") and "部门整体支出绩效报告" in message
    fine = _with(other_report, ("attachment", "title_lines"), ["部门整体支出绩效", "自评报告"])
    assert Report.model_validate(fine).attachment.title_lines == ["部门整体支出绩效", "自评报告"]
