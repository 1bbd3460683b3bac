"""The console-script entry point, as users run it: a real process, output through a pipe.

``run`` leaves without the interpreter's tear-down, so these check that nothing is lost on the
way out: every line printed, the exit code kept, reports complete on disk.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from selfeval_cli.cli import cli

from .conftest import EXAMPLE, FIXTURES


def selfeval(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``selfeval ARGS`` in a child process through the same entry point as the console script."""
    return subprocess.run([sys.executable, "-m", "selfeval_cli", *map(str, args)],
                          capture_output=True, text=True, check=False, timeout=120)


def test_problems_reach_a_pipe_with_the_exit_code(runner: CliRunner) -> None:
    done = selfeval("validate", FIXTURES / "four_errors.yaml")
    in_process = runner.invoke(cli, ["validate", str(FIXTURES / "four_errors.yaml")])
    assert done.returncode == in_process.exit_code == 1
    assert done.stdout == in_process.stdout
    assert done.stdout.rstrip().endswith("共 4 个错误，0 个警告")


def test_more_output_than_a_pipe_holds(tmp_path: Path) -> None:
    """Far more than the 64 KiB a pipe buffers, written by one process (``-j 1``): all of it arrives."""
    for index in range(150):
        shutil.copy(FIXTURES / "four_errors.yaml", tmp_path / f"d{index:03d}.yaml")
    done = selfeval("validate", tmp_path, "-j", "1")
    assert done.returncode == 1
    assert len(done.stdout.encode()) > 64 * 1024
    assert done.stdout.count("error:") == 150 * 4
    assert done.stdout.rstrip().endswith("150 个文件，共 600 个错误，0 个警告")


def test_a_built_report_is_complete(tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    done = selfeval("build", EXAMPLE, "-o", out)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["报告.docx"]  # no temporary file left behind
    assert any("株洲市渌口区教育局" in p.text for p in Document(str(out)).paragraphs)


def test_usage_error_and_help() -> None:
    wrong = selfeval("validate")
    assert wrong.returncode == 2 and "FILES" in wrong.stderr
    helped = selfeval("--help")
    assert helped.returncode == 0 and "new-year" in helped.stdout
