"""The ``selfeval`` command line: parsing arguments and printing, nothing else.

Every per-file outcome arrives as located problems and is printed by ``_echo_problems`` and
``summary``, whatever the command; errors of the whole run arrive as ``SelfevalError`` and are
printed once by ``main``. Modules are imported inside each command so that ``--help`` and
``validate`` stay fast and never load python-docx or Jinja2.

Exit codes: 0 success; 1 invalid data or failed build; 2 usage error; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from selfeval_cli import __version__
from selfeval_cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, SelfevalError
from selfeval_cli.problems import Problem, Severity, fails, summary

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up light
    from selfeval_cli.commands.batch import Outcome
    from selfeval_cli.commands.build import BuildResult

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                    help="并行进程数（多个文件时）；默认为 CPU 核数。")
QUIET = click.option("-q", "--quiet", is_flag=True, help="不显示进度条和逐条警告，只显示结果。")
STRICT = click.option("--strict", is_flag=True, help="警告也视为失败（退出码 1；build 不生成）。")


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="selfeval", message="%(prog)s %(version)s")
def cli() -> None:
    """把部门的 YAML 数据生成为部门整体支出绩效自评报告（Word，GB/T 9704-2012 版式）。

    \b
    退出码：0 成功；1 数据有误或生成失败；2 用法错误；130 被中断。
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@STRICT
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 每行一个问题；json 供其他工具读取。")
@JOBS
@QUIET
def validate(files: tuple[Path, ...], strict: bool, fmt: str, jobs: int | None, quiet: bool) -> None:
    """检查数据文件（可给多个文件、目录或通配符），一次列出所有问题（文件:行:列: 级别: 字段: 说明）。"""
    from selfeval_cli.commands import batch

    sources = batch.expand_inputs(files)
    outcomes = _run_batch(batch.validate_outcome, [(s, strict) for s in sources], jobs, "校验数据", quiet)
    found = [p for outcome in outcomes for p in outcome.problems]
    if fmt == "json":  # stdout carries only the JSON; the rest goes to stderr
        from selfeval_cli.problems import to_json

        click.echo(to_json(found))
    _finish(outcomes, "有错误的文件 {count} 个：", strict=strict, quiet=quiet, err=fmt == "json",
            listed=fmt != "json")


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="一个输入：输出的 .docx 文件；多个输入：输出目录（文件名随输入）。省略则写在各数据文件旁边。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path),
              help="使用自己的模板目录（其他省份的提纲），默认用内置模板。")
@STRICT
@click.option("--pdf", "with_pdf", is_flag=True, help="同时用 LibreOffice 生成同名 PDF。")
@click.option("-w", "--watch", "watching", is_flag=True,
              help="一直运行：数据文件（或 --templates 中的模板）一改就重新生成；Ctrl-C 结束，退出码 0。")
@JOBS
@QUIET
def build(sources: tuple[Path, ...], output: Path | None, template_dir: Path | None, strict: bool,
          with_pdf: bool, watching: bool, jobs: int | None, quiet: bool) -> None:
    """校验数据并生成 Word 报告（GB/T 9704-2012 版式）；有错误的文件不生成。

    \b
    selfeval build 数据.yaml -o 报告.docx
    selfeval build 数据.yaml -o 报告.docx -w  # 边改边看：保存数据文件即重新生成
    selfeval build 各单位/ -o 报告/ -j 2      # 一个目录（或多个文件）批量生成
    """
    from selfeval_cli.commands import batch

    plan = batch.plan_builds(sources, output, template_dir, strict)
    if watching:
        if len(plan) != 1:
            raise click.UsageError("--watch 只能用于一个数据文件。")
        _watch(*plan[0][:2], template_dir, strict, with_pdf)
        return
    outcomes = _run_batch(batch.build_outcome, plan, jobs, "生成报告", quiet,
                          warm_up=lambda: batch.warm_up_build(template_dir))
    built = [o.output for o in outcomes if o.output is not None]
    if with_pdf and built:
        _convert_pdfs(built)
    if len(outcomes) == 1:
        closing = f"已生成 {built[0]}" if built else "未生成报告"
    else:
        closing = f"已生成 {len(built)} 份报告，失败 {len(outcomes) - len(built)} 份"
    _finish(outcomes, "失败 {count} 个文件：", strict=strict, quiet=quiet, err=True, closing=closing)


def _watch(source: Path, target: Path, template_dir: Path | None, strict: bool, with_pdf: bool) -> None:
    from selfeval_cli.commands.watch import watch_build

    def rebuilt(outcome: BuildResult | SelfevalError, seconds: float) -> None:
        import time

        stamp = time.strftime("%H:%M:%S")
        if isinstance(outcome, SelfevalError):  # a broken template, LibreOffice missing…
            outcome.show()
            return
        _echo_problems(outcome.problems, err=True)
        if outcome.output is None:
            kept = f"，{target} 仍是上一次生成的" if target.exists() else ""
            click.echo(f"[{stamp}] {summary(outcome.problems)}；未生成报告{kept}", err=True)
            return
        click.echo(f"[{stamp}] 已生成 {target}（{seconds * 1000:.0f} 毫秒）", err=True)
        if with_pdf:
            try:
                _convert_pdfs([target])
            except SelfevalError as exc:
                exc.show()

    watched = f"{source} 和模板目录 {template_dir}" if template_dir else str(source)
    click.echo(f"正在监视 {watched}：保存后自动重新生成，按 Ctrl-C 结束。", err=True)
    refused = watch_build(source, target, template_dir=template_dir, strict=strict, on_rebuilt=rebuilt)
    if refused:
        _echo_problems(refused, err=True)
        click.echo(summary(refused), err=True)
        sys.exit(EXIT_FAILED)
    click.echo("\n已停止监视。", err=True)


@cli.command("new-year")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="新文件；省略则把文件名中的年份加一（2024_x.yaml → 2025_x.yaml），写在原文件旁边。")
@click.option("--force", is_flag=True, help="新文件已存在时覆盖它。")
def new_year(source: Path, output: Path | None, force: bool) -> None:
    """由本年度的数据文件生成下一年度的文件：保留注释和写法，清空金额待填，列出待核对处。"""
    from selfeval_cli.commands.newyear import make_next_year

    result = make_next_year(source, output, force=force)
    _echo_problems(result.problems, err=result.output is None)
    if result.output is None:
        click.echo(f"{summary(result.problems)}\n未生成下一年度的文件", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"已生成 {result.output}（{result.old_year} → {result.new_year}），原文件未改动。\n"
               f"还需填写 {len(result.to_fill)} 处（金额、文号、日期），核对 {len(result.to_review)} 处；"
               f"完成后运行 selfeval validate {result.output}")


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的文件；省略则输出到标准输出。")
def schema(output: Path | None) -> None:
    """输出数据文件的 JSON Schema（供编辑器补全和悬停提示）。"""
    from selfeval_cli.data.schema import schema_text
    from selfeval_cli.writing import write_atomically

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    write_atomically(output, schema_text().encode("utf-8"))
    click.echo(f"已写入 {output}", err=True)


def _run_batch(task: Callable[..., Outcome], jobs_list: Sequence[tuple[object, ...]], jobs: int | None, label: str,
               quiet: bool, warm_up: Callable[[], None] | None = None) -> list[Outcome]:
    """Run a batch over the files, with a progress bar when a person watches several files go by."""
    from selfeval_cli.commands.batch import default_jobs, run_all

    workers = jobs or default_jobs()
    if quiet or len(jobs_list) < 2 or not sys.stderr.isatty():
        return run_all(task, jobs_list, workers, warm_up=warm_up)
    with click.progressbar(length=len(jobs_list), label=label, file=sys.stderr) as bar:
        return run_all(task, jobs_list, workers, on_done=lambda _: bar.update(1), warm_up=warm_up)


def _finish(outcomes: list[Outcome], heading: str, *, strict: bool, quiet: bool, err: bool,
            listed: bool = True, closing: str | None = None) -> None:
    """The end of every command over files: the problems, the failed files, one summary, the exit code.

    ``heading`` (with ``{count}``) introduces the closing list of failed files of a batch;
    ``closing`` is said last. ``quiet`` keeps to errors (and warnings under --strict).
    """
    found = [p for outcome in outcomes for p in outcome.problems]
    if listed:
        _echo_problems([p for p in found if strict or not quiet or p.severity is Severity.ERROR], err=err)
    failed = [o for o in outcomes if o.failed]
    if failed and len(outcomes) > 1:
        width = max(len(str(o.source)) for o in failed)
        click.echo("\n" + heading.format(count=len(failed)), err=err)
        for outcome in failed:
            click.echo(f"  {str(outcome.source).ljust(width)}  {outcome.reason}", err=err)
    click.echo(summary(found, len(outcomes)), err=err)
    if closing is not None:
        click.echo(closing, err=err)
    if fails(found, strict=strict) or failed:
        sys.exit(EXIT_FAILED)


def _convert_pdfs(built: list[Path]) -> None:
    from selfeval_cli.word.pdf import convert_many, missing_fonts

    convert_many([(path, path.with_suffix(".pdf")) for path in built])
    click.echo(f"已生成 {len(built)} 个 PDF" if len(built) > 1 else f"已生成 {built[0].with_suffix('.pdf')}", err=True)
    missing = missing_fonts()
    if missing:
        click.echo(f"注意：本机缺少字体 {'、'.join(missing)}，PDF 中已用相近字体代替；Word 文件不受影响。", err=True)


def _echo_problems(problems: list[Problem], err: bool) -> None:
    """One problem per line; on a terminal the severity is coloured (click drops colour elsewhere)."""
    for problem in problems:
        word = f": {problem.severity.value}: "
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        styled = ": " + click.style(problem.severity.value, fg=colour, bold=True) + ": "
        click.echo(problem.format().replace(word, styled, 1), err=err)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, mapping errors and Ctrl-C to the documented exit codes."""
    try:
        code = cli.main(args=argv, prog_name="selfeval", standalone_mode=False)
    except click.ClickException as exc:  # SelfevalError included: printed once, here
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("\n已中断。", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug in selfeval: say so plainly instead of dumping a traceback
        if os.environ.get("SELFEVAL_DEBUG"):
            raise
        click.echo(f"内部错误：{type(exc).__name__}: {exc}", err=True)
        click.echo("这是 selfeval 的缺陷，请报告；设置 SELFEVAL_DEBUG=1 可看到详细信息。", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def run() -> NoReturn:
    """Console-script entry point: :func:`main`, then leave without tearing the interpreter down.

    Start-up and tear-down of the libraries cost more than the work itself (see ``bench/``), so
    pydantic's plugin discovery is skipped (a value the user set is kept) and so is the unloading
    of some 300 modules at exit. That is safe after a run that ended by itself: every report was
    written atomically and closed, every worker pool and temporary folder was closed by its
    ``with`` block. An interrupted run (a pool may still be winding down) exits the normal way.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        main()
        code = EXIT_OK
    except SystemExit as exc:  # how main always ends, with one of the documented codes
        code = exc.code if isinstance(exc.code, int) else EXIT_FAILED
    if code not in (EXIT_OK, EXIT_FAILED, EXIT_USAGE):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        # The reader may have gone away (selfeval … | head) or the stream been closed.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
