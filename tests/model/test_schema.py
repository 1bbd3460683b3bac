"""The committed JSON Schema stays equal to the model, and documents every field."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from selfeval_cli.cli import cli
from selfeval_cli.model.schema import schema_dict, schema_text

from ..conftest import EXAMPLE, ROOT

COMMITTED = ROOT / "schemas" / "selfeval.schema.json"


def test_committed_schema_matches_the_model() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), "run `make schema` and commit the result"


def test_schema_command_writes_the_same(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = runner.invoke(cli, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_text()
    assert runner.invoke(cli, ["schema"]).stdout == schema_text()


def _objects(node: object) -> list[dict[str, Any]]:
    """Every object schema, wherever it stands: top level, $defs, or inline (a lazily defined part)."""
    if isinstance(node, list):
        return [found for item in node for found in _objects(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if "properties" in node else []
    return own + [found for value in node.values() for found in _objects(value)]


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [item for found in _objects(schema) for item in found["properties"].items()]


def test_lazily_defined_parts_are_described_too() -> None:
    names = {name for name, _ in _properties(schema_dict())}
    assert {"indicators", "sources", "vehicles"} <= names  # 自评表, income, 三公


def test_every_field_has_a_chinese_description() -> None:
    props = _properties(schema_dict())
    assert len(props) > 40
    for name, prop in props:
        description = prop.get("description", "")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in description), f"{name} has no Chinese description"


def test_unknown_keys_are_forbidden_everywhere() -> None:
    objects = _objects(schema_dict())
    assert len(objects) > 20
    assert all(found.get("additionalProperties") is False for found in objects)


def test_example_points_editors_at_the_schema() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/selfeval.schema.json"
    assert (EXAMPLE.parent / "../schemas/selfeval.schema.json").resolve() == COMMITTED.resolve()
    json.loads(COMMITTED.read_text(encoding="utf-8"))


VALID = ["data/2024_luko_edu.yaml", "data/2025_example_county.yaml", "tests/fixtures/other_department.yaml",
         "tests/fixtures/national_outline.yaml", "tests/fixtures/assessment_old_scheme.yaml",
         "tests/fixtures/closing_at_page_end.yaml"]
# What a JSON Schema can say is wrong here; the two-decimals rule, for one, stays with validate.
INVALID = ["unknown_key", "amount_negative", "wrong_types", "empty_list", "amount_quoted"]


def _check_jsonschema(*files: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema is not installed (make test installs it)")
    return subprocess.run([tool, "--schemafile", str(ROOT / "schemas" / "selfeval.schema.json"), *files],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)


def test_an_independent_validator_accepts_every_valid_file() -> None:
    done = _check_jsonschema(*VALID)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", INVALID)
def test_an_independent_validator_refuses_what_the_schema_can_express(name: str) -> None:
    assert _check_jsonschema(f"tests/fixtures/bad/{name}.yaml").returncode == 1
