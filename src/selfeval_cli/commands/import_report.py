"""``selfeval import``: last year's published report (.docx, .doc/.wps, .pdf or text) becomes a data file.

The report is read (``importing.reader``), its numbering turned into a heading tree
(``importing.outline``) and the tree mapped onto the data's fields (``importing.fields``). The data
file is written with comments at the top, ``待填`` where the report says nothing, and a ``review``
list naming every place the importer interpreted — which ``validate`` repeats, with line numbers,
until each is dealt with. The year comes from the report when it says it (``importing.text.find_year``
when the fields did not find it), else from ``--year``; a skipped table of contents is named in the
review list too, since it is the one text of the report the data file leaves out.

A 自评表 (附件1) becomes ``assessment`` (``importing.tables``): from the report file's own tables, or
from a table file given beside it or alone (a workbook, ``importing.spreadsheet``, or a Word or PDF
file). The tables it was read from, and the captions and notes printed around it, are left out of
the report's text; every other table is kept as text in ``sections.unplaced``, as before.

The data file must be one that ``validate`` accepts, so a source too long for the loader's size
limit is refused — by the reader, as soon as the text read exceeds it, and here when the YAML to
write does: no file is written. Warnings about the source (a text file read as GB18030) come first
among the problems.

With ``outline_dir`` (``--outline-dir``), an outline folder reproducing the report's own chapters
is written too (``importing.outline_dir``) and the data shaped to it: the folder is checked before
anything is read, and written before the data file, each undone if the other fails.
"""

from __future__ import annotations

import copy
import io
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.commands.init import schema_reference
from selfeval_cli.errors import FileError, InputFileError, OutputError, SelfevalError
from selfeval_cli.importing.fields import read_fields
from selfeval_cli.importing.outline import build_tree
from selfeval_cli.importing.outline_dir import make_outline, outline_spec, write_outline
from selfeval_cli.importing.reader import SourceDocument, read_document, too_long
from selfeval_cli.importing.spreadsheet import SPREADSHEETS, read_workbook
from selfeval_cli.importing.tables import (
    Grid,
    Measure,
    TableReading,
    document_grids,
    read_assessment,
    table_paragraphs,
)
from selfeval_cli.importing.text import find_year
from selfeval_cli.model.loader import DATA_SUFFIXES, MAX_BYTES
from selfeval_cli.model.report import Report
from selfeval_cli.outputs import check_output_path, write_atomically
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.render.form_folders import shipped_form_names
from selfeval_cli.render.forms import render_form
from selfeval_cli.render.outline_folders import find_outline
from selfeval_cli.vocabulary import CENT, INTERNAL_UNIT, TO_FILL, YUAN
from selfeval_cli.word.writer import build_document

REQUIRED_SKELETON: dict[str, Any] = {
    "attachment": {"title": TO_FILL},
    "scope": TO_FILL, "verdict": TO_FILL,
    "department": {"name": TO_FILL, "rank": TO_FILL, "kind": TO_FILL, "duties": [TO_FILL],
                   "units": [{"kind": INTERNAL_UNIT, "name": TO_FILL}],
                   "staffing": {"authorized": TO_FILL, "actual": TO_FILL}},
    "budget": {"amount": TO_FILL, "basic": {"amount": TO_FILL}, "project": {"amount": TO_FILL}},
}
"""What the model needs of every data file; where the report did not say it, ``待填`` stands (validate lists
each). What only an outline needs (a unit's duties, in hunan's) is filled by ``_fill_outline``."""

CONTENTS_SHOWN = 12
"""How many lines of a skipped table of contents the review entry quotes."""


@dataclass
class ImportResult:
    """What import did: the file written (None when it could not) and its problems, located in it."""

    source: Path
    output: Path | None
    problems: list[Problem]
    review: int = 0
    outline_dir: Path | None = None
    """The outline folder written beside the data file (``--outline-dir``), if one was."""


def import_report(source: Path, output: Path, *, table: Path | None = None, year: int | None = None,
                  force: bool = False, outline_dir: Path | None = None) -> ImportResult:
    """Read the report at ``source`` (and the 自评表 in ``table``, or in ``source`` itself when it is
    a workbook or holds one) and write its data file to ``output``; with ``outline_dir``, also an
    outline folder there reproducing the report's chapters, which the data file names
    (``importing.outline_dir``: it must lie inside the data file's folder)."""
    inputs = [source, *([table] if table else [])]
    try:
        check_output_path(output, inputs, DATA_SUFFIXES, "（导入得到的是数据文件）")
        if output.exists() and not force:
            raise OutputError(str(output), "文件已存在；确认要覆盖请加 --force")
        spec = outline_spec(outline_dir, output, inputs, force=force) if outline_dir is not None else None
        document, reading = _read_sources(source, table)
    except FileError as exc:
        return ImportResult(source, None, [exc.problem()])
    notes = document.problems
    every_paragraph = [para.text for para in document.paragraphs]
    if reading is not None and table is None:  # the table's title, captions and notes are not the report's
        around = table_paragraphs(every_paragraph)
        document.paragraphs = [para for index, para in enumerate(document.paragraphs) if index not in around]
    root, readings = build_tree(document.paragraphs)
    imported = read_fields(root, readings)
    data = imported.data
    if reading is not None:
        data["assessment"] = reading.assessment
        for path, reason in reading.review:
            imported.note(path, reason)
    if year is not None:
        data["year"] = year
    elif "year" not in data:
        found, how = find_year(every_paragraph + (reading.lines if reading else []))
        if found is None:
            missing = Problem(str(source), 0, 0, Severity.ERROR, ("year",),
                              "原文中找不到报告年度（标题、通知标题、落款日期都没有写明），请用 --year 给出")
            return ImportResult(source, None, [*notes, missing])
        data["year"] = found
        imported.note("year", how)
    files = make_outline(root, imported, spec=spec, year=data["year"]) if spec is not None else None
    if document.contents:  # the one text left out: say so, with the lines
        shown = "；".join(document.contents[:CONTENTS_SHOWN]) + ("…" if len(document.contents) > CONTENTS_SHOWN else "")
        imported.note("attachment", f"已跳过目录 {len(document.contents)} 行（{shown}）：目录不是正文，没有导入；"
                                    "核对后删除这一条")
    for index, rows_read in enumerate(document.tables, start=1):  # kept as text, never dropped
        if reading is not None and table is None and index - 1 in reading.used:
            continue  # read as the 自评表
        rows = [f"（原文表格{index}）", *("｜".join(row) for row in rows_read)]
        kept = data.setdefault("sections", {}).setdefault("unplaced", {"title": "未能归入字段的原文", "text": ""})
        kept["text"] = "\n".join(line for line in (kept["text"], *rows) if line)
        imported.note("sections.unplaced",
                      f"原文表格{index}已按行保留为文字，请核对（自评表需按 assessment 的格式填写）")
    _fill(data, REQUIRED_SKELETON)
    if spec is None:
        _fill_outline(data, output.parent)
    if reading is not None and reading.guessed and _printed_by_selfeval(data, reading, output.parent):
        imported.review = [entry for entry in imported.review
                           if (entry["path"], entry["reason"]) not in reading.guessed]
    encoded = _yaml_text(data, imported.review, source, output).encode("utf-8")
    if len(encoded) > MAX_BYTES:  # validate would refuse the file: write none
        refusal = too_long(source, f"导入得到的数据有 {len(encoded) // 1024} KiB，")
        return ImportResult(source, None, [*notes, refusal.problem()])
    try:
        if outline_dir is None or files is None:
            write_atomically(output, encoded)
        else:  # the folder first, the data file after it: a failure of either leaves both as they were
            write_outline(outline_dir, files, lambda: write_atomically(output, encoded),
                          recheck=lambda: outline_spec(outline_dir, output, inputs, force=force))
    except OutputError as exc:
        return ImportResult(source, None, [*notes, exc.problem()])
    return ImportResult(source, output, [*notes, *validate_file(output).problems], len(imported.review),
                        outline_dir if files is not None else None)


def report_and_table(sources: tuple[Path, ...] | list[Path]) -> tuple[Path, Path | None]:
    """The report and the table file among the one or two files given: a workbook is the table,
    whichever place it stands in; otherwise the second file is."""
    if len(sources) == 1:
        return sources[0], None
    first, second = sources[0], sources[1]
    if first.suffix.lower() in SPREADSHEETS and second.suffix.lower() not in SPREADSHEETS:
        return second, first
    return first, second


def _read_sources(source: Path, table: Path | None) -> tuple[SourceDocument, TableReading | None]:
    """The report's text and the 自评表 read from ``source`` and ``table``. A workbook holds no report:
    alone, it gives an empty one. Raises InputFileError when a file cannot be read, or when a file
    given for its table (a workbook, or ``table``) holds none."""
    def grids_of(path: Path) -> tuple[list[Grid], list[str], SourceDocument]:
        if path.suffix.lower() in SPREADSHEETS:
            return read_workbook(path), [], SourceDocument([])
        read = read_document(path)
        return document_grids(read), [para.text for para in read.paragraphs], read

    grids, lines, document = grids_of(source)
    tabled = source.suffix.lower() in SPREADSHEETS
    if table is not None:
        grids, lines, _ = grids_of(table)
    reading = read_assessment(grids, lines)
    if reading is None and (table is not None or tabled):
        given = table if table is not None else source
        raise InputFileError(str(given), "其中没有找到自评表：没有一行同时写着一级指标、三级指标和分值等列名，"
                                         "请确认选对了文件（或工作表）")
    return document, reading


def _printed_by_selfeval(data: dict[str, Any], reading: TableReading, base: Path) -> bool:
    """Whether the 自评表 read is the very table selfeval prints for the data read from it in one of its
    shipped forms — built again in each and read back the same way, cell for cell. Then the reader's
    guesses about it (a text row without a grade is 按评分标准) are what that form says, not guesses."""
    unit = data.get("money_unit")
    try:
        report = Report.model_validate(data, context={"money_unit": unit if unit == YUAN else None})
    except ValidationError:  # not a whole report yet: nothing to print it from
        return False
    assert report.assessment is not None  # the data holds the table read
    with tempfile.TemporaryDirectory(prefix="selfeval-") as folder:
        path = Path(folder) / "table.docx"
        for form in shipped_form_names():
            shaped = report.model_copy(update={"assessment": report.assessment.model_copy(update={"form": form})})
            try:
                path.write_bytes(build_document(shaped, render_form(shaped, base)))
            except SelfevalError:  # this form cannot print it
                continue
            if [grid.rows for grid in document_grids(read_document(path))] == reading.rows:
                return True
    return False


def _fill_outline(data: dict[str, Any], base: Path) -> None:
    """``待填`` at each field inside the data that the shipped outline the data names needs and lacks
    (``department.units[].duties`` in hunan's): validate then points at each, like the rest to fill."""
    spec = data.get("outline")
    outline = find_outline(spec if isinstance(spec, str) else None, base)
    for path in (path for path, _, _ in outline.missing(data) if len(path) > 1):
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part] if isinstance(part, int) else parent.setdefault(part, {})
        parent[path[-1]] = TO_FILL


def _fill(data: dict[str, Any], skeleton: dict[str, Any]) -> None:
    """Put the skeleton's value wherever ``data`` lacks a key (recursively into mappings)."""
    for key, value in skeleton.items():
        if key not in data or data[key] in (None, "", [], {}):
            data[key] = copy.deepcopy(value)  # the skeleton is shared by every import of the process
        elif isinstance(value, dict) and isinstance(data[key], dict):
            _fill(data[key], value)


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """The top-level keys in the model's order, so the file reads like the report."""
    order = list(Report.model_fields)
    return {key: data[key] for key in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}


def _yaml_text(data: dict[str, Any], review: list[dict[str, str]], source: Path, output: Path) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    def prepared(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: prepared(v) for k, v in value.items()}
        if isinstance(value, list):
            return [prepared(v) for v in value]
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value + "\n")
        return value

    yaml = YAML()
    yaml.width = 100_000  # never re-wrap a paragraph
    yaml.representer.ignore_aliases = lambda data: True  # a value used twice is written twice: no anchors
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        Decimal, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", f"{value.quantize(CENT):f}"))
    # An indicator value keeps the digits its table shows ("87.5", not "87.50").
    yaml.representer.add_representer(
        Measure, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", f"{value:f}"))
    document = prepared(_ordered(data))
    if review:
        document["review"] = review
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    header = [f"# yaml-language-server: $schema={schema_reference(output)}",
              f"# 由 selfeval import 从“{source.name}”导入。编号、单位和版式由 selfeval 生成；",
              f"# 文末 review 列出导入时做过判断的地方，逐条核对后删除；“{TO_FILL}”是原文没有、需要补上的内容。", ""]
    return "\n".join(header) + buffer.getvalue()
