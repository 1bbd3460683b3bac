"""Read a YAML data file safely, remembering where every key and value stands.

PyYAML is used only to scan and parse; the node tree is turned into Python values here so
that:

* every value's line and column is kept (``SourceMap``) for located messages;
* duplicate keys are errors, not a silent "last one wins";
* anchors, aliases and explicit tags (``!!python/...``) are refused before anything expands;
* plain scalars follow YAML 1.2's core rules, not 1.1's: ``no``/``on`` stay text, ``012`` and
  ``12:30`` stay text (so a number field reports them instead of reading an octal or a
  sexagesimal number), and numbers with a decimal point become ``Decimal`` — never float.

Files are read as UTF-8 (a BOM is allowed); a file that is not UTF-8 but decodes as
GB18030 (which includes GBK) is read with a warning. Files above ``MAX_BYTES`` are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from selfeval_cli.errors import InputFileError
from selfeval_cli.model.values import FieldPath
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.records import record

DATA_SUFFIXES = (".yaml", ".yml")
"""The names data files end with: what a folder given to a batch is read for, and what is written as one."""
MAX_BYTES = 5 * 1024 * 1024
"""Largest data file accepted (5 MiB); a whole report is about 40 KiB."""

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_UNSIGNED = r"(?:0|[1-9][0-9]*)"  # a leading zero (012) is left as text, never read as octal
_DECIMAL = re.compile(rf"^[-+]?(?:{_UNSIGNED}\.[0-9]*|\.[0-9]+|{_UNSIGNED}(?:\.[0-9]*)?[eE][-+]?[0-9]+)$")


@record
class Mark:
    """A 1-based line and column in the source file."""

    line: int
    column: int


def position(text: str, offset: int) -> Mark:
    """The line and column of character ``offset`` of ``text``."""
    return Mark(text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def offset_of(text: str, mark: Mark) -> int:
    """The character offset of ``mark`` in ``text``; the inverse of ``position``."""
    start = 0
    for _ in range(mark.line - 1):
        start = text.index("\n", start) + 1
    return start + mark.column - 1


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of the document stands."""

    values: dict[FieldPath, Mark] = field(default_factory=dict)
    keys: dict[FieldPath, Mark] = field(default_factory=dict)
    scalars: set[FieldPath] = field(default_factory=set)
    refused: set[FieldPath] = field(default_factory=set)

    def locate(self, path: FieldPath) -> Mark:
        """The best position for ``path``: the value for a scalar, the key for a collection.

        A path that does not exist (a missing field) falls back to its nearest existing parent.
        """
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.values:
                if prefix not in self.scalars and prefix in self.keys:
                    return self.keys[prefix]
                return self.values[prefix]
        return Mark(1, 1)

    def is_refused(self, path: FieldPath) -> bool:
        """Whether ``path`` lies inside a value already reported as refused (alias, tag…)."""
        return any(path[: len(r)] == r for r in self.refused)


@dataclass
class LoadedYaml:
    """The outcome of loading one file: data (None when unreadable), marks and problems."""

    file: str
    data: Any
    marks: SourceMap
    problems: list[Problem]
    text: str = ""


def read_text(path: Path, display: str) -> tuple[str, list[Problem]]:
    """Read ``path`` as text, refusing what is not a YAML text file. Raises InputFileError."""
    if not path.exists():
        raise InputFileError(display, "文件不存在")
    if path.is_dir():
        raise InputFileError(display, "这是一个目录，其中没有 .yaml/.yml 数据文件")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError(display, f"文件过大（{size // 1024} KiB），上限为 {MAX_BYTES // 1024 // 1024} MiB")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(display, f"无法读取文件（{exc.strerror or exc}）") from exc
    return decode(raw, display)


def decode(raw: bytes, display: str) -> tuple[str, list[Problem]]:
    """Bytes to text: UTF-8 (with or without BOM), else GB18030 with a warning."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(display, "文件为 UTF-16 编码，请另存为 UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputFileError(display, "不是文本文件（含有 NUL 字节），请检查是否选错了文件", line)
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputFileError(
                display, f"文件不是 UTF-8 编码（第 {bad_line} 行有无法识别的字节），请另存为 UTF-8", bad_line
            ) from exc
    note = Problem(display, bad_line, 1, Severity.WARNING, (),
                   "文件不是 UTF-8 编码，已按 GB18030（GBK）读取；建议另存为 UTF-8")
    return text, [note]


def load_file(path: Path, display: str | None = None) -> LoadedYaml:
    """Read and parse ``path``. Raises InputFileError only when the file cannot be read at all."""
    shown = display if display is not None else str(path)
    text, problems = read_text(path, shown)
    loaded = load_text(text, shown)
    loaded.problems[:0] = problems
    return loaded


def load_text(text: str, display: str) -> LoadedYaml:
    """Parse YAML ``text``; syntax errors become problems and leave ``data`` as None."""
    marks = SourceMap()
    unprintable = _UNPRINTABLE.search(text)
    if unprintable:  # checked here, not by the parser, to locate it by character on every parser
        at = unprintable.start()
        where = position(text, at)
        message = f"含有 Word 无法保存的控制字符 U+{ord(unprintable.group()):04X}，请删除"
        problem = Problem(display, where.line, where.column, Severity.ERROR, (), message)
        return LoadedYaml(display, None, marks, [problem], text)
    loader = _Loader(text, display)
    try:
        node = loader.get_single_node()
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as exc:
        return LoadedYaml(display, None, marks, [*loader.problems, _syntax_problem(exc, text, display)], text)
    except RecursionError:  # the pure-Python parser has no depth limit of its own
        return LoadedYaml(display, None, marks, [Problem(display, 1, 1, Severity.ERROR, (), _TOO_DEEP)], text)
    finally:
        loader.dispose()
    problems = loader.problems
    if node is None:
        problems.append(Problem(display, 1, 1, Severity.ERROR, (), "文件中没有数据（为空或只有注释）"))
        return LoadedYaml(display, None, marks, problems, text)
    builder = _Builder(display, marks, problems, loader.refused_nodes)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        problems.append(Problem(display, _mark(node).line, _mark(node).column, Severity.ERROR, (),
                                "文件顶层应为“键: 值”的映射"))
        data = None
    return LoadedYaml(display, data, marks, problems, text)


class _RefusingComposer(Composer):
    """PyYAML's composer, refusing anchors, aliases and tags before anything is expanded."""

    display: str
    problems: list[Problem]
    refused_nodes: set[int]
    # Provided by the parser this is mixed with (PyYAML's Parser or libyaml's CParser).
    check_event: Any
    peek_event: Any
    get_event: Any
    dispose: Any

    def _start(self, display: str) -> None:
        Composer.__init__(self)
        Resolver.__init__(self)  # type: ignore[arg-type]
        self.display = display
        self.problems = []
        self.refused_nodes = set()

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self._refuse(event.start_mark, f"不支持别名“*{event.anchor}”（引用可能展开成极大的数据），请直接写出内容")
            placeholder = ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
            self.refused_nodes.add(id(placeholder))
            return placeholder
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        tag = getattr(event, "tag", None)
        if anchor is not None:
            self._refuse(event.start_mark, f"不支持锚点“&{anchor}”，请直接写出内容")
            event.anchor = None  # never registered, so no alias can reach it
        refused = tag not in (None, "!")
        if refused:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            self._refuse(event.start_mark, f"不支持 YAML 标签“{shown}”，请去掉它")
        node = super().compose_node(parent, index)
        if refused or anchor is not None:
            self.refused_nodes.add(id(node))
        return node

    def _refuse(self, mark: yaml.Mark, message: str) -> None:
        self.problems.append(Problem(self.display, mark.line + 1, mark.column + 1, Severity.ERROR, (), message))


class _PythonLoader(Reader, Scanner, Parser, _RefusingComposer, Resolver):
    """Pure-Python scanning and parsing, where PyYAML was built without libyaml."""

    def __init__(self, text: str, display: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        self._start(display)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CLoader(_RefusingComposer, CParser, Resolver):
        """libyaml scans and parses (ten times faster); composing stays ours, in Python."""

        def __init__(self, text: str, display: str) -> None:
            CParser.__init__(self, text)
            self._start(display)

    _Loader: Any = _CLoader
else:  # pragma: no cover - PyYAML wheels ship libyaml
    _Loader = _PythonLoader

# Characters outside YAML's printable set (YAML 1.1 §5.1), which Word cannot store either. Written
# as the complement's few small ranges: the negated class compiled ten times slower.
_UNPRINTABLE = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]")


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class _Builder:
    """Turns a composed node tree into plain Python values, filling the source map."""

    display: str
    marks: SourceMap
    problems: list[Problem]
    refused_nodes: set[int]

    def build(self, node: Node, path: FieldPath) -> Any:
        self.marks.values[path] = _mark(node)
        if id(node) in self.refused_nodes:
            self.marks.refused.add(path)
            self.marks.scalars.add(path)
            return None
        if isinstance(node, ScalarNode):
            self.marks.scalars.add(path)
            self._refuse_escaped_unprintable(node, path)
            return scalar_value(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return dict(self._entries(node, path))
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover - PyYAML has no other kind

    def _entries(self, node: MappingNode, path: FieldPath) -> Iterator[tuple[str, Any]]:
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            where = _mark(key_node)
            if not isinstance(key_node, ScalarNode):
                self._error(where, path, "键必须是简单的文本，不能是列表或映射")
                continue
            key = str(key_node.value)
            self._refuse_escaped_unprintable(key_node, (*path, key))
            if key in seen:
                self._error(where, (*path, key), f"重复的键“{key}”（第 {seen[key].line} 行已有），请合并或删除一处")
                continue
            seen[key] = where
            child = (*path, key)
            self.marks.keys[child] = where
            yield key, self.build(value_node, child)

    def _refuse_escaped_unprintable(self, node: ScalarNode, path: FieldPath) -> None:
        """A double-quoted scalar may spell with escapes (``"\\uFFFE"``) what the text itself may not hold."""
        found = _UNPRINTABLE.search(node.value) if node.style == '"' else None
        if found:
            self._error(_mark(node), path, f"含有 Word 无法保存的字符 U+{ord(found.group()):04X}"
                                           f"（引号内第 {found.start() + 1} 个字符，由转义写成），请删除")

    def _error(self, where: Mark, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(self.display, where.line, where.column, Severity.ERROR, path, message))


def scalar_value(node: ScalarNode) -> Any:
    """A scalar's value under YAML 1.2 core rules, with decimals as ``Decimal``."""
    text: str = node.value
    if node.style:  # quoted or block scalars are always text (plain is None, or "" from libyaml)
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Decimal(text)
    return text


_TOO_DEEP = "列表或映射嵌套得太深，这不是一份报告数据"

_SYNTAX_HINTS = (
    ("maximum nesting depth", _TOO_DEEP),
    ("'\\t' that cannot start any token", "不能用制表符（Tab）缩进或分隔，请改用空格"),
    ("tab character", "不能用制表符（Tab）缩进或分隔，请改用空格"),
    ("mapping values are not allowed here", "此处不能出现“键: 值”：可能是缩进有误，或文本中的“: ”需要加引号"),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的引号没有闭合"),
    ("expected <block end>", "缩进不一致：同一层的键应对齐"),
    ("found another document", "一个文件只能有一份数据（发现了第二个“---”文档）"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found undefined tag handle", "不支持 YAML 标签，请去掉它"),
    ("expected ',' or ']'", "方括号“[”没有闭合，或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号“{”没有闭合，或各项之间缺少逗号"),
    ("did not find expected ',' or ']'", "方括号“[”没有闭合，或列表项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号“{”没有闭合，或各项之间缺少逗号"),
    ("mapping values are not allowed", "此处不能出现“键: 值”：可能是缩进有误，或文本中的“: ”需要加引号"),
    ("cannot start any token", "这个字符不能作为值的开头，请给这个值加引号"),
    ("did not find expected key", "缩进不一致，或列表项与键混在同一层"),
    ("did not find expected node content", "缺少内容：检查这一行的缩进和符号"),
    ("invalid Unicode character escape code", "引号内的转义（“\\u…”）写成了不存在的字符，请删除"),
    ("found unknown escape character", "引号内有无法识别的转义（“\\”），请改用单引号或去掉“\\”"),
)


_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_]\w*\s*(：)")
_NO_SPACE_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_]\w*(:)(?=[^\s/])")


def _likely_culprit(lines: list[str], line: int) -> tuple[int, int, str] | None:
    """The slips Chinese keyboards make most, which YAML reports a line or two later: a
    full-width space in the indentation, a full-width colon after a key, no space after a colon."""
    for number in range(line, max(line - 3, 0), -1):
        text = lines[number - 1] if number <= len(lines) else ""
        indent = len(text) - len(text.lstrip(" "))
        if text[indent:indent + 1] == "\t":  # libyaml does not say which character it could not take
            return number, indent + 1, "不能用制表符（Tab）缩进或分隔，请改用空格"
        if text[indent:indent + 1] == "\u3000":
            return number, indent + 1, "行首用了全角空格“　”，缩进只能用半角空格"
        full = _FULL_WIDTH_COLON.match(text)
        if full:
            return number, full.start(1) + 1, "键后面用了中文冒号“：”，要用英文冒号加一个空格“: ”"
        tight = _NO_SPACE_COLON.match(text)
        if tight:
            return number, tight.start(1) + 1, "冒号“:”后面要有一个空格"
    return None


_OPENED = re.compile(r'^\s*(?:-\s+)?(?:[^\s"\'\[#][^:#]*:\s+)?(?P<open>["\[])(?P<rest>.*)$')


def _unclosed(lines: list[str], before: int) -> tuple[int, int, str] | None:
    """The first line up to ``before`` whose value opens a double quote or a bracket and never closes
    it on that line: the parser only notices lines later (at the next quote, or the end of the file)."""
    for number, text in enumerate(lines[:before], start=1):
        match = _OPENED.match(text.split(" #", 1)[0] if '"' not in text else text)
        if not match:
            continue
        rest = match["rest"].replace('\\"', "")
        # A flow list may go on over several lines: it is closed once its own depth returns to 0.
        closed = '"' in rest if match["open"] == '"' else _closes("".join([rest, *lines[number:before]]))
        if not closed:
            message = ("引号没有闭合：在这一行的末尾补上“\"”" if match["open"] == '"'
                       else "方括号“[”没有闭合：在这一行的末尾补上“]”")
            return number, match.start("open") + 1, message
    return None


def _closes(after: str) -> bool:
    """Whether a bracket opened just before ``after`` is closed in it (nested pairs counted, quoted
    text skipped): a later line's own unclosed bracket must not make this one look open."""
    depth, quote = 1, ""
    for char in after:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return True
    return False


def _syntax_problem(exc: yaml.YAMLError, text: str, display: str) -> Problem:
    problem = str(getattr(exc, "problem", None) or getattr(exc, "context", None) or exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "quoted scalar" in str(getattr(exc, "context", "")) and getattr(exc, "context_mark", None):
        mark = exc.context_mark  # type: ignore[attr-defined]  # where the unclosed quote opens
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    lines = text.splitlines()
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in problem), f"YAML 语法错误（{problem}）")
    culprit = _unclosed(lines, line) or _likely_culprit(lines, line)
    if culprit is not None:
        line, column, hint = culprit
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if len(shown) > 40:
        shown = shown[:40] + "…"
    message = f"{hint}；该行为“{shown}”" if shown else hint
    return Problem(display, line, column, Severity.ERROR, (), message)
