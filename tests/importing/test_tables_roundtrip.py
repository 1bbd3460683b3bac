"""Round trip of generated tables: a data file's ``assessment`` built into .docx by selfeval (with
whatever forms the builder lays it out in today) and imported back is the same ``assessment``; and
the example's table through PDF."""

from __future__ import annotations

import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.commands.build import build_report
from selfeval_cli.commands.import_report import import_report
from selfeval_cli.model.assessment import QUANTITATIVE, Assessment
from selfeval_cli.model.loader import load_file
from selfeval_cli.model.scoring import quantitative_score, score_in_band
from selfeval_cli.vocabulary import CENT, QUALITATIVE_BANDS, TO_FILL

from ..conftest import ROOT, TABLE_EXAMPLE, to_pdf

# Words of names and texts: no digits, signs or brackets (they would read as a value or a weight),
# none of the names of a table's columns and rows (分值, 合计, 等级…), no grade word (达成).
ALPHABET = "水利农林文化体育教育卫生健康服务管理建设项目工程资金保障群众道路河湖绿化医疗养老救助乡村城镇"
UNITS = [None, "%", "个", "万人次", "公里", "元"]
KINDS = ["正向", "反向", "等于", "定性", "按评分标准"]
FORMS = sorted(path.parent.name for path in (ROOT / "templates" / "forms").glob("*/form.yaml")) \
    if "form" in Assessment.model_fields else []
"""The forms the builder ships today (none while tables have one layout only)."""


def words(min_size: int = 2, max_size: int = 10) -> st.SearchStrategy[str]:
    return st.text(alphabet=ALPHABET, min_size=min_size, max_size=max_size)


def prose() -> st.SearchStrategy[str]:
    """Paragraphs, each a sentence: a break inside one is read as where a cell wrapped."""
    return st.lists(words(4, 16), min_size=1, max_size=2).map(lambda lines: "\n".join(f"{line}。" for line in lines))


def amounts(low: int = 0) -> st.SearchStrategy[Decimal]:
    return st.integers(low, 500_000).map(lambda cents: Decimal(cents).scaleb(-2))


def measures() -> st.SearchStrategy[Decimal]:
    """An indicator value with 0 to 2 decimals, as typed (8, 87.5, 94.44, −4.71)."""
    return st.tuples(st.integers(-2_000, 20_000), st.integers(0, 2)).map(
        lambda pair: Decimal(pair[0]).scaleb(-pair[1]))


def weights(total: Decimal, count: int) -> st.SearchStrategy[list[Decimal]]:
    """``count`` positive weights in half points adding up to ``total``."""
    halves = int(total * 2)
    return st.lists(st.integers(1, halves - 1), min_size=count - 1, max_size=count - 1, unique=True).map(
        lambda cuts: [Decimal(b - a) / 2 for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), halves], strict=True)])


@st.composite
def indicator(draw: st.DrawFn, name: str, weight: Decimal) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    out: dict[str, Any] = {"name": name, "kind": kind}
    if kind in QUANTITATIVE:
        unit = draw(st.sampled_from(UNITS))
        if unit:
            out["unit"] = unit
        out["target"], out["actual"] = draw(measures()), draw(measures())
        out["weight"] = weight
        if draw(st.booleans()):  # a typed score that agrees: the importer drops it, the tool computes it
            out["score"] = quantitative_score(kind, out["target"], out["actual"], weight)
    else:
        out["target"], out["actual"], out["weight"] = draw(words()), draw(words()), weight
        if kind == "定性":
            grade = draw(st.sampled_from(list(QUALITATIVE_BANDS)))
            low, high = QUALITATIVE_BANDS[grade]
            share = draw(st.sampled_from([low, (low + high) / 2, high]))
            score = (weight * share).quantize(CENT, rounding=ROUND_HALF_UP)
            if not score_in_band(grade, score, weight):
                score = (weight * low).quantize(CENT, rounding="ROUND_UP")
            out["grade"], out["score"] = grade, score
        else:
            out["score"] = (weight * draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)]))).quantize(CENT)
    if draw(st.booleans()):
        out["reason"] = draw(prose())
    return out


@st.composite
def assessments(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(st.lists(st.lists(st.integers(1, 3), min_size=1, max_size=2), min_size=1, max_size=3))
    count = sum(sum(second) for second in shape)
    names = draw(st.lists(words(), min_size=count + 2 * len(shape) + sum(map(len, shape)),
                          max_size=count + 2 * len(shape) + sum(map(len, shape)), unique=True))
    funding_weight = draw(st.sampled_from([Decimal(0), Decimal(10)]))
    row_weights = iter(draw(weights(100 - funding_weight, count)) if count > 1 else [100 - funding_weight])
    name_of = iter(names)
    levels = []
    for seconds in shape:
        first: dict[str, Any] = {"name": next(name_of) + "指标", "children": []}
        for size in seconds:
            second: dict[str, Any] = {"name": next(name_of), "indicators": [
                draw(indicator(next(name_of), next(row_weights))) for _ in range(size)]}
            if draw(st.booleans()):
                second["weight"] = sum((ind["weight"] for ind in second["indicators"]), Decimal(0))
            first["children"].append(second)
        levels.append(first)
    total = {"name": "年度资金总额", "initial": draw(amounts(1)), "budget": draw(amounts(1)),
             "executed": draw(amounts())}
    funding: dict[str, Any] = {"total": total, "weight": funding_weight,
                               "basis": draw(st.sampled_from(["全年预算数", "年初预算数"]))}
    parts = draw(st.lists(st.tuples(words(), amounts(), amounts(), amounts()), max_size=2, unique_by=lambda p: p[0]))
    if parts:
        funding["parts"] = [{"name": n, "initial": a, "budget": b, "executed": c} for n, a, b, c in parts]
    if draw(st.booleans()):
        funding["reason"] = draw(prose())
    out: dict[str, Any] = {"funding": funding,
                           "goals": draw(st.lists(st.fixed_dictionaries({"target": prose(), "result": prose()}),
                                                  min_size=1, max_size=2)),
                           "indicators": levels}
    for key in ("unit", "supervisor", "contact"):
        if draw(st.booleans()):
            out[key] = draw(words(4, 12))
    if draw(st.booleans()):
        out["phone"] = "0000-" + str(draw(st.integers(1_000_000, 9_999_999)))
    form = draw(st.sampled_from([None, *FORMS]))
    if form:
        out["form"] = form
    return out


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """A Decimal as written: an integer without a point (PyYAML would tag "8" as !!float), else its digits."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value used twice is written twice: the loader refuses anchors


_Dumper.add_representer(Decimal, _decimal)


def data_file(folder: Path, assessment: dict[str, Any]) -> Path:
    """The example department with ``assessment`` for its table (its verdict no longer quoting a 总分)."""
    data = load_file(TABLE_EXAMPLE).data
    data["assessment"] = assessment
    data["verdict"] = "预算编制较为科学，执行进度总体符合要求，资金使用效益良好。"
    path = folder / "generated.yaml"
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def comparable(assessment: Assessment, department: str) -> dict[str, Any]:
    """What the table says, the way a printed table can say it: the unit defaults to the department, a
    form prints 填表人 (the preparer, else the contact) rather than the contact, a level's weight is the
    sum of its rows', and a typed 得分 the rules compute anyway is no figure of its own."""
    data = assessment.model_dump(exclude_none=True)
    data.pop("form", None)  # the layout is the builder's: import reads any
    data.setdefault("unit", department)
    person = data.pop("preparer", None) or data.pop("contact", None)
    data.pop("contact", None)
    if person:
        data["person"] = person
    for first in data["indicators"]:
        for second in first["children"]:
            for row in second["indicators"]:
                if row["kind"] in QUANTITATIVE and row.get("score") == quantitative_score(
                        row["kind"], row["target"], row["actual"], row["weight"]):
                    del row["score"]
            second["weight"] = sum((row["weight"] for row in second["indicators"]), Decimal(0))
        first["weight"] = sum((second["weight"] for second in first["children"]), Decimal(0))
    return data


def imported_back(built: Path, folder: Path, original: Assessment) -> Assessment:
    """The ``assessment`` imported from ``built``. What a form does not print (the 评分表 has no funding
    block and no goals) cannot come back: the importer writes 待填 there, replaced by the original's."""
    result = import_report(built, folder / "imported.yaml", force=True)
    assert result.output is not None, [p.format() for p in result.problems]
    loaded = validate_file(result.output).loaded
    assert loaded is not None
    # A table selfeval printed leaves the reader nothing to guess about a text row's kind.
    assert not [entry for entry in loaded.data.get("review", []) if "没有写评价等级" in entry["reason"]]
    assert loaded is not None
    data = loaded.data["assessment"]
    if data["funding"]["total"]["initial"] == TO_FILL:
        data["funding"] = {**data["funding"], "total": original.funding.total.model_dump()}
        data["funding"].update((k, v) for k, v in original.funding.model_dump(exclude_none=True).items()
                               if k in ("parts", "basis", "reason"))
    if data["goals"][0]["target"] == TO_FILL:
        data["goals"] = [goal.model_dump() for goal in original.goals]
    printed = zipfile.ZipFile(built).read("word/document.xml").decode("utf-8") if built.suffix == ".docx" else ""
    for key in ("supervisor", "phone"):  # a header field the form has no cell for
        value = getattr(original, key)
        if value is not None and key not in data and value not in printed:
            data[key] = value
    return Assessment.model_validate(data)


# Each example builds and imports a report (about half a second): few examples, and no shrinking
# (which takes minutes) — a failure shows the example as generated.
@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(assessments())
def test_build_then_import_gives_the_same_assessment(tmp_path: Path, generated: dict[str, Any]) -> None:
    source = data_file(tmp_path, generated)
    checked = validate_file(source)
    assert checked.report is not None, [p.format() for p in checked.problems if p.severity.value == "error"]
    original = checked.report.assessment
    assert original is not None
    built = tmp_path / "built.docx"
    assert build_report(source, built).output == built
    back = imported_back(built, tmp_path, original)
    department = checked.report.department.name
    assert comparable(back, department) == comparable(original, department)


def test_the_example_table_through_pdf(tmp_path: Path) -> None:
    """The PDF keeps everything but the paragraph breaks inside a cell (a cell's lines are rejoined)."""
    checked = validate_file(TABLE_EXAMPLE)
    assert checked.report is not None and checked.report.assessment is not None
    built = tmp_path / "example.docx"
    assert build_report(TABLE_EXAMPLE, built).output == built
    back = imported_back(to_pdf(built), tmp_path, checked.report.assessment)
    department = checked.report.department.name

    def joined(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: joined(v) for k, v in value.items()}
        if isinstance(value, list):
            return [joined(v) for v in value]
        return value.replace("\n", "") if isinstance(value, str) else value

    assert joined(comparable(back, department)) == joined(comparable(checked.report.assessment, department))
