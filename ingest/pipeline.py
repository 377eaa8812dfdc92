"""Ingest documents into the store: read → extract → build → SHACL gate → replace the document's graph.

One named graph per document, named after its file name (``graph_iri``), so:

* **idempotence**: before extracting, the stored document node's ``opyt:sha256``
  is compared with the file's; the same digest means status ``"unchanged"`` and
  nothing is written (``force=True`` re-ingests anyway, e.g. after the
  extractor improved). A changed file replaces its graph atomically
  (``Store.replace_graph``).
* **quarantine**: a graph that does not conform to the shapes (checked
  together with the vocabulary) is not written at all; whatever the store
  held for that document stays as it was. The report's message names the
  first violation, and when ``quarantine_dir`` is given the full validation
  report is written to ``<quarantine_dir>/<file name>.txt`` (the CLI uses
  ``quarantine/`` beside the store directory). A later successful ingest of
  that file removes its quarantine report.
* **failures**: a file the readers refuse (corrupt, empty, binary, too large,
  unsupported), or an error in extraction, is reported as ``"failed"`` with its
  message; the batch goes on with the next file.
* **removal** (:func:`remove_document`) drops the document's graph. Entities
  shared with other documents (a person, a school, a region) survive, because
  the other documents' graphs still describe them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Literal as TypingLiteral

from rdflib import SH, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, XSD

from opyt import mentor_index
from opyt.catalogue import ensure_vocabulary
from opyt.errors import OpytError, UnreadableDocument
from opyt.ingest.graph import PRACTICE_CLASSES, document_iri, file_slug, graph_iri
from opyt.ingest.model import DocumentFacts
from opyt.ingest.readers import DEFAULT_MAX_BYTES, Document, iter_documents, read_document
from opyt.namespace import BASE, GRAPH, ID, OPYT

log = logging.getLogger(__name__)

Status = TypingLiteral["ingested", "unchanged", "quarantined", "failed"]
Extractor = Callable[[Document], DocumentFacts]
Progress = Callable[["DocumentReport", int, int], None]

_STORED_SHA256 = "ASK { GRAPH ?g { ?doc ?p ?sha256 } }"
_DOC_GRAPH_PREFIX = str(GRAPH["doc/"])
_DOC_PREFIX = str(ID["doc/"])


class UnknownDocument(OpytError):
    """``remove_document`` was given a document the store does not hold."""


@dataclass
class DocumentReport:
    """What happened to one file. Counts are of the built graph (zero when nothing was built)."""

    file: str
    status: Status
    persons: int = 0
    organisations: int = 0
    practices: int = 0
    triples: int = 0
    message: str = ""
    graph: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("ingested", "unchanged")


def _default_extractor(document: Document) -> DocumentFacts:
    from opyt.ingest.extract import extract  # imported lazily: it loads NLP models

    return extract(document)


def build(facts: DocumentFacts) -> Graph:
    from opyt.ingest.graph import build_graph

    return build_graph(facts)


def ingest_paths(
    store,
    paths: Iterable[Path | str],
    *,
    progress: Progress | None = None,
    extractor: Extractor | None = None,
    quarantine_dir: Path | None = None,
    force: bool = False,
) -> list[DocumentReport]:
    """Ingest every document file among ``paths`` (files, or folders searched recursively).

    ``progress(report, done, total)`` is called after each file. ``extractor``
    defaults to ``opyt.ingest.extract.extract``. Returns one report per file,
    in the order of :func:`~opyt.ingest.readers.iter_documents`.
    """
    extract = extractor or _default_extractor
    files = list(iter_documents(Path(p) for p in paths))
    ensure_vocabulary(store)
    reports = []
    for done, path in enumerate(files, start=1):
        started = time.perf_counter()
        report = _ingest_one(store, path, extract, quarantine_dir, force)
        report.seconds = time.perf_counter() - started
        log.info("%s: %s in %.2f s %s", path, report.status, report.seconds, report.message)
        reports.append(report)
        if progress is not None:
            progress(report, done, len(files))
    return reports


def _ingest_one(store, path: Path, extract: Extractor, quarantine_dir: Path | None, force: bool) -> DocumentReport:
    from opyt.shapes import validate

    target = graph_iri(path.name)
    if not force and _is_stored(store, path):
        return DocumentReport(str(path), "unchanged", graph=str(target), message="same sha256 as stored")
    try:
        document = read_document(path)
    except UnreadableDocument as exc:
        return DocumentReport(str(path), "failed", message=str(exc).removeprefix(f"{path}: "))
    try:
        facts = extract(document)
        if (facts.file_name, facts.sha256) != (document.file_name, document.sha256):
            # the graph's IRIs and the unchanged check rest on the file's own name and digest
            facts = dataclasses.replace(facts, file_name=document.file_name, sha256=document.sha256)
        graph = build(facts)
    except Exception as exc:  # noqa: BLE001 - one document's extraction bug must not stop the batch
        log.warning("%s: extraction failed: %s: %s", path, type(exc).__name__, exc)
        log.debug("%s: the extractor's traceback", path, exc_info=True)
        return DocumentReport(str(path), "failed", graph=str(target), message=f"extraction failed: {type(exc).__name__}: {exc}")
    report = DocumentReport(str(path), "ingested", graph=str(target), **_counts(graph))
    validation = validate(graph)
    quarantine_file = quarantine_dir / f"{document.file_name}.txt" if quarantine_dir else None
    if not validation.conforms:
        report.status = "quarantined"
        violations = [r for r in validation.results if r.severity == SH.Violation]
        first = validation.line(violations[0], "en") if violations else "does not conform"
        report.message = f"{len(violations)} SHACL violation(s), nothing written; the first: {first}"
        if quarantine_file is not None:
            quarantine_file.parent.mkdir(parents=True, exist_ok=True)
            quarantine_file.write_text(f"{path}\n{validation.text('en')}\n\n{validation.text('ru')}\n", encoding="utf-8")
            report.message += f"; report in {quarantine_file}"
        return report
    store.replace_graph(target, graph)
    mentor_index.invalidate(store)
    if quarantine_file is not None and quarantine_file.exists():
        quarantine_file.unlink()
    return report


def _is_stored(store, path: Path) -> bool:
    """Whether the store holds this file's graph with the same sha256 (checked before the file is parsed).

    A file that cannot be hashed is not "stored": ``read_document`` will say what is wrong with it.
    """
    try:
        if not path.is_file() or path.stat().st_size > DEFAULT_MAX_BYTES:
            return False
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False
    return store.ask(_STORED_SHA256, {
        "g": graph_iri(path.name), "doc": document_iri(path.name), "p": OPYT.sha256,
        "sha256": Literal(digest, datatype=XSD.string),
    })


def _counts(graph: Graph) -> dict[str, int]:
    practices = {s for cls in PRACTICE_CLASSES.values() for s in graph.subjects(RDF.type, cls)}
    return {
        "persons": len(set(graph.subjects(RDF.type, FOAF.Person))),
        "organisations": len(set(graph.subjects(RDF.type, ORG.Organization))),
        "practices": len(practices),
        "triples": len(graph),
    }


def resolve_document(name_or_iri: str) -> URIRef:
    """The graph IRI for a file name (or path), a document IRI (``id:doc/…``) or a graph IRI (``graph:doc/…``)."""
    text = name_or_iri.strip()
    if text.startswith(_DOC_GRAPH_PREFIX):
        return URIRef(text)
    if text.startswith(_DOC_PREFIX):
        return GRAPH["doc/" + text[len(_DOC_PREFIX):]]
    if text.startswith(("id:doc/", "graph:doc/")):
        return GRAPH["doc/" + text.split("doc/", 1)[1]]
    if text.startswith(BASE):
        raise UnknownDocument(f"{text!r} is not a document IRI; give a file name, id:doc/… or graph:doc/…")
    return graph_iri(Path(text).name)


def remove_document(store, name_or_iri: str) -> URIRef:
    """Drop one document's graph; returns its IRI. Raises ``UnknownDocument`` if the store has no such graph."""
    target = resolve_document(name_or_iri)
    if target not in store.graph_names():
        raise UnknownDocument(
            f"no document {name_or_iri!r} in the store (looked for graph <{target}>); "
            "`opyt stats` or a query over opyt:fileName lists what is there"
        )
    store.drop_graph(target)
    mentor_index.invalidate(store)
    return target


__all__ = [
    "DocumentReport", "UnknownDocument", "ingest_paths", "remove_document", "resolve_document", "file_slug",
]
