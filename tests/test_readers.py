"""Readers turn real files into text with paragraphs and table rows kept (no mocks)."""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import shutil
import tracemalloc
from pathlib import Path

import pytest

from opyt.errors import (
    BinaryNotText,
    CorruptDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    InputError,
    NoTextLayer,
    UnknownEncoding,
    UnreadableDocument,
    UnsupportedFormat,
)
from opyt.ingest.readers import Document, iter_documents, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _load_fixture_maker():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


made = _load_fixture_maker()

TEXT_FIXTURES = {
    "passport-utf8.txt": "utf-8",
    "passport-cp1251.txt": "cp1251",
    "passport-koi8r.txt": "koi8-r",
    "passport-utf16.txt": "utf-16",
}
READABLE_FIXTURES = [
    "passport.docx", "passport.odt", "passport.pdf", "passport.md",
    "structure.docx", "structure.odt", *TEXT_FIXTURES,
]


def shape(document: Document) -> list[tuple[str, object]]:
    """(kind, cells) of table rows and (kind, text) of paragraphs."""
    return [(block.kind, block.cells if block.kind == "table_row" else block.text) for block in document.blocks]


def in_koi8(blocks):
    """Expected blocks as the KOI8-R fixture spells them (no guillemets or dashes)."""
    def spell(value):
        return value.translate(made.KOI8_SUBSTITUTES) if isinstance(value, str) else tuple(map(spell, value))

    return [(kind, spell(value)) for kind, value in blocks]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- what each format gives ------------------------------------------------------------


@pytest.mark.parametrize("name", ["passport.docx", "passport.odt"])
def test_structured_formats_give_paragraphs_and_table_rows_in_document_order(name):
    document = read_document(FIXTURES / name)

    assert shape(document) == list(made.PASSPORT_BLOCKS)
    assert document.blocks[1].text == "1.\tНаименование инновационного продукта (тема)\t" + made.PASSPORT_ROWS[0][2]
    assert document.text == "\n".join(block.text for block in document.blocks)
    assert document.encoding is None


@pytest.mark.parametrize("name,encoding", TEXT_FIXTURES.items())
def test_text_files_give_the_same_blocks_in_each_encoding(name, encoding):
    document = read_document(FIXTURES / name)

    expected = list(made.PASSPORT_BLOCKS)
    assert shape(document) == (in_koi8(expected) if encoding == "koi8-r" else expected)
    assert document.encoding == encoding
    assert document.text == made.passport_text_for(encoding)  # line ends normalised, otherwise as is


def test_docx_odt_and_txt_give_the_same_cell_texts():
    def rows(name):
        return [block.cells for block in read_document(FIXTURES / name).blocks if block.kind == "table_row"]

    assert rows("passport.docx") == rows("passport.odt") == rows("passport-utf8.txt")
    assert rows("passport.docx")[4] == ("Мероприятие", "Сроки", "Ответственные")


def test_markdown_pipe_tables_are_table_rows_and_rules_are_skipped():
    document = read_document(FIXTURES / "passport.md")

    assert document.media_type == "text/markdown"
    assert shape(document)[:2] == [("paragraph", "# Паспорт инновационного проекта"), ("table_row", ("№", "Поле", "Значение"))]
    assert [cells for kind, cells in shape(document) if kind == "table_row"][-4:] == list(made.EVENT_ROWS)
    assert not any(set(block.text) <= set("|-: ") for block in document.blocks)


def test_pdf_text_layer_gives_its_lines_in_cyrillic():
    document = read_document(FIXTURES / "passport.pdf")

    assert document.media_type == "application/pdf"
    assert [block.text for block in document.blocks] == list(made.PDF_LINES)
    assert {block.kind for block in document.blocks} == {"paragraph"}


@pytest.mark.parametrize("name", READABLE_FIXTURES)
def test_block_offsets_slice_the_text_exactly_and_in_order(name):
    document = read_document(FIXTURES / name)

    assert document.blocks
    for block in document.blocks:
        assert document.text[block.start:block.end] == block.text
    ends = [(block.start, block.end) for block in document.blocks]
    assert all(end <= next_start for (_, end), (next_start, _) in zip(ends, ends[1:]))
    assert read_document(FIXTURES / name) == document  # deterministic


def test_document_records_file_and_hash_and_is_frozen():
    path = FIXTURES / "passport.odt"
    document = read_document(path)

    assert (document.path, document.file_name) == (path, "passport.odt")
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert document.media_type == "application/vnd.oasis.opendocument.text"
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.text = ""  # type: ignore[misc]


# --- awkward structure ----------------------------------------------------------------------


def test_docx_keeps_breaks_tracked_insertions_smart_tags_and_content_controls():
    blocks = shape(read_document(FIXTURES / "structure.docx"))

    assert blocks[0] == ("paragraph", "Первая строка\nвторая строка\tпосле табуляции")  # NBSP became a space
    assert blocks[1] == ("paragraph", "Текст со вставкой и умным тегом.")  # the deletion is left out
    assert ("paragraph", "Текст в элементе управления содержимым") in blocks
    assert len(blocks) == 7  # the blank paragraph is left out


def test_odt_keeps_headings_lists_sections_and_spaces_but_not_notes_or_comments():
    blocks = shape(read_document(FIXTURES / "structure.odt"))

    assert blocks[:5] == [
        ("paragraph", "Первая строка\nвторая строка\tпосле   табуляции"),
        ("paragraph", "Текст со сноской и комментарием."),
        ("paragraph", "Заголовок раздела"),
        ("paragraph", "Первый пункт списка"),
        ("paragraph", "Второй пункт списка"),
    ]
    assert ("paragraph", "Текст в разделе") in blocks


@pytest.mark.parametrize("name", ["structure.docx", "structure.odt"])
def test_merged_cells_are_not_repeated_and_nested_tables_are_flattened(name):
    blocks = shape(read_document(FIXTURES / name))
    rows = [block for block in blocks if block[0] == "table_row"]

    assert rows[:3] == list(made.MERGED_TABLE_BLOCKS)
    assert rows[3] == made.NESTED_TABLE_BLOCK


# --- encodings ----------------------------------------------------------------------------

SHORT_TEXTS = [
    "Да", "нет", "ёлка", "задачи", "Сроки", "Мастер-класс", "Таженова У.С.", "ПАСПОРТ ПРОГРАММЫ",
    "Итоги года", "Мероприятие\tСроки\tОтветственные", 'МАОУ "Кваркенская СОШ"',
]


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("text", SHORT_TEXTS)
def test_short_cyrillic_texts_are_detected(tmp_path, encoding, text):
    document = read_document(write(tmp_path, "short.txt", text.encode(encoding)))

    assert (document.encoding, document.text) == (encoding, text)


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
    ("utf-16-be-bom", "utf-16"), ("utf-32", "utf-32"),
])
def test_unicode_texts_are_detected_by_bom_or_strict_utf8(tmp_path, encoding, expected):
    text = "Семинар-практикум «Задание 18»"
    data = "\ufeff".encode("utf-16-be") + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)

    document = read_document(write(tmp_path, "short.txt", data))

    assert (document.encoding, document.text) == (expected, text)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared sample corpus is not here")
@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_long_corpus_texts_re_encoded_are_detected(tmp_path, encoding):
    for source in sorted(CORPUS.glob("*.txt")):
        data = source.read_text(encoding="utf-8").encode(encoding, errors="replace")
        document = read_document(write(tmp_path, source.name, data))
        assert document.encoding == encoding, source.name
        assert document.text == read_document(source).text.encode(encoding, errors="replace").decode(encoding)


def test_text_is_normalised_but_otherwise_kept(tmp_path):
    data = "  Строка один \r\nСтрока\u00a0два\rСтрока\x07 три\x1a\u2028конец\n".encode("utf-8")

    document = read_document(write(tmp_path, "notes.txt", data))

    assert document.text == "  Строка один \nСтрока два\nСтрока три\nконец\n"
    assert [block.text for block in document.blocks] == ["  Строка один ", "Строка два", "Строка три", "конец"]


def test_a_line_with_one_filled_tab_cell_is_a_paragraph(tmp_path):
    document = read_document(write(tmp_path, "cells.txt", "\tНаименование \nСроки:\t2023\n".encode()))

    assert shape(document) == [("paragraph", "\tНаименование "), ("table_row", ("Сроки:", "2023"))]


# --- bad inputs --------------------------------------------------------------------------


@pytest.mark.parametrize("name,error,hint", [
    ("corrupt.docx", CorruptDocument, "save it again"),
    ("corrupt.odt", CorruptDocument, "content.xml"),
    ("corrupt.pdf", CorruptDocument, "save it again"),
    ("scan.pdf", NoTextLayer, "OCR"),
    ("junk.txt", BinaryNotText, "looks like a binary file, not text"),
    ("empty.txt", EmptyDocument, "empty"),
])
def test_each_bad_fixture_raises_its_own_error_naming_the_file(name, error, hint):
    with pytest.raises(error) as raised:
        read_document(FIXTURES / name)

    assert name in str(raised.value) and hint in str(raised.value)
    assert isinstance(raised.value, UnreadableDocument) and isinstance(raised.value, InputError)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentNotFound, match="nowhere.docx"):
        read_document(tmp_path / "nowhere.docx")


def test_unsupported_extension_lists_the_supported_ones(tmp_path):
    with pytest.raises(UnsupportedFormat, match=r"report\.doc.*\.docx, \.md, \.odt, \.pdf, \.text, \.txt"):
        read_document(write(tmp_path, "report.doc", b"whatever"))


def test_old_binary_word_file_under_a_new_name_is_refused(tmp_path):
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(UnsupportedFormat, match=r"report\.docx.*save it as \.docx"):
        read_document(write(tmp_path, "report.docx", ole_header))


def test_text_without_any_letters_is_empty(tmp_path):
    with pytest.raises(EmptyDocument, match="blank.txt"):
        read_document(write(tmp_path, "blank.txt", b" \r\n\t\n  \n"))


@pytest.mark.parametrize("text,encoding", [
    ("中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。" * 2, "gbk"),
    ("Η Ελλάδα είναι χώρα της νοτιοανατολικής Ευρώπης, στο νοτιότερο άκρο της Βαλκανικής. " * 2, "cp1253"),
    ("Le café est très bon à Paris, où l'été est chaud.", "latin-1"),
])
def test_text_in_an_unknown_encoding_is_refused_not_garbled(tmp_path, text, encoding):
    with pytest.raises(UnknownEncoding, match="foreign.txt.*save it again as UTF-8"):
        read_document(write(tmp_path, "foreign.txt", text.encode(encoding)))


def test_size_limit_is_checked_before_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(100 * 2**20)  # sparse: costs no disk

    tracemalloc.start()
    try:
        with pytest.raises(DocumentTooLarge, match=r"huge\.txt.*104857600 bytes"):
            read_document(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20  # the 100 MB were never read


def test_size_limit_is_a_parameter():
    with pytest.raises(DocumentTooLarge, match="passport.odt"):
        read_document(FIXTURES / "passport.odt", max_bytes=100)


def test_a_folder_is_not_a_document(tmp_path):
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    with pytest.raises(UnreadableDocument, match="reports.txt"):
        read_document(folder)


# --- content against extension ---------------------------------------------------------------


def test_content_wins_over_a_wrong_extension(tmp_path):
    pdf_as_docx = tmp_path / "report.docx"
    shutil.copy(FIXTURES / "passport.pdf", pdf_as_docx)
    docx_as_txt = tmp_path / "report.txt"
    shutil.copy(FIXTURES / "passport.docx", docx_as_txt)

    assert read_document(pdf_as_docx).media_type == "application/pdf"
    assert shape(read_document(docx_as_txt)) == list(made.PASSPORT_BLOCKS)


# --- finding documents ---------------------------------------------------------------------


def test_iter_documents_walks_folders_sorted_and_skips_hidden_lock_and_unsupported(tmp_path):
    for name in [
        "b.txt", "a.docx", "Отчёт.PDF", "notes.md", "old.doc", "~$a.docx", ".hidden.txt",
        "sub/c.odt", "sub/.~lock.c.odt#", ".git/d.txt", "~$tmp/e.txt", "sub/deeper/f.text",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    loose = tmp_path / "old.doc"

    found = list(iter_documents([tmp_path, loose, tmp_path / "a.docx"]))

    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "a.docx", "b.txt", "notes.md", "sub/c.odt", "sub/deeper/f.text", "Отчёт.PDF", "old.doc",
    ]


def test_iter_documents_over_the_fixtures_lists_every_fixture_but_the_script():
    names = [path.name for path in iter_documents([FIXTURES])]

    assert names == sorted(names)
    assert "make_fixtures.py" not in names and "passport.docx" in names and "scan.pdf" in names


# --- the real corpus ---------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared sample corpus is not here")
def test_the_sample_corpus_reads_as_utf8_with_blocks():
    sources = sorted(CORPUS.glob("*.txt"))
    assert len(sources) == 5

    for source in sources:
        document = read_document(source)
        assert document.encoding == "utf-8", source.name
        assert document.blocks and all(block.text.strip() for block in document.blocks)
        assert all(document.text[block.start:block.end] == block.text for block in document.blocks)
