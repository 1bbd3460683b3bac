"""The value types every part of the data is built from: text, counts, years, document numbers.

Each is an annotated type with its rule and its Chinese message, shared by the report model
(``report``) and the self-assessment table (``assessment``).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

from selfeval_cli.vocabulary import STILL_TO_FILL, TO_FILL

TO_FILL_CODES = frozenset({"money_to_fill", "text_to_fill", "date_to_fill", "count_to_fill", "assessment_to_fill"})
"""Problem codes of a value still ``待填`` (left by ``new-year`` or ``init`` for the user to enter)."""

MAX_TEXT = 20_000
"""Longest text accepted in one field (characters); a whole published report is ~12 000."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DOC_NUMBER = re.compile(r"^(?P<prefix>\S+?)[〔【\[［(（](?P<year>\d{4})[〕】\]］)）](?P<serial>\d+)号$")


def _check_text(value: str, *, multiline: bool) -> str:
    match = _CONTROL.search(value)
    if match:
        raise PydanticCustomError(
            "text_control", "含有 Word 无法保存的控制字符 U+{code}（第 {pos} 个字符处），请删除",
            {"code": f"{ord(match.group()):04X}", "pos": match.start() + 1})
    if len(value) > MAX_TEXT:
        raise PydanticCustomError(
            "text_too_long", "文本过长（{length} 字），单个字段最多 {limit} 字",
            {"length": len(value), "limit": MAX_TEXT})
    value = value.strip()
    if not value:
        raise PydanticCustomError("text_empty", "不能为空")
    if value == TO_FILL:
        raise PydanticCustomError("text_to_fill", f"尚未填写{STILL_TO_FILL}")
    if not multiline and "\n" in value:
        raise PydanticCustomError("text_newline", "不能换行（只能写一行）")
    return value


def one_line(value: str) -> str:
    """The rule of ``Text``: one non-empty line without control characters, trimmed."""
    return _check_text(value, multiline=False)


def _paragraphs(value: str) -> str:
    # One paragraph per non-empty line; blank lines and indentation carry no meaning.
    return "\n".join(line.strip() for line in _check_text(value, multiline=True).splitlines() if line.strip())


def _doc_number(value: str) -> str:
    value = one_line(value)
    match = _DOC_NUMBER.match(value.replace(" ", ""))
    if not match:
        raise PydanticCustomError(
            "doc_number", "发文字号格式应为“机关代字〔年份〕序号号”，如 渌财通〔2024〕6号，实际为“{value}”",
            {"value": value})
    # GB/T 9704-2012 7.2.4: the year of a document number stands in 六角括号 〔〕.
    return f"{match['prefix']}〔{match['year']}〕{match['serial']}号"


Text = Annotated[str, AfterValidator(one_line)]
"""One line of text, never empty, without control characters."""
Prose = Annotated[str, AfterValidator(_paragraphs)]
"""Free text; each non-empty line is one paragraph."""
DocNumber = Annotated[str, AfterValidator(_doc_number)]
def _count_to_fill(value: object) -> object:
    if isinstance(value, str) and value.strip() == TO_FILL:
        raise PydanticCustomError("count_to_fill", f"人数或个数未填写{STILL_TO_FILL}")
    return value


Count = Annotated[StrictInt, Field(ge=0, le=1_000_000), BeforeValidator(_count_to_fill)]
Year = Annotated[StrictInt, Field(ge=2000, le=2100)]


def paragraphs(prose: str) -> list[str]:
    """The paragraphs of a ``Prose`` value."""
    return [line for line in prose.split("\n") if line]


def doc_number_year(number: str) -> int | None:
    """The year inside a document number such as 渌财通〔2024〕6号."""
    match = _DOC_NUMBER.match(number)
    return int(match["year"]) if match else None


class StrictModel(BaseModel):
    """Unknown keys are errors; values are not changed after validation."""

    # defer_build: the report is only ever validated whole, so one validator (Report's) is built
    # on first use instead of one per nested model at import (about 10 ms of every command).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # Empty lists are defaults written ``Field(default=[])``: pydantic copies a default for every
    # instance, and ``default_factory=list`` would make it read the signature of a builtin, which
    # compiles the tokenizer's largest regular expression (about 7 ms of every start).


