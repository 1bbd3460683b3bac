"""Each command: its arguments and options, and the library call behind it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from selfeval_cli.cli.chinese import Command
from selfeval_cli.cli.output import convert_pdfs, echo_error, echo_problems, finish, run_batch
from selfeval_cli.errors import SelfevalError
from selfeval_cli.problems import summary as problem_summary
from selfeval_cli.vocabulary import TO_FILL

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up light
    from selfeval_cli.commands.build import BuildResult

JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                    help="并行进程数（多个文件时）；默认为 CPU 核数。")
QUIET = click.option("-q", "--quiet", is_flag=True, help="不显示进度条和逐条警告，只显示结果。")
STRICT = click.option("--strict", is_flag=True, help="警告也视为失败（退出码 1；build 不生成）。")
TRUST = click.option("--trust-outlines", is_flag=True,
                     help="允许数据文件使用它所在目录之外的提纲目录（绝对路径、“..”）。提纲中的模板会被执行，"
                          "只对自己信任的文件使用。")


@click.command(cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@STRICT
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="输出格式：text 每行一个问题；json 供其他工具读取；github 为 GitHub Actions 注释"
                   "（问题显示在对应行上）。")
@TRUST
@JOBS
@QUIET
def validate(files: tuple[Path, ...], strict: bool, fmt: str, trust_outlines: bool, jobs: int | None,
             quiet: bool) -> None:
    """检查数据文件（可给多个文件、目录或通配符），一次列出所有问题（文件:行:列: 级别: 字段: 说明）。"""
    from selfeval_cli.commands import batch

    sources = batch.expand_inputs(files)
    outcomes = run_batch(batch.validate_outcome, [(s, strict, trust_outlines) for s in sources], jobs, "校验数据",
                         quiet)
    found = [p for outcome in outcomes for p in outcome.problems]
    if fmt == "json":  # stdout carries only the JSON (or the annotations); the rest goes to stderr
        from selfeval_cli.problems import to_json

        click.echo(to_json(found))
    elif fmt == "github":
        from selfeval_cli.problems import to_github

        for problem in found:
            click.echo(to_github(problem))
    sys.exit(finish(outcomes, "有错误的文件 {count} 个：", strict=strict, quiet=quiet, err=fmt != "text",
                    listed=fmt == "text"))


@click.command(cls=Command)
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="一个输入：输出的 .docx 文件；多个输入：输出目录（文件名随输入）。省略则写在各数据文件旁边。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path),
              help="使用自己的模板目录（其他省份的提纲），默认用内置模板。")
@STRICT
@click.option("--pdf", "with_pdf", is_flag=True, help="同时用 LibreOffice 生成同名 PDF。")
@click.option("--split", is_flag=True,
              help="每个附件单独成一个文件，文件名加附件标签：报告-附件1.docx（自评表）、报告-附件2.docx（报告）。")
@click.option("-w", "--watch", "watching", is_flag=True,
              help="一直运行：数据文件（或 --templates 中的模板）一改就重新生成；Ctrl-C 结束，退出码 0。")
@TRUST
@JOBS
@QUIET
def build(sources: tuple[Path, ...], output: Path | None, template_dir: Path | None, strict: bool,
          with_pdf: bool, split: bool, watching: bool, trust_outlines: bool, jobs: int | None, quiet: bool) -> None:
    """校验数据并生成 Word 报告（GB/T 9704-2012 版式）；有错误的文件不生成。

    \b
    selfeval build 数据.yaml -o 报告.docx
    selfeval build 数据.yaml -o 报告.docx -w  # 边改边看：保存数据文件即重新生成
    selfeval build 各单位/ -o 报告/ -j 2      # 一个目录（或多个文件）批量生成
    """
    from selfeval_cli.commands import batch

    plan = batch.plan_builds(sources, output, template_dir, strict, split, trust_outlines)
    if watching:
        if len(plan) != 1:
            raise click.UsageError("--watch 只能用于一个数据文件。")
        _watch(*plan[0][:2], template_dir, strict, with_pdf, split, trust_outlines)
        return
    outcomes = run_batch(batch.build_outcome, plan, jobs, "生成报告", quiet,
                         warm_up=lambda: batch.warm_up_build(template_dir))
    built = [path for o in outcomes for path in o.written]
    if with_pdf and built:
        convert_pdfs(built, jobs)
    sys.exit(finish(outcomes, "失败 {count} 个文件：", strict=strict, quiet=quiet, err=True,
                    closing=batch.built_line(outcomes)))


def _watch(source: Path, target: Path, template_dir: Path | None, strict: bool, with_pdf: bool, split: bool,
           trust_outlines: bool) -> None:
    from selfeval_cli.commands.watch import rebuild_status, watch_build

    def rebuilt(outcome: BuildResult | SelfevalError, seconds: float) -> None:
        if isinstance(outcome, SelfevalError):  # a broken template, Word holding the file…
            echo_error(outcome)
            return
        echo_problems(outcome.problems, err=True)
        click.echo(rebuild_status(outcome, target, seconds), err=True)
        if with_pdf and outcome.written:
            try:
                convert_pdfs(outcome.written)
            except SelfevalError as exc:
                echo_error(exc)

    watched = f"{source} 和模板目录 {template_dir}" if template_dir else str(source)
    click.echo(f"正在监视 {watched}：保存后自动重新生成，按 Ctrl-C 结束。", err=True)
    refused = watch_build(source, target, template_dir=template_dir, strict=strict, split=split, on_rebuilt=rebuilt,
                          trust_outlines=trust_outlines)
    if refused:
        sys.exit(finish([refused], "", strict=strict, quiet=False, err=True, closing="未开始监视"))
    click.echo("\n已停止监视。", err=True)


@click.command("new-year", cls=Command)
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="新文件；省略则把文件名中的年份加一（2024_x.yaml → 2025_x.yaml），写在原文件旁边。")
@click.option("--force", is_flag=True, help="新文件已存在时覆盖它。")
def new_year(source: Path, output: Path | None, force: bool) -> None:
    """由本年度的数据文件生成下一年度的文件：保留注释和写法，清空金额待填，列出待核对处。"""
    from selfeval_cli.commands.newyear import make_next_year

    result = make_next_year(source, output, force=force)
    if result.output is None:
        sys.exit(finish([result.outcome], "", strict=False, quiet=False, err=True, closing="未生成下一年度的文件"))
    echo_problems(result.problems, err=False)
    click.echo(f"已生成 {result.output}（{result.old_year} → {result.new_year}），原文件未改动。\n"
               f"还需填写 {len(result.to_fill)} 处（金额、文号、日期、自评表的完成情况），"
               f"核对 {len(result.to_review)} 处；完成后运行 selfeval validate {result.output}")


@click.command(cls=Command)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的文件；省略则输出到标准输出。")
def schema(output: Path | None) -> None:
    """输出数据文件的 JSON Schema（供编辑器补全和悬停提示）。"""
    from selfeval_cli.model.schema import schema_text
    from selfeval_cli.outputs import write_atomically

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    write_atomically(output, schema_text().encode("utf-8"))
    click.echo(f"已写入 {output}", err=True)


@click.command(cls=Command)
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--outline", default=None,
              help="提纲：内置提纲的名称（见 selfeval outlines），或自己模板目录的路径；默认 hunan。")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="报告年度；默认为上一年。")
@click.option("--department", default=None, help=f"部门全称，如“示例县文化旅游广电体育局”；省略则{TO_FILL}。")
@click.option("--table", is_flag=True, help="同时写出附件1 自评表（assessment）的框架。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def init(output: Path, outline: str | None, year: int | None, department: str | None, table: bool,
         force: bool) -> None:
    """为一个新部门写出第一份数据文件：所选提纲要用的每个字段都在，带中文注释，内容为“待填”。"""
    from selfeval_cli.commands.init import make_data_file

    result = make_data_file(output, outline=outline, year=year, department=department, table=table, force=force)
    click.echo(f"已生成 {result.output}（{result.year}年度，提纲 {result.outline}）：把每个“{TO_FILL}”换成实际内容，"
               f"然后运行 selfeval validate {result.output}")


@click.command("import", cls=Command)
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="写出的数据文件（.yaml）。")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="报告年度；省略时依次从报告标题、通知标题、落款日期读出，都没有时按文中最常出现的年份推断。")
@click.option("--force", is_flag=True, help="数据文件（和 --outline-dir 的提纲目录）已存在时覆盖它。")
@click.option("--outline-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="同时写出一个提纲目录，按原文的章节顺序和标题（连同小标题）排出报告，数据文件指向它；"
                   "须在数据文件所在的目录之内。原文的章节不合任何内置提纲时用。")
def import_(sources: tuple[Path, ...], output: Path, year: int | None, force: bool, outline_dir: Path | None) -> None:
    """把已经发布的报告（和附件1 自评表）读成数据文件：第一年不必从头录入。

    报告可以是 Word（.docx；旧版 .doc 和 WPS 的 .wps 需要 LibreOffice 转换）、PDF（.pdf，需有文字，
    扫描件不行），或复制下来的文字（.txt：网页上的、PDF 里复制的整段或按行折断的都可以）。目录自动跳过。
    报告里的自评表读成 assessment；自评表单独成文件的（Excel .xlsx、.xls，或 Word、PDF）写在报告之后，
    也可以只给自评表。原表写的得分、执行率、总分和等级逐项与规则核对，不符的列入 review，注明单元格。

    \b
    selfeval import 2024年报告.docx -o 2024.yaml && selfeval new-year 2024.yaml
    selfeval import 2024年报告.docx 2024年自评表.xlsx -o 2024.yaml
    selfeval import 2024年自评表.xlsx -o 2024.yaml
    selfeval import 2024年报告.docx -o 部门/2024.yaml --outline-dir 部门/提纲
    """
    from selfeval_cli.commands.import_report import import_report, report_and_table
    from selfeval_cli.problems import Outcome

    if len(sources) > 2:
        raise click.UsageError("最多给两个文件：报告，和单独成文件的自评表。")
    source, table = report_and_table(sources)
    result = import_report(source, output, table=table, year=year, force=force, outline_dir=outline_dir)
    if result.output is None:
        sys.exit(finish([Outcome(source, result.problems, failed=True)], "", strict=False, quiet=False, err=True,
                        closing="未生成数据文件"))
    echo_problems(result.problems, err=False)
    outline = f"，按原文章节写出提纲目录 {result.outline_dir}" if result.outline_dir else ""
    click.echo(f"已导入 {result.output}{outline}：导入时判断过的地方 {result.review} 处（见文末 review），"
               f"{problem_summary(result.problems)}；核对后运行 selfeval build {result.output}")


@click.command(cls=Command)
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="写出的汇总表：.xlsx（三张表：部门汇总、问题清单、自评指标），或 .csv（部门汇总一张）。")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default=None,
              help="输出格式；省略时按 -o 的扩展名（默认 xlsx）。")
@TRUST
@JOBS
@QUIET
def summary(sources: tuple[Path, ...], output: Path, fmt: str | None, trust_outlines: bool, jobs: int | None,
            quiet: bool) -> None:
    """财政部门汇总各部门的数据文件：一个部门一行的关键数字、所有问题和自评指标，写成 Excel 工作簿。

    \b
    selfeval summary 各单位/ -o 汇总.xlsx
    退出码 0 表示汇总表已写出（各文件的问题写在表里）；写不出时为 1。
    """
    from selfeval_cli.commands.summary import summarize_file, summary_inputs, write_summary

    files = summary_inputs(sources, output)
    summaries = run_batch(summarize_file, [(f, trust_outlines) for f in files], jobs, "汇总", quiet)
    written = write_summary(summaries, output, fmt)
    failed = sum(1 for s in summaries if s.failed)
    where = "运行 selfeval validate 可逐条列出" if written == "csv" else "见“问题清单”"
    note = f"；其中 {failed} 个有错误，{where}" if failed else ""
    click.echo(f"已汇总 {len(summaries)} 个文件到 {output}{note}", err=True)


@click.command(cls=Command)
def outlines() -> None:
    """列出内置的报告提纲（数据文件用 outline: 名称 选择；也可以写自己模板目录的路径）。"""
    from selfeval_cli.render.outline_folders import shipped_outlines
    from selfeval_cli.vocabulary import DEFAULT_OUTLINE

    for outline in shipped_outlines():
        default = "（默认）" if outline.name == DEFAULT_OUTLINE else ""
        click.echo(f"{outline.name}{default}  {outline.title}\n    {outline.description}\n    {outline.folder}")


@click.command(cls=Command)
def forms() -> None:
    """列出内置的自评表（附件1）格式（数据文件用 assessment 下的 form: 名称 选择；也可以写自己格式目录的路径）。"""
    from selfeval_cli.render.form_folders import shipped_forms
    from selfeval_cli.vocabulary import DEFAULT_FORM

    for form in shipped_forms():
        default = "（默认）" if form.name == DEFAULT_FORM else ""
        columns = f"，另有 {'、'.join(form.columns)} 列" if form.columns else ""
        click.echo(f"{form.name}{default}  {form.title}\n    {form.description}\n    字号 {form.size}{columns}\n"
                   f"    {form.folder}")


COMMANDS = (validate, build, new_year, init, import_, summary, outlines, forms, schema)
