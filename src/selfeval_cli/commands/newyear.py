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
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_cli.data.checks import MISSING, prose_fields, value_at
from selfeval_cli.data.loader import FieldPath, dotted
from selfeval_cli.data.money import TO_FILL
from selfeval_cli.data.validation import validate_file
from selfeval_cli.errors import OutputError, ValidationFailed
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.writing import check_output_path, write_atomically

STALE_PHRASES = ("疫情", "新冠", "十三五")
"""Phrases that are usually left over from an earlier year's report."""
TO_FILL_CODES = {"money_to_fill", "text_to_fill", "date_to_fill"}
_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_NOT_PROSE = ("notice", "attachment", "review", "closing")
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
    """What new-year wrote: the file, the years, and how much is left to do."""

    output: Path
    old_year: int
    new_year: int
    to_fill: int
    review: list[ReviewEntry]


def default_output(source: Path, old_year: int, new_year: int) -> Path:
    """``2024_luko_edu.yaml`` → ``2025_luko_edu.yaml``; without a year in the name, ``name_2025.yaml``."""
    if str(old_year) in source.name:
        return source.with_name(source.name.replace(str(old_year), str(new_year), 1))
    return source.with_name(f"{source.stem}_{new_year}{source.suffix}")


def make_next_year(source: Path, output: Path | None = None, *, force: bool = False) -> NewYearResult:
    """Write next year's data file from ``source``. Raises on unusable input or output."""
    result = validate_file(source)
    blocking = [p for p in result.problems if p.severity is Severity.ERROR and p.code not in TO_FILL_CODES]
    data = result.loaded.data
    if blocking or not isinstance(data, dict) or not isinstance(data.get("year"), int):
        raise ValidationFailed(_refusal(source, blocking))
    old_year: int = data["year"]
    new_year = old_year + 1
    target = output or default_output(source, old_year, new_year)
    check_output_path(target, [source])
    if target.exists() and not force:
        raise OutputError(f"{target}: 文件已存在；确认要覆盖请加 --force")

    document = _load_round_trip(result.loaded.text, source)
    filled = _roll_budget(document.get("budget"))
    _roll_notice(document.get("notice"), old_year, new_year)
    closing = document.get("closing")
    if isinstance(closing, dict) and "date" in closing:
        closing["date"] = TO_FILL
        filled += 1
    document["year"] = new_year
    review = list(_review_entries(data, old_year))
    _write_review(document, review, new_year)

    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    write_atomically(target, buffer.getvalue().encode("utf-8"))
    return NewYearResult(target, old_year, new_year, filled, review)


def _refusal(source: Path, blocking: list[Problem]) -> str:
    lines = [p.format() for p in blocking[:20]]
    more = f"\n（另有 {len(blocking) - 20} 个错误）" if len(blocking) > 20 else ""
    listing = ("\n" + "\n".join(lines) + more) if lines else ""
    return f"{source}: 先修正以下错误，再生成下一年度的文件{listing}"


def _load_round_trip(text: str, source: Path) -> Any:
    """The file as ruamel.yaml's round-trip tree; its parser is stricter than libyaml in places."""
    from ruamel.yaml.error import YAMLError

    try:
        return _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else str(source)
        problem = getattr(exc, "problem", None) or "无法解析"
        hint = "（把 Tab 换成空格）" if "\\t" in str(problem) else ""  # ruamel quotes it as '\\t'
        raise ValidationFailed(f"{where}: 这一处无法按原样改写（{problem}）{hint}，请修改后再试") from exc


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: comments, order, quoting and block scalars survive
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never re-wrap a long line of prose
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _roll_amount(node: Any) -> int:
    """Move ``amount`` to ``previous`` and mark ``amount`` to be filled; 1 if a figure was cleared."""
    if not isinstance(node, dict) or "amount" not in node:
        return 0
    amount = node["amount"]
    if isinstance(amount, str):  # still "待填" from last time: there is no figure to carry
        node.pop("previous", None)
    elif "previous" in node:
        node["previous"] = amount
    else:
        _insert_after(node, "amount", "previous", amount)
    node["amount"] = TO_FILL
    return 1


def _insert_after(node: Any, key: str, new_key: str, value: Any) -> None:
    """Insert ``new_key`` after ``key``, keeping ``key``'s end-of-line comment on its own line.

    ruamel.yaml hangs the blank lines and comments that follow a value on that value; moved
    as they are, they would end up above the new key instead of below it.
    """
    from ruamel.yaml.tokens import CommentToken

    node.insert(list(node).index(key) + 1, new_key, value)
    slots = node.ca.items.get(key)
    token = slots[2] if slots and len(slots) > 2 else None
    if token is None:
        return
    own_line, _, following = token.value.partition("\n")
    if not following:
        return
    if own_line.strip():
        token.value = own_line + "\n"
    else:
        slots[2] = None
    node.ca.items[new_key] = [None, None, CommentToken("\n" + following, token.start_mark), None]


def _roll_budget(budget: Any) -> int:
    if not isinstance(budget, dict):
        return 0
    count = _roll_amount(budget)
    for part_name in ("basic", "project"):
        part = budget.get(part_name)
        count += _roll_amount(part)
        items = part.get("items") if isinstance(part, dict) else None
        for line in items or []:
            count += _roll_amount(line)
    return count


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
    for path, text in prose_fields({k: v for k, v in data.items() if k not in _NOT_PROSE}):
        for year in sorted({int(y) for y in _YEAR.findall(text) if int(y) <= old_year}):
            yield ReviewEntry(path, f"沿用自{old_year}年报告的年份，请改为{new_year}年的情况", f"{year}年")
        for phrase in STALE_PHRASES:
            if phrase in text:
                yield ReviewEntry(path, "常见的过时说法，请核对是否仍然适用", phrase)
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
    document.pop("review", None)
    if not entries:
        return
    document["review"] = entries
    document.yaml_set_comment_before_after_key(
        "review", before=f"\n待核对清单（selfeval new-year 生成，{new_year}年）：逐条核对正文，处理完后删除该条；"
                         "\nselfeval validate 会一直提示未处理的条目。")
