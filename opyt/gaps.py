"""Coverage gaps: topics the documents state as needs that no holder in the territory covers.

A need (``opyt:Need``, extracted from sentences about shortages, difficulties
and problems) has a consumer, and through it a municipality and region. A
topic is a gap in a territory when no practice on that topic or a narrower one
has a holder whose organisation lies there; holders elsewhere are counted, since
they could still help through the mediated or network model.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from opyt import mentor_index, queries
from opyt.namespace import local_name
from opyt.ingest import vocabulary


def find_gaps(store, *, region: str | None = None, municipality: str | None = None) -> dict:
    """Gaps in ``municipality`` or ``region`` (a part of the name, any case); with neither, each need
    is checked against its consumer's own municipality (or region, when the municipality is unknown)."""
    index = mentor_index.current(store)
    needs = [row for row in store.select(queries.load("needs").text).rows
             if _within(row, region=region, municipality=municipality)]
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in needs:
        scope = municipality or region or str(row.get("municipalityName") or row.get("regionName") or "")
        grouped[(local_name(row["topic"]), scope)].append(row)
    items = [item for (topic, scope), rows in grouped.items()
             if (item := _gap(index, topic, scope, rows, by_region=bool(region) and not municipality)) is not None]
    items.sort(key=lambda item: (-len(item["needs"]), item["territory"], item["topic"]["label"]))
    return {"region": region, "municipality": municipality, "items_total": len(items), "items": items}


def _within(row: dict, *, region: str | None, municipality: str | None) -> bool:
    for wanted, key in ((municipality, "municipalityName"), (region, "regionName")):
        if wanted and wanted.lower() not in str(row.get(key) or "").lower():
            return False
    return True


def _gap(index: mentor_index.MentorIndex, topic: str, scope: str, rows: list[dict], *, by_region: bool) -> dict | None:
    """The gap item, or None when a holder in ``scope`` has a practice on the topic."""
    on_topic = np.isin(index.group_of, list(index.under.get(topic, ())))
    if scope:
        places = index.by_region if by_region or not any(r.get("municipalityName") for r in rows) else index.by_municipality
        here = on_topic & index.place_mask(places, scope.lower())
    else:
        here = np.zeros(index.size, dtype=bool)
    if here.any():
        return None
    elsewhere = {index.entries[n].holder for n in np.nonzero(on_topic)[0]}
    return {
        "topic": {"id": str(rows[0]["topic"]), "label": vocabulary.pref_label("topic", topic) or topic},
        "territory": scope,
        "needs": [{"id": str(r["need"]), "consumer": str(r.get("consumerName") or r["consumer"]),
                   "quote": str(r.get("description") or ""), "source": str(r.get("source") or "")} for r in rows],
        "holders_elsewhere": len(elsewhere),
    }


