"""Does ``selfeval build`` take linear time in the number of items? (``make bench-scaling``, not a test.)

Generates data files of the fictional department with 1 000 to 60 000 duties and prints, for each
size, the time per item of the whole ``selfeval build`` command (median of a few runs, minus the
time of the same command on the file without the extra duties, interleaved with it, so that
start-up does not hide a slope) and its peak memory. Linear means the per-item times stay flat as the size grows.

    .venv/bin/python bench/scaling_build.py [--sizes 1000 5000 20000 60000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from measure import interleaved, sampled

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "fixtures" / "other_department.yaml"
BIN = Path(sys.executable).parent / "selfeval"
SIZES = (1_000, 5_000, 20_000, 60_000)
_DUTIES = "  duties:\n"


def generate(items: int, target: Path) -> None:
    """The fictional department with ``items`` more duties, each a sentence of its own."""
    text = BASE.read_text(encoding="utf-8")
    at = text.index(_DUTIES) + len(_DUTIES)
    extra = "".join(f"    - 负责第{index}项工作的组织实施和监督检查。\n" for index in range(items))
    target.write_text(text[:at] + extra + text[at:], encoding="utf-8")


def measure(sizes: tuple[int, ...], runs: int) -> list[tuple[int, float, float, float]]:
    """(items, seconds, microseconds per item above the base file, peak MiB) for each size.

    Each size is timed interleaved with the base file (``measure.interleaved``), so that a slow
    spell of the machine falls on both and the difference is the items' own time.
    """
    rows = []
    with tempfile.TemporaryDirectory(prefix="selfeval-scaling-") as work:
        folder = Path(work)
        base = [str(BIN), "build", str(BASE), "-o", str(folder / "base.docx")]
        for items in sizes:
            source = folder / f"d{items}.yaml"
            generate(items, source)
            command = [str(BIN), "build", str(source), "-o", str(folder / f"d{items}.docx")]
            times = interleaved({"base": base, "items": command}, runs, folder)
            peak = sampled(command)[1] / 1024
            rows.append((items, times["items"], (times["items"] - times["base"]) / items * 1e6, peak))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = measure(tuple(args.sizes), args.runs)
    flat = [per for _, _, per, _ in rows]
    print("| 条目数 | 生成用时 | 每条（扣除基础文件） | 内存峰值 |")
    print("|---|---|---|---|")
    for items, seconds, per, peak in rows:
        print(f"| {items} | {seconds:.2f} s | {per:.1f} µs | {peak:.0f} MiB |")
    spread = max(flat) / min(flat) - 1 if min(flat) > 0 else float("inf")
    print(f"\n每条用时最大与最小之比 {1 + spread:.2f}（线性：在 ±30% 以内）")


if __name__ == "__main__":
    main()
