"""The build pipeline: validate → render → assemble → write atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selfeval_cli.data.validation import validate_file
from selfeval_cli.errors import OutputError
from selfeval_cli.problems import Problem, fails, sort_problems
from selfeval_cli.writing import check_output_path, write_atomically


@dataclass
class BuildResult:
    """What a build did: the problems found and, when it succeeded, the file written."""

    problems: list[Problem]
    output: Path | None


def build_report(source: Path, output: Path, *, template_dir: Path | None = None,
                 strict: bool = False) -> BuildResult:
    """Validate ``source`` and, when it passes, write the report to ``output`` atomically.

    Errors (or warnings under ``strict``) stop the build before anything is written. A data
    file that cannot be read and an output that cannot be written are problems of the result,
    like mistakes in the data; a broken template raises ``TemplateError`` (it breaks every file).
    """
    try:
        check_output_path(output, [source])
    except OutputError as exc:  # found before validating: the data is not worth reading yet
        return BuildResult([exc.problem()], None)
    result = validate_file(source)
    if fails(result.problems, strict=strict) or result.report is None:
        return BuildResult(result.problems, None)
    from selfeval_cli.render.sections import render_blocks
    from selfeval_cli.word.writer import build_document

    blocks = render_blocks(result.report, template_dir)
    try:
        write_atomically(output, build_document(result.report, blocks))
    except OutputError as exc:
        return BuildResult(sort_problems([*result.problems, exc.problem()]), None)
    return BuildResult(result.problems, output)
