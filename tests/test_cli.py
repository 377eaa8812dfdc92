"""The ``opyt`` command line: every documented exit code, the output formats,
and OPYT_ENDPOINT, driven in-process through typer's CliRunner and as the real
``opyt`` program in a subprocess (see the ``opyt.cli`` docstring for the codes)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner, Result

from opyt import catalogue, queries
from opyt.cli import app
from opyt.config import get_settings
from opyt.facts import collect_facts
from opyt.namespace import GRAPH, ID, ONTOLOGY_GRAPH, OPYT
from opyt.store import EmbeddedStore, RemoteStore

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue" / "small.trig"
OPYT_PROGRAM = Path(sys.executable).parent / "opyt"
KVARKEN_FILE = "kvarkensky-dissemination-program.txt"
MAGNITOGORSK_FILE = "magnitogorsk-innovation-site-passport.docx"
TASK18_METHOD = ID["practice-graphic-method-task-18"]
COUNTS = {"graphs": 3, "documents": 2, "events": 1, "evidence": 5, "organisations": 5, "persons": 6, "practices": 7}

HOLD_STORE = """
import sys
from pathlib import Path
from opyt.store import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.read()
"""


# --- running the command ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own embedded store and no endpoint; settings are read afresh."""
    for name in list(os.environ):
        if name.startswith("OPYT_"):
            monkeypatch.delenv(name)
    store = tmp_path / "store"
    monkeypatch.setenv("OPYT_STORE", str(store))
    get_settings.cache_clear()
    yield store
    get_settings.cache_clear()


def opyt(*args: str | Path, **env: str) -> Result:
    """Runs ``opyt ARGS`` in this process, with extra OPYT_* variables."""
    get_settings.cache_clear()  # the CLI reads its settings once per process
    try:
        return CliRunner().invoke(app, [str(a) for a in args], env=env or None)
    finally:
        get_settings.cache_clear()


def opyt_process(*args: str | Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs the installed ``opyt`` program in a subprocess with the test's OPYT_* environment."""
    return subprocess.run(
        [str(OPYT_PROGRAM), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **env},
    )


def assert_error(code: int, exit_code: int, stderr: str, *fragments: str, exception: BaseException | None = None) -> str:
    """The exit code is ``code``, and stderr ends in one ``error: ...`` line naming ``fragments``, without a traceback."""
    assert exit_code == code, stderr
    assert "Traceback" not in stderr
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    lines = stderr.strip().splitlines()
    assert lines and lines[-1].startswith("error: "), stderr
    for fragment in fragments:
        assert fragment in lines[-1], (fragment, lines[-1])
    return lines[-1]


def assert_one_line_error(result: Result, code: int, *fragments: str) -> str:
    line = assert_error(code, result.exit_code, result.stderr, *fragments, exception=result.exception)
    assert result.stderr.strip() == line, "nothing but the error line on stderr"
    return line


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert result.exception is None
    return result


def dump(path: Path) -> bytes:
    """The embedded store's content, read after the command has released it."""
    with EmbeddedStore(path) as store:
        return store.dump()


def preload(path: Path) -> bytes:
    """The fixture in the embedded store at ``path`` without going through the CLI (quick)."""
    path.mkdir(parents=True, exist_ok=True)
    with EmbeddedStore(path) as store:
        store.load(FIXTURE.read_bytes(), "trig")
        return store.dump()


@pytest.fixture(scope="module")
def loaded_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory holding the fixture, loaded once with ``opyt load``."""
    path = tmp_path_factory.mktemp("cli") / "store"
    result = ok(opyt("load", FIXTURE, OPYT_STORE=str(path)))
    assert result.stdout == f"{FIXTURE}: 235 triples in 2 graph(s)\n"
    return path


@pytest.fixture
def loaded(loaded_once: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's commands work on the loaded store; they must only read it."""
    monkeypatch.setenv("OPYT_STORE", str(loaded_once))
    return loaded_once


@pytest.fixture
def non_conforming(tmp_path: Path) -> Path:
    """The second document with a practice that has lost its holder."""
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graph = Graph()
    graph += dataset.graph(GRAPH["doc/magnitogorsk"])
    graph.remove((ID["practice-science-literacy"], OPYT.holder, None))
    path = tmp_path / "no-holder.ttl"
    graph.serialize(path, format="turtle")
    return path


# --- exit 0 ---------------------------------------------------------------------------------


def test_load_writes_the_graphs_and_the_vocabulary(loaded: Path) -> None:
    with EmbeddedStore(loaded) as store:
        assert store.graph_names() == sorted([GRAPH["doc/kvarken"], GRAPH["doc/magnitogorsk"], ONTOLOGY_GRAPH])


def test_load_into_a_named_graph(environment: Path, tmp_path: Path) -> None:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    path = tmp_path / "kvarken.ttl"
    dataset.graph(GRAPH["doc/kvarken"]).serialize(path, format="turtle")
    ok(opyt("load", path, "--graph", "id:doc-kvarken-graph"))
    with EmbeddedStore(environment) as store:
        assert ID["doc-kvarken-graph"] in store.graph_names()


def test_stats(loaded: Path) -> None:
    counts = json.loads(ok(opyt("stats", "--format", "json")).stdout)
    assert {k: v for k, v in counts.items() if k != "quads"} == COUNTS
    with EmbeddedStore(loaded) as store:
        assert counts["quads"] == store.count()
    table = ok(opyt("stats")).stdout.splitlines()
    assert [line.split() for line in table] == [[name, str(value)] for name, value in counts.items()]


def test_query_json(loaded: Path) -> None:
    rows = json.loads(ok(opyt("query", "topic-holders", "-p", "topic=topic:egeMathProfileTask18", "--format", "json")).stdout)
    assert len(rows) == 1
    [row] = rows
    assert list(row) == [str(v) for v in prepare_variables("topic-holders")]
    assert row["practice"] == str(TASK18_METHOD)
    assert row["distance"] == 0
    assert row["holderName"] == "Таженова У.С."
    assert row["source"] == KVARKEN_FILE


def prepare_variables(name: str) -> list[str]:
    from rdflib.plugins.sparql import prepareQuery

    return [str(v) for v in prepareQuery(queries.load(name).text).algebra["PV"]]


def test_query_csv(loaded: Path) -> None:
    text = ok(opyt("query", "practices-by-model-level", "--param", "model=model:direct", "-f", "csv")).stdout
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == ["model", "level", "practice", "title", "holders"]
    rows = list(reader)
    assert sorted(row["practice"] for row in rows) == sorted(
        str(ID[p]) for p in ("practice-graphic-method-task-18", "practice-profile-math-lessons", "practice-digital-environment")
    )
    assert {row["model"] for row in rows} == {"https://w3id.org/opyt/concept/model/direct"}


def test_query_table(loaded: Path) -> None:
    lines = ok(opyt("query", "class-counts")).stdout.splitlines()
    assert lines[0].split() == ["kind", "count"]
    assert set(lines[1]) <= {"-", " "}
    assert {tuple(line.split()) for line in lines[2:-1]} == {(kind, str(count)) for kind, count in COUNTS.items() if kind != "graphs"}
    assert lines[-1] == "(6 rows)"


def test_query_table_shortens_iris(loaded: Path) -> None:
    lines = ok(opyt("query", "coholder-network")).stdout.splitlines()
    assert "id:person-ivanova-n-p" in lines[2] and "id:person-kravchenko-o-a" in lines[2]
    assert lines[-1] == "(1 row)"


def test_query_with_a_full_iri_parameter(loaded: Path) -> None:
    rows = json.loads(ok(opyt(
        "query", "organisation-practices", "-p", f"organisation=<{ID['org-kvarkensky-rmk']}>", "-f", "json"
    )).stdout)
    assert [row["practice"] for row in rows] == [str(ID["practice-low-results-support"])]


def test_facts_json_has_the_evaluator_shape(loaded: Path) -> None:
    facts = json.loads(ok(opyt("facts", "--format", "json")).stdout)
    assert set(facts) == {"persons", "organisations", "practices"}
    assert (len(facts["persons"]), len(facts["organisations"]), len(facts["practices"])) == (6, 5, 7)
    for practice in facts["practices"]:
        assert set(practice) == {"id", "title", "holders", "organisations", "forms", "topics", "model", "level", "sources"}
        assert practice["model"] in {"direct", "mediated", "network", None}
        assert practice["level"] in {"federal", "regional", "municipal", "school", None}
        assert set(practice["sources"]) <= {KVARKEN_FILE, MAGNITOGORSK_FILE}
    with EmbeddedStore(loaded) as store:
        assert facts == collect_facts(store)
    assert ok(opyt("facts")).stdout == json.dumps(facts, ensure_ascii=False, indent=2) + "\n"


def test_export_to_a_file_is_what_goes_to_stdout(loaded: Path, tmp_path: Path) -> None:
    output = tmp_path / "export.nq"
    ok(opyt("export", "-o", output))
    assert output.read_bytes() == ok(opyt("export")).stdout_bytes == dump(loaded)


@pytest.mark.parametrize("fmt, rdf_format", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_keeps_the_graphs(loaded: Path, fmt: str, rdf_format: str) -> None:
    exported = Dataset()
    exported.parse(data=ok(opyt("export", "--format", fmt)).stdout_bytes, format=rdf_format)
    with EmbeddedStore(loaded) as store:
        assert sorted(URIRef(g.identifier) for g in exported.graphs() if len(g)) == store.graph_names()
        for name in (GRAPH["doc/kvarken"], GRAPH["doc/magnitogorsk"]):
            assert isomorphic(exported.graph(name), store.graph(name)), name
        assert len(exported.graph(ONTOLOGY_GRAPH)) == len(store.graph(ONTOLOGY_GRAPH))


def test_export_ttl_merges_the_graphs(loaded: Path) -> None:
    merged = Graph().parse(data=ok(opyt("export", "--format", "ttl")).stdout_bytes, format="turtle")
    with EmbeddedStore(loaded) as store:
        assert isomorphic(merged, catalogue.union(store.graph(name) for name in store.graph_names()))


def test_queries_lists_every_stored_query_with_its_parameters() -> None:
    text = ok(opyt("queries")).stdout
    for stored in queries.all_queries():
        assert f"{stored.name}  (" in text
        assert stored.title in text
    assert "topic-holders  (topic)" in text
    assert "practices-by-model-level  (model?, level?)" in text
    assert "class-counts  (no parameters)" in text


@pytest.mark.parametrize("lang, summary", [("ru", "Данные соответствуют формам"), ("en", "Data conforms to the shapes")])
def test_validate_a_conforming_file(lang: str, summary: str) -> None:
    result = ok(opyt("validate", FIXTURE, "--lang", lang))
    assert result.stdout.startswith(summary)


def test_validate_the_store(loaded: Path) -> None:
    assert ok(opyt("validate", "--lang", "en")).stdout.startswith("Data conforms to the shapes")


def test_ontology_check() -> None:
    result = ok(opyt("ontology", "check"))
    assert result.stdout.startswith("consistent")
    assert " classes, " in result.stdout and "HermiT" in result.stdout


def test_help_documents_the_exit_codes() -> None:
    text = ok(opyt("--help")).stdout
    for code in range(5):
        assert f"  {code}  " in text


# --- exit 1: the data has problems ---------------------------------------------------------


def test_validate_a_non_conforming_file(non_conforming: Path) -> None:
    result = opyt("validate", non_conforming, "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.startswith("Data does not conform to the shapes; results: 1")
    assert "id:practice-science-literacy, opyt:holder" in result.stdout
    assert "Traceback" not in result.stderr


def test_load_a_non_conforming_file_writes_nothing(environment: Path, non_conforming: Path) -> None:
    before = preload(environment)
    result = opyt("load", non_conforming)
    line = assert_error(1, result.exit_code, result.stderr, str(non_conforming), "nothing was written", exception=result.exception)
    assert "id:practice-science-literacy" in result.stderr.replace(line, "")  # the report comes first
    assert dump(environment) == before


def test_load_of_several_files_stops_at_the_bad_one(environment: Path, non_conforming: Path) -> None:
    result = opyt("load", FIXTURE, non_conforming)
    assert result.exit_code == 1
    assert result.stdout == f"{FIXTURE}: 235 triples in 2 graph(s)\n"
    with EmbeddedStore(environment) as store:
        assert GRAPH["load/no-holder.ttl"] not in store.graph_names()
        assert GRAPH["doc/kvarken"] in store.graph_names()


# --- exit 2: usage errors ---------------------------------------------------------------------


def test_unknown_option_is_a_usage_error() -> None:
    result = opyt("stats", "--colour")
    assert result.exit_code == 2
    assert "No such option: --colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    result = opyt("mentor", "x")
    assert result.exit_code == 2
    assert "No such command 'mentor'" in result.stderr


def test_bad_choice_of_format_is_a_usage_error() -> None:
    result = opyt("query", "class-counts", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'json', 'csv'" in result.stderr


@pytest.mark.parametrize(
    "args, fragments",
    [
        pytest.param(["query", "topic-holder"], ["no stored query 'topic-holder'", "topic-holders", "class-counts"], id="unknown-query"),
        pytest.param(["query", "topic-holders", "-p", "topic=topic:egeMath", "-p", "subject=x"],
                     ["no parameter subject", "parameters are: topic"], id="unknown-param"),
        pytest.param(["query", "topic-holders", "-p", "topic"], ["'topic' is not of the form NAME=VALUE"], id="malformed-param"),
        pytest.param(["query", "topic-holders", "-p", "=topic:egeMath"], ["not of the form NAME=VALUE"], id="param-without-name"),
        pytest.param(["query", "topic-holders"], ["needs the parameter topic", "--param topic=VALUE"], id="missing-param"),
        pytest.param(["query", "topic-holders", "-p", "topic=egeMath"], ["'egeMath' is not an IRI", "topic"], id="bad-iri"),
        pytest.param(["query", "coholder-network", "-p", "holder=nosuch:x"], ["'nosuch:x' is not an IRI"], id="unknown-prefix"),
        pytest.param(["load", str(FIXTURE), "--graph", "a graph"], ["'a graph' is not an IRI"], id="bad-graph-iri"),
        pytest.param(["facts", "--format", "csv"], ["json only, not 'csv'"], id="facts-format"),
    ],
)
def test_usage_errors_exit_2_with_one_line(environment: Path, args: list[str], fragments: list[str]) -> None:
    before = preload(environment)
    assert_one_line_error(opyt(*args), 2, *fragments)
    assert dump(environment) == before


# --- exit 3: input errors ---------------------------------------------------------------------


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nowhere.ttl"


def _unknown_extension(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.docx"
    path.write_bytes(b"PK\x03\x04")
    return path


def _unparseable(tmp_path: Path) -> Path:
    path = tmp_path / "broken.trig"
    path.write_text("<https://w3id.org/opyt/graph/x> { <a> <b> ", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["load", "validate"])
@pytest.mark.parametrize(
    "make, fragment",
    [
        pytest.param(_missing, "no such file", id="missing"),
        pytest.param(_unknown_extension, "unknown RDF format '.docx'", id="unknown-extension"),
        pytest.param(_unparseable, "cannot be read as trig", id="unparseable"),
    ],
)
def test_input_errors_exit_3_and_leave_the_store_unchanged(
    environment: Path, tmp_path: Path, command: str, make, fragment: str
) -> None:
    before = preload(environment)
    path = make(tmp_path)
    assert_one_line_error(opyt(command, path), 3, str(path), fragment)
    assert dump(environment) == before


# --- exit 4: store errors ---------------------------------------------------------------------


@pytest.fixture
def held_store(environment: Path) -> Iterator[Path]:
    """The embedded store directory, held open by another process."""
    environment.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(environment)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield environment
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_a_store_held_by_another_process_exits_4(held_store: Path) -> None:
    for args in (["stats"], ["load", str(FIXTURE)], ["query", "class-counts"], ["facts"], ["export"], ["validate"]):
        assert_one_line_error(opyt(*args), 4, "is locked", str(held_store))


def test_the_opyt_program_on_a_held_store_exits_4(held_store: Path) -> None:
    process = opyt_process("stats")
    assert process.stdout == ""
    assert assert_error(4, process.returncode, process.stderr, "is locked") == process.stderr.strip()


@pytest.mark.parametrize(
    "args",
    [["stats"], ["load", str(FIXTURE)], ["query", "class-counts"], ["facts"], ["export"], ["validate"]],
    ids=lambda args: args[0],
)
def test_an_unreachable_endpoint_exits_4(environment: Path, closed_port_url: str, args: list[str]) -> None:
    result = opyt(*args, OPYT_ENDPOINT=closed_port_url, OPYT_TIMEOUT="5")
    assert_one_line_error(result, 4, closed_port_url.removesuffix("/query"))
    assert not environment.exists(), "the embedded store was not opened"


def test_the_opyt_program_with_an_unreachable_endpoint_exits_4(closed_port_url: str) -> None:
    process = opyt_process("stats", OPYT_ENDPOINT=closed_port_url)
    assert assert_error(4, process.returncode, process.stderr) == process.stderr.strip()


# --- the real program -----------------------------------------------------------------------


def test_the_opyt_program_loads_counts_and_queries(environment: Path) -> None:
    load = opyt_process("load", FIXTURE)
    assert (load.returncode, load.stderr) == (0, "")
    assert load.stdout == f"{FIXTURE}: 235 triples in 2 graph(s)\n"
    stats = opyt_process("stats", "--format", "json")
    assert stats.returncode == 0
    assert {k: v for k, v in json.loads(stats.stdout).items() if k != "quads"} == COUNTS
    bad = opyt_process("query", "topic-holders", "-p", "topic=egeMath")
    assert assert_error(2, bad.returncode, bad.stderr, "'egeMath' is not an IRI") == bad.stderr.strip()
    missing = opyt_process("load", environment.parent / "nowhere.nq")
    assert assert_error(3, missing.returncode, missing.stderr, "nowhere.nq: no such file") == missing.stderr.strip()


# --- OPYT_ENDPOINT ---------------------------------------------------------------------------


@pytest.fixture
def endpoint(oxigraph_server: str) -> Iterator[str]:
    """The session's oxigraph server, emptied before and after the test."""
    url = f"{oxigraph_server}/query"
    with RemoteStore(url) as store:
        store.update("DROP ALL")
        yield url
        store.update("DROP ALL")


@pytest.mark.remote
def test_every_command_honours_opyt_endpoint(environment: Path, endpoint: str, tmp_path: Path) -> None:
    ok(opyt("load", FIXTURE, OPYT_ENDPOINT=endpoint))
    with RemoteStore(endpoint) as store:
        assert store.graph_names() == sorted([GRAPH["doc/kvarken"], GRAPH["doc/magnitogorsk"], ONTOLOGY_GRAPH])
        facts_of_store = collect_facts(store)
        kvarken = store.graph(GRAPH["doc/kvarken"])
    counts = json.loads(ok(opyt("stats", "-f", "json", OPYT_ENDPOINT=endpoint)).stdout)
    assert {k: v for k, v in counts.items() if k != "quads"} == COUNTS
    rows = json.loads(ok(opyt("query", "data-quality", "-f", "json", OPYT_ENDPOINT=endpoint)).stdout)
    assert [row["entity"] for row in rows] == [str(ID["person-sergeeva-e-v"]), str(ID["practice-digital-environment"])]
    assert json.loads(ok(opyt("facts", OPYT_ENDPOINT=endpoint)).stdout) == facts_of_store
    exported = Dataset()
    exported.parse(data=ok(opyt("export", "-f", "nq", OPYT_ENDPOINT=endpoint)).stdout_bytes, format="nquads")
    assert isomorphic(exported.graph(GRAPH["doc/kvarken"]), kvarken)
    assert ok(opyt("validate", "--lang", "en", OPYT_ENDPOINT=endpoint)).stdout.startswith("Data conforms")
    assert not environment.exists(), "no command opened the embedded store"


@pytest.mark.remote
def test_the_opyt_program_honours_opyt_endpoint(environment: Path, endpoint: str) -> None:
    with RemoteStore(endpoint) as store:
        store.load(FIXTURE.read_bytes(), "trig")
    process = opyt_process("query", "coholder-network", "-f", "csv", OPYT_ENDPOINT=endpoint)
    assert process.returncode == 0, process.stderr
    [row] = list(csv.DictReader(io.StringIO(process.stdout)))
    assert {row["holder"], row["coholder"]} == {str(ID["person-kravchenko-o-a"]), str(ID["person-ivanova-n-p"])}
    assert not environment.exists()


# --- regressions ------------------------------------------------------------------------------


def test_validate_with_an_unknown_language_is_a_usage_error() -> None:
    result = opyt("validate", str(FIXTURE), "--lang", "de")
    assert result.exit_code == 2
    assert "'de' is not one of 'ru', 'en'" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_parser_error_over_several_lines_is_printed_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<https://w3id.org/opyt/id/x> <https://w3id.org/opyt/id/p> ", encoding="utf-8")
    result = opyt("load", str(path))
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: cannot be read as turtle: ")
    assert "Bad syntax" in line


def test_export_to_a_path_that_cannot_be_written_is_an_input_error(tmp_path: Path) -> None:
    output = tmp_path / "no" / "such" / "folder" / "export.nq"
    result = opyt("export", "-o", str(output))
    assert result.exit_code == 3, result.exception
    assert result.stderr == f"error: {output}: cannot be written: No such file or directory\n"


def test_a_store_path_that_is_a_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "store.txt"
    path.write_text("not a store", encoding="utf-8")
    result = opyt("stats", OPYT_STORE=str(path))
    assert result.exit_code == 4, result.exception
    assert result.stderr == f"error: Cannot open the store directory {path}: File exists\n"


def test_a_malformed_setting_is_a_usage_error() -> None:
    result = opyt("stats", OPYT_TIMEOUT="half a minute")
    assert result.exit_code == 2, result.exception
    [line] = result.stderr.splitlines()
    assert line.startswith("error: a setting cannot be read: OPYT_TIMEOUT: ")


def test_verbose_reports_the_matching_index_build_on_stderr(environment: Path) -> None:
    preload(environment)
    result = opyt("-v", "mentors", "задание 18 ЕГЭ по математике")
    assert result.exit_code == 0
    assert "opyt.mentor_index: matching index built" in result.stderr
    quiet = opyt("mentors", "задание 18 ЕГЭ по математике")
    assert "matching index built" not in quiet.stderr
