"""Shared fixtures: a real ``oxigraph serve`` process and clean stores of both backends.

Use ``store`` for tests that must hold for both backends (it runs each test
twice; the remote run is marked ``remote``, so ``-m "not remote"`` skips it),
``embedded_store`` or ``remote_store`` for one backend.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from opyt.store import EmbeddedStore, RemoteStore, Store

SERVER_START_TIMEOUT = 20.0


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI next to this Python (the venv's bin), else on PATH."""
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port_url() -> str:
    """A SPARQL endpoint URL on a loopback port where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/query"


@contextmanager
def opyt_serve(store_dir: Path, **env: str) -> Iterator[str]:
    """A real ``opyt serve`` (uvicorn) over ``store_dir``; yields its base URL.

    The server sees no ``OPYT_*`` setting of the test process, only
    ``OPYT_STORE`` and ``env`` (e.g. ``OPYT_TOKEN="..."``)."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "opyt"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPYT_")}
    base_url = f"http://127.0.0.1:{port}"
    with serving(command, f"{base_url}/health", store_dir.parent / f"opyt-serve-{port}.log", timeout=60,
                 env={**environment, "OPYT_STORE": str(store_dir), **env}):
        yield base_url


@contextmanager
def serving(command: list[str], probe_url: str, log: Path, timeout: float, env: dict | None = None) -> Iterator[None]:
    """Runs a server process (its output in ``log``, never an unread pipe that could fill and block it)
    until ``probe_url`` answers; stops it afterwards."""
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_answering(probe_url, server, log, timeout)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_answering(probe_url: str, server: subprocess.Popen, log: Path, timeout: float) -> None:
    """Polls ``probe_url`` until it answers 2xx; fails with the server's log if it exits or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{server.args[0]} exited with {server.returncode}: {log.read_text()}")
        try:
            if httpx.get(probe_url, timeout=1).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{server.args[0]} did not answer at {probe_url} within {timeout:g} s")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of an ``oxigraph serve --union-default-graph`` for the session."""
    location = tmp_path_factory.mktemp("oxigraph")
    base_url = f"http://127.0.0.1:{free_port()}"
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", base_url.removeprefix("http://"),
               "--union-default-graph"]
    with serving(command, f"{base_url}/query?query=ASK%7B%7D", location.parent / f"{location.name}.log",
                 timeout=SERVER_START_TIMEOUT):
        yield base_url


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """An empty embedded store in a fresh directory."""
    with EmbeddedStore(tmp_path / "store") as store:
        yield store


@pytest.fixture
def remote_store(oxigraph_server: str) -> Iterator[RemoteStore]:
    """A remote store on the session's server, emptied before the test."""
    with RemoteStore(f"{oxigraph_server}/query") as store:
        store.update("DROP ALL")
        yield store


@pytest.fixture(params=["embedded", pytest.param("remote", marks=pytest.mark.remote)])
def store(request: pytest.FixtureRequest) -> Store:
    """An empty store of each backend in turn."""
    return request.getfixturevalue(f"{request.param}_store")
