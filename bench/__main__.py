"""``python -m bench [store] [--triples N] [--runs N]``: run benchmarks, write docs/benchmarks.md."""
from __future__ import annotations

import argparse

from bench import store


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("which", nargs="*", default=["store"], choices=["store"], help="benchmarks to run")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query")
    args = parser.parse_args()
    if "store" in args.which:
        store.main(args.triples, args.runs)


if __name__ == "__main__":
    main()
