"""Many files in one run: directories, globs, parallel workers, and a table of what failed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from selfeval_cli.cli import cli
from selfeval_cli.commands.batch import expand_inputs

from ..conftest import EXAMPLE, FIXTURES, OTHER


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """A folder of departments: two good, one with errors, one unreadable, one not YAML."""
    folder = tmp_path / "区直单位"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a_教育局.yaml")
    shutil.copy(OTHER, folder / "b_文旅局.yml")
    shutil.copy(FIXTURES / "four_errors.yaml", folder / "c_有错误.yaml")
    (folder / "d_坏字节.yaml").write_bytes(b"year: \xff\xfe\n")
    (folder / "notes.txt").write_text("not data", encoding="utf-8")
    return folder


def test_expand_inputs(district: Path, tmp_path: Path) -> None:
    names = [p.name for p in expand_inputs([district])]
    assert names == ["a_教育局.yaml", "b_文旅局.yml", "c_有错误.yaml", "d_坏字节.yaml"]
    assert [p.name for p in expand_inputs([district / "[ab]_*"])] == ["a_教育局.yaml", "b_文旅局.yml"]
    assert expand_inputs([tmp_path / "nothing*.yaml"]) == [tmp_path / "nothing*.yaml"]  # kept, to be reported
    assert expand_inputs([district / "a_教育局.yaml", district])[:2] == [district / "a_教育局.yaml",
                                                                      district / "b_文旅局.yml"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_build_goes_on_past_bad_files(district: Path, tmp_path: Path, runner: CliRunner, jobs: str,
                                            start_method: str) -> None:
    out = tmp_path / "报告"
    result = runner.invoke(cli, ["build", str(district), "-o", f"{out}/", "-j", jobs])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a_教育局.docx", "b_文旅局.docx"]
    assert "失败 2 个文件：" in result.stderr
    assert "c_有错误.yaml  4 个错误" in result.stderr
    assert "d_坏字节.yaml" in result.stderr and "不是 UTF-8" in result.stderr
    assert result.stderr.strip().endswith("已生成 2 份报告，失败 2 份")
    assert "生成报告" not in result.stderr.splitlines()[0]  # no progress bar when not on a terminal


def test_batch_outputs_are_the_same_as_single_builds(district: Path, tmp_path: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["build", str(district / "a_教育局.yaml"), str(district / "b_文旅局.yml"), "-o",
                        str(tmp_path / "many"), "-j", "2"])
    runner.invoke(cli, ["build", str(district / "a_教育局.yaml"), "-o", str(tmp_path / "one.docx")])
    assert (tmp_path / "many" / "a_教育局.docx").read_bytes() == (tmp_path / "one.docx").read_bytes()


def test_batch_beside_inputs_and_quiet(district: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["build", "-q", str(district / "a_教育局.yaml"), str(district / "b_文旅局.yml")])
    assert result.exit_code == 0
    assert (district / "a_教育局.docx").is_file() and (district / "b_文旅局.docx").is_file()
    assert "warning" not in result.stderr  # -q: only the result
    assert "已生成 2 份报告，失败 0 份" in result.stderr


def test_same_names_are_refused(tmp_path: Path, runner: CliRunner) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        shutil.copy(OTHER, tmp_path / folder / "dept.yaml")
    result = runner.invoke(cli, ["build", str(tmp_path / "x" / "dept.yaml"), str(tmp_path / "y" / "dept.yaml"),
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "同一个输出" in result.stderr and "dept.docx" in result.stderr


def test_batch_validate_in_parallel_keeps_order(district: Path, runner: CliRunner) -> None:
    serial = runner.invoke(cli, ["validate", str(district), "-j", "1"])
    parallel = runner.invoke(cli, ["validate", str(district), "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.stdout == parallel.stdout
    assert serial.stdout.strip().endswith("4 个文件，共 5 个错误，2 个警告")


def test_batch_validate_lists_the_files_with_errors(district: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(district)])
    table = result.stdout.split("\n有错误的文件 2 个：\n")[1].splitlines()
    assert table[0].endswith("c_有错误.yaml  4 个错误") and table[1].endswith("d_坏字节.yaml  1 个错误")
    assert table[2] == "4 个文件，共 5 个错误，2 个警告"
    alone = runner.invoke(cli, ["validate", str(district / "c_有错误.yaml")])
    assert "有错误的文件" not in alone.stdout  # one file: its problems say it all


def test_batch_validate_json_keeps_stdout_json(district: Path, runner: CliRunner) -> None:
    import json

    result = runner.invoke(cli, ["validate", str(district), "--format", "json"])
    assert len(json.loads(result.stdout)) == 7
    assert "有错误的文件 2 个：" in result.stderr


@pytest.mark.parametrize("strict", [False, True])
def test_quiet_validate_shows_errors_only(district: Path, runner: CliRunner, strict: bool) -> None:
    result = runner.invoke(cli, ["validate", "-q", str(district), *(["--strict"] if strict else [])])
    lines = result.stdout.splitlines()
    assert sum(": error: " in line for line in lines) == 5
    assert sum(": warning: " in line for line in lines) == (2 if strict else 0)  # --strict: warnings fail too
    assert lines[-1] == "4 个文件，共 5 个错误，2 个警告"


@pytest.mark.parametrize(("command", "label"), [("build", "生成报告"), ("validate", "校验数据")])
def test_progress_bar_on_a_terminal(district: Path, tmp_path: Path, command: str, label: str) -> None:
    """With stderr on a pseudo-terminal a batch shows click's progress bar."""
    import os

    main_fd, terminal_fd = os.openpty()
    output = ["-o", f"{tmp_path / 'o'}/"] if command == "build" else []
    process = subprocess.Popen(
        [sys.executable, "-m", "selfeval_cli", command, str(district), *output, "-j", "2"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal_fd)
    os.close(terminal_fd)
    out = bytearray()
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        out.extend(chunk)
    os.close(main_fd)
    assert process.wait(timeout=60) == 1  # two files fail
    assert label.encode() in out and b"100%" in out


def test_validate_and_help_do_not_import_docx_or_jinja() -> None:
    code = ("import sys; from selfeval_cli.cli import main\n"
            f"for args in (['--help'], ['validate', {str(EXAMPLE)!r}]):\n"
            "    try: main(args)\n"
            "    except SystemExit: pass\n"
            "loaded = [m for m in ('docx', 'jinja2', 'lxml', 'ruamel') if m in sys.modules]\n"
            "print('LOADED', loaded)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "LOADED []" in done.stdout, done.stdout + done.stderr


def test_batch_pdf(district: Path, tmp_path: Path, runner: CliRunner, start_method: str) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    out = tmp_path / "pdf"
    result = runner.invoke(cli, ["build", str(district / "a_教育局.yaml"), str(district / "b_文旅局.yml"),
                                 "-o", str(out), "--pdf", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a_教育局.docx", "a_教育局.pdf", "b_文旅局.docx", "b_文旅局.pdf"]


def test_ctrl_c_during_a_batch(tmp_path: Path) -> None:
    """SIGINT to the whole process group, as a terminal sends it: exit 130 at once, no traceback, no
    file started after the interrupt, and only complete reports in the output folder."""
    import os
    import signal
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    files = 200
    for index in range(files):
        shutil.copy(OTHER, folder / f"d{index:03d}.yaml")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "selfeval_cli", "build",
                                str(folder), "-o", f"{out}/", "-j", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while not (out.is_dir() and any(out.glob("*.docx"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    # Not a speed test: a liveness bound. Before workers were stopped, the pool went on to write
    # all 200 reports (6–13 s); stopping takes a fraction of a second.
    _, stderr = process.communicate(timeout=5)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "已中断" in stderr
    leftovers = [p.name for p in out.iterdir() if not p.name.endswith(".docx")]
    assert leftovers == []
    reports = list(out.glob("*.docx"))
    assert 0 < len(reports) < files
    for report in reports:
        assert report.read_bytes()[:2] == b"PK"
    time.sleep(0.5)  # and no worker lives on to write more
    assert len(list(out.glob("*.docx"))) == len(reports)


def test_a_failing_task_stops_the_pool(tmp_path: Path) -> None:
    """A task that raises (a broken template) stops the batch: the error comes back, nothing hangs."""
    from selfeval_cli.commands.batch import run_parallel

    with pytest.raises(ZeroDivisionError):
        run_parallel(_divide, [(1, 1), (1, 0), *[(1, 1)] * 20], workers=2)


def _divide(a: int, b: int) -> float:
    return a / b


def _defect_on(name: str, real: Any) -> Any:
    """``real`` with a defect of selfeval planted: it raises on the file called ``name``."""
    def planted(source: Path, *args: Any, **kwargs: Any) -> Any:
        if source.name == name:
            raise ZeroDivisionError("planted")
        return real(source, *args, **kwargs)
    return planted


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_defect_met_in_one_file_costs_only_that_file(district: Path, tmp_path: Path, runner: CliRunner,
                                                       monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    # The bureau runs a county's files at once: one department's file that trips a bug in selfeval must not
    # cost the others their reports (it used to stop the whole run with 内部错误).
    from selfeval_cli.checks import validation
    from selfeval_cli.commands import build

    monkeypatch.setattr(validation, "validate_file", _defect_on("a_教育局.yaml", validation.validate_file))
    monkeypatch.setattr(build, "build_report", _defect_on("a_教育局.yaml", build.build_report))
    arguments = [command, str(district), "-j", "1"] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    done = runner.invoke(cli, arguments)
    assert done.exit_code == 1 and not isinstance(done.exception, ZeroDivisionError), done.output
    assert "a_教育局.yaml: error: 内部错误（ZeroDivisionError: planted）：这是 selfeval 的缺陷" in done.output
    assert "其他文件不受影响" in done.output
    if command == "build":
        assert (tmp_path / "out" / "b_文旅局.docx").is_file()  # the next file was still built
    else:
        assert "c_有错误.yaml:" in done.output  # the next files were still checked
    monkeypatch.setenv("SELFEVAL_DEBUG", "1")  # a developer wants the traceback instead
    assert isinstance(runner.invoke(cli, arguments).exception, ZeroDivisionError)
