"""The domain's words and thresholds are written once, in ``selfeval_cli.vocabulary``, and read from there."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval_cli import vocabulary
from selfeval_cli.model.finance import ExpenseFigures, ThreePublic, VehicleExpenses
from selfeval_cli.model.report import SubUnit, unit_word_of
from selfeval_cli.model.scoring import grade_for
from selfeval_cli.render.sections import make_environment
from selfeval_cli.word.titles import break_title

from .conftest import ROOT

PACKAGE = ROOT / "src" / "selfeval_cli"
HOME = PACKAGE / "vocabulary.py"


def code_strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module's code, with its line. Prose is left out: docstrings (of
    modules, classes, functions and attributes) and the ``description=``/``help=`` texts of the
    schema and the command line, which may name a word in a sentence."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    texts = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.keyword) and node.arg in ("description", "help")]
    prose |= {id(sub) for text in texts for sub in ast.walk(text)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose]


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != HOME)


@pytest.mark.parametrize(("word", "name"), [
    (vocabulary.TO_FILL, "TO_FILL"), (vocabulary.TABLE_LABEL, "TABLE_LABEL"),
    (vocabulary.DEFAULT_OUTLINE, "DEFAULT_OUTLINE"), (vocabulary.THREE_PUBLIC, "THREE_PUBLIC"),
    (vocabulary.INTERNAL_UNIT, "INTERNAL_UNIT"), (vocabulary.NUMERALS[1:], "NUMERALS"),
])
def test_a_word_is_written_only_in_the_vocabulary(word: str, name: str) -> None:
    found = [f"{path.relative_to(ROOT)}:{line}" for path in modules() for line, text in code_strings(path)
             if word in text]
    assert found == [], f"“{word}” is written again; use vocabulary.{name}"


def test_the_unit_endings_are_listed_once() -> None:
    """No other module lists three or more of the unit endings as a tuple or list of its own."""
    endings = set(vocabulary.UNIT_ENDINGS)
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if len(words & endings) >= 3:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("number", ["Decimal(90)", 'Decimal("0.01")', 'Decimal("0.8")', 'Decimal("0.6")'])
def test_thresholds_are_written_once(number: str) -> None:
    found = [str(path.relative_to(ROOT)) for path in modules() if number in path.read_text(encoding="utf-8")]
    assert found == []
    assert number in HOME.read_text(encoding="utf-8")


def test_the_model_the_checks_and_the_titles_read_it() -> None:
    assert unit_word_of("某县文化馆") == "馆" and unit_word_of("某县委员会") is None  # 会 is an ending, not a self word
    assert grade_for(vocabulary.GRADE_BANDS[1][1]) == vocabulary.GRADE_BANDS[1][0]
    nothing = ExpenseFigures()
    three = ThreePublic(abroad=nothing, vehicles=VehicleExpenses(), reception=nothing)
    assert [name for _, name, _ in three.items()] == [name for _, name in vocabulary.THREE_PUBLIC_ITEMS]
    kinds: object = SubUnit.model_fields["kind"].annotation
    assert kinds == vocabulary.UnitKind
    # A title breaks after any unit ending, those the self words leave out included (…委员会|…).
    title = "中共某某县委员会办公室" * 2
    assert "会\n" in break_title(title, 12) or "室\n" in break_title(title, 12)


def test_templates_see_it_read_only(tmp_path: Path) -> None:
    env = make_environment(tmp_path)
    from selfeval_cli.render.markup import clean

    assert clean(env.from_string("{{ vocab.THREE_PUBLIC }}|{{ vocab.LOW_RATE }}").render()) == "“三公”经费|90"
    from jinja2 import TemplateError

    with pytest.raises(TemplateError):  # no update on a read-only mapping, and none allowed in the sandbox
        env.from_string("{% set _ = vocab.update({'TO_FILL': 'x'}) %}").render()
    assert vocabulary.for_templates()["CENT"] == Decimal("0.01")


FIGURE_READERS = (PACKAGE / "importing" / "prose.py", PACKAGE / "importing" / "figures.py",
                  PACKAGE / "phrases.py")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def pattern_strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant in the pattern given to a function of ``re`` (compile, search, split…)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
            found += [(sub.lineno, sub.value) for sub in ast.walk(node.args[0])
                      if isinstance(sub, ast.Constant) and isinstance(sub.value, str)]
    return found


@pytest.mark.parametrize("path", FIGURE_READERS, ids=[path.name for path in FIGURE_READERS])
def test_no_pattern_of_the_figure_readers_restates_a_wording(path: Path) -> None:
    """The importer reads figures by the vocabulary's words, and knows selfeval's own sentences only by
    printing them with the templates: no pattern of its figure readers holds a Chinese word."""
    assert pattern_strings(path), "the check must see the module's patterns"
    found = [f"{path.name}:{line}: {text}" for line, text in pattern_strings(path) if _IDEOGRAPH.search(text)]
    assert found == []


def test_the_own_wording_module_writes_no_word_at_all() -> None:
    """``importing.figures`` decides whether a sentence is selfeval's own without a word of its own."""
    path = PACKAGE / "importing" / "figures.py"
    assert [(line, text) for line, text in code_strings(path) if _IDEOGRAPH.search(text)] == []
