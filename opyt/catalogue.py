"""Plain functions over a store that the CLI, the service and the tests all call:
keep the vocabulary current, load RDF through the SHACL gate, export, count."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS

from opyt import mentor_index, queries
from opyt.errors import InputError, ValidationFailed
from opyt.namespace import GRAPH, ONTOLOGY_GRAPH

MAX_RDF_BYTES = 512 * 1024 * 1024
RDF_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt",
    ".nq": "nquads", ".nquads": "nquads", ".trig": "trig",
    ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml",
}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}
EXPORT_FORMATS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "json-ld"}


def vocabulary_version(vocabulary: Graph) -> str:
    """A fingerprint of the ontology and schemes, to notice when the store's copy is stale.

    Blank nodes are given canonical labels first: the parser names them afresh on
    every parse, and the same vocabulary must always have the same version.
    """
    canonical = to_canonical_graph(vocabulary)
    lines = sorted(line for line in canonical.serialize(format="nt").splitlines() if line)
    return "sha256:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()


@cache
def _packaged_vocabulary_version() -> str:
    """The version of the vocabulary shipped with the package; it cannot change while the process runs."""
    from opyt.ontology import ontology_graph

    return vocabulary_version(ontology_graph())


def ensure_vocabulary(store) -> bool:
    """Put the ontology and concept schemes into their named graph unless the same version is there.

    Returns True when the graph was (re)written.
    """
    from opyt.ontology import ontology_graph

    version = Literal(_packaged_vocabulary_version())
    if store.ask("ASK { GRAPH ?g { ?g ?p ?version } }", {"g": ONTOLOGY_GRAPH, "p": DCTERMS.hasVersion, "version": version}):
        return False
    vocabulary = ontology_graph()
    vocabulary.add((ONTOLOGY_GRAPH, DCTERMS.hasVersion, version))
    store.replace_graph(ONTOLOGY_GRAPH, vocabulary)
    return True


@dataclass
class LoadReport:
    source: str
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI -> triples written

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def default_graph_for(path: Path) -> URIRef:
    """The named graph a triples file goes to unless told otherwise: one per file name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", path.name).strip("-") or "data"
    return GRAPH["load/" + slug]


def read_rdf(path: Path, graph_iri: URIRef | None = None) -> dict[URIRef, Graph]:
    """Parse an RDF file into its graphs; triples outside a named graph go to ``graph_iri``."""
    rdf_format = _rdf_format(path)
    target = graph_iri or default_graph_for(path)
    dataset = Dataset()
    try:
        if rdf_format in QUAD_FORMATS:
            dataset.parse(path, format=rdf_format, publicID=target)
        else:
            dataset.graph(target).parse(path, format=rdf_format)
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise InputError(f"{path}: cannot be read as {rdf_format}: {exc}".strip()) from exc
    graphs = {}
    for context in dataset.graphs():
        if len(context) == 0:
            continue
        name = target if context.identifier == dataset.default_graph.identifier else context.identifier
        graphs.setdefault(URIRef(name), Graph()).__iadd__(context)
    return graphs


def _rdf_format(path: Path) -> str:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size > MAX_RDF_BYTES:
        raise InputError(f"{path}: larger than {MAX_RDF_BYTES // 2**20} MiB; split it or load it with the store's bulk loader")
    rdf_format = RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(
            f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(sorted(RDF_FORMATS))}"
        )
    return rdf_format


def union(graphs: Iterable[Graph]) -> Graph:
    merged = Graph()
    for graph in graphs:
        merged += graph
    return merged


def store_data(store) -> Graph:
    """Every triple of the store outside the vocabulary graph, merged: what the shapes check."""
    return union(store.graph(name) for name in store.graph_names() if name != ONTOLOGY_GRAPH)


def load_file(store, path: Path, graph_iri: URIRef | None = None) -> LoadReport:
    """Validate a file against the shapes and, only if it conforms, replace its graphs in the store."""
    from opyt.shapes import validate

    graphs = read_rdf(path, graph_iri)
    report = validate(union(graphs.values()))
    if not report.conforms:
        raise ValidationFailed(f"{path}: does not conform to the shapes; nothing was written", report)
    ensure_vocabulary(store)
    result = LoadReport(str(path))
    for name, graph in graphs.items():
        store.replace_graph(name, graph)
        result.graphs[str(name)] = len(graph)
    mentor_index.invalidate(store)
    return result


def export(store, fmt: str) -> bytes:
    """The whole dataset in ``nq``, ``trig``, ``jsonld`` (with graphs) or ``ttl`` (graphs merged)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "nq":
        return store.dump("nq")
    dataset = Dataset()
    dataset.parse(data=store.dump("nq"), format="nquads")
    if fmt == "ttl":
        return union(dataset.graphs()).serialize(format="turtle", encoding="utf-8")
    return dataset.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")


def stats(store) -> dict[str, int]:
    """Quads, named graphs, and how many things of each kind the store holds."""
    counts = {"quads": store.count(), "graphs": len(store.graph_names())}
    for row in store.select(queries.load("class-counts").text).rows:
        counts[str(row["kind"])] = int(row["count"])
    return counts
