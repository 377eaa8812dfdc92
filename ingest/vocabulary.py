"""Forms, topics, models and levels found in text through the SKOS schemes.

The dictionary is the ontology itself (``opyt.ontology.ontology_graph()``): every
Russian prefLabel and altLabel of the form, topic, model and level schemes is
lemmatised with pymorphy3 once per process, and text is matched as sequences of
lemmas (longest match first), so «мастер-классов», «семинаров-практикумов» or
«в муниципальном образовании» find their concepts in any grammatical case.

Exam tasks get a rule of their own, because people write the number in many ways
(«задания 18», «по заданию № 18», «восемнадцатого задания», «18 задание»): the
task number is read from the text and looked up by ``skos:notation`` under the
exam concept (ЕГЭ по математике профильного уровня, ОГЭ по русскому языку...)
the same text mentions.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from opyt.namespace import FORM, LEVEL, MODEL, TOPIC

_LOCK = threading.RLock()
_MORPH: pymorphy3.MorphAnalyzer | None = None
_INDEX: "_Index | None" = None

WORD = re.compile(r"[А-ЯЁа-яёA-Za-z0-9]+(?:-[А-ЯЁа-яёA-Za-z0-9]+)*")


def morph() -> pymorphy3.MorphAnalyzer:
    """The process-wide pymorphy3 analyser (built on first use)."""
    global _MORPH
    if _MORPH is None:
        with _LOCK:
            if _MORPH is None:
                _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The normal form of one word, lower-cased, ё as е; abbreviations stay as written (lower-cased)."""
    w = word.replace("ё", "е").replace("Ё", "Е")
    if len(w) > 1 and w.isupper():
        # a word in capitals for emphasis («РАЗВИТИЯ») is a word; an abbreviation («МБОУ», «ЕГЭ») stays
        low = w.lower()
        return _lemma_one(low) if len(low) >= 5 and "-" not in low and morph().word_is_known(low) else low
    parts = w.lower().split("-")
    if len(parts) > 1:
        return "-".join(_lemma_one(p) for p in parts)
    return _lemma_one(parts[0])


def _lemma_one(w: str) -> str:
    if not w or not re.search("[а-я]", w):
        return w
    return morph().parse(w)[0].normal_form.replace("ё", "е")


@dataclass(frozen=True)
class Token:
    text: str
    lemma: str
    start: int
    end: int


def tokens(text: str, offset: int = 0) -> list[Token]:
    return [Token(m.group(), lemma(m.group()), m.start() + offset, m.end() + offset)
            for m in WORD.finditer(text)]


@dataclass(frozen=True)
class Match:
    scheme: str  # "form", "topic", "model", "level"
    concept: str  # local name: "masterClass"
    label: str
    start: int
    end: int


class _Index:
    def __init__(self) -> None:
        from opyt.ontology import ontology_graph

        graph = ontology_graph(include_alignments=False)
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, str, str]]] = {}
        self.pref: dict[tuple[str, str], str] = {}
        self.tasks: dict[tuple[str, str], str] = {}  # (exam local name, notation) -> task local name
        self.broader: dict[str, set[str]] = {}
        schemes = {"form": str(FORM._NS), "model": str(MODEL._NS), "level": str(LEVEL._NS),
                   "topic": str(TOPIC)}
        for scheme, ns in schemes.items():
            for concept in set(graph.subjects(SKOS.prefLabel, None)):
                iri = str(concept)
                if not iri.startswith(ns):
                    continue
                local = iri[len(ns):]
                for prop in (SKOS.prefLabel, SKOS.altLabel):
                    for label in graph.objects(concept, prop):
                        if not isinstance(label, Literal) or label.language != "ru":
                            continue
                        if prop == SKOS.prefLabel:
                            self.pref[(scheme, local)] = str(label)
                        lemmas = tuple(t.lemma for t in tokens(str(label)))
                        if lemmas:
                            self.by_first.setdefault(lemmas[0], []).append((lemmas, scheme, local, str(label)))
                if scheme == "topic":
                    self.broader[local] = {str(b)[len(ns):] for b in graph.objects(concept, SKOS.broader)}
                    for notation in graph.objects(concept, SKOS.notation):
                        for parent in self.broader[local]:
                            self.tasks[(parent, str(notation))] = local
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))


def index() -> _Index:
    global _INDEX
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                _INDEX = _Index()
    return _INDEX


def pref_label(scheme: str, local: str) -> str | None:
    """The Russian prefLabel of a concept: ``pref_label("form", "masterClass") == "мастер-класс"``."""
    return index().pref.get((scheme, local))


def find(text: str, schemes: tuple[str, ...] = ("form", "topic", "model", "level"),
         offset: int = 0) -> list[Match]:
    """Concepts whose labels occur in ``text`` (longest, non-overlapping matches)."""
    idx = index()
    toks = tokens(text, offset)
    out: list[Match] = []
    i = 0
    while i < len(toks):
        best = None
        for lemmas, scheme, local, label in idx.by_first.get(toks[i].lemma, ()):
            if scheme not in schemes:
                continue
            n = len(lemmas)
            if tuple(t.lemma for t in toks[i:i + n]) == lemmas:
                if best is None or n > best[0]:
                    best = (n, scheme, local, label)
        if best:
            n, scheme, local, label = best
            out.append(Match(scheme, local, label, toks[i].start, toks[i + n - 1].end))
            i += n
        else:
            i += 1
    return out


def forms(text: str) -> list[str]:
    return unique(m.concept for m in find(text, ("form",)))


ORDINALS = {
    "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "десятый": 10, "одиннадцатый": 11, "двенадцатый": 12,
    "тринадцатый": 13, "четырнадцатый": 14, "пятнадцатый": 15, "шестнадцатый": 16,
    "семнадцатый": 17, "восемнадцатый": 18, "девятнадцатый": 19, "двадцатый": 20,
}
TASK_WORD = {"задание", "задача"}


def task_numbers(text: str) -> list[str]:
    """Exam task numbers written in ``text``: «задания 18», «заданию № 18», «18 задание», «восемнадцатого задания»."""
    toks = tokens(text)
    numbers: list[str] = []
    for i, tok in enumerate(toks):
        if tok.lemma not in TASK_WORD:
            continue
        after = toks[i + 1] if i + 1 < len(toks) else None
        before = toks[i - 1] if i else None
        gap = text[tok.end:after.start] if after else ""
        if after and after.text.isdigit() and re.fullmatch(r"\s*(?:№\s*)?", gap):
            numbers.append(after.text)
        elif before and before.text.isdigit() and re.fullmatch(r"\s*", text[before.end:tok.start]):
            numbers.append(before.text)
        elif before and before.lemma.replace("ё", "е") in ORDINALS:
            numbers.append(str(ORDINALS[before.lemma]))
    return unique(numbers)


def topics(text: str) -> list[str]:
    """Topic concepts of a title or row, exam tasks resolved by their number."""
    idx = index()
    found = [m.concept for m in find(text, ("topic",))]
    numbers = task_numbers(text)
    if numbers:
        exams = [c for c in found if any((c, n) in idx.tasks for n in numbers)]
        # the most specific exam mentioned: one that is not broader than another found exam
        exams = [e for e in exams if not any(e in _ancestors(o) for o in exams if o != e)] or exams
        for exam in exams:
            for n in numbers:
                task = idx.tasks.get((exam, n))
                if task:
                    found.append(task)
    # keep the most specific concepts: drop a concept that is an ancestor of another found one
    distinct = unique(found)
    return [c for c in distinct if not any(c in _ancestors(o) for o in distinct if o != c)]


def _ancestors(local: str) -> set[str]:
    idx = index()
    seen: set[str] = set()
    stack = list(idx.broader.get(local, ()))
    while stack:
        b = stack.pop()
        if b not in seen:
            seen.add(b)
            stack.extend(idx.broader.get(b, ()))
    return seen


def models(text: str, offset: int = 0) -> list[Match]:
    return find(text, ("model",), offset)


def levels(text: str, offset: int = 0) -> list[Match]:
    return find(text, ("level",), offset)


def unique(items) -> list:
    """The items in their first order, without repeats."""
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
