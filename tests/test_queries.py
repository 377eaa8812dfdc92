"""The stored query library: headers, prefixes and parameters of every ``.rq``
file, and real answers over a small two-document catalogue
(``fixtures/catalogue/small.trig``) on both backends.

Expected answers are written out from the fixture or computed from it with
rdflib, never taken from a query run.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery

from opyt import catalogue, queries
from opyt.errors import QueryError, UnknownQueryError
from opyt.namespace import FORM, GRAPH, ID, LEVEL, MODEL, OPYT, ROLE, TOPIC
from opyt.store import EmbeddedStore, RemoteStore, Store

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue" / "small.trig"
KVARKEN_FILE = "kvarkensky-dissemination-program.txt"
MAGNITOGORSK_FILE = "magnitogorsk-innovation-site-passport.docx"

# the fixture's things
TASK18_METHOD = ID["practice-graphic-method-task-18"]  # topic egeMathProfileTask18, in both documents
PROFILE_LESSONS = ID["practice-profile-math-lessons"]  # topic egeMathProfile, holder without organisation
SEMANTIC_READING = ID["practice-semantic-reading"]  # readingLiteracy, two co-holders
LOW_RESULTS = ID["practice-low-results-support"]  # lowPerformingSchools, an organisation holds it
MENTORING = ID["practice-mentoring-network"]  # mentoringInEducation, an organisation holds it
DIGITAL = ID["practice-digital-environment"]  # no topic
SCIENCE = ID["practice-science-literacy"]  # scienceLiteracy
EVENT = ID["event-master-class-february"]  # a dissemination event, not a practice
PRACTICES = {TASK18_METHOD, PROFILE_LESSONS, SEMANTIC_READING, LOW_RESULTS, MENTORING, DIGITAL, SCIENCE}

TAZHENOVA, KRAVCHENKO, IVANOVA = ID["person-tazhenova-u-s"], ID["person-kravchenko-o-a"], ID["person-ivanova-n-p"]
SERGEEVA, PETROVA, SOKOLOV = ID["person-sergeeva-e-v"], ID["person-petrova-a-i"], ID["person-sokolov-d-m"]
KVARKEN_SCHOOL, RMK = ID["org-kvarkenskaya-sosh"], ID["org-kvarkensky-rmk"]
KINDERGARTEN, LYCEUM = ID["org-adamovka-kindergarten"], ID["org-magnitogorsk-lyceum"]
AUTHORITY = ID["org-magnitogorsk-education-authority"]
ORENBURG, CHELYABINSK = ID["region-orenburg"], ID["region-chelyabinsk"]

# A value for every required parameter, so that every stored query can be run.
EXAMPLE_BINDINGS = {
    "topic-holders": {"topic": "topic:egeMathProfileTask18"},
    "organisation-practices": {"organisation": "id:org-kvarkenskaya-sosh"},
}

# Closed vocabularies: a term used in a query must exist in them.
CLOSED_NAMESPACES = {
    "opyt": OPYT, "model": MODEL, "level": LEVEL, "form": FORM, "role": ROLE,
    "foaf": FOAF, "org": ORG, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "rdfs": RDFS,
}


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_dataset() -> Dataset:
    """The fixture parsed by rdflib (the union of its graphs): the oracle for expected answers."""
    dataset = Dataset(default_union=True)
    dataset.parse(FIXTURE, format="trig")
    return dataset


@pytest.fixture(scope="session")
def catalogue_nquads(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The fixture loaded once through ``catalogue.load_file`` (SHACL gate and vocabulary), as N-Quads."""
    with EmbeddedStore(None) as store:
        catalogue.load_file(store, FIXTURE)
        return store.dump("nq")


# The catalogue is loaded once per backend for the whole module, and tests only
# read it (a test that adds data removes it again): every DROP ALL and reload
# slows the session's Oxigraph server down for the tests that come after.
# For the same reason this module never uses the function-scoped ``store``
# fixtures, whose DROP ALL would empty the shared remote catalogue.


@pytest.fixture(scope="module")
def embedded_catalogue(catalogue_nquads: bytes) -> Iterator[Store]:
    with EmbeddedStore(None) as store:
        store.load(catalogue_nquads, "nq")
        yield store


@pytest.fixture(scope="module")
def remote_catalogue(oxigraph_server: str, catalogue_nquads: bytes) -> Iterator[Store]:
    with RemoteStore(f"{oxigraph_server}/query") as store:
        store.update("DROP ALL")
        store.load(catalogue_nquads, "nq")
        yield store
        store.update("DROP ALL")


@pytest.fixture(scope="module", params=["embedded", pytest.param("remote", marks=pytest.mark.remote)])
def loaded(request: pytest.FixtureRequest) -> Store:
    """A store of each backend holding the fixture and the vocabulary graph; read only."""
    return request.getfixturevalue(f"{request.param}_catalogue")


def run(store: Store, name: str, **params: str) -> list[dict]:
    stored = queries.load(name)
    return store.select(stored.text, stored.bindings(params)).rows


def values(rows: list[dict], variable: str) -> list:
    return [row[variable] for row in rows]


def concat(term) -> set[str]:
    """The parts of a GROUP_CONCAT value, whose order SPARQL leaves open."""
    return set(str(term).split("; ")) if term is not None and str(term) else set()


def body_lines(text: str) -> list[str]:
    """The query without its header, comments and PREFIX declarations."""
    return [
        line for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#") and not line.upper().startswith("PREFIX")
    ]


def undeclared_prefixes(text: str) -> set[str]:
    """Prefixes used in the body of a query but not declared by a PREFIX line of its own."""
    declared = set(re.findall(r"^PREFIX\s+([A-Za-z][\w-]*):", text, flags=re.MULTILINE | re.IGNORECASE))
    body = " ".join(body_lines(text))
    body = re.sub(r'"[^"]*"|<[^>]*>', " ", body)  # strings and IRIs may hold colons
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):[A-Za-z_]", body))
    return used - declared


# --- regressions ------------------------------------------------------------------------------


def test_topic_holders_holder_without_organisation_is_not_joined_to_every_labelled_resource(loaded: Store) -> None:
    rows = run(loaded, "topic-holders", topic="topic:egeMathProfile")
    [sergeeva] = [row for row in rows if row["holder"] == SERGEEVA]
    assert sergeeva["practice"] == PROFILE_LESSONS
    assert sergeeva["organisation"] is None
    assert sergeeva["organisationName"] is None
    assert sergeeva["municipalityName"] is None and sergeeva["regionName"] is None


def test_dissemination_events_are_not_taken_for_practices(loaded: Store) -> None:
    # the event has a title, two holders, a topic, a form, a model and a level, like a practice
    assert values(run(loaded, "topic-holders", topic="topic:egeMathProfileTask18"), "practice") == [TASK18_METHOD]
    assert EVENT not in values(run(loaded, "organisation-practices", organisation=KVARKEN_SCHOOL), "practice")
    school = [r for r in run(loaded, "organisations-per-municipality") if r["organisation"] == KVARKEN_SCHOOL]
    assert school[0]["practices"].toPython() == 2
    assert EVENT not in values(run(loaded, "practices-by-model-level"), "practice")
    pairs = [{row["holder"], row["coholder"]} for row in run(loaded, "coholder-network")]
    assert {TAZHENOVA, KRAVCHENKO} not in pairs


REGIONLESS = """
@prefix opyt: <https://w3id.org/opyt/ontology#> .
@prefix id: <https://w3id.org/opyt/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:municipality-nowhere a opyt:Municipality ; rdfs:label "Безрегионный район"@ru .
id:org-nowhere-school a org:Organization, opyt:School ; rdfs:label "МБОУ «СОШ без региона»"@ru ;
    opyt:municipality id:municipality-nowhere .
""".encode()


def test_organisations_per_municipality_region_parameter_keeps_only_that_region(loaded: Store) -> None:
    loaded.load(REGIONLESS, "ttl", GRAPH["doc/regionless"])
    try:
        rows = run(loaded, "organisations-per-municipality", region="id:region-chelyabinsk")
        orenburg = run(loaded, "organisations-per-municipality", region=ORENBURG)
        everything = run(loaded, "organisations-per-municipality")
    finally:
        loaded.drop_graph(GRAPH["doc/regionless"])
    assert sorted(values(rows, "organisation")) == sorted([LYCEUM, AUTHORITY])
    assert {(row["region"], str(row["regionName"])) for row in rows} == {(CHELYABINSK, "Челябинская область")}
    assert sorted(values(orenburg, "organisation")) == sorted([KINDERGARTEN, KVARKEN_SCHOOL, RMK])
    # without the parameter, a municipality of no known region is still listed
    [nowhere] = [row for row in everything if row["organisation"] == ID["org-nowhere-school"]]
    assert nowhere["regionName"] is None
    assert len(everything) == 6
