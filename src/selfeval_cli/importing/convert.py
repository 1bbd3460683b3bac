"""Old Word (.doc) and WPS (.wps) files converted to .docx by LibreOffice, to be read as one.

Like ``word.pdf.convert_many``: LibreOffice runs headless with a profile of its own in a fresh
temporary folder (a user's open LibreOffice, or another conversion running at the same time, would
otherwise share and lock it), within a time limit, and is killed when it fails or overruns. The
.docx it writes is then checked like any other (``importing.office``) before python-docx reads it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from selfeval_cli.errors import InputFileError
from selfeval_cli.word.pdf import find_soffice

TIMEOUT_SECONDS = 120
"""LibreOffice's start-up takes 1–3 s and a report's conversion well under a second more."""

MAX_BYTES = 50 * 1024 * 1024
"""A report as .doc is well under 5 MiB even with pictures; a larger file is not given to LibreOffice."""

_KNOWN_STARTS = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: Word 97–2003 and WPS
                 b"PK\x03\x04",  # a .docx renamed
                 b"{\\rtf",  # RTF saved as .doc
                 b"<")  # a web page or Word XML saved as .doc
"""How the files LibreOffice should convert begin: it would read anything else as plain text."""


@dataclass(frozen=True)
class Conversion:
    """What LibreOffice turns a kind of old file into, and how messages name the program to re-save with."""

    target: str
    """The format written: "docx" or "xlsx"."""
    starts: tuple[bytes, ...]
    """How the files it should convert begin: it would read anything else as plain text."""
    program: str
    """The program a user re-saves the file with, for the message: "Word（WPS）"."""
    kind: str
    """What the file should be, for the message: "Word 或 WPS"."""


TO_DOCX = Conversion("docx", _KNOWN_STARTS, "Word（WPS）", "Word 或 WPS")
TO_XLSX = Conversion("xlsx", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: Excel 97–2003
                              b"PK\x03\x04",  # an .xlsx renamed
                              b"<"),  # an HTML or XML table saved as .xls, as web systems export
                     "Excel（WPS）", "Excel")


def to_docx(source: Path, folder: Path) -> Path:
    """``source`` (a .doc or .wps) converted to a .docx in ``folder``; its path (see ``convert``)."""
    return convert(source, folder, TO_DOCX)


def to_xlsx(source: Path, folder: Path) -> Path:
    """``source`` (an .xls) converted to an .xlsx in ``folder``; its path (see ``convert``)."""
    return convert(source, folder, TO_XLSX)


def convert(source: Path, folder: Path, conversion: Conversion) -> Path:
    """``source`` converted by LibreOffice as ``conversion`` says, in ``folder``; its path.

    LibreOffice runs with a profile of its own, a time limit, and is killed when it fails or overruns.
    Raises InputFileError when the file is missing, too large or of another kind, LibreOffice is not
    installed, or it fails or overruns its time.
    """
    target, program = conversion.target, conversion.program
    if not source.is_file():
        raise InputFileError(str(source), "文件不存在")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise InputFileError(str(source), f"文件过大（{size // 1024 // 1024} MiB），上限为 "
                                          f"{MAX_BYTES // 1024 // 1024} MiB：请检查是否选错了文件")
    suffix = source.suffix.lower()
    try:
        with source.open("rb") as handle:
            start = handle.read(16).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise InputFileError(str(source), f"无法读取文件（{exc.strerror or exc}）") from exc
    if not start.startswith(conversion.starts):
        raise InputFileError(str(source), f"不是可以读取的 {suffix} 文件：开头不是 {conversion.kind} 文件的格式"
                                          "（可能已损坏或改过扩展名）")
    soffice = find_soffice()
    if soffice is None:
        raise InputFileError(str(source), f"需要 LibreOffice 才能读取 {suffix}：请安装，"
                                          f"或在 {program}中另存为 .{target}")
    out = folder / "out"
    command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(out), str(source.resolve())]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        output, errors = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise InputFileError(str(source), f"LibreOffice 在 {TIMEOUT_SECONDS} 秒内未能把它转成 .{target}，已放弃："
                                          f"请在 {program}中另存为 .{target}") from exc
    finally:  # a failure or Ctrl-C leaves no LibreOffice behind
        if process.poll() is None:
            process.kill()
            process.wait()
    produced = out / f"{source.stem}.{target}"
    if not produced.is_file():
        detail = (errors or output).strip().splitlines()[-1:] or ["无输出"]
        raise InputFileError(str(source), f"LibreOffice 未能把它转成 .{target}（退出码 {process.returncode}："
                                          f"{detail[0]}）：可能已损坏或不是 {suffix} 文件；"
                                          f"请在 {program}中另存为 .{target}")
    return produced
