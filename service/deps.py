"""Dependencies shared by the routers."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request


def get_store(request: Request) -> Any:
    return request.app.state.store


StoreDep = Annotated[Any, Depends(get_store)]
