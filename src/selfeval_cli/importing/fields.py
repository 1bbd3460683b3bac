"""From the heading tree of a report to the fields of a data file.

Two things are read, separately. **Text** goes by chapter: each first-level section is recognised
by what its title says, not by its number, in the default (hunan) outline's chapters or the national
outline's (``chapter_fields``); a chapter that is about a text field goes there whole (a combined
chapter, "主要经验及做法、存在的问题及原因分析", is split by its sub-headings), one that fits no field
is kept whole in ``more_sections``. Inside the chapter about the department, its rank and kind, the
counts of its units and their plaques are read by the vocabulary (``phrases``); a line the
outline would not print as it stands is named on the review list. The opening sentence and the
evaluation team are read with patterns made from the macros that print them (``importing.wording``).

**Figures** are read from every paragraph of every chapter, whatever chapter it is in, by the
vocabulary in whatever wording (``importing.prose``): the staffing and assets, the budget with its
全年预算数 and 执行数, the income and the "三公". Whether a paragraph is selfeval's own is asked of the
templates (``importing.figures``): the figures of any other paragraph go on the review list with the
paragraph they came from. A paragraph of the department's or the budget's chapter that the figures
read say whole is left out (the outline prints it again from the data); one that says more is kept
whole in ``sections.unplaced``. The text of every other chapter stays in its field whatever figures
were read from it, and fills only the figures nothing else stated.

Whatever had to be interpreted becomes a review entry; whatever fits no field is kept in a free
section and named in the review list — nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from selfeval_cli import phrases
from selfeval_cli.importing import figures, prose
from selfeval_cli.importing.outline import Node, Reading
from selfeval_cli.importing.text import PAGE_BUTTONS
from selfeval_cli.importing.wording import counts_lead_in, macro_text, opening, team_pattern
from selfeval_cli.model.lazy import resolve
from selfeval_cli.model.report import Report, unit_word_of
from selfeval_cli.model.values import MISSING, parse_dotted, value_at
from selfeval_cli.vocabulary import (
    AFFILIATED_UNITS,
    DEFAULT_OUTLINE,
    INTERNAL_UNIT,
    MONEY_UNIT,
    THREE_PUBLIC_NAMES,
    TO_FILL,
    UNIT_ENDINGS,
    YUAN,
)

NATIONAL = "national"
"""The shipped outline of the national reference chapters."""
_BUDGET_TITLES = ("支出情况", "预算", "支出管理", "支出及使用")
_SECTIONS = (("basic", ("基本情况",)), ("budget", _BUDGET_TITLES), ("evaluation", ("绩效情况",)),
             ("problems", ("问题",)), ("improvements", ("改进", "措施")), ("disclosure", ("公开", "应用")))
_TITLE_WORDS = re.compile(r"^(?P<title>.*(?:长|主任|书记|委员|主席|员|师|组长))(?P<name>[\u4e00-\u9fff·]{2,4})$")
_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
_WORD = re.compile(r"\w")
_UNIT_NAME_LINE = re.compile(rf"[^\W\d_]{{2,24}}(?:{'|'.join(UNIT_ENDINGS)})")
"""A line that is only a unit's name (the first line of a title set on two)."""
_DIGIT = re.compile(r"\d")
_MONEY = re.compile(rf"\d\s*(?:{MONEY_UNIT}|{YUAN})")


@dataclass
class Imported:
    """The data read from a report, the review entries, and the text that fit no field."""

    data: dict[str, Any] = field(default_factory=dict)
    review: list[dict[str, str]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    texts: list[tuple[str, str, list[str]]] = field(default_factory=list)
    """(the heading, the field, the paragraphs) of the text kept in a field: its figures are read after
    the department's and the budget's chapters."""
    flags: set[str] = field(default_factory=set)
    """How the "三公" total was stated: ``total stated`` in other words, ``bare total`` without figures."""
    from_text: set[str] = field(default_factory=set)
    """The paths of the figures read only from text the report keeps as text: text that stays in a text
    field (``texts``), or a paragraph of the department's or the budget's chapter kept whole in
    ``unplaced`` (it says more than its figures): that text states them."""
    from_data: set[str] = field(default_factory=set)
    """The paths of the figures read from a paragraph left out of the text (selfeval's own, or said
    whole by its figures): only the data states them, an outline prints them from it."""

    profile: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    """Lines read for what the department is (line, field, what was read, where in ``unplaced`` to keep
    it if it is not selfeval's own, or None): asked of the templates once the chapter is read."""

    def note(self, path: str, reason: str) -> None:
        """A review entry at ``path``: validate repeats it until the user deletes it."""
        self.review.append({"path": path, "reason": reason})


def read_fields(root: Node, readings: list[Reading]) -> Imported:
    """Map a report's heading tree onto the data file's fields."""
    out = Imported()
    outline, keys = chapter_fields(root.children)
    if outline == NATIONAL:
        out.data["outline"] = NATIONAL
    _front(root.body, out, summary=outline == NATIONAL and "summary" not in keys)
    closing = _closing(root)
    if closing:
        out.data["closing"] = closing
    if outline is None and root.children:
        out.note("more_sections", f"原文的章节不是默认提纲（{DEFAULT_OUTLINE}）的：各章原样保留在 more_sections，"
                                  "请按所用的提纲移到对应字段（selfeval outlines 列出可用的提纲）")
    placed: dict[str, str] = {}  # first-level title → the field it went to
    taken = {key for key in keys if key is not None}
    said: list[str] = []
    for section, key in zip(root.children, keys, strict=True):
        if key is None:
            text = _lines(section.all_text())
            out.data.setdefault("more_sections", []).append({"title": section.title, "text": text})
            out.texts.append((section.title, "more_sections", section.all_text()))
            placed[section.title[:30]] = "more_sections"
            continue
        went = _HANDLERS[key](section, out, key, taken, outline)
        placed[section.title[:30]] = went[0]
        said.append(f"“{section.title}”→ {'、'.join(went)}")
    for title, where, lines in out.texts:
        _read_figures([[_Para(line, where=title) for line in lines if line]], out, kept_in=where)
    _derive(out)
    if outline == NATIONAL:
        out.note("outline", "原文按 national 提纲的章节读入（" + "；".join(said) + "），请核对每一章放的位置")
    _finish(out, readings, placed)
    return out


def _finish(out: Imported, readings: list[Reading], placed: dict[str, str]) -> None:
    """The numbering readings on the review list, and the text that fit no field kept whole."""
    for reading in readings:
        out.note(placed.get(reading.section, "year"), f"{reading.meaning}（原文“{reading.marker}{reading.title}”）")
    if out.unplaced:
        out.data.setdefault("sections", {})["unplaced"] = {"title": "未能归入字段的原文", "text": _lines(out.unplaced)}
        out.note("sections.unplaced", "这些原文没有对应的字段，已原样保留：请移到合适的字段，或确认不需要后删除这一节")


# ── Which chapter is which ────────────────────────────────────────────────────────────────────

KNOWN_OUTLINE_SECTIONS = 4
"""How many of the default outline's six chapters a report must have to be read as that outline."""
KNOWN_NATIONAL_SECTIONS = 3
"""How many of the national outline's own chapters (beyond 基本情况) make a report read as that outline."""
_PROFILE = ("概况",)
"""A heading over the department as a whole (部门概况): its rank, duties, units and figures together."""
_NATIONAL = (("other", ("其他需要说明",)), ("summary", ("摘要",)), ("conclusion", ("评价结论", "综合评价")),
             ("indicator_analysis", ("指标分析", "绩效分析", "指标完成")), ("performance_goals", ("绩效目标",)),
             ("evaluation", ("评价思路", "评价工作", "评价过程", "组织实施", "工作开展")), ("experience", ("经验",)),
             ("problems", ("问题",)), ("suggestions", ("建议", "改进")), ("basic", (*_PROFILE, "基本情况")))
"""The national outline's chapters by what their titles say, in the order a combined title is read
("评价结论和绩效分析" is the conclusion); each field takes one chapter. ``other`` is its chapter of
other matters (``sections.other``). It has no chapter of the budget (its 基本情况 states the figures):
one is kept whole in ``more_sections``, its figures read as any chapter's."""
_NOT_NATIONAL_OWN = (None, "basic")
_CHAPTER_WORDS = dict(_NATIONAL)
"""Chapters that say nothing of the national outline: any report has them."""


def chapter_fields(chapters: list[Node]) -> tuple[str | None, list[str | None]]:
    """The outline a report's first-level ``chapters`` are read in (``DEFAULT_OUTLINE``, ``NATIONAL``,
    or None when they fit neither and are kept whole) and the field each chapter goes to: ``basic``
    (the department), ``budget``, a text field, ``other`` (``sections.other``), or None
    (``more_sections``)."""
    keys = _section_keys(chapters, _SECTIONS)
    if sum(key is not None for key in keys) >= KNOWN_OUTLINE_SECTIONS:
        return DEFAULT_OUTLINE, keys
    national = _section_keys(chapters, _NATIONAL)
    if sum(key not in _NOT_NATIONAL_OWN for key in national) >= KNOWN_NATIONAL_SECTIONS:
        return NATIONAL, national
    return None, [None] * len(chapters)


def _section_keys(sections: list[Node], chapters: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str | None]:
    """The field each first-level section goes to, by what its title says (each field once), in an
    outline's ``chapters`` (field → title words)."""
    seen: set[str] = set()
    keys: list[str | None] = []
    for section in sections:
        title = _label(section)
        key = next((k for k, words in chapters if k not in seen and any(w in title for w in words)), None)
        if key:
            seen.add(key)
        keys.append(key)
    return keys


# ── Text ─────────────────────────────────────────────────────────────────────────────────────

def _lines(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def _run_on(node: Node) -> str:
    """The text a heading runs on into after its title on the same line ("问题：人员不足。" → 人员不足。);
    all of a heading that holds a sentence (a title run together with its text)."""
    label = _label(node)
    if label != node.title:
        return node.title[len(label):].lstrip("：: ")
    return node.title if "。" in node.title else ""


def _label(node: Node) -> str:
    """A heading's title without the text it runs on into after a colon: what the heading is about."""
    for colon in ("：", ":"):
        label, found, rest = node.title.partition(colon)
        if found and label.strip() and rest.strip():
            return label.rstrip()
    return node.title


def _names(node: Node, key: str) -> bool:
    """Whether a heading's title names the national outline's chapter ``key``."""
    return any(word in _label(node) for word in _CHAPTER_WORDS[key])


def _text_of(node: Node) -> list[str]:
    """Every line under a heading, the text its title runs on into first."""
    return [line for line in (_run_on(node), *node.all_text()) if line]


def _text_field(section: Node, out: Imported, key: str, taken: set[str], outline: str | None) -> list[str]:
    """A chapter read into one text field; a national chapter whose title combines another chapter's
    (主要经验及做法、存在的问题及原因分析) gives each sub-heading about that one to its field."""
    also = [k for k, _ in _NATIONAL if outline == NATIONAL and k not in (key, "other", *_NOT_NATIONAL_OWN)
            and k not in taken and _names(section, k)]
    parts: dict[str, list[str]] = {key: [line for line in (_run_on(section), *section.body) if line]}
    for child in section.children:
        own = [line for line in (_run_on(child), *child.all_text()) if line]
        to = next((k for k in (key, *also) if _names(child, k)), None) if also else None
        if to is None:
            parts[key] += [child.title, *child.all_text()]
        else:
            parts.setdefault(to, []).extend(own)
    for name, lines in parts.items():
        if name == "other":  # an empty one the outline prints as 无
            if lines:
                out.data.setdefault("sections", {})["other"] = {"title": section.title, "text": _lines(lines)}
        else:
            out.data[name] = _lines(lines) or TO_FILL
        out.texts.append((section.title, name, lines))
    if len(parts) > 1:
        taken.update(parts)
    return ["sections.other" if name == "other" else name for name in parts]


def _front(lines: list[str], out: Imported, *, summary: bool = False) -> None:
    """The label, the title and the opening; in the national outline, what follows the opening is its 摘要."""
    attachment: dict[str, str] = {}
    after: list[str] = []
    for line in lines:
        intro = opening(line)
        if re.fullmatch(r"附件\s*\d+", line):
            attachment["label"] = line.replace(" ", "")
        elif intro:
            out.data["scope"], out.data["verdict"] = intro["scope"], intro["verdict"]
            if intro["issuer"] is not None:
                out.data["notice"] = {"issuer": intro["issuer"], "title": intro["title"],
                                      "document_number": intro["number"].replace(" ", "")}
                year = re.search(r"(\d{4})年", intro["title"])
                if year:
                    out.data["year"] = int(year[1])  # the notice's year wins over the title's
        elif "title" not in attachment and len(line) <= 40 and "报告" in line:
            before = out.unplaced[-1] if out.unplaced and lines.index(line) > 0 else ""
            if before and before == lines[lines.index(line) - 1] and _UNIT_NAME_LINE.fullmatch(before):
                out.unplaced.pop()  # a title set on two lines: the department's name, then the rest
                line = before + line
            attachment["title"] = line
            year = re.search(r"(\d{4})年度", line)
            if year and "year" not in out.data:
                out.data["year"] = int(year[1])
        elif summary and "scope" in out.data:  # after the opening
            after.append(line)
        else:
            out.unplaced.append(line)
    if after:
        out.data["summary"] = _lines(after)
        out.texts.append((_CHAPTER_WORDS["summary"][0], "summary", after))
    out.data["attachment"] = attachment


def _closing(root: Node) -> dict[str, Any] | None:
    """The 署名 and 成文日期 at the very end, taken out of the last section's text."""
    last = root
    while last.children:
        last = last.children[-1]
    body = last.body
    buttons: list[str] = []  # a web page's 【打印本页】 after the 落款: kept, where it stood
    while body and PAGE_BUTTONS.fullmatch(body[-1]):
        buttons.insert(0, body.pop())
    found = None
    if len(body) >= 2 and _DATE.match(body[-1]) and len(body[-2]) <= 30 and not body[-2].endswith("。"):
        date = _DATE.match(body.pop())
        assert date is not None
        signature = body.pop()
        found = {"signature": signature, "date": dt.date(int(date["y"]), int(date["m"]), int(date["d"]))}
    body += buttons
    return found


# ── The department ───────────────────────────────────────────────────────────────────────────

def basic_part(title: str) -> str | None:
    """Which part of the department a sub-heading of its chapter is read into: ``duties``, ``units``,
    ``staffing`` (its figures, with the assets) or ``key_work``; None for any other (its paragraphs are
    read for figures like the chapter's own, what they say beyond them kept)."""
    if "职责" in title:
        return "duties"
    if "机构" in title and "人员" not in title:
        return "units"
    if "人员" in title:
        return "staffing"
    if "重点工作" in title:
        return "key_work"
    return None


def rank_tail(line: str) -> str | None:
    """What a sentence stating the department's rank and kind ("某局为正科级行政单位") says after them
    ("，主要职责是：", or ""); None for any other sentence."""
    said = phrases.standing(line)
    return None if said is None or not said.whole else said.tail


def listed_units(line: str) -> str | None:
    """What a sentence naming the units in a bracket after their counts ("本局设3个内设机构（办公室、…）")
    says before what ``unit_counts`` prints ("本局"); None for any other sentence."""
    listed = phrases.counts(line)
    lead_in = counts_lead_in()
    if listed is None or not listed.names or not listed.whole or not listed.lead.endswith(lead_in):
        return None
    return listed.lead.removesuffix(lead_in).strip()


def _basic(section: Node, out: Imported, key: str, taken: set[str], outline: str | None) -> list[str]:
    """The department: rank and kind, duties, units and their counts, key work; the figures of every
    other paragraph of the chapter (staffing, assets, and where the outline has it here, the budget)."""
    department: dict[str, Any] = out.data.setdefault("department", {})
    blocks: list[list[_Para]] = []
    _profile(section, section.body, [], department, blocks, out)
    for child in section.children:
        part = basic_part(child.title)
        if part == "duties":
            items = [_item_text(item) for item in child.children]
            lead = [line for line in (_run_on(child), *child.body) if line]
            department["duties"] = department.get("duties", []) + (items or lead)
            if items:
                out.unplaced += lead  # a paragraph before the numbered duties
            out.texts.append((child.title, "department.duties", _text_of(child)))
        elif part == "units":
            department["units"] = department.get("units", []) + _units(child, out)
        elif part == "staffing":
            blocks.append(_heading_para(child) + [_Para(line, where=child.title) for line in child.all_text()])
        elif part == "key_work":
            lead = [line for line in (_run_on(child), *child.body) if line]
            out.unplaced += lead
            out.data["key_work"] = out.data.get("key_work", []) + [_work_item(item) for item in child.children]
            out.texts.append((child.title, "key_work", [line for line in child.all_text() if line not in lead]))
        elif outline == NATIONAL and _names(child, "performance_goals") and "performance_goals" not in taken:
            out.data["performance_goals"] = _lines(_text_of(child)) or TO_FILL
            out.texts.append((child.title, "performance_goals", _text_of(child)))
            taken.add("performance_goals")
        elif any(word in child.title for word in _PROFILE):
            _profile(child, child.body, child.children, department, blocks, out)
        else:  # its title's words kept; what it runs on into after a colon is read as its first paragraph
            out.unplaced.append(_label(child))
            _profile(child, child.all_text(), [], department, blocks, out)
    _read_figures(blocks, out)
    out.data["department"] = department
    _check_profile(out)
    return ["department"]


def _check_profile(out: Imported) -> None:
    """A review entry for each line read for what the department is that the outline would not print
    as it stands: other wording, read by the vocabulary."""
    if not out.profile:
        return
    shown = _own_printed(out)
    other = [(line, path, what, keep_at) for line, path, what, keep_at in out.profile
             if figures.squash(line) not in shown]
    said = _said_instead(out.data.get("department", {}), shown)
    for line, path, what, _ in other:
        instead = said.get("rank" if path == "department.rank" else "units")
        tail = f"，报告中写作“{instead}”" if instead else ""
        out.note(path, f"按原文“{line}”读出{what}（原文不是 selfeval 的写法{tail}），请核对")
    for line, _, _, keep_at in reversed(other):
        if keep_at is not None:  # it may say more than the counts: the text stays where it stood
            out.unplaced.insert(keep_at, line)
    out.profile.clear()


def _said_instead(department: dict[str, Any], shown: frozenset[str]) -> dict[str, str]:
    """The lines the outline prints for the department's rank and kind and for the counts of its units
    (what a line read in other words becomes in the report), as printed: by part."""
    values = figures.department_values(department)
    said = {"rank": macro_text("rank_kind", values["department"]),
            "units": macro_text("unit_counts", values["internal_units"], values["affiliated_units"],
                                values["affiliated_rank"], values["affiliated_kind"])}
    return {part: line for part, text in said.items()
            if (line := next((p for p in sorted(shown) if figures.squash(text) in p), ""))}


def _heading_para(node: Node) -> list[_Para]:
    """The text a heading runs on into, as a paragraph to read figures from (never selfeval's own: it
    prints no figures in a heading)."""
    run_on = _run_on(node)
    return [_Para(run_on, heading=True, where=node.title)] if run_on else []


def _profile(node: Node, lines: list[str], items: list[Node], department: dict[str, Any],
             blocks: list[list[_Para]], out: Imported) -> None:
    """A run of paragraphs about the department as a whole (部门概况) under ``node``: its rank and kind
    (with its duties listed after "主要职责是："), its units named in a bracket after their counts, and
    paragraphs of figures; numbered ``items`` are the duties, and the paragraphs under the last one
    run on."""
    title = node.title
    block = _heading_para(node)
    duties_follow = False
    # "3.人员编制。局机关行政编制18名……", "4.部门预算收支情况。……": numbered, but parts of the profile, not duties
    parts = [item for item in items if _names_a_part(item.title)]
    items = [item for item in items if item not in parts]
    lines = [*lines, *(line for item in parts for line in (_run_in(item.title)[1] or "", *item.all_text()) if line)]
    for line in (*lines, *(line for item in items for line in item.body)):
        if not line:
            continue
        said = phrases.standing(line)
        listed = phrases.counts(line)
        if said and "name" not in department:
            department.update(name=said.name, rank=said.rank, kind=said.kind)
            duties_follow = said.duties_follow
            if not said.whole:  # the line says more: it stays, and its figures are read
                block.append(_Para(line, where=title))
            out.profile.append((line, "department.rank", f"单位名称、级别和性质：{said.name}，{said.rank}，{said.kind}",
                                None))
        elif listed and listed.names and listed.whole and "units" not in department:
            department["units"] = _listed_units(listed, out)
            out.profile.append((line, "department.units", f"{len(listed.names)} 个机构的名称", None))
        else:
            block.append(_Para(line, where=title))
    if items and (duties_follow or "duties" not in department):
        department["duties"] = [item.title for item in items]
        out.texts.append((title, "department.duties", department["duties"]))
    elif items:
        out.unplaced += [item.title for item in items]
    if block:
        blocks.append(block)


def _names_a_part(title: str) -> bool:
    """Whether a numbered item's run-in title ("人员编制。", "部门预算收支情况：") names a part of the
    department's profile other than its duties: its units, staffing, budget or "三公"."""
    lead, rest = _run_in(title)
    if len(lead) > _RUN_IN_TITLE or rest is None:
        return False
    return basic_part(lead) in ("units", "staffing") or prose.has_any(lead, (*_BUDGET_TITLES, *THREE_PUBLIC_NAMES))


def _run_in(title: str) -> tuple[str, str | None]:
    """A numbered item's run-in title (structure, as a heading is) and the text after it (None when
    nothing ends a title in it)."""
    lead, *rest = _RUN_IN_END.split(title, maxsplit=1)
    return lead, rest[0].strip() if rest else None


_RUN_IN_END = re.compile(r"[。：:]")
_RUN_IN_TITLE = 12
"""The longest run-in title of a numbered item (人员编制。…): a longer first sentence is its text."""


def _item_text(item: Node) -> str:
    return _lines([item.title, *item.all_text()])


def _kind(counts: phrases.Counts | None, out: Imported) -> str:
    kind = counts.kind if counts and counts.kind else AFFILIATED_UNITS[0]
    if kind not in AFFILIATED_UNITS:
        out.note("department.units", f"原文的事业单位类别“{kind}”不在可选的类别中，已按“{AFFILIATED_UNITS[0]}”读取")
        kind = AFFILIATED_UNITS[0]
    return kind


def _stated_count(counts: phrases.Counts | None, listed: int, out: Imported) -> None:
    if counts is not None and listed and counts.stated != listed:  # no units listed: nothing to compare
        out.note("department.units",
                 f"原文说设 {counts.stated} 个机构，列出的有 {listed} 个；报告中的个数按列表统计，请核对")


def _units(node: Node, out: Imported) -> list[dict[str, Any]]:
    """The units under a heading about them: their counts in its text, one unit a sub-heading."""
    lines = [line for line in (_run_on(node), *node.body) if line]
    stated = [(line, counts) for line in lines if (counts := phrases.counts(line)) is not None]
    counts = stated[0][1] if stated else None
    for line in lines:
        if stated and line == stated[0][0]:  # kept where it stood when it says more than its counts
            keep_at = None if stated[0][1].whole else len(out.unplaced)
            out.profile.append((line, "department.units", "机构个数", keep_at))
        else:
            out.unplaced.append(line)
    internal = counts.internal if counts else None
    if counts is not None and internal is None and counts.affiliated is not None:  # the last so many are under it
        internal = max(0, len(node.children) - counts.affiliated)
    kind = _kind(counts, out)
    units = []
    for index, child in enumerate(node.children):
        name, plaques = phrases.plaques(child.title)
        unit: dict[str, Any] = {"kind": INTERNAL_UNIT if internal is None or index < internal else kind, "name": name}
        if unit["kind"] != INTERNAL_UNIT and counts and counts.rank:
            unit["rank"] = counts.rank
        if plaques:
            unit["plaques"] = plaques
            out.profile.append((child.title, "department.units", f"“{name}”加挂的牌子", None))
        unit["duties"] = _lines(child.all_text()) or TO_FILL
        units.append(unit)
        out.texts.append((child.title, "department.units", child.all_text()))
    _stated_count(counts, len(units), out)
    return units


def _listed_units(listed: phrases.Counts, out: Imported) -> list[dict[str, Any]]:
    """The units a sentence names in a bracket after their counts (as the national outline writes them);
    their duties are not said there."""
    internal = listed.internal or 0
    kind = _kind(listed, out)
    units = []
    for index, name in enumerate(listed.names):
        unit: dict[str, Any] = {"kind": INTERNAL_UNIT if index < internal else kind, "name": name}
        if unit["kind"] != INTERNAL_UNIT and listed.rank:
            unit["rank"] = listed.rank
        # The national outline names them only: their duties are asked for by an outline that prints them.
        units.append(unit if out.data.get("outline") == NATIONAL else {**unit, "duties": TO_FILL})
    _stated_count(listed, len(units), out)
    return units


def _work_item(node: Node) -> dict[str, str]:
    """A numbered item whose title runs into its text: the title ends at the first 。 (an item that is
    one sentence is its title alone)."""
    title, _, first = node.title.partition("。")
    text = _lines([first.strip(), *node.all_text()])
    return {"title": title.strip(), **({"text": text} if text else {})}


# ── The budget chapter ───────────────────────────────────────────────────────────────────────

def _budget(section: Node, out: Imported, key: str, taken: set[str], outline: str | None) -> list[str]:
    """The budget chapter's figures, read paragraph by paragraph (a sub-heading that names a part —
    基本支出情况 — is the subject of the paragraphs under it that name none)."""
    heading = _run_on(section)
    block = [_Para(heading, heading=True, where=section.title)] if heading else []
    block += [_Para(line, where=section.title) for line in section.body]
    for child in section.children:
        subject = prose.subject_of(child.title)
        block += [_Para(child.title, subject, heading=True, where=child.title)]
        block += [_Para(line, subject, where=child.title) for line in child.all_text()]
    _read_figures([block], out)
    return ["budget"]


# ── Figures, from any paragraph ──────────────────────────────────────────────────────────────

@dataclass
class _Para:
    """A paragraph to read figures from: its text, the budget part its heading names, whether it is a
    heading's line, and the heading it stands under (for the review entry)."""

    text: str
    subject: str | None = None
    heading: bool = False
    where: str = ""


@dataclass
class _Said:
    """What the readers made of one paragraph."""

    figures: dict[str, Any] = field(default_factory=dict)
    """Path → the value read (``department.staffing`` → the whole staffing read)."""
    whole: list[str] = field(default_factory=list)
    """The clauses read with nothing left over."""
    extra: list[str] = field(default_factory=list)
    """The clauses read that say more than their figures, or state a figure not read: kept as text."""
    people: list[str] = field(default_factory=list)
    """The clauses the staffing and assets readers read (not the budget reader's to read again)."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    last: str = "budget"
    """Where the figures of the last sentence read went (what a sentence of changes alone is about)."""
    """Review entries to make when the paragraph is not selfeval's own."""
    always: list[tuple[str, str]] = field(default_factory=list)
    """Review entries to make in any case (a figure not read, a figure that disagrees)."""


def _read_figures(blocks: list[list[_Para]], out: Imported, *, kept_in: str | None = None) -> None:
    """The figures of the paragraphs of ``blocks`` (the staffing reader reads a block's paragraphs
    together), read into the data.

    ``kept_in`` None: paragraphs of the department's or the budget's chapter. One that is selfeval's
    own, or that the figures read say whole, is left out (the outline prints it from the data); any
    other is kept whole in ``sections.unplaced``. Every figure read from a paragraph not our own, and
    every figure stated and not read, is on the review list with the paragraph's words. Which of the
    two a figure was read from is noted (``from_data``, ``from_text``): an outline written after the
    source's chapters prints from the data only the first.

    ``kept_in`` a field: paragraphs whose text stays in that field. Their figures fill only what
    nothing read before states, each on the review list with its paragraph; what they state otherwise
    stays in the text."""
    keep = kept_in is not None
    # Paragraphs kept as text whatever they say: those without a figure give nothing to read.
    blocks = [[para for para in block if para.text and (not keep or _DIGIT.search(para.text))] for block in blocks]
    paras = [para for block in blocks for para in block]
    said = {id(para): _Said() for para in paras}
    name = str(out.data.get("department", {}).get("name", ""))
    for block in blocks:
        _read_people(block, said, out, name, keep)
    passages = {id(para): _passages(para.text, name, para.subject) if not keep or _MONEY.search(para.text) else []
                for para in paras}
    for para in paras:
        _read_money(passages[id(para)], said[id(para)], out, keep)
    shown = frozenset() if keep else _own_printed(out)
    three = out.data.get("three_public")
    if not keep and isinstance(three, dict) and three.get("total") == {} and "bare total" not in out.flags:
        # "“三公”经费。其中：…" is what the outline prints of a total stated without figures: kept if it prints back
        out.flags.add("bare total")
        shown_with = _own_printed(out)
        if any(figures.squash(para.text) in shown_with - shown for para in paras):
            shown = shown_with
        else:
            out.flags.discard("bare total")
    for para in paras:
        found = said[id(para)]
        stated = figures.states_figures(found.figures)
        own = not keep and figures.squash(para.text) in shown and not (para.heading and stated)
        if not own and any(path.startswith("three_public.total.") for path in found.figures):
            out.flags.add("total stated")  # in other words: the data keeps it, even where it is the items' sum
        for path, reason in found.always:
            out.note(_existing(out.data, path), reason)
        for path, reason in [] if own else found.notes:
            if keep:  # the text stays where it is: the report would say the figure twice
                reason = f"{reason.removesuffix('，请核对')}（原文在“{para.where}”一章，仍保留在 {kept_in} 中），请核对"
            out.note(_existing(out.data, path), reason)
        paths = {path for path, value in found.figures.items()
                 if not isinstance(value, dict) or path.startswith("department.")}  # {}: an item named
        if keep:
            out.from_text.update(paths - out.from_data)
            continue
        landed = all(value_at(out.data, parse_dotted(path)) == found.figures[path] for path in paths)
        rest = figures.squash(para.text)
        for clause in found.whole:
            rest = rest.replace(figures.squash(clause), "", 1)
        if not own and (found.extra or not landed or _WORD.search(rest)):
            out.unplaced.append(para.text)
            out.from_text.update(paths - out.from_data)  # the text kept states them
        else:  # left out: only the data says them (a paragraph left out wins over one kept, either order)
            out.from_data.update(paths)
            out.from_text.difference_update(paths)


def _read_people(block: list[_Para], said: dict[int, _Said], out: Imported, name: str, keep: bool) -> None:
    """The staffing and the assets a block of paragraphs states (each once: a second statement is
    compared with the first)."""
    if not block:
        return
    text = "\n".join(para.text for para in block)
    where = block[0].where
    department = out.data.setdefault("department", {})
    read = None if keep and "staffing" in department else prose.staffing(text, name)
    if read is not None:
        for sentence, why in read.ambiguous:
            found = _said_of(sentence, block, said)
            found.always.append(("department.staffing", f"原文“{sentence}”中{why}，未读入：请核对"))
            found.extra.append(sentence)
            found.people.append(sentence)
        if "authorized" in read.figures and "actual" in read.figures:
            for sentence, count in read.unread:
                found = _said_of(sentence, block, said)
                found.always.append(("department.staffing",
                                     f"原文“{sentence}”中的“{count}”没有对应的字段，未读入：请核对"))
                found.extra.append(sentence)
            staffing = read.figures
            first = _said_of(read.sources[0], block, said)
            first.figures["department.staffing"] = staffing
            for source in read.sources:
                _said_of(source, block, said).people.append(source)
                (_said_of(source, block, said).extra if source in read.extra else
                 _said_of(source, block, said).whole).append(source)
            sources = "".join(read.sources)
            if "staffing" not in department:
                department["staffing"] = staffing
                if read.self_word and read.self_word != unit_word_of(name):
                    department["unit_word"] = read.self_word
                first.notes.append(("department.staffing", f"按原文“{where}”一节的“{sources}”读出："
                                                           f"{_listed(staffing, 'department.staffing')}，请核对"))
            elif department["staffing"] != staffing:
                first.always.append(("department.staffing", f"原文“{sources}”又写了人员情况"
                                                            f"（{_listed(staffing, 'department.staffing')}），"
                                                            "与前文不同，已按前文读取：请核对"))
    owned = None if "assets" in department else prose.assets(text)
    if owned is not None:
        assets = owned.figures
        first = _said_of(owned.sources[0], block, said)
        first.notes.append(("department.assets",
                            f"按原文“{''.join(owned.sources)}”读出：{_listed(assets, 'department.assets')}，请核对"))
        if "vehicles" in assets and "authorized" not in assets["vehicles"]:
            assets["vehicles"] = {"authorized": TO_FILL, **assets["vehicles"]}
            first.always.append(("department.assets.vehicles", "原文没有写公务用车编制数，请补写"))
        department["assets"] = assets
        first.figures["department.assets"] = assets
        for source in owned.sources:
            found = _said_of(source, block, said)
            found.people.append(source)
            (found.extra if source in owned.extra else found.whole).append(source)


def _said_of(sentence: str, block: list[_Para], said: dict[int, _Said]) -> _Said:
    """What was made of the paragraph of ``block`` that ``sentence`` (or its start) stands in."""
    squashed = figures.squash(sentence)
    for probe in (squashed, squashed[:8]):
        for para in block:
            if probe in figures.squash(para.text):
                return said[id(para)]
    return said[id(block[0])]


def _passages(line: str, name: str, subject: str | None) -> list[prose.Passage]:
    """A paragraph read for the budget: its "三公" sentences (from the first that names them) by the
    "三公" reader, the sentences before them by the budget reader."""
    sentences = prose.full_sentences(line)
    at = next((index for index, sentence in enumerate(sentences) if prose.three_public(sentence) is not None),
              len(sentences))
    before, after = "".join(sentences[:at]), "".join(sentences[at:])
    found = [prose.budget(before, name, subject)] if before.strip() else []
    three = prose.three_public(after, name) if after.strip() else None
    return found + ([three] if three is not None else [])


def _read_money(passages: list[prose.Passage], found: _Said, out: Imported, keep: bool) -> None:
    """The budget, income and "三公" figures of a paragraph, placed in the data (a sentence the staffing
    or assets reader read is theirs)."""
    for passage in passages:
        for stated in passage.statements:
            sentence = stated.sentence.strip()
            rest = figures.squash(sentence)
            for clause in found.people:
                rest = rest.replace(figures.squash(clause), "", 1)
            if found.people and not _WORD.search(rest):
                continue
            taken: dict[str, Any] = {}
            for path, value in stated.figures.items():
                if not _is_field(path):
                    if not keep:
                        found.always.append((_existing(out.data, path.rpartition(".")[0]),
                                             f"原文“{sentence}”中的{_said(path, value)}没有对应的字段，未读入：请核对"))
                        found.extra.append(sentence)
                    continue
                if keep and value_at(out.data, parse_dotted(path)) is not MISSING and not isinstance(value, dict):
                    continue  # stated before: this text keeps what it says of it
                kept = figures.place(out.data, path, value)
                found.figures[path] = value
                taken[path] = value
                if kept != value and not isinstance(value, dict):
                    found.always.append((path, f"原文“{sentence}”又写了{_said(path, value)}，"
                                               f"与前文的 {_said('', kept)}不同，已按前文读取：请核对"))
            if figures.states_figures(taken):
                found.notes.append((_common(taken), f"按原文“{sentence}”读出：{_listed(taken)}，请核对"))
                found.last = _common(taken)
            if keep:
                if taken:
                    found.always += stated.notes
                if prose.about_the_budget(sentence):  # kept as text, yet a figure of the budget it states is not read
                    where = _common(stated.figures) if stated.figures else "budget"
                    found.always += [(where, f"原文“{sentence}”中{why}，未读入：请核对") for why in stated.unread]
                continue
            found.always += stated.notes
            where = _common(stated.figures) if stated.figures else "budget"
            found.always += [(where, f"原文“{sentence}”中{why}，未读入：请核对") for why in stated.unread]
            if stated.unread or (stated.words and stated.figures):
                found.extra.append(sentence)
            elif not stated.words:
                found.whole.append(sentence)
                if not figures.states_figures(stated.figures):  # "较上年减少0.54万元。": of a figure before it
                    found.notes.append((found.last, f"按原文“{sentence}”读出前文数字的上年数，请核对"))
        if passage.reason is not None and not keep:
            path, reason = passage.reason
            figures.place(out.data, f"{path}.reason", reason)
            found.figures[f"{path}.reason"] = reason
            found.whole.append(reason)
            found.notes.append((f"{path}.reason", f"原文“{reason}”紧接在{path}的执行数之后，已读作 {path}.reason"
                                                  "（执行偏差原因），请核对"))


def _three_public(out: Imported) -> dict[str, Any] | None:
    """The "三公" figures read, as the data keeps them: a total that is only the items' sum left out
    unless a paragraph not our own states it, one stated without figures only where the outline prints
    it so ("“三公”经费。其中：…")."""
    three = out.data.get("three_public")
    if not isinstance(three, dict):
        return None
    if "total stated" not in out.flags:
        bare = three.get("total") == {} and "bare total" in out.flags
        three = figures.without_derived_total(three)
        if bare:
            three = {"total": {}, **three}
    if not figures.states_figures(three) and "total" not in three:
        return None  # named, with no figure read
    return three


def _own_printed(out: Imported) -> frozenset[str]:
    """What the outline prints of every figure read so far: the paragraphs that are selfeval's own."""
    data = out.data
    shown: dict[str, Any] = {key: data[key] for key in ("budget", "income", "year") if key in data}
    three = _three_public(out)
    if three is not None:
        shown["three_public"] = three
    values = {**figures.budget_values(shown), **figures.department_values(data.get("department", {}),
                                                                          data.get("year"))}
    return figures.printed(values, str(data.get("outline", DEFAULT_OUTLINE)))


_BUDGET_ORDER = ("amount", "previous", "adjusted", "executed", "reason", "basic", "project")
_DEPARTMENT_ORDER = ("name", "unit_word", "rank", "kind", "duties", "units", "staffing", "assets")


def _derive(out: Imported) -> None:
    """What the figures read give beyond themselves (a total from its two parts), in the data's shape."""
    budget = out.data.get("budget")
    if isinstance(budget, dict):
        for key in ("basic", "project"):
            budget.setdefault(key, {})
        parts = [budget[key].get("amount") for key in ("basic", "project")]
        if "amount" not in budget and all(isinstance(amount, Decimal) for amount in parts):
            budget["amount"] = sum((amount for amount in parts if amount is not None), Decimal("0.00"))
            out.note("budget.amount", "原文没有写整体支出合计，已按基本支出与项目支出之和 "
                                      f"{budget['amount']} 万元填写，请核对")
        out.data["budget"] = _in_order(budget, _BUDGET_ORDER)
    if "three_public" in out.data:
        three = _three_public(out)
        if three is None:
            del out.data["three_public"]
        else:
            out.data["three_public"] = three
    department = out.data.get("department")
    if department == {}:
        del out.data["department"]
    elif isinstance(department, dict):
        out.data["department"] = _in_order(department, _DEPARTMENT_ORDER)


def _in_order(data: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    return {key: data[key] for key in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}


def _is_field(path: str) -> bool:
    """Whether the dotted ``path`` is a field of the data file (``income.executed`` is not)."""
    model: Any = Report
    for part in path.split("."):
        fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
        if part not in fields:
            return False
        model = _inner(fields[part].annotation)
    return True


def _inner(annotation: Any) -> Any:
    """The model inside an annotation (``X | None``, ``list[X]``, a lazily defined part), or the annotation."""
    while True:
        annotation = resolve(annotation)
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if origin in (typing.Union, types.UnionType, list) and args:
            annotation = args[0]
        else:
            return annotation


def _said(path: str, value: Any) -> str:
    """A figure read, as a review entry names it: its field and its value (with its unit)."""
    field_name = f"{path} " if path else ""
    if isinstance(value, Decimal):
        return f"{field_name}{value} 万元"
    if isinstance(value, list):
        listed = "、".join(f"{item.get('name')} " + "，".join(_said(key, inner) for key, inner in item.items()
                                                            if key != "name")
                          for item in value if isinstance(item, dict))
        return f"{field_name}{len(value)} 项（{listed}）"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{field_name}{value} {'辆' if 'vehicles' in path else '人'}"
    return f"{field_name}“{value}”"


def _listed(found: dict[str, Any], prefix: str = "") -> str:
    """Each figure of ``found`` (nested or by path) with its field: what a review entry says was read."""
    flat: dict[str, Any] = {}

    def walk(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{path}.{key}" if path else key, inner)
        elif value != TO_FILL:
            flat[path] = value

    walk(prefix, found)
    return "，".join(_said(path, value) for path, value in flat.items())


def _common(found: dict[str, Any]) -> str:
    """The field all of ``found``'s paths are under (the sentence's subject, or its one field)."""
    paths = [path.split(".") for path, value in found.items() if not isinstance(value, dict)] or [
        path.split(".") for path in found]
    common: list[str] = []
    for parts in zip(*paths, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return ".".join(common) or "budget"


_REQUIRED = ("department.staffing",)
"""Parts of the data that every imported file has (``待填`` where the report did not say them)."""


def _existing(data: dict[str, Any], path: str) -> str:
    """``path``, or the nearest field above it that the data has (a review entry on a field the data
    lacks is never shown)."""
    if path.startswith(_REQUIRED):
        return path
    parts = path.split(".")
    while parts:
        value: Any = data
        for part in parts:
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            return ".".join(parts)
        parts.pop()
    return "budget"


# ── The evaluation, the measures ─────────────────────────────────────────────────────────────

def _evaluation(section: Node, out: Imported, key: str, taken: set[str], outline: str | None) -> list[str]:
    """The team (组长, 副组长 and 成员, each with a title where one is written), how the evaluation went,
    and what the money was used for."""
    lines = _text_of(section)
    text = "\n".join(lines)
    team = team_pattern().match(text)
    out.texts.append((section.title, "evaluation" if team or outline == NATIONAL else "sections.unplaced", lines))
    if not team:
        if outline == NATIONAL:
            out.data["evaluation"] = {"team": {"leader": {"name": TO_FILL}, "members": [{"name": TO_FILL}]},
                                      "process": text or TO_FILL, "use_of_funds": TO_FILL}
            out.note("evaluation.team", "原文这一章没有按“组长、副组长、成员”写出评价小组，请补写")
        else:
            out.unplaced += lines
        return ["evaluation"]
    rest = text[team.end():]
    # The outline prints the process and then the use of funds (on the same line, or the next).
    split = re.search(r"[^。\n]*主要用于", rest)
    process, use = (rest[:split.start()], rest[split.start():]) if split else (rest, "")
    out.data["evaluation"] = {
        "team": {"leader": _person(team["leader"]),
                 **({"deputies": [_person(p) for p in team["deputies"].split("、")]} if team["deputies"] else {}),
                 "members": [_person(name) for name in team["members"].split("、")]},
        "process": process.strip("\n") or TO_FILL, "use_of_funds": use.strip("\n") or TO_FILL}
    if not split:
        out.note("evaluation.use_of_funds", "原文没有找到“资金主要用于…”的一句，请补写资金用途")
    return ["evaluation"]


def _person(text: str) -> dict[str, str]:
    match = _TITLE_WORDS.match(text.strip())
    return {"name": match["name"], "title": match["title"]} if match else {"name": text.strip()}


def _improvements(section: Node, out: Imported, key: str, taken: set[str], outline: str | None) -> list[str]:
    measures = [_work_item(child) for child in section.children]
    improvements: dict[str, Any] = {}
    opening = [line for line in (_run_on(section), *section.body) if line]
    if opening:
        improvements["opening"] = _lines(opening)
    improvements["measures"] = measures or [{"title": TO_FILL, "text": TO_FILL}]
    if not measures:
        out.note("improvements.measures", "原文没有编号的改进措施，请从开头一段中分出各项措施")
    out.data["improvements"] = improvements
    out.texts.append((section.title, "improvements", _text_of(section)))
    return ["improvements"]


_Handler = Callable[[Node, Imported, str, set[str], str | None], list[str]]
_HANDLERS: dict[str, _Handler] = {
    "basic": _basic, "budget": _budget, "evaluation": _evaluation, "improvements": _improvements,
    **{key: _text_field for key in ("problems", "disclosure", "summary", "conclusion", "indicator_analysis",
                                    "performance_goals", "experience", "suggestions", "other")},
}
"""Each field's reader of its chapter: (section, out, its field, the fields taken by chapters, the
outline) → the fields it read the chapter into."""

