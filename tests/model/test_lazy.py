"""Optional parts (自评表, income, 三公) are defined only when a file has them, and lose nothing for it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.model.lazy import LazyModel, lazy_model, resolve

from ..conftest import EXAMPLE, ROOT

LAZY_MODULES = sorted(["selfeval_cli.model.assessment", "selfeval_cli.model.finance", "selfeval_cli.model.scoring",
                       "selfeval_cli.checks.table", "selfeval_cli.checks.story"])

# Which of the lazily defined modules a fresh process has imported after validating and building one file.
_PROBE = """
import json, sys, tempfile
from pathlib import Path
from selfeval_cli.commands.build import build_report
with tempfile.TemporaryDirectory() as folder:
    result = build_report(Path(sys.argv[1]), Path(folder) / "r.docx")
    assert result.output is not None, result.problems
print(json.dumps(sorted(m for m in sys.modules if m in json.loads(sys.argv[2]))))
"""


def _imported_after_building(source: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(source), json.dumps(LAZY_MODULES)],
                          capture_output=True, text=True, check=True)
    found: list[str] = json.loads(done.stdout)
    return found


def test_a_file_without_the_optional_parts_never_defines_their_models() -> None:
    assert _imported_after_building(EXAMPLE) == []


def test_a_file_with_them_does() -> None:
    assert _imported_after_building(ROOT / "data" / "2025_example_county.yaml") == LAZY_MODULES


def test_mistakes_inside_a_lazy_part_keep_their_place(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["income"] = {"amount": "很多", "sources": [{"name": "财政拨款收入", "amount": 1, "extra": 2}]}
    source = tmp_path / "d.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = source.read_text(encoding="utf-8").splitlines()
    problems = {p.path: p for p in validate_file(source).problems if p.path.startswith("income")}
    assert set(problems) == {"income.amount", "income.sources[0].extra"}
    assert "很多" in text[problems["income.amount"].line - 1]
    assert "extra" in text[problems["income.sources[0].extra"].line - 1]


def test_a_validated_part_is_its_own_model() -> None:
    report = validate_file(ROOT / "data" / "2025_example_county.yaml").report
    assert report is not None
    from selfeval_cli.model.assessment import Assessment
    from selfeval_cli.model.finance import Income

    assert isinstance(report.assessment, Assessment)
    assert isinstance(report.income, Income)


def test_resolve_gives_the_model_behind_the_marker() -> None:
    from selfeval_cli.model.finance import ThreePublic

    assert resolve(lazy_model("selfeval_cli.model.finance", "ThreePublic")) is ThreePublic
    assert resolve(int) is int


def test_a_marker_naming_something_else_than_a_model_is_refused() -> None:
    with pytest.raises(TypeError, match="not a pydantic model"):
        LazyModel("selfeval_cli.model.money", "format_money").model()
