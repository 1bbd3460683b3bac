"""Outlines: which template folder a report is written in, and which parts of the data it needs.

An outline is a folder of section templates (``NN_name.j2``) with an optional ``outline.yaml``
saying what it is (``title``, ``description``) and which top-level data fields its templates use
(``requires``: field → what it is, in Chinese). selfeval ships some under its template root; a data
file names one by ``outline:`` — a shipped name, or a folder relative to the data file — so that
a batch over many departments builds each in its own outline.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

from selfeval_cli.errors import OutlineError
from selfeval_cli.vocabulary import DEFAULT_OUTLINE

MANIFEST = "outline.yaml"


@dataclass(frozen=True)
class Outline:
    """A template folder and what it needs."""

    name: str
    folder: Path
    title: str = ""
    description: str = ""
    requires: dict[str, str] = field(default_factory=dict)
    """The fields its templates need (field → what it is): a top-level field, or a dotted path through
    lists, ``department.units[].duties`` meaning that field of every item."""
    unused: tuple[str, ...] = ()
    """Top-level data fields its templates never print (data there would silently be left out)."""
    main_document: bool = False
    """Whether the report is the main document, the tables following it as attachments: then it needs
    no attachment label of its own beside a 自评表."""

    def missing(self, data: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
        """Each place where ``data`` (a mapping) lacks a required field or leaves it empty: (its path,
        the requirement, what it is). A list on the way that is absent is the model's to report."""
        return [(path, key, what) for key, what in self.requires.items()
                for path in _empty_places(data, (), key.split("."))]


def _empty_places(value: Any, path: tuple[str | int, ...], parts: list[str]) -> list[tuple[str | int, ...]]:
    """The places under ``value`` (at ``path``) where the field ``parts`` names is absent or empty. A
    mapping on the way that is absent lacks everything under it; a value of another kind, or a list
    that is absent, is the model's to report."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return []
    name, rest = parts[0], parts[1:]
    listed = name.endswith("[]")
    name = name.removesuffix("[]")
    inner = value.get(name)
    if listed:
        items = inner if isinstance(inner, list) else []
        return [place for index, item in enumerate(items)
                for place in _empty_places(item, (*path, name, index), rest)]
    if rest:
        if inner is None and any(part.endswith("[]") for part in rest):
            return []
        return _empty_places(inner, (*path, name), rest)
    return [(*path, name)] if inner in (None, "", [], {}) else []


def templates_root() -> Path:
    """Where the shipped outlines live: inside the installed package, else the source tree's."""
    packaged = Path(__file__).parents[1] / "templates"  # where the wheel puts them
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def shipped_outlines() -> list[Outline]:
    """Every outline that ships with selfeval, the default first."""
    names = sorted(shipped_names(), key=lambda name: (name != DEFAULT_OUTLINE, name))
    return [load_outline(templates_root() / name, name) for name in names]


def shipped_names() -> list[str]:
    """The names of the shipped outlines."""
    root = templates_root()
    return [p.name for p in root.iterdir() if (p / MANIFEST).is_file()]


def find_outline(spec: str | None, base: Path, *, trust_outlines: bool = False) -> Outline:
    """The outline a data file names: a shipped name, or a folder relative to ``base`` (the data
    file's folder). None means the default. Raises OutlineError when there is no such outline.

    A folder named by a data file must lie inside that file's folder (no absolute path, no ``..``,
    no link leading out): the data may come from another department, and an outline is templates
    that run. ``trust_outlines`` lifts the rule, for the person who runs selfeval and trusts the files.
    """
    name = spec or DEFAULT_OUTLINE
    shipped = templates_root() / name
    if "/" not in name and "\\" not in name and (shipped / MANIFEST).is_file():
        return load_outline(shipped, name)
    folder = (base / name).resolve()
    if not trust_outlines and not _inside(folder, base, name):
        raise OutlineError(f"提纲目录“{name}”不在数据文件所在的目录之内：数据文件只能使用内置提纲，或它所在目录里的"
                           "提纲目录（不能写绝对路径或“..”）；如果确认这份模板可信，运行时加 --trust-outlines")
    if not folder.is_dir():
        known = "、".join(o.name for o in shipped_outlines())
        raise OutlineError(f"没有名为“{name}”的提纲：可用的内置提纲有 {known}，或写模板目录的路径（相对于数据文件）")
    return load_outline(folder, name)


def _inside(folder: Path, base: Path, name: str) -> bool:
    """Whether ``name`` (as written) and ``folder`` (links resolved) both stay inside ``base``."""
    written = PurePath(name.replace("\\", "/"))
    if written.is_absolute() or PureWindowsPath(name).anchor or ".." in written.parts:
        return False
    return folder.is_relative_to(base.resolve())


def is_shipped(outline: Outline) -> bool:
    """Whether ``outline`` is one that ships with selfeval (not a folder a data file brought)."""
    return outline.folder.parent == templates_root()


def load_outline(folder: Path, name: str) -> Outline:
    """Read a folder's ``outline.yaml`` (a folder without one is an outline that requires nothing)."""
    manifest = folder / MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
    except OSError:
        return Outline(name, folder)
    return _load_manifest(folder, name, stamp)


@functools.lru_cache(maxsize=32)
def _load_manifest(folder: Path, name: str, stamp: int) -> Outline:
    """The manifest, read once per process and version (``stamp``: validate and build both ask for it)."""
    import yaml  # a small file of our own format: the data loader's strictness is not needed here

    manifest = folder / MANIFEST
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: a tenth of the time
    try:
        raw = yaml.load(manifest.read_text(encoding="utf-8"), Loader=loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OutlineError(f"{manifest}: 无法读取提纲说明（{exc}）") from exc
    requires = raw.get("requires") or {} if isinstance(raw, dict) else None
    unused = raw.get("unused") or [] if isinstance(raw, dict) else None
    if not isinstance(requires, dict) or not isinstance(unused, list):
        raise OutlineError(f"{manifest}: 应为“title / description / requires / unused”的映射："
                           "requires 为“字段: 说明”，unused 为字段列表")
    return Outline(name, folder, str(raw.get("title", "")), str(raw.get("description", "")),
                   {str(k): str(v) for k, v in requires.items()}, tuple(str(u) for u in unused),
                   raw.get("main_document") is True)
