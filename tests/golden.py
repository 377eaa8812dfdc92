"""Golden-output comparison shared by the ingest tests: a built graph against its
Turtle file, by RDF isomorphism. ``OPYT_REGENERATE_GOLDEN=1`` rewrites the files
(check the diff before committing them)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

REGENERATE = os.environ.get("OPYT_REGENERATE_GOLDEN") == "1"


def assert_matches_golden(built: Graph, golden: Path) -> None:
    """Fail with the triples found on only one side; write the file when regenerating or missing."""
    if REGENERATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(built.serialize(format="turtle"), encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"{golden} did not exist and was written; check it and run again")
    expected = Graph().parse(golden, format="turtle")
    if not isomorphic(built, expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        pytest.fail(
            f"the built graph differs from {golden.name} (OPYT_REGENERATE_GOLDEN=1 rewrites it)\n"
            f"only built:\n{only_built.serialize(format='nt')}\nonly expected:\n{only_expected.serialize(format='nt')}"
        )
