"""Application factory: one store per process, opened at start-up and closed at shutdown."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from opyt import catalogue
from opyt.config import Settings
from opyt.errors import InputError, OpytError, QueryError, StoreError
from opyt.service import deps, documents, health, mentors, pages, sparql, stored_queries
from opyt.service import description, graph_store, problems

_STATUS = ((QueryError, 400), (InputError, 400), (StoreError, 503), (OpytError, 500))


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from opyt.store import open_store

        with open_store(settings) as store:
            catalogue.ensure_vocabulary(store)
            app.state.store = store
            yield

    app = FastAPI(
        title="Opyt",
        summary="A semantic catalogue of innovative teaching experience.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(stored_queries.router)
    app.include_router(graph_store.router)
    app.include_router(description.router)
    app.include_router(pages.router)
    app.include_router(mentors.router)
    app.include_router(documents.router)
    app.state.settings = settings
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"], expose_headers=["Location"],
        )
    app.add_exception_handler(OpytError, _problem)
    app.add_exception_handler(deps.Problem, deps.problem_response)
    app.add_exception_handler(StarletteHTTPException, problems.method_not_allowed)  # 405: problem+json, full Allow
    return app


async def _problem(request: Request, exc: OpytError) -> JSONResponse:
    """Opyt's errors as RFC 9457 problem details, through the same renderer as every other problem."""
    status = next(code for kind, code in _STATUS if isinstance(exc, kind))
    return await deps.problem_response(request, deps.Problem(status, type(exc).__name__, str(exc)))
