"""Writing output files atomically: a temporary file beside the target, then a rename.

A failure at any point (an exception, a full disk, Ctrl-C) leaves the target as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from selfeval_cli.errors import OutputError


def check_output_path(output: Path, inputs: list[Path], suffixes: tuple[str, ...] = (), hint: str = "") -> None:
    """Refuse an output that is a directory or one of the inputs, or (given ``suffixes``) whose name says
    another kind of file than the one written: a Word file named 报告.pdf opens nowhere, and a workbook
    named 汇总.yaml is read as a broken data file next time."""
    if output.is_dir():
        raise OutputError(str(output), f"这是一个目录，请给出文件名（如 {output / 'report.docx'}）")
    for source in inputs:
        with contextlib.suppress(OSError):
            if (output.exists() and output.samefile(source)) or output.resolve() == source.resolve():
                raise OutputError(str(output), "输出文件不能是输入文件本身")
    if suffixes and output.suffix.lower() not in suffixes:
        raise OutputError(str(output), f"输出文件名应以 {' 或 '.join(suffixes)} 结尾{hint}")
    for parent in output.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(str(output), f"“{parent}”是一个文件，不能用作目录")
            break


def write_atomically(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` so that readers see the old file or the new one, never half."""
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(target), f"无法在“{parent}”中写入（{exc.strerror or exc}）") from exc
    # The name is chosen before the file exists, so that the clean-up below covers the file from the
    # instant it is made: a worker stopped by the batch (SIGTERM raises in it) between making the file
    # and a later line would otherwise leave it behind.
    temp = parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise OutputError(str(target), f"无法在“{parent}”中写入（{exc.strerror or exc}）") from exc
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        # On Windows a report open in Word cannot be replaced: say so, it is the usual cause.
        hint = "；文件是否正在 Word 或 WPS 中打开？" if isinstance(exc, PermissionError) else ""
        raise OutputError(str(target), f"写入失败（{exc.strerror or exc}{hint}），原文件未改动") from exc
    finally:
        # Covers every exit, Ctrl-C and a stopped worker included: the temporary file never outlives the call.
        if os.path.lexists(temp):  # not made (a read-only folder: unlinking what is not there fails too)
            temp.unlink()
