"""The catalogue's RDF store: one interface (``Store``), two backends.

``EmbeddedStore`` runs Oxigraph in this process on a directory (``OPYT_STORE``);
``RemoteStore`` talks to a SPARQL server (``OPYT_ENDPOINT``). ``open_store``
picks one from the settings. Callers see rdflib terms only.
"""
from __future__ import annotations

from opyt.config import Settings, get_settings
from opyt.store.base import SelectResult, Store
from opyt.store.embedded import EmbeddedStore
from opyt.store.rdf import DumpFormat
from opyt.store.remote import RemoteStore
from opyt.store.terms import Bindings

__all__ = ["Bindings", "DumpFormat", "EmbeddedStore", "RemoteStore", "SelectResult", "Store", "open_store"]


def open_store(settings: Settings | None = None) -> Store:
    """The remote store when ``settings.endpoint`` is set, else the embedded store in ``settings.store``."""
    settings = settings or get_settings()
    if settings.endpoint:
        return RemoteStore(
            settings.endpoint,
            update_url=settings.update_endpoint,
            graph_store_url=settings.graph_store,
            user=settings.user,
            password=settings.password.get_secret_value() if settings.password else None,
            timeout=settings.timeout,
        )
    settings.store.mkdir(parents=True, exist_ok=True)
    return EmbeddedStore(settings.store)
