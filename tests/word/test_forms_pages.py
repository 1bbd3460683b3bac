"""What LibreOffice prints of each shipped form, read back from the PDF (``pdftotext -bbox``):
page numbers well under the table, no name or header ending on a line of one character, and every
page that continues an indicator group carrying the group's names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx.oxml.ns import qn

from selfeval_cli.commands.build import build_report
from selfeval_cli.model.report import Report
from selfeval_cli.render.sections import render_blocks
from selfeval_cli.render.tables import PROSE_EM, Table, em_width
from selfeval_cli.word.writer import build_document

from ..conftest import FIXTURES, TABLE_EXAMPLE, edited_copy, pdftotext
from ..docx_read import open_docx

FORMS = ["national", "sichuan", "scoring"]
SOURCES = {"example": TABLE_EXAMPLE, "old": FIXTURES / "assessment_old_scheme.yaml"}
MM = 72 / 25.4
LANDSCAPE_WIDTH = 841.9


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words_of(pdf: Path) -> list[Word]:
    words = []
    for page, chunk in enumerate(pdftotext(pdf, "-bbox").split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk):
            words.append(Word(page, float(x0), float(y0), float(x1), float(y1), text))
    return words


def page_widths(pdf: Path) -> dict[int, float]:
    sizes = re.findall(r'<page width="([\d.]+)"', pdftotext(pdf, "-bbox"))
    return {number: float(width) for number, width in enumerate(sizes, start=1)}


def printed(words: list[Word], text: str) -> list[list[str]]:
    """Every place ``text`` is printed in a cell, as the lines it takes there: pieces on one line
    side by side, or on the next line under the first (left-aligned or centred alike)."""
    found = []
    for index, start in enumerate(words):
        if not start.text or not text.startswith(start.text):
            continue
        lines, got, last, left, right = [start.text], start.text, start, start.x0, start.x1
        while got != text:
            rest = text[len(got):]
            following = next((w for w in words[index + 1:index + 400] if w.page == start.page and w.text
                              and rest.startswith(w.text) and _follows(last, w, left, right)), None)
            if following is None:
                break
            if abs(following.y0 - last.y0) < 2:
                lines[-1] += following.text
            else:
                lines.append(following.text)
            got, last = got + following.text, following
        if got == text:
            found.append(lines)
    return found


def _follows(last: Word, word: Word, left: float, right: float) -> bool:
    beside = abs(word.y0 - last.y0) < 2 and -1 <= word.x0 - last.x1 < 6
    below = 5 < word.y0 - last.y0 < 30 and word.x0 < right + 2 and word.x1 > left - 2
    return beside or below


def lone(line: str) -> bool:
    letters = [ch for ch in line if ch.isalnum()]
    return len(letters) == 1 and ord(letters[0]) >= 0x2E80


def names_of(table: Table) -> set[str]:
    """The cells a reader reads as names or headings: short, one line of text, not a number."""
    cells = {cell.replace("\n", "") for row in table.all_rows() for cell in row if isinstance(cell, str)}
    return {cell for cell in cells if len(cell) >= 2 and em_width(cell) <= PROSE_EM
            and not re.search(r"[。；，]", cell) and not re.fullmatch(r"[-+\d.%—≥≤=万人次个场分（）]*", cell)}


def _big_group(data: dict[str, Any]) -> dict[str, Any]:
    """The example with an 产出 group too long for one page: 二级 groups of many indicators."""
    rows = [{"name": f"第{i + 1}项乡镇综合文化站提质改造数量", "kind": "正向", "unit": "个", "target": 8, "actual": 8,
             "weight": 1} for i in range(25)]
    data["assessment"]["indicators"][0]["children"] = [
        {"name": "数量指标", "indicators": rows[:20]}, {"name": "质量指标", "indicators": rows[20:]}]
    data["assessment"]["indicators"][0].pop("weight")
    return data


@pytest.fixture(scope="module")
def printed_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Table, Path]]:
    """Every shipped form built from the full example and the old-scheme fixture, and one with a
    group longer than a page; each as (docx, the rendered table, pdf), converted in one go."""
    from selfeval_cli.word.pdf import convert_many

    from ..conftest import to_pdf

    folder = tmp_path_factory.mktemp("forms")
    built: dict[str, tuple[Path, Table]] = {}
    for source_name, source in SOURCES.items():
        for form in FORMS:
            data = edited_copy(source, folder, [("\nassessment:\n", f"\nassessment:\n  form: {form}\n")],
                               name=f"{source_name}_{form}.yaml")
            out = data.with_suffix(".docx")
            assert build_report(data, out).output == out
            report = Report.model_validate(yaml.safe_load(data.read_text(encoding="utf-8")))
            built[f"{source_name}_{form}"] = (out, _table(report))
    report = Report.model_validate(_big_group(yaml.safe_load(TABLE_EXAMPLE.read_text(encoding="utf-8"))))
    blocks = render_blocks(report)
    big = folder / "big_national.docx"
    big.write_bytes(build_document(report, blocks))  # weights no longer add up: rendered without validation
    built["big_national"] = (big, _table(report))
    to_pdf(big)  # skips where LibreOffice is missing
    convert_many([(docx, docx.with_suffix(".pdf")) for docx, _ in built.values() if docx != big])
    return {name: (docx, table, docx.with_suffix(".pdf")) for name, (docx, table) in built.items()}


def _table(report: Report) -> Table:
    [table] = [b for b in render_blocks(report) if isinstance(b, Table)]
    return table


CASES = [f"{source}_{form}" for source in SOURCES for form in FORMS] + ["big_national"]


@pytest.mark.pdf
@pytest.mark.parametrize("case", CASES)
def test_one_table_whose_pages_number_well_under_it(printed_forms: dict[str, tuple[Path, Table, Path]],
                                                     case: str) -> None:
    docx, _, pdf = printed_forms[case]
    assert len(open_docx(docx).tables) == 1  # one grid, however many pages it takes
    words = words_of(pdf)
    widths = page_widths(pdf)
    landscape = [page for page, width in widths.items() if abs(width - LANDSCAPE_WIDTH) < 1]
    assert landscape and landscape == list(range(1, len(landscape) + 1))
    for page in landscape:
        on_page = [w for w in words if w.page == page]
        number = [w for w in on_page if w.y0 > 530]
        assert "".join(w.text for w in sorted(number, key=lambda w: w.x0)) == f"—{page}—"
        body = [w for w in on_page if w not in number]
        assert min(w.y0 for w in number) - max(w.y1 for w in body) >= 6 * MM, page


@pytest.mark.pdf
@pytest.mark.parametrize("case", CASES)
def test_no_name_ends_on_a_line_of_one_character(printed_forms: dict[str, tuple[Path, Table, Path]],
                                                 case: str) -> None:
    _, table, pdf = printed_forms[case]
    words = words_of(pdf)
    names = names_of(table)
    assert len(names) > 20
    unseen = [name for name in names if not printed(words, name)]
    assert unseen == []  # the reading back finds every one (else it checks nothing)
    lone_lines = {name: lines for name in names for lines in printed(words, name) if lone(lines[-1])}
    assert lone_lines == {}


def indicator_groups(table: Table, scoring: bool) -> dict[str, tuple[str, str]]:
    """Each indicator (三级) name → its first- and second-level names, as the rendered grid has them."""
    first_col = 0 if scoring else 1
    if scoring:
        rows = table.rows[:next(i for i, row in enumerate(table.rows) if row[0] == "合计")]
    else:
        start = table.repeat[0] + 1
        rows = table.rows[start:next(i for i, row in enumerate(table.rows) if row[0] == "总分")]
    groups: dict[str, tuple[str, str]] = {}
    first = second = ""
    for row in rows:
        first = str(row[first_col]) if isinstance(row[first_col], str) else first
        second = str(row[first_col + 1]) if isinstance(row[first_col + 1], str) else second
        groups[str(row[first_col + 2]).replace("\n", "")] = (first.replace("\n", ""), second.replace("\n", ""))
    return groups


@pytest.mark.pdf
@pytest.mark.parametrize("case", ["old_national", "old_sichuan", "old_scoring", "big_national"])
def test_continuation_pages_carry_their_group_names(printed_forms: dict[str, tuple[Path, Table, Path]],
                                                    case: str) -> None:
    docx, table, pdf = printed_forms[case]
    words = words_of(pdf)
    scoring = case.endswith("scoring")
    groups = indicator_groups(table, scoring)
    # In the Word file: does an indicator's row write its group names (not continue the cells above)?
    first_col = 0 if scoring else 1
    named: dict[str, bool] = {}
    for tr in open_docx(docx).tables[0]._tbl.tr_lst:
        cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst]
        if len(cells) > first_col + 2 and cells[first_col + 2] in groups:
            named[cells[first_col + 2]] = bool(cells[first_col]) and bool(cells[first_col + 1])
    continued = 0
    for page in range(2, max(w.page for w in words) + 1):
        here = [w for w in words if w.page == page]
        text = "".join(w.text for w in here)
        on_page = {name: min(w.y0 for w in here if name.startswith(w.text) and printed([w], w.text))
                   for name in groups if printed(here, name)}
        if not on_page:
            continue
        top = min(on_page, key=lambda name: on_page[name])
        assert named[top], (page, top)  # the page's first indicator row names its groups again
        first, second = groups[top]
        assert printed(here, first) and printed(here, second), (page, top)
        assert "一级指标" in text and ("绩效指标" in text or scoring)  # the heading, written again
        heading = min(w.y0 for w in here if w.text == "一级指标")
        assert heading < on_page[top]  # above the rows it heads
        continued += 1
    assert continued  # some page did continue the indicators


@pytest.mark.pdf
def test_a_group_longer_than_a_page_names_itself_on_every_page(
        printed_forms: dict[str, tuple[Path, Table, Path]]) -> None:
    _, table, pdf = printed_forms["big_national"]
    words = words_of(pdf)
    groups = indicator_groups(table, scoring=False)
    pages = {name: [page for page in {w.page for w in words}
                    if printed([w for w in words if w.page == page], name)] for name in groups}
    long_group = {page for name, (first, _) in groups.items() if first.startswith("产出") for page in pages[name]}
    assert len(long_group) >= 2  # the 产出 group runs over pages, and (above) each of them names it
    assert all(len(found) == 1 for found in pages.values())  # every indicator printed once
