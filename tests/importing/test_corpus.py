"""The corpus of report texts written by the team, each in a shape real reports arrive in, imported
without ``--year`` and held against the figures it states.

Every ``tests/fixtures/import/NAME.txt`` has a sidecar ``NAME.figures.yaml``: the figures the text
states, as field path in the data model → value, written by reading the text (never by running the
importer). For each fixture — and for a .doc and a .pdf that LibreOffice makes of one of them, laid
out as a report (A4, a 22 pt title that wraps, indented paragraphs, a 落款 set flush right):

(a) every sentence of the input is somewhere in the data file: a field, ``more_sections`` or
    ``sections.unplaced`` (``sentences.placed``);
(b) no figure is silently wrong: each numeric field the importer filled has the sidecar's value, or a
    review entry at that field (or above it) gives the value it wrote;
(c) each stated figure is in its field with the sidecar's value, or a review entry quotes the source
    text that states it;
(d) over the corpus, the median share of characters that land in recognised fields (not
    ``sections.unplaced`` or ``more_sections``) is at least 70 %;
(e) the year is found without ``--year``;
(f) a .doc and a PDF (of every text with a paragraph a line) read back as the text's own paragraphs.

Each import's time is in (d)'s message; it is not asserted (a shared machine's timings vary).

A case the importer gets wrong outside the reading of text shapes (the fields, the prose and the
figures readers, owned elsewhere) is marked ``xfail(strict=True)`` with what it should do: it turns
red when fixed, and the mark comes off.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing.reader import SourceDocument, read_document
from selfeval_cli.importing.text import normalise, starts_heading
from selfeval_cli.word.pdf import find_soffice

from ..conftest import FIXTURES
from .sentences import figures_of, fold, numbers, placed

CORPUS_DIR = FIXTURES / "import"
TEXTS = sorted(path.name for path in CORPUS_DIR.glob("*.txt"))
CONVERTED_FROM = "national_outline.txt"
"""The text that LibreOffice makes a .doc and a .pdf of."""
CONVERTED = [CONVERTED_FROM.replace(".txt", ".doc"), CONVERTED_FROM.replace(".txt", ".pdf")]
PDFS = [name.replace(".txt", ".pdf") for name in TEXTS if name not in ("pasted_one_line.txt", "hard_wrapped_ascii.txt")]
"""Every text with a paragraph a line, made a PDF: read back, each must give the text's paragraphs."""
RECOGNISED_MEDIAN = 0.70


@dataclass(frozen=True)
class Imported:
    """One fixture imported: its text, what the reader made of it, the data file, the stated figures."""

    name: str
    text: str
    document: SourceDocument
    data: dict[str, Any]
    stated: dict[str, Decimal]
    seconds: float


def _stated(text_name: str) -> dict[str, Decimal]:
    sidecar = CORPUS_DIR / text_name.replace(".txt", ".figures.yaml")
    read = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    return {path: Decimal(str(value)).normalize() for path, value in read.items()}


def _as_docx(text: Path, out: Path) -> None:
    """``text`` (a paragraph a line) as a Word file laid out like a report on A4 with the 公文
    margins: the title centred in 22 pt (a long one wraps), a table of contents with dotted tab
    leaders to its page numbers, body paragraphs in 16 pt indented two characters, headings and the
    lines of a cover form flush left, a 落款 (a signature over a date) flush right."""
    lines = [line.strip() for line in text.read_text(encoding="utf-8").splitlines() if line.strip()]
    title = next(index for index, line in enumerate(lines) if "报告" in line and len(line) <= 40
                 and not CONTENTS_ENTRY.search(line))
    signed = re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", lines[-1]) is not None
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    width = section.page_width - section.left_margin - section.right_margin
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for index, line in enumerate(lines):
        entry = CONTENTS_ENTRY.search(line)
        paragraph = document.add_paragraph(line[:entry.start()] + "\t" + entry["page"] if entry else line)
        if entry:
            paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        elif index == title or re.fullmatch(r"目\s*录", line):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].font.size = Pt(22)
        elif signed and index >= len(lines) - 2:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif index > title and not starts_heading(line):
            paragraph.paragraph_format.first_line_indent = Pt(32)
    document.save(str(out))


CONTENTS_ENTRY = re.compile(r"[.．…·]{2,}\s*(?P<page>\d{1,3})$")


class Corpus:
    """Each fixture imported once for all the checks (the .doc and the PDFs made on first use)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._done: dict[str, Imported] = {}
        self._converted: dict[str, Path] | None = None

    def __getitem__(self, name: str) -> Imported:
        if name not in self._done:
            text_name = f"{Path(name).stem}.txt"
            source = CORPUS_DIR / name if name == text_name else self._convert()[name]
            out = self._folder / f"{name}.yaml"
            started = time.perf_counter()
            result = import_report(source, out)  # no --year
            seconds = time.perf_counter() - started
            assert result.output is not None, [problem.format() for problem in result.problems]
            data = yaml.safe_load(out.read_text(encoding="utf-8"))  # figures may be 待填: plain YAML
            self._done[name] = Imported(name, (CORPUS_DIR / text_name).read_text(encoding="utf-8"),
                                        read_document(source), data, _stated(text_name), seconds)
        return self._done[name]

    def _convert(self) -> dict[str, Path]:
        """The .doc of ``CONVERTED_FROM`` and the PDF of every text with a paragraph a line, by LibreOffice
        (one run for each format)."""
        if self._converted is None:
            soffice = find_soffice()
            if soffice is None:
                pytest.skip("LibreOffice（soffice）未安装：无法生成用来测试导入的 .doc 和 PDF")
            sources = {}
            for name in {CONVERTED_FROM, *(pdf.replace(".pdf", ".txt") for pdf in PDFS)}:
                sources[name] = self._folder / name.replace(".txt", ".docx")
                _as_docx(CORPUS_DIR / name, sources[name])
            for target, names in (("doc", [CONVERTED_FROM]), ("pdf", [pdf.replace(".pdf", ".txt") for pdf in PDFS])):
                subprocess.run([soffice, f"-env:UserInstallation={(self._folder / 'profile').as_uri()}", "--headless",
                                "--convert-to", target, "--outdir", str(self._folder),
                                *(str(sources[name]) for name in names)],
                               check=True, capture_output=True, timeout=300)
            self._converted = {path.name: path for path in self._folder.iterdir() if path.suffix in (".doc", ".pdf")}
        return self._converted


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("corpus"))


XFAIL: dict[tuple[str, str], str] = {}
"""(check, fixture) → what the importer (its fields, prose and figures readers) should do there and does not yet."""


def _cases(check: str, names: list[str]) -> list[Any]:
    marks = {name: [pytest.mark.pdf] if not name.endswith(".txt") else [] for name in names}
    for (which, name), reason in XFAIL.items():
        if which == check and name in marks:
            marks[name].append(pytest.mark.xfail(strict=True, reason=reason))
    return [pytest.param(name, marks=marks[name], id=name) for name in names]


# --- the checks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _cases("sentences", TEXTS + CONVERTED))
def test_every_sentence_is_somewhere_in_the_data(corpus: Corpus, name: str) -> None:
    read = corpus[name]
    _, _, nowhere = placed(read.text, read.document, read.data)
    assert nowhere == []


@pytest.mark.parametrize("name", _cases("filled", TEXTS + CONVERTED))
def test_no_figure_is_silently_wrong(corpus: Corpus, name: str) -> None:
    read = corpus[name]
    wrong = {path: value for path, value in figures_of(read.data).items()
             if read.stated.get(path) != value and not _flagged(path, value, read.data)}
    assert wrong == {}, {path: (value, read.stated.get(path)) for path, value in wrong.items()}


@pytest.mark.parametrize("name", _cases("stated", TEXTS + CONVERTED))
def test_every_stated_figure_is_read_or_quoted(corpus: Corpus, name: str) -> None:
    read = corpus[name]
    filled = figures_of(read.data)
    source = fold(normalise(read.text))
    lost = {path: value for path, value in read.stated.items()
            if filled.get(path) != value and not _quoted(value, read.data, source)}
    assert lost == {}, {path: (value, filled.get(path)) for path, value in lost.items()}


@pytest.mark.parametrize("name", _cases("year", TEXTS + CONVERTED))
def test_the_year_is_found_without_being_given(corpus: Corpus, name: str) -> None:
    read = corpus[name]
    assert read.data["year"] == read.stated["year"]


@pytest.mark.parametrize("name", _cases("paragraphs", sorted({*CONVERTED, *PDFS})))
def test_a_doc_and_a_pdf_read_as_the_text_they_were_made_from(corpus: Corpus, name: str) -> None:
    made = [para.text for para in corpus[name].document.paragraphs]
    assert made == [para.text for para in corpus[f"{Path(name).stem}.txt"].document.paragraphs]


def test_most_of_the_text_lands_in_recognised_fields(corpus: Corpus) -> None:
    shares = {name: _share(corpus[name]) for name in TEXTS}
    said = "；".join(f"{name} {share:.0%}（{corpus[name].seconds:.2f} 秒）" for name, share in shares.items())
    assert statistics.median(shares.values()) >= RECOGNISED_MEDIAN, said


def _share(read: Imported) -> float:
    """The share of the text's characters that stand in recognised fields."""
    inside, away, nowhere = placed(read.text, read.document, read.data)
    total = sum(map(len, inside + away + nowhere))
    return sum(map(len, inside)) / total if total else 1.0


def _flagged(path: str, value: Decimal, data: dict[str, Any]) -> bool:
    """Whether a review entry at ``path`` (or a field above it) gives ``value``."""
    return any((path == entry["path"] or path.startswith((f"{entry['path']}.", f"{entry['path']}[")))
               and value in numbers(entry["reason"]) for entry in data.get("review", []))


def _quoted(value: Decimal, data: dict[str, Any], source: str) -> bool:
    """Whether a review entry quotes (“…”) text of the source that states ``value``."""
    return any(value in numbers(quote) and fold(quote) in source
               for entry in data.get("review", []) for quote in _quotes(entry["reason"]))


def _quotes(text: str) -> list[str]:
    """The outermost “…” quotations of ``text`` (a quotation may hold quotation marks of its own)."""
    found: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "“":
            depth += 1
            if depth == 1:
                start = index + 1
        elif char == "”" and depth:
            depth -= 1
            if depth == 0:
                found.append(text[start:index])
    return found
