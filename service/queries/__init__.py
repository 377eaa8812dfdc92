"""The SPARQL the service's pages and ``/mentors`` run themselves: one ``NAME.rq`` each.

The files have the header of the public library (:mod:`opyt.queries`) and are
read by its parser, but they are not part of that library: they are not listed
under ``/queries`` nor runnable from the CLI. Parameters are bound by the store.
"""
from __future__ import annotations

from opyt import queries as _library


def names() -> list[str]:
    """The names of the service's queries, sorted."""
    return _library.names(__package__)


def load(name: str) -> _library.StoredQuery:
    """The service query ``name`` (file ``name.rq`` of this package)."""
    return _library.load(name, __package__)


def text(name: str) -> str:
    """The SPARQL text of the service query ``name``."""
    return load(name).text
