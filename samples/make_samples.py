"""Write the sample corpus that ``make run`` ingests: short documents written for Opyt
in the four genres of the real corpus, carrying the facts of ``../shared/gold/seeds.json``
in our own wording (the real documents are not ours to ship).

Run ``.venv/bin/python samples/make_samples.py`` from the project root; the output is
byte-for-byte reproducible (zip timestamps and document dates are fixed).

| file | genre | format |
|---|---|---|
| ``kvarkensky-dissemination-programme.docx`` | dissemination programme, event table as a Word table | .docx |
| ``kvarkensky-master-classes.txt`` | the programme's plan of master classes | .txt, UTF-8 |
| ``novokubansky-project-passport.docx`` | project passport, the form as a Word table | .docx |
| ``vyselkovsky-project-passport.odt`` | project passport, the form as a table | .odt |
| ``krymsky-kip-report.txt`` | report of a regional innovation site (КИП) | .txt, cp1251, CRLF |
| ``novokuznetsky-imc-programme.odt`` | development programme of a methodological service | .odt |
"""
from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime.datetime(2024, 1, 15, 9, 0, 0)
UNNEEDED_PARTS = ("stylesWithEffects", "webSettings", "customXml", "theme", "thumbnail")

# A document is a list of blocks: ("h", text), ("p", text) or ("table", rows).

KVARKEN_PROGRAMME = [
    ("h", "Программа «Диссеминация инновационного опыта в системе образования Кваркенского района "
          "на 2020-2024 гг.»"),
    ("table", [
        ("Наименование программы",
         "«Диссеминация инновационного опыта в системе образования Кваркенского района на 2020-2024 гг.»"),
        ("Заказчик программы", "Районный отдел образования Кваркенского района (РОО), "
                               "Районный методический кабинет Кваркенского района (РМК)"),
        ("Сроки реализации", "2020-2024 гг."),
    ]),
    ("h", "1. Обоснование"),
    ("p", "В школах Кваркенского района Оренбургской области накоплен опыт, который стоит сделать "
          "достоянием всех педагогов района. Инновационный опыт руководителей образовательных организаций "
          "представлен в МАОУ «Кваркенская СОШ» (Родионова Л.А.), МАОУ «Бриентская СОШ» (Мурзина Е.Ф.), "
          "Таналыкской СОШ (Карпунина Л.Б.); педагогов — Седельникова О.А., Таженова У.С., Кравченко О.А."),
    ("p", "Программа создаёт банк данных об инновациях района, опорные и стажерские площадки, "
          "систему конкурсов и наставничества."),
    ("h", "2. Модели диссеминации"),
    ("p", "Модель «прямого» действия: участвуют создатель (носитель) опыта и его получатель, "
          "например на мастер-классе или при наставничестве."),
    ("p", "Модель «опосредованного» действия: кроме носителя и получателя в передаче опыта участвует "
          "посредник — методический кабинет, институт или орган управления образованием."),
    ("p", "Сетевая модель: единое информационно-методическое пространство района, сетевое "
          "взаимодействие школ."),
    ("p", "Опыт представляется на уровнях: всероссийском, региональном, муниципальном и на уровне "
          "образовательных организаций."),
    ("p", "На уровне образовательных организаций школы открывают на своих сайтах страницы инновационного "
          "опыта (МАОУ «Кваркенская СОШ», МАОУ «Кировская СОШ», МАОУ «Аландская СОШ», МАОУ «Бриентская СОШ», "
          "МАОУ «Красноярская СОШ», МАОУ «Приморская СОШ», МАОУ «Уртазымская СОШ», МАОУ «СОШ №20», "
          "МАОУ «В.Кардаиловская ООШ», МАОУ «Зеленодольская ООШ», МАОУ «Ново-Айдырлинская ООШ»), "
          "проводят педсоветы, семинары и мастер-классы."),
    ("h", "3. План мероприятий"),
    ("p", "Мероприятия плана проводятся на муниципальном уровне, мастер-классы — по модели «прямого» действия."),
    ("table", [
        ("Мероприятие", "Сроки", "Ответственные"),
        ("Формирование муниципального банка данных об инновационном опыте", "2020 г.", "РМК"),
        ("Работа стажировочных площадок на базе МАОУ «Кваркенская СОШ» и МАОУ «Бриентская СОШ»",
         "Весь период", "РОО, РМК"),
        ("Мастер-класс «Графический метод решения задания 18 ЕГЭ по математике профильного уровня» "
         "(МАОУ «Кваркенская СОШ», У.С. Таженова)", "Февраль", "ОО"),
        ("Мастер-класс «Сочинение – рассуждение на лингвистическую тему» "
         "(МАОУ «Кваркенская СОШ», О.А. Кравченко)", "Март", "ОО"),
        ("Районный семинар руководителей по обмену управленческим опытом", "Ежегодно", "РОО"),
    ]),
]

KVARKEN_MASTER_CLASSES = [
    ("h", "План мастер-классов районного методического объединения учителей Кваркенского района "
          "Оренбургской области на 2023 год"),
    ("p", "Мастер-классы проводятся по модели «прямого» действия на муниципальном уровне: "
          "носитель опыта работает с учителями района в своей школе."),
    ("table", [
        ("Мероприятие", "Сроки", "Ответственные"),
        ("Мастер-класс «Графический метод решения задания 18 ЕГЭ по математике профильного уровня» "
         "(МАОУ «Кваркенская СОШ», У.С. Таженова)", "Февраль", "ОО"),
        ("Мастер-класс «Сочинение – рассуждение на лингвистическую тему» "
         "(МАОУ «Кваркенская СОШ», О.А. Кравченко)", "Март", "ОО"),
    ]),
]

NOVOKUBAN_PASSPORT = [
    ("h", "Паспорт инновационного проекта"),
    ("table", [
        ("1.", "Наименование инновационного продукта (тема)",
         "Модель сетевой организации управления качеством образования, способствующей развитию "
         "образовательной среды в муниципальном образовании на основе принципов взаимодействия и адресности"),
        ("2.", "Авторы представляемого опыта (коллектив авторов)",
         "Давыденко Светлана Викторовна, директор МБУ «ЦРО» МО Новокубанский район; "
         "Вьюнова Наталья Николаевна, начальник отдела МБУ «ЦРО» МО Новокубанский район"),
        ("3.", "Научный руководитель (если есть). Научная степень, звание",
         "Кара Алла Петровна, кандидат исторических наук, директор АФ ГБОУ ИРО КК"),
        ("4.", "Цель внедрения инновационного продукта",
         "Создать сетевую модель управления качеством образования в Новокубанском районе "
         "Краснодарского края, опираясь на взаимодействие школ и адресную поддержку."),
        ("5.", "Формы распространения опыта",
         "Стажировки и семинары для руководителей школ, методическое пособие по оценке качества образования."),
        ("6.", "Перечень научных и (или) учебно-методических разработок по теме инновационного продукта",
         "Тюнникова М.А. Описание опыта работы муниципального образования Новокубанский район по "
         "повышению качества образования в школах с низкими результатами и школах, функционирующих "
         "в неблагоприятных социальных условиях (2018)."),
    ]),
    ("p", "Проект реализуется по сетевой модели на муниципальном уровне в 2019-2021 гг. Партнёр проекта — "
          "Армавирский филиал ГБОУ ИРО Краснодарского края (АФ ГБОУ ИРО КК)."),
    ("h", "11. Этапы реализации проекта"),
    ("table", [
        ("11.1", "Подготовительный этап (2019 г.)", "Анализ результатов оценки качества образования школ района"),
        ("11.2", "Основной этап (2020-2021 гг.)",
         "Стажировки руководителей на базе МБУ «ЦРО», семинары для команд школ с низкими результатами"),
    ]),
]

VYSELKI_PASSPORT = [
    ("h", "Паспорт инновационного проекта"),
    ("table", [
        ("1.", "Наименование инновационного проекта (тема)",
         "Совершенствование инновационной инфраструктуры межмуниципального взаимодействия"),
        ("2.", "Авторы представляемого опыта",
         "Иванова Наталья Анатольевна, методист МКУ ИМЦ Выселковского района; "
         "Ремель Ольга Леонидовна, специалист МКУ ИМЦ Выселковского района"),
        ("3.", "Научный руководитель (если есть)", "нет"),
        ("4.", "Цель проекта",
         "Развить инновационную инфраструктуру Выселковского района Краснодарского края через "
         "сетевое взаимодействие с соседними муниципалитетами."),
        ("5.", "Формы распространения опыта",
         "Районные и межмуниципальные вебинары, конференция инновационных проектов, конкурс проектов."),
    ]),
    ("p", "Проект реализуется по сетевой модели на муниципальном уровне в 2021-2023 гг. Деятельность "
          "инновационных площадок на региональном уровне сопровождает ГБОУ ИРО Краснодарского края."),
    ("h", "11. Этапы реализации проекта"),
    ("table", [
        ("11.1", "2021 г.",
         "Проведение методических вебинаров «Метод перевода ОУ в режим РАЗВИТИЯ» (Иванова Н.А., Ремель О.Л.)"),
        ("11.2", "2022-2023 гг.", "Межмуниципальная конференция и конкурс инновационных проектов"),
    ]),
    ("p", "Директор МКУ ИМЦ Выселковского района Верзунова О.А."),
]

KRYMSK_REPORT = [
    ("h", "Управление образования администрации муниципального образования Крымский район"),
    ("p", "Отчёт краевой инновационной площадки (КИП) за 2022 год"),
    ("p", "Тема проекта: Непрерывное профессиональное развитие управленческих команд через "
          "вовлечение в систему взаимных стажировок"),
    ("p", "Проект ведёт Управление образования администрации муниципального образования Крымский район "
          "Краснодарского края; опыт передаётся по модели «опосредованного» действия на региональном уровне."),
    ("p", "Управленческие команды школ проходят взаимные стажировки на муниципальных стажировочных "
          "площадках. Особое внимание — школам с низкими образовательными результатами: функциональная "
          "и читательская грамотность, профессиональное самоопределение."),
    ("p", "Формы работы площадок: семинар-практикум, педагогическая мастерская, педагогическая "
          "лаборатория, деловая игра, фестиваль, мастер-класс, вебинар."),
    ("p", "Результативность видна по успехам наших педагогов на краевых конкурсах (победитель "
          "«Учитель здоровья Кубани» Тебряева Татьяна Александровна, учитель географии школы № 12, "
          "и лауреат «Учитель года Кубани» Семикоз Надежда Васильевна, учитель математики гимназии № 7)."),
    ("p", "Партнёры: Кубанский государственный университет, Крымский технический колледж. Первые "
          "результаты представлены на федеральной стажировке Академии Минпросвещения России."),
]

NOVOKUZNETSK_PROGRAMME = [
    ("h", "Программа развития МБОУ ДПО «Информационно-методический центр Новокузнецкого района» "
          "на 2016-2020 гг."),
    ("table", [
        ("Наименование программы",
         "«От инновационной работы ММС – к инновационной работе каждого учителя сельской школы»"),
        ("Сроки реализации", "2016-2020 гг."),
        ("Заказчик", "Управление образования администрации Новокузнецкого муниципального района"),
        ("Исполнитель", "МБОУ ДПО «Информационно-методический центр Новокузнецкого района» (ИМЦ)"),
        ("Партнёры", "Кузбасский региональный институт повышения квалификации; МУ ДПО «ИПК» г. Новокузнецка; "
                     "Томский государственный педагогический университет; Томский политехнический "
                     "университет; Кузбасская государственная педагогическая академия; Сибирский институт "
                     "электронных программных средств; ГОО «КРЦППМС» НМР"),
    ]),
    ("p", "Муниципальная методическая служба Новокузнецкого района Кемеровской области выступает "
          "посредником между носителями опыта и сельскими школами: опыт передаётся по модели "
          "«опосредованного» действия на муниципальном уровне."),
    ("p", "Формы работы: методическая мастерская, стажировка, конференция, педагогические чтения, "
          "конкурс, дистанционное обучение. В основе — компетентностная модель непрерывного "
          "профессионального образования педагога сельской школы."),
    ("p", "ИМЦ внедряет в практику рефлексивной технологии «Творческий портфель педагога» (портфолио "
          "педагога) и «Лаборатория педагога-исследователя» (исследовательская деятельность педагога)."),
    ("p", "Общее управление реализацией программы осуществляет Горн Н.Г., директор МБОУ ДПО "
          "«Информационно-методический центр Новокузнецкого района»."),
]

# file name -> (blocks, format, encoding, line end)
SAMPLES = {
    "kvarkensky-dissemination-programme.docx": (KVARKEN_PROGRAMME, "docx", None, None),
    "kvarkensky-master-classes.txt": (KVARKEN_MASTER_CLASSES, "txt", "utf-8", "\n"),
    "novokubansky-project-passport.docx": (NOVOKUBAN_PASSPORT, "docx", None, None),
    "vyselkovsky-project-passport.odt": (VYSELKI_PASSPORT, "odt", None, None),
    "krymsky-kip-report.txt": (KRYMSK_REPORT, "txt", "cp1251", "\r\n"),
    "novokuznetsky-imc-programme.odt": (NOVOKUZNETSK_PROGRAMME, "odt", None, None),
}


# --- plain text ---------------------------------------------------------------------


def as_text(blocks, line_end: str) -> str:
    """Paragraphs separated by blank lines; table rows one a line, cells separated by tabs."""
    parts = []
    for kind, content in blocks:
        parts.append("\n".join("\t".join(row) for row in content) if kind == "table" else content)
    return line_end.join("\n\n".join(parts).split("\n")) + line_end


# --- Word ---------------------------------------------------------------------------


def write_docx(blocks, path: Path) -> None:
    document = docx.Document()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "Opyt samples"
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    for kind, content in blocks:
        if kind == "h":
            document.add_heading(content, level=1)
        elif kind == "p":
            document.add_paragraph(content)
        else:
            table = document.add_table(rows=len(content), cols=len(content[0]))
            table.style = "Table Grid"
            for row, values in zip(table.rows, content):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    for relationships in (document.part.rels, document.part.package.rels):
        for rid in [rid for rid, rel in relationships.items() if rel.reltype.endswith(UNNEEDED_PARTS)]:
            del relationships[rid]
    drop_unused_styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(with_fixed_zip_times(buffer.getvalue()))


def drop_unused_styles(document) -> None:
    """Keep only the styles the body uses, the defaults, and the styles they build on."""
    styles = document.styles.element
    wanted = set(document.element.body.xpath(".//w:pStyle/@w:val | .//w:tblStyle/@w:val"))
    wanted |= set(styles.xpath("w:style[@w:default='1']/@w:styleId"))
    while True:
        based_on = set(styles.xpath(
            " | ".join(f"w:style[@w:styleId='{style}']/w:basedOn/@w:val" for style in wanted)
        ))
        if based_on <= wanted:
            break
        wanted |= based_on
    for style in styles.xpath("w:style | w:latentStyles"):
        if style.get(qn("w:styleId")) not in wanted:
            styles.remove(style)


# --- OpenDocument ---------------------------------------------------------------------


def write_odt(blocks, path: Path) -> None:
    document = OpenDocumentText()
    for number, (kind, content) in enumerate(blocks):
        if kind == "h":
            document.text.addElement(H(outlinelevel=1, text=content))
        elif kind == "p":
            document.text.addElement(P(text=content))
        else:
            table = Table(name=f"Таблица{number}")
            table.addElement(TableColumn(numbercolumnsrepeated=len(content[0])))
            for values in content:
                row = TableRow()
                for value in values:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                    row.addElement(cell)
                table.addElement(row)
            document.text.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    path.write_bytes(with_fixed_zip_times(buffer.getvalue()))


def with_fixed_zip_times(package: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIME, so regenerating changes nothing."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = entry.compress_type
            target.writestr(fixed, source.read(entry))
    return output.getvalue()


def main() -> None:
    for name, (blocks, file_format, encoding, line_end) in SAMPLES.items():
        path = HERE / name
        if file_format == "txt":
            path.write_bytes(as_text(blocks, line_end).encode(encoding))
        elif file_format == "docx":
            write_docx(blocks, path)
        else:
            write_odt(blocks, path)
        print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
