"""Shared fixtures: paths, the example report built once, and its PDF when LibreOffice exists."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.commands.build import build_report
from selfeval_cli.model.report import Report

# CI (``.ci/run``) runs every property on the same examples each time, so that a red build has a reason in
# the change; run locally, each run draws new ones and may find what CI never tries.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "2024_luko_edu.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OTHER = FIXTURES / "other_department.yaml"
# The published report as text (a public document), kept in the tests so they run in every clone.
PUBLISHED = FIXTURES / "published_2024_luko_edu.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(params=["fork", "spawn"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Parallel batches under each way of starting workers: fork (Linux's default) and spawn
    (Windows' and macOS's), which inherits nothing from the parent."""
    from selfeval_cli.commands import batch

    monkeypatch.setattr(batch, "START_METHOD", request.param)
    return str(request.param)


@pytest.fixture(scope="session")
def example_report() -> Report:
    report = validate_file(EXAMPLE).report
    assert report is not None
    return report


@pytest.fixture(scope="session")
def other_report() -> Report:
    report = validate_file(OTHER).report
    assert report is not None
    return report


@pytest.fixture(scope="session")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "report.docx"
    assert build_report(EXAMPLE, out).output == out
    return out


@pytest.fixture(scope="session")
def other_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("other") / "other.docx"
    assert build_report(OTHER, out).output == out
    return out


def edited_copy(source: Path, folder: Path, replacements: list[tuple[str, str]] | tuple[tuple[str, str], ...],
                name: str | None = None) -> Path:
    """A copy of data file ``source`` in ``folder`` with each ``(old, new)`` text replaced; each
    ``old`` must stand exactly once, so that a fixture that drifts fails loudly instead of testing nothing."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} stands {text.count(old)} times in {source.name}"
        text = text.replace(old, new)
    target = folder / (name or source.name)
    target.write_text(text, encoding="utf-8")
    return target


def report_with(report: Report, *edits: tuple[tuple[str | int, ...], Any]) -> Report:
    """A copy of ``report`` with the value at each path replaced (``...`` deletes the key), validated again."""
    data = report.model_dump()
    for path, value in edits:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        if value is ...:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return Report.model_validate(data)


def to_pdf(docx_path: Path) -> Path:
    """Convert with LibreOffice through selfeval's own converter; skip where it is missing."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed (CI installs them)")
    from selfeval_cli.word.pdf import convert_many

    pdf = docx_path.with_suffix(".pdf")
    convert_many([(docx_path, pdf)])
    return pdf


@pytest.fixture(scope="session")
def example_pdf(example_docx: Path) -> Path:
    return to_pdf(example_docx)


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


TABLE_EXAMPLE = ROOT / "data" / "2025_example_county.yaml"


@pytest.fixture(scope="session")
def other_report_data(other_report: Report) -> dict[str, object]:
    """The fictional department as plain data, to combine with generated parts."""
    return other_report.model_dump()


@pytest.fixture(scope="session")
def table_example() -> Report:
    report = validate_file(TABLE_EXAMPLE).report
    assert report is not None
    return report


def word_number(paragraph: Any, level: int) -> None:
    """Number ``paragraph`` (python-docx's) as Word's automatic list does, at ``level`` (0 = 一、): no number in
    its text, a ``w:numPr`` in its properties — the way many published reports number their headings."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(level)), ("w:numId", "1")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)
