"""``/sparql`` and ``/update``: a SPARQL 1.1 Protocol endpoint over the catalogue.

Queries (anyone): ``GET /sparql?query=``, ``POST /sparql`` with a form field
``query`` or an ``application/sparql-query`` body. Answers are negotiated by
``Accept``: SELECT/ASK as SPARQL JSON (default), XML, CSV or TSV results;
CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD or RDF/XML.
``GET /sparql`` without a query answers the SPARQL Service Description.

Updates (``Authorization: Bearer <OPYT_TOKEN>`` only): ``POST /sparql`` or
``POST /update`` with a form field ``update`` or an ``application/sparql-update``
body; 204 on success.

Limits: a query runs at most ``OPYT_QUERY_TIMEOUT`` seconds (503 after that)
and may answer at most ``OPYT_RESULT_LIMIT`` rows or triples (400 beyond:
the request is what must change, by adding LIMIT). ``SERVICE`` is refused.
"""
from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Annotated, TypeVar

import pyoxigraph as ox
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from rdflib import BNode, Graph, Literal

from opyt.config import Settings
from opyt.errors import QueryError
from opyt.service import description
from opyt.service.conneg import acceptable, negotiate
from opyt.service.deps import Problem, SettingsDep, StoreDep, require_token
from opyt.store import SelectResult
from opyt.store.base import QueryOutcome
from opyt.store.terms import code_lines

router = APIRouter(tags=["sparql"])

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
# media type -> pyoxigraph results format (None: written here, SPARQL JSON with UTF-8 kept as is)
RESULT_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    SPARQL_JSON: None,
    SPARQL_XML: ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# media type -> rdflib serializer
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
MAX_RUNNING_QUERIES = 16  # queries evaluating at once, abandoned ones included
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_running = threading.BoundedSemaphore(MAX_RUNNING_QUERIES)
T = TypeVar("T")

AcceptHeader = Annotated[str | None, Header()]


@router.get("/sparql")
async def sparql_get(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    query: Annotated[str | None, Query(description="A SPARQL 1.1 query; without it, the service description.")] = None,
    accept: AcceptHeader = None,
) -> Response:
    if "update" in request.query_params:
        raise QueryError("SPARQL Update is accepted only by POST (form field 'update' or an application/sparql-update body)")
    if query is None:
        return description.service_description_response(request, accept)
    refuse_dataset(request.query_params)
    return await answer(store, settings, query, accept)


@router.post("/sparql", status_code=200)
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep, accept: AcceptHeader = None) -> Response:
    """A query (form field ``query`` or an ``application/sparql-query`` body) or an update (``update``, ``application/sparql-update``)."""
    content_type = media_type(request)
    refuse_dataset(request.query_params)
    if content_type == SPARQL_QUERY:
        return await answer(store, settings, await body_text(request), accept)
    if content_type == SPARQL_UPDATE:
        return await apply_update(request, store, settings, await body_text(request))
    if content_type == FORM:
        form = await request.form()
        if "query" in form and "update" in form:
            raise QueryError("send either a 'query' or an 'update' form field, not both")
        refuse_dataset(form)
        if "query" in form:
            return await answer(store, settings, str(form["query"]), accept)
        if "update" in form:
            return await apply_update(request, store, settings, str(form["update"]))
        raise QueryError("the form has no 'query' (or 'update') field")
    raise unsupported(content_type, [SPARQL_QUERY, SPARQL_UPDATE, FORM])


@router.post("/update", status_code=204)
async def update_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """A SPARQL Update as a form field ``update`` or an ``application/sparql-update`` body."""
    content_type = media_type(request)
    refuse_dataset(request.query_params)
    if content_type == SPARQL_UPDATE:
        return await apply_update(request, store, settings, await body_text(request))
    if content_type == FORM:
        form = await request.form()
        refuse_dataset(form)
        if "update" in form:
            return await apply_update(request, store, settings, str(form["update"]))
        raise QueryError("the form has no 'update' field")
    raise unsupported(content_type, [SPARQL_UPDATE, FORM])


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def body_text(request: Request) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(f"the request body is not UTF-8: {error}") from error


def unsupported(content_type: str, accepted: list[str]) -> Problem:
    given = content_type or "no Content-Type"
    return Problem(415, "Unsupported Media Type", f"cannot read {given}; send {', '.join(accepted)}")


async def answer(store, settings: Settings, query: str, accept: str | None) -> Response:
    """Runs a query under the time and size limits and writes the result in the negotiated format."""
    if not acceptable(accept, [*RESULT_FORMATS, *GRAPH_FORMATS]):
        negotiate(accept, [*RESULT_FORMATS, *GRAPH_FORMATS])  # raises the 406
    refuse_federation(query)
    outcome = await within_timeout(lambda: store.query(query), settings.query_timeout)
    check_size(outcome, settings.result_limit)
    return write_outcome(outcome, accept)


async def apply_update(request: Request, store, settings: Settings, update: str) -> Response:
    """Runs an update for a caller holding the token. Not under the query timeout: an abandoned update would still commit."""
    require_token(request, settings)
    refuse_federation(update)
    await run_in_threadpool(store.update, update)
    return Response(status_code=204)


def refuse_dataset(parameters) -> None:
    """The protocol's dataset parameters are refused rather than ignored (ignoring them would change the answer)."""
    given = [name for name in DATASET_PARAMETERS if parameters.get(name)]
    if given:
        raise QueryError(f"{', '.join(given)} is not supported here: the default graph is the union of all graphs; "
                         "name graphs in the query with FROM, FROM NAMED or GRAPH")


def refuse_federation(query: str) -> None:
    """The server never fetches a URL a user names: ``SERVICE`` is refused before evaluation."""
    if any(_SERVICE.search(code) for code in code_lines(query)):
        raise QueryError("federated queries (SERVICE) are not allowed on this endpoint; query the catalogue only")


async def within_timeout(work: Callable[[], T], seconds: float) -> T:
    """Runs ``work`` in a daemon thread and waits at most ``seconds`` for it.

    Neither Oxigraph nor an HTTP request to a remote store can be interrupted,
    so a query that overruns is abandoned: it finishes in the background and
    its result is dropped. At most ``MAX_RUNNING_QUERIES`` run at once (503 beyond).
    """
    if not _running.acquire(blocking=False):
        raise Problem(503, "Service Unavailable", f"{MAX_RUNNING_QUERIES} queries are running; try again shortly",
                      headers={"Retry-After": "5"})
    future: Future[T] = Future()

    def run() -> None:
        try:
            if future.set_running_or_notify_cancel():
                future.set_result(work())
        except BaseException as error:  # handed to the waiting request
            future.set_exception(error)
        finally:
            _running.release()

    threading.Thread(target=run, name="sparql-query", daemon=True).start()
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), seconds)
    except TimeoutError:
        raise Problem(
            503, "Query Timeout",
            f"the query ran longer than the query time limit of {seconds:g} s (setting OPYT_QUERY_TIMEOUT); "
            "narrow it (more specific patterns, LIMIT) or ask the operator to raise the limit",
            limit="query_timeout", setting="OPYT_QUERY_TIMEOUT", seconds=seconds,
        ) from None


def check_size(outcome: QueryOutcome, limit: int) -> None:
    size = len(outcome.rows) if isinstance(outcome, SelectResult) else len(outcome) if isinstance(outcome, Graph) else 0
    if size > limit:
        unit = "rows" if isinstance(outcome, SelectResult) else "triples"
        raise Problem(
            400, "Result Too Large",
            f"the answer holds {size} {unit}, over the result limit of {limit} (setting OPYT_RESULT_LIMIT); "
            "add LIMIT/OFFSET to page through it",
            limit="result_limit", setting="OPYT_RESULT_LIMIT", maximum=limit,
        )


def write_outcome(outcome: QueryOutcome, accept: str | None) -> Response:
    if isinstance(outcome, Graph):
        chosen = negotiate(accept, list(GRAPH_FORMATS))
        return Response(serialize_graph(outcome, chosen), media_type=chosen)
    chosen = negotiate(accept, list(RESULT_FORMATS))
    body = results_json({"head": {}, "boolean": outcome} if isinstance(outcome, bool) else results_document(outcome))
    results_format = RESULT_FORMATS[chosen]
    if results_format is not None:
        body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=results_format)
    return Response(body, media_type=chosen)


def serialize_graph(graph: Graph, media: str) -> bytes:
    return graph.serialize(format=GRAPH_FORMATS[media], encoding="utf-8")


def results_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def results_document(result: SelectResult) -> dict:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {name: _term_json(value) for name, value in row.items() if value is not None}
        for row in result.rows
    ]
    return {"head": {"vars": result.variables}, "results": {"bindings": bindings}}


def _term_json(term) -> dict:
    if isinstance(term, Literal):
        value = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype:
            value["datatype"] = str(term.datatype)
        return value
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}
