"""The report built from the example reproduces the published text, in the published order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import PUBLISHED
from ..docx_read import body_texts, clauses, open_docx

# What the comparison sets aside, as the issue allows: extraction marks, the published
# (inconsistent) numbering, whitespace, and the bracket style of the document number.
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_NUMBER = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]、?|[一二三四五六七八九十]+、|\d+\s*[、.．])\s*")


def normalize(paragraph: str) -> str:
    paragraph = _BOOKMARK.sub("", paragraph)
    paragraph = _NUMBER.sub("", paragraph)
    paragraph = paragraph.replace("【", "〔").replace("】", "〕")
    return re.sub(r"\s+", "", paragraph)


def published_clauses() -> list[str]:
    if not PUBLISHED.is_file():
        pytest.skip("the published reference text (../shared/reference) is not beside this checkout")
    text = PUBLISHED.read_text(encoding="utf-8")
    return [c for line in text.splitlines() for c in clauses(normalize(line))]


def reproduced(docx: Path) -> tuple[float, list[str]]:
    """The share of the published clauses a built report has, in the published order; and the rest."""
    built = "\n".join(normalize(p) for p in body_texts(open_docx(docx)))
    wanted = published_clauses()
    assert len(wanted) > 240
    position, found, missing = 0, 0, []
    for clause in wanted:
        at = built.find(clause, position)
        if at >= 0:
            found += 1
            position = at + len(clause)
        else:
            missing.append(clause)
    return found / len(wanted), missing


def test_at_least_97_percent_of_published_clauses_in_order(example_docx: Path) -> None:
    ratio, missing = reproduced(example_docx)
    assert ratio >= 0.97, f"{ratio:.1%} reproduced; missing: {missing}"
    # What is missing is the published slips themselves, which the tool does not reproduce.
    assert len(missing) <= 6, missing
