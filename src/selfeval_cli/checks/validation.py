"""Validate a data file: load it, check it against the model, run the cross-checks.

Everything found is returned at once as located ``Problem``s; nothing here prints.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import typing
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from selfeval_cli.checks import registry
from selfeval_cli.checks.report import check_attachment_labels
from selfeval_cli.errors import InputFileError, OutlineError
from selfeval_cli.model.lazy import resolve
from selfeval_cli.model.loader import LoadedYaml, Mark, SourceMap, load_file, offset_of, position
from selfeval_cli.model.report import Report
from selfeval_cli.model.values import MISSING, FieldPath, describe, dotted, value_at
from selfeval_cli.problems import Problem, Severity, sort_problems
from selfeval_cli.render.outline_folders import find_outline, is_shipped
from selfeval_cli.vocabulary import STILL_TO_FILL, TO_FILL, YUAN


@dataclass
class ValidationResult:
    """A validated report (None when the data has errors) and every problem found."""

    file: str
    report: Report | None
    problems: list[Problem]
    loaded: LoadedYaml | None
    """The parsed file; None when it could not be read at all (the one problem says why)."""
    parsed: Report | None = None
    """The data as a model whenever it fits the model, even when cross-checks found errors
    (``report`` is then None): for reading figures, never for building."""


def validate_file(path: Path, display: str | None = None, *, trust_outlines: bool = False) -> ValidationResult:
    """Load and validate one file. A file that cannot be read is one located problem, not an exception.

    ``trust_outlines`` accepts an outline folder outside the file's own folder (see ``find_outline``).
    """
    try:
        loaded = load_file(path, display)
    except InputFileError as exc:
        return ValidationResult(exc.file, None, [exc.problem()], None)
    return validate_loaded(loaded, path.parent, trust_outlines=trust_outlines)


def validate_loaded(loaded: LoadedYaml, base: Path | None = None, *, trust_outlines: bool = False) -> ValidationResult:
    """Validate already-loaded data against the model, its outline and the cross-checks.

    ``base`` is the data file's folder, from which an outline folder the data names is found.
    """
    problems = list(loaded.problems)
    report: Report | None = None
    if loaded.data is not None:
        try:
            unit = loaded.data.get("money_unit") if isinstance(loaded.data, dict) else None
            report = Report.model_validate(loaded.data, context={"money_unit": unit if unit == YUAN else None})
        except ValidationError as exc:
            problems.extend(_model_problems(exc, loaded))
            problems.extend(locate(f, loaded) for f in _checks_despite(exc, loaded.data))
        problems.extend(_outline_problems(loaded, base or Path.cwd(), trust_outlines))
    if report is not None and report.assessment is not None and report.assessment.form is not None:
        problems.extend(_form_problems(loaded, report.assessment.form, base or Path.cwd(), trust_outlines))
    findings = registry.run_all(report, loaded.data)
    if _main_document(loaded, base or Path.cwd(), trust_outlines):  # its tables follow it: no label wanted
        unlabelled = (check_attachment_labels.__name__, ("attachment",))
        findings = [f for f in findings if (f.code, f.field) != unlabelled]
    problems.extend(locate(f, loaded) for f in findings)
    has_error = any(p.severity is Severity.ERROR for p in problems)
    return ValidationResult(loaded.file, None if has_error else report, sort_problems(problems), loaded, report)


def _form_problems(loaded: LoadedYaml, spec: str, base: Path, trust_outlines: bool) -> list[Problem]:
    """The 自评表 form the data names exists and may be used (a folder of its own is templates that run)."""
    from selfeval_cli.render.form_folders import find_form  # only a file with a table and a form of its own

    where = loaded.marks.locate(("assessment", "form"))
    try:
        form = find_form(spec, base, trust_outlines=trust_outlines)
    except OutlineError as exc:
        return [Problem(loaded.file, where.line, where.column, Severity.ERROR, ("assessment", "form"), str(exc),
                        "form_unknown")]
    if form.shipped:
        return []
    return [Problem(loaded.file, where.line, where.column, Severity.NOTE, ("assessment", "form"),
                    f"使用自评表格式目录 {form.folder}（不是内置格式）", "form_folder")]


def _main_document(loaded: LoadedYaml, base: Path, trust_outlines: bool) -> bool:
    """Whether the outline the data names declares its report the main document (``main_document``)."""
    spec = loaded.data.get("outline") if isinstance(loaded.data, dict) else None
    try:
        return find_outline(spec if isinstance(spec, str) else None, base, trust_outlines=trust_outlines).main_document
    except OutlineError:  # reported by _outline_problems
        return False


def _outline_problems(loaded: LoadedYaml, base: Path, trust_outlines: bool) -> list[Problem]:
    """The outline the data names exists (and may be used), and the data has every part its templates need."""
    data = loaded.data
    spec = data.get("outline") if isinstance(data, dict) else None
    where = loaded.marks.locate(("outline",)) if isinstance(spec, str) else Mark(1, 1)
    try:
        outline = find_outline(spec if isinstance(spec, str) else None, base, trust_outlines=trust_outlines)
    except OutlineError as exc:
        return [Problem(loaded.file, where.line, where.column, Severity.ERROR, ("outline",), str(exc),
                        "outline_unknown")]
    found = [] if is_shipped(outline) else [  # whoever runs selfeval should know whose templates will run
        Problem(loaded.file, where.line, where.column, Severity.NOTE, ("outline",),
                f"使用模板目录 {outline.folder}（不是内置提纲）", "outline_folder")]
    for path, key, what in outline.missing(data):
        at = where if len(path) == 1 else loaded.marks.locate(path)
        place = dotted(path) if len(path) > 1 else key
        found.append(Problem(loaded.file, at.line, at.column, Severity.ERROR, path,
                             f"提纲“{outline.name}”要用到 {key}（{what}），数据中没有：请添加 {place}",
                             "outline_requires"))
    unplaced = _unplaced_paragraphs(data)
    if unplaced and {"sections", "sections.unplaced"} & set(outline.unused):  # text the report would leave out
        mark = loaded.marks.keys.get(("sections", "unplaced"), where)
        found.append(Problem(loaded.file, mark.line, mark.column, Severity.ERROR, ("sections", "unplaced"),
                             f"导入时未能归类的原文 {unplaced} 段：提纲“{outline.name}”不输出这一节，"
                             "请移到相应字段或删除",
                             "unplaced_text"))
    for key in outline.unused:
        if key == "sections" and unplaced and len(data.get("sections") or {}) == 1:
            continue  # said above, as an error
        if isinstance(data, dict) and data.get(key) not in (None, "", [], {}):
            mark = loaded.marks.keys.get((key,), where)
            found.append(Problem(loaded.file, mark.line, mark.column, Severity.WARNING, (key,),
                                 f"提纲“{outline.name}”不输出 {key}：这部分内容不会出现在报告里（换提纲，或把内容移到"
                                 "这个提纲用的字段）", "outline_unused"))
    return found


def _stand_in(error: ErrorDetails, year: object) -> object:
    """A valid value in place of one the model refused, by the kind of refusal; ``_GIVE_UP`` when there is
    none that would not mislead (a value of another kind, a missing field)."""
    kind = error["type"]
    if kind.startswith("money_"):
        return Decimal(0)
    if kind in ("text_to_fill", "text_empty", "text_control", "text_newline", "text_too_long"):
        return _TEXT_STAND_IN
    if kind == "count_to_fill":
        return 0
    if kind == "date_to_fill":
        return dt.date(year + 1 if isinstance(year, int) else 2000, 1, 1)
    if kind == "extra_forbidden":
        return _DELETE
    return _GIVE_UP


_TEXT_STAND_IN = f"（{TO_FILL}）"
_DELETE, _GIVE_UP = object(), object()


def _checks_despite(exc: ValidationError, data: Any) -> list[Problem]:
    """What the cross-checks of names, texts and years find in a file the model refused.

    A file with one 待填 amount left (every file new-year writes) would otherwise hear nothing of last year's
    notice title or a number typed into a name until every amount is filled in. Each refused value is
    replaced by a stand-in (a 待填 amount by 0, a 待填 text by “（待填）”, an unknown key removed); when
    the model then accepts the data, the checks that read no figure (``registry.without_figures``) run on
    it, and what they find at a replaced value is dropped. Nothing is found when a refusal has no stand-in.
    """
    if not isinstance(data, dict):
        return []
    patched = copy.deepcopy(data)
    replaced: list[FieldPath] = []
    for error in exc.errors(include_url=False):
        path: FieldPath = tuple(error["loc"])
        value = _stand_in(error, data.get("year"))
        parent = value_at(patched, path[:-1]) if path else MISSING
        if value is _GIVE_UP or not path or not isinstance(parent, dict | list):
            return []
        if value is _DELETE:
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value  # type: ignore[index]  # a key of a dict or an index of a list, as pydantic found it
        replaced.append(path)
    try:
        unit = patched.get("money_unit")
        report = Report.model_validate(patched, context={"money_unit": unit if unit == YUAN else None})
    except ValidationError:
        return []

    def touches(field: FieldPath) -> bool:
        return any(field[:len(path)] == path or path[:len(field)] == field for path in replaced)

    return [problem for problem in registry.run_without_figures(report)
            if not touches(problem.field) and (problem.also is None or not touches(problem.also))]


def _unplaced_paragraphs(data: Any) -> int:
    """How many paragraphs of imported text wait in ``sections.unplaced`` (0 when there is none)."""
    sections = data.get("sections") if isinstance(data, dict) else None
    unplaced = sections.get("unplaced") if isinstance(sections, dict) else None
    text = unplaced.get("text") if isinstance(unplaced, dict) else None
    return len([line for line in text.splitlines() if line.strip()]) if isinstance(text, str) else 0


def locate(problem: Problem, loaded: LoadedYaml) -> Problem:
    """A cross-check's problem placed in the file: at its field's value, or at the words it quotes."""
    mark = loaded.marks.locate(problem.field)
    if problem.quote:
        mark = _find_quote(loaded, problem.field, problem.quote) or mark
    message = problem.message
    if problem.also is not None:
        message += f"（第 {loaded.marks.locate(problem.also).line} 行已列出）"
    return replace(problem, file=loaded.file, line=mark.line, column=mark.column, message=message, also=None)


def _find_quote(loaded: LoadedYaml, path: FieldPath, quote: str) -> Mark | None:
    """Where ``quote`` stands in the source, searching from the value's own position."""
    start = loaded.marks.values.get(path)
    if start is None or not loaded.text:
        return None
    found = loaded.text.find(quote, offset_of(loaded.text, start))
    return position(loaded.text, found) if found >= 0 else None


def _model_problems(exc: ValidationError, loaded: LoadedYaml) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        path: FieldPath = tuple(error["loc"])
        if loaded.marks.is_refused(path):
            continue  # already reported by the loader (alias, tag…)
        mark = _locate(loaded.marks, path, error)
        message = _message(error, path, loaded.data)
        problems.append(Problem(loaded.file, mark.line, mark.column, Severity.ERROR, path, message,
                                error["type"]))
    return _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    # A value failing both members of ``X | None`` is reported twice by pydantic; once is enough.
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for problem in problems:
        key = (problem.line, problem.column, problem.path)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def _locate(marks: SourceMap, path: FieldPath, error: ErrorDetails) -> Mark:
    if error["type"] == "extra_forbidden" and path in marks.keys:
        return marks.keys[path]
    return marks.locate(path)


_SPLIT_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
"""A key that is only a number: the second half of an amount a comma cut in two."""


def _joined_hint(data: Any, path: FieldPath) -> str:
    """What the amount cut in two at ``path`` was meant to be: 1,234.50 → 1234.50, 152,23 → 152.23."""
    parent = value_at(data, path[:-1])
    keys = list(parent) if isinstance(parent, dict) else []
    before = parent[keys[keys.index(path[-1]) - 1]] if path[-1] in keys and keys.index(path[-1]) > 0 else None
    if not isinstance(before, int | Decimal) or isinstance(before, bool):
        return "；金额里不要用逗号"
    second = str(path[-1])
    meant = f"{before}{second}" if len(second.split(".")[0]) == 3 else f"{before}.{second}"
    return f"；请写成 {meant}（小数点用英文句点，不用千位分隔符）"


def _message(error: ErrorDetails, path: FieldPath, data: Any) -> str:
    kind = error["type"]
    found = describe(error.get("input"))
    ctx = error.get("ctx") or {}
    field = str(path[-1]) if path else ""
    if kind == "missing":
        return f"缺少必填字段“{field}”"
    if kind == "extra_forbidden":
        if "\u3000" in field:  # a full-width space YAML took as part of the key
            return f"“{field}”前后有全角空格（　）：缩进和冒号后只能用半角空格，请删掉全角空格"
        if _SPLIT_NUMBER.match(field):  # {amount: 152,23}: the comma ends the value in a one-line mapping
            return f"未知字段“{field}”：像是金额中的逗号把数字分开了（一行写的 {{…}} 里逗号是分隔符）" + \
                _joined_hint(data, path)
        hint = _did_you_mean(path)
        return f"未知字段“{field}”" + (f"，是否想写“{hint}”？" if hint else "")
    if kind == "string_type":
        return f"应为文本，实际为{found}" + ("（如需写数字或 yes/no 等，请加引号）" if found != "空值" else "")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"应为整数，实际为{found}"
    if kind == "list_type":
        return f"应为列表（每项以“- ”开头），实际为{found}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"应为“键: 值”的映射，实际为{found}"
    if kind == "literal_error":
        # pydantic lists the choices as "'a' or 'b'": say it in Chinese quotes.
        choices = "、".join(f"“{c}”" for c in re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"应为{choices}之一，实际为{found}"
    if kind == "too_short":
        return "列表不能为空，至少要有 1 项" if isinstance(error.get("input"), list) else "不能为空"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}，实际为{found}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}，实际为{found}"
    if kind.startswith("date") and kind != "date_to_fill":  # our own 待填 error says it itself
        return f"日期应写作 2025-03-05 的形式，实际为{found}"
    if kind == "money_to_fill" and path[:1] == ("budget",) and isinstance(data, dict) \
            and isinstance(data.get("year"), int):  # 固定资产原值, 收入… are not 预算数: the plain message
        return f"{data['year']}年预算数未填写{STILL_TO_FILL}"
    if kind not in _pydantic_error_types():  # one of our own: its message already says it all, in Chinese
        return str(error["msg"])
    return f"{error['msg']}（实际为{found}）"


@functools.cache
def _pydantic_error_types() -> frozenset[str]:
    """The error types pydantic itself raises; any other type is one of selfeval's own custom errors."""
    from pydantic_core.core_schema import ErrorType

    return frozenset(typing.get_args(ErrorType))


def _did_you_mean(path: FieldPath) -> str | None:
    """The closest field name the model accepts where an unknown key was written."""
    model: Any = Report
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return None
        model = _inner_model(field.annotation)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    import difflib  # only when there is an unknown key: keeps start-up light

    matches = difflib.get_close_matches(str(path[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``list[X]``, ``X | None`` or ``X`` (a lazily defined part included)."""
    annotation = resolve(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
