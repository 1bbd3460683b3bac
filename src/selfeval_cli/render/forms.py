"""The 自评表's form as the templates get it: found against the data file's folder, and loadable.

``common/assessment.j2`` includes ``form.template``. A shipped form's template lies under the template
root, where every outline's environment finds it (``forms/national/form.j2``). A form folder that came
with the data (``assessment.form: 我的格式``, inside the data file's folder unless ``--trust-outlines``,
like an outline folder) is found under a prefix of its own, in an environment made for the outline and
that folder: the same sandboxed environment (``sections.make_environment``) with one loader more, so its
templates read the report like every other template and nothing else. Templates only ever get the
form's words (``FormView``), never a path.

``prepare`` is what ``sections.render_blocks`` needs to render an outline with its form; ``render_form``
renders the 附件1 alone.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from selfeval_cli.errors import MarkupError, TemplateError
from selfeval_cli.model.report import Report
from selfeval_cli.render.blocks import Block, parse_markup
from selfeval_cli.render.form_folders import TEMPLATE, Form, form_of
from selfeval_cli.render.sections import (
    _template_error,
    context,
    environment_for,
    make_environment,
    outline_folder,
)

FORM_PREFIX = "selfeval-form"
"""The name under which an environment made by ``environment_with_form`` finds a form folder's files."""
ATTACHMENT = "common/assessment.j2"
"""The template that writes the 附件1 in its form (each outline includes it)."""


@functools.cache
def environment_with_form(template_dir: Path, form_folder: Path) -> jinja2.Environment:
    """The environment of an outline folder that also finds a form folder's files, as
    ``selfeval-form/…``: made by ``make_environment`` like any other, once per process."""
    env = make_environment(template_dir)
    assert env.loader is not None
    own = jinja2.FileSystemLoader(str(form_folder), encoding="utf-8")
    env.loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({FORM_PREFIX: own}), env.loader])
    return env


def form_for(report: Report, template_dir: Path | None, base: Path, *, trust_outlines: bool = False) -> Form:
    """The form of ``report``'s table: its own ``form``, else its outline's (``outline.yaml``), else
    the default. Raises OutlineError (a TemplateError) when there is none such, or one it may not use."""
    spec = report.assessment.form if report.assessment is not None else None
    return form_of(spec, template_dir, base, trust_outlines=trust_outlines)


def prepare(report: Report, template_dir: Path, base: Path, *,
            trust_outlines: bool = False) -> tuple[jinja2.Environment, dict[str, Any]]:
    """The environment to render ``report``'s outline (``template_dir``) in, and what the templates
    get besides the report: its form as ``form`` when it has a table."""
    env = environment_for(template_dir)
    if report.assessment is None:
        return env, {}
    form = form_for(report, template_dir, base, trust_outlines=trust_outlines)
    if form.shipped:
        return env, {"form": form.view()}
    return environment_with_form(template_dir, form.folder), {"form": form.view(f"{FORM_PREFIX}/{TEMPLATE}")}


def render_form(report: Report, base: Path, *, template_dir: Path | None = None,
                trust_outlines: bool = False) -> list[Block]:
    """The 附件1 of ``report`` alone, laid out in its form, as blocks (none without a table)."""
    folder = template_dir or outline_folder(report, base, trust_outlines=trust_outlines)
    env, extra = prepare(report, folder, base, trust_outlines=trust_outlines)
    try:
        text = env.get_template(ATTACHMENT).render({**context(report), **extra})
    except (TemplateError, jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        raise _template_error(exc, folder, ATTACHMENT) from exc
    try:
        return parse_markup(text)
    except MarkupError as exc:
        raise TemplateError(f"{ATTACHMENT}: 输出第 {exc.line} 行的标记有误：{exc}") from exc
