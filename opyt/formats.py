"""Rendering of SELECT results as a table, JSON or CSV, shared by the CLI and the service."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from opyt.namespace import PREFIXES

FORMATS = ("table", "json", "csv")
_MAX_CELL = 60


def term_value(term: Node | None) -> str | int | float | bool | None:
    """The plain Python value of a term: IRIs and strings as text, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (int, float, bool)) else str(term)
    return str(term)


def short_iri(iri: str) -> str:
    """``https://w3id.org/opyt/concept/topic/x`` -> ``topic:x`` for Opyt's own prefixes."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    text = short_iri(str(term)) if isinstance(term, URIRef) else str(term)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(value.ljust(width) for value, width in zip(values, widths)).rstrip()


def as_table(variables: Sequence[str], rows: Iterable[Mapping[str, Node | None]]) -> str:
    """A plain-text table with one column per variable; long cells are cut with an ellipsis."""
    cells = [[_cell(row.get(v)) for v in variables] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    out = [_line(variables, widths), _line(["-" * w for w in widths], widths), *(_line(r, widths) for r in cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def as_json(variables: Sequence[str], rows: Iterable[Mapping[str, Node | None]]) -> str:
    """A JSON list of objects, one per row, with plain values."""
    records = [{v: term_value(row.get(v)) for v in variables} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2)


def as_csv(variables: Sequence[str], rows: Iterable[Mapping[str, Node | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if row.get(v) is None else str(row.get(v)) for v in variables])
    return buffer.getvalue()


def render(fmt: str, variables: Sequence[str], rows: Iterable[Mapping[str, Node | None]]) -> str:
    renderers = {"table": as_table, "json": as_json, "csv": as_csv}
    return renderers[fmt](variables, rows)
