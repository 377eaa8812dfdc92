"""Dependencies shared by the routers."""
from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from opyt.config import Settings, get_settings

PROBLEM_JSON = "application/problem+json"


def get_store(request: Request) -> Any:
    return request.app.state.store


StoreDep = Annotated[Any, Depends(get_store)]


def app_settings(request: Request) -> Settings:
    """The settings the app was created with (``create_app`` keeps them in ``app.state``)."""
    return getattr(request.app.state, "settings", None) or get_settings()


SettingsDep = Annotated[Settings, Depends(app_settings)]


class Problem(HTTPException):
    """An HTTP error answered as RFC 9457 problem details; ``extra`` members are added to the body.

    It is an ``HTTPException``, so even without :func:`problem_response`
    registered the status and headers are right.
    """

    def __init__(self, status: int, title: str, detail: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.title = title
        self.extra = extra


async def problem_response(request: Request, exc: Problem) -> JSONResponse:
    body = {"type": "about:blank", "title": exc.title, "status": exc.status_code, "detail": exc.detail, **exc.extra}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers, media_type=PROBLEM_JSON)


def require_token(request: Request, settings: SettingsDep) -> None:
    """Writes need ``Authorization: Bearer <OPYT_TOKEN>``.

    403 when the service has no token configured (writes are off), 401 with
    ``WWW-Authenticate: Bearer`` when the header is missing or the token wrong.
    """
    if settings.token is None or not settings.token.get_secret_value():
        raise Problem(403, "Forbidden", "writes are disabled: the service has no token (set OPYT_TOKEN)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.token.get_secret_value()
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise Problem(401, "Unauthorized", "send the service token as 'Authorization: Bearer <token>'",
                      headers={"WWW-Authenticate": 'Bearer realm="opyt"'})


TokenDep = Depends(require_token)  # for dependencies=[TokenDep] on a route or a router
