"""Sentences a careful person would write, pinned on the built .docx."""

from __future__ import annotations

from pathlib import Path

from selfeval_cli.commands.build import build_report

from ..conftest import FIXTURES, edited_copy
from ..docx_read import open_docx

NATIONAL = FIXTURES / "national_outline.yaml"


def paragraphs(source: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "r.docx"
    assert build_report(source, out).output == out
    return [p.text for p in open_docx(out).paragraphs]


def test_a_qualitative_row_reads_as_a_sentence(tmp_path: Path) -> None:
    texts = paragraphs(NATIONAL, tmp_path)
    assert "“公共文化服务覆盖面”的目标是县乡村三级全覆盖，实际县乡两级全覆盖，村级覆盖九成，评价为部分达成，" \
           "得分7.5分（分值10分）。少数偏远村服务点设备未配齐；2026年完成配置。" in texts
    assert not any("年度指标值县乡村" in text for text in texts)


def test_a_rubric_row_that_fell_short_names_its_standard(tmp_path: Path) -> None:
    before = "              actual: 已建立并执行\n              weight: 10\n              score: 10\n"
    after = ("              actual: 已建立，尚未全面执行\n              weight: 10\n              score: 8\n"
             "              reason: 制度执行检查尚未覆盖全部场馆。\n")
    source = edited_copy(NATIONAL, tmp_path, [(before, after), ("自评得分95.99分", "自评得分93.99分")])
    texts = paragraphs(source, tmp_path)
    assert "“长效管理机制建立情况”按评分标准（建立场馆运行管理制度）打分，实际已建立，尚未全面执行，" \
           "得分8分（分值10分）。制度执行检查尚未覆盖全部场馆。" in texts
