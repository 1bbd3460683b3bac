"""The library without the command line: the README's example runs, and nothing outside cli/ loads click."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval_cli import api
from selfeval_cli.errors import EXIT_USAGE, SelfevalError, TemplateError, UsageError

from .conftest import EXAMPLE, FIXTURES, OTHER, ROOT


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### 作为库使用"):]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    code = readme_example()
    assert len(code.strip().splitlines()) <= 6
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    # The published example's two known warnings, located; the full example built.
    printed = capsys.readouterr().out
    assert "data/2024_luko_edu.yaml:143:3: warning: budget.basic:" in printed
    built = scope["built"]
    assert isinstance(built, api.Outcome) and built.written == [Path("build/示例.docx")] and not built.failed
    assert (tmp_path / "build" / "示例.docx").read_bytes()[:2] == b"PK"


def test_every_operation_returns_an_outcome(tmp_path: Path) -> None:
    bad = FIXTURES / "four_errors.yaml"
    checked = api.validate(bad)
    assert checked.failed and checked.source == bad and len(checked.problems) == 4
    assert api.validate(EXAMPLE).failed is False and api.validate(EXAMPLE, strict=True).failed is True
    refused = api.build(bad, tmp_path / "x.docx")
    assert refused.failed and refused.written == [] and not (tmp_path / "x.docx").exists()
    source = tmp_path / "2025_d.yaml"
    shutil.copy(OTHER, source)
    rolled = api.new_year(source)
    assert rolled.written == [tmp_path / "2026_d.yaml"] and not rolled.failed
    assert any(p.code == "money_to_fill" for p in rolled.problems)
    rows = api.summarize([source, bad], tmp_path / "s.csv")
    assert [o.failed for o in rows] == [False, True] and (tmp_path / "s.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    docx = tmp_path / "r.docx"
    assert api.build(OTHER, docx).written == [docx]
    imported = api.import_report(docx, tmp_path / "back.yaml")
    assert imported.written == [tmp_path / "back.yaml"] and not imported.failed


def test_errors_of_the_whole_run_raise_with_their_code(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as broken:
        api.build(OTHER, tmp_path / "x.docx", templates=tmp_path / "nowhere")
    assert isinstance(broken.value, SelfevalError) and broken.value.exit_code == 1
    assert "模板目录不存在" in broken.value.message and str(broken.value) == broken.value.message
    assert UsageError("x").exit_code == EXIT_USAGE


def test_no_module_outside_cli_imports_click() -> None:
    package = ROOT / "src" / "selfeval_cli"
    modules = sorted(
        ".".join(("selfeval_cli", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        for path in package.rglob("*.py")
        if "cli" not in path.relative_to(package).parts[:1] and path.name != "__main__.py")
    code = (f"import importlib, sys\nfor name in {modules!r}: importlib.import_module(name)\n"
            "print('click' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "False", done.stderr
    assert len(modules) > 40  # every module was imported, not an empty list
