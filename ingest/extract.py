"""Extraction: one read document → :class:`~opyt.ingest.model.DocumentFacts`.

``extract(document)`` segments the document (``segment.layout``: passport
fields, event rows, sentences), finds persons (``names``) and organisations
(``organisations``), resolves variants and abbreviations of an organisation
within the document, and reads the practices:

* the document's own practice: the title field of a passport or programme
  («Наименование …», «Тема проекта: …»), held by the authors field (persons),
  else the developers/executors field (organisations), else the organisation
  in the document's heading;
* events in event tables and sentences: a form («Мастер-класс», «Открытый
  урок»…) followed by a title in «», held by the persons in the same row;
* products in a passport's list of developments («Перечень … разработок»);
* methods and technologies named in «» after «технология», «методика», «метод».

Forms and topics come from the SKOS schemes (``vocabulary``). The model and
level of each practice carry the sentence that justifies them: an explicit
label in the title, heading, status or key fields of the document, else what
the holder is (a person showing a master class → direct; a methodological
service or education authority organising transfer → mediated; a district
body → municipal; a regional institute → regional).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from opyt.ingest import vocabulary
from opyt.ingest.model import DocumentFacts, Need, Organisation, Person, Practice, Span
from opyt.ingest.names import Mention, find_persons, role_after, role_before
from opyt.ingest.organisations import (
    OrgMention, abbreviations, find_organisations, genitive, initials_of, kind_of, most_common_territory,
)
from opyt.ingest.readers import Document
from opyt.ingest.segment import NUMBER_CELL, Field, Layout, Segment, layout, sentence_at, sentences

MUNICIPAL_KINDS = {"school", "kindergarten", "additional_education", "methodological_service",
                   "education_authority"}
INTERMEDIARY_KINDS = {"methodological_service", "education_authority", "institute"}
DIRECT_FORMS = {"masterClass", "openLesson", "mentoring", "consultation", "pedagogicalWorkshop"}
MONTHS = re.compile(r"\b(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*",
                    re.IGNORECASE)
CORE_FIELDS = re.compile(r"^(?:Цел|Основная идея|Практическая значимость|Предполагаемая практическая|"
                         r"Механизм|Новизна|Назначение)", re.IGNORECASE)
TITLE_FIELD = re.compile(r"^(?:Наименование|Название|Тема)(?!\s+мероприят)", re.IGNORECASE)
AUTHORS_FIELD = re.compile(r"^Автор", re.IGNORECASE)
EXECUTORS_FIELD = re.compile(r"^(?:Разработчик|Исполнител)", re.IGNORECASE)
CUSTOMER_FIELD = re.compile(r"^Заказчик", re.IGNORECASE)
PRODUCTS_FIELD = re.compile(r"^Перечень", re.IGNORECASE)
PERIOD_FIELD = re.compile(r"^Сроки", re.IGNORECASE)
STATUS_FIELD = re.compile(r"^Статус", re.IGNORECASE)
APPLICANT_FIELD = re.compile(r"^(?:Организация[- ]заявитель|Заявитель)", re.IGNORECASE)
QUOTE = re.compile(r"«((?:[^«»]|«[^«»]*»)+)»|\"([^\"\n]+)\"")


def span(text: str, start: int, end: int) -> Span:
    start = max(0, start)
    end = min(len(text), end)
    return Span(start, end, text[start:end])


def sentence_span(text: str, pos: int) -> Span:
    s = sentence_at(text, pos)
    return Span(s.start, s.end, s.text)


# ---------------------------------------------------------------- organisations

def _norm_tokens(name: str, region: str | None) -> list[str]:
    t = name.replace("ё", "е").replace("Ё", "Е")
    t = re.sub(r"\bр-на\b", "района", t)
    toks = re.findall(r"[А-ЯЁA-Zа-яёa-z0-9№]+", t)
    region_initials = initials_of(region) if region else None
    out: list[str] = []
    for tok in toks:
        if region_initials and tok == region_initials:
            out += [w.lower() for w in re.findall(r"\w+", genitive(region))]
        else:
            out.append(tok.lower())
    return out


LEGAL_TOKENS = re.compile(r"^(?:[мг][бак]?(?:д?оу|у|доу|оо)|гоо|фгбоу|фгаоу|огбоу|огаоу|кгбоу|гаоу|гау|гку|чоу|"
                          r"ано|ноу|дпо|до|во|спо)$")


def _core(tokens: list[str]) -> list[str]:
    i = 0
    while i < len(tokens) and LEGAL_TOKENS.match(tokens[i]):
        i += 1
    return tokens[i:]


def _expand(short: list[str], long: list[str], raw_short: str) -> list[str]:
    """Replace abbreviations of ``short`` by the words of ``long`` whose initials spell them."""
    caps = {t.lower() for t in re.findall(r"\b[А-ЯЁ]{2,6}\b", raw_short)}
    long_parts = [(p, i) for i, w in enumerate(long) for p in [w]]
    out: list[str] = []
    for tok in short:
        if tok in caps and tok not in long and not LEGAL_TOKENS.match(tok):
            n = len(tok)
            for j in range(len(long) - n + 1):
                if "".join(w[0] for w in long[j:j + n]) == tok:
                    out += long[j:j + n]
                    break
            else:
                out.append(tok)
        else:
            out.append(tok)
    del long_parts
    return out


def _same_org(a: OrgMention, b: OrgMention, region: str | None) -> bool:
    for x, y in ((a, b), (b, a)):
        tx, ty = _norm_tokens(x.name, region), _norm_tokens(y.name, region)
        if tx == ty:
            return True
        if x.legal_form and y.legal_form and x.legal_form.split()[0] != y.legal_form.split()[0]:
            continue
        tx2 = _expand(tx, ty, x.name)
        cx, cy = _core(tx2), _core(ty)
        if cx and len(cx) <= len(cy) and cy[:len(cx)] == cx and (len(cx) >= 2 or not x.legal_form or
                                                                  x.legal_form == y.legal_form):
            return True
        # «Армавирский филиал» is the «АФ» of «АФ ГБОУ ИРО КК»
        if len(tx) >= 2 and ty and ty[0] == "".join(w[0] for w in tx) and y.name.split()[0].isupper():
            return True
    if a.kind == b.kind == "education_authority":
        return True
    return False


@dataclass
class _OrgIndex:
    organisations: list[Organisation]
    mentions: list[tuple[int, int, str]]  # start, end, key

    def at(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return [m for m in self.mentions if m[0] >= start and m[1] <= end]


def _organisations(text: str, municipality: str | None, region: str | None) -> _OrgIndex:
    mentions = find_organisations(text)
    defs = abbreviations(text)
    groups: list[list[OrgMention]] = []
    for m in sorted(mentions, key=lambda o: (-(o.legal_form is not None), -len(o.name))):
        for g in groups:
            if any(_same_org(m, o, region) for o in g[:3]):
                g.append(m)
                break
        else:
            groups.append([m])
    organisations: list[Organisation] = []
    index: list[tuple[int, int, str]] = []
    for g in groups:
        names = []
        for o in g:
            for n in (o.name, *o.aliases):
                if n not in names:
                    names.append(n)
        canonical = max(names, key=lambda n: (bool(re.match(r"[А-ЯЁ]{2,}", n)) or "«" in n, len(n)))
        # a branch written by initials: «Армавирский филиал» + «АФ ГБОУ ИРО КК»
        first = canonical.split()[0]
        for n in names:
            if n != canonical and first.isupper() and initials_of(n) == first and len(n.split()) >= 2:
                rest = canonical.split(maxsplit=1)[1]
                if region and initials_of(region) and rest.endswith(" " + initials_of(region)):
                    rest = rest[: -len(initials_of(region))] + genitive(region)
                canonical = f"{n} {rest}"
                names.append(canonical)
        kind = next((o.kind for o in g if o.kind != "other"), kind_of(canonical))
        legal = next((o.legal_form for o in g if o.legal_form), None)
        aliases = [n for n in names if n != canonical]
        for abbr, expansion in defs.items():
            if abbr in aliases or abbr in canonical.split():
                continue
            if _expansion_matches(expansion, names) and _used_elsewhere(text, abbr):
                aliases.append(abbr)
        if municipality and "районн" in canonical.lower() and not re.search(r"(?:ого|ой)\s+района", canonical):
            canonical = f"{canonical} {genitive(municipality)}"
            aliases.append(names[0]) if names[0] not in aliases and names[0] != canonical else None
        local = kind in MUNICIPAL_KINDS and not re.search(r"\bг\.\s", canonical)
        org_region = region if (local or _mentions_region(canonical, region)) else None
        org = Organisation(
            key=canonical, name=canonical, kind=kind, legal_form=legal, aliases=aliases,
            municipality=municipality if local else None, region=org_region,
            spans=[sentence_span(text, o.start) for o in sorted(g, key=lambda o: o.start)[:3]],
        )
        organisations.append(org)
        index += [(o.start, o.end, canonical) for o in g]
    # abbreviations used alone in the text («РМК», «ИМЦ») are mentions too
    for org in organisations:
        for alias in org.aliases:
            if re.fullmatch(r"[А-ЯЁ]{2,6}", alias):
                for m in re.finditer(rf"(?<![А-ЯЁа-яё]){alias}(?![А-ЯЁа-яё])", text):
                    if not any(s <= m.start() < e for s, e, _ in index):
                        index.append((m.start(), m.end(), org.key))
    index.sort()
    return _OrgIndex(organisations, index)


def _expansion_matches(expansion: str, names: list[str]) -> bool:
    exp = [vocabulary.lemma(w) for w in re.findall(r"[А-ЯЁа-яё]+", expansion)]
    if len(exp) < 2:
        return False
    for n in names:
        lem = [vocabulary.lemma(w) for w in re.findall(r"[А-ЯЁа-яё]+", n)]
        for i in range(len(lem) - len(exp) + 1):
            if lem[i:i + len(exp)] == exp:
                return True
    return False


def _used_elsewhere(text: str, abbr: str) -> bool:
    return len(re.findall(rf"(?<![А-ЯЁа-яё]){abbr}(?![А-ЯЁа-яё])", text)) >= 2


def _mentions_region(name: str, region: str | None) -> bool:
    if not region:
        return False
    stem = region.split()[0][:-2] if not region.startswith("Республика") else region.split()[1]
    return stem in name or (initials_of(region) and name.endswith(" " + initials_of(region)))


# ---------------------------------------------------------------- persons

def _persons(text: str, mentions: list[Mention], orgs: _OrgIndex) -> tuple[list[Person], dict[int, str]]:
    people: dict[str, Person] = {}
    at: dict[int, str] = {}
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        limit = min(nxt, line_end, m.end + 200)
        org = None
        after = [o for o in orgs.mentions if m.end <= o[0] < limit]
        role, _ = role_after(text, m.end, after[0][0] if after else limit)
        line_start = text.rfind("\n", 0, m.start) + 1
        before = [o for o in orgs.mentions if line_start <= o[0] and o[1] <= m.start
                  and re.fullmatch(r"[\s,–—(-]*", text[o[1]:m.start])]
        if before and re.search(r"[–—-]", text[before[-1][1]:m.start]):
            org = before[-1][2]  # «Кваркенская СОШ – Родионова Л.А.»
        elif after and (role or re.fullmatch(r"[\s,–—-]*", text[m.end:after[0][0]])):
            org = after[0][2]
        elif before:
            org = before[-1][2]
        sig_role = role_before(text, m.start)
        if sig_role:
            role = role or sig_role
            if org is None:
                before = [o for o in orgs.mentions if m.start - 200 <= o[0] < m.start]
                if before:
                    org = before[-1][2]
        p = people.get(m.key)
        if p is None:
            p = Person(key=m.key, family_name=m.family, initials=m.initials)
            people[m.key] = p
        if m.full_name and not p.full_name:
            p.full_name, p.given_name, p.patronymic = m.full_name, m.given, m.patronymic
        if org and not p.organisation:
            p.organisation = org
        if role and role not in p.roles:
            p.roles.append(role)
        p.spans.append(sentence_span(text, m.start))
        at[m.start] = m.key
    return list(people.values()), at


# ---------------------------------------------------------------- practices

def _clean_title(value: str) -> str:
    v = re.sub(r"\s+", " ", value).strip()
    m = QUOTE.fullmatch(v.rstrip(". "))
    if m:
        v = m.group(1) or m.group(2)
    elif v.startswith("«") and "»" in v:
        v = v[1:v.rindex("»")]
    return v.strip(" .«»\"")


def _level_cue(text: str, start: int, end: int) -> tuple[str, Span] | None:
    for m in vocabulary.levels(text[start:end], start):
        return m.concept, sentence_span(text, m.start)
    return None


def _model_cue(text: str, start: int, end: int) -> tuple[str, Span] | None:
    for m in vocabulary.models(text[start:end], start):
        return m.concept, sentence_span(text, m.start)
    return None


AUTHORS_HEADING = re.compile(r"^[ \t]*(?:Авторский коллектив|Авторы(?: проекта| практики| опыта)?|Сведения об авторах)"
                             r"[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)


def _authors_under_heading(text: str, persons_at: dict[int, str]) -> tuple[list[str], Span] | None:
    """The persons named in the 600 characters under a line «Авторский коллектив» (a table of authors)."""
    for m in AUTHORS_HEADING.finditer(text):
        end = min(len(text), m.end() + 600)
        found = vocabulary.unique([key for start, key in sorted(persons_at.items()) if m.end() <= start < end])
        if found:
            return found, span(text, m.start(), m.end())
    return None


def _heading_title(lay: Layout) -> Field | None:
    """A document headed «Программа распространения опыта … на 2024–2025 год» with no title field
    is that programme (or project): its heading is the title."""
    heading = lay.heading
    if heading is None or not re.match(r"\s*(?:Программа|Проект)\s+[а-яё]", heading.text):
        return None
    label = heading.text.split()[0]
    return Field(label, heading.text, heading.start, heading.end, heading.start)


KIND_LINE = re.compile(r"^[ \t]*(ПРОГРАММА|ПРОЕКТ|Программа|Проект)[ \t]*\n(?:[ \t]*\n)?[ \t]*(«[^\n]+»)[ \t]*$", re.MULTILINE)


def _title_under_kind(text: str) -> Field | None:
    """«ПРОГРАММА» on a line of its own near the top and the quoted title on the next: that programme."""
    m = KIND_LINE.search(text, 0, 1500)
    if m is None:
        return None
    return Field(m.group(1).capitalize(), m.group(2), m.start(1), m.end(2), m.start(2))


def _top_block(text: str) -> Span:
    """The document's first three non-empty lines (at most 400 characters): heading and its issuer."""
    lines = [m for m in re.finditer(r"[^\n]*\S[^\n]*", text[:400])][:3]
    return span(text, lines[0].start(), lines[-1].end()) if lines else span(text, 0, 0)


DISSEMINATION = re.compile(r"распростран|диссеминац|трансл[яи]|переда[её]тся|передача опыта|реализу[ею]тся\s+по",
                           re.IGNORECASE)


def _dissemination_cue(text: str, cue, word: str) -> tuple[str, Span] | None:
    """A model or level stated outright in a sentence about how the experience is passed on
    («Распространение опыта осуществляется по сетевой модели на муниципальном уровне»): the
    sentence must say ``word`` («модел», «уровн»), so «сетевое взаимодействие» alone is no model."""
    previous = ""
    for sentence in sentences(text):
        context = previous + " " + sentence.text  # «5.1. Модель распространения. Проект реализуется по сетевой модели»
        if DISSEMINATION.search(context) and word in context.lower() \
                and (found := cue(text, sentence.start, sentence.end)):
            return found
        previous = sentence.text if len(sentence.text) <= 60 else ""
    return None


def _heading_level(text: str, stop: int, orgs: _OrgIndex) -> tuple[str, Span] | None:
    """A level written in the first lines of the document («Отчёт о реализации краевой инновационной площадки»);
    words inside the name of an organisation («… муниципального образования Крымский район») do not count."""
    cues = []
    for line in [m for m in re.finditer(r"[^\n]*\S[^\n]*", text[:stop])][:5]:
        for m in vocabulary.levels(line.group(), line.start()):
            if not any(s <= m.start < e for s, e, _ in orgs.mentions):
                cues.append(m)
    if not cues:
        return None
    best = max(cues, key=lambda m: len(m.label.split()))
    return best.concept, sentence_span(text, best.start)


def _fields(lay: Layout, pattern: re.Pattern) -> list[Field]:
    return [f for f in lay.fields if pattern.match(f.label)]


def _inline_fields(text: str) -> list[Field]:
    from opyt.ingest.segment import INLINE_LABEL

    out = []
    for line in re.finditer(r"[^\n]+", text):
        m = INLINE_LABEL.match(line.group())
        if m:
            out.append(Field(m.group(1), m.group(2).strip(), line.start(), line.end(),
                             line.start() + m.start(2)))
    return out


def _doc_practice(text: str, lay: Layout, orgs: _OrgIndex, persons_at: dict[int, str],
                  people: dict[str, Person], org_by_key: dict[str, Organisation],
                  in_cards: list[tuple[int, int]]) -> Practice | None:
    """The document's own practice; fields inside the cards of other practices are theirs."""
    fields = [f for f in lay.fields + _inline_fields(text) if not any(s <= f.start < e for s, e in in_cards)]
    title_field = next((f for f in fields if TITLE_FIELD.match(f.label) and (
                        re.search(r"проект|программ|продукт|опыт|тем|практик", f.label, re.I)
                        or f.label.strip().lower() in ("наименование", "название"))), None) \
        or _heading_title(lay) or _title_under_kind(text)
    if title_field is None:
        return None
    title = _clean_title(title_field.value)
    if len(title) < 8:
        return None
    label = title_field.label.lower()
    kind = "project" if "проект" in label or "продукт" in label else "programme" if "программ" in label \
        else "project" if lay.genre == "passport" else "practice"
    holders: list[str] = []
    holder_span = None
    for f in fields:
        if AUTHORS_FIELD.match(f.label):
            holders = vocabulary.unique([k for s, k in persons_at.items() if f.value_start <= s < f.end]) or \
                vocabulary.unique([k for s, e, k in orgs.at(f.value_start, f.end)])  # «коллектив МБОУ СОШ № 1»
            holder_span = span(text, f.value_start, f.end)
            if holders:
                break
    if not holders:  # «Авторский коллектив» over a table or list of names
        holders, holder_span = _authors_under_heading(text, persons_at) or ([], holder_span)
    # a programme is held by its developers and executors (organisations); by its customer when none is named
    for pattern in (EXECUTORS_FIELD, CUSTOMER_FIELD):
        if holders:
            break
        for f in fields:
            if pattern.match(f.label):
                found = [k for s, e, k in orgs.at(f.value_start, f.end)]
                if found and holder_span is None:
                    holder_span = span(text, f.value_start, f.end)
                holders = vocabulary.unique(holders + found)
    named = bool(holders)
    if not holders and lay.heading is not None:
        heading_end = lay.heading.end
        holders = vocabulary.unique([k for s, e, k in orgs.at(lay.heading.start, heading_end)])
        holder_span = Span(lay.heading.start, lay.heading.end, lay.heading.text)
    top = _top_block(text)
    issuers = vocabulary.unique([k for s, e, k in orgs.at(top.start, top.end)])
    sites = [k for k in issuers if org_by_key[k].kind not in INTERMEDIARY_KINDS]
    if issuers and not named and all(org_by_key[h].kind in INTERMEDIARY_KINDS for h in holders):
        # «Отчёт о работе площадки» / «МБОУ «Лицей № 4» … за 2023 год»: the organisation under the heading
        # holds it, also when the heading is the authority it reports to; else all the issuers named at the top
        found = sites or vocabulary.unique(holders + issuers)
        if found != holders:
            holders, holder_span = found, top
    applicant = next((k for f in fields if APPLICANT_FIELD.match(f.label) for _, _, k in orgs.at(f.value_start, f.end)), None)
    for h in holders:  # authors of a passport work for the applicant unless the text says otherwise
        if applicant and h in people and people[h].organisation is None:
            people[h].organisation = applicant
    holder_orgs = [org_by_key[h] for h in holders if h in org_by_key] + \
        [org_by_key[people[h].organisation] for h in holders if h in people and people[h].organisation in org_by_key]
    practice = Practice(title=title, kind=kind, holders=holders,
                        organisation=holder_orgs[0].key if holder_orgs else None,
                        spans=[span(text, title_field.value_start, title_field.end)])
    practice.topics = vocabulary.topics(title)
    practice.forms = vocabulary.forms(title)
    # level: the title, the heading, the status field; else what the holders are
    heading_end = min(len(text), (lay.heading.end if lay.heading else 0) + 300)
    status = [f for f in fields if STATUS_FIELD.match(f.label) and not re.match(r"\s*нет", f.value, re.I)]
    level = _level_cue(text, title_field.value_start, title_field.end) \
        or _heading_level(text, title_field.start, orgs) \
        or next((c for f in fields if re.match(r"Уровень", f.label) and (c := _level_cue(text, f.value_start, f.end))),
                None) \
        or next((c for f in status if (c := _level_cue(text, f.value_start, f.end))), None)
    if level is None and holder_orgs:
        o = holder_orgs[0]
        if o.kind in MUNICIPAL_KINDS and o.municipality:
            level = ("municipal", holder_span)
        elif o.kind == "institute" and o.region:
            level = ("regional", holder_span)
    level = level or _dissemination_cue(text, _level_cue, "уровн")
    if level:
        practice.level, practice.level_span = level
    # model: the title, the key fields; else an intermediary holder
    model_field = next((f for f in fields if re.match(r"Модель", f.label)), None)  # «Модель | Сетевая: …»
    model = _model_cue(text, title_field.value_start, title_field.end) \
        or (model_field and _model_field(text, model_field.value_start, model_field.end))
    if model is None:
        for f in fields:
            if CORE_FIELDS.match(f.label):
                model = _model_cue(text, f.value_start, f.end)
                if model:
                    break
    if model is None and holder_orgs and all(o.kind in INTERMEDIARY_KINDS for o in holder_orgs):
        model = ("mediated", holder_span)
    model = model or _dissemination_cue(text, _model_cue, "модел")
    if model:
        practice.model, practice.model_span = model
    period = next((f for f in fields if PERIOD_FIELD.match(f.label) and re.search(r"\d", f.value)), None)
    if period:
        practice.when = re.sub(r"\s+", " ", period.value).strip()[:60]
    else:
        years = re.search(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b", title)
        practice.when = f"{years.group(1)}-{years.group(2)}" if years else None
    # the forms the document plans for its practice: key fields and event rows
    for f in fields:
        if CORE_FIELDS.match(f.label) or re.match(r"^(?:Задачи|Механизм|Перспективы|Предложения|Форм[аы]|Виды)", f.label):
            practice.forms += [x for x in vocabulary.forms(f.value) if x not in practice.forms]
    return practice


def _event_practices(text: str, lay: Layout, persons_at: dict[int, str], orgs: _OrgIndex,
                     base: Practice | None) -> list[Practice]:
    out: list[Practice] = []
    units = [(r.start, r.end, [(c.start, c.end) for c in r.cells]) for r in lay.rows]
    in_rows = [(s, e) for s, e, _ in units]
    for block in re.finditer(r"[^\n]+", text):
        if any(s <= block.start() < e for s, e in in_rows):
            continue
        for s in sentences(text, block.start(), block.end()):
            units.append((s.start, s.end, [(s.start, s.end)]))
    for start, end, cells in units:
        holders = vocabulary.unique([k for p, k in persons_at.items() if start <= p < end])
        if not holders:
            continue
        for practice in _row_events(text, start, end, cells, holders, orgs, base):
            out.append(practice)
    return out


def _row_events(text: str, start: int, end: int, cells: list[tuple[int, int]], holders: list[str],
                orgs: _OrgIndex, base: Practice | None) -> list[Practice]:
    """Events of one row or sentence: a form followed by a title in «» (or «по теме: …» up to a bracket)."""
    out: list[Practice] = []
    for first_start, first_end in cells:
        cell = text[first_start:first_end]
        titled = list(QUOTE.finditer(cell))
        bare = re.search(r"(?:по\s+теме|на\s+тему)\s*:?\s*([А-ЯЁA-Z][^()«»\n]{8,200}?)\s*(?:\(|$)", cell)
        titled += [bare] if bare else []
        for q in titled:
            if out and q is bare:
                break
            lead = cell[max(0, q.start() - 60):q.start()]
            found = vocabulary.find(lead, ("form",))
            if not found or not re.fullmatch(r"[\s\w-]*?(?:по\s+теме\s*:?)?\s*", lead[found[-1].end:]):
                continue
            title = _clean_title(q.group(0) if q.re is QUOTE else q.group(1))
            forms = vocabulary.unique([f.concept for f in found[-1:]])
            row_text = text[start:end]
            org_keys = vocabulary.unique([k for s, e, k in orgs.at(start, end)])
            practice = Practice(title=title, kind="practice", holders=holders,
                                organisation=org_keys[0] if org_keys else None,
                                forms=forms, topics=vocabulary.topics(title),
                                spans=[span(text, start, end)])
            month = MONTHS.search(text[first_end:end]) or MONTHS.search(row_text)
            date = re.search(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", row_text)
            practice.when = (month.group(0) if month else date.group(0) if date else None)
            own_level = _level_cue(text, start, end)
            if own_level:
                practice.level, practice.level_span = own_level
            elif base and base.level:
                practice.level, practice.level_span = base.level, base.level_span
            own_model = _model_cue(text, start, end)
            if own_model:
                practice.model, practice.model_span = own_model
            elif set(forms) & DIRECT_FORMS:
                practice.model, practice.model_span = "direct", span(text, start, end)
            out.append(practice)
    return out


def _product_practices(text: str, lay: Layout, persons_at: dict[int, str], orgs: _OrgIndex,
                       org_by_key: dict[str, Organisation], base: Practice | None) -> list[Practice]:
    out: list[Practice] = []
    for f in lay.fields:
        if not PRODUCTS_FIELD.match(f.label):
            continue
        pos = f.value_start
        for line in f.value.split("\n"):
            start = text.find(line, pos) if line else pos
            end = start + len(line)
            pos = end
            body = line.strip()
            if not body or re.match(r"^\d{1,2}(?:\.\d{1,2}\.\d{2,4}|\s+[а-я]+\s+\d{4})", body) or body.endswith(":"):
                continue
            authors = sorted((p, k) for p, k in persons_at.items() if start <= p < end)
            title = None
            holders: list[str] = []
            if authors and authors[0][0] - start <= 2:
                name_end = re.match(r"[^.]*?\.\s?[А-ЯЁ]?\.?\s?", text[authors[0][0]:end])
                rest_start = authors[0][0] + (name_end.end() if name_end else 0)
                rest = text[rest_start:end]
                title = re.split(r"\.\s+(?=[А-ЯЁ])|\s[–—]\s|//", rest, maxsplit=1)[0]
                holders = [k for _, k in authors]
            else:
                q = re.search(r"по\s+теме\s*:?\s*(«[^»]+»)", body)
                if q:
                    title = q.group(1)
                    holders = list(base.holders) if base else []
            if not title or len(_clean_title(title)) < 8:
                continue
            title = _clean_title(title)
            practice = Practice(title=title, kind="product", holders=holders,
                                forms=vocabulary.forms(body) or ["publication"],
                                topics=vocabulary.topics(title), spans=[span(text, start, end)])
            publisher = [org_by_key[k] for s, e, k in orgs.at(start, end) if k in org_by_key]
            if publisher and publisher[-1].kind == "institute" and publisher[-1].region:
                practice.level, practice.level_span = "regional", span(text, start, end)
                practice.organisation = None
            elif base:
                practice.level, practice.level_span = base.level, base.level_span
                practice.organisation = base.organisation
            if not authors and base:
                practice.organisation = base.organisation
            out.append(practice)
    return out


METHOD_INTRO = re.compile(r"(?:технологи|методик|метод|практик)[а-яё]*\s+((?:«[^«»]+»\s*(?:\([^()]*\)\s*)?,?\s*(?:и\s+)?)+)",
                          re.IGNORECASE)


def _method_practices(text: str, base: Practice | None) -> list[Practice]:
    out: list[Practice] = []
    for m in METHOD_INTRO.finditer(text):
        for q in re.finditer(r"«([^«»]+)»", m.group(1)):
            name = q.group(1).strip()
            if len(name) < 6 or _is_form_label(name):
                continue
            start = m.start(1) + q.start()
            practice = Practice(title=name, kind="method", holders=list(base.holders) if base else [],
                                organisation=base.organisation if base else None,
                                topics=vocabulary.topics(name), spans=[sentence_span(text, start)])
            if base and base.level:
                practice.level, practice.level_span = base.level, base.level_span
            out.append(practice)
    return out


# A practice told in a paragraph: «Практика «Тема» распространяется через …», «Её практика «…»»,
# «– практика Сидоркиной Л.Н., учителя …, «Тема»; форма распространения – …». The persons of the
# sentence hold it, else those of the paragraph, else the organisation whose experience it is.
PROSE_CUE = re.compile(r"(?<!\w)(?:[Пп]рактик[аиуе]|[Мм]етодик[аиуе]|[Пп]роект[аеу]?|[Оо]пыт[аеу]?)(?!\w)")
OWNER_CUE = re.compile(r"(?:[Оо]пыт|[Пп]рактик[аи]|коллектив[аеу]?)\s+$")


def _prose_practices(text: str, persons_at: dict[int, str], orgs: _OrgIndex, people: dict[str, Person],
                     org_by_key: dict[str, Organisation], taken: list[tuple[int, int]]) -> list[Practice]:
    out: list[Practice] = []
    for line in re.finditer(r"[^\n]+", text):
        start, end = line.span()
        if any(a <= start < b for a, b in taken):
            continue
        for cue in PROSE_CUE.finditer(text, start, end):
            quote = _prose_title(text, cue.end(), end, orgs)
            if quote is None:
                continue
            title = _card_title_text(quote.group(0))
            sentence = sentence_span(text, cue.start())
            holders = _prose_holders(text, (sentence.start, sentence.end), (start, end), persons_at, orgs)
            if not holders or any(_same_title(title, p.title) for p in out):
                continue
            practice = Practice(title=title, kind="practice", holders=holders, topics=vocabulary.topics(title),
                                forms=vocabulary.unique([m.concept for m in vocabulary.find(line.group(), ("form",))]),
                                spans=[span(text, quote.start(), quote.end()), sentence])
            outside_names = _gaps(start, end, orgs.at(start, end))
            model = next((c for s, e in outside_names if (c := _model_cue(text, s, e))), None)
            level = next((c for s, e in outside_names if (c := _level_cue(text, s, e))), None)
            if model:
                practice.model, practice.model_span = model
            if level:
                practice.level, practice.level_span = level
            practice.organisation = _holders_organisation(holders, people, org_by_key)
            out.append(practice)
    return out


def _prose_title(text: str, start: int, end: int, orgs: _OrgIndex) -> re.Match | None:
    """The first quotation after a cue word in the same sentence that names neither an organisation
    («МБОУ «Воронинская СОШ № 1»») nor an event («представлен на конференции «…»»)."""
    for quote in QUOTE.finditer(text, start, min(end, start + 250)):
        between = text[start:quote.start()]
        if re.search(r"(?<=[а-яё\d]{2})[.!?]\s", between):  # another sentence («И.В. Бондаренко» is none)
            return None
        if any(s <= quote.start() < e for s, e, _ in orgs.mentions) or vocabulary.find(between[-40:], ("form",)):
            continue
        title = _card_title_text(quote.group(0))
        return quote if len(title) >= 8 and not _is_form_label(title) else None
    return None


def _prose_holders(text: str, sentence: tuple[int, int], paragraph: tuple[int, int], persons_at: dict[int, str],
                   orgs: _OrgIndex) -> list[str]:
    for start, end in (sentence, paragraph):
        found = vocabulary.unique([k for p, k in sorted(persons_at.items()) if start <= p < end])
        if found:
            return found
    return vocabulary.unique([k for s, e, k in orgs.at(*paragraph) if OWNER_CUE.search(text[max(0, s - 40):s])])


def _is_form_label(name: str) -> bool:
    found = vocabulary.find(name, ("form",))
    return bool(found) and found[0].start == 0 and found[-1].end >= len(name.rstrip(". "))


# ---------------------------------------------------------------- practice cards

# A practice described as a card: a heading («2.1. «Тема»», «Б.2. Муниципальная площадка») and
# lines under it, one of which names who holds it («Носитель опыта: …», «Автор – …»); other lines
# may give the title («Тема: …»), the forms, the model and the level.
CARD_HOLDER = re.compile(
    r"(?:^|(?<=[.;]\s))[ \t]*(?:[–—-][ \t]*)?(Носител[ьи](?:ем)?(?:\s+(?:опыта|практики))?|Руководитель\s+и\s+автор(?:\s+\w+)?"
    r"|Автор(?:ы)?\s+и\s+руководител[ьи]|Авторы?(?:\s+(?:практики|опыта|методики|программы|проекта))?"
    r"|Ведущи[йе](?:\s+\w+)?)(?:[ \t]*\([^)\n]*\))?[ \t]*(?::|[ \t][–—-])[ \t]*(\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE)
HEADING_CUE = re.compile(r"\((?:авторы?|носител[ьи]\s+опыта|ведущ\w*)\s*[–—:-]\s*([^()\n]+)\)", re.IGNORECASE)
CARD_HEADING = re.compile(r"^[ \t]*(?:[А-ЯA-Z]\.\s*\d{1,2}(?:\.\d{1,2})*|\d{1,2}(?:\.\d{1,2})+"
                          r"|(?:Компонент|Карточка|Практика|Модуль|Направление)\s+(?:№\s*)?\d{1,2})\.?"
                          r"(?:[ \t]+|[ \t]*\n[ \t]*(?=«))(\S[^\n]*)$",  # «13.1» in a cell of its own over «Тема»
                          re.MULTILINE)
CARD_TITLE_FIELD = re.compile(r"^[ \t]*(?:Тема|Название|Наименование)(?:\s+(?:практики|опыта|проекта|площадки))?"
                              r"[ \t]*(?::|[ \t][–—])[ \t]*(\S[^\n]*)$", re.IGNORECASE | re.MULTILINE)
OWN_ORGANISATION = re.compile(r"\(((?:[^()\n]|\([^()\n]*\))+)\)\.?\s*$")
CARD_ORG_FIELD = re.compile(r"^[ \t]*Организация[ \t]*:[ \t]*(\S[^\n]*)$", re.IGNORECASE | re.MULTILINE)
CARD_FIELD = re.compile(r"^[ \t]*(Форм[аы][^:\n]{0,40}?|Модель[^:\n]{0,30}?|Уровень[^:\n]{0,30}?)[ \t]*(?::|[ \t][–—])"
                        r"[ \t]*(\S[^\n]*)$", re.IGNORECASE | re.MULTILINE)


@dataclass
class _Card:
    start: int
    end: int
    heading: re.Match | None


def _cards(text: str) -> list[_Card]:
    """Blocks of lines between blank lines, cut again at numbered headings («2.1.», «Б.3.»); a card
    starts with such a heading (``heading`` is None for a block's lines before its first heading)."""
    cards = []
    for block in re.finditer(r"(?:[^\n]*\S[^\n]*\n?)+", text):
        headings = [h for h in CARD_HEADING.finditer(text, block.start(), block.end()) if not _is_field_line(h.group(1))]
        cuts = [block.start()] + [h.start() for h in headings if h.start() > block.start()] + [block.end()]
        for start, end in zip(cuts, cuts[1:]):
            heading = next((h for h in headings if h.start() == start), None)
            cards.append(_Card(start, end, heading))
    return cards


def _is_field_line(line: str) -> bool:
    """«Наименование проекта: …», «Сроки – …»: a field of a form rather than a heading."""
    return bool(re.match(r"[А-ЯЁа-яё ()-]{3,60}(?::|\s[–—]\s)", line)) and not line.lstrip().startswith("«")


def _card_practices(text: str, persons_at: dict[int, str], orgs: _OrgIndex, people: dict[str, Person],
                    org_by_key: dict[str, Organisation]) -> list[tuple[Practice, _Card]]:
    out: list[tuple[Practice, _Card]] = []
    cards = _cards(text)
    # blocks without a heading are cards when several give a title and a holder («Карточка 1 /
    # Наименование практики — … / Носитель опыта — …»); one such block is the document's own passport
    fielded = [c for c in cards if c.heading is None and CARD_TITLE_FIELD.search(text, c.start, c.end)
               and CARD_HOLDER.search(text, c.start, c.end)]
    for card in cards:
        if card.heading is None and (len(fielded) < 2 or card not in fielded):
            continue
        cues = [(m.start(2), m.end(2)) for m in CARD_HOLDER.finditer(text, card.start, card.end)
                if not text[m.start():m.end()].lstrip().startswith("|")]
        if card.heading:
            cues += [(m.start(1), m.end(1)) for m in HEADING_CUE.finditer(text, card.heading.start(1), card.heading.end(1))]
        if not cues and card.heading:  # «4.4. «Школа управленческих команд» (МКУ ИМЦ).»
            own = OWN_ORGANISATION.search(card.heading.group(1))
            start = card.heading.start(1) + own.start(1) if own else 0
            if own and orgs.at(start, card.heading.start(1) + own.end(1)):
                cues = [(start, card.heading.start(1) + own.end(1))]
        if not cues:
            continue
        title_span = _card_title(text, card)
        if title_span is None:
            continue
        title = _card_title_text(text[title_span[0]:title_span[1]])
        if len(title) < 8 or _is_form_label(title):
            continue
        holders = _card_holders(text, card, cues, persons_at, orgs)
        if not holders:
            continue
        practice = Practice(title=title, kind="practice", holders=holders, topics=vocabulary.topics(title),
                            spans=[span(text, title_span[0], title_span[1]), span(text, cues[0][0], cues[0][1])])
        _card_details(text, card, practice, orgs)
        practice.organisation = _holders_organisation(holders, people, org_by_key)
        out.append((practice, card))
    return out


def _holders_organisation(holders: list[str], people: dict[str, Person],
                          org_by_key: dict[str, Organisation]) -> str | None:
    """The first holding organisation, else the first holder's employer."""
    found = [h for h in holders if h in org_by_key] + \
        [people[h].organisation for h in holders if h in people and people[h].organisation]
    return found[0] if found else None


def _card_title(text: str, card: _Card) -> tuple[int, int] | None:
    """The «Тема: …» line of the card, else its heading (numbering and a trailing «(автор – …)» cut off)."""
    field = CARD_TITLE_FIELD.search(text, card.start, card.end)
    if field:
        return field.start(1), field.end(1)
    if card.heading is None:
        return None
    start, end = card.heading.start(1), card.heading.end(1)
    inline = CARD_HOLDER.search(text, start, end)  # «4.1. «Тема». Носитель опыта – …» on one line
    if inline:
        end = inline.start()
    quoted = QUOTE.match(text, start, end)
    after = text[quoted.end():end] if quoted else ""
    first = next(iter(sentences(text, start, end)), None)
    if after.startswith(".") and after.strip(" ."):
        end = quoted.end()  # «5.1. «Тема». Sentences about it.»: the quoted title
    elif first is not None and end - start > 200:
        end = first.end  # «Компонент 1. Тема. Автор – …. Sentences»: the first sentence
    cue = HEADING_CUE.search(text, start, end) or re.search(r"\s\([^()\n]+\)\.?\s*$", text[start:end])
    if cue is not None:
        end = cue.start() if cue.re is HEADING_CUE else start + cue.start()
    return start, end


def _card_title_text(value: str) -> str:
    """A title as written: one quotation is unquoted, quotes inside a longer title are kept."""
    value = re.sub(r"\s+", " ", value).strip().rstrip(" .;")
    whole = QUOTE.fullmatch(value)
    return (whole.group(1) or whole.group(2)).strip() if whole else value


def _card_holders(text: str, card: _Card, cues: list[tuple[int, int]], persons_at: dict[int, str],
                  orgs: _OrgIndex) -> list[str]:
    """Persons named in the holder lines; an organisation that opens a holder line («Носитель опыта –
    МКОУ «Шаховская СОШ»») holds too; none named («педагогический коллектив»): the card's organisation."""
    holders: list[str] = []
    for start, end in cues:
        holders += [k for p, k in sorted(persons_at.items()) if start <= p < end]
        opening = [k for s, e, k in orgs.at(start, end) if not text[start:s].strip(" \t«(")]
        holders = opening + holders
    if not holders:
        field = CARD_ORG_FIELD.search(text, card.start, card.end)
        where = (field.start(1), field.end(1)) if field else (cues[0][0], cues[0][1])
        holders = [k for s, e, k in orgs.at(*where)][:1]
    return vocabulary.unique(holders)


def _card_details(text: str, card: _Card, practice: Practice, orgs: _OrgIndex) -> None:
    """Forms, model and level: from the card's own lines («Формы трансляции: …», «Модель: …», «Уровень: …»),
    else stated anywhere in the card outside organisation names (``_inherit`` adds the document's own)."""
    fields = {m.group(1).lower()[:3]: (m.start(2), m.end(2)) for m in CARD_FIELD.finditer(text, card.start, card.end)}
    where = fields.get("фор", (card.start, card.end))
    practice.forms = vocabulary.unique([m.concept for m in vocabulary.find(text[where[0]:where[1]], ("form",))])
    outside_names = [(s, e) for s, e in _gaps(card.start, card.end, orgs.at(card.start, card.end))]
    model = _model_field(text, *fields["мод"]) if "мод" in fields else \
        next((c for s, e in outside_names if (c := _model_cue(text, s, e))), None)
    level = _level_cue(text, *fields["уро"]) if "уро" in fields else \
        next((c for s, e in outside_names if (c := _level_cue(text, s, e))), None)
    if model:
        practice.model, practice.model_span = model
    if level:
        practice.level, practice.level_span = level


MODEL_VALUE = {"сетев": "network", "прям": "direct", "опосредован": "mediated"}


def _model_field(text: str, start: int, end: int) -> tuple[str, Span] | None:
    """The value of a «Модель: …» line: a model's name, or just its adjective («сетевая», «прямого действия»)."""
    found = _model_cue(text, start, end)
    if found is None and (word := re.match(r"\W*(сетев|прям|опосредован)", text[start:end], re.IGNORECASE)):
        found = MODEL_VALUE[word.group(1).lower()], sentence_span(text, start)
    return found


def _complete(practice: Practice, again: Practice) -> None:
    """The same practice described twice (a bank table and a plan of events): what the first lacks."""
    practice.forms += [f for f in again.forms if f not in practice.forms]
    if practice.model is None and again.model:
        practice.model, practice.model_span = again.model, again.model_span
    if practice.level is None and again.level:
        practice.level, practice.level_span = again.level, again.level_span


def _inherit(practice: Practice, base: Practice | None) -> None:
    """A card silent on its model or level takes the document's own practice's (a sub-practice of a
    network project spreads through that network); a master class or mentoring without one is direct."""
    if practice.model is None and base and base.model:
        practice.model, practice.model_span = base.model, base.model_span
    if practice.model is None and set(practice.forms) & DIRECT_FORMS:
        practice.model, practice.model_span = "direct", practice.spans[-1]
    if practice.level is None and base and base.level:
        practice.level, practice.level_span = base.level, base.level_span


def _gaps(start: int, end: int, mentions: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The stretches of ``[start, end)`` between the given mentions."""
    out, pos = [], start
    for s, e, _ in sorted(mentions):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out


# ---------------------------------------------------------------- tables of practices

# A table with a column of holders and a column of practices («| № | Носитель опыта | Организация |
# Тема опыта |», «Мероприятие (носитель опыта) | Форма | Уровень | Модель»): one practice per row.
HOLDER_COLUMN = re.compile(r"носител|автор|руководитель\s+стажировки|ведущ", re.IGNORECASE)
TITLE_COLUMN = re.compile(r"^(?:тема|практика|название|наименование|мероприятие|модуль|программа|проект|опыт"
                          r"|инновационн\w+\s+(?:практика|опыт|проект))", re.IGNORECASE)
COLUMNS = {"form": re.compile(r"^форм", re.I), "model": re.compile(r"^модел", re.I),
           "level": re.compile(r"^уровен", re.I), "organisation": re.compile(r"организац|площадк|база", re.I)}


def _table_rows(lay: Layout) -> list[list[Segment]]:
    """Rows of cells: the layout's rows, and tables written one cell per line under a «№» header."""
    rows = [list(r.cells) for r in sorted(lay.rows, key=lambda r: r.start)]
    cells = lay.cells
    in_rows = [(r.start, r.end) for r in lay.rows]
    for i, cell in enumerate(cells):
        if cell.text.strip() not in ("№", "№ п/п") or any(s <= cell.start < e for s, e in in_rows):
            continue
        width = next((j - i for j in range(i + 1, min(i + 10, len(cells))) if cells[j].text.strip() in ("1", "1.")), 0)
        if width < 3:
            continue
        rows.append(cells[i:i + width])
        k = i + width
        while k + width <= len(cells) and NUMBER_CELL.match(cells[k].text.strip()):
            rows.append(cells[k:k + width])
            k += width
    return rows


def _table_practices(text: str, lay: Layout, persons_at: dict[int, str], orgs: _OrgIndex,
                     people: dict[str, Person], org_by_key: dict[str, Organisation]) -> list[Practice]:
    out: list[Practice] = []
    header: dict[str, int] | None = None
    width = 0
    for cells in _table_rows(lay):
        columns = _columns([c.text for c in cells])
        if columns:
            header, width = columns, len(cells)
            continue
        if header is None or len(cells) != width:
            header = None
            continue
        practice = _table_practice(text, cells, header, persons_at, orgs, people, org_by_key)
        if practice:
            out.append(practice)
    return out


def _columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, when this row is the header of a table of practices."""
    holder = next((i for i, h in enumerate(header) if HOLDER_COLUMN.search(h)), None)
    title = next((i for i, h in enumerate(header) if TITLE_COLUMN.match(h.strip())), None)
    if holder is None or title is None:
        return None
    # a column of events («Мероприятие») beside a column of holders names practices only as «Форма «Тема»»
    events = title != holder and header[title].strip().lower().startswith("мероприят")
    found = {"holder": holder, "title": title, "events": int(events)}
    for name, pattern in COLUMNS.items():
        column = next((i for i, h in enumerate(header) if pattern.search(h.strip()) and i not in (holder, title)), None)
        if column is not None:
            found[name] = column
    return found


def _event_title(cell: str) -> str | None:
    """The title of an event written «Форма «Тема»» (the form may have words after it: «Семинар для
    учителей «…»»); an event without one («Анализ результатов») names no practice."""
    quoted = QUOTE.search(cell)
    if quoted is None or not vocabulary.find(cell[:quoted.start()], ("form",)):
        return None
    return _clean_title(quoted.group(0))


def _table_practice(text: str, cells: list[Segment], header: dict[str, int], persons_at: dict[int, str],
                    orgs: _OrgIndex, people: dict[str, Person], org_by_key: dict[str, Organisation]) -> Practice | None:
    title_cell, holder_cell = cells[header["title"]], cells[header["holder"]]
    title_end = title_cell.end
    if header["title"] == header["holder"]:  # «Мероприятие (носитель опыта)»: «Тема» (организация, автор)
        quoted = QUOTE.match(title_cell.text.strip())
        if not quoted:
            return None
        title_end = title_cell.start + title_cell.text.index(quoted.group(0)) + len(quoted.group(0))
    title = _card_title_text(text[title_cell.start:title_end])
    if header["events"]:  # «Мастер-класс «Тема»»: the title is the quotation after the form
        title = _event_title(title_cell.text)
        if title is None:
            return None
    if len(title) < 8 or _is_form_label(title):
        return None
    start, end = (title_end, holder_cell.end) if header["title"] == header["holder"] else (holder_cell.start, holder_cell.end)
    holders = vocabulary.unique([k for p, k in sorted(persons_at.items()) if start <= p < end]) or \
        vocabulary.unique([k for s, e, k in orgs.at(start, end)])
    organisation_cell = cells[header["organisation"]] if "organisation" in header else None
    employer = [k for s, e, k in orgs.at(organisation_cell.start, organisation_cell.end)][:1] if organisation_cell else []
    if not holders:
        holders = employer
    if not holders or header["events"] and _organisers_only(holders, people, org_by_key):
        return None
    for h in holders:
        if h in people and people[h].organisation is None and employer:
            people[h].organisation = employer[0]
    row = span(text, cells[0].start, cells[-1].end)
    practice = Practice(title=title, kind="practice", holders=holders, topics=vocabulary.topics(title), spans=[row])
    if "form" in header:
        cell = cells[header["form"]]
        practice.forms = vocabulary.unique([m.concept for m in vocabulary.find(cell.text, ("form",))])
    if "model" in header and (model := _model_field(text, cells[header["model"]].start, cells[header["model"]].end)):
        practice.model, practice.model_span = model
    if "level" in header and (level := _level_cue(text, cells[header["level"]].start, cells[header["level"]].end)):
        practice.level, practice.level_span = level
    practice.organisation = _holders_organisation(holders, people, org_by_key)
    return practice


# ---------------------------------------------------------------- the whole document

def extract(document: Document) -> DocumentFacts:
    """Read persons, organisations and practices from one document (see the module docstring)."""
    text = document.text
    lay = layout(document)
    municipality, region = most_common_territory(text)
    orgs = _organisations(text, municipality, region)
    org_by_key = {o.key: o for o in orgs.organisations}
    persons, persons_at = _persons(text, find_persons(text), orgs)
    people = {p.key: p for p in persons}
    cards = _card_practices(text, persons_at, orgs, people, org_by_key)
    in_cards = [(card.start, card.end) for _, card in cards]
    base = _doc_practice(text, lay, orgs, persons_at, people, org_by_key, in_cards)
    tables = _table_practices(text, lay, persons_at, orgs, people, org_by_key)
    practices: list[Practice] = [base] if base else []
    taken = in_cards + [(r.start, r.end) for r in lay.rows] + [(f.start, f.end) for f in lay.fields]
    listed = [card_practice for card_practice, _ in cards] + tables \
        + _prose_practices(text, persons_at, orgs, people, org_by_key, taken)
    events = _event_practices(text, lay, persons_at, orgs, base)
    mentioned = (events + _product_practices(text, lay, persons_at, orgs, org_by_key, base)
                 + _method_practices(text, base))
    for p in listed + mentioned:
        same = next((q for q in practices if _same_title(p.title, q.title)), None)
        if same is None and p not in listed:
            same = _spread_practice(p, listed)
        if same is not None:
            _complete(same, p)
        elif not (p in events and _organisers_only(p.holders, people, org_by_key)
                  and not (base and set(p.holders) & set(base.holders))):  # the document's authors hold theirs
            practices.append(p)
    for p in practices:
        if p is not base and p in listed:  # after merging: what the descriptions say comes first
            _inherit(p, base)
    # the forms of the events a programme plans belong to the programme too
    if base:
        for r in lay.rows:
            base.forms += [f for f in vocabulary.forms(r.cells[0].text) if f not in base.forms]
    # a practice needs a holder: else the document's own holders, else it is left out
    for p in practices:
        if not p.holders and base and base.holders and p is not base:
            p.holders = list(base.holders)
    practices = [p for p in practices if p.holders]
    title = lay.heading.text if lay.heading else None
    return DocumentFacts(
        file_name=document.file_name, sha256=document.sha256, title=title, genre=lay.genre,
        region=region, municipality=municipality, organisations=orgs.organisations,
        persons=persons, practices=practices, needs=_needs(text, _consumer(base, orgs.organisations)),
    )


# ---------------------------------------------------------------- needs

# a sentence naming a shortage, difficulty or problem states a need on the topics it names
# («по проблеме» means «on the subject of»; «школы с низкими результатами» is a topic, not a cue)
NEED_CUE = re.compile(
    r"дефицит|затруднени|(?<!по )проблем|потребност|недостаточн"
    r"|необходимо\s+(?:повысить|развивать|обеспечить|устранить)", re.IGNORECASE)
CONSUMER_KINDS = ("education_authority", "methodological_service")


def _consumer(base: Practice | None, organisations: list[Organisation]) -> str | None:
    """Who has the document's needs: the organisation of its own practice, else its authority or
    methodological service, else the first organisation it names."""
    if base and base.organisation:
        return base.organisation
    for kind in CONSUMER_KINDS:
        for organisation in organisations:
            if organisation.kind == kind:
                return organisation.key
    return organisations[0].key if organisations else None


def _needs(text: str, consumer: str | None) -> list[Need]:
    if consumer is None:
        return []
    needs = []
    for sentence in sentences(text):
        if not NEED_CUE.search(sentence.text):
            continue
        topics = vocabulary.unique(m.concept for m in vocabulary.find(sentence.text, ("topic",)))
        if topics:
            needs.append(Need(topics, consumer, Span(sentence.start, sentence.end, sentence.text)))
    return needs


def _organisers_only(holders: list[str], people: dict[str, Person], org_by_key: dict[str, Organisation]) -> bool:
    """Every one named is an authority, a methodological service or an institute, or works for one: an event
    they hold («Семинар для заместителей директоров» by a methodist of the ИМЦ) organises, it spreads no practice."""
    def organiser(key: str) -> bool:
        employer = people[key].organisation if key in people else key
        return employer in org_by_key and org_by_key[employer].kind in INTERMEDIARY_KINDS
    return bool(holders) and all(organiser(h) for h in holders)


def _spread_practice(event: Practice, listed: list[Practice]) -> Practice | None:
    """The listed practice (card or table row) an event or product spreads: a master class or a
    collection by the holder of a listed practice is that practice passed on, not another one.
    A holder of several listed practices spreads the one whose title shares most words."""
    candidates = [q for q in listed if set(q.holders) & set(event.holders)]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    words = _title_words(event.title)
    shared = [len(words & _title_words(q.title)) for q in candidates]
    return candidates[shared.index(max(shared))] if max(shared) else None


def _title_words(title: str) -> set[str]:
    return {t.lemma for t in vocabulary.tokens(title) if len(t.text) >= 4 and not t.text.isdigit()}


def _same_title(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[^\w]+", " ", s.lower()).strip()  # noqa: E731
    return norm(a) == norm(b) or SequenceMatcher(None, norm(a), norm(b)).ratio() >= 0.9
