"""Content negotiation: picks one of the media types a resource offers from an ``Accept`` header.

``offered`` is in order of preference; the first is the default for a missing
or ``*/*`` Accept. Nothing acceptable is a 406 problem listing what is offered.
"""
from __future__ import annotations

from opyt.service.deps import Problem


def negotiate(accept: str | None, offered: list[str]) -> str:
    chosen = best_match(accept, offered)
    if chosen is None:
        raise Problem(406, "Not Acceptable", f"cannot answer in {accept!r}; this resource offers {', '.join(offered)}")
    return chosen


def acceptable(accept: str | None, offered: list[str]) -> bool:
    return best_match(accept, offered) is not None


def best_match(accept: str | None, offered: list[str]) -> str | None:
    """The offered type with the highest q; ties go to the server's order."""
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0] if offered else None
    scored = [(_quality(media_type, ranges), -position, media_type) for position, media_type in enumerate(offered)]
    quality, _, chosen = max(scored, default=(0.0, 0, None))
    return chosen if quality > 0 else None


def parse_accept(accept: str | None) -> list[tuple[str, float]]:
    """``[(media range, q)]``; parameters other than q are ignored; an unreadable q counts as 0."""
    ranges = []
    for part in (accept or "").split(","):
        fields = [field.strip() for field in part.split(";")]
        media_range = fields[0].lower()
        if not media_range:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range, quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range that covers ``media_type`` (exact, then type/*, then */*); 0 if none."""
    kind = media_type.split("/")[0]
    found = (0.0, 0)
    for media_range, quality in ranges:
        specificity = 3 if media_range == media_type else 2 if media_range == f"{kind}/*" else 1 if media_range == "*/*" else 0
        if specificity > found[1]:
            found = (quality, specificity)
    return found[0]
