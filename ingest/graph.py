"""Build a document's named graph from what extraction found (``DocumentFacts``).

IRIs are deterministic, so re-ingesting a document gives the same graph and
entities met in several documents resolve to one node (each document's graph
describes the node with what that document says; queries see the union):

==========================  ============================================================
document                    ``id:doc/<file slug>``, its graph ``graph:doc/<file slug>``:
                            the *file name* identifies a document, so a changed file
                            replaces its graph (the content's sha256 is kept as
                            ``opyt:sha256`` and tells an unchanged file)
region                      ``id:region/<name>``
municipality                ``id:municipality/<name>`` or ``id:municipality/<name>--<region>``
                            when the region is known (there are many «Кировский район»)
organisation                ``id:org/<normalised name>--<place>``: the name without legal
                            form, quotes and punctuation; the place is the region for
                            institutes and universities (one «ИРО Краснодарского края»
                            whichever district mentions it), else the municipality,
                            else the region, else the document's municipality or region,
                            else the document. An organisation with a municipality but
                            no region is placed in the document's region.
person                      ``id:person/<family name>-<initials>--<place>``: the place is
                            the municipality (of the person's organisation, else of the
                            document), else the organisation, else the region, else the
                            document; «Таженова У.С.», «У.С. Таженова» and «Таженова
                            Ульяна Сергеевна» resolve to one person in one municipality,
                            namesakes in two municipalities stay two
practice                    ``id:practice/<title>-<hash of title and holders>``
role                        ``id:role/<person>--<role type>-<hash of what it is in and title>``
evidence                    ``id:evidence/<file slug>/<start>-<end>``
==========================  ============================================================

A ``<slug>`` is lower-case ASCII: Cyrillic transliterated, anything else a
hyphen, cut to ``MAX_SLUG`` characters; a slug that lost information (cut, or
a name with no letters) gets a short hash of the original so that it stays unique.

Practices are identified by title *and* holders: the same title from two
documents with the same holders is one practice. Roles: a practice's person
holders get a role of type holder in it; each position a person has as written
(``Person.roles``) is a role in their organisation (else in the practices they
hold): head for «директор», «начальник», «заведующий», supervisor for «научный
руководитель» (in the practices they hold), staff otherwise.

Literals: names, titles and labels of organisations, territories and practices
are tagged ``@ru``; persons' names, quotes and times as written are plain
strings, as in ``samples/sample.ttl``; file name, digest, initials, legal form
and genre are ``xsd:string``.

Forms and topics are local names of the FORM and TOPIC concepts; an unknown
one is dropped with a warning (logged), as is a holder, member organisation or
practice organisation that names no organisation or person of the document.
"""
from __future__ import annotations

import hashlib
import logging
import re
from functools import cache
from typing import Iterable

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDFS, SKOS, XSD

from opyt.namespace import FORM, GRAPH, ID, LEVEL, MODEL, OPYT, PREFIXES, ROLE, SCHEME, TOPIC
from opyt.ingest.model import DocumentFacts, Need, Organisation, Person, Practice, Span

log = logging.getLogger(__name__)

MAX_SLUG = 60
HASH_LENGTH = 8
LANG = "ru"

ORGANISATION_CLASSES = {
    "school": OPYT.School,
    "kindergarten": OPYT.Kindergarten,
    "additional_education": OPYT.AdditionalEducationOrganisation,
    "methodological_service": OPYT.MethodologicalService,
    "education_authority": OPYT.EducationAuthority,
    "institute": OPYT.Institute,
    "university": OPYT.University,
    "college": OPYT.College,
}
# kinds whose organisations serve a whole region: identified by region, not by the district mentioning them
REGIONAL_KINDS = {"institute", "university"}
PRACTICE_CLASSES = {
    "project": OPYT.InnovationProject,
    "programme": OPYT.Programme,
    "method": OPYT.Method,
    "product": OPYT.Product,
    "practice": OPYT.Practice,
}
MODELS = {"direct": MODEL.direct, "mediated": MODEL.mediated, "network": MODEL.network}
LEVELS = {"federal": LEVEL.federal, "regional": LEVEL.regional, "municipal": LEVEL.municipal, "school": LEVEL.school}
# role as written -> role type; the first rule that matches wins, otherwise staff
ROLE_RULES = (
    (re.compile(r"научн\w*\s+руковод", re.IGNORECASE), ROLE.supervisor),
    (re.compile(r"директор|начальник|заведующ", re.IGNORECASE), ROLE.head),
)

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "і": "i", "ї": "i", "є": "e", "ў": "u",
})
_QUOTES = re.compile(r"[«»\"“”„'‘’`]")
_SPACES = re.compile(r"\s+")


# --- slugs and IRIs ---------------------------------------------------------------------------


def short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def slug(text: str, max_length: int = MAX_SLUG, *, hash_when_cut: bool = True) -> str:
    """Readable lower-case ASCII for ``text``: «Кваркенская СОШ» -> ``kvarkenskaia-sosh``.

    A long slug is cut at a word boundary; a slug cut short (unless
    ``hash_when_cut`` is false: the caller adds a hash of its own), or of a text
    without letters or digits, ends in a hash of the text so that two different
    texts do not share it.
    """
    ascii_text = text.lower().translate(_TRANSLIT)
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not result:
        return "x" + short_hash(text)
    if len(result) > max_length:
        cut = result[: max_length + 1]
        cut = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2:] else cut[:max_length]
        return cut.rstrip("-") + ("-" + short_hash(text) if hash_when_cut else "")
    return result


def file_slug(file_name: str) -> str:
    """The slug of a file name, keeping dots: ``kvarkensky-dissemination-program.txt`` as it is.

    A name that is not already such a slug (Cyrillic, spaces, capitals) is
    transliterated and gets a hash of the exact name, so that two files whose
    names transliterate alike stay two documents.
    """
    ascii_name = file_name.lower().translate(_TRANSLIT)
    result = re.sub(r"[^a-z0-9._-]+", "-", ascii_name).strip("-.") or "document"
    if result != file_name or len(result) > 2 * MAX_SLUG:
        result = result[: 2 * MAX_SLUG].rstrip("-.") + "-" + short_hash(file_name)
    return result


def document_iri(file_name: str) -> URIRef:
    return ID["doc/" + file_slug(file_name)]


def graph_iri(file_name: str) -> URIRef:
    """The named graph of the document with this file name."""
    return GRAPH["doc/" + file_slug(file_name)]


def normalise_name(name: str, legal_form: str | None = None) -> str:
    """An organisation's name for comparison: no legal form, quotes or punctuation; ё as е; lower case."""
    text = _SPACES.sub(" ", _QUOTES.sub(" ", name)).strip()
    if legal_form and text.lower().startswith(legal_form.lower() + " "):
        text = text[len(legal_form) + 1:]
    text = text.lower().replace("ё", "е")
    return _SPACES.sub(" ", re.sub(r"[^\w]+", " ", text)).strip() or name.lower()


def region_iri(name: str) -> URIRef:
    return ID["region/" + slug(name)]


def municipality_iri(name: str, region: str | None) -> URIRef:
    return ID["municipality/" + slug(name) + (f"--{slug(region)}" if region else "")]


def organisation_iri(organisation: Organisation, facts: DocumentFacts) -> URIRef:
    return ID[f"org/{slug(normalise_name(organisation.name, organisation.legal_form))}--{_organisation_place(organisation, facts)}"]


def _organisation_place(organisation: Organisation, facts: DocumentFacts) -> str:
    if organisation.kind in REGIONAL_KINDS:
        candidates = (organisation.region, organisation.municipality, facts.region, facts.municipality)
    else:
        candidates = (organisation.municipality, organisation.region, facts.municipality, facts.region)
    place = next((c for c in candidates if c and c.strip()), None)
    return slug(place) if place else "doc-" + file_slug(facts.file_name)


def organisation_region(organisation: Organisation, facts: DocumentFacts) -> str | None:
    """The organisation's region; an organisation with a municipality but no region is taken to lie
    in the document's region (municipal documents name partners from their own region).

    So the municipality node, whose IRI names its region, is the same whether or
    not the extractor repeated the region for each organisation, and an
    organisation never gets two municipalities from two documents. An
    organisation without a municipality gets no region by default: it may be federal.
    """
    if organisation.region:
        return organisation.region
    return facts.region if organisation.municipality else None


def person_iri(person: Person, facts: DocumentFacts, organisation: Organisation | None) -> URIRef:
    initials = "-".join(slug(part) for part in re.findall(r"\w+", person_initials(person)))
    name = slug(person.family_name) + (f"-{initials}" if initials else "")
    return ID[f"person/{name}--{_person_place(facts, organisation)}"]


def person_initials(person: Person) -> str:
    """«У.С.»: as extracted, else from the given name and patronymic."""
    if person.initials and person.initials.strip():
        return person.initials.strip()
    letters = [name.strip()[0].upper() for name in (person.given_name, person.patronymic) if name and name.strip()]
    return "".join(f"{letter}." for letter in letters)


def _person_place(facts: DocumentFacts, organisation: Organisation | None) -> str:
    if organisation is not None and organisation.municipality:
        return slug(organisation.municipality)
    if facts.municipality:
        return slug(facts.municipality)
    if organisation is not None:
        return "org-" + slug(normalise_name(organisation.name, organisation.legal_form))
    region = (organisation.region if organisation is not None else None) or facts.region
    if region:
        return slug(region)
    return "doc-" + file_slug(facts.file_name)


def practice_iri(practice: Practice, holders: Iterable[URIRef]) -> URIRef:
    title = _SPACES.sub(" ", _QUOTES.sub("", practice.title)).strip().lower().replace("ё", "е")
    return ID[f"practice/{slug(title, hash_when_cut=False)}-{short_hash(title, *sorted(map(str, holders)))}"]


def evidence_iri(facts: DocumentFacts, span: Span) -> URIRef:
    return ID[f"evidence/{file_slug(facts.file_name)}/{span.start}-{span.end}"]


def role_iri(agent: URIRef, role_type: URIRef, role_in: URIRef, title: str | None) -> URIRef:
    agent_part = str(agent).rsplit("/", 1)[-1]
    kind = str(role_type).rsplit("/", 1)[-1]
    return ID[f"role/{agent_part}--{kind}-{short_hash(str(role_in), title or '')}"]


def role_type(title: str) -> URIRef:
    """The role type of a position as written: head, supervisor, else staff."""
    for pattern, concept in ROLE_RULES:
        if pattern.search(title):
            return concept
    return ROLE.staff


# --- vocabulary -----------------------------------------------------------------------------


@cache
def known_forms() -> frozenset[str]:
    return frozenset(FORM.__annotations__)


@cache
def known_topics() -> frozenset[str]:
    """Local names of the concepts of the topic scheme (``ontology/topics.ttl``)."""
    from opyt.ontology import vocabulary_graph

    vocabulary = vocabulary_graph()
    return frozenset(
        str(concept)[len(str(TOPIC)):]
        for concept in vocabulary.subjects(SKOS.inScheme, SCHEME.topic)
        if str(concept).startswith(str(TOPIC))
    )


# --- building ----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, facts: DocumentFacts) -> None:
        self.facts = facts
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, Namespace(namespace))
        for prefix, namespace in {"dcterms": DCTERMS, "foaf": FOAF, "org": ORG, "prov": PROV, "skos": SKOS}.items():
            self.graph.bind(prefix, namespace)
        self.document = document_iri(facts.file_name)
        self.organisations: dict[str, URIRef] = {}
        self.persons: dict[str, URIRef] = {}

    def add(self, subject: URIRef, predicate: URIRef, value) -> None:
        self.graph.add((subject, predicate, value))

    def fact(self, subject: URIRef, rdf_type: URIRef, spans: Iterable[Span] = ()) -> None:
        self.add(subject, RDF.type, rdf_type)
        self.add(subject, PROV.wasDerivedFrom, self.document)
        for span in spans:
            evidence = self.evidence(span)
            if evidence is not None:
                self.add(subject, OPYT.evidence, evidence)

    def evidence(self, span: Span, justifies: URIRef | None = None) -> URIRef | None:
        """The evidence node of ``span``; None (and a warning) for a blank quote or impossible offsets."""
        if not span.quote.strip() or span.start < 0 or span.end < span.start:
            log.warning("%s: evidence %d-%d %r is blank or has impossible offsets; left out",
                        self.facts.file_name, span.start, span.end, span.quote[:40])
            return None
        node = evidence_iri(self.facts, span)
        if (node, RDF.type, OPYT.Evidence) not in self.graph:
            self.add(node, RDF.type, OPYT.Evidence)
            self.add(node, OPYT.quote, Literal(span.quote))
            self.add(node, OPYT.charStart, Literal(span.start))
            self.add(node, OPYT.charEnd, Literal(span.end))
            self.add(node, PROV.wasQuotedFrom, self.document)
            self.add(node, PROV.wasDerivedFrom, self.document)
        if justifies is not None:
            self.add(node, OPYT.justifies, justifies)
        return node

    def build(self) -> Graph:
        self.source_document()
        for organisation in self.facts.organisations:
            self.organisation(organisation)
        for person in self.facts.persons:
            self.person(person)
        for practice in self.facts.practices:
            self.practice(practice)
        for number, need in enumerate(self.facts.needs, start=1):
            self.need(need, number)
        return self.graph

    def source_document(self) -> None:
        facts = self.facts
        self.add(self.document, RDF.type, OPYT.SourceDocument)
        self.add(self.document, OPYT.fileName, Literal(facts.file_name, datatype=XSD.string))
        self.add(self.document, OPYT.sha256, Literal(facts.sha256, datatype=XSD.string))
        if facts.title and facts.title.strip():
            self.add(self.document, DCTERMS.title, Literal(facts.title.strip(), lang=LANG))
        if facts.genre:
            self.add(self.document, OPYT.genre, Literal(facts.genre, datatype=XSD.string))

    def region(self, name: str | None) -> URIRef | None:
        if not name or not name.strip():
            return None
        node = region_iri(name)
        self.add(node, RDF.type, OPYT.Region)
        self.add(node, RDFS.label, Literal(name.strip(), lang=LANG))
        self.add(node, PROV.wasDerivedFrom, self.document)
        return node

    def municipality(self, name: str | None, region: str | None) -> URIRef | None:
        if not name or not name.strip():
            return None
        node = municipality_iri(name, region)
        self.add(node, RDF.type, OPYT.Municipality)
        self.add(node, RDFS.label, Literal(name.strip(), lang=LANG))
        self.add(node, PROV.wasDerivedFrom, self.document)
        region_node = self.region(region)
        if region_node is not None:
            self.add(node, OPYT.region, region_node)
        return node

    def organisation(self, organisation: Organisation) -> None:
        node = organisation_iri(organisation, self.facts)
        self.organisations[organisation.key] = node
        self.fact(node, ORG.Organization, organisation.spans)
        kind_class = ORGANISATION_CLASSES.get(organisation.kind)
        if kind_class is not None:
            self.add(node, RDF.type, kind_class)
        self.add(node, RDFS.label, Literal((organisation.name.strip() or organisation.key.strip()), lang=LANG))
        for alias in organisation.aliases:
            if alias.strip() and alias.strip() != organisation.name.strip():
                self.add(node, SKOS.altLabel, Literal(alias.strip(), lang=LANG))
        if organisation.legal_form:
            self.add(node, OPYT.legalForm, Literal(organisation.legal_form, datatype=XSD.string))
        region_name = organisation_region(organisation, self.facts)
        municipality = self.municipality(organisation.municipality, region_name)
        if municipality is not None:
            self.add(node, OPYT.municipality, municipality)
        region = self.region(region_name)
        if region is not None:
            self.add(node, OPYT.region, region)

    def _organisation_of(self, key: str | None, what: str) -> tuple[Organisation | None, URIRef | None]:
        if key is None:
            return None, None
        organisation = next((o for o in self.facts.organisations if o.key == key), None)
        if organisation is None:
            log.warning("%s: %s names an organisation %r the document does not describe; left out",
                        self.facts.file_name, what, key)
            return None, None
        return organisation, self.organisations[key]

    def person(self, person: Person) -> None:
        organisation, organisation_node = self._organisation_of(person.organisation, f"person {person.key!r}")
        node = person_iri(person, self.facts, organisation)
        self.persons[person.key] = node
        self.fact(node, FOAF.Person, person.spans)
        label = person.key.strip() or " ".join(filter(None, [person.family_name.strip(), person_initials(person)]))
        self.add(node, RDFS.label, Literal(label))
        self.add(node, FOAF.familyName, Literal(person.family_name.strip()))
        initials = person_initials(person)
        if initials:
            self.add(node, OPYT.initials, Literal(initials, datatype=XSD.string))
        if person.full_name:
            self.add(node, FOAF.name, Literal(person.full_name.strip()))
        if person.given_name:
            self.add(node, FOAF.givenName, Literal(person.given_name.strip()))
        if person.patronymic:
            self.add(node, OPYT.patronymic, Literal(person.patronymic.strip()))
        if organisation_node is not None:
            self.add(node, ORG.memberOf, organisation_node)

    def practice(self, practice: Practice) -> None:
        if not practice.title.strip():
            log.warning("%s: a practice without a title; left out", self.facts.file_name)
            return
        holders = []
        for key in practice.holders:
            holder = self.persons.get(key) or self.organisations.get(key)
            if holder is None:
                log.warning("%s: practice %r names a holder %r the document does not describe; left out",
                            self.facts.file_name, practice.title, key)
            elif holder not in holders:
                holders.append(holder)
        node = practice_iri(practice, holders)
        self.fact(node, PRACTICE_CLASSES.get(practice.kind, OPYT.Practice), practice.spans)
        self.add(node, DCTERMS.title, Literal(practice.title.strip(), lang=LANG))
        for holder in holders:
            self.add(node, OPYT.holder, holder)
        _, organisation_node = self._organisation_of(practice.organisation, f"practice {practice.title!r}")
        if organisation_node is not None:
            self.add(node, OPYT.organisation, organisation_node)
        self.concepts(node, OPYT.form, FORM._NS, practice.forms, known_forms(), "form", practice)
        self.concepts(node, OPYT.topic, TOPIC, practice.topics, known_topics(), "topic", practice)
        for keyword in practice.keywords:
            if keyword.strip():
                self.add(node, OPYT.keyword, Literal(keyword.strip(), lang=LANG))
        if practice.model is not None:
            self.justified(node, OPYT.model, MODELS, practice.model, practice.model_span, practice)
        if practice.level is not None:
            self.justified(node, OPYT.level, LEVELS, practice.level, practice.level_span, practice)
        if practice.when:
            self.add(node, OPYT.when, Literal(practice.when))
        for holder in holders:
            if (holder, RDF.type, FOAF.Person) in self.graph:
                self.role(holder, ROLE.holder, node, None)

    def need(self, need: Need, number: int) -> None:
        """A need the document states, numbered in document order (its IRI names the document)."""
        _, consumer = self._organisation_of(need.consumer, f"need {need.span.quote[:40]!r}")
        topics = [t for t in need.topics if t in known_topics()]
        if consumer is None or not topics:
            return
        node = ID[f"need/{file_slug(self.facts.file_name)}-{number}"]
        self.fact(node, OPYT.Need, [need.span])
        self.add(node, OPYT.consumer, consumer)
        self.add(node, DCTERMS.description, Literal(" ".join(need.span.quote.split()), lang=LANG))
        for topic in topics:
            self.add(node, OPYT.topic, TOPIC[topic])

    def concepts(self, node, predicate, namespace, names, known, what, practice) -> None:
        for name in names:
            if name in known:
                self.add(node, predicate, URIRef(str(namespace) + name))
            else:
                log.warning("%s: practice %r: unknown %s %r; left out", self.facts.file_name, practice.title, what, name)

    def justified(self, node, predicate, concepts, value, span, practice) -> None:
        concept = concepts.get(value)
        if concept is None:
            log.warning("%s: practice %r: unknown %s %r; left out",
                        self.facts.file_name, practice.title, predicate.rsplit("#", 1)[-1], value)
            return
        self.add(node, predicate, concept)
        evidence = self.evidence(span, justifies=predicate) if span is not None else None
        if evidence is not None:
            self.add(node, OPYT.evidence, evidence)

    def role(self, agent: URIRef, kind: URIRef, role_in: URIRef, title: str | None) -> None:
        node = role_iri(agent, kind, role_in, title)
        self.fact(node, OPYT.Role)
        self.add(node, OPYT.roleType, kind)
        self.add(node, OPYT.roleIn, role_in)
        if title:
            self.add(node, OPYT.roleTitle, Literal(title))
        self.add(agent, OPYT.hasRole, node)

    def person_roles(self) -> None:
        """One role per position as written: in the person's organisation, else in the practices they hold."""
        for person in self.facts.persons:
            agent = self.persons[person.key]
            held = sorted(set(self.graph.subjects(OPYT.holder, agent)))
            organisation = self.organisations.get(person.organisation) if person.organisation else None
            targets = [organisation] if organisation is not None else held
            for title in dict.fromkeys(t.strip() for t in person.roles if t.strip()):
                kind = role_type(title)
                if kind == ROLE.supervisor and held:
                    role_targets = held
                else:
                    role_targets = targets
                if not role_targets:
                    log.info("%s: role %r of %r is in no organisation or practice; left out",
                             self.facts.file_name, title, person.key)
                for target in role_targets:
                    self.role(agent, kind, target, title)


def build_graph(facts: DocumentFacts) -> Graph:
    """The content of the document's named graph (see the module docstring for the IRIs)."""
    builder = _Builder(facts)
    builder.build()
    builder.person_roles()
    return builder.graph
