"""The store contract, run against both backends: real pyoxigraph and a real ``oxigraph serve``."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from pydantic import SecretStr
from rdflib import RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from opyt.config import Settings
from opyt.errors import InputError, QueryError, StoreError, StoreUnavailableError
from opyt.namespace import GRAPH, OPYT
from opyt.store import EmbeddedStore, RemoteStore, Store, open_store
from opyt.store.terms import with_values

EX = Namespace("http://example.org/")
DOC1, DOC2, DOC3 = GRAPH["doc-1"], GRAPH["doc-2"], GRAPH["doc-3"]
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

PREFIXES = f"""
PREFIX opyt: <{OPYT._NS}>
PREFIX ex: <{EX}>
PREFIX rdfs: <{RDFS}>
"""

CATALOGUE = f"""
@prefix opyt: <{OPYT._NS}> .
@prefix ex: <{EX}> .
@prefix rdfs: <{RDFS}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{DOC1}> {{
    ex:p1 a opyt:Practice ; rdfs:label "Проектное обучение"@ru ;
        opyt:keyword "проект" ; opyt:organisation ex:school7 .
}}
<{DOC2}> {{
    ex:p2 a opyt:Practice ; rdfs:label "Наставничество"@ru ;
        opyt:period "2020-2024" ; opyt:charStart "42"^^xsd:integer .
    ex:school7 rdfs:label "Школа № 7" .
    ex:p2 opyt:evidence [ opyt:quote "«цитата»" ] .
}}
""".encode()

TRICKY_STRINGS = [
    'say "hi"',
    "line one\nline two\r\n",
    "closing } brace",
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    "back\\slash and \\u0022",
    "'''triple''' and \"\"\"triple\"\"\"",
    'ends with a quote"',
    "tab\there",
    "ёж 𝄞",
]

BOUND_TERMS = [
    pytest.param(EX.p1, id="iri"),
    pytest.param(Literal("проект"), id="plain"),
    pytest.param(Literal("Наставничество", lang="ru"), id="language"),
    pytest.param(Literal(42), id="integer"),
    pytest.param(Literal("2021-09-01", datatype=XSD_DATE), id="date"),
    *(pytest.param(Literal(text), id=f"tricky-{n}") for n, text in enumerate(TRICKY_STRINGS)),
]


def graph_of(*triples: tuple) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def snapshot(store: Store) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.graph_names()}


def assert_same_content(actual: dict[URIRef, Graph], expected: dict[URIRef, Graph]) -> None:
    assert actual.keys() == expected.keys()
    for name, graph in expected.items():
        assert isomorphic(actual[name], graph), name


@pytest.fixture
def catalogue(store: Store) -> Store:
    store.load(CATALOGUE, "trig")
    return store


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"


# --- queries -------------------------------------------------------------------------


def test_select_returns_variables_and_rdflib_terms(catalogue: Store) -> None:
    result = catalogue.select(
        PREFIXES + "SELECT ?practice ?label WHERE { ?practice a opyt:Practice ; rdfs:label ?label } ORDER BY ?practice"
    )
    assert result.variables == ["practice", "label"]
    assert result.rows == [
        {"practice": EX.p1, "label": Literal("Проектное обучение", lang="ru")},
        {"practice": EX.p2, "label": Literal("Наставничество", lang="ru")},
    ]


def test_unbound_variables_are_none(catalogue: Store) -> None:
    result = catalogue.select(
        PREFIXES + "SELECT ?practice ?period WHERE { ?practice a opyt:Practice OPTIONAL { ?practice opyt:period ?period } } ORDER BY ?practice"
    )
    assert result.rows == [{"practice": EX.p1, "period": None}, {"practice": EX.p2, "period": Literal("2020-2024")}]


def test_typed_literals_read_back_as_typed(catalogue: Store) -> None:
    [row] = catalogue.select(PREFIXES + "SELECT ?start WHERE { ex:p2 opyt:charStart ?start }").rows
    assert row["start"] == Literal(42)
    assert row["start"].toPython() == 42


def test_ask(catalogue: Store) -> None:
    assert catalogue.ask(PREFIXES + "ASK { ex:p1 opyt:organisation ex:school7 }")
    assert not catalogue.ask(PREFIXES + "ASK { ex:p2 opyt:organisation ?organisation }")


def test_construct_returns_an_rdflib_graph(catalogue: Store) -> None:
    graph = catalogue.construct(PREFIXES + "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a opyt:Practice ; rdfs:label ?l }")
    assert set(graph) == {
        (EX.p1, RDFS.label, Literal("Проектное обучение", lang="ru")),
        (EX.p2, RDFS.label, Literal("Наставничество", lang="ru")),
    }


def test_queries_see_the_union_of_named_graphs(catalogue: Store) -> None:
    """The practice (doc-1) and the school's name (doc-2) join without any GRAPH clause."""
    result = catalogue.select(
        PREFIXES + "SELECT ?name WHERE { ex:p1 opyt:organisation ?school . ?school rdfs:label ?name }"
    )
    assert result.rows == [{"name": Literal("Школа № 7")}]


def test_graph_clause_still_tells_where_a_fact_comes_from(catalogue: Store) -> None:
    result = catalogue.select(PREFIXES + "SELECT ?g WHERE { GRAPH ?g { ?school rdfs:label \"Школа № 7\" } }")
    assert result.rows == [{"g": DOC2}]


def test_each_query_method_needs_its_query_form(catalogue: Store) -> None:
    with pytest.raises(QueryError, match="ASK"):
        catalogue.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="SELECT"):
        catalogue.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="CONSTRUCT"):
        catalogue.construct("SELECT * WHERE { ?s ?p ?o }")


def test_malformed_query_raises_query_error_with_the_parser_message(catalogue: Store) -> None:
    before = catalogue.dump()
    with pytest.raises(QueryError, match=r"error at 1:25: expected one of LATERAL, SERVICE, \[_\]"):
        catalogue.select("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="error at 1:22: expected one of") as error:
        catalogue.update("DELETE WHERE { ?s ?p }")
    assert "'\\u{3001}'..='\\u{D7FF}'" in str(error.value)  # the whole message, unmangled
    assert catalogue.dump() == before


def test_update_writes_into_named_graphs(store: Store) -> None:
    store.update(f'INSERT DATA {{ GRAPH <{DOC1}> {{ <{EX.p1}> <{OPYT.keyword}> "kw" }} }}')
    assert store.graph_names() == [DOC1]
    assert store.count() == 1


# --- bindings ------------------------------------------------------------------------


@pytest.mark.parametrize("term", BOUND_TERMS)
def test_bound_terms_match_stored_terms(store: Store, term: Literal | URIRef) -> None:
    store.replace_graph(DOC1, graph_of((EX.item, EX.value, term), (EX.other, EX.value, Literal("other"))))
    result = store.select(PREFIXES + "SELECT ?item ?value WHERE { ?item ex:value ?value }", {"value": term})
    assert result.rows == [{"item": EX.item, "value": term}]


def test_bound_values_are_data_not_query_text(catalogue: Store) -> None:
    before = catalogue.dump()
    for text in TRICKY_STRINGS:
        query = PREFIXES + "SELECT ?practice ?keyword WHERE { ?practice opyt:keyword ?keyword }"
        assert catalogue.select(query, {"keyword": Literal(text)}).rows == []
        assert not catalogue.ask(PREFIXES + "ASK { ?practice opyt:keyword ?keyword }", {"keyword": Literal(text)})
    assert catalogue.dump() == before


def test_bindings_reject_what_could_escape_into_query_text(catalogue: Store) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="valid"):
        catalogue.select(query, {"s": URIRef("http://example.org/x> } ; DROP ALL ; #")})
    with pytest.raises(QueryError, match="variable name"):
        catalogue.select(query, {"s) {} } ; DROP ALL ; #": EX.p1})
    with pytest.raises(QueryError, match="blank node"):
        catalogue.select(query, {"s": BNode()})
    assert catalogue.count() == 11


def test_a_comment_on_the_last_line_does_not_hide_the_bindings(catalogue: Store) -> None:
    query = PREFIXES + "SELECT ?practice ?keyword WHERE { ?practice opyt:keyword ?keyword } # the end"
    assert catalogue.select(query, {"keyword": Literal("нет")}).rows == []


def test_a_bound_variable_filters_even_when_not_projected(catalogue: Store) -> None:
    query = PREFIXES + "SELECT DISTINCT ?practice WHERE { ?practice opyt:keyword ?keyword }"
    assert catalogue.select(query).rows == [{"practice": EX.p1}]
    assert catalogue.select(query, {"keyword": Literal("проект")}).rows == [{"practice": EX.p1}]
    assert catalogue.select(query, {"keyword": Literal("нет")}).rows == []


def test_bindings_go_first_inside_the_outer_where_outside_comments_and_strings() -> None:
    bindings = {"s": ox.NamedNode("http://example.org/x")}
    query = 'PREFIX a: <http://x#> # WHERE {\nSELECT * WHERE { ?s ?p "WHERE {" } # WHERE {'
    assert with_values(query, bindings) == (
        'PREFIX a: <http://x#> # WHERE {\nSELECT * WHERE {\nVALUES (?s) { (<http://example.org/x>) }\n ?s ?p "WHERE {" } # WHERE {'
    )
    assert with_values("SELECT * { ?s ?p ?o }", bindings).endswith("VALUES (?s) { (<http://example.org/x>) }\n")


@pytest.mark.remote
def test_both_backends_give_identical_results_for_a_parametrised_query(
    embedded_store: EmbeddedStore, remote_store: RemoteStore
) -> None:
    query = PREFIXES + """
        SELECT ?practice ?label ?quote (COUNT(?keyword) AS ?keywords) WHERE {
            ?practice a opyt:Practice ; rdfs:label ?label .
            OPTIONAL { ?practice opyt:keyword ?keyword }
            OPTIONAL { ?practice opyt:evidence/opyt:quote ?quote }
        }
        GROUP BY ?practice ?label ?quote ORDER BY ?practice
    """
    results = []
    for store in (embedded_store, remote_store):
        store.load(CATALOGUE, "trig")
        results.append([store.select(query, {"label": label}) for label in (
            Literal("Наставничество", lang="ru"), Literal("Проектное обучение", lang="ru"), Literal("Наставничество"),
        )])
    assert results[0] == results[1]
    assert [len(result.rows) for result in results[0]] == [1, 1, 0]


# --- graphs --------------------------------------------------------------------------


def test_replace_graph_replaces_only_that_graph(catalogue: Store) -> None:
    doc2 = catalogue.graph(DOC2)
    replacement = graph_of((EX.p1, RDFS.label, Literal("Новое имя", lang="ru")), (EX.p1, EX.part, BNode()))
    catalogue.replace_graph(DOC1, replacement)
    assert isomorphic(catalogue.graph(DOC1), replacement)
    assert isomorphic(catalogue.graph(DOC2), doc2)


def test_replace_graph_keeps_the_old_content_when_reading_the_graph_fails(catalogue: Store) -> None:
    class FailingGraph(Graph):
        def triples(self, pattern, *args, **kwargs):
            for number, triple in enumerate(super().triples(pattern, *args, **kwargs)):
                if number == 2:
                    raise RuntimeError("the extractor crashed")
                yield triple

    failing = FailingGraph()
    for n in range(5):
        failing.add((EX[f"s{n}"], EX.p, Literal(n)))
    before = catalogue.dump()
    with pytest.raises(RuntimeError, match="extractor crashed"):
        catalogue.replace_graph(DOC1, failing)
    assert catalogue.dump() == before


def test_replace_graph_keeps_the_old_content_when_a_term_is_rejected(catalogue: Store) -> None:
    before = catalogue.dump()
    bad = graph_of((EX.p1, RDFS.label, Literal("fine")), (EX.p1, EX.see, URIRef("not an absolute IRI")))
    with pytest.raises(InputError, match="not valid RDF"):
        catalogue.replace_graph(DOC1, bad)
    assert catalogue.dump() == before


def test_replace_graph_with_an_invalid_graph_name_changes_nothing(catalogue: Store) -> None:
    before = catalogue.dump()
    with pytest.raises(InputError, match="IRI"):
        catalogue.replace_graph("http://example.org/g> { } ; DROP ALL ; #", graph_of((EX.a, EX.b, EX.c)))
    assert catalogue.dump() == before


def test_drop_graph_keeps_the_other_graphs(catalogue: Store) -> None:
    doc2 = catalogue.graph(DOC2)
    catalogue.drop_graph(DOC1)
    catalogue.drop_graph(DOC3)  # absent: nothing happens
    assert catalogue.graph_names() == [DOC2]
    assert len(catalogue.graph(DOC1)) == 0
    assert isomorphic(catalogue.graph(DOC2), doc2)


def test_graph_names_lists_graphs_with_triples_sorted(catalogue: Store) -> None:
    catalogue.replace_graph(DOC3, graph_of((EX.a, EX.b, EX.c)))
    catalogue.replace_graph(DOC1, Graph())
    assert catalogue.graph_names() == [DOC2, DOC3]


def test_count_is_the_number_of_quads(catalogue: Store) -> None:
    assert catalogue.count() == 11
    catalogue.replace_graph(DOC3, graph_of((EX.p1, RDFS.label, Literal("Проектное обучение", lang="ru"))))
    assert catalogue.count() == 12  # the same triple in two graphs is two quads


# --- load and dump -------------------------------------------------------------------


@pytest.mark.parametrize("format", ["nq", "trig"])
def test_dump_and_load_round_trip(catalogue: Store, format: str) -> None:
    before = snapshot(catalogue)
    data = catalogue.dump(format)
    catalogue.update("DROP ALL")
    assert catalogue.count() == 0
    catalogue.load(data, format)
    assert_same_content(snapshot(catalogue), before)


def test_dump_of_an_empty_store_is_empty(store: Store) -> None:
    assert store.dump() == b""


@pytest.mark.parametrize(
    ("format", "data"),
    [
        ("ttl", f'@prefix ex: <{EX}> . ex:a ex:b "c"@en ; ex:d ex:e .'.encode()),
        ("nt", f'<{EX.a}> <{EX.b}> "c"@en .\n<{EX.a}> <{EX.d}> <{EX.e}> .\n'.encode()),
        ("jsonld", json.dumps({"@context": {"ex": str(EX)}, "@id": "ex:a", "ex:b": {"@value": "c", "@language": "en"}, "ex:d": {"@id": "ex:e"}}).encode()),
        ("application/n-triples", f'<{EX.a}> <{EX.b}> "c"@en .\n<{EX.a}> <{EX.d}> <{EX.e}> .\n'.encode()),
    ],
)
def test_load_puts_triples_into_the_given_graph(store: Store, format: str, data: bytes) -> None:
    store.load(data, format, DOC3)
    assert store.graph_names() == [DOC3]
    assert isomorphic(store.graph(DOC3), graph_of((EX.a, EX.b, Literal("c", lang="en")), (EX.a, EX.d, EX.e)))


def test_load_puts_the_default_graph_of_trig_into_the_given_graph(store: Store) -> None:
    store.load(f"<{EX.a}> <{EX.b}> <{EX.c}> . <{DOC1}> {{ <{EX.a}> <{EX.b}> <{EX.d}> }}".encode(), "trig", DOC3)
    assert store.graph_names() == [DOC1, DOC3]


def test_load_refuses_triples_without_a_graph(catalogue: Store) -> None:
    before = catalogue.dump()
    with pytest.raises(InputError, match="outside any named graph"):
        catalogue.load(f"<{DOC3}> {{ <{EX.a}> <{EX.b}> <{EX.c}> }} <{EX.a}> <{EX.b}> <{EX.d}> .".encode(), "trig")
    assert catalogue.dump() == before


def test_load_of_malformed_data_changes_nothing(catalogue: Store) -> None:
    before = catalogue.dump()
    data = f"<{EX.a}> <{EX.b}> <{EX.c}> <{DOC3}> .\n<{EX.a}> <{EX.b}> oops <{DOC3}> .\n".encode()
    with pytest.raises(InputError, match="N-Quads"):
        catalogue.load(data, "nq")
    assert catalogue.dump() == before


def test_load_keeps_blank_nodes_of_different_files_apart(store: Store) -> None:
    data = f'_:b0 <{EX.name}> "one" .'.encode()
    store.load(data, "nt", DOC1)
    store.load(data, "nt", DOC1)
    assert len(store.select(f"SELECT DISTINCT ?node WHERE {{ ?node <{EX.name}> ?name }}").rows) == 2


def test_load_without_a_transaction_gives_the_same_data(store: Store) -> None:
    store.load(CATALOGUE, "trig", atomic=False)
    assert store.graph_names() == [DOC1, DOC2]
    assert store.count() == 11


def test_unknown_formats_are_refused(store: Store) -> None:
    with pytest.raises(InputError, match="Unknown RDF format"):
        store.load(b"", "docx", DOC1)
    with pytest.raises(InputError, match="dump"):
        store.dump("ttl")  # type: ignore[arg-type]


# --- availability and lifetime -------------------------------------------------------


def test_unreachable_endpoint_raises_store_unavailable(closed_port_url: str) -> None:
    with RemoteStore(closed_port_url) as store:
        for attempt in (
            lambda: store.select("SELECT * WHERE { ?s ?p ?o }"),
            lambda: store.update("DROP ALL"),
            lambda: store.graph(DOC1),
            lambda: store.replace_graph(DOC1, graph_of((EX.a, EX.b, EX.c))),
        ):
            with pytest.raises(StoreUnavailableError, match="Cannot reach .* OPYT_ENDPOINT") as error:
                attempt()
            assert closed_port_url.removesuffix("/query") in str(error.value)


def test_endpoint_that_does_not_answer_times_out(silent_server_url: str) -> None:
    with RemoteStore(silent_server_url, timeout=0.3) as store:
        with pytest.raises(StoreUnavailableError, match="did not answer within 0.3 s"):
            store.ask("ASK {}")
        with pytest.raises(StoreUnavailableError, match="did not answer within 0.3 s"):
            store.graph(DOC1)


HOLD_STORE = """
import sys
from pathlib import Path
from opyt.store import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.read()
"""


def test_a_directory_held_by_another_process_raises_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnavailableError, match="locked") as error:
            EmbeddedStore(path)
        assert str(path) in str(error.value)
        assert "opyt serve" in str(error.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    EmbeddedStore(path).close()


def test_embedded_data_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.load(CATALOGUE, "trig")
        before = snapshot(store)
    with EmbeddedStore(path) as reopened:
        assert_same_content(snapshot(reopened), before)


def test_a_closed_embedded_store_refuses_work(embedded_store: EmbeddedStore) -> None:
    embedded_store.close()
    with pytest.raises(StoreError, match="closed"):
        embedded_store.count()


# --- choosing a backend --------------------------------------------------------------


def test_open_store_without_endpoint_opens_the_embedded_store(tmp_path: Path) -> None:
    path = tmp_path / "var" / "store"
    with open_store(Settings(store=path, endpoint=None)) as store:
        assert isinstance(store, EmbeddedStore)
        assert path.is_dir()


def test_open_store_with_an_oxigraph_endpoint_derives_update_and_graph_store_urls() -> None:
    settings = Settings(endpoint="http://db:7878/query", update_endpoint=None, graph_store=None, user="u", password=SecretStr("p"))
    with open_store(settings) as store:
        assert isinstance(store, RemoteStore)
        assert (store.update_url, store.graph_store_url) == ("http://db:7878/update", "http://db:7878/store")


def test_open_store_with_another_endpoint_uses_it_for_everything_not_configured() -> None:
    settings = Settings(endpoint="http://db/sparql", update_endpoint=None, graph_store="http://db/data")
    with open_store(settings) as store:
        assert isinstance(store, RemoteStore)
        assert (store.update_url, store.graph_store_url) == ("http://db/sparql", "http://db/data")
