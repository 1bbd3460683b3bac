"""Mutation fuzzing of a .docx: whatever its bytes, ``selfeval import`` writes a data file or says why it
cannot — never an uncaught exception (which the CLI would print as an internal error).

The mutations act on the bytes of ``word/document.xml`` (flipped, inserted, deleted, truncated) and on
the archive (a part dropped, duplicated or emptied; bytes of the file, the central directory among
them, overwritten). A short run is part of the suite; the long one is on demand:

    .venv/bin/python -m pytest -m slow --no-cov tests/importing/test_fuzz_docx.py
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from selfeval_cli.commands.import_report import import_report
from selfeval_cli.problems import Severity


def _base() -> bytes:
    """A small report-like .docx using what the reader looks at: styles, Word numbering, a merged table."""
    document = docx.Document()
    document.add_paragraph("关于开展2024年度部门整体支出绩效自评工作的通知", style="Title")
    document.add_paragraph("一、部门基本情况", style="Heading 1")
    document.add_paragraph("某县教育局为正科级行政单位。")
    document.add_paragraph("样式编号的一项", style="List Number")
    numbered = document.add_paragraph("直接编号的一项")
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "1"), ("w:numId", "1")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        num_pr.append(child)
    numbered._p.get_or_add_pPr().append(num_pr)
    table = document.add_table(rows=3, cols=3)
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            cell.text = f"格{i}{j}"
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(1, 1).merge(table.cell(1, 2))
    document.add_paragraph("（一）预算执行情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BASE = _base()
with zipfile.ZipFile(io.BytesIO(BASE)) as _base_archive:
    PARTS = {info.filename: _base_archive.read(info) for info in _base_archive.infolist()}
NAMES = sorted(PARTS)

RAW = [b"<", b">", b"&", b"&amp;", b"&#0;", b"&#x110000;", b"]]>", b"<!--", b'"', b"\x00", b"\xff", b"\xe4\xb8",
       b"<w:p>", b"</w:p>", b'<!DOCTYPE a [<!ENTITY e "x">]>', b"&e;", b'<?xml version="1.0"?>', b"<w:body>",
       b"</w:body>", b'xmlns:w="urn:x"', b"\r\n"]
"""Bytes that mostly break the XML: inserted anywhere."""
FRAGMENTS = [b"<w:p/>", b"<w:r><w:t>x</w:t></w:r>", b"<w:br/>", b'<w:br w:type="bogus"/>', b"<w:tab/>",
             b"<w:p><w:r><w:t>\xe4\xb8\x80\xe3\x80\x81\xe6\xa6\x82\xe5\x86\xb5</w:t></w:r></w:p>",  # 一、概况
             b'<w:pStyle w:val="Heading1"/>', b'<w:pStyle w:val="a&quot;]"/>', b'<w:pStyle w:val="TableGrid"/>',
             b"<w:pStyle/>", b'<w:numPr><w:ilvl w:val="99999"/><w:numId w:val="1"/></w:numPr>',
             b'<w:numPr><w:ilvl w:val="-1"/><w:numId w:val="1"/></w:numPr>', b"<w:numPr><w:numId/></w:numPr>",
             b'<w:ilvl w:val="x"/>', b'<w:numId w:val="0"/>', b"<w:vMerge/>", b'<w:vMerge w:val="restart"/>',
             b'<w:gridSpan w:val="1000000"/>', b'<w:gridSpan w:val="-3"/>', b'<w:gridSpan w:val="x"/>',
             b'<w:gridBefore w:val="7"/>',
             b"<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>",
             b"<w:tcPr><w:vMerge/></w:tcPr>", b"<w:pPr/>", b"<w:body/>", b"<w:tr/>", b"<w:tc/>", b"<w:tbl/>",
             b'<w:hyperlink r:id="rId99"><w:r><w:t>x</w:t></w:r></w:hyperlink>', b"<x:y xmlns:x='urn:x'/>"]
"""Well-formed elements, some in the wrong place or with odd values: inserted between two tags."""


def _mutate_xml(xml: bytes, op: tuple[Any, ...]) -> bytes:
    """One byte-level change of ``xml``: flip, insert a token (anywhere, or between two tags, where it
    more often leaves the XML well-formed and so reaches the reader), delete a range, truncate."""
    kind, where, length = op[:3]
    token: bytes = op[4] if kind == "between tags" else op[3]
    at = where % (len(xml) + 1)
    if kind == "flip" and xml:
        at %= len(xml)
        return xml[:at] + bytes([xml[at] ^ (length % 255 + 1)]) + xml[at + 1:]
    if kind == "between tags":
        at = xml.find(b">", at) + 1 or len(xml)
    if kind in ("insert", "between tags"):
        return xml[:at] + token + xml[at:]
    if kind == "delete":
        return xml[:at] + xml[at + length % 64:]
    return xml[:at]  # truncate


xml_ops = st.tuples(st.sampled_from(["flip", "insert", "between tags", "between tags", "between tags", "delete",
                                     "truncate"]), st.integers(0, 1_000_000),
                    st.integers(0, 10_000), st.sampled_from(RAW), st.sampled_from(FRAGMENTS))
zip_ops = st.tuples(st.sampled_from(["drop", "duplicate", "empty"]), st.sampled_from(NAMES))
byte_ops = st.tuples(st.integers(0, 1_000_000), st.binary(min_size=1, max_size=8), st.booleans())


def _archive(parts: dict[str, bytes], duplicated: list[str]) -> bytes:
    """The parts as a ZIP archive, with ``duplicated`` parts written twice."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with warnings.catch_warnings():  # zipfile warns of the duplicate name made on purpose
            warnings.simplefilter("ignore", UserWarning)
            for name in duplicated:
                if name in parts:
                    archive.writestr(zipfile.ZipInfo(name), parts[name])
    return buffer.getvalue()


def _overwrite(raw: bytes, op: tuple[int, bytes, bool]) -> bytes:
    """``raw`` with some bytes replaced: anywhere, or (``tail``) within the central directory at its end."""
    where, data, tail = op
    start = raw.rfind(b"PK\x01\x02", 0, len(raw) - 22) if tail else 0  # the last central directory entry
    at = start + where % max(len(raw) - start, 1)
    return raw[:at] + data + raw[at + len(data):]


def check_import(tmp_path: Path, xml: list[tuple[Any, ...]], structure: list[tuple[str, str]],
                 overwrites: list[tuple[int, bytes, bool]]) -> None:
    """Build the mutated file and import it: a data file, or located problems — nothing raised."""
    parts = dict(PARTS)
    document = parts["word/document.xml"]
    for op in xml:
        document = _mutate_xml(document, op)
    parts["word/document.xml"] = document
    duplicated = []
    for kind, name in structure:
        if kind == "drop":
            parts.pop(name, None)
        elif kind == "duplicate":
            duplicated.append(name)
        elif name in parts:
            parts[name] = b""
    raw = _archive(parts, duplicated)
    for op in overwrites:
        raw = _overwrite(raw, op)
    source = tmp_path / "fuzzed.docx"
    source.write_bytes(raw)
    result = import_report(source, tmp_path / "fuzzed.yaml", year=2024, force=True)
    event("imported" if result.output is not None else result.problems[-1].message.partition("文件：")[2][:12])
    if result.output is None:
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        assert errors, result.problems
        assert all(p.code == "file_unreadable" and p.message.startswith("不是可以读取的 Word（.docx）文件：")
                   for p in errors), errors


mutations = {"xml": st.lists(xml_ops, max_size=4), "structure": st.lists(zip_ops, max_size=1),
             "overwrites": st.lists(byte_ops, max_size=1)}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**mutations)
def test_mutated_docx_never_crashes(tmp_path: Path, xml: list[tuple[Any, ...]], structure: list[tuple[str, str]],
                                    overwrites: list[tuple[int, bytes, bool]]) -> None:
    check_import(tmp_path, xml, structure, overwrites)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**mutations)
def test_mutated_docx_never_crashes_long(tmp_path: Path, xml: list[tuple[Any, ...]],
                                         structure: list[tuple[str, str]],
                                         overwrites: list[tuple[int, bytes, bool]]) -> None:
    check_import(tmp_path, xml, structure, overwrites)
