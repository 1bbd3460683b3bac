"""From the heading tree of a report in the default (hunan) outline to the fields of a data file.

Each first-level section is recognised by what its title says, not by its number; inside, the
sentences the outline is written in are read with patterns (the notice, the counts of units, the
staffing, the amounts with their year-on-year changes, the evaluation team). Whatever had to be
interpreted becomes a review entry; whatever fits no field is kept in a free section and named in
the review list — nothing is dropped.
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
from selfeval_cli.vocabulary import AFFILIATED_UNITS, DEFAULT_OUTLINE, INTERNAL_UNIT, THREE_PUBLIC, TO_FILL

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
    """编制 and 在职 (by kind where stated), 退休, and the assets sentence when the section has one:
    in selfeval's own words, else from free prose (each figure then on the review list)."""
    text = "".join(node.all_text())
    read = figures.staffing(text)
    if read is None:
        # A heading may carry the figures itself: "（三）人员情况：全局编制共58人，实际在职人员58人。"
        heading = node.title.partition("：")[2] or node.title.partition(":")[2]
        read = _staffing_from_prose(heading + text, str(department.get("name", "")), out, node.title)
        if read is None:
            out.unplaced += [line for line in (heading, *node.all_text()) if line]
            return {"authorized": TO_FILL, "actual": TO_FILL}
    said = re.search(r"全(?P<word>\S{1,3}?)编制", text)
    if said and said["word"] != unit_word_of(str(department.get("name", ""))):
        department["unit_word"] = said["word"]
    owned = figures.assets(text)
    if owned:
        department["assets"] = owned
    return read


def _staffing_from_prose(text: str, own_name: str, out: Imported, title: str) -> dict[str, Any] | None:
    """The staffing figures of a report's own wording, each named on the review list with its source;
    figures that may be an institution's, or that do not add up, are quoted and left unread."""
    read = prose.staffing(text, own_name)
    if read is None:
        return None
    for sentence in read.ambiguous:
        out.note("department.staffing", f"原文“{sentence}”中的人数可能是下属单位的，或与合计对不上，未读入：请核对")
    if "authorized" not in read.figures or "actual" not in read.figures:
        return None
    figures_read = read.figures
    kinds = "、".join(f"{g['name']}{g['authorized']}人" for g in figures_read.get("groups", []))
    said = f"编制 {figures_read['authorized']} 人" + (f"（{kinds}）" if kinds else "") + \
        f"、在职 {figures_read['actual']} 人" + \
        (f"、退休 {figures_read['retired']} 人" if "retired" in figures_read else "")
    out.note("department.staffing", f"按原文“{title}”一节的“{''.join(read.sources)}”读出：{said}，请核对")
    # What the paragraph says beyond the staffing (the units it has, say) is kept, not dropped.
    used = "".join(read.sources + read.ambiguous)
    out.unplaced += [s.strip() for s in prose.sentences(text) if s.strip() and s.strip() not in used]
    return figures_read


def _work_item(node: Node) -> dict[str, str]:
    """A numbered item whose title runs into its text: the title ends at the first 。."""
    title, _, first = node.title.partition("。")
    return {"title": title.strip(), "text": _lines([first.strip(), *node.all_text()]) or TO_FILL}


def _budget(section: Node, out: Imported) -> None:
    budget: dict[str, Any] = {"basic": {}, "project": {}}
    by_label = {"整体支出": budget, "基本支出": budget["basic"], "项目支出": budget["project"]}
    for line in section.all_text():
        if line in ("基本支出情况", "项目支出情况", "收入情况", f"{THREE_PUBLIC}支出情况"):
            continue  # the outline's own sub-headings
        read_income, read_three = figures.income(line), figures.three_public(line)
        if read_income is not None:
            stated = prose.amount_after(line, "收入")
            if "previous" not in read_income and stated is not None and stated[1] is not None:
                read_income["previous"] = stated[1]  # a change in the report's own words: "同比上年度减少…"
                out.note("income.previous",
                         f"上年收入按原文“{_quote_change(line[stated[3]:])}”算出：{stated[1]} 万元，请核对")
            out.data["income"] = read_income
            continue
        if read_three is not None:
            out.data["three_public"] = read_three
            continue
        total = re.search(r"整体支出合计\s*" + figures.AMOUNT, line)
        part = re.search(r"部门预算(?P<part>基本支出|项目支出)为?\s*" + figures.AMOUNT, line)
        if total:
            _money(budget, total, line[total.end():], "budget.amount", out)
        elif part:
            key = "basic" if part["part"] == "基本支出" else "project"
            _money(budget[key], part, line[part.end():], f"budget.{key}.amount", out)
            items = re.search(r"其中[:：]\s*(?P<items>[^。]*)", line)
            budget[key]["items"] = _budget_items(items["items"] if items else "", f"budget.{key}", out)
            first, *others = [piece for piece in re.split(r"(?<=。)", line[part.end():]) if piece]
            if not items and re.search(r"[\u4e00-\u9fff]", _after_change(first)):
                out.unplaced.append(line)  # what the sentence says beyond the figure ("主要用于…") is kept
            else:  # sentences run on in the same paragraph: the execution one (and its reason after it), or kept
                executed = next((i for i, other in enumerate(others) if figures.states_execution(other)), len(others))
                out.unplaced += [other.strip() for other in others[:executed]]
        if not figures.execution(line, by_label) and not (total or part):
            _budget_from_prose(line, budget, out)
    parts = [budget[key].get("amount") for key in ("basic", "project")]
    if "amount" not in budget and all(isinstance(amount, Decimal) for amount in parts):
        budget["amount"] = sum(parts, Decimal("0.00"))
        out.note("budget.amount",
                 f"原文没有写整体支出合计，已按基本支出与项目支出之和 {budget['amount']} 万元填写，请核对")
    out.data["budget"] = budget


def _quote_change(after: str) -> str:
    """The change clause right after an amount, as the source wrote it (for a review entry)."""
    return re.split(r"[。；;]|，其中|,其中", after.lstrip("，, "))[0]


def _after_change(after: str) -> str:
    """What a sentence says after its amount, once the stated change and its rate are set aside."""
    change = r"(?:与上年持平|(?:较上年|比上年|同比)[^，。；]*(?:[，,]\s*(?:增长|下降)[^，。；]*)?)"
    rest = re.sub(rf"^[，,]?\s*{change}", "", after)
    return rest.strip("，,。 ")


_PROSE_INCOME = re.compile(rf"^(?:\d{{4}}年度?)?(?:本年|全年|部门)?(?:总)?收入(?:合计|总额)?(?:为|共|是)?\s*"
                           rf"(?=(?P<number>{prose.NUMBER})\s*(?:万元|元))")


def _budget_from_prose(line: str, budget: dict[str, Any], out: Imported) -> None:
    """A paragraph of the budget chapter in the report's own words: the "三公" figures, the income and
    the basic or project expenditure with its 其中 items, each read figure on the review list with its
    sentence; a sentence none of them reads is kept in ``sections.unplaced``."""
    three = prose.three_public(line)
    if three is not None and "three_public" not in out.data:
        out.data["three_public"] = three.figures
        out.note("three_public", f"{THREE_PUBLIC}按原文“{line}”读出，请核对" + ("（原文以元为单位，已换算为万元）"
                                                                          if three.in_yuan else ""))
        return
    for sentence in prose.sentences(line):
        if not _budget_sentence(sentence.strip(), budget, out):
            out.unplaced.append(sentence.strip())


def _budget_sentence(sentence: str, budget: dict[str, Any], out: Imported) -> bool:
    """Read one sentence of the report's own words into ``budget`` or the income; whether it was read."""
    income = _PROSE_INCOME.match(sentence)
    if income and "income" not in out.data:
        read = prose.amount_after(sentence, sentence[:income.end()])
        if read is not None:
            out.data["income"] = {"amount": read[0], **({"previous": read[1]} if read[1] is not None else {})}
            out.note("income.amount", f"本年收入按原文“{sentence}”读出：{read[0]} 万元"
                                      + (f"，上年 {read[1]} 万元" if read[1] is not None else "") + "，请核对")
            return True
    for key, word in (("basic", "基本支出"), ("project", "项目支出")):
        read = prose.amount_after(sentence, word)
        if read is None or budget[key].get("amount") is not None:
            continue
        budget[key]["amount"] = read[0]
        if read[1] is not None:
            budget[key]["previous"] = read[1]
        listed = re.search(r"其中[:：]?\s*(?P<items>[^。]*)", sentence[read[3]:])
        items = prose.listed_items(listed["items"]) if listed else []
        if items:
            budget[key]["items"] = [{"name": name, "amount": amount, **({"previous": last} if last is not None else {})}
                                    for name, amount, last, _ in items]
        out.note(f"budget.{key}.amount", f"{word}按原文“{sentence}”读出：{read[0]} 万元"
                 + (f"，上年 {read[1]} 万元" if read[1] is not None else "")
                 + (f"，其中 {len(items)} 项" if items else "") + "，请核对")
        return True
    return False


def _money(target: dict[str, Any], match: re.Match[str], after: str, path: str, out: Imported) -> None:
    target.update(figures.money(match, after))
    if match["unit"] == "元":
        out.note(path, f"原文写作“{match['amount']}元”，上下文是万元，已按 {target['amount']} 万元读取，请核对")
    if "previous" not in target:  # a change in the report's own words: "，比上年减少12.5万元"
        previous = prose.change(after, target["amount"])
        if previous is not None:
            target["previous"] = previous
            out.note(path.replace("amount", "previous"),
                     f"上年数按原文“{_quote_change(after)}”算出：{previous} 万元，请核对")


def _budget_items(text: str, path: str, out: Imported) -> list[dict[str, Any]]:
    listed = prose.listed_items(text)
    if len(listed) > len([p for p in re.split(r"[；;]", text) if p.strip()]):
        # More items than the outline's "；" separates: the report's own list ("A 1万元，B 2万元、C 3万元").
        out.note(path, f"其中各项按原文“{text}”读出 {len(listed)} 项，请核对")
        return [{"name": name, "amount": amount, **({"previous": last} if last is not None else {})}
                for name, amount, last, _ in listed]
    items = []
    for index, piece in enumerate(p.strip() for p in re.split(r"[；;]", text) if p.strip()):
        match = re.match(r"^(?P<name>[^\d]+?)\s*" + figures.AMOUNT, piece)
        if not match:
            out.unplaced.append(piece)
            continue
        item: dict[str, Any] = {"name": match["name"].strip("，, ")}
        _money(item, match, piece[match.end():], f"{path}.items[{index}].amount", out)
        items.append(item)
    return items


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
