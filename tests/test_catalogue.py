"""The plain catalogue functions (``opyt.catalogue``, ``opyt.facts``) on real stores.

Data comes from ``fixtures/catalogue/small.trig``: its two document graphs are
written out as Turtle, N-Quads or JSON-LD files where a test needs them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS

from opyt import catalogue
from opyt.catalogue import ensure_vocabulary, export, load_file, read_rdf, stats, vocabulary_version
from opyt.errors import InputError, ValidationFailed
from opyt.facts import collect_facts
from opyt.namespace import GRAPH, ID, ONTOLOGY_GRAPH, OPYT
from opyt.ontology import load as load_ontology
from opyt.ontology import read_text as read_ontology_text
from opyt.ontology import ontology_graph
from opyt.store import EmbeddedStore, Store

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue" / "small.trig"
KVARKEN_GRAPH, MAGNITOGORSK_GRAPH = GRAPH["doc/kvarken"], GRAPH["doc/magnitogorsk"]
KVARKEN_FILE = "kvarkensky-dissemination-program.txt"
MAGNITOGORSK_FILE = "magnitogorsk-innovation-site-passport.docx"
FILE_NAMES = {KVARKEN_FILE, MAGNITOGORSK_FILE}


@pytest.fixture(scope="session")
def fixture_graphs() -> dict[URIRef, Graph]:
    """The fixture's named graphs, parsed by rdflib."""
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    return {URIRef(g.identifier): g for g in dataset.graphs() if len(g)}


@pytest.fixture(scope="session")
def vocabulary() -> Graph:
    return ontology_graph()


@pytest.fixture
def kvarken_ttl(tmp_path: Path, fixture_graphs: dict[URIRef, Graph]) -> Path:
    """The first document's graph alone, as a Turtle file."""
    path = tmp_path / "kvarken.ttl"
    fixture_graphs[KVARKEN_GRAPH].serialize(path, format="turtle")
    return path


@pytest.fixture
def magnitogorsk_ttl(tmp_path: Path, fixture_graphs: dict[URIRef, Graph]) -> Path:
    path = tmp_path / "magnitogorsk.ttl"
    fixture_graphs[MAGNITOGORSK_GRAPH].serialize(path, format="turtle")
    return path


def without_holders(graph: Graph, practice: URIRef) -> Graph:
    """A copy of ``graph`` in which ``practice`` has no holder: it violates the shapes."""
    broken = Graph()
    broken += graph
    broken.remove((practice, OPYT.holder, None))
    return broken


def preload(store: Store) -> bytes:
    """Put the fixture into the store without the SHACL gate (quick); returns the store's dump."""
    store.load(FIXTURE.read_bytes(), "trig")
    dump = store.dump()
    assert dump
    return dump


# --- load_file ----------------------------------------------------------------------------


def test_load_file_writes_one_graph_per_file_and_the_vocabulary(
    store: Store, kvarken_ttl: Path, magnitogorsk_ttl: Path, fixture_graphs: dict[URIRef, Graph], vocabulary: Graph
) -> None:
    first = load_file(store, kvarken_ttl)
    second = load_file(store, magnitogorsk_ttl)
    kvarken_name, magnitogorsk_name = GRAPH["load/kvarken.ttl"], GRAPH["load/magnitogorsk.ttl"]
    assert first.graphs == {str(kvarken_name): len(fixture_graphs[KVARKEN_GRAPH])}
    assert second.triples == len(fixture_graphs[MAGNITOGORSK_GRAPH])
    assert first.source == str(kvarken_ttl)
    assert store.graph_names() == sorted([kvarken_name, magnitogorsk_name, ONTOLOGY_GRAPH])
    assert isomorphic(store.graph(kvarken_name), fixture_graphs[KVARKEN_GRAPH])
    assert isomorphic(store.graph(magnitogorsk_name), fixture_graphs[MAGNITOGORSK_GRAPH])
    assert len(store.graph(ONTOLOGY_GRAPH)) == len(vocabulary) + 1  # and the version triple


def test_load_file_into_a_named_graph(embedded_store: EmbeddedStore, kvarken_ttl: Path) -> None:
    report = load_file(embedded_store, kvarken_ttl, KVARKEN_GRAPH)
    assert list(report.graphs) == [str(KVARKEN_GRAPH)]
    assert embedded_store.graph_names() == sorted([KVARKEN_GRAPH, ONTOLOGY_GRAPH])


def test_load_file_keeps_the_graphs_of_a_trig_file(store: Store, fixture_graphs: dict[URIRef, Graph]) -> None:
    report = load_file(store, FIXTURE)
    assert report.graphs == {str(name): len(graph) for name, graph in fixture_graphs.items()}
    assert store.graph_names() == sorted([KVARKEN_GRAPH, MAGNITOGORSK_GRAPH, ONTOLOGY_GRAPH])
    for name, graph in fixture_graphs.items():
        assert isomorphic(store.graph(name), graph), name


@pytest.mark.parametrize("suffix, rdf_format", [(".nq", "nquads"), (".jsonld", "json-ld")])
def test_load_file_keeps_the_graphs_of_other_quad_formats(
    embedded_store: EmbeddedStore, tmp_path: Path, fixture_graphs: dict[URIRef, Graph], suffix: str, rdf_format: str
) -> None:
    dataset = Dataset()
    for name, graph in fixture_graphs.items():
        dataset.graph(name).__iadd__(graph)
    path = tmp_path / f"small{suffix}"
    dataset.serialize(path, format=rdf_format)
    load_file(embedded_store, path)
    assert embedded_store.graph_names() == sorted([KVARKEN_GRAPH, MAGNITOGORSK_GRAPH, ONTOLOGY_GRAPH])
    for name, graph in fixture_graphs.items():
        assert isomorphic(embedded_store.graph(name), graph), name


def test_triples_outside_a_graph_of_a_trig_file_go_to_the_file_graph(
    embedded_store: EmbeddedStore, tmp_path: Path, fixture_graphs: dict[URIRef, Graph]
) -> None:
    path = tmp_path / "plain.trig"
    path.write_text(fixture_graphs[KVARKEN_GRAPH].serialize(format="turtle"), encoding="utf-8")
    report = load_file(embedded_store, path)
    assert list(report.graphs) == [str(GRAPH["load/plain.trig"])]
    assert isomorphic(embedded_store.graph(GRAPH["load/plain.trig"]), fixture_graphs[KVARKEN_GRAPH])


def test_reloading_a_file_replaces_its_graph(store: Store, kvarken_ttl: Path, fixture_graphs: dict[URIRef, Graph]) -> None:
    load_file(store, kvarken_ttl)
    count, names = store.count(), store.graph_names()
    load_file(store, kvarken_ttl)
    assert (store.count(), store.graph_names()) == (count, names)
    # a changed file replaces what was there: a removed triple is gone
    changed = Graph()
    changed += fixture_graphs[KVARKEN_GRAPH]
    changed.remove((ID["practice-semantic-reading"], OPYT.form, None))
    changed.serialize(kvarken_ttl, format="turtle")
    load_file(store, kvarken_ttl)
    assert store.count() == count - 2
    assert not store.ask(
        "ASK { ?p <https://w3id.org/opyt/ontology#form> ?f }", {"p": ID["practice-semantic-reading"]}
    )


def test_reloading_a_trig_file_does_not_duplicate(embedded_store: EmbeddedStore) -> None:
    load_file(embedded_store, FIXTURE)
    before = embedded_store.dump()
    load_file(embedded_store, FIXTURE)
    assert embedded_store.dump() == before


def test_non_conforming_file_raises_and_leaves_the_store_byte_identical(
    store: Store, tmp_path: Path, fixture_graphs: dict[URIRef, Graph]
) -> None:
    before = preload(store)
    bad = tmp_path / "magnitogorsk-bad.ttl"
    without_holders(fixture_graphs[MAGNITOGORSK_GRAPH], ID["practice-science-literacy"]).serialize(bad, format="turtle")
    with pytest.raises(ValidationFailed, match="magnitogorsk-bad.ttl.*nothing was written") as error:
        load_file(store, bad)
    assert not error.value.report.conforms
    assert {str(r.focus_node) for r in error.value.report.results} == {str(ID["practice-science-literacy"])}
    assert store.dump() == before


def test_a_trig_file_with_one_bad_graph_writes_none_of_its_graphs(
    embedded_store: EmbeddedStore, tmp_path: Path, fixture_graphs: dict[URIRef, Graph]
) -> None:
    dataset = Dataset()
    dataset.graph(KVARKEN_GRAPH).__iadd__(fixture_graphs[KVARKEN_GRAPH])
    dataset.graph(MAGNITOGORSK_GRAPH).__iadd__(without_holders(fixture_graphs[MAGNITOGORSK_GRAPH], ID["practice-digital-environment"]))
    path = tmp_path / "half-bad.trig"
    dataset.serialize(path, format="trig")
    with pytest.raises(ValidationFailed):
        load_file(embedded_store, path)
    assert embedded_store.dump() == b""  # not even the vocabulary


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nowhere.ttl"


def _unknown_extension(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.xlsx"
    path.write_text("<a> <b> <c> .", encoding="utf-8")
    return path


def _syntax_error(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix id: <https://w3id.org/opyt/id/> .\nid:x a id:Y ;; .\n id:z", encoding="utf-8")
    return path


def _bad_json_ld(tmp_path: Path) -> Path:
    path = tmp_path / "broken.jsonld"
    path.write_text('{"@id": "https://w3id.org/opyt/id/x", ', encoding="utf-8")
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "folder.ttl"
    path.mkdir()
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        pytest.param(_missing, "no such file", id="missing"),
        pytest.param(_unknown_extension, r"unknown RDF format '\.xlsx'; use one of .*\.ttl", id="unknown-extension"),
        pytest.param(_syntax_error, "cannot be read as turtle", id="syntax-error"),
        pytest.param(_bad_json_ld, "cannot be read as json-ld", id="bad-json-ld"),
        pytest.param(_directory, "no such file", id="directory"),
    ],
)
def test_unreadable_input_is_an_input_error_naming_the_file(
    embedded_store: EmbeddedStore, tmp_path: Path, make, message: str
) -> None:
    # the file is read before the store is touched, whichever the backend
    before = preload(embedded_store)
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as error:
        load_file(embedded_store, path)
    assert str(path) in str(error.value)
    assert embedded_store.dump() == before


# --- export --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded() -> Iterator[EmbeddedStore]:
    """The fixture loaded through ``load_file`` into an in-memory store, for tests that only read."""
    with EmbeddedStore(None) as store:
        load_file(store, FIXTURE)
        yield store


@pytest.mark.parametrize("fmt, rdf_format", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_with_graphs_round_trips(loaded: EmbeddedStore, fmt: str, rdf_format: str) -> None:
    data = export(loaded, fmt)
    dataset = Dataset()
    dataset.parse(data=data, format=rdf_format)
    exported = {URIRef(g.identifier): g for g in dataset.graphs() if len(g)}
    assert sorted(exported) == loaded.graph_names()
    for name, graph in exported.items():
        assert isomorphic(graph, loaded.graph(name)), name


def test_export_ttl_merges_the_graphs(loaded: EmbeddedStore) -> None:
    merged = Graph().parse(data=export(loaded, "ttl"), format="turtle")
    expected = catalogue.union(loaded.graph(name) for name in loaded.graph_names())
    assert isomorphic(merged, expected)
    # the person described in both documents is one node with both sources
    sources = set(merged.objects(ID["person-tazhenova-u-s"], URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert sources == {ID["doc-kvarken"], ID["doc-magnitogorsk"]}


def test_export_of_the_remote_store_round_trips(remote_store: Store) -> None:
    load_file(remote_store, FIXTURE)
    dataset = Dataset()
    dataset.parse(data=export(remote_store, "trig"), format="trig")
    exported = {URIRef(g.identifier): g for g in dataset.graphs() if len(g)}
    assert sorted(exported) == remote_store.graph_names()
    assert isomorphic(exported[KVARKEN_GRAPH], remote_store.graph(KVARKEN_GRAPH))


def test_export_unknown_format_is_an_input_error(loaded: EmbeddedStore) -> None:
    with pytest.raises(InputError, match="unknown export format 'xml'; use one of nq, trig, ttl, jsonld"):
        export(loaded, "xml")


def test_export_of_an_empty_store(embedded_store: EmbeddedStore) -> None:
    assert export(embedded_store, "nq") == b""
    assert len(Graph().parse(data=export(embedded_store, "ttl"), format="turtle")) == 0


# --- stats and the vocabulary --------------------------------------------------------------


def test_stats_counts(store: Store, fixture_graphs: dict[URIRef, Graph], vocabulary: Graph) -> None:
    load_file(store, FIXTURE)
    counts = stats(store)
    data_quads = sum(len(graph) for graph in fixture_graphs.values())
    assert counts == {
        "quads": data_quads + len(vocabulary) + 1,
        "graphs": 3,
        "documents": 2,
        "events": 1,
        "evidence": 5,
        "organisations": 5,
        "persons": 6,
        "practices": 7,
    }


def test_stats_of_an_empty_store(embedded_store: EmbeddedStore) -> None:
    assert stats(embedded_store) == {
        "quads": 0, "graphs": 0, "documents": 0, "events": 0, "evidence": 0,
        "organisations": 0, "persons": 0, "practices": 0,
    }


def test_ensure_vocabulary_writes_once(store: Store, vocabulary: Graph) -> None:
    assert ensure_vocabulary(store) is True
    assert ensure_vocabulary(store) is False
    assert store.graph_names() == [ONTOLOGY_GRAPH]
    expected = Graph()
    expected += vocabulary
    expected.add((ONTOLOGY_GRAPH, DCTERMS.hasVersion, Literal(vocabulary_version(vocabulary))))
    assert isomorphic(store.graph(ONTOLOGY_GRAPH), expected)


def test_ensure_vocabulary_rewrites_a_stale_vocabulary(embedded_store: EmbeddedStore, vocabulary: Graph) -> None:
    # what an older release would have left: another version, a concept since removed
    stale = Graph()
    stale += vocabulary
    stale.add((URIRef("https://w3id.org/opyt/concept/topic/retired"), RDFS.label, Literal("retired")))
    stale.add((ONTOLOGY_GRAPH, DCTERMS.hasVersion, Literal("sha256:0000")))
    embedded_store.replace_graph(ONTOLOGY_GRAPH, stale)
    assert ensure_vocabulary(embedded_store) is True
    assert len(embedded_store.graph(ONTOLOGY_GRAPH)) == len(vocabulary) + 1
    assert ensure_vocabulary(embedded_store) is False


def test_ensure_vocabulary_rewrites_a_vocabulary_graph_that_was_replaced(
    embedded_store: EmbeddedStore, kvarken_ttl: Path, vocabulary: Graph
) -> None:
    load_file(embedded_store, kvarken_ttl)
    embedded_store.replace_graph(ONTOLOGY_GRAPH, Graph().parse(kvarken_ttl))
    assert ensure_vocabulary(embedded_store) is True
    assert len(embedded_store.graph(ONTOLOGY_GRAPH)) == len(vocabulary) + 1
    embedded_store.drop_graph(ONTOLOGY_GRAPH)
    assert ensure_vocabulary(embedded_store) is True


def test_vocabulary_version_notices_a_change() -> None:
    ontology = load_ontology(["opyt.ttl"])
    version = vocabulary_version(ontology)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", version)
    ontology.add((ID.x, RDFS.label, Literal("x")))
    assert vocabulary_version(ontology) != version


def test_store_data_leaves_out_the_vocabulary(loaded: EmbeddedStore, fixture_graphs: dict[URIRef, Graph]) -> None:
    assert isomorphic(catalogue.store_data(loaded), catalogue.union(fixture_graphs.values()))


def test_read_rdf_does_not_touch_a_store(kvarken_ttl: Path, fixture_graphs: dict[URIRef, Graph]) -> None:
    graphs = read_rdf(kvarken_ttl, GRAPH["doc/x"])
    assert list(graphs) == [GRAPH["doc/x"]]
    assert isomorphic(graphs[GRAPH["doc/x"]], fixture_graphs[KVARKEN_GRAPH])


# --- facts ---------------------------------------------------------------------------------

PERSON_KEYS = {"id", "name", "full_name", "organisations", "sources"}
ORGANISATION_KEYS = {"id", "name", "aliases", "municipality", "region", "sources"}
PRACTICE_KEYS = {"id", "title", "holders", "organisations", "forms", "topics", "model", "level", "sources"}
MODELS = {"direct", "mediated", "network", None}
LEVELS = {"federal", "regional", "municipal", "school", None}


def _check_shape(record: dict, keys: set[str], strings: set[str], lists: set[str]) -> None:
    assert set(record) == keys
    for key in strings:
        assert record[key] is None or isinstance(record[key], str), key
    for key in lists:
        assert isinstance(record[key], list) and all(isinstance(v, str) for v in record[key]), key
        assert len(record[key]) == len(set(record[key])), f"{key} repeats a value"


def by_id(records: list[dict]) -> dict[str, dict]:
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)), "one record per entity"
    return {record["id"]: record for record in records}


def test_collect_facts_has_the_evaluator_shape(store: Store, fixture_graphs: dict[URIRef, Graph]) -> None:
    load_file(store, FIXTURE)
    facts = collect_facts(store)
    json.dumps(facts, ensure_ascii=False)  # plain JSON values only
    assert set(facts) == {"persons", "organisations", "practices"}
    union = catalogue.union(fixture_graphs.values())

    persons = by_id(facts["persons"])
    assert set(persons) == {str(s) for s in union.subjects(RDF.type, FOAF.Person)}
    for record in persons.values():
        _check_shape(record, PERSON_KEYS, {"id", "name", "full_name"}, {"organisations", "sources"})
        assert record["name"] and set(record["sources"]) <= FILE_NAMES and record["sources"]
    tazhenova = persons[str(ID["person-tazhenova-u-s"])]
    assert tazhenova["name"] == "Таженова У.С." and tazhenova["full_name"] is None
    assert tazhenova["organisations"] == ["МАОУ «Кваркенская СОШ»"]
    assert set(tazhenova["sources"]) == FILE_NAMES  # described in both documents
    assert persons[str(ID["person-kravchenko-o-a"])]["full_name"] == "Кравченко Ольга Александровна"
    assert persons[str(ID["person-sergeeva-e-v"])]["organisations"] == []

    organisations = by_id(facts["organisations"])
    assert set(organisations) == {str(s) for s in union.subjects(RDF.type, ORG.Organization)}
    for record in organisations.values():
        _check_shape(record, ORGANISATION_KEYS, {"id", "name", "municipality", "region"}, {"aliases", "sources"})
        assert record["municipality"] and record["region"] and len(record["sources"]) == 1
    assert organisations[str(ID["org-kvarkenskaya-sosh"])] == {
        "id": str(ID["org-kvarkenskaya-sosh"]), "name": "МАОУ «Кваркенская СОШ»", "aliases": ["Кваркенская СОШ"],
        "municipality": "Кваркенский район", "region": "Оренбургская область", "sources": [KVARKEN_FILE],
    }
    assert organisations[str(ID["org-adamovka-kindergarten"])]["aliases"] == []

    practices = by_id(facts["practices"])
    assert set(practices) == {
        str(s) for s in union.subjects(RDF.type)
        if any((s, RDF.type, k) in union for k in (OPYT.Practice, OPYT.Method, OPYT.Programme, OPYT.Product, OPYT.InnovationProject))
    }
    assert str(ID["event-master-class-february"]) not in practices
    for record in practices.values():
        _check_shape(
            record, PRACTICE_KEYS, {"id", "title", "model", "level"},
            {"holders", "organisations", "forms", "topics", "sources"},
        )
        assert record["model"] in MODELS and record["level"] in LEVELS
        assert record["holders"] and set(record["sources"]) <= FILE_NAMES
    method = practices[str(ID["practice-graphic-method-task-18"])]
    assert {k: v for k, v in method.items() if k != "sources"} == {
        "id": str(ID["practice-graphic-method-task-18"]),
        "title": "Графический метод решения задания 18 ЕГЭ по математике профильного уровня",
        "holders": ["Таженова У.С."], "organisations": ["МАОУ «Кваркенская СОШ»"], "forms": ["мастер-класс"],
        "topics": ["ЕГЭ по математике (профильный уровень): задание 18"], "model": "direct", "level": "municipal",
    }
    assert set(method["sources"]) == FILE_NAMES
    reading = practices[str(ID["practice-semantic-reading"])]
    assert set(reading["holders"]) == {"Кравченко О.А.", "Иванова Н.П."}
    assert set(reading["forms"]) == {"семинар", "вебинар"}
    assert (reading["model"], reading["level"]) == ("network", "regional")
    assert practices[str(ID["practice-digital-environment"])]["topics"] == []
    assert practices[str(ID["practice-low-results-support"])]["holders"] == ["Районный методический кабинет Кваркенского района"]


def test_collect_facts_of_an_empty_store(embedded_store: EmbeddedStore) -> None:
    assert collect_facts(embedded_store) == {"persons": [], "organisations": [], "practices": []}


# --- regressions ---------------------------------------------------------------------------


def test_vocabulary_version_is_the_same_for_every_parse_of_the_vocabulary() -> None:
    # opyt.ttl has blank nodes (owl:unionOf lists), which the parser names afresh each time
    text = read_ontology_text("opyt.ttl")
    first, second = Graph().parse(data=text, format="turtle"), Graph().parse(data=text, format="turtle")
    assert set(first) != set(second)
    assert vocabulary_version(first) == vocabulary_version(second)
