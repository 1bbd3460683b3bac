"""What an import leaves open is never lost at build: text left unplaced stops the build; a report that
cites no notice builds without one."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report

from ..conftest import OTHER, edited_copy
from ..docx_read import open_docx

NOTICE = ("notice:\n  issuer: 青山县财政局\n  title: 关于开展2025年度县级部门整体支出绩效自评工作的通知\n"
          "  document_number: 青财绩〔2026〕2号\n")


def test_a_report_without_a_notice_builds_and_reads_naturally(tmp_path: Path) -> None:
    source = edited_copy(OTHER, tmp_path, [(NOTICE, "")])
    result = validate_file(source)
    assert result.report is not None and result.report.notice is None
    out = tmp_path / "r.docx"
    assert build_report(source, out).output == out
    texts = [p.text for p in open_docx(out).paragraphs]
    opening = next(text for text in texts if "总体自我评价是" in text)
    assert opening.startswith("我们对县级财政资金整体支出绩效进行了认真自评") and "根据" not in opening


def test_imported_text_left_unplaced_is_an_error_where_it_stands(tmp_path: Path, runner: CliRunner) -> None:
    tail = ("sections:\n  unplaced:\n    title: 未能归入字段的原文\n"
            "    text: |\n      第一段原文。\n      第二段原文。\n")
    source = tmp_path / "d.yaml"
    source.write_text(OTHER.read_text(encoding="utf-8") + tail, encoding="utf-8")
    line = source.read_text(encoding="utf-8").splitlines().index("  unplaced:") + 1
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1
    assert f"{source}:{line}:3: error: sections.unplaced: 导入时未能归类的原文 2 段" in result.output
    built = runner.invoke(cli, ["build", str(source), "-o", str(tmp_path / "r.docx")])
    assert built.exit_code == 1 and not (tmp_path / "r.docx").exists()


def test_other_free_sections_stay_a_warning(tmp_path: Path) -> None:
    tail = "sections:\n  other:\n    title: 其他情况\n    text: 无。\n"
    source = tmp_path / "d.yaml"
    source.write_text(OTHER.read_text(encoding="utf-8") + tail, encoding="utf-8")
    codes = {p.code: p.severity.value for p in validate_file(source).problems}
    assert codes == {"outline_unused": "warning"}
