"""Helpers for the page tests: a store with the sample documents ingested and a real
``opyt serve`` (uvicorn) process over it."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import httpx

from opyt import catalogue
from opyt.ingest.pipeline import ingest_paths
from opyt.store import EmbeddedStore
from tests.conftest import free_port

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


@contextmanager
def serve(store_dir: Path) -> Iterator[str]:
    """Runs ``opyt serve`` over the store directory; yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "opyt"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env={**os.environ, "OPYT_STORE": str(store_dir)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base_url, server)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_for(base_url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"opyt serve exited: {server.stdout.read().decode()}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("opyt serve did not answer within 60 s")
