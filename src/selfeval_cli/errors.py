"""The one exception tree of selfeval.

Library code raises these; the CLI lets click print them once. Every class is a
``click.ClickException`` so that an uncaught one still ends in a clean message and the
documented exit code, never a traceback.

Exit codes: 0 success, 1 invalid data or failed build (everything here), 2 usage errors
(click's own ``UsageError``), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

from typing import IO, Any

import click

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class SelfevalError(click.ClickException):
    """Base of every error selfeval reports to its user."""

    exit_code = EXIT_FAILED

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.format_message()}", file=file, err=True)


class InputFileError(SelfevalError):
    """An input file cannot be read as a YAML text file at all."""

    def __init__(self, file: str, reason: str, line: int = 0) -> None:
        self.file, self.reason, self.line = file, reason, line
        super().__init__(f"{file}:{line}: {reason}" if line else f"{file}: {reason}")


class ValidationFailed(SelfevalError):
    """The data has errors (or warnings under --strict); the problems were already printed."""


class TemplateError(SelfevalError):
    """A report template is missing, malformed or refers to data that does not exist."""


class BuildError(SelfevalError):
    """The report could not be assembled or written."""


class OutputError(SelfevalError):
    """The output path cannot be used (it is the input, a directory, not writable…)."""


class PdfError(SelfevalError):
    """LibreOffice is missing or failed to convert the report to PDF."""
