"""``/queries``: the stored query library, each runnable by name."""
from __future__ import annotations

from fastapi import APIRouter, Request

from opyt import queries
from opyt.formats import term_value
from opyt.service.deps import StoreDep

router = APIRouter(prefix="/queries", tags=["queries"])


def _describe(query: queries.StoredQuery) -> dict[str, object]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
            for p in query.parameters
        ],
    }


@router.get("")
def list_queries() -> list[dict[str, object]]:
    return [_describe(q) for q in queries.all_queries()]


@router.get("/{name}")
def run_query(name: str, request: Request, store: StoreDep) -> dict[str, object]:
    """Run a stored query; its parameters are the URL's query parameters."""
    stored = queries.load(name)
    result = store.select(stored.text, stored.bindings(dict(request.query_params)))
    rows = [{v: term_value(row.get(v)) for v in result.variables} for row in result.rows]
    return {"query": _describe(stored), "variables": result.variables, "rows": rows}
