"""import --outline-dir: an outline folder with the source's own chapters, built back into the source's structure.

Each test imports a report whose chapters fit no shipped outline, builds the data with the outline
folder written beside it, and reads the built .docx back with python-docx: the headings are the
source's, in its order (numbered by selfeval by level), and every sentence of the source is in the
report — those the importer read figures from printed from the data, in selfeval's sentences.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import docx
import jinja2
import jinja2.sandbox
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.errors import OutputError
from selfeval_cli.importing.outline_dir import _literal, outline_spec, write_outline
from selfeval_cli.problems import Severity
from selfeval_cli.vocabulary import TO_FILL

from ..conftest import FIXTURES, word_number
from ..docx_read import clauses

COUNTY = FIXTURES / "outline_dir" / "county_forestry.txt"
EIGHT_PARTS = FIXTURES / "import" / "eight_part_outline.txt"
NATIONAL = FIXTURES / "import" / "national_outline.txt"
_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）)")
_CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _built(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of a built report (a title broken into lines joined again)."""
    return [(p.style.name if p.style is not None else "", p.text.replace("\n", ""))
            for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _headings(built: list[tuple[str, str]], level: int | None = None) -> list[str]:
    styles = {f"Heading {n}" for n in range(1, 5)} if level is None else {f"Heading {level}"}
    return [text for style, text in built if style in styles]


def _import_and_build(source: Path, folder: Path, fill: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Import ``source`` into ``folder``/data.yaml with its outline in ``folder``/提纲, fill in what the
    source did not say (as its user would), and build it: the data file and the report."""
    data = folder / "data.yaml"
    result = import_report(source, data, outline_dir=folder / "提纲")
    assert result.output == data and result.outline_dir == folder / "提纲", [p.format() for p in result.problems]
    if fill:
        raw = yaml.safe_load(data.read_text(encoding="utf-8"))
        for path, value in fill.items():
            *parents, last = path.split(".")
            target = raw
            for part in parents:
                target = target[part]
            target[last] = value
        data.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors = [p.format() for p in validate_file(data).problems if p.severity is Severity.ERROR]
    assert errors == []
    report = folder / "report.docx"
    assert build_report(data, report).output == report
    return data, report


def test_a_county_report_builds_back_into_its_own_chapters(tmp_path: Path) -> None:
    """Eight chapters in an order no shipped outline has (绩效目标 second, 主要成效 fifth, no 公开 chapter),
    with sub-headings, numbered lists and run-in items."""
    data, report = _import_and_build(COUNTY, tmp_path)
    source, built = _lines(COUNTY), _built(report)
    # The chapters: the source's titles, in its order (its numbers are selfeval's 一、二、… too).
    assert _headings(built, 1) == [line for line in source if _CHAPTER.match(line)]
    # Every numbered line of the source, in order, is a numbered paragraph (a heading or a list item) of the
    # report with the same words; selfeval numbers it by level (主要成效's "1." is a second level: "（一）").
    numbered = [_NUMBER.sub("", text) for _, text in built if _NUMBER.match(text)]
    assert numbered == [_NUMBER.sub("", line) for line in source if _NUMBER.match(line)]
    assert ("Heading 3", "1.办公室") in built
    assert ("Normal", "（一）造林任务全面完成。全年完成人工造林1260亩，超出计划5%。") in built
    # Every sentence of the source is in the report, but for the two it read figures from (in its own words),
    # which the report says from the data.
    text = "\n".join(t for _, t in built)
    read_into_figures = {"局机关行政编制12人，事业编制8人，实有在职人员18人，退休人员9人。",
                         "“三公”经费预算6.00万元，实际支出5.10万元，其中：公务接待费预算2.00万元，实际支出1.60万元；"
                         "公务用车购置及运行维护费预算4.00万元，实际支出3.50万元；因公出国（境）费未安排支出。"}
    for line in source:
        if line in read_into_figures:
            continue
        for clause in clauses(_NUMBER.sub("", line)):
            assert clause in text, clause
    assert "全局编制共20人，其中行政编制12人、事业编制8人；实际在职人员18人；退休人员9人。" in text
    assert "“三公”经费预算6.00万元，实际支出5.10万元" in text and "公务接待费预算2.00万元，实际支出1.60万元" in text
    # Figures are printed once, from the data: none of them is kept as text as well.
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    kept = "\n".join(section["text"] for section in raw["sections"].values())
    for figure in ("685.40", "412.60", "272.80", "12人", "6.00万元"):
        assert figure not in kept and text.count(figure) == 1, figure
    assert raw["outline"] == "提纲" and "more_sections" not in raw and "unplaced" not in raw["sections"]


def test_a_chapter_the_importer_could_not_read_is_printed_once(tmp_path: Path) -> None:
    """The evaluation chapter without the team sentence, in sub-headings: the importer keeps its lines unplaced
    (its sub-headings' titles among them); the outline prints each once, under its own heading."""
    source = tmp_path / "source.txt"
    team = ("绩效评价工作由局长张明同志任组长，副局长李华为副组长，王芳、赵强为成员。评价小组对照年初绩效目标，"
            "逐项核对资金支出和项目完成情况。资金主要用于保障机构正常运转和造林、防火等重点工作。\n")
    source.write_text(COUNTY.read_text(encoding="utf-8").replace(
        team, "（一）评价组织\n局里成立了自评小组，由局长牵头。\n（二）评价过程\n小组逐项核对了资金支出。\n"),
        encoding="utf-8")
    data, report = _import_and_build(source, tmp_path)
    built = _built(report)
    chapters = _headings(built)
    assert chapters[chapters.index("四、部门整体支出绩效情况"):][:4] == [
        "四、部门整体支出绩效情况", "（一）评价组织", "（二）评价过程", "五、主要成效"]
    text = "\n".join(t for _, t in built)
    for clause in ("局里成立了自评小组，由局长牵头", "小组逐项核对了资金支出", "评价组织"):
        assert text.count(clause) == 1, clause
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    assert "evaluation" not in raw and "unplaced" not in raw["sections"]


def test_the_outline_folder_is_an_outline(tmp_path: Path) -> None:
    import_report(COUNTY, tmp_path / "data.yaml", outline_dir=tmp_path / "提纲")
    folder = tmp_path / "提纲"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["00_assessment.j2", "00_front.j2", "01_部门基本情况.j2", "02_部门整体支出绩效目标.j2",
                     "03_一般公共预算支出情况.j2", "04_部门整体支出绩效情况.j2", "05_主要成效.j2",
                     "06_存在的问题及原因分析.j2", "07_下一步改进措施.j2", "08_其他需要说明的情况.j2", "98_rest.j2",
                     "99_closing.j2", "outline.yaml"]
    manifest = yaml.safe_load((folder / "outline.yaml").read_text(encoding="utf-8"))
    assert manifest["description"].startswith("一、部门基本情况　二、部门整体支出绩效目标　三、一般公共预算支出情况")
    assert set(manifest["requires"]) == {"three_public", "evaluation", "problems", "improvements", "sections"}
    assert "more_sections" in manifest["unused"] and "disclosure" in manifest["unused"]
    basic = (folder / "01_部门基本情况.j2").read_text(encoding="utf-8")
    assert '## {{ "人员情况" }}\n{{ staffing_sentence(department) }}' in basic  # a field, under its heading
    # Validate: no text waits unplaced, no part of the data is left out, the folder is named as not shipped.
    problems = validate_file(tmp_path / "data.yaml").problems
    assert not [p for p in problems if p.code in ("unplaced_text", "outline_unused", "outline_requires")]
    assert any(p.code == "outline_folder" for p in problems)


def test_another_outlines_chapters_in_another_order(tmp_path: Path) -> None:
    """The national outline's chapters in an order of their own: each chapter in its place, 摘要 and 绩效目标 as
    chapters, 改进措施及建议's run-in items as numbered paragraphs; figures the source did not give, filled in
    by the user for the data file, are not printed (the source's structure, not a shipped outline's)."""
    fill = {"scope": "本局2024年度部门整体支出", "verdict": "较好。", "department.name": "某县水利局",
            "department.rank": "正科级", "department.kind": "行政单位", "department.duties": ["负责水利工作。"],
            "department.units": [{"kind": "内设机构", "name": "办公室", "duties": "负责日常事务。"}],
            "budget.amount": 300, "budget.basic.amount": 200, "budget.project.amount": 100}
    data, report = _import_and_build(EIGHT_PARTS, tmp_path, fill)
    source, built = _lines(EIGHT_PARTS), _built(report)
    assert _headings(built, 1) == [line for line in source if _CHAPTER.match(line)]
    assert _headings(built, 2) == ["（一）部门职能", "（二）机构与人员"]
    text = "\n".join(t for _, t in built)
    staffing = "内设办公室、水政股、工程股三个股室，编制20人，实有19人。"  # read for its figures (quoted in review)
    for line in source:
        for clause in clauses(_NUMBER.sub("", line)):
            assert clause in text, clause
    # It says more than its figures: kept as text, where it stood, and the staffing sentence does not say them again.
    assert text.count(staffing) == 1 and "全局编制共" not in text and text.count("19人") == 1
    assert any(staffing in entry["reason"] for entry in yaml.safe_load(data.read_text(encoding="utf-8"))["review"])
    for unsaid in ("行政单位", "300.00万元", "负责水利工作", "我们对"):
        assert unsaid not in text


def _plain(text: str) -> str:
    """Figures as selfeval writes them: without thousands separators (the source's 1,286.40 is its 1286.40)."""
    return re.sub(r"(?<=\d),(?=\d)", "", text)


def _sentences(line: str) -> list[str]:
    return re.findall(r"[^。]+。?", _plain(_NUMBER.sub("", line)))


def _national(folder: Path) -> tuple[Path, Path]:
    """The national fixture imported into ``folder``, its units' duties (the source names the units only)
    filled in, and built: the data file and the report."""
    data = folder / "data.yaml"
    assert import_report(NATIONAL, data, outline_dir=folder / "提纲").output == data
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    for unit in raw["department"]["units"]:
        unit["duties"] = f"负责{unit['name']}的工作。"
    data.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert [p.format() for p in validate_file(data).problems if p.severity is Severity.ERROR] == []
    report = folder / "report.docx"
    assert build_report(data, report).output == report
    return data, report


def test_a_national_report_prints_the_figures_of_its_profile_from_the_data(tmp_path: Path) -> None:
    """The national outline has no budget chapter: its 部门概况 (under 基本情况) states the rank, duties, units,
    staffing, income, budget and 三公 figures, then 绩效目标 follows. Each is printed under the sub-heading it was
    read from, by the shipped sentences, once; every other sentence of the source is in the report once."""
    data, report = _national(tmp_path)
    source, built = _lines(NATIONAL), _built(report)
    assert _headings(built, 1) == [line for line in source if _CHAPTER.match(line)]
    assert _headings(built)[:3] == ["一、基本情况", "（一）部门概况", "（二）绩效目标"]
    text = _plain("\n".join(t for _, t in built))
    # Said in selfeval's words (the counts in Chinese numerals, the 三公 items with their own verbs).
    units = ("青禾县自然资源局设5个内设机构和2个下属事业单位（办公室、国土空间规划股、耕地保护股、确权登记股、"
             "执法监察大队、县不动产登记中心、县土地储备中心）。")
    three = ("“三公”经费预算18.00万元，实际支出15.42万元，其中公务用车购置及运行维护费11.36万元，公务接待费4.06万元，"
             "因公出国（境）费0万元。")
    assert "青禾县自然资源局设五个内设机构和两个下属事业单位（办公室、国土空间规划股、" in text
    assert "“三公”经费预算18.00万元，实际支出15.42万元，控制率85.67%。其中：" in text
    for line in source:
        for sentence in _sentences(line):
            if sentence not in (units, three):
                assert text.count(sentence) >= 1, sentence
                if re.search(r"\d", sentence):
                    assert text.count(sentence) == 1, sentence
    # The budget's sentences, one paragraph in the source, are one in the report, under 部门概况.
    profile = [t for _, t in built][[t for _, t in built].index("（一）部门概况"):]
    assert _plain("年初财政批复的整体支出合计2,906.30万元。部门预算基本支出1,124.80万元，其中：人员支出968.50万元；"
                  "公用支出156.30万元。部门预算项目支出为1,781.50万元。") in profile[:profile.index("（二）绩效目标")]
    # Every figure the source states is in the report once: the execution, which 绩效评价指标分析 states (kept as
    # text), is not said again by the budget's sentence.
    figures = yaml.safe_load((NATIONAL.parent / "national_outline.figures.yaml").read_text(encoding="utf-8"))
    for path, value in figures.items():
        if isinstance(value, str):
            assert len(re.findall(rf"(?<![\d.]){re.escape(value)}(?!\d)", text)) == 1, path
    # Printed from the data, not kept as text beside it; validate says nothing is left out.
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    kept = "\n".join(section["text"] for section in raw["sections"].values())
    for figure in ("3,142.75", "2,906.30", "1,124.80", "1,781.50", "18.00", "62人", "年初确定的目标"):
        assert figure not in kept, figure
    assert not [p for p in validate_file(data).problems if p.code in ("outline_unused", "unplaced_text")]


def test_a_national_reports_budget_follows_the_data(tmp_path: Path) -> None:
    """The income, budget and 三公 figures of 部门概况 come from the data file: change them and the report changes."""
    data, report = _national(tmp_path)
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    raw["income"]["amount"] = 3200
    raw["budget"]["amount"] = 3000
    raw["budget"]["basic"]["amount"] = 1200
    raw["budget"]["project"]["amount"] = 1800
    raw["three_public"]["total"]["budget"] = 20
    data.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert build_report(data, report).output == report
    text = "\n".join(t for _, t in _built(report))
    for said in ("2023年收入3200.00万元", "年初财政批复的整体支出合计3000.00万元", "部门预算基本支出1200.00万元",
                 "部门预算项目支出为1800.00万元", "“三公”经费预算20.00万元"):
        assert said in text, said
    for old in ("3142.75", "2906.30", "1124.80", "1781.50", "18.00"):
        assert old not in _plain(text), old


_IMPORTED = FIXTURES / "import"
_BLANKS = {"scope": "本局2022年度部门整体支出", "verdict": "较好。", "name": "某县测试局", "rank": "正科级",
           "kind": "行政单位", "duties": "负责测试。", "amount": 1, "authorized": 1, "actual": 1}


def _filled(value: Any, key: str = "") -> Any:
    """``value`` (a data file read) with every 待填 filled in, as its user would: the report can then be built."""
    if isinstance(value, dict):
        return {k: _filled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(item, key) for item in value]
    return _BLANKS.get(key, "填写。") if value == TO_FILL else value


def _import_filled_and_build(source: Path, folder: Path) -> tuple[Path, Path]:
    """``source`` imported with its outline folder, every blank filled in, built: the data file and the report."""
    data = folder / "data.yaml"
    assert import_report(source, data, outline_dir=folder / "提纲").output == data
    raw = _filled(yaml.safe_load(data.read_text(encoding="utf-8")))
    data.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert [p.format() for p in validate_file(data).problems if p.severity is Severity.ERROR] == []
    report = folder / "report.docx"
    assert build_report(data, report).output == report
    return data, report


def _stated(value: str, text: str) -> int:
    """How many times ``text`` states the figure ``value`` (1343.37, 8; with or without its thousands separator)."""
    return len(re.findall(rf"(?<![\d.]){re.escape(value)}(?:\.0+)?(?![\d.])", _plain(text)))


def _under(built: list[tuple[str, str]], heading: str) -> str:
    """The text of the paragraphs after ``heading`` up to the next heading."""
    texts = [text for _, text in built]
    after = texts.index(heading) + 1
    stop = next((i for i in range(after, len(built)) if built[i][0].startswith("Heading")), len(built))
    return "\n".join(texts[after:stop])


_PEOPLE = [key for key in yaml.safe_load((_IMPORTED / "form_cover.figures.yaml").read_text(encoding="utf-8"))
           if key.startswith("department.")]


def test_staffing_and_assets_kept_as_text_are_not_printed_again(tmp_path: Path) -> None:
    """form_cover's 机构和人员 and 资产情况 paragraphs say more than their figures (the 股室, the 执法执勤用车): kept as
    text where they stood, the staffing and assets sentences do not say their figures a second time."""
    _, report = _import_filled_and_build(_IMPORTED / "form_cover.txt", tmp_path)
    built = _built(report)
    text = "\n".join(t for _, t in built)
    figures = yaml.safe_load((_IMPORTED / "form_cover.figures.yaml").read_text(encoding="utf-8"))
    for path in _PEOPLE:
        assert _stated(str(figures[path]), text) == 1, path
        heading = "（三）资产情况" if path.startswith("department.assets") else "（二）机构和人员"
        assert _stated(str(figures[path]), _under(built, heading)) == 1, path
    assert _under(built, "（二）机构和人员") == ("局机关内设6个股室，在乡镇设11个市场监管所。"
                                            "核定编制共96人，其中行政编制71人、事业编制25人；在职人员93人，退休人员40人。")
    assert _under(built, "（三）资产情况") == "实有公务用车8辆，其中执法执勤用车7辆；固定资产原值2,045.90万元。"
    assert "全局编制共" not in text and "核定公务用车编制" not in text


@pytest.mark.parametrize(("paragraphs", "heading"), [
    ("（二）机构和人员\n核定编制共96人，其中行政编制71人、事业编制25人；在职人员93人，退休人员40人。\n"
     "（三）资产情况\n实有公务用车8辆；固定资产原值2,045.90万元。\n", "（三）资产情况"),
    ("（二）机构和人员\n核定编制共96人，其中行政编制71人、事业编制25人；在职人员93人，退休人员40人。\n"
     "（三）资产情况：实有公务用车8辆；固定资产原值2,045.90万元。\n", "（三）资产情况"),
    ("（二）机构和人员\n核定编制共96人，其中行政编制71人、事业编制25人；在职人员93人，退休人员40人。"
     "实有公务用车8辆；固定资产原值2,045.90万元。\n", "（二）机构和人员"),
], ids=["own-heading", "heading-runs-on", "one-paragraph"])
def test_staffing_and_assets_read_whole_are_printed_where_they_stood(tmp_path: Path, paragraphs: str,
                                                                      heading: str) -> None:
    """Paragraphs the figures read say whole are left out of the text: the staffing and assets sentences print
    them from the data, each under the heading its paragraph stood under (a heading that ran on into it keeps
    its words), once."""
    source = tmp_path / "source.txt"
    form_cover = (_IMPORTED / "form_cover.txt").read_text(encoding="utf-8")
    start, end = form_cover.index("（二）机构和人员"), form_cover.index("二、部门整体支出")
    source.write_text(form_cover[:start] + paragraphs + form_cover[end:], encoding="utf-8")
    _, report = _import_filled_and_build(source, tmp_path)
    built = _built(report)
    own = [heading] if heading == "（三）资产情况" else []
    expected = ["（一）部门职能", "（二）机构和人员", *own, "（一）收入情况"]
    assert _headings(built, 2)[:len(expected)] == expected
    text = "\n".join(t for _, t in built)
    staffing, assets = _under(built, "（二）机构和人员"), _under(built, heading)
    assert "全局编制共96人，其中行政编制71人、事业编制25人；实际在职人员93人；退休人员40人。" in staffing
    assert "实有8辆；固定资产原值2045.90万元。" in assets
    figures = yaml.safe_load((_IMPORTED / "form_cover.figures.yaml").read_text(encoding="utf-8"))
    for path in _PEOPLE:
        assert _stated(str(figures[path]), text) == 1, path


@pytest.mark.parametrize("name", ["contents_before_title", "hard_wrapped_ascii", "pasted_one_line",
                                  "titled_2019_without_du", "form_cover"])
def test_figures_printed_as_text_are_not_warned_of(tmp_path: Path, name: str) -> None:
    """Budget (and income, 三公) figures stated only in text the outline prints as text — a paragraph that says more
    than its figures, a chapter kept whole — are in the report, as that text: validate does not say they are not,
    and the manifest says so in a comment. Each such figure is in the report as often as in the source."""
    source = _IMPORTED / f"{name}.txt"
    data, report = _import_filled_and_build(source, tmp_path)
    assert not [p.format() for p in validate_file(data).problems if p.code == "outline_unused"]
    manifest = (tmp_path / "提纲" / "outline.yaml").read_text(encoding="utf-8")
    assert "budget" not in yaml.safe_load(manifest)["unused"]
    assert "budget" in manifest.split("title:")[0]  # the comment: printed as the source's text
    text, said = "\n".join(t for _, t in _built(report)), source.read_text(encoding="utf-8").replace("\n", "")
    figures = yaml.safe_load((_IMPORTED / f"{name}.figures.yaml").read_text(encoding="utf-8"))
    for path, value in figures.items():
        if path.startswith(("budget", "income")):
            assert _stated(str(value), text) == _stated(str(value), said) >= 1, path


def test_figures_the_outline_does_not_print_are_warned_of(tmp_path: Path) -> None:
    """A budget figure read from a paragraph the importer left out of the text (said whole by it: "全年预算……") that no
    template prints is in no part of the report: validate says so. So is income the user adds for an outline that
    prints none. A budget the source did not state (the importer's sum, the user's to fill in) and one the outline
    prints are not warned of."""
    source = tmp_path / "source.txt"
    source.write_text((_IMPORTED / "form_cover.txt").read_text(encoding="utf-8").replace(
        "2022年部门预算基本支出", "全年预算3,560.12万元。\n2022年部门预算基本支出"), encoding="utf-8")
    data = tmp_path / "data.yaml"
    assert import_report(source, data, outline_dir=tmp_path / "提纲").output == data
    assert "budget" in yaml.safe_load((tmp_path / "提纲" / "outline.yaml").read_text(encoding="utf-8"))["unused"]
    unused = [p for p in validate_file(data).problems if p.code == "outline_unused"]
    assert [p.field for p in unused] == [("budget",)] and "不输出 budget" in unused[0].message
    folder = tmp_path / "titled"
    folder.mkdir()
    titled = folder / "data.yaml"
    assert import_report(_IMPORTED / "titled_2019_without_du.txt", titled, outline_dir=folder / "提纲").output == titled
    raw = yaml.safe_load(titled.read_text(encoding="utf-8"))
    raw["income"] = {"amount": 100}
    titled.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert [p.field for p in validate_file(titled).problems if p.code == "outline_unused"] == [("income",)]
    for source, folder in ((EIGHT_PARTS, tmp_path / "eight"), (NATIONAL, tmp_path / "national"),
                           (COUNTY, tmp_path / "county")):
        folder.mkdir(exist_ok=True)
        assert import_report(source, folder / "other.yaml", outline_dir=folder / "提纲2").output is not None
        manifest = yaml.safe_load((folder / "提纲2" / "outline.yaml").read_text(encoding="utf-8"))
        assert "budget" not in manifest["unused"], source.name


def test_a_figure_stated_in_text_kept_as_text_is_not_printed_again(tmp_path: Path) -> None:
    """"部门预算项目支出312万元，主要用于……" says more than its figure: it is kept as text, where it stood, and the
    project's sentence does not say 312 a second time."""
    _, report = _import_and_build(FIXTURES / "import" / "hunan_other_wording.txt", tmp_path)
    text = "\n".join(t for _, t in _built(report))
    assert "部门预算项目支出312万元，主要用于城区环境卫生保洁和路灯维护。" in text
    assert len(re.findall(r"(?<![\d.])312(?:\.00)?万元", text)) == 1
    assert "部门预算基本支出688.40万元" in text  # the sentence read whole: printed from the data


def _word_source(path: Path, paragraphs: list[tuple[str, int | None]]) -> None:
    """A .docx of ``paragraphs``: (text, level Word numbers it at, or None for typed text)."""
    document = docx.Document()
    for text, level in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            word_number(paragraph, level)
    document.save(str(path))


_FILL = {"scope": "本局2024年度部门整体支出", "verdict": "较好。", "department.name": "某县测试局",
         "department.rank": "正科级", "department.kind": "行政单位", "department.duties": ["负责测试。"],
         "department.units": [{"kind": "内设机构", "name": "办公室", "duties": "负责日常事务。"}],
         "department.staffing": {"authorized": 5, "actual": 5},
         "budget.amount": 3, "budget.basic.amount": 2, "budget.project.amount": 1}

HOSTILE = '情况{{ 7*7 }}与{% if true %}说明{% endif %}{# 注 #}#}"\\ {%- raw %}{{ department.name }}'


def test_a_hostile_title_stays_text(tmp_path: Path) -> None:
    """Titles are user text written into templates: template code, markup characters, quotes and backslashes
    in them are printed as written, never run."""
    source = tmp_path / "source.docx"
    _word_source(source, [("某县测试局2024年度部门整体支出绩效自评报告", None), (f"一、{HOSTILE}", None),
                          ("本章第一句。", None), ("（一）2024年@title 工作|进展#1 {% include 'x' %}", None),
                          ("本节第一句。", None), ("二、{{ year }}", None), ("（一）{% set x = 1 %}", None),
                          ("（二）第二条。", None)])
    _, report = _import_and_build(source, tmp_path, _FILL)
    built = _built(report)
    assert _headings(built) == [f"一、{HOSTILE}", "（一）2024年@title 工作|进展#1 {% include 'x' %}", "二、{{ year }}"]
    assert ("Normal", "（一）{% set x = 1 %}") in built and ("Normal", "（二）第二条。") in built
    assert "49" not in "".join(text for _, text in built)


def test_the_report_year_in_a_title_follows_the_data(tmp_path: Path) -> None:
    """A title naming the report's year names next year's once the data moves on (as new-year does)."""
    source = tmp_path / "source.txt"
    source.write_text("某县测试局2024年度部门整体支出绩效自评报告\n一、2024年工作开展情况\n全年工作正常开展。\n"
                      "二、2025年工作打算\n继续做好各项工作。\n三、2019年以来的变化\n变化不大。\n", encoding="utf-8")
    data, report = _import_and_build(source, tmp_path, _FILL)
    assert _headings(_built(report)) == ["一、2024年工作开展情况", "二、2025年工作打算", "三、2019年以来的变化"]
    template = (tmp_path / "提纲" / "01_2024年工作开展情况.j2").read_text(encoding="utf-8")
    assert '# {{ year ~ "年工作开展情况" }}' in template
    data.write_text(data.read_text(encoding="utf-8").replace("year: 2024", "year: 2025"), encoding="utf-8")
    assert build_report(data, report).output == report
    assert _headings(_built(report)) == ["一、2025年工作开展情况", "二、2026年工作打算", "三、2019年以来的变化"]


def test_levels_deeper_than_four_stay_as_text(tmp_path: Path) -> None:
    """Word numbers six levels; selfeval four: the fifth and sixth are kept as text lines under the fourth."""
    source = tmp_path / "source.docx"
    _word_source(source, [("某县测试局2024年度部门整体支出绩效自评报告", None), ("工作情况", 0), ("总体平稳。", None),
                          ("重点任务", 1), ("造林", 2), ("春季造林", 3), ("完成面积", 4), ("一千亩。", None),
                          ("补植面积", 5), ("二百亩。", None), ("其他", 0), ("无。", None)])
    _, report = _import_and_build(source, tmp_path, _FILL)
    built = _built(report)
    assert _headings(built) == ["一、工作情况", "（一）重点任务", "1.造林", "（1）春季造林", "二、其他"]
    body = [text for style, text in built if style == "Normal"]
    assert body[body.index("总体平稳。"):] == ["总体平稳。", "完成面积", "一千亩。", "补植面积", "二百亩。", "无。"]


# --- where the folder may go, and what is never half-written ------------------------------------------


def test_an_existing_folder_needs_force_and_is_left_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "提纲"
    folder.mkdir()
    (folder / "outline.yaml").write_text("title: 我自己的\n", encoding="utf-8")
    result = import_report(COUNTY, tmp_path / "data.yaml", outline_dir=folder)
    assert result.output is None and "目录已存在；确认要覆盖请加 --force" in result.problems[0].message
    assert [p.name for p in folder.iterdir()] == ["outline.yaml"] and not (tmp_path / "data.yaml").exists()
    # With --force an outline folder is replaced, nothing of the old one left.
    assert import_report(COUNTY, tmp_path / "data.yaml", outline_dir=folder, force=True).output is not None
    assert (folder / "01_部门基本情况.j2").is_file() and "我自己的" not in (folder / "outline.yaml").read_text("utf-8")
    # A folder that is not an outline is never replaced, --force or not.
    other = tmp_path / "资料"
    other.mkdir()
    (other / "重要.txt").write_text("别删", encoding="utf-8")
    result = import_report(COUNTY, tmp_path / "data2.yaml", outline_dir=other, force=True)
    assert result.output is None and "不是提纲目录" in result.problems[0].message
    assert [p.name for p in other.iterdir()] == ["重要.txt"]


def test_the_folder_must_be_inside_the_data_files_folder(tmp_path: Path) -> None:
    """The data file names its outline by a relative path, and may only use one inside its own folder: a folder
    elsewhere is refused before anything is written (so is the data file's folder itself)."""
    (tmp_path / "部门").mkdir()
    for folder, said in ((tmp_path / "提纲", "之内"), (tmp_path / "部门" / ".." / "提纲", "之内"),
                         (tmp_path / "部门", "本身")):
        result = import_report(COUNTY, tmp_path / "部门" / "data.yaml", outline_dir=folder)
        assert result.output is None and said in result.problems[0].message
        assert result.problems[0].file == str(folder)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["部门"]
    # A source inside the folder to replace would be deleted with it: refused, even with --force.
    folder = tmp_path / "部门" / "提纲"
    folder.mkdir()
    (folder / "outline.yaml").write_text("title: x\n", encoding="utf-8")
    inside = folder / "report.txt"
    inside.write_bytes(COUNTY.read_bytes())
    result = import_report(inside, tmp_path / "部门" / "data.yaml", outline_dir=folder, force=True)
    assert result.output is None and "覆盖提纲目录会删除它" in result.problems[0].message and inside.is_file()


def test_a_shipped_outlines_name_is_not_taken_for_it(tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    assert import_report(EIGHT_PARTS, data, outline_dir=tmp_path / "national").output == data
    assert yaml.safe_load(data.read_text(encoding="utf-8"))["outline"] == "./national"
    assert not [p for p in validate_file(data).problems if p.code in ("unplaced_text", "outline_requires")]


def test_a_failed_data_file_leaves_the_old_folder(tmp_path: Path) -> None:
    folder = tmp_path / "提纲"
    folder.mkdir()
    (folder / "outline.yaml").write_text("title: 旧的\n", encoding="utf-8")

    def fail() -> None:
        assert (folder / "01_x.j2").is_file()  # the new folder is in place when the data file is written
        raise OutputError("data.yaml", "写入失败")

    with pytest.raises(OutputError):
        write_outline(folder, {"01_x.j2": "# {{ \"x\" }}\n", "outline.yaml": "title: 新的\n"}, fail)
    assert [p.name for p in folder.iterdir()] == ["outline.yaml"]
    assert (folder / "outline.yaml").read_text(encoding="utf-8") == "title: 旧的\n"
    assert [p.name for p in tmp_path.iterdir()] == ["提纲"]  # no temporary folder left behind
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C while writing the data file: the same
        write_outline(folder, {"outline.yaml": "title: 新的\n"}, lambda: (_ for _ in ()).throw(KeyboardInterrupt))
    assert (folder / "outline.yaml").read_text(encoding="utf-8") == "title: 旧的\n"
    assert [p.name for p in tmp_path.iterdir()] == ["提纲"]



def test_a_failed_data_file_leaves_no_new_folder(tmp_path: Path) -> None:
    folder = tmp_path / "提纲"

    def fail() -> None:
        raise OutputError("data.yaml", "写入失败")

    with pytest.raises(OutputError):
        write_outline(folder, {"outline.yaml": "title: 新的\n"}, fail)
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a temporary one


def test_a_folder_that_appeared_during_the_import_is_not_replaced(tmp_path: Path) -> None:
    # The import takes a while (LibreOffice, a long PDF): the folder is checked again before it is replaced.
    folder = tmp_path / "提纲"
    output = tmp_path / "data.yaml"

    def meanwhile() -> None:
        if not folder.exists():
            folder.mkdir()
            (folder / "笔记.txt").write_text("别人刚放进来的", encoding="utf-8")
        outline_spec(folder, output, [COUNTY], force=True)

    with pytest.raises(OutputError, match="不是提纲目录"):
        write_outline(folder, {"outline.yaml": "title: 新的\n"}, lambda: None, recheck=meanwhile)
    assert [p.name for p in folder.iterdir()] == ["笔记.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["提纲"]


def test_the_folder_is_as_open_as_one_made_by_hand(tmp_path: Path) -> None:
    folder = tmp_path / "提纲"
    write_outline(folder, {"outline.yaml": "title: 新的\n"}, lambda: None)
    mask = os.umask(0)
    os.umask(mask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~mask

def test_the_command_line_option(tmp_path: Path, runner: CliRunner) -> None:
    data, folder = tmp_path / "2024.yaml", tmp_path / "林业局提纲"
    result = runner.invoke(cli, ["import", str(COUNTY), "-o", str(data), "--outline-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"按原文章节写出提纲目录 {folder}" in result.output and (folder / "outline.yaml").is_file()
    built = runner.invoke(cli, ["build", str(data), "-o", str(tmp_path / "2024.docx")])
    assert built.exit_code == 0, built.output
    assert _headings(_built(tmp_path / "2024.docx"), 1)[1] == "二、部门整体支出绩效目标"
    again = runner.invoke(cli, ["import", str(COUNTY), "-o", str(tmp_path / "other.yaml"),
                                "--outline-dir", str(folder)])
    assert again.exit_code == 1 and "目录已存在" in again.output and not (tmp_path / "other.yaml").exists()
    outside = runner.invoke(cli, ["import", str(COUNTY), "-o", str(tmp_path / "a" / "x.yaml"),
                                  "--outline-dir", str(tmp_path / "b")])
    assert outside.exit_code == 1 and "提纲目录应在数据文件所在的目录" in outside.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


_PIECES = st.one_of(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r\n"),
                    st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", "{% raw %}", "{% endraw %}", "\\", '"', "'"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_a_title_written_into_a_template_stays_text(title: str) -> None:
    # The only user text selfeval writes into a template: as a literal, it renders back as itself.
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    assert env.from_string("{{ " + _literal(title) + " }}").render() == title
