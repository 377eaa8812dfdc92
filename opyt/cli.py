"""The ``opyt`` command line: thin wrappers over plain functions.

Exit codes:
  0  success
  1  the data has problems: it does not conform to the shapes, or the ontology is inconsistent
  1  also: ``opyt ingest`` quarantined a document (it does not conform) or could not read one
  2  usage error: unknown command, option, stored query or parameter, a malformed query,
     a setting (OPYT_* variable) that cannot be read, or ``opyt remove`` of a document
     the store does not hold
  3  input error: a file is missing, unreadable, too large or of an unknown format
  4  store error: the store cannot be opened or reached (locked, endpoint down)

Every command works on the store named by ``OPYT_STORE`` (a directory, embedded
Oxigraph) or, when ``OPYT_ENDPOINT`` is set, on that SPARQL 1.1 endpoint.
"""
from __future__ import annotations

import json
import logging
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from pydantic import ValidationError as SettingsError
from opyt import catalogue, formats, queries
from opyt.config import Settings, get_settings
from opyt.errors import (
    ConfigurationError,
    InputError,
    OntologyInconsistent,
    OpytError,
    QueryError,
    StoreError,
    ValidationFailed,
)

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INPUT, EXIT_STORE = 0, 1, 2, 3, 4

app = typer.Typer(
    help="Opyt: a semantic catalogue of innovative teaching experience.\n\n" + __doc__.split("\n\n", 1)[1],
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also report what each step does (INFO messages).")] = False,
) -> None:
    """Warnings (a fact left out of a document, an index rebuilt...) go to stderr as one line each."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s", force=True)


ontology_app = typer.Typer(help="Work with the OWL ontology.", no_args_is_help=True)
app.add_typer(ontology_app, name="ontology")


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    ru = "ru"
    en = "en"


class ExportFormat(str, Enum):
    nq = "nq"
    trig = "trig"
    ttl = "ttl"
    jsonld = "jsonld"


def _fail(message: str, code: int) -> typer.Exit:
    # one line, whatever the message holds (parsers' messages quote the input over several lines)
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    return typer.Exit(code)


@contextmanager
def exit_codes() -> Iterator[None]:
    """Turn Opyt's errors into a one-line message on stderr and the documented exit code."""
    try:
        yield
    except ValidationFailed as exc:
        typer.echo(exc.report.text(), err=True)
        raise _fail(str(exc), EXIT_DATA) from None
    except OntologyInconsistent as exc:
        raise _fail(str(exc), EXIT_DATA) from None
    except (QueryError, ConfigurationError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    except InputError as exc:
        raise _fail(str(exc), EXIT_INPUT) from None
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE) from None
    except OpytError as exc:
        raise _fail(str(exc), EXIT_DATA) from None


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        problems = "; ".join(f"OPYT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise ConfigurationError(f"a setting cannot be read: {problems}") from None


def _store():
    from opyt.store import open_store

    settings = _settings()
    try:
        return open_store(settings)
    except OSError as exc:  # the directory cannot be made: a file in the way, no permission
        raise StoreError(f"Cannot open the store directory {settings.store}: {exc.strerror or exc}") from exc


def _parse_params(params: list[str]) -> dict[str, str]:
    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {param!r} is not of the form NAME=VALUE")
        values[name.strip()] = value
    return values


@ontology_app.command("check")
def ontology_check(
    alignments: Annotated[bool, typer.Option(help="Include the schema.org and VIVO alignments.")] = True,
) -> None:
    """Load the ontology into owlready2 and run the HermiT reasoner; exit 1 if inconsistent."""
    from opyt.ontology import check_consistency

    with exit_codes():
        report = check_consistency(include_alignments=alignments)
        typer.echo(
            f"{report.message}: {report.classes} classes, {report.properties} properties, "
            f"HermiT {report.seconds:.1f} s"
        )
        if not report.ok:
            raise OntologyInconsistent("the ontology is inconsistent or has unsatisfiable classes")


@app.command()
def validate(
    file: Annotated[Optional[Path], typer.Argument(help="An RDF file; without it, the whole store.")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the messages.")] = Lang.ru,
) -> None:
    """Validate a file or the whole store against the SHACL shapes; exit 0 if it conforms, 1 if not."""
    from opyt.shapes import validate as shacl_validate

    with exit_codes():
        if file is not None:
            data = catalogue.union(catalogue.read_rdf(file).values())
        else:
            with _store() as store:
                data = catalogue.store_data(store)
        report = shacl_validate(data)
        typer.echo(report.text(lang.value))
        if not report.conforms:
            raise typer.Exit(EXIT_DATA)


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML files.")],
    graph: Annotated[Optional[str], typer.Option(help="Named graph for triples outside a graph (default: one per file).")] = None,
) -> None:
    """Load RDF files through the SHACL gate: a file that does not conform is not written at all."""
    with exit_codes():
        graph_iri = queries.expand_iri(graph) if graph else None
        with _store() as store:
            for file in files:
                report = catalogue.load_file(store, file, graph_iri)
                typer.echo(f"{file}: {report.triples} triples in {len(report.graphs)} graph(s)")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="nq and trig keep the named graphs; ttl merges them.")] = ExportFormat.nq,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Export the whole store."""
    with exit_codes():
        with _store() as store:
            data = catalogue.export(store, fmt.value)
        if output:
            try:
                output.write_bytes(data)
            except OSError as exc:
                raise InputError(f"{output}: cannot be written: {exc.strerror or exc}") from exc
        else:
            sys.stdout.buffer.write(data)


@app.command()
def stats(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """How much the store holds: quads, graphs, persons, organisations, practices..."""
    with exit_codes():
        with _store() as store:
            counts = catalogue.stats(store)
        if fmt is TableFormat.json:
            typer.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        else:
            width = max(map(len, counts))
            typer.echo("\n".join(f"{name.ljust(width)}  {value}" for name, value in counts.items()))


@app.command("queries")
def list_queries() -> None:
    """List the stored queries with their parameters."""
    with exit_codes():
        for query in queries.all_queries():
            params = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in query.parameters)
            typer.echo(f"{query.name}  ({params or 'no parameters'})\n    {query.title}")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A stored query (see `opyt queries`).")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="NAME=VALUE; IRIs may use prefixes like topic:.")] = [],
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Run a stored query by name."""
    with exit_codes():
        stored = queries.load(name)
        bindings = stored.bindings(_parse_params(param))
        with _store() as store:
            result = store.select(stored.text, bindings)
        typer.echo(formats.render(fmt.value, result.variables, result.rows))


@app.command()
def facts(
    fmt: Annotated[str, typer.Option("--format", "-f", help="Only json for now.")] = "json",
) -> None:
    """Print every person, organisation and practice as JSON (the evaluator's format)."""
    from opyt.facts import collect_facts

    with exit_codes():
        if fmt != "json":
            raise QueryError(f"facts are printed as json only, not {fmt!r}")
        with _store() as store:
            typer.echo(json.dumps(collect_facts(store), ensure_ascii=False, indent=2))


class MentorsFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def mentors(
    text: Annotated[str, typer.Argument(help="The need, in Russian or English: «мастер-класс по заданию 18 ЕГЭ».")],
    municipality: Annotated[Optional[str], typer.Option(help="The asker's municipality (for the model suggestion).")] = None,
    region: Annotated[Optional[str], typer.Option(help="The asker's region (for the model suggestion).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many answers.")] = 10,
    fmt: Annotated[MentorsFormat, typer.Option("--format", "-f")] = MentorsFormat.table,
) -> None:
    """Who can pass on experience on a topic: holders of matching practices, best first."""
    from opyt.matching import find_mentors

    with exit_codes():
        with _store() as store:
            answer = find_mentors(store, text, municipality=municipality, region=region, limit=limit)
        if fmt is MentorsFormat.json:
            typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        elif not answer["items"]:
            typer.echo("nobody yet: no practice in the catalogue matches this need")
        else:
            for n, item in enumerate(answer["items"], 1):
                organisation = f" ({item['organisation']['name']})" if item["organisation"] else ""
                typer.echo(f"{n}. {item['holder']['name']}{organisation}  score {item['score']:.2f}, model {item['model']}")
                typer.echo(f"   {item['practice']['title']}")
                typer.echo(f"   {item['why']}")


@app.command()
def gaps(
    region: Annotated[Optional[str], typer.Option(help="Only needs in this region (a part of its name), checked against its holders.")] = None,
    municipality: Annotated[Optional[str], typer.Option(help="Only needs in this municipality, checked against its holders.")] = None,
    fmt: Annotated[MentorsFormat, typer.Option("--format", "-f")] = MentorsFormat.table,
) -> None:
    """Topics the documents state as needs that no holder in the territory covers."""
    from opyt.gaps import find_gaps

    with exit_codes():
        with _store() as store:
            answer = find_gaps(store, region=region, municipality=municipality)
        if fmt is MentorsFormat.json:
            typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        elif not answer["items"]:
            typer.echo("no gaps: every stated need has a holder in its territory (or no need is stated)")
        else:
            for item in answer["items"]:
                territory = item["territory"] or "territory unknown"
                typer.echo(f"{item['topic']['label']} — {territory}: {len(item['needs'])} need(s), "
                           f"{item['holders_elsewhere']} holder(s) elsewhere")
                for need in item["needs"][:3]:
                    typer.echo(f"   {need['consumer']}: «{need['quote'][:120]}» ({need['source']})")


class _ProgressBar:
    """A progress bar on stderr, shown only when there are more than ``PROGRESS_AFTER`` files."""

    def __init__(self) -> None:
        self._bar = None

    def __call__(self, report, done: int, total: int) -> None:
        if total <= PROGRESS_AFTER:
            return
        if self._bar is None:
            self._bar = typer.progressbar(length=total, label="ingest", file=sys.stderr, show_pos=True)
            self._bar.__enter__()
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


INGEST_COLUMNS = ["file", "status", "persons", "organisations", "practices", "triples", "seconds", "message"]
PROGRESS_AFTER = 3


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Document files (.docx .odt .pdf .txt .md) or folders.")],
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Format of the summary.")] = TableFormat.table,
    force: Annotated[bool, typer.Option(help="Re-ingest documents whose sha256 is unchanged.")] = False,
) -> None:
    """Read documents into the catalogue: one named graph each, through the SHACL gate.

    Exit 0 when every document was ingested or unchanged, 1 when any was
    quarantined (does not conform: nothing written, report in quarantine/
    beside the store) or failed (unreadable file, extraction error).
    """
    from rdflib import Literal

    from opyt.ingest.pipeline import ingest_paths

    with exit_codes():
        quarantine = _settings().store.parent / "quarantine"
        bar = _ProgressBar()
        with _store() as store:
            try:
                reports = ingest_paths(store, paths, progress=bar, quarantine_dir=quarantine, force=force)
            finally:
                bar.close()
        rows = [
            {
                "file": Literal(Path(r.file).name), "status": Literal(r.status), "persons": Literal(r.persons),
                "organisations": Literal(r.organisations), "practices": Literal(r.practices),
                "triples": Literal(r.triples), "seconds": Literal(round(r.seconds, 2)), "message": Literal(r.message),
            }
            for r in reports
        ]
        typer.echo(formats.render(fmt.value, INGEST_COLUMNS, rows))
        problems = [r for r in reports if not r.ok]
        for report in problems:
            typer.echo(f"{report.status}: {report.file}: {report.message}", err=True)
        if not reports:
            typer.echo("no document files found", err=True)
        if problems:
            raise typer.Exit(EXIT_DATA)


@app.command()
def remove(
    document: Annotated[str, typer.Argument(help="A document's file name, id:doc/… or graph:doc/… IRI.")],
) -> None:
    """Remove one document's graph; what other documents say about shared persons and organisations stays."""
    from opyt.ingest.pipeline import UnknownDocument, remove_document

    with exit_codes():
        with _store() as store:
            try:
                removed = remove_document(store, document)
            except UnknownDocument as exc:
                raise _fail(str(exc), EXIT_USAGE) from None
        typer.echo(f"removed {removed}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the catalogue over HTTP (SPARQL endpoint, stored queries, health)."""
    import uvicorn

    from opyt.service.app import create_app

    with exit_codes():
        uvicorn.run(create_app(_settings()), host=host, port=port, workers=1)
