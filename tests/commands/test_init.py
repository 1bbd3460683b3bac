"""selfeval init: a new department's first file, for each shipped outline, filled in → valid → built."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.init import schema_file
from selfeval_cli.model.types import TO_FILL_CODES
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.render.outline_folders import shipped_outlines

from ..conftest import ROOT

FILLERS = {"money_to_fill": "0.00", "count_to_fill": "1", "date_to_fill": "2026-03-05"}


def fill(path: Path, problems: list[Problem]) -> None:
    """Put a value where each 待填 stands, by the kind of value the problem says is missing."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for problem in problems:
        if problem.path.endswith("document_number"):
            value = "示财〔2026〕1号"
        elif problem.path.endswith("title"):  # a title: the report puts its own full stop after it
            value = "示例标题"
        else:
            value = FILLERS.get(problem.code, "示例内容。")
        row = lines[problem.line - 1]
        start = problem.column - 1
        assert row[start:start + 2] == "待填", (problem, row)
        lines[problem.line - 1] = row[:start] + value + row[start + 2:]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("outline", [o.name for o in shipped_outlines()])
def test_init_fill_validate_build(outline: str, tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "新部门" / "2025_新部门.yaml"
    result = runner.invoke(cli, ["init", str(target), "--outline", outline, "--year", "2025",
                                 "--department", "示例县某局"])
    assert result.exit_code == 0, result.output
    problems = validate_file(target).problems
    # Only what is left to fill, each located on its 待填.
    assert problems and all(p.code in TO_FILL_CODES and p.severity is Severity.ERROR for p in problems), problems
    assert len(problems) == target.read_text(encoding="utf-8").count(": 待填\n") \
        + target.read_text(encoding="utf-8").count("- 待填\n")
    fill(target, problems)
    after = validate_file(target)
    assert [p for p in after.problems if p.severity is Severity.ERROR] == [], after.problems
    assert after.report is not None and after.report.year == 2025 and after.report.department.name == "示例县某局"
    out = tmp_path / "r.docx"
    assert build_report(target, out).output == out


def test_the_schema_line_points_at_the_schema(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "a" / "b" / "x.yaml"
    assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
    first = target.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# yaml-language-server: $schema=")
    pointed = (target.parent / first.split("$schema=", 1)[1]).resolve()
    committed = ROOT / "schemas" / "selfeval.schema.json"
    assert pointed == schema_file().resolve() and pointed.read_bytes() == committed.read_bytes()


def test_init_does_not_overwrite(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 1 and "文件已存在" in result.output and target.read_text(encoding="utf-8") == "mine\n"
    assert runner.invoke(cli, ["init", str(target), "--force"]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_an_unknown_outline_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init", str(tmp_path / "x.yaml"), "--outline", "江西"])
    assert result.exit_code == 2 and "没有名为“江西”的提纲" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_init_with_a_table_leaves_only_figures_to_fill(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "x.yaml"
    assert runner.invoke(cli, ["init", str(target), "--table"]).exit_code == 0
    problems = validate_file(target).problems
    table = [p for p in problems if p.path.startswith("assessment")]
    assert table and all(p.code in TO_FILL_CODES for p in problems)
    assert {p.path for p in table} >= {"assessment.funding.total.executed",
                                       "assessment.indicators[0].children[0].indicators[0].weight"}
    assert "kind: 正向  # 可选值：正向、反向、等于、定性、按评分标准" in target.read_text(encoding="utf-8")
