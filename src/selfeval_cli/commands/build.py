"""The build pipeline: validate → render → assemble → write atomically (→ PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selfeval_cli.data.validation import validate_file
from selfeval_cli.problems import Problem, fails
from selfeval_cli.writing import check_output_path, write_atomically


@dataclass
class BuildResult:
    """What a build did: the problems found and, when it succeeded, the file written."""

    problems: list[Problem]
    output: Path | None


def build_report(source: Path, output: Path, *, template_dir: Path | None = None,
                 strict: bool = False) -> BuildResult:
    """Validate ``source`` and, when it passes, write the report to ``output`` atomically.

    Errors (or warnings under ``strict``) stop the build before anything is written.
    Template and output problems raise ``SelfevalError`` subclasses.
    """
    check_output_path(output, [source])
    result = validate_file(source)
    if fails(result.problems, strict=strict) or result.report is None:
        return BuildResult(result.problems, None)
    from selfeval_cli.render.sections import render_blocks
    from selfeval_cli.word.writer import build_document

    blocks = render_blocks(result.report, template_dir)
    write_atomically(output, build_document(result.report, blocks))
    return BuildResult(result.problems, output)
