"""The benchmark's results as bench/results.md (for people) and bench/results.json (for tools)."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Comparison:
    """A ratio the results give: ``command`` over ``against``, both from the same round."""

    command: str
    against: str
    target: Decimal | None
    """At most this ratio is our goal (None: shown, no goal)."""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.0995 else f"{seconds * 1000:.1f} ms"


def _ratios(rounds: list[dict[str, float]], comparison: Comparison) -> list[float]:
    return [r[comparison.command] / r[comparison.against] for r in rounds
            if comparison.command in r and comparison.against in r]


def _verdict(ratios: list[float], target: Decimal | None) -> str:
    if target is None:
        return "—"
    median = statistics.median(ratios)
    if max(ratios) <= target:
        return f"≤ {target}×：达到"
    if median <= target:
        return f"≤ {target}×：中位数达到，个别轮次超过"
    return f"≤ {target}×：未达到"


def write_results(folder: Path, rounds: list[dict[str, float]], memory: dict[str, float],
                  batch: dict[str, dict[str, Any]], comparisons: list[Comparison], machine: str,
                  runs: int) -> str:
    """Write results.md and results.json into ``folder``; returns the Markdown."""
    names = list(rounds[0])
    lines = [
        "# 基准结果", "",
        f"{time.strftime('%Y-%m-%d')}，{machine}。单文件命令分 {len(rounds)} 轮，每轮各跑 {runs} 次、交替进行，"
        "取中位数；比值在每一轮内计算（分子分母同一轮测得），给出各轮比值的中位数和范围。内存为整个进程树的峰值"
        "（PSS：共享的页只算一次；单文件命令另外单独运行三次取最大，--pdf 在计时的那一次里每 50 ms 采样）。"
        "批量用每核一个工作进程，pandoc 也同时运行同样多个。", "",
        "## 单个文件", "",
        "| 命令 | 时间（各轮中位数） | 各轮范围 | 内存峰值 |", "|---|---|---|---|",
    ]
    for name in names:
        times = [r[name] for r in rounds]
        lines.append(f"| {name} | {_ms(statistics.median(times))} | {_ms(min(times))}–{_ms(max(times))} "
                     f"| {memory[name]:.0f} MiB |")
    lines += ["", "## 比值", "", "| 命令 | 对照 | 比值 | 各轮范围 | 目标 |", "|---|---|---|---|---|"]
    ratios_json = []
    for comparison in comparisons:
        ratios = _ratios(rounds, comparison)
        if not ratios:
            continue  # a peer that is not installed here
        lines.append(f"| {comparison.command} | {comparison.against} | {statistics.median(ratios):.2f}× "
                     f"| {min(ratios):.2f}×–{max(ratios):.2f}× | {_verdict(ratios, comparison.target)} |")
        ratios_json.append({"command": comparison.command, "against": comparison.against, "ratios": ratios,
                            "target": None if comparison.target is None else str(comparison.target)})
    lines += ["", "## 批量", "", "| 命令 | 每份 | 合计 | 内存峰值 |", "|---|---|---|---|"]
    for name, row in batch.items():
        peak = "—" if row["peak_mib"] is None else f"{row['peak_mib']:.0f} MiB"
        lines.append(f"| {name} | {_ms(row['per_file_s'])} | {row['median_s']:.2f} s | {peak} |")
    pandoc = next((row for name, row in batch.items() if name.startswith("pandoc")), None)
    built = next((row for name, row in batch.items() if name.startswith("selfeval build 目录")), None)
    pdf = [row for name, row in batch.items() if "--pdf" in name]
    notes = []
    if pandoc and built:
        notes.append(f"批量生成每份是 pandoc 每份的 {built['per_file_s'] / pandoc['per_file_s']:.2f}×（目标 ≤ 0.5×）。")
    if len(pdf) == 2:
        speedup = pdf[0]["median_s"] / pdf[1]["median_s"]
        notes.append(f"--pdf：每核一个 LibreOffice（-j 2）比一个（-j 1）快 {speedup:.2f} 倍。")
    text = "\n".join(lines + (["", *notes] if notes else [])) + "\n"
    (folder / "results.md").write_text(text, encoding="utf-8")
    (folder / "results.json").write_text(json.dumps(
        {"machine": machine, "runs": runs, "rounds": rounds, "memory_mib": memory, "ratios": ratios_json,
         "batch": batch}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return text
