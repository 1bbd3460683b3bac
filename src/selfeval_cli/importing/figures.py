"""selfeval's own wording of the figures, known only by printing it: never restated here.

Whether a sentence is selfeval's own decides whether the figures read from it need a person's check.
The figures are read by the vocabulary (``importing.prose``), the same way whatever the wording; then
the outline's section templates — the builder's own, with its filters and macros — print what they
would print for those figures (``printed``), and a paragraph of the source that is among them is our
own sentence, read right: printing what was read gives back exactly what was written. A paragraph
that is not among them (another wording, a figure misread, a rate that disagrees) puts every figure
read from it on the review list. The templates and the vocabulary stay the one home of the wording:
change a template and the importer follows.

The figures read become the data's shape here too (``place``, ``models``): a "三公" total that is
only the sum of the items is left out, as the outline prints the sum where the data has none.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from pydantic import BaseModel, ValidationError

from selfeval_cli.errors import MarkupError, TemplateError
from selfeval_cli.importing import prose
from selfeval_cli.model.finance import Income, ThreePublic
from selfeval_cli.model.report import Assets, Budget, Department, Staffing, SubUnit
from selfeval_cli.render.blocks import Heading, Item, Paragraph, parse_markup
from selfeval_cli.render.outline_folders import templates_root
from selfeval_cli.render.sections import make_environment, section_names, unit_values
from selfeval_cli.vocabulary import DEFAULT_OUTLINE

M = TypeVar("M", bound=BaseModel)
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """``text`` without spaces: how a paragraph is compared (extraction adds and drops spaces)."""
    return _SPACE.sub("", text)


@functools.cache
def template_environment(folder: Path) -> jinja2.Environment:
    """The builder's environment for ``folder``, except that a name the figures read do not give
    prints nothing instead of failing: the templates print what they can of a report read so far."""
    env = make_environment(folder)
    env.undefined = jinja2.ChainableUndefined
    return env


def printed(values: Mapping[str, Any], outline: str | Path = DEFAULT_OUTLINE) -> frozenset[str]:
    """Every paragraph and heading the section templates of ``outline`` (a shipped outline's name, or
    a template folder) print from ``values`` (what the templates see: ``budget``, ``income``,
    ``department``… as the model's objects), spaces removed. A template that needs what ``values``
    lack prints nothing here."""
    folder = outline if isinstance(outline, Path) else templates_root() / outline
    env = template_environment(folder)
    texts: set[str] = set()
    for name in section_names(folder):
        try:
            blocks = parse_markup(env.get_template(name).render(dict(values)))
        except (jinja2.TemplateError, TemplateError, MarkupError, TypeError, ValueError, AttributeError,
                ArithmeticError):
            continue  # it needs more than was read
        for block in blocks:
            if isinstance(block, Paragraph | Item):
                texts.add(squash(block.text))
            elif isinstance(block, Heading):
                texts.add(squash(block.text + (block.body or "")))
    return frozenset(texts)


def model(kind: type[M], data: Any) -> M | None:
    """``data`` as the model ``kind``, or None when the figures read do not make one."""
    try:
        return kind.model_validate(data)
    except (ValidationError, TypeError, ValueError):
        return None


def place(data: dict[str, Any], path: str, value: Any) -> Any:
    """Put ``value`` at the dotted ``path`` of ``data`` unless a value is there already (an empty
    mapping only makes the place); what stands there afterwards."""
    *parents, key = path.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    if key not in data or (isinstance(data[key], dict) and not data[key] and value != {}):
        data[key] = copy.deepcopy(value)  # the sentence keeps what it stated
    elif isinstance(value, dict) and isinstance(data[key], dict):
        for inner, item in value.items():
            data[key].setdefault(inner, item)
    return data[key]


def without_derived_total(three: dict[str, Any]) -> dict[str, Any]:
    """The "三公" figures with the total left out where it states nothing or only the sum of the three
    items: the outline prints the sum when the data states none, and the data then needs none."""
    total = three.get("total")
    rest = {key: value for key, value in three.items() if key != "total"}
    summed = model(ThreePublic, rest)
    if total == {} or (summed is not None and summed.summed().model_dump(exclude_none=True) == total):
        return rest
    return three


def states_figures(value: Any) -> bool:
    """Whether ``value`` (read figures, nested) holds any amount or count."""
    if isinstance(value, dict):
        return any(states_figures(inner) for inner in value.values())
    if isinstance(value, list):
        return any(states_figures(inner) for inner in value)
    return isinstance(value, Decimal | int)


def three_public(line: str) -> dict[str, Any] | None:
    """The "三公" figures of a paragraph as the data holds them (read by the vocabulary), the total
    left out where it is the sum; None when the paragraph names no "三公"."""
    passage = prose.three_public(line)
    if passage is None:
        return None
    data: dict[str, Any] = {}
    for path, value in passage.figures.items():
        place(data, path, value)
    return without_derived_total(data.get("three_public", {}))


def budget_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the templates of the budget chapter see, from the figures read (``year``, ``income``,
    ``budget``, ``three_public``): a required amount not read stands as 0, a "三公" item not named as
    one with no figures (the sentences they print were not read from, so none is compared with them)."""
    budget = dict(data.get("budget", {}))
    for key in ("basic", "project"):
        budget[key] = {"amount": Decimal("0.00"), **budget.get(key, {})}
    budget.setdefault("amount", Decimal("0.00"))
    three = data.get("three_public")
    if isinstance(three, dict):  # an outline that states only the total (national) names no item
        three = {"abroad": {}, "vehicles": {}, "reception": {}, **three}
    values: dict[str, Any] = {"budget": model(Budget, budget), "income": model(Income, data.get("income")),
                              "three_public": model(ThreePublic, three)}
    if "year" in data:
        values["year"] = data["year"]
    return values


def department_values(department: Mapping[str, Any], year: Any = None) -> dict[str, Any]:
    """What the templates of the basic chapter see of the department read: its name, the word it
    calls itself by, its rank and kind, its units (with the counts and kinds the templates derive),
    its staffing and its assets."""
    fields: dict[str, Any] = {key: department[key] for key in ("name", "unit_word", "rank", "kind")
                              if key in department}
    # Only what the headings and counts print: a unit's duties may still be 待填.
    fields["units"] = [SubUnit.model_construct(**{key: item[key] for key in ("kind", "name", "rank", "plaques")
                                                  if key in item})
                       for item in department.get("units", []) if isinstance(item, dict)]
    staffing = model(Staffing, department.get("staffing"))
    if staffing is not None:
        fields["staffing"] = staffing
    assets = department.get("assets")
    fields["assets"] = model(Assets, assets) if assets is not None else None
    values: dict[str, Any] = {"department": Department.model_construct(**fields)}
    values.update(unit_values(values["department"]))
    if year is not None:
        values["year"] = year
    return values
