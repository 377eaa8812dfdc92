"""The stored query library: named SPARQL files shipped with the package.

Each ``NAME.rq`` starts with a comment block::

    # title: One line
    # description: What it answers; may go on over
    #   indented continuation lines.
    # param: NAME (TYPE, required|optional) what it means
    # param: (none)

and declares its own PREFIXes. Parameters are bound by the store (a ``VALUES``
block first inside the outer ``WHERE {``, written from validated terms on both
backends), never formatted into the text. TYPE is ``iri``, ``string`` or
``integer``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from opyt.errors import QueryError, UnknownQueryError
from opyt.namespace import PREFIXES

PARAM_TYPES = ("iri", "string", "integer")
_HEADER_LINE = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\((\w+),\s*(required|optional)\)\s*(.*)$")
_WELL_KNOWN = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def bindings(self, values: Mapping[str, str]) -> dict[str, Node]:
        """Turn user-given strings into RDF terms, checking names, types and required ones."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                f"its parameters are: {', '.join(known) or 'none'}"
            )
        missing = [p.name for p in self.parameters if p.required and p.name not in values]
        if missing:
            raise QueryError(
                f"query {self.name!r} needs the parameter {', '.join(missing)} "
                f"(give it as --param {missing[0]}=VALUE)"
            )
        return {name: _to_term(known[name], value) for name, value in values.items()}


def _to_term(param: Parameter, value: str) -> Node:
    if param.type == "iri":
        return expand_iri(value)
    if param.type == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"parameter {param.name!r} must be a whole number, not {value!r}") from None
    return Literal(value)


def expand_iri(value: str) -> URIRef:
    """Accept a full IRI (optionally in <>) or a prefixed name with one of Opyt's prefixes."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    namespaces = {**_WELL_KNOWN, **PREFIXES}
    if sep and prefix in namespaces and not local.startswith("//"):
        return URIRef(namespaces[prefix] + local)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", value) or value.startswith("urn:"):
        return URIRef(value)
    raise QueryError(
        f"{value!r} is not an IRI: give a full IRI (https://...) or a prefixed name "
        f"with one of the prefixes {', '.join(sorted(namespaces))}"
    )


def _parse_header(name: str, text: str) -> tuple[str, str, tuple[Parameter, ...]]:
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": []}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if match:
            key, value = match.groups()
            fields[key].append(value.strip())
            current = fields[key]
        elif current is not None and line[1:].strip():
            current[-1] += " " + line[1:].strip()
    if not fields["title"]:
        raise QueryError(f"stored query {name!r} has no '# title:' line in its header")
    params = tuple(_parse_param(name, p) for p in fields["param"] if p != "(none)")
    return fields["title"][0], " ".join(fields["description"]), params


def _parse_param(query: str, spec: str) -> Parameter:
    match = _PARAM.match(spec)
    if not match or match.group(2) not in PARAM_TYPES:
        raise QueryError(
            f"stored query {query!r}: cannot read parameter line {spec!r}; "
            f"write it as 'NAME (TYPE, required|optional) description' with TYPE one of {PARAM_TYPES}"
        )
    name, type_, required, description = match.groups()
    return Parameter(name, type_, required == "required", description)


def names(package: str = __package__) -> list[str]:
    """The names of all stored queries, sorted: the public library's, or those of another ``package``."""
    return sorted(p.name[:-3] for p in files(package).iterdir() if p.name.endswith(".rq"))


@cache
def load(name: str, package: str = __package__) -> StoredQuery:
    """The stored query ``name`` (file ``name.rq``) of the public library, or of another ``package``.

    Other packages (``opyt.service.queries``) hold the queries the code runs
    itself, in the same format; they are not part of the public library.
    """
    resource = files(package) / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not resource.is_file():
        raise UnknownQueryError(f"there is no stored query {name!r}; known queries: {', '.join(names(package))}")
    text = resource.read_text(encoding="utf-8")
    title, description, params = _parse_header(name, text)
    return StoredQuery(name, title, description, params, text)


def all_queries() -> list[StoredQuery]:
    return [load(n) for n in names()]
