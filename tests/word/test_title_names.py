"""A long title breaks between words: the unit's name at its head is one word while it fits on a line."""

from __future__ import annotations

import pytest

from selfeval_cli.word import styles as st
from selfeval_cli.word.titles import break_title

PER_LINE = (st.PAGE_WIDTH_MM - st.MARGINS_MM["left"] - st.MARGINS_MM["right"]) / 25.4 * 72 / st.TITLE_PT
"""Characters of 2号 on one line of the text area (about 20)."""


@pytest.mark.parametrize(("title", "first_line"), [
    ("中共寻甸回族彝族自治县委员会办公室2023年度部门整体支出绩效自评报告", "中共寻甸回族彝族自治县委员会办公室"),
    ("株洲市渌口区教育局2024年度部门整体支出绩效自评报告", "株洲市渌口区教育局2024年度"),
    ("示例县文化旅游广电体育局2025年度部门整体支出绩效自评报告", "示例县文化旅游广电体育局"),
    ("某某县住房和城乡建设局部门整体支出绩效自评报告", "某某县住房和城乡建设局"),
])
def test_the_name_stays_whole(title: str, first_line: str) -> None:
    lines = break_title(title, PER_LINE).split("\n")
    assert lines[0] == first_line and "".join(lines) == title


def test_a_short_title_is_not_broken() -> None:
    assert break_title("某县教育局自评报告", PER_LINE) == "某县教育局自评报告"
