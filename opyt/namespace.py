"""Opyt's vocabularies as closed namespaces, so that a mistyped term fails at once.

``OPYT`` holds the classes and properties of the ontology (``ontology/opyt.ttl``);
``MODEL``, ``LEVEL``, ``ROLE`` and ``FORM`` hold the concepts of the closed SKOS
schemes (``ontology/schemes.ttl``). Topics form an open scheme that grows with
the catalogue, so ``TOPIC`` is an ordinary namespace. ``ID`` mints the IRIs of
things the catalogue describes and ``GRAPH`` the IRIs of named graphs.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/opyt/"


class OPYT(DefinedNamespace):
    """Classes and properties of the Opyt ontology."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes: what the documents describe
    Practice: URIRef  # innovative experience that can be passed on
    InnovationProject: URIRef  # a project or innovation site (КИП, РИП, МИП, ФИП)
    Programme: URIRef  # a programme (e.g. a dissemination or development programme)
    Method: URIRef  # a method, technique or technology
    Product: URIRef  # a methodical product: recommendations, manual, collection
    DisseminationEvent: URIRef  # a master class, seminar, internship... where a practice is shown
    Role: URIRef  # an agent's role in a practice or organisation, with a time span
    Need: URIRef  # a consumer's need on a topic
    SourceDocument: URIRef  # a document the catalogue was read from
    Evidence: URIRef  # a quoted span of a source document that supports a fact
    Territory: URIRef
    Region: URIRef  # subject of the federation: край, область, республика
    Municipality: URIRef  # district or city
    # kinds of organisation (all are org:Organization)
    EducationalOrganisation: URIRef
    School: URIRef
    Kindergarten: URIRef
    AdditionalEducationOrganisation: URIRef
    MethodologicalService: URIRef
    EducationAuthority: URIRef
    Institute: URIRef
    University: URIRef
    College: URIRef

    # properties of practices and events
    holder: URIRef  # practice/event -> person or organisation holding the experience
    organisation: URIRef  # practice -> the organisation where it was made
    form: URIRef  # -> concept of the dissemination form scheme
    topic: URIRef  # -> concept of the topic scheme
    model: URIRef  # -> concept of the dissemination model scheme
    level: URIRef  # -> concept of the level scheme
    period: URIRef  # literal period as written, e.g. "2020-2024"
    when: URIRef  # literal time as written, e.g. "февраль"
    disseminates: URIRef  # event -> practice
    keyword: URIRef  # literal keyword as written
    # roles
    hasRole: URIRef  # agent -> role
    roleType: URIRef  # role -> concept of the role scheme
    roleIn: URIRef  # role -> practice, event or organisation
    roleTitle: URIRef  # literal position as written: "учитель математики"
    startDate: URIRef
    endDate: URIRef
    # persons
    patronymic: URIRef
    initials: URIRef  # "У.С."
    # organisations and territories
    legalForm: URIRef  # "МАОУ", "МБУ", ...
    municipality: URIRef  # organisation -> municipality
    region: URIRef  # organisation or municipality -> region
    # needs
    consumer: URIRef  # need -> person or organisation that has it
    # provenance and evidence
    evidence: URIRef  # fact -> evidence
    quote: URIRef  # evidence -> the quoted sentence
    charStart: URIRef  # evidence -> offset of the first character in the document text
    charEnd: URIRef  # evidence -> offset after the last character
    justifies: URIRef  # evidence -> the property whose value it justifies (e.g. opyt:model)
    fileName: URIRef
    sha256: URIRef
    genre: URIRef


class _ClosedScheme(DefinedNamespace):
    _fail = True
    _underscore_num = True


class MODEL(_ClosedScheme):
    """Dissemination models, as defined in the Kvarken dissemination programme."""

    _NS = Namespace(BASE + "concept/model/")
    direct: URIRef
    mediated: URIRef
    network: URIRef


class LEVEL(_ClosedScheme):
    """Levels at which experience is recognised and spread."""

    _NS = Namespace(BASE + "concept/level/")
    federal: URIRef
    regional: URIRef
    municipal: URIRef
    school: URIRef


class ROLE(_ClosedScheme):
    """Roles an agent plays in a practice, event or organisation."""

    _NS = Namespace(BASE + "concept/role/")
    holder: URIRef  # author, creator, bearer of the experience
    supervisor: URIRef  # scientific supervisor
    organiser: URIRef  # organiser of dissemination
    consumer: URIRef  # recipient of the experience
    mentor: URIRef
    head: URIRef  # director, head of an organisation
    staff: URIRef  # teacher, methodist or other staff member


class FORM(_ClosedScheme):
    """Forms in which experience is passed on (формы тиражирования)."""

    _NS = Namespace(BASE + "concept/form/")
    masterClass: URIRef
    internship: URIRef
    internshipSite: URIRef
    seminar: URIRef
    seminarPracticum: URIRef
    webinar: URIRef
    conference: URIRef
    pedagogicalWorkshop: URIRef
    pedagogicalLaboratory: URIRef
    pedagogicalReadings: URIRef
    openLesson: URIRef
    trainingCourse: URIRef
    mentoring: URIRef
    publication: URIRef
    methodicalManual: URIRef
    competition: URIRef
    festival: URIRef
    businessGame: URIRef
    distanceLearning: URIRef
    roundTable: URIRef
    consultation: URIRef


SCHEME = Namespace(BASE + "concept/")  # scheme IRIs: SCHEME.model, SCHEME.level, SCHEME.topic...
TOPIC = Namespace(BASE + "concept/topic/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ONTOLOGY_GRAPH = GRAPH.ontology

PREFIXES = {
    "opyt": str(OPYT._NS),
    "model": str(MODEL._NS),
    "level": str(LEVEL._NS),
    "role": str(ROLE._NS),
    "form": str(FORM._NS),
    "topic": str(TOPIC),
    "id": str(ID),
}


def local_name(iri) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``): «…/topic/egeMath» → «egeMath»; "" for None."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if iri else ""


def concepts(scheme: type[DefinedNamespace]) -> list[URIRef]:
    """Every term of a closed namespace, in declaration order."""
    return [scheme[name] for name in scheme.__annotations__]
