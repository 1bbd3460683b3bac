"""Editing a data file the way its user wrote it: ruamel.yaml's round trip, made to keep what it would not.

A file edited here is written back the way the user wrote it:

* the same line ends (LF or CRLF; a file mixing both gets the more frequent one, with a warning);
* a UTF-8 byte-order mark if and only if the file had one;
* the same encoding: UTF-8, or GB18030 for a file the loader could only read as GB18030 (GBK is
  part of it). GB18030 encodes every character, so the new text always fits and the file is never
  silently converted; a warning says the new file is GB18030 too and suggests saving as UTF-8;
* the same indentation (nested keys, and the ``-`` of a list under its key, as the file has them
  most often; ruamel.yaml has one setting for the whole file, so a file mixing styles is evened
  out, with a warning naming a line written the other way);
* an explicit ``---`` (with what stands above it) and ``...``;
* every blank line and every comment. ruamel.yaml drops or moves a few comments: one between a key
  (or a list's ``-``) and a value on a later line is refused before anything happens, located, with
  what to do; ``{…}``/``[…]`` collections written over several lines or holding comments are copied
  from the original text when new-year leaves them unchanged (ruamel.yaml would put them on one line
  and drop their comments). Last, every comment of the original must be in the new text, or nothing
  is written and the comment's line is reported: a comment is never lost silently. Only the end-of-line
  comment of a figure new-year removes (``reason``, ``score``…) goes with it, and so does the old
  review list with the header new-year wrote above it; comment lines below a removed figure stay.

Nothing ruamel.yaml fails on is an internal error: it is a located problem of the file, and the new
file is written atomically, so a refusal leaves nothing behind (and the input is never written).
"""

from __future__ import annotations

import bisect
import codecs
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from selfeval_cli.errors import FileError, InputFileError
from selfeval_cli.model.values import FieldPath


class RoundTripError(FileError):
    """ruamel.yaml cannot keep this file's layout (its parser is stricter than libyaml in places)."""

    code = "round_trip"


_BOM = codecs.BOM_UTF8
_LINE_END = re.compile(r"\r\n|\n|\r")
REVIEW_HEADER = ("待核对清单（selfeval new-year 生成，", "selfeval validate 会一直提示未处理的条目。")
"""The two comment lines new-year writes above the review list; a previous year's pair is dropped."""
_OLD_HEADER = re.compile(
    rf"(?m)^\n# {re.escape(REVIEW_HEADER[0])}\d+年）：.*\n# {re.escape(REVIEW_HEADER[1])}\n(?!review:)")
_NODE_START = (yaml.ScalarToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken,
               yaml.AnchorToken, yaml.TagToken, yaml.AliasToken)
"""Tokens a value starts with, when ruamel.yaml loses a comment between its key and it."""
_ENTRY_START = (*_NODE_START, yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)
"""Tokens a list item starts with, when ruamel.yaml moves a comment between its ``-`` and it."""


@dataclass(frozen=True)
class _Comment:
    """One comment of a text: where its ``#`` stands and what follows it on the line."""

    index: int
    line: int
    column: int
    text: str


@dataclass
class Layout:
    """How the user wrote the file, so that the new one is written the same way."""

    text: str
    """The file's text with LF line ends and no BOM: what ruamel.yaml reads and writes."""
    tree: yaml.Node
    comments: list[_Comment]
    newline: str = "\n"
    bom: bool = False
    encoding: str = "utf-8"
    indent: tuple[int, int, int] = (2, 4, 2)
    """ruamel.yaml's ``mapping``, ``sequence`` and ``offset``: see ``_guess_indent``."""
    notes: list[tuple[int, str]] = field(default_factory=list)
    """(line of the original, 0 for the new file as a whole; message) to report as warnings."""
    preamble: str | None = None
    """What stands above an explicit ``---`` (ruamel.yaml drops it), None without one."""
    explicit_end: bool = False
    """Whether the document ends with ``...``."""


def read_layout(source: Path, loaded: str, display: str) -> Layout:
    """Read how ``source`` is written. Raises a FileError for what new-year cannot keep.

    The bytes are read again: the loader gives the decoded text only, not the BOM or encoding.
    """
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise InputFileError(display, f"无法读取文件（{exc.strerror or exc}）") from exc
    bom = raw.startswith(_BOM)
    body = raw[len(_BOM):] if bom else raw
    try:
        text, encoding = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:  # the loader's rule: what is not UTF-8 was read as GB18030
        text, encoding = body.decode("gb18030", errors="replace"), "gb18030"
    if text != loaded:
        raise InputFileError(display, "文件在读取过程中被改动，请保存后重试")
    newline, notes = _line_ends(text)
    text = _LINE_END.sub("\n", text)
    tree, tokens = _parse(text, display)
    layout = Layout(text, tree, _comments(text, tokens), newline, bom, encoding, notes=notes)
    _refuse_misplaced_comment(layout, tokens, display)
    layout.indent, uneven = _guess_indent(tree)
    layout.notes += uneven
    starts = [token.start_mark.index for token in tokens if isinstance(token, yaml.DocumentStartToken)]
    layout.preamble = text[:starts[0]] if starts else None
    layout.explicit_end = any(isinstance(token, yaml.DocumentEndToken) for token in tokens)
    if encoding != "utf-8":
        layout.notes.append((0, "原文件为 GB18030（GBK）编码，新文件同样以 GB18030 写出；建议另存为 UTF-8"))
    return layout


def _parse(text: str, display: str) -> tuple[yaml.Node, list[yaml.Token]]:
    """``text`` composed and scanned by PyYAML, which keeps where every token and node stands."""
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # validate read it with libyaml: only a parser difference gets here
        raise _failure(exc, text, display) from exc
    if tree is None:
        raise RoundTripError(display, "文件中没有数据")
    return tree, tokens


def _line_ends(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The file's line end, and a note locating the first line that ends otherwise when it mixes them."""
    ends = [m.group() for m in _LINE_END.finditer(text)]
    newline = "\r\n" if ends.count("\r\n") * 2 > len(ends) else "\n"
    odd = next((line for line, end in enumerate(ends, 1) if end != newline), 0)
    if not odd:
        return newline, []
    name = "CRLF（Windows）" if newline == "\r\n" else "LF"
    return newline, [(odd, f"原文件混用了不同的换行符（这一行与多数不同），新文件统一为 {name}")]


def _comments(text: str, tokens: list[yaml.Token]) -> list[_Comment]:
    """Every comment of ``text``: from a ``#`` outside every scalar to the end of its line."""
    spans: list[tuple[int, int]] = []
    for token in tokens:
        if isinstance(token, yaml.ScalarToken):
            start = token.start_mark.index
            if token.style in ("|", ">"):  # a comment may follow the indicator: `text: |  # 说明`
                header_end = text.find("\n", start)
                start = header_end if header_end >= 0 else len(text)
            spans.append((start, token.end_mark.index))
    starts = [start for start, _ in spans]
    found: list[_Comment] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        at = line.find("#")
        while at >= 0 and _inside(spans, starts, offset + at):
            at = line.find("#", at + 1)
        if at >= 0:
            found.append(_Comment(offset + at, number, at + 1, line[at:].rstrip()))
        offset += len(line) + 1
    return found


def _inside(spans: list[tuple[int, int]], starts: list[int], index: int) -> bool:
    """Whether ``index`` falls in one of the sorted, disjoint ``spans``."""
    at = bisect.bisect_right(starts, index) - 1
    return at >= 0 and index < spans[at][1]


def _refuse_misplaced_comment(layout: Layout, tokens: list[yaml.Token], display: str) -> None:
    """Refuse a comment between a key (or a list's ``-``) and its value on a later line.

    ruamel.yaml drops such a comment, moves it behind the value, or fails ("overlap in comment"),
    depending on what follows; there is no way to write it back where it was.
    """
    indexes = [comment.index for comment in layout.comments]
    flow = 0
    for before, token, after in zip([None, *tokens], tokens, tokens[1:], strict=False):
        if isinstance(token, yaml.FlowMappingStartToken | yaml.FlowSequenceStartToken):
            flow += 1
        elif isinstance(token, yaml.FlowMappingEndToken | yaml.FlowSequenceEndToken):
            flow -= 1
        if flow:  # inside {…} and […] the collection is copied as written: see _keep_flow_collections
            continue
        if isinstance(token, yaml.ValueToken) and isinstance(after, _NODE_START):
            name = f"“{before.value}:”" if isinstance(before, yaml.ScalarToken) else "键"
            what, where = f"{name}和它的值", name
        elif isinstance(token, yaml.BlockEntryToken) and isinstance(after, _ENTRY_START):
            what, where = "列表项的“-”和它的内容", "“-”"
        else:
            continue
        at = bisect.bisect_left(indexes, token.end_mark.index)
        if at < len(indexes) and indexes[at] < after.start_mark.index:
            comment = layout.comments[at]
            message = (f"这条注释夹在{what}之间，无法按原样写入新文件（ruamel.yaml 会丢掉或挪动它）；"
                       f"请把它移到{where}的上一行后再试")
            raise RoundTripError(display, message, comment.line, comment.column)


def _guess_indent(tree: yaml.Node) -> tuple[tuple[int, int, int], list[tuple[int, str]]]:
    """ruamel.yaml's (mapping, sequence, offset) as the file has them most often, and a note if it mixes them.

    ``mapping``: how far nested keys stand right of their key; ``offset``: how far a list's ``-``
    does; ``sequence``: how far the item after the ``-`` does. ``key:\\n  - x`` is (…, 4, 2),
    ``key:\\n- x`` is (…, 2, 0). ruamel.yaml's own ``load_yaml_guess_indent`` looks at the first
    ``- `` of the text, which may be a line of prose in a block scalar, and mixes the two measures.
    """
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    first_line: dict[object, int] = {}
    for key, value in _block_children(tree):
        step = value.start_mark.column - key.start_mark.column
        if isinstance(value, yaml.MappingNode):
            mappings[step] += 1
            first_line.setdefault(step, value.start_mark.line + 1)
        elif value.value and value.value[0].start_mark.line == value.start_mark.line:
            style = (value.value[0].start_mark.column - key.start_mark.column, step)
            sequences[style] += 1
            first_line.setdefault(style, value.start_mark.line + 1)
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (mapping + 2, mapping)
    odd = [first_line[style] for style in [*mappings, *sequences] if style not in (mapping, (sequence, offset))]
    note = "原文件的缩进写法不统一（这一行与多数不同），新文件统一按多数的写法缩进"
    return (mapping, sequence, offset), [(min(odd), note)] if odd else []


def _block_children(node: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """(key, value) for every block collection standing under a key on its own lines."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            nested = isinstance(value, yaml.MappingNode | yaml.SequenceNode) and not value.flow_style
            if nested and value.start_mark.line > key.start_mark.line:
                yield key, value
            yield from _block_children(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _block_children(item)


def load_round_trip(text: str, display: str) -> Any:
    """The file as ruamel.yaml's round-trip tree. Raises RoundTripError where it cannot read it."""
    try:
        return round_trip_yaml().load(text)
    except Exception as exc:  # ruamel.yaml fails in more ways than YAMLError ("overlap in comment"…)
        raise _failure(exc, text, display) from exc


def _failure(exc: Exception, text: str, display: str) -> RoundTripError:
    """What a parser failed on, located: its mark, else a token it names, else the last event ruamel.yaml read."""
    problem = getattr(exc, "problem", None) or str(exc).split("[", 1)[0].strip() or type(exc).__name__
    hint = "（把 Tab 换成空格）" if "\\t" in str(problem) else ""  # the parsers quote it as '\\t'
    if problem == "overlap in comment":  # ruamel.yaml's words for a comment between a key and its value
        problem, hint = "注释夹在键和值之间", "（把注释移到键的上一行）"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    named = re.search(r"line: (\d+), col: (\d+)", str(exc))  # a token in the message: CommentToken(…, line: 3, col: 2)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif named:
        line, column = int(named[1]) + 1, int(named[2]) + 1
    else:
        line, column = _last_read(text)
    return RoundTripError(display, f"这一处无法按原样改写（{problem}）{hint}，请修改后再试", line, column)


def _last_read(text: str) -> tuple[int, int]:
    """Where ruamel.yaml's parser fails: the start of the last event it produced; (0, 0) if it does not fail."""
    last = (0, 0)
    try:
        for event in round_trip_yaml().parse(text):
            last = (event.start_mark.line + 1, event.start_mark.column + 1)
    except Exception:  # the failure being located
        return last
    return (0, 0)  # the parser is not what failed: the file as a whole


def render(document: Any, layout: Layout, display: str) -> bytes:
    """``document`` as the bytes of the new file, written as the original was. Raises RoundTripError."""
    buffer = io.StringIO()
    try:
        round_trip_yaml(layout).dump(document, buffer)
    except Exception as exc:  # as in load_round_trip: never a traceback; nothing in the file to point at
        raise RoundTripError(display, f"无法按原样写出新文件（ruamel.yaml：{exc}）") from exc
    text = _OLD_HEADER.sub("", buffer.getvalue())
    if layout.preamble and text.startswith("---"):
        text = layout.preamble + text
    text = _keep_flow_collections(layout, text)
    _check_comments(layout, text, display)
    return (_BOM if layout.bom else b"") + text.replace("\n", layout.newline).encode(layout.encoding)


def _keep_flow_collections(layout: Layout, text: str) -> str:
    """Copy ``{…}``/``[…]`` written over several lines or holding comments from the original.

    ruamel.yaml writes every flow collection on one line and drops the comments in it; one that
    new-year did not change is put back as the user wrote it. The copy is checked: the new text
    must read as the same data, else it is left as ruamel.yaml wrote it (and _check_comments says
    which comment is lost).
    """
    def wanted(node: yaml.Node) -> bool:
        start, end = node.start_mark.index, node.end_mark.index
        return "\n" in layout.text[start:end] or any(start <= c.index < end for c in layout.comments)

    originals = [(path, node) for path, node in _flow_collections(layout.tree, ()) if wanted(node)]
    try:
        written = dict(_flow_collections(yaml.compose(text, Loader=yaml.SafeLoader), ())) if originals else {}
    except yaml.YAMLError:  # _check_comments reports it, located
        return text
    edits = []
    for path, node in originals:
        new = written.get(path)
        old_text = layout.text[node.start_mark.index:node.end_mark.index]
        if new is not None and _same_data(old_text, text[new.start_mark.index:new.end_mark.index]):
            edits.append((new.start_mark.index, new.end_mark.index, old_text))
    kept = text
    for start, end, old_text in sorted(edits, reverse=True):
        kept = kept[:start] + old_text + kept[end:]
    return kept if _same_data(kept, text) else text


def _flow_collections(node: yaml.Node | None, path: FieldPath) -> Iterator[tuple[FieldPath, yaml.Node]]:
    """(path, node) of every outermost flow collection under ``node``."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.flow_style:
        yield path, node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _flow_collections(value, (*path, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _flow_collections(item, (*path, index))


def _same_data(one: str, other: str) -> bool:
    """Whether two YAML texts hold the same data."""
    try:
        return bool(yaml.safe_load(one) == yaml.safe_load(other))
    except yaml.YAMLError:
        return False


def _check_comments(layout: Layout, text: str, display: str) -> None:
    """Refuse, located, when a comment of the original is missing from the new text.

    The net under everything above: whatever ruamel.yaml does, a comment is never lost silently.
    Exempt are the end-of-line comments of what new-year removes and its own old review header.
    """
    new_tree, tokens = _parse(text, display)
    kept = Counter(comment.text for comment in _comments(text, tokens))
    removed = _removed_lines(layout.tree, new_tree, layout.text)
    for comment in layout.comments:
        if comment.line in removed or comment.text.startswith((f"# {REVIEW_HEADER[0]}", f"# {REVIEW_HEADER[1]}")):
            continue
        if kept[comment.text] > 0:
            kept[comment.text] -= 1
            continue
        shown = comment.text if len(comment.text) <= 30 else comment.text[:30] + "…"
        raise RoundTripError(display, f"这条注释（{shown}）无法按原样写入新文件（ruamel.yaml 会丢掉它）；"
                                       "请把它单独写成一行、放在所注释的键的上一行后再试", comment.line, comment.column)


def _removed_lines(old: yaml.Node, new: yaml.Node | None, text: str, top: bool = True) -> set[int]:
    """Lines of ``text`` holding keys new-year removed (and the old review list), key to value's end."""
    lines: set[int] = set()
    if isinstance(old, yaml.MappingNode) and not old.flow_style:
        written = {key.value: value for key, value in new.value} if isinstance(new, yaml.MappingNode) else {}
        for key, value in old.value:
            if key.value not in written or (top and key.value == "review"):
                lines.update(range(key.start_mark.line + 1, _last_line(value, text) + 1))
            else:
                lines |= _removed_lines(value, written[key.value], text, top=False)
    elif isinstance(old, yaml.SequenceNode) and isinstance(new, yaml.SequenceNode):
        for item, new_item in zip(old.value, new.value, strict=False):
            lines |= _removed_lines(item, new_item, text, top=False)
    return lines


def _last_line(node: yaml.Node, text: str) -> int:
    """The line of ``node``'s last character (a block collection's end mark lies past its comments)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(node, yaml.MappingNode) else last, text)
    start = node.start_mark.index
    end = start + len(text[start:node.end_mark.index].rstrip())
    return text.count("\n", 0, end) + 1


def round_trip_yaml(layout: Layout | None = None) -> Any:
    """ruamel.yaml set up to write as ``layout`` says (to read, any layout will do)."""
    from ruamel.yaml import YAML

    round_trip = YAML()  # round-trip: comments, order, quoting and block scalars survive
    round_trip.preserve_quotes = True
    round_trip.width = 100_000  # never re-wrap a long line of prose
    mapping, sequence, offset = layout.indent if layout else (2, 4, 2)
    round_trip.indent(mapping=mapping, sequence=sequence, offset=offset)
    if layout is not None:
        round_trip.explicit_start = layout.preamble is not None
        round_trip.explicit_end = layout.explicit_end
    return round_trip


def insert_after(node: Any, key: str, new_key: str, value: Any) -> None:
    """Insert ``new_key`` after ``key``, keeping ``key``'s end-of-line comment on its own line.

    ruamel.yaml hangs the blank lines and comments that follow a value on that value; moved
    as they are, they would end up above the new key instead of below it.
    """
    from ruamel.yaml.tokens import CommentToken

    node.insert(list(node).index(key) + 1, new_key, value)
    slots = node.ca.items.get(key)
    token = slots[2] if slots and len(slots) > 2 else None
    if token is None:
        return
    own_line, _, following = token.value.partition("\n")
    if not following:
        return
    if own_line.strip():
        token.value = own_line + "\n"
    else:
        slots[2] = None
    node.ca.items[new_key] = [None, None, CommentToken("\n" + following, token.start_mark), None]


def pop(node: Any, key: str) -> None:
    """Remove ``key``, keeping the comment lines above and below it.

    ruamel.yaml hangs the comment and blank lines below a value on that value, and after a
    ``{…}`` value the lines above the next key on that key: removed with it, they would be lost
    although they introduce what follows. They are hung below the previous key instead. The
    end-of-line comment goes with the value it annotates.
    """
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(node, CommentedMap) or key not in node:
        return
    keys = list(node)
    below, mark = take_below(node, key)
    slots = node.ca.items.pop(key, None)
    above_tokens = slots[1] if slots and isinstance(slots[1], list) else []
    above = "".join(" " * token.column + token.value for token in above_tokens)
    node.pop(key)
    at = keys.index(key)
    if (above or below) and at > 0:
        hang_below(node, keys[at - 1], above + below, mark or (above_tokens[0].start_mark if above_tokens else None))


def take_below(node: Any, at: Any) -> tuple[str, Any]:
    """Remove and return the comment and blank lines below the value at ``at`` (and their mark)."""
    value, slot = node[at], 2 if isinstance(node, dict) else 0
    last = _last_in_block(value)
    if last is not None:
        return take_below(value, last)
    slots = node.ca.items.get(at)
    token = slots[slot] if slots and len(slots) > slot else None
    if token is None:
        return "", None
    if _is_block_scalar(value):  # no end-of-line comment: the token starts below, its indent in the mark
        slots[slot] = None
        return " " * token.column + token.value, token.start_mark
    own_line, _, below = token.value.partition("\n")
    if own_line.strip():
        token.value = own_line + "\n"
    else:
        slots[slot] = None
    return below, token.start_mark


def _is_block_scalar(value: Any) -> bool:
    """Whether ``value`` is written as ``|`` or ``>`` text, after which ruamel.yaml keeps comments differently."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, LiteralScalarString | FoldedScalarString)


def _last_in_block(value: Any) -> Any:
    """The last key or index of a non-empty block collection (whose last value holds the lines below it), else None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(value, CommentedMap | CommentedSeq) or not value or value.fa.flow_style():
        return None
    return list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1


def hang_below(node: Any, at: Any, lines: str, mark: Any) -> None:
    """Hang comment and blank ``lines`` below the value at ``at`` of ``node``, where ruamel.yaml writes them from."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    value, slot = node[at], 2 if isinstance(node, dict) else 0
    last = _last_in_block(value)
    if last is not None:
        hang_below(value, last, lines, mark)
        return
    slots = node.ca.items.setdefault(at, [None, None, None, None])
    if slots[slot] is None and _is_block_scalar(value):  # see take_below
        stripped = lines.lstrip(" ")
        slots[slot] = CommentToken(stripped, CommentMark(len(lines) - len(stripped)))
    elif slots[slot] is None:
        slots[slot] = CommentToken("\n" + lines, mark or CommentMark(0))
    else:  # after the lines already there (an end-of-line comment ends with its line break)
        existing = slots[slot].value
        slots[slot].value = existing + ("" if existing.endswith("\n") else "\n") + lines
