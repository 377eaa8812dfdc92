"""What one triple pattern costs per answer row: the floor under topic-holders.

The core of ``queries/topic-holders.rq`` is timed as a growing chain of
single-pattern joins, each pattern read in the practice's document graph, as
the stored query reads it. The slope (ms per pattern for the same rows) is
what any query answering this question pays per detail it reads, whatever its
plan: on disk it is the price of a RocksDB lookup.
"""
from __future__ import annotations

import statistics
import time

from opyt.namespace import TOPIC
from opyt.store import Store

PREFIXES = """PREFIX opyt: <https://w3id.org/opyt/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CHAIN = [
    "?narrower skos:broader* ?topic .",
    "GRAPH ?g { ?practice opyt:topic ?narrower }",
    "GRAPH ?g { ?practice opyt:holder ?holder }",
    "GRAPH ?g { ?practice dcterms:title ?title }",
    "GRAPH ?g { ?practice prov:wasDerivedFrom ?document }",
    "GRAPH ?g { ?document opyt:fileName ?fileName }",
    "GRAPH ?g { ?holder rdfs:label ?holderName }",
]
TOPIC_ASKED = TOPIC.egeMathProfileTask18


def chain_query(patterns: int) -> str:
    return PREFIXES + "SELECT * WHERE {\n  " + "\n  ".join(CHAIN[:patterns]) + "\n}"


def chain_costs(store: Store, runs: int) -> list[tuple[str, int, float]]:
    """(last pattern, rows, p50 ms) for the chain of 1, 2, … patterns; lexical values, no rdflib terms."""
    costs = []
    for patterns in range(1, len(CHAIN) + 1):
        text = chain_query(patterns)
        rows = len(store.select_values(text, {"topic": TOPIC_ASKED}))
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            store.select_values(text, {"topic": TOPIC_ASKED})
            samples.append((time.perf_counter() - start) * 1000)
        costs.append((CHAIN[patterns - 1], rows, statistics.median(samples)))
    return costs


def per_lookup_us(costs: list[tuple[str, int, float]]) -> float:
    """Mean cost of one pattern for one row, over the patterns after the first join (same rows each)."""
    joins = costs[2:]
    slope_ms = (joins[-1][2] - joins[0][2]) / (len(joins) - 1)
    return slope_ms * 1000 / joins[-1][1]


def render(on_disk: list[tuple[str, int, float]], in_memory: list[tuple[str, int, float]]) -> list[str]:
    lines = [
        "",
        f"Cost of the topic-holders core for `topic:{TOPIC_ASKED.split('/')[-1]}`, one pattern added at a time "
        "(`bench/lookups.py`; p50 in ms, lexical values through `Store.select_values`):",
        "",
        "| pattern added | rows | on disk | in memory |",
        "|---|---:|---:|---:|",
    ]
    for (pattern, rows, disk_ms), (_, _, memory_ms) in zip(on_disk, in_memory):
        lines.append(f"| `{pattern}` | {rows} | {disk_ms:.1f} | {memory_ms:.1f} |")
    lines += [
        "",
        f"One more pattern costs **{per_lookup_us(on_disk):.1f} µs per row on disk** and "
        f"{per_lookup_us(in_memory):.1f} µs in memory.",
    ]
    return lines
