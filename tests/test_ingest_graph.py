"""The graph builder: hand-built DocumentFacts -> a document graph that conforms to the
shapes, with deterministic IRIs that resolve the same entity across documents.

The golden file ``fixtures/ingest/kvarken.ttl`` is rewritten when
``OPYT_REGENERATE_GOLDEN=1`` is set (then check the diff before committing it)."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDFS

from opyt.ingest.graph import (
    build_graph, document_iri, file_slug, graph_iri, normalise_name, organisation_iri, person_iri, slug,
)
from opyt.ingest.model import DocumentFacts, Person, Practice
from opyt.namespace import FORM, GRAPH, ID, LEVEL, MODEL, OPYT, ROLE, TOPIC
from opyt.shapes import validate
from tests.golden import assert_matches_golden
from tests.ingest_facts import KVARKEN_SHA, kvarken_facts, passport_facts, sha

GOLDEN = Path(__file__).parent / "fixtures" / "ingest" / "kvarken.ttl"


def persons(graph: Graph) -> set:
    return set(graph.subjects(RDF.type, FOAF.Person))


def test_built_graph_conforms_to_the_shapes() -> None:
    report = validate(build_graph(kvarken_facts()))
    assert report.conforms, report.text("en")
    # the only warning: the organisation of kind "other" has no kind class
    assert [str(r.focus_node) for r in report.results] == [str(ID["org/sovet-veteranov--kvarkenskii-raion"])]


def test_build_is_deterministic() -> None:
    first, second = build_graph(kvarken_facts()), build_graph(kvarken_facts())
    assert isomorphic(first, second)
    assert sorted(first) == sorted(second)  # no blank nodes: the very same triples


def test_golden_output() -> None:
    assert_matches_golden(build_graph(kvarken_facts()), GOLDEN)


def test_document_node_and_provenance() -> None:
    facts = kvarken_facts()
    graph = build_graph(facts)
    doc = document_iri(facts.file_name)
    assert doc == ID["doc/kvarkensky-dissemination-program.txt"]
    assert graph_iri(facts.file_name) == GRAPH["doc/kvarkensky-dissemination-program.txt"]
    assert str(graph.value(doc, OPYT.sha256)) == KVARKEN_SHA
    assert (doc, RDF.type, OPYT.SourceDocument) in graph
    for kind in (FOAF.Person, ORG.Organization, OPYT.Method, OPYT.Programme, OPYT.Evidence, OPYT.Role):
        nodes = set(graph.subjects(RDF.type, kind))
        assert nodes, kind
        for node in nodes:
            assert (node, PROV.wasDerivedFrom, doc) in graph, node


def test_kinds_concepts_and_evidence() -> None:
    facts = kvarken_facts()
    graph = build_graph(facts)
    method = next(graph.subjects(RDF.type, OPYT.Method))
    assert set(graph.objects(method, OPYT.form)) == {FORM.masterClass}  # the unknown form is dropped
    assert set(graph.objects(method, OPYT.topic)) == {TOPIC.egeMathProfileTask18}
    assert graph.value(method, OPYT.model) == MODEL.direct
    assert graph.value(method, OPYT.level) == LEVEL.municipal
    justified = {j for e in graph.objects(method, OPYT.evidence) for j in graph.objects(e, OPYT.justifies)}
    assert justified == {OPYT.model, OPYT.level}
    model_evidence = [e for e in graph.objects(method, OPYT.evidence) if (e, OPYT.justifies, OPYT.model) in graph]
    assert len(model_evidence) == 1
    evidence = model_evidence[0]
    start, end = int(graph.value(evidence, OPYT.charStart)), int(graph.value(evidence, OPYT.charEnd))
    assert evidence == ID[f"evidence/kvarkensky-dissemination-program.txt/{start}-{end}"]
    assert (evidence, OPYT.justifies, OPYT.level) in graph
    school = organisation_iri(facts.organisations[0], facts)
    assert (school, RDF.type, OPYT.School) in graph
    other = organisation_iri(facts.organisations[2], facts)
    assert set(graph.objects(other, RDF.type)) == {ORG.Organization}
    assert graph.value(school, RDFS.label).language == "ru"


def test_unknown_names_are_dropped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="opyt.ingest.graph"):
        build_graph(kvarken_facts())
    assert "noSuchForm" in caplog.text and "noSuchTopic" in caplog.text


def test_roles() -> None:
    facts = kvarken_facts()
    graph = build_graph(facts)
    role_types = {
        (str(graph.value(role, OPYT.roleTitle)), graph.value(role, OPYT.roleType))
        for role in graph.subjects(RDF.type, OPYT.Role)
    }
    assert role_types == {("учитель математики", ROLE.staff), ("директор", ROLE.head), ("None", ROLE.holder)}
    supervised = build_graph(passport_facts("p.txt", sha("p")))
    types = {graph_type for graph_type in supervised.objects(None, OPYT.roleType)}
    assert types == {ROLE.holder, ROLE.staff, ROLE.supervisor}
    assert validate(supervised).conforms


def test_same_person_in_one_municipality_resolves_to_one_iri() -> None:
    first = build_graph(kvarken_facts())
    second = build_graph(passport_facts("passport.txt", sha("passport")))  # full name, initials derived
    third = build_graph(passport_facts("other.txt", sha("other"), full_name=False))
    tazhenova = ID["person/tazhenova-u-s--kvarkenskii-raion"]
    for graph in (first, second, third):
        assert tazhenova in persons(graph)
    assert second.value(tazhenova, FOAF.name) == Literal("Таженова Улбосын Сагындыковна")


def test_same_surname_in_another_municipality_stays_two() -> None:
    here = build_graph(passport_facts("a.txt", sha("a")))
    there = build_graph(passport_facts("b.txt", sha("b"), municipality="Адамовский район"))
    assert persons(here) and persons(there) and persons(here).isdisjoint(persons(there))


def test_regional_institute_is_one_node_whatever_the_municipality() -> None:
    here = passport_facts("a.txt", sha("a"), municipality="Выселковский район", region="Краснодарский край")
    there = passport_facts("b.txt", sha("b"), municipality="Новокубанский район", region="Краснодарский край")
    assert organisation_iri(here.organisations[1], here) == organisation_iri(there.organisations[1], there)
    assert organisation_iri(here.organisations[0], here) != organisation_iri(there.organisations[0], there)


def test_slugs() -> None:
    assert slug("Кваркенская СОШ") == "kvarkenskaia-sosh"
    assert slug("«»") .startswith("x")
    long = slug("очень " * 30)
    assert len(long) <= 70 and long != slug("очень " * 31)
    assert file_slug("kvarkensky-dissemination-program.txt") == "kvarkensky-dissemination-program.txt"
    assert file_slug("Паспорт проекта.docx") != file_slug("паспорт проекта.docx")
    assert file_slug("Паспорт проекта.docx").startswith("pasport-proekta.docx-")
    assert normalise_name("МАОУ «Кваркенская СОШ»", "МАОУ") == normalise_name("МАОУ \"Кваркенская СОШ\"", "МАОУ")
    assert all(ord(c) < 128 for c in str(person_iri(Person("Ёлкин Ё.Ё.", "Ёлкин", "Ё.Ё."), kvarken_facts(), None)))


def test_a_practice_without_holders_does_not_conform() -> None:
    facts = passport_facts("a.txt", sha("a"), holders=False)
    report = validate(build_graph(facts))
    assert not report.conforms
    assert any(r.result_path == OPYT.holder for r in report.results)


def test_a_holder_not_described_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    facts = kvarken_facts()
    facts.practices.append(Practice(title="Ничья практика", holders=["Никто Н.Н."]))
    with caplog.at_level(logging.WARNING, logger="opyt.ingest.graph"):
        graph = build_graph(facts)
    assert "Никто Н.Н." in caplog.text
    practice = next(s for s, o in graph.subject_objects(DCTERMS.title) if str(o) == "Ничья практика")
    assert graph.value(practice, OPYT.holder) is None


def test_an_organisation_in_the_documents_municipality_gets_its_region() -> None:
    facts = kvarken_facts()
    for organisation in facts.organisations:
        organisation.region = None
    graph = build_graph(facts)
    school = organisation_iri(facts.organisations[0], facts)
    assert graph.value(school, OPYT.region) == ID["region/orenburgskaia-oblast"]
    assert graph.value(school, OPYT.municipality) == ID["municipality/kvarkenskii-raion--orenburgskaia-oblast"]
    assert isomorphic(graph, build_graph(kvarken_facts()))


def test_blank_evidence_and_untitled_practices_are_left_out(caplog: pytest.LogCaptureFixture) -> None:
    from opyt.ingest.model import Span

    facts = kvarken_facts()
    facts.persons[0].spans.append(Span(5, 5, "  "))
    facts.practices.append(Practice(title="  ", holders=["Таженова У.С."]))
    with caplog.at_level(logging.WARNING, logger="opyt.ingest.graph"):
        graph = build_graph(facts)
    assert "blank" in caplog.text and "without a title" in caplog.text
    assert validate(graph).conforms
    assert isomorphic(graph, build_graph(kvarken_facts()))
