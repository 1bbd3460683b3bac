"""From the heading tree of a report in the default (hunan) outline to the fields of a data file.

Each first-level section is recognised by what its title says, not by its number; inside, the
notice, the counts of units and the evaluation team are read with patterns of the outline's
sentences. Figures — the staffing and assets, the budget, the income, execution and "三公" — are read
by the vocabulary in whatever wording (``importing.prose``), and whether a paragraph is selfeval's
own is asked of the templates (``importing.figures``): figures from any other paragraph go on the
review list. Whatever had to be interpreted becomes a review entry; whatever fits no field is kept in
a free section and named in the review list — nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from selfeval_cli.importing import figures, prose
from selfeval_cli.importing.outline import Node, Reading, chinese_number
from selfeval_cli.model.report import unit_word_of
from selfeval_cli.vocabulary import AFFILIATED_UNITS, DEFAULT_OUTLINE, INTERNAL_UNIT, TO_FILL

_SECTIONS = (("basic", ("基本情况",)), ("budget", ("支出情况", "预算")), ("evaluation", ("绩效情况",)),
             ("problems", ("问题",)), ("improvements", ("改进", "措施")), ("disclosure", ("公开", "应用")))
_INTRO = re.compile(r"^根据(?P<issuer>.+?)《(?P<title>.+?)》[（(](?P<number>[^）)]+)[）)](?:精神|要求)，"
                    r"我们对(?P<scope>.+?)(?:进行了认真自评|开展了绩效评价)，总体(?:自我)?评价是：(?P<verdict>.+?)"
                    r"(?:具体自评情况如下|现将有关情况报告如下)：$")
_RANK_KIND = re.compile(r"^(?P<name>.+?)为的?(?P<rank>[^，。]*?级)(?P<kind>[^，。]+?)。?$")
_NUMBER = r"[\d一二三四五六七八九十两]+"
_COUNTS = re.compile(rf"设\s*(?P<n1>{_NUMBER})\s*个{INTERNAL_UNIT}(?:和\s*(?P<n2>{_NUMBER})\s*个"
                     r"(?P<rank>[正副]\S*?级)?(?P<kind>[^：:，。]+?事业单位))?")
_PLAQUES = re.compile(r"（加挂(.+?)牌子）")
_TEAM = re.compile(r"^绩效评价工作由(?P<leader>.+?)同志任组长，(?:(?P<deputies>.+?)为副组长，)?"
                   r"(?P<members>.+?)为成员。")
_TITLE_WORDS = re.compile(r"^(?P<title>.*(?:长|主任|书记|委员|主席|员|师|组长))(?P<name>[\u4e00-\u9fff·]{2,4})$")
_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")


@dataclass
class Imported:
    """The data read from a report, the review entries, and the text that fit no field."""

    data: dict[str, Any] = field(default_factory=dict)
    review: list[dict[str, str]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    def note(self, path: str, reason: str) -> None:
        """A review entry at ``path``: validate repeats it until the user deletes it."""
        self.review.append({"path": path, "reason": reason})


def read_fields(root: Node, readings: list[Reading]) -> Imported:
    """Map a report's heading tree onto the data file's fields."""
    out = Imported()
    _front(root.body, out)
    closing = _closing(root)
    if closing:
        out.data["closing"] = closing
    handlers = {"basic": _basic, "budget": _budget, "evaluation": _evaluation, "problems": _problems,
                "improvements": _improvements, "disclosure": _disclosure}
    keys = _section_keys(root.children)
    if sum(key is not None for key in keys) < KNOWN_OUTLINE_SECTIONS:
        national = _section_keys(root.children, _NATIONAL)
        if sum(key not in (None, "basic") for key in national) >= KNOWN_NATIONAL_SECTIONS:
            _read_national(root, national, out)
            _finish(out, readings, {section.title[:30]: key or "more_sections"
                                    for section, key in zip(root.children, national, strict=True)})
            return out
        # Neither shipped outline's report: every chapter is kept whole, under its own heading.
        keys = [None] * len(root.children)
        if root.children:
            out.note("more_sections", f"原文的章节不是默认提纲（{DEFAULT_OUTLINE}）的：各章原样保留在 more_sections，"
                                      "请按所用的提纲移到对应字段（selfeval outlines 列出可用的提纲）")
    placed: dict[str, str] = {}  # first-level title → the field it went to
    for section, key in zip(root.children, keys, strict=True):
        placed[section.title[:30]] = {"basic": "department"}.get(key or "", key or "more_sections")
        if key is None:
            extra = {"title": section.title, "text": _lines(section.all_text())}
            out.data.setdefault("more_sections", []).append(extra)
        else:
            handlers[key](section, out)
    _finish(out, readings, placed)
    return out


def _finish(out: Imported, readings: list[Reading], placed: dict[str, str]) -> None:
    """The numbering readings on the review list, and the text that fit no field kept whole."""
    for reading in readings:
        out.note(placed.get(reading.section, "year"), f"{reading.meaning}（原文“{reading.marker}{reading.title}”）")
    if out.unplaced:
        out.data.setdefault("sections", {})["unplaced"] = {"title": "未能归入字段的原文", "text": _lines(out.unplaced)}
        out.note("sections.unplaced", "这些原文没有对应的字段，已原样保留：请移到合适的字段，或确认不需要后删除这一节")


KNOWN_NATIONAL_SECTIONS = 3
"""How many of the national outline's own chapters (beyond 基本情况) make a report read as that outline."""
_NATIONAL = (("summary", ("摘要",)), ("conclusion", ("评价结论", "综合评价")),
             ("indicator_analysis", ("指标分析", "绩效分析", "指标完成")), ("performance_goals", ("绩效目标",)),
             ("evaluation", ("评价思路", "评价工作", "评价过程", "组织实施", "工作开展")), ("experience", ("经验",)),
             ("problems", ("问题",)), ("suggestions", ("建议", "改进")), ("basic", ("概况", "基本情况")))
"""The national outline's chapters by what their titles say, in the order a combined title is read
("评价结论和绩效分析" is the conclusion); each field takes one chapter."""


def _read_national(root: Node, keys: list[str | None], out: Imported) -> None:
    """A report in the national outline's chapters (in whatever order and wording): each chapter's text
    into the field it is about, the department's figures read as in any report, the rest kept whole."""
    out.data["outline"] = "national"
    read: list[str] = []
    for section, key in zip(root.children, keys, strict=True):
        text = _lines(section.all_text())
        if key == "basic":
            _basic(section, out)
        elif key == "evaluation":
            out.data["evaluation"] = {"team": {"leader": {"name": TO_FILL}, "members": [{"name": TO_FILL}]},
                                      "process": text or TO_FILL, "use_of_funds": TO_FILL}
            out.note("evaluation.team", "原文这一章没有按“组长、副组长、成员”写出评价小组，请补写")
        elif key is not None:
            out.data[key] = text or TO_FILL
        else:
            out.data.setdefault("more_sections", []).append({"title": section.title, "text": text})
        if key is not None:
            read.append(f"“{section.title}”→ {'department' if key == 'basic' else key}")
    out.note("outline", "原文按 national 提纲的章节读入（" + "；".join(read) + "），请核对每一章放的位置")

KNOWN_OUTLINE_SECTIONS = 4
"""How many of the default outline's six chapters a report must have to be read as that outline."""


def _section_keys(sections: list[Node],
                  chapters: tuple[tuple[str, tuple[str, ...]], ...] = _SECTIONS) -> list[str | None]:
    """The field each first-level section goes to, by what its title says (each field once), in an
    outline's ``chapters`` (field → title words; the default outline's unless told)."""
    seen: set[str] = set()
    keys: list[str | None] = []
    for section in sections:
        key = next((k for k, words in chapters if k not in seen and any(w in section.title for w in words)), None)
        if key:
            seen.add(key)
        keys.append(key)
    return keys


def _lines(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def _front(lines: list[str], out: Imported) -> None:
    attachment: dict[str, str] = {}
    for line in lines:
        intro = _INTRO.match(line)
        if re.fullmatch(r"附件\s*\d+", line):
            attachment["label"] = line.replace(" ", "")
        elif intro:
            out.data["notice"] = {"issuer": intro["issuer"], "title": intro["title"],
                                  "document_number": intro["number"].replace(" ", "")}
            out.data["scope"], out.data["verdict"] = intro["scope"], intro["verdict"]
            year = re.search(r"(\d{4})年", intro["title"])
            if year:
                out.data["year"] = int(year[1])  # the notice's year wins over the title's
        elif "title" not in attachment and len(line) <= 40 and "报告" in line:
            attachment["title"] = line
            year = re.search(r"(\d{4})年度", line)
            if year and "year" not in out.data:
                out.data["year"] = int(year[1])
        else:
            out.unplaced.append(line)
    out.data["attachment"] = attachment


def _closing(root: Node) -> dict[str, Any] | None:
    """The 署名 and 成文日期 at the very end, taken out of the last section's text."""
    last = root
    while last.children:
        last = last.children[-1]
    body = last.body
    if len(body) >= 2 and _DATE.match(body[-1]) and len(body[-2]) <= 30 and not body[-2].endswith("。"):
        date = _DATE.match(body.pop())
        assert date is not None
        signature = body.pop()
        return {"signature": signature, "date": dt.date(int(date["y"]), int(date["m"]), int(date["d"]))}
    return None


def _basic(section: Node, out: Imported) -> None:
    department: dict[str, Any] = {}
    for line in section.body:
        match = _RANK_KIND.match(line)
        if match and "name" not in department:
            department.update(name=match["name"], rank=match["rank"], kind=match["kind"])
        else:
            out.unplaced.append(line)
    for child in section.children:
        if "职责" in child.title:
            department["duties"] = [_item_text(item) for item in child.children] or list(child.body)
        elif "机构" in child.title and "人员" not in child.title:
            department["units"] = _units(child, out)
        elif "人员" in child.title:
            department["staffing"] = _staffing(child, department, out)
        elif "重点工作" in child.title:
            out.data["key_work"] = [_work_item(item) for item in child.children]
        else:
            out.unplaced += [child.title, *child.all_text()]
    out.data["department"] = department


def _item_text(item: Node) -> str:
    return _lines([item.title, *item.all_text()])


def _count(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else chinese_number(text.replace("两", "二"))


def _units(node: Node, out: Imported) -> list[dict[str, Any]]:
    counts = next((m for m in (_COUNTS.search(line) for line in node.body) if m), None)
    out.unplaced += [line for line in node.body if not _COUNTS.search(line)]
    internal = _count(counts["n1"]) if counts else None
    kind = counts["kind"].strip() if counts and counts["kind"] else AFFILIATED_UNITS[0]
    if kind not in AFFILIATED_UNITS:
        out.note("department.units", f"原文的事业单位类别“{kind}”不在可选的类别中，已按“{AFFILIATED_UNITS[0]}”读取")
        kind = AFFILIATED_UNITS[0]
    units = []
    for index, child in enumerate(node.children):
        name = child.title.split("（加挂")[0].strip()
        plaques = [p for group in _PLAQUES.findall(child.title) for p in re.split(r"[、和]", group) if p]
        unit: dict[str, Any] = {"kind": INTERNAL_UNIT if internal is None or index < internal else kind, "name": name}
        if unit["kind"] != INTERNAL_UNIT and counts and counts["rank"]:
            unit["rank"] = counts["rank"]
        if plaques:
            unit["plaques"] = plaques
        unit["duties"] = _lines(child.all_text()) or TO_FILL
        units.append(unit)
    stated = (internal or 0) + (_count(counts["n2"]) or 0) if counts else None
    if stated is not None and stated != len(units):
        out.note("department.units",
                 f"原文说设 {stated} 个机构，列出的有 {len(units)} 个；报告中的个数按列表统计，请核对")
    return units


def _staffing(node: Node, department: dict[str, Any], out: Imported) -> dict[str, Any]:
    """编制 and 在职 (by kind where stated), 退休, and the assets when the section states them, read by
    the vocabulary from its text and from its heading ("（三）人员情况：全局编制共58人…"). Figures not
    stated in selfeval's own sentence go on the review list with the sentences they came from; figures
    that may be an institution's, or that do not add up, are quoted and left unread."""
    heading = node.title.partition("：")[2] or node.title.partition(":")[2]
    lines = [line for line in (heading, *node.all_text()) if line]
    text = "\n".join(lines)
    name = str(department.get("name", ""))
    read = prose.staffing(text, name)
    for sentence, why in read.ambiguous if read else []:
        out.note("department.staffing", f"原文“{sentence}”中{why}，未读入：请核对")
    staffing: dict[str, Any] = {"authorized": TO_FILL, "actual": TO_FILL}
    if read is not None and "authorized" in read.figures and "actual" in read.figures:
        staffing = read.figures
        if read.self_word and read.self_word != unit_word_of(name):
            department["unit_word"] = read.self_word
    else:
        read = None
    department["staffing"] = staffing
    owned = prose.assets(text)
    if owned is not None:
        department["assets"] = owned.figures
    shown = figures.printed(figures.department_values(department, out.data.get("year")),
                            str(out.data.get("outline", DEFAULT_OUTLINE)))
    if read is not None and not _own(lines, read.sources, shown, heading):
        sources, said = "".join(read.sources), _listed(read.figures, "department.staffing")
        out.note("department.staffing", f"按原文“{node.title}”一节的“{sources}”读出：{said}，请核对")
    for sentence, count in read.unread if read else []:
        out.note("department.staffing", f"原文“{sentence}”中的“{count}”没有对应的字段，未读入：请核对")
    if owned is not None and not _own(lines, owned.sources, shown, heading):
        said = _listed(owned.figures, "department.assets")
        out.note("department.assets", f"按原文“{''.join(owned.sources)}”读出：{said}，请核对")
    # What the paragraph says beyond the staffing (the units it has, say) is kept, not dropped.
    used = "".join((read.sources + [sentence for sentence, _ in read.ambiguous] if read else [])
                   + (owned.sources if owned else []))
    out.unplaced += [s.strip() for line in lines for s in prose.sentences(line) if s.strip() and s.strip() not in used]
    return staffing


def _own(lines: list[str], sources: list[str], shown: frozenset[str], heading: str = "") -> bool:
    """Whether every line ``sources`` stand in is a paragraph selfeval prints for the figures read
    (a heading never is: selfeval prints no figures in one)."""
    from_lines = [line for line in lines if any(figures.squash(source) in figures.squash(line) for source in sources)]
    return bool(from_lines) and heading not in from_lines and all(figures.squash(line) in shown for line in from_lines)


def _work_item(node: Node) -> dict[str, str]:
    """A numbered item whose title runs into its text: the title ends at the first 。."""
    title, _, first = node.title.partition("。")
    return {"title": title.strip(), "text": _lines([first.strip(), *node.all_text()]) or TO_FILL}


def _budget(section: Node, out: Imported) -> None:
    """The budget chapter's figures, read by the vocabulary paragraph by paragraph (a sub-heading that
    names a part — 基本支出情况 — is the subject of the paragraphs under it that name none). A paragraph
    selfeval prints for the figures read is its own, read right; every figure read from another is on
    the review list with its sentence, and so is every figure a sentence states that was not read."""
    name = str(out.data.get("department", {}).get("name", ""))
    heading = section.title.partition("：")[2] or section.title.partition(":")[2]
    lines: list[tuple[str, str | None, bool]] = [(heading, None, True)] if heading else []
    lines += [(line, None, False) for line in section.body]
    for child in section.children:
        subject = prose.subject_of(child.title)
        lines += [(child.title, subject, True)] + [(line, subject, False) for line in child.all_text()]
    reads = [(line, is_heading, _passages(line, name, subject)) for line, subject, is_heading in lines]
    passages = [passage for _, _, found in reads for passage in found]
    read: dict[str, Any] = {}
    notes: list[tuple[str, str]] = []
    for passage in passages:
        for stated in passage.statements:
            for path, value in stated.figures.items():
                kept = figures.place(read, path, value)
                if kept != value and not isinstance(value, dict):
                    notes.append((path, f"原文“{stated.sentence.strip()}”又写了{_said(path, value)}，"
                                        f"与前文的 {_said('', kept)}不同，已按前文读取：请核对"))
        if passage.reason is not None:
            figures.place(read, f"{passage.reason[0]}.reason", passage.reason[1])
    budget = read.setdefault("budget", {})
    for key in ("basic", "project"):
        budget.setdefault(key, {})
    parts = [budget[key].get("amount") for key in ("basic", "project")]
    if "amount" not in budget and all(isinstance(amount, Decimal) for amount in parts):
        budget["amount"] = sum((amount for amount in parts if amount is not None), Decimal("0.00"))
        notes.append(("budget.amount", "原文没有写整体支出合计，已按基本支出与项目支出之和 "
                                       f"{budget['amount']} 万元填写，请核对"))
    if "three_public" in read:
        read["three_public"] = figures.without_derived_total(read["three_public"])
        if not figures.states_figures(read["three_public"]):
            del read["three_public"]  # named, with no figure read
    out.data.update(read)
    shown = _shown(read, out)
    three = out.data.get("three_public")
    if isinstance(three, dict) and "total" not in three and any(
            "three_public.total" in passage.figures for _, _, found in reads for passage in found):
        # "“三公”经费。其中：…" is what the outline prints of a total stated without figures: kept if it prints back
        with_total = {**read, "three_public": {"total": {}, **three}}
        shown_with = _shown(with_total, out)
        if any(figures.squash(line) in shown_with - shown for line, _, _ in reads):
            out.data["three_public"], shown = with_total["three_public"], shown_with
    for line, is_heading, found in reads:
        stated_figures = any(figures.states_figures(stated.figures) for passage in found
                             for stated in passage.statements)
        # A heading of the outline's own is structure; but selfeval prints no figures in a heading.
        own = figures.squash(line) in shown and not (is_heading and stated_figures)
        for passage in found:
            if passage.reason is not None and not own:
                path, reason = passage.reason
                notes.append((f"{path}.reason", f"原文“{reason}”紧接在{path}的执行数之后，已读作 {path}.reason"
                                                "（执行偏差原因），请核对"))
            _budget_notes(passage, own, notes, out)
    for path, reason in notes:
        out.note(_existing(out.data, path), reason)


def _shown(read: dict[str, Any], out: Imported) -> frozenset[str]:
    """What the outline prints of the budget chapter's figures ``read``."""
    values = figures.budget_values({**read, **({"year": out.data["year"]} if "year" in out.data else {})})
    return figures.printed(values, str(out.data.get("outline", DEFAULT_OUTLINE)))


def _passages(line: str, name: str, subject: str | None) -> list[prose.Passage]:
    """A paragraph of the budget chapter read: its "三公" sentences (from the first that names them) by
    the "三公" reader, the sentences before them by the budget reader."""
    sentences = prose.full_sentences(line)
    at = next((index for index, sentence in enumerate(sentences) if prose.three_public(sentence) is not None),
              len(sentences))
    before, after = "".join(sentences[:at]), "".join(sentences[at:])
    found = [prose.budget(before, name, subject)] if before.strip() else []
    three = prose.three_public(after, name) if after.strip() else None
    return found + ([three] if three is not None else [])


def _budget_notes(passage: prose.Passage, own: bool, notes: list[tuple[str, str]], out: Imported) -> None:
    """The review entries of a paragraph's sentences, and the sentences kept as text."""
    for stated in passage.statements:
        sentence = stated.sentence.strip()
        notes += stated.notes
        if figures.states_figures(stated.figures) and not own:
            notes.append((_common(stated.figures), f"按原文“{sentence}”读出：{_listed(stated.figures)}，请核对"))
            total = any(path.startswith("three_public.total.") for path in stated.figures)
            if total and "total" not in out.data.get("three_public", {}):
                notes.append(("three_public", "原文写的合计等于三项之和，数据中不另写 total（报告照样写出合计）"))
        where = _common(stated.figures) if stated.figures else "budget"
        notes += [(where, f"原文“{sentence}”中{why}，未读入：请核对") for why in stated.unread]
        if (stated.words or stated.unread) and not own:
            out.unplaced.append(sentence)


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
        else:
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


def _existing(data: dict[str, Any], path: str) -> str:
    """``path``, or the nearest field above it that the data has (a review entry on a field the data
    lacks is never shown)."""
    parts = path.split(".")
    while parts:
        value: Any = data
        for part in parts:
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            return ".".join(parts)
        parts.pop()
    return "budget"


def _evaluation(section: Node, out: Imported) -> None:
    lines = section.all_text()
    text = "\n".join(lines)
    team = _TEAM.match(text)
    if not team:
        out.unplaced += lines
        return
    rest = text[team.end():]
    # The outline prints the process and then, on the same line, the use of funds.
    split = re.search(r"[^。\n]*主要用于", rest)
    process, use = (rest[:split.start()], rest[split.start():]) if split else (rest, "")
    out.data["evaluation"] = {
        "team": {"leader": _person(team["leader"]),
                 **({"deputies": [_person(p) for p in team["deputies"].split("、")]} if team["deputies"] else {}),
                 "members": [{"name": name} for name in team["members"].split("、")]},
        "process": process.strip("\n") or TO_FILL, "use_of_funds": use.strip("\n") or TO_FILL}
    if not split:
        out.note("evaluation.use_of_funds", "原文没有找到“资金主要用于…”的一句，请补写资金用途")


def _person(text: str) -> dict[str, str]:
    match = _TITLE_WORDS.match(text.strip())
    return {"name": match["name"], "title": match["title"]} if match else {"name": text.strip()}


def _problems(section: Node, out: Imported) -> None:
    out.data["problems"] = _lines(section.all_text()) or TO_FILL


def _improvements(section: Node, out: Imported) -> None:
    measures = [_work_item(child) for child in section.children]
    improvements: dict[str, Any] = {}
    if section.body:
        improvements["opening"] = _lines(section.body)
    improvements["measures"] = measures or [{"title": TO_FILL, "text": TO_FILL}]
    if not measures:
        out.note("improvements.measures", "原文没有编号的改进措施，请从开头一段中分出各项措施")
    out.data["improvements"] = improvements


def _disclosure(section: Node, out: Imported) -> None:
    out.data["disclosure"] = _lines(section.all_text()) or TO_FILL
