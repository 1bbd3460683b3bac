"""`selfeval new-year` writes the new file the way the user wrote theirs (issue 21).

A corpus of odd-but-valid files, each made here from a valid base file: line ends, BOM, encoding,
indentation, blank lines and comments must come back as they were, or new-year refuses with a
located error before writing anything.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.newyear import LAYOUT_CODE, make_next_year
from selfeval_cli.model.types import TO_FILL_CODES
from selfeval_cli.problems import Severity

from ..conftest import EXAMPLE, OTHER, TABLE_EXAMPLE

BASE = OTHER.read_text(encoding="utf-8")
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
UNCHANGED = (("department:", "key_work:"), ("evaluation:", "closing:"))
"""Regions of the base new-year does not touch: the new file must have them line for line."""


@dataclass(frozen=True)
class Case:
    """One odd-but-valid file: its text, how it is stored, and what new-year must do with it."""

    text: str
    newline: str = "\n"
    bom: bool = False
    encoding: str = "utf-8"
    refused_at: str | None = None
    """A line of ``text`` new-year must refuse, located there; None when it must write the file."""
    note: str | None = None
    """Part of the warning new-year must give about the new file's layout, if any."""

    def raw(self) -> bytes:
        body = self.text.replace("\n", self.newline).encode(self.encoding)
        return codecs.BOM_UTF8 + body if self.bom else body


def replace(text: str, old: str, new: str) -> str:
    """``text`` with its one ``old`` replaced (the corpus must change what it means to)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def unindent_sequences(text: str) -> str:
    """Every ``- `` moved left under its key (``key:\\n- x``), as some editors write lists."""
    out: list[str] = []
    open_dashes: list[int] = []  # columns of the dashes of the lists a line is in
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped and not stripped.startswith("#"):
            while open_dashes and (indent < open_dashes[-1] or
                                   (indent == open_dashes[-1] and not stripped.startswith("- "))):
                open_dashes.pop()
            if stripped.startswith("- ") and (not open_dashes or open_dashes[-1] != indent):
                open_dashes.append(indent)
        out.append(line[min(2 * len(open_dashes), indent):])
    return "\n".join(out)


def reindent(text: str, mapping: int, sequence: int, offset: int) -> str:
    """``text`` written again by ruamel.yaml with other indentation (comments and blank lines kept)."""
    from ruamel.yaml import YAML

    writer = YAML()
    writer.preserve_quotes = True
    writer.width = 100_000
    writer.indent(mapping=mapping, sequence=sequence, offset=offset)
    buffer = io.StringIO()
    writer.dump(writer.load(text), buffer)
    return buffer.getvalue()


def many_comments(text: str) -> str:
    """Comments at the end of a line, on their own line before a key, inside a list, after its last item, at the end."""
    text = replace(text, "  rank: 正科级\n", "  rank: 正科级   # 行末注释：级别\n")
    text = replace(text, "budget:\n", "# 键前注释：以下为预算\nbudget:\n")
    text = replace(text, "  staffing:\n", "\n  # 缩进的键前注释：编制\n  staffing:\n")
    text = replace(text, "    - 统筹全县", "    # 列表中的注释\n    - 统筹全县")
    text = replace(text, "      duties: 负责群众文化活动组织。\n",
                   "      duties: 负责群众文化活动组织。\n    # 最后一项之后的注释\n\n")
    text = replace(text, "        amount: 600.50\n", "        amount: 600.50  # 金额的行末注释\n")
    text = replace(text, "key_work:\n", "key_work:  # 键的行末注释\n")
    return text + "\n# 文件末尾的注释\n"


FLOW_WITH_COMMENT = replace(BASE, "    leader: {name: 李明, title: 局长}\n",
                            "    leader: {\n      name: 李明,  # 组长姓名\n\n      title: 局长,\n    }\n")
HASH_IN_TEXT = replace(replace(replace(
    BASE, "problems: 部分项目资金支付进度偏慢。", "problems: 部分项目资金支付进度偏慢（见#3号文）。"),
    "      text: 按月调度项目执行情况。", '      text: "按月调度 # 项目执行情况。"  # 引号中的井号不是注释'),
    "      duties: |\n", "      duties: |  # 块文本标记后的注释\n")
GB18030_ONLY = replace(BASE, "problems: 部分项目资金支付进度偏慢。", "problems: 部分项目资金支付进度偏慢（𠀀）。")

CASES: dict[str, Case] = {
    "lf": Case(BASE),
    "crlf": Case(BASE, newline="\r\n"),
    "bom": Case(BASE, bom=True),
    "bom_crlf": Case(BASE, newline="\r\n", bom=True),
    "gbk": Case(BASE, encoding="gbk", note="GB18030"),
    "gb18030_four_bytes": Case(GB18030_ONLY, encoding="gb18030", note="GB18030"),
    "gbk_crlf": Case(BASE, newline="\r\n", encoding="gbk", note="GB18030"),
    "example_crlf_bom": Case(EXAMPLE_TEXT, newline="\r\n", bom=True),
    "many_comments": Case(many_comments(BASE)),
    "many_comments_crlf": Case(many_comments(BASE), newline="\r\n"),
    "flow_mapping_with_comment": Case(FLOW_WITH_COMMENT),
    "flow_mapping_with_comment_crlf_bom": Case(FLOW_WITH_COMMENT, newline="\r\n", bom=True),
    "hash_in_text": Case(HASH_IN_TEXT),
    "explicit_document_markers": Case("# 文件头的注释\n\n---\n" + BASE + "...\n"),
    "indented_sequences": Case(BASE),  # `  - ` under the key, as the base has them
    "unindented_sequences": Case(unindent_sequences(BASE)),
    "unindented_sequences_crlf": Case(unindent_sequences(many_comments(BASE)), newline="\r\n"),
    "mapping_indent_4": Case(reindent(BASE, 4, 6, 4)),
    "mapping_indent_4_unindented_sequences": Case(reindent(BASE, 4, 4, 0)),
    "one_list_written_otherwise": Case(replace(BASE, "  duties:\n    - 贯彻", "  duties:\n  - 贯彻").replace(
        "\n    - 统筹全县", "\n  - 统筹全县").replace("\n    - 负责全县", "\n  - 负责全县"),
        note="缩进写法不统一"),
    "mixed_line_ends": Case(BASE.replace("\n", "\r\n").replace("\r\nbudget:", "\nbudget:"), note="换行符"),
    # What ruamel.yaml cannot write back: refused, located at the comment.
    "comment_between_key_and_value_then_blank": Case(
        replace(BASE, "scope: 县级财政资金整体支出绩效\n", "scope: # 范围说明\n\n  县级财政资金整体支出绩效\n\n"),
        refused_at="scope: # 范围说明"),
    "comment_line_between_key_and_value": Case(
        replace(BASE, "scope: 县级财政资金整体支出绩效\n", "scope:\n  # 范围说明\n\n  县级财政资金整体支出绩效\n"),
        refused_at="  # 范围说明"),
    "comment_between_dash_and_item": Case(
        replace(BASE, "    - 统筹全县", "    - # 第二条\n      统筹全县"), refused_at="    - # 第二条"),
    "comment_in_a_flow_mapping_new_year_changes": Case(
        replace(BASE, "      - name: 工资福利支出\n        amount: 600.50\n",
                "      - {name: 工资福利支出,  # 人员经费\n         amount: 600.50}\n"),
        refused_at="      - {name: 工资福利支出,  # 人员经费"),
}


def comments(text: str) -> list[str]:
    """The comments of a corpus text: a ``#`` after a space, on a line without quotes."""
    found = (re.search(r"(?:^|\s)(#.*)$", line) for line in text.split("\n") if '"' not in line)
    return [match[1].rstrip() for match in found if match]


def indent_styles(text: str) -> set[tuple[str, int]]:
    """How far nested keys and the ``-`` of lists stand right of their key, as found in ``text``."""
    styles: set[tuple[str, int]] = set()
    lines = [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    for key, child in itertools.pairwise(lines):
        if re.fullmatch(r"\s*(- )?\w+:", key):
            key_column = len(key) - len(key.lstrip(" -"))
            child_column = len(child) - len(child.lstrip(" "))
            styles.add(("list" if child.lstrip().startswith("- ") else "keys", child_column - key_column))
    return styles


def region(text: str, start: str, end: str) -> list[str]:
    """The lines from the top-level key ``start`` up to ``end``."""
    lines = text.split("\n")
    first, last = (next(i for i, line in enumerate(lines) if line.startswith(key)) for key in (start, end))
    return lines[first:last]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str]]]:
    """What new-year leaves to fill and check for each base file as it is: its variants must leave the same."""
    found: dict[str, set[tuple[str, str]]] = {}
    for base, text in (("other", BASE), ("example", EXAMPLE_TEXT)):
        source = tmp_path_factory.mktemp(base) / "2025.yaml"
        source.write_text(text, encoding="utf-8")
        result = make_next_year(source, source.with_name("2026.yaml"))
        found[base] = {(p.path, p.code) for p in result.problems}
    return found


@pytest.mark.parametrize("name", CASES)
def test_the_new_file_is_written_as_the_user_wrote_theirs(
        name: str, tmp_path: Path, reference: dict[str, set[tuple[str, str]]]) -> None:
    case = CASES[name]
    source = tmp_path / "2025_dept.yaml"
    source.write_bytes(case.raw())
    assert not [p for p in validate_file(source).problems if p.severity is Severity.ERROR]  # odd but valid
    target = tmp_path / "2026_dept.yaml"

    result = make_next_year(source, target)

    assert source.read_bytes() == case.raw()  # the input is never written
    if case.refused_at is not None:
        assert result.output is None and not target.exists()
        line = case.text.split("\n").index(case.refused_at) + 1
        assert [(p.line, p.code) for p in result.problems] == [(line, "round_trip")]
        return
    assert result.output == target, result.problems
    text = written_text(case, target.read_bytes())
    expected = case.text.replace("\r\n", "\n")
    for comment in comments(expected):
        assert comment in text, comment
    for marker in ("---", "..."):
        assert text.split("\n").count(marker) == expected.split("\n").count(marker)
    if case.note is None or "GB18030" in case.note:  # else the case is one evened out
        assert indent_styles(text) == indent_styles(expected)
        if expected.startswith(BASE[:40]):
            for start, end in UNCHANGED:
                assert region(text, start, end) == region(expected, start, end)
    assert text.count("\n\n") == expected.count("\n\n") + 1  # every blank line, and one above the review list
    notes = [p.message for p in result.problems if p.code == LAYOUT_CODE]
    assert [case.note is not None and case.note in note for note in notes] == ([] if case.note is None else [True])
    left = {(p.path, p.code) for p in result.problems if p.code != LAYOUT_CODE}
    assert left == reference["example" if case.text == EXAMPLE_TEXT else "other"]
    errors = [p for p in validate_file(target).problems if p.severity is Severity.ERROR]
    assert errors and all(p.code in TO_FILL_CODES for p in errors)


def written_text(case: Case, raw: bytes) -> str:
    """The new file's text with LF line ends, once its BOM, encoding and line ends are checked."""
    assert raw.startswith(codecs.BOM_UTF8) == case.bom
    body = raw[3:] if case.bom else raw
    if case.encoding == "utf-8":
        text = body.decode("utf-8")
    else:
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gb18030")
    stored = case.text.replace("\n", case.newline)
    if stored.count("\r\n") * 2 > stored.count("\n"):  # CRLF, or mostly CRLF: the new file is all CRLF
        assert "\r\n" in text and re.search(r"(?<!\r)\n|\r(?!\n)", text) is None
    else:
        assert "\r" not in text
    return text.replace("\r\n", "\n")


def test_the_corpus_is_really_written_otherwise() -> None:
    """The indentation cases differ from the base, or they would prove nothing."""
    for text in (unindent_sequences(BASE), reindent(BASE, 4, 6, 4), reindent(BASE, 4, 4, 0)):
        assert indent_styles(text) != indent_styles(BASE)  # the corpus is really written otherwise


@pytest.mark.parametrize("name", ["bom_crlf", "gbk", "comment_between_key_and_value_then_blank"])
def test_through_the_cli(name: str, tmp_path: Path, runner: CliRunner) -> None:
    case = CASES[name]
    source = tmp_path / "2025_dept.yaml"
    source.write_bytes(case.raw())
    result = runner.invoke(cli, ["new-year", str(source)])
    assert "内部错误" not in result.output and "Traceback" not in result.output
    target = tmp_path / "2026_dept.yaml"
    if case.refused_at is None:
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(codecs.BOM_UTF8) == case.bom
        assert ("GB18030" in result.stdout) == (case.encoding != "utf-8")
    else:
        line = case.text.split("\n").index(case.refused_at) + 1
        assert result.exit_code == 1 and f"{source}:{line}:" in result.stderr and "上一行" in result.stderr
        assert not target.exists()


def test_a_comment_below_a_removed_figure_stays(tmp_path: Path) -> None:
    """``previous`` goes when ``amount`` was never filled; the comment lines below it introduce what follows."""
    source = tmp_path / "2025_dept.yaml"
    text = replace(BASE, "  amount: 1250.80\n", "  amount: 待填\n  previous: 1100.00  # 上年数\n  # 以下为基本支出\n\n")
    source.write_text(text, encoding="utf-8")
    result = make_next_year(source, tmp_path / "2026.yaml")
    assert result.output is not None, result.problems
    written = result.output.read_text(encoding="utf-8")
    assert "  # 以下为基本支出\n\n  basic:" in written and "上年数" not in written


def test_comments_below_removed_reasons_stay(tmp_path: Path) -> None:
    """偏差原因 go; the comment lines below them, block text or not, stay where they were."""
    text = TABLE_EXAMPLE.read_text(encoding="utf-8")
    reason = "              reason: 一个站点因选址调整推迟一个月验收；今后项目入库前完成选址论证。\n"
    text = replace(text, reason, "              reason: |\n                一个站点因选址调整推迟一个月验收。\n"
                                 "              # 块文本原因之后的注释\n\n")
    text = replace(text, "              score: 7.5\n", "              score: 7.5  # 手工打分\n")
    text = replace(text, "              reason: 少数偏远村服务点设备未配齐；2026年完成配置。\n",
                   "              reason: 少数偏远村服务点设备未配齐；2026年完成配置。  # 去年的原因\n"
                   "              # 原因之后的注释\n")
    source = tmp_path / "2025_county.yaml"
    source.write_text(text, encoding="utf-8")
    result = make_next_year(source, tmp_path / "2026_county.yaml")
    assert result.output is not None, result.problems
    written = result.output.read_text(encoding="utf-8")
    assert "reason:" not in written.split("review:")[0] and "去年的原因" not in written
    assert "              weight: 10\n              # 块文本原因之后的注释\n\n        - name: 成本指标" in written
    assert re.search(r"score: 待填 +# 手工打分\n {14}# 原因之后的注释\n", written)  # the comment keeps its column


def test_a_second_year_keeps_the_comments_below_the_review_list(tmp_path: Path) -> None:
    source = tmp_path / "2025_dept.yaml"
    source.write_text(BASE, encoding="utf-8")
    first = make_next_year(source, tmp_path / "2026_dept.yaml").output
    assert first is not None
    first.write_text(first.read_text(encoding="utf-8") + "# 我的备注\n", encoding="utf-8")
    second = make_next_year(first, tmp_path / "2027_dept.yaml").output
    assert second is not None
    written = second.read_text(encoding="utf-8")
    assert written.count("待核对清单") == 1 and "2027年）" in written  # last year's header does not pile up
    assert written.endswith("# 我的备注\n")


def test_what_ruamel_fails_on_is_located() -> None:
    """Behind the check for comments between keys and values: ruamel.yaml's own failure names the comment's line."""
    from selfeval_cli.commands.roundtrip import load_round_trip
    from selfeval_cli.errors import FileError

    with pytest.raises(FileError) as failure:
        load_round_trip("year: 2025\nscope: # 范围\n\n  县级\n\nverdict: 好\n", "x.yaml")
    assert (failure.value.line, failure.value.code) == (2, "round_trip")
    assert "键的上一行" in failure.value.reason
