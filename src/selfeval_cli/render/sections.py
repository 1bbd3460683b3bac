"""Render a validated report through the section templates into blocks.

One Jinja environment per template folder, made once per process and configured in one
place (``make_environment``): sandboxed and immutable, because an outline folder may come with a
department's data and its templates are then untrusted code (they can read what they are given and
nothing else: no attribute starting with ``_``, no method that changes a value); ``StrictUndefined``
so a misspelt variable is an error; autoescape off because the output is our own markup, not HTML.
User text is only ever data passed to templates — never compiled as template code: the one place
that writes it into a template, ``importing.outline_dir`` (a chapter's title), writes it as an escaped
string literal — and ``finalize`` guards it so it cannot form markup directives either.

The section templates are the files ``NN_name.j2`` of the template folder, rendered in name
order; files starting with ``_`` are macros for them to import.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from selfeval_cli import phrases, vocabulary
from selfeval_cli.errors import MarkupError, TemplateError
from selfeval_cli.model.report import Department, Report
from selfeval_cli.model.types import paragraphs
from selfeval_cli.render import textfmt
from selfeval_cli.render.blocks import Block, empty_headings, parse_markup
from selfeval_cli.render.markup import BREAK, clean, guard
from selfeval_cli.render.outline_folders import find_outline, templates_root
from selfeval_cli.vocabulary import AFFILIATED_ANY, DEFAULT_OUTLINE


def default_template_dir() -> Path:
    """The folder of the default outline shipped with selfeval."""
    return templates_root() / DEFAULT_OUTLINE


def outline_folder(report: Report, base: Path | None = None, *, trust_outlines: bool = False) -> Path:
    """The template folder of the outline ``report`` names (relative names from ``base``, the data
    file's folder). Raises OutlineError (a TemplateError) when there is no such outline, or one it may not use."""
    return find_outline(report.outline, base or Path.cwd(), trust_outlines=trust_outlines).folder


def _finalize(value: Any) -> str:
    if value is None:
        raise TemplateError("模板输出了空值（None）：可选字段请先用 {% if … %} 判断")
    return guard(str(value))  # data can never become markup (see render/markup.py)


@functools.cache
def environment_for(template_dir: Path) -> jinja2.Environment:
    """The environment of a template folder, made once per process (it caches compiled templates)."""
    return make_environment(template_dir)


def compile_templates(template_dir: Path | None = None) -> None:
    """Compile every section template of a folder ahead of use (a batch does it once)."""
    folder = template_dir or default_template_dir()
    env = environment_for(folder)
    for name in section_names(folder):
        try:
            env.get_template(name)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, folder, name) from exc


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates, kept in Jinja's private per-user temp folder between runs.

    Compiling the section templates was a tenth of a build; a cache that cannot be written
    (read-only or full disk) is simply not used.
    """

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BytecodeCache()
    except (OSError, RuntimeError):  # no safe private folder: compile every time
        return None


def make_environment(template_dir: Path) -> jinja2.Environment:
    """The one Jinja environment, reading templates from ``template_dir``."""
    env = ImmutableSandboxedEnvironment(
        bytecode_cache=_bytecode_cache(),
        # The outline's own folder first; then the shipped root, so that any outline (a user's
        # too) can use the shared pieces as "common/…".
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(template_dir), encoding="utf-8"),
                                    jinja2.FileSystemLoader(str(templates_root()), encoding="utf-8")]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is selfeval markup, not HTML
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["vocab"] = vocabulary.for_templates()  # the domain's words, each written once
    env.filters.update(
        money=textfmt.money,
        cn=phrases.chinese_numeral,  # written beside their reading, which the importer does
        count=phrases.chinese_count,
        rate=textfmt.rate,
        cn_date=textfmt.chinese_date,
        paras=paragraphs,
        yoy=textfmt.year_on_year,
        points=textfmt.points,
        score_words=textfmt.score_words,
        percent=textfmt.percent,
        indicator_value=textfmt.indicator_value,
        cell=lambda text: str(text).replace("\n", BREAK),  # paragraphs of one table cell, kept in its row
        lines=lambda parts: BREAK.join(parts),  # lines of one title, as the data breaks it
    )
    return env


def section_names(template_dir: Path) -> list[str]:
    """The section templates of a folder, in the order they are rendered."""
    if not template_dir.is_dir():
        raise TemplateError(f"模板目录不存在：{template_dir}")
    names = sorted(p.name for p in template_dir.glob("[0-9]*.j2") if p.is_file())
    if not names:
        raise TemplateError(f"模板目录 {template_dir} 中没有章节模板（文件名形如 01_基本情况.j2）")
    return names


def unit_values(department: Department) -> dict[str, Any]:
    """What templates see of a department's units: its internal offices, the institutions under it,
    and the kind and rank prose names those by (when they all share one)."""
    affiliated = department.affiliated_units()
    kinds, ranks = {u.kind for u in affiliated}, {u.rank for u in affiliated}
    return {"internal_units": department.internal_units(),
            "affiliated_units": affiliated,
            "affiliated_kind": kinds.pop() if len(kinds) == 1 else AFFILIATED_ANY,
            "affiliated_rank": ranks.pop() if len(ranks) == 1 else None}


def context(report: Report) -> dict[str, Any]:
    """What templates see: every top-level field, the report itself, and derived lists."""
    values: dict[str, Any] = {name: getattr(report, name) for name in type(report).model_fields}
    values["report"] = report
    values.update(unit_values(report.department))
    # The 自评表 as computed: rates, scores, subtotals, 总分 and 等级 (None without a table).
    values["table"] = None
    if report.assessment:
        from selfeval_cli.model.scoring import score_table  # only a report with a table pays for it

        values["table"] = score_table(report.assessment)
    return values


def render_blocks(report: Report, template_dir: Path | None = None, base: Path | None = None, *,
                  trust_outlines: bool = False) -> list[Block]:
    """Render every section template of ``report``'s outline (or of ``template_dir``, which
    overrides it) and parse the result into blocks. ``base`` is the data file's folder."""
    folder = template_dir or outline_folder(report, base, trust_outlines=trust_outlines)
    env = environment_for(folder)
    values = context(report)
    if report.assessment is not None:  # the 自评表's form: its own folder is found beside the data file
        from selfeval_cli.render.forms import prepare

        env, extra = prepare(report, folder, base or Path.cwd(), trust_outlines=trust_outlines)
        values.update(extra)
    blocks: list[Block] = []
    for name in section_names(folder):
        text = _render_one(env, name, values, folder)
        try:
            blocks.extend(parse_markup(text))
        except MarkupError as exc:
            where = _where(env, folder, name, exc.snippet)
            raise TemplateError(f"{where}输出第 {exc.line} 行的标记有误：{exc}") from exc
        empty = empty_headings(text)
        if empty:
            line, heading = empty[0]
            raise TemplateError(f"{_where(env, folder, name, heading)}标题“{clean(heading.lstrip('#+ '))}”下面没有内容"
                                f"（输出第 {line} 行）：数据中对应的部分是空的，或模板少写了内容")
    return blocks


def _where(env: jinja2.Environment, folder: Path, name: str, snippet: str | None) -> str:
    """``file:line: `` of the template line that wrote ``snippet``, when it stands there literally."""
    if snippet:
        assert env.loader is not None
        source = env.loader.get_source(env, name)[0]
        for number, line in enumerate(source.split("\n"), start=1):
            if snippet in line:
                return f"{folder / name}:{number}: "
    return f"{folder / name}: "


def _render_one(env: jinja2.Environment, name: str, values: dict[str, Any], folder: Path) -> str:
    try:
        return env.get_template(name).render(values)
    except (TemplateError, jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:  # SecurityError too
        raise _template_error(exc, folder, name) from exc


def _template_error(exc: Exception, folder: Path, name: str) -> TemplateError:
    """A failure of template ``name`` as the user should read it: where, and what."""
    if isinstance(exc, SecurityError):
        return TemplateError(f"{_template_frame(exc, folder / name)}: 模板试图访问不允许访问的内容（{exc}）："
                             "模板只能读取报告数据，不能调用内部属性或修改数据；这份模板不可信，已停止生成")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = exc.filename or str(folder / (exc.name or name))
        return TemplateError(f"{where}:{exc.lineno}: 模板语法错误：{exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"{folder / name}: 找不到被引用的模板“{exc.name}”")
    if isinstance(exc, TemplateError):  # raised by finalize: already in words
        return TemplateError(f"{_template_frame(exc, folder / name)}: {exc.message}")
    return TemplateError(f"{_template_frame(exc, folder / name)}: 模板出错：{exc}")


def _template_frame(exc: BaseException, fallback: Path) -> str:
    """``file:line`` of the innermost template frame of a render error (Jinja maps frames to templates)."""
    import traceback  # only on a template error

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return str(fallback)
    return f"{frames[-1].filename}:{frames[-1].lineno}"
