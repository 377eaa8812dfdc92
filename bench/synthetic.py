"""A synthetic catalogue of a given size, shaped like what ingest produces.

Regions, municipalities, organisations, persons, practices with holders,
topics from the real topic scheme, forms, model, level and evidence, one named
graph per source document. Deterministic for a given seed.
"""
from __future__ import annotations

import hashlib
import random
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS

from opyt.namespace import FORM, GRAPH, ID, LEVEL, MODEL, OPYT, SCHEME, concepts

TRIPLES_PER_PRACTICE = 38  # measured average of distinct quads a practice, its holders and their organisations add
_KINDS = [OPYT.School, OPYT.School, OPYT.School, OPYT.Kindergarten, OPYT.MethodologicalService, OPYT.EducationAuthority]
_SURNAMES = ["Иванова", "Петров", "Сидорова", "Кузнецов", "Смирнова", "Попов", "Волкова", "Соколов", "Лебедева", "Козлов"]
_WORDS = ["метод", "модель", "технология", "практика", "система", "подготовка", "развитие", "оценка", "качество", "сеть"]


def topic_concepts() -> list[URIRef]:
    from opyt.ontology import ontology_graph

    return sorted(set(ontology_graph().subjects(SKOS.inScheme, SCHEME.topic)))


def _nq(s: URIRef, p: URIRef, o, g: URIRef) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n"


class SyntheticCatalogue:
    """Generates N-Quads lines for ``practices`` practices spread over documents and territories."""

    def __init__(self, practices: int, seed: int = 7) -> None:
        self.practices = practices
        self.rng = random.Random(seed)
        self.topics = topic_concepts()
        self.forms, self.models, self.levels = concepts(FORM), concepts(MODEL), concepts(LEVEL)
        self.regions = max(1, practices // 500)
        self.municipalities = max(2, practices // 20)
        self.organisations = max(4, practices // 2)
        self.documents = max(1, practices // 10)

    def quads(self) -> Iterator[str]:
        for number in range(self.practices):
            yield from self._practice(number)

    def _doc(self, number: int) -> tuple[URIRef, URIRef]:
        doc = number % self.documents
        return ID[f"doc/{doc}"], GRAPH[f"doc/{doc}"]

    def _practice(self, number: int) -> Iterator[str]:
        rng = self.rng
        doc, g = self._doc(number)
        if number < self.documents:
            yield from self._document(doc, g)
        practice = ID[f"practice/{number}"]
        organisation = self._organisation(rng.randrange(self.organisations), g)
        yield _nq(practice, RDF.type, OPYT.Practice, g)
        title = " ".join(rng.choice(_WORDS) for _ in range(6)) + f" {number}"
        yield _nq(practice, DCTERMS.title, Literal(title, lang="ru"), g)
        yield _nq(practice, OPYT.organisation, organisation[0], g)
        for _ in range(rng.choice((1, 1, 2))):
            person = rng.randrange(self.practices * 4 // 5 + 1)
            holder = ID[f"person/{person}"]
            yield _nq(practice, OPYT.holder, holder, g)
            employer = self._organisation(person % self.organisations, g)
            yield from self._person(holder, employer[0], g, doc)
            yield from employer[1]
        for concept in rng.sample(self.topics, rng.choice((1, 2))):
            yield _nq(practice, OPYT.topic, concept, g)
        yield _nq(practice, OPYT.form, rng.choice(self.forms), g)
        yield _nq(practice, OPYT.model, rng.choice(self.models), g)
        yield _nq(practice, OPYT.level, rng.choice(self.levels), g)
        yield _nq(practice, PROV.wasDerivedFrom, doc, g)
        evidence = ID[f"evidence/{number}"]
        yield _nq(practice, OPYT.evidence, evidence, g)
        yield _nq(evidence, RDF.type, OPYT.Evidence, g)
        yield _nq(evidence, OPYT.quote, Literal(f"Мастер-класс «{title}»"), g)
        yield _nq(evidence, OPYT.charStart, Literal(number % 5000), g)
        yield _nq(evidence, OPYT.charEnd, Literal(number % 5000 + 120), g)
        yield _nq(evidence, PROV.wasQuotedFrom, doc, g)
        yield _nq(evidence, PROV.wasDerivedFrom, doc, g)
        yield from organisation[1]

    def _document(self, doc: URIRef, g: URIRef) -> Iterator[str]:
        yield _nq(doc, RDF.type, OPYT.SourceDocument, g)
        yield _nq(doc, OPYT.fileName, Literal(f"document-{doc.split('/')[-1]}.docx"), g)
        yield _nq(doc, OPYT.sha256, Literal(hashlib.sha256(str(doc).encode()).hexdigest()), g)

    def _person(self, person: URIRef, organisation: URIRef, g: URIRef, doc: URIRef) -> Iterator[str]:
        surname = _SURNAMES[int(person.rsplit("/", 1)[1]) % len(_SURNAMES)]
        yield _nq(person, RDF.type, FOAF.Person, g)
        yield _nq(person, RDFS.label, Literal(f"{surname} А.Б."), g)
        yield _nq(person, FOAF.familyName, Literal(surname), g)
        yield _nq(person, ORG.memberOf, organisation, g)
        yield _nq(person, PROV.wasDerivedFrom, doc, g)

    def _organisation(self, number: int, g: URIRef) -> tuple[URIRef, list[str]]:
        """The organisation's IRI and its description, written into the document's graph as ingest does."""
        organisation = ID[f"org/{number}"]
        municipality = ID[f"municipality/{number % self.municipalities}"]
        region = ID[f"region/{number % self.municipalities % self.regions}"]
        lines = [
            _nq(organisation, RDF.type, ORG.Organization, g),
            _nq(organisation, RDF.type, _KINDS[number % len(_KINDS)], g),
            _nq(organisation, RDFS.label, Literal(f"МБОУ «СОШ № {number}»", lang="ru"), g),
            _nq(organisation, OPYT.municipality, municipality, g),
            _nq(municipality, RDFS.label, Literal(f"Район {number % self.municipalities}", lang="ru"), g),
            _nq(municipality, OPYT.region, region, g),
            _nq(region, RDFS.label, Literal(f"Область {number % self.municipalities % self.regions}", lang="ru"), g),
        ]
        return organisation, lines


def nquads(triples: int, seed: int = 7) -> bytes:
    """About ``triples`` quads (duplicates collapse in the store) as N-Quads bytes."""
    catalogue = SyntheticCatalogue(max(1, triples // TRIPLES_PER_PRACTICE), seed)
    return "".join(catalogue.quads()).encode("utf-8")
