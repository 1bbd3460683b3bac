"""Benchmark selfeval against pandoc on this machine (run with `make bench`, not part of the tests).

Measures median wall time and peak memory (resident set of the whole process tree, sampled
from /proc) of `selfeval --help`, `validate` and `build` on the example, and of a batch build
of 200 generated department files; each beside pandoc converting the same report text to
.docx, measured in the same run with runs interleaved, so that ratios compare like with like.
Writes bench/results.md and bench/results.json.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "2024_luko_edu.yaml"
TABLE_EXAMPLE = ROOT / "data" / "2025_example_county.yaml"
"""The fictional example with every optional part, 附件1 (the 自评表) included."""
BIN = Path(sys.executable).parent / "selfeval"

# What any command on the chosen stack costs before it does anything: start Python, import click,
# PyYAML and pydantic, build and use a one-field model, leave as `selfeval` leaves (no tear-down).
STACK_FLOOR = """
import os
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import click, yaml
from pydantic import BaseModel
class One(BaseModel):
    x: int
One.model_validate({"x": 1})
os._exit(0)
"""


def tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB."""
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
    total = 0
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


# One rebuild of a `build --watch` session: the process is already up and has built once, so only
# the work is left. Prints the median of the timed rebuilds, in seconds.
WATCH_REBUILD = """
import statistics, sys, time
from pathlib import Path
from selfeval_cli.commands.build import build_report
source, target, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
build_report(source, target)
times = []
for _ in range(runs):
    start = time.perf_counter()
    build_report(source, target)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""

# Commands run as in a user's shell: without this session's PYTHON* settings (unbuffered output,
# no bytecode writing, import tracing…), which change what is measured.
USER_ENV = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}


def compile_package() -> None:
    """Write selfeval's bytecode, as installing the wheel does, so no run pays for compiling it."""
    import selfeval_cli

    compileall.compile_dir(Path(selfeval_cli.__file__).parent, quiet=1)


def wall(command: list[str], cwd: Path | None = None) -> float:
    """Wall seconds of one run of ``command`` (nothing else running in this process meanwhile)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=USER_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def peak_memory(command: list[str], cwd: Path | None = None) -> int:
    """Peak tree RSS (KiB) of one run of ``command``, sampled from /proc every 5 ms.

    Sampling costs CPU, so it runs apart from the timed runs.
    """
    process = subprocess.Popen(command, cwd=cwd, env=USER_ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            stop.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    stop.set()
    sampler.join()
    return peak


def report_markdown(work: Path) -> Path:
    """The example report's text as Markdown, for pandoc: the same words selfeval lays out."""
    from selfeval_cli.data.validation import validate_file
    from selfeval_cli.render.blocks import AttachmentLabel, Heading, Item, Paragraph, Title
    from selfeval_cli.render.sections import render_blocks

    report = validate_file(EXAMPLE).report
    assert report is not None
    lines = []
    for block in render_blocks(report):
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + block.text + (f"\n\n{block.body}" if block.body else ""))
        elif isinstance(block, Title):
            lines.append(f"% {block.text}")
        elif isinstance(block, AttachmentLabel | Item | Paragraph):
            lines.append(block.text)
    path = work / "report.md"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def district(work: Path, count: int) -> Path:
    """``count`` department files made from the example: other names, other figures."""
    folder = work / "district"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for index in range(count):
        bump = Decimal(index) / 100
        variant = (text.replace("株洲市渌口区教育局", f"示例区第{index + 1}局")
                   .replace("643.40", f"{Decimal('643.40') + bump:.2f}")
                   .replace("amount: 795.63", f"amount: {Decimal('795.63') + bump:.2f}"))
        (folder / f"dept_{index:03d}.yaml").write_text(variant, encoding="utf-8")
    return folder


def median_runs(pairs: dict[str, list[str]], runs: int, work: Path) -> dict[str, dict[str, float]]:
    """Median time and peak memory of each command, runs interleaved round by round."""
    times: dict[str, list[float]] = {name: [] for name in pairs}
    for _ in range(runs):
        for name, command in pairs.items():
            times[name].append(wall(command, work))
    memory = {name: max(peak_memory(command, work) for _ in range(3)) for name, command in pairs.items()}
    return {name: {"median_s": statistics.median(times[name]), "peak_mib": memory[name] / 1024} for name in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="runs per single-file command (median)")
    parser.add_argument("--batch", type=int, default=200, help="department files in the batch")
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--pdf", type=int, default=40, help="reports in the PDF batch (0: skip it)")
    args = parser.parse_args()

    pandoc = shutil.which("pandoc")
    compile_package()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmp:
        work = Path(tmp)
        markdown = report_markdown(work)
        folder = district(work, args.batch)
        source_docx = work / "source.docx"  # what `import` reads back
        subprocess.run([str(BIN), "build", str(EXAMPLE), "-o", str(source_docx)], env=USER_ENV, check=True,
                       capture_output=True)
        single = {
            "python（空程序）": [sys.executable, "-c", "pass"],
            "下限：python + click + PyYAML + pydantic": [sys.executable, "-c", STACK_FLOOR],
            "selfeval --help": [str(BIN), "--help"],
            "selfeval validate": [str(BIN), "validate", str(EXAMPLE)],
            "selfeval build": [str(BIN), "build", str(EXAMPLE), "-o", str(work / "one.docx")],
            "selfeval build（含附件1 的示例）": [str(BIN), "build", str(TABLE_EXAMPLE), "-o", str(work / "two.docx")],
            "selfeval import（示例的 .docx）": [str(BIN), "import", str(source_docx), "-o", str(work / "back.yaml"),
                                             "--force"],
        }
        if pandoc:
            single["pandoc"] = [pandoc, str(markdown), "-o", str(work / "pandoc.docx")]
        results = median_runs(single, args.runs, work)
        rebuild = subprocess.run([sys.executable, "-c", WATCH_REBUILD, str(EXAMPLE), str(work / "watch.docx"),
                                  str(args.runs)], env=USER_ENV, capture_output=True, text=True, check=True)
        results["selfeval build --watch（每次重建）"] = {"median_s": float(rebuild.stdout), "peak_mib": float("nan")}

        batch_times, batch_peaks, pandoc_batch = [], [], []
        summary_times, summary_peaks = [], []
        for round_ in range(args.batch_runs):
            out = work / f"out{round_}"
            command = [str(BIN), "build", str(folder), "-o", f"{out}/", "-q"]
            batch_times.append(wall(command))
            assert len(list(out.glob("*.docx"))) == args.batch, "the batch build did not write every report"
            # The bureau's summary of the same folder, in the same round.
            summary = [str(BIN), "summary", str(folder), "-o", str(work / f"summary{round_}.xlsx"), "-q"]
            summary_times.append(wall(summary))
            if round_ == 0:
                batch_peaks.append(peak_memory(command))
                summary_peaks.append(peak_memory(summary))
            if pandoc:
                start = time.perf_counter()
                for index in range(args.batch):
                    subprocess.run([pandoc, str(markdown), "-o", str(work / f"p{index}.docx")], check=True)
                pandoc_batch.append(time.perf_counter() - start)
        pdf_rows: dict[str, dict[str, float]] = {}
        if args.pdf and shutil.which("soffice"):
            few = work / "pdf_district"
            few.mkdir()
            for path in sorted(folder.iterdir())[:args.pdf]:
                shutil.copy(path, few / path.name)
            for jobs in (1, 2):  # one LibreOffice, or one per core (each with its own profile)
                seconds = wall([str(BIN), "build", str(few), "-o", f"{work / f'pdf{jobs}'}/", "--pdf", "-q",
                                "-j", str(jobs)])
                pdf_rows[f"selfeval batch build --pdf -j {jobs}"] = {
                    "median_s": seconds, "peak_mib": float("nan"), "per_report_s": seconds / args.pdf}

    results["selfeval batch build"] = {"median_s": statistics.median(batch_times),
                                       "peak_mib": max(batch_peaks) / 1024,
                                       "per_report_s": statistics.median(batch_times) / args.batch}
    results.update(pdf_rows)
    results["selfeval batch summary"] = {"median_s": statistics.median(summary_times),
                                         "peak_mib": max(summary_peaks) / 1024,
                                         "per_report_s": statistics.median(summary_times) / args.batch}
    if pandoc:
        results["pandoc × batch"] = {"median_s": statistics.median(pandoc_batch), "peak_mib": float("nan"),
                                     "per_report_s": statistics.median(pandoc_batch) / args.batch}
    write_results(results, args, pandoc is not None)


def write_results(results: dict[str, dict[str, float]], args: argparse.Namespace, have_pandoc: bool) -> None:
    base = results.get("pandoc", {}).get("median_s")
    per_report = results.get("pandoc × batch", {}).get("per_report_s")
    rows = []
    for name, figures in results.items():
        if name.startswith("selfeval batch"):
            ratio = figures["per_report_s"] / per_report if per_report else None
            shown = f"{figures['per_report_s'] * 1000:.1f} ms/份（共 {figures['median_s']:.2f} s）"
        else:
            ratio = figures["median_s"] / base if base and name != "pandoc × batch" else None
            shown = f"{figures['median_s'] * 1000:.0f} ms"
            if name == "pandoc × batch":
                shown = f"{figures['per_report_s'] * 1000:.1f} ms/份（共 {figures['median_s']:.2f} s）"
        memory = "—" if figures["peak_mib"] != figures["peak_mib"] else f"{figures['peak_mib']:.0f} MiB"
        rows.append(f"| {name} | {shown} | {memory} | {f'{ratio:.2f}×' if ratio else '—'} |")
    machine = f"{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}"
    note = "" if have_pandoc else "\n**pandoc 未安装**（Debian：`apt-get install pandoc`），所以没有比值。\n"
    text = (f"# 基准结果\n\n{time.strftime('%Y-%m-%d')}，{machine}；单文件命令各 {args.runs} 次取中位数，"
            f"批量 {args.batch} 份 × {args.batch_runs} 轮。比值以同一次运行中 pandoc 把同一份报告文字转成 .docx "
            f"的时间为 1（批量按每份计）。内存为整个进程树的常驻内存峰值。\n{note}\n"
            "| 命令 | 时间（中位数） | 内存峰值 | 相对 pandoc |\n|---|---|---|---|\n" + "\n".join(rows) + "\n")
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
