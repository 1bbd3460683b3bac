"""Fitting the user's CI and editor: GitHub annotations and the pre-commit hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.cli import cli
from selfeval_cli.problems import Problem, Severity, to_github

from ..conftest import EXAMPLE, FIXTURES, ROOT


def test_github_annotations_on_stdout(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--format", "github", str(EXAMPLE)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"::warning file={EXAMPLE},line=143,col=3,title=budget.basic::人员支出 643.40 + 公用支出 149.20 = 792.60 万元，"
        "与基本支出 795.63 万元不符（差 3.03 万元）",
        f"::warning file={EXAMPLE},line=180,col=118,title=improvements.opening::“展望2024年”：2024年度报告的展望应指向 "
        "2025 年，可能沿用了旧报告"]
    assert "共 0 个错误，2 个警告" in result.stderr


def test_github_escapes_what_would_end_a_command() -> None:
    problem = Problem("a,b:c.yaml", 0, 0, Severity.ERROR, (), "100%\n下一行")
    assert to_github(problem) == "::error file=a%2Cb%3Ac.yaml::100%25%0A下一行"


def test_the_pre_commit_hook_stops_a_bad_file(tmp_path: Path) -> None:
    tool = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if tool is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed (make test installs pre-commit)")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(FIXTURES / "bad" / "unknown_key.yaml", repo / "部门.yaml")
    who = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), **who}
    for command in (["git", "init", "-q"], ["git", "add", "部门.yaml"], ["git", "commit", "-qm", "data"]):
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
    done = subprocess.run([tool, "try-repo", str(ROOT), "selfeval-validate", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "部门.yaml:12:3: error: department.rnak: 未知字段“rnak”，是否想写“rank”？" in done.stdout
