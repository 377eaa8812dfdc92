"""``/rdf-graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect identification).

``?graph=IRI`` names a graph; ``?default`` is the default graph, which in this
service is the union of all named graphs (see ``Store``), so it can be read
but not written. GET is open to anyone; PUT (replace), POST (merge) and DELETE
need ``Authorization: Bearer <OPYT_TOKEN>``. Bodies are Turtle, N-Triples or
JSON-LD (inline contexts only: nothing is fetched), read with Oxigraph's parsers.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from rdflib import Graph

from opyt.errors import InputError
from opyt.service.conneg import negotiate
from opyt.service.deps import Problem, SettingsDep, StoreDep, TokenDep
from opyt.service.sparql import GRAPH_FORMATS, check_size, media_type, serialize_graph, unsupported
from opyt.store.rdf import ntriples, parse_quads
from opyt.store.terms import graph_from_triples, iri_ref, named_node

router = APIRouter(prefix="/rdf-graph-store", tags=["graph store"])

BODY_FORMATS = ["text/turtle", "application/n-triples", "application/ld+json"]
UNION_OF_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


class Target:
    """The graph a request names: exactly one of ``graph=IRI`` and ``default``."""

    def __init__(self, request: Request) -> None:
        params = request.query_params
        if ("graph" in params) == ("default" in params):
            raise InputError("name the graph with exactly one of ?graph=<IRI> and ?default")
        self.iri = params.get("graph")
        if self.iri is not None:
            named_node(self.iri)  # a malformed IRI is a 400 now, not a store error later


TargetDep = Annotated[Target, Depends(Target)]
AcceptHeader = Annotated[str | None, Header()]


@router.get("")
def get_graph(target: TargetDep, store: StoreDep, settings: SettingsDep, accept: AcceptHeader = None) -> Response:
    media = negotiate(accept, list(GRAPH_FORMATS))
    graph = store.construct(UNION_OF_ALL) if target.iri is None else store.graph(target.iri)
    if target.iri is not None and len(graph) == 0:
        raise Problem(404, "Not Found", f"the store has no graph <{target.iri}>")
    check_size(graph, settings.result_limit)
    return Response(serialize_graph(graph, media), media_type=media)


@router.put("", dependencies=[TokenDep])
async def put_graph(request: Request, target: TargetDep, store: StoreDep) -> Response:
    """Replaces the graph's content: 201 when it did not exist, 204 when it did."""
    iri = writable(target)
    graph = await read_body(request, iri)
    existed = await run_in_threadpool(graph_exists, store, iri)
    await run_in_threadpool(store.replace_graph, iri, graph)
    return Response(status_code=204 if existed else 201)


@router.post("", dependencies=[TokenDep])
async def post_graph(request: Request, target: TargetDep, store: StoreDep) -> Response:
    """Adds the triples to the graph (RDF merge): 201 when it did not exist, 204 when it did."""
    iri = writable(target)
    graph = await read_body(request, iri)
    existed = await run_in_threadpool(graph_exists, store, iri)
    await run_in_threadpool(store.load, ntriples(graph), "nt", iri)
    return Response(status_code=204 if existed else 201)


@router.delete("", dependencies=[TokenDep])
def delete_graph(target: TargetDep, store: StoreDep) -> Response:
    """Drops the graph: 204, or 404 when the store has no such graph."""
    iri = writable(target)
    if not graph_exists(store, iri):
        raise Problem(404, "Not Found", f"the store has no graph <{iri}>")
    store.drop_graph(iri)
    return Response(status_code=204)


def writable(target: Target) -> str:
    if target.iri is None:
        raise Problem(405, "Method Not Allowed",
                      "the default graph is the union of all named graphs and is read-only; write to ?graph=<IRI>",
                      headers={"Allow": "GET"})
    return target.iri


def graph_exists(store, iri: str) -> bool:
    return store.ask(f"ASK {{ GRAPH {iri_ref(iri)} {{ ?s ?p ?o }} }}")


async def read_body(request: Request, iri: str) -> Graph:
    """The body's triples; a body that names other graphs (JSON-LD named graphs) is refused."""
    content_type = media_type(request)
    if content_type not in BODY_FORMATS:
        raise unsupported(content_type, BODY_FORMATS)
    data = await request.body()
    quads = await run_in_threadpool(lambda: list(parse_quads(data, content_type, iri)))
    if any(quad.graph_name != named_node(iri) for quad in quads):
        raise InputError(f"the body names graphs other than <{iri}>; send the triples of that one graph")
    return graph_from_triples(quad.triple for quad in quads)
