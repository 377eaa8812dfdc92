"""The SHACL shapes, checked with real pyshacl on tiny fixtures.

Each ``*-ok.ttl`` fixture conforms; every other fixture breaks exactly one rule,
listed in ``BROKEN`` (violations) or ``WARNED`` (warnings) by the focus node,
constraint component and shape that must report it. Assertions never depend
on message wording.
"""
from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, SH, Dataset, Graph, URIRef
from rdflib.namespace import SKOS

from opyt.errors import ValidationFailed
from opyt.namespace import GRAPH, ID, OPYT
from opyt.shapes import assert_valid, shapes_graph, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
OPYTSH = "https://w3id.org/opyt/shapes#"

BROKEN = {
    "practice-no-title": ("practice1", SH.MinCountConstraintComponent, "Practice-title"),
    "practice-blank-title": ("practice1", SH.PatternConstraintComponent, "Practice-title"),
    "practice-no-holder": ("practice1", SH.MinCountConstraintComponent, "Practice-holder"),
    "innovation-project-no-holder": ("practice1", SH.MinCountConstraintComponent, "Practice-holder"),
    "practice-holder-not-agent": ("practice1", SH.OrConstraintComponent, "Practice-holder"),
    "practice-organisation-not-organisation": (
        "practice1",
        SH.ClassConstraintComponent,
        "Practice-organisation",
    ),
    "practice-bad-model": ("practice1", SH.NodeConstraintComponent, "Practice-model"),
    "practice-two-models": ("practice1", SH.MaxCountConstraintComponent, "Practice-model"),
    "practice-bad-level": ("practice1", SH.NodeConstraintComponent, "Practice-level"),
    "practice-two-levels": ("practice1", SH.MaxCountConstraintComponent, "Practice-level"),
    "practice-bad-form": ("practice1", SH.NodeConstraintComponent, "Practice-form"),
    "practice-bad-topic": ("practice1", SH.NodeConstraintComponent, "Practice-topic"),
    "event-no-practice": ("event1", SH.MinCountConstraintComponent, "DisseminationEvent-practice"),
    "event-disseminates-organisation": (
        "event1",
        SH.ClassConstraintComponent,
        "DisseminationEvent-practice",
    ),
    "event-empty-title": ("event1", SH.PatternConstraintComponent, "DisseminationEvent-title"),
    "event-holder-not-agent": ("event1", SH.OrConstraintComponent, "DisseminationEvent-holder"),
    "event-bad-form": ("event1", SH.NodeConstraintComponent, "DisseminationEvent-form"),
    "event-bad-model": ("event1", SH.NodeConstraintComponent, "DisseminationEvent-model"),
    "event-two-levels": ("event1", SH.MaxCountConstraintComponent, "DisseminationEvent-level"),
    "person-no-family-name": ("person1", SH.MinCountConstraintComponent, "Person-familyName"),
    "person-no-label": ("person1", SH.MinCountConstraintComponent, "Person-label"),
    "person-member-of-document": ("person1", SH.ClassConstraintComponent, "Person-memberOf"),
    "organisation-no-label": ("school1", SH.MinCountConstraintComponent, "Organisation-label"),
    "organisation-municipality-is-region": (
        "school1",
        SH.ClassConstraintComponent,
        "Organisation-municipality",
    ),
    "organisation-region-is-municipality": ("school1", SH.ClassConstraintComponent, "Organisation-region"),
    "territory-no-label": ("kvarkeno", SH.MinCountConstraintComponent, "Territory-label"),
    "municipality-region-is-municipality": ("kvarkeno", SH.ClassConstraintComponent, "Municipality-region"),
    "role-no-type": ("role1", SH.MinCountConstraintComponent, "Role-type"),
    "role-bad-type": ("role1", SH.NodeConstraintComponent, "Role-type"),
    "role-not-in-anything": ("role1", SH.MinCountConstraintComponent, "Role-in"),
    "role-in-document": ("role1", SH.OrConstraintComponent, "Role-in"),
    "role-no-agent": ("role1", SH.MinCountConstraintComponent, "Role-agent"),
    "need-no-consumer": ("need1", SH.MinCountConstraintComponent, "Need-consumer"),
    "need-no-topic": ("need1", SH.MinCountConstraintComponent, "Need-topic"),
    "need-bad-topic": ("need1", SH.NodeConstraintComponent, "Need-topic"),
    "source-document-no-file-name": ("doc1", SH.MinCountConstraintComponent, "SourceDocument-fileName"),
    "source-document-no-sha256": ("doc1", SH.MinCountConstraintComponent, "SourceDocument-sha256"),
    "source-document-bad-sha256": ("doc1", SH.PatternConstraintComponent, "SourceDocument-sha256"),
    "evidence-no-quote": ("evidence1", SH.MinCountConstraintComponent, "Evidence-quote"),
    "evidence-offsets-reversed": (
        "evidence1",
        SH.LessThanOrEqualsConstraintComponent,
        "Evidence-charStart",
    ),
    "evidence-negative-start": ("evidence1", SH.MinInclusiveConstraintComponent, "Evidence-charStart"),
    "evidence-end-not-integer": ("evidence1", SH.DatatypeConstraintComponent, "Evidence-charEnd"),
    "evidence-no-document": ("evidence1", SH.MinCountConstraintComponent, "Evidence-document"),
    "fact-no-source": ("person1", SH.MinCountConstraintComponent, "Fact-source"),
    "fact-source-not-document": ("person1", SH.ClassConstraintComponent, "Fact-source"),
    "fact-evidence-not-evidence": ("school1", SH.ClassConstraintComponent, "Fact-evidence"),
}
WARNED = {"organisation-no-kind": ("school1", SH.OrConstraintComponent, "OrganisationKind")}
OK = sorted(path.stem for path in FIXTURES.glob("*-ok.ttl"))


def load(name: str) -> Graph:
    return Graph().parse(FIXTURES / f"{name}.ttl", format="turtle")


def triples_of(report) -> set[tuple[URIRef, URIRef, URIRef]]:
    return {(r.focus_node, r.constraint_component, r.source_shape) for r in report.results}


def expected(focus: str, component: URIRef, shape: str) -> tuple[URIRef, URIRef, URIRef]:
    return ID[focus], component, URIRef(OPYTSH + shape)


def declared_shapes(graph: Graph) -> set:
    return set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))


def test_every_fixture_is_checked():
    on_disk = {path.stem for path in FIXTURES.glob("*.ttl")}
    assert on_disk == set(OK) | set(BROKEN) | set(WARNED)


@pytest.mark.parametrize("name", OK)
def test_ok_fixture_conforms(name):
    report = validate(load(name))
    assert report.conforms, report.text("en")
    assert report.results == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_bad_fixture_breaks_exactly_its_rule(name):
    report = validate(load(name))
    assert not report.conforms
    assert triples_of(report) == {expected(*BROKEN[name])}
    assert all(r.severity == SH.Violation for r in report.results)


def test_organisation_without_kind_is_only_a_warning():
    report = validate(load("organisation-no-kind"))
    assert report.conforms
    assert triples_of(report) == {expected(*WARNED["organisation-no-kind"])}
    assert [r.severity for r in report.results] == [SH.Warning]


def test_shapes_graph_parses_and_uses_only_defined_opyt_terms():
    graph = shapes_graph()
    assert len(graph) > 0
    classes = set(graph.objects(None, SH.targetClass)) | set(graph.objects(None, SH["class"]))
    paths = {o for o in graph.objects(None, SH.path) if isinstance(o, URIRef)} | set(graph.objects(None, SH.inversePath))
    used = classes | paths
    opyt_terms = {term for term in used if term.startswith(str(OPYT._NS))}
    assert opyt_terms
    for term in opyt_terms:
        assert getattr(OPYT, term[len(str(OPYT._NS)):]) == term  # the closed namespace raises on unknown terms


def test_shapes_graph_is_well_formed_shacl():
    """pyshacl checks the shapes against SHACL-SHACL first and raises if they are malformed."""
    conforms, _, _ = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms


def test_every_shape_has_a_name_and_a_message_in_russian_and_english():
    graph = shapes_graph()
    shapes = declared_shapes(graph)
    assert shapes
    for shape in shapes:
        for predicate in (SH.name, SH.message):
            languages = {literal.language for literal in graph.objects(shape, predicate)}
            assert {"ru", "en"} <= languages, (shape, predicate)


def test_every_referenced_shape_is_declared_with_a_stable_iri():
    graph = shapes_graph()
    referenced = set(graph.objects(None, SH.property)) | set(graph.objects(None, SH.node))
    shapes = declared_shapes(graph)
    assert referenced <= shapes
    assert all(isinstance(shape, URIRef) and shape.startswith(OPYTSH) for shape in shapes)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_report_text_names_the_focus_node_and_gives_the_message_in_the_language(lang):
    report = validate(load("practice-no-holder"))
    text = report.text(lang)
    (result,) = report.results
    assert "id:practice1" in text
    assert result.message(lang) in text
    assert result.messages[lang] == result.message(lang)


def test_report_text_spells_out_an_inverse_path():
    assert "^opyt:hasRole" in validate(load("role-no-agent")).text("en")


def test_assert_valid_raises_with_the_report():
    with pytest.raises(ValidationFailed) as raised:
        assert_valid(load("fact-no-source"))
    assert not raised.value.report.conforms
    assert "id:person1" in str(raised.value)
    assert assert_valid(load("person-ok")).conforms


def test_a_dataset_is_validated_as_the_union_of_its_graphs():
    dataset = Dataset()
    dataset.graph(GRAPH.doc1).parse(FIXTURES / "practice-no-holder.ttl", format="turtle")
    assert triples_of(validate(dataset)) == {expected(*BROKEN["practice-no-holder"])}
    dataset.graph(GRAPH.doc2).add((ID.practice1, OPYT.holder, ID.person1))
    assert validate(dataset).conforms


def test_concepts_are_looked_up_in_the_vocabulary():
    data = load("practice-ok")
    inline = Graph()
    for triple in data.triples((None, SKOS.inScheme, None)):
        inline.add(triple)
    data -= inline
    assert validate(data, vocabulary=inline).conforms
    assert validate(data).conforms  # the default vocabulary: the ontology's schemes and topics
    assert {r.constraint_component for r in validate(data, vocabulary=Graph()).results} == {
        SH.NodeConstraintComponent
    }


def test_subclasses_are_taken_from_the_vocabulary():
    """An event disseminating a Method conforms only because the ontology says Method ⊑ Practice."""
    data = load("event-ok")
    data.set((ID.practice1, RDF.type, OPYT.Method))
    assert validate(data).conforms
    assert triples_of(validate(data, vocabulary=Graph())) == {
        expected("event1", SH.ClassConstraintComponent, "DisseminationEvent-practice")
    }


def test_validate_leaves_its_input_unchanged():
    data = load("practice-bad-model")
    size = len(data)
    validate(data)
    assert len(data) == size
