"""How the benchmark measures: wall time of a command, and the peak memory of its whole process tree."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from pathlib import Path

# Commands run as in a user's shell: without this session's PYTHON* settings (unbuffered output,
# no bytecode writing, import tracing…), which change what is measured.
USER_ENV = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}


def _family(root: int) -> set[int]:
    """``root`` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {root}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return family


def tree_pss_kib(root: int) -> int:
    """Memory of ``root`` and all its descendants, in KiB: proportional set size, so that pages the
    processes share (forked workers, LibreOffice's libraries) count once, not once per process."""
    total = 0
    for pid in _family(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def wall(command: list[str], cwd: Path | None = None) -> float:
    """Wall seconds of one run of ``command`` (nothing else running in this process meanwhile)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=USER_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def sampled(command: list[str], cwd: Path | None = None, every: float = 0.005) -> tuple[float, int]:
    """Wall seconds and peak tree memory (PSS, KiB) of one run, sampling /proc every ``every`` seconds.

    Sampling costs CPU, so short commands are timed apart from it (``wall``); long ones (a PDF
    batch of minutes) are sampled every 50 ms during the timed run, which costs them well under 1 %.
    """
    process = subprocess.Popen(command, cwd=cwd, env=USER_ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_pss_kib(process.pid))
            stop.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    return seconds, peak


def interleaved(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, float]:
    """Median wall seconds of each command, the runs interleaved round by round so that a slow
    spell of the machine falls on every command alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(wall(command, cwd))
    return {name: statistics.median(values) for name, values in times.items()}


def works(command: list[str], cwd: Path) -> str | None:
    """None when ``command`` runs without error; else what it said, so that a failing peer is never
    timed as if it had done the work."""
    done = subprocess.run(command, cwd=cwd, env=USER_ENV, capture_output=True, text=True, check=False)
    return None if done.returncode == 0 else f"exit {done.returncode}: {(done.stderr or done.stdout)[-300:]}"


def peak_mib(command: list[str], cwd: Path, tries: int = 3) -> float:
    """The highest peak memory (MiB) of a few runs of ``command``."""
    return max(sampled(command, cwd)[1] for _ in range(tries)) / 1024
