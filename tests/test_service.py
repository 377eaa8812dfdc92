"""The service end to end: a real ``opyt serve`` (uvicorn) process over a store
loaded with the sample, driven over loopback HTTP."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from opyt import catalogue
from opyt.store import EmbeddedStore
from tests.conftest import opyt_serve

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample.ttl"
TASK_18 = "https://w3id.org/opyt/concept/topic/egeMathProfileTask18"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store_dir = tmp_path_factory.mktemp("service") / "store"
    with EmbeddedStore(store_dir) as store:
        catalogue.load_file(store, SAMPLE)
    with opyt_serve(store_dir) as base_url:
        yield base_url


def test_health_reports_the_store(service: str) -> None:
    body = httpx.get(f"{service}/health").json()
    assert body["status"] == "ok" and body["quads"] > 73


def test_stored_queries_are_listed_with_their_parameters(service: str) -> None:
    listed = {q["name"]: q for q in httpx.get(f"{service}/queries").json()}
    assert listed["topic-holders"]["parameters"][0]["name"] == "topic"
    assert listed["topic-holders"]["parameters"][0]["required"] is True


def test_a_stored_query_runs_by_name_with_its_parameter(service: str) -> None:
    body = httpx.get(f"{service}/queries/topic-holders", params={"topic": "topic:egeMath"}).json()
    assert [row["holderName"] for row in body["rows"]] == ["Таженова У.С."]
    assert body["rows"][0]["distance"] == 2


def test_an_unknown_parameter_is_a_problem_report(service: str) -> None:
    response = httpx.get(f"{service}/queries/topic-holders", params={"topik": "topic:egeMath"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "topik" in response.json()["detail"]


def test_an_unknown_stored_query_is_a_problem_report(service: str) -> None:
    response = httpx.get(f"{service}/queries/no-such-query")
    assert response.status_code == 400 and "no-such-query" in response.json()["detail"]


def test_sparql_endpoint_answers_sparqlwrapper(service: str) -> None:
    client = SPARQLWrapper(f"{service}/sparql")
    client.setQuery(
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?name WHERE { ?p a foaf:Person ; rdfs:label ?name } ORDER BY ?name"
    )
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [row["name"]["value"] for row in rows] == ["Кравченко О.А.", "Таженова У.С."]


def test_sparql_post_forms_and_ask_and_construct(service: str) -> None:
    ask = f"ASK {{ ?practice <https://w3id.org/opyt/ontology#topic> <{TASK_18}> }}"
    by_form = httpx.post(f"{service}/sparql", data={"query": ask})
    direct = httpx.post(f"{service}/sparql", content=ask, headers={"Content-Type": "application/sparql-query"})
    assert by_form.json()["boolean"] is True and direct.json()["boolean"] is True
    construct = httpx.get(f"{service}/sparql", params={"query": f"CONSTRUCT {{ ?s ?p <{TASK_18}> }} WHERE {{ ?s ?p <{TASK_18}> }}"})
    assert construct.headers["content-type"].startswith("text/turtle") and "egeMathProfileTask18" in construct.text


def test_a_malformed_query_is_400_with_the_parser_message(service: str) -> None:
    response = httpx.get(f"{service}/sparql", params={"query": "SELECT WHERE {"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "error at" in response.json()["detail"]


def test_an_update_is_refused_on_the_query_endpoint(service: str) -> None:
    response = httpx.post(f"{service}/sparql", data={"query": "DROP ALL"})
    assert response.status_code == 400
    assert httpx.get(f"{service}/health").json()["quads"] > 73


def test_a_federated_query_is_refused_before_anything_is_fetched(service: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = httpx.get(f"{service}/sparql", params={"query": query})
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]


def test_the_word_service_inside_a_string_is_not_refused(service: str) -> None:
    query = 'ASK { ?s ?p "SERVICE" } # SERVICE'
    response = httpx.get(f"{service}/sparql", params={"query": query})
    assert response.status_code == 200 and response.json()["boolean"] is False
