"""Profile one build in-process with cProfile and print where the time goes (`make profile`).

Imports are excluded: the numbers are the work of validating, rendering and assembling.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
from pathlib import Path

from selfeval_cli.commands.build import build_report

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "2024_luko_edu.yaml"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build_report(EXAMPLE, Path(tmp) / "warm.docx")  # imports and one-time set-up, not profiled
        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(10):
            build_report(EXAMPLE, Path(tmp) / f"r{index}.docx")
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


if __name__ == "__main__":
    main()
