"""The SPARQL 1.1 Protocol, Update, Graph Store Protocol and self-descriptions of
the service, end to end: a real ``opyt serve`` (uvicorn) over a store loaded
with the sample, driven over loopback HTTP with httpx, SPARQLWrapper and
rdflib's SPARQLStore. Answers are parsed back with real parsers."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from opyt import catalogue
from opyt.store import EmbeddedStore
from tests.conftest import opyt_serve

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample.ttl"
TOKEN = "test-token"
RESULT_LIMIT = 2000  # below the ~3,200 triples of sample + vocabulary
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
REGION = URIRef("https://w3id.org/opyt/id/region-orenburg")
REGION_LABEL = Literal("Оренбургская область", lang="ru")
LABEL_QUERY = f"SELECT ?label WHERE {{ <{REGION}> <{RDFS.label}> ?label }}"
REGION_CONSTRUCT = f"CONSTRUCT {{ <{REGION}> ?p ?o }} WHERE {{ <{REGION}> ?p ?o }}"
PROBLEM = "application/problem+json"
# finite (about 10^7 solutions, seconds) but far over a 0.2 s limit
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def _sample_store(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    store_dir = tmp_path_factory.mktemp(name) / "store"
    with EmbeddedStore(store_dir) as store:
        catalogue.load_file(store, SAMPLE)
    return store_dir


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with opyt_serve(_sample_store(tmp_path_factory, "sparql"), OPYT_TOKEN=TOKEN,
                    OPYT_RESULT_LIMIT=str(RESULT_LIMIT)) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def strict_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A very short query time limit and no token: writes are switched off."""
    with opyt_serve(_sample_store(tmp_path_factory, "strict"), OPYT_QUERY_TIMEOUT="0.2") as base_url:
        yield base_url


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def _assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert _media_type(response) == PROBLEM
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def _ask(base_url: str, query: str) -> bool:
    response = httpx.get(f"{base_url}/sparql", params={"query": query})
    assert response.status_code == 200
    return response.json()["boolean"]


# --- queries: protocol forms and result formats -------------------------------------------------


def test_select_answers_sparql_json_by_default(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": LABEL_QUERY})
    assert response.status_code == 200
    assert _media_type(response) == "application/sparql-results+json"
    body = response.json()
    assert body["head"]["vars"] == ["label"]
    assert body["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "Оренбургская область", "xml:lang": "ru"}}]


@pytest.mark.parametrize("send", ["form", "direct"])
def test_post_forms_answer_as_get_does(service: str, send: str) -> None:
    if send == "form":
        response = httpx.post(f"{service}/sparql", data={"query": LABEL_QUERY})
    else:
        response = httpx.post(f"{service}/sparql", content=LABEL_QUERY.encode(),
                              headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["label"]["value"] == "Оренбургская область"


def test_select_as_xml_results_parsed_by_rdflib(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": LABEL_QUERY},
                         headers={"Accept": "application/sparql-results+xml"})
    assert _media_type(response) == "application/sparql-results+xml"
    result = Result.parse(io.BytesIO(response.content), format="xml")
    assert [row.label for row in result] == [REGION_LABEL]


def test_select_as_csv(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": LABEL_QUERY}, headers={"Accept": "text/csv"})
    assert _media_type(response) == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [["label"], ["Оренбургская область"]]


def test_select_as_tsv(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": LABEL_QUERY},
                         headers={"Accept": "text/tab-separated-values"})
    assert _media_type(response) == "text/tab-separated-values"
    rows = list(csv.reader(io.StringIO(response.text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows == [["?label"], ['"Оренбургская область"@ru']]


def test_accept_with_qualities_picks_the_preferred_format(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": LABEL_QUERY},
                         headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert _media_type(response) == "text/csv"


@pytest.mark.parametrize("accept, parse", [
    ("application/sparql-results+json", lambda r: r.json()["boolean"]),
    ("application/sparql-results+xml", lambda r: Result.parse(io.BytesIO(r.content), format="xml").askAnswer),
])
def test_ask_answers_a_boolean(service: str, accept: str, parse) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": f"ASK {{ <{REGION}> ?p ?o }}"},
                         headers={"Accept": accept})
    assert response.status_code == 200 and _media_type(response) == accept
    assert parse(response) is True


@pytest.mark.parametrize("accept, rdflib_format", [
    (None, "turtle"),
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_in_each_rdf_format(service: str, accept: str | None, rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(f"{service}/sparql", params={"query": REGION_CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    assert _media_type(response) == (accept or "text/turtle")
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (REGION, RDFS.label, REGION_LABEL) in graph
    assert len(graph) == 3


def test_describe_answers_a_graph(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": f"DESCRIBE <{REGION}>"},
                         headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert (REGION, RDFS.label, REGION_LABEL) in Graph().parse(data=response.text, format="nt")


# --- status codes --------------------------------------------------------------------------------


@pytest.mark.parametrize("query, accept", [
    (LABEL_QUERY, "image/png"),
    (LABEL_QUERY, "text/turtle"),  # a graph format for SELECT results
    (REGION_CONSTRUCT, "text/csv"),  # a results format for a graph
])
def test_an_accept_the_endpoint_cannot_satisfy_is_406(service: str, query: str, accept: str) -> None:
    _assert_problem(httpx.get(f"{service}/sparql", params={"query": query}, headers={"Accept": accept}), 406)


def test_a_malformed_query_is_400(service: str) -> None:
    _assert_problem(httpx.get(f"{service}/sparql", params={"query": "SELEKT ?x WHERE { ?x ?y }"}), 400)
    _assert_problem(httpx.post(f"{service}/sparql", content=b"SELECT ?x WHERE {",
                               headers={"Content-Type": "application/sparql-query"}), 400)


def test_a_post_without_a_query_is_400(service: str) -> None:
    _assert_problem(httpx.post(f"{service}/sparql", data={"quer": LABEL_QUERY}), 400)


def test_a_post_with_a_wrong_content_type_is_415(service: str) -> None:
    _assert_problem(httpx.post(f"{service}/sparql", content=LABEL_QUERY.encode(),
                               headers={"Content-Type": "text/plain"}), 415)
    _assert_problem(httpx.post(f"{service}/sparql", content=json.dumps({"query": LABEL_QUERY}).encode(),
                               headers={"Content-Type": "application/json"}), 415)


@pytest.mark.parametrize("method, path, allowed", [
    ("PUT", "/sparql", {"GET", "POST"}),
    ("DELETE", "/sparql", {"GET", "POST"}),
    ("GET", "/update", {"POST"}),
    ("PATCH", "/rdf-graph-store?graph=urn:x", {"GET", "PUT", "POST", "DELETE"}),
])
def test_a_wrong_method_is_405_with_allow(service: str, method: str, path: str, allowed: set[str]) -> None:
    response = httpx.request(method, f"{service}{path}")
    _assert_problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed


def test_federated_queries_are_refused(service: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    _assert_problem(httpx.get(f"{service}/sparql", params={"query": query}), 400)


def test_dataset_parameters_are_refused_not_ignored(service: str) -> None:
    params = {"query": LABEL_QUERY, "default-graph-uri": "https://w3id.org/opyt/graph/ontology"}
    _assert_problem(httpx.get(f"{service}/sparql", params=params), 400)
    _assert_problem(httpx.post(f"{service}/sparql", data=params), 400)
    update = {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "using-graph-uri": "urn:g"}
    _assert_problem(httpx.post(f"{service}/sparql", data=update, headers=_auth()), 400)


def test_an_update_sent_by_get_is_400(service: str) -> None:
    update = "INSERT DATA { GRAPH <urn:opyt:test:get> { <urn:a> <urn:b> <urn:c> } }"
    _assert_problem(httpx.get(f"{service}/sparql", params={"update": update}), 400)
    assert not _ask(service, "ASK { GRAPH <urn:opyt:test:get> { ?s ?p ?o } }")


# --- limits --------------------------------------------------------------------------------------


def test_an_answer_over_the_result_limit_is_400(service: str) -> None:
    body = _assert_problem(httpx.get(f"{service}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 400)
    assert body["setting"] == "OPYT_RESULT_LIMIT" and body["maximum"] == RESULT_LIMIT
    _assert_problem(httpx.get(f"{service}/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}), 400)


def test_an_answer_within_the_result_limit_passes(service: str) -> None:
    query = f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {RESULT_LIMIT}"
    response = httpx.get(f"{service}/sparql", params={"query": query})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == RESULT_LIMIT


def test_a_query_over_the_time_limit_is_503(strict_service: str) -> None:
    body = _assert_problem(httpx.get(f"{strict_service}/sparql", params={"query": HEAVY_QUERY}, timeout=30), 503)
    assert body["setting"] == "OPYT_QUERY_TIMEOUT"
    # the service still answers quick queries
    response = httpx.get(f"{strict_service}/sparql", params={"query": LABEL_QUERY})
    assert response.status_code == 200


def test_writes_are_refused_when_no_token_is_configured(strict_service: str) -> None:
    update = "INSERT DATA { GRAPH <urn:opyt:test:off> { <urn:a> <urn:b> <urn:c> } }"
    _assert_problem(httpx.post(f"{strict_service}/update", data={"update": update}, headers=_auth()), 403)
    _assert_problem(httpx.put(f"{strict_service}/rdf-graph-store", params={"graph": "urn:opyt:test:off"},
                              content=b"<urn:a> <urn:b> <urn:c> .", headers={**_auth(), "Content-Type": "text/turtle"}), 403)
    assert not _ask(strict_service, "ASK { GRAPH <urn:opyt:test:off> { ?s ?p ?o } }")


# --- clients -------------------------------------------------------------------------------------


def test_sparqlwrapper_reads_select_json(service: str) -> None:
    client = SPARQLWrapper(f"{service}/sparql")
    client.setQuery(LABEL_QUERY)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["Оренбургская область"]


@pytest.mark.parametrize("return_format", [TURTLE, None])  # None: SPARQLWrapper's default, RDF/XML
def test_sparqlwrapper_reads_construct(service: str, return_format: str | None) -> None:
    client = SPARQLWrapper(f"{service}/sparql")
    client.setQuery(REGION_CONSTRUCT)
    if return_format:
        client.setReturnFormat(return_format)
    converted = client.queryAndConvert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert (REGION, RDFS.label, REGION_LABEL) in graph


def test_rdflib_sparqlstore_reads_the_endpoint(service: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=f"{service}/sparql"))
    assert [row.label for row in graph.query(LABEL_QUERY)] == [REGION_LABEL]
    assert graph.query(f"ASK {{ <{REGION}> ?p ?o }}").askAnswer is True
    constructed = graph.query(REGION_CONSTRUCT).graph
    assert (REGION, RDFS.label, REGION_LABEL) in constructed
    assert (REGION, RDFS.label, REGION_LABEL) in graph  # triple patterns go through the endpoint too


# --- SPARQL Update -------------------------------------------------------------------------------


def test_an_update_with_the_token_changes_the_store(service: str) -> None:
    ask = "ASK { GRAPH <urn:opyt:test:update> { <urn:a> <urn:b> \"form\" } }"
    update = "INSERT DATA { GRAPH <urn:opyt:test:update> { <urn:a> <urn:b> \"form\" } }"
    response = httpx.post(f"{service}/update", data={"update": update}, headers=_auth())
    assert response.status_code == 204
    assert _ask(service, ask)
    response = httpx.post(f"{service}/sparql", content=b"DROP GRAPH <urn:opyt:test:update>",
                          headers={**_auth(), "Content-Type": "application/sparql-update"})
    assert response.status_code == 204
    assert not _ask(service, ask)


def test_an_update_by_form_at_sparql_with_the_token(service: str) -> None:
    update = "INSERT DATA { GRAPH <urn:opyt:test:form> { <urn:a> <urn:b> <urn:c> } }"
    assert httpx.post(f"{service}/sparql", data={"update": update}, headers=_auth()).status_code == 204
    assert _ask(service, "ASK { GRAPH <urn:opyt:test:form> { <urn:a> <urn:b> <urn:c> } }")


@pytest.mark.parametrize("headers", [{}, _auth("wrong-token"), {"Authorization": f"Basic {TOKEN}"}])
def test_an_update_without_the_token_leaves_the_store_unchanged(service: str, headers: dict[str, str]) -> None:
    quads_before = httpx.get(f"{service}/health").json()["quads"]
    update = "INSERT DATA { GRAPH <urn:opyt:test:anonymous> { <urn:a> <urn:b> <urn:c> } }"
    for response in (
        httpx.post(f"{service}/update", data={"update": update}, headers=headers),
        httpx.post(f"{service}/sparql", data={"update": update}, headers=headers),
        httpx.post(f"{service}/update", content=update.encode(),
                   headers={**headers, "Content-Type": "application/sparql-update"}),
    ):
        _assert_problem(response, 401)
        assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert not _ask(service, "ASK { GRAPH <urn:opyt:test:anonymous> { ?s ?p ?o } }")
    assert httpx.get(f"{service}/health").json()["quads"] == quads_before


def test_a_malformed_update_is_400(service: str) -> None:
    _assert_problem(httpx.post(f"{service}/update", data={"update": "INSERT NOTHING"}, headers=_auth()), 400)


def test_an_update_with_a_wrong_content_type_is_415(service: str) -> None:
    _assert_problem(httpx.post(f"{service}/update", content=b"CLEAR ALL",
                               headers={**_auth(), "Content-Type": "text/plain"}), 415)


# --- Graph Store Protocol ------------------------------------------------------------------------


GSP_GRAPH = "urn:opyt:test:gsp"
GSP_TURTLE = "<urn:s> <urn:p> \"один\"@ru ; <urn:q> <urn:o> ."


def test_graph_store_put_get_post_delete_round_trip(service: str) -> None:
    url, params = f"{service}/rdf-graph-store", {"graph": GSP_GRAPH}
    turtle = {**_auth(), "Content-Type": "text/turtle"}
    assert httpx.put(url, params=params, content=GSP_TURTLE.encode(), headers=turtle).status_code == 201
    expected = Graph().parse(data=GSP_TURTLE, format="turtle")

    got = httpx.get(url, params=params)  # anonymous read
    assert got.status_code == 200 and _media_type(got) == "text/turtle"
    assert set(Graph().parse(data=got.text, format="turtle")) == set(expected)
    got = httpx.get(url, params=params, headers={"Accept": "application/ld+json"})
    assert set(Graph().parse(data=got.text, format="json-ld")) == set(expected)

    replacement = "<urn:s> <urn:p> <urn:replaced> ."
    assert httpx.put(url, params=params, content=replacement.encode(),
                     headers={**_auth(), "Content-Type": "application/n-triples"}).status_code == 204
    merged = json.dumps({"@id": "urn:s", "urn:r": {"@id": "urn:added"}})
    assert httpx.post(url, params=params, content=merged.encode(),
                      headers={**_auth(), "Content-Type": "application/ld+json"}).status_code == 204
    got = httpx.get(url, params=params, headers={"Accept": "application/n-triples"})
    assert set(Graph().parse(data=got.text, format="nt")) == {
        (URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:replaced")),
        (URIRef("urn:s"), URIRef("urn:r"), URIRef("urn:added")),
    }

    assert httpx.delete(url, params=params, headers=_auth()).status_code == 204
    _assert_problem(httpx.get(url, params=params), 404)
    _assert_problem(httpx.delete(url, params=params, headers=_auth()), 404)


def test_graph_store_writes_need_the_token(service: str) -> None:
    url, params = f"{service}/rdf-graph-store", {"graph": "urn:opyt:test:gsp-anonymous"}
    body, turtle = GSP_TURTLE.encode(), {"Content-Type": "text/turtle"}
    for response in (
        httpx.put(url, params=params, content=body, headers=turtle),
        httpx.post(url, params=params, content=body, headers={**turtle, **_auth("nope")}),
        httpx.delete(url, params=params),
    ):
        _assert_problem(response, 401)
        assert response.headers["www-authenticate"].lower().startswith("bearer")
    _assert_problem(httpx.get(url, params=params), 404)


def test_graph_store_refuses_bad_requests(service: str) -> None:
    url = f"{service}/rdf-graph-store"
    turtle = {**_auth(), "Content-Type": "text/turtle"}
    _assert_problem(httpx.put(url, params={"graph": GSP_GRAPH}, content=b"<a> <b>",
                              headers={**_auth(), "Content-Type": "text/plain"}), 415)
    _assert_problem(httpx.put(url, params={"graph": GSP_GRAPH}, content=b"<urn:a> <urn:b> .", headers=turtle), 400)
    _assert_problem(httpx.get(url), 400)  # neither ?graph nor ?default
    _assert_problem(httpx.get(url, params={"graph": "not an iri"}), 400)
    response = httpx.put(url, params={"default": ""}, content=GSP_TURTLE.encode(), headers=turtle)
    _assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


def test_graph_store_default_graph_is_under_the_result_limit(service: str) -> None:
    # the sample and vocabulary are over the result limit; the limit applies to the default graph too
    _assert_problem(httpx.get(f"{service}/rdf-graph-store", params={"default": ""}), 400)


# --- service description and VoID ----------------------------------------------------------------


def test_sparql_without_a_query_is_the_service_description(service: str) -> None:
    response = httpx.get(f"{service}/sparql")
    assert response.status_code == 200 and _media_type(response) == "text/turtle"
    graph = Graph().parse(data=response.text, format="turtle")
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    assert graph.value(services[0], SD.endpoint) == URIRef(f"{service}/sparql")
    assert (services[0], SD.feature, SD.UnionDefaultGraph) in graph
    assert (services[0], SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = set(graph.objects(services[0], SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in formats


def test_the_service_description_is_negotiated(service: str) -> None:
    response = httpx.get(f"{service}/sparql", headers={"Accept": "application/ld+json"})
    assert _media_type(response) == "application/ld+json"
    graph = Graph().parse(data=response.text, format="json-ld")
    assert any(graph.subjects(RDF.type, SD.Service))
    _assert_problem(httpx.get(f"{service}/sparql", headers={"Accept": "application/sparql-results+json"}), 406)


def test_void_describes_the_dataset(service: str) -> None:
    response = httpx.get(f"{service}/.well-known/void")
    assert response.status_code == 200 and _media_type(response) == "text/turtle"
    graph = Graph().parse(data=response.text, format="turtle")
    datasets = [d for d in graph.subjects(RDF.type, VOID.Dataset) if (d, RDF.type, DCAT.Dataset) in graph]
    assert len(datasets) == 1
    dataset = datasets[0]
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{service}/sparql")
    assert int(graph.value(dataset, VOID.triples)) == httpx.get(f"{service}/health").json()["quads"]
    assert URIRef("https://w3id.org/opyt/ontology#") in set(graph.objects(dataset, VOID.vocabulary))
    assert {t.language for t in graph.objects(dataset, DCTERMS.title)} == {"ru", "en"}
    subsets = list(graph.objects(dataset, VOID.subset))
    assert URIRef("https://w3id.org/opyt/graph/ontology") in {graph.value(s, SD.name) for s in subsets}
    response = httpx.get(f"{service}/.well-known/void", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=response.text, format="nt")) == len(graph)
