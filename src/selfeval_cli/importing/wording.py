"""Patterns of selfeval's own sentences, made from the templates' macros: never written out here.

Some sentences the importer reads are not figures but structure — who led the evaluation, who helped, who
took part. Their wording lives in one place, the macro
that prints them (``templates/common/_macros.j2``); the pattern that reads them back is that macro's output
for stand-in values, each stand-in turned into a group, and a part the macro prints only for some values
(the 副组长 clause) made optional. Change the macro and the importer follows.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from selfeval_cli.importing import figures
from selfeval_cli.phrases import chinese_count
from selfeval_cli.render.markup import clean
from selfeval_cli.render.outline_folders import templates_root
from selfeval_cli.vocabulary import AFFILIATED_UNITS, DEFAULT_OUTLINE

MACROS = "common/_macros.j2"


def _slot(name: str) -> str:
    return f"⟦{name}⟧"


_SLOT = re.compile("⟦(\\w+)⟧")


def macro_text(name: str, *arguments: Any) -> str:
    """What the shipped macro ``name`` prints for ``arguments``, in the builder's own environment."""
    return clean(str(getattr(_macros(), name)(*arguments)))  # as the report reads: the markup's guards gone


@functools.cache
def _macros() -> Any:
    """The shipped macros, compiled once: in the environment the figures are printed in
    (``figures.printed`` imports them into the outline's templates from its cache)."""
    return figures.template_environment(templates_root() / DEFAULT_OUTLINE).get_template(MACROS).module


def _pattern(full: str, bare: str, *, whole: bool = False) -> re.Pattern[str]:
    """The pattern of ``full`` whose part missing from ``bare`` (the same macro without an optional part)
    is optional; every slot a lazy group of its name; matching a whole line when ``whole``."""
    prefix = 0
    while prefix < min(len(full), len(bare)) and full[prefix] == bare[prefix]:
        prefix += 1
    start = full.rfind("⟦", 0, prefix)
    if start >= 0 and full.find("⟧", start) >= prefix:  # the two differ inside a slot: not in it
        prefix = start
    rest = bare[prefix:]
    if not full.endswith(rest):
        raise ValueError(f"the optional part of {full!r} is not one piece")
    optional = full[prefix:len(full) - len(rest)]

    def escaped(text: str) -> str:
        return _SLOT.sub(lambda m: f"(?P<{m[1]}>.+?)", re.escape(text))

    middle = f"(?:{escaped(optional)})?" if optional else ""
    return re.compile("^" + escaped(full[:prefix]) + middle + escaped(rest) + ("$" if whole else ""))


@functools.cache
def team_pattern() -> re.Pattern[str]:
    """The evaluation team as ``team_sentence`` prints it: groups ``leader``, ``deputies`` (optional,
    None when the sentence names none) and ``members``, each as written (titles, 、 between names)."""
    def team(deputies: bool) -> dict[str, Any]:
        return {"leader": {"name": _slot("leader"), "title": None},
                "deputies": [{"name": _slot("deputies"), "title": None}] if deputies else [],
                "members": [{"name": _slot("members"), "title": None}]}

    return _pattern(macro_text("team_sentence", team(True)), macro_text("team_sentence", team(False)))


@functools.cache
def counts_lead_in() -> str:
    """What ``unit_counts`` prints before its first count ("设"): the subject of a sentence of counts is
    what stands before it."""
    printed = macro_text("unit_counts", [None], [], None, AFFILIATED_UNITS[0])
    return printed[:printed.index(chinese_count(1))]


OPENINGS = ("opening_self_review", "opening_evaluation")
"""The macros of the report's opening sentence: the hunan outline's and the national one's."""


@functools.cache
def opening_patterns() -> tuple[re.Pattern[str], ...]:
    """The opening sentence as each outline's macro prints it, a whole line: groups ``issuer``, ``title``
    and ``number`` of the notice (None when the sentence cites none), ``scope`` and ``verdict``."""
    notice = {"issuer": _slot("issuer"), "title": _slot("title"), "document_number": _slot("number")}
    return tuple(_pattern(macro_text(name, notice, _slot("scope"), _slot("verdict")),
                          macro_text(name, None, _slot("scope"), _slot("verdict")), whole=True)
                 for name in OPENINGS)


def opening(line: str) -> re.Match[str] | None:
    """``line`` read as the opening sentence of either outline, or None."""
    return next((match for pattern in opening_patterns() if (match := pattern.match(line))), None)
