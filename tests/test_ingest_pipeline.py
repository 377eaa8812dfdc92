"""The ingest pipeline on real stores: read -> extract -> build -> SHACL gate -> one graph per
document; idempotence, quarantine, failures, removal, and the ``opyt ingest`` / ``opyt remove``
commands. Extraction is replaced by ``fake_extractor`` (passed as ``extractor=``), which
returns hand-built facts, so that these tests do not depend on the NLP extractor."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import FOAF
from typer.testing import CliRunner

from opyt.cli import app
from opyt.config import get_settings
from opyt.ingest import pipeline
from opyt.ingest.graph import document_iri, graph_iri
from opyt.ingest.model import DocumentFacts
from opyt.ingest.pipeline import UnknownDocument, ingest_paths, remove_document
from opyt.ingest.readers import Document
from opyt.namespace import ID, ONTOLOGY_GRAPH, OPYT
from opyt.store import EmbeddedStore, Store
from tests.ingest_facts import KVARKEN_TEXT, kvarken_facts, passport_facts

DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"
OPYT_PROGRAM = Path(sys.executable).parent / "opyt"
TAZHENOVA = ID["person/tazhenova-u-s--kvarkenskii-raion"]
PASSPORT_TEXT = "Паспорт инновационного проекта\nАвтор: Таженова Улбосын Сагындыковна, МАОУ «Кваркенская СОШ»\n"


def fake_extractor(document: Document) -> DocumentFacts:
    """Facts by the document's first line: a passport, a passport without holders, else the programme."""
    if document.text.startswith("Паспорт"):
        return passport_facts(document.file_name, document.sha256, holders="без носителя" not in document.text)
    return kvarken_facts(document.file_name, document.sha256, KVARKEN_TEXT)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two good documents: the Kvarken programme and a passport naming the same teacher."""
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "kvarken.txt").write_text(KVARKEN_TEXT, encoding="utf-8")
    (documents / "passport.txt").write_text(PASSPORT_TEXT, encoding="utf-8")
    return documents


def ingest(store: Store, *paths: Path, **options) -> list[pipeline.DocumentReport]:
    return ingest_paths(store, paths, extractor=fake_extractor, **options)


def sorted_dump(store: Store) -> list[bytes]:
    return sorted(store.dump("nq").splitlines())


def test_ingest_writes_one_graph_per_document(store: Store, folder: Path) -> None:
    reports = ingest(store, folder)
    assert [(Path(r.file).name, r.status) for r in reports] == [("kvarken.txt", "ingested"), ("passport.txt", "ingested")]
    assert store.graph_names() == sorted([ONTOLOGY_GRAPH, graph_iri("kvarken.txt"), graph_iri("passport.txt")])
    kvarken = reports[0]
    assert (kvarken.persons, kvarken.organisations, kvarken.practices) == (2, 3, 2)
    assert kvarken.triples == len(store.graph(graph_iri("kvarken.txt")))
    assert store.ask("ASK { ?doc ?p ?name }", {"doc": document_iri("kvarken.txt"), "p": OPYT.fileName,
                                                "name": Literal("kvarken.txt")})


def test_reingesting_an_unchanged_document_changes_nothing(store: Store, folder: Path) -> None:
    ingest(store, folder)
    before = sorted_dump(store)
    reports = ingest(store, folder)
    assert [r.status for r in reports] == ["unchanged", "unchanged"]
    assert sorted_dump(store) == before


def test_reingest_unchanged_is_byte_identical(embedded_store: EmbeddedStore, folder: Path) -> None:
    ingest(embedded_store, folder)
    before = embedded_store.dump()
    ingest(embedded_store, folder)
    assert embedded_store.dump() == before
    forced = ingest(embedded_store, folder, force=True)
    assert [r.status for r in forced] == ["ingested", "ingested"]
    assert embedded_store.dump() == before  # the same graphs written again


def test_a_changed_document_replaces_its_graph(embedded_store: EmbeddedStore, folder: Path) -> None:
    ingest(embedded_store, folder)
    old = embedded_store.graph(graph_iri("passport.txt"))
    (folder / "passport.txt").write_text(PASSPORT_TEXT + "Дополнение.\n", encoding="utf-8")
    [report] = ingest(embedded_store, folder / "passport.txt")
    assert report.status == "ingested"
    new = embedded_store.graph(graph_iri("passport.txt"))
    doc = document_iri("passport.txt")
    assert len(set(new.objects(doc, OPYT.sha256))) == 1
    assert new.value(doc, OPYT.sha256) != old.value(doc, OPYT.sha256)
    assert len(new) == len(old)


def test_a_non_conforming_graph_is_quarantined(embedded_store: EmbeddedStore, folder: Path, tmp_path: Path) -> None:
    ingest(embedded_store, folder)
    before = embedded_store.dump()
    (folder / "passport.txt").write_text(PASSPORT_TEXT + "без носителя\n", encoding="utf-8")
    quarantine = tmp_path / "quarantine"
    [report] = ingest(embedded_store, folder / "passport.txt", quarantine_dir=quarantine)
    assert report.status == "quarantined"
    assert "opyt:holder" in report.message
    assert embedded_store.dump() == before  # the old version stays, nothing written
    text = (quarantine / "passport.txt.txt").read_text(encoding="utf-8")
    assert "does not conform" in text and "opyt:holder" in text
    (folder / "passport.txt").write_text(PASSPORT_TEXT, encoding="utf-8")  # fixed: back to the stored version
    [report] = ingest(embedded_store, folder / "passport.txt", quarantine_dir=quarantine)
    assert report.status == "unchanged"
    (folder / "passport.txt").write_text(PASSPORT_TEXT + "Исправлено.\n", encoding="utf-8")
    [report] = ingest(embedded_store, folder / "passport.txt", quarantine_dir=quarantine)
    assert report.status == "ingested"
    assert not (quarantine / "passport.txt.txt").exists()


def test_a_corrupt_file_fails_and_the_others_go_in(embedded_store: EmbeddedStore, folder: Path) -> None:
    shutil.copy(DOCUMENTS / "corrupt.docx", folder / "broken.docx")
    (folder / "empty.txt").write_bytes(b"")
    reports = {Path(r.file).name: r for r in ingest(embedded_store, folder)}
    assert {name: r.status for name, r in reports.items()} == {
        "broken.docx": "failed", "empty.txt": "failed", "kvarken.txt": "ingested", "passport.txt": "ingested",
    }
    assert "cannot be read" in reports["broken.docx"].message and reports["broken.docx"].triples == 0
    assert graph_iri("kvarken.txt") in embedded_store.graph_names()


def test_an_extractor_error_fails_that_document_only(embedded_store: EmbeddedStore, folder: Path) -> None:
    def flaky(document: Document) -> DocumentFacts:
        if document.file_name == "kvarken.txt":
            raise ValueError("the extractor tripped")
        return fake_extractor(document)

    reports = ingest_paths(embedded_store, [folder], extractor=flaky)
    assert [r.status for r in reports] == ["failed", "ingested"]
    assert "the extractor tripped" in reports[0].message


def test_progress_is_reported_per_document(embedded_store: EmbeddedStore, folder: Path) -> None:
    seen = []
    ingest(embedded_store, folder, progress=lambda report, done, total: seen.append((Path(report.file).name, done, total)))
    assert seen == [("kvarken.txt", 1, 2), ("passport.txt", 2, 2)]


def test_remove_document_keeps_what_other_documents_say(store: Store, folder: Path) -> None:
    ingest(store, folder)
    passport_graph = store.graph(graph_iri("passport.txt"))
    assert (TAZHENOVA, RDF.type, FOAF.Person) in store.graph(graph_iri("kvarken.txt"))
    assert (TAZHENOVA, RDF.type, FOAF.Person) in passport_graph
    assert remove_document(store, "passport.txt") == graph_iri("passport.txt")
    assert graph_iri("passport.txt") not in store.graph_names()
    assert store.ask("ASK { ?person a ?class }", {"person": TAZHENOVA, "class": FOAF.Person})
    assert not store.ask("ASK { ?person ?p ?name }", {"person": TAZHENOVA, "p": FOAF.name,
                                                       "name": Literal("Таженова Улбосын Сагындыковна")})
    assert not store.ask("ASK { ?doc a ?class }", {"doc": document_iri("passport.txt"), "class": OPYT.SourceDocument})
    # by IRI, either the document's or the graph's
    remove_document(store, str(document_iri("kvarken.txt")))
    assert store.graph_names() == [ONTOLOGY_GRAPH]
    with pytest.raises(UnknownDocument, match="kvarken.txt"):
        remove_document(store, str(graph_iri("kvarken.txt")))


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith("OPYT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OPYT_STORE", str(tmp_path / "store"))
    get_settings.cache_clear()
    yield tmp_path / "store"
    get_settings.cache_clear()


def opyt(*args: str | Path):
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, [str(a) for a in args])
    finally:
        get_settings.cache_clear()


@pytest.fixture
def fake_default_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI calls the pipeline with its default extractor; here that default is the fake one."""
    monkeypatch.setattr(pipeline, "_default_extractor", fake_extractor)


def test_cli_ingest_exit_codes(environment: Path, folder: Path, tmp_path: Path, fake_default_extractor: None) -> None:
    result = opyt("ingest", folder)
    assert result.exit_code == 0, result.output
    assert "kvarken.txt" in result.stdout and "ingested" in result.stdout
    result = opyt("ingest", folder, "--format", "json")
    assert result.exit_code == 0 and '"status": "unchanged"' in result.stdout
    shutil.copy(DOCUMENTS / "corrupt.odt", folder / "broken.odt")
    result = opyt("ingest", folder)
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "broken.odt" in result.stderr
    (folder / "broken.odt").unlink()
    (folder / "passport.txt").write_text(PASSPORT_TEXT + "без носителя\n", encoding="utf-8")
    result = opyt("ingest", folder / "passport.txt")
    assert result.exit_code == 1 and "quarantined" in result.stdout
    assert (tmp_path / "quarantine" / "passport.txt.txt").is_file()
    assert opyt("ingest").exit_code == 2
    assert opyt("ingest", folder, "--format", "xml").exit_code == 2


def test_cli_progress_bar_for_many_files(environment: Path, folder: Path, fake_default_extractor: None) -> None:
    for n in range(4):
        (folder / f"copy{n}.txt").write_text(KVARKEN_TEXT + f"{n}\n", encoding="utf-8")
    result = opyt("ingest", folder)
    assert result.exit_code == 0, result.output
    # click draws the bar itself only on a terminal; the planted topic's warnings come on their own lines
    assert any(line.startswith("ingest") for line in result.stderr.splitlines())


def test_cli_remove_exit_codes(environment: Path, folder: Path, fake_default_extractor: None) -> None:
    assert opyt("ingest", folder).exit_code == 0
    result = opyt("remove", "kvarken.txt")
    assert result.exit_code == 0 and "kvarken.txt" in result.stdout
    result = opyt("remove", "kvarken.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no document 'kvarken.txt'")
    assert opyt("remove").exit_code == 2


def test_opyt_program_in_a_subprocess(environment: Path, tmp_path: Path) -> None:
    """The installed program: an unreadable document exits 1, an unknown document to remove 2."""
    env = {**os.environ, "OPYT_STORE": str(environment)}
    run = lambda *args: subprocess.run([str(OPYT_PROGRAM), *map(str, args)], capture_output=True, text=True,
                                       timeout=120, env=env)
    result = run("ingest", DOCUMENTS / "corrupt.pdf", DOCUMENTS / "empty.txt")
    assert result.returncode == 1, result.stderr
    assert "corrupt.pdf" in result.stdout and "failed" in result.stdout and "Traceback" not in result.stderr
    result = run("remove", "nothing.txt")
    assert result.returncode == 2 and "no document 'nothing.txt'" in result.stderr
    assert run("ingest").returncode == 2


# --- with the real extractor -------------------------------------------------------------------

CORPUS = Path("/work/shared/corpus")


def readable(path: Path) -> bool:
    from opyt.errors import UnreadableDocument
    from opyt.ingest.readers import read_document

    try:
        read_document(path)
    except UnreadableDocument:
        return False
    return True


def test_real_extractor_on_the_reader_fixtures(embedded_store: EmbeddedStore, tmp_path: Path) -> None:
    pytest.importorskip("opyt.ingest.extract", reason="the extractor has not landed yet")
    reports = ingest_paths(embedded_store, [DOCUMENTS], quarantine_dir=tmp_path / "quarantine")
    statuses = {Path(r.file).name: r.status for r in reports}
    expected = {path.name: "ingested" if readable(path) else "failed" for path in sorted(DOCUMENTS.rglob("*"))
                if path.suffix in {".txt", ".docx", ".odt", ".pdf", ".md"}}
    assert statuses == expected, [r.message for r in reports if r.status == "quarantined"]
    before = embedded_store.dump()
    again = ingest_paths(embedded_store, [DOCUMENTS])
    assert {r.status for r in again if statuses[Path(r.file).name] == "ingested"} == {"unchanged"}
    assert embedded_store.dump() == before


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared sample corpus is not here")
def test_real_extractor_on_the_sample_corpus(embedded_store: EmbeddedStore, tmp_path: Path) -> None:
    pytest.importorskip("opyt.ingest.extract", reason="the extractor has not landed yet")
    reports = ingest_paths(embedded_store, [CORPUS], quarantine_dir=tmp_path / "quarantine")
    assert reports and all(r.status == "ingested" for r in reports), [(r.file, r.status, r.message) for r in reports]
    assert all(r.practices > 0 and r.persons > 0 for r in reports), [(r.file, r.persons, r.practices) for r in reports]
    from opyt.catalogue import store_data
    from opyt.shapes import validate

    report = validate(store_data(embedded_store))  # the documents together conform too
    assert report.conforms, report.text("en")
