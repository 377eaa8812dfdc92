"""The portal-facing API end to end: ``/mentors``, ``/recommendations``, ``/documents`` and CORS,
on a real ``opyt serve`` (uvicorn) over a store holding the ingested sample documents.

Expected answers are not written down here: they are what ``find_mentors``
answers on the same store, computed before the server opens it.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from opyt.ingest.pipeline import ingest_paths
from opyt.matching import find_mentors
from opyt.store import EmbeddedStore
from tests.conftest import opyt_serve

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TOKEN = "portal-test-token"
ORIGIN = "https://portal.example.org"
TASK_18_NEED = "Кто может провести мастер-класс по заданию 18 профильного ЕГЭ по математике?"
UNRELATED_NEED = "Нужен наставник по органической химии"
MANY_NEED = "инновационная инфраструктура"  # several holders in the samples
NEEDS = (TASK_18_NEED, UNRELATED_NEED, MANY_NEED)


@dataclass
class Service:
    url: str
    expected: dict[str, dict]  # need -> find_mentors' answer on the same store, every item

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=60, **kwargs)

    def quads(self) -> int:
        return self.get("/health").json()["quads"]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    store_dir = tmp_path_factory.mktemp("portal") / "store"
    with EmbeddedStore(store_dir) as store:
        reports = ingest_paths(store, [SAMPLES])
        assert reports and all(r.ok for r in reports), [(r.file, r.status, r.message) for r in reports]
        expected = {need: find_mentors(store, need, limit=1000) for need in NEEDS}
    with opyt_serve(store_dir, OPYT_TOKEN=TOKEN, OPYT_CORS_ORIGINS=json.dumps([ORIGIN])) as url:
        yield Service(url, expected)


@pytest.fixture(scope="module")
def tokenless(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A service with no OPYT_TOKEN: writes are off."""
    store_dir = tmp_path_factory.mktemp("tokenless") / "store"
    with opyt_serve(store_dir) as url:
        yield url


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _holders(body: dict) -> list[str]:
    return [item["holder"]["id"] for item in body["items"]]


def _is_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


# --- /mentors and /recommendations -----------------------------------------------------------------


def test_mentors_finds_the_task_18_holder(service: Service) -> None:
    expected = service.expected[TASK_18_NEED]
    assert expected["items"], "the sample documents describe a task-18 master class"
    response = service.get("/mentors", params={"q": TASK_18_NEED})
    assert response.status_code == 200
    body = response.json()
    assert body["@type"] == "opyt:Recommendations"
    assert body["@id"] == str(response.url)
    assert body["items_total"] == expected["items_total"]
    assert _holders(body) == _holders(expected)
    best = body["items"][0]
    assert best["@id"] == best["holder"]["id"] and best["@type"] == best["holder"]["type"] == "Person"
    assert "18" in best["practice"]["title"] and best["evidence"]
    assert "batching" not in body


def test_mentors_answers_nothing_for_an_unrelated_subject(service: Service) -> None:
    assert service.expected[UNRELATED_NEED]["items_total"] == 0
    body = service.get("/mentors", params={"q": UNRELATED_NEED}).json()
    assert body["items"] == [] and body["items_total"] == 0 and "batching" not in body


def test_mentors_batches_follow_one_another(service: Service) -> None:
    expected = service.expected[MANY_NEED]
    assert expected["items_total"] >= 2
    body = service.get("/mentors", params={"q": MANY_NEED, "b_size": 1}).json()
    links = body["batching"]
    assert body["items_total"] == expected["items_total"] and len(body["items"]) == 1
    assert "b_start=0" in links["first"] and "b_size=1" in links["first"] and "prev" not in links
    assert f"b_start={expected['items_total'] - 1}" in links["last"]
    seen = _holders(body)
    while "next" in links:
        body = httpx.get(links["next"]).json()
        links = body["batching"]
        seen += _holders(body)
    assert seen == _holders(expected)
    assert "next" not in links and "prev" in links
    previous = httpx.get(links["prev"]).json()
    assert _holders(previous) == _holders(expected)[-2:-1]


def test_recommendations_answer_as_mentors_does(service: Service) -> None:
    params = {"municipality": "Кваркенский район", "b_start": 1, "b_size": 1}
    by_get = service.get("/mentors", params={"q": MANY_NEED, **params}).json()
    response = httpx.post(f"{service.url}/recommendations", json={"need": MANY_NEED, **params}, timeout=60)
    assert response.status_code == 200
    by_post = response.json()
    assert by_post["@id"] == f"{service.url}/recommendations"
    assert {k: v for k, v in by_post.items() if k != "@id"} == {k: v for k, v in by_get.items() if k != "@id"}
    assert by_post["batching"]["next"].startswith(f"{service.url}/mentors?")


def test_recommendations_take_a_consumer_organisation(service: Service) -> None:
    known = service.expected[TASK_18_NEED]["items"][0]["organisation"]["name"]
    body = httpx.post(f"{service.url}/recommendations", json={"need": TASK_18_NEED, "consumer": known}).json()
    assert _holders(body) == _holders(service.expected[TASK_18_NEED])
    unknown = httpx.post(f"{service.url}/recommendations", json={"need": TASK_18_NEED, "consumer": "МБОУ «Нет такой»"})
    _is_problem(unknown, 400)


def test_a_level_filter_keeps_only_practices_of_that_level(service: Service) -> None:
    everything = set(_holders(service.expected[MANY_NEED]))
    for level in ("municipal", "https://w3id.org/opyt/concept/level/regional"):
        body = service.get("/mentors", params={"q": MANY_NEED, "level": level}).json()
        assert set(_holders(body)) <= everything
        for item in body["items"]:
            ask = f"ASK {{ <{item['practice']['id']}> <https://w3id.org/opyt/ontology#level> ?l " \
                  f"FILTER(STRENDS(STR(?l), '/{level.rsplit('/', 1)[-1]}')) }}"
            assert service.get("/sparql", params={"query": ask}).json()["boolean"] is True
    _is_problem(service.get("/mentors", params={"q": MANY_NEED, "level": "galactic"}), 400)


def test_an_unknown_parameter_is_a_400_problem_naming_the_known_ones(service: Service) -> None:
    body = _is_problem(service.get("/mentors", params={"q": TASK_18_NEED, "topik": "x"}), 400)
    assert "topik" in body["detail"] and "b_size" in body["detail"] and "municipality" in body["detail"]
    posted = httpx.post(f"{service.url}/recommendations", json={"need": TASK_18_NEED, "topik": "x"})
    assert "topik" in _is_problem(posted, 400)["detail"]


@pytest.mark.parametrize("params", [{"b_size": 0}, {"b_size": 101}, {"b_start": -1}, {"b_size": "many"}, {}])
def test_batch_parameters_and_the_need_are_validated(service: Service, params: dict) -> None:
    query = {"q": TASK_18_NEED, **params} if params else {}
    _is_problem(service.get("/mentors", params=query), 422)


# --- CORS ------------------------------------------------------------------------------------------


def test_cors_preflight_is_allowed_for_the_configured_origin_only(service: Service) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = httpx.options(f"{service.url}/recommendations", headers={"Origin": ORIGIN, **preflight})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    refused = httpx.options(f"{service.url}/recommendations", headers={"Origin": "https://evil.example", **preflight})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    simple = service.get("/mentors", params={"q": TASK_18_NEED}, headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN


# --- /documents ------------------------------------------------------------------------------------


def _upload(service: Service, name: str, content: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{service.url}/documents", files={"file": (name, content)}, headers=headers or {}, timeout=120)


def test_an_upload_without_the_right_token_is_refused_and_nothing_is_written(service: Service) -> None:
    before = service.quads()
    content = (SAMPLES / "kvarkensky-master-classes.txt").read_bytes()
    for headers in ({}, _auth("wrong-token"), {"Authorization": f"Basic {TOKEN}"}):
        response = _upload(service, "new-upload.txt", content, headers)
        _is_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    _is_problem(httpx.delete(f"{service.url}/documents/kvarkensky-master-classes.txt"), 401)
    assert service.quads() == before


def test_writes_are_forbidden_when_no_token_is_configured(tokenless: str) -> None:
    before = httpx.get(f"{tokenless}/health").json()["quads"]
    content = (SAMPLES / "kvarkensky-master-classes.txt").read_bytes()
    response = httpx.post(f"{tokenless}/documents", files={"file": ("a.txt", content)}, headers=_auth())
    _is_problem(response, 403)
    _is_problem(httpx.delete(f"{tokenless}/documents/a.txt", headers=_auth()), 403)
    assert httpx.get(f"{tokenless}/health").json()["quads"] == before


@pytest.mark.parametrize(("name", "content"), [
    ("junk.txt", bytes(range(256)) * 64),
    ("broken.docx", b"PK\x03\x04 this is not a zip archive"),
    ("empty.txt", b""),
    ("picture.png", b"\x89PNG\r\n\x1a\n"),
])
def test_unreadable_uploads_are_400_and_nothing_is_written(service: Service, name: str, content: bytes) -> None:
    before = service.quads()
    body = _is_problem(_upload(service, name, content, _auth()), 400)
    assert body["report"]["status"] == "failed" and body["report"]["file"] == name
    assert service.quads() == before


def test_an_upload_without_a_file_field_is_400(service: Service) -> None:
    response = httpx.post(f"{service.url}/documents", files={"document": ("a.txt", b"text")}, headers=_auth())
    assert "'file'" in _is_problem(response, 400)["detail"]


def test_an_upload_round_trip_ingests_then_deletes(service: Service) -> None:
    before = service.quads()
    content = (SAMPLES / "kvarkensky-master-classes.txt").read_bytes()
    unchanged = _upload(service, "kvarkensky-master-classes.txt", content, _auth())
    assert unchanged.status_code == 200 and unchanged.json()["status"] == "unchanged", unchanged.text
    assert service.quads() == before

    created = _upload(service, "Мастер-классы (копия).txt", content, _auth())
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["status"] == "ingested" and report["file"] == "Мастер-классы (копия).txt"
    assert report["practices"] >= 1 and report["triples"] > 0
    assert created.headers["location"] == report["@id"]
    assert service.quads() == before + report["triples"]
    again = _upload(service, "Мастер-классы (копия).txt", content, _auth())
    assert again.status_code == 200 and again.json()["status"] == "unchanged", again.text

    removed = httpx.delete(report["@id"], headers=_auth())
    assert removed.status_code == 200 and removed.json()["graph"] == report["graph"]
    assert service.quads() == before
    _is_problem(httpx.delete(report["@id"], headers=_auth()), 404)
