"""Text as departments copy it, made into clean paragraphs; the table of contents; the report's year.

Shared by the PDF reader (lines with their positions on the page) and the text reader (lines as
pasted from a web page, a PDF viewer or a Word file):

* ``join_lines``: lines rejoined into paragraphs. A paragraph ends where a line stops before the
  right margin (the next word would have fitted), or — when the text does not mark paragraphs by a
  first-line indent — where a line ends a sentence; a line that starts with a heading number, is
  indented (when indents mark paragraphs) or follows a blank gap starts one. A line set flush right
  (the 落款) stands alone, and lines of different font sizes (a title, the text under it) are not
  of one paragraph.
* ``wrapped_lines``: whether a text's lines are hard-wrapped (nearly all the same width) and, if so,
  the lines with what ``join_lines`` needs to know.
* ``split_run``: a run of text pasted from a PDF viewer as one line, cut before its heading numbers.
* ``normalise``: ASCII ``, ; : ? ! ( )`` in Chinese text made full-width, never inside numbers,
  times, web addresses or ASCII words.
* ``find_contents``: the table of contents near the start (skipped by the reader).
* ``find_year``: the year the report is about, and how it was found.

Widths of plain text are counted in Chinese characters: a full-width character is 1, any other 0.5.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from selfeval_cli.phrases import HEADING_NUMERALS, numeral_value
from selfeval_cli.render.numbering import TYPED_NUMBER
from selfeval_cli.vocabulary import CHAPTER_TITLE_ENDINGS, NUMERALS, YEAR_ZERO

_CN = HEADING_NUMERALS
_CJK_CHARS = ("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
              "\u3000-\u303f\uff01-\uff60\uffe0-\uffe6"  # CJK punctuation, full-width forms
              "\u2018\u2019\u201c\u201d\u2026")  # ‘ ’ “ ” … as Chinese text uses them
_CJK = re.compile(f"[{_CJK_CHARS}]")
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_HEADING_START = TYPED_NUMBER
_SENTENCE_END = re.compile(r"[。；：！？;:!?][”’」』]*\s*$|[.．…·•_]{2,}\s*\d{1,3}\s*$")
"""How a paragraph's last line can end: a sentence's end, or a contents entry's page number after its leader."""


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Chinese character or Chinese punctuation (the context that makes
    neighbouring ASCII punctuation Chinese, and needs no space when lines are joined)."""
    return bool(char) and _CJK.match(char) is not None


def display_width(text: str) -> float:
    """The width of ``text`` in Chinese characters: full-width ones count 1, others 0.5. The characters
    of ambiguous width (“ ” ‘ ’ — … ·) count 1 in Chinese text, where a CJK font sets them (the writer's
    ``render.tables.char_width`` says the same of the report)."""
    chinese = _IDEOGRAPH.search(text) is not None
    return sum(1.0 if unicodedata.east_asian_width(c) in ("WFA" if chinese else "WF") else 0.5 for c in text)


def starts_heading(text: str) -> bool:
    """Whether ``text`` starts with a typed heading number: 一、 （一） 1. 1、 （1）."""
    return _HEADING_START.match(text) is not None


# --- joining lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a page or of hard-wrapped text, with what its position says about paragraphs."""

    text: str
    """The line's text, without its indent."""
    indent: bool = False
    """It starts further in than the body text (a first-line indent, or centred)."""
    room: float = 0.0
    """Space left before the right margin, in characters."""
    gap_before: bool = False
    """A blank line (or a wider gap than between lines) stands before it."""
    offset: float = 0.0
    """How far in from the body's left margin it starts, in characters (0 where unknown)."""
    size: float = 0.0
    """Its font size in points (0 where unknown): a paragraph is set in one size."""


FLUSH_RIGHT = 6.0
"""A line that starts at least this many characters in and reaches the right margin is set flush
right (the 落款's signature and date): a paragraph of its own, since a paragraph's continuation
lines start at the left margin and a first-line indent is two characters."""
SIZE_STEP = 1.5
"""Lines whose font sizes differ by more than this (in points) are not of one paragraph: a title
in 22 pt, the text under it in 16 pt."""


_FIRST_TOKEN = re.compile(r"[!-~]+|.[，。、；：！？）》」』”’,.;:!?)]*")
"""What a line starts with that could not have been broken: an ASCII word, or one character with
the closing punctuation that may not start a line (it is carried over with the character before)."""


def _ends_short(line: Line, following: Line) -> bool:
    """Whether ``line`` stops before the margin although what ``following`` starts with would have fitted."""
    token = _FIRST_TOKEN.match(following.text.strip())
    return line.room >= (display_width(token.group()) if token else 0.0) + 0.5


def _indents_mark_paragraphs(lines: Sequence[Line]) -> bool:
    """Whether the text marks its paragraphs by a first-line indent: most lines that follow the end
    of a paragraph (a short line, a gap) are indented. A heading set flush left does not count
    against it: headings may be, in a text whose paragraphs are indented."""
    starts = [following.indent for line, following in pairwise(lines)
              if (following.gap_before or _ends_short(line, following))
              and (following.indent or not starts_heading(following.text))]
    return len(starts) >= 3 and sum(starts) >= 0.6 * len(starts)


def _flush_right(line: Line) -> bool:
    return line.offset >= FLUSH_RIGHT and line.room < 0.5


def _starts_paragraph(previous: Line, line: Line, by_indent: bool, body_size: float = 0.0) -> bool:
    """Whether ``line`` begins a new paragraph rather than continuing ``previous`` (in a text whose
    body is set in ``body_size`` points, when known)."""
    if line.gap_before or _ends_short(previous, line) or _flush_right(previous) or _flush_right(line):
        return True
    if previous.size and line.size and abs(previous.size - line.size) > SIZE_STEP:
        return True
    if body_size and line.size > body_size + SIZE_STEP and not starts_heading(line.text):
        return False  # a title wrapped onto another line: centred, so "indented", yet one paragraph
    heading, ended = starts_heading(line.text), _SENTENCE_END.search(previous.text) is not None
    if by_indent:  # a sentence may end at the margin and the paragraph go on: only the indent tells
        return line.indent or (heading and ended)
    return heading or ended


_NUMBER_ENDS = re.compile(r"\d[.,]?$")
"""A line that ends inside a number ("基本支出3,203." before "56万元"): it goes on without a space."""


def glue(pieces: Sequence[str]) -> str:
    """The lines of one paragraph joined: with a space between ASCII words (a line broke there),
    directly otherwise (Chinese text breaks anywhere and has no spaces, nor does a number broken at a
    line's end: "3,203." and "56万元" are 3,203.56万元)."""
    joined: list[str] = []
    for piece in pieces:
        if joined and joined[-1] and piece and joined[-1][-1].isascii() and not joined[-1][-1].isspace() \
                and piece[0].isascii() and piece[0].isalnum() \
                and not (piece[0].isdigit() and _NUMBER_ENDS.search(joined[-1])):
            joined.append(" ")
        joined.append(piece)
    return "".join(joined)


def join_lines(lines: Sequence[Line]) -> list[str]:
    """The paragraphs of ``lines``, each line joined to the one before unless it starts a paragraph."""
    by_indent = _indents_mark_paragraphs(lines)
    sizes = Counter(round(line.size, 1) for line in lines if line.size)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    paragraphs: list[list[str]] = []
    for index, line in enumerate(lines):
        if not index or _starts_paragraph(lines[index - 1], line, by_indent, body_size):
            paragraphs.append([])
        paragraphs[-1].append(line.text)
    return [text for text in map(glue, paragraphs) if text]


PAGE_NUMBER_LINE = re.compile(r"^(?:[—–\-－]\s*\d{1,4}\s*[—–\-－]|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
                              r"|\d{1,4}\s*[/／]\s*\d{1,4})$")
"""A line that is a page's number: "— 3 —", "- 3 -", "第3页", "第3页，共12页", "3/12"."""

WRAP_WIDTHS = (12, 60)
"""Widths (in characters) a hard-wrapped text's lines can have: a page's 28, a narrow window's 20."""


def wrapped_lines(raw: Sequence[str]) -> list[Line] | None:
    """The lines of a hard-wrapped text, ready for ``join_lines``; None when the text is not one.

    A text is hard-wrapped when at least 6 lines and 40 % of them have about the same width (within
    one character), within ``WRAP_WIDTHS``, and hardly any is wider: a text with one paragraph a
    line has lines of every length. A line indented by two characters (or 2 spaces) is indented.
    Page numbers copied with the pages are left out.
    """
    rows: list[tuple[str, float, bool, bool]] = []  # text, width, indented, after a blank line
    blank = False
    for text in raw:
        stripped = text.strip()
        if not stripped:
            blank = True
            continue
        if PAGE_NUMBER_LINE.match(stripped):  # copied with the page: the paragraph goes on across it
            continue
        lead = text[:len(text) - len(text.lstrip())]
        rows.append((stripped, display_width(text.rstrip().expandtabs(4)), display_width(lead.expandtabs(4)) >= 1,
                     blank and bool(rows)))
        blank = False
    widths = Counter(round(width) for _, width, _, _ in rows)
    if len(rows) < 6 or not widths:
        return None
    common = max(widths, key=lambda w: (widths[w - 1] + widths[w] + widths[w + 1], w))
    together = widths[common - 1] + widths[common] + widths[common + 1]
    wider = sum(count for width, count in widths.items() if width > common + 2)
    if not WRAP_WIDTHS[0] <= common <= WRAP_WIDTHS[1] or together < 0.4 * len(rows) or wider > 0.1 * len(rows):
        return None
    margin = max(width for _, width, _, _ in rows if abs(width - common) <= 1.5)
    return [Line(text, indented, max(margin - width, 0.0), gap) for text, width, indented, gap in rows]


# --- a run of text pasted as one line ------------------------------------------------------------

_CN_NUMBER = f"(?:[{NUMERALS[2:]}]?{HEADING_NUMERALS[-1]}[{NUMERALS[1:]}]?|[{NUMERALS[1:]}])"  # 一 to 九十九
_MARKER = re.compile(
    rf"(?<![{_CN}第〇零百])(?P<cn>{_CN_NUMBER})\s*[、.．](?!\d)"
    rf"|(?<!第)[（(]\s*(?P<pcn>{_CN_NUMBER})\s*[)）]"
    r"|(?<![\d.．,，:：/\-年月日第A-Za-z])(?P<num>\d{1,2})\s*(?:、|[.．](?!\d))"
    r"|(?<!第)[（(]\s*(?P<pnum>\d{1,2})\s*[)）]")
"""A heading number anywhere in a run: not one inside a word (统一、), a figure (1.5万元), a date
(2024年1、2月) or an ordinal (第一、第（1）)."""
_BREAK_BEFORE = re.compile(r"(?:[。；：！？;:!?][”’」』]*|[.．…·]{2,}\s*\d{1,3}|^\s*目\s*录)\s*$")
"""What a heading number may follow in a run: a sentence's end, a contents line's page number."""
_LOOK_BACK = 40


def _marker_value(match: re.Match[str]) -> tuple[str, int]:
    """(kind, number) of a heading number found by ``_MARKER``."""
    kind = match.lastgroup or ""
    value = match[kind]
    return kind, numeral_value(value) if kind in ("cn", "pcn") else int(value)


def _cuts(run: str) -> Iterator[int]:
    """Where headings start in ``run``: any number at its start; a number 1 that follows a
    sentence's end (or a space, where the viewer broke a line), or a bracketed 1 anywhere; a larger
    number when it continues the count of its kind, or — a number skipped, or the one before typed
    without its number — when a line break (a space) stands before it, after a sentence's end or
    after a heading's bare title ("（四）部门整体支出绩效情况 三、主要经验做法") or the report's
    ("部门整体支出绩效自评报告 二、…"). Never a number
    followed by a digit (1、2月), nor, unless it continues the count, a Chinese one followed by
    another (三、四季度)."""
    last: dict[str, int] = {}
    previous = 0  # where the last heading (or the run, its title first) starts
    for match in _MARKER.finditer(run):
        kind, number = _marker_value(match)
        at = match.start()
        following = run[match.end():match.end() + 1]
        if following.isdigit():
            continue
        before = run[max(0, at - _LOOK_BACK):at]
        broke = _BREAK_BEFORE.search(before) is not None
        spaced = before[-1:].isspace()
        if at == 0 or number == 1:  # the run's start, too, is a line's
            accepted = at == 0 or broke or spaced or kind in ("pcn", "pnum")
        else:
            titled = _is_bare_title(run[previous:at])
            accepted = last.get(kind) == number - 1 or (
                spaced and (broke or titled) and not (kind in ("cn", "pcn") and following in _CN))
        if accepted:
            last[kind] = number
            previous = at
            if at:
                yield at


_TITLE_MAX = 40
"""A heading's number and title are at most this long (a longer run is text)."""


def _is_bare_title(text: str) -> bool:
    """Whether ``text`` (from a heading's number on) is a heading without text: short, no sentence in it."""
    text = text.strip()
    return len(text) <= _TITLE_MAX and not re.search(r"[。；！？;!?]", text)


_CHAPTER_TITLE = re.compile(rf"^(?P<title>[{HEADING_NUMERALS}]{{1,3}}、[^。；，,;：:\s]{{0,20}}?"
                            rf"(?:{'|'.join(CHAPTER_TITLE_ENDINGS)}))(?=[^\W_])(?![及和与])")
"""A chapter's title run into its text with nothing between ("四、存在问题一是……"): it ends at the first word
that ends a chapter's title, where text (not a connective, not punctuation) follows."""
_TITLE_THEN_TEXT = re.compile(rf"^(?P<title>[^。；，,;]{{2,30}}?[{_CJK_CHARS}])\s+"
                              rf"(?=[{_CJK_CHARS}]|(?:19|20)\d{{2}}\s*年)")
"""A heading's title, then a space, then its text: where the viewer broke the line after the title.
The text starts with a Chinese character or a year ("2024年收入…"); not with another figure, since
a viewer also copies the space a justified line opens before one ("完成建设 1.2 万亩")."""
_SPACE_IN_CHINESE = re.compile(rf"(?<=[{_CJK_CHARS}])[ \t\u3000]+(?=[{_CJK_CHARS}])")
_PAGE_NUMBER_INSIDE = re.compile(r"\s[—–－]\s*\d{1,3}\s*[—–－](?=\s)|\s-\s*\d{1,3}\s*-(?=\s)")
"""A page's number ("— 2 —", "- 2 -") that the viewer copied with the text, between spaces."""
_LABEL = re.compile(r"^附件\s*\d+(?=\s)")
_SIGNED = re.compile(r"(?<=[。；！？])\s*(?P<signature>[^。；，,;\s]{2,30})\s*"
                     r"(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?P<page>(?:【[^】]{1,8}】\s*)*)$")
"""The 落款 at the end of a run: who signs, and the date, after the last sentence; then perhaps the web
page's own buttons (【打印本页】【关闭窗口】), a paragraph of their own."""
PAGE_BUTTONS = re.compile(r"(?:【[^】]{1,8}】\s*)+")
"""A line of a web page's buttons copied with its text (【打印本页】【关闭窗口】): not the report's."""


def split_run(run: str) -> list[str]:
    """The paragraphs of a run of text pasted as one line: the page numbers the viewer copied
    removed; cut after the attachment label, before each heading and before the 落款; a heading's
    title cut from its text where a space stands between them (where the viewer broke the line);
    spaces between Chinese characters (the viewer's line breaks) removed."""
    run = _PAGE_NUMBER_INSIDE.sub(" ", run)
    label, signed = _LABEL.match(run), _SIGNED.search(run)
    ends = [label.end()] if label else []
    signature = [signed.start("signature"), signed.start("date"), signed.start("page")] if signed else []
    cuts = sorted({0, *ends, *_cuts(run), *signature, len(run)})
    paragraphs: list[str] = []
    for start, end in pairwise(cuts):
        piece = run[start:end].strip()
        titled = _TITLE_THEN_TEXT.match(piece) if starts_heading(piece) else None
        ended = _CHAPTER_TITLE.match(piece) if titled is None else None
        parts = ([titled["title"], piece[titled.end():]] if titled
                 else [ended["title"], piece[ended.end():]] if ended else [piece])
        paragraphs += [_SPACE_IN_CHINESE.sub("", part) for part in parts if part]
    return paragraphs


_SPACE_BY_CHINESE = re.compile(rf"(?<=[{_CJK_CHARS}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])\s+(?=[{_CJK_CHARS}])")


def close_up(text: str) -> str:
    """``text`` without spaces between Chinese characters and figures or ASCII words: in a PDF they
    are where a justified line was stretched ("基本支出 850.80 万元"), not part of the text."""
    return _SPACE_BY_CHINESE.sub("", text)


def is_flattened(lines: Sequence[str]) -> bool:
    """Whether the headings of ``lines`` stand inside the lines rather than at their start: text
    pasted from a PDF viewer, all on one line (or one line a page)."""
    at_start = sum(starts_heading(line) for line in lines)
    inside = sum(1 for line in lines for _ in _cuts(line))
    return inside >= 3 and inside > 3 * at_start


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of a plain text, whatever its shape: hard-wrapped lines rejoined, a run pasted
    as one line split at its headings, otherwise one paragraph a line."""
    raw = text.splitlines()
    wrapped = wrapped_lines(raw)
    if wrapped is not None:
        return join_lines(wrapped)
    lines = [line.strip() for line in raw if line.strip()]
    if is_flattened(lines):
        return [paragraph for line in lines for paragraph in split_run(line)]
    return lines


# --- ASCII punctuation ----------------------------------------------------------------------------

_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCTUATION_BY_CHINESE = re.compile(rf"(?<=[{_CJK_CHARS}])[,;:?!]|[,;:?!](?=[{_CJK_CHARS}])")


def normalise(text: str) -> str:
    """``text`` with the ASCII punctuation of Chinese text made full-width.

    ``, ; : ? !`` next to a Chinese character (or Chinese punctuation) become ``，；：？！`` — so never
    inside a number or a time (1,234.56; 10:30), whose neighbours are digits. A pair of brackets
    becomes ``（）`` when it holds a Chinese character or stands next to one; an unpaired bracket
    when it stands next to one. ASCII words, numbers and web addresses keep theirs. Each character
    is replaced by one: positions do not move.
    """
    text = _PUNCTUATION_BY_CHINESE.sub(lambda match: _FULL_WIDTH[match.group()], text)
    if "(" not in text and ")" not in text:
        return text
    chars = list(text)
    chinese = [match.start() for match in _CJK.finditer(text)]  # a pair's content is checked by bisection

    def chinese_at(index: int) -> bool:
        return 0 <= index < len(text) and is_cjk(text[index])

    opened: list[int] = []
    for bracket in re.finditer(r"[()]", text):
        index = bracket.start()
        if bracket.group() == "(":
            opened.append(index)
        elif opened:
            start = opened.pop()
            holds = bisect_left(chinese, index) > bisect_right(chinese, start)
            if holds or chinese_at(start - 1) or chinese_at(index + 1):
                chars[start], chars[index] = "（", "）"
        elif chinese_at(index - 1) or chinese_at(index + 1):
            chars[index] = "）"
    for start in opened:  # never closed
        if chinese_at(start - 1) or chinese_at(start + 1):
            chars[start] = "（"
    return "".join(chars)


# --- table of contents ----------------------------------------------------------------------------

CONTENTS_WITHIN = 40
"""A table of contents starts within this many paragraphs of the beginning."""
_CONTENTS_TITLE = re.compile(r"^目\s*录$")
_PAGE_AFTER_LEADER = re.compile(r"(?:[.．…·•_\-—]{2,}|\s)\s*(?:第\s*)?\d{1,3}\s*页?$")
_PAGE_GLUED = re.compile(rf"(?<=[{_CJK_CHARS}])\d{{1,3}}$")
_LEADERS = re.compile(r"[.．…·•_\-—]{2,}.*$")
_LEADER_RUN = re.compile(r"[.．…·•_\-—]{2,}")


def _entry(text: str) -> tuple[str, bool] | None:
    """(the heading it names, whether a page number follows) for a contents line, None for a line
    that cannot be one: long, or ending a sentence, or with neither a heading number nor a page."""
    text = text.strip()
    if len(_LEADER_RUN.sub("", text)) > 60 or text.endswith(("。", "；", "，")):  # the leader's dots do not count
        return None
    heading = starts_heading(text)
    name = _PAGE_AFTER_LEADER.sub("", text)
    if name == text and heading:  # a page number right after the title: only after a numbered heading
        name = _PAGE_GLUED.sub("", text)
    paged = name != text
    if not paged and not heading:
        return None
    return re.sub(r"\s+", "", _LEADERS.sub("", name)), paged


def find_contents(paragraphs: Sequence[str]) -> range | None:
    """The paragraphs that form the table of contents near the start, None when there is none.

    A contents block is a title 目录 (or 目 录) followed by entries, or at least 3 entries without
    a title of which two-thirds end with a page number (after dots or spaces, or right after a
    numbered heading) or name a heading that follows later. An entry is a short line with a heading
    number or a page number;
    the block ends at the first line that is not one, or that repeats an entry (the report's own
    first heading, after a contents copied without page numbers).
    """
    index, limit = 0, min(len(paragraphs), CONTENTS_WITHIN)
    while index < limit:
        titled = _CONTENTS_TITLE.match(paragraphs[index].strip()) is not None
        end = index + titled
        names: list[str] = []
        paged = 0
        while end < len(paragraphs):
            entry = _entry(paragraphs[end])
            if entry is None or entry[0] in names:
                break
            names.append(entry[0])
            paged += entry[1]
            end += 1
        if names and (titled or _is_contents(names, paged, paragraphs[end:])):
            return range(index, end)
        index = max(end, index + 1)
    return None


def _is_contents(names: list[str], paged: int, after: Sequence[str]) -> bool:
    """Whether untitled entries are a table of contents: their page numbers, or their headings
    standing again in the text after them."""
    if len(names) < 3:
        return False
    later = {re.sub(r"\s+", "", text) for text in after}
    return max(paged, sum(name in later for name in names)) >= 2 / 3 * len(names)


# --- the year -------------------------------------------------------------------------------------

TITLE_WITHIN = 15
"""The title stands within this many paragraphs of the beginning (after any table of contents)."""
CLOSING_WITHIN = 8
"""The 落款 date stands within this many paragraphs of the end."""
EARLY_MONTHS = 6
"""A report dated in these first months of a year is about the year before."""

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(度)?")
_NOTICE = re.compile(r"《([^《》]*?((?:19|20)\d{2})\s*年[^《》]*?通知)》")
_DIGIT_OF = dict(zip(YEAR_ZERO + NUMERALS, "00123456789", strict=True))
_CN_DATE = re.compile(rf"(?P<y>[\d{YEAR_ZERO}{NUMERALS}]{{4}})\s*年\s*(?P<m>[\d{HEADING_NUMERALS}]{{1,3}})\s*月"
                      rf"\s*(?P<d>[\d{HEADING_NUMERALS}]{{1,3}})\s*日$")


def find_year(paragraphs: Sequence[str]) -> tuple[int | None, str]:
    """The year the report is about, and how it was found (for the review list); (None, "") when
    nothing says.

    In order: the title (``2024年度…`` anywhere in it, or ``2024年`` followed by 部门整体支出 or 绩效 —
    "2019年部门整体支出绩效评价报告" has no 度); the notice's title (《关于…2024年度…的通知》); the
    落款 date at the end (in the first half of a year it reports on the year before); the year the
    text mentions most often, when one does more often than any other.
    """
    for found in (_title_year(paragraphs), _notice_year(paragraphs), _closing_year(paragraphs),
                  _dominant_year(paragraphs)):
        if found is not None:
            return found
    return None, ""


def _title_year(paragraphs: Sequence[str]) -> tuple[int, str] | None:
    for text in paragraphs[:TITLE_WITHIN]:
        if len(text) > 60 or not ("报告" in text or "绩效" in text) or "通知" in text:
            continue
        for match in _YEAR.finditer(text):
            if match[2] or re.search("整体支出|绩效", text[match.end():]):
                return int(match[1]), f"年度取自报告标题“{text}”，请核对"
    return None


def _notice_year(paragraphs: Sequence[str]) -> tuple[int, str] | None:
    for text in paragraphs:
        match = _NOTICE.search(text)
        if match:
            return int(match[2]), f"年度取自通知标题《{match[1]}》，请核对"
    return None


def _closing_year(paragraphs: Sequence[str]) -> tuple[int, str] | None:
    """The year before a 落款 date in the first months of a year (a date in Chinese numerals too)."""
    for text in reversed(paragraphs[-CLOSING_WITHIN:]):
        match = _CN_DATE.search(text.strip())
        if match is None or len(text.strip()) > 40:
            continue
        year = int("".join(_DIGIT_OF.get(c, c) for c in match["y"]))
        month = int(match["m"]) if match["m"].isdigit() else numeral_value(match["m"])
        if 1 <= month <= EARLY_MONTHS:
            return year - 1, (f"原文没有写明年度：落款日期为“{match.group()}”，按上一年度（{year - 1}年）读取，"
                              "请核对")
        return None
    return None


def _dominant_year(paragraphs: Sequence[str]) -> tuple[int, str] | None:
    counts = Counter(int(match[1]) for text in paragraphs for match in _YEAR.finditer(text))
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
        return None
    year, times = ranked[0]
    return year, f"原文没有写明年度：按文中出现最多的“{year}年”（{times} 次）推断，请核对"
