"""Write a benchmark's figures into its own section of docs/benchmarks.md."""
from __future__ import annotations

import platform
import re
from datetime import date
from pathlib import Path
from statistics import quantiles

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
_HEADER = """# Benchmarks

Figures written by `make bench` (`python -m bench`); each section names the
command that produced it. Speed is measured here, never asserted in tests.
"""


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of timings."""
    if len(samples_ms) == 1:
        return samples_ms[0], samples_ms[0]
    cuts = quantiles(samples_ms, n=100, method="inclusive")
    return cuts[49], cuts[94]


def machine() -> str:
    import os

    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {date.today().isoformat()}"


def write_section(name: str, body: str) -> Path:
    """Replace (or append) the section between ``<!-- bench:NAME -->`` markers."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else _HEADER
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(text, encoding="utf-8")
    return BENCHMARKS
