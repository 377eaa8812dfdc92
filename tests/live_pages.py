"""Helpers for the page tests: a store with the sample documents ingested and a real
``opyt serve`` (uvicorn) process over it."""
from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from opyt import catalogue
from opyt.ingest.pipeline import ingest_paths
from opyt.store import EmbeddedStore
from tests.conftest import opyt_serve

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@cache
def _sample_dump() -> bytes:
    """The sample documents ingested once per test process, as N-Quads."""
    with tempfile.TemporaryDirectory() as location, EmbeddedStore(Path(location) / "store") as store:
        catalogue.ensure_vocabulary(store)
        reports = ingest_paths(store, [SAMPLES])
        failed = [r for r in reports if r.status not in ("ingested", "unchanged")]
        assert not failed, failed
        return store.dump("nq")


def sample_store(store_dir: Path) -> EmbeddedStore:
    """A new embedded store at ``store_dir`` holding the ingested sample documents (the caller closes it)."""
    store = EmbeddedStore(store_dir)
    store.load(_sample_dump(), "nq")
    return store


def serve(store_dir: Path):
    """Runs ``opyt serve`` over the store directory; yields its base URL."""
    return opyt_serve(store_dir)
