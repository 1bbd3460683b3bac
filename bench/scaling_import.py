"""Does ``selfeval import`` of a .docx take linear time? (Not a test: run it by hand.)

Generates .docx files of 1 000 to 60 000 short paragraphs — hand-numbered headings (一、 （一） 1.)
mixed with body text, some headings numbered by Word through a style and some through a direct
``w:numPr`` — and prints, for each size, the time per paragraph of ``read_document`` (in this
process, best of a few runs) and of the whole ``selfeval import`` command (a subprocess, with its
peak memory). Linear means the per-paragraph times stay flat as the size grows.

    .venv/bin/python bench/scaling_import.py [--sizes 1000 5000 20000 60000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from measure import sampled, wall
from selfeval_cli.importing.reader import read_document

BIN = Path(sys.executable).parent / "selfeval"
SIZES = (1_000, 5_000, 20_000, 60_000)
_CN = "一二三四五六七八九十"


def _num_pr(level: int) -> Any:
    """A ``w:numPr`` element: Word numbers the paragraph at ``level`` of list 1."""
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(level)), ("w:numId", "1")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        num_pr.append(child)
    return num_pr


def generate(paragraphs: int, target: Path) -> None:
    """A report-like .docx of ``paragraphs`` short paragraphs, written to ``target``.

    The paragraphs are appended with lxml, not python-docx's ``add_paragraph`` (which looks for the
    section properties among all the body's children each time: generating would be quadratic).
    """
    document = docx.Document()
    numbered = document.styles.add_style("Numbered Heading", WD_STYLE_TYPE.PARAGRAPH)
    numbered.element.get_or_add_pPr().append(_num_pr(1))
    body = document.element.body
    section = body[-1]
    body.remove(section)
    for index in range(-1, paragraphs - 1):
        p = OxmlElement("w:p")
        body.append(p)
        paragraph = Paragraph(p, document._body)
        if index < 0:
            paragraph.text = "某县教育局2024年度部门整体支出绩效自评报告"
        elif index % 200 == 0:
            paragraph.text = f"{_CN[index // 200 % 10]}、第{index // 200 + 1}部分"
        elif index % 40 == 0:
            paragraph.text = f"（{_CN[index // 40 % 5]}）第{index // 40 + 1}节"
        elif index % 10 == 0:
            paragraph.text = f"{index // 10 % 4 + 1}. 第{index // 10 + 1}项工作"
        elif index % 10 == 5:  # numbered by Word through its style: no number in the text
            paragraph.text = f"由样式编号的第{index}段"
            paragraph.style = numbered
        elif index % 10 == 7:  # numbered by Word directly
            paragraph.text = f"直接编号的第{index}段"
            paragraph._p.get_or_add_pPr().append(_num_pr(2))
        else:
            paragraph.text = f"第{index}段正文，推进资金管理。"
    body.append(section)
    document.save(str(target))


def time_read(path: Path, runs: int = 5) -> float:
    """Best wall seconds of ``read_document(path)`` over ``runs`` runs."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        read_document(path)
        best = min(best, time.perf_counter() - start)
    return best


def time_import(source: Path, runs: int = 5) -> tuple[float, float]:
    """Best wall seconds of ``selfeval import`` of ``source`` over ``runs`` runs, and its peak memory (MiB).

    Timed apart from the memory sampling, which costs CPU (as ``measure.sampled`` explains).
    """
    command = [str(BIN), "import", str(source), "-o", str(source.with_suffix(".yaml")), "--year", "2024", "--force"]
    best = min(wall(command) for _ in range(runs))
    return best, sampled(command)[1] / 1024


def main() -> None:
    """Generate each size, time it, print one row per size.

    Per-paragraph times are marginal: the time of a 10-paragraph document (starting Python, the
    imports, opening the file) is subtracted first, so that a fixed cost does not pass for a falling
    cost per paragraph.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    sizes = parser.parse_args().sizes
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.docx"
        generate(10, base)
        read_base, (import_base, _) = time_read(base), time_import(base)
        print(f"固定开销（10 段）：read_document {read_base * 1e3:.0f} ms，import {import_base:.2f} s")
        print(f"{'段落数':>8} {'KiB':>6} {'read s':>8} {'read µs/段':>11} {'import s':>9} {'import µs/段':>12} "
              f"{'峰值 MiB':>9}")
        for size in sizes:
            source = Path(tmp) / f"p{size}.docx"
            generate(size, source)
            read = time_read(source)
            whole, peak = time_import(source)
            print(f"{size:>8} {source.stat().st_size // 1024:>6} {read:>8.2f} {(read - read_base) / size * 1e6:>11.1f} "
                  f"{whole:>9.2f} {(whole - import_base) / size * 1e6:>12.1f} {peak:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
