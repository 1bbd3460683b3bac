"""Every bad input of issue 5, through every command: clear located message, right exit code,
no traceback, and no partial or clobbered output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from selfeval_cli.cli import cli, main
from selfeval_cli.model.loader import MAX_BYTES

from ..conftest import FIXTURES

BAD = FIXTURES / "bad"

# file → (validate exit code, line the first message points at or None, words it must contain)
CASES: dict[str, tuple[int, int | None, str]] = {
    "empty.yaml": (1, 1, "没有数据"),
    "only_comments.yaml": (1, 1, "没有数据"),
    "binary.yaml": (1, 3, "不是文本文件"),
    "gbk.yaml": (0, 1, "GB18030"),
    "bom.yaml": (0, None, "未发现问题"),
    "crlf.yaml": (0, None, "未发现问题"),
    "undecodable.yaml": (1, 3, "不是 UTF-8"),
    "utf16.yaml": (1, None, "UTF-16"),
    "syntax_error.yaml": (1, 12, "方括号“[”没有闭合"),  # where it opens, not where YAML noticed
    "tab_indent.yaml": (1, 12, "制表符"),
    "full_width_colon.yaml": (1, 12, "中文冒号"),
    "no_space_after_colon.yaml": (1, 12, "后面要有一个空格"),
    "unclosed_quote.yaml": (1, 8, "引号没有闭合"),
    "duplicate_keys.yaml": (1, 13, "重复的键“rank”"),
    "anchor_alias.yaml": (1, 3, "锚点"),
    "python_tag.yaml": (1, 8, "!!python/object/apply:os.system"),
    "custom_tag.yaml": (1, 8, "!include"),
    "yaml11_surprises.yaml": (1, 40, "实际为文本“036”"),
    "multiple_documents.yaml": (1, 84, "只能有一份数据"),
    "wrong_types.yaml": (1, 11, "应为文本，实际为数字 2024"),
    "amount_with_unit.yaml": (1, 55, "不要带单位"),
    "amount_separator.yaml": (1, 50, "千位分隔符"),
    "amount_comma_one_line.yaml": (1, 58, "请写成 200.30（小数点用英文句点"),
    "full_width_indent.yaml": (1, 44, "前后有全角空格（　）：缩进和冒号后只能用半角空格"),
    "amount_quoted.yaml": (1, 55, "不要加引号"),
    "amount_nan.yaml": (1, 55, "有限的数字"),
    "amount_inf.yaml": (1, 55, "有限的数字"),
    "amount_precision.yaml": (1, 55, "两位小数"),
    "amount_negative.yaml": (1, 55, "负数"),
    "long_text.yaml": (1, 75, "文本过长"),
    "control_chars.yaml": (1, 75, "U+000B"),
    "empty_list.yaml": (1, 14, "列表不能为空"),
    "empty_name.yaml": (1, 11, "不能为空"),
    "unknown_key.yaml": (1, 10, "缺少必填字段“rank”"),
    "not_a_mapping.yaml": (1, 1, "映射"),
    "中文 路径/数据 文件.yaml": (0, None, "未发现问题"),
}


def test_every_fixture_has_a_case() -> None:
    on_disk = {str(p.relative_to(BAD)) for p in BAD.rglob("*.yaml")}
    assert on_disk == set(CASES)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the fixtures, so that outputs land outside the repository."""
    shutil.copytree(BAD, tmp_path / "bad")
    big = tmp_path / "bad" / "too_big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    return tmp_path / "bad"


def assert_clean(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate(name: str, workspace: Path, runner: CliRunner) -> None:
    code, line, words = CASES[name]
    path = workspace / name
    result = runner.invoke(cli, ["validate", str(path)])
    assert_clean(result)
    assert result.exit_code == code, result.output
    assert words in result.output
    if line is not None:
        assert f"{path}:{line}:" in result.output
    elif code:
        assert str(path) in result.output


@pytest.mark.parametrize("name", sorted(CASES))
def test_build(name: str, workspace: Path, runner: CliRunner) -> None:
    code, line, _ = CASES[name]
    path = workspace / name
    out = workspace / "out" / "report.docx"
    out.parent.mkdir()
    out.write_bytes(b"the report built last time")
    result = runner.invoke(cli, ["build", str(path), "-o", str(out)])
    assert_clean(result)
    assert result.exit_code == code, result.output
    if code:
        assert str(path) in result.output
        if line is not None:
            assert f"{path}:{line}:" in result.output
        assert snapshot(out.parent) == {"report.docx": b"the report built last time"}
    else:
        assert out.read_bytes()[:2] == b"PK" and [p.name for p in out.parent.iterdir()] == ["report.docx"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_new_year(name: str, workspace: Path, runner: CliRunner) -> None:
    code, _, _ = CASES[name]
    path = workspace / name
    before = snapshot(workspace)
    result = runner.invoke(cli, ["new-year", str(path)])
    assert_clean(result)
    assert result.exit_code == code, result.output
    after = snapshot(workspace)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing touched
    new_files = set(after) - set(before)
    if code:
        assert str(path) in result.output and not new_files
    else:
        assert len(new_files) == 1 and "2026" in next(iter(new_files))


def test_too_big_file_is_refused_everywhere(workspace: Path, runner: CliRunner) -> None:
    path = workspace / "too_big.yaml"
    for args in (["validate", str(path)], ["build", str(path), "-o", str(workspace / "r.docx")],
                 ["new-year", str(path)]):
        result = runner.invoke(cli, args)
        assert_clean(result)
        assert result.exit_code == 1 and "文件过大" in result.output and str(path) in result.output
    assert not (workspace / "r.docx").exists()


@pytest.mark.parametrize("args", [["validate", "{e}"], ["build", "{e}", "-o", "{d}/r.docx"], ["new-year", "{e}"],
                                  ["validate", "{d}/missing.yaml"], ["build", "{d}/missing.yaml"],
                                  ["new-year", "{d}/missing.yaml"]])
def test_missing_files_and_directories(args: list[str], workspace: Path, runner: CliRunner) -> None:
    empty = workspace / "empty folder"
    empty.mkdir()
    result = runner.invoke(cli, [a.format(d=workspace, e=empty) for a in args])
    assert_clean(result)
    assert result.exit_code == 1
    assert "不存在" in result.output or "目录" in result.output


def test_output_under_a_file_is_refused(workspace: Path, runner: CliRunner) -> None:
    source = workspace / "bom.yaml"
    result = runner.invoke(cli, ["build", str(source), "-o", str(workspace / "crlf.yaml" / "r.docx")])
    assert_clean(result)
    assert result.exit_code == 1 and "是一个文件" in result.output


def test_ctrl_c_exits_130_without_traceback(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("selfeval_cli.checks.validation.validate_file", interrupted)
    with pytest.raises(SystemExit) as done:
        main(["validate", str(BAD / "bom.yaml")])
    assert done.value.code == 130
    captured = capsys.readouterr()
    assert "已中断" in captured.err and "Traceback" not in captured.err


def test_unexpected_errors_are_reported_not_dumped(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("selfeval_cli.checks.validation.validate_file", broken)
    with pytest.raises(SystemExit) as done:
        main(["validate", str(BAD / "bom.yaml")])
    assert done.value.code == 1
    captured = capsys.readouterr()  # the file's problem, in the file's line: a batch goes on past it
    assert f"{BAD / 'bom.yaml'}: error: 内部错误（RuntimeError: boom）：这是 selfeval 的缺陷，请报告" in captured.out
    assert "Traceback" not in captured.out + captured.err
    # A defect outside any one file's work is printed once, as the run's error.
    monkeypatch.setattr("selfeval_cli.cli.output.summary", broken)
    with pytest.raises(SystemExit) as done:
        main(["validate", str(BAD / "bom.yaml")])
    captured = capsys.readouterr()
    assert done.value.code == 1 and "内部错误：RuntimeError: boom" in captured.err and "Traceback" not in captured.err


TEMPLATE_CASES = {  # folder → (file:line the message names, or None; words it must contain)
    "syntax_error": ("01_section.j2:3", "模板语法错误"),
    "undefined_variable": ("01_section.j2:3", "nmae"),
    "missing_include": ("01_section.j2", "_gone.j2"),
    "skipped_level": (None, "跳级"),
    # Templates cannot fail silently: a heading with nothing under it, markup a tag glued to text.
    "empty_heading": ("01_section.j2:3", "标题“待核对事项”下面没有内容"),
    "swallowed_newline": ("01_section.j2:5", "“## 支出概况”不在行首"),
    "empty": (None, "没有章节模板"),
}


@pytest.mark.parametrize("case", sorted(TEMPLATE_CASES))
def test_bad_templates(case: str, tmp_path: Path, runner: CliRunner) -> None:
    where, words = TEMPLATE_CASES[case]
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["build", str(BAD / "bom.yaml"), "-o", str(out), "--templates",
                                 str(FIXTURES / "bad_templates" / case)])
    assert_clean(result)
    assert result.exit_code == 1 and words in result.stderr
    if where is not None:
        assert where in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_unwritable_place(runner: CliRunner) -> None:
    """/proc refuses new files even to root: the build fails cleanly, naming the place."""
    result = runner.invoke(cli, ["build", str(BAD / "bom.yaml"), "-o", "/proc/selfeval-report.docx"])
    assert_clean(result)
    assert result.exit_code == 1 and "/proc" in result.stderr and "无法" in result.stderr
