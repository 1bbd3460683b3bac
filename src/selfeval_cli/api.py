"""selfeval as a library: what the command line does, for a web service, a notebook or a script.

Every function takes paths and returns ``Outcome``s — the file, its located problems, what was
written from it, and whether it failed — and prints nothing. A file's own failures (unreadable,
invalid data, an output that cannot be written) are problems of its outcome; only an error of the
whole run (a broken template folder given by the caller, LibreOffice missing) raises, as a
``SelfevalError`` carrying its ``message`` and ``exit_code``.

    from pathlib import Path
    from selfeval_cli import api

    checked = api.validate(Path("data/2024_luko_edu.yaml"))
    print([problem.format() for problem in checked.problems])
    built = api.build(Path("data/2025_example_county.yaml"), Path("build/示例.docx"))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from selfeval_cli.errors import SelfevalError
from selfeval_cli.problems import Outcome, Problem, Severity, fails

__all__ = ["Outcome", "Problem", "SelfevalError", "Severity", "build", "import_report", "new_year", "summarize",
           "validate"]


def validate(source: Path, *, strict: bool = False, trust_outlines: bool = False) -> Outcome:
    """Check one data file; it fails on an error (or, with ``strict``, a warning)."""
    from selfeval_cli.checks.validation import validate_file

    problems = validate_file(source, trust_outlines=trust_outlines).problems
    return Outcome(source, problems, failed=fails(problems, strict=strict))


def build(source: Path, output: Path, *, templates: Path | None = None, strict: bool = False, split: bool = False,
          trust_outlines: bool = False) -> Outcome:
    """Check ``source`` and, when it passes, write its report to ``output`` (atomically)."""
    from selfeval_cli.commands.build import build_report

    result = build_report(source, output, template_dir=templates, strict=strict, split=split,
                          trust_outlines=trust_outlines)
    return Outcome(source, result.problems, result.written, failed=not result.written)


def new_year(source: Path, output: Path | None = None, *, force: bool = False) -> Outcome:
    """Write next year's data file from ``source`` (beside it by default); the problems are what is
    left to fill and to check in the new file, located in it."""
    from selfeval_cli.commands.newyear import make_next_year

    return make_next_year(source, output, force=force).outcome


def import_report(source: Path, output: Path, *, table: Path | None = None, year: int | None = None,
                  force: bool = False, outline_dir: Path | None = None) -> Outcome:
    """Read a published report (.docx, .doc, .pdf or text; or a 自评表 alone) into a data file at
    ``output``; ``table`` is last year's 自评表 as a file of its own (.xlsx, .xls, .docx, .pdf);
    ``outline_dir`` (inside ``output``'s folder) also gets an outline folder with the report's own
    chapters, which the data file names."""
    from selfeval_cli.commands.import_report import import_report as read_report

    result = read_report(source, output, table=table, year=year, force=force, outline_dir=outline_dir)
    written = [path for path in (result.output, result.outline_dir) if path is not None]
    return Outcome(source, result.problems, written, failed=result.output is None)


def summarize(sources: Sequence[Path], output: Path, *, fmt: str | None = None,
              trust_outlines: bool = False) -> list[Outcome]:
    """Write the bureau's summary of many data files (folders and patterns expanded) to ``output``:
    an .xlsx workbook, or CSV (``fmt="csv"`` or a .csv name). One outcome per data file."""
    from selfeval_cli.commands.summary import summarize_file, summary_inputs, write_summary

    summaries = [summarize_file(path, trust_outlines) for path in summary_inputs(sources, output)]
    write_summary(summaries, output, fmt)
    return [Outcome(s.source, s.problems, [output], failed=s.failed) for s in summaries]
