"""Reading and writing RDF data for the store, the same way for both backends."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Literal as Choice

import pyoxigraph as ox
from rdflib import Graph

from opyt.errors import InputError
from opyt.namespace import PREFIXES
from opyt.store.terms import iri_ref, named_node, to_oxigraph

DumpFormat = Choice["nq", "trig"]
DUMP_FORMATS: dict[str, ox.RdfFormat] = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def rdf_format(name: str) -> ox.RdfFormat:
    """The format for a file extension (``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld``, ``rdf``) or media type."""
    found = ox.RdfFormat.from_extension(name.lstrip(".")) or ox.RdfFormat.from_media_type(name)
    if found is None:
        raise InputError(f"Unknown RDF format {name!r}: use ttl, nt, nq, trig, jsonld or rdf")
    return found


def parse_quads(data: bytes, format: str, graph_iri: str | None) -> Iterator[ox.Quad]:
    """Quads of ``data``, every one in a named graph.

    Triples outside a named graph (all of a Turtle file, the default graph of a
    TriG file) go into ``graph_iri``; without it they are an error. Blank nodes
    get fresh labels, so two files that both say ``_:b0`` do not merge. Parsing
    is lazy: errors surface while iterating, as ``InputError``.
    """
    syntax = rdf_format(format)
    target = named_node(graph_iri) if graph_iri is not None else None
    try:
        for quad in ox.parse(data, syntax, rename_blank_nodes=True):
            yield _in_named_graph(quad, target, syntax)
    except SyntaxError as error:
        raise InputError(f"Cannot read the {syntax.name} data: {error}") from error


def _in_named_graph(quad: ox.Quad, target: ox.NamedNode | None, syntax: ox.RdfFormat) -> ox.Quad:
    match quad.graph_name:
        case ox.NamedNode():
            return quad
        case ox.DefaultGraph() if target is not None:
            return ox.Quad(quad.subject, quad.predicate, quad.object, target)
        case ox.DefaultGraph():
            raise InputError(f"The {syntax.name} data has triples outside any named graph: pass the graph IRI to load them into")
    raise InputError(f"The {syntax.name} data names a graph with a blank node ({quad.graph_name}); name it with an IRI")


def ntriples(graph: Graph) -> bytes:
    """The whole graph as canonical N-Triples, built before any store is touched.

    An exception raised while iterating ``graph`` propagates unchanged; a term
    that is not valid RDF raises ``InputError``.
    """
    try:
        triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    except (ValueError, TypeError) as error:
        raise InputError(f"The graph holds a term that is not valid RDF: {error}") from error
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def graph_block(graph_iri: str, ntriples_text: str) -> str:
    """``GRAPH <g> { ... }`` for SPARQL ``INSERT DATA``; canonical N-Triples is valid there."""
    return f"GRAPH {iri_ref(graph_iri)} {{\n{ntriples_text}}}"


def insert_data(blocks: Iterable[str]) -> str:
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


def triples_by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name.value].append(quad.triple)
    return by_graph


def insert_quads(quads: Iterable[ox.Quad]) -> str:
    """One ``INSERT DATA`` update that adds all the quads (one transaction on the server)."""
    return insert_data(
        graph_block(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode())
        for graph, triples in triples_by_graph(quads).items()
    )


def serialize_dataset(quads: Iterable[ox.Quad], format: DumpFormat) -> bytes:
    if format not in DUMP_FORMATS:
        raise InputError(f"Cannot dump as {format!r}: use 'nq' or 'trig'")
    return ox.serialize(quads, format=DUMP_FORMATS[format], prefixes=PREFIXES)
