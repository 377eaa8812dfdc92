"""The Opyt ontology, its SKOS vocabularies, and a consistency check with HermiT.

The Turtle files are package data, read with :mod:`importlib.resources`, so they
are found wherever the package is installed:

- ``opyt.ttl``: classes and properties (``opyt:``), OWL 2 DL;
- ``alignments.ttl``: links to schema.org and VIVO, kept apart so the reasoner
  can be run with or without them;
- ``schemes.ttl``: the closed schemes of models, levels, roles and forms;
- ``topics.ttl``: the open topic scheme (subjects, exams and tasks, themes).
"""
from __future__ import annotations

import io
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from rdflib import Graph

from opyt.errors import ConfigurationError, OntologyInconsistent
from opyt.namespace import PREFIXES

ONTOLOGY_FILES = ("opyt.ttl", "alignments.ttl", "schemes.ttl", "topics.ttl")
VOCABULARY_FILES = ("schemes.ttl", "topics.ttl")
ONTOLOGY_IRI = "https://w3id.org/opyt/ontology"

_REASONER_LOCK = threading.Lock()


def read_text(name: str) -> str:
    """The text of one of the package's Turtle files, e.g. ``read_text("opyt.ttl")``."""
    if name not in ONTOLOGY_FILES:
        raise ValueError(f"unknown ontology file {name!r}; expected one of {', '.join(ONTOLOGY_FILES)}")
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def load(names: Sequence[str]) -> Graph:
    """The named Turtle files merged into a new graph, with Opyt's prefixes bound.

    Each file is parsed once per process; callers get their own copy to change.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for name in names:
        graph += _parsed(name)
    return graph


@cache
def _parsed(name: str) -> Graph:
    return Graph().parse(data=read_text(name), format="turtle")


def ontology_graph(include_alignments: bool = True) -> Graph:
    """The ontology and all vocabularies in one graph (what goes into ``GRAPH.ontology``)."""
    return load([n for n in ONTOLOGY_FILES if include_alignments or n != "alignments.ttl"])


def vocabulary_graph() -> Graph:
    """Only the SKOS concept schemes: models, levels, roles, forms and topics."""
    return load(VOCABULARY_FILES)


@dataclass(frozen=True)
class ReasonerReport:
    """What HermiT said about the ontology (and any data checked with it)."""

    consistent: bool
    classes: int
    properties: int
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        """Consistent and without unsatisfiable classes."""
        return self.consistent and not self.unsatisfiable


@contextmanager
def _private_tempdir() -> Iterator[None]:
    """Route owlready2's temporary files into a directory removed afterwards.

    owlready2 writes the ontology to a NamedTemporaryFile for Java and leaves it
    behind when HermiT reports an inconsistency; ``tempfile.tempdir`` is global,
    so it is changed only under a lock and restored at once.
    """
    with _REASONER_LOCK, tempfile.TemporaryDirectory(prefix="opyt-hermit-") as tmp:
        saved, tempfile.tempdir = tempfile.tempdir, tmp
        try:
            yield
        finally:
            tempfile.tempdir = saved


def check_consistency(extra: Graph | None = None, include_alignments: bool = True) -> ReasonerReport:
    """Run HermiT on the ontology, plus ``extra`` data if given, in a fresh in-memory owlready2 World.

    owlready2 does not read Turtle, so the graph goes to it as N-Triples. A
    disjointness or range violation makes the report ``consistent=False``;
    a missing or failing Java raises :class:`ConfigurationError`.
    """
    import owlready2  # slow to import, and only the reasoner needs it

    graph = ontology_graph(include_alignments)
    if extra is not None:
        graph += extra
    started = time.perf_counter()
    world = owlready2.World()  # no file name: the quadstore stays in memory
    try:
        world.get_ontology(ONTOLOGY_IRI + "#").load(fileobj=_ntriples(graph), format="ntriples")
        consistent, message = _reason(world)
        unsatisfiable = _unsatisfiable(world) if consistent else []
        if unsatisfiable:
            message = "unsatisfiable classes: " + ", ".join(unsatisfiable)
        return ReasonerReport(
            consistent=consistent,
            classes=len(list(world.classes())),
            properties=len(list(world.properties())),
            seconds=round(time.perf_counter() - started, 3),
            unsatisfiable=unsatisfiable,
            message=message,
        )
    finally:
        world.close()


def assert_consistent(extra: Graph | None = None, include_alignments: bool = True) -> ReasonerReport:
    """Like :func:`check_consistency`, but raise :class:`OntologyInconsistent` unless the report is ``ok``."""
    report = check_consistency(extra, include_alignments)
    if not report.ok:
        raise OntologyInconsistent(
            f"{report.message}. Find the individual typed with two disjoint classes (or the class that cannot "
            "have members) and correct its types or the property values that imply them."
        )
    return report


def _ntriples(graph: Graph) -> io.BytesIO:
    return io.BytesIO(graph.serialize(format="nt", encoding="utf-8"))


def _reason(world) -> tuple[bool, str]:
    """HermiT's verdict as (consistent, message).

    Literals outside the OWL 2 datatype map (xsd:date, xsd:gYear, which the
    catalogue uses for dates) are ignored rather than fatal to HermiT.
    """
    import owlready2

    try:
        with _private_tempdir():
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
    except owlready2.OwlReadyInconsistentOntologyError:
        return False, "HermiT found the ontology inconsistent"
    except FileNotFoundError as error:
        raise ConfigurationError(f"Java was not found ({error}). Install Java 11 or later and put `java` on PATH.") from error
    except owlready2.OwlReadyJavaError as error:
        detail = next((line for line in str(error).splitlines() if "Exception" in line), str(error))
        raise ConfigurationError(f"HermiT failed: {detail.strip()}. Check the Java installation and memory.") from error
    return True, "consistent"


def _unsatisfiable(world) -> list[str]:
    """IRIs of the classes HermiT found equivalent to owl:Nothing (owl:Nothing itself left out)."""
    import owlready2

    return sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
