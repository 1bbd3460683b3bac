"""Start next year's data file from this year's.

The user's file stays theirs: it is edited round-trip with ruamel.yaml, so comments, key
order, quoting and block scalars survive, and only what must change is changed:

* ``year`` goes up by one; years in the notice title follow; the document number is set to
  the "to fill" marker (``待填``);
* every budget figure moves to ``previous`` (last year's figure, so the report can state the
  change) and its ``amount`` becomes ``待填``, which ``validate`` reports until it is filled;
* a dated closing block gets ``待填`` as its date;
* everything else carries over, and a ``review`` list is appended naming what to check: prose
  that names this year or earlier ones, phrases that usually go stale, the carried-over key
  work, measures and staffing. ``validate`` repeats each entry as a warning until it is dealt with.

The new file is written the way the user wrote theirs (``roundtrip``): line ends, byte-order mark,
encoding, indentation, blank lines and every comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_cli.checks.report import YEAR_MENTION, check_review
from selfeval_cli.checks.validation import validate_file
from selfeval_cli.commands.roundtrip import (
    REVIEW_HEADER,
    hang_below,
    insert_after,
    load_round_trip,
    pop,
    read_layout,
    render,
    take_below,
)
from selfeval_cli.errors import FileError, OutputError
from selfeval_cli.model.assessment import QUANTITATIVE
from selfeval_cli.model.loader import DATA_SUFFIXES
from selfeval_cli.model.report import BUDGET_PARTS
from selfeval_cli.model.types import TO_FILL_CODES
from selfeval_cli.model.values import MISSING, FieldPath, dotted, text_fields, value_at
from selfeval_cli.outputs import check_output_path, write_atomically
from selfeval_cli.problems import Outcome, Problem, Severity
from selfeval_cli.vocabulary import NOT_PROSE, TO_FILL

STALE_PHRASES = ("疫情", "新冠", "十三五")
"""Phrases that are usually left over from an earlier year's report."""
REVIEW_CODE = check_review.__name__
"""Problem code of an entry of the review list still to deal with."""
LAYOUT_CODE = "new_year_layout"
"""Problem code of a note on how the new file is written (its encoding, evened-out line ends…)."""
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|%|％|分|人|个|项|次|辆|家)")
"""A figure in carried-over prose: a text that states one describes last year."""
_CARRIED_OVER: tuple[tuple[FieldPath, str], ...] = (
    (("key_work",), "重点工作"), (("improvements", "measures"), "改进措施"))


@dataclass(frozen=True)
class ReviewEntry:
    """One place in next year's file to check by hand."""

    path: FieldPath
    reason: str
    text: str | None = None


@dataclass
class NewYearResult:
    """What new-year did: the file it wrote (None when it refused) and the located problems.

    When it refused, ``problems`` says why (errors to fix first, an output it may not replace…);
    when it wrote, they are the new file's figures to fill and places to check, located in it.
    """

    source: Path
    output: Path | None
    problems: list[Problem]
    old_year: int = 0
    new_year: int = 0

    @property
    def outcome(self) -> Outcome:
        """This run as an outcome of its source file, as every command over files reports it."""
        return Outcome(self.source, self.problems, [self.output] if self.output else [], failed=self.output is None)

    @property
    def to_fill(self) -> list[Problem]:
        """Figures, document numbers and dates cleared for the user to enter again."""
        return [p for p in self.problems if p.code in TO_FILL_CODES]

    @property
    def to_review(self) -> list[Problem]:
        """Places in the new file to check by hand (the review list)."""
        return [p for p in self.problems if p.code == REVIEW_CODE]


def default_output(source: Path, old_year: int, new_year: int) -> Path:
    """``2024_luko_edu.yaml`` → ``2025_luko_edu.yaml``; without a year in the name, ``name_2025.yaml``."""
    if str(old_year) in source.name:
        return source.with_name(source.name.replace(str(old_year), str(new_year), 1))
    return source.with_name(f"{source.stem}_{new_year}{source.suffix}")


def make_next_year(source: Path, output: Path | None = None, *, force: bool = False) -> NewYearResult:
    """Write next year's data file from ``source``; every reason not to is a located problem."""
    result = validate_file(source, trust_outlines=True)  # new-year runs no template: where they lie is moot
    blocking = [p for p in result.problems if p.severity is Severity.ERROR and p.code not in TO_FILL_CODES]
    data = result.loaded.data if result.loaded else None
    if result.loaded is None or blocking or not isinstance(data, dict) or not isinstance(data.get("year"), int):
        return NewYearResult(source, None, blocking)
    old_year: int = data["year"]
    new_year = old_year + 1
    target = output or default_output(source, old_year, new_year)
    try:
        check_output_path(target, [source], DATA_SUFFIXES)
        if target.exists() and not force:
            raise OutputError(str(target), "文件已存在；确认要覆盖请加 --force")
        layout = read_layout(source, result.loaded.text, result.file)
        document = load_round_trip(layout.text, result.file)
    except FileError as exc:
        return NewYearResult(source, None, [exc.problem()], old_year, new_year)

    _roll_budget(document.get("budget"))
    _roll_notice(document.get("notice"), old_year, new_year)
    _roll_years(document, ("attachment", "title"), old_year, new_year)
    _roll_years(document, ("scope",), old_year, new_year)
    _roll_income(document.get("income"))
    _roll_three_public(document.get("three_public"))
    _roll_assets(document.get("department"))
    _roll_assessment(document.get("assessment"))
    closing = document.get("closing")
    if isinstance(closing, dict) and "date" in closing:
        closing["date"] = TO_FILL
    document["year"] = new_year
    # An entry about a field new-year removed (last year's reason, a typed score) would point at nothing.
    review = [entry for entry in _review_entries(data, old_year) if value_at(document, entry.path) is not MISSING]
    _write_review(document, review, new_year)

    try:
        write_atomically(target, render(document, layout, result.file))
    except FileError as exc:
        return NewYearResult(source, None, [exc.problem()], old_year, new_year)
    notes = [Problem(str(target) if line == 0 else result.file, line, 1 if line else 0, Severity.WARNING, (),
                     message, LAYOUT_CODE) for line, message in layout.notes]
    # Located in the new file, so the user can go down the list line by line.
    left = [p for p in validate_file(target).problems if p.code in TO_FILL_CODES or p.code == REVIEW_CODE]
    return NewYearResult(source, target, [*notes, *left], old_year, new_year)


def _roll_amount(node: Any) -> None:
    """Move ``amount`` to ``previous`` and mark ``amount`` to be filled; this year's 全年预算数,
    执行数 and their reason are this year's too, so they are to be filled (or go) as well."""
    if not isinstance(node, dict) or "amount" not in node:
        return
    for key in ("adjusted", "executed"):
        if key in node:
            node[key] = TO_FILL
    pop(node, "reason")
    amount = node["amount"]
    if isinstance(amount, str):  # still "待填" from last time: there is no figure to carry
        pop(node, "previous")
    elif "previous" in node:
        node["previous"] = amount
    else:
        insert_after(node, "amount", "previous", amount)
    node["amount"] = TO_FILL


def _roll_budget(budget: Any) -> None:
    if not isinstance(budget, dict):
        return
    _roll_amount(budget)
    for part_name, _ in BUDGET_PARTS:
        part = budget.get(part_name)
        _roll_amount(part)
        items = part.get("items") if isinstance(part, dict) else None
        for line in items or []:
            _roll_amount(line)


def _roll_assessment(table: Any) -> None:
    """The 自评表 starts over: every funding figure, 实际完成情况, 实际完成值 and hand-given 得分 is
    to be filled; last year's 偏差原因 go (they explained last year's shortfalls). Names, targets
    and weights stay, listed in the review list, since they usually follow the approved 绩效目标."""
    if not isinstance(table, dict):
        return
    funding = table.get("funding")
    if isinstance(funding, dict):
        pop(funding, "reason")
        for row in [funding.get("total"), *(funding.get("parts") or [])]:
            for key in ("initial", "budget", "executed"):
                if isinstance(row, dict) and key in row:
                    row[key] = TO_FILL
    for goal in table.get("goals") or []:
        if isinstance(goal, dict) and "result" in goal:
            goal["result"] = TO_FILL
    for first in table.get("indicators") or []:
        for second in (first.get("children") or []) if isinstance(first, dict) else []:
            for row in (second.get("indicators") or []) if isinstance(second, dict) else []:
                if not isinstance(row, dict):
                    continue
                pop(row, "reason")
                if "actual" in row:
                    row["actual"] = TO_FILL
                if row.get("kind") in QUANTITATIVE:
                    pop(row, "score")  # computed again from this year's 实际完成值
                elif "score" in row:
                    row["score"] = TO_FILL


def _roll_years(document: Any, path: FieldPath, old_year: int, new_year: int) -> None:
    """A text naming the report year names the new one (the review list says so)."""
    parent = value_at(document, path[:-1]) if len(path) > 1 else document
    text = parent.get(path[-1]) if isinstance(parent, dict) else None
    if isinstance(text, str):
        parent[path[-1]] = text.replace(f"{old_year}年", f"{new_year}年")


def _roll_income(income: Any) -> None:
    if not isinstance(income, dict):
        return
    _roll_amount(income)
    for source in income.get("sources") or []:
        _roll_amount(source)


def _roll_three_public(three: Any) -> None:
    """Last year's 实际支出 becomes ``previous``; this year's 预算 and 实际支出 are to be filled."""
    if not isinstance(three, dict):
        return
    nodes = [three.get(key) for key in ("total", "abroad", "vehicles", "reception")]
    vehicles = three.get("vehicles")
    if isinstance(vehicles, dict):
        nodes += [vehicles.get("purchase"), vehicles.get("operation")]
    for node in nodes:
        if not isinstance(node, dict):
            continue
        actual = node.get("actual")
        if actual is not None and not isinstance(actual, str):
            node["previous"] = actual
        elif "previous" in node:
            pop(node, "previous")
        for key in ("budget", "actual"):
            if key in node:
                node[key] = TO_FILL


def _roll_assets(department: Any) -> None:
    assets = department.get("assets") if isinstance(department, dict) else None
    if isinstance(assets, dict) and "fixed_assets" in assets:
        assets["fixed_assets"] = TO_FILL


def _roll_notice(notice: Any, old_year: int, new_year: int) -> None:
    if not isinstance(notice, dict):
        return
    if "document_number" in notice:
        notice["document_number"] = TO_FILL
    title = notice.get("title")
    if isinstance(title, str):
        notice["title"] = title.replace(f"{old_year}年", f"{new_year}年")


def _review_entries(data: dict[str, Any], old_year: int) -> Iterator[ReviewEntry]:
    new_year = old_year + 1
    if isinstance(data.get("notice"), dict) and str(old_year) in str(data["notice"].get("title", "")):
        yield ReviewEntry(("notice", "title"), f"标题中的年份已改为{new_year}年，请按新通知核对")
    titled: tuple[FieldPath, ...] = (("attachment", "title"), ("scope",))
    for place in titled:
        if str(old_year) in str(value_at(data, place)):
            yield ReviewEntry(place, f"其中的年份已改为{new_year}年，请核对")
    for path, text in text_fields({k: v for k, v in data.items() if k not in NOT_PROSE}):
        for year in sorted({int(y) for y in YEAR_MENTION.findall(text) if int(y) <= new_year}):
            if year <= old_year:
                yield ReviewEntry(path, f"沿用自{old_year}年报告的年份，请改为{new_year}年的情况", f"{year}年")
            else:  # this year may stay in the text: the entry is deleted by hand once checked
                yield ReviewEntry(path, f"原文写于{old_year}年，“{year}年”当时是计划年份；请改写为{year}年的实际情况，"
                                        f"计划应指向{year + 1}年")
        for phrase in STALE_PHRASES:
            if phrase in text:
                yield ReviewEntry(path, "常见的过时说法，请核对是否仍然适用", phrase)
        figure = _FIGURE.search(text)
        if figure and not any(path[:len(prefix)] == prefix for prefix, _ in _CARRIED_OVER):
            yield ReviewEntry(path, f"沿用自{old_year}年报告的数字（金额、比率、得分或人数），请改为{new_year}年的",
                              figure[0])
    if isinstance(value_at(data, ("assessment", "indicators")), list):
        yield ReviewEntry(("assessment", "indicators"),
                          f"自评表的指标、年度指标值、分值和定性指标的评价等级沿用自{old_year}年，"
                          f"请按{new_year}年批复的绩效目标核对")
    if isinstance(value_at(data, ("assessment", "goals")), list):
        yield ReviewEntry(("assessment", "goals"), f"年度总体目标（预期目标）沿用自{old_year}年，请按{new_year}年核对")
    if isinstance(value_at(data, ("department", "assets", "vehicles")), dict):
        yield ReviewEntry(("department", "assets", "vehicles"), f"公务用车编制和实有数沿用自{old_year}年，请核对")
    if value_at(data, ("department", "staffing")) is not MISSING:
        yield ReviewEntry(("department", "staffing"), f"编制和在职人数沿用自{old_year}年，请核对")
    for prefix, what in _CARRIED_OVER:
        items = value_at(data, prefix)
        for index in range(len(items) if isinstance(items, list) else 0):
            yield ReviewEntry((*prefix, index), f"沿用自{old_year}年报告的{what}，请改写为{new_year}年的内容")


def _write_review(document: Any, review: list[ReviewEntry], new_year: int) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entries = CommentedSeq()
    for entry in review:
        item = CommentedMap()
        item["path"] = dotted(entry.path)
        if entry.text is not None:
            item["text"] = entry.text
        item["reason"] = entry.reason
        entries.append(item)
    # The old list goes, but not the comment lines the user wrote below it.
    below, mark = take_below(document, "review") if "review" in document else ("", None)
    pop(document, "review")
    if entries:
        document["review"] = entries
        document.yaml_set_comment_before_after_key(
            "review",
            before=f"\n{REVIEW_HEADER[0]}{new_year}年）：逐条核对正文，处理完后删除该条；\n{REVIEW_HEADER[1]}")
    if below and document:
        hang_below(document, list(document)[-1], below, mark)
