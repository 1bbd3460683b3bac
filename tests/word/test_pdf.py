"""What a reader sees: the report rendered by LibreOffice to PDF and measured with poppler."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import pdftotext

PT_PER_MM = 72 / 25.4


def test_pages_are_a4(example_pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", str(example_pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) >= 10  # type: ignore[index]


def _line_tops(pdf: Path, page: int) -> list[float]:
    """The distinct top positions of text lines of the body on one page (footer excluded)."""
    html = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    tops = sorted({round(float(m[1]), 1) for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)"', html)})
    bottom_of_text_area = (297 - 35) * PT_PER_MM
    return [t for t in tops if t < bottom_of_text_area]


def test_a_full_page_has_22_lines_at_28_95_pt(example_pdf: Path) -> None:
    tops = _line_tops(example_pdf, 3)  # page 3 is all body text (the units' duties)
    assert len(tops) == 22
    pitches = [b - a for a, b in itertools.pairwise(tops)]
    assert all(abs(p - 28.95) < 0.6 for p in pitches), pitches
    assert abs(tops[0] - 37 * PT_PER_MM) < 12  # the first line starts at the top margin


def test_page_numbers_odd_right_even_left(example_pdf: Path) -> None:
    for page in (1, 2, 3):
        html = pdftotext(example_pdf, "-bbox", "-f", str(page), "-l", str(page))
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                           html)
        number = [w for w in words if w[3] == str(page) and float(w[1]) > (297 - 35) * PT_PER_MM]
        assert number, f"no page number on page {page}"
        x_min, y_min, x_max, _ = number[0]
        dashes = [w for w in words if w[3] == "—" and abs(float(w[1]) - float(y_min)) < 3]
        assert len(dashes) == 2, f"page {page}: the number is not set as — N —"
        if page % 2:
            assert float(x_max) > (210 - 26 - 20) * PT_PER_MM, "odd pages: number on the right"
        else:
            assert float(x_min) < (28 + 20) * PT_PER_MM, "even pages: number on the left"
        # The number's top is about 7 mm below the text area.
        below = float(y_min) - (297 - 35) * PT_PER_MM
        assert 3 * PT_PER_MM < below < 11 * PT_PER_MM, below / PT_PER_MM


def test_text_reads_as_the_report(example_pdf: Path) -> None:
    text = pdftotext(example_pdf)
    compact = re.sub(r"\s+", "", text)
    for expected in ("附件2", "部门整体支出绩效自评报告", "一、预算单位基本情况", "（一）主要职责",
                     "二、一般公共预算支出情况", "六、绩效自评结果拟应用和公开情况", "795.63万元"):
        assert expected in compact


def test_the_closing_never_stands_alone_on_a_page(tmp_path: Path) -> None:
    """A report whose 署名 once fell at the foot of a page and its 日期 on the next, alone."""
    from selfeval_cli.commands.build import build_report

    from ..conftest import FIXTURES, to_pdf

    out = tmp_path / "closing.docx"
    assert build_report(FIXTURES / "closing_at_page_end.yaml", out).output == out
    pdf = to_pdf(out)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout)[1])  # type: ignore[index]
    last = [line.strip() for line in pdftotext(pdf, "-f", str(pages), "-l", str(pages)).splitlines() if line.strip()]
    signature = next(i for i, line in enumerate(last) if line == "青溪县卫生健康局")
    assert re.fullmatch(r"2026\s*年\s*3\s*月\s*10\s*日", last[signature + 1])  # the date under it, same page
    assert signature >= 1  # and text of the report above it on that page


def test_many_reports_share_two_libreoffice_processes(example_docx: Path, tmp_path: Path) -> None:
    """Eight reports over two processes (each with its own profile): every PDF written, whole."""
    from selfeval_cli.word import pdf as pdf_module

    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed (CI installs them)")
    pairs = []
    for index in range(8):
        copy = tmp_path / f"r{index}.docx"
        shutil.copy(example_docx, copy)
        pairs.append((copy, tmp_path / f"r{index}.pdf"))
    pdf_module.convert_many(pairs, processes=2)
    for _, pdf in pairs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info)[1]) >= 10  # type: ignore[index]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == [f"r{i}.pdf" for i in range(8)]
