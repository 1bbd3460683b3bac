"""The ``selfeval`` command line: four small modules that parse arguments, call the library
(``selfeval_cli.api`` and the modules behind it), print, and map the result to an exit code.

``cli`` (here) is the command group and the entry points, ``cli.arguments`` the commands and their
options, ``cli.output`` what every command prints, ``cli.chinese`` click's help and usage errors in
Chinese. Per-file outcomes arrive as located problems;
errors of the whole run arrive as ``SelfevalError`` and are printed once by the command group. The
only package that imports click. Library
modules are imported inside each command, so that ``--help`` and ``validate`` stay fast and
never load python-docx or Jinja2.

Exit codes: 0 success; 1 invalid data or failed build; 2 usage error; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, NoReturn

import click

from selfeval_cli import __version__
from selfeval_cli.cli.arguments import COMMANDS
from selfeval_cli.cli.chinese import VERSION, Group, show_usage_error
from selfeval_cli.cli.output import echo_error
from selfeval_cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, SelfevalError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Commands(Group):
    """The command group; an error of the whole run from the library is printed here, once, and
    becomes the exit code it carries (so ``main`` and click's own runners behave alike)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """click's ``main``; standing alone (click's own test runner), its usage errors in Chinese."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("\n已中断。", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SelfevalError as exc:
            echo_error(exc)
            ctx.exit(exc.exit_code)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="selfeval", message="%(prog)s %(version)s",
                      help=VERSION)
def cli() -> None:
    """把部门的 YAML 数据生成为部门整体支出绩效自评报告（Word，GB/T 9704-2012 版式）。

    \b
    退出码：0 成功；1 数据有误或生成失败；2 用法错误；130 被中断。
    """


for _command in COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, mapping errors and Ctrl-C to the documented exit codes."""
    try:
        code = cli.main(args=argv, prog_name="selfeval", standalone_mode=False)
    except click.ClickException as exc:  # click's own: a missing argument, an unknown option…
        show_usage_error(exc)
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
    """Console-script entry point: :func:`main` without pydantic's plugin scan or interpreter tear-down.

    Both cost more than the work (see ``bench/``). Leaving at once is safe after a run that ended by
    itself: reports were written atomically, pools and temporary folders closed by their ``with``
    blocks. An interrupted run (a pool may still be winding down) exits the normal way.
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
