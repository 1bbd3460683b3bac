"""Rebuild a report whenever its data or templates change (``selfeval build --watch``).

A process that stays up pays for starting Python and importing the libraries once; every
rebuild after that costs only the work itself, a small fraction of a cold ``build`` (see
``bench/``). Files are polled rather than watched through the operating system: one data file
and a template folder, looked at twice a second, behave the same on local disks, on network
shares and with editors that save by writing a new file and renaming it over the old one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

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
