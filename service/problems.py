"""405 Method Not Allowed as problem+json, with an ``Allow`` header naming every method the path takes.

Starlette answers a wrong method from the first route whose path matches, so
with one route per method (GET /sparql, POST /sparql) its ``Allow`` would list
only that route's methods; here every route on the path is asked.
Other ``HTTPException``s are answered as FastAPI does.
"""
from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from opyt.service.deps import Problem, problem_response

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


async def method_not_allowed(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code != 405 or isinstance(exc, Problem):
        return await http_exception_handler(request, exc)
    given = [m.strip() for m in (exc.headers or {}).get("Allow", "").split(",") if m.strip()]
    allowed = allowed_methods(request) or given
    detail = f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}"
    problem = Problem(405, "Method Not Allowed", detail, headers={"Allow": ", ".join(allowed)})
    return await problem_response(request, problem)


def allowed_methods(request: Request) -> list[str]:
    """The methods some route fully matches on this path (each asked in turn: FastAPI nests included routers)."""
    return [
        method for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in request.app.router.routes)
    ]
