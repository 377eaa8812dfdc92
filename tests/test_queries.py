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
from opyt.service import queries as service_queries
from opyt.errors import QueryError, UnknownQueryError
from opyt.namespace import FORM, GRAPH, ID, LEVEL, MODEL, OPYT, ROLE, SCHEME, TOPIC
from opyt.ontology import ontology_graph
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
    "property-values": {"property": "dcterms:title"},
    "instances": {"class": "foaf:Person"},
}

# Scans whose property or class is a parameter, so they name no term of their own.
GENERIC_QUERIES = {"property-values", "instances"}

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


# --- headers, prefixes and terms -----------------------------------------------------------


def test_the_library_holds_the_documented_queries() -> None:
    assert queries.names() == [
        "class-counts", "coholder-network", "data-quality", "document-versions", "facts-organisations",
        "facts-persons", "facts-practices", "instances", "needs", "organisation-practices",
        "organisations-per-municipality", "practices-by-model-level", "property-values", "topic-holders",
    ]


@pytest.mark.parametrize("name", queries.names())
def test_header_has_title_description_and_param_lines(name: str) -> None:
    stored = queries.load(name)
    header = [line for line in stored.text.splitlines() if line.startswith("#")]
    assert header == stored.text.splitlines()[: len(header)], "the header is the leading comment block"
    assert stored.title and not stored.title.startswith("#")
    assert len(stored.description) > 20
    param_lines = [line for line in header if line.startswith("# param:")]
    assert param_lines, f"{name}: no '# param:' line (write '# param: (none)' for none)"
    if param_lines == ["# param: (none)"]:
        assert stored.parameters == ()
    else:
        assert len(stored.parameters) == len(param_lines)
        assert all(p.type in queries.PARAM_TYPES and p.description for p in stored.parameters)


@pytest.mark.parametrize("name", queries.names())
def test_query_parses_and_declares_every_prefix_it_uses(name: str) -> None:
    text = queries.load(name).text
    prepareQuery(text)  # rdflib: the syntax; no initNs
    # rdflib pre-binds ~30 well-known prefixes (foaf, org, skos, rdfs...), so it
    # accepts an undeclared one; Oxigraph knows none, and the check below names them.
    ox.Store().query(text, use_default_graph_as_union=True)
    assert undeclared_prefixes(text) == set()


def test_the_prefix_check_notices_a_missing_declaration() -> None:
    text = queries.load("data-quality").text
    stripped = "\n".join(line for line in text.splitlines() if not line.startswith("PREFIX foaf:"))
    assert undeclared_prefixes(stripped) == {"foaf"}
    with pytest.raises(SyntaxError):
        ox.Store().query(stripped)


@pytest.mark.parametrize("name", queries.names())
def test_query_names_only_terms_of_the_closed_vocabularies(name: str) -> None:
    body = " ".join(body_lines(queries.load(name).text))
    body = re.sub(r'"[^"]*"', " ", body)
    used = re.findall(r"(?<![\w?$])(" + "|".join(CLOSED_NAMESPACES) + r"):([A-Za-z_][\w-]*)", body)
    assert used or name in GENERIC_QUERIES, "every query but the generic scans names some vocabulary term"
    for prefix, local in used:
        getattr(CLOSED_NAMESPACES[prefix], local)  # raises AttributeError for an unknown term


def _group_by(algebra) -> list[str] | None:
    node = algebra
    while node is not None and hasattr(node, "name"):
        if node.name == "Group":
            return [str(expr) for expr in node.get("expr") or []]
        node = node.get("p")
    return None


@pytest.mark.parametrize("name", queries.names())
def test_parameters_are_projected_top_level_variables(name: str) -> None:
    stored = queries.load(name)
    parsed = prepareQuery(stored.text)
    projected = [str(v) for v in parsed.algebra["PV"]]
    where = stored.text[stored.text.index("WHERE"):]
    grouped = _group_by(parsed.algebra.p)
    for param in stored.parameters:
        assert re.search(rf"\?{param.name}\b", where), f"?{param.name} is not used in the pattern"
        # the embedded backend binds only projected variables
        assert param.name in projected
        # the remote backend joins a VALUES block after grouping: the variable must be a group key
        if grouped is not None:
            assert param.name in grouped, f"?{param.name} must be a GROUP BY key to be bound"


# --- the service's own queries (opyt.service.queries): same format, not in the library -----


def test_service_queries_are_not_in_the_public_library() -> None:
    assert service_queries.names() == [
        "agent-roles", "concept-holders", "consumer-place", "entity-describe", "entity-evidence",
        "entity-incoming", "entity-outgoing", "model-labels", "ontology-describe", "ontology-terms", "roles-in",
    ]
    assert not set(service_queries.names()) & set(queries.names())
    with pytest.raises(UnknownQueryError):
        queries.load("entity-outgoing")


@pytest.mark.parametrize("name", service_queries.names())
def test_service_query_has_a_header_parses_and_declares_its_prefixes(name: str) -> None:
    stored = service_queries.load(name)
    header = [line for line in stored.text.splitlines() if line.startswith("#")]
    assert header == stored.text.splitlines()[: len(header)], "the header is the leading comment block"
    assert stored.title and len(stored.description) > 20
    param_lines = [line for line in header if line.startswith("# param:")]
    assert param_lines == ["# param: (none)"] or len(stored.parameters) == len(param_lines) > 0
    prepareQuery(stored.text)
    ox.Store().query(stored.text, use_default_graph_as_union=True)
    assert undeclared_prefixes(stored.text) == set()
    where = stored.text[stored.text.index("WHERE"):]
    for param in stored.parameters:
        assert re.search(rf"\?{param.name}\b", where), f"?{param.name} is not used in the pattern"


# --- loading and binding errors --------------------------------------------------------------


def test_unknown_query_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownQueryError) as error:
        queries.load("topic-holder")
    message = str(error.value)
    assert "'topic-holder'" in message
    assert all(name in message for name in queries.names())


@pytest.mark.parametrize("name", ["../pyproject", "Topic-Holders", "", "topic_holders"])
def test_names_outside_the_library_are_unknown_queries(name: str) -> None:
    with pytest.raises(UnknownQueryError):
        queries.load(name)


def test_unknown_parameter_names_the_known_ones() -> None:
    with pytest.raises(QueryError, match=r"no parameter subject.*parameters are: topic"):
        queries.load("topic-holders").bindings({"topic": "topic:egeMath", "subject": "x"})


def test_unknown_parameter_of_a_query_without_parameters() -> None:
    with pytest.raises(QueryError, match="parameters are: none"):
        queries.load("class-counts").bindings({"topic": "topic:egeMath"})


def test_missing_required_parameter_says_how_to_give_it() -> None:
    with pytest.raises(QueryError, match=r"needs the parameter topic.*--param topic=VALUE"):
        queries.load("topic-holders").bindings({})


def test_optional_parameters_may_be_left_out() -> None:
    assert queries.load("practices-by-model-level").bindings({}) == {}
    assert queries.load("practices-by-model-level").bindings({"level": "level:school"}) == {"level": LEVEL.school}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("topic:egeMathProfileTask18", TOPIC.egeMathProfileTask18),
        ("<https://w3id.org/opyt/concept/topic/egeMath>", TOPIC.egeMath),
        (" https://w3id.org/opyt/concept/topic/egeMath ", TOPIC.egeMath),
        ("urn:uuid:1234", URIRef("urn:uuid:1234")),
        ("skos:Concept", SKOS.Concept),
    ],
)
def test_iri_parameters_accept_full_iris_and_known_prefixes(value: str, expected: URIRef) -> None:
    assert queries.load("topic-holders").bindings({"topic": value}) == {"topic": expected}


@pytest.mark.parametrize("value", ["egeMath", "nosuchprefix:egeMath", "", "https://a b", "topic egeMath"])
def test_bad_iri_parameter_is_a_query_error_naming_the_prefixes(value: str) -> None:
    with pytest.raises(QueryError, match=r"is not an IRI.*prefixes .*topic"):
        queries.load("topic-holders").bindings({"topic": value})


def test_integer_parameters_are_checked() -> None:
    # no stored query has an integer parameter yet; the type is part of the header format
    limited = queries.StoredQuery(
        "limited", "t", "d", (queries.Parameter("limit", "integer", True, "how many"),), "SELECT ?limit {}"
    )
    assert limited.bindings({"limit": "12"}) == {"limit": Literal(12)}
    with pytest.raises(QueryError, match=r"'limit' must be a whole number, not 'twelve'"):
        limited.bindings({"limit": "twelve"})
    with pytest.raises(QueryError, match="whole number"):
        limited.bindings({"limit": "1.5"})


def test_string_parameters_become_plain_literals() -> None:
    stored = queries.StoredQuery("s", "t", "d", (queries.Parameter("q", "string", True, ""),), "SELECT ?q {}")
    assert stored.bindings({"q": "задание 18"}) == {"q": Literal("задание 18")}


# --- every stored query over the fixture, on both backends -------------------------------------


def test_every_query_with_required_parameters_has_an_example() -> None:
    for stored in queries.all_queries():
        required = {p.name for p in stored.parameters if p.required}
        assert required <= set(EXAMPLE_BINDINGS.get(stored.name, {})), stored.name


@pytest.mark.parametrize("name", queries.names())
def test_every_stored_query_answers_over_the_fixture(loaded: Store, name: str) -> None:
    stored = queries.load(name)
    result = loaded.select(stored.text, stored.bindings(EXAMPLE_BINDINGS.get(name, {})))
    assert result.variables == [str(v) for v in prepareQuery(stored.text).algebra["PV"]]
    assert result.rows, f"{name} found nothing in the fixture"


# topic-holders


def test_topic_holders_exact_topic_has_distance_zero_with_evidence(loaded: Store) -> None:
    [row] = run(loaded, "topic-holders", topic="topic:egeMathProfileTask18")
    assert row["practice"] == TASK18_METHOD
    assert row["topic"] == TOPIC.egeMathProfileTask18
    assert row["distance"].toPython() == 0
    assert row["holder"] == TAZHENOVA and str(row["holderName"]) == "Таженова У.С."
    assert str(row["holderType"]) == "Person"
    assert row["organisation"] == KVARKEN_SCHOOL
    assert str(row["organisationName"]) == "МАОУ «Кваркенская СОШ»"
    assert str(row["municipalityName"]) == "Кваркенский район"
    assert str(row["regionName"]) == "Оренбургская область"
    assert concat(row["forms"]) == {"мастер-класс"}
    assert (row["model"], row["level"]) == (MODEL.direct, LEVEL.municipal)
    assert str(row["evidence"]).startswith("Мастер-класс «Графический метод решения задания 18")
    assert str(row["source"]) == KVARKEN_FILE


def test_topic_holders_broader_topic_finds_narrower_practices_by_distance(loaded: Store) -> None:
    rows = run(loaded, "topic-holders", topic="topic:egeMath")
    # the profile exam is one step below egeMath, its task 18 two: nearer topics first
    assert [(row["practice"], row["distance"].toPython()) for row in rows] == [
        (PROFILE_LESSONS, 1),
        (TASK18_METHOD, 2),
    ]
    assert SEMANTIC_READING not in values(rows, "practice")
    # no quote for the profile lessons, but the document stating them is still named
    assert rows[0]["evidence"] is None
    assert str(rows[0]["source"]) == "kvarkensky-dissemination-program.txt"


def test_topic_holders_exact_matches_come_before_narrower_ones(loaded: Store) -> None:
    rows = run(loaded, "topic-holders", topic="topic:egeMathProfile")
    assert [(row["practice"], row["distance"].toPython()) for row in rows] == [(PROFILE_LESSONS, 0), (TASK18_METHOD, 1)]


def test_topic_holders_literacy_finds_both_holders_of_a_shared_practice(loaded: Store, fixture_dataset: Dataset) -> None:
    rows = run(loaded, "topic-holders", topic="topic:functionalLiteracy")
    found = {(row["practice"], row["holder"], row["organisation"]) for row in rows}
    assert found == {
        (SEMANTIC_READING, KRAVCHENKO, KVARKEN_SCHOOL),
        (SEMANTIC_READING, IVANOVA, KINDERGARTEN),
        (SCIENCE, SOKOLOV, LYCEUM),
    }
    assert {row["distance"].toPython() for row in rows} == {1}
    for row in rows:
        assert str(row["source"]) == catalogue_file_of(fixture_dataset, row["practice"])
        assert row["evidence"] is not None
    reading = next(row for row in rows if row["practice"] == SEMANTIC_READING)
    assert concat(reading["forms"]) == {"семинар", "вебинар"}
    assert TASK18_METHOD not in values(rows, "practice")


def catalogue_file_of(dataset: Dataset, practice: URIRef) -> str:
    """The file name of the document a practice's evidence is quoted from, read from the fixture."""
    evidence = next(dataset.objects(practice, OPYT.evidence))
    document = next(dataset.objects(evidence, PROV.wasQuotedFrom))
    return str(next(dataset.objects(document, OPYT.fileName)))


def test_topic_holders_organisation_holder_is_its_own_organisation(loaded: Store) -> None:
    [row] = run(loaded, "topic-holders", topic="topic:educationQualityManagement")
    assert row["practice"] == LOW_RESULTS
    assert str(row["holderType"]) == "Organisation"
    assert row["holder"] == row["organisation"] == RMK
    assert str(row["municipalityName"]) == "Кваркенский район"
    assert row["distance"].toPython() == 1


def test_topic_holders_topic_without_practices_is_empty(loaded: Store) -> None:
    assert run(loaded, "topic-holders", topic="topic:ogeMath") == []
    assert run(loaded, "topic-holders", topic="https://w3id.org/opyt/concept/topic/noSuchTopic") == []


# organisation-practices


@pytest.mark.parametrize(
    "organisation, expected",
    [
        pytest.param(KVARKEN_SCHOOL, {TASK18_METHOD, SEMANTIC_READING}, id="own-and-staff"),
        pytest.param(LYCEUM, {DIGITAL, SCIENCE}, id="only-through-staff"),
        pytest.param(RMK, {LOW_RESULTS}, id="organisation-holder"),
        pytest.param(KINDERGARTEN, {SEMANTIC_READING}, id="co-holder-staff"),
        pytest.param(AUTHORITY, {MENTORING}, id="authority"),
    ],
)
def test_organisation_practices_include_those_held_through_staff(
    loaded: Store, organisation: URIRef, expected: set[URIRef]
) -> None:
    rows = run(loaded, "organisation-practices", organisation=organisation)
    assert sorted(values(rows, "practice")) == sorted(expected)
    assert {row["organisation"] for row in rows} == {organisation}


def test_organisation_practices_gather_holders_topics_forms_and_sources(loaded: Store) -> None:
    rows = {row["practice"]: row for row in run(loaded, "organisation-practices", organisation="id:org-kvarkenskaya-sosh")}
    reading = rows[SEMANTIC_READING]
    assert concat(reading["holders"]) == {"Кравченко О.А.", "Иванова Н.П."}
    assert concat(reading["topics"]) == {"читательская грамотность"}
    assert concat(reading["forms"]) == {"семинар", "вебинар"}
    assert (reading["model"], reading["level"]) == (MODEL.network, LEVEL.regional)
    assert concat(reading["sources"]) == {KVARKEN_FILE}
    # the task-18 method is described in both documents
    assert concat(rows[TASK18_METHOD]["sources"]) == {KVARKEN_FILE, MAGNITOGORSK_FILE}


# practices-by-model-level


def _practices_with(dataset: Dataset, model: URIRef | None = None, level: URIRef | None = None) -> list[URIRef]:
    found = set()
    for practice in PRACTICES:
        if model is not None and (practice, OPYT.model, model) not in dataset:
            continue
        if level is not None and (practice, OPYT.level, level) not in dataset:
            continue
        found.add(practice)
    return sorted(found)


@pytest.mark.parametrize("model", [MODEL.direct, MODEL.mediated, MODEL.network])
def test_practices_by_model(loaded: Store, fixture_dataset: Dataset, model: URIRef) -> None:
    rows = run(loaded, "practices-by-model-level", model=model)
    assert sorted(values(rows, "practice")) == _practices_with(fixture_dataset, model=model)
    assert {row["model"] for row in rows} == {model}


@pytest.mark.parametrize("level", [LEVEL.municipal, LEVEL.regional, LEVEL.school, LEVEL.federal])
def test_practices_by_level(loaded: Store, fixture_dataset: Dataset, level: URIRef) -> None:
    rows = run(loaded, "practices-by-model-level", level=level)
    assert sorted(values(rows, "practice")) == _practices_with(fixture_dataset, level=level)
    assert {row["level"] for row in rows} <= {level}


def test_practices_by_model_and_level(loaded: Store) -> None:
    rows = run(loaded, "practices-by-model-level", model="model:direct", level="level:municipal")
    assert values(rows, "practice") == [TASK18_METHOD]
    assert str(rows[0]["holders"]) == "Таженова У.С."


def test_practices_by_model_level_without_parameters_lists_every_practice(loaded: Store) -> None:
    rows = run(loaded, "practices-by-model-level")
    assert sorted(values(rows, "practice")) == sorted(PRACTICES)  # each once; all have a model and a level
    assert [(row["model"], row["level"]) for row in rows] == sorted((row["model"], row["level"]) for row in rows)


# organisations-per-municipality


def test_organisations_per_municipality_counts_practices(loaded: Store) -> None:
    rows = run(loaded, "organisations-per-municipality")
    assert [(str(r["regionName"]), str(r["municipalityName"]), r["organisation"], r["practices"].toPython()) for r in rows] == [
        ("Оренбургская область", "Адамовский район", KINDERGARTEN, 1),
        ("Оренбургская область", "Кваркенский район", KVARKEN_SCHOOL, 2),
        ("Оренбургская область", "Кваркенский район", RMK, 1),
        ("Челябинская область", "Магнитогорский городской округ", LYCEUM, 2),
        ("Челябинская область", "Магнитогорский городской округ", AUTHORITY, 1),
    ]
    assert {r["region"] for r in rows} == {ORENBURG, CHELYABINSK}


# coholder-network


def test_coholder_network_finds_the_pair_once(loaded: Store) -> None:
    rows = run(loaded, "coholder-network")
    assert len(rows) == 1
    [row] = rows
    assert {row["holder"], row["coholder"]} == {KRAVCHENKO, IVANOVA}
    assert {str(row["holderName"]), str(row["coholderName"])} == {"Кравченко О.А.", "Иванова Н.П."}
    assert row["sharedPractices"].toPython() == 1
    assert str(row["titles"]).startswith("Смысловое чтение")


def test_coholder_network_for_one_holder(loaded: Store) -> None:
    [row] = run(loaded, "coholder-network", holder="id:person-ivanova-n-p")
    assert row["coholder"] == KRAVCHENKO
    assert run(loaded, "coholder-network", holder="id:person-sokolov-d-m") == []


# data-quality


def test_data_quality_finds_exactly_the_two_planted_problems(loaded: Store) -> None:
    rows = run(loaded, "data-quality")
    assert [(str(r["problem"]), r["entity"], str(r["label"]), str(r["sources"])) for r in rows] == [
        ("holder without an organisation", SERGEEVA, "Сергеева Е.В.", KVARKEN_FILE),
        ("practice without a topic", DIGITAL, "Цифровая образовательная среда лицея", MAGNITOGORSK_FILE),
    ]


# class-counts and the facts queries


def test_class_counts(loaded: Store, fixture_dataset: Dataset) -> None:
    counts = {str(row["kind"]): row["count"].toPython() for row in run(loaded, "class-counts")}
    assert counts == {
        "documents": 2, "events": 1, "evidence": 5, "organisations": 5, "persons": 6, "practices": len(PRACTICES),
    }
    assert counts["persons"] == len(set(fixture_dataset.subjects(RDF.type, FOAF.Person)))
    assert counts["organisations"] == len(set(fixture_dataset.subjects(RDF.type, ORG.Organization)))


def test_class_counts_are_zero_in_an_empty_store() -> None:
    with EmbeddedStore(None) as empty:
        counts = {str(row["kind"]): row["count"].toPython() for row in run(empty, "class-counts")}
    assert counts == dict.fromkeys(["documents", "events", "evidence", "organisations", "persons", "practices"], 0)


@pytest.mark.parametrize(
    "name, kind",
    [("facts-persons", FOAF.Person), ("facts-organisations", ORG.Organization)],
)
def test_facts_queries_cover_every_agent(loaded: Store, fixture_dataset: Dataset, name: str, kind: URIRef) -> None:
    rows = run(loaded, name)
    assert {row["id"] for row in rows} == set(fixture_dataset.subjects(RDF.type, kind))
    assert all(row["name"] is not None and row["source"] is not None for row in rows)


def test_facts_practices_cover_every_practice_and_no_event(loaded: Store) -> None:
    rows = run(loaded, "facts-practices")
    assert {row["id"] for row in rows} == PRACTICES
    digital = [row for row in rows if row["id"] == DIGITAL]
    assert {row["topic"] for row in digital} == {None}


# --- both backends give the same answers ------------------------------------------------------

PARAMETRISED_RUNS = [
    ("topic-holders", {"topic": "topic:egeMath"}),
    ("topic-holders", {"topic": "topic:egeMathProfileTask18"}),
    ("topic-holders", {"topic": "topic:functionalLiteracy"}),
    ("organisation-practices", {"organisation": "id:org-kvarkenskaya-sosh"}),
    ("organisation-practices", {"organisation": "id:org-magnitogorsk-lyceum"}),
    ("practices-by-model-level", {}),
    ("practices-by-model-level", {"model": "model:direct"}),
    ("practices-by-model-level", {"level": "level:regional"}),
    ("practices-by-model-level", {"model": "model:network", "level": "level:municipal"}),
    ("organisations-per-municipality", {}),
    ("organisations-per-municipality", {"region": "id:region-orenburg"}),
    ("coholder-network", {}),
    ("coholder-network", {"holder": "id:person-ivanova-n-p"}),
]


def normalised(rows: list[dict]) -> Counter:
    """Rows as a multiset, GROUP_CONCAT values as sets: SPARQL fixes neither their order nor that of ties."""
    def cell(term):
        if isinstance(term, Literal) and "; " in str(term):
            return frozenset(str(term).split("; "))
        return term
    return Counter(tuple(sorted((k, cell(v)) for k, v in row.items())) for row in rows)


@pytest.mark.remote
def test_embedded_and_remote_answers_are_identical(embedded_catalogue: Store, remote_catalogue: Store) -> None:
    for name, params in PARAMETRISED_RUNS:
        embedded = run(embedded_catalogue, name, **params)
        remote = run(remote_catalogue, name, **params)
        assert embedded, (name, params)
        assert normalised(embedded) == normalised(remote), (name, params)


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
    # a municipality of no known region is left to data-quality, never put under a region
    assert ID["org-nowhere-school"] not in values(everything, "organisation")
    assert len(everything) == 5


def test_topic_scheme_is_no_deeper_than_topic_holders_follows() -> None:
    """topic-holders follows skos:broader with fixed-length paths up to 5 steps."""
    vocabulary = ontology_graph()

    def depth(concept, seen=()) -> int:
        parents = [p for p in vocabulary.objects(concept, SKOS.broader) if p not in seen]
        return 1 + max((depth(p, (*seen, concept)) for p in parents), default=-1)

    deepest = max(depth(c) for c in vocabulary.subjects(SKOS.inScheme, SCHEME.topic))
    assert deepest <= 5, f"the topic scheme is {deepest} levels deep: add UNION branches to topic-holders.rq"
