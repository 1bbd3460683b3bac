"""Benchmark selfeval against what a user would run instead, on this machine (`make bench`, not a test).

Every ratio compares two commands measured in the same run, their runs interleaved: selfeval's
commands against the stack's floors (starting Python and importing click, PyYAML and pydantic —
and python-docx and Jinja2 for `build` — doing nothing), against check-jsonschema and yamllint
(what a CI user would otherwise run on a data file), and against pandoc and docxtpl turning the
same report text into a .docx (what a user, or a Python programmer, would otherwise use). The
single-file section is measured in several rounds and each ratio is given with its spread.
Batches: 200 department files built, summarised, and built with --pdf on one or two LibreOffice
processes, each with its per-file time and peak memory (proportional set size of the process
tree). Writes bench/results.md and results.json.
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
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from measure import USER_ENV, interleaved, peak_mib, sampled, wall, works
from report import Comparison, write_results

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "2024_luko_edu.yaml"
TABLE_EXAMPLE = ROOT / "data" / "2025_example_county.yaml"
FOREIGN_REPORT = ROOT / "tests" / "fixtures" / "import" / "national_outline.txt"
"""A report another department wrote, in the national outline and its own wording: a typical import."""
"""The fictional example with every optional part, 附件1 (the 自评表) included."""
SCHEMA = ROOT / "schemas" / "selfeval.schema.json"
BIN = Path(sys.executable).parent / "selfeval"

FLOOR = "下限：导入 click、PyYAML、pydantic"
FLOOR_BUILD = "下限：导入 click、PyYAML、pydantic、python-docx、Jinja2"
USED = "下限＋用一次 pydantic 模型"
USED_BUILD = "下限（生成）＋用一次 pydantic 模型"

# The stack used once: what any command pays before its own work — Python, the imports, pydantic's
# machinery for defining and validating a one-field model (imported on first use), no tear-down.
_USE_PYDANTIC = """
import os
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import click, yaml{more}
from pydantic import BaseModel
class One(BaseModel):
    x: int
One.model_validate({{"x": 1}})
os._exit(0)
"""

# What a Python programmer would write instead of selfeval: docxtpl filling a .docx template with
# the report's paragraphs (no checks, no numbering, no layout of its own).
_DOCXTPL = """
import json, sys
from docxtpl import DocxTemplate
template = DocxTemplate(sys.argv[1])
template.render({"paragraphs": json.loads(open(sys.argv[2], encoding="utf-8").read())})
template.save(sys.argv[3])
"""

# One rebuild of a `build --watch` session: the process is already up and has built once, so only
# the work is left. Prints the median of the timed rebuilds, in seconds.
_WATCH_REBUILD = """
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

COMPARISONS = [
    Comparison("selfeval validate", FLOOR, Decimal("1.5")),
    Comparison("selfeval validate", USED, None),
    Comparison("selfeval validate", "check-jsonschema", Decimal("0.5")),
    Comparison("selfeval validate", "yamllint", None),
    Comparison("selfeval build", FLOOR_BUILD, Decimal("1.3")),
    Comparison("selfeval build", USED_BUILD, None),
    Comparison("selfeval build", "pandoc", Decimal("4")),
    Comparison("selfeval build", "docxtpl", None),
    Comparison("selfeval build（含附件1 的示例）", FLOOR_BUILD, None),
    Comparison("selfeval import（示例的 .docx）", FLOOR_BUILD, None),
    Comparison("selfeval import（别人写的报告 .txt）", FLOOR_BUILD, None),
    Comparison("selfeval import（示例的 .pdf）", FLOOR_BUILD, None),
    Comparison(USED, FLOOR, None),
    Comparison(USED_BUILD, FLOOR_BUILD, None),
]
"""Each ratio the results give: a command, what it is measured against, and our target if any."""


def compile_package() -> None:
    """Write selfeval's bytecode, as installing the wheel does, so no run pays for compiling it."""
    import selfeval_cli

    compileall.compile_dir(Path(selfeval_cli.__file__).parent, quiet=1)


def report_paragraphs() -> list[str]:
    """The example report's text, a paragraph each: the same words selfeval lays out."""
    from selfeval_cli.checks.validation import validate_file
    from selfeval_cli.render.blocks import AttachmentLabel, Heading, Item, Paragraph, Title
    from selfeval_cli.render.sections import render_blocks

    report = validate_file(EXAMPLE).report
    assert report is not None
    paragraphs = []
    for block in render_blocks(report):
        if isinstance(block, Heading):
            paragraphs.append(block.text + (block.body or ""))
        elif isinstance(block, AttachmentLabel | Title | Item | Paragraph):
            paragraphs.append(block.text)
    return paragraphs


def peers(work: Path, paragraphs: list[str]) -> dict[str, list[str]]:
    """The commands a user would run instead, on the same file or the same text (those installed)."""
    found: dict[str, list[str]] = {}
    here = Path(sys.executable).parent
    checker, lint, pandoc = here / "check-jsonschema", here / "yamllint", shutil.which("pandoc")
    if checker.exists():
        found["check-jsonschema"] = [str(checker), "--schemafile", str(SCHEMA), str(EXAMPLE)]
    if lint.exists():
        found["yamllint"] = [str(lint), "-d", "relaxed", str(EXAMPLE)]
    if pandoc:
        markdown = work / "report.md"
        markdown.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        found["pandoc"] = [pandoc, str(markdown), "-o", str(work / "pandoc.docx")]
    try:
        import docx
        import docxtpl  # noqa: F401  # only whether it is installed
    except ImportError:
        return found
    template = docx.Document()
    for line in ("{%p for text in paragraphs %}", "{{ text }}", "{%p endfor %}"):
        template.add_paragraph(line)
    template.save(str(work / "template.docx"))
    (work / "paragraphs.json").write_text(json.dumps(paragraphs, ensure_ascii=False), encoding="utf-8")
    found["docxtpl"] = [sys.executable, "-c", _DOCXTPL, str(work / "template.docx"), str(work / "paragraphs.json"),
                        str(work / "docxtpl.docx")]
    return found


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


def single_commands(work: Path) -> dict[str, list[str]]:
    """The single-file commands and the floors, by the name the results give them."""
    python = sys.executable
    source_docx = work / "source.docx"  # what `import` reads back
    subprocess.run([str(BIN), "build", str(EXAMPLE), "-o", str(source_docx)], env=USER_ENV, check=True,
                   capture_output=True)
    pdf: dict[str, list[str]] = {}
    if shutil.which("soffice"):  # the same report as a PDF, laid out by LibreOffice: what a website offers
        subprocess.run([str(BIN), "build", str(EXAMPLE), "-o", str(work / "source_pdf.docx"), "--pdf"], env=USER_ENV,
                       check=True, capture_output=True)
        pdf["selfeval import（示例的 .pdf）"] = [str(BIN), "import", str(work / "source_pdf.pdf"), "-o",
                                             str(work / "back_pdf.yaml"), "--force"]
    return pdf | {
        "python（空程序）": [python, "-c", "pass"],
        FLOOR: [python, "-c", "import click, yaml, pydantic"],
        FLOOR_BUILD: [python, "-c", "import click, yaml, pydantic, docx, jinja2"],
        USED: [python, "-c", _USE_PYDANTIC.format(more="")],
        USED_BUILD: [python, "-c", _USE_PYDANTIC.format(more=", docx, jinja2")],
        "selfeval --help": [str(BIN), "--help"],
        "selfeval validate": [str(BIN), "validate", str(EXAMPLE)],
        "selfeval build": [str(BIN), "build", str(EXAMPLE), "-o", str(work / "one.docx")],
        "selfeval build（含附件1 的示例）": [str(BIN), "build", str(TABLE_EXAMPLE), "-o", str(work / "two.docx")],
        "selfeval import（示例的 .docx）": [str(BIN), "import", str(source_docx), "-o", str(work / "back.yaml"),
                                         "--force"],
        "selfeval import（别人写的报告 .txt）": [str(BIN), "import", str(FOREIGN_REPORT), "-o",
                                            str(work / "foreign.yaml"), "--force"],
    }


def batches(work: Path, count: int, runs: int, pdf: int, pandoc: list[str] | None) -> dict[str, dict[str, Any]]:
    """Per-file time and peak memory of the batch commands over ``count`` generated department files."""
    folder = district(work, count)
    rows: dict[str, dict[str, Any]] = {}

    def row(name: str, files: int, times: list[float], peak_kib: int | None) -> None:
        seconds = statistics.median(times)
        rows[name] = {"files": files, "median_s": seconds, "per_file_s": seconds / files,
                      "peak_mib": None if peak_kib is None else peak_kib / 1024}

    builds, summaries = [], []
    for index in range(runs):
        builds.append(wall([str(BIN), "build", str(folder), "-o", f"{work / f'out{index}'}/", "-q"]))
        assert len(list((work / f"out{index}").glob("*.docx"))) == count, "the batch did not write every report"
        summaries.append(wall([str(BIN), "summary", str(folder), "-o", str(work / f"s{index}.xlsx"), "-q"]))
    row(f"selfeval build 目录（{count} 份）", count, builds,
        sampled([str(BIN), "build", str(folder), "-o", f"{work / 'outm'}/", "-q"])[1])
    row(f"selfeval summary 同一目录（{count} 份）", count, summaries,
        sampled([str(BIN), "summary", str(folder), "-o", str(work / "sm.xlsx"), "-q"])[1])
    if pandoc:  # as many at a time as selfeval has workers (one per core), each to its own file
        cores = os.cpu_count() or 1
        start = time.perf_counter()
        with ThreadPoolExecutor(cores) as pool:
            list(pool.map(lambda index: subprocess.run([*pandoc[:-1], f"{pandoc[-1]}.{index}.docx"], check=True,
                                                       env=USER_ENV), range(count)))
        row(f"pandoc × {count}（同时 {cores} 个）", count, [time.perf_counter() - start], None)
    if pdf and shutil.which("soffice"):
        for jobs in (1, 2):  # one LibreOffice, or one per core (each with its own profile)
            seconds, peak = sampled([str(BIN), "build", str(folder), "-o", f"{work / f'pdf{jobs}'}/", "--pdf",
                                     "-q", "-j", str(jobs)], every=0.05)
            assert len(list((work / f"pdf{jobs}").glob("*.pdf"))) == count, "the batch did not write every PDF"
            row(f"selfeval build --pdf 目录（{count} 份，-j {jobs}）", count, [seconds], peak)
    rebuild = subprocess.run([sys.executable, "-c", _WATCH_REBUILD, str(EXAMPLE), str(work / "watch.docx"), "25"],
                             env=USER_ENV, capture_output=True, text=True, check=True)
    row("selfeval build --watch，每次重建", 1, [float(rebuild.stdout)], None)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each single-file command in a round (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the single-file section (the spread)")
    parser.add_argument("--batch", type=int, default=200, help="department files in the batches")
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--pdf", type=int, default=1, help="also the --pdf batch (0: skip it)")
    args = parser.parse_args()

    compile_package()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmp:
        work = Path(tmp)
        commands = single_commands(work) | peers(work, report_paragraphs())
        for name, command in list(commands.items()):
            failure = works(command, work)
            if failure:  # a failing peer would be timed as if it had done the work
                print(f"跳过 {name}：{failure}", file=sys.stderr)
                del commands[name]
        rounds = [interleaved(commands, args.runs, work) for _ in range(args.rounds)]
        memory = {name: peak_mib(command, work) for name, command in commands.items()}
        batch = batches(work, args.batch, args.batch_runs, args.pdf, commands.get("pandoc"))
    machine = f"{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}"
    text = write_results(ROOT / "bench", rounds, memory, batch, COMPARISONS, machine, args.runs)
    print(text)


if __name__ == "__main__":
    main()
