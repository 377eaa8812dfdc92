"""The ontology package: vocabularies agree with opyt.namespace, every term is
documented in Russian and English, the topic hierarchy is sound, and HermiT
(through owlready2, with a real Java) finds the ontology consistent and catches
inconsistent data."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DefinedNamespaceMeta

from opyt import ontology
from opyt.errors import OntologyInconsistent
from opyt.namespace import FORM, LEVEL, MODEL, OPYT, ROLE, SCHEME, TOPIC

FIXTURES = Path(__file__).parent / "fixtures" / "ontology"
XSD = "http://www.w3.org/2001/XMLSchema#"  # a string: pytest trips over rdflib's XSD namespace object
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CLOSED_SCHEMES = {"model": MODEL, "level": LEVEL, "role": ROLE, "form": FORM}

# task series: local-name prefix -> (number of tasks, exam, subject)
TASK_SERIES = {
    "egeMathProfileTask": (19, TOPIC.ege, TOPIC.mathematics),
    "egeMathBaseTask": (21, TOPIC.ege, TOPIC.mathematics),
    "egeRussianTask": (27, TOPIC.ege, TOPIC.russianLanguage),
    "ogeMathTask": (25, TOPIC.oge, TOPIC.mathematics),
    "ogeRussianTask": (9, TOPIC.oge, TOPIC.russianLanguage),
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return ontology.ontology_graph()


def terms(namespace: DefinedNamespaceMeta) -> set[URIRef]:
    """The IRIs a closed namespace of opyt.namespace defines."""
    return {namespace[name] for name in namespace.__annotations__}


def under(node, namespace: DefinedNamespaceMeta) -> bool:
    """Whether ``node`` is an IRI starting with the namespace (``in`` would only match defined terms)."""
    return isinstance(node, URIRef) and node.startswith(str(namespace._NS))


def langs(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return [o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)]


def concepts(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, scheme))


def ancestors(graph: Graph, concept: URIRef) -> set[URIRef]:
    """Everything reachable by skos:broader+ (the concept itself only through a cycle)."""
    return {a for b in graph.objects(concept, SKOS.broader) for a in graph.transitive_objects(b, SKOS.broader)}


# ------------------------------------------------------------------ files


@pytest.mark.parametrize("name", ontology.ONTOLOGY_FILES)
def test_every_file_parses(name):
    assert len(Graph().parse(data=ontology.read_text(name), format="turtle")) > 0


def test_unknown_file_is_refused():
    with pytest.raises(ValueError, match="opyt.ttl"):
        ontology.read_text("../pyproject.toml")


def test_ontology_header(graph):
    header = URIRef(ontology.ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in graph
    assert graph.value(header, OWL.versionInfo) is not None
    assert graph.value(header, URIRef("http://purl.org/dc/terms/license")) is not None
    for predicate in ("title", "description"):
        assert sorted(langs(graph, header, URIRef("http://purl.org/dc/terms/" + predicate))) == ["en", "ru"]


def test_alignments_can_be_left_out():
    without = ontology.ontology_graph(include_alignments=False)
    schema = "http://schema.org/"
    assert not any(str(o).startswith(schema) for o in without.objects())
    assert any(str(o).startswith(schema) for o in ontology.ontology_graph().objects())


# ------------------------------------------------------------------ terms vs namespace


def test_declared_opyt_terms_equal_the_namespace(graph):
    declared = {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if under(s, OPYT)}
    expected = terms(OPYT)
    assert expected - declared == set(), "in namespace.py but not declared in opyt.ttl"
    assert declared - expected == set(), "declared in opyt.ttl but not in namespace.py"


def test_no_undeclared_opyt_iri_is_used(graph):
    used = {node for triple in graph for node in triple if under(node, OPYT)}
    assert used - terms(OPYT) == set()


@pytest.mark.parametrize("name", sorted(CLOSED_SCHEMES))
def test_scheme_concepts_equal_the_namespace(graph, name):
    namespace = CLOSED_SCHEMES[name]
    in_scheme = concepts(graph, SCHEME[name])
    assert in_scheme == terms(namespace)
    assert {s for s in graph.subjects() if under(s, namespace)} == in_scheme


# ------------------------------------------------------------------ documentation


@pytest.mark.parametrize("term", sorted(terms(OPYT)), ids=lambda t: t.split("#")[1])
def test_every_term_has_labels_and_definitions_in_ru_and_en(graph, term):
    assert sorted(langs(graph, term, RDFS.label)) == ["en", "ru"]
    assert sorted(langs(graph, term, SKOS.definition)) == ["en", "ru"]


def test_property_kinds_match_their_ranges(graph):
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        if under(prop, OPYT):
            assert all(r == RDFS.Literal or r.startswith(XSD) for r in graph.objects(prop, RDFS.range)), prop
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if under(prop, OPYT):
            assert not any(r == RDFS.Literal or r.startswith(XSD) for r in graph.objects(prop, RDFS.range)), prop


def test_concept_valued_properties_range_over_concepts(graph):
    for prop in (OPYT.form, OPYT.model, OPYT.level, OPYT.topic, OPYT.roleType):
        assert graph.value(prop, RDFS.range) == SKOS.Concept


def test_every_concept_has_labels_and_one_scheme(graph):
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert {SCHEME.model, SCHEME.level, SCHEME.role, SCHEME.form, SCHEME.topic} == schemes
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        assert sorted(langs(graph, concept, SKOS.prefLabel)) == ["en", "ru"], concept
        in_schemes = set(graph.objects(concept, SKOS.inScheme))
        assert len(in_schemes) == 1 and in_schemes <= schemes, concept
        notes = langs(graph, concept, SKOS.definition) + langs(graph, concept, SKOS.scopeNote)
        assert "ru" in notes, concept


@pytest.mark.parametrize("name", ["model", "level", "role", "form", "topic"])
def test_russian_pref_labels_are_unique_in_each_scheme(graph, name):
    labels = [
        str(label)
        for concept in concepts(graph, SCHEME[name])
        for label in graph.objects(concept, SKOS.prefLabel)
        if label.language == "ru"
    ]
    assert len(labels) == len(set(labels)), sorted({x for x in labels if labels.count(x) > 1})


def test_top_concepts_are_exactly_those_without_broader(graph):
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        scheme = graph.value(concept, SKOS.inScheme)
        broader = list(graph.objects(concept, SKOS.broader))
        is_top = (concept, SKOS.topConceptOf, scheme) in graph
        assert is_top == (not broader), concept
        assert is_top == ((scheme, SKOS.hasTopConcept, concept) in graph), concept
        assert all(graph.value(b, SKOS.inScheme) == scheme for b in broader), concept


def test_forms_keep_their_hierarchy(graph):
    assert (FORM.internshipSite, SKOS.broader, FORM.internship) in graph
    assert (FORM.seminarPracticum, SKOS.broader, FORM.seminar) in graph
    assert (FORM.methodicalManual, SKOS.broader, FORM.publication) in graph
    assert Literal("методическая мастерская", lang="ru") in set(graph.objects(FORM.pedagogicalWorkshop, SKOS.altLabel))


# ------------------------------------------------------------------ topics


def test_topic_hierarchy_has_no_cycles(graph):
    for concept in concepts(graph, SCHEME.topic):
        assert concept not in ancestors(graph, concept), concept


@pytest.mark.parametrize("prefix", sorted(TASK_SERIES))
def test_exam_tasks_reach_their_exam_and_subject(graph, prefix):
    count, exam, subject = TASK_SERIES[prefix]
    tasks = {c for c in concepts(graph, SCHEME.topic) if c.removeprefix(str(TOPIC)).rstrip("0123456789") == prefix}
    assert tasks == {TOPIC[f"{prefix}{n}"] for n in range(1, count + 1)}
    for task in tasks:
        assert {exam, subject} <= ancestors(graph, task), task
        assert str(graph.value(task, SKOS.notation)) == task.removeprefix(str(TOPIC) + prefix)


def test_exam_subject_concepts_reach_exam_and_subject(graph):
    exams = [c for c in concepts(graph, SCHEME.topic) if c.removeprefix(str(TOPIC))[:3] in ("ege", "oge")]
    for concept in exams:
        if concept in (TOPIC.ege, TOPIC.oge):
            continue
        up = ancestors(graph, concept)
        assert TOPIC.ege in up or TOPIC.oge in up, concept
        assert up & set(graph.subjects(SKOS.broader, TOPIC.schoolSubjects)), concept


def test_profile_task_18_is_labelled_as_people_write_it(graph):
    task = TOPIC.egeMathProfileTask18
    assert set(graph.objects(task, SKOS.prefLabel)) == {
        Literal("ЕГЭ по математике (профильный уровень): задание 18", lang="ru"),
        Literal("Unified State Exam, mathematics (profile level): task 18", lang="en"),
    }
    alt = {str(a) for a in graph.objects(task, SKOS.altLabel)}
    assert {"задание 18 ЕГЭ по математике профильного уровня", "задача с параметром"} <= alt


def test_literacies_are_narrower_than_functional_literacy(graph):
    narrower = set(graph.subjects(SKOS.broader, TOPIC.functionalLiteracy))
    assert {TOPIC.readingLiteracy, TOPIC.mathematicalLiteracy, TOPIC.scienceLiteracy, TOPIC.financialLiteracy,
            TOPIC.globalCompetence, TOPIC.creativeThinking} == narrower


# ------------------------------------------------------------------ reasoning (HermiT)


def turtle(text: str) -> Graph:
    prefixes = (
        "@prefix opyt: <https://w3id.org/opyt/ontology#> . @prefix id: <https://w3id.org/opyt/id/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    )
    return Graph().parse(data=prefixes + text, format="turtle")


@pytest.mark.parametrize("include_alignments", [True, False], ids=["with-alignments", "core"])
def test_hermit_finds_the_ontology_consistent(include_alignments, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = ontology.check_consistency(include_alignments=include_alignments)
    assert report.consistent and report.ok, report.message
    assert report.unsatisfiable == []
    assert report.classes > 20 and report.properties > 30
    assert list(tmp_path.iterdir()) == [], "the reasoner left files in the working directory"


def test_hermit_accepts_the_catalogue_conventions():
    report = ontology.assert_consistent(Graph().parse(FIXTURES / "consistent.ttl"))
    assert report.consistent


@pytest.mark.parametrize(
    "data",
    [
        "id:x a foaf:Person , org:Organization .",
        "id:x a org:Organization , opyt:School , opyt:Kindergarten .",
        "id:x a opyt:SourceDocument ; opyt:holder id:y .",
        "id:x a opyt:Evidence ; opyt:charStart 1 , 2 .",
    ],
    ids=["person-and-organisation", "school-and-kindergarten", "document-with-holder", "two-start-offsets"],
)
def test_hermit_catches_inconsistent_data(data):
    report = ontology.check_consistency(turtle(data))
    assert not report.consistent and not report.ok


def test_assert_consistent_raises_on_inconsistent_data():
    with pytest.raises(OntologyInconsistent, match="inconsistent"):
        ontology.assert_consistent(turtle("id:x a foaf:Person , opyt:School ."))


def test_hermit_reports_unsatisfiable_classes():
    report = ontology.check_consistency(turtle("id:C a owl:Class ; rdfs:subClassOf opyt:School , opyt:College ."))
    assert report.consistent and not report.ok
    assert report.unsatisfiable == ["https://w3id.org/opyt/id/C"]


def test_each_caller_gets_its_own_copy_of_the_parsed_ontology() -> None:
    first = ontology.ontology_graph()
    first.add((URIRef("urn:x"), URIRef("urn:y"), URIRef("urn:z")))
    assert (URIRef("urn:x"), URIRef("urn:y"), URIRef("urn:z")) not in ontology.ontology_graph()
