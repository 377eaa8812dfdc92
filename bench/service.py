"""Service benchmark: ``/mentors`` throughput and latency with concurrent clients over loopback.

A real ``opyt serve`` (uvicorn, one worker) is started over a store; after one
warm-up request per need (which builds the matching index), ``clients``
concurrent HTTP clients ask the needs round-robin for ``seconds`` seconds.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from bench.mentors import NEEDS
from bench.report import machine, write_section
from bench.store import free_port, serving
from bench.synthetic import nquads
from opyt import catalogue
from opyt.ingest.pipeline import ingest_paths
from opyt.store import EmbeddedStore

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@contextmanager
def opyt_serve(store_dir: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).parent / "opyt"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, f"{url}/health", seconds=120, env={**os.environ, "OPYT_STORE": str(store_dir)}):
        yield url


async def hammer(url: str, clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (ms) of the successful requests, and the number of failed ones."""
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + seconds

    async def client(number: int) -> None:
        nonlocal failures
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            turn = number
            while time.monotonic() < deadline:
                text, place = NEEDS[turn % len(NEEDS)]
                turn += 1
                start = time.perf_counter()
                response = await http.get("/mentors", params={"q": text, **place})
                if response.status_code == 200:
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    failures += 1

    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, failures


def measure(label: str, store_dir: Path, clients: int, seconds: float) -> dict:
    with EmbeddedStore(store_dir) as store:
        quads = store.count()
    with opyt_serve(store_dir) as url:
        for text, place in NEEDS:  # warm-up: the first request builds the matching index
            httpx.get(f"{url}/mentors", params={"q": text, **place}, timeout=600).raise_for_status()
        latencies, failures = asyncio.run(hammer(url, clients, seconds))
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    return {"label": label, "quads": quads, "requests": len(latencies), "failures": failures,
            "rps": len(latencies) / seconds, "p50": pick(0.50), "p99": pick(0.99)}


def sample_store(directory: Path) -> Path:
    with EmbeddedStore(directory) as store:
        ingest_paths(store, [SAMPLES])
    return directory


def synthetic_store(directory: Path, triples: int) -> Path:
    with EmbeddedStore(directory) as store:
        store.load(nquads(triples), "nq", atomic=False)
        catalogue.ensure_vocabulary(store)
    return directory


def main(triples: int, clients: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="opyt-bench-service-") as tmp:
        results = [
            measure("the samples (`samples/`, ingested)", sample_store(Path(tmp) / "samples"), clients, seconds),
            measure(f"synthetic, {triples:,} triples", synthetic_store(Path(tmp) / "synthetic", triples), clients, seconds),
        ]
    lines = [
        "## Service: `/mentors` under concurrent clients",
        "",
        f"Command: `make bench` (`python -m bench service --triples {triples} --clients {clients} --seconds {seconds:g}`). "
        f"{machine()}.",
        f"A real `opyt serve` (uvicorn, one worker) on loopback; {clients} concurrent httpx clients in one process "
        f"ask the {len(NEEDS)} needs of the mentor benchmark round-robin for {seconds:g} s, after one warm-up "
        "request per need (which builds the matching index). Client and server share the 2 cores.",
        "",
        "| graph | quads | requests | failed | requests/s | p50 | p99 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['label']} | {r['quads']:,} | {r['requests']:,} | {r['failures']} | {r['rps']:.1f} | "
                     f"{r['p50']:.1f} ms | {r['p99']:.1f} ms |")
    path = write_section("service", "\n".join(lines))
    print(f"service benchmark written to {path}")
