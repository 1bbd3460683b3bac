"""Rebuild a report whenever its data or templates change (``selfeval build --watch``).

A process that stays up pays for starting Python and importing the libraries once; every
rebuild after that costs only the work itself, a small fraction of a cold ``build`` (see
``bench/``). Files are polled rather than watched through the operating system: one data file
and a template folder, looked at twice a second, behave the same on local disks, on network
shares and with editors that save by writing a new file and renaming it over the old one.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from selfeval_cli.commands.build import DOCX, PDF_HINT, BuildResult, build_report
from selfeval_cli.errors import OutputError, SelfevalError
from selfeval_cli.outputs import check_output_path
from selfeval_cli.problems import Outcome, summary

INTERVAL = 0.5
"""Seconds between two looks at the files."""
SETTLE = 0.1
"""Seconds a change must hold before rebuilding: editors may save in several writes."""

Snapshot = dict[Path, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Modification time and size of each file that exists now."""
    seen: Snapshot = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:  # missing for the moment (being replaced) or unreadable: its absence is the change
            continue
        seen[path] = (status.st_mtime_ns, status.st_size)
    return seen


def watched_files(source: Path, template_dir: Path | None) -> list[Path]:
    """The data file and, when the user has their own template folder, every file in it."""
    files = [source]
    if template_dir is not None and template_dir.is_dir():
        files.extend(sorted(p for p in template_dir.rglob("*") if p.is_file()))
    return files


def watch(files: Callable[[], list[Path]], rebuild: Callable[[], None], *,
          stop: threading.Event | None = None, interval: float = INTERVAL, settle: float = SETTLE) -> None:
    """Call ``rebuild`` now and again after every change to ``files()``, until ``stop`` is set.

    ``files`` is asked again on every look, so templates added to a folder are noticed too.
    ``rebuild`` reports its own failures; a failed rebuild never ends the watch.
    """
    stop = stop or threading.Event()
    # Each look is taken before the build it causes, so a save made during a build is built next.
    last = snapshot(files())
    rebuild()
    while not stop.wait(interval):
        current = snapshot(files())
        if current == last:
            continue
        if stop.wait(settle):
            return
        if snapshot(files()) != current:  # still being written: look again next time
            continue
        last = current
        rebuild()


Rebuilt = Callable[[BuildResult | SelfevalError, float], None]
"""Told after every rebuild: its result (or the error that stopped it) and how long it took, in seconds."""


def watch_build(source: Path, target: Path, *, template_dir: Path | None, strict: bool, on_rebuilt: Rebuilt,
                split: bool = False, stop: threading.Event | None = None, trust_outlines: bool = False
                ) -> Outcome | None:
    """Build ``source`` to ``target`` now and after every save, until Ctrl-C, SIGTERM or SIGHUP.

    A failed rebuild (data errors, a broken template, Word holding the file) is reported through
    ``on_rebuilt`` and the watch goes on; ``target`` keeps the last good report. Returns the
    outcome that kept the watch from starting (a wrong output path), else None.
    """
    try:
        check_output_path(target, [source], DOCX, PDF_HINT)  # a wrong -o is a mistake to fix now, not at every save
    except OutputError as exc:
        return Outcome(source, [exc.problem()], failed=True)

    def rebuild() -> None:
        started = time.perf_counter()
        outcome: BuildResult | SelfevalError
        try:
            outcome = build_report(source, target, template_dir=template_dir, strict=strict, split=split,
                                   trust_outlines=trust_outlines)
        except SelfevalError as exc:
            outcome = exc
        on_rebuilt(outcome, time.perf_counter() - started)

    with contextlib.suppress(KeyboardInterrupt), _interrupted_by_termination():
        watch(lambda: watched_files(source, template_dir), rebuild, stop=stop)
    return None


@contextlib.contextmanager
def _interrupted_by_termination() -> Iterator[None]:
    """Closing the terminal or ``kill`` ends a watch as Ctrl-C does: cleanly, no half-written file."""
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]  # no SIGHUP on Windows
    previous = {name: signal.signal(getattr(signal, name), signal.default_int_handler) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def rebuild_status(result: BuildResult, target: Path, seconds: float) -> str:
    """The line a watch prints after a rebuild: written, or why not and what the report still is."""
    stamp = time.strftime("%H:%M:%S")
    if result.output is None:
        kept = f"，{target} 仍是上一次生成的" if target.exists() else ""
        return f"[{stamp}] {summary(result.problems)}；未生成报告{kept}"
    return f"[{stamp}] 已生成 {'、'.join(str(p) for p in result.written)}（{seconds * 1000:.0f} 毫秒）"
