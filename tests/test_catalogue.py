"""The plain catalogue functions (``opyt.catalogue``, ``opyt.facts``) on real stores."""
from __future__ import annotations

from opyt.catalogue import vocabulary_version
from opyt.ontology import load as load_ontology


# --- regressions ---------------------------------------------------------------------------


def test_vocabulary_version_is_the_same_for_every_parse_of_the_vocabulary() -> None:
    # opyt.ttl has blank nodes (owl:unionOf lists), which the parser names afresh each time
    first, second = load_ontology(["opyt.ttl"]), load_ontology(["opyt.ttl"])
    assert set(first) != set(second)
    assert vocabulary_version(first) == vocabulary_version(second)
