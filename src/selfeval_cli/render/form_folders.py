"""Forms of the 自评表 (附件1): the grid a table is laid out in, chosen like an outline.

Bureaus issue the table as a form — the national one, Sichuan's with 指标性质 and 度量单位, the older
评分表 — and a table that is not laid out "按模板" is sent back. A form is a folder: ``form.j2``, the
template that writes the grid (in the table markup, see ``templates/README.md``), and ``form.yaml``
saying what it is: ``title``, ``description``, ``size`` (the text size, 小四 or 五号) and ``columns``
(which optional columns it shows). selfeval ships some under ``templates/forms/``; a table names one by
``assessment.form`` — a shipped name, or a folder relative to the data file, under the same rules as
an outline folder (``outline_folders.find_outline``) — else its outline's ``form:``, else the default.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from selfeval_cli.errors import OutlineError
from selfeval_cli.render.outline_folders import MANIFEST as OUTLINE_MANIFEST
from selfeval_cli.render.outline_folders import _inside, templates_root
from selfeval_cli.vocabulary import DEFAULT_FORM, FONT_SIZES, FORM_COLUMNS, FORM_SIZES

FORMS = "forms"
"""The folder of the shipped forms, under the template root."""
MANIFEST = "form.yaml"
TEMPLATE = "form.j2"


@dataclass(frozen=True)
class Form:
    """A form's folder and what its manifest says."""

    name: str
    folder: Path
    title: str = ""
    description: str = ""
    size: str = FORM_SIZES[0]
    """The text size of the table, by its Chinese name (小四, 五号)."""
    columns: tuple[str, ...] = ()
    """The optional columns it shows (of ``vocabulary.FORM_COLUMNS``)."""

    @property
    def size_pt(self) -> float:
        return FONT_SIZES[self.size]

    @property
    def shipped(self) -> bool:
        return self.folder.parent == forms_root()

    def view(self, template: str | None = None) -> FormView:
        """The form as templates see it: words only (a template never gets a path or a file).
        ``template`` is the name its template is included by; a shipped form's by default."""
        return FormView(self.name, self.title, self.description, self.size, self.columns,
                        template or f"{FORMS}/{self.name}/{TEMPLATE}")


@dataclass(frozen=True)
class FormView:
    """What templates see of a form (as ``form``)."""

    name: str
    title: str
    description: str
    size: str
    """小四 or 五号: a form's template writes it into its table (``@size``)."""
    columns: tuple[str, ...]
    template: str
    """The name ``common/assessment.j2`` includes the form's template by."""

    def shows(self, column: str) -> bool:
        """Whether the form has the optional ``column`` (指标性质, 度量单位)."""
        return column in self.columns


def forms_root() -> Path:
    """Where the shipped forms live."""
    return templates_root() / FORMS


def shipped_form_names() -> list[str]:
    """The names of the shipped forms, the default first."""
    return sorted((p.name for p in forms_root().iterdir() if (p / MANIFEST).is_file()),
                  key=lambda name: (name != DEFAULT_FORM, name))


def shipped_forms() -> list[Form]:
    """Every form that ships with selfeval, the default first."""
    return [load_form(forms_root() / name, name) for name in shipped_form_names()]


def shipped_form(name: str | None) -> Form:
    """The shipped form of that name (None: the default). Raises OutlineError for any other."""
    folder = forms_root() / (name or DEFAULT_FORM)
    if name is not None and ("/" in name or "\\" in name or not (folder / MANIFEST).is_file()):
        known = "、".join(form.name for form in shipped_forms())
        raise OutlineError(f"没有名为“{name}”的内置自评表格式：可用的有 {known}")
    return load_form(folder, name or DEFAULT_FORM)


def find_form(spec: str | None, base: Path, *, trust_outlines: bool = False) -> Form:
    """The form a table names: a shipped name, or a folder relative to ``base`` (the data file's
    folder). None means the default. Raises OutlineError when there is no such form, or one the
    data may not use: like an outline folder, a form folder must lie inside the data file's folder
    unless whoever runs selfeval trusts the files (``trust_outlines``) — its template runs."""
    name = spec or DEFAULT_FORM
    shipped = forms_root() / name
    if "/" not in name and "\\" not in name and (shipped / MANIFEST).is_file():
        return load_form(shipped, name)
    folder = (base / name).resolve()
    if not trust_outlines and not _inside(folder, base, name):
        raise OutlineError(f"自评表格式目录“{name}”不在数据文件所在的目录之内：数据文件只能使用内置格式，"
                           "或它所在目录里的格式目录（不能写绝对路径或“..”）；"
                           "如果确认这份模板可信，运行时加 --trust-outlines")
    if not (folder / TEMPLATE).is_file():
        known = "、".join(form.name for form in shipped_forms())
        raise OutlineError(f"没有名为“{name}”的自评表格式：可用的内置格式有 {known}，或写格式目录的路径"
                           f"（相对于数据文件，目录中要有 {TEMPLATE} 和 {MANIFEST}）")
    return load_form(folder, name)


def form_of(table_form: str | None, outline_folder: Path | None, base: Path, *,
            trust_outlines: bool = False) -> Form:
    """The form of a report's table: the table's own ``form``, else its outline's, else the default.

    An outline names its form in ``outline.yaml`` (``form: 名称``): a shipped name, or a folder
    relative to the outline's own folder.
    """
    if table_form is not None:
        return find_form(table_form, base, trust_outlines=trust_outlines)
    if outline_folder is not None:
        named = outline_form(outline_folder)
        if named is not None:
            return find_form(named, outline_folder, trust_outlines=trust_outlines)
    return find_form(None, base)


def outline_form(outline_folder: Path) -> str | None:
    """The form an outline's manifest names (``form:``), if any."""
    manifest = outline_folder / OUTLINE_MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
    except OSError:
        return None
    raw = _read(manifest, stamp)
    named = raw.get("form")
    return None if named is None else str(named)


def load_form(folder: Path, name: str) -> Form:
    """Read a form folder's manifest (a folder without one is a form with the defaults)."""
    manifest = folder / MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
    except OSError:
        return Form(name, folder)
    raw = _read(manifest, stamp)
    size = str(raw.get("size", FORM_SIZES[0]))
    columns = raw.get("columns") or []
    if size not in FORM_SIZES or not isinstance(columns, list) or any(c not in FORM_COLUMNS for c in columns):
        raise OutlineError(f"{manifest}: size 应为 {'或'.join(FORM_SIZES)}，columns 应为可选列的列表"
                           f"（{'、'.join(FORM_COLUMNS)}），实际为 size: {size}，columns: {columns}")
    return Form(name, folder, str(raw.get("title", "")), str(raw.get("description", "")), size,
                tuple(str(c) for c in columns))


@functools.lru_cache(maxsize=32)
def _read(manifest: Path, stamp: int) -> dict[str, object]:
    """A manifest as a mapping, read once per process and version (``stamp``)."""
    import yaml  # our own small format: the data loader's strictness is not needed here

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(manifest.read_text(encoding="utf-8"), Loader=loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OutlineError(f"{manifest}: 无法读取（{exc}）") from exc
    if not isinstance(raw, dict):
        raise OutlineError(f"{manifest}: 应为“键: 值”的映射")
    return {str(key): value for key, value in raw.items()}
