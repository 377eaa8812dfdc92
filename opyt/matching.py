"""Who can mentor on X: match a need, written in Russian or English, against the catalogue.

The need is understood through the topic scheme: Russian text with
``opyt.ingest.vocabulary`` (lemmas, exam task numbers), English text with the
English prefLabels and altLabels of the topic and form concepts
(``opyt.ontology.ontology_graph()``); «task 18» / «задание 18» without a named
exam means every exam's task 18. The candidates come from the matching index
(``opyt.mentor_index``: posting lists by topic and lemma, rebuilt from the
store when its documents change) and each is scored:

* tier 3 — a practice topic is one of the need's concepts;
* tier 2 — a practice topic is narrower (or, one or two steps, broader) than one;
* tier 1 — only the words overlap (lemmas of the title and topic labels).

A practice must show a minimum of relevance (a topic relation, or at least two
shared content lemmas / most of the need's content words), and when the need
names a school subject or exam (химия), a practice whose own subject topic is
unrelated is left out: a question about chemistry does not return mathematicians.
Nothing relevant gives an empty list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from weakref import WeakKeyDictionary

import numpy as np
from rdflib import Literal
from rdflib.namespace import SKOS

from opyt import mentor_index, semantic
from opyt.ingest import vocabulary
from opyt.namespace import FORM, TOPIC, local_name

SUBJECT_ROOTS = ("schoolSubjects", "stateFinalAssessment")  # concepts of a subject domain descend from these
RUSSIAN_POS = {"NOUN", "ADJF", "ADJS", "INFN", "VERB", "PRTF", "PRTS", "NUMR", None}
STOP = {
    "кто", "мочь", "провести", "проводить", "опыт", "работа", "который", "это", "такой", "весь", "свой",
    "наш", "ваш", "являться", "быть", "иметь", "нужно", "нужный", "хотеть", "помочь", "научить", "вопрос",
    "who", "can", "could", "the", "a", "an", "on", "in", "of", "for", "to", "and", "or", "with", "about",
    "mentor", "mentoring", "help", "teach", "me", "us", "our", "is", "are", "be", "experience", "how",
    "what", "which", "give", "run", "someone", "anyone",
}
EN_TASK = re.compile(r"\b(?:task|question|item|problem)\s*(?:no\.?|number|№|#)?\s*(\d{1,2})\b", re.I)
EN_WORD = re.compile(r"[a-z0-9]+")
EN_WORD_ANY_CASE = re.compile(r"[A-Za-z0-9]+")
# exam acronyms that are also English words: they name the exam only when written in capitals («use» ≠ «USE»)
CAPITALS_ONLY = {"use"}
GENERIC_LABEL_WORD = 12  # a word in more English topic labels than this does not count in loose matching


# --- the vocabulary: broader links, labels ------------------------------------------------------


@lru_cache(maxsize=1)
def _scheme() -> dict:
    from opyt.ontology import ontology_graph

    graph = ontology_graph(include_alignments=False)
    ns = str(TOPIC)
    form_ns = str(FORM._NS)
    broader: dict[str, set[str]] = {}
    notation: dict[str, str] = {}
    english: list[tuple[tuple[str, ...], str, str]] = []  # (words, scheme, local)
    labels_ru: dict[str, list[str]] = {}
    for concept in set(graph.subjects(SKOS.prefLabel, None)):
        iri = str(concept)
        if iri.startswith(ns):
            scheme, local = "topic", iri[len(ns):]
            broader[local] = {str(b)[len(ns):] for b in graph.objects(concept, SKOS.broader) if str(b).startswith(ns)}
            for n in graph.objects(concept, SKOS.notation):
                notation[local] = str(n)
        elif iri.startswith(form_ns):
            scheme, local = "form", iri[len(form_ns):]
        else:
            continue
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                if not isinstance(label, Literal):
                    continue
                if label.language == "en":
                    words = tuple(_en_stem(w) for w in EN_WORD.findall(str(label).lower()))
                    if words:
                        english.append((words, scheme, local))
                elif label.language == "ru" and scheme == "topic":
                    labels_ru.setdefault(local, []).append(str(label))
    english.sort(key=lambda e: (-len(e[0]), e[1] != "topic", e[2], e[0]))  # longest first; then a fixed order
    # words in many topic labels («exam», «state», «task») tell no topic from another
    label_count: dict[str, int] = {}
    for words, scheme, _ in english:
        for word in set(words) if scheme == "topic" else ():
            label_count[word] = label_count.get(word, 0) + 1
    generic = {word for word, count in label_count.items() if count > GENERIC_LABEL_WORD}
    return {"broader": broader, "notation": notation, "english": english, "labels_ru": labels_ru,
            "generic_en": generic}


def _capitals_kept(label: tuple[str, ...], written: list[str]) -> bool:
    return all(word not in CAPITALS_ONLY or typed.isupper() for word, typed in zip(label, written))


def _en_stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=4096)
def ancestors(local: str) -> dict[str, int]:
    """Every broader concept of ``local`` with its distance in skos:broader steps."""
    broader = _scheme()["broader"]
    out: dict[str, int] = {}
    frontier, step = {local}, 0
    while frontier:
        step += 1
        nxt = set()
        for c in frontier:
            for b in broader.get(c, ()):
                if b not in out:
                    out[b] = step
                    nxt.add(b)
        frontier = nxt
    return out


def is_exam(local: str) -> bool:
    """«ЕГЭ», «ГИА», «ЕГЭ по химии», its tasks: at or under the state final assessment."""
    return local == "stateFinalAssessment" or "stateFinalAssessment" in ancestors(local)


def is_subject(local: str) -> bool:
    return local in SUBJECT_ROOTS or any(r in ancestors(local) for r in SUBJECT_ROOTS)


@lru_cache(maxsize=4096)
def names_a_subject(local: str) -> bool:
    """At or under one school subject (химия, ЕГЭ по химии, its tasks); «ЕГЭ» or «ГИА» alone names none."""
    return any("schoolSubjects" in ancestors(c) for c in (local, *ancestors(local)))


def _subject_need(need: dict) -> list[str]:
    """The need's concepts that name a subject («ЕГЭ» and «иностранный язык»: the language);
    else its exam or assessment concepts («подготовка к ЕГЭ»)."""
    return [t for t in need["topics"] if names_a_subject(t)] or [t for t in need["topics"] if is_subject(t)]


@lru_cache(maxsize=4096)
def _own_subject_words(local: str) -> frozenset[str]:
    """The words of a subject concept's labels without those of the exams above it («ЕГЭ по химии» → химия)."""
    umbrella = {w for a in ancestors(local) if not names_a_subject(a) for w in topic_lemmas(a)}
    return topic_lemmas(local) - umbrella if names_a_subject(local) else topic_lemmas(local)


def _vouches(concept: str, subject_need: list[str]) -> bool:
    """A practice topic related to the need's subject says the practice is on that subject only when it
    names a subject itself: a practice filed under «ЕГЭ» alone is not on chemistry because «ЕГЭ по химии»
    is under «ЕГЭ» (its words decide)."""
    return _relation(subject_need, (concept,)) is not None and (
        names_a_subject(concept) or not any(names_a_subject(t) for t in subject_need))


def _subject_exams(topics: list[str]) -> list[str]:
    """An exam and a subject named apart («учителю информатики … задачей ЕГЭ») are that subject's exam
    (the concept under both: «ЕГЭ по информатике»)."""
    exams = [t for t in topics if is_exam(t) and not names_a_subject(t)]
    subjects = [t for t in topics if names_a_subject(t) and not is_exam(t)]
    both = [c for c in _scheme()["broader"] for e in exams for s in subjects if {e, s} <= _scheme()["broader"][c]]
    used = {t for c in both for t in _scheme()["broader"][c]}
    if not both:
        return topics
    return [t for t in topics if t not in used] + vocabulary.unique(both)


def _tasks(numbers: list[str], exams: list[str]) -> list[str]:
    """Task concepts with one of ``numbers`` under one of ``exams`` (any depth), or under any exam if none."""
    notation = _scheme()["notation"]
    found = []
    for local, n in notation.items():
        if n not in numbers:
            continue
        anc = ancestors(local)
        if not exams or any(e in anc for e in exams):
            found.append(local)
    return sorted(found)


# --- the need -------------------------------------------------------------------------------------


def content_lemmas(text: str) -> list[str]:
    out = []
    for tok in vocabulary.tokens(text):
        # a word written in capitals for emphasis («РАЗВИТИЯ») is a word, not an abbreviation
        lem = vocabulary.lemma(tok.text.lower()) if len(tok.text) > 4 and tok.text.isupper() else tok.lemma
        if lem in STOP or len(lem) < 2 and not lem.isdigit():
            continue
        if re.search("[а-я]", lem):
            if _part_of_speech(tok.text.lower()) not in RUSSIAN_POS:
                continue
        elif re.search("[a-z]", lem):
            lem = _en_stem(lem)
            if lem in STOP:
                continue
        out.append(lem)
    return vocabulary.unique(out)


@lru_cache(maxsize=200_000)
def _part_of_speech(word: str) -> str | None:
    return vocabulary.morph().parse(word)[0].tag.POS


def understand(text: str) -> dict:
    """The need's topic concepts, forms and content lemmas; ``near`` (words of similar meaning) is filled against an index."""
    topics: list[str] = [m.concept for m in vocabulary.find(text, ("topic",))]
    forms: list[str] = [m.concept for m in vocabulary.find(text, ("form",))]
    numbers = vocabulary.task_numbers(text) + EN_TASK.findall(text)
    # English: label word sequences, longest first, non-overlapping
    raw = EN_WORD_ANY_CASE.findall(text)
    words = [_en_stem(w.lower()) for w in raw]
    i = 0
    while i < len(words):
        for label, scheme, local in _scheme()["english"]:
            if tuple(words[i:i + len(label)]) == label and _capitals_kept(label, raw[i:i + len(label)]):
                (topics if scheme == "topic" else forms).append(local)
                i += len(label) - 1
                break
        i += 1
    # English, loosely: most (at least two, two thirds) of a topic label's telling words, in any order
    present = set(words) - STOP
    for label, scheme, local in _scheme()["english"]:
        content = set(label) - STOP - CAPITALS_ONLY - _scheme()["generic_en"]
        numbers_named = {w for w in content if w.isdigit()}
        if scheme == "topic" and len(content) >= 2 and numbers_named <= present:
            hit = len(content & present)
            if hit >= 2 and hit * 3 >= 2 * len(content):
                topics.append(local)
    topics = _subject_exams(vocabulary.unique(topics))
    if numbers:
        # the most specific exams named; none named: every exam's task with that number
        # (an exam named without a concept for that task, «задание 27 ЕГЭ по химии», has none)
        exams = [t for t in topics if is_exam(t) or _tasks(numbers, [t])]
        exams = [e for e in exams if not any(e in ancestors(o) for o in exams if o != e)]
        topics += _tasks(numbers, exams)
    topics = vocabulary.unique(topics)
    topics = [c for c in topics if not any(c in ancestors(o) for o in topics if o != c)]
    return {"topics": topics, "forms": vocabulary.unique(forms), "lemmas": content_lemmas(text), "near": {}}


# --- candidates and scores ------------------------------------------------------------------------



def _relation(need: list[str], topics: list[str]) -> tuple[float, str, str] | None:
    """Best relation between the need's concepts and a practice's: (strength, need concept, practice concept)."""
    best = None
    for n in need:
        for t in topics:
            if t == n:
                cand = (1.0, n, t)
            elif n in ancestors(t):
                cand = (0.8 - 0.05 * (ancestors(t)[n] - 1), n, t)
            elif t in ancestors(n) and ancestors(n)[t] <= 2 and t not in SUBJECT_ROOTS \
                    and (is_exam(t) or not is_exam(n)):  # teaching chemistry is not preparing for its exam
                cand = (0.6 - 0.1 * (ancestors(n)[t] - 1), n, t)
            else:
                continue
            if best is None or cand[0] > best[0]:
                best = cand
    return best


def _label(local: str) -> str:
    return vocabulary.pref_label("topic", local) or local


def find_mentors(store, text: str, *, municipality: str | None = None, region: str | None = None,
                 limit: int = 10, offset: int = 0, level: str | None = None, model: str | None = None,
                 form: str | None = None) -> dict:
    """Holders who can pass on experience matching ``text``, best first (the ``opyt mentors`` JSON).

    ``level``, ``model`` and ``form`` (a concept's local name or IRI) keep only practices
    with that concept; ``offset`` and ``limit`` page through the ranked list."""
    need = understand(text)
    index = mentor_index.current(store)
    if not municipality and not region:
        municipality, region = _place_named(need, index)
    place = {"municipality": (municipality or "").lower(), "region": (region or "").lower()}
    need["near"] = _near_words(need["lemmas"], index)
    ranked = _rank(need, index, place, _filter_mask(index, level=level, model=model, form=form))
    start = max(offset, 0)
    page = [_score(need, index.entries[n], index.idf, place) for n in ranked[start:start + max(limit, 0)]]
    return {"query": text, "items_total": len(ranked), "items": [_item(need, match) for match in page]}


# words of a territory's name that say what kind of territory it is, not which
PLACE_KIND_WORDS = {"район", "область", "край", "округ", "город", "городской", "муниципальный", "образование",
                    "республика", "г", "мо", "автономный", "сельский", "поселение"}


def _place_named(need: dict, index: mentor_index.MentorIndex) -> tuple[str | None, str | None]:
    """The municipality and region the need's text names («в Краснодарском крае»), as the catalogue
    names them; their words are taken out of the need's content words, so that they rank near
    holders first instead of matching practices by name."""
    lemmas = set(need["lemmas"])
    found: dict[str, str | None] = {"municipality": None, "region": None}
    used: set[str] = set()
    for kind, names in (("municipality", index.by_municipality), ("region", index.by_region)):
        best = max((name for name in names if name and (words := _place_words(name)) and words <= lemmas),
                   key=lambda name: len(_place_words(name)), default=None)
        if best is not None:
            found[kind] = best
            used |= set(content_lemmas(best))
    need["lemmas"] = [w for w in need["lemmas"] if w not in used]
    return found["municipality"], found["region"]


@lru_cache(maxsize=100_000)
def _place_words(name: str) -> frozenset[str]:
    return frozenset(w for w in content_lemmas(name) if w not in PLACE_KIND_WORDS)


# --- words of similar meaning -----------------------------------------------------------------------

PROPER_NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}
_NEIGHBOURS: WeakKeyDictionary[mentor_index.MentorIndex, semantic.Neighbours] = WeakKeyDictionary()


def _near_words(lemmas: list[str], index: mentor_index.MentorIndex) -> dict[str, list[tuple[str, float]]]:
    """For each need word no practice uses, the catalogue words of similar meaning (``opyt.semantic``)."""
    unknown = [w for w in lemmas if w not in index.by_word and _may_stand_in(w)]
    if not unknown:
        return {}
    if index not in _NEIGHBOURS:
        _NEIGHBOURS[index] = semantic.Neighbours(sorted(w for w in index.by_word if _may_stand_in(w)))
    return {w: near for w in unknown if (near := _NEIGHBOURS[index].of(w))}


@lru_cache(maxsize=200_000)
def _may_stand_in(word: str) -> bool:
    """A Russian content word that is neither a school subject's nor a person's or place's name."""
    if not re.fullmatch("[а-яё-]{3,}", word) or word in _subject_words():
        return False
    return not any(tag in parse.tag for parse in vocabulary.morph().parse(word)[:2] for tag in PROPER_NAME_TAGS)


@lru_cache(maxsize=1)
def _subject_words() -> frozenset[str]:
    return frozenset(w for local in _scheme()["labels_ru"] if is_subject(local) for w in topic_lemmas(local))


def _presence(word: str, near: list[tuple[str, float]], words: frozenset[str]) -> float:
    """1 when a practice uses the need's word, the similarity of its nearest stand-in it uses, else 0."""
    if word in words:
        return 1.0
    return max((similarity for other, similarity in near if other in words), default=0.0)


def _stand_in(near: list[tuple[str, float]], words: frozenset[str]) -> str:
    return max((pair for pair in near if pair[0] in words), key=lambda pair: pair[1])[0]


def _filter_mask(index: mentor_index.MentorIndex, **concepts: str | None) -> np.ndarray:
    """Entries whose practice has the given level, model and form (all entries when none is given)."""
    keep = np.ones(index.size, dtype=bool)
    for key, value in concepts.items():
        if not value:
            continue
        local = local_name(value)
        postings = {"level": index.by_level, "model": index.by_model}.get(key)
        if key == "form":
            postings, local = index.by_form, vocabulary.pref_label("form", local) or local
        keep &= index.mask([postings.get(local, np.empty(0, dtype=np.int64))])
    return keep


def _rank(need: dict, index: mentor_index.MentorIndex, place: dict, keep: np.ndarray) -> np.ndarray:
    """The relevant entries' numbers, best first: ``_score`` for every entry at once.

    The need's relation to a practice depends on the practice's topics only, so it
    is worked out once per topic group; words, forms and place are posting masks.
    """
    kind, strength, off = _group_relations(need, index)
    group = index.group_of
    lemma_idf = {w: index.idf(w) for w in need["lemmas"]}
    presence = {w: _presence_array(w, need["near"].get(w, []), index) for w in need["lemmas"]}
    shared = sum(((presence[w] > 0).astype(np.int64) for w in need["lemmas"]), np.zeros(index.size, dtype=np.int64))
    share = sum((presence[w] * lemma_idf[w] for w in need["lemmas"]), np.zeros(index.size)) / (sum(lemma_idf.values()) or 1.0)
    subject_words = {w for t in _subject_need(need) for w in _own_subject_words(t)}
    lacks_subject_words = ~index.mask(index.by_word[w] for w in subject_words if w in index.by_word)
    off_subject = np.where(off[group] == _WORDS_DECIDE, lacks_subject_words, off[group] == _OFF)
    entry_kind, entry_strength = kind[group], strength[group]
    relevant = keep & ~off_subject & ((entry_kind != _NONE) | (shared >= 2) | ((shared >= 1) & (share >= 0.6)))
    score = np.select(
        [entry_kind == _EXACT, entry_kind == _NARROWER, entry_kind == _BROADER],
        [0.7 + 0.2 * share, 0.45 + 0.15 * entry_strength + 0.2 * share, 0.25 + 0.1 * entry_strength + 0.3 * share],
        0.1 + 0.5 * share,
    )
    need_forms = [label for f in need["forms"] if (label := vocabulary.pref_label("form", f)) in index.by_form]
    score += 0.05 * index.mask(index.by_form[label] for label in need_forms)
    in_municipality = index.place_mask(index.by_municipality, place["municipality"])
    in_region = index.place_mask(index.by_region, place["region"])
    score += np.where(in_municipality, 0.03, np.where(in_region, 0.01, 0.0))
    score = np.round(np.minimum(score, 1.0), 3)
    numbers = np.nonzero(relevant)[0]
    return numbers[np.lexsort((index.tiebreak[numbers], -score[numbers]))]


def _presence_array(word: str, near: list[tuple[str, float]], index: mentor_index.MentorIndex) -> np.ndarray:
    """``_presence`` for every entry at once."""
    out = index.mask([index.by_word.get(word, np.empty(0, dtype=np.int64))]).astype(np.float64)
    for other, similarity in near:
        out = np.maximum(out, similarity * index.mask([index.by_word[other]]))
    return out


_NONE, _EXACT, _NARROWER, _BROADER = 0, 1, 2, 3  # how a practice's topics relate to the need's
_ON, _OFF, _WORDS_DECIDE = 0, 1, 2  # off the need's subject? no, yes, or decided by the practice's words


def _group_relations(need: dict, index: mentor_index.MentorIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per topic group: the relation kind and strength of ``_relation``, and the ``_off_subject`` verdict.

    ``_relation`` takes the best pair of a need concept and a practice topic, so it
    is worked out for each concept once and the best over a group's concepts taken
    with array operations (the kinds' strengths do not overlap: exact 1.0, narrower
    0.65-0.8, broader 0.5-0.6)."""
    relations = [_relation(need["topics"], (concept,)) for concept in index.concepts]
    concept_strength = np.array([r[0] if r else 0.0 for r in relations] + [0.0])  # the last: padding
    concept_kind = np.array([_kind(r) for r in relations] + [_NONE], dtype=np.int64)
    matrix = index.group_concepts  # -1 pads, which picks the last entry above
    best = np.argmax(concept_strength[matrix], axis=1)
    chosen = matrix[np.arange(len(matrix)), best]
    strength, kind = concept_strength[chosen], concept_kind[chosen]
    subject_need = _subject_need(need)
    off = np.full(len(index.groups), _ON, dtype=np.int64)
    if subject_need:  # off when unrelated to the subject and of another subject; no subject: its words decide
        near_subject = np.array([_vouches(c, subject_need) for c in index.concepts] + [False])
        related = near_subject[matrix].any(axis=1)
        off = np.where(related, _ON, np.where(index.group_has_subject, _OFF, _WORDS_DECIDE))
    return kind, strength, off


def _kind(relation: tuple[float, str, str] | None) -> int:
    if relation is None:
        return _NONE
    if relation[0] == 1.0:
        return _EXACT
    return _NARROWER if relation[1] in ancestors(relation[2]) else _BROADER


@dataclass(frozen=True, slots=True)
class _Match:
    entry: mentor_index.Entry
    score: float
    relation: tuple[float, str, str] | None
    shared: list[str]
    similar: list[str]
    form_hit: list[str]
    near: str | None


@lru_cache(maxsize=4096)
def topic_lemmas(local: str) -> frozenset[str]:
    return frozenset(w for label in _scheme()["labels_ru"].get(local, ()) for w in content_lemmas(label))


def _off_subject(need: dict, topics: tuple[str, ...], words: frozenset[str]) -> bool:
    """The need names a subject or exam (химия) that the practice's topics do not reach."""
    subject_need = _subject_need(need)
    if not subject_need or any(_vouches(t, subject_need) for t in topics):
        return False
    if any(names_a_subject(t) for t in topics):
        return True  # the practice is about another subject
    return not any(_own_subject_words(s) & words for s in subject_need)


def _score(need: dict, entry: mentor_index.Entry, idf, place: dict) -> _Match | None:
    """How well one practice and holder answer the need, or None when it is not relevant."""
    if _off_subject(need, entry.topics, entry.words):
        return None
    rel = _relation(need["topics"], entry.topics)
    presence = {w: _presence(w, need["near"].get(w, []), entry.words) for w in need["lemmas"]}
    present = [w for w in need["lemmas"] if presence[w] > 0]
    share = sum(idf(w) * presence[w] for w in present) / (sum(idf(w) for w in need["lemmas"]) or 1.0)
    if rel is None and not (len(present) >= 2 or (present and share >= 0.6)):
        return None
    shared = [w for w in present if presence[w] == 1.0]
    similar = [f"{w} ≈ {_stand_in(need['near'][w], entry.words)}" for w in present if presence[w] < 1.0]
    need_forms = {vocabulary.pref_label("form", f) for f in need["forms"]}
    form_hit = [f for f in entry.forms if f in need_forms]
    near = _nearness(entry, place)
    score = _topic_score(rel, share) + 0.05 * bool(form_hit) + {"municipality": 0.03, "region": 0.01}.get(near, 0)
    return _Match(entry, round(min(score, 1.0), 3), rel, shared, similar, form_hit, near)


def _item(need: dict, match: _Match) -> dict:
    """The answer item (FORMAT.md) for one scored practice and holder."""
    entry = match.entry
    return {
        "holder": {"id": entry.holder, "name": entry.holder_name, "type": entry.holder_type},
        "organisation": ({"id": entry.organisation, "name": entry.organisation_name}
                         if entry.organisation and entry.organisation_name else None),
        "practice": {"id": entry.practice, "title": entry.title},
        "score": match.score,
        "model": entry.model or {"municipality": "direct", "region": "mediated"}.get(match.near, "network"),
        "forms": list(entry.forms),
        "why": _why(match.relation, match.shared, match.similar, match.form_hit),
        "evidence": _evidence(entry, need["lemmas"]),
    }


def _nearness(entry: mentor_index.Entry, place: dict) -> str | None:
    """"municipality" or "region" when the practice is in the consumer's, else None."""
    for key, value in (("municipality", entry.municipality_name), ("region", entry.region_name)):
        value = (value or "").lower()
        if place[key] and value and place[key] in value:
            return key
    return None


def _topic_score(rel: tuple[float, str, str] | None, share: float) -> float:
    """Exact topic > a narrower practice topic > a broader one > shared words only."""
    if rel and rel[0] == 1.0:
        return 0.7 + 0.2 * share
    if rel and rel[1] in ancestors(rel[2]):
        return 0.45 + 0.15 * rel[0] + 0.2 * share
    if rel:  # broader: the practice may be about anything under its topic
        return 0.25 + 0.1 * rel[0] + 0.3 * share
    return 0.1 + 0.5 * share


def _why(rel: tuple[float, str, str] | None, shared: list[str], similar: list[str], form_hit: list[str]) -> str:
    why = []
    if rel:
        kind = "тема совпадает" if rel[0] == 1.0 else (
            "тема практики уже" if rel[1] in ancestors(rel[2]) else "тема практики шире")
        why.append(f"{kind}: «{_label(rel[2])}»" + ("" if rel[0] == 1.0 else f" (запрос: «{_label(rel[1])}»)"))
    if shared:
        why.append("общие слова: " + ", ".join(shared))
    if similar:
        why.append("близкие по смыслу слова: " + ", ".join(similar))
    if form_hit:
        why.append("форма: " + ", ".join(form_hit))
    return "; ".join(why)


def _evidence(entry: mentor_index.Entry, need_lemmas: list[str]) -> list[dict]:
    """The quote that best shows the practice answers the need, with its source."""
    if not entry.evidence:
        return []

    def fit(record: tuple[str, str]):
        lemmas = set(content_lemmas(record[0][:600]))
        return (len(lemmas & set(need_lemmas)) + len(lemmas & entry.words), -len(record[0]))

    quote, source = max(entry.evidence, key=fit)
    return [{"source": source, "quote": quote}]
