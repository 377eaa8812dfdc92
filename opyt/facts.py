"""``opyt facts``: the catalogue's persons, organisations and practices in the
evaluator's JSON shape (``../shared/gold/FORMAT.md``)."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from rdflib.term import Node

from opyt import queries
from opyt.namespace import LEVEL, MODEL

# field of the output record -> (query variable, is a list)
_PERSON_FIELDS = {"name": ("name", False), "full_name": ("full_name", False),
                  "organisations": ("organisation", True), "sources": ("source", True)}
_ORGANISATION_FIELDS = {"name": ("name", False), "aliases": ("alias", True),
                        "municipality": ("municipality", False), "region": ("region", False),
                        "sources": ("source", True)}
_PRACTICE_FIELDS = {"title": ("title", False), "holders": ("holder", True),
                    "organisations": ("organisation", True), "forms": ("form", True),
                    "topics": ("topic", True), "model": ("model", False),
                    "level": ("level", False), "sources": ("source", True)}


def _concept_key(value: str | None) -> str | None:
    """``https://w3id.org/opyt/concept/model/direct`` -> ``direct``."""
    for namespace in (str(MODEL._NS), str(LEVEL._NS)):
        if value and value.startswith(namespace):
            return value[len(namespace):]
    return value


def _gather(rows: Iterable[Mapping[str, Node | None]], fields: dict[str, tuple[str, bool]]) -> list[dict[str, Any]]:
    """Fold rows (one per combination of optional values) into one record per ``id``."""
    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = str(row["id"])
        record = records.setdefault(key, {"id": key, **{f: [] if many else None for f, (_, many) in fields.items()}})
        for field, (variable, many) in fields.items():
            value = row.get(variable)
            if value is None:
                continue
            if many and str(value) not in record[field]:
                record[field].append(str(value))
            elif not many and record[field] is None:
                record[field] = str(value)
    return list(records.values())


def collect_facts(store) -> dict[str, list[dict[str, Any]]]:
    """All facts of the store, ready for ``json.dumps``."""
    persons = _gather(store.select(queries.load("facts-persons").text).rows, _PERSON_FIELDS)
    organisations = _gather(store.select(queries.load("facts-organisations").text).rows, _ORGANISATION_FIELDS)
    practices = _gather(store.select(queries.load("facts-practices").text).rows, _PRACTICE_FIELDS)
    for practice in practices:
        practice["model"] = _concept_key(practice["model"])
        practice["level"] = _concept_key(practice["level"])
    return {"persons": persons, "organisations": organisations, "practices": practices}
