"""``selfeval build --watch``: rebuild on every save, survive mistakes, stop cleanly on Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from selfeval_cli.cli import cli
from selfeval_cli.commands.watch import snapshot, watch, watched_files

from ..conftest import EXAMPLE, OTHER, ROOT


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


@pytest.fixture
def watching(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A watch over one file in a thread, polling fast; yields (file, rebuild count)."""
    data = tmp_path / "d.yaml"
    data.write_text("a: 1\n", encoding="utf-8")
    calls: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(lambda: [data], lambda: calls.append(time.monotonic())),
                              kwargs={"stop": stop, "interval": 0.01, "settle": 0.005})
    thread.start()
    yield data, calls
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_rebuilds_once_per_change(watching: tuple[Path, list[float]]) -> None:
    data, calls = watching
    wait_for(lambda: len(calls) == 1)  # built at once
    time.sleep(0.1)
    assert len(calls) == 1  # nothing changed, nothing rebuilt
    data.write_text("a: 22\n", encoding="utf-8")
    wait_for(lambda: len(calls) == 2)
    time.sleep(0.1)
    assert len(calls) == 2


def test_a_file_replaced_by_rename_or_deleted_counts_as_a_change(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text("a: 1\n", encoding="utf-8")
    seen: list[str | None] = []  # what each rebuild found: the file's text, or None when it was gone
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(lambda: [data], lambda: seen.append(data.read_text("utf-8") if data.exists() else None)),
        kwargs={"stop": stop, "interval": 0.01, "settle": 0.005})
    thread.start()
    try:
        wait_for(lambda: len(seen) == 1)
        data.unlink()  # the rebuild will report the missing file
        wait_for(lambda: len(seen) == 2)
        saved = data.with_suffix(".tmp")
        saved.write_text("a: 333\n", encoding="utf-8")
        saved.replace(data)  # how many editors save
        wait_for(lambda: len(seen) == 3)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert seen == ["a: 1\n", None, "a: 333\n"]


def test_a_save_during_a_build_is_built_next(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text("a: 1\n", encoding="utf-8")
    stop = threading.Event()
    calls: list[int] = []

    def rebuild() -> None:
        calls.append(1)
        if len(calls) == 1:  # the user saves while the first build runs
            data.write_text("a: 4444\n", encoding="utf-8")
        else:
            stop.set()

    give_up = threading.Timer(5, stop.set)  # without the second build the watch would never end
    give_up.start()
    watch(lambda: [data], rebuild, stop=stop, interval=0.01, settle=0.005)
    give_up.cancel()
    assert len(calls) == 2


def test_template_folders_are_watched_whole(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "hunan", folder)
    before = snapshot(watched_files(EXAMPLE, folder))
    assert EXAMPLE in before and folder / "01_basic.j2" in before
    (folder / "08_extra.j2").write_text("# 八、补充\n", encoding="utf-8")
    assert snapshot(watched_files(EXAMPLE, folder)).keys() - before.keys() == {folder / "08_extra.j2"}
    assert watched_files(EXAMPLE, None) == [EXAMPLE]


def test_watch_takes_one_file(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["build", str(EXAMPLE), str(OTHER), "-o", "out/", "--watch"])
    assert result.exit_code == 2 and "只能用于一个数据文件" in result.output


def test_edit_mistake_fix_stop(tmp_path: Path) -> None:
    """The whole session a user has: build, edit, make a mistake, fix it, Ctrl-C."""
    data, report, log = tmp_path / "数据.yaml", tmp_path / "报告.docx", tmp_path / "log.txt"
    shutil.copy(EXAMPLE, data)
    text = data.read_text(encoding="utf-8")
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "selfeval_cli", "build", str(data), "-o", str(report), "-w"],
                                   stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)

    def built() -> int:
        return log.read_text(encoding="utf-8").count("已生成")

    try:
        wait_for(lambda: built() == 1)
        data.write_text(text.replace("株洲市渌口区教育局", "株洲市渌口区文化局"), encoding="utf-8")
        wait_for(lambda: built() == 2)
        assert any("株洲市渌口区文化局" in p.text for p in Document(str(report)).paragraphs)

        good = report.read_bytes()
        data.write_text(text.replace("amount: 795.63", "amount: 795.63万元"), encoding="utf-8")
        wait_for(lambda: "未生成报告" in log.read_text(encoding="utf-8"))
        assert report.read_bytes() == good  # the last good report stays

        data.write_text(text, encoding="utf-8")
        wait_for(lambda: built() == 3)
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    said = log.read_text(encoding="utf-8")
    assert "144:" in said and "仍是上一次生成的" in said and said.rstrip().endswith("已停止监视。")
    assert "Traceback" not in said
    assert {p.name for p in tmp_path.iterdir()} == {"log.txt", "数据.yaml", "报告.docx"}


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_closing_the_terminal_or_kill_stops_cleanly(tmp_path: Path, signal_name: str) -> None:
    report, log = tmp_path / "报告.docx", tmp_path / "log.txt"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "selfeval_cli", "build", str(EXAMPLE), "-o", str(report),
                                    "-w"], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_for(lambda: "已生成" in log.read_text(encoding="utf-8"))
        process.send_signal(getattr(signal, signal_name))
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert log.read_text(encoding="utf-8").rstrip().endswith("已停止监视。")
    assert {p.name for p in tmp_path.iterdir()} == {"log.txt", "报告.docx"}
