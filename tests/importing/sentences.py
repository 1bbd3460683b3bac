"""What an imported report must keep: the sentences of its source, and where the data file holds them.

Shared by the tests of text shapes, of the fixture corpus and the property over random documents.
A source is cut into pieces (sentences, cut at line ends and at heading numbers, spaces removed);
each must stand in the data file's text, unless it is a heading the importer read as structure, or
a sentence the importer read into fields (``placed`` says how that is told). The review list keeps
nothing: its entries are deleted once checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from selfeval_cli.importing.outline import Node, build_tree
from selfeval_cli.importing.reader import SourceDocument
from selfeval_cli.importing.text import normalise
from selfeval_cli.vocabulary import (
    AFFILIATED_UNITS,
    AUTHORIZED_WORD,
    CHANGE_WORDS,
    DOWN_WORDS,
    IN_POST_WORDS,
    INTERNAL_UNIT,
    MONEY_UNIT,
    OWN_LEVEL_WORDS,
    RETIRED_WORDS,
    STAFF_KINDS,
    THREE_PUBLIC_NAMES,
    THREE_PUBLIC_SYNONYMS,
    UP_WORDS,
)

HEADING_NUMBER = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、](?!\d)")
PAGE_NUMBER = re.compile(r"\s[—–－]\s*\d{1,3}\s*[—–－]\s")
"""A page number the PDF viewer copied into the one-line text: not a sentence of the report."""
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
AWAY = ("sections", "more_sections")
"""Where the text that fits no field goes: not recognised."""


_FOLD = str.maketrans("，；：？！（）", ",;:?!()")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fold(text: str) -> str:
    """``text`` without spaces, its Chinese punctuation written in ASCII: whether a comma at a line's
    end became full-width depends on how the reader joined the line, not on what the text says."""
    return squash(text).translate(_FOLD)


def strings(value: Any, skip: Iterable[str] = ("review",), *, figures: bool = True) -> list[str]:
    """Every text in the data (a date as the report writes it), the keys in ``skip`` left out; the
    figures too, as text, unless told (``figures_of`` gives them as numbers)."""
    skipped = tuple(skip)
    if isinstance(value, dict):
        return [s for key, item in value.items() if key not in skipped for s in strings(item, skipped, figures=figures)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item, skipped, figures=figures)]
    if isinstance(value, dt.date):
        return [f"{value.year}年{value.month}月{value.day}日"]
    if not figures and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return []
    return [str(value)]


def pieces(text: str) -> list[str]:
    """The sentences of ``text`` (split on 。 and at line ends: the fields take a title or a label
    apart from the sentence after it), each cut at its heading numbers (the importer makes them
    titles), spaces removed: what must stand somewhere in the data file."""
    return [piece for line in text.splitlines() for sentence in squash(line).split("。")
            for piece in HEADING_NUMBER.split(sentence) if re.search(r"\w", piece)]  # "!" alone says nothing


def nodes(node: Node) -> list[Node]:
    return [child for sub in node.children for child in (sub, *nodes(sub))]


def structure_titles(document: SourceDocument) -> list[str]:
    """The titles of the headings the importer reads in ``document`` (and the label of a title that
    runs on into its text), folded, longest first."""
    root, _ = build_tree(document.paragraphs)
    titles = {fold(node.title) for chapter in root.children for node in (chapter, *nodes(chapter))}
    labels = {label + colon for title in titles if ":" in title  # "人员情况：全局编制共58人…"
              for label in [title.partition(":")[0]] for colon in ("", ":")}
    return sorted(titles | labels, key=len, reverse=True)


def without_titles(piece: str, titles: list[str], kept: str) -> str:
    """``piece`` without a heading title it starts with (a heading is structure, not a sentence),
    unless the whole piece is that title and the data keeps it."""
    for title in titles:
        piece = piece.removeprefix(title) if piece != title or title not in kept else piece
    return piece


def numbers(text: str) -> set[Decimal]:
    """The numbers written in ``text``, as values (1,086.40 and 1086.4 alike)."""
    return {Decimal(found.replace(",", "")).normalize() for found in NUMBER.findall(text)}


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, value) of every scalar in the data: ``budget.basic.items[0].amount``."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}" if path else str(key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, f"{path}[{index}]")]
    return [(path, value)]


def figures_of(data: dict[str, Any]) -> dict[str, Decimal]:
    """The numeric fields the importer filled (the review list and the 自评表 left out)."""
    return {path: Decimal(str(value)).normalize() for path, value in leaves(data)
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            and not path.startswith(("review", "assessment"))}


def source_pieces(source: str, document: SourceDocument) -> list[str]:
    """The pieces of the source text, the table of contents the reader skipped left out."""
    contents = [squash(line) for line in document.contents]
    lines = []
    for line in source.splitlines():
        if squash(line) in contents:
            contents.remove(squash(line))
            continue
        lines.append(line)
    return pieces(normalise(PAGE_NUMBER.sub(" ", "\n".join(lines))))


OUTLINE_WORDS = (
    "根据", "要求", "精神", "我们对", "进行了认真自评", "开展了绩效评价", "总体评价是", "总体自我评价是",
    "具体自评情况如下", "现将有关情况报告如下", "为的", "为", "的", "设", "和", "本局", "本单位", "局机关",
    "绩效评价工作由", "同志任组长", "为副组长", "为成员", "其中", "部门预算", "整体支出合计", "基本支出", "项目支出",
    "收入", "合计", "年", "年末", "年度", "本年", "全年", "元", "人", "名", "辆", "共", "核定", "全局", "实际",
    "预算", "支出", "实际支出", "加挂", "牌子", "公务用车编制", "固定资产原值", "与上年持平",
    "年初财政批复的", "主要职责是",
    INTERNAL_UNIT, *AFFILIATED_UNITS, MONEY_UNIT, AUTHORIZED_WORD, *CHANGE_WORDS, *UP_WORDS, *DOWN_WORDS,
    *IN_POST_WORDS, *RETIRED_WORDS, *STAFF_KINDS, *OWN_LEVEL_WORDS, *THREE_PUBLIC_NAMES,
    *(name for names in THREE_PUBLIC_SYNONYMS.values() for name in names))
"""The wording of the sentences the importer reads into fields (the notice and verdict, rank and
kind, the counts of units, the team, the staffing, the amounts): what is left of such a sentence
once its field values and figures are taken out."""
_WORDS = {*(fold(word) for word in OUTLINE_WORDS), *"()《》〔〕[]“”"}  # brackets and quotes around a value
_WORD_LENGTHS = sorted({len(word) for word in _WORDS}, reverse=True)
_COUNT = re.compile(r"[\d一二三四五六七八九十两]+个")
_BETWEEN = re.compile(r"[\x00\s,;:、。]+")


def _wording(text: str) -> bool:
    """Whether ``text`` is made of ``OUTLINE_WORDS`` only."""
    can = [True] + [False] * len(text)  # can[i]: text[:i] is made of words
    for end in range(1, len(text) + 1):
        can[end] = any(size <= end and can[end - size] and text[end - size:end] in _WORDS for size in _WORD_LENGTHS)
    return can[-1]


def read_into(piece: str, values: list[str], known: set[Decimal]) -> bool:
    """Whether ``piece`` is a sentence the importer read into fields: once the field values
    (``values``, longest first) and the figures it filled in (``known``) are taken out, only
    outline wording is left."""
    for value in values:
        if len(value) <= len(piece):
            piece = piece.replace(value, "\x00")
    piece = _COUNT.sub("\x00", piece)
    piece = NUMBER.sub(lambda found: "\x00" if numbers(found.group()) <= known else found.group(), piece)
    return all(_wording(token) for token in _BETWEEN.split(piece) if token)


def joined(piece: str, lines: list[str]) -> bool:
    """Whether ``piece`` stands in the data's ``lines`` as it is, or cut where the importer cut it
    into paragraphs: the end of one line, whole lines, then the start of another ("附件2" and the
    title after it, pasted on one line, make a label and a title)."""
    if any(piece in line for line in lines):
        return True
    whole = set(lines)
    cuts = sorted({at for at in range(1, len(piece)) if any(line.endswith(piece[:at]) for line in lines)})
    seen = set(cuts)
    while cuts:
        at = cuts.pop()
        if any(line.startswith(piece[at:]) for line in lines):
            return True
        for line in whole:  # a paragraph the importer made of the middle of the piece
            if line and piece.startswith(line, at) and at + len(line) < len(piece) and at + len(line) not in seen:
                seen.add(at + len(line))
                cuts.append(at + len(line))
    return False


def placed(source: str, document: SourceDocument, data: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The pieces of ``source`` that stand in recognised fields, those that stand only in
    ``sections.unplaced`` or ``more_sections``, and those that stand nowhere.

    A piece stands where its text does (whole, or cut where the importer cut it into paragraphs), or
    where the importer read it: a sentence whose field values and figures (each number the value of
    a filled field, the year, or the change between two of them, "比上年减少21.6万元") are in the
    data, with nothing but the outline's wording around them. A piece of a line the source broke in
    the middle of a word (hard-wrapped text) is read with the rest of its sentence, as the reader
    joined it. Being quoted on the review list keeps nothing: the user deletes the entry once checked.
    """
    every = "\x00".join(fold(text) for text in strings(data))
    every_lines = [fold(line) for text in strings(data) for line in text.splitlines() if line.strip()]
    fielded_lines = [fold(line) for text in strings(data, ("review", *AWAY)) for line in text.splitlines()
                     if line.strip()]
    # The field values taken out of a piece are texts: a figure (28) is no part of another (1,286.40).
    texts = [text for text in (fold(s).removesuffix("。") for s in strings(data, figures=False)) if len(text) >= 2]
    fielded = [text for text in (fold(s).removesuffix("。") for s in strings(data, ("review", *AWAY), figures=False))
               if len(text) >= 2]
    filled = figures_of(data)
    values = {value for path, value in filled.items() if path != "year"}
    changes = {abs(a - b).normalize() for a in values for b in values}
    known = values | changes | {Decimal(str(data.get("year", 0)))}
    by_length = sorted(set(fielded), key=len, reverse=True)
    all_by_length = sorted(set(texts), key=len, reverse=True)
    titles = structure_titles(document)
    # The sentences as the reader joined them: a piece of a line broken mid-word stands in one of them.
    read = [(fold(piece), without_titles(fold(piece), titles, every))
            for piece in pieces("\n".join(para.text for para in document.paragraphs))]
    inside: list[str] = []
    away: list[str] = []
    nowhere: list[str] = []
    for raw in source_pieces(source, document):
        piece = without_titles(fold(raw), titles, every)
        if not piece:
            continue
        whole = [sentence for raw_sentence, sentence in read if piece in raw_sentence and sentence not in ("", piece)]
        if joined(piece, fielded_lines) or any(read_into(text, by_length, known) for text in (piece, *whole)):
            inside.append(piece)
        elif joined(piece, every_lines) or any(read_into(text, all_by_length, known) for text in (piece, *whole)):
            away.append(piece)
        else:
            nowhere.append(piece)
    return inside, away, nowhere
