"""Settings read from the environment (``OPYT_*``), with sensible defaults."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_store_path() -> Path:
    """``var/store`` inside the project when run from a checkout, else in the working directory."""
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / "var" / "store"
    return Path.cwd() / "var" / "store"


class Settings(BaseSettings):
    """Where the data lives. ``endpoint`` set means the remote backend is used."""

    model_config = SettingsConfigDict(env_prefix="OPYT_", extra="ignore")

    store: Path = default_store_path()
    endpoint: str | None = None  # SPARQL 1.1 Query endpoint URL
    update_endpoint: str | None = None  # SPARQL 1.1 Update URL; for a .../query URL defaults to .../update
    graph_store: str | None = None  # Graph Store Protocol URL; for a .../query URL defaults to .../store
    user: str | None = None
    password: SecretStr | None = None
    timeout: float = 30.0  # seconds per remote request
    # the service
    token: SecretStr | None = None  # bearer token for SPARQL Update, the Graph Store Protocol and /documents; unset: writes refused
    cors_origins: list[str] = []  # origins allowed to call the API from a browser, e.g. ["https://portal.example.org"]
    query_timeout: float = 10.0  # seconds a /sparql query may run
    result_limit: int = 10000  # rows (or triples) a /sparql answer may hold


@lru_cache
def get_settings() -> Settings:
    return Settings()
