"""The ``selfeval`` command line: a thin click layer over the library modules.

Modules are imported inside each command so that ``--help`` and ``validate`` stay fast and
never load python-docx or Jinja2.

Exit codes: 0 success; 1 invalid data or failed build; 2 usage error; 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from selfeval_cli import __version__
from selfeval_cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, SelfevalError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="selfeval", message="%(prog)s %(version)s")
def cli() -> None:
    """把部门的 YAML 数据生成为部门整体支出绩效自评报告（Word，GB/T 9704-2012 版式）。

    \b
    退出码：0 成功；1 数据有误或生成失败；2 用法错误；130 被中断。
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="警告也视为失败（退出码 1）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 每行一个问题；json 供其他工具读取。")
def validate(files: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """检查数据文件，一次列出所有问题（文件:行:列: 级别: 字段: 说明）。"""
    from selfeval_cli import problems as problem_list
    from selfeval_cli.validation import validate_many

    found = validate_many(files)
    if fmt == "json":
        click.echo(problem_list.to_json(found))
        click.echo(problem_list.summary(found, len(files)), err=True)
    else:
        for problem in found:
            click.echo(problem.format())
        click.echo(problem_list.summary(found, len(files)))
    if problem_list.fails(found, strict=strict):
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="输出的 .docx 文件；省略则写在数据文件旁边，扩展名改为 .docx。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path),
              help="使用自己的模板目录（其他省份的提纲），默认用内置模板。")
@click.option("--strict", is_flag=True, help="有警告也不生成（退出码 1）。")
@click.option("--pdf", "with_pdf", is_flag=True, help="同时用 LibreOffice 生成同名 PDF。")
def build(source: Path, output: Path | None, template_dir: Path | None, strict: bool, with_pdf: bool) -> None:
    """校验数据并生成 Word 报告（GB/T 9704-2012 版式）；有错误则不生成。"""
    from selfeval_cli import problems as problem_list
    from selfeval_cli.build import build_report

    target = output or source.with_suffix(".docx")
    result = build_report(source, target, template_dir=template_dir, strict=strict)
    for problem in result.problems:
        click.echo(problem.format(), err=True)
    if result.output is None:
        click.echo(f"{problem_list.summary(result.problems)}；未生成报告", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"已生成 {result.output}", err=True)
    if with_pdf:
        from selfeval_cli.pdf import convert_to_pdf, missing_fonts

        pdf_path = result.output.with_suffix(".pdf")
        convert_to_pdf(result.output, pdf_path)
        click.echo(f"已生成 {pdf_path}", err=True)
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
    from selfeval_cli.newyear import TO_FILL_CODES, make_next_year
    from selfeval_cli.validation import validate_file

    result = make_next_year(source, output, force=force)
    click.echo(f"已生成 {result.output}（{result.old_year} → {result.new_year}），原文件未改动。")
    todo = validate_file(result.output).problems
    to_fill = [p for p in todo if p.code in TO_FILL_CODES]
    review = [p for p in todo if p.code == "check_review"]
    for problem in [*to_fill, *review]:
        click.echo(problem.format())
    click.echo(f"还需填写 {len(to_fill)} 处（金额、文号、日期），核对 {len(review)} 处；"
               f"完成后运行 selfeval validate {result.output}")


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的文件；省略则输出到标准输出。")
def schema(output: Path | None) -> None:
    """输出数据文件的 JSON Schema（供编辑器补全和悬停提示）。"""
    from selfeval_cli.schema import schema_text
    from selfeval_cli.writing import write_atomically

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"已写入 {output}", err=True)


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
