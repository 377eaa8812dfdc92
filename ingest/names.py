"""Persons: «Таженова У.С.», «У.С. Таженова», «Давыденко Светлана Викторовна».

Names with initials are found by pattern; full names by pymorphy3's name tags
(a given name tagged ``Name`` followed by a patronymic tagged ``Patr``, with the
surname before or after) and natasha's PER spans, which are merged so that
«Давыденко Светлана Викторовна» is one person. Surnames are never lemmatised.
Not persons: eponyms («школа имени М.Г. Лобытова»), signature blanks
(«_____ /И.О. Фамилия/», «подпись»), signatories of cited laws and orders, and
authors in a list of literature.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from opyt.ingest.vocabulary import forms, morph

UP = "А-ЯЁ"
LOW = "а-яё"
SURNAME = rf"[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?"
INITIALS = rf"[{UP}]\.\s?(?:[{UP}]\.)?"
SURNAME_FIRST = re.compile(rf"(?<![\w.])({SURNAME})\s+([{UP}])\.\s?(?:([{UP}])\.)?(?![{LOW}])")
INITIALS_FIRST = re.compile(rf"(?<![\w.])([{UP}])\.\s?(?:([{UP}])\.\s?)?({SURNAME})(?![\w])")
CAP_WORD = re.compile(rf"[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?")

TEMPLATE_WORDS = {"фамилия", "имя", "отчество", "подпись", "фио", "ф", "расшифровка"}
EPONYM_BEFORE = re.compile(r"(?:имени|им\.|в честь|памяти)\s*$", re.IGNORECASE)
LAW_CONTEXT = re.compile(
    r"(?:закон|приказ|постановлени|распоряжени|указ\b|указом|утвержд[её]н|подписан|кодекс|"
    r"министр|председател|президент|губернатор)", re.IGNORECASE)
BIBLIOGRAPHY = re.compile(r"^\s*(?:список\s+(?:использованной\s+)?литературы|литература|библиография|"
                          r"список\s+источников|использованные\s+источники)\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
NOT_SURNAME = {
    "Российской", "Федерации", "Краснодарского", "Оренбургской", "Кемеровской", "МАОУ", "МБОУ", "Приказ",
}
PATRONYMIC_END = re.compile(r"(?:овна|евна|ична|инична|овны|евны|вич|вича|оглы|кызы)$")
_LOCK = threading.Lock()
_NER = None


@dataclass
class Mention:
    family: str
    initials: str  # "У.С."
    given: str | None
    patronymic: str | None
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"{self.family} {self.initials}".strip()

    @property
    def full_name(self) -> str | None:
        if self.given and self.patronymic:
            return f"{self.family} {self.given} {self.patronymic}"
        return None


def natasha():
    """The natasha segmenter and NER tagger, loaded once per process."""
    global _NER
    if _NER is None:
        with _LOCK:
            if _NER is None:
                from natasha import NewsEmbedding, NewsNERTagger, Segmenter

                _NER = (Segmenter(), NewsNERTagger(NewsEmbedding()))
    return _NER


def natasha_spans(text: str) -> list[tuple[str, int, int]]:
    from natasha import Doc

    segmenter, tagger = natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(s.type, s.start, s.stop) for s in doc.spans]


def _tag(word: str, grammeme: str) -> bool:
    return any(grammeme in p.tag and p.score >= 0.05 for p in morph().parse(word))


def _is_given(word: str) -> bool:
    return _tag(word, "Name")


def _is_patronymic(word: str) -> bool:
    return _tag(word, "Patr") or bool(re.search(r"(?:вна|вич|чна|ична)$", word))


def _excluded(text: str, start: int, end: int, words: list[str]) -> bool:
    if any(w.lower() in TEMPLATE_WORDS for w in words):
        return True
    before = text[max(0, start - 40):start]
    if EPONYM_BEFORE.search(before):
        return True
    # a signature blank: «_____ /И.О. Фамилия/» is caught above; «/Иванов И.И./» after underscores is a real signature
    line_start = text.rfind("\n", 0, start) + 1
    clause = re.split(r"[;()\n]|\.\s(?=[А-ЯЁ][а-яё])", text[line_start:start])[-1]
    if LAW_CONTEXT.search(clause[-120:]):
        return True
    # inside quotes: part of a name of an organisation or an award («Школа имени …», «Почётный …»)
    opened = text.rfind("«", line_start, start)
    if opened >= 0 and text.rfind("»", opened, start) < 0:
        return True
    return False


def _word_before_initials(text: str, m: re.Match) -> bool:
    """«Стажировка М.С. Тупицыной», «вебинар С.В. Кима»: the «Фамилия И.О.» match ``m`` is a common
    word before «И.О. Фамилия»."""
    if not INITIALS_FIRST.match(text, m.start(2)):
        return False
    word = m.group(1)
    return bool(forms(word)) or not any({"Surn", "Name"} & p.tag.grammemes for p in morph().parse(word))


def _in_bibliography(text: str, pos: int) -> bool:
    heads = [m.start() for m in BIBLIOGRAPHY.finditer(text, 0, pos)]
    if not heads:
        return False
    # a bibliography runs until a blank line followed by a heading-like line; simply: the rest of the section
    return "\n\n\n" not in text[heads[-1]:pos]


def find_persons(text: str, use_natasha: bool = True) -> list[Mention]:
    """Every person mention in ``text``, in order, eponyms, blanks and law signatories left out."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(m: Mention) -> None:
        found.append(m)
        taken.append((m.start, m.end))

    # full names: Фамилия Имя Отчество / Имя Отчество Фамилия; every run of three capitalised words is
    # tried, overlapping ones too («Учитель Серов Пётр Ильич»: not «Учитель Серов Пётр», then «Серов Пётр Ильич»)
    for m in re.finditer(rf"(?<!\w)(?=({SURNAME})\s+({SURNAME})\s+({SURNAME}))", text):
        a, b, c = m.group(1), m.group(2), m.group(3)
        start, end = m.start(), m.end(3)
        if not free(start, end):
            continue
        if (_is_given(b) or PATRONYMIC_END.search(c)) and _is_patronymic(c) and not _is_patronymic(a) \
                and not _is_patronymic(b):
            if not _excluded(text, start, end, [a, b, c]):
                add(Mention(a, f"{b[0]}.{c[0]}.", b, c, start, end))
        elif _is_given(a) and _is_patronymic(b) and c not in NOT_SURNAME and not _is_given(c):
            if not _excluded(text, start, end, [a, b, c]):
                add(Mention(c, f"{a[0]}.{b[0]}.", a, b, start, end))
    # «Таженова У.С.» and «У.С. Таженова»: the groups that hold surname, first and second initial
    for pattern, (surname, first, second) in ((SURNAME_FIRST, (1, 2, 3)), (INITIALS_FIRST, (3, 1, 2))):
        for m in pattern.finditer(text):
            fam, i1, i2 = m.group(surname), m.group(first), m.group(second)
            if fam in NOT_SURNAME or not free(m.start(), m.end()) or _excluded(text, m.start(), m.end(), [fam]):
                continue
            if pattern is SURNAME_FIRST and _word_before_initials(text, m):
                continue
            add(Mention(fam, f"{i1}." + (f"{i2}." if i2 else ""), None, None, m.start(), m.end()))
    if use_natasha:
        for kind, s, e in natasha_spans(text):
            if kind != "PER" or not free(s, e):
                continue
            words = CAP_WORD.findall(text[s:e])
            # natasha splits «Давыденко Светлана Викторовна»: widen to the neighbouring capitalised words
            if len(words) == 2 and _is_given(words[0]) and _is_patronymic(words[1]):
                before = re.search(rf"({SURNAME})\s+$", text[max(0, s - 40):s])
                if before and free(s - len(before.group(0)), e):
                    fam = before.group(1)
                    s2 = s - len(before.group(0))
                    if not _excluded(text, s2, e, [fam, *words]):
                        add(Mention(fam, f"{words[0][0]}.{words[1][0]}.", words[0], words[1], s2, e))
    found.sort(key=lambda m: m.start)
    return _in_nominative([m for m in found if not _in_bibliography(text, m.start)])


# --- names in the nominative: «опыт Ларионовой Галины Николаевны», «вебинар С.В. Кима» ---------------

# endings of a surname in an oblique case that only a surname in that case has: ending → nominative
OBLIQUE_FOR_SURE = (("ской", "ская"), ("цкой", "цкая"), ("ского", "ский"), ("скому", "ский"), ("ским", "ский"),
                    ("ском", "ский"), ("овой", "ова"), ("евой", "ева"), ("ёвой", "ёва"), ("иной", "ина"),
                    ("ыной", "ына"), ("овым", "ов"), ("евым", "ев"), ("ёвым", "ёв"), ("иным", "ин"), ("ыным", "ын"))
# endings a surname may have in an oblique case or in the nominative: trusted only when the document
# also names the person in the nominative (or the given name says which case and gender it is)
OBLIQUE_MAYBE = {"masc": (("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"), ("ина", "ин"), ("ына", "ын"), ("ову", "ов"),
                          ("еву", "ев"), ("ину", "ин"), ("ове", "ов"), ("еве", "ев"), ("ине", "ин"), ("ом", ""),
                          ("ем", ""), ("а", ""), ("у", ""), ("е", ""), ("я", "й"), ("ю", "й")),
                 "femn": (("ову", "ова"), ("еву", "ева"), ("ину", "ина"), ("скую", "ская"), ("цкую", "цкая"))}


def _in_nominative(mentions: list[Mention]) -> list[Mention]:
    """Each mention's name in the nominative, so that «Ларионовой Г.Н.» and «Ларионова Г.Н.» are one person.

    A full name's given name says its case and gender (pymorphy3 knows given names and
    patronymics well); a surname with initials alone is put in the nominative when its ending
    can only be oblique («-овой», «-ским»), or when the document names that person in the
    nominative too («С.В. Кима» after «Ким Сергей Вячеславович»). Surnames are never lemmatised."""
    for m in mentions:
        if m.given and m.patronymic:
            _full_name_in_nominative(m)
    known = {(m.family, m.initials[:2]) for m in mentions}
    for m in mentions:
        if m.given:
            continue
        sure = _with_endings(m.family, OBLIQUE_FOR_SURE)
        maybe = _with_endings(m.family, OBLIQUE_MAYBE["femn"] + OBLIQUE_MAYBE["masc"])
        m.family = next(iter(sure), None) or next((c for c in maybe if (c, m.initials[:2]) in known), m.family)
    return mentions


def _with_endings(family: str, endings: tuple[tuple[str, str], ...]) -> list[str]:
    """``family`` with each oblique ending it has replaced by its nominative one, in the order given."""
    return [family[:-len(end)] + nom for end, nom in endings if family.endswith(end) and len(family) - len(end) >= 2]


def _full_name_in_nominative(m: Mention) -> None:
    parse = next((p for p in morph().parse(m.given) if "Name" in p.tag and p.tag.case), None)
    if parse is None or parse.tag.case == "nomn":
        return
    case, gender = parse.tag.case, parse.tag.gender
    given = parse.inflect({"nomn"})
    patronymic = next((p.inflect({"nomn"}) for p in morph().parse(m.patronymic)
                       if "Patr" in p.tag and p.tag.case == case), None)
    if given is None or patronymic is None:
        return
    m.given, m.patronymic = given.word.capitalize(), patronymic.word.capitalize()
    endings = OBLIQUE_FOR_SURE + (OBLIQUE_MAYBE["femn"] if gender == "femn" else OBLIQUE_MAYBE["masc"])
    if gender == "femn":  # «Ларионовой», «Ларионову»; «Ким», «Данилюк» do not change
        endings = tuple((end, nom) for end, nom in endings if nom.endswith(("а", "ая")))
    m.family = next(iter(_with_endings(m.family, endings)), m.family)


def key_of(name: str) -> str:
    """The canonical key «Фамилия И.О.» of a name written in any of the usual orders."""
    name = name.strip()
    m = SURNAME_FIRST.fullmatch(name) or None
    if m:
        return f"{m.group(1)} {m.group(2)}." + (f"{m.group(3)}." if m.group(3) else "")
    m = INITIALS_FIRST.fullmatch(name)
    if m:
        return f"{m.group(3)} {m.group(1)}." + (f"{m.group(2)}." if m.group(2) else "")
    words = CAP_WORD.findall(name)
    if len(words) == 3:
        if _is_given(words[0]) and _is_patronymic(words[1]):
            return f"{words[2]} {words[0][0]}.{words[1][0]}."
        return f"{words[0]} {words[1][0]}.{words[2][0]}."
    return name


ROLE_WORDS = re.compile(
    r"^(?:директор|заместитель|зам\.|заведующ|начальник|руководитель|методист|специалист|учитель|"
    r"педагог|воспитатель|преподаватель|старший|главный|ведущий|социальный|кандидат|доктор|доцент|"
    r"профессор|научный|председатель|советник|тьютор|логопед|психолог|инспектор|консультант|эксперт|"
    r"победитель|лауреат|призер|призёр|автор|куратор|координатор)", re.IGNORECASE)


def role_after(text: str, end: int, limit: int) -> tuple[str | None, int]:
    """The role written after a name («, директор МБУ …», «, учитель географии школы …»)."""
    tail = text[end:limit]
    m = re.match(r"\s*[,–—-]?\s*", tail)
    rest = tail[m.end():] if m else tail
    if not ROLE_WORDS.match(rest):
        return None, end
    role = re.split(r"[,;\n()]|\s(?=[«\"])|\s(?=[А-ЯЁ]{2,})", rest, maxsplit=1)[0].strip()
    return (role or None), end + (m.end() if m else 0)


def role_before(text: str, start: int) -> str | None:
    """A role written before a name, as in a signature «Директор МКУ ИМЦ … ____ Верзунова О.А.»."""
    line_start = text.rfind("\n", 0, start)
    prev_start = text.rfind("\n", 0, max(0, line_start))
    chunk = text[prev_start + 1:start]
    m = re.search(r"(?:^|\n)\s*(Директор|Заведующ\w*|Начальник|Руководитель|Заместитель директора)\b", chunk)
    return m.group(1).lower() if m else None
