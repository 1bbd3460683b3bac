"""The one exception tree of selfeval, and the exit codes.

Plain Python: library code raises these and never prints; the command line (``cli``, the only
module that imports click) prints each once — ``错误：`` and the message — and exits with the
error's ``exit_code``. A web service or a notebook catches ``SelfevalError`` and reads ``message``.

Two kinds of failure, handled two ways:

* a **file's** failure — its data cannot be read, or its report cannot be written — is a
  ``FileError``. Commands turn it into a located ``Problem`` of that file, so it is printed,
  counted and summed up exactly like a mistake in the data, in every command and in batches;
* **usage and environment** errors — a template folder that is broken, LibreOffice missing,
  arguments that contradict each other — concern the whole run and stop it.
"""

from __future__ import annotations

from typing import Any

from selfeval_cli.problems import Problem, Severity

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class SelfevalError(Exception):
    """Base of every error selfeval reports to its user: a message in Chinese and an exit code."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FileError(SelfevalError):
    """A failure of one file, reported as a problem of that file (see the module docstring)."""

    code = "file"

    def __init__(self, file: str, reason: str, line: int = 0, column: int = 0) -> None:
        self.file, self.reason, self.line = file, reason, line
        self.column = column or (1 if line else 0)
        super().__init__(self.problem().format())

    def __reduce__(self) -> tuple[Any, ...]:  # the default would call __init__ with the message only
        return (type(self), (self.file, self.reason, self.line, self.column))

    def problem(self) -> Problem:
        """This failure as a located error of ``file`` (line 0: the file as a whole)."""
        return Problem(self.file, self.line, self.column, Severity.ERROR, (), self.reason, self.code)


class InputFileError(FileError):
    """A data file cannot be read as a YAML text file at all."""

    code = "file_unreadable"


class OutputError(FileError):
    """An output path cannot be used (it is the input, a directory, not writable…)."""

    code = "output_unusable"


class UsageError(SelfevalError):
    """Arguments that cannot work together, found after click parsed them."""

    exit_code = EXIT_USAGE


class TemplateError(SelfevalError):
    """A report template is missing, malformed or refers to data that does not exist."""


class OutlineError(TemplateError):
    """An outline that cannot be found, may not be used from where the data names it, or whose
    manifest cannot be read. A data file's outline is reported as a problem of that file."""


class MarkupError(TemplateError):
    """A line of rendered markup that is not understood; ``line`` is 1-based. ``snippet`` is the
    offending markup as the template wrote it, to find its line in the template."""

    def __init__(self, line: int, message: str, snippet: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.snippet = snippet


class BuildError(SelfevalError):
    """The report could not be assembled from what the templates produced."""


class NumberingError(BuildError):
    """A heading skips a level (a ``1.`` with no ``（一）`` above it)."""


class PdfError(SelfevalError):
    """LibreOffice is missing or failed to convert the report to PDF."""
