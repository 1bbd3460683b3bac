"""Many files in one process: expand arguments, run in parallel, collect outcomes.

One bad file never stops the others: every file ends as an ``Outcome`` — its problems, and
either the report written or the reason it was not.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_cli.errors import OutputError, SelfevalError
from selfeval_cli.problems import Problem, Severity

DATA_SUFFIXES = (".yaml", ".yml")


@dataclass
class Outcome:
    """What became of one input file."""

    source: Path
    problems: list[Problem] = field(default_factory=list)
    output: Path | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def expand_inputs(arguments: Iterable[Path]) -> list[Path]:
    """Files as given, the data files of a directory (sorted), and glob patterns expanded.

    A name that matches nothing is kept, so that it is reported as missing rather than skipped.
    """
    files: list[Path] = []
    for argument in arguments:
        text = str(argument)
        if argument.is_dir():
            found = sorted(p for p in argument.iterdir() if p.suffix.lower() in DATA_SUFFIXES and p.is_file())
            files += found or [argument]  # an empty folder is reported, not silently skipped
        elif glob.has_magic(text) and not argument.exists():
            matches = sorted(Path(m) for m in glob.glob(text))
            files += matches or [argument]
        else:
            files.append(argument)
    return list(dict.fromkeys(files))  # each file once, first mention first


def plan_builds(arguments: Iterable[Path], output: Path | None) -> tuple[list[Path], list[Path], bool]:
    """The input files, the report each one becomes, and whether this is a batch.

    It is a batch when there are several files, a directory, or an output that is a directory
    (existing, or written with a trailing slash); a batch writes ``OUTDIR/<name>.docx``, or each
    report beside its data file when no output is given.
    """
    arguments = list(arguments)
    files = expand_inputs(arguments)
    many = len(files) > 1 or any(a.is_dir() for a in arguments) or (
        output is not None and (output.is_dir() or str(output).endswith(("/", os.sep))))
    if not many:
        return files, [output or files[0].with_suffix(".docx")], False
    targets = outputs_in(output, files) if output else [f.with_suffix(".docx") for f in files]
    return files, targets, True


def outputs_in(folder: Path, sources: list[Path], suffix: str = ".docx") -> list[Path]:
    """``folder/<name>.docx`` for each source; two sources with the same name are refused."""
    targets = [folder / (source.stem + suffix) for source in sources]
    clashes = sorted({t.name for t in targets if targets.count(t) > 1})
    if clashes:
        raise OutputError(f"多个输入文件会写到同一个输出：{'、'.join(clashes)}；请改名或分批生成")
    return targets


def build_outcome(source: Path, output: Path, template_dir: Path | None, strict: bool) -> Outcome:
    """Build one report; every failure becomes part of the outcome, nothing is raised."""
    from selfeval_cli.commands.build import build_report

    try:
        result = build_report(source, output, template_dir=template_dir, strict=strict)
    except SelfevalError as exc:
        return Outcome(source, error=exc.format_message())
    if result.output is None:
        errors = sum(1 for p in result.problems if p.severity is Severity.ERROR)
        why = f"{errors} 个错误" if errors else f"{len(result.problems)} 个警告（--strict）"
        return Outcome(source, result.problems, error=why)
    return Outcome(source, result.problems, output=result.output)


def validate_outcome(source: Path) -> Outcome:
    """Validate one file as an outcome (an unreadable file is one problem)."""
    from selfeval_cli.data.validation import validate_many

    problems = validate_many([source])
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return Outcome(source, problems, error=f"{errors} 个错误" if errors else None)


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run_all(task: Callable[..., Outcome], jobs: list[tuple[object, ...]], workers: int,
            on_done: Callable[[Outcome], None] | None = None,
            warm_up: Callable[[], None] | None = None) -> list[Outcome]:
    """Run ``task(*args)`` for every job, on up to ``workers`` processes; outcomes in job order."""
    if warm_up is not None:
        warm_up()  # before the workers start, so they inherit it instead of each paying for it
    if workers <= 1 or len(jobs) <= 1:
        return list(_inline(task, jobs, on_done))
    # Imported here: multiprocessing costs a single-file run ~10 ms it has no use for.
    from concurrent.futures import Future, ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures: list[Future[Outcome]] = [pool.submit(task, *args) for args in jobs]
        try:
            for future in as_completed(futures):
                if on_done is not None:
                    on_done(future.result())
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)  # do not start the files still waiting
            raise
        return [f.result() for f in futures]


def _inline(task: Callable[..., Outcome], jobs: list[tuple[object, ...]],
            on_done: Callable[[Outcome], None] | None) -> Iterator[Outcome]:
    for args in jobs:
        outcome = task(*args)
        if on_done is not None:
            on_done(outcome)
        yield outcome


def warm_up_build(template_dir: Path | None) -> None:
    """Import the writer, make the styled base document and compile the templates once, in the
    parent process, so that every worker inherits them."""
    from selfeval_cli.render.sections import compile_templates
    from selfeval_cli.word.writer import base_document

    base_document()
    try:
        compile_templates(template_dir)
    except SelfevalError:
        return  # a broken template is reported for each file by the build itself
