"""Every cross-check is registered, and every registered check can fire.

A check written but left out of its module's ``CHECKS`` tuple never runs, and nothing else notices:
its own unit tests call it directly and keep passing. Two nets here:

* the registry: every ``check_*`` function of every module of the ``checks`` package that takes a
  ``Report`` is in that module's ``CHECKS``, and ``registry.run_all`` runs every module's tuple (the
  自评表's ``table`` and ``story`` only for a file with a table);
* the firing table: for each registered check, a minimal edit of a clean data file after which
  ``validate_file`` reports a problem whose ``code`` is the check's name (``run_all`` tags each
  finding with ``check.__name__``), while the unedited file does not. The table must cover exactly
  the registered checks, so a new check needs its firing edit too.

The last tests plant the bug in-process (a check dropped from its tuple) and show both nets catch it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import selfeval_cli.checks
from selfeval_cli.checks import figures, registry, report
from selfeval_cli.checks.common import Check
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.model.loader import load_file
from selfeval_cli.model.report import Report

from ..conftest import OTHER, TABLE_EXAMPLE

_PACKAGE = [importlib.import_module(f"selfeval_cli.checks.{info.name}")
            for info in pkgutil.iter_modules(selfeval_cli.checks.__path__)]


def _defines_checks(module: ModuleType) -> bool:
    return any(name.startswith("check_") and getattr(value, "__module__", None) == module.__name__
               for name, value in vars(module).items())


MODULES: tuple[ModuleType, ...] = tuple(m for m in _PACKAGE if hasattr(m, "CHECKS") or _defines_checks(m))
"""Every module of the checks package that registers or defines checks: a new one is looked at without being
listed (and fails when it has no ``CHECKS``)."""

NOT_REPORT_CHECKS = {"selfeval_cli.checks.report.check_review"}
"""``check_*`` functions of the check modules that are not report checks, and why:
``check_review`` reads the raw data (it speaks while the model does not validate yet), and
``run_all`` calls it by name before the registered checks. (``money.check_*`` are validators of
one amount and live in another module, so they are not looked at.)"""


# ---------------------------------------------------------------------------------------- the registry


def _qualified(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__name__}"


def defined_checks(module: ModuleType) -> list[Callable[..., Any]]:
    """The functions named ``check_*`` defined in ``module`` itself (not imported into it)."""
    return [function for name, function in inspect.getmembers(module, inspect.isfunction)
            if name.startswith("check_") and function.__module__ == module.__name__]


def takes_report(function: Callable[..., Any]) -> bool:
    """Whether ``function`` is called as a check is: with one argument, a ``Report``."""
    parameters = list(inspect.signature(function).parameters)
    return len(parameters) == 1 and typing.get_type_hints(function).get(parameters[0]) is Report


def unregistered(module: ModuleType) -> list[str]:
    """The report checks ``module`` defines that its ``CHECKS`` tuple leaves out."""
    registered: tuple[Check, ...] = module.CHECKS
    return [function.__name__ for function in defined_checks(module)
            if takes_report(function) and function not in registered]


def registered_checks() -> list[Check]:
    """Every check ``run_all`` runs on a valid report (with a 自评表), in its order."""
    return list(registry.registered(with_table=True))


def test_the_registry_runs_every_modules_checks() -> None:
    # A module of checks the registry forgets is as silent as a check its module forgets; so is a
    # module of check_* functions without a CHECKS tuple at all.
    assert [m.__name__ for m in MODULES if not hasattr(m, "CHECKS")] == []
    assert {m.__name__.rsplit(".", 1)[-1] for m in MODULES} >= {"report", "figures", "prose", "table", "story"}
    every = registered_checks()
    assert [check.__name__ for module in MODULES for check in module.CHECKS if check not in every] == []
    assert len(every) == len(set(every))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_report_check_is_registered(module: ModuleType) -> None:
    assert defined_checks(module), "the module defines no check_* function: has it been renamed?"
    assert unregistered(module) == []


def test_the_only_check_functions_that_take_no_report_are_the_known_ones() -> None:
    # A new check_* that reads something else must be listed, with why, in NOT_REPORT_CHECKS, and run
    # by run_all by hand; otherwise it takes a report and the test above wants it registered.
    others = {_qualified(f) for module in MODULES for f in defined_checks(module) if not takes_report(f)}
    assert others == NOT_REPORT_CHECKS


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_each_tuple_holds_only_its_own_modules_report_checks(module: ModuleType) -> None:
    registered: tuple[Check, ...] = module.CHECKS
    assert len(set(registered)) == len(registered)
    assert all(check in defined_checks(module) and takes_report(check) for check in registered)


def test_check_names_are_unique_across_modules() -> None:
    # The name is the problem code: two checks with one name would be told apart by nobody.
    names = [check.__name__ for check in registered_checks()]
    assert len(names) == len(set(names))


# ---------------------------------------------------------------------------------------- the firing table


@dataclass(frozen=True)
class Fire:
    """A minimal edit of a clean data file that makes one check fire.

    ``values`` replaces values in the loaded data (dotted path → new value; a missing last key is
    added); ``text`` replaces text in the file as written (old → new, each exactly once)."""

    base: Path
    values: Mapping[str, Any] = field(default_factory=dict)
    text: tuple[tuple[str, str], ...] = ()


STORY = "附件1 自评表的年度资金总额按全年预算数1302.60万元计，执行率97.37%。"
"""Where the full example states the 自评表's own figures (its 年度资金总额 includes last year's carry-over)."""

FIRES: dict[str, Fire] = {
    # checks/report.py — the fictional department, clean and simple
    "check_part_components": Fire(OTHER, {"budget.project.items.1.amount": Decimal("81.00")}),
    "check_budget_total": Fire(OTHER, {"budget.amount": Decimal("1250.00")}),
    "check_staffing": Fire(OTHER, {"department.staffing.actual": 37}),  # 36 authorised
    "check_notice_year": Fire(OTHER, {"notice.document_number": "青财绩〔2023〕2号"}),
    "check_outlook_years": Fire(OTHER, {"problems": "展望2025年，部分项目资金支付进度偏慢。"}),
    "check_future_years": Fire(OTHER, {"problems": "部分项目资金支付进度偏慢，2027年完成。"}),
    "check_unique_names": Fire(OTHER, {"department.units.1.name": "办公室"}),
    "check_typed_numbers": Fire(OTHER, {"department.units.1.name": "2.体育股"}),
    "check_closing_date": Fire(OTHER, {"closing.date": "2024-12-01"}),
    "check_title_years": Fire(OTHER, {"scope": "2024年度县级财政资金整体支出绩效"}),
    "check_attachment_labels": Fire(TABLE_EXAMPLE, {"attachment.label": "附件1"}),  # only beside a 自评表
    # checks/figures.py — the full example has income, execution, "三公", staff groups and assets
    "check_unit_word": Fire(OTHER, {"department.name": "青山县政协委员会"}),
    "check_amounts_in_yuan": Fire(OTHER, {"budget.amount": Decimal("12508000.00")}),  # 1250.80 万元 in 元
    "check_staff_groups": Fire(TABLE_EXAMPLE, {"department.staffing.groups.1.authorized": 5}),
    "check_vehicles": Fire(TABLE_EXAMPLE, {"department.assets.vehicles.actual": 4}),  # 3 authorised
    "check_income": Fire(TABLE_EXAMPLE, {"income.sources.1.amount": Decimal("12.80")}),
    # Income 1282.60 against 执行数 1240.60: the example explains the gap in `problems` (结转资金) only.
    "check_income_gap": Fire(TABLE_EXAMPLE, {"problems": "部分项目资金支付进度偏慢。"}),
    "check_execution": Fire(TABLE_EXAMPLE, text=(("    executed: 382.40\n", "    executed: 300.00\n"),)),
    "check_three_public": Fire(TABLE_EXAMPLE, {"three_public.vehicles.operation.actual": Decimal("10.00")}),
    "check_stated_changes": Fire(TABLE_EXAMPLE, text=(("增长5.96%", "增长6.96%"),)),
    # checks/prose.py — the prose against the lists and figures
    "check_stated_counts": Fire(OTHER, {"problems": "我局9个内设机构分工不够明确，部分项目资金支付进度偏慢。"}),
    "check_old_years": Fire(OTHER, {"problems": "2019年度以来部分项目资金支付进度偏慢。"}),  # a 2025 report
    "check_amounts_said_in_yuan": Fire(OTHER, {"problems": "基本支出850.80元，部分项目资金支付进度偏慢。"}),
    "check_known_indicators": Fire(TABLE_EXAMPLE, text=(("              actual: 94.44\n",
                                                          "              actual: 92.31\n"),)),  # 34 of 36 in post
    # checks/story.py — the two attachments tell one story (the example states the table's basis)
    "check_story_funding": Fire(TABLE_EXAMPLE, text=((STORY, ""),)),
    # checks/table.py — the 自评表 of the full example
    "check_table_weights": Fire(TABLE_EXAMPLE, {"assessment.indicators.0.weight": 49}),
    "check_table_scores": Fire(TABLE_EXAMPLE,  # a typed 得分 of a computed indicator (8 of 8 → 10) that is not 10
                               {"assessment.indicators.0.children.0.indicators.0.score": 9}),
    "check_table_reasons": Fire(TABLE_EXAMPLE,  # 项目按期完成率 87.5 of 100 without its 偏差原因
                                {"assessment.indicators.0.children.2.indicators.0.reason": None}),
    "check_table_funding": Fire(TABLE_EXAMPLE, {"assessment.funding.parts.2.initial": Decimal("1.00")}),
    "check_table_unique_indicators": Fire(TABLE_EXAMPLE, {
        "assessment.indicators.0.children.0.indicators.1.name": "乡镇综合文化站提质改造数量"}),
    "check_prose_against_table": Fire(TABLE_EXAMPLE,
                                      {"verdict": "预算编制较为科学，执行进度总体符合要求，自评得分90分。"}),
}


class _Dumper(yaml.SafeDumper):
    """Writes the loader's ``Decimal``s back as plain numbers (850.80, not '850.80' or a float)."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:f}"))


def _set(data: Any, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    assert isinstance(target, list if last.isdigit() else dict), f"{dotted}: no such place in the data"
    if isinstance(target, list):
        assert int(last) < len(target), f"{dotted}: no such item"
        target[int(last)] = value
    else:
        target[last] = value


def write_edited(fire: Fire, folder: Path, *, edit: bool = True) -> Path:
    """The fire's base file with its edit applied (or, ``edit=False``, written the same way without it)."""
    assert not (fire.values and fire.text), "one kind of edit per fire: the values' re-dump drops text edits"
    text = fire.base.read_text(encoding="utf-8")
    if edit:
        for old, new in fire.text:
            assert text.count(old) == 1, f"{old!r} is not in {fire.base.name} exactly once"
            text = text.replace(old, new)
    if fire.values:
        loaded = load_file(fire.base)
        assert loaded.data is not None and not loaded.problems
        data = loaded.data
        if edit:
            for dotted, value in fire.values.items():
                _set(data, dotted, value)
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    target = folder / fire.base.name
    target.write_text(text, encoding="utf-8")
    return target


def reported_codes(path: Path) -> dict[str, list[str]]:
    """Every problem ``validate_file`` reports, as code → messages."""
    codes: dict[str, list[str]] = {}
    for problem in validate_file(path).problems:
        codes.setdefault(problem.code, []).append(f"{problem.path}: {problem.message}")
    return codes


def fires(name: str, folder: Path) -> bool:
    """Whether the named check's edit makes ``validate_file`` report a problem with the check's code."""
    return name in reported_codes(write_edited(FIRES[name], folder))


REGISTERED = [check.__name__ for check in registered_checks()]
CASES = [*REGISTERED, *sorted(set(FIRES) - set(REGISTERED))]
"""The registered checks, then any check the table has an edit for but no tuple registers: such a
check's edit fires nothing, so a check dropped from its tuple fails its firing case as well."""


def _fire(name: str) -> Fire:
    if name not in FIRES:
        pytest.fail(f"{name} is registered but FIRES has no edit that makes it fire: add one")
    return FIRES[name]


def test_the_firing_table_covers_exactly_the_registered_checks() -> None:
    # A check added without a firing edit fails here; so does an edit for a check no tuple holds.
    assert sorted(FIRES) == sorted(REGISTERED)


@pytest.mark.parametrize("name", CASES)
def test_the_unedited_base_does_not_report_it(name: str, tmp_path: Path) -> None:
    fire = _fire(name)
    assert name not in reported_codes(fire.base)
    # …nor the base written back the way the edited file is (re-dumped from the loaded data).
    assert name not in reported_codes(write_edited(fire, tmp_path, edit=False))


@pytest.mark.parametrize("name", CASES)
def test_the_check_fires_on_its_edit(name: str, tmp_path: Path) -> None:
    codes = reported_codes(write_edited(_fire(name), tmp_path))
    assert name in codes, f"{name} did not fire; validate reported: {codes}"


def test_the_review_check_runs_on_the_raw_data(tmp_path: Path) -> None:
    # check_review is not in a tuple (NOT_REPORT_CHECKS): run_all calls it itself. It fires too.
    base = OTHER.read_text(encoding="utf-8")
    assert "check_review" not in reported_codes(OTHER)
    source = tmp_path / "reviewed.yaml"
    source.write_text(base + "review:\n  - path: problems\n    text: 支付进度\n    reason: 沿用自上年\n",
                      encoding="utf-8")
    codes = reported_codes(source)
    assert list(codes) == ["check_review"], codes


# ---------------------------------------------------------------------------------------- planted bugs

DROPPED = [(figures, "check_income_gap"), (report, "check_staffing"), (report, "check_unique_names"),
           (figures, "check_vehicles")]


@pytest.mark.parametrize(("module", "name"), DROPPED, ids=[name for _, name in DROPPED])
def test_a_check_dropped_from_its_tuple_is_caught(module: ModuleType, name: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The bug planted in-process: the check stays defined but leaves ``CHECKS``."""
    assert unregistered(module) == [] and fires(name, tmp_path)  # before: registered, and it fires
    registered: tuple[Check, ...] = module.CHECKS
    monkeypatch.setattr(module, "CHECKS", tuple(check for check in registered if check.__name__ != name))
    assert unregistered(module) == [name]  # test_every_report_check_is_registered fails…
    assert name not in [check.__name__ for check in registered_checks()]  # …the coverage test fails…
    assert not fires(name, tmp_path)  # …and the firing edit finds nothing any more


def test_the_checks_without_figures_are_registered_checks() -> None:
    # They run on their own while figures are 待填: a check only listed there would run in no other case.
    every = registered_checks()
    assert registry.without_figures() and all(check in every for check in registry.without_figures())
