"""``/sparql``: a read-only SPARQL 1.1 query endpoint over the catalogue.

SELECT and ASK answer in SPARQL JSON results, CONSTRUCT and DESCRIBE in Turtle.
"""
from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from rdflib import BNode, Graph, Literal

from opyt.errors import QueryError
from opyt.service.deps import StoreDep
from opyt.store import SelectResult
from opyt.store.terms import code_lines

router = APIRouter(tags=["sparql"])
SPARQL_JSON = "application/sparql-results+json"
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


@router.get("/sparql")
def sparql_get(store: StoreDep, query: Annotated[str, Query(description="A SPARQL 1.1 query.")]) -> Response:
    return answer(store, query)


@router.post("/sparql")
async def sparql_post(request: Request, store: StoreDep) -> Response:
    """A query as a URL-encoded form field ``query`` or as an ``application/sparql-query`` body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type == "application/sparql-query":
        return answer(store, (await request.body()).decode("utf-8"))
    if content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        if "query" in form:
            return answer(store, str(form["query"]))
    raise QueryError("send the query as a form field 'query' or as an application/sparql-query body")


def answer(store, query: str) -> Response:
    refuse_federation(query)
    outcome = store.query(query)
    if isinstance(outcome, Graph):
        return Response(outcome.serialize(format="turtle"), media_type="text/turtle")
    if isinstance(outcome, bool):
        return _json({"head": {}, "boolean": outcome})
    return _json(results_json(outcome))


def refuse_federation(query: str) -> None:
    """The server never fetches a URL a user names: ``SERVICE`` is refused before evaluation."""
    if any(_SERVICE.search(code) for code in code_lines(query)):
        raise QueryError("federated queries (SERVICE) are not allowed on this endpoint; query the catalogue only")


def _json(body: dict) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), media_type=SPARQL_JSON)


def results_json(result: SelectResult) -> dict:
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
