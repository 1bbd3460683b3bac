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
  三公). So the figures are printed from the data, never a second time as text, and next year's
  figures reach the report. What those chapters say beyond the figures (``sections.unplaced`` of a
  plain import) stays where it stood: each piece is found back in the source tree, in order.
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
from pathlib import Path
from typing import Any

import yaml

from selfeval_cli.errors import OutputError
from selfeval_cli.importing.fields import Imported, basic_part, chapter_fields
from selfeval_cli.importing.outline import Node
from selfeval_cli.importing.wording import OPENINGS, opening, opening_patterns
from selfeval_cli.model.values import MISSING, dotted, parse_dotted, value_at
from selfeval_cli.render.outline_folders import MANIFEST, shipped_names
from selfeval_cli.render.textfmt import chinese_numeral
from selfeval_cli.vocabulary import TO_FILL

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

_MACRO_NAMES = ("staffing_sentence", "assets_sentence", "part_sentence", "execution_sentence", "income_sentence",
                "total_sentence", "three_public_sentence", "team_sentence", "opening_self_review", "opening_evaluation",
                "rank_kind", "unit_counts", "plaques")
"""The shipped sentences a written outline prints the data with (``common/_macros.j2``, their one home)."""
_MACROS = f'{{% from "common/_macros.j2" import {", ".join(_MACRO_NAMES)} %}}'
_DEPARTMENT = "{{ rank_kind(department) }}。"
_COUNTS = ("根据上述职责，{{ department.name }}"
           "{{ unit_counts(internal_units, affiliated_units, affiliated_rank, affiliated_kind) }}：")
_UNITS = ("{{% for unit in department.units %}}\n"
          "{hashes} {{{{ unit.name }}}}{{{{ plaques(unit) }}}}\n"
          "\n{{{{ unit.duties }}}}\n{{% endfor %}}")
_STAFFING = "{{ staffing_sentence(department) }}"
_ASSETS = "{% if department.assets %}\n{{ assets_sentence(department.assets) }}\n{% endif %}"
_WORK_ITEMS = ("{{% set level = {level} %}}\n{{% for item in {field} %}}\n{{% include \"common/_work_item.j2\" %}}\n"
               "{{% endfor %}}")
_INCOME = "{{ income_sentence(income, year) }}"
_TOTAL = "{{ total_sentence(budget) }}"
_BASIC = "{{ part_sentence(\"基本支出\", budget.basic) }}{{ execution_sentence(\"基本支出\", budget.basic) }}"
_PROJECT = "{{ part_sentence(\"项目支出为\", budget.project) }}{{ execution_sentence(\"项目支出\", budget.project) }}"
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
        self.dropped: list[str] = []
        self.unlocated: list[str] = []
        national = self.data.get("outline") == "national"
        self.chapters = [_Chapter(node, key) for node, key in zip(root.children, chapter_fields(root.children)[1],
                                                                  strict=True)]
        for chapter in self.chapters:
            self._classify(chapter, national)
        self._locate()
        for chapter in self.chapters:
            if chapter.key == "basic":
                self._claim_basic(chapter)
            elif chapter.key == "budget":
                self._claim_budget(chapter)

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
        if drop is not None and drop in self.data:
            del self.data[drop]
            self.dropped.append(drop)

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
        rest = ["".join(self.title_rest.get(id(node), []))] if id(node) in self.short else []
        return [line for line in rest if line] + ["".join(pieces[index]) for index in sorted(pieces)]

    def _consumed(self, node: Node) -> list[str]:
        """``node``'s body lines that were read into fields (wholly or in part)."""
        pieces = self.located.get(id(node), {})
        return [line for index, line in enumerate(node.body) if "".join(pieces.get(index, [])) != line]

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
        """The department's fields under the sub-headings ``_basic`` read them from."""
        node, data = chapter.node, self.data
        department = data.get("department") or {}
        if all(department.get(key) for key in ("name", "rank", "kind")):
            self._claim(node, [_DEPARTMENT])
        staffing = department.get("staffing") or {}
        read = {"duties": bool(department.get("duties")), "units": bool(department.get("units")),
                "staffing": staffing.get("authorized") not in (None, TO_FILL), "key_work": bool(data.get("key_work"))}
        last: dict[str, Node] = {}
        for child in node.children:
            which = basic_part(child.title)
            if which is not None:
                last[which] = child
        for child in node.children:
            which = basic_part(child.title)
            if which is None:
                continue
            if last[which] is not child or not read[which]:
                self._own(child)  # its text was read into nothing the data kept
                continue
            self._claim(child, self._basic_lines(which, child), cover=True)
            words = re.split(r"[：:]", child.title, maxsplit=1)
            if which == "staffing" and len(words) == 2 and words[0].strip():
                self.short[id(child)] = words[0].strip()  # "人员情况：全局编制共58人……": figures printed from the data
            read[which] = False
            if which == "key_work":
                chapter.uses.append("key_work")
        for which, unclaimed in read.items():  # read from a heading this module does not know: printed first
            if unclaimed:
                self._claim(node, self._basic_lines(which, None))
                if which == "key_work":
                    chapter.uses.append("key_work")

    def _basic_lines(self, which: str, child: Node | None) -> list[str]:
        if which == "duties":
            item = "##+ " if child is None else "###+ " if child.children else ""  # items, or the lines they were
            return [f"{{% for duty in department.duties %}}\n{item}{{{{ duty }}}}\n{{% endfor %}}"]
        if which == "units":
            counts = [_COUNTS] if child is None or self._consumed(child) else []
            return [*counts, _UNITS.format(hashes="###" if child is not None else "##")]
        if which == "staffing":
            return [_STAFFING, _ASSETS]
        return [_WORK_ITEMS.format(level=3 if child is not None else 2, field="key_work")]

    def _claim_budget(self, chapter: _Chapter) -> None:
        """Each sentence of the budget's fields under the first heading of the chapter whose text read
        into it names it (else whose title does; else the chapter's own heading)."""
        data = self.data
        budget = data.get("budget") or {}
        nodes = list(_walk(chapter.node))
        parts = [("income", bool(data.get("income")), ("收入",), _INCOME),
                 ("total", budget.get("amount") is not None, ("整体支出",), _TOTAL),
                 ("basic", (budget.get("basic") or {}).get("amount") is not None, ("基本支出",), _BASIC),
                 ("project", (budget.get("project") or {}).get("amount") is not None, ("项目支出",), _PROJECT),
                 ("three_public", bool(data.get("three_public")), ("三公",), _THREE_PUBLIC)]
        for name, read, words, lines in parts:
            if not read:
                continue
            said = next((n for n in nodes if any(w in line for line in self._consumed(n) for w in words)), None)
            if said is None and name == "total":
                continue  # the importer added basic and project up: the source states no total
            said = said or next((n for n in nodes if any(w in n.title for w in words)), chapter.node)
            self._claim(said, [lines])
            if name in ("income", "three_public"):
                chapter.uses.append(name)

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

    def _manifest(self) -> str:
        uses = [use for chapter in self.chapters for use in chapter.uses]
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
            "unused": [key for key in PRINTABLE if key not in uses],
        }
        header = f"# 提纲说明：{_GENERATED}；requires 是各章模板要用到的数据部分。\n"
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
