"""Outline folders that come with a department's data are untrusted: they stay in the data file's
folder unless the person running selfeval says otherwise, and their templates run in a sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.render.outline_folders import templates_root

from ..conftest import OTHER

# Template lines that try to leave the sandbox, each the way a published escape does it. Each would
# write the file named ``{flag}`` if it ran.
ESCAPES = {
    "globals of a method": "{{{{ cycler.__init__.__globals__.os.popen('touch {flag}').read() }}}}",
    "class hierarchy": "{{{{ ''.__class__.__mro__[1].__subclasses__() }}}}",
    "a filter's globals": "{{{{ (report.department.name|attr('__class__')).__base__ }}}}",
    "format string": "{{{{ '{{0.__class__}}'.format(report) }}}}",
    "changing the data": "{{% set _ = report.department.duties.append('x') %}}{{{{ 1 }}}}",
    "a module by name": "{{{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}}}",
}


def with_outline(tmp_path: Path, outline: str, folder: str = "dept") -> Path:
    """A copy of the fictional department in ``tmp_path/folder`` that names ``outline``."""
    place = tmp_path / folder
    place.mkdir(exist_ok=True)
    source = place / "data.yaml"
    text = OTHER.read_text(encoding="utf-8")
    source.write_text(text.replace("year: 2025\n", f"year: 2025\noutline: {outline}\n", 1), encoding="utf-8")
    return source


def outline_copy(where: Path, extra: str = "") -> Path:
    """The shipped hunan outline copied to ``where``, with ``extra`` appended to its first section."""
    shutil.copytree(templates_root() / "hunan", where)
    if extra:
        first = where / "01_basic.j2"
        first.write_text(first.read_text(encoding="utf-8") + extra + "\n", encoding="utf-8")
    return where


@pytest.mark.parametrize(("written", "refused"), [
    ("mine", False),
    ("./mine", False),
    ("sub/mine", False),
    ("../other/mine", True),
    ("sub/../../other/mine", True),
    ("{root}/other/mine", True),
    ("sub/../mine", True),  # stays inside, but ".." is refused as written: the rule is simple to state
])
def test_an_outline_folder_must_lie_in_the_data_files_folder(tmp_path: Path, runner: CliRunner, written: str,
                                                             refused: bool) -> None:
    for place in ("dept/mine", "dept/sub/mine", "other/mine"):
        outline_copy(tmp_path / place)
    source = with_outline(tmp_path, written.format(root=tmp_path))
    result = runner.invoke(cli, ["validate", str(source)])
    if refused:
        assert result.exit_code == 1
        assert f"{source}:4:10: error: outline: 提纲目录“{written.format(root=tmp_path)}”不在数据文件所在的目录之内" \
            in result.output
        assert "--trust-outlines" in result.output
        trusted = runner.invoke(cli, ["validate", "--trust-outlines", str(source)])
        assert trusted.exit_code == 0, trusted.output
    else:
        assert result.exit_code == 0, result.output
        # Whoever runs validate learns whose templates a build would run.
        assert f"{source}:4:10: note: outline: 使用模板目录 {(source.parent / written).resolve()}（不是内置提纲）" \
            in result.output
        assert result.output.splitlines()[-1] == "未发现问题"  # a note is not a warning


def test_a_link_leading_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outline_copy(tmp_path / "elsewhere")
    source = with_outline(tmp_path, "mine")
    (source.parent / "mine").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    codes = [p.code for p in validate_file(source).problems]
    assert codes == ["outline_unknown"]
    assert validate_file(source, trust_outlines=True).report is not None


def test_a_refused_outline_is_never_rendered(tmp_path: Path, runner: CliRunner) -> None:
    flag = tmp_path / "ran"
    outline_copy(tmp_path / "other" / "mine", ESCAPES["globals of a method"].format(flag=flag))
    source = with_outline(tmp_path, "../other/mine")
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["build", str(source), "-o", str(out)])
    assert result.exit_code == 1 and "不在数据文件所在的目录之内" in result.output
    assert not out.exists() and not flag.exists()


@pytest.mark.parametrize("case", sorted(ESCAPES))
def test_a_sandbox_escape_is_a_clear_error_of_that_file(tmp_path: Path, runner: CliRunner, case: str) -> None:
    flag = tmp_path / "ran"
    outline_copy(tmp_path / "dept" / "mine", ESCAPES[case].format(flag=flag))
    source = with_outline(tmp_path, "mine")
    good = tmp_path / "good" / "good.yaml"
    good.parent.mkdir()
    shutil.copy(OTHER, good)
    out = tmp_path / "out"
    # In a batch the department that brought the templates fails; the others are built.
    result = runner.invoke(cli, ["build", str(source), str(good), "-o", f"{out}/", "-j", "1"])
    assert result.exit_code == 1
    assert f"{source}:4:10: error: outline: {source.parent / 'mine' / '01_basic.j2'}:" in result.output
    assert "模板试图访问不允许访问的内容" in result.output  # the sandbox said no, not some other failure
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["good.docx"]
    assert not flag.exists()


def test_templates_given_on_the_command_line_are_sandboxed_too(tmp_path: Path) -> None:
    from selfeval_cli.errors import TemplateError

    flag = tmp_path / "ran"
    folder = outline_copy(tmp_path / "given", ESCAPES["globals of a method"].format(flag=flag))
    with pytest.raises(TemplateError, match="模板试图访问不允许访问的内容"):
        build_report(OTHER, tmp_path / "r.docx", template_dir=folder)
    assert not flag.exists() and not (tmp_path / "r.docx").exists()


def test_the_shipped_outlines_render_in_the_sandbox(tmp_path: Path) -> None:
    """Every shipped outline renders in the sandboxed environment (the README's byte-identical check
    of the examples was made against the unsandboxed build)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from selfeval_cli.render.sections import environment_for

    for name in ("hunan", "national"):
        assert isinstance(environment_for(templates_root() / name), ImmutableSandboxedEnvironment)
    out = tmp_path / "r.docx"
    assert build_report(OTHER, out).output == out


def test_summary_lists_whose_templates_a_file_names(tmp_path: Path, runner: CliRunner) -> None:
    import openpyxl

    outline_copy(tmp_path / "other" / "mine")
    source = with_outline(tmp_path, "../other/mine")
    out = tmp_path / "汇总.xlsx"
    refused = runner.invoke(cli, ["summary", str(source), "-o", str(out)])
    assert refused.exit_code == 0, refused.output  # the workbook is written; the file's row says why
    rows = list(openpyxl.load_workbook(out)["问题清单"].iter_rows(values_only=True))[1:]
    assert [(row[3], row[4]) for row in rows] == [("错误", "outline")]
    trusted = runner.invoke(cli, ["summary", "--trust-outlines", str(source), "-o", str(out)])
    assert trusted.exit_code == 0, trusted.output
    rows = list(openpyxl.load_workbook(out)["问题清单"].iter_rows(values_only=True))[1:]
    assert [(row[3], row[4]) for row in rows] == [("提示", "outline")]
    assert str(rows[0][5]).startswith(f"使用模板目录 {(tmp_path / 'other' / 'mine').resolve()}")


def test_new_year_runs_no_template_and_takes_any_outline(tmp_path: Path) -> None:
    from selfeval_cli.commands.newyear import make_next_year

    outline_copy(tmp_path / "other" / "mine")
    source = with_outline(tmp_path, "../other/mine")
    result = make_next_year(source)
    assert result.output is not None and "outline: ../other/mine" in result.output.read_text(encoding="utf-8")


def test_an_outline_whose_report_is_the_main_document_wants_no_label(tmp_path: Path) -> None:
    """With a 自评表 the report is usually 附件2; an outline may declare it the main document instead."""
    from ..conftest import TABLE_EXAMPLE, edited_copy

    folder = outline_copy(tmp_path / "dept" / "main")
    source = edited_copy(TABLE_EXAMPLE, tmp_path / "dept", [("attachment:\n  label: 附件2\n", "attachment:\n")])
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("year: 2025\n", "year: 2025\noutline: main\n", 1), encoding="utf-8")
    assert "check_attachment_labels" in [p.code for p in validate_file(source).problems]
    manifest = folder / "outline.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "main_document: true\n", encoding="utf-8")
    assert "check_attachment_labels" not in [p.code for p in validate_file(source).problems]
