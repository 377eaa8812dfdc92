"""Words of similar meaning (``opyt.semantic``, natasha's navec vectors) in matching.

A need worded without the documents' words still finds its holder, but never
across school subjects and never through a person's or place's name.
"""
from __future__ import annotations

from pathlib import Path

from opyt import mentor_index
from opyt.ingest.pipeline import ingest_paths
from opyt.matching import _may_stand_in, _near_words, find_mentors
from opyt.semantic import THRESHOLD, Neighbours
from opyt.store import EmbeddedStore

GIFTED = """Отчёт МБОУ «СОШ № 3» Берёзовского района о распространении опыта

Учитель математики МБОУ «СОШ № 3» Орлова Мария Петровна провела мастер-класс «Работа с талантливыми детьми на уроках математики»
для педагогов района в марте 2024 года.
Директор МБОУ «СОШ № 3» Белов Игорь Сергеевич провёл семинар «Клуб молодых руководителей» в апреле 2024 года.
"""


def test_neighbours_offer_catalogue_words_of_similar_meaning() -> None:
    near = Neighbours(["учитель", "руководитель", "школа", "математика"])
    assert [word for word, _ in near.of("педагог")] == ["учитель"]
    assert [word for word, _ in near.of("директор")] == ["руководитель"]
    assert all(similarity >= THRESHOLD for _, similarity in near.of("педагог"))


def test_neighbours_leave_out_excluded_words() -> None:
    near = Neighbours(["математика", "учитель"])
    assert near.of("физика", excluded=frozenset({"математика"})) == []
    assert near.of("физика", excluded=frozenset({"физика"})) == []


def test_a_need_in_other_words_finds_the_holder(tmp_path: Path) -> None:
    (tmp_path / "gifted.txt").write_text(GIFTED, encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        assert all(r.ok for r in ingest_paths(store, [tmp_path / "gifted.txt"]))
        assert "директор" not in mentor_index.current(store).by_word
        answer = find_mentors(store, "клуб молодых директоров")
        assert [item["holder"]["name"] for item in answer["items"]] == ["Белов И.С."]
        assert "директор ≈ руководитель" in answer["items"][0]["why"]


def test_subject_words_never_stand_in_for_each_other(tmp_path: Path) -> None:
    (tmp_path / "gifted.txt").write_text(GIFTED, encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        ingest_paths(store, [tmp_path / "gifted.txt"])
        index = mentor_index.current(store)
        assert "математика" in index.by_word
        assert _near_words(["физика", "химия"], index) == {}
        assert find_mentors(store, "физика для талантливых детей")["items"] == []


def test_names_of_people_and_places_never_stand_in() -> None:
    """Surnames and place names are near each other in news vectors (Иванова ~ Петрова, Тамбов ~ Липецк)."""
    assert not any(_may_stand_in(word) for word in ("тамбов", "липецк", "иванова", "петров"))
    assert all(_may_stand_in(word) for word in ("директор", "учитель", "талантливый"))
