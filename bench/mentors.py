"""Mentor-query benchmark: ``find_mentors`` latency over synthetic catalogues of growing size.

For each size the synthetic catalogue is bulk-loaded into a fresh on-disk
store, the matching index is built once (timed), and a fixed set of needs is
asked ``runs`` times each after one warm-up; p50 and p95 are over all asks.
"""
from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from bench.report import machine, percentiles, write_section
from bench.synthetic import SyntheticCatalogue
from opyt import catalogue, mentor_index
from opyt.matching import find_mentors
from opyt.store import EmbeddedStore

NEEDS = [
    ("Кто может провести мастер-класс по заданию 18 ЕГЭ по математике?", {}),
    ("who can mentor on task 18 of the profile maths exam", {}),
    ("подготовка к ЕГЭ по математике", {"region": "Область 3"}),
    ("читательская грамотность младших школьников", {}),
    ("сетевое взаимодействие школ в районе", {}),
    ("кружок вышивания крестиком для родителей", {}),  # nothing in the scheme or the titles: nobody
]


def measure(practices: int, runs: int) -> dict:
    data = "".join(SyntheticCatalogue(practices).quads()).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="opyt-bench-mentors-") as tmp, EmbeddedStore(Path(tmp) / "store") as store:
        start = time.perf_counter()
        store.load(data, "nq", atomic=False)
        catalogue.ensure_vocabulary(store)
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        index = mentor_index.current(store)
        build_s = time.perf_counter() - start
        samples, answered = [], {}
        for text, place in NEEDS:
            answered[text] = find_mentors(store, text, **place)["items_total"]  # warm-up
            for _ in range(runs):
                start = time.perf_counter()
                find_mentors(store, text, **place)
                samples.append((time.perf_counter() - start) * 1000)
        return {"practices": practices, "quads": store.count(), "entries": len(index.entries), "load_s": load_s,
                "build_s": build_s, "samples": samples, "answered": answered}


def render(results: list[dict], runs: int, sizes: list[int], peak_mb: float) -> str:
    lines = [
        "## Matching: mentor-query latency",
        "",
        f"Command: `make bench` (`python -m bench mentors --practices {','.join(map(str, sizes))} --runs {runs}`). "
        f"{machine()}.",
        f"Synthetic catalogues (`bench/synthetic.py`) in an on-disk store; `find_mentors` answers "
        f"{len(NEEDS)} needs (Russian, English, a broad exam with a region, a literacy, free words, and one "
        f"nobody holds), {runs} times each after a warm-up, from the matching index (`opyt/mentor_index.py`), "
        f"which is built once per catalogue. Peak RSS of the benchmark process: {peak_mb:,.0f} MB.",
        "",
        "| practices | quads | index entries | load | index build | p50 | p95 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p50, p95 = percentiles(r["samples"])
        lines.append(f"| {r['practices']:,} | {r['quads']:,} | {r['entries']:,} | {r['load_s']:.1f} s | "
                     f"{r['build_s']:.1f} s | {p50:.1f} ms | {p95:.1f} ms | {max(r['samples']):.1f} ms |")
    lines += ["", "Holders found per need (items_total), by catalogue size:", "",
              "| need | " + " | ".join(f"{r['practices']:,}" for r in results) + " |",
              "|---|" + "---:|" * len(results)]
    for text, _ in NEEDS:
        lines.append(f"| {text} | " + " | ".join(str(r["answered"][text]) for r in results) + " |")
    return "\n".join(lines)


def main(sizes: list[int], runs: int) -> None:
    results = [measure(size, runs) for size in sizes]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path = write_section("mentors", render(results, runs, sizes, peak_mb))
    print(f"mentor benchmark written to {path}")
