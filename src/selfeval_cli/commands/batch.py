"""Many files in one run: expand arguments, run them on a pool of worker processes, collect outcomes.

One bad file never stops the others: every file ends as an ``Outcome`` — its problems, and
either the report written or the reason it was not.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from selfeval_cli.errors import SelfevalError, UsageError
from selfeval_cli.model.loader import DATA_SUFFIXES
from selfeval_cli.problems import Outcome, Problem, Severity, fails


def failure_table(failed: list[Outcome], heading: str) -> str:
    """The closing list of a batch: ``heading`` (with ``{count}``), then each failed file and why."""
    width = max(len(str(o.source)) for o in failed)
    rows = [f"  {str(o.source).ljust(width)}  {o.reason}" for o in failed]
    return "\n".join([heading.format(count=len(failed)), *rows])


def built_line(outcomes: list[Outcome]) -> str:
    """What a build says last: the files written, or how many reports were."""
    built = [o for o in outcomes if not o.failed]
    if len(outcomes) == 1:
        return f"已生成 {'、'.join(str(p) for p in built[0].written)}" if built else "未生成报告"
    return f"已生成 {len(built)} 份报告，失败 {len(outcomes) - len(built)} 份"


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


def plan_builds(arguments: Iterable[Path], output: Path | None, template_dir: Path | None, strict: bool,
                split: bool = False, trust_outlines: bool = False
                ) -> list[tuple[Path, Path, Path | None, bool, bool, bool]]:
    """One ``build_outcome`` job per input file: (data file, report, template folder, strict, split,
    trust_outlines).

    One file and ``-o FILE`` writes there; several files, a directory, or an output that is a
    directory (existing, or written with a trailing slash) write ``OUTDIR/<name>.docx``; with no
    output each report goes beside its data file.
    """
    arguments = list(arguments)
    files = expand_inputs(arguments)
    many = len(files) > 1 or any(a.is_dir() for a in arguments) or (
        output is not None and (output.is_dir() or str(output).endswith(("/", os.sep))))
    if not many:
        targets = [output or files[0].with_suffix(".docx")]
    else:
        targets = outputs_in(output, files) if output else [f.with_suffix(".docx") for f in files]
    return [(source, target, template_dir, strict, split, trust_outlines)
            for source, target in zip(files, targets, strict=True)]


def outputs_in(folder: Path, sources: list[Path], suffix: str = ".docx") -> list[Path]:
    """``folder/<name>.docx`` for each source; two sources with the same name are refused."""
    targets = [folder / (source.stem + suffix) for source in sources]
    clashes = sorted({t.name for t in targets if targets.count(t) > 1})
    if clashes:
        raise UsageError(f"多个输入文件会写到同一个输出：{'、'.join(clashes)}；请改名或分批生成")
    return targets


def build_outcome(source: Path, output: Path, template_dir: Path | None, strict: bool, split: bool,
                  trust_outlines: bool = False) -> Outcome:
    """Build one report. File failures are problems of the outcome (a data file's own outline
    included); a broken default or ``--templates`` folder raises."""
    from selfeval_cli.commands.build import build_report

    try:
        result = build_report(source, output, template_dir=template_dir, strict=strict, split=split,
                              trust_outlines=trust_outlines)
    except Exception as exc:  # a defect met in one file is that file's failure
        return Outcome(source, [internal_error(source, exc)], failed=True)
    return Outcome(source, result.problems, result.written, failed=not result.written)


def validate_outcome(source: Path, strict: bool, trust_outlines: bool = False) -> Outcome:
    """Validate one file as an outcome (an unreadable file is one problem)."""
    from selfeval_cli.checks.validation import validate_file

    try:
        problems = validate_file(source, trust_outlines=trust_outlines).problems
    except Exception as exc:  # see internal_error
        problems = [internal_error(source, exc)]
    return Outcome(source, problems, failed=fails(problems, strict=strict))


INTERNAL = "internal"
"""The code of a problem that is selfeval's own defect, met in one file."""


def internal_error(source: Path, exc: Exception) -> Problem:
    """A defect of selfeval met while handling ``source``, as that file's problem: in a batch of a
    county's files one department's file must not cost the others their reports or their row in
    the summary. An error of the whole run (``SelfevalError``: a broken ``--templates`` folder…) is
    raised again, as is everything under ``SELFEVAL_DEBUG`` (to see the traceback)."""
    if isinstance(exc, SelfevalError) or os.environ.get("SELFEVAL_DEBUG"):
        raise exc
    return Problem(str(source), 0, 0, Severity.ERROR, (),
                   f"内部错误（{type(exc).__name__}: {exc}）：这是 selfeval 的缺陷，请报告，并附上这个文件；"
                   "其他文件不受影响", INTERNAL)


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


T = TypeVar("T")

START_METHOD: str | None = None
"""How worker processes start: None is the platform's default (fork on Linux; spawn on Windows and
macOS). The tests run the batches under "spawn" as well, so that nothing relies on fork's inheritance."""


def run_parallel(task: Callable[..., T], jobs: Sequence[tuple[object, ...]], workers: int,
            on_done: Callable[[T], None] | None = None,
            warm_up: Callable[[], None] | None = None) -> list[T]:
    """Run ``task(*args)`` for every job, on up to ``workers`` processes; outcomes in job order.

    ``warm_up`` runs in this process before the workers start, so that forked workers inherit what
    it prepares instead of each paying for it (and a broken default or ``--templates`` folder stops
    the batch here, once; an outline a data file names fails that file only);
    in one process there is nothing to share and it is skipped. On Ctrl-C, or when a task raises,
    nothing more is started and the workers are stopped at once: a report being written is left as
    it was before (writes are atomic), not finished.
    """
    if workers <= 1 or len(jobs) <= 1:
        return list(_inline(task, jobs, on_done))
    if warm_up is not None:
        warm_up()
    # Imported here: multiprocessing costs a single-file run ~10 ms it has no use for.
    import multiprocessing

    results: dict[int, T] = {}
    pool = multiprocessing.get_context(START_METHOD).Pool(min(workers, len(jobs)), initializer=_worker_signals)
    try:
        for index, outcome in pool.imap_unordered(_Numbered(task), enumerate(jobs)):
            results[index] = outcome
            if on_done is not None:
                on_done(outcome)
        pool.close()
    except BaseException:
        pool.terminate()  # Pool.terminate, unlike an executor's shutdown, does not wait for queued work
        raise
    finally:
        pool.join()
    return [results[index] for index in range(len(jobs))]


class _Numbered(Generic[T]):
    """``task`` as a picklable callable of ``(index, args)`` that returns ``(index, outcome)``."""

    def __init__(self, task: Callable[..., T]) -> None:
        self.task = task

    def __call__(self, numbered: tuple[int, tuple[object, ...]]) -> tuple[int, T]:
        index, args = numbered
        return index, self.task(*args)


def _worker_signals() -> None:
    """Workers ignore Ctrl-C: the terminal sends it to the whole group, and the parent decides (a
    worker hit while waiting for work would print a traceback). The parent stops them with SIGTERM,
    which here unwinds the worker like an exception, so that a report being written leaves no
    temporary file behind (``write_atomically`` cleans up in ``finally``)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)


def _leave(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _inline(task: Callable[..., T], jobs: Sequence[tuple[object, ...]],
            on_done: Callable[[T], None] | None) -> Iterator[T]:
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
    compile_templates(template_dir)  # a broken default/--templates folder stops the batch before any worker starts
