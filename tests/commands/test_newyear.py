"""`selfeval new-year`: next year's file from this year's."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.newyear import default_output, make_next_year
from selfeval_cli.model.report import Report
from selfeval_cli.model.types import TO_FILL_CODES
from selfeval_cli.problems import Severity

from ..conftest import EXAMPLE, OTHER
from ..docx_read import body_texts, open_docx

FILLED = {  # 2025 figures, in file order: total, basic, 人员, 公用, project, 专项
    "budget.amount": "800.00", "budget.basic.amount": "800.00", "budget.basic.items[0].amount": "650.00",
    "budget.basic.items[1].amount": "150.00", "budget.project.amount": "0.00",
    "budget.project.items[0].amount": "0.00",
}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    return tmp_path


def test_default_output_bumps_the_year_in_the_name() -> None:
    assert default_output(Path("d/2024_luko_edu.yaml"), 2024, 2025) == Path("d/2025_luko_edu.yaml")
    assert default_output(Path("d/edu.yaml"), 2024, 2025) == Path("d/edu_2025.yaml")


def test_only_what_must_change_changes(workdir: Path, runner: CliRunner) -> None:
    source = workdir / EXAMPLE.name
    before = source.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["new-year", str(source)])
    assert result.exit_code == 0, result.output
    assert source.read_text(encoding="utf-8") == before  # the input is never touched
    after = (workdir / "2025_luko_edu.yaml").read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    review_start = new_lines.index("review:") - 3  # blank line and two comment lines above it
    body = new_lines[:review_start]
    added = [line for line in body if line not in old_lines]
    removed = [line for line in old_lines if line not in body]
    for line in added:
        is_year = line.replace("2025", "2024") in old_lines
        is_marker = re.fullmatch(r"\s*(amount|document_number): 待填\s*(#.*)?", line) is not None
        is_previous = re.fullmatch(r"\s*previous: \d+\.\d\d", line) is not None
        assert is_year or is_marker or is_previous, line
    for line in removed:
        assert re.search(r"year: 2024|2024年度|document_number:|amount: \d", line), line
    assert all(line.startswith(("  ", "review:", "#")) for line in new_lines[review_start + 1:])
    old_comments = [line.strip() for line in old_lines if line.strip().startswith("#")]
    assert all(comment in after for comment in old_comments)
    assert "amount: 待填              # 年初财政批复的整体支出合计" in after


def test_untouched_file_lists_every_figure_to_fill(workdir: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["new-year", str(workdir / EXAMPLE.name)])
    target = workdir / "2025_luko_edu.yaml"
    result = runner.invoke(cli, ["validate", str(target)])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    fields = {line.split(": ")[2] for line in errors}
    assert fields == {*FILLED, "notice.document_number"}
    assert all("2025年预算数未填写" in line for line in errors if "budget" in line)
    lines = target.read_text(encoding="utf-8").splitlines()
    for line in errors:
        row, column = map(int, line.split(":")[1:3])
        assert lines[row - 1][column - 1:].startswith("待填")
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert any("problems: 待核对“疫情”" in line for line in warnings)
    assert any("disclosure: 待核对“2024年”" in line for line in warnings)
    assert sum("沿用自2024年报告的重点工作" in line for line in warnings) == 5
    assert sum("沿用自2024年报告的改进措施" in line for line in warnings) == 4
    assert any("department.staffing" in line for line in warnings)


def fill(path: Path) -> None:
    """Fill the figures and the document number as a user would, in file order."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("document_number: 待填", "document_number: 渌财通〔2025〕3号")
    for value in FILLED.values():
        text = text.replace("amount: 待填", f"amount: {value}", 1)
    path.write_text(text, encoding="utf-8")


def test_filled_file_validates_builds_and_states_changes(workdir: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["new-year", str(workdir / EXAMPLE.name)])
    target = workdir / "2025_luko_edu.yaml"
    fill(target)
    result = runner.invoke(cli, ["validate", str(target)])
    assert result.exit_code == 0, result.stdout
    out = workdir / "2025.docx"
    assert runner.invoke(cli, ["build", str(target), "-o", str(out)]).exit_code == 0
    texts = body_texts(open_docx(out))
    assert "年初财政批复的整体支出合计800.00万元，较上年增加4.37万元，增长0.55%。" in texts
    assert ("部门预算基本支出800.00万元，较上年增加4.37万元，增长0.55%，其中：人员支出650.00万元，较上年增加6.60万元，"
            "增长1.03%；公用支出150.00万元，较上年增加0.80万元，增长0.54%。") in texts
    assert "（四）2025年重点工作" in texts
    assert "部门预算项目支出为0.00万元，与上年持平，其中：专项商品和服务支出0.00万元，与上年持平。" in texts


def test_review_entries_resolve_when_the_text_is_fixed(workdir: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["new-year", str(workdir / EXAMPLE.name)])
    target = workdir / "2025_luko_edu.yaml"
    fill(target)
    text = target.read_text(encoding="utf-8").replace("但由于受疫情影响，", "但由于")
    target.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(target)])
    assert "疫情" not in result.stdout and "disclosure: 待核对“2024年”" in result.stdout


def test_two_years_in_a_row(workdir: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["new-year", str(workdir / EXAMPLE.name)]).exit_code == 0
    assert runner.invoke(cli, ["new-year", str(workdir / "2025_luko_edu.yaml")]).exit_code == 0
    third = workdir / "2026_luko_edu.yaml"
    text = third.read_text(encoding="utf-8")
    assert "year: 2026" in text and "关于做好2026年度" in text
    assert "previous:" not in text  # 2025 figures were never filled: nothing to carry
    assert text.count("review:") == 1
    result = runner.invoke(cli, ["validate", str(third)])
    assert result.exit_code == 1 and "2026年预算数未填写" in result.stdout

    assert runner.invoke(cli, ["new-year", str(workdir / "2025_luko_edu.yaml")]).exit_code == 1  # exists
    result = runner.invoke(cli, ["new-year", "--force", str(workdir / "2025_luko_edu.yaml")])
    assert result.exit_code == 0


def test_filled_then_rolled_again_carries_the_new_figures(workdir: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["new-year", str(workdir / EXAMPLE.name)])
    fill(workdir / "2025_luko_edu.yaml")
    runner.invoke(cli, ["new-year", str(workdir / "2025_luko_edu.yaml")])
    text = (workdir / "2026_luko_edu.yaml").read_text(encoding="utf-8")
    assert "previous: 650.00" in text and "previous: 643.40" not in text


def test_refusals(workdir: Path, runner: CliRunner) -> None:
    source = workdir / EXAMPLE.name
    result = runner.invoke(cli, ["new-year", str(source), "-o", str(source)])
    assert result.exit_code == 1 and "输入文件本身" in result.stderr
    broken = workdir / "broken.yaml"
    broken.write_text("year: 2024\nyear: 2025\n", encoding="utf-8")
    result = runner.invoke(cli, ["new-year", str(broken)])
    assert result.exit_code == 1 and "未生成下一年度的文件" in result.stderr and "重复的键" in result.stderr
    assert not (workdir / "broken_2026.yaml").exists() and not (workdir / "broken_2025.yaml").exists()


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", f"{v:f}"))

_texts = st.lists(st.sampled_from([*"预算资金疫情新冠十三五展望年度，。", "2019年", "2023年", "2024年"]),
                  min_size=1, max_size=15).map("".join)


@st.composite
def reports(draw: Any, base: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(yaml.dump(base, Dumper=_Dumper, allow_unicode=True))
    data["year"] = draw(st.integers(2000, 2098))
    data["problems"] = draw(_texts).strip() or "无"
    data["disclosure"] = draw(_texts).strip() or "无"
    amounts = st.decimals(min_value=0, max_value=100_000, places=2)
    data["budget"]["amount"] = draw(amounts)
    for line in data["budget"]["basic"]["items"]:
        line["amount"] = draw(amounts)
        if draw(st.booleans()):
            line["previous"] = draw(amounts)
    if draw(st.booleans()):
        data.pop("closing", None)
    data["key_work"] = data["key_work"][: draw(st.integers(1, len(data["key_work"])))]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_new_year_always_gives_a_loadable_file(other_report: Report, tmp_path: Path, data: Any) -> None:
    generated = data.draw(reports(other_report.model_dump(mode="python")))
    source = tmp_path / "dept.yaml"
    source.write_text(yaml.dump(generated, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert validate_file(source).report is not None
    result = make_next_year(source, tmp_path / "next.yaml", force=True)
    assert result.output is not None, result.problems
    problems = validate_file(result.output).problems
    assert all(p.code in TO_FILL_CODES for p in problems if p.severity is Severity.ERROR), problems
    assert result.new_year == generated["year"] + 1


def test_what_only_the_round_trip_parser_refuses_is_reported(tmp_path: Path, runner: CliRunner) -> None:
    """libyaml accepts a tab before a colon; ruamel.yaml does not (found by the long fuzz run)."""
    source = tmp_path / "2024_x.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("  rank: 正科级", "  rank\t: 正科级", 1)
    source.write_text(text, encoding="utf-8")
    assert runner.invoke(cli, ["validate", str(source)]).exit_code == 0
    result = runner.invoke(cli, ["new-year", str(source)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = text.splitlines().index("  rank\t: 正科级") + 1
    assert f"{source}:{line}:" in result.stderr and "Tab" in result.stderr
    assert not (tmp_path / "2025_x.yaml").exists()


def test_the_self_assessment_table_starts_over(tmp_path: Path) -> None:
    from ..conftest import TABLE_EXAMPLE

    source = tmp_path / TABLE_EXAMPLE.name
    shutil.copy(TABLE_EXAMPLE, source)
    result = make_next_year(source, tmp_path / "2026.yaml")
    assert result.output is not None
    data = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    table = data["assessment"]
    to_fill = {"initial": "待填", "budget": "待填", "executed": "待填"}
    assert table["funding"]["total"] == {"name": "年度资金总额", **to_fill}
    assert "reason" not in table["funding"] and all(g["result"] == "待填" for g in table["goals"])
    rows = [row for first in table["indicators"] for second in first["children"] for row in second["indicators"]]
    assert all(row["actual"] == "待填" and "reason" not in row for row in rows)
    assert all("score" not in row for row in rows if row["kind"] in ("正向", "反向", "等于"))
    assert all(row["score"] == "待填" for row in rows if row["kind"] in ("定性", "按评分标准"))
    assert [row["target"] for row in rows][:2] == [8, 80]  # targets carry over, listed for review
    # Every error left is a figure to fill; the table's carried-over parts are on the review list.
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert errors and all(p.code in TO_FILL_CODES for p in errors)
    reviewed = {p.path for p in result.to_review}
    assert {"assessment.indicators", "assessment.goals"} <= reviewed


def test_every_figure_of_the_year_starts_over(tmp_path: Path) -> None:
    """Income, execution, "三公" and assets are this year's figures too: to fill, last year's kept as previous."""
    from ..conftest import TABLE_EXAMPLE

    source = tmp_path / TABLE_EXAMPLE.name
    shutil.copy(TABLE_EXAMPLE, source)
    result = make_next_year(source, tmp_path / "2026.yaml")
    assert result.output is not None
    data = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    assert data["income"]["amount"] == "待填" and data["income"]["previous"] == 1282.60
    assert data["income"]["sources"][0] == {"name": "财政拨款收入", "amount": "待填", "previous": 1270.80}
    assert (data["budget"]["adjusted"], data["budget"]["executed"]) == ("待填", "待填")
    assert (data["budget"]["project"]["adjusted"], data["budget"]["project"]["executed"]) == ("待填", "待填")
    vehicles = data["three_public"]["vehicles"]
    assert (vehicles["budget"], vehicles["actual"], vehicles["previous"]) == ("待填", "待填", 10.80)
    assert data["three_public"]["reception"] == {"budget": "待填", "actual": "待填", "previous": 2.35}
    assert data["department"]["assets"]["fixed_assets"] == "待填"
    reviewed = {(p.path, p.message) for p in result.to_review}
    assert any(path == "department.assets.vehicles" for path, _ in reviewed)
    # "2026年将…" written in the 2025 report was a plan; in the 2026 file it is listed for rewriting.
    assert any(path == "improvements.opening" and "计划年份" in message for path, message in reviewed)


def test_the_title_and_scope_follow_the_year(tmp_path: Path) -> None:
    source = tmp_path / "2025.yaml"
    text = OTHER.read_text(encoding="utf-8").replace("title: 部门整体支出绩效自评报告",
                                                     "title: 2025年度部门整体支出绩效自评报告", 1)
    source.write_text(text, encoding="utf-8")
    result = make_next_year(source, tmp_path / "2026.yaml")
    assert result.output is not None
    data = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    assert data["attachment"]["title"] == "2026年度部门整体支出绩效自评报告"
    assert "attachment.title" in {p.path for p in result.to_review}
