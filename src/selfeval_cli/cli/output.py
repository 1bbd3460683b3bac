"""What every command prints: problems, the closing lines, progress; and the exit code it ends with."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from selfeval_cli.errors import EXIT_FAILED, EXIT_OK, FileError, SelfevalError
from selfeval_cli.problems import Problem, Severity, fails, summary

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up light
    from selfeval_cli.problems import Outcome


T = TypeVar("T")


def run_batch(task: Callable[..., T], jobs_list: Sequence[tuple[object, ...]], jobs: int | None, label: str,
              quiet: bool, warm_up: Callable[[], None] | None = None) -> list[T]:
    """Run a batch over the files, with a progress bar when a person watches several files go by."""
    from selfeval_cli.commands.batch import default_jobs, run_parallel


    workers = jobs or default_jobs()
    if quiet or len(jobs_list) < 2 or not sys.stderr.isatty():
        return run_parallel(task, jobs_list, workers, warm_up=warm_up)
    with click.progressbar(length=len(jobs_list), label=label, file=sys.stderr) as bar:
        return run_parallel(task, jobs_list, workers, on_done=lambda _: bar.update(1), warm_up=warm_up)


def finish(outcomes: list[Outcome], heading: str, *, strict: bool, quiet: bool, err: bool,
            listed: bool = True, closing: str | None = None) -> int:
    """The end of every command over files: the problems, the failed files, one summary; returns the
    exit code for the command to leave with.

    ``heading`` (with ``{count}``) introduces the closing list of failed files of a batch;
    ``closing`` is said last. ``quiet`` keeps to errors (and warnings under --strict).
    """
    from selfeval_cli.commands.batch import failure_table

    found = [p for outcome in outcomes for p in outcome.problems]
    if listed:
        shown = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        echo_problems([p for p in found if not quiet or p.severity in shown], err=err)
    failed = [o for o in outcomes if o.failed]
    if failed and len(outcomes) > 1:
        click.echo("\n" + failure_table(failed, heading), err=err)
    click.echo(summary(found, len(outcomes)), err=err)
    if closing is not None:
        click.echo(closing, err=err)
    return EXIT_FAILED if fails(found, strict=strict) or failed else EXIT_OK


def convert_pdfs(built: list[Path], jobs: int | None = None) -> None:
    from selfeval_cli.commands.batch import default_jobs
    from selfeval_cli.word.pdf import convert_many, missing_fonts

    convert_many([(path, path.with_suffix(".pdf")) for path in built], processes=jobs or default_jobs())
    click.echo(f"已生成 {len(built)} 个 PDF" if len(built) > 1 else f"已生成 {built[0].with_suffix('.pdf')}", err=True)
    missing = missing_fonts()
    if missing:
        click.echo(f"注意：本机缺少字体 {'、'.join(missing)}，PDF 中已用相近字体代替；Word 文件不受影响。", err=True)


def echo_error(error: SelfevalError) -> None:
    """An error of the whole run, as every command prints it; a file's own failure as its located line."""
    click.echo(error.message if isinstance(error, FileError) else f"错误：{error.message}", err=True)


def echo_problems(problems: list[Problem], err: bool) -> None:
    """One problem per line; on a terminal the severity is coloured (click drops colour elsewhere)."""
    for problem in problems:
        word = f": {problem.severity.value}: "
        colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}[problem.severity]
        styled = ": " + click.style(problem.severity.value, fg=colour, bold=True) + ": "
        click.echo(problem.format().replace(word, styled, 1), err=err)


