"""`selfeval validate` and the CLI's exit codes and messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli import __version__
from selfeval_cli.cli import cli

from ..conftest import EXAMPLE, FIXTURES, OTHER


def test_example_reports_exactly_the_published_slips(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].endswith(": warning: budget.basic: 人员支出 643.40 + 公用支出 149.20 = 792.60 万元，"
                             "与基本支出 795.63 万元不符（差 3.03 万元）")
    assert ": warning: improvements.opening: “展望2024年”" in lines[1]
    assert lines[2] == "共 0 个错误，2 个警告"
    assert len(lines) == 3
    # Each location points at the text it speaks of.
    source = EXAMPLE.read_text(encoding="utf-8").splitlines()
    _, line, column = lines[1].split(": ")[0].rsplit(":", 2)
    assert source[int(line) - 1][int(column) - 1:].startswith("展望2024年")


def test_strict_turns_warnings_into_failure(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--strict", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "2 个警告" in result.stdout


def test_four_kinds_of_error_in_one_run(runner: CliRunner) -> None:
    path = FIXTURES / "four_errors.yaml"
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "共 4 个错误，0 个警告"
    expected = {
        "department.rank": "缺少必填字段“rank”",
        "department.knd": "未知字段“knd”，是否想写“kind”？",
        "department.staffing.authorized": "应为整数，实际为文本“三十六”",
        "budget.project.items[1].amount": "金额不能为负数，实际为 -80.00 万元",
    }
    source = path.read_text(encoding="utf-8").splitlines()
    for line in lines[:-1]:
        location, severity, field, message = line.split(": ", 3)
        assert severity == "error" and expected.pop(field) == message
        _, row, column = location.rsplit(":", 2)
        assert int(row) >= 1 and int(column) >= 1
        assert source[int(row) - 1].strip(), "points at a real line"
    assert expected == {}
    assert "Traceback" not in result.output


def test_choices_are_listed_in_chinese(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(OTHER.read_text(encoding="utf-8").replace("  - kind: 局属事业单位", "  - kind: 事业单位", 1),
                    encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(data)])
    assert ("应为“内设机构”、“局属事业单位”、“委属事业单位”、“直属事业单位”、“下属事业单位”、“所属事业单位”之一，"
            "实际为文本“事业单位”") in result.stdout


def test_problems_are_sorted_by_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(FIXTURES / "four_errors.yaml")])
    rows = [int(line.split(":")[1]) for line in result.stdout.splitlines()[:-1]]
    assert rows == sorted(rows)


def test_json_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--format", "json", str(EXAMPLE)])
    assert result.exit_code == 0
    problems = json.loads(result.stdout)
    assert [p["path"] for p in problems] == ["budget.basic", "improvements.opening"]
    assert {p["severity"] for p in problems} == {"warning"}
    assert all(p["line"] > 0 and p["column"] > 0 for p in problems)
    assert "2 个警告" in result.stderr


def test_several_files_and_a_missing_one(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(OTHER), str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing.yaml'}: error: 文件不存在" in result.stdout
    assert result.stdout.strip().endswith("2 个文件，共 1 个错误，0 个警告")


def test_clean_file_says_so(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(OTHER)])
    assert result.exit_code == 0
    assert result.stdout.strip() == "未发现问题"


@pytest.mark.parametrize(("arguments", "said"), [
    (["validate"], "错误：缺少参数 FILES..."),
    (["validate", "--format", "xml", str(EXAMPLE)], "--format 的值无效：“xml”不是可选的值"),
    (["no-such-command"], "错误：没有命令“no-such-command”"),
    (["validate", "--jbos", "2", str(EXAMPLE)], "错误：没有选项 --jbos，是否想写 --jobs？"),
    (["build", str(EXAMPLE), "-j", "x"], "-j / --jobs 的值无效：“x”不是整数"),
])
def test_usage_errors_exit_2_and_say_so_in_chinese(runner: CliRunner, arguments: list[str], said: str) -> None:
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 2 and said in result.output, result.output
    assert "用法：" in result.output and "查看帮助" in result.output and "Error" not in result.output


def test_help_and_version(runner: CliRunner) -> None:
    for command in ([], ["validate"], ["build"], ["new-year"], ["schema"]):
        for flag in ("-h", "--help"):
            result = runner.invoke(cli, [*command, flag])
            assert result.exit_code == 0 and "用法：" in result.output and "选项" in result.output
            assert "Show this message" not in result.output and "Usage" not in result.output
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_gbk_file_in_a_path_with_chinese_and_spaces(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "财务 科" / "2025 年"
    folder.mkdir(parents=True)
    target = folder / "报告 数据.yaml"
    target.write_bytes(OTHER.read_text(encoding="utf-8").encode("gb18030"))
    result = runner.invoke(cli, ["validate", str(target)])
    assert result.exit_code == 0
    # Located at the first byte that is not UTF-8: line 5 holds the first Chinese text.
    assert f"{target}:5:1: warning:" in result.stdout and "GB18030" in result.stdout


def test_main_maps_errors_to_exit_codes(tmp_path: Path, capsys: object) -> None:
    import pytest

    from selfeval_cli.cli import main

    copy = tmp_path / "d.yaml"
    shutil.copy(OTHER, copy)
    with pytest.raises(SystemExit) as done:
        main(["build", str(copy), "-o", str(copy)])
    assert done.value.code == 1
    with pytest.raises(SystemExit) as done:
        main(["validate", "--bogus"])
    assert done.value.code == 2
    with pytest.raises(SystemExit) as done:
        main(["validate", str(OTHER)])
    assert done.value.code == 0


def test_severity_is_coloured_only_on_a_terminal(runner: CliRunner) -> None:
    plain = runner.invoke(cli, ["validate", str(EXAMPLE)])
    assert "\x1b[" not in plain.stdout
    coloured = runner.invoke(cli, ["validate", str(EXAMPLE)], color=True)
    assert "\x1b[33m\x1b[1mwarning\x1b[0m" in coloured.stdout
