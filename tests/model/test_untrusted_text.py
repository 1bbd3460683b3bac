"""Text that Word cannot hold is refused where it stands, however it was written, and a syntax error is
blamed on the line that caused it — never on a line that is right."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from selfeval_cli.cli import cli
from selfeval_cli.model.loader import load_text
from selfeval_cli.problems import Severity

from ..conftest import EXAMPLE, OTHER

NAME = "  name: 青山县文化旅游广电体育局\n"


def with_name(tmp_path: Path, written: str) -> tuple[Path, int]:
    """The fictional department with its name written as ``written``; the file and the name's line."""
    text = OTHER.read_text(encoding="utf-8")
    line = text[: text.index(NAME)].count("\n") + 1
    source = tmp_path / "d.yaml"
    source.write_text(text.replace(NAME, f"  name: {written}\n", 1), encoding="utf-8")
    return source, line


@pytest.mark.parametrize(("escape", "code"), [
    ("\\uFFFE", "FFFE"), ("\\uFFFF", "FFFF"), ("\\x01", "0001"), ("\\x7f", "007F"), ("\\x1b", "001B"),
    ("\\0", "0000"), ("\\a", "0007"), ("\\e", "001B"),
])
def test_an_escaped_character_word_cannot_hold_is_located(tmp_path: Path, runner: CliRunner, escape: str,
                                                          code: str) -> None:
    source, line = with_name(tmp_path, f'"青山县{escape}文化旅游广电体育局"')
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1
    assert f"{source}:{line}:9: error: department.name: 含有 Word 无法保存的字符 U+{code}（引号内第 4 个字符" \
        in result.output
    build = runner.invoke(cli, ["build", str(source), "-o", str(tmp_path / "r.docx")])
    assert build.exit_code == 1 and "内部错误" not in build.output and not (tmp_path / "r.docx").exists()


def test_an_invalid_surrogate_escape_is_a_located_syntax_error(tmp_path: Path, runner: CliRunner) -> None:
    source, line = with_name(tmp_path, '"青山县\\ud800局"')
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1 and f"{source}:{line}:" in result.output
    assert "写成了不存在的字符" in result.output


def test_an_escaped_key_is_checked_too() -> None:
    loaded = load_text('"a\\uFFFEb": 1\n', "t.yaml")
    assert [(p.line, p.column, p.path) for p in loaded.problems] == [(1, 1, "a\ufffeb")]


@pytest.mark.parametrize("text", ['"\\u00e9\\u4e2d\\U0001F600"', '"tab\\there"', "'\\uFFFE'"])
def test_escapes_of_good_characters_are_kept(text: str) -> None:
    """Only what Word cannot hold is refused; a single-quoted ``\\uFFFE`` is six plain characters."""
    loaded = load_text(f"a: {text}\n", "t.yaml")
    assert loaded.problems == []


@given(st.text(st.characters(codec="utf-8"), max_size=20))
def test_whatever_is_escaped_either_loads_or_is_located(value: str) -> None:
    escaped = "".join(f"\\U{ord(c):08X}" for c in value)
    loaded = load_text(f'a: "{escaped}"\n', "t.yaml")
    refused = any(0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) or (ord(c) < 0x20 and c not in "\t\n\r")
                  or (0x7F <= ord(c) <= 0x9F and ord(c) != 0x85) for c in value)
    if refused:
        assert loaded.problems and all(p.line == 1 and p.severity is Severity.ERROR for p in loaded.problems)
    else:
        assert loaded.problems == [] and loaded.data == {"a": value}


@pytest.mark.parametrize(("tail", "line_of"), [
    ("more_sections: [ {title: 其他, text: 无}\n", "more_sections"),
    ("more_sections: [ {title: 其他,\n    text: 无}\n", "more_sections"),
    ("more_sections: [[ {title: 其他, text: 无}]\n", "more_sections"),
])
def test_an_unclosed_bracket_is_blamed_where_it_opens(tmp_path: Path, runner: CliRunner, tail: str,
                                                      line_of: str) -> None:
    """The example has closed brackets earlier on (``plaques: [教育团工委]``); they are not the culprit."""
    text = EXAMPLE.read_text(encoding="utf-8") + tail
    source = tmp_path / "d.yaml"
    source.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith(line_of))
    result = runner.invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1
    assert f"{source}:{line}:16: error: 方括号“[”没有闭合" in result.output, result.output


def test_brackets_inside_quotes_do_not_count() -> None:
    loaded = load_text('a: ["x]", "y"\nb: 1\n', "t.yaml")
    assert [p.line for p in loaded.problems] == [1]
    assert loaded.problems[0].message.startswith("方括号“[”没有闭合：")
