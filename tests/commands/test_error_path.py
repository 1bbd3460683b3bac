"""One error path: the same bad file reads the same in every command and in batches."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli

from ..conftest import OTHER


def _missing(folder: Path) -> Path:
    return folder / "不存在.yaml"


def _not_text(folder: Path) -> Path:
    path = folder / "二进制.yaml"
    path.write_bytes(b"year: 2024\n\x00\x01\x02")
    return path


def _invalid(folder: Path) -> Path:
    path = folder / "写错了.yaml"
    path.write_text(OTHER.read_text(encoding="utf-8").replace("year: 2025", "year: 二〇二五", 1), encoding="utf-8")
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (_missing, ": error: 文件不存在"),
    "not text": (_not_text, ":2:1: error: 不是文本文件"),
    "invalid": (_invalid, ": error: year: 应为整数"),
}

COMMANDS: dict[str, Callable[[Path, Path, Path], list[str]]] = {
    "validate": lambda bad, good, out: ["validate", str(bad)],
    "build": lambda bad, good, out: ["build", str(bad), "-o", str(out / "r.docx")],
    "new-year": lambda bad, good, out: ["new-year", str(bad), "-o", str(out / "next.yaml")],
    "batch validate": lambda bad, good, out: ["validate", str(bad), str(good)],
    "batch build": lambda bad, good, out: ["build", str(bad), str(good), "-o", f"{out}/"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_same_bad_file_same_line_and_summary(case: str, command: str, tmp_path: Path, runner: CliRunner) -> None:
    make, located = BAD_FILES[case]
    bad = make(tmp_path)
    good = tmp_path / "good.yaml"
    shutil.copy(OTHER, good)
    out = tmp_path / "out"
    result = runner.invoke(cli, COMMANDS[command](bad, good, out))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    problem_lines = [line for line in lines if line.startswith(str(bad))]
    [expected] = validate_file(bad).problems  # the one Problem, printed the one way
    assert problem_lines == [expected.format()] and located in expected.format(), result.output
    batch = command.startswith("batch")
    assert ("2 个文件，共 1 个错误，0 个警告" if batch else "共 1 个错误，0 个警告") in lines
    assert "Traceback" not in result.output and "错误：" not in result.output  # no second way of saying it
    assert not (out / "r.docx").exists() and not (out / "next.yaml").exists()
    if command == "batch build":  # the good file is built all the same
        assert (out / "good.docx").is_file()
