"""Readers: turn a document file into plain text with its structure kept.

Every reader yields a :class:`Document` whose ``text`` is what character
offsets of evidence refer to, so it is built deterministically:

* .docx and .odt: the body's paragraphs and table rows in document order,
  one block per line, joined by ``"\\n"``. A table row is written as its
  cells joined by ``"\\t"``; inside a cell, paragraphs are joined by
  ``"\\n"`` and tabs become spaces, so the tabs always separate cells.
  Nested tables are flattened into the text of the cell that holds them.
  A merged cell is written once: a horizontal merge gives one cell, a
  vertical merge gives the merged text in its first row and an empty cell
  below (keeping the columns aligned). Blank paragraphs and rows are left
  out. Comments, footnotes, headers, footers, text boxes and tracked
  deletions are not part of the text; tracked insertions are. Automatic
  list numbers (Word's numbering, ODF list labels) are not text either.
* .txt, .text, .md and .pdf: the text as it is (after the normalisation
  below); every non-blank line is a block. A line with at least two
  non-empty tab-separated cells is a table row (that is how Word and the
  sample corpus write table rows as text); in Markdown, a ``| a | b |``
  line is a table row and its ``|---|`` rule is skipped.

Text files are decoded by their byte-order mark, else as strict UTF-8, else
as cp1251 or KOI8-R, whichever reads more like Russian (see
:func:`_decode_cyrillic`); binary data and text in other encodings are refused.

Everywhere, line ends become ``"\\n"``, non-breaking spaces become spaces
and control characters other than tab and newline are dropped; vertical
tab, form feed and the Unicode line separators count as line ends.

The extension chooses the reader, except when the content is unmistakably
another supported format (a PDF header, an OpenDocument text or a Word
package): then the content wins, so a PDF saved as ``.docx`` is read as a
PDF, and ``media_type`` says what was read.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import math
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, NamedTuple
from xml.sax import SAXException

import docx
from charset_normalizer import from_bytes
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml.etree import XMLSyntaxError
from odf.element import Node
from odf.namespaces import OFFICENS, TABLENS, TEXTNS
from odf.opendocument import load as load_odf
from pypdf import PdfReader

from opyt.errors import (
    BinaryNotText,
    CorruptDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    NoTextLayer,
    UnknownEncoding,
    UnreadableDocument,
    UnsupportedFormat,
)

DEFAULT_MAX_BYTES = 50 * 2**20

BlockKind = Literal["paragraph", "table_row"]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a table row; ``text == document.text[start:end]``."""

    kind: BlockKind
    text: str
    start: int
    end: int
    cells: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A document file read into text; ``encoding`` is set for text files only."""

    path: Path
    file_name: str
    sha256: str
    media_type: str
    encoding: str | None
    text: str
    blocks: tuple[Block, ...]


class _Content(NamedTuple):
    text: str
    blocks: tuple[Block, ...]
    encoding: str | None = None


class _Piece(NamedTuple):
    """A block before it has a place in the text."""

    kind: BlockKind
    text: str
    cells: tuple[str, ...] = ()


FORMAT_BY_EXTENSION = {
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
}
SUPPORTED_EXTENSIONS = frozenset(FORMAT_BY_EXTENSION)
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "text": "text/plain",
    "markdown": "text/markdown",
}
FORMAT_NAMES = {
    "docx": "a Word document (.docx)",
    "odt": "an OpenDocument text (.odt)",
    "pdf": "a PDF",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a .docx, .odt, .pdf, .txt, .text or .md file into a :class:`Document`.

    Raises a subclass of :class:`~opyt.errors.UnreadableDocument` whose
    message names the file and says what to do.
    """
    path = Path(path)
    extension_format = _format_from_extension(path)
    data = _read_bytes(path, max_bytes)
    file_format = _format_from_content(data, path) or extension_format
    content = _READERS[file_format](data, path)
    if not content.blocks:
        raise EmptyDocument(f"{path}: holds no text; check that it is the right file")
    return Document(
        path=path,
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=MEDIA_TYPES[file_format],
        encoding=content.encoding,
        text=content.text,
        blocks=content.blocks,
    )


def iter_documents(paths: Iterable[Path]) -> Iterator[Path]:
    """The document files among ``paths``, each once.

    A folder is searched recursively, in sorted order, for files with a
    supported extension, skipping hidden files and folders and Office lock
    files (``~$*``). A file named directly is yielded as it is, whatever its
    extension, so that :func:`read_document` can say what is wrong with it.
    """
    seen: set[Path] = set()
    for path in map(Path, paths):
        for found in _documents_under(path) if path.is_dir() else [path]:
            if found not in seen:
                seen.add(found)
                yield found


def _documents_under(folder: Path) -> list[Path]:
    found = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not _is_hidden_or_lock(name)]
        found.extend(Path(root, name) for name in files if _is_document_name(name))
    return sorted(found)


def _is_hidden_or_lock(name: str) -> bool:
    return name.startswith((".", "~$"))


def _is_document_name(name: str) -> bool:
    return not _is_hidden_or_lock(name) and Path(name).suffix.lower() in SUPPORTED_EXTENSIONS


# --- files and formats --------------------------------------------------------


def _format_from_extension(path: Path) -> str:
    try:
        return FORMAT_BY_EXTENSION[path.suffix.lower()]
    except KeyError:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise UnsupportedFormat(
            f"{path}: cannot read files of type '{path.suffix or '(no extension)'}'; "
            f"supported are {supported}: save it as one of these (e.g. .docx from Word or LibreOffice)"
        ) from None


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; its size is checked before anything is read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentNotFound(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise UnreadableDocument(f"{path}: cannot be opened ({exc.strerror}); check the path") from None
    if not path.is_file():
        raise UnreadableDocument(f"{path}: is not a regular file; pass files (iter_documents lists a folder's)")
    if size > max_bytes:
        raise DocumentTooLarge(
            f"{path}: is {size} bytes, over the limit of {max_bytes}; split it or raise the limit"
        )
    if size == 0:
        raise EmptyDocument(f"{path}: is empty (0 bytes); check that it is the right file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None


def _format_from_content(data: bytes, path: Path) -> str | None:
    """The supported format the bytes unmistakably are, or None to go by the extension."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office_package_format(data)
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedFormat(
            f"{path}: is an old binary Office file (Word 97-2003 .doc or similar) whatever its name; "
            "open it in Word or LibreOffice and save it as .docx"
        )
    return None


def _office_package_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "mimetype" in names and package.read("mimetype") == MEDIA_TYPES["odt"].encode():
                return "odt"
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError):
        return None
    return "docx" if "word/document.xml" in names else None


def _corrupt(path: Path, file_format: str, reason: object) -> CorruptDocument:
    return CorruptDocument(
        f"{path}: cannot be read as {FORMAT_NAMES[file_format]} ({reason}); "
        "the file is damaged or of another kind: open it in its application and save it again"
    )


# --- Word (.docx) ----------------------------------------------------------------

_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_NO_BREAK_HYPHEN = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen")
_W_LINE_BREAKS = {qn("w:br"), qn("w:cr")}
# Content controls and custom XML only wrap content: look through them.
_W_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
# Properties, tracked deletions and drawings (text boxes) are not running text.
_W_NOT_TEXT = {
    qn("w:pPr"), qn("w:rPr"), qn("w:sdtPr"), qn("w:del"), qn("w:moveFrom"),
    qn("w:drawing"), qn("w:pict"), qn("w:object"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}
_DOCX_ERRORS = (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error, XMLSyntaxError)


def _read_docx(data: bytes, path: Path) -> _Content:
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except _DOCX_ERRORS as exc:
        raise _corrupt(path, "docx", exc) from None
    return _assemble(_docx_pieces(body))


def _docx_pieces(container) -> Iterator[_Piece]:
    """Paragraphs and table rows of a body or a table cell, in order."""
    for element in _docx_children(container, {_W_P, _W_TBL}):
        if element.tag == _W_P:
            yield _paragraph("".join(_docx_run_text(element)))
        else:
            for row in _docx_children(element, {_W_TR}):
                yield _table_row(_cell_text(_docx_pieces(cell)) for cell in _docx_children(row, {_W_TC}))


def _docx_children(element, tags: set[str]) -> Iterator:
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _W_WRAPPERS:
            yield from _docx_children(child, tags)


def _docx_run_text(element) -> Iterator[str]:
    """The text of a paragraph, including runs that python-docx's ``Paragraph.text``
    misses (inside tracked insertions, smart tags, fields and content controls).
    """
    for child in element.iterchildren():
        if child.tag == _W_T:
            yield child.text or ""
        elif child.tag == _W_TAB:
            yield "\t"
        elif child.tag in _W_LINE_BREAKS:
            yield "\n"
        elif child.tag == _W_NO_BREAK_HYPHEN:
            yield "-"
        elif child.tag not in _W_NOT_TEXT:
            yield from _docx_run_text(child)


# --- OpenDocument text (.odt) ------------------------------------------------------

_ODF_PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
_ODF_TABLE, _ODF_ROW = (TABLENS, "table"), (TABLENS, "table-row")
_ODF_CELL, _ODF_COVERED_CELL = (TABLENS, "table-cell"), (TABLENS, "covered-table-cell")
_ODF_ROW_GROUPS = {(TABLENS, "table-header-rows"), (TABLENS, "table-rows"), (TABLENS, "table-row-group")}
# Tracked deletions, notes, comments and frames (text boxes, images) are not running text.
_ODF_NOT_TEXT = {
    (TEXTNS, "tracked-changes"), (TEXTNS, "note"), (OFFICENS, "annotation"),
    ("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "frame"),
}
_ODF_SPACES = re.compile(r"[ \t\r\n]+")


def _read_odt(data: bytes, path: Path) -> _Content:
    try:
        document = load_odf(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, EOFError, zlib.error, ValueError, SAXException) as exc:
        raise _corrupt(path, "odt", exc) from None
    text_body = next(_odf_children(document.body, {(OFFICENS, "text")}), None)
    if text_body is None:
        raise _corrupt(path, "odt", "no text body: content.xml is missing or holds a spreadsheet or drawing")
    return _assemble(_odt_pieces(text_body))


def _odt_pieces(container) -> Iterator[_Piece]:
    """Paragraphs, headings and table rows of a body, section, list or cell, in order."""
    for child in container.childNodes:
        if child.nodeType != Node.ELEMENT_NODE or child.qname in _ODF_NOT_TEXT:
            continue
        if child.qname in _ODF_PARAGRAPHS:
            yield _paragraph("".join(_odf_run_text(child)))
        elif child.qname == _ODF_TABLE:
            yield from (_table_row(_odf_row_cells(row)) for row in _odf_rows(child))
        else:
            yield from _odt_pieces(child)


def _odf_children(element, qnames: set) -> Iterator:
    return (child for child in element.childNodes if getattr(child, "qname", None) in qnames)


def _odf_rows(table) -> Iterator:
    for child in _odf_children(table, {_ODF_ROW, *_ODF_ROW_GROUPS}):
        if child.qname == _ODF_ROW:
            yield from [child] * _odf_count(child, "number-rows-repeated")
        else:
            yield from _odf_rows(child)


def _odf_row_cells(row) -> list[str]:
    """Cell texts of a row; a cell covered by a horizontal merge is left out (as
    Word has no cell there), one covered by a vertical merge is empty."""
    cells: list[str] = []
    covered_by_left = 0
    for cell in _odf_children(row, {_ODF_CELL, _ODF_COVERED_CELL}):
        repeated = _odf_count(cell, "number-columns-repeated")
        if cell.qname == _ODF_CELL:
            cells.extend([_cell_text(_odt_pieces(cell))] * repeated)
            covered_by_left = _odf_count(cell, "number-columns-spanned") - 1
        else:
            skipped = min(repeated, covered_by_left)
            covered_by_left -= skipped
            cells.extend([""] * (repeated - skipped))
    return cells


def _odf_count(element, attribute: str) -> int:
    return int(element.attributes.get((TABLENS, attribute)) or 1)


def _odf_run_text(element) -> Iterator[str]:
    """The text of a paragraph; white space in the XML collapses as ODF prescribes."""
    for child in element.childNodes:
        if child.nodeType != Node.ELEMENT_NODE:
            yield _ODF_SPACES.sub(" ", child.data)
        elif child.qname == (TEXTNS, "s"):
            yield " " * int(child.attributes.get((TEXTNS, "c")) or 1)
        elif child.qname == (TEXTNS, "tab"):
            yield "\t"
        elif child.qname == (TEXTNS, "line-break"):
            yield "\n"
        elif child.qname not in _ODF_NOT_TEXT:
            yield from _odf_run_text(child)


# --- PDF ------------------------------------------------------------------------------


def _read_pdf(data: bytes, path: Path) -> _Content:
    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files
        raise _corrupt(path, "pdf", exc) from None
    text = normalise_text("\n".join(pages))
    if not text.strip():
        raise NoTextLayer(
            f"{path}: the PDF has no text layer (a scan?); run OCR on it (e.g. ocrmypdf) "
            "or use the original Word document"
        )
    return _Content(text, _line_blocks(text, markdown=False))


# --- plain text ------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_BYTE_SHARE = 0.05
_CYRILLIC_ENCODINGS = ("cp1251", "koi8_r")
_SCORED_SAMPLE = 20_000
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _read_text(data: bytes, path: Path, *, markdown: bool) -> _Content:
    encoding, decoded = _decode(data, path)
    text = normalise_text(decoded)
    return _Content(text, _line_blocks(text, markdown), codecs.lookup(encoding).name)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """(encoding, text): a byte-order mark, else strict UTF-8, else the Cyrillic
    encoding whose decoding reads most like Russian."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return encoding, data.decode(encoding)
            except UnicodeDecodeError:
                raise _binary(path) from None
    if _looks_binary(data):
        raise _binary(path)
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_cyrillic(data, path)


def _looks_binary(data: bytes) -> bool:
    control_bytes = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return b"\x00" in data or control_bytes > _MAX_CONTROL_BYTE_SHARE * len(data)


def _binary(path: Path) -> BinaryNotText:
    return BinaryNotText(
        f"{path}: looks like a binary file, not text; check that it is the right file "
        "(UTF-16 text without a byte-order mark must be saved again as UTF-8)"
    )


def _decode_cyrillic(data: bytes, path: Path) -> tuple[str, str]:
    """cp1251 or KOI8-R, whichever decoding reads more like Russian.

    charset-normalizer alone confuses the two on short texts (and on capitals), so
    it only breaks ties. A text that reads as Russian in neither is refused rather
    than returned as mojibake.
    """
    decodings = _candidate_decodings(data)
    encoding, text = max(decodings.items(), key=lambda item: _russian_evidence(item[1][:_SCORED_SAMPLE]))
    if not _reads_as_russian(text[:_SCORED_SAMPLE]):
        raise UnknownEncoding(
            f"{path}: is not UTF-8 and does not read as Russian in cp1251 or KOI8-R; "
            "save it again as UTF-8"
        )
    return encoding, text


def _candidate_decodings(data: bytes) -> dict[str, str]:
    """Strict decodings, charset-normalizer's choice first so that it wins ties."""
    proposed = [match.encoding for match in from_bytes(data, cp_isolation=list(_CYRILLIC_ENCODINGS))]
    decodings = {}
    for encoding in [*proposed, *_CYRILLIC_ENCODINGS]:
        try:
            decodings.setdefault(encoding, data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return decodings


_RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_RUSSIAN_CHARACTERS = _RUSSIAN_LETTERS | frozenset("«»„“”‘’—–…№•°§±©®™\u00a0")
# The most frequent letter pairs of Russian prose.
_COMMON_BIGRAMS = frozenset(
    "ст но то на ен ов ни ра во ко ро ер пр ре ос ор го ал ка ан ол ли ет ат ва не ть ле ом "
    "ин ел та ие ак по ой ве ит ес од от де ри ог ск ти ла ны ль ам ми ма ед ия ем об ци".split()
)
# Letter frequencies of Russian prose, in per cent.
_LETTER_LOG_FREQUENCY = {
    letter: math.log(percent / 100)
    for letter, percent in zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81, 2.62, 2.01, 1.90,
         1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.04, 0.04),
    )
}
_COMMON_PAIR_BONUS = 2.0
_ODDITY_PENALTY = 5.0
_MIN_LETTER_PAIRS_TO_JUDGE = 20
_MIN_COMMON_PAIR_SHARE = 0.15
_MAX_MIXED_CASE_SHARE = 0.05
_MAX_GLUED_SHARE = 0.1
_LATIN_GLUED_TO_CYRILLIC = re.compile("[A-Za-z][А-яЁё]|[А-яЁё][A-Za-z]")


def _russian_evidence(text: str) -> float:
    """How much ``text`` reads like Russian: the log-likelihood of its letters under
    Russian letter frequencies, a bonus for common letter pairs, and penalties for a
    capital after a small letter and for characters Russian text does not use. A
    wrong Cyrillic decoding permutes the letters, flips their case and turns
    punctuation into box drawing; each of these lowers the evidence."""
    likelihood = sum(_LETTER_LOG_FREQUENCY.get(char.lower(), 0.0) for char in text)
    pairs = list(_letter_pairs(text))
    common = sum(1 for pair in pairs if pair.lower() in _COMMON_BIGRAMS)
    mixed_case = sum(1 for first, second in pairs if first.islower() and second.isupper())
    odd = sum(1 for char in text if char > "\x7f" and char not in _RUSSIAN_CHARACTERS)
    return likelihood + _COMMON_PAIR_BONUS * common - _ODDITY_PENALTY * (mixed_case + odd)


def _reads_as_russian(text: str) -> bool:
    """Whether a decoding reads as Russian rather than as mojibake of another language.

    Its Cyrillic letters must not be glued to Latin ones (Latin-1 text read as
    Cyrillic is), and if it has enough letter pairs to judge, enough of them must be
    common Russian ones and hardly any may put a capital after a small letter.
    """
    cyrillic_letters = sum(1 for char in text if char in _RUSSIAN_LETTERS)
    if len(_LATIN_GLUED_TO_CYRILLIC.findall(text)) > _MAX_GLUED_SHARE * cyrillic_letters:
        return False
    pairs = list(_letter_pairs(text))
    if len(pairs) < _MIN_LETTER_PAIRS_TO_JUDGE:
        return True
    common = sum(1 for pair in pairs if pair.lower() in _COMMON_BIGRAMS)
    mixed_case = sum(1 for first, second in pairs if first.islower() and second.isupper())
    return common >= _MIN_COMMON_PAIR_SHARE * len(pairs) and mixed_case <= _MAX_MIXED_CASE_SHARE * len(pairs)


def _letter_pairs(text: str) -> Iterator[str]:
    for first, second in zip(text, text[1:]):
        if first in _RUSSIAN_LETTERS and second in _RUSSIAN_LETTERS:
            yield first + second


def _line_blocks(text: str, markdown: bool) -> tuple[Block, ...]:
    blocks = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip() and not (markdown and _MARKDOWN_RULE.match(line)):
            cells = _markdown_cells(line) if markdown else _tab_cells(line)
            blocks.append(Block("table_row" if cells else "paragraph", line, start, end, cells))
        start = end + 1
    return tuple(blocks)


def _tab_cells(line: str) -> tuple[str, ...]:
    """The cells of a tab-separated table row, or () for a paragraph."""
    cells = tuple(cell.strip() for cell in line.split("\t"))
    return cells if sum(1 for cell in cells if cell) >= 2 else ()


def _markdown_cells(line: str) -> tuple[str, ...]:
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return ()
    return tuple(cell.strip() for cell in stripped[1:-1].split("|"))


# --- shared ------------------------------------------------------------------------------

_NORMALISED = str.maketrans({
    **{chr(code): None for code in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]},
    **dict.fromkeys("\r\v\f\x85\u2028\u2029", "\n"),
    **dict.fromkeys("\u00a0\u202f\u2007", " "),
})


def normalise_text(text: str) -> str:
    """Line ends to ``"\\n"``, non-breaking spaces to spaces, other control characters dropped."""
    return text.replace("\r\n", "\n").translate(_NORMALISED)


def _paragraph(text: str) -> _Piece:
    return _Piece("paragraph", normalise_text(text))


def _table_row(cell_texts: Iterable[str]) -> _Piece:
    cells = tuple(cell_texts)
    return _Piece("table_row", "\t".join(cells), cells)


def _cell_text(pieces: Iterable[_Piece]) -> str:
    """A cell's paragraphs (and nested rows) on lines of their own; its tabs become
    spaces so that tabs in the document text only ever separate cells."""
    return "\n".join(piece.text for piece in pieces if piece.text.strip()).replace("\t", " ").strip()


def _assemble(pieces: Iterable[_Piece]) -> _Content:
    """Join the non-blank pieces with ``"\\n"`` and place each as a block."""
    blocks = []
    start = 0
    for piece in pieces:
        if piece.text.strip():
            blocks.append(Block(piece.kind, piece.text, start, start + len(piece.text), piece.cells))
            start += len(piece.text) + 1
    return _Content("\n".join(block.text for block in blocks), tuple(blocks))


_READERS: dict[str, Callable[[bytes, Path], _Content]] = {
    "docx": _read_docx,
    "odt": _read_odt,
    "pdf": _read_pdf,
    "text": lambda data, path: _read_text(data, path, markdown=False),
    "markdown": lambda data, path: _read_text(data, path, markdown=True),
}
