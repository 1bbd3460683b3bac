"""Office files (a .docx; later an .xlsx) checked before any library parses them.

An Office file is a ZIP archive of XML parts, and it comes from outside (a department, a website),
so it is untrusted. python-docx reads every part of the archive into memory and parses the XML
parts with lxml; a few kilobytes can be made to expand to gigabytes (a "zip bomb": one part of
zeros, or one enormous text node) or to ask the XML parser for billions of entity expansions
("billion laughs"). ``check_office_zip`` opens the archive with ``zipfile`` first and refuses it,
with a reason in Chinese, when:

* it is not a ZIP archive (an old .doc, a file with a password, a renamed file), or is damaged;
* its directory is too large to load, or states too many parts, a part or all parts together too
  large, or a part compressed suspiciously well — every figure read from the archive's directory,
  before anything is decompressed; the sizes stated there are also what ``zipfile`` holds each
  part to when it decompresses it;
* a part declares a DTD (``<!DOCTYPE``): Office never writes one, and entities can only be
  declared in one — so refusing it refuses every entity expansion;
* its XML parts together are too large to parse: lxml builds the whole tree of each;
* its main part (``word/document.xml`` for Word) is missing.

Every part is read through once, in chunks: its beginning is given to lxml until the root element,
which tells whether it is XML (a picture is not, whatever its name says) and whether it declares
a DTD; and damaged data fails here with a clear reason (``zipfile`` verifies each part's checksum)
rather than inside the library later.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from selfeval_cli.errors import InputFileError

MIB = 1024 * 1024

MAX_ENTRIES = 2000
"""Parts in one archive. A report has about 15 (XML parts, relationships, a few images); a long
document with many pictures a few hundred. Bounds the time spent on the directory alone."""

MAX_DIRECTORY_BYTES = MAX_ENTRIES * 512
"""Size of the archive's directory, checked before ``zipfile`` loads it: it makes an object of every
entry, and a directory of a million 46-byte entries (all naming the same data) takes half a GiB
and seconds before the entries could be counted. An entry is 46 bytes and a name of a few dozen."""

MAX_ENTRY_BYTES = 50 * MIB
"""Uncompressed size of one part: a photo is a few MiB, an XML part of a report well under 1 MiB."""

MAX_XML_BYTES = 20 * MIB
"""Uncompressed size of all the XML parts together. lxml's tree takes up to 16 times the XML it is
built from (measured on the densest markup: tiny paragraphs or cells), so this keeps parsing under
about 320 MiB. A report's XML parts come to well under 2 MiB; 60 000 short paragraphs to 5 MiB.
It also bounds the largest text node (lxml itself refuses one above 10 MB)."""

MAX_TOTAL_BYTES = 100 * MIB
"""Uncompressed size of all parts together: python-docx holds them all in memory at once. A report
is well under 10 MiB uncompressed; ten times that leaves room for pictures."""

MAX_RATIO = 500
"""Uncompressed size over compressed size of one part. Word's XML deflates about 5 to 20 times, and
a paragraph repeated thousands of times about 300 times; pictures hardly at all. A zip bomb deflates
about a thousand times (deflate's ceiling)."""

RATIO_FROM_BYTES = MIB
"""Parts smaller than this are not held to ``MAX_RATIO``: however well they compress, they are small."""

_CHUNK = MIB
"""How much of a part is decompressed at a time while reading it through."""


@dataclass(frozen=True)
class OfficeKind:
    """A kind of Office file: how messages name it, the part it cannot be without, how to re-save it."""

    label: str
    main_part: str
    resave: str


WORD = OfficeKind("Word（.docx）", "word/document.xml", "请在 Word 中另存为 .docx")


def unreadable(path: Path, kind: OfficeKind, reason: str) -> InputFileError:
    """The error for a file of ``kind`` that cannot be read, with ``reason`` in Chinese."""
    return InputFileError(str(path), f"不是可以读取的 {kind.label}文件：{reason}")


def check_office_zip(path: Path, kind: OfficeKind) -> None:
    """Refuse ``path`` unless it is an Office archive of ``kind`` that is safe to parse.

    Raises InputFileError with the reason (see the module docstring for what is checked).
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputFileError(str(path), f"无法读取文件（{exc.strerror or exc}）") from exc
    with handle:
        try:
            _check_directory_size(path, kind, handle)
            with zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
                _check_directory(path, kind, infos)
                if kind.main_part not in archive.NameToInfo:
                    raise unreadable(path, kind, f"缺少正文部件 {kind.main_part}")
                xml_bytes = 0
                for info in infos:
                    if _read_through(path, kind, archive, info):
                        xml_bytes += info.file_size
                    if xml_bytes > MAX_XML_BYTES:
                        raise unreadable(path, kind, f"其中的 XML 部件解压后超过 {_mib(MAX_XML_BYTES)}，"
                                                     "远超一份报告（通常不到 2 MiB）")
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            # What zipfile raises for a damaged directory: offsets that seek before the start of the
            # file, names that are not UTF-8, features (patched data…) that Office never uses.
            raise unreadable(path, kind, "不是 ZIP 格式或已损坏（可能是旧版格式、设了打开密码，或改过扩展名；"
                                         f"{kind.resave}）") from exc


def _check_directory_size(path: Path, kind: OfficeKind, handle: IO[bytes]) -> None:
    """Refuse an archive whose directory is too large to load, as its end record states it.

    The record is read with zipfile's own reader of it, which zipfile keeps private (hence getattr):
    without it, the entries are still counted once loaded. When the record cannot be found, zipfile
    says so next.
    """
    read_end_record = getattr(zipfile, "_EndRecData", None)
    size_index = getattr(zipfile, "_ECD_SIZE", None)
    record = read_end_record(handle) if read_end_record is not None and size_index is not None else None
    size = record[size_index] if record else 0
    if size > MAX_DIRECTORY_BYTES:
        raise unreadable(path, kind, f"压缩包的目录有 {size // 1024} KiB，超过上限 {MAX_DIRECTORY_BYTES // 1024} KiB"
                                     f"（约 {MAX_ENTRIES} 个部件）")


def _check_directory(path: Path, kind: OfficeKind, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose directory states too many parts, too large, or compressed too well."""
    if len(infos) > MAX_ENTRIES:
        raise unreadable(path, kind, f"压缩包内有 {len(infos)} 个部件，超过上限 {MAX_ENTRIES} 个")
    total = 0
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise unreadable(path, kind, f"部件“{name}”已加密，请先去掉密码")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # all Office writes
            raise unreadable(path, kind, f"部件“{name}”的压缩方式（{info.compress_type}）不受支持")
        if info.file_size > MAX_ENTRY_BYTES:
            raise unreadable(path, kind, f"部件“{name}”解压后有 {_mib(info.file_size)}，"
                                         f"超过单个部件的上限 {_mib(MAX_ENTRY_BYTES)}")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise unreadable(path, kind, f"部件“{name}”的压缩比为 {ratio}:1，远超正常文件（上限 {MAX_RATIO}:1），"
                                         "疑似“压缩炸弹”")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise unreadable(path, kind, f"解压后共 {_mib(total)}，超过上限 {_mib(MAX_TOTAL_BYTES)}"
                                     "（报告通常不到 10 MiB；图片很多时可删去图片后再导入）")


def _read_through(path: Path, kind: OfficeKind, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Decompress one part in chunks: its beginning checked for a DTD, its checksum by ``zipfile``.

    Returns whether the part is XML (its root element was reached).
    """
    prolog = _Prolog()
    try:
        with archive.open(info) as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                prolog.feed(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a wrong checksum, a broken stream
        raise unreadable(path, kind, f"部件“{info.filename}”已损坏（{exc}）") from exc
    if prolog.doctype:
        raise unreadable(path, kind, f"部件“{info.filename}”声明了 DTD（<!DOCTYPE>），Office 文件不会有；"
                                     "其中的实体可以展开成极大的文本，不予读取")
    return prolog.is_xml


def _mib(size: int) -> str:
    """A size in bytes as MiB for a message: "190.7 MiB", "50 MiB"."""
    return f"{size / MIB:.1f}".removesuffix(".0") + " MiB"


class _Reached(Exception):
    """Raised inside the parser to stop it: the prolog, where a DTD must stand, is over."""


class _PrologTarget:
    """An lxml parser target: notes a DTD and the root element, and stops the parser at either."""

    def __init__(self) -> None:
        self.has_doctype = False
        self.has_root = False

    def doctype(self, *_: Any) -> None:
        """A ``<!DOCTYPE`` declaration, reported before any entity in it is declared or used."""
        self.has_doctype = True
        raise _Reached

    def start(self, *_: Any) -> None:
        """The root element: the part is XML, and no DTD can follow."""
        self.has_root = True
        raise _Reached

    def end(self, *_: Any) -> None:
        """Never reached: the parser stops at the first start tag."""

    def data(self, *_: Any) -> None:
        """Text before the root element (none in well-formed XML)."""

    def close(self) -> None:
        """Nothing to build: only what was noted matters."""


class _Prolog:
    """Feeds the beginning of a part to lxml until its root element: is it XML, does it declare a DTD?

    The parser gets the same options as python-docx's but entities are never its concern: it is
    stopped at the DTD itself. A part that is not XML (a picture) stops it with a syntax error; the
    same error would stop python-docx, should it try to parse the part.
    """

    def __init__(self) -> None:
        self._target = _PrologTarget()
        self._parser: Any = etree.XMLParser(target=self._target, resolve_entities=False, no_network=True,
                                            load_dtd=False)
        self.done = False

    @property
    def doctype(self) -> bool:
        """Whether the part declares a DTD."""
        return self._target.has_doctype

    @property
    def is_xml(self) -> bool:
        """Whether the part is XML: its root element was reached."""
        return self._target.has_root

    def feed(self, chunk: bytes) -> None:
        """Parse ``chunk`` as the next bytes of the part, until the prolog is over."""
        if self.done:
            return
        try:
            self._parser.feed(chunk)
        except (_Reached, etree.XMLSyntaxError):
            self.done = True
