"""Sentences that state income, execution, "三公", staffing detail and assets; and four wording slips."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from selfeval_cli.commands.build import build_report
from selfeval_cli.model.report import Report
from selfeval_cli.phrases import chinese_count
from selfeval_cli.render.blocks import Heading, Paragraph
from selfeval_cli.render.sections import render_blocks
from selfeval_cli.render.textfmt import year_on_year

from ..conftest import TABLE_EXAMPLE, report_with
from ..docx_read import body_texts, open_docx


def _texts(report: Report) -> list[str]:
    return [b.text for b in render_blocks(report) if isinstance(b, Paragraph)]


def test_every_figure_is_stated_in_the_built_report(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    assert build_report(TABLE_EXAMPLE, out).output == out
    text = "\n".join(body_texts(open_docx(out)))
    for sentence in (
        "全局编制共36人，其中行政编制30人、工勤编制6人；实际在职人员34人（行政编制29人、工勤编制5人）；退休人员16人。",
        "核定公务用车编制3辆，实有3辆；固定资产原值2345.67万元。",
        "2025年收入1282.60万元，较上年增加92.30万元，增长7.75%，其中：财政拨款收入1270.80万元，"
        "较上年增加90.30万元，增长7.65%；其他收入11.80万元，较上年增加2.00万元，增长20.41%。",
        "整体支出全年预算数（调整后预算）1270.80万元，全年执行数（决算数）1240.60万元，执行率97.62%。",
        "基本支出全年预算数（调整后预算）860.80万元，全年执行数（决算数）858.20万元，执行率99.70%。",
        "项目支出全年预算数（调整后预算）410.00万元，全年执行数（决算数）382.40万元，执行率93.27%。",
        "“三公”经费预算15.00万元，实际支出13.15万元，控制率87.67%，较上年减少0.65万元，下降4.71%。",
        "公务接待费预算3.00万元，实际支出2.35万元，控制率78.33%，较上年减少0.25万元，下降9.62%。",
        # One part is the whole, the other zero: said once, not repeated in full inside the brackets.
        "公务用车购置及运行维护费预算12.00万元，实际支出10.80万元，控制率90.00%，较上年减少0.40万元，下降3.57%"
        "（全部为运行维护费，购置费未安排支出）；",
        "其中：因公出国（境）费未安排支出；",
    ):
        assert sentence in text, sentence
    assert "（一）收入情况" in text and "（四）“三公”经费支出情况" in text


def test_nothing_is_said_of_figures_the_data_lacks(example_report: Report) -> None:
    blocks = render_blocks(example_report)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "一般公共预算支出情况")
    end = next(i for i, b in enumerate(blocks) if i > start and isinstance(b, Heading) and b.level == 1)
    budget_text = "\n".join(b.text for b in blocks[start:end] if isinstance(b, Paragraph))
    for absent in ("收入", "执行率", "全年预算数", "决算", "三公"):
        assert absent not in budget_text, absent
    staffing = next(t for t in _texts(example_report) if t.startswith("全局编制"))
    assert staffing == "全局编制共58人，实际在职人员58人。"
    headings = [b.text for b in render_blocks(example_report) if isinstance(b, Heading) and b.level == 2]
    assert "收入情况" not in headings and "“三公”经费支出情况" not in headings


def test_actual_spending_without_an_adjusted_budget(table_example: Report) -> None:
    budget = {**table_example.budget.model_dump(), "adjusted": None}
    texts = _texts(report_with(table_example, (("budget",), budget)))
    assert any("整体支出全年实际支出（决算数）1240.60万元。" in t for t in texts)


def test_counts_before_a_measure_word_read_liang(table_example: Report) -> None:
    assert [chinese_count(n) for n in (1, 2, 3, 12, 20, 22)] == ["一", "两", "三", "十二", "二十", "二十二"]
    assert any("设三个内设机构和两个副科级局属事业单位" in t for t in _texts(table_example))


def test_several_plaques_in_one_bracket(table_example: Report) -> None:
    titles = [b.text for b in render_blocks(table_example) if isinstance(b, Heading) and b.level == 3]
    assert "文化艺术股（加挂文物股、非物质文化遗产保护股牌子）" in titles
    assert not any("牌子）（加挂" in t for t in titles)


@pytest.mark.parametrize(("name", "unit_word", "said"), [
    ("某县文化旅游广电体育局", None, "全局编制"),
    ("某县政务服务中心", None, "全中心编制"),
    ("某县政协委员会", "委", "全委编制"),
    ("某区人民政府办公室", "办", "全办编制"),
])
def test_the_department_refers_to_itself_rightly(table_example: Report, name: str, unit_word: str | None,
                                                  said: str) -> None:
    department = {**table_example.department.model_dump(), "name": name, "unit_word": unit_word}
    assert any(t.startswith(said) for t in _texts(report_with(table_example, (("department",), department))))


@pytest.mark.parametrize(("current", "previous", "clause"), [
    ("5.00", "5.00", "，与上年持平"),
    ("5.00", "0.00", "，较上年增加5.00万元"),  # no percentage of nothing
    ("0.00", "5.00", "，较上年减少5.00万元，下降100.00%"),
    ("100000.01", "100000.00", "，较上年增加0.01万元，增长不足0.01%"),  # never "增长0.00%"
    ("99999.99", "100000.00", "，较上年减少0.01万元，下降不足0.01%"),
    ("110.00", "100.00", "，较上年增加10.00万元，增长10.00%"),
])
def test_year_on_year_words_at_the_edges(current: str, previous: str, clause: str) -> None:
    assert year_on_year(Decimal(current), Decimal(previous)) == clause
