"""selfeval import of hostile and broken Office files: each is refused cleanly, quickly and in bounded memory.

Every hostile file is made here from the example report's .docx, its archive rewritten with
``zipfile``; the large ones are written in chunks, so the test never holds them in memory. The import
runs in a child process whose address space is capped (``RLIMIT_AS``), with a timeout: the file must
be refused with a reason, exit code 1, and never reach selfeval's "internal error".
"""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from selfeval_cli.cli import cli
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.errors import InputFileError
from selfeval_cli.importing import office
from selfeval_cli.importing.office import WORD, check_office_zip
from selfeval_cli.importing.reader import Para, read_document
from selfeval_cli.model.loader import MAX_BYTES

from ..conftest import PUBLISHED

MEMORY_CEILING = 1024**3
"""The child's address space: a refused file must not come near it (the zip bomb alone is 1 GiB)."""
TIMEOUT = 60
"""Seconds before the child is killed: a hang (or a bomb being expanded) fails the test instead of
stalling the suite. Not a speed test — a refusal takes well under a second alone, but the child runs
under coverage beside the other test workers; speed is measured in ``make bench-scaling``."""
MIB = 1024 * 1024

Entries = dict[str, bytes]


def _limit_memory() -> None:
    """In the child, before it starts: cap its address space."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def run_import(source: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``selfeval import source`` in a child process with capped memory and a time limit."""
    done = subprocess.run([sys.executable, "-m", "selfeval_cli", "import", str(source), "-o",
                           str(tmp_path / "out.yaml"), "--year", "2024"],
                          capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=_limit_memory, check=False)
    return done


UNREADABLE = "不是可以读取的 Word（.docx）文件："
TOO_LONG = "原文太长，一个数据文件容纳不下："


def assert_refused(source: Path, tmp_path: Path, reason: str, kind: str = UNREADABLE) -> None:
    """The import of ``source`` fails cleanly, says why (``kind`` and ``reason``), and writes nothing."""
    done = run_import(source, tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"{kind}{reason}" in done.stderr or (kind in done.stderr and reason in done.stderr), done.stderr
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "out.yaml").exists()


def rewrite(source: Path, target: Path, edit: Callable[[Entries], Entries],
            extra: Callable[[zipfile.ZipFile], None] | None = None, level: int = 1) -> Path:
    """A copy of the archive ``source`` with its parts changed by ``edit`` and ``extra`` parts streamed in,
    deflated at ``level`` (fast by default; 9 for the ratio a real zip bomb has)."""
    with zipfile.ZipFile(source) as original:
        entries = {info.filename: original.read(info) for info in original.infolist()}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in edit(entries).items():
            archive.writestr(name, data)
        if extra is not None:
            extra(archive)
    return target


def streamed(name: str, head: bytes, fill: bytes, size: int, tail: bytes = b"") -> Callable[[zipfile.ZipFile], None]:
    """Writes part ``name``: ``head``, then ``fill`` repeated to ``size`` bytes, then ``tail``, a chunk at a time."""

    def write(archive: zipfile.ZipFile) -> None:
        with archive.open(name, "w", force_zip64=True) as part:
            part.write(head)
            chunk = fill * (MIB // len(fill))
            for _ in range(size // len(chunk)):
                part.write(chunk)
            part.write(tail)

    return write


def _same(entries: Entries) -> Entries:
    return entries


def _document_xml(entries: Entries, xml: bytes) -> Entries:
    return {**entries, "word/document.xml": xml}


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>\n<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


def test_a_working_import_fits_under_the_same_ceiling(example_docx: Path, tmp_path: Path) -> None:
    """The control: the ceiling and the timeout leave room for a real report."""
    done = run_import(example_docx, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.yaml").is_file()


def _with_image(entries: Entries) -> Entries:
    """The document related to a picture ``word/media/bomb.png``, so that python-docx would load it."""
    image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    relationship = f'<Relationship Id="rIdBomb" Type="{image}" Target="media/bomb.png"/></Relationships>'
    rels = entries["word/_rels/document.xml.rels"].replace(b"</Relationships>", relationship.encode())
    return {**entries, "word/_rels/document.xml.rels": rels}


def test_zip_bomb(example_docx: Path, tmp_path: Path) -> None:
    """A picture of 200 MiB of zeros in 200 KiB: refused from the archive's directory, nothing decompressed."""
    zeros = streamed("word/media/bomb.png", b"", b"\0", 200 * MIB)
    bomb = rewrite(example_docx, tmp_path / "bomb.docx", _with_image, zeros, level=9)
    assert bomb.stat().st_size < 2 * MIB
    assert_refused(bomb, tmp_path, "部件“word/media/bomb.png”解压后有 200 MiB，超过单个部件的上限 50 MiB")


def test_one_enormous_text_node(example_docx: Path, tmp_path: Path) -> None:
    """A document part of one 1 GiB text node in 5 MiB."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS + b"><w:body><w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    huge = rewrite(example_docx, tmp_path / "huge.docx", lambda e: {k: v for k, v in e.items()
                                                                     if k != "word/document.xml"},
                   streamed("word/document.xml", head, "报告".encode(), 1024 * MIB, tail))
    assert_refused(huge, tmp_path, "“word/document.xml”解压后有 1024 MiB")


def test_a_text_node_past_the_xml_parsers_limit(example_docx: Path, tmp_path: Path) -> None:
    """Under the archive's caps (12 MiB of varied text compresses too poorly to look like a bomb), the
    XML parser's own limit on a text node (10 MB without lxml's huge_tree) refuses it."""
    import random

    letters = bytes(random.Random(21).choices(b"abcdefghijklmnopqrstuvwxyz ", k=MIB))
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS + b"><w:body><w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    long = rewrite(example_docx, tmp_path / "long.docx", lambda e: {k: v for k, v in e.items()
                                                                     if k != "word/document.xml"},
                   streamed("word/document.xml", head, letters, 12 * MIB, tail))
    assert_refused(long, tmp_path, "XML 不完整或有误")


def _dense_document(name: str, size: int) -> Callable[[zipfile.ZipFile], None]:
    """A document part of ``size`` bytes of the densest markup a tree can be built from: paragraphs of
    one character, varied so that it compresses like text (no bomb's ratio)."""
    import random

    rng = random.Random(21)
    characters = [character.encode() for character in "报告资金项目管理制度abcdefghij"]
    paragraphs = b"".join(b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % rng.choice(characters) for _ in range(MIB // 40))
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS + b"><w:body>"
    return streamed(name, head, paragraphs, size, b"</w:body></w:document>")


def _without_document(entries: Entries) -> Entries:
    return {k: v for k, v in entries.items() if k != "word/document.xml"}


def test_xml_too_large_to_parse(example_docx: Path, tmp_path: Path) -> None:
    """21 MiB of one-character paragraphs in 1 MiB: the tree lxml would build takes 16 times that."""
    dense = rewrite(example_docx, tmp_path / "dense.docx", _without_document,
                    _dense_document("word/document.xml", 21 * MIB))
    assert_refused(dense, tmp_path, f"其中的 XML 部件解压后超过 {office.MAX_XML_BYTES // MIB} MiB")


def test_cells_spanning_every_column(example_docx: Path, tmp_path: Path) -> None:
    """A table of empty cells, each spanning Word's 63 columns: every column of every cell counts
    against the data file's limit, and reading stops there."""
    row = b"<w:tr>" + b'<w:tc><w:tcPr><w:gridSpan w:val="99"/></w:tcPr><w:p/></w:tc>' * 100 + b"</w:tr>"
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS + b"><w:body><w:tbl>"
    wide = rewrite(example_docx, tmp_path / "wide.docx", _without_document,
                   streamed("word/document.xml", head, row, 8 * MIB, b"</w:tbl></w:body></w:document>"), level=9)
    assert_refused(wide, tmp_path, "其中的文字超过数据文件的上限", kind=TOO_LONG)


def test_too_well_compressed(example_docx: Path, tmp_path: Path) -> None:
    """20 MiB of zeros: under the size caps, but a thousand to one is a bomb's ratio, not a document's."""
    zeros = streamed("word/media/bomb.png", b"", b"\0", 20 * MIB)
    dense = rewrite(example_docx, tmp_path / "dense.docx", _with_image, zeros, level=9)
    assert_refused(dense, tmp_path, "疑似“压缩炸弹”")


def test_too_many_entries(example_docx: Path, tmp_path: Path) -> None:
    many = rewrite(example_docx, tmp_path / "many.docx",
                   lambda e: {**e, **{f"word/media/x{i}.png": b"" for i in range(office.MAX_ENTRIES)}})
    assert_refused(many, tmp_path, f"超过上限 {office.MAX_ENTRIES} 个")


def test_a_directory_of_a_million_entries(tmp_path: Path) -> None:
    """One part, and a directory naming it a million times (45 MiB): refused before zipfile loads
    the directory, which would take half a GiB and seconds before the entries could be counted."""
    one = tmp_path / "one.zip"
    with zipfile.ZipFile(one, "w") as archive:
        archive.writestr("word/document.xml", b"")
    raw = one.read_bytes()
    start, end = raw.index(b"PK\x01\x02"), raw.index(b"PK\x05\x06")
    entries = 1_000_000
    record = bytearray(raw[end:])
    struct.pack_into("<HHI", record, 8, 0xFFFF, 0xFFFF, (end - start) * entries)  # counts, directory size
    copies = tmp_path / "copies.docx"
    with copies.open("wb") as out:
        out.write(raw[:end])
        for _ in range(entries // 1000 - 1):
            out.write(raw[start:end] * 1000)
        out.write(raw[start:end] * 999 + record)
    assert_refused(copies, tmp_path, "压缩包的目录有 ")


def test_billion_laughs(example_docx: Path, tmp_path: Path) -> None:
    laughs = rewrite(example_docx, tmp_path / "laughs.docx", lambda e: _document_xml(e, LAUGHS))
    assert_refused(laughs, tmp_path, "声明了 DTD")


def test_a_dtd_in_any_part(example_docx: Path, tmp_path: Path) -> None:
    """python-docx parses the styles, the relationships…: a DTD is refused wherever it stands."""

    def with_dtd(entries: Entries) -> Entries:
        styles = entries["word/styles.xml"]
        declaration_end = styles.index(b"?>") + 2
        return {**entries, "word/styles.xml": styles[:declaration_end] + b'<!DOCTYPE x [<!ENTITY e "e">]>'
                + styles[declaration_end:]}

    assert_refused(rewrite(example_docx, tmp_path / "dtd.docx", with_dtd), tmp_path, "“word/styles.xml”声明了 DTD")


def test_truncated_document_part(example_docx: Path, tmp_path: Path) -> None:
    truncated = rewrite(example_docx, tmp_path / "truncated.docx",
                        lambda e: _document_xml(e, e["word/document.xml"][: len(e["word/document.xml"]) // 2]))
    assert_refused(truncated, tmp_path, "XML 不完整或有误")


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "假的.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))  # an old .doc (OLE) renamed
    assert_refused(fake, tmp_path, "不是 ZIP 格式")


def test_a_zip_without_the_document_part(example_docx: Path, tmp_path: Path) -> None:
    hollow = rewrite(example_docx, tmp_path / "hollow.docx",
                     lambda e: {k: v for k, v in e.items() if k != "word/document.xml"})
    assert_refused(hollow, tmp_path, "缺少正文部件 word/document.xml")


def test_a_compression_word_never_uses(example_docx: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.docx"
    rewrite(example_docx, odd, _same, lambda archive: archive.writestr("word/x.bin", b"x", zipfile.ZIP_BZIP2))
    assert_refused(odd, tmp_path, "压缩方式（12）不受支持")


def test_damaged_data(example_docx: Path, tmp_path: Path) -> None:
    """A byte of the document part's compressed data changed: zipfile's checksum (or zlib) notices."""
    damaged = tmp_path / "damaged.docx"
    raw = bytearray(example_docx.read_bytes())
    with zipfile.ZipFile(example_docx) as archive:
        info = archive.getinfo("word/document.xml")
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[data_start + info.compress_size // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    assert_refused(damaged, tmp_path, "“word/document.xml”已损坏")


def test_a_deep_chain_of_relationships(example_docx: Path, tmp_path: Path) -> None:
    """python-docx follows relationships recursively: a chain of 990 parts exhausts Python's stack."""
    custom = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"

    def chain(entries: Entries) -> Entries:
        first = f'<Relationship Id="rIdChain" Type="{custom}" Target="c0.xml"/></Relationships>'
        rels = entries["word/_rels/document.xml.rels"].replace(b"</Relationships>", first.encode())
        entries = {**entries, "word/_rels/document.xml.rels": rels}
        for i in range(990):
            entries[f"word/c{i}.xml"] = b"<a/>"
            entries[f"word/_rels/c{i}.xml.rels"] = (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="r1" Type="{custom}" Target="c{i + 1}.xml"/></Relationships>').encode()
        return {**entries, "word/c990.xml": b"<a/>"}

    assert_refused(rewrite(example_docx, tmp_path / "chain.docx", chain), tmp_path, "引用层次过深")


def test_caps_on_the_whole_archive(example_docx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The total is checked apart from each part (here with a cap the example exceeds)."""
    monkeypatch.setattr(office, "MAX_TOTAL_BYTES", 1024)
    with pytest.raises(InputFileError, match=r"解压后共 .* MiB，超过上限"):
        check_office_zip(example_docx, WORD)


# --- text sources: the encoding warning, and the size a data file may have ------------------------


def test_a_gbk_text_is_imported_with_a_warning(tmp_path: Path, runner: CliRunner) -> None:
    source = tmp_path / "2024.txt"
    source.write_bytes(PUBLISHED.read_text(encoding="utf-8").encode("gbk"))
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "2024.yaml")])
    assert result.exit_code == 0, result.output
    assert f"{source}:1:1: warning: 文件不是 UTF-8 编码，已按 GB18030（GBK）读取" in result.output


def test_a_source_too_long_for_one_data_file(tmp_path: Path, runner: CliRunner) -> None:
    """Under the loader's limit as a text file, over it as the data file it becomes: no file is written."""
    line = "推进资金管理项目制度落实第{}项。"
    count = int(MAX_BYTES * 0.93) // len(line.format(100_000).encode("utf-8"))
    source = tmp_path / "长.txt"
    source.write_text("\n".join(line.format(i) for i in range(count)), encoding="utf-8")
    assert source.stat().st_size < MAX_BYTES
    out = tmp_path / "长.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--year", "2024"])
    assert result.exit_code == 1 and not out.exists()
    assert f"{source}: error: 原文太长，一个数据文件容纳不下：导入得到的数据有" in result.output


def test_a_docx_whose_text_alone_is_too_long(tmp_path: Path) -> None:
    """Refused while the text is read, before the (slower) outline and YAML."""
    import random

    source = tmp_path / "long.docx"
    document = docx.Document()
    words = random.Random(21)
    for _ in range(MAX_BYTES // 900 + 1):  # paragraphs of 300 characters, 900 bytes
        document.add_paragraph("".join(words.choices("某县教育局推进资金管理项目制度落实全面加强服务", k=300)))
    document.save(str(source))
    result = import_report(source, tmp_path / "long.yaml", year=2024)
    assert result.output is None and not (tmp_path / "long.yaml").exists()
    assert "原文太长，一个数据文件容纳不下：其中的文字超过数据文件的上限 5 MiB" in result.problems[0].message


# --- Word's numbering, through a style or directly: read exactly as before ------------------------


def _num_pr(level: str | None, num_id: str = "1") -> Any:
    """``w:numPr`` for list ``num_id`` at ``level`` (no ``w:ilvl`` when None)."""
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num_id)):
        if value is not None:
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            num_pr.append(child)
    return num_pr


NumberedBuild = Callable[[docx.document.Document], None]


def _direct(level: str | None, num_id: str = "1") -> NumberedBuild:
    def build(document: docx.document.Document) -> None:
        document.add_paragraph("直接编号").paragraph_format.element.get_or_add_pPr().append(_num_pr(level, num_id))

    return build


def _styled(style: str) -> NumberedBuild:
    def build(document: docx.document.Document) -> None:
        document.add_paragraph("样式编号", style=style)

    return build


def _own_style(level: str, direct: str | None = None) -> NumberedBuild:
    """A paragraph style of the document's own that Word numbers at ``level`` (overridden by ``direct``)."""

    def build(document: docx.document.Document) -> None:
        style = document.styles.add_style("本单位编号", WD_STYLE_TYPE.PARAGRAPH)
        style.element.get_or_add_pPr().append(_num_pr(level))
        paragraph = document.add_paragraph("自定样式", style=style)
        if direct is not None:
            paragraph._p.get_or_add_pPr().append(_num_pr(direct))

    return build


def _style_id(style_id: str) -> NumberedBuild:
    """A paragraph whose ``w:pStyle`` names ``style_id`` directly (missing, or of another type)."""

    def build(document: docx.document.Document) -> None:
        document.add_paragraph("引用样式")._p.get_or_add_pPr().style = style_id

    return build


def _typed(document: docx.document.Document) -> None:
    document.add_paragraph("（一）　手写的编号")
    document.add_paragraph("   ")  # empty once tidied: left out


NUMBERING = [
    ("direct level 0", _direct("0"), [Para("直接编号", 0, "Normal")]),
    ("direct level 2", _direct("2"), [Para("直接编号", 2, "Normal")]),
    ("direct without a level", _direct(None), [Para("直接编号", 0, "Normal")]),
    ("numId 0 switches it off", _direct("1", "0"), [Para("直接编号", None, "Normal")]),
    ("List Number style", _styled("List Number"), [Para("样式编号", 0, "List Number")]),
    ("List Number 2 style", _styled("List Number 2"), [Para("样式编号", 0, "List Number 2")]),
    ("heading style, not numbered", _styled("Heading 1"), [Para("样式编号", None, "Heading 1")]),
    ("own numbered style", _own_style("1"), [Para("自定样式", 1, "本单位编号")]),
    ("direct numbering wins over the style's", _own_style("1", "3"), [Para("自定样式", 3, "本单位编号")]),
    ("missing style: the default", _style_id("NoSuchStyle"), [Para("引用样式", None, "Normal")]),
    ("a character style's id: the default", _style_id("DefaultParagraphFont"), [Para("引用样式", None, "Normal")]),
    ("typed numbers stay text", _typed, [Para("（一） 手写的编号", None, "Normal")]),
]


def _as_python_docx_reads(path: Path) -> list[Para]:
    """The paragraphs as read before, through python-docx's ``Paragraph.style`` (the oracle)."""
    from selfeval_cli.importing.reader import _list_level, tidy

    paragraphs = []
    for paragraph in docx.Document(str(path)).paragraphs:
        text = tidy(paragraph.text)
        if not text:
            continue
        style = paragraph.style
        level = _list_level(paragraph._p.pPr)
        if level is None and style is not None:
            level = _list_level(style.element.pPr)
        paragraphs.append(Para(text, level, style.name if style is not None and style.name else ""))
    return paragraphs


@pytest.mark.parametrize(("build", "expected"), [case[1:] for case in NUMBERING], ids=[case[0] for case in NUMBERING])
def test_word_numbering_is_read_as_before(build: NumberedBuild, expected: list[Para], tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文在前")
    build(document)
    source = tmp_path / "numbered.docx"
    document.save(str(source))
    read = read_document(source).paragraphs
    assert read == [Para("正文在前", None, "Normal"), *expected]
    assert read == _as_python_docx_reads(source)
