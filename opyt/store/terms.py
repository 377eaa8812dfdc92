"""RDF terms across the boundary: rdflib outside, pyoxigraph inside.

Both backends convert through these functions, so a term reads back the same
whichever backend stored it. Converting to pyoxigraph also validates: an IRI
containing ``>`` or a space, or a malformed blank node label, raises
``ValueError`` here instead of reaching SPARQL text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from opyt.errors import InputError, QueryError
from opyt.namespace import PREFIXES

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
Bindings = Mapping[str, Node]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
VARIABLE_NAME = re.compile(r"\w+\Z")


def to_rdflib(term: OxTerm) -> URIRef | BNode | Literal:
    """Converts a pyoxigraph term; ``xsd:string`` literals become plain rdflib literals."""
    match term:
        case ox.NamedNode():
            return URIRef(term.value)
        case ox.BlankNode():
            return BNode(term.value)
        case ox.Literal(language=str()):
            return Literal(term.value, lang=term.language)
        case ox.Literal() if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        case ox.Literal():
            return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r} (RDF-star triples are not used by Opyt)")


def to_oxigraph(node: Node) -> OxTerm:
    """Converts an rdflib term. Raises ``ValueError`` for invalid IRIs, labels or language tags."""
    match node:
        case URIRef():
            return ox.NamedNode(str(node))
        case BNode():
            return ox.BlankNode(str(node))
        case Literal(language=str()):
            return ox.Literal(str(node), language=node.language)
        case Literal(datatype=URIRef()):
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        case Literal():
            return ox.Literal(str(node))
    raise ValueError(f"{node!r} is not an IRI, blank node or literal")


def named_node(iri: str) -> ox.NamedNode:
    """A graph name given by the caller, checked."""
    try:
        return ox.NamedNode(str(iri))
    except ValueError as error:
        raise InputError(f"{iri!r} is not a valid absolute IRI: {error}") from error


def iri_ref(iri: str) -> str:
    """``<iri>`` for SPARQL text; the IRI is checked first, so it cannot break out of the brackets."""
    return str(named_node(iri))


def new_graph() -> Graph:
    """An empty rdflib graph with Opyt's prefixes bound, for readable Turtle output."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def graph_from_triples(triples: Iterable[ox.Triple]) -> Graph:
    graph = new_graph()
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def oxigraph_bindings(bindings: Bindings | None) -> dict[str, OxTerm]:
    """Checks variable names and values of query bindings.

    Blank nodes are refused: SPARQL cannot name an existing blank node, and
    ``VALUES`` does not accept them.
    """
    return {_checked_variable(name): _bindable(name, value) for name, value in (bindings or {}).items()}


def values_clause(bindings: Mapping[str, OxTerm]) -> str:
    """A ``VALUES`` block that binds each variable to its term, as data.

    It starts and ends with a newline so that a comment on a neighbouring line
    cannot swallow it. Terms are written in canonical N-Triples form, which SPARQL
    reads as the same term and which escapes every quote, backslash and line break.
    """
    if not bindings:
        return ""
    variables = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"\nVALUES ({variables}) {{ ({terms}) }}\n"


_MASKED = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
_WHERE_BRACE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(sparql: str, bindings: Mapping[str, OxTerm]) -> str:
    """The query with a ``VALUES`` block binding ``bindings``.

    The block goes first inside the outermost ``WHERE {``, so the server joins
    the bound values before anything else, as a pre-binding would: a trailing
    ``VALUES`` is joined after grouping, which drops the filter on a variable
    that is not a group key and makes the server evaluate the query for every
    value first (minutes instead of milliseconds on a large store). A query
    without a ``WHERE {`` on one line gets the trailing block.
    """
    block = values_clause(bindings)
    position = _outer_where_brace(sparql)
    if not block or position is None:
        return sparql + block
    return sparql[:position] + block + sparql[position:]


def code_lines(sparql: str) -> Iterator[str]:
    """The query's lines with IRIs and strings blanked out and comments cut, same lengths up to a comment."""
    for line in sparql.splitlines(keepends=True):
        yield _MASKED.sub(lambda match: " " * len(match.group()), line).split("#", 1)[0]


def _outer_where_brace(sparql: str) -> int | None:
    """Offset just after the first ``WHERE {`` outside IRIs, strings and comments."""
    offset = 0
    for line, code in zip(sparql.splitlines(keepends=True), code_lines(sparql)):
        found = _WHERE_BRACE.search(code)
        if found:
            return offset + found.end()
        offset += len(line)
    return None


def _checked_variable(name: str) -> str:
    if not VARIABLE_NAME.match(name):
        raise QueryError(f"{name!r} is not a SPARQL variable name (give it without '?', e.g. 'topic')")
    return name


def _bindable(name: str, value: Node) -> OxTerm:
    if isinstance(value, BNode):
        raise QueryError(f"?{name} is bound to a blank node; bind an IRI or a literal")
    try:
        return to_oxigraph(value)
    except ValueError as error:
        raise QueryError(f"?{name} cannot be bound to {value!r}: {error}") from error
