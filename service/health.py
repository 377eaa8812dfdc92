from __future__ import annotations

from fastapi import APIRouter

from opyt.service.deps import StoreDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(store: StoreDep) -> dict[str, object]:
    """The service is up and its store answers."""
    return {"status": "ok", "quads": store.count()}
