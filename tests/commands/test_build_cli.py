"""`selfeval build`: validation first, atomic writing, refusals, PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from selfeval_cli import outputs
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.problems import Severity

from ..conftest import EXAMPLE, FIXTURES, OTHER, PUBLISHED


def test_build_prints_warnings_and_writes(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "report.docx"
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: budget.basic" in result.stderr and f"已生成 {out}" in result.stderr
    assert out.read_bytes()[:2] == b"PK"
    assert [p.name for p in out.parent.iterdir()] == ["report.docx"]  # no temporary file left


def test_default_output_is_beside_the_input(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "dept.yaml"
    shutil.copy(OTHER, source)
    assert runner.invoke(cli, ["build", str(source)]).exit_code == 0
    assert (tmp_path / "dept.docx").is_file()


def test_strict_build_stops_on_warnings(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["build", "--strict", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 1 and "未生成报告" in result.stderr
    assert not out.exists()


def test_errors_stop_the_build_and_keep_the_old_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    out.write_bytes(b"last year's report")
    result = runner.invoke(cli, ["build", str(FIXTURES / "four_errors.yaml"), "-o", str(out)])
    assert result.exit_code == 1
    assert "error: department.rank: 缺少必填字段“rank”" in result.stderr
    assert out.read_bytes() == b"last year's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_output_equal_to_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "d.yaml"
    shutil.copy(OTHER, source)
    before = source.read_bytes()
    result = runner.invoke(cli, ["build", str(source), "-o", str(source)])
    assert result.exit_code == 1 and "输入文件本身" in result.stderr
    assert source.read_bytes() == before
    assert "Traceback" not in result.output


def test_output_directory_takes_the_input_name(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", str(OTHER), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["other_department.docx"]


def test_read_only_folder(runner: CliRunner, tmp_path: Path) -> None:
    """A folder the build may not write into. Root writes anywhere, so there the folder is made
    read-only for real: bound onto itself read-only in a private mount namespace."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            result = runner.invoke(cli, ["build", str(OTHER), "-o", str(folder / "r.docx")])
            code, stderr = result.exit_code, result.stderr
        finally:
            folder.chmod(0o700)
    else:
        if shutil.which("unshare") is None:
            pytest.skip("unshare (util-linux) is not installed")
        script = (f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && '
                  f'exec "{sys.executable}" -m selfeval_cli build "{OTHER}" -o "{folder}/r.docx"')
        done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, check=False)
        if "mount:" in done.stderr or "unshare:" in done.stderr:
            pytest.skip(f"no private mount namespace here: {done.stderr.strip()}")
        code, stderr = done.returncode, done.stderr
    assert code == 1 and "无法在" in stderr and "r.docx" in stderr, stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(("error", "says"), [
    (OSError(28, "No space left on device"), "原文件未改动"),  # disk full
    (PermissionError(13, "Permission denied"), "正在 Word 或 WPS 中打开"),  # a report open in Word (Windows)
])
def test_failure_while_writing_leaves_the_target_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          error: OSError, says: str) -> None:
    out = tmp_path / "r.docx"
    out.write_bytes(b"old")

    def failing(src: str, dst: str) -> None:
        raise error

    monkeypatch.setattr(outputs, "os", SimpleNamespace(**{**vars(os), "replace": failing}))
    result = build_report(OTHER, out)
    assert result.output is None
    errors = [(p.file, p.code) for p in result.problems if p.severity is Severity.ERROR]
    assert errors == [(str(out), "output_unusable")]
    assert says in result.problems[-1].message
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_interrupted_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.docx"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_report(OTHER, out)
    assert list(tmp_path.iterdir()) == []


def one_template(tmp_path: Path, name: str, text: str) -> Path:
    """A user's template folder holding a single section template."""
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_custom_templates_option(runner: CliRunner, tmp_path: Path) -> None:
    folder = one_template(tmp_path, "01_only.j2", "@title {{ department.name }}\n# 唯一一节\n{{ problems }}\n")
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["build", str(OTHER), "-o", str(out), "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    from ..docx_read import body_texts, open_docx

    assert body_texts(open_docx(out)) == ["青山县文化旅游广电体育局", "一、唯一一节", "部分项目资金支付进度偏慢。"]


def test_template_error_is_reported_not_raised(runner: CliRunner, tmp_path: Path) -> None:
    folder = one_template(tmp_path, "01_bad.j2", "# 标题\n{{ department.nmae }}\n")
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["build", str(OTHER), "-o", str(out), "--templates", str(folder)])
    assert result.exit_code == 1
    assert "01_bad.j2:2" in result.stderr and "nmae" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_skipped_heading_level_in_a_template_fails_the_build(runner: CliRunner, tmp_path: Path) -> None:
    folder = one_template(tmp_path, "01_skip.j2", "# 一级\n### 三级\n正文\n")
    result = runner.invoke(cli, ["build", str(OTHER), "-o", str(tmp_path / "r.docx"), "--templates", str(folder)])
    assert result.exit_code == 1 and "跳级" in result.stderr


def test_pdf_without_libreoffice_says_so(runner: CliRunner, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(cli, ["build", str(OTHER), "-o", str(tmp_path / "r.docx"), "--pdf"])
    assert result.exit_code == 1 and "未找到 LibreOffice" in result.stderr
    assert (tmp_path / "r.docx").is_file()  # the Word report itself was still written


def test_pdf_option(runner: CliRunner, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    result = runner.invoke(cli, ["build", str(OTHER), "-o", str(tmp_path / "r.docx"), "--pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("command", "name", "said"), [
    ("build", "报告.pdf", "输出文件名应以 .docx 结尾（报告是 Word 文件；要 PDF，另加 --pdf"),
    ("build", "报告.doc", "输出文件名应以 .docx 结尾"),
    ("new-year", "2026.docx", "输出文件名应以 .yaml 或 .yml 结尾"),
    ("import", "2025.txt", "输出文件名应以 .yaml 或 .yml 结尾（导入得到的是数据文件）"),
])
def test_an_output_named_as_another_kind_of_file_is_refused(runner: CliRunner, tmp_path: Path, command: str,
                                                            name: str, said: str) -> None:
    # A Word file named 报告.pdf opens nowhere; a data file named .docx is never found again.
    source = PUBLISHED if command == "import" else OTHER
    result = runner.invoke(cli, [command, str(source), "-o", str(tmp_path / name)])
    assert result.exit_code == 1 and said in result.output, result.output
    assert list(tmp_path.iterdir()) == []
