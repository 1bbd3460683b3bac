"""Mutation fuzzing of the example file: whatever the bytes, selfeval answers with problems or a
report, never an uncaught exception. A short run is part of the suite; `make fuzz` runs thousands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.model.types import TO_FILL_CODES
from selfeval_cli.problems import Severity
from selfeval_cli.render.sections import render_blocks
from selfeval_cli.word.writer import build_document

from ..conftest import EXAMPLE

ORIGINAL = EXAMPLE.read_bytes()
LINES = ORIGINAL.split(b"\n")
TOKENS = [b"", b"~", b"[]", b"{}", b"-1", b"1e999", b"0.001", b"012", b"12:30", b"no", b"on", b".nan", b"-.inf",
          b'"x"', b"'", b'"', b": :", b"*a", b"&a x", b"!!python/name:os.system", b"!x 1", b"\t", b"- a",
          b"{a: 1}", b"[1, [2, [3]]]", b'"\\v"', b'"\\x00"', "待填".encode(), "795.63万元".encode(), b"1,234.5",
          b"? [a]", b"|", b">", b"%YAML 1.1", b"---", b"...", b"\xff\xfe", b"\xe4\xb8", b"\x00", b"\r\n"]


def _mutate(lines: list[bytes], op: tuple[Any, ...]) -> list[bytes]:
    kind, index, other, token = op
    i = index % len(lines) if lines else 0
    if not lines:
        return [token]
    if kind == "delete":
        return lines[:i] + lines[i + 1:]
    if kind == "duplicate":
        return lines[:i + 1] + lines[i:]
    if kind == "swap":
        j = other % len(lines)
        lines = list(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return lines
    if kind == "value":
        key, sep, _ = lines[i].partition(b": ")
        return [*lines[:i], key + b": " + token if sep else lines[i] + token, *lines[i + 1:]]
    if kind == "indent":
        return [*lines[:i], b" " * (other % 5) + lines[i].lstrip(b" "), *lines[i + 1:]]
    if kind == "bytes":
        at = other % (len(lines[i]) + 1)
        return [*lines[:i], lines[i][:at] + token + lines[i][at:], *lines[i + 1:]]
    if kind == "truncate":
        return lines[:i]
    raise AssertionError(kind)


operations = st.tuples(st.sampled_from(["delete", "duplicate", "swap", "value", "indent", "bytes", "truncate"]),
                       st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(TOKENS))


def check_never_crashes(mutations: list[tuple[Any, ...]], tmp_path: Path) -> None:
    lines = LINES
    for op in mutations:
        lines = _mutate(lines, op)
    path = tmp_path / "fuzzed.yaml"
    path.write_bytes(b"\n".join(lines))
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    validated = validate_file(path)
    if validated.loaded is None:  # unreadable as text: one located problem, never an exception
        assert [p.code for p in validated.problems] == ["file_unreadable"]
        return
    if validated.report is not None:  # still valid: it must also render, assemble and roll over
        assert build_document(validated.report, render_blocks(validated.report))[:2] == b"PK"
        result = CliRunner().invoke(cli, ["new-year", "--force", str(path), "-o", str(tmp_path / "next.yaml")])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        if result.exit_code == 0:  # when it refuses, it says where (checked in test_newyear)
            after = validate_file(tmp_path / "next.yaml").problems
            assert all(p.code in TO_FILL_CODES for p in after if p.severity is Severity.ERROR), after


_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings(max_examples=150, **_SETTINGS)  # type: ignore[arg-type]
@given(st.lists(operations, min_size=1, max_size=4))
def test_mutations_never_crash(tmp_path: Path, mutations: list[tuple[Any, ...]]) -> None:
    check_never_crashes(mutations, tmp_path)


@pytest.mark.slow
@settings(max_examples=4000, **_SETTINGS)  # type: ignore[arg-type]
@given(st.lists(operations, min_size=1, max_size=8))
def test_mutations_never_crash_long_run(tmp_path: Path, mutations: list[tuple[Any, ...]]) -> None:
    check_never_crashes(mutations, tmp_path)
