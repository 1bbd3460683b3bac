"""click in Chinese: the help's headings and usage line, and click's own usage errors.

click writes "Usage:", "Options:", "Show this message and exit." and "Error: Missing argument …"
through gettext, which finds no catalogue for them; a county user reads Chinese. Commands and the
group are made with the classes here, and usage errors are shown by ``show_usage_error``; a message
of click's that is not listed below keeps its English words inside the Chinese frame.
"""

from __future__ import annotations

import re
from typing import Any

import click

HELP = "显示本帮助并退出。"
VERSION = "显示版本号并退出。"

_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

_MESSAGES = [
    (re.compile(r"^Missing argument '(.+?)'\.$"), "缺少参数 {0}"),
    (re.compile(r"^Missing option '(.+?)'\.$"), "缺少选项 {0}"),
    (re.compile(r"^No such option:? '?([^\s']+)'?\.?(?: .*)?$"), "没有选项 {0}"),
    (re.compile(r"^No such command '(.+?)'\.$"), "没有命令“{0}”"),
    (re.compile(r"^Option '(.+?)' requires an argument\.$"), "选项 {0} 后面要给一个值"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "多余的参数：{0}"),
    (re.compile(r"^Invalid value for (.+?): (.+)$"), "{0} 的值无效：{1}"),
    (re.compile(r"^'?(.+?)'? is not a valid integer(?: range)?\.$"), "“{0}”不是整数"),
    (re.compile(r"^'?(.+?)'? is not in the range (.+)\.$"), "{0} 不在 {1} 的范围内"),
    (re.compile(r"^'?(.+?)'? is not one of (.+)\.$"), "“{0}”不是可选的值（{1}）"),
]
_SUGGESTION = re.compile(r"Did you mean '?([^\s'?]+)'?\?")


def translate(message: str) -> str:
    """click's message in Chinese, where it is one of the usual ones."""
    for pattern, chinese in _MESSAGES:
        match = pattern.match(message.strip())
        if match:
            # The parts quoted in click's message ('-j' / '--jobs', 'x'), unquoted and translated in turn.
            parts = [translate(part.replace("'", "")) if index else part.replace("'", "")
                     for index, part in enumerate(match.groups(default=""))]
            text = chinese.format(*parts)
            suggestion = _SUGGESTION.search(message)
            return text + (f"，是否想写 {suggestion[1]}？" if suggestion else "")
    return message


class _Chinese(click.Command):
    """Help in Chinese: the usage line, the headings and the help option."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for row in (p.get_help_record(ctx) for p in self.get_params(ctx)) if row is not None]
        if rows:
            with formatter.section(_HEADINGS["Options"]):
                formatter.write_dl(rows)


class Command(_Chinese):
    """A selfeval command (``@click.command(cls=Command)``)."""


class Group(_Chinese, click.Group):
    """The selfeval command group."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section(_HEADINGS["Commands"]):
                formatter.write_dl(rows)


def show_usage_error(exc: click.ClickException) -> None:
    """A usage error as click shows one — usage line, where to find help, the error — in Chinese."""
    ctx: Any = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        click.echo(f"用 “{ctx.command_path} {ctx.help_option_names[0]}” 查看帮助。", err=True)
        click.echo("", err=True)
    click.echo(f"错误：{translate(exc.format_message())}", err=True)
