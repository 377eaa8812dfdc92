"""Genres and segments of a document: passport fields, event rows, sentences.

Documents converted from Word write a two-column passport as a stream of
*cells*: a line that starts with a tab opens a cell, and the lines after it
without a tab continue it (blank lines inside a cell are kept). A field is a
label cell (e.g. «Наименование инновационного продукта (тема)»), optionally
preceded by its number cell («1.», «11.2.1»), followed by its value cells. The
same stream gives event rows: the cells between two empty cells of a table
(«Мастер-класс «…» | Март | ОО»). Real Word tables and tab/pipe-separated lines
are rows too, and so is a numbered line («3. Мастер-класс «…» — февраль — …»).
Prose is split into sentences with razdel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from razdel import sentenize

from opyt.ingest.readers import Document


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    end: int


@dataclass
class Field:
    label: str
    value: str
    start: int  # of the label
    end: int  # of the value
    value_start: int
    number: str | None = None


@dataclass
class Row:
    cells: list[Segment]
    start: int
    end: int

    @property
    def text(self) -> str:
        return " | ".join(c.text for c in self.cells)


@dataclass
class Layout:
    genre: str | None
    heading: Segment | None
    cells: list[Segment] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


NUMBER_CELL = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.?)$")
# words a field label of a passport starts with (after its number)
LABEL = re.compile(
    r"^(?:Наименование|Название|Тема|Номинация|Автор|Авторы|Разработчик|Исполнител|Соисполнител|Заказчик|"
    r"Научный руководитель|Руководитель|Цел[ьи]|Задачи|Основная идея|Основание|Нормативн|Обоснование|"
    r"Новизна|Предполагаемая|Практическая значимость|Механизм|Сроки|Этапы|Перспективы|Предложения|"
    r"Перечень|Статус|Ресурсное|Материальное|Интеллектуальное|Временное|Кадровое|Финансов|"
    r"Источники|Ожидаемые|Управление\s+и\s+контроль|Организация контроля|Социальные партн|"
    r"Полученный результат|Конечный результат|Участники|Целевая|Контактн|Адрес|Телефон|"
    r"Форм[аы]\s|Виды\s|Организация[- ]заявитель|Заявитель)",
    re.IGNORECASE)
INLINE_LABEL = re.compile(
    r"^\s*(Тема проекта|Тема программы|Тема инновационного проекта|Наименование проекта|"
    r"Наименование программы|Название проекта|Название практики|Наименование практики|Тема практики|"
    r"Цель проекта|Цель программы|Цель практики|Цель|Авторы? проекта|Авторы? практики|Авторы?|"
    r"Авторский коллектив|Авторы? опыта|Научный руководитель|Организация[- ]заявитель|Заявитель|Формы[^:\n]{0,40}|"
    r"Сроки реализации|Исполнител[ьи][^:\n]{0,30}|Разработчик[^:\n]{0,30}|Заказчик)\s*:\s*(.+)$", re.IGNORECASE)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Sentences of ``text[start:end]`` (razdel), with offsets into ``text``; lines are never joined."""
    end = len(text) if end is None else end
    out: list[Segment] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        base = start + line.start()
        for s in sentenize(line.group()):
            stripped = s.text.strip(" \t")
            if stripped:
                lead = len(s.text) - len(s.text.lstrip(" \t"))
                out.append(Segment(stripped, base + s.start + lead, base + s.start + lead + len(stripped)))
    return out


def sentence_at(text: str, pos: int) -> Segment:
    """The sentence of ``text`` that holds offset ``pos``."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    for s in sentences(text, line_start, line_end):
        if s.start <= pos < s.end or pos < s.start:
            return s
    return Segment(text[line_start:line_end].strip(), line_start, line_end)


def _cells(document: Document, multi: set[int] | None = None) -> list[Segment]:
    """The cell stream: tab-led lines with their continuation lines; table-row cells; paragraphs elsewhere.

    ``multi`` receives the starts of cells that cannot be one of the one-cell-per-line cells of a table:
    cells that share their line with another cell (a table row of their own) and plain lines."""
    text = document.text
    out: list[Segment] = []
    multi = set() if multi is None else multi
    current: list[int] | None = None  # [start, end]

    def close() -> None:
        nonlocal current
        if current is not None:
            s, e = current
            raw = text[s:e]
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            out.append(Segment(body, s + lead, s + lead + len(body)))
            current = None

    pos = 0
    blank_run = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() and "\t" not in line:
            blank_run += 1
            if blank_run >= 3:
                close()
            continue
        tabbed = "\t" in line
        if tabbed:
            close()
            parts = line.split("\t")
            if sum(1 for part in parts if part.strip()) >= 2:
                o = start
                for part in parts:
                    multi.add(o + len(part) - len(part.lstrip()))
                    o += len(part) + 1
            offset = start
            for i, part in enumerate(parts):
                if i == 0 and not part.strip():
                    offset += len(part) + 1
                    continue
                if i < len(parts) - 1 or i == 0:
                    current = [offset, offset + len(part)]
                    close()
                else:
                    current = [offset, offset + len(part)]
                offset += len(part) + 1
            if current is None:  # a line that is only tabs: an empty cell
                out.append(Segment("", end, end))
        elif current is not None and blank_run < 2:
            current[1] = end
        else:
            close()
            current = [start, end]
            multi.add(start + len(line) - len(line.lstrip()))  # a plain line is not a cell of a table
            close()
        blank_run = 0
    close()
    return out


def _fields(cells: list[Segment], text: str) -> list[Field]:
    fields: list[Field] = []
    i = 0
    number = None
    while i < len(cells):
        c = cells[i]
        if NUMBER_CELL.match(c.text):
            number = c.text.rstrip(".")
            i += 1
            continue
        m = INLINE_LABEL.match(c.text) or _labelled_line(c.text)
        if m:
            label, value = _squash(m.group(1)), m.group(2).strip()
            vs = c.start + m.start(2)
            fields.append(Field(label, value, c.start, c.end, vs, None))
            i += 1
            continue
        is_label = (LABEL.match(c.text) or number is not None) and len(c.text) <= 160 \
            and not c.text.startswith(("«", "-", "·", "•"))
        if is_label and i + 1 < len(cells) and cells[i + 1].text:
            values = []
            j = i + 1
            while j < len(cells) and cells[j].text and not NUMBER_CELL.match(cells[j].text) \
                    and not (LABEL.match(cells[j].text) and len(cells[j].text) <= 160 and values
                             and "\t" in text[text.rfind("\n", 0, cells[j].start):cells[j].start + 1]):
                values.append(cells[j])
                j += 1
                if not _continues(cells, j):
                    break
            if values:
                vs, ve = values[0].start, values[-1].end
                fields.append(Field(_squash(c.text), text[vs:ve], c.start, ve, vs, number))
                i = j
                number = None
                continue
        number = None
        i += 1
    return fields


LINE_FIELD = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?([^:\n]{3,160}?)\s*(?::|\s[–—]\s)\s*(.*?)\s*$")


def _labelled_line(line: str) -> re.Match | None:
    """«Тема: «…»», «Наименование программы — «…»»: a label and its value on one line."""
    m = LINE_FIELD.match(line)
    return m if m and m.group(2) and LABEL.match(m.group(1)) else None


def _block_fields(document: Document, known: set[int]) -> list[Field]:
    """Fields written as table rows («1. | Наименование … | «…»») or as lines («2. Авторы опыта: …»)."""
    text = document.text
    out: list[Field] = []
    blocks = document.blocks
    for i, block in enumerate(blocks):
        if block.kind == "table_row":
            segs, off = [], block.start
            for cell in block.cells:
                body = cell.strip()
                k = text.find(body, off, block.end) if body else -1
                if k >= 0:
                    segs.append(Segment(body, k, k + len(body)))
                    off = k + len(body)
            number = None
            if segs and NUMBER_CELL.match(segs[0].text):
                number = segs[0].text.rstrip(".")
                segs = segs[1:]
            if len(segs) >= 2 and LABEL.match(segs[0].text) and len(segs[0].text) <= 160 \
                    and segs[0].start not in known:
                value = segs[1]
                out.append(Field(_squash(segs[0].text), value.text, segs[0].start, value.end, value.start, number))
        else:
            m = LINE_FIELD.match(block.text)
            if not m or not LABEL.match(m.group(1)):
                continue
            label_start = block.start + m.start(1)
            if label_start in known:
                continue
            if m.group(2):
                out.append(Field(_squash(m.group(1)), m.group(2), label_start, block.end, block.start + m.start(2)))
            elif i + 1 < len(blocks) and blocks[i + 1].kind == "paragraph":
                nxt = blocks[i + 1]
                out.append(Field(_squash(m.group(1)), nxt.text, label_start, nxt.end, nxt.start))
    return out


def _continues(cells: list[Segment], j: int) -> bool:
    """Whether the value goes on into cell ``j`` (a list that was split into cells)."""
    return j < len(cells) and bool(cells[j].text) and cells[j].text[:1] in "-·•–"


def _squash(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip()


def _rows(document: Document, cells: list[Segment], multi: set[int]) -> list[Row]:
    text = document.text
    rows: list[Row] = []
    for block in document.blocks:
        if block.kind == "table_row" and block.cells:
            segs, off = [], block.start
            for cell in block.cells:
                body = cell.strip()
                if not body:
                    continue
                k = text.find(body, off, block.end)
                if k < 0:
                    continue
                segs.append(Segment(body, k, k + len(body)))
                off = k + len(body)
            if segs:
                rows.append(Row(segs, block.start, block.end))
    group: list[Segment] = []
    for c in cells + [Segment("", len(text), len(text))]:
        if c.text and c.start not in multi:
            group.append(c)
            continue
        if 2 <= len(group) <= 6:  # an event row has a few cells; a longer run is a form, not a row
            rows.append(Row(list(group), group[0].start, group[-1].end))
        group = []
    seen = {(r.start, r.end) for r in rows}
    for line in re.finditer(r"[^\n]+", text):
        body = line.group()
        if body.count("|") >= 2:
            parts, off = [], line.start()
            for part in body.split("|"):
                if part.strip() and not re.fullmatch(r"\s*:?-{3,}:?\s*", part):
                    lead = len(part) - len(part.lstrip())
                    parts.append(Segment(part.strip(), off + lead, off + lead + len(part.strip())))
                off += len(part) + 1
            if len(parts) >= 2:
                rows.append(Row(parts, line.start(), line.end()))
        elif re.match(r"\s*\d{1,3}[.)]\s+\S", body) and (line.start(), line.end()) not in seen:
            parts = [p for p in re.split(r"\s+[–—-]\s+|\t", body) if p.strip()]
            if len(parts) >= 2:
                segs, off = [], line.start()
                for p in parts:
                    k = text.find(p, off, line.end())
                    segs.append(Segment(p.strip(), k, k + len(p.strip())))
                    off = k + len(p)
                rows.append(Row(segs, line.start(), line.end()))
    return rows


GENRES = (
    (re.compile(r"паспорт\w*\s+(?:\w+\s+)?проект", re.I), "passport"),
    (re.compile(r"диссеминац", re.I), "dissemination programme"),
    (re.compile(r"программ\w*\s+развития", re.I), "development programme"),
    (re.compile(r"\bотч[её]т", re.I), "report"),
    (re.compile(r"паспорт\w*\s+программ", re.I), "programme"),
)


def layout(document: Document) -> Layout:
    multi: set[int] = set()
    cells = _cells(document, multi)
    fields = _fields(cells, document.text)
    known = {f.start for f in fields} | {f.value_start for f in fields}
    fields += [f for f in _block_fields(document, known)
               if not any(g.start <= f.start < g.end for g in fields)]
    fields.sort(key=lambda f: f.start)
    rows = _rows(document, cells, multi)
    head_lines = [ln.strip() for ln in document.text[:1500].split("\n") if ln.strip()][:6]
    head = " ".join(head_lines)
    genre = None
    for pattern, name in GENRES:
        if pattern.search(head):
            genre = name
            break
    heading = None
    for s in re.finditer(r"[^\n]*\S[^\n]*", document.text):
        body = s.group().strip().replace("[bookmark: _GoBack]", "")
        if body:
            k = document.text.find(body, s.start())
            heading = Segment(body, k, k + len(body))
            break
    return Layout(genre, heading, cells, fields, rows)
