"""The loader: values, line marks, and what it refuses."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval_cli.errors import InputFileError
from selfeval_cli.model import loader as loader_module
from selfeval_cli.model.loader import MAX_BYTES, Mark, load_file, load_text
from selfeval_cli.problems import Severity

from ..conftest import EXAMPLE


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every loader test runs on both parsers: libyaml where PyYAML has it, pure Python elsewhere."""
    if request.param == "python":
        monkeypatch.setattr(loader_module, "_Loader", loader_module._PythonLoader)
    return str(request.param)


def test_values_follow_yaml_1_2_and_decimals_never_float() -> None:
    loaded = load_text("a: 795.63\nb: 58\nc: no\nd: on\ne: 012\nf: 12:30\ng: true\nh: ~\ni: '7'\n", "t.yaml")
    assert loaded.problems == []
    assert loaded.data == {"a": Decimal("795.63"), "b": 58, "c": "no", "d": "on", "e": "012",
                           "f": "12:30", "g": True, "h": None, "i": "7"}
    assert isinstance(loaded.data["a"], Decimal)


def test_marks_point_at_values_and_keys() -> None:
    text = "top:\n  inner: 1\n  items:\n    - x\n    - name: y\n"
    marks = load_text(text, "t.yaml").marks
    assert marks.locate(("top", "inner")) == Mark(2, 10)
    assert marks.locate(("top", "items", 1, "name")) == Mark(5, 13)
    assert marks.locate(("top", "items")) == Mark(3, 3)  # a collection: its key
    assert marks.locate(("top", "missing")) == Mark(1, 1)  # falls back to the parent's key


def test_example_marks_match_the_file_lines() -> None:
    loaded = load_file(EXAMPLE)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    mark = loaded.marks.locate(("budget", "basic", "items", 0, "amount"))
    assert lines[mark.line - 1][mark.column - 1:].startswith("643.40")
    mark = loaded.marks.locate(("department", "staffing", "authorized"))
    assert lines[mark.line - 1][mark.column - 1:].startswith("58")


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    loaded = load_text("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert loaded.data == {"a": 1, "b": 2}
    [problem] = loaded.problems
    assert (problem.line, problem.column, problem.severity) == (3, 1, Severity.ERROR)
    assert "重复的键“a”" in problem.message and "第 1 行" in problem.message


@pytest.mark.parametrize(("text", "needle"), [
    ("a: &x 1\nb: *x\n", "别名"),
    ("a: !!python/object:os.system x\n", "标签"),
    ("a: !custom 1\n", "标签"),
])
def test_anchors_aliases_and_tags_are_refused(text: str, needle: str) -> None:
    loaded = load_text(text, "t.yaml")
    assert any(needle in p.message for p in loaded.problems)
    assert all(p.severity is Severity.ERROR for p in loaded.problems)


def test_billion_laughs_is_refused_without_expanding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    loaded = load_text("\n".join(lines) + "\n", "t.yaml")
    assert any("别名" in p.message for p in loaded.problems)
    assert len(str(loaded.data)) < 10_000


@pytest.mark.parametrize(("text", "line", "needle"), [
    ("a: 1\n\tb: 2\n", 2, "制表符"),
    ("a: 1\nb: [1, 2\n", 2, "方括号“[”没有闭合"),  # where the bracket opens, not where the file ends
    ("a: \"x\nb: 2\nc: \"%\"\nd: 4\n", 1, "引号没有闭合"),  # not at the next quote, two lines on
    ("a: [1,\n    2]\nb: \"x\"\n", 0, ""),  # a bracket that closes on a later line is fine
    ("a: 1\n---\nb: 2\n", 2, "第二个"),
    ("a: \"unclosed\n", 1, "引号没有闭合"),  # where the quote opens, not where the file ends
    ("a: b: c\n", 1, "键: 值"),
])
def test_syntax_errors_are_located(text: str, line: int, needle: str) -> None:
    loaded = load_text(text, "t.yaml")
    if line == 0:
        assert loaded.data is not None and loaded.problems == []
        return
    assert loaded.data is None
    [problem] = loaded.problems
    assert problem.line == line and needle in problem.message


def test_absurd_nesting_is_refused() -> None:
    [problem] = load_text("a: " + "[" * 3000 + "]" * 3000 + "\n", "t.yaml").problems
    assert "嵌套得太深" in problem.message


@pytest.mark.parametrize(("text", "line", "column", "needle"), [
    ("a: 1\nb:\n  c: 1\n  d：2\n  e: 3\n", 4, 4, "中文冒号"),
    ("a: 1\nb:\n  c:2\n  e: 3\n", 3, 4, "后面要有一个空格"),
    ("a: 1\nb: 'open\nc: 2\n", 2, 4, "引号没有闭合"),
    ("a: 1\nb:\n  c: 1\n\u3000\u3000d: 2\n  e: 3\n", 4, 1, "全角空格"),
])
def test_common_slips_are_pointed_at_where_they_are(text: str, line: int, column: int, needle: str) -> None:
    [problem] = load_text(text, "t.yaml").problems
    assert (problem.line, problem.column) == (line, column) and needle in problem.message


def test_empty_and_comment_only_files() -> None:
    for text in ("", "# nothing\n# here\n"):
        [problem] = load_text(text, "t.yaml").problems
        assert "没有数据" in problem.message


def test_top_level_must_be_a_mapping() -> None:
    [problem] = load_text("- a\n- b\n", "t.yaml").problems
    assert "映射" in problem.message


def test_encodings(tmp_path: Path) -> None:
    text = "name: 株洲市渌口区教育局\n"
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_file(bom).data == {"name": "株洲市渌口区教育局"}
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(text.replace("\n", "\r\n").encode() + b"b: 1\r\n")
    assert load_file(crlf).data == {"name": "株洲市渌口区教育局", "b": 1}
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(text.encode("gbk"))
    loaded = load_file(gbk)
    assert loaded.data == {"name": "株洲市渌口区教育局"}
    assert [p.severity for p in loaded.problems] == [Severity.WARNING]
    assert "GB18030" in loaded.problems[0].message


def test_undecodable_binary_large_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \x81\xff\xfe\n")
    with pytest.raises(InputFileError, match=":2:"):
        load_file(bad)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputFileError, match="不是文本文件"):
        load_file(binary)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InputFileError, match="过大"):
        load_file(big)
    with pytest.raises(InputFileError, match="不存在"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(InputFileError, match="目录"):
        load_file(tmp_path)


def test_control_characters_in_the_raw_file_are_located() -> None:
    [problem] = load_text("a: 1\nb: x\x01y\n", "t.yaml").problems
    assert (problem.line, problem.column) == (2, 5)
    assert "U+0001" in problem.message


_plain_text = st.text(alphabet=st.characters(whitelist_categories=("Lo", "Nd"), max_codepoint=0x9FFF),
                      min_size=1, max_size=30)


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _plain_text, min_size=1, max_size=8))
def test_round_trip_of_quoted_text(mapping: dict[str, str]) -> None:
    text = "".join(f"{key}: \"{value}\"\n" for key, value in mapping.items())
    loaded = load_text(text, "t.yaml")
    assert loaded.problems == []
    assert loaded.data == mapping
    for index, key in enumerate(mapping):
        assert loaded.marks.locate((key,)).line == index + 1


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_amounts_round_trip_exactly(amount: Decimal) -> None:
    loaded = load_text(f"a: {amount}\n", "t.yaml")
    assert loaded.data == {"a": amount}
    assert isinstance(loaded.data["a"], Decimal | int)


def test_unprintable_set_is_the_complement_of_yamls_printable_set() -> None:
    printable = re.compile("[\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
    for code in range(0x110000):
        char = chr(code)
        assert bool(loader_module._UNPRINTABLE.match(char)) != bool(printable.match(char)), hex(code)


def test_a_tab_indenting_a_key_is_named_as_such() -> None:
    loaded = load_text("year: 2024\ndepartment:\n  name: x\n  staffing:\n\tauthorized: 5\n", "t.yaml")
    [problem] = loaded.problems
    assert (problem.line, problem.column) == (5, 1) and "制表符（Tab）" in problem.message
