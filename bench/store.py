"""Store benchmark: load time and stored-query latency on a synthetic graph,
embedded Oxigraph and a live ``oxigraph serve``."""
from __future__ import annotations

import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from bench import lookups
from bench.report import machine, percentiles, write_section
from bench.synthetic import nquads
from opyt import catalogue, queries
from opyt.namespace import ID, LEVEL, MODEL, TOPIC
from opyt.store import EmbeddedStore, RemoteStore, Store

# (label, stored query, parameters): the questions a catalogue is asked most
CASES = [
    ("topic-holders, a task (topic:egeMathProfileTask18)", "topic-holders", {"topic": TOPIC.egeMathProfileTask18}),
    ("topic-holders, a broad topic (topic:egeMath)", "topic-holders", {"topic": TOPIC.egeMath}),
    ("organisation-practices", "organisation-practices", {"organisation": ID["org/1"]}),
    ("practices-by-model-level (network, municipal)", "practices-by-model-level", {"model": MODEL.network, "level": LEVEL.municipal}),
    ("organisations-per-municipality (one region)", "organisations-per-municipality", {"region": ID["region/1"]}),
    ("coholder-network (one holder)", "coholder-network", {"holder": ID["person/1"]}),
    ("class-counts (whole graph)", "class-counts", {}),
    ("data-quality (whole graph)", "data-quality", {}),
]


def timed_runs(store: Store, name: str, params: dict, runs: int) -> tuple[int, list[float]]:
    text = queries.load(name).text
    rows = len(store.select(text, params).rows)  # warm-up, and the answer size
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        store.select(text, params)
        samples.append((time.perf_counter() - start) * 1000)
    return rows, samples


def measure(store: Store, data: bytes, runs: int) -> dict:
    start = time.perf_counter()
    store.load(data, "nq", atomic=False)
    load_s = time.perf_counter() - start
    catalogue.ensure_vocabulary(store)
    figures = {"load_s": load_s, "quads": store.count(), "queries": {}}
    for label, name, params in CASES:
        figures["queries"][label] = timed_runs(store, name, params, runs)
    return figures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(command: list[str], probe_url: str, seconds: float, env: dict | None = None) -> Iterator[None]:
    """Runs a server process until ``probe_url`` answers 2xx (at most ``seconds``); stops it afterwards."""
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + seconds
        while not _answers(probe_url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"{command[0]} did not answer at {probe_url} within {seconds:g} s")
            time.sleep(0.1)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).is_success
    except httpx.TransportError:
        return False


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).parent / "oxigraph"), "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    with serving(command, f"{url}/query?query=ASK%7B%7D", seconds=30):
        yield url


def run(triples: int, runs: int) -> str:
    start = time.perf_counter()
    data = nquads(triples)
    generate_s = time.perf_counter() - start
    results = {}
    with tempfile.TemporaryDirectory(prefix="opyt-bench-") as tmp:
        with EmbeddedStore(Path(tmp) / "embedded") as store:
            results["embedded"] = measure(store, data, runs)
            results["chain on disk"] = lookups.chain_costs(store, runs)
        with EmbeddedStore(None) as store:
            store.load(data, "nq", atomic=False)
            catalogue.ensure_vocabulary(store)
            results["chain in memory"] = lookups.chain_costs(store, runs)
        shutil.rmtree(Path(tmp) / "embedded")
        with oxigraph_server(Path(tmp) / "remote") as url:
            with RemoteStore(f"{url}/query", timeout=120) as store:
                results["remote"] = measure(store, data, runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return render(triples, runs, generate_s, peak_mb, results)


def render(triples: int, runs: int, generate_s: float, peak_mb: float, results: dict) -> str:
    embedded, remote = results["embedded"], results["remote"]
    lines = [
        "## Store: load and stored queries",
        "",
        f"Command: `make bench` (`python -m bench store --triples {triples} --runs {runs}`). {machine()}.",
        f"Synthetic catalogue (`bench/synthetic.py`) of {embedded['quads']:,} distinct quads "
        f"(generated in {generate_s:.1f} s), plus the vocabulary graph. Peak RSS of the benchmark "
        f"process (data, embedded store and client): {peak_mb:,.0f} MB.",
        "",
        "| | embedded (pyoxigraph, on disk) | remote (`oxigraph serve`, loopback) |",
        "|---|---|---|",
        f"| load, non-transactional bulk | {embedded['load_s']:.1f} s | {remote['load_s']:.1f} s (Graph Store POST per graph) |",
        "",
        f"Latency of the stored queries, {runs} runs after one warm-up, in ms:",
        "",
        "| query | rows | embedded p50 | embedded p95 | remote p50 | remote p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label in embedded["queries"]:
        rows, local = embedded["queries"][label]
        _, over_http = remote["queries"][label]
        (lp50, lp95), (rp50, rp95) = percentiles(local), percentiles(over_http)
        lines.append(f"| {label} | {rows} | {lp50:.1f} | {lp95:.1f} | {rp50:.1f} | {rp95:.1f} |")
    lines += lookups.render(results["chain on disk"], results["chain in memory"])
    return "\n".join(lines)


def main(triples: int, runs: int) -> None:
    path = write_section("store", run(triples, runs))
    print(f"store benchmark written to {path}")
