"""The ``opyt`` command line: every documented exit code, the output formats,
and OPYT_ENDPOINT, driven in-process through typer's CliRunner and as the real
``opyt`` program in a subprocess (see the ``opyt.cli`` docstring for the codes)."""
from __future__ import annotations

import csv
import io
import json
import os
import socket
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


@pytest.fixture
def loaded(environment: Path) -> Path:
    """The fixture loaded with ``opyt load``; the store's directory."""
    result = ok(opyt("load", FIXTURE))
    assert result.stdout == f"{FIXTURE}: 230 triples in 2 graph(s)\n"
    return environment


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


@pytest.fixture
def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/query"


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
