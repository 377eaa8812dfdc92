"""Organisations: legal form, kind, nominative name, aliases, territory.

Found by rules that finish what NER leaves undone:

* a legal form (МАОУ, МБОУ ДПО, МКУ, ГБОУ…, or spelled out: «Муниципальное
  бюджетное образовательное учреждение дополнительного профессионального
  образования») followed by a quoted name, an abbreviation (ИМЦ, ИРО) or a
  school name («Богородицкой СШ»), and a territory («Выселковского р-на»,
  «МО Новокубанский район», «КК»);
* a head noun (университет, институт, академия, колледж, гимназия № 7,
  школа № 12, управление / отдел образования, методический кабинет…) with
  its adjectives and genitive dependents;
* abbreviations defined in the text («Районный методический кабинет (РМК)»,
  «РМК – районный методический кабинет») become aliases.

Names in oblique cases are brought to the nominative with pymorphy3: the head
noun and the adjectives that agree with it are inflected, quoted names and
genitive dependents stay as written.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from opyt.ingest.vocabulary import morph

UP, LOW = "А-ЯЁ", "а-яё"
# a place name's adjective, hyphenated ones included: «Кваркенского», «Усть-Лабинского», «Ханты-Мансийского»
PLACE = rf"[{UP}][{LOW}]*(?:-[{UP}]?[{LOW}]+)*"
LEGAL = (r"(?:[МГ][БАК]?(?:Д?ОУ|У|ДОУ|ОО)|ГОО|ФГБОУ|ФГАОУ|ОГБОУ|ОГАОУ|КГБОУ|ГАОУ|ГАУ|ГКУ|ЧОУ|АНО|НОУ|МУП)"
         r"(?:\s+(?:ДПО|ДО|ВО|СПО))?")
# a name in quotes, one quotation nested at most; «Детский сад № 14 «Умка» (the outer quote merged into
# the inner one) ends with the inner quote unless a closing quote follows before the next opening one
QUOTED = r"«[^«»\n]*(?:«[^«»\n]*»)?(?:[^«»\n]*»)?|\"[^\"\n]+\""
ABBR = rf"[{UP}]{{2,}}(?:[{LOW}]{{1,2}}[{UP}]+)*"
SCHOOL_ABBR = r"(?:СОШ|ООШ|НОШ|СШ|ОШ|ЦО|ДДТ|ДЮСШ|ЦДТ|д/с)"
TERRITORY = (rf"(?:\s+(?:МО|муниципального\s+образования)\s+{PLACE}\s+район"
             rf"|\s+{PLACE}(?:ого|ой)\s+(?:муниципального\s+)?(?:района|р-на|округа|края|области)"
             rf"(?:\s+[{UP}][{LOW}]+(?:ого|ой)\s+(?:края|области))?"
             rf"|\s+г\.\s?[{UP}][{LOW}-]+"
             rf"|\s+[{UP}]{{2,4}}\b(?!\s*[«\"]))")
LEGAL_ORG = re.compile(
    rf"(?<![{UP}{LOW}])(?:((?:[{UP}]{{2,4}}\s+)?)({LEGAL}))\s+"
    rf"((?:{QUOTED})|(?:[{UP}][{LOW}.-]+(?:ой|ая|ую|ом|ей)\s+)?{SCHOOL_ABBR}(?:\s*№\s*\d+)?|{ABBR}(?:\s+{ABBR})*)"
    rf"((?:{TERRITORY})?)")
SPELLED_LEGAL = re.compile(
    r"(муниципальн|государственн|частн)\w*\s+(?:(бюджетн|автономн|казенн|казённ)\w*\s+)?"
    r"(?:(обще)?образовательн\w*\s+)?(учреждени|организаци)\w*"
    r"(?:\s+(дополнительного\s+профессионального\s+образования|дополнительного\s+образования))?",
    re.IGNORECASE)
SHORT_SCHOOL = re.compile(
    rf"(?<![{UP}{LOW}«\"])([{UP}][{LOW}.-]*[{LOW}](?:ая|ой|ую))\s+({SCHOOL_ABBR})(?![{UP}{LOW}])|"
    rf"(?<![{UP}{LOW}«\"])({SCHOOL_ABBR}\s*№\s*\d+)")

HEADS = {
    "университет": "university", "институт": "institute", "академия": "institute", "колледж": "college",
    "техникум": "college", "училище": "college", "гимназия": "school", "лицей": "school", "школа": "school",
    "филиал": "institute",
}
AUTHORITY = re.compile(
    # one authority, in any singular case («управлений образованием края» is no organisation)
    rf"(?<![{LOW}])((?:[Уу]правлени(?:[еяюи]|ем)|(?:[Оо]тдел|[Кк]омитет|[Дд]епартамент)(?:[ауе]|ом)?)\s+образовани(?:я|ем)"
    rf"(?:\s+администрации)?(?:\s+муниципального\s+образования\s+{PLACE}\s+район"
    rf"|\s+{PLACE}(?:ого|ой)(?:\s+муниципального)?\s+(?:района|округа|края|области))?"
    rf"|[Рр]айонн[{LOW}]+\s+отдел[{LOW}]*\s+образования"
    rf"|[Рр]айонн[{LOW}]+\s+методическ[{LOW}]+\s+кабинет[{LOW}]*"
    rf"|[Мм]униципальн[{LOW}]+\s+методическ[{LOW}]+\s+(?:служб|центр|кабинет)[{LOW}]*"
    rf"|[Ии]нформационно-методическ[{LOW}]+\s+центр[{LOW}]*(?:\s+[{UP}][{LOW}-]+(?:ого|ой)\s+района)?)")
DEFINITION_PAREN = re.compile(rf"([{UP}{LOW}][{UP}{LOW}\s-]{{5,120}}?)\s*\((?:далее\s*[–—-]?\s*)?({ABBR})\)")
DEFINITION_LINE = re.compile(rf"^\s*({ABBR})\s*[–—-]\s*([{LOW}{UP}][^\n]{{5,150}})$", re.MULTILINE)

KIND_BY_ABBR = [
    (re.compile(r"\b(?:СОШ|ООШ|НОШ|СШ|ОШ)\b|гимнази|лице[йя]|школ", re.I), "school"),
    (re.compile(r"\b(?:ИМЦ|ЦРО|РМК|ММС|ТМС|ЦНППМ|ИМО)\b"), "methodological_service"),
    (re.compile(r"методическ", re.I), "methodological_service"),
    (re.compile(r"\b(?:ИРО|ИПК|ИПКиППРО|ИУУ|ИРР|АФ)\b"), "institute"),
    (re.compile(r"институт|академи|филиал", re.I), "institute"),
    (re.compile(r"университет", re.I), "university"),
    (re.compile(r"колледж|техникум|училищ", re.I), "college"),
    (re.compile(r"\b(?:ДОУ|МБДОУ|МАДОУ|МКДОУ)\b|детский сад|д/с", re.I), "kindergarten"),
    (re.compile(r"\b(?:ДДТ|ДЮСШ|ЦДТ|ДО)\b|дополнительного образования", re.I), "additional_education"),
    (re.compile(r"\b(?:РОО|УО)\b"), "education_authority"),
    (re.compile(r"(?:управлени|отдел|комитет|департамент)\w* образования", re.I), "education_authority"),
]


@dataclass
class OrgMention:
    name: str
    start: int
    end: int
    legal_form: str | None = None
    kind: str = "other"
    territory: str | None = None
    aliases: list[str] = field(default_factory=list)


def kind_of(name: str) -> str:
    for pattern, kind in KIND_BY_ABBR:
        if pattern.search(name):
            return kind
    return "other"


def _abbreviate_spelled(words: re.Match) -> str:
    own = words.group(1).lower()
    letters = {"муниципальн": "М", "государственн": "Г", "частн": "Ч"}[own[:11] if own.startswith("муниципальн") else
                                                                       own[:13] if own.startswith("государственн") else "частн"]
    kind = (words.group(2) or "").lower()
    letters += {"бюджетн": "Б", "автономн": "А", "казенн": "К", "казённ": "К"}.get(kind, "")
    letters += "ОУ" if words.group(3) is not None or "образовательн" in words.group(0).lower() else "У"
    if words.group(5):
        letters += " ДПО" if "профессионального" in words.group(5) else " ДО"
    return letters


def nominative(phrase: str) -> str:
    """The phrase with its head noun and agreeing adjectives in the nominative; the rest as written."""
    words = phrase.split()
    head_i, head = None, None
    for i, w in enumerate(words):
        parses = morph().parse(w.strip(",."))
        p = next((p for p in parses if "NOUN" in p.tag and "Abbr" not in p.tag), None)
        if p is not None and not any("ADJF" in q.tag and q.score > p.score for q in parses):
            head_i, head = i, p
            break
    if head is None:
        return phrase
    out = []
    infl = head.inflect({"nomn", head.tag.number or "sing"}) or head.inflect({"nomn"})
    number = head.tag.number or "sing"
    gender = (infl.tag.gender if infl else head.tag.gender) or "masc"
    for i, w in enumerate(words):
        core = w.strip(",.")
        if i < head_i:
            p = next((p for p in morph().parse(core) if "ADJF" in p.tag), None)
            want = {"nomn", gender, "sing"} if number == "sing" else {"nomn", "plur"}
            a = p.inflect(want) if p else None
            word = a.word if a else core
        elif i == head_i:
            word = infl.word if infl else core
        else:
            out.append(w)
            continue
        if core[:1].isupper():
            word = word[0].upper() + word[1:]
        out.append(w.replace(core, word))
    return " ".join(out)


def _school_nominative(adj: str) -> str:
    p = next((p for p in morph().parse(adj) if "ADJF" in p.tag), None)
    if p is None:
        return adj
    infl = p.inflect({"nomn", "femn", "sing"})
    word = infl.word if infl else adj
    return word[0].upper() + word[1:]


def find_organisations(text: str) -> list[OrgMention]:
    found: list[OrgMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(o: OrgMention) -> None:
        o.kind = kind_of(o.name) if o.kind == "other" else o.kind
        found.append(o)
        taken.append((o.start, o.end))

    # spelled-out legal forms become abbreviations: «Муниципальное бюджетное … учреждение … «ИМЦ»»
    for m in SPELLED_LEGAL.finditer(text):
        after = text[m.end():m.end() + 300]
        q = re.match(rf"\s*({QUOTED})((?:{TERRITORY})?)", after)
        if not q:
            continue
        legal = _abbreviate_spelled(m)
        name = f"{legal} {_close_quotes(q.group(1))}{_territory(q.group(2))}"
        add(OrgMention(name, m.start(), m.end() + q.end(), legal_form=legal, kind=kind_of(q.group(1) + legal)))
    for m in LEGAL_ORG.finditer(re.sub(r"\n(?=[^\n«]*»)", " ", text)):
        if not free(m.start(), m.end()):
            continue
        prefix, legal, core, territory = m.group(1) or "", m.group(2), m.group(3), m.group(4) or ""
        if core.startswith(("«", '"')):
            core = _close_quotes(core)
        else:
            sm = re.match(rf"([{UP}][{LOW}.-]+(?:ой|ая|ую|ом|ей))\s+(.+)", core)
            if sm:
                core = f"{_school_nominative(sm.group(1))} {sm.group(2)}"
        if re.fullmatch(r"\s+[А-ЯЁ]{2,4}", territory) and territory.strip() in {"ДО", "ДПО", "ОО", "ОУ"}:
            territory = ""
        legal = re.sub(r"\s+", " ", legal)
        name = f"{prefix}{legal} {core}{_territory(territory)}"
        add(OrgMention(re.sub(r"\s+", " ", name).strip(), m.start(), m.end(), legal_form=legal))
    for m in SHORT_SCHOOL.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group(1):
            name = f"{_school_nominative(m.group(1))} {m.group(2)}"
        else:
            name = re.sub(r"№\s*", "№", m.group(3))
        add(OrgMention(name, m.start(), m.end(), kind="school"))
    for m in AUTHORITY.finditer(text):
        if not free(m.start(), m.end()) or _in_quotes(text, m.start()):
            continue
        phrase = re.sub(r"\s+", " ", m.group(1))
        specific = re.search(r"администрации|район|округ|кра[ея]|област", phrase) or (
            phrase[0].isupper() and not _sentence_start(text, m.start()))
        if not specific and not (phrase[0].isupper() and re.match(r"[Рр]айонн", phrase)):
            continue
        name = nominative(phrase)
        name = name[0].upper() + name[1:]
        add(OrgMention(name, m.start(), m.end(), kind=kind_of(name)))
    _head_orgs(text, add, free)
    found.sort(key=lambda o: o.start)
    return _merge_parenthesised(text, found)


def _merge_parenthesised(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """«средняя общеобразовательная школа № 3 города N … (МБОУ СОШ № 3 г. N)» names one organisation:
    the name in brackets, with its legal form, is kept and the spelled-out one becomes its alias."""
    dropped: set[int] = set()
    for i, inner in enumerate(found):
        before = text[:inner.start].rstrip()
        if not inner.legal_form or not before.endswith("(") or not text[inner.end:].lstrip().startswith(")"):
            continue
        outer = next((j for j in range(i - 1, -1, -1) if found[j].end <= inner.start), None)
        if outer is None or found[outer].legal_form or outer in dropped:
            continue
        between = text[found[outer].end:inner.start]
        if len(between) > 250 or re.search(r"[.;\n]", between):
            continue
        inner.aliases.append(found[outer].name)
        dropped.add(outer)
    return [o for n, o in enumerate(found) if n not in dropped]


def _head_orgs(text, add, free) -> None:
    """Organisations named by a head noun: «Кубанским государственным университетом», «гимназии № 7»."""
    for m in re.finditer(rf"[{UP}{LOW}]+", text):
        word = m.group()
        if len(word) < 4:
            continue
        low = word.lower()
        if not any(low.startswith(h[:4]) for h in HEADS):
            continue
        p = next((p for p in morph().parse(low) if p.normal_form in HEADS and "NOUN" in p.tag), None)
        if p is None:
            continue
        head = p.normal_form
        start, end = m.start(), m.end()
        # left: adjectives, the first one capitalised
        left = start
        for adj in reversed(list(re.finditer(rf"([{UP}{LOW}-]+)\s+", text[max(0, start - 120):start]))):
            a = adj.group(1)
            if max(0, start - 120) + adj.end() != left:
                break
            ap = next((x for x in morph().parse(a) if "ADJF" in x.tag), None)
            if ap is None:
                break
            left = max(0, start - 120) + adj.start()
        number = re.match(r"\s*№\s*\d+", text[end:])
        right = end + (number.end() if number else 0)
        if not number:
            # genitive dependents: «повышения квалификации», «Минпросвещения России»
            right = _extend_genitive(text, end)
        phrase = re.sub(r"\s+", " ", text[left:right]).strip(" ,.")
        first = phrase.split()[0]
        if not free(left, right) or not (first[0].isupper() or number) or _in_quotes(text, left):
            continue
        if head in {"школа", "гимназия", "лицей"} and not number:
            continue  # «Российской школы» is not a school; a school is named by its number here
        if not number and left == start and (right == end or _sentence_start(text, start)):
            continue  # a bare «университет», «школа» is not a name
        name = nominative(phrase)
        name = name[0].upper() + name[1:]
        add(OrgMention(name, left, right, kind=HEADS[head] if head != "филиал" else "institute"))


def _in_quotes(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    opened = text.rfind("«", line_start, pos)
    return opened >= 0 and text.rfind("»", opened, pos) < 0


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t")
    return not before or before[-1] in ".!?\n:;·•-–—("


def _extend_genitive(text: str, pos: int) -> int:
    right = pos
    for _ in range(4):
        m = re.match(rf"\s+([{UP}{LOW}-]+)", text[right:])
        if not m:
            break
        w = m.group(1)
        if w.lower() in {"и", "в", "на", "с", "по", "для"}:
            break
        if not any("gent" in x.tag and ("NOUN" in x.tag or "ADJF" in x.tag) for x in morph().parse(w)[:2]):
            break
        right += m.end()
    return right


def _close_quotes(q: str) -> str:
    q = q.strip()
    if q.startswith('"'):
        q = "«" + q.strip('"') + "»"
    q = re.sub(r"\s+", " ", q)
    if q.count("«") > q.count("»"):
        q += "»"
    return q


def _territory(t: str) -> str:
    t = re.sub(r"\s+", " ", t or "").rstrip()
    t = re.sub(r"\bр-на\b", "района", t)
    return t


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations the text defines: {"РМК": "районный методический кабинет", ...}."""
    out: dict[str, str] = {}
    for m in DEFINITION_LINE.finditer(text):
        out.setdefault(m.group(1), m.group(2).strip(" .;,"))
    for m in DEFINITION_PAREN.finditer(text):
        abbr, phrase = m.group(2), m.group(1)
        words = re.findall(rf"[{UP}{LOW}]+", phrase)
        # the expansion is the shortest tail of the phrase whose initials spell the abbreviation
        initials = abbr.upper()
        for n in range(1, min(len(words), 8) + 1):
            tail = words[-n:]
            parts = [p for w in tail for p in w.split("-")]
            if "".join(p[0].upper() for p in parts if len(p) > 1 or p.isupper()) == initials or \
                    "".join(w[0].upper() for w in tail) == initials:
                out.setdefault(abbr, " ".join(tail))
                break
    return out


def initials_of(phrase: str) -> str:
    return "".join(p[0].upper() for w in re.findall(rf"[{UP}{LOW}-]+", phrase) for p in w.split("-") if p)


NOT_TERRITORY = {"муниципальный", "сельский", "городской", "районный", "данный", "каждый", "наш", "весь", "этот",
                 "соседний", "другой", "предметный", "образовательный", "новый", "любой", "свой", "родной",
                 "национальный", "автономный", "отдельный", "целый", "близлежащий", "приграничный", "который"}


def _territorial(adj: str) -> bool:
    return morph().parse(adj.lower())[0].normal_form not in NOT_TERRITORY


def most_common_territory(text: str) -> tuple[str | None, str | None]:
    """The document's own municipality and region: the most frequent «… район» and «… область/край»
    (a city, «г. Армавир», when no district is named)."""
    regions: Counter = Counter()
    for m in re.finditer(rf"({PLACE}(?:ая|ой|ую|ий|ого|ом|ому|ем|им))\s+(област[{LOW}]*|кра[{LOW}]*)\b", text):
        adj, noun = m.group(1), m.group(2).lower()
        if not _territorial(adj):
            continue
        if noun.startswith("кра") and noun not in {"край", "края", "краю", "краем", "крае"}:
            continue
        if noun.startswith("област"):
            regions[_agree(adj, "femn") + " область"] += 1
        else:
            regions[_agree(adj, "masc") + " край"] += 1
    for m in re.finditer(rf"[Рр]еспублик[{LOW}]*\s+([{UP}][{LOW}]+)", text):
        regions["Республика " + m.group(1)] += 1
    districts: Counter = Counter()
    for m in re.finditer(rf"({PLACE}(?:ий|ого|ом|ому|им|ой))\s+(?:муниципальн[{LOW}]+\s+)?"
                         rf"(район[{LOW}]*|р-н[{LOW}]*)\b", text):
        if _territorial(m.group(1)):
            districts[_agree(m.group(1), "masc") + " район"] += 1
    if not districts:
        for m in re.finditer(rf"(?:(?<!\d{{4}}\s)(?<!\d{{4}})\bг\.\s?|\bгород[{LOW}]*\s+|городского\s+округа\s+(?:город\s+)?)([{UP}][{LOW}-]+)", text):
            p = next((p for p in morph().parse(m.group(1)) if "Geox" in p.tag), None)
            city = p.inflect({"nomn"}).word.capitalize() if p and p.inflect({"nomn"}) else m.group(1)
            districts["город " + city] += 1
    region = regions.most_common(1)[0][0] if regions else None
    district = districts.most_common(1)[0][0] if districts else None
    return district, region


def _agree(adj: str, gender: str) -> str:
    p = next((p for p in morph().parse(adj) if "ADJF" in p.tag), None)
    if p is None:
        return adj
    infl = p.inflect({"nomn", gender, "sing"})
    word = infl.word if infl else adj
    return _capitalised_like(word, adj)


def _capitalised_like(word: str, model: str) -> str:
    """«усть-лабинский» written as «Усть-Лабинского» was: each hyphen part capitalised where it was."""
    parts, shape = word.split("-"), model.split("-")
    if len(parts) != len(shape):
        return word[0].upper() + word[1:]
    return "-".join(p[0].upper() + p[1:] if s[:1].isupper() else p for p, s in zip(parts, shape))


def genitive(phrase: str) -> str:
    """«Кваркенский район» → «Кваркенского района»."""
    out = []
    for w in phrase.split():
        p = next((p for p in morph().parse(w) if "NOUN" in p.tag or "ADJF" in p.tag), None)
        infl = p.inflect({"gent"}) if p else None
        word = infl.word if infl else w
        out.append(word[0].upper() + word[1:] if w[0].isupper() else word)
    return " ".join(out)
