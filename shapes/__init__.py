"""SHACL shapes of the Opyt knowledge graph and a validator that reports in Russian or English.

The shapes (``opyt-shapes.ttl``) check concept values with ``skos:inScheme``
and classes with ``rdfs:subClassOf``, so data is validated together with a
vocabulary graph: ``opyt.ontology.ontology_graph()`` (ontology, schemes,
topics) unless the caller passes one. A ``Dataset`` is validated as the union
of its graphs; to check one document alone, pass its named graph.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal as TypingLiteral

import pyshacl
from rdflib import RDF, SH, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDFS, SKOS

from opyt.errors import ValidationFailed
from opyt.namespace import PREFIXES

Lang = TypingLiteral["ru", "en"]

SHAPES_FILE = "opyt-shapes.ttl"
# The only vocabulary triples the shapes consult: sh:hasValue on skos:inScheme,
# and sh:class / sh:targetClass following rdfs:subClassOf. Mixing in just these
# keeps a small document's validation at 15-30 ms instead of ~110 ms with the whole ontology.
VOCABULARY_PREDICATES = (SKOS.inScheme, RDFS.subClassOf)

_PREFIXES = {
    **PREFIXES,
    "opytsh": "https://w3id.org/opyt/shapes#",
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "sh": str(SH),
}
# longest namespace first, so that a nested namespace wins over the one containing it
_SHORT_PREFIXES = sorted(_PREFIXES.items(), key=lambda item: -len(item[1]))
_RESULTS_LABEL = {"ru": "результатов", "en": "results"}
_SEVERITY_LABELS = {
    SH.Violation: {"ru": "Нарушение", "en": "Violation"},
    SH.Warning: {"ru": "Предупреждение", "en": "Warning"},
    SH.Info: {"ru": "Сведение", "en": "Info"},
}
_CONFORMS_LABELS = {
    "ru": ("Данные соответствуют формам", "Данные не соответствуют формам"),
    "en": ("Data conforms to the shapes", "Data does not conform to the shapes"),
}


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult; ``messages`` maps a language tag ("" if untagged) to the message."""

    focus_node: Node
    result_path: Node | None
    source_shape: Node
    constraint_component: URIRef
    severity: URIRef
    messages: dict[str, str]
    value: Node | None

    def message(self, lang: str) -> str:
        """The message in ``lang``, else in English, else any message there is."""
        for key in (lang, "en", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), "")


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`; ``graph`` is pyshacl's raw report graph."""

    conforms: bool
    results: list[ValidationResult]
    graph: Graph

    def text(self, lang: Lang = "ru") -> str:
        """A readable report: a summary line, then one line per result (see :meth:`line`)."""
        summary = _CONFORMS_LABELS[lang][0 if self.conforms else 1]
        lines = [f"{summary}; {_RESULTS_LABEL[lang]}: {len(self.results)}"]
        lines += [self.line(result, lang) for result in self.results]
        return "\n".join(lines)

    def line(self, result: ValidationResult, lang: Lang = "ru") -> str:
        """``severity: focus node, path [= value]: message``, names shortened to ``prefix:local``."""
        severity = _SEVERITY_LABELS.get(result.severity, {}).get(lang, _short(result.severity))
        where = _short(result.focus_node)
        if result.result_path is not None:
            where += f", {self._path_text(result.result_path)}"
        if result.value is not None and result.value != result.focus_node:
            where += f" = {_short(result.value)}"
        return f"{severity}: {where}: {result.message(lang)}"

    def _path_text(self, path: Node) -> str:
        """A path as written in SPARQL property paths; only the inverse paths the shapes use are spelt out."""
        inverse = self.graph.value(path, SH.inversePath) if isinstance(path, BNode) else None
        return f"^{_short(inverse)}" if inverse is not None else _short(path)


def shapes_graph() -> Graph:
    """A fresh graph holding the Opyt shapes, read from the installed package."""
    graph = Graph()
    graph.parse(data=files(__package__).joinpath(SHAPES_FILE).read_text(encoding="utf-8"), format="turtle")
    return graph


@cache
def _shared_shapes() -> Graph:
    """The shapes parsed once per process; pyshacl only reads them."""
    return shapes_graph()


def validate(data: Graph | Dataset, vocabulary: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against the shapes, with ``vocabulary`` (default: the ontology) mixed in.

    Only the ``VOCABULARY_PREDICATES`` triples of the vocabulary are used.
    Warnings (sh:Warning) are reported but do not make the data non-conforming.
    No inference is run: subclass targets are explicit in the shapes, and
    ``sh:class`` follows the ``rdfs:subClassOf`` triples of the vocabulary.
    The input graphs are not modified.
    """
    combined = _union(data)
    source = vocabulary if vocabulary is not None else _default_vocabulary()
    for predicate in VOCABULARY_PREDICATES:
        combined += source.triples((None, predicate, None))
    conforms, report_graph, _ = pyshacl.validate(
        combined, shacl_graph=_shared_shapes(), inference="none", allow_warnings=True, inplace=True
    )
    return ValidationReport(bool(conforms), _results(report_graph), report_graph)


def assert_valid(data: Graph | Dataset, vocabulary: Graph | None = None, lang: Lang = "en") -> ValidationReport:
    """Validate and return the report, or raise ``ValidationFailed`` naming the first violation.

    The message is one line, as the CLI prints it after the full ``report.text()``.
    """
    report = validate(data, vocabulary)
    if not report.conforms:
        violations = [r for r in report.results if r.severity == SH.Violation]
        message = f"{len(violations)} SHACL violation(s); the first: {report.line(violations[0], lang)}"
        raise ValidationFailed(message, report)
    return report


def _union(data: Graph | Dataset) -> Graph:
    """A plain graph with every triple of ``data``, whatever named graph it is in."""
    union = Graph()
    if isinstance(data, Dataset):
        union.addN((s, p, o, union) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        union += data
    return union


@cache
def _default_vocabulary() -> Graph:
    """The ontology with its schemes and topics, parsed once per process (it takes ~0.2 s); only read.

    Imported lazily so that importing the shapes does not parse the ontology.
    """
    from opyt.ontology import ontology_graph

    return ontology_graph()


def _results(report_graph: Graph) -> list[ValidationResult]:
    """The report's results, in a stable order (severity, focus node, path, shape)."""
    report = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
    results = [_result(report_graph, node) for node in report_graph.objects(report, SH.result)]
    return sorted(
        results,
        key=lambda r: (str(r.severity), str(r.focus_node), str(r.result_path), str(r.source_shape)),
    )


def _result(graph: Graph, node: Node) -> ValidationResult:
    messages = {
        (message.language or ""): str(message)
        for message in graph.objects(node, SH.resultMessage)
        if isinstance(message, Literal)
    }
    return ValidationResult(
        focus_node=graph.value(node, SH.focusNode),
        result_path=graph.value(node, SH.resultPath),
        source_shape=graph.value(node, SH.sourceShape),
        constraint_component=graph.value(node, SH.sourceConstraintComponent),
        severity=graph.value(node, SH.resultSeverity),
        messages=messages,
        value=graph.value(node, SH.value),
    )


def _short(node: Node) -> str:
    """A compact name: ``prefix:local`` for known namespaces, N3 otherwise."""
    if isinstance(node, URIRef):
        for prefix, namespace in _SHORT_PREFIXES:
            if node.startswith(namespace):
                return f"{prefix}:{node[len(namespace):]}"
    return node.n3()
