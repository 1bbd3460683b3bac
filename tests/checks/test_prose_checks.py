"""The prose against the data: counts, years and the indicators the vocabulary knows; duplicate units."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval_cli.checks import prose as prose_checks
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.model.report import Report
from selfeval_cli.problems import Severity

from ..conftest import EXAMPLE, OTHER, TABLE_EXAMPLE, edited_copy, report_with

PROBLEMS = "problems: 部分项目资金支付进度偏慢。\n"


def codes(path: Path) -> list[str]:
    return [p.code for p in validate_file(path).problems]


@pytest.mark.parametrize(("said", "fires"), [
    ("全局设9个内设机构，", True),
    ("全局设四个内设机构，", True),
    ("全局设三个内设机构，", False),  # as many as the data lists
    ("下属3个局属事业单位，", True),
    ("下属两个局属事业单位，", False),
    ("下属十二个事业单位，", True),
    ("（一）部门设置了会议室3个，", False),  # not a count of units
    ("局机关内设5个股室，", True),  # the internal offices under another name
    ("内设机构3个，", False),  # the count after the kind
    ("内设机构共7个，", True),
    # Counts of what the department oversees or visits, not of its own units.
    ("指导全县文化事业单位28个开展普查，走访了12个乡镇的事业单位，对全县45个行政事业单位开展内控检查，", False),
    ("县人民医院设临床科室32个，", False),
    ("", False),
])
def test_a_count_in_prose_against_the_list(tmp_path: Path, said: str, fires: bool) -> None:
    source = edited_copy(OTHER, tmp_path, [(PROBLEMS, f"problems: {said}部分项目资金支付进度偏慢。\n")])
    found = [p for p in validate_file(source).problems if p.code == "check_stated_counts"]
    assert bool(found) == fires
    if fires:  # located at the sentence, naming what the data lists
        assert found[0].path == "problems" and "数据中列出的" in found[0].message


def test_the_counts_the_fictional_department_states_are_right() -> None:
    assert "check_stated_counts" not in codes(OTHER) and "check_stated_counts" not in codes(TABLE_EXAMPLE)


@pytest.mark.parametrize(("said", "fires"), [
    ("2015年度，自评小组", True),
    ("2023年以来", True),  # a 2025 report: 2024 is the oldest year its prose names without a warning
    ("2024年", False),
    ("依据青财绩〔2015〕2号文件", False),  # a 文号 is no mention of a year
    ("共2015人次参加", False),
])
def test_old_years_in_prose(tmp_path: Path, said: str, fires: bool) -> None:
    source = edited_copy(OTHER, tmp_path, [(PROBLEMS, f"problems: {said}部分项目资金支付进度偏慢。\n")])
    assert ("check_old_years" in codes(source)) == fires


def test_the_published_example_keeps_its_two_known_warnings() -> None:
    problems = validate_file(EXAMPLE).problems
    assert [p.code for p in problems] == ["check_part_components", "check_outlook_years"]


@pytest.mark.parametrize(("actual", "fires"), [("94.44", False), ("94.4", False), ("94", False),
                                                 ("92.31", True), ("95.00", True)])
def test_a_known_indicator_against_the_figures(tmp_path: Path, actual: str, fires: bool) -> None:
    """在职人员控制率 of the full example: 34 in post of 36 authorised, 94.44 % (as precise as written)."""
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("              actual: 94.44\n",
                                                     f"              actual: {actual}\n")])
    found = [p for p in validate_file(source).problems if p.code == "check_known_indicators"]
    assert bool(found) == fires
    if fires:
        assert found[0].message.startswith(f"“在职人员控制率”的实际完成值为 {actual}，按数据算出为 94.44")


def test_a_three_public_rate_is_not_quoted_twice(tmp_path: Path) -> None:
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("              actual: -4.71\n", "              actual: -3.00\n")])
    found = [p for p in validate_file(source).problems if p.code == "check_known_indicators"]
    assert len(found) == 1 and found[0].message.startswith("“三公”经费变动率的实际完成值为 -3.00")


def test_a_duplicate_unit_names_both_lines(tmp_path: Path) -> None:
    text = OTHER.read_text(encoding="utf-8")
    source = edited_copy(OTHER, tmp_path, [("    - kind: 内设机构\n      name: 文化艺术股\n",
                                            "    - kind: 内设机构\n      name: 办公室\n")])
    first = text.splitlines().index("      name: 办公室") + 1
    found = [p for p in validate_file(source).problems if p.code == "check_unique_names"]
    assert len(found) == 1 and found[0].severity.value == "warning"
    assert found[0].message == f"“办公室”重复列出（第 {first} 行已列出）"


def test_a_duplicate_unit_of_another_kind_is_an_error(tmp_path: Path) -> None:
    source = edited_copy(OTHER, tmp_path, [("      name: 青山县文化馆\n", "      name: 办公室\n")])
    found = [p for p in validate_file(source).problems if p.code == "check_unique_names"]
    assert len(found) == 1 and found[0].severity.value == "error"
    assert "两处的类别不同（内设机构、" in found[0].message and "行已列出）" in found[0].message


def test_a_name_with_its_own_quotes_is_not_quoted_again(tmp_path: Path) -> None:
    """The 自评表's messages name “三公”经费变动率 as it is, not ““三公”经费变动率”."""
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [("              actual: -4.71\n              weight: 5\n",
                                                     "              actual: 5\n              weight: 5\n")])
    messages = [p.message for p in validate_file(source).problems if "三公" in p.message]
    assert messages and not any("““" in message or "””" in message for message in messages)
    assert any(message.startswith("“三公”经费变动率") for message in messages)


def test_a_closing_date_still_to_fill_says_so(tmp_path: Path) -> None:
    source = edited_copy(OTHER, tmp_path, [("  date: 2026-03-05\n", "  date: 待填\n")])
    messages = [p.message for p in validate_file(source).problems if p.path == "closing.date"]
    assert messages == ["成文日期未填写（仍为“待填”）"]


def test_a_date_is_described_as_a_date() -> None:
    """The loader keeps 2024-01-01 as text (YAML 1.2); a Python caller may pass a date, described in words."""
    import datetime as dt

    from selfeval_cli.model.values import describe

    assert describe(dt.date(2024, 1, 1)) == "日期 2024-01-01" and describe("2024-01-01") == "文本“2024-01-01”"


@pytest.mark.parametrize(("text", "found"), [
    ("全年基本支出850.80元，主要用于人员工资。", ["850.80元"]),  # the published report's own slip, in our figures
    ("全年基本支出850.80万元，主要用于人员工资。", []),
    ("发放慰问金850元。", []),  # not an amount of the data
    ("项目支出 400.00 元，较上年增加。", ["400.00 元"]),
])
def test_an_amount_of_the_data_said_in_yuan(other_report: Report, text: str, found: list[str]) -> None:
    problems = list(prose_checks.check_amounts_said_in_yuan(report_with(other_report, (("problems",), text))))
    assert [p.quote for p in problems] == found
    assert all(p.severity is Severity.WARNING and "这里的单位应为万元" in p.message for p in problems)
