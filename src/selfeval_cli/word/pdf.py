"""Convert the built report to PDF with LibreOffice, and say which fonts it had to replace."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from selfeval_cli.errors import PdfError
from selfeval_cli.word.styles import FALLBACKS, HEITI, KAITI, LATIN, SONGTI
from selfeval_cli.writing import write_atomically

TIMEOUT_SECONDS = 180

# Where the report's fonts are missing, prefer faces of the same kind (serif for 仿宋/宋体,
# sans for 黑体, a kai face for 楷体) in their Simplified Chinese form, not whatever comes first.
_SUBSTITUTES = {
    HEITI: ("SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"),
    KAITI: ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    SONGTI: ("SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
}
_SERIF = ("FangSong", "Noto Serif CJK SC", "AR PL UMing CN")


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def installed_families() -> set[str] | None:
    """Font families fontconfig knows on this machine (None when fc-list is unavailable)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listing = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=60, check=False)
    return {name.strip() for line in listing.stdout.splitlines() for name in line.split(",") if name.strip()}


def missing_fonts() -> list[str]:
    """The fonts the report names that this machine lacks (they will be substituted)."""
    families = installed_families()
    if families is None:
        return []
    return [name for name in (*FALLBACKS, LATIN) if name not in families]


def _fontconfig_file(folder: Path) -> Path:
    aliases = []
    for name in FALLBACKS:
        preferred = _SUBSTITUTES.get(name, _SERIF)
        families = "".join(f"<family>{f}</family>" for f in (*FALLBACKS[name], *preferred))
        aliases.append(f"<alias binding=\"same\"><family>{name}</family><prefer>{families}</prefer></alias>")
    config = folder / "fonts.conf"
    config.write_text(
        "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>"
        "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" + "".join(aliases) + "</fontconfig>",
        encoding="utf-8")
    return config


def convert_many(pairs: list[tuple[Path, Path]], timeout: int = TIMEOUT_SECONDS) -> None:
    """Convert every ``(docx, pdf)`` pair in one LibreOffice run (its start-up is the slow part)."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError("未找到 LibreOffice（soffice），无法生成 PDF：请安装 LibreOffice，或去掉 --pdf")
    with tempfile.TemporaryDirectory(prefix="selfeval-pdf-") as work:
        folder = Path(work)
        env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig_file(folder)))
        command = [
            soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(folder / "out"), *(str(docx) for docx, _ in pairs),
        ]
        limit = timeout + 10 * (len(pairs) - 1)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=limit, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"LibreOffice 在 {limit} 秒内未完成转换，已放弃") from exc
        for docx_path, pdf_path in pairs:
            produced = folder / "out" / (docx_path.stem + ".pdf")
            if not produced.is_file():
                detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["无输出"]
                raise PdfError(f"LibreOffice 未能把 {docx_path} 转成 PDF（退出码 {done.returncode}：{detail[0]}）")
            write_atomically(pdf_path, produced.read_bytes())
