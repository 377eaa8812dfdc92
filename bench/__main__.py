"""``python -m bench [store] [ingest] [mentors] [service] [--triples N] [--runs N] [--documents N] [--practices N,N]``: run benchmarks, write docs/benchmarks.md."""
from __future__ import annotations

import argparse

from bench import ingest, mentors, service, store


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("which", nargs="*", default=["store", "ingest", "mentors", "service"],
                        choices=["store", "ingest", "mentors", "service"], help="benchmarks to run")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per query")
    parser.add_argument("--documents", type=int, default=200, help="documents in the ingest batch")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients in the service benchmark")
    parser.add_argument("--seconds", type=float, default=30, help="duration of the service benchmark per graph")
    parser.add_argument("--practices", default="1000,10000,100000", help="catalogue sizes for the mentor benchmark")
    args = parser.parse_args()
    if "store" in args.which:
        store.main(args.triples, args.runs)
    if "ingest" in args.which:
        ingest.main(args.documents)
    if "mentors" in args.which:
        mentors.main([int(size) for size in args.practices.split(",")], args.runs)
    if "service" in args.which:
        service.main(args.triples, args.clients, args.seconds)


if __name__ == "__main__":
    main()
