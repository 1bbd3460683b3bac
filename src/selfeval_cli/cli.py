"""The ``selfeval`` command line: a thin click layer over the library modules.

Modules are imported inside each command so that ``--help`` and ``validate`` stay fast and
never load python-docx or Jinja2.

Exit codes: 0 success; 1 invalid data or failed build; 2 usage error; 130 interrupted.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from selfeval_cli import __version__
from selfeval_cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, SelfevalError

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up light
    from selfeval_cli.commands.batch import Outcome
    from selfeval_cli.problems import Problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="selfeval", message="%(prog)s %(version)s")
def cli() -> None:
    """把部门的 YAML 数据生成为部门整体支出绩效自评报告（Word，GB/T 9704-2012 版式）。

    \b
    退出码：0 成功；1 数据有误或生成失败；2 用法错误；130 被中断。
    """


JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                    help="并行进程数（多个文件时）；默认为 CPU 核数。")
QUIET = click.option("-q", "--quiet", is_flag=True, help="不显示进度条和逐条警告，只显示结果。")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="警告也视为失败（退出码 1）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 每行一个问题；json 供其他工具读取。")
@JOBS
@QUIET
def validate(files: tuple[Path, ...], strict: bool, fmt: str, jobs: int | None, quiet: bool) -> None:
    """检查数据文件（可给多个文件、目录或通配符），一次列出所有问题（文件:行:列: 级别: 字段: 说明）。"""
    from selfeval_cli import problems as problem_list
    from selfeval_cli.commands import batch

    sources = batch.expand_inputs(files)
    outcomes = _run_batch(batch.validate_outcome, [(s,) for s in sources], jobs, "校验数据",
                          quiet or len(sources) == 1)
    found = [p for outcome in outcomes for p in outcome.problems]
    to_stderr = fmt == "json"  # stdout carries only the JSON
    if to_stderr:
        click.echo(problem_list.to_json(found))
    else:
        shown = found if strict or not quiet else [p for p in found if p.severity is problem_list.Severity.ERROR]
        for problem in shown:
            _echo_problem(problem)
    if len(sources) > 1:
        _echo_failures([o for o in outcomes if o.failed], "有错误的文件 {count} 个：", err=to_stderr)
    click.echo(problem_list.summary(found, len(sources)), err=to_stderr)
    if problem_list.fails(found, strict=strict):
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="一个输入：输出的 .docx 文件；多个输入：输出目录（文件名随输入）。省略则写在各数据文件旁边。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path),
              help="使用自己的模板目录（其他省份的提纲），默认用内置模板。")
@click.option("--strict", is_flag=True, help="有警告也不生成（退出码 1）。")
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

    files, targets, many = batch.plan_builds(sources, output)
    if watching:
        if many:
            raise click.UsageError("--watch 只能用于一个数据文件。")
        _watch_build(files[0], targets[0], template_dir, strict, with_pdf)
        return
    outcomes = _run_builds(files, targets, template_dir, strict, jobs, quiet or not many)
    shown = [o for o in outcomes if o.failed] if quiet else outcomes
    for problem in (p for o in shown for p in o.problems):
        _echo_problem(problem, err=True)
    _report_builds(outcomes, many)
    built = [o.output for o in outcomes if o.output is not None]
    if with_pdf and built:
        _convert_pdfs(built)
    if any(o.failed for o in outcomes):
        sys.exit(EXIT_FAILED)


def _run_builds(files: list[Path], targets: list[Path], template_dir: Path | None, strict: bool,
                jobs: int | None, quiet: bool) -> list[Outcome]:
    from selfeval_cli.commands import batch

    jobs_list: list[tuple[object, ...]] = [(f, t, template_dir, strict) for f, t in zip(files, targets, strict=True)]
    if len(files) == 1:  # one report: errors are raised and printed once by main()
        from selfeval_cli.commands.build import build_report

        result = build_report(files[0], targets[0], template_dir=template_dir, strict=strict)
        return [batch.Outcome(files[0], result.problems, result.output,
                              None if result.output else "未生成报告")]
    return _run_batch(batch.build_outcome, jobs_list, jobs, "生成报告", quiet,
                      warm_up=functools.partial(batch.warm_up_build, template_dir))


def _run_batch(task: Callable[..., Outcome], jobs_list: list[tuple[object, ...]], jobs: int | None, label: str,
               quiet: bool, warm_up: Callable[[], None] | None = None) -> list[Outcome]:
    """Run a batch over the files, with a progress bar when a person is watching the terminal."""
    from selfeval_cli.commands import batch

    workers = jobs or batch.default_jobs()
    if quiet or not sys.stderr.isatty():
        return batch.run_all(task, jobs_list, workers, warm_up=warm_up)
    with click.progressbar(length=len(jobs_list), label=label, file=sys.stderr) as bar:
        return batch.run_all(task, jobs_list, workers, on_done=lambda _: bar.update(1), warm_up=warm_up)


def _echo_failures(failed: list[Outcome], heading: str, err: bool = True) -> None:
    """The closing table of a batch: each file that failed, and why. ``heading`` has a ``{count}``."""
    if not failed:
        return
    width = max(len(str(o.source)) for o in failed)
    click.echo("\n" + heading.format(count=len(failed)), err=err)
    for outcome in failed:
        click.echo(f"  {str(outcome.source).ljust(width)}  {outcome.error}", err=err)


def _watch_build(source: Path, target: Path, template_dir: Path | None, strict: bool, with_pdf: bool) -> None:
    import signal
    import time

    from selfeval_cli.commands.build import build_report
    from selfeval_cli.commands.watch import watch, watched_files
    from selfeval_cli.problems import summary
    from selfeval_cli.writing import check_output_path

    check_output_path(target, [source])  # a wrong -o is a mistake to fix now, not at every save

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            result = build_report(source, target, template_dir=template_dir, strict=strict)
        except SelfevalError as exc:  # unreadable data, a template error, Word holding the file…
            exc.show()
            return
        for problem in result.problems:
            _echo_problem(problem, err=True)
        stamp = time.strftime("%H:%M:%S")
        if result.output is None:
            kept = f"，{target} 仍是上一次生成的" if target.exists() else ""
            click.echo(f"[{stamp}] {summary(result.problems)}；未生成报告{kept}", err=True)
            return
        click.echo(f"[{stamp}] 已生成 {target}（{(time.perf_counter() - started) * 1000:.0f} 毫秒）", err=True)
        if with_pdf:
            try:
                _convert_pdfs([target])
            except SelfevalError as exc:
                exc.show()

    # Closing the terminal or `kill` ends a watch as Ctrl-C does: cleanly, no half-written file left.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):  # no SIGHUP on Windows
            signal.signal(getattr(signal, name), signal.default_int_handler)
    watched = f"{source} 和模板目录 {template_dir}" if template_dir else str(source)
    click.echo(f"正在监视 {watched}：保存后自动重新生成，按 Ctrl-C 结束。", err=True)
    try:
        watch(lambda: watched_files(source, template_dir), rebuild)
    except KeyboardInterrupt:
        click.echo("\n已停止监视。", err=True)


def _report_builds(outcomes: list[Outcome], many: bool) -> None:
    from selfeval_cli import problems as problem_list

    failed = [o for o in outcomes if o.failed]
    if not many:
        if failed:
            click.echo(f"{problem_list.summary(outcomes[0].problems)}；未生成报告", err=True)
        else:
            click.echo(f"已生成 {outcomes[0].output}", err=True)
        return
    _echo_failures(failed, "失败 {count} 个文件：")
    click.echo(f"已生成 {len(outcomes) - len(failed)} 份报告，失败 {len(failed)} 份", err=True)


def _convert_pdfs(built: list[Path]) -> None:
    from selfeval_cli.word.pdf import convert_many, missing_fonts

    convert_many([(path, path.with_suffix(".pdf")) for path in built])
    click.echo(f"已生成 {len(built)} 个 PDF" if len(built) > 1 else f"已生成 {built[0].with_suffix('.pdf')}", err=True)
    missing = missing_fonts()
    if missing:
        names = "、".join(missing)
        click.echo(f"注意：本机缺少字体 {names}，PDF 中已用相近字体代替；Word 文件不受影响。", err=True)


@cli.command("new-year")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="新文件；省略则把文件名中的年份加一（2024_x.yaml → 2025_x.yaml），写在原文件旁边。")
@click.option("--force", is_flag=True, help="新文件已存在时覆盖它。")
def new_year(source: Path, output: Path | None, force: bool) -> None:
    """由本年度的数据文件生成下一年度的文件：保留注释和写法，清空金额待填，列出待核对处。"""
    from selfeval_cli.commands.newyear import TO_FILL_CODES, make_next_year
    from selfeval_cli.data.validation import validate_file

    result = make_next_year(source, output, force=force)
    click.echo(f"已生成 {result.output}（{result.old_year} → {result.new_year}），原文件未改动。")
    todo = validate_file(result.output).problems
    to_fill = [p for p in todo if p.code in TO_FILL_CODES]
    review = [p for p in todo if p.code == "check_review"]
    for problem in [*to_fill, *review]:
        _echo_problem(problem)
    click.echo(f"还需填写 {len(to_fill)} 处（金额、文号、日期），核对 {len(review)} 处；"
               f"完成后运行 selfeval validate {result.output}")


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的文件；省略则输出到标准输出。")
def schema(output: Path | None) -> None:
    """输出数据文件的 JSON Schema（供编辑器补全和悬停提示）。"""
    from selfeval_cli.data.schema import schema_text
    from selfeval_cli.writing import write_atomically

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"已写入 {output}", err=True)


def _echo_problem(problem: Problem, err: bool = False) -> None:
    """One problem per line; on a terminal the severity is coloured (click drops colour elsewhere)."""
    text = problem.format()
    word = f": {problem.severity.value}: "
    colour = "red" if problem.severity.value == "error" else "yellow"
    click.echo(text.replace(word, ": " + click.style(problem.severity.value, fg=colour, bold=True) + ": ", 1),
               err=err)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, mapping errors and Ctrl-C to the documented exit codes."""
    try:
        code = cli.main(args=argv, prog_name="selfeval", standalone_mode=False)
    except SelfevalError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:  # usage errors: exit 2
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

    Start-up and tear-down of the libraries cost more than the work itself (see ``bench/``). Two
    things are trimmed: pydantic's plugin discovery, which scans the metadata of every installed
    package on the first model build (selfeval uses no plugins; a value the user set is kept),
    and the unloading of some 300 modules at exit, a sixth of a ``validate``. By the time
    :func:`main` returns every report has been written atomically and closed, so once the
    standard streams are flushed nothing is lost by leaving at once. A run that registered exit
    work (a batch's worker pool does) exits the normal way.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        main()
        code = EXIT_OK
    except SystemExit as exc:  # how main always ends, with one of the documented codes
        code = exc.code if isinstance(exc.code, int) else EXIT_FAILED
    if getattr(atexit, "_ncallbacks", lambda: 1)() != 0:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        # The reader may have gone away (selfeval … | head) or the stream been closed.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
