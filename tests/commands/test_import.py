"""selfeval import: published reports (ours, the real one as text and as Word, another outline) read back."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.cli import cli
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.importing.outline import Node, build_tree, marker_of
from selfeval_cli.importing.reader import Para, tidy
from selfeval_cli.model.report import Report
from selfeval_cli.render.sections import render_blocks
from selfeval_cli.word.writer import build_document

from ..conftest import EXAMPLE, FIXTURES, OTHER, PUBLISHED, TABLE_EXAMPLE, edited_copy, word_number
from ..docx_read import body_texts, open_docx
from ..word.test_fidelity import reproduced


def slips(path: Path) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in validate_file(path).problems if p.code != "check_review"]


@pytest.mark.parametrize("source", [EXAMPLE, OTHER], ids=["published", "other"])
def test_build_import_build_gives_the_same_report(source: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.docx"
    assert build_report(source, first).output == first
    result = import_report(first, tmp_path / "imported.yaml")
    assert result.output is not None and result.review == 0  # our own output needs no interpretation
    assert slips(result.output) == slips(source)  # the published example: its same two slips
    second = tmp_path / "second.docx"
    assert build_report(result.output, second).output == second
    assert body_texts(open_docx(second)) == body_texts(open_docx(first))


def test_the_published_text_as_it_is(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "2024.yaml"
    result = runner.invoke(cli, ["import", str(PUBLISHED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    imported, example = validate_file(out).parsed, validate_file(EXAMPLE).parsed
    assert imported is not None and example is not None
    assert imported.model_dump(exclude={"review"}) == example.model_dump(exclude={"review"})
    reasons = [item.reason for item in imported.review]
    assert any("“5、”" in r and "按同一级的第 5 项读取" in r for r in reasons)
    assert any("“（2）”" in r for r in reasons)
    assert any("“795.63元”" in r and "按 795.63 万元读取" in r for r in reasons)
    # validate repeats each interpretation, with a line, until it is dealt with.
    assert sum(": warning: " in line and "待核对" in line for line in result.output.splitlines()) == len(reasons)


def _word_numbered(text: str, target: Path) -> None:
    """The published text as a Word file whose headings Word numbers itself (a list level each,
    no number in the text), at the level the heading has in the report's structure."""
    root, _ = build_tree([Para(line) for line in (tidy(raw) for raw in text.splitlines()) if line])
    document = docx.Document()

    def emit(node: Node, depth: int) -> None:
        word_number(document.add_paragraph(node.title), depth)
        for line in node.body:
            document.add_paragraph(line)
        for child_node in node.children:
            emit(child_node, depth + 1)

    for line in root.body:
        document.add_paragraph(line)
    for section in root.children:
        emit(section, 0)
    document.save(str(target))


def test_the_published_report_numbered_by_word(tmp_path: Path) -> None:
    source = tmp_path / "published.docx"
    _word_numbered(PUBLISHED.read_text(encoding="utf-8"), source)
    result = import_report(source, tmp_path / "2024.yaml")
    assert result.output is not None
    rebuilt = tmp_path / "rebuilt.docx"
    assert build_report(result.output, rebuilt).output == rebuilt
    ratio, missing = reproduced(rebuilt)
    assert ratio >= 0.97, missing


def test_another_outline_loses_no_paragraph(tmp_path: Path) -> None:
    """A report in the national outline's chapters, in its own order and words: each chapter into the field
    it is about, the data naming that outline; every sentence kept (a sub-heading the department's
    figures were read from is quoted on the review list)."""
    source = FIXTURES / "import" / "eight_part_outline.txt"
    result = import_report(source, tmp_path / "x.yaml")
    assert result.output is not None
    text = result.output.read_text(encoding="utf-8")
    for line in source.read_text(encoding="utf-8").splitlines():
        found = marker_of(line)
        if (found and found[0] == "一、") or re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line):
            continue  # a chapter's own title (named on the review list with the field it went to); the date
        for sentence in re.split(r"[。；]", found[3] if found else line):
            assert sentence.strip() in text, sentence
    data = yaml.safe_load(text)  # the department's figures are 待填 still: read it as plain YAML
    assert data["closing"] == {"signature": "某县水利局", "date": dt.date(2025, 3, 10)}
    assert data["outline"] == "national"
    assert (data["summary"], data["performance_goals"]) == (
        "本报告对某县水利局2024年度部门整体支出进行了绩效评价，评价得分92分。",
        "完成三座小型水库除险加固；农田灌溉保证率达到85%。")
    assert data["conclusion"].startswith("总体目标基本完成。") and data["experience"].startswith("坚持项目化管理")
    assert data["evaluation"]["process"] == "评价组查阅资料、实地核查，并开展满意度调查。"
    assert "加强项目前期工作" in data["suggestions"] and "more_sections" not in data
    chapters = next(entry["reason"] for entry in data["review"] if entry["path"] == "outline")
    assert "“评价结论和绩效分析”→ conclusion" in chapters and "“改进措施及建议”→ suggestions" in chapters


def test_unreadable_sources_and_refusals(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["import", str(tmp_path / "没有.docx"), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "没有.docx: error: 文件不存在" in result.output
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"not a zip")
    result = runner.invoke(cli, ["import", str(broken), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "不是可以读取的 Word" in result.output
    text = tmp_path / "no_year.txt"
    text.write_text("一、预算单位基本情况\n某局为正科级行政单位。\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(text), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "--year" in result.output and not (tmp_path / "x.yaml").exists()
    assert runner.invoke(cli, ["import", str(text), "-o", str(tmp_path / "x.yaml"), "--year", "2024"]).exit_code == 0
    again = runner.invoke(cli, ["import", str(text), "-o", str(tmp_path / "x.yaml"), "--year", "2024"])
    assert again.exit_code == 1 and "文件已存在" in again.output


def test_import_then_new_year(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["import", str(PUBLISHED), "-o", str(tmp_path / "2024.yaml")]).exit_code == 0
    result = runner.invoke(cli, ["new-year", str(tmp_path / "2024.yaml")])
    assert result.exit_code == 0 and (tmp_path / "2025.yaml").is_file()


# --- generated reports: import(build(data)) == data for what the default outline prints -----------

_WORDS = st.sampled_from(["推进", "资金", "管理", "项目", "制度", "落实", "全面", "加强", "服务", "保障", "群众",
                          "建设", "规范", "质量", "工作", "提升", "教育", "卫生", "基层", "年度"])
_NAMES = st.sampled_from(["王建国", "李红", "张志强", "刘芳", "陈明", "杨帆", "赵丽", "黄海"])


def _text(words: int = 6) -> st.SearchStrategy[str]:
    return st.lists(_WORDS, min_size=2, max_size=words).map("".join)


def _sentences(paragraphs: int = 2) -> st.SearchStrategy[str]:
    paragraph = st.lists(_text(), min_size=1, max_size=3).map(lambda parts: "，".join(parts) + "。")
    return st.lists(paragraph, min_size=1, max_size=paragraphs).map("\n".join)


_MONEY = st.decimals(min_value=0, max_value=99999, places=2)


@st.composite
def _part(draw: st.DrawFn) -> dict[str, object]:
    items = draw(st.lists(st.fixed_dictionaries({"name": _text(3), "amount": _MONEY}), max_size=3,
                          unique_by=lambda item: item["name"]))
    for item in items:
        if draw(st.booleans()):
            item["previous"] = draw(_MONEY)
    part: dict[str, object] = {"amount": draw(_MONEY), "items": items}
    if draw(st.booleans()):
        part["previous"] = draw(_MONEY)
    if draw(st.booleans()):  # 全年执行数, with or without 全年预算数, and now and then a reason
        part["executed"] = draw(_MONEY)
        if draw(st.booleans()):
            part["adjusted"] = draw(_MONEY)
        if draw(st.booleans()):
            part["reason"] = draw(_text()) + "。"
    return part


def _expense(draw: st.DrawFn) -> dict[str, object]:
    figures: dict[str, object] = {"budget": draw(_MONEY), "actual": draw(_MONEY)}
    if draw(st.booleans()):
        figures["previous"] = draw(_MONEY)
    return figures


@st.composite
def _reports(draw: st.DrawFn) -> dict[str, object]:
    year = draw(st.integers(2020, 2030))
    internal = draw(st.lists(_text(2).map(lambda t: t + "股"), min_size=1, max_size=3, unique=True))
    affiliated = draw(st.lists(_text(2).map(lambda t: t + "中心"), max_size=2, unique=True))
    rank = draw(st.sampled_from([None, "正股级"]))
    units: list[dict[str, object]] = [{"kind": "内设机构", "name": name, "duties": draw(_sentences()),
              "plaques": draw(st.lists(_text(2).map(lambda t: t + "办公室"), max_size=2, unique=True))}
             for name in internal]
    units += [{"kind": "局属事业单位", "name": name, "rank": rank, "duties": draw(_sentences())} for name in affiliated]
    authorized = draw(st.integers(1, 300))
    staffing: dict[str, object] = {"authorized": authorized, "actual": draw(st.integers(0, authorized))}
    if draw(st.booleans()):
        staffing["groups"] = [{"name": "行政编制", "authorized": authorized, "actual": staffing["actual"]}]
        staffing["retired"] = draw(st.integers(0, 50))
    budget = {"amount": draw(_MONEY), "basic": draw(_part()), "project": draw(_part())}
    extra: dict[str, object] = {}
    if draw(st.booleans()):
        extra["income"] = {"amount": draw(_MONEY), "previous": draw(_MONEY),
                           "sources": [{"name": "财政拨款收入", "amount": draw(_MONEY)}]}
        extra["three_public"] = {"abroad": _expense(draw), "reception": _expense(draw),
                                 "vehicles": {**_expense(draw), "operation": _expense(draw)}}
        budget.update(adjusted=draw(_MONEY), executed=draw(_MONEY))
    return {
        "year": year,
        "attachment": {"label": "附件2", "title": "部门整体支出绩效自评报告"},
        "notice": {"issuer": "某县财政局", "title": f"关于开展{year}年度部门整体支出绩效自评工作的通知",
                   "document_number": f"某财〔{year}〕{draw(st.integers(1, 99))}号"},
        "scope": draw(_text()) + "整体支出绩效", "verdict": draw(_text()) + "。",
        "department": {"name": draw(st.sampled_from(["某县教育局", "某区卫生健康局", "某县文化馆"])),
                       "rank": "正科级", "kind": "行政单位",
                       "duties": draw(st.lists(_sentences(1), min_size=1, max_size=4)), "units": units,
                       "staffing": staffing},
        "key_work": draw(st.lists(st.fixed_dictionaries({"title": _text(), "text": _sentences()}),
                                  min_size=1, max_size=3)),
        "budget": budget, **extra,
        "evaluation": {"team": {"leader": {"name": draw(_NAMES), "title": "局长"},
                                "deputies": [{"name": n, "title": "副局长"}
                                             for n in draw(st.lists(_NAMES, max_size=2, unique=True))],
                                "members": [{"name": n} for n in draw(st.lists(_NAMES, min_size=1, max_size=3,
                                                                               unique=True))]},
                       "process": draw(_sentences()), "use_of_funds": "资金主要用于" + draw(_text()) + "。"},
        "problems": draw(_sentences(3)),
        "improvements": {"opening": draw(st.one_of(st.none(), _sentences())),
                         "measures": draw(st.lists(st.fixed_dictionaries({"title": _text(), "text": _sentences()}),
                                                   min_size=1, max_size=3))},
        "disclosure": draw(_sentences()),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_reports())
def test_import_of_a_built_report_gives_back_its_data(tmp_path: Path, data: dict[str, object]) -> None:
    report = Report.model_validate(data)
    built = tmp_path / "r.docx"
    built.write_bytes(build_document(report, render_blocks(report)))
    result = import_report(built, tmp_path / "back.yaml", force=True)
    assert result.output is not None
    back = validate_file(result.output).parsed
    assert back is not None, result.problems
    assert back.model_dump(exclude={"review"}) == report.model_dump(exclude={"review"})
    assert back.review == []


def test_zero_expenses_read_back() -> None:
    from selfeval_cli.importing.figures import three_public

    read = three_public("“三公”经费预算3.00万元，实际支出2.00万元，控制率66.67%。其中：因公出国（境）费未安排支出；"
                        "公务用车购置及运行维护费预算1.00万元，实际支出1.00万元，控制率100.00%（购置费未安排支出；"
                        "运行维护费预算1.00万元，实际支出1.00万元，控制率100.00%）；公务接待费预算2.00万元，实际支出1.00万元，"
                        "控制率50.00%。")
    assert read is not None
    zero = {"budget": Decimal("0.00"), "actual": Decimal("0.00"), "previous": Decimal("0.00")}
    assert read["abroad"] == zero and read["vehicles"]["purchase"] == zero
    assert read["reception"] == {"budget": Decimal("2.00"), "actual": Decimal("1.00")}


def test_the_full_example_with_its_table_comes_back_as_its_own_data(tmp_path: Path) -> None:
    # The fictional county's file has every part (income, execution, "三公", staff by kind, assets, the 自评表):
    # built and imported, it is the same data, with nothing to review. Its table writes the grade of its 定性
    # row after the 实际完成值, so its ungraded text row is 按评分标准 by the table's own convention.
    built = tmp_path / "full.docx"
    assert build_report(TABLE_EXAMPLE, built).output == built
    result = import_report(built, tmp_path / "back.yaml")
    assert result.output is not None and result.review == 0
    back = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    assert "review" not in back
    assert back == yaml.safe_load(TABLE_EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("drop_units", [True, False], ids=["no units named", "named"])
def test_a_national_report_is_asked_for_no_duties_of_its_units(tmp_path: Path, drop_units: bool) -> None:
    """The national outline names the units only: importing one of its reports asks for no unit's duties,
    whether it named its units or not (then one unit stands to fill, by name)."""
    text = (FIXTURES / "import" / "national_outline.txt").read_text(encoding="utf-8")
    if drop_units:
        text = "\n".join(line for line in text.splitlines() if "个内设机构" not in line)
    source = tmp_path / "national.txt"
    source.write_text(text, encoding="utf-8")
    result = import_report(source, tmp_path / "n.yaml")
    assert result.output is not None
    assert not any("duties" in problem.path and "units" in problem.path for problem in result.problems)
    units = yaml.safe_load(result.output.read_text(encoding="utf-8"))["department"]["units"]
    assert all("duties" not in unit for unit in units) and (len(units) == 1) is drop_units


def test_a_hunan_report_is_asked_for_each_units_duties(tmp_path: Path) -> None:
    source = tmp_path / "hunan.txt"
    source.write_text("附件2\n某县水利局2024年度部门整体支出绩效自评报告\n一、预算单位基本情况\n某县水利局为正科级行政单位。\n"
                      "二、一般公共预算支出情况\n年初财政批复的整体支出合计100.00万元。\n三、部门整体支出绩效情况\n较好。\n"
                      "四、存在的问题及原因分析\n无。\n五、下一步改进措施\n（一）加强管理。按月调度。\n",
                      encoding="utf-8")
    result = import_report(source, tmp_path / "h.yaml")
    assert result.output is not None
    units = yaml.safe_load(result.output.read_text(encoding="utf-8"))["department"]["units"]
    assert units == [{"kind": "内设机构", "name": "待填", "duties": "待填"}]  # to fill, each at its line
    assert any(problem.path == "department.units[0].duties" and "待填" in problem.message
               for problem in result.problems)


def test_a_table_selfeval_printed_needs_no_guess_about_its_rows(tmp_path: Path) -> None:
    """A 自评表 whose text rows carry no grade at all (its 定性 row made a 按评分标准 one): the reader cannot
    tell a rule row from an ungraded 定性 row — unless the table is the one selfeval prints for the data
    read, which it checks by building it again. A table with one cell written otherwise by hand ("不少于10万人次"
    where selfeval writes "≥10万人次", read as the same figure) is not, and keeps the question on the list."""
    graded = ("              kind: 定性\n              target: 县乡村三级全覆盖\n"
              "              actual: 县乡两级全覆盖，村级覆盖九成\n"
              "              weight: 10\n              grade: 部分达成\n")
    ruled = graded.replace("kind: 定性", "kind: 按评分标准").replace("              grade: 部分达成\n", "")
    source = edited_copy(TABLE_EXAMPLE, tmp_path, [(graded, ruled)])
    built = tmp_path / "built.docx"
    assert build_report(source, built).output == built
    result = import_report(built, tmp_path / "back.yaml")
    assert result.output is not None and result.review == 0
    assert yaml.safe_load(result.output.read_text(encoding="utf-8")) == yaml.safe_load(
        source.read_text(encoding="utf-8"))
    document = docx.Document(str(built))
    cell = next(cell for row in document.tables[0].rows for cell in row.cells if cell.text == "≥10万人次")
    cell.paragraphs[0].runs[0].text = "不少于10万人次"
    document.save(str(tmp_path / "edited.docx"))
    edited = import_report(tmp_path / "edited.docx", tmp_path / "edited.yaml")
    assert edited.output is not None
    reasons = [entry["reason"] for entry in yaml.safe_load(edited.output.read_text(encoding="utf-8"))["review"]]
    assert sum("没有写评价等级" in reason for reason in reasons) == 2


def test_a_work_item_of_one_sentence_is_its_title_alone(tmp_path: Path) -> None:
    """A 重点工作 item or a measure that is one sentence needs no text invented for it: it prints as a numbered
    line, and imports back the same, title alone."""
    source = edited_copy(OTHER, tmp_path, [("  - title: 举办全县运动会\n    text: 共有二十个乡镇代表队参赛。\n",
                                            "  - title: 举办全县运动会\n")])
    built = tmp_path / "r.docx"
    assert build_report(source, built).output == built
    texts = body_texts(open_docx(built))
    assert "2.举办全县运动会。" in texts  # numbered as the item before it, "1.建成县图书馆新馆。新馆于……"
    result = import_report(built, tmp_path / "back.yaml")
    assert result.output is not None and result.review == 0
    back = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    assert back["key_work"][1] == {"title": "举办全县运动会"}
