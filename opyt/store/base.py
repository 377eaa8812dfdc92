"""The store interface shared by the embedded and the remote backend."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Self, TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from opyt.errors import QueryError, StoreError
from opyt.store.rdf import DumpFormat
from opyt.store.terms import Bindings, OxTerm, graph_from_triples, to_rdflib

GRAPH_NAMES = "SELECT ?g WHERE { GRAPH ?g {} FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query; a variable left unbound in a row maps to ``None``."""

    variables: list[str]
    rows: list[dict[str, Node | None]]


QueryOutcome = SelectResult | bool | Graph
Outcome = TypeVar("Outcome", SelectResult, bool, Graph)


class Store(ABC):
    """An RDF dataset of named graphs, queried with SPARQL.

    Opyt keeps one named graph per source document and the vocabulary in
    ``GRAPH.ontology``. Queries see the UNION of all graphs as their default
    graph, so a query needs no ``GRAPH`` clause to search the whole catalogue.
    The embedded backend asks Oxigraph for this per query; a remote endpoint must
    be configured for it (``oxigraph serve --union-default-graph``; Virtuoso and
    GraphDB do it by default; Fuseki needs ``tdb2:unionDefaultGraph true``).
    Updates are not affected: their default graph is the store's own, unnamed,
    default graph, so updates should name their graphs (``GRAPH <g> {...}``).

    ``graph_names``, ``count`` and ``dump`` cover the named graphs only; nothing
    in Opyt writes to the unnamed default graph.

    Query bindings are passed as data, never formatted into the query text:
    Oxigraph substitutes the values before evaluation; the remote backend puts a
    ``VALUES`` block first inside the outermost ``WHERE {``, which a server joins
    before anything else. A bound variable must be projected by the SELECT
    (Oxigraph refuses others) and must not be the target of a top-level BIND.
    """

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        """Runs a query of any form: rows for SELECT, a bool for ASK, a graph for CONSTRUCT/DESCRIBE."""
        return self._query(sparql, bindings)

    def select(self, sparql: str, bindings: Bindings | None = None) -> SelectResult:
        return _expect(self._query(sparql, bindings), SelectResult, "select() needs a SELECT query")

    def select_values(self, sparql: str, bindings: Bindings | None = None) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as tuples of lexical values (IRI or literal text; None when unbound), in the
        order of its variables: for bulk reads, where building rdflib terms costs more than the query."""
        result = self._raw_query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select_values() needs a SELECT query")
        width = len(result.variables)
        try:
            return [tuple(None if (term := solution[i]) is None else term.value for i in range(width))
                    for solution in result]
        except OSError as error:
            raise StoreError(f"Reading the query results failed: {error}") from error

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        return _expect(self._query(sparql, bindings), bool, "ask() needs an ASK query")

    def construct(self, sparql: str, bindings: Bindings | None = None) -> Graph:
        return _expect(self._query(sparql, bindings), Graph, "construct() needs a CONSTRUCT or DESCRIBE query")

    def graph_names(self) -> list[URIRef]:
        """Names of the graphs that hold at least one triple, sorted."""
        return sorted(row["g"] for row in self.select(GRAPH_NAMES).rows)

    def count(self) -> int:
        """Number of quads in the named graphs."""
        return int(self.select(COUNT_QUADS).rows[0]["n"])

    @abstractmethod
    def _query(self, sparql: str, bindings: Bindings | None) -> QueryOutcome:
        """Runs a query of any form over the union default graph."""

    @abstractmethod
    def _raw_query(self, sparql: str, bindings: Bindings | None) -> ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]:
        """The same, answered as pyoxigraph results."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Runs a SPARQL Update request, as one transaction."""

    @abstractmethod
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Makes ``graph`` the whole content of the named graph, atomically.

        If anything fails (reading ``graph``, invalid terms, the store), the
        named graph and the rest of the store stay as they were.
        """

    @abstractmethod
    def drop_graph(self, graph_iri: str) -> None:
        """Removes the named graph; dropping a graph that does not exist does nothing."""

    @abstractmethod
    def graph(self, graph_iri: str) -> Graph:
        """A copy of the named graph (empty if it does not exist)."""

    @abstractmethod
    def load(self, data: bytes, format: str, graph_iri: str | None = None, *, atomic: bool = True) -> None:
        """Adds RDF data to the store.

        ``format`` is a file extension (``ttl``, ``nt``, ``nq``, ``trig``,
        ``jsonld``, ``rdf``) or a media type. Triples outside a named graph go
        into ``graph_iri``, which is required for them. JSON-LD contexts must be
        inline (remote contexts are not fetched).

        With ``atomic=True`` the load is one transaction. ``atomic=False`` lets
        the embedded store use Oxigraph's bulk loader, several times faster for
        big files, but a failure midway leaves part of the data in the store.
        """

    @abstractmethod
    def dump(self, format: DumpFormat = "nq") -> bytes:
        """All named graphs as N-Quads or TriG."""

    @abstractmethod
    def close(self) -> None:
        """Releases the store (the embedded store's directory lock, the remote store's connections)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def query_outcome(result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]) -> QueryOutcome:
    """Converts a pyoxigraph query result, whichever backend produced it, into rdflib terms."""
    if isinstance(result, ox.QuerySolutions):
        return _select_result(result)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return graph_from_triples(result)


def _select_result(solutions: ox.QuerySolutions) -> SelectResult:
    variables = [variable.value for variable in solutions.variables]
    rows = [{name: _optional(solution[name]) for name in variables} for solution in solutions]
    return SelectResult(variables, rows)


def _optional(term: OxTerm | None) -> Node | None:
    return None if term is None else to_rdflib(term)


def _expect(outcome: QueryOutcome, kind: type[Outcome], message: str) -> Outcome:
    if not isinstance(outcome, kind):
        raise QueryError(message)
    return outcome
