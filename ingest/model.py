"""What extraction finds in one document, before it becomes RDF.

The extractor (``opyt.ingest.extract``) fills a ``DocumentFacts``; the graph
builder (``opyt.ingest.graph``) turns it into the document's named graph. Every
mention keeps the ``Span`` of text that justifies it, so each fact in the graph
can carry its evidence (character offsets into ``Document.text`` and the quote).
Organisations and persons are referred to by ``key`` within the document.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

OrganisationKind = Literal[
    "school", "kindergarten", "additional_education", "methodological_service",
    "education_authority", "institute", "university", "college", "other",
]
PracticeKind = Literal["project", "programme", "method", "product", "practice"]
Model = Literal["direct", "mediated", "network"]
Level = Literal["federal", "regional", "municipal", "school"]


@dataclass(frozen=True)
class Span:
    """``Document.text[start:end]`` is the quote (usually the whole sentence or table row)."""

    start: int
    end: int
    quote: str


@dataclass
class Organisation:
    key: str  # canonical name, unique within the document: «МАОУ «Кваркенская СОШ»»
    name: str
    kind: OrganisationKind = "other"
    legal_form: str | None = None  # "МАОУ"
    aliases: list[str] = field(default_factory=list)  # abbreviations and short names used in the text
    municipality: str | None = None  # «Кваркенский район»
    region: str | None = None  # «Оренбургская область»
    spans: list[Span] = field(default_factory=list)


@dataclass
class Person:
    key: str  # canonical «Фамилия И.О.»
    family_name: str
    initials: str  # «У.С.»
    full_name: str | None = None  # «Давыденко Светлана Викторовна»
    given_name: str | None = None
    patronymic: str | None = None
    organisation: str | None = None  # Organisation.key
    roles: list[str] = field(default_factory=list)  # as written: «учитель математики», «директор»
    spans: list[Span] = field(default_factory=list)


@dataclass
class Practice:
    title: str
    kind: PracticeKind = "practice"
    holders: list[str] = field(default_factory=list)  # Person.key or Organisation.key
    organisation: str | None = None  # Organisation.key
    forms: list[str] = field(default_factory=list)  # FORM local names: "masterClass"
    topics: list[str] = field(default_factory=list)  # TOPIC local names: "egeMathProfileTask18"
    keywords: list[str] = field(default_factory=list)
    model: Model | None = None
    model_span: Span | None = None  # the sentence that justifies the model
    level: Level | None = None
    level_span: Span | None = None
    when: str | None = None  # as written: «февраль», «2020-2024»
    spans: list[Span] = field(default_factory=list)


@dataclass
class Need:
    """A need for experience the document states («профессиональные дефициты педагогов в ...»)."""
    topics: list[str]  # TOPIC local names
    consumer: str  # Organisation.key: who has the need, as the document presents it
    span: Span  # the sentence stating it


@dataclass
class DocumentFacts:
    """Everything read from one document."""

    file_name: str
    sha256: str
    title: str | None = None
    genre: str | None = None  # "passport", "dissemination programme", "report", "development programme"
    region: str | None = None
    municipality: str | None = None
    organisations: list[Organisation] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
