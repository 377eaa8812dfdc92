"""Entity pages and the search page against a real ``opyt serve`` over the ingested sample documents."""
from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from opyt.matching import find_mentors
from opyt.namespace import GRAPH, ID, TOPIC
from tests.live_pages import sample_store, serve

TASK_18 = TOPIC.egeMathProfileTask18
XSS_PERSON = ID["person/xss-test--nowhere"]
XSS_LABEL = '<script>alert("x")</script> Тестова Т.Т.'
NEED = "Кто может провести мастер-класс по заданию 18 ЕГЭ по математике профильного уровня?"
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}

_PICK = """
PREFIX opyt: <https://w3id.org/opyt/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?practice ?holder ?organisation ?document WHERE {
  ?practice opyt:topic ?topic ; opyt:holder ?holder ; opyt:organisation ?organisation ; prov:wasDerivedFrom ?document .
} ORDER BY ?document LIMIT 1"""


def _path(iri: str) -> str:
    return "/" + str(iri).removeprefix("https://w3id.org/opyt/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Base URL, the entities to look at and what the store says about them."""
    store_dir = tmp_path_factory.mktemp("pages") / "store"
    with sample_store(store_dir) as store:
        store.load(f'<{XSS_PERSON}> a <http://xmlns.com/foaf/0.1/Person> ; <{RDFS.label}> {Literal(XSS_LABEL).n3()} .'.encode(),
                   "ttl", GRAPH["load/xss-test"])
        row = store.select(_PICK, {"topic": TASK_18}).rows[0]
        entities = {"practice": row["practice"], "person": row["holder"], "organisation": row["organisation"],
                    "document": row["document"], "concept": TASK_18}
        triples = {kind: set(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": iri}))
                   for kind, iri in entities.items()}
        labels = {kind: {str(o) for o in store.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": iri}).objects(iri, None) if isinstance(o, Literal)}
            for kind, iri in entities.items()}
        first = find_mentors(store, NEED)["items"][0]["holder"]["id"]
    with serve(store_dir) as base_url:
        yield {"url": base_url, "entities": entities, "triples": triples, "labels": labels, "first": first}


def _get(site: dict, path: str, accept: dict | str = HTML) -> httpx.Response:
    headers = accept if isinstance(accept, dict) else {"Accept": accept}
    return httpx.get(site["url"] + path, headers=headers, timeout=30)


RUSSIAN_TYPE = {
    "practice": "практика",
    "person": "педагог",
    "organisation": "организация",
    "document": "исходный документ",
    "concept": "понятие",
}


@pytest.mark.parametrize("kind", list(RUSSIAN_TYPE))
def test_an_entity_page_is_russian_html(site: dict, kind: str) -> None:
    iri = site["entities"][kind]
    response = _get(site, _path(iri))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="ru">' in page
    assert f'data-iri="{iri}"' in page
    assert RUSSIAN_TYPE[kind] in page
    assert "Сведения" in page
    assert any(label in page for label in site["labels"][kind])


@pytest.mark.parametrize("kind", ["practice", "concept", "person"])
def test_links_on_a_page_lead_to_pages_that_answer(site: dict, kind: str) -> None:
    page = _get(site, _path(site["entities"][kind])).text
    links = set(re.findall(r'href="(/(?:id|concept)/[^"#]+)"', page))
    assert links
    for link in sorted(links):
        response = _get(site, link)
        assert response.status_code == 200, link
        assert response.headers["content-type"].startswith("text/html")


def test_a_practice_page_shows_holder_topic_form_model_level_and_evidence(site: dict) -> None:
    practice, holder = site["entities"]["practice"], site["entities"]["person"]
    page = _get(site, _path(practice)).text
    assert f'href="{_path(holder)}"' in page
    assert 'href="/concept/topic/egeMathProfileTask18"' in page
    for text in ("носитель опыта", "тема", "форма диссеминации", "мастер-класс", "модель прямого действия",
                 "муниципальный уровень", "Подтверждения в документах", 'class="quote"'):
        assert text in page, text
    document_name = str(site["entities"]["document"]).rsplit("/", 1)[-1]
    assert f">{document_name}</a>" in page


def test_a_person_page_lists_the_practices_held(site: dict) -> None:
    page = _get(site, _path(site["entities"]["person"])).text
    assert "Практики, носитель которых" in page
    assert f'href="{_path(site["entities"]["practice"])}"' in page


def test_a_concept_page_shows_broader_and_the_holders_of_practices_on_it(site: dict) -> None:
    page = _get(site, _path(TASK_18)).text
    assert "более общее понятие" in page and 'href="/concept/topic/egeMathProfile"' in page
    assert f'class="holder" data-holder="{site["entities"]["person"]}"' in page
    broader = _get(site, "/concept/topic/egeMathProfile").text
    assert "Более узкие понятия" in broader and 'href="/concept/topic/egeMathProfileTask18"' in broader
    assert f'data-holder="{site["entities"]["person"]}"' in broader  # holders of narrower topics too


@pytest.mark.parametrize("media,rdf_format", [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
@pytest.mark.parametrize("kind", list(RUSSIAN_TYPE))
def test_rdf_descriptions_parse_and_hold_the_entity_triples(site: dict, kind: str, media: str, rdf_format: str) -> None:
    response = _get(site, _path(site["entities"][kind]), media)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.content, format=rdf_format)
    assert site["triples"][kind] <= set(graph)


def test_a_description_carries_the_labels_of_linked_nodes(site: dict) -> None:
    practice, holder = site["entities"]["practice"], site["entities"]["person"]
    graph = Graph().parse(data=_get(site, _path(practice), "text/turtle").content, format="turtle")
    assert graph.value(holder, RDFS.label) is not None


def test_an_unknown_iri_is_404_for_browsers_and_machines(site: dict) -> None:
    page = _get(site, "/id/person/nobody--nowhere")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Не найдено" in page.text
    problem = _get(site, "/id/person/nobody--nowhere", "application/ld+json")
    assert problem.status_code == 404
    assert problem.headers["content-type"] == "application/problem+json"
    assert "nobody--nowhere" in problem.json()["detail"]
    assert _get(site, "/concept/topic/noSuchTopic", "text/turtle").status_code == 404


def test_an_unacceptable_media_type_is_406(site: dict) -> None:
    response = _get(site, _path(site["entities"]["person"]), "image/png")
    assert response.status_code == 406 and response.headers["content-type"] == "application/problem+json"


def test_labels_are_escaped(site: dict) -> None:
    page = _get(site, _path(XSS_PERSON)).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Тестова Т.Т." in page
    search = _get(site, "/search?" + str(httpx.QueryParams({"q": '"><script>alert(1)</script>'}))).text
    assert "<script>alert(1)" not in search and "&lt;script&gt;alert(1)" in search


def test_the_ontology_page_lists_terms_in_russian(site: dict) -> None:
    page = _get(site, "/ontology")
    assert page.status_code == 200 and 'id="holder"' in page.text and "носитель опыта" in page.text
    graph = Graph().parse(data=_get(site, "/ontology", "text/turtle").content, format="turtle")
    assert (URIRef("https://w3id.org/opyt/ontology#holder"), RDFS.label, Literal("носитель опыта", lang="ru")) in graph


def test_the_search_page_ranks_like_find_mentors(site: dict) -> None:
    home = _get(site, "/")
    assert home.status_code == 200 and "Что нужно?" in home.text and "Найти" in home.text
    page = _get(site, "/search?" + str(httpx.QueryParams({"q": NEED}))).text
    first = re.search(r'<li class="holder" data-holder="([^"]+)" data-rank="1"', page)
    assert first and first.group(1) == site["first"]
    empty = _get(site, "/search?" + str(httpx.QueryParams({"q": "Техника безопасности в химической лаборатории"}))).text
    assert "Пока никого нет" in empty and 'class="holder"' not in empty
