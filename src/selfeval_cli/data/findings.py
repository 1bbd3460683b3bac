"""What a cross-check reports: a finding at a field path, later located in the file by ``validation``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from selfeval_cli.data.values import FieldPath
from selfeval_cli.problems import Severity

if TYPE_CHECKING:
    from selfeval_cli.data.model import Report


@dataclass(frozen=True, slots=True)
class Finding:
    """A cross-check result: a field path, a severity, a message and optionally the text it quotes."""

    path: FieldPath
    severity: Severity
    message: str
    quote: str | None = None
    code: str = ""


Check = Callable[["Report"], Iterator[Finding]]
"""A cross-check: a small function from a valid report to what it finds."""
