"""``python -m bench [store] [ingest] [--triples N] [--runs N] [--documents N]``: run benchmarks, write docs/benchmarks.md."""
from __future__ import annotations

import argparse

from bench import ingest, store


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("which", nargs="*", default=["store", "ingest"], choices=["store", "ingest"], help="benchmarks to run")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per query")
    parser.add_argument("--documents", type=int, default=200, help="documents in the ingest batch")
    args = parser.parse_args()
    if "store" in args.which:
        store.main(args.triples, args.runs)
    if "ingest" in args.which:
        ingest.main(args.documents)


if __name__ == "__main__":
    main()
