"""Self-descriptions: the SPARQL 1.1 Service Description of ``/sparql`` and a VoID + DCAT
description of the catalogue at ``/.well-known/void`` (RFC 5785 / VoID §7).

Both are RDF graphs built with rdflib and negotiated like CONSTRUCT answers
(Turtle by default). IRIs are made from the request's base URL, so they are
right behind whatever host name the service is reached by.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from opyt.namespace import BASE, OPYT, SCHEME
from opyt.service.conneg import negotiate
from opyt.service.deps import StoreDep

router = APIRouter(tags=["sparql"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
# media types /sparql answers in, with their W3C format IRIs
RESULT_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
}
GRAPH_MEDIA = {  # media type -> rdflib serializer, Turtle first (the default)
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
TITLE = {"ru": "Опыт: каталог инновационных педагогических практик", "en": "Opyt: a catalogue of innovative teaching practices"}
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"

AcceptHeader = Annotated[str | None, Header()]


@router.get("/.well-known/void")
def void_description(request: Request, store: StoreDep, accept: AcceptHeader = None) -> Response:
    """VoID + DCAT description of the dataset: size, vocabularies, the SPARQL endpoint, one subset per named graph."""
    media = negotiate(accept, list(GRAPH_MEDIA))
    return graph_response(dataset_description(base_url(request), store), media)


def service_description_response(request: Request, accept: str | None) -> Response:
    media = negotiate(accept, list(GRAPH_MEDIA))
    return graph_response(service_description(base_url(request)), media)


def graph_response(graph: Graph, media: str) -> Response:
    return Response(graph.serialize(format=GRAPH_MEDIA[media], encoding="utf-8"), media_type=media)


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/"


def service_description(base: str) -> Graph:
    """sd:Service for ``<base>sparql``: languages, result formats, the union default graph."""
    graph = _graph()
    endpoint = URIRef(base + "sparql")
    service = URIRef(base + "sparql#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))  # with the service token only
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for format_iri in RESULT_FORMAT_IRIS.values():
        graph.add((service, SD.resultFormat, format_iri))
    dataset, default_graph = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((dataset, DCTERMS.source, URIRef(base + ".well-known/void#catalogue")))
    for language, title in TITLE.items():
        graph.add((service, DCTERMS.title, Literal(title, lang=language)))
    return graph


def dataset_description(base: str, store) -> Graph:
    """void:Dataset + dcat:Dataset with its size, vocabularies and endpoint; a dcat:DataService for /sparql."""
    graph = _graph()
    dataset = URIRef(base + ".well-known/void#catalogue")
    endpoint = URIRef(base + "sparql")
    service = URIRef(base + "sparql#service")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    for language, title in TITLE.items():
        graph.add((dataset, DCTERMS.title, Literal(title, lang=language)))
    graph.add((dataset, DCTERMS.description, Literal(
        "Практики, проекты, организации и их роли, извлечённые из документов; один именованный граф на документ.", lang="ru")))
    graph.add((dataset, DCTERMS.description, Literal(
        "Practices, projects, organisations and their roles read from documents; one named graph per document.", lang="en")))
    graph.add((dataset, FOAF.homepage, URIRef(base)))
    graph.add((dataset, VOID.sparqlEndpoint, endpoint))
    graph.add((dataset, VOID.uriSpace, Literal(BASE)))
    for vocabulary in (OPYT._NS, SCHEME, SKOS, DCTERMS, Namespace("http://www.w3.org/ns/org#"), Namespace("http://www.w3.org/ns/prov#")):
        graph.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    graph.add((dataset, VOID.feature, FORMATS.Turtle))
    graph.add((dataset, VOID.feature, FORMATS["N-Triples"]))
    graph.add((dataset, VOID.triples, Literal(store.count(), datatype=XSD.integer)))
    for row in store.select(COUNT_BY_GRAPH).rows:  # one subset per named graph
        name, triples = row["g"], int(row["n"])
        subset = BNode()
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, SD.name, name))
        graph.add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    distribution = BNode()
    graph.add((dataset, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCAT.accessURL, endpoint))
    graph.add((distribution, DCAT.accessService, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.endpointDescription, endpoint))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return graph


def _graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in {"sd": SD, "formats": FORMATS, "void": VOID, "dcat": DCAT, "dcterms": DCTERMS,
                              "foaf": FOAF, "opyt": OPYT._NS, "scheme": SCHEME}.items():
        graph.bind(prefix, namespace)
    return graph
