"""``import --outline-dir``: an outline folder with the source's own chapters, and the data to fill it.

A report whose chapters fit no shipped outline is imported as usual (``importing.fields``); then this
module writes an outline folder whose templates reproduce the source's chapters, in its order, with
its chapter titles and sub-headings, and reshapes the data so that building it prints every
paragraph the importer kept in the place it stood.

How a chapter is printed depends on where the importer put it:

* **read into figures** — the basic-information chapter (``department``, ``key_work``) and the budget
  chapter (``budget``, ``income``, ``three_public``): the shipped sentence macros print the fields
  (``common/_macros.j2``), each under the source's sub-heading it was read from (by the words the
  importer reads those sub-headings by: 职责, 机构, 人员, 重点工作; 收入, 整体支出, 基本支出, 项目支出,
  三公), else under the heading whose paragraph stated them — the national outline has no budget
  chapter: its 部门概况 states the rank, the duties, the units, the income, the budget and the 三公
  figures, printed there, and its 绩效目标 is printed from ``performance_goals``. So the figures are
  printed from the data, never a second time as text, and next year's figures reach the report. A
  figure is printed from the data when the importer left the paragraph it was read from out of the
  text (``Imported.from_data``), under the heading that paragraph stood under (a heading that ran on
  into it keeps its words); a staffing, assets, income, budget or 三公 figure stated only in text the
  outline prints as text (a paragraph that says more, a chapter kept whole: ``Imported.from_text``) is
  not printed again from the data — it is in the report, as that text: the manifest does not name it
  among ``unused`` (validate would say it is not in the report) but says so in a comment. A budget
  figure only the data states that no template prints is named in ``unused``, for validate to say
  so. What those chapters say beyond the figures (``sections.unplaced`` of a plain import) stays
  where it stood: each piece is found back in the source tree, in order.
* **one text field** — 问题, 公开, 摘要, 评价结论…: printed from that field (``{{ problems }}``) when the
  chapter has no sub-headings; the evaluation chapter from ``evaluation`` (the team sentence and
  the rest) and the improvements from ``improvements`` when their shape fits the shipped sentences.
* **everything else** — chapters that fit no field (``more_sections`` of a plain import), and the
  field chapters above whose sub-headings a text field would flatten: kept as text, the field (an
  optional one) left out of the data.

Text lives in the data, structure in the templates: each heading that has text of its own gets
``sections.<key>`` (``ch3`` for chapter 三, ``ch3_2`` for its （二）, ``ch3_list`` for a run of numbered
lines without text of their own, printed as numbered paragraphs), and the template prints
``{{ sections.ch3.text }}`` under the heading. Headings are written in the templates as the source
words them, without their numbers (selfeval numbers them by level, 一、（一）1.（1）); a title is user
text, so it is written as a Jinja string literal (``{{ "…" }}``, backslashes and quotes escaped):
``{{``, ``{%`` or ``#}`` in it stays text, and ``#``, ``@``, ``|`` cannot form markup (printed values
are data). The report's year in a title becomes ``{{ year }}`` (and the years either side
``{{ year - 1 }}``, ``{{ year + 1 }}``), so that the outline serves next year's data too. Levels deeper
than selfeval's four are kept as text lines, with their numbers as written.

The folder must lie inside the data file's folder (the data file names it by a relative path, and a
data file may only use outlines there: ``data.outlines.find_outline``). It is written to a temporary
folder beside it and renamed into place, an existing one (only an outline folder, and only with
``--force``) moved aside until the data file is written too: a failure or Ctrl-C leaves both as
they were.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from selfeval_cli.errors import OutputError
from selfeval_cli.importing import prose
from selfeval_cli.importing.fields import Imported, basic_part, chapter_fields, listed_units, rank_tail
from selfeval_cli.importing.outline import Node
from selfeval_cli.importing.wording import OPENINGS, opening, opening_patterns
from selfeval_cli.model.values import MISSING, dotted, parse_dotted, value_at
from selfeval_cli.phrases import chinese_numeral
from selfeval_cli.render.outline_folders import MANIFEST, shipped_names
from selfeval_cli.vocabulary import MONEY_UNIT, PART_WORDS, TO_FILL, TOTAL_WORDS, YUAN

PROSE_FIELDS = ("summary", "performance_goals", "conclusion", "indicator_analysis", "experience", "problems",
                "suggestions", "disclosure")
"""Top-level text fields a whole chapter is read into."""

PRINTABLE = ("summary", "key_work", "performance_goals", "income", "three_public", "evaluation", "conclusion",
             "indicator_analysis", "experience", "problems", "improvements", "suggestions", "disclosure",
             "more_sections")
"""The optional top-level parts an outline may print; those a written outline does not are its ``unused``."""

UNPLACED = "unplaced"
"""The key of ``sections`` for text found nowhere in the source tree (and the tables, kept as text)."""

_MAX_LEVEL = 4
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MONEY = re.compile(rf"\d\s*(?:{MONEY_UNIT}|{YUAN})")
_PARTS = re.compile("|".join(word for _, word in PART_WORDS))
_TOTAL_FIGURES = ("amount", "previous", "executed")
"""The figures of the budget as a whole that its total's sentence prints by themselves (the 全年预算数 and
the reason only with the 执行数; the parts' figures are under basic and project)."""

_MACRO_NAMES = ("staffing_sentence", "assets_sentence", "part_sentence", "execution_sentence", "income_sentence",
                "total_sentence", "total_amount_sentence", "three_public_sentence", "team_sentence",
                "opening_self_review", "opening_evaluation", "rank_kind", "unit_counts", "plaques")
"""The shipped sentences a written outline prints the data with (``common/_macros.j2``, their one home)."""
_MACROS = f'{{% from "common/_macros.j2" import {", ".join(_MACRO_NAMES)} %}}'
_DEPARTMENT = "{{ rank_kind(department) }}"
_COUNTS = ("根据上述职责，{{ department.name }}"
           "{{ unit_counts(internal_units, affiliated_units, affiliated_rank, affiliated_kind) }}：")
_UNIT_LIST = ("{{ unit_counts(internal_units, affiliated_units, affiliated_rank, affiliated_kind) }}"
              "（{% for unit in department.units %}{{ unit.name }}{{ \"\" if loop.last else \"、\" }}{% endfor %}）。")
"""The units named in a bracket after their counts, as the national outline writes them (after the subject)."""
_UNITS = ("{{% for unit in department.units %}}\n"
          "{hashes} {{{{ unit.name }}}}{{{{ plaques(unit) }}}}\n"
          "{{% if unit.duties %}}\n\n{{{{ unit.duties }}}}\n{{% endif %}}\n{{% endfor %}}")
_STAFFING = "{{ staffing_sentence(department) }}"
_ASSETS = "{% if department.assets %}\n{{ assets_sentence(department.assets) }}\n{% endif %}"
_WORK_ITEMS = ("{{% set level = {level} %}}\n{{% for item in {field} %}}\n{{% include \"common/_work_item.j2\" %}}\n"
               "{{% endfor %}}")
_INCOME = "{{ income_sentence(income, year) }}"
_TOTAL = ("{{ total_amount_sentence(budget) }}", "{{ total_sentence(budget) }}")
_BASIC = ("{{ part_sentence(\"基本支出\", budget.basic) }}",
          "{{ part_sentence(\"基本支出\", budget.basic) }}{{ execution_sentence(\"基本支出\", budget.basic) }}")
_PROJECT = ("{{ part_sentence(\"项目支出为\", budget.project) }}",
            "{{ part_sentence(\"项目支出为\", budget.project) }}{{ execution_sentence(\"项目支出\", budget.project) }}")
"""A part of the budget: (its amount alone, its amount and its execution)."""
_THREE_PUBLIC = "{{ three_public_sentence(three_public) }}"
_EVALUATION = "{{ team_sentence(evaluation.team) }}"
_FRONT_SELF_REVIEW = "{{ opening_self_review(notice, scope, verdict) }}"
_FRONT_EVALUATION = "{{ opening_evaluation(notice, scope, verdict) }}"
_GENERATED = "由 selfeval import --outline-dir 按原文的章节生成"


def outline_spec(folder: Path, output: Path, inputs: list[Path], *, force: bool) -> str:
    """What the data file at ``output`` writes as its ``outline:`` for ``folder``; raises OutputError,
    before anything is written, when ``folder`` cannot be used: outside the data file's folder (a data
    file may only use outlines inside its own folder), that folder itself, not a folder, or an existing
    folder without ``force`` (with it, only an outline folder is replaced, and only one holding none of
    the ``inputs``)."""
    base = output.parent.resolve()
    target = folder.resolve()
    suggestion = output.parent / f"{output.stem}提纲"
    if target == base:
        raise OutputError(str(folder), "提纲目录不能是数据文件所在的目录本身：请给它里面的一个新目录，"
                                       f"如 --outline-dir {suggestion}")
    if not target.is_relative_to(base):
        raise OutputError(str(folder), f"提纲目录应在数据文件所在的目录（{output.parent}）之内：数据文件只能使用"
                                       "它所在目录里的提纲目录（别人交来的文件不能指向外面的模板），"
                                       f"请改为如 --outline-dir {suggestion}")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(str(folder), "已存在，但不是目录（是文件或链接）：请换一个目录名")
    if folder.exists():
        if not force:
            raise OutputError(str(folder), "目录已存在；确认要覆盖请加 --force")
        if not (folder / MANIFEST).is_file():
            raise OutputError(str(folder), f"目录已存在，但不是提纲目录（其中没有 {MANIFEST}）：--force 也不会覆盖它，"
                                           "请换一个目录名")
        for path in inputs:
            if path.resolve().is_relative_to(target):
                raise OutputError(str(folder), f"“{path}”在这个目录里：覆盖提纲目录会删除它，请换一个目录名")
    spec = target.relative_to(base).as_posix()
    # A bare name that is also a shipped outline's would name the shipped one.
    return f"./{spec}" if spec in shipped_names() else spec


def write_outline(folder: Path, files: dict[str, str], then: Callable[[], None], *,
                  recheck: Callable[[], object] = lambda: None) -> None:
    """Write ``files`` (name → text) as the folder ``folder``, replacing the one there, then call
    ``then`` (which writes the data file). If writing, ``then`` or anything else fails or is
    interrupted, ``folder`` is as it was; raises OutputError when the folder cannot be written.

    ``recheck`` (``outline_spec`` again) runs just before the folder is replaced: an import can take
    seconds, and what stood at ``folder`` when it started may not be what stands there now."""
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(str(folder), f"无法在“{parent}”中写入（{exc.strerror or exc}）") from exc
    old = staged.with_name(staged.name + ".old")
    moved = installed = False
    try:
        try:
            for name, text in files.items():
                with open(staged / name, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())  # on disk before the rename makes them the outline
            os.chmod(staged, 0o777 & ~_umask())  # mkdtemp's 0o700, as a folder made by hand would not be
            recheck()
            if folder.exists():
                os.replace(folder, old)
                moved = True
            os.replace(staged, folder)
            installed = True
        except OSError as exc:
            raise OutputError(str(folder), f"写入失败（{exc.strerror or exc}），原目录未改动") from exc
        then()
    except BaseException:
        if installed:  # put the old folder back; what cannot be removed is moved aside, never left in its place
            shutil.rmtree(folder, ignore_errors=True)
            if folder.exists():
                os.replace(folder, staged.with_name(staged.name + ".failed"))
        if moved:
            os.replace(old, folder)
        raise
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    if moved:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_outline(root: Node, imported: Imported, *, spec: str, year: int | None) -> dict[str, str]:
    """The files of an outline folder reproducing ``root``'s chapters (file name → text), with
    ``imported``'s data and review list reshaped to match (in place): the data names the outline
    ``spec``, its text sits in ``sections`` by heading. Call before the data's blanks are filled in
    (``待填`` there means the report did not say it)."""
    return _Planner(root, imported, spec, year).files()


@dataclass
class _Place:
    """A line of the source tree: the node it stands in and its index in the node's body (-1: the title)."""

    node: Node
    index: int
    text: str


@dataclass
class _Chapter:
    node: Node
    key: str | None
    how: str = ""
    """How the outline prints it, for the review list."""
    uses: list[str] = field(default_factory=list)
    """Top-level fields its template prints."""


class _Planner:
    """Works out, chapter by chapter, what prints each part of the source, and writes the templates."""

    def __init__(self, root: Node, imported: Imported, spec: str, year: int | None) -> None:
        self.root, self.imported, self.spec = root, imported, spec
        self.data = imported.data
        self.year = year if year is not None else self.data.get("year")
        self.sections: dict[str, dict[str, str]] = {}
        self.own: set[int] = set()  # nodes whose text the importer kept in no field: printed whole
        self.located: dict[int, dict[int, list[str]]] = {}  # node → body index → unplaced pieces
        self.titled: set[int] = set()  # nodes whose title (or part of it) the importer kept as unplaced text
        self.title_rest: dict[int, list[str]] = {}  # node → the parts of its title kept unplaced
        self.short: dict[int, str] = {}  # node → its title without the figures read from it
        self.claims: dict[int, list[str]] = {}  # node → template lines printing fields, after its heading
        self.covered: set[int] = set()  # nodes whose sub-headings are printed by their fields
        self.hosts: dict[int, Node] = {}  # a numbered line read as a duty → the heading whose duties it lists
        self.levels: dict[int, int] = {}  # node → its heading's level (1: a chapter)
        self.budget_printed = False
        self.dropped: list[str] = []
        self.unlocated: list[str] = []
        national = self.data.get("outline") == "national"
        self.chapters = [_Chapter(node, key) for node, key in zip(root.children, chapter_fields(root.children)[1],
                                                                  strict=True)]
        for chapter in self.chapters:
            _levels(chapter.node, 1, self.levels)
            self._classify(chapter, national)
        self._locate()
        for chapter in self.chapters:
            if chapter.key == "basic":
                self._claim_basic(chapter)
        # The budget's figures where they were read: the budget chapter, and the basic-information chapter
        # that states them (the national outline's 部门概况 has the income, the budget and the 三公 figures).
        self._claim_money([chapter for chapter in self.chapters if chapter.key in ("basic", "budget")])

    # --- how each chapter is printed ------------------------------------------------------------

    def _classify(self, chapter: _Chapter, national: bool) -> None:
        node, key, data = chapter.node, chapter.key, self.data
        if key == "other":  # the national outline's sections.other: the chapter's own text, where it stood
            self._keep(chapter, "保留为文字")
            if isinstance(data.get("sections"), dict):
                data["sections"].pop("other", None)
        elif key is None:
            self._keep(chapter, "原文没有对应的字段，保留为文字")
        elif key in PROSE_FIELDS:
            if node.children or not data.get(key):
                self._keep(chapter, f"有小标题，{key} 会把它们并成正文，所以保留为文字" if node.children
                           else "保留为文字", drop=key)
                # A national chapter of two (经验、问题) gave its sub-headings to two fields: the text prints both.
                for title, also, _ in self.imported.texts:
                    if title == node.title and also != key and also in PROSE_FIELDS:
                        self._drop(also)
            else:
                self._claim(node, [f"{{{{ {key} }}}}"])
                chapter.how, chapter.uses = f"由 {key} 输出", [key]
        elif key == "evaluation":
            evaluation = data.get("evaluation")
            if national or node.children:
                self._keep(chapter, "原文没有按评价小组、过程、资金用途分写，保留为文字" if national or not evaluation
                           else "有小标题，evaluation 会把它们并成正文，所以保留为文字", drop="evaluation")
            elif evaluation:
                self._claim(node, [_EVALUATION + "{{ evaluation.process }}{{ evaluation.use_of_funds }}"])
                chapter.how, chapter.uses = "由 evaluation 输出（评价小组、过程和资金用途）", ["evaluation"]
            else:
                chapter.how = "原文不是“绩效评价工作由……任组长”的写法，保留为文字"
        elif key == "improvements":
            form = self._measures_form(node)
            if form is None or not data.get("improvements"):
                self._keep(chapter, "各项措施的写法与 improvements 的格式不同，保留为文字", drop="improvements")
            else:
                lines = ["{% if improvements.opening %}\n{{ improvements.opening }}\n{% endif %}"]
                if form == "run-in":
                    lines.append(_WORK_ITEMS.format(level=2, field="improvements.measures"))
                else:
                    lines.append("{% for item in improvements.measures %}\n## {{ item.title }}\n{{ item.text }}\n"
                                 "{% endfor %}")
                self._claim(node, lines, cover=True)
                chapter.how, chapter.uses = "由 improvements 输出", ["improvements"]
        elif key == "basic":
            chapter.how = "由 department 等字段输出（数字从数据中取），其余文字保留在原来的位置"
        else:
            chapter.how = "由 budget 等字段输出（数字从数据中取），其余文字保留在原来的位置"

    def _keep(self, chapter: _Chapter, how: str, *, drop: str | None = None) -> None:
        """Print ``chapter`` from its own text: the importer kept it whole in ``drop`` (or in more_sections)."""
        chapter.how = how
        self._own(chapter.node)
        if drop is not None:
            self._drop(drop)

    def _drop(self, key: str) -> None:
        """Leave the field ``key`` out of the data: the text it was read from is printed as text."""
        if key in self.data:
            del self.data[key]
            self.dropped.append(key)

    def _own(self, node: Node) -> None:
        self.own.add(id(node))
        for child in node.children:
            self._own(child)

    @staticmethod
    def _measures_form(node: Node) -> str | None:
        """How the source wrote its measures, when ``improvements`` reproduces it: "run-in" (the title
        ends at the first 。 and the text runs on), "separate" (a title line, its text below), else None."""
        if not node.children or any(child.children for child in node.children):
            return None
        if all(child.title.partition("。")[2].strip() for child in node.children):
            return "run-in"
        if all("。" not in child.title and child.body for child in node.children):
            return "separate"
        return None

    # --- where the unplaced text stood ------------------------------------------------------------

    def _locate(self) -> None:
        """Find each piece of text the importer kept unplaced in the source tree, in order: the line
        it is (or is part of). A piece of a chapter printed from its own text is printed with it."""
        places: list[_Place] = [_Place(self.root, index, line) for index, line in enumerate(self.root.body)]
        for chapter in self.chapters:
            places += _places(chapter.node)
        finder = _Finder(places)
        cursor = 0
        for piece in (p.strip() for p in self.imported.unplaced):
            if not piece:
                continue
            found = finder.find(piece, cursor)
            if found is None:
                self.unlocated.append(piece)
                continue
            cursor, place = found, places[found]
            if id(place.node) in self.own:
                continue
            if place.index < 0:
                self.titled.add(id(place.node))  # the heading prints it
                if piece != place.text:
                    self.title_rest.setdefault(id(place.node), []).append(piece)
            else:
                self.located.setdefault(id(place.node), {}).setdefault(place.index, []).append(piece)

    def _text(self, node: Node) -> list[str]:
        """The paragraphs of ``node``'s own text that the outline prints as text."""
        if id(node) in self.own:
            return list(node.body)
        pieces = self.located.get(id(node), {})
        # A heading shortened to its words prints what it said beyond the figures as text.
        rest = []
        if id(node) in self.short:  # (not the words it is shortened to, which the importer kept as well)
            rest.append("".join(piece for piece in self.title_rest.get(id(node), [])
                                if piece.strip() != self.short[id(node)]))
        return [line for line in rest if line] + ["".join(pieces[index]) for index in sorted(pieces)]

    def _consumed(self, node: Node) -> list[str]:
        """``node``'s body lines that were read into fields (wholly or in part)."""
        return [line for _, line in self._consumed_at(node)]

    def _consumed_at(self, node: Node) -> list[tuple[int, str]]:
        """``node``'s body lines that were read into fields (wholly or in part), with their indices."""
        pieces = self.located.get(id(node), {})
        return [(index, line) for index, line in enumerate(node.body) if "".join(pieces.get(index, [])) != line]

    def _said(self, nodes: list[Node], test: Callable[[str], bool], *,
              titles: bool = False) -> tuple[Node, Node, int, str] | None:
        """The first line of ``nodes`` read into fields that passes ``test``: (the heading that prints what
        it says, the node it stands in, its index there, the line). A numbered duty's lines are its list's.
        With ``titles``, a heading's title too, when what it runs on into after a colon was read (index -1)."""
        for node in nodes:
            run_on = self._title_read(node) if titles else None
            if run_on is not None and test(run_on):
                return node, node, -1, run_on
            for index, line in self._consumed_at(node):
                if test(line):
                    return self.hosts.get(id(node), node), node, index, line
        return None

    def _title_read(self, node: Node) -> str | None:
        """What ``node``'s title runs on into after a colon ("资产情况：实有公务用车8辆……"), when the importer
        read it into fields and kept none of it as text; else None."""
        label, colon, run_on = node.title.partition("：") if "：" in node.title else node.title.partition(":")
        if not (colon and label.strip() and run_on.strip()) or id(node) in self.own:
            return None
        kept = self.title_rest.get(id(node)) or ([node.title] if id(node) in self.titled else [])
        return None if any(piece.strip() != label.strip() for piece in kept) else run_on.strip()

    def _flat(self, node: Node, *, numbered: bool) -> list[str]:
        """``node`` and all below it as text lines (a title with its number as written, when ``numbered``)."""
        lines = []
        if id(node) in self.own or id(node) in self.titled:
            lines.append(f"{node.marker}{node.title}" if numbered else node.title)
        lines += self._text(node)
        for child in node.children:
            lines += self._flat(child, numbered=numbered)
        return [line for line in lines if line]

    # --- fields printed under the source's headings -------------------------------------------------

    def _claim(self, node: Node, lines: list[str], *, cover: bool = False) -> None:
        self.claims.setdefault(id(node), []).extend(lines)
        if cover:
            self.covered.add(id(node))

    def _claim_basic(self, chapter: _Chapter) -> None:
        """The department's fields under the sub-headings ``_basic`` read them from (职责, 机构, 人员, 重点工作);
        what it read from other paragraphs (部门概况: rank and kind, duties, units, staffing) under the
        heading whose text it was read from, else the chapter's; the national outline's 绩效目标 under its own."""
        node, data = chapter.node, self.data
        nodes = _walk(node)
        department = data.get("department") or {}
        duties = department.get("duties") or []
        for host in nodes:  # 部门概况 listing the duties as its numbered lines: the list prints them
            if host.children and [child.title for child in host.children] == duties:
                self.hosts.update((id(child), host) for child in host.children)
                self.covered.add(id(host))
        if all(department.get(key) for key in ("name", "rank", "kind")):
            said = self._said(nodes, lambda line: rank_tail(line) is not None)
            tail = rank_tail(said[3]) if said is not None else None  # "，主要职责是：", as the source says it
            self._claim(said[0] if said is not None else node,
                        [_DEPARTMENT + (f"{{{{ {_literal(tail)} }}}}" if tail else "。")])
        staffing = department.get("staffing") or {}
        from_text = self.imported.from_text
        # The staffing and the assets are printed from the data when the paragraph they were read from was
        # left out of the text; one kept as text (it says more than its figures) states them there.
        read = {"duties": bool(duties), "units": bool(department.get("units")),
                "staffing": staffing.get("authorized") not in (None, TO_FILL)
                and "department.staffing" not in from_text,
                "assets": _holds_figures(department.get("assets")) and "department.assets" not in from_text,
                "key_work": bool(data.get("key_work"))}
        last: dict[str, Node] = {}
        for child in node.children:
            which = basic_part(child.title)
            if which is not None:
                last[which] = child
        for child in node.children:
            which = basic_part(child.title)
            if which is None:
                self._claim_goals(chapter, child)
                continue
            if which == "staffing" and not (last[which] is child and read[which]):
                continue  # its paragraphs were read for figures: those kept as text are printed where they stood
            if last[which] is not child or not read[which]:
                self._own(child)  # its text was read into nothing the data kept
                continue
            self._claim(child, self._basic_lines(which, child, heading=True), cover=True)
            if which == "staffing":
                self._shorten(child)  # "人员情况：全局编制共58人……": figures printed from the data
            read[which] = False
            if which == "key_work":
                chapter.uses.append("key_work")
        for which, unclaimed in read.items():  # read from a heading this module does not know: printed there
            if unclaimed:
                said = self._basic_said(which, nodes)
                host = said[0] if said is not None else node
                self._claim(host, self._basic_lines(which, host, heading=False,
                                                    line=said[3] if said is not None else None))
                if said is not None and said[2] < 0 and self._title_read(host) is not None:
                    self._shorten(host)  # "资产情况：实有公务用车8辆……": the heading's words, the figures from the data
                if which == "key_work":
                    chapter.uses.append("key_work")

    def _shorten(self, node: Node) -> None:
        """Print ``node``'s title without what it runs on into after its colon (printed from the data)."""
        words = re.split(r"[：:]", node.title, maxsplit=1)
        if len(words) == 2 and words[0].strip():
            self.short[id(node)] = words[0].strip()

    def _basic_said(self, which: str, nodes: list[Node]) -> tuple[Node, Node, int, str] | None:
        """Where a part of the department read from paragraphs of no sub-heading of its own was said."""
        department = self.data.get("department") or {}
        if which == "duties":
            host = next((self.hosts[id(n)] for n in nodes if id(n) in self.hosts), None)
            return None if host is None else (host, host, -1, host.title)
        if which == "units":  # the sentence naming them in a bracket, else one naming the first
            name = str(department["units"][0].get("name") or "")
            return (self._said(nodes, lambda line: listed_units(line) is not None)
                    or (self._said(nodes, lambda line: name in line) if name else None))
        if which == "staffing":
            return self._said(nodes, lambda line: "编制" in line and bool(re.search(r"\d", line)))
        if which == "assets":  # the paragraph the importer read them from (a heading's that ran on into it)
            return self._said(nodes, lambda line: prose.assets(line) is not None, titles=True)
        return None

    def _claim_goals(self, chapter: _Chapter, child: Node) -> None:
        """The national outline's 绩效目标 under 基本情况, read into ``performance_goals``: printed from it
        (its sub-headings, which the field would flatten, kept as text)."""
        if ((child.title, "performance_goals") not in {(title, name) for title, name, _ in self.imported.texts}
                or "performance_goals" not in self.data):
            return
        if child.children:
            self._own(child)
            self._drop("performance_goals")
            return
        self._claim(child, ["{{ performance_goals }}"])
        chapter.uses.append("performance_goals")
        words = re.split(r"[：:]", child.title, maxsplit=1)
        if len(words) == 2 and words[0].strip() and words[1].strip():
            self.short[id(child)] = words[0].strip()  # "绩效目标：……": the field holds what follows the colon

    def _basic_lines(self, which: str, node: Node, *, heading: bool, line: str | None = None) -> list[str]:
        """The template lines of a part of the department under ``node``: the sub-heading that names it
        (``heading``), else the heading whose paragraph ``line`` stated it."""
        below = "#" * (self.levels.get(id(node), 1) + 1)
        if which == "duties":
            item = f"{below}+ " if not heading or node.children else ""  # items, or the lines they were
            return [f"{{% for duty in department.duties %}}\n{item}{{{{ duty }}}}\n{{% endfor %}}"]
        if which == "units":
            subject = listed_units(line) if line is not None else None
            if subject is not None:  # "本局设5个内设机构和2个下属事业单位（办公室、……）。"
                name = (self.data.get("department") or {}).get("name")
                said = ("{{ department.name }}" if subject == name else f"{{{{ {_literal(subject)} }}}}" if subject
                        else "")
                return [said + _UNIT_LIST]
            counts = [_COUNTS] if not heading or self._consumed(node) else []
            return [*counts, _UNITS.format(hashes=below)]
        if which == "staffing":
            return [_STAFFING]
        if which == "assets":
            return [_ASSETS]
        return [_WORK_ITEMS.format(level=len(below), field="key_work")]

    def _claim_money(self, chapters: list[_Chapter]) -> None:
        """Each sentence of the budget's fields under the first heading of ``chapters`` whose text read into
        it names it (parts the source said in one paragraph printed as one); else under the first whose
        title names it, else under the budget chapter's own heading. A part the source states only in text
        printed as text (a paragraph that says more than its figures, a chapter printed whole) is not
        printed a second time from the data, nor an execution read from such text."""
        if not chapters:
            return
        data, from_text, from_data = self.data, self.imported.from_text, self.imported.from_data
        budget = data.get("budget") or {}
        nodes = [(chapter, node) for chapter in chapters for node in _walk(chapter.node)]
        home = next((chapter for chapter in chapters if chapter.key == "budget"), None)

        def naming(words: tuple[str, ...]) -> Callable[[str], bool]:  # a line of figures that names the part
            return lambda line: bool(_MONEY.search(line)) and any(word in line for word in words)

        def naming_total(line: str) -> bool:  # 支出合计, not 基本支出合计 nor “三公”经费支出合计
            return naming(TOTAL_WORDS)(_PARTS.sub("", line)) and not naming(("三公",))(line)

        def first(test: Callable[[str], bool]) -> tuple[_Chapter, tuple[Node, Node, int, str]] | None:
            return next(((chapter, said) for chapter, node in nodes
                         if (said := self._said([node], test, titles=True)) is not None), None)

        def executed(prefix: str) -> bool:  # the execution the part's sentence prints is the source's here
            return not {f"{prefix}.executed", f"{prefix}.adjusted"} & from_text

        # (the part, whether it was read, the words that name it, the amount that states it, its sentence)
        parts = [("income", bool(data.get("income")), ("收入",), "income.amount", _INCOME),
                 ("total", budget.get("amount") is not None, TOTAL_WORDS, "budget.amount",
                  _TOTAL[executed("budget")]),
                 ("basic", (budget.get("basic") or {}).get("amount") is not None, ("基本支出",), "budget.basic.amount",
                  _BASIC[executed("budget.basic")]),
                 ("project", (budget.get("project") or {}).get("amount") is not None, ("项目支出",),
                  "budget.project.amount", _PROJECT[executed("budget.project")]),
                 ("three_public", bool(data.get("three_public")), ("三公",), "three_public", _THREE_PUBLIC)]
        joined: dict[tuple[int, int], tuple[Node, int]] = {}  # a line of the source → the claim printing it
        for name, read, words, amount, sentence in parts:
            # Read from a paragraph the importer left out of the text: only the data says it, printed here.
            left_out = bool({f"budget.{key}" for key in _TOTAL_FIGURES} & from_data) if name == "total" \
                else any(p.startswith(f"{amount.removesuffix('.amount')}.") for p in from_data)
            if not read or (name == "total" and not left_out):
                continue  # (a total not read: the importer added basic and project up, or text kept states it)
            found = first(naming_total if name == "total" else naming(words))
            if found is not None and found[1][2] < 0:
                self._shorten(found[1][1])  # "收入情况：全年收入……": the heading's words, the figures from the data
            if found is None and not left_out and (
                    any(p == amount or p.startswith(f"{amount}.") for p in from_text)
                    or any(naming(words)(line) and _states(line, value_at(data, parse_dotted(amount)))
                           for _, node in nodes for line in self._text(node))):
                continue  # the text that states it is printed as text: not a second time from the data
            if found is not None:
                chapter, (host, node, index, _) = found
                at = joined.get((id(node), index))
                if at is not None:  # the same paragraph of the source: one paragraph of the report
                    self.claims[id(at[0])][at[1]] += sentence
                else:
                    self._claim(host, [sentence])
                    joined[(id(node), index)] = (host, len(self.claims[id(host)]) - 1)
            elif home is not None or left_out:
                chapter = home or chapters[0]
                self._claim(next((n for n in _walk(chapter.node) if any(w in n.title for w in words)), chapter.node),
                            [sentence])
            else:
                continue  # read from no paragraph of these chapters
            if name in ("income", "three_public"):
                chapter.uses.append(name)
            else:
                self.budget_printed = True

    # --- the templates --------------------------------------------------------------------------

    def files(self) -> dict[str, str]:
        """The outline folder's files; the data and review list reshaped to them."""
        width = max(2, len(str(len(self.chapters) + 2)))
        files = {f"{0:0{width}d}_assessment.j2": "{#- 部门整体支出绩效自评表（数据中有 assessment 时）。 -#}\n"
                                                 "{% include \"common/assessment.j2\" %}\n",
                 f"{0:0{width}d}_front.j2": self._front()}
        for number, chapter in enumerate(self.chapters, start=1):
            body = self._emit(chapter.node, 1, f"ch{number}")
            if not body:  # nothing of it was kept anywhere: its heading alone, as a numbered line
                body = [f"#+ {self._title(chapter.node)}"]
            head = [f"{{#- 原文第{chinese_numeral(number)}章，{_GENERATED}：标题写在这里，正文在数据文件中。 -#}}"]
            if any(f"{macro}(" in line for line in body for macro in _MACRO_NAMES):
                head.append(_MACROS)
            files[f"{number:0{width}d}_{_file_name(chapter.node.title)}.j2"] = "\n".join(head + body) + "\n"
        files[f"{'9' * (width - 1)}8_rest.j2"] = (
            "{#- 导入时在原文中找不到位置的文字和原文的表格（sections.unplaced），接在最后一章之后。 -#}\n"
            "{% set rest = sections.get(\"unplaced\") %}\n{% if rest %}\n{{ rest.text }}\n{% endif %}\n")
        files[f"{'9' * width}_closing.j2"] = ("{#- 落款：单位署名和成文日期，数据中有 closing 时才输出。 -#}\n"
                                              "{% if closing %}\n@signature {{ closing.signature }}\n"
                                              "@date {{ closing.date | cn_date }}\n{% endif %}\n")
        self._reshape()
        files[MANIFEST] = self._manifest()
        return files

    def _front(self) -> str:
        lines = ["{#- 正文之前：附件标签、标题、引言。 -#}",
                 "{% if attachment.label %}", "@attachment {{ attachment.label }}", "{% endif %}",
                 "@title {{ attachment.title_lines | lines if attachment.title_lines else attachment.title }}"]
        if self.data.get("notice"):
            # Which outline's opening the source wrote, told by the macros' own patterns (no wording here).
            said = next((match for line in self.root.body if (match := opening(line))), None)
            evaluation = said is not None and said.re is opening_patterns()[OPENINGS.index("opening_evaluation")]
            lines += [_MACROS, _FRONT_EVALUATION if evaluation else _FRONT_SELF_REVIEW]
        text = self._text(self.root)
        if text:
            self.sections["front"] = {"title": "正文之前", "text": "\n".join(text)}
            lines.append("{{ sections.front.text }}")
        return "\n".join(lines) + "\n"

    def _emit(self, node: Node, level: int, key: str) -> list[str]:
        """Template lines for ``node`` (a heading of ``level``) and all below it; none when nothing of it is kept."""
        text = self._text(node)
        covered = id(node) in self.covered
        if covered or level >= _MAX_LEVEL:  # sub-headings printed by the fields, or deeper than selfeval numbers
            for child in node.children:
                text += self._flat(child, numbered=not covered)
        if text:  # registered before the sub-headings': the data file lists them in the source's order
            self.sections[key] = {"title": _label(self.short.get(id(node), node.title)), "text": "\n".join(text)}
        children: list[str] = []
        run: list[Node] = []
        runs = 0

        def flush() -> None:
            nonlocal runs
            if run:
                runs += 1
                run_key = f"{key}_list" + (str(runs) if runs > 1 else "")
                self.sections[run_key] = {"title": _label(node.title), "text": "\n".join(c.title for c in run)}
                children.extend([f"{{% for item in sections.{run_key}.text | paras %}}",
                                 f"{'#' * (level + 1)}+ {{{{ item }}}}", "{% endfor %}"])
                run.clear()

        for index, child in enumerate([] if covered or level >= _MAX_LEVEL else node.children, start=1):
            if self._is_item(child):
                run.append(child)
            else:
                flush()
                children += self._emit(child, level + 1, f"{key}_{index}")
        flush()
        claims = self.claims.get(id(node), [])
        if not (claims or text or children):
            return [f"{'#' * level}+ {self._title(node)}"] if id(node) in self.titled else []
        lines = [f"{'#' * level} {self._title(node)}", *claims]
        if text:
            lines.append(f"{{{{ sections.{key}.text }}}}")
        return lines + children

    def _is_item(self, node: Node) -> bool:
        """A numbered line with nothing under it, kept as text: one of a run of numbered paragraphs."""
        return (not node.children and not self._text(node) and id(node) not in self.claims and bool(node.title)
                and (id(node) in self.own or id(node) in self.titled))

    def _title(self, node: Node) -> str:
        """A heading's title as a template expression: string literals, the report's year as ``year``."""
        title = _CONTROL.sub("", self.short.get(id(node), node.title))
        parts: list[str] = []
        start = 0
        years = {self.year: "year", self.year - 1: "(year - 1)", self.year + 1: "(year + 1)"} \
            if isinstance(self.year, int) else {}
        for match in _YEAR.finditer(title):
            name = years.get(int(match[1]))
            if name is None:
                continue
            if match.start() > start:
                parts.append(_literal(title[start:match.start()]))
            parts.append(name)
            start = match.end()
        if start < len(title) or not parts:
            parts.append(_literal(title[start:]))
        return "{{ " + " ~ ".join(parts) + " }}"

    # --- the data and the manifest --------------------------------------------------------------

    def _reshape(self) -> None:
        data = self.data
        data["outline"] = self.spec
        data.pop("more_sections", None)
        sections = {key: value for key, value in (data.get("sections") or {}).items() if key != UNPLACED}
        sections.update(self.sections)
        if self.unlocated:
            sections[UNPLACED] = {"title": "未能归入字段的原文", "text": "\n".join(self.unlocated)}
        if sections:
            data["sections"] = sections
        else:
            data.pop("sections", None)
        review = self.imported.review
        # The importer's notes on where the chapters went, and on parts of a field left out (a team to write
        # for a chapter kept as text), no longer apply; its numbering notes on a chapter do, at its new place.
        review[:] = [entry for entry in review if entry["path"] not in ("outline", f"sections.{UNPLACED}")
                     and not (entry["path"] == "more_sections" and "more_sections" in entry["reason"])
                     and not any(entry["path"].startswith((f"{key}.", f"{key}[")) for key in self.dropped)]
        for entry in review:
            entry["path"] = _existing(data, entry["path"])
        if self.unlocated:
            review.append({"path": f"sections.{UNPLACED}",
                           "reason": "这些原文在原文的章节中找不到原来的位置，已原样保留在最后一章之后："
                                     "请移到合适的位置，或确认不需要后删除"})
        chapters = "；".join(f"第{chinese_numeral(n)}章“{c.node.title[:20]}”{c.how}"
                            for n, c in enumerate(self.chapters, start=1))
        review.append({"path": "outline",
                       "reason": f"提纲目录“{self.spec}”按原文的章节写出（{chapters}）。"
                                 "没有对应字段的文字在 sections 中，键名 ch3、ch3_2 指第三章、第三章（二）下的文字，"
                                 "ch3_list 是其下没有正文的各条；"
                                 "请核对后删除这一条"})
        if "notice" not in data and self.root.children:
            review.append({"path": "scope", "reason": "原文开头没有“根据……我们对……进行了认真自评”的引言：数据文件仍要求"
                                                      "填写 scope 和 verdict，按原文的章节写出的提纲不输出它们"})

    def _read_from(self, key: str, paths: set[str]) -> bool:
        """Whether figures of the part ``key`` are among ``paths`` (``Imported.from_data``, ``from_text``)."""
        return any(path.startswith((f"{key}.", f"{key}[")) for path in paths)

    def _unused(self, uses: list[str]) -> tuple[list[str], list[str]]:
        """The manifest's ``unused`` (validate warns of data there: "不会出现在报告里"), and the parts
        left out of it as text: those of ``income``, ``three_public`` and ``budget`` whose figures no
        template prints but whose every figure read the source states in text the outline prints as text
        (a paragraph that says more, a chapter kept whole) — they are in the report, as that text.
        ``budget`` is among ``unused`` only so: the model requires one, and a budget the source did not
        state (the importer's sum of its parts, the user's to fill in) is no figure of the source's."""
        from_data, from_text = self.imported.from_data, self.imported.from_text
        unused = [key for key in PRINTABLE if key not in uses]
        if not self.budget_printed and self._read_from("budget", from_data):
            unused.append("budget")
        parts: tuple[str, ...] = ("income", "budget", "three_public")
        as_text = [key for key in parts if (key in unused or (key == "budget" and not self.budget_printed))
                   and not self._read_from(key, from_data) and self._read_from(key, from_text)]
        return [key for key in unused if key not in as_text], as_text

    def _manifest(self) -> str:
        uses = [use for chapter in self.chapters for use in chapter.uses]
        unused, as_text = self._unused(uses)
        title = str((self.data.get("attachment") or {}).get("title") or "")
        requires: dict[str, str] = {}
        for number, chapter in enumerate(self.chapters, start=1):
            for use in chapter.uses:
                requires.setdefault(use, f"原文第{chinese_numeral(number)}章“{chapter.node.title}”")
        if any(key != UNPLACED for key in self.sections):
            requires["sections"] = "原文中没有对应字段的文字，按标题分节（ch1、ch1_2……），模板在原来的位置输出"
        manifest = {
            "title": f"按原文章节生成的提纲（{title}）" if title and title != TO_FILL else "按原文章节生成的提纲",
            "description": "　".join(f"{chinese_numeral(n)}、{c.node.title}" for n, c in enumerate(self.chapters, 1)),
            "requires": requires,
            "unused": unused,
        }
        header = f"# 提纲说明：{_GENERATED}；requires 是各章模板要用到的数据部分。\n"
        if as_text:  # not in unused: validate would say they are not in the report, and they are
            header += (f"# {'、'.join(as_text)} 的数字没有模板从数据中输出：原文只在保留为文字的段落中写了它们，"
                       "报告按原文的文字输出这些数字；改了数据中的这些数字，报告不会跟着变。\n")
        return header + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=10_000)


def _places(node: Node) -> list[_Place]:
    places = [_Place(node, -1, node.title)]
    places += [_Place(node, index, line) for index, line in enumerate(node.body)]
    for child in node.children:
        places += _places(child)
    return places


class _Finder:
    """Where a piece of text stands among the places: the first line from ``start`` on that is it or holds it.

    The importer keeps text in the order it reads it, so a piece is nearly always the line at the cursor
    or one soon after; a line equal to it is looked up, and the scan for a line holding it is bounded
    (in all, a few times the number of places), so that a long report takes linear time.
    """

    WINDOW = 64

    def __init__(self, places: list[_Place]) -> None:
        self.places = places
        self.exact: dict[str, list[int]] = {}
        for index, place in enumerate(places):
            self.exact.setdefault(place.text, []).append(index)
        self.budget = 8 * len(places) + 10_000

    def find(self, piece: str, start: int) -> int | None:
        equal = self.exact.get(piece, [])
        after = bisect.bisect_left(equal, start)
        if after < len(equal) and equal[after] - start <= self.WINDOW:
            return equal[after]
        near = self._scan(piece, start, min(len(self.places), start + self.WINDOW))
        if near is not None:
            return near
        if after < len(equal):
            return equal[after]
        later = self._scan(piece, start, len(self.places))
        if later is not None:
            return later
        return equal[0] if equal else self._scan(piece, 0, start)

    def _scan(self, piece: str, start: int, stop: int) -> int | None:
        for index in range(start, stop):
            if self.budget <= 0:
                return None
            self.budget -= 1
            if piece in self.places[index].text:
                return index
        return None


_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _states(line: str, value: Any) -> bool:
    """Whether ``line`` states the amount ``value`` (or, for a part of the data, any amount in it)."""
    if isinstance(value, dict):
        return any(_states(line, item) for item in value.values())
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return any(Decimal(said.replace(",", "")) == Decimal(str(value)) for said in _FIGURE.findall(line))


def _holds_figures(value: Any) -> bool:
    """Whether ``value`` (a part of the data, before its blanks are filled in) holds anything read."""
    if isinstance(value, dict):
        return any(_holds_figures(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_figures(item) for item in value)
    return value not in (None, "", TO_FILL)


def _levels(node: Node, level: int, into: dict[int, int]) -> None:
    into[id(node)] = level
    for child in node.children:
        _levels(child, level + 1, into)


def _walk(node: Node) -> list[Node]:
    nodes = [node]
    for child in node.children:
        nodes += _walk(child)
    return nodes


def _literal(text: str) -> str:
    """``text`` as a Jinja string literal: whatever it holds stays text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(title: str) -> str:
    """A section's ``title``: the heading it stands under."""
    return _CONTROL.sub("", title).strip() or "正文"


def _file_name(title: str) -> str:
    """A template's name after its chapter: letters and digits only, short."""
    return "".join(re.findall(r"\w", title))[:16] or "chapter"


def _existing(data: dict[str, Any], path: str) -> str:
    """``path``, or the nearest part of it the data still has (a review entry on a missing path is never
    shown); a chapter's field moved to ``sections`` as a whole."""
    parts = parse_dotted(path)
    while parts and value_at(data, parts) is MISSING:
        parts = parts[:-1]
    return dotted(parts) if parts else "sections" if "sections" in data else "outline"
