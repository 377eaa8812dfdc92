"""Needs stated in documents, and ``opyt gaps``: needed topics nobody in the territory holds.

The samples state two needs: the Kvarken master-class plan a difficulty with
task 18 of the profile maths exam (which a Kvarken teacher holds), the Krymsky
report a shortage on the chemistry exam (which nobody in the catalogue holds).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opyt import queries
from opyt.cli import app
from opyt.config import get_settings
from opyt.gaps import find_gaps
from opyt.ingest.extract import _needs
from opyt.ingest.pipeline import ingest_paths
from opyt.namespace import TOPIC
from opyt.store import EmbeddedStore

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("gaps") / "store"
    with EmbeddedStore(location) as store:
        assert all(report.ok for report in ingest_paths(store, [SAMPLES]))
    return location


@pytest.fixture
def catalogue(catalogue_dir: Path):
    with EmbeddedStore(catalogue_dir) as store:
        yield store


def test_a_sentence_about_a_difficulty_states_a_need_on_its_topics() -> None:
    text = "Молодые учителя испытывают затруднения при подготовке к заданию 18 ЕГЭ по математике профильного уровня."
    [need] = _needs(text, "МАОУ «Школа»")
    assert need.topics == ["egeMathProfileTask18"] and need.consumer == "МАОУ «Школа»"
    assert need.span.quote == text


@pytest.mark.parametrize("text", [
    "Проведён анализ литературы по проблеме подготовки к ЕГЭ по математике.",  # «по проблеме»: on the subject
    "Мастер-класс по заданию 18 ЕГЭ по математике прошёл в феврале.",  # no shortage, difficulty or problem
    "У педагогов есть затруднения.",  # no topic
])
def test_sentences_that_state_no_need(text: str) -> None:
    assert _needs(text, "МАОУ «Школа»") == []


def test_the_samples_needs_are_stored_with_consumer_and_source(catalogue: EmbeddedStore) -> None:
    rows = catalogue.select(queries.load("needs").text).rows
    by_topic = {row["topic"]: row for row in rows}
    assert TOPIC.egeMathProfileTask18 in by_topic and TOPIC.ogeChemistry in by_topic
    task18 = by_topic[TOPIC.egeMathProfileTask18]
    assert str(task18["municipalityName"]) == "Кваркенский район"
    assert str(task18["source"]) == "kvarkensky-master-classes.txt"
    assert "затруднения" in str(task18["description"])


def test_a_need_nobody_holds_is_a_gap_and_a_covered_one_is_not(catalogue: EmbeddedStore) -> None:
    answer = find_gaps(catalogue)
    gaps = {(item["topic"]["id"], item["territory"]) for item in answer["items"]}
    assert (str(TOPIC.ogeChemistry), "Крымский район") in gaps
    assert not any(topic == str(TOPIC.egeMathProfileTask18) for topic, _ in gaps)
    chemistry = next(item for item in answer["items"] if item["topic"]["id"] == str(TOPIC.ogeChemistry))
    assert chemistry["holders_elsewhere"] == 0
    assert chemistry["needs"][0]["source"] == "krymsky-kip-report.txt"


def test_gaps_of_a_region(catalogue: EmbeddedStore) -> None:
    assert find_gaps(catalogue, region="оренбург")["items"] == []
    krasnodar = find_gaps(catalogue, region="Краснодарский")
    assert {item["territory"] for item in krasnodar["items"]} == {"Краснодарский"}
    assert str(TOPIC.ogeChemistry) in {item["topic"]["id"] for item in krasnodar["items"]}


def test_a_need_is_no_gap_where_someone_holds_it(catalogue: EmbeddedStore) -> None:
    """Asked for the Kvarken district, the task-18 need is covered by the Kvarken teacher."""
    assert find_gaps(catalogue, municipality="Кваркенский")["items"] == []


def test_cli_gaps(catalogue_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPYT_STORE", str(catalogue_dir))
    get_settings.cache_clear()
    runner = CliRunner()
    table = runner.invoke(app, ["gaps"])
    assert table.exit_code == 0 and "ОГЭ по химии" in table.output
    answer = json.loads(runner.invoke(app, ["gaps", "--region", "Оренбургская", "--format", "json"]).output)
    assert answer["items_total"] == 0 and answer["region"] == "Оренбургская"
    assert "no gaps" in runner.invoke(app, ["gaps", "--region", "Оренбургская"]).output
    get_settings.cache_clear()
