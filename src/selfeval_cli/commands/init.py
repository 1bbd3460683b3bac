"""A new department's first data file (``selfeval init``), written from the model itself.

Every field the chosen outline needs is present, each with its Chinese description as a comment
and ``待填`` where a text, an amount, a count or a date goes, so that ``validate`` lists, with line
numbers, exactly what is left to fill. Optional fields of the parts written are there too,
commented out; optional parts the outline does not need (income, "三公", the 自评表…) are named
in a comment at the end. The file starts with the schema line, pointing at the schema from
wherever the file is written, so editors complete and explain every key.
"""

from __future__ import annotations

import datetime as dt
import os
import types
import typing
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from selfeval_cli.errors import OutlineError, OutputError, UsageError
from selfeval_cli.model.lazy import resolve
from selfeval_cli.model.loader import DATA_SUFFIXES
from selfeval_cli.model.report import Report
from selfeval_cli.outputs import check_output_path, write_atomically
from selfeval_cli.render.outline_folders import find_outline
from selfeval_cli.vocabulary import DEFAULT_OUTLINE, TO_FILL

INDENT = "  "


@dataclass
class InitResult:
    """What init wrote, and for which outline and year."""

    output: Path
    outline: str
    year: int


def schema_file() -> Path:
    """The JSON Schema shipped with selfeval: inside the installed package, else the source tree's."""
    packaged = Path(__file__).parents[1] / "schemas" / "selfeval.schema.json"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas" / "selfeval.schema.json"


def schema_reference(target: Path) -> str:
    """How the data file at ``target`` names the schema: relative where it can, else a file URI."""
    schema = schema_file().resolve()
    try:
        return Path(os.path.relpath(schema, target.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return schema.as_uri()


def make_data_file(target: Path, *, outline: str | None = None, year: int | None = None,
                   department: str | None = None, table: bool = False, force: bool = False) -> InitResult:
    """Write a new data file to ``target`` (with ``table``, a 自评表 to fill as well). Raises UsageError
    for an unknown outline, OutputError when ``target`` exists (without ``force``) or cannot be written."""
    try:
        chosen = find_outline(outline, target.parent)
    except OutlineError as exc:
        raise UsageError(str(exc)) from exc
    check_output_path(target, [], DATA_SUFFIXES)
    if target.exists() and not force:
        raise OutputError(str(target), "文件已存在；确认要覆盖请加 --force")
    year = year or dt.date.today().year - 1  # the report is written early in the following year
    lines = [f"# yaml-language-server: $schema={schema_reference(target)}",
             "#",
             f"# {year}年度部门整体支出绩效自评报告的数据（提纲：{chosen.name}"
             f"{'，' + chosen.title if chosen.title else ''}）。",
             f"# 把每个“{TO_FILL}”换成实际内容；selfeval validate 会逐个列出还没填的地方和行号。",
             "# 编号、金额单位“万元”、字体和版式由 selfeval 生成，不要写进数据；金额写数字，保留两位小数。",
             ""]
    known: dict[str, Any] = {"year": year}
    if outline and outline != DEFAULT_OUTLINE:
        known["outline"] = outline
    if department:
        known["department.name"] = known["closing.signature"] = department
    needed = set(chosen.requires) | ({"assessment"} if table else set())
    writer = _Writer(known, {key.replace("[]", "") for key in needed})
    for name, info in Report.model_fields.items():
        if info.is_required() or name in needed or name in known:
            writer.field(name, info, 0, name)
    left = [f"{name}（{_short(info)}）" for name, info in Report.model_fields.items()
            if not (info.is_required() or name in needed or name in known) and name != "review"]
    lines += writer.lines
    lines += ["", "# 可选的部分（需要时照 README 或 JSON Schema 的说明添加）：", *(f"#   {text}" for text in left)]
    write_atomically(target, ("\n".join(lines) + "\n").encode("utf-8"))
    return InitResult(target, chosen.name, year)


def _short(info: FieldInfo) -> str:
    return (info.description or "").split("；")[0].split("（")[0]


class _Writer:
    """Emits YAML lines for model fields: comments from descriptions, ``待填`` for values."""

    def __init__(self, known: dict[str, Any], needed: AbstractSet[str] = frozenset()) -> None:
        self.known = known
        self.needed = needed
        """Dotted paths of optional fields the outline needs (``department.units.duties``): written out."""
        self.lines: list[str] = []

    def field(self, name: str, info: FieldInfo, depth: int, path: str, first: str = "") -> None:
        """One field: its description as a comment, then ``name: value`` (or a nested block).

        ``first`` is the "- " that starts a list item, written before the first key instead of indent.
        """
        pad = INDENT * depth
        if info.description:
            self.lines.append(f"{pad}# {info.description}")
        lead = (pad[:-2] + first) if first else pad
        kind = _unwrap(info.annotation)
        if path in self.known:
            self.lines.append(f"{lead}{name}: {self.known[path]}")
        elif _is_model(kind):
            self.lines.append(f"{lead}{name}:")
            self.model(kind, depth + 1, path)
        elif typing.get_origin(kind) is list:
            self.lines.append(f"{lead}{name}:")
            self.item(typing.get_args(kind)[0], depth + 1, path)
        elif typing.get_origin(kind) is dict:
            self.lines.append(f"{lead}{name}: {{}}")
        else:
            self.lines.append(f"{lead}{name}: {_placeholder(kind)}")

    def model(self, model: type[BaseModel], depth: int, path: str, first: str = "") -> None:
        """The fields of a nested model: required ones written out, optional ones commented out."""
        for name, info in model.model_fields.items():
            if info.is_required() or f"{path}.{name}" in self.known or f"{path}.{name}" in self.needed:
                self.field(name, info, depth, f"{path}.{name}", first)
                first = ""
            elif not _is_model(_unwrap(info.annotation)):
                pad = INDENT * depth
                value = "[]" if typing.get_origin(_unwrap(info.annotation)) is list else _placeholder(
                    _unwrap(info.annotation))
                self.lines.append(f"{pad}# {name}: {value}  # 可选：{info.description or ''}")

    def item(self, kind: Any, depth: int, path: str) -> None:
        """One example entry of a list."""
        if _is_model(kind):
            self.model(kind, depth + 1, path, first="- ")
        else:
            self.lines.append(f"{INDENT * depth}- {_placeholder(kind)}")


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``; a lazily defined part → its model."""
    annotation = resolve(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
    return annotation


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _placeholder(kind: Any) -> str:
    """What stands where a value goes: the first choice of a fixed list (with the others named),
    else ``待填`` — which validate reports, with its line, for texts, amounts, counts and dates."""
    if typing.get_origin(kind) is Literal:
        choices = typing.get_args(kind)
        return f"{choices[0]}  # 可选值：{'、'.join(str(c) for c in choices)}"
    return TO_FILL
