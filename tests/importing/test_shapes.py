"""selfeval import of the files departments have: text in every shape it is copied in, PDF, .doc.

Each text fixture is a made-up county department's report (our own words) in a shape real reports
arrive in: pasted from a PDF viewer as one line, hard-wrapped with ASCII punctuation, a table of
contents before the title, a title "2019年…" without 度, a year given only by the 落款 date. Each
must import without ``--year``, with the right year, no chapters made of the contents, and every
sentence of it somewhere in the data file. The PDF and the .doc are made here from a built report
with LibreOffice (skipped without it) and read back against the .docx they came from.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import yaml

from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.errors import InputFileError
from selfeval_cli.importing import convert
from selfeval_cli.importing.outline import build_tree
from selfeval_cli.importing.reader import read_document
from selfeval_cli.importing.text import normalise
from selfeval_cli.word.pdf import find_soffice

from ..conftest import FIXTURES, OTHER
from .sentences import PAGE_NUMBER, nodes, pieces, squash, strings, without_titles

SHAPES_DIR = FIXTURES / "import"


@dataclass(frozen=True)
class Shape:
    """A fixture and what its import must give."""

    name: str
    year: int
    paragraphs: int
    """Paragraphs the reader gives (the contents left out)."""
    contents: int = 0
    """Lines of the table of contents it skips."""
    year_from: str | None = None
    """What the review entry on the year names; None when the fields read the year themselves."""


SHAPES = [
    Shape("pasted_one_line.txt", 2023, 25),
    Shape("hard_wrapped_ascii.txt", 2022, 21),
    Shape("contents_before_title.txt", 2021, 23, contents=8, year_from="报告标题"),
    Shape("titled_2019_without_du.txt", 2019, 19, year_from="报告标题"),
    Shape("dated_only.txt", 2020, 16, year_from="落款日期"),
    Shape("eight_part_outline.txt", 2024, 24),
]

@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name.removesuffix(".txt") for shape in SHAPES])
def test_each_shape_imports_without_year_and_keeps_every_sentence(shape: Shape, tmp_path: Path) -> None:
    source = SHAPES_DIR / shape.name
    document = read_document(source)
    assert (len(document.paragraphs), len(document.contents)) == (shape.paragraphs, shape.contents)
    result = import_report(source, tmp_path / "out.yaml")
    assert result.output is not None, result.problems
    data = yaml.safe_load(result.output.read_text(encoding="utf-8"))  # figures are 待填: plain YAML
    assert data["year"] == shape.year
    on_year = [entry["reason"] for entry in data["review"] if entry["path"] == "year"]
    if shape.year_from is None:
        assert on_year == []
    else:
        assert len(on_year) == 1 and shape.year_from in on_year[0]
    titles = [section["title"] for section in data.get("more_sections", [])]
    assert len(titles) == len(set(titles)) <= 8  # the contents made no second set of chapters
    if shape.contents:
        assert any(f"已跳过目录 {shape.contents} 行" in entry["reason"] for entry in data["review"])
    lines = source.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if squash(line) == "目录"), 0)
    body = "\n".join(lines[:start] + lines[start + shape.contents:])
    # A sentence is kept in a field, in more_sections or unplaced, or quoted on the review list where
    # the importer read figures from it or mapped a chapter title onto the outline's field.
    quoted = [entry["reason"] for entry in data["review"] if entry["path"] in ("outline", "department.staffing")]
    kept = squash("".join(strings(data) + quoted))
    # Sub-headings the importer read as structure (部门职责, 机构与人员…) are titles, not sentences.
    root, _ = build_tree(document.paragraphs)
    titles = sorted({squash(node.title) for chapter in root.children for node in (chapter, *nodes(chapter))}, key=len,
                    reverse=True)
    for piece in pieces(normalise(PAGE_NUMBER.sub(" ", body))):
        piece = without_titles(piece, titles, kept)
        assert not piece or piece in kept, piece


# --- PDF and .doc, made from a built report -------------------------------------------------------

HEADER = "青山县文化旅游广电体育局部门整体支出绩效自评报告（页眉）"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The other department's report as .docx (with a running header), and LibreOffice's .pdf and .doc of it."""
    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice（soffice）未安装：无法生成用来测试导入的 PDF 和 .doc")
    folder = tmp_path_factory.mktemp("shapes")
    built = folder / "built.docx"
    assert build_report(OTHER, built).output == built
    document = docx.Document(str(built))
    for section in document.sections:  # odd, even and first pages alike
        for header in (section.header, section.even_page_header, section.first_page_header):
            header.is_linked_to_previous = False
            header.paragraphs[0].text = HEADER
    source = folder / "report.docx"
    document.save(str(source))
    for target in ("pdf", "doc"):
        subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180)
    return {suffix: folder / f"report.{suffix}" for suffix in ("docx", "pdf", "doc")}


def _texts(path: Path) -> list[str]:
    return [squash(para.text) for para in read_document(path).paragraphs]


@pytest.mark.pdf
def test_a_pdf_reads_back_as_the_paragraphs_of_its_word_file(converted: dict[str, Path], tmp_path: Path) -> None:
    from_pdf, from_word = _texts(converted["pdf"]), _texts(converted["docx"])
    assert len(from_pdf) == len(from_word)
    same = sum(a == b for a, b in zip(from_pdf, from_word, strict=True))
    assert same >= 0.95 * len(from_word), [(a, b) for a, b in zip(from_pdf, from_word, strict=True) if a != b]
    assert not any(squash(HEADER) in text or re.fullmatch(r"[—-]\d+[—-]", text) for text in from_pdf)
    result = import_report(converted["pdf"], tmp_path / "from_pdf.yaml")
    assert result.output is not None and yaml.safe_load(result.output.read_text(encoding="utf-8"))["year"] == 2025


@pytest.mark.pdf
def test_a_doc_is_converted_and_read_like_its_word_file(converted: dict[str, Path], tmp_path: Path) -> None:
    assert _texts(converted["doc"]) == _texts(converted["docx"])
    result = import_report(converted["doc"], tmp_path / "from_doc.yaml")
    assert result.output is not None and yaml.safe_load(result.output.read_text(encoding="utf-8"))["year"] == 2025


def test_a_doc_without_libreoffice_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    source = tmp_path / "报告.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(InputFileError, match=r"需要 LibreOffice 才能读取 \.doc：请安装，或在 Word（WPS）中另存为"):
        read_document(source)
    stranger = tmp_path / "改名.wps"
    stranger.write_bytes(b"\x7fELF not a document")
    with pytest.raises(InputFileError, match=r"不是可以读取的 \.wps 文件"):
        read_document(stranger)


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A small PDF of ``objects`` (object 1 the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
_ENCRYPT = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32)


@pytest.mark.parametrize(("content", "reason"), [
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R\n", "已损坏或不符合 PDF 的格式"),
    (b"not a pdf at all", "已损坏或不符合 PDF 的格式"),
    (_pdf([_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _ENCRYPT],
          b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (b"33" * 16, b"33" * 16)), "设了打开密码"),
    (_pdf([_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 100000 >>", _PAGE]), "共 100000 页，超过上限 300 页"),
    (_pdf([_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE]), "其中没有可以读取的文字（可能是扫描"),
], ids=["truncated", "not-pdf", "password", "pages", "scanned"])
def test_a_pdf_that_cannot_be_read_is_refused_with_the_reason(content: bytes, reason: str, tmp_path: Path) -> None:
    source = tmp_path / "报告.pdf"
    source.write_bytes(content)
    result = import_report(source, tmp_path / "out.yaml", year=2024)
    assert result.output is None
    assert len(result.problems) == 1 and result.problems[0].message.startswith(f"不是可以读取的 PDF 文件：{reason}")


def test_a_word_file_typed_with_half_width_punctuation_reads_like_a_text_file(tmp_path: Path) -> None:
    """Word keeps what the person typed: "无出国(境)费用" names the 因公出国（境）费 as the text file's does."""
    lines = ["“三公”经费预算4.00万元，实际支出3.12万元，其中公务接待费0.82万元；无出国(境)费用。",
             "全年支出合计1,234.56万元,较上年增加12.30万元;执行率98.00%。"]
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(tmp_path / "typed.docx"))
    (tmp_path / "typed.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = [para.text for para in read_document(tmp_path / "typed.docx").paragraphs]
    assert read == [para.text for para in read_document(tmp_path / "typed.txt").paragraphs]
    assert read == [normalise(line) for line in lines] and "（境）" in read[0] and "1,234.56万元，" in read[1]
