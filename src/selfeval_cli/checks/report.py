"""Cross-checks of the report as a whole: the budget's sums, years, names, dates and labels.

Each check is a small function from a ``Report`` to the ``Problem``s it makes; ``registry`` runs
every module's checks. Each problem names a field; ``validation`` locates it in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from selfeval_cli.checks.common import Check, unless_adds_up
from selfeval_cli.model.report import Report, ReviewItem
from selfeval_cli.model.types import doc_number_year
from selfeval_cli.model.values import MISSING, FieldPath, parse_dotted, quoted, text_fields, value_at
from selfeval_cli.problems import Problem, Severity
from selfeval_cli.render.numbering import typed_number
from selfeval_cli.vocabulary import TABLE_LABEL

_OUTLOOK = re.compile(r"(展望|明年|来年|下一年度|下一年|下年度)(\d{4})年")
YEAR_MENTION = re.compile(r"(?<!\d)(\d{4})年")
"""A year written in prose: 2024年."""


def _unless_sums_to(path: FieldPath, terms: list[tuple[str, Decimal]], total_name: str,
                    total: Decimal) -> Iterator[Problem]:
    """A warning at ``path`` when the named amounts do not add up to ``total``, with the gap."""
    yield from unless_adds_up(path, terms, total_name, total, difference=True)


def check_part_components(report: Report) -> Iterator[Problem]:
    """Each budget part equals the sum of its items (basic = 人员支出 + 公用支出 …), this year and,
    when every figure of last year is given, last year."""
    for key, name, part in report.budget.parts():
        if not part.items:
            continue
        yield from _unless_sums_to(("budget", key), [(line.name, line.amount) for line in part.items],
                                   name, part.amount)
        last_year = [(f"上年{line.name}", line.previous) for line in part.items if line.previous is not None]
        if part.previous is not None and len(last_year) == len(part.items):
            yield from _unless_sums_to(("budget", key, "previous"), last_year, f"上年{name}", part.previous)


def check_budget_total(report: Report) -> Iterator[Problem]:
    """The total equals basic + project expenditure, this year and (when given) last year."""
    budget = report.budget
    yield from _unless_sums_to(("budget", "amount"), [(name, part.amount) for _, name, part in budget.parts()],
                               "整体支出合计", budget.amount)
    last_year = [(f"上年{name}", part.previous) for _, name, part in budget.parts() if part.previous is not None]
    if budget.previous is not None and len(last_year) == len(budget.parts()):
        yield from _unless_sums_to(("budget", "previous"), last_year, "上年整体支出合计", budget.previous)


def check_staffing(report: Report) -> Iterator[Problem]:
    """在职 should not exceed 编制."""
    staffing = report.department.staffing
    if staffing.actual > staffing.authorized:
        yield Problem.about(("department", "staffing", "actual"), Severity.WARNING,
                            f"实际在职 {staffing.actual} 人超过编制 {staffing.authorized} 人，请核对")


def check_notice_year(report: Report) -> Iterator[Problem]:
    """The notice is this year's: its title names the report year, its number this or next year."""
    notice = report.notice
    if notice is None:
        return
    title_years = {int(y) for y in YEAR_MENTION.findall(notice.title)}
    if title_years and report.year not in title_years:
        shown = "、".join(str(y) for y in sorted(title_years))
        yield Problem.about(("notice", "title"), Severity.WARNING,
                            f"通知标题中的年度（{shown}年）与报告年度 {report.year} 年不符，可能沿用了旧通知")
    number_year = doc_number_year(notice.document_number)
    if number_year is not None and number_year not in (report.year, report.year + 1):
        yield Problem.about(("notice", "document_number"), Severity.WARNING,
                            f"发文字号“{notice.document_number}”的年份 {number_year} 与报告年度 {report.year} 不符")


def check_outlook_years(report: Report) -> Iterator[Problem]:
    """An outlook (展望…年) looks at the year after the report year."""
    expected = report.year + 1
    for path, text in text_fields(report.model_dump(mode="python")):
        for match in _OUTLOOK.finditer(text):
            if int(match[2]) != expected:
                yield Problem.about(path, Severity.WARNING,
                                    f"“{match[0]}”：{report.year}年度报告的展望应指向 {expected} 年，可能沿用了旧报告",
                                    quote=match[0])


def check_future_years(report: Report) -> Iterator[Problem]:
    """No year later than next year appears in the prose (a typo or a stale template)."""
    for path, text in text_fields(report.model_dump(mode="python")):
        outlook_ends = {m.end() for m in _OUTLOOK.finditer(text)}  # already judged by the outlook check
        for match in YEAR_MENTION.finditer(text):
            year = int(match[1])
            if year > report.year + 1 and match.end() not in outlook_ends:
                yield Problem.about(path, Severity.WARNING,
                                    f"“{match[0]}”晚于 {report.year + 1} 年，请核对年份", quote=match[0])


def check_unique_names(report: Report) -> Iterator[Problem]:
    """Sub-units and budget lines are not listed twice."""
    first: dict[str, int] = {}
    units = report.department.units
    for index, unit in enumerate(units):
        if unit.name not in first:
            first[unit.name] = index
            continue
        earlier = units[first[unit.name]]
        path, also = ("department", "units", index, "name"), ("department", "units", first[unit.name], "name")
        if earlier.kind != unit.kind:  # the report would number it twice, under two headings
            yield Problem.about(path, Severity.ERROR, f"{quoted(unit.name)}重复列出，两处的类别不同"
                                                f"（{earlier.kind}、{unit.kind}）：请删除一处", also=also)
        else:
            yield Problem.about(path, Severity.WARNING, f"{quoted(unit.name)}重复列出", also=also)
    for key, _, part in report.budget.parts():
        names: set[str] = set()
        for index, line in enumerate(part.items):
            if line.name in names:
                yield Problem.about(("budget", key, "items", index, "name"), Severity.WARNING,
                                    f"{quoted(line.name)}重复列出")
            names.add(line.name)


_SENTENCE_END = "。；;！!？?，,、"
"""Punctuation a title must not end with: the report puts its own after it ("标题。正文")."""


def _numbered_texts(report: Report) -> Iterator[tuple[FieldPath, str, bool]]:
    """(field, text, is a title run in with its text) of every text the outline numbers itself."""
    for index, duty in enumerate(report.department.duties):
        yield ("department", "duties", index), duty, False
    for index, unit in enumerate(report.department.units):
        yield ("department", "units", index, "name"), unit.name, False
    for index, item in enumerate(report.key_work):
        yield ("key_work", index, "title"), item.title, True
    if report.improvements is not None:
        for index, item in enumerate(report.improvements.measures):
            yield ("improvements", "measures", index, "title"), item.title, True
    for index, section in enumerate(report.more_sections):
        yield ("more_sections", index, "title"), section.title, False


def check_typed_numbers(report: Report) -> Iterator[Problem]:
    """Texts the outline numbers carry no number of their own (the report would print "1.（一）…"), and
    titles run in with their text end without punctuation (it would print "标题。。")."""
    for path, text, run_in in _numbered_texts(report):
        number = typed_number(text)
        if number is not None:
            yield Problem.about(path, Severity.ERROR, f"开头的“{number}”是手写的编号：编号由工具按层级生成，"
                                                      f"报告会印成“1.{number}…”，请删掉", quote=number)
        elif run_in and text[-1] in _SENTENCE_END:
            yield Problem.about(path, Severity.ERROR, f"标题末尾的“{text[-1]}”请删掉：报告在标题后自己加句号，"
                                                      f"否则印成“{text[-6:]}。”", quote=text[-1])


def check_closing_date(report: Report) -> Iterator[Problem]:
    """The report is dated no earlier than the year it reports on."""
    if report.closing is not None and report.closing.date.year < report.year:
        yield Problem.about(("closing", "date"), Severity.WARNING,
                            f"成文日期 {report.closing.date.isoformat()} 早于报告年度 {report.year} 年")


def check_review(data: Any) -> Iterator[Problem]:
    """Each entry of the review list new-year wrote is a warning until it is dealt with.

    An entry quoting text is dealt with once the field no longer contains that text; an entry
    without text (a carried-over item) once the user deletes it. This check reads the raw data,
    so it speaks even while figures are still to be filled in (and the model does not validate).
    """
    entries = data.get("review") if isinstance(data, dict) else None
    for index, raw in enumerate(entries if isinstance(entries, list) else []):
        try:
            entry = ReviewItem.model_validate(raw)
        except ValidationError:
            continue  # the model reports a malformed entry
        path = parse_dotted(entry.path)
        value = value_at(data, path)
        if value is MISSING:
            continue
        if entry.text is None:
            yield Problem.about(path, Severity.WARNING, f"待核对：{entry.reason}（处理后删除 review[{index}]）")
        elif isinstance(value, str) and entry.text in value:
            yield Problem.about(path, Severity.WARNING, f"待核对“{entry.text}”：{entry.reason}", quote=entry.text)


def check_title_years(report: Report) -> Iterator[Problem]:
    """The report's title and scope name no other year than the report year."""
    for path, text in ((("attachment", "title"), report.attachment.title), (("scope",), report.scope)):
        for year in sorted({int(y) for y in YEAR_MENTION.findall(text)} - {report.year}):
            yield Problem.about(path, Severity.WARNING, f"“{year}年”与报告年度 {report.year} 年不符，可能沿用了旧报告",
                                quote=f"{year}年")


def check_attachment_labels(report: Report) -> Iterator[Problem]:
    """With a 自评表 (附件1) the report is another attachment: labelled, and not 附件1 again."""
    if report.assessment is None:
        return
    label = report.attachment.label
    if label is None:
        yield Problem.about(("attachment",), Severity.WARNING,
                            f"有自评表（{TABLE_LABEL}）时，报告本身也是附件，请写 label，如“附件2”")
    elif label.replace(" ", "") == TABLE_LABEL:
        yield Problem.about(("attachment", "label"), Severity.ERROR,
                            f"自评表已是“{TABLE_LABEL}”，报告不能也标为“{label}”，请改为“附件2”")


CHECKS: tuple[Check, ...] = (
    check_part_components,
    check_budget_total,
    check_staffing,
    check_notice_year,
    check_outlook_years,
    check_future_years,
    check_unique_names,
    check_typed_numbers,
    check_closing_date,
    check_title_years,
    check_attachment_labels,
)
