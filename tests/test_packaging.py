"""The wheel carries the templates, and an installed selfeval finds and uses them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT


def test_installed_wheel_builds_the_report(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
                   cwd=ROOT, check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("selfeval_cli-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file()}
    assert {f"selfeval_cli/{name}" for name in shipped} <= names
    assert "selfeval_cli/schemas/selfeval.schema.json" in names  # init points new files at it

    # Run from the unpacked wheel, which PYTHONPATH puts ahead of the editable source tree.
    # The installed copy is not the source tree coverage measures: leave it unmeasured.
    env = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    code = ("import sys; from selfeval_cli.render.sections import default_template_dir; print(default_template_dir()); "
            "from selfeval_cli.cli import main; main(sys.argv[1:])")
    out = tmp_path / "r.docx"
    done = subprocess.run([sys.executable, "-c", code, "build", str(EXAMPLE), "-o", str(out)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "site" / "selfeval_cli" / "templates" / "hunan")
    assert out.read_bytes()[:2] == b"PK"
