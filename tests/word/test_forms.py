"""Forms of the 自评表 as data: shipped folders with a manifest, chosen by the table or its outline,
a user's own folder under the rules of an outline folder, listed by ``selfeval forms``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.errors import OutlineError, TemplateError
from selfeval_cli.model.report import Report
from selfeval_cli.render.form_folders import Form, FormView, find_form, form_of, forms_root, load_form, shipped_forms
from selfeval_cli.render.forms import render_form
from selfeval_cli.render.outline_folders import templates_root
from selfeval_cli.render.tables import Table
from selfeval_cli.vocabulary import DEFAULT_FORM, FORM_COLUMNS

from ..conftest import FIXTURES, TABLE_EXAMPLE, edited_copy


def test_shipped_forms_and_their_manifests() -> None:
    forms = shipped_forms()
    assert forms[0].name == DEFAULT_FORM
    assert {form.name for form in forms} == {"national", "sichuan", "scoring"}
    by_name = {form.name: form for form in forms}
    assert by_name["national"].size == "五号" and by_name["national"].size_pt == 10.5
    assert by_name["scoring"].size == "小四" and by_name["sichuan"].columns == FORM_COLUMNS
    assert all(form.title and form.description and (form.folder / "form.j2").is_file() for form in forms)


def test_selfeval_forms_lists_them(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["forms"])
    assert result.exit_code == 0
    assert result.output.startswith(f"{DEFAULT_FORM}（默认）  部门整体支出绩效自评表（全国通用格式）")
    assert "sichuan  " in result.output and "另有 指标性质、度量单位 列" in result.output
    assert "scoring  " in result.output and "字号 小四" in result.output


def test_templates_see_words_only() -> None:
    view = find_form("sichuan", Path.cwd()).view()
    assert isinstance(view, FormView) and view.template == "forms/sichuan/form.j2"
    assert view.shows("指标性质") and not find_form(None, Path.cwd()).view().shows("指标性质")
    assert all(isinstance(value, str | tuple) for value in vars(view).values())  # no path reaches a template


def test_a_form_folder_beside_the_data_file(tmp_path: Path) -> None:
    shutil.copytree(forms_root() / "scoring", tmp_path / "我的表")
    (tmp_path / "我的表" / "form.j2").write_text(
        (tmp_path / "我的表" / "form.j2").read_text(encoding="utf-8").replace("| @c 评分标准 |", "| @c 考核标准 |"),
        encoding="utf-8")
    data = edited_copy(FIXTURES / "assessment_old_scheme.yaml", tmp_path,
                       [("\nassessment:\n", "\nassessment:\n  form: 我的表\n")])
    form = find_form("我的表", tmp_path)
    assert form.folder == (tmp_path / "我的表").resolve() and not form.shipped and form.size == "小四"
    report = validate_file(data).report
    assert report is not None
    [table] = [b for b in render_form(report, tmp_path) if isinstance(b, Table)]
    assert table.header[1][3] == "考核标准"  # the user's template, with the shipped pieces it includes


@pytest.mark.parametrize("spec", ["../elsewhere", "/tmp", "sub/../../elsewhere"])
def test_a_form_folder_outside_the_data_files_folder_needs_trust(tmp_path: Path, spec: str) -> None:
    base = tmp_path / "data"
    base.mkdir()
    outside = tmp_path / "elsewhere"
    shutil.copytree(forms_root() / "national", outside)
    with pytest.raises(OutlineError, match="不在数据文件所在的目录之内"):
        find_form(spec, base)
    if spec == "../elsewhere":
        assert find_form(spec, base, trust_outlines=True).folder == outside.resolve()


def test_a_link_leading_out_is_outside(tmp_path: Path) -> None:
    base = tmp_path / "data"
    base.mkdir()
    shutil.copytree(forms_root() / "national", tmp_path / "elsewhere")
    (base / "表").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutlineError, match="不在数据文件所在的目录之内"):
        find_form("表", base)


def test_an_unknown_form_names_the_shipped_ones(tmp_path: Path) -> None:
    with pytest.raises(OutlineError, match="可用的内置格式有 national、scoring、sichuan"):
        find_form("hubei", tmp_path)


def test_a_bad_manifest_says_what_it_takes(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(forms_root() / "national", folder)
    (folder / "form.yaml").write_text("size: 三号\ncolumns: [是否核心指标]\n", encoding="utf-8")
    with pytest.raises(OutlineError, match="size 应为 小四或五号"):
        load_form(folder, "f")
    (folder / "form.yaml").write_text("- a\n", encoding="utf-8")
    with pytest.raises(OutlineError, match="映射"):
        load_form(folder, "f")
    (folder / "form.yaml").unlink()
    assert load_form(folder, "f") == Form("f", folder)  # no manifest: the defaults


def test_the_table_chooses_else_its_outline_else_the_default(tmp_path: Path) -> None:
    outline = tmp_path / "提纲"
    shutil.copytree(templates_root() / "national", outline)
    assert form_of(None, outline, tmp_path).name == DEFAULT_FORM
    (outline / "outline.yaml").write_text(
        (outline / "outline.yaml").read_text(encoding="utf-8") + "form: scoring\n", encoding="utf-8")
    assert form_of(None, outline, tmp_path).name == "scoring"
    assert form_of("sichuan", outline, tmp_path).name == "sichuan"


def test_the_outline_of_a_data_file_chooses_its_form(tmp_path: Path) -> None:
    outline = tmp_path / "提纲"
    shutil.copytree(templates_root() / "hunan", outline)
    (outline / "outline.yaml").write_text("form: scoring\n", encoding="utf-8")
    data = edited_copy(TABLE_EXAMPLE, tmp_path, [("\nassessment:\n", "\noutline: 提纲\nassessment:\n")])
    report = validate_file(data).report
    assert report is not None
    [table] = [b for b in render_form(report, tmp_path) if isinstance(b, Table)]
    assert table.header[1][3] == "评分标准"


def test_a_form_template_runs_in_the_sandbox(tmp_path: Path) -> None:
    folder = tmp_path / "坏表"
    shutil.copytree(forms_root() / "national", folder)
    (folder / "form.j2").write_text("{{ table.__class__.__mro__ }}\n", encoding="utf-8")
    data = edited_copy(TABLE_EXAMPLE, tmp_path, [("\nassessment:\n", "\nassessment:\n  form: 坏表\n")])
    report = validate_file(data).report
    assert report is not None
    with pytest.raises(TemplateError, match="不允许访问"):
        render_form(report, tmp_path)


def test_the_build_uses_a_shipped_form_the_table_names(tmp_path: Path) -> None:
    from selfeval_cli.commands.build import build_report

    from ..docx_read import open_docx

    data = edited_copy(TABLE_EXAMPLE, tmp_path, [("\nassessment:\n", "\nassessment:\n  form: scoring\n")])
    out = tmp_path / "r.docx"
    assert build_report(data, out).output == out
    [table] = open_docx(out).tables
    assert [c.text for c in table.rows[1].cells][:4] == ["一级指标", "二级指标", "三级指标", "评分标准"]


def test_without_a_renderer_given_form_a_template_reads_the_shipped_one() -> None:
    from selfeval_cli.render.form_folders import shipped_form

    assert shipped_form(None).name == DEFAULT_FORM and shipped_form("scoring").view().template.endswith("form.j2")
    with pytest.raises(OutlineError, match="没有名为“我的表”的内置自评表格式"):
        shipped_form("我的表")


def test_an_outline_without_a_manifest_names_no_form(tmp_path: Path) -> None:
    from selfeval_cli.render.form_folders import outline_form

    assert outline_form(tmp_path) is None
    (tmp_path / "outline.yaml").write_text("form: [\n", encoding="utf-8")
    with pytest.raises(OutlineError, match="无法读取"):
        outline_form(tmp_path)


def test_a_report_without_a_table_has_no_form(other_report: Report) -> None:
    from selfeval_cli.render.forms import prepare

    env, extra = prepare(other_report, templates_root() / "hunan", Path.cwd())
    assert extra == {} and env is not None
    assert render_form(other_report, Path.cwd()) == []


def test_a_form_that_writes_broken_markup_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "坏表"
    shutil.copytree(forms_root() / "national", folder)
    (folder / "form.j2").write_text("@table\n| a | b |\n| c |\n@end\n", encoding="utf-8")
    data = edited_copy(TABLE_EXAMPLE, tmp_path, [("\nassessment:\n", "\nassessment:\n  form: 坏表\n")])
    report = validate_file(data).report
    assert report is not None
    with pytest.raises(TemplateError, match="标记有误"):
        render_form(report, tmp_path)
