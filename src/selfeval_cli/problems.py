"""Problems found in a data file, and how they are printed.

A problem is located (file, line, column), names the field it concerns and carries a plain Chinese
message. Loader, model validation and cross-checks all produce them — a cross-check, which sees the
model and not the file, makes one ``about`` a field, and ``validation`` locates it in the file; the CLI
sorts and prints them once. There is no other type of problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from selfeval_cli.model.values import FieldPath, dotted
from selfeval_cli.records import record


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    """Information, not a fault: never counted, never fails a run (not even under --strict)."""


@record
class Problem:
    """One finding about a data file: located (file, line, column) once ``validation`` has placed it."""

    file: str
    line: int
    """0 for the file as a whole (missing, unreadable…), or for a problem not located yet."""
    column: int
    severity: Severity
    field: FieldPath
    """The field it concerns (``("department", "units", 3, "name")``); ``()`` for the file itself."""
    message: str
    code: str = ""
    """What kind of problem, for tools: a model error type or a cross-check's name ("" for the file itself)."""
    quote: str | None = None
    """The words of the field's text it concerns: located at them rather than at the field."""
    also: FieldPath | None = None
    """Another field it concerns (the first of two duplicates): its line is named in the message."""

    def __post_init__(self) -> None:
        if isinstance(self.field, str):  # a dotted path would print letter by letter: d.e.p.a.r.t…
            raise TypeError(f"Problem.field is a tuple of keys and indexes, not {self.field!r}")

    @classmethod
    def about(cls, field: FieldPath, severity: Severity, message: str, quote: str | None = None, *,
              also: FieldPath | None = None) -> Problem:
        """A problem a cross-check finds in the model, at ``field``: not yet located in the file."""
        return cls("", 0, 0, severity, field, message, quote=quote, also=also)

    @property
    def path(self) -> str:
        """The field as the messages write it: ``department.units[3].name``."""
        return dotted(self.field)

    def format(self) -> str:
        """The ``file:line:col: severity: path: message`` form editors and CI understand."""
        where = f"{self.path}: " if self.path else ""
        # Line 0 means the problem is about the file as a whole (missing, unreadable…).
        at = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{at}: {self.severity.value}: {where}{self.message}"


@dataclass
class Outcome:
    """What became of one input file: its problems, and what was written from it (the one result type
    of the library API, ``selfeval_cli.api``)."""

    source: Path
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: bool = False

    @property
    def reason(self) -> str:
        """Why it failed, in a few words for the closing table (the located lines say the rest)."""
        errors, warnings = count(self.problems)
        return f"{errors} 个错误" if errors else f"{warnings} 个警告（--strict）"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line and column, errors before warnings."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.severity != Severity.ERROR, p.path))


def count(problems: Sequence[Problem]) -> tuple[int, int]:
    """(errors, warnings) in ``problems``."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return errors, sum(1 for p in problems if p.severity is Severity.WARNING)


def summary(problems: Sequence[Problem], files: int = 1) -> str:
    """The closing line: how many errors and warnings were found."""
    errors, warnings = count(problems)
    scope = f"{files} 个文件，" if files > 1 else ""
    if not errors and not warnings:
        return f"{scope}未发现问题"
    return f"{scope}共 {errors} 个错误，{warnings} 个警告"


def to_json(problems: Sequence[Problem]) -> str:
    """The problems as a JSON array, for tools."""
    import json
    shown = ("file", "line", "column", "severity", "path", "message", "code")
    return json.dumps([{key: getattr(p, key) for key in shown} for p in problems], ensure_ascii=False, indent=2)


def fails(problems: Sequence[Problem], *, strict: bool) -> bool:
    """Whether these problems make the run fail: any error, or any warning under --strict."""
    errors, warnings = count(problems)
    return errors > 0 or (strict and warnings > 0)


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def to_github(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, shown on its line in a pull request."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}[problem.severity]
    where = [f"file={_escape(problem.file, property_value=True)}"]
    if problem.line:
        where += [f"line={problem.line}", f"col={problem.column}"]
    if problem.path:
        where.append(f"title={_escape(problem.path, property_value=True)}")
    return f"::{level} {','.join(where)}::{_escape(problem.message)}"
