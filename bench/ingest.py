"""Ingest benchmark: documents per minute and peak memory over a batch of at
least 200 documents made from the sample corpus (each copy under its own name,
with a line added so that its sha256 differs and none is skipped as unchanged)."""
from __future__ import annotations

import resource
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.report import machine, write_section
from opyt.ingest.pipeline import ingest_paths
from opyt.ingest.readers import iter_documents
from opyt.store import EmbeddedStore

PROJECT = Path(__file__).resolve().parent.parent
CORPORA = [PROJECT.parent / "shared" / "corpus", PROJECT / "samples", PROJECT / "tests" / "fixtures" / "documents"]


def source_documents() -> tuple[Path, list[Path]]:
    """The first corpus that has readable text documents: the shared one, else the project's samples."""
    for corpus in CORPORA:
        if corpus.is_dir():
            documents = [p for p in iter_documents([corpus]) if p.suffix == ".txt" and p.stat().st_size > 500]
            if documents:
                return corpus, documents
    raise SystemExit("no corpus to benchmark: expected ../shared/corpus or samples/")


def make_batch(documents: list[Path], target: Path, size: int) -> list[Path]:
    batch = []
    for number in range(size):
        original = documents[number % len(documents)]
        copy = target / f"{number:04d}-{original.name}"
        shutil.copyfile(original, copy)
        with copy.open("a", encoding="utf-8") as text:
            text.write(f"\nКопия {number} для замера скорости.\n")
        batch.append(copy)
    return batch


def run(size: int) -> str:
    corpus, documents = source_documents()
    with tempfile.TemporaryDirectory(prefix="opyt-bench-ingest-") as tmp:
        folder = Path(tmp) / "documents"
        folder.mkdir()
        make_batch(documents, folder, size)
        with EmbeddedStore(Path(tmp) / "store") as store:
            start = time.perf_counter()
            reports = ingest_paths(store, [folder])
            seconds = time.perf_counter() - start
            quads = store.count()
    statuses = Counter(report.status for report in reports)
    per_document = sorted(report.seconds for report in reports)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return "\n".join([
        "## Ingest: documents per minute",
        "",
        f"Command: `make bench` (`python -m bench ingest --documents {size}`). {machine()}.",
        f"{size} documents: copies of the {len(documents)} .txt documents of `{corpus.relative_to(PROJECT.parent)}`,",
        "each under its own name with one line added, ingested into an empty on-disk store",
        "(read, segment, extract, build, SHACL gate, write), models loaded once.",
        "",
        "| documents | statuses | total | documents per minute | median per document | slowest | peak RSS | quads |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
        f"| {size} | {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))} | {seconds:.1f} s "
        f"| {size / seconds * 60:.0f} | {per_document[len(per_document) // 2]:.2f} s | {per_document[-1]:.2f} s "
        f"| {peak_mb:,.0f} MB | {quads:,} |",
    ])


def main(size: int) -> None:
    path = write_section("ingest", run(size))
    print(f"ingest benchmark written to {path}")
