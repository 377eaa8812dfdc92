"""The matching index: what ``find_mentors`` reads, rebuilt from the store, never the source of truth.

One :class:`Entry` per practice and holder, with posting lists (numpy arrays
of entry numbers) by lemma, form, model, level and place, and topic groups
(entries with the same topic concepts) reachable from every concept at or
above their topics, so that ``find_mentors`` scores all entries at once with
array operations instead of a Python loop over the catalogue.

The index is built from a handful of linear scans (``property-values``,
``instances``), joined in Python: at national scale that is far cheaper than
one SPARQL query joining every detail of every practice. It is cached per
store object and rebuilt when the store's document versions
(``document-versions``) change, checked at most every ``recheck_seconds``;
writers in the same process call :func:`invalidate`.
"""
from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np
from rdflib import RDFS, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV

from opyt import queries
from opyt.namespace import FORM, OPYT, TOPIC, local_name

RECHECK_SECONDS = 5.0
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    practice: str
    title: str
    holder: str
    holder_name: str
    holder_type: str  # "Person" or "Organisation"
    organisation: str | None
    organisation_name: str | None
    municipality_name: str | None
    region_name: str | None
    forms: tuple[str, ...]  # Russian labels
    topics: tuple[str, ...]  # local names in the topic scheme
    model: str | None  # local name
    level: str | None  # local name
    evidence: tuple[tuple[str, str], ...]  # (quote, source file name)
    words: frozenset[str]  # content lemmas of the title and the topic labels


class MentorIndex:
    """Entries with the arrays and posting lists that let a need be scored for all entries at once.

    Entries with the same topic concepts form a *topic group*: a need's relation
    to a practice depends on its topics only, so it is worked out once per group.
    """

    def __init__(self, entries: list[Entry], signature: str) -> None:
        from opyt.matching import ancestors, names_a_subject

        self.entries = entries
        self.signature = signature
        self.size = len(entries)
        group_ids: dict[tuple[str, ...], int] = {}
        self.group_of = np.array([group_ids.setdefault(e.topics, len(group_ids)) for e in entries], dtype=np.int64)
        self.groups = list(group_ids)
        self.group_has_subject = np.array([any(names_a_subject(t) for t in g) for g in self.groups], dtype=bool)
        # the groups' topics as concept numbers, one row per group, padded with -1
        self.concepts = sorted({t for g in self.groups for t in g})
        number_of = {concept: n for n, concept in enumerate(self.concepts)}
        width = max((len(g) for g in self.groups), default=0)
        self.group_concepts = np.full((len(self.groups), max(width, 1)), -1, dtype=np.int64)
        for row, topics in enumerate(self.groups):
            self.group_concepts[row, :len(topics)] = [number_of[t] for t in topics]
        self.under: dict[str, set[int]] = defaultdict(set)  # concept -> groups with it or a narrower concept
        self.exact: dict[str, set[int]] = defaultdict(set)  # concept -> groups with exactly it
        for number, topics in enumerate(self.groups):
            for topic in topics:
                self.exact[topic].add(number)
                for concept in {topic, *ancestors(topic)}:
                    self.under[concept].add(number)
        self.by_word = _postings((w, n) for n, e in enumerate(entries) for w in e.words)
        self.by_form = _postings((f, n) for n, e in enumerate(entries) for f in e.forms)
        self.by_model = _postings((e.model, n) for n, e in enumerate(entries) if e.model)
        self.by_level = _postings((e.level, n) for n, e in enumerate(entries) if e.level)
        self.by_municipality = _postings(((e.municipality_name or "").lower(), n) for n, e in enumerate(entries))
        self.by_region = _postings(((e.region_name or "").lower(), n) for n, e in enumerate(entries))
        practice_words = {e.practice: e.words for e in entries}
        self.practices = len(practice_words)
        self.df: dict[str, int] = defaultdict(int)
        for words in practice_words.values():
            for word in words:
                self.df[word] += 1
        order = sorted(range(self.size), key=lambda n: (entries[n].holder_type != "Person",
                                                        entries[n].holder_name, entries[n].title))
        self.tiebreak = np.empty(self.size, dtype=np.int64)
        self.tiebreak[order] = np.arange(self.size)

    def idf(self, word: str) -> float:
        return math.log(1 + max(self.practices, 1) / (1 + self.df.get(word, 0)))

    def mask(self, postings: Iterable[np.ndarray]) -> np.ndarray:
        """True for the entries in any of ``postings``."""
        out = np.zeros(self.size, dtype=bool)
        for numbers in postings:
            out[numbers] = True
        return out

    def place_mask(self, postings: dict[str, np.ndarray], place: str) -> np.ndarray:
        """Entries whose municipality (or region) name contains ``place`` (lower case)."""
        return self.mask(numbers for name, numbers in postings.items() if place and name and place in name)


def _postings(pairs: Iterable[tuple[str, int]]) -> dict[str, np.ndarray]:
    lists: dict[str, list[int]] = defaultdict(list)
    for key, number in pairs:
        lists[key].append(number)
    return {key: np.array(numbers, dtype=np.int64) for key, numbers in lists.items()}


# --- building ------------------------------------------------------------------------------------


def build(store) -> MentorIndex:
    """Read the catalogue with linear scans and join the entries in Python."""
    signature = store_signature(store)
    values = _PropertyReader(store)
    practices = _practice_iris(store)
    persons = _instances(store, FOAF.Person)
    labels = values.first(RDFS.label)
    titles = values.first(DCTERMS.title)
    holders = values.all(OPYT.holder)
    topics = values.all(OPYT.topic)
    forms = values.all(OPYT.form)
    models, levels = values.first(OPYT.model), values.first(OPYT.level)
    employer = values.first(ORG.memberOf)
    municipality, region = values.first(OPYT.municipality), values.first(OPYT.region)
    evidence = _evidence(values)
    entries = []
    for practice in sorted(practices):
        if practice not in titles:
            continue
        practice_topics = tuple(sorted(local_name(t) for t in topics.get(practice, ()) if t.startswith(str(TOPIC))))
        words = _words(titles[practice], practice_topics)
        for holder in sorted(holders.get(practice, ())):
            is_person = holder in persons
            organisation = employer.get(holder) if is_person else holder
            place = municipality.get(organisation) if organisation else None
            entries.append(Entry(
                practice=practice, title=titles[practice], holder=holder,
                holder_name=labels.get(holder, holder), holder_type="Person" if is_person else "Organisation",
                organisation=organisation, organisation_name=labels.get(organisation) if organisation else None,
                municipality_name=labels.get(place) if place else None,
                region_name=labels.get(region.get(place) or region.get(organisation or "")) if organisation else None,
                forms=_form_labels(forms.get(practice, ())), topics=practice_topics,
                model=local_name(models.get(practice)) or None, level=local_name(levels.get(practice)) or None,
                evidence=evidence.get(practice, ()), words=words,
            ))
    return MentorIndex(entries, signature)


class _PropertyReader:
    """``property-values`` scans, each value kept once per subject (a pair stated in two documents is one)."""

    def __init__(self, store) -> None:
        self.store = store
        self.query = queries.load("property-values")

    def pairs(self, prop: URIRef) -> Iterator[tuple[str, str]]:
        for _, subject, value in self.store.select_values(self.query.text, {"property": prop}):
            yield subject, value

    def first(self, prop: URIRef) -> dict[str, str]:
        """One value per subject: the smallest, so the choice does not depend on storage order."""
        out: dict[str, str] = {}
        for subject, value in self.pairs(prop):
            if subject not in out or value < out[subject]:
                out[subject] = value
        return out

    def all(self, prop: URIRef) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for subject, value in self.pairs(prop):
            out[subject].add(value)
        return out


def _instances(store, cls: URIRef) -> set[str]:
    return {instance for _, instance in store.select_values(queries.load("instances").text, {"class": cls})}


def _practice_iris(store) -> set[str]:
    """Instances of opyt:Practice and of each of its subclasses in the ontology."""
    from opyt.ontology import ontology_graph

    graph = ontology_graph(include_alignments=False)
    classes = set(graph.transitive_subjects(RDFS.subClassOf, OPYT.Practice))
    return set().union(*(_instances(store, cls) for cls in classes))


def _evidence(values: _PropertyReader) -> dict[str, tuple[tuple[str, str], ...]]:
    quotes = values.all(OPYT.quote)
    quoted_from = values.first(PROV.wasQuotedFrom)
    file_names = values.first(OPYT.fileName)
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for practice, nodes in values.all(OPYT.evidence).items():
        records = {(" ".join(q.split()), file_names.get(quoted_from.get(node, ""), ""))
                   for node in nodes for q in quotes.get(node, ()) if q.strip()}
        out[practice] = tuple(sorted(records))
    return out


def _form_labels(forms: Iterable[str]) -> tuple[str, ...]:
    from opyt.ingest import vocabulary

    prefix = str(FORM._NS)
    labels = (vocabulary.pref_label("form", f[len(prefix):]) for f in forms if f.startswith(prefix))
    return tuple(sorted(label for label in labels if label))


def _words(title: str, topics: tuple[str, ...]) -> frozenset[str]:
    from opyt.matching import content_lemmas, topic_lemmas

    words = set(content_lemmas(title))
    for topic in topics:
        words |= topic_lemmas(topic)
    return frozenset(words)



# --- freshness -----------------------------------------------------------------------------------


def store_signature(store) -> str:
    """A digest of every document's graph and SHA-256: changes with any ingest, replacement or removal.

    One index lookup per document (a few milliseconds for thousands); listing the
    named graphs would scan every quad. Writes that are not document ingests
    (``opyt load``) invalidate the index in the process that makes them."""
    digest = hashlib.sha256()
    for graph, document, sha256 in store.select_values(queries.load("document-versions").text):
        digest.update(f"{graph} {document} {sha256}\n".encode())
    return digest.hexdigest()


@dataclass
class _Cached:
    index: MentorIndex
    checked: float


_CACHE: "weakref.WeakKeyDictionary[object, _Cached]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def current(store, recheck_seconds: float = RECHECK_SECONDS) -> MentorIndex:
    """The store's index, rebuilt when missing or when the store's documents changed."""
    with _LOCK:
        cached = _CACHE.get(store)
        now = time.monotonic()
        if cached is not None and now - cached.checked < recheck_seconds:
            return cached.index
        if cached is not None and store_signature(store) == cached.index.signature:
            cached.checked = now
            return cached.index
        start = time.monotonic()
        index = build(store)
        _CACHE[store] = _Cached(index, time.monotonic())
        log.info("matching index built: %d entries from %d practices in %.1f s",
                 index.size, index.practices, time.monotonic() - start)
        return index


def invalidate(store) -> None:
    """Forget the store's index: the next query rebuilds it (call after writing to the store)."""
    with _LOCK:
        _CACHE.pop(store, None)
