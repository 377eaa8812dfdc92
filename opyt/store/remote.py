"""The remote backend: a SPARQL 1.1 server (Query, Update and Graph Store Protocol).

The server must use the union of its graphs as the default graph of queries
(``oxigraph serve --union-default-graph``; Virtuoso and GraphDB do this by
default; Fuseki needs ``tdb2:unionDefaultGraph true``). See ``Store``.
"""
from __future__ import annotations

import ast
import http.client
import urllib.error

import httpx
import pyoxigraph as ox
from rdflib import Graph
from SPARQLWrapper import INSERT, POST, POSTDIRECTLY, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException, Unauthorized

from opyt.errors import InputError, QueryError, StoreError, StoreUnavailableError
from opyt.store.base import QueryOutcome, Store, query_outcome
from opyt.store.rdf import DumpFormat, insert_quads, ntriples, parse_quads, serialize_dataset, triples_by_graph
from opyt.store.terms import Bindings, graph_from_triples, named_node, new_graph, oxigraph_bindings, with_values

QUERY_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def sibling_url(query_url: str, name: str) -> str:
    """``…/update`` or ``…/store`` next to an Oxigraph-style ``…/query`` URL; otherwise the query URL itself."""
    base, _, last = query_url.rstrip("/").rpartition("/")
    return f"{base}/{name}" if last == "query" else query_url


class RemoteStore(Store):
    """A SPARQL server: SPARQLWrapper for queries and updates, httpx for the Graph Store Protocol.

    A 404 from the Graph Store is read as "no such graph", as the protocol says;
    a wrong ``graph_store_url`` therefore looks like an empty store to ``graph()``.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or sibling_url(query_url, "update")
        self.graph_store_url = graph_store_url or sibling_url(query_url, "store")
        self.timeout = timeout
        self._credentials = (user, password or "") if user else None
        self._http = httpx.Client(auth=self._credentials, timeout=timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url})"

    def _query(self, sparql: str, bindings: Bindings | None) -> QueryOutcome:
        return query_outcome(self._raw_query(sparql, bindings))

    def _raw_query(self, sparql: str, bindings: Bindings | None) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        return self._query_results(with_values(sparql, oxigraph_bindings(bindings)))

    def update(self, sparql: str) -> None:
        self._post_sparql(sparql, update=True)

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """One Graph Store ``PUT``, which the server applies atomically; the body is built first."""
        data = ntriples(graph)
        self._graph_store("PUT", graph_iri, content=data, headers={"Content-Type": "application/n-triples"})

    def drop_graph(self, graph_iri: str) -> None:
        self._graph_store("DELETE", graph_iri)

    def graph(self, graph_iri: str) -> Graph:
        response = self._graph_store("GET", graph_iri, headers={"Accept": "application/n-triples"})
        if response is None:
            return new_graph()
        return graph_from_triples(quad.triple for quad in ox.parse(response.content, _rdf_format(response)))

    def load(self, data: bytes, format: str, graph_iri: str | None = None, *, atomic: bool = True) -> None:
        """``atomic``: one ``INSERT DATA`` request, which the server runs as one transaction.

        Otherwise one Graph Store ``POST`` per graph: much cheaper for big data,
        but a failure part-way leaves the graphs already sent in the store.
        """
        quads = parse_quads(data, format, graph_iri)
        if atomic:
            self._post_sparql(insert_quads(quads), update=True)
            return
        for graph_name, triples in triples_by_graph(quads).items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            self._graph_store("POST", graph_name, content=body, headers={"Content-Type": "application/n-triples"})

    def dump(self, format: DumpFormat = "nq") -> bytes:
        solutions = self._query_results(ALL_QUADS)
        quads = (ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions)
        return serialize_dataset(quads, format)

    def close(self) -> None:
        self._http.close()

    def _query_results(self, request: str) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        body, content_type = self._post_sparql(request, update=False)
        results_format = ox.QueryResultsFormat.from_media_type(content_type)
        if results_format is not None:
            return ox.parse_query_results(body, results_format)
        rdf_format = ox.RdfFormat.from_media_type(content_type)
        if rdf_format is not None:
            return [quad.triple for quad in ox.parse(body, rdf_format)]
        raise StoreError(f"{self.query_url} answered with unexpected content type {content_type!r}")

    def _post_sparql(self, request: str, *, update: bool) -> tuple[bytes, str]:
        """Sends a query or update; returns the response body and its content type."""
        url = self.update_url if update else self.query_url
        try:
            result = self._sparql_wrapper(request, update).query()
            return result.response.read(), result.response.headers.get("Content-Type", "")
        except QueryBadFormed as error:
            raise QueryError(f"{url} rejected the SPARQL {'update' if update else 'query'}: {_server_message(error)}") from error
        except Unauthorized as error:
            raise _access_denied(url) from error
        except EndPointNotFound as error:
            raise StoreUnavailableError(f"There is no SPARQL endpoint at {url} (HTTP 404): check OPYT_ENDPOINT") from error
        except SPARQLWrapperException as error:
            raise StoreError(f"{url} failed: {_server_message(error)}") from error
        except urllib.error.HTTPError as error:
            raise StoreError(f"{url} answered HTTP {error.code}: {error.read().decode(errors='replace')}") from error
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(url, error) from error

    def _sparql_wrapper(self, request: str, update: bool) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
        wrapper.setOnlyConneg(True)  # no format=xml URL parameters next to our Accept header
        # setQuery() guesses the query form with a regular expression (and warns when it
        # fails, e.g. for `WITH <g> DELETE ...`); the caller knows it, so set it directly.
        wrapper.queryString = request
        wrapper.queryType = INSERT if update else SELECT
        wrapper.addCustomHttpHeader("Accept", QUERY_ACCEPT)
        wrapper.timeout = self.timeout  # setTimeout() truncates to whole seconds
        if self._credentials:
            wrapper.setCredentials(*self._credentials)
        return wrapper

    def _graph_store(self, method: str, graph_iri: str, **request: object) -> httpx.Response | None:
        """A Graph Store Protocol request on one named graph; None when the graph does not exist."""
        params = {"graph": named_node(graph_iri).value}
        try:
            response = self._http.request(method, self.graph_store_url, params=params, **request)
        except httpx.TransportError as error:
            raise self._unreachable(self.graph_store_url, error) from error
        if response.status_code == 404:
            return None
        _check_graph_store_status(response)
        return response

    def _unreachable(self, url: str, error: Exception) -> StoreUnavailableError:
        if _timed_out(error):
            return StoreUnavailableError(
                f"The SPARQL server at {url} did not answer within {self.timeout:g} s. "
                f"Check that it is healthy, or raise OPYT_TIMEOUT."
            )
        return StoreUnavailableError(
            f"Cannot reach the SPARQL server at {url} ({error}). Start it (for Oxigraph: "
            f"`oxigraph serve --location DIR --bind HOST:PORT --union-default-graph`), "
            f"correct OPYT_ENDPOINT, or unset OPYT_ENDPOINT to use the embedded store."
        )


def _timed_out(error: Exception) -> bool:
    reason = getattr(error, "reason", error)
    return isinstance(error, httpx.TimeoutException) or isinstance(reason, TimeoutError)


def _access_denied(url: str) -> StoreUnavailableError:
    return StoreUnavailableError(f"{url} refused the credentials: set OPYT_USER and OPYT_PASSWORD")


def _check_graph_store_status(response: httpx.Response) -> None:
    url = str(response.request.url)
    if response.status_code == 400:
        raise InputError(f"{url} rejected the data: {response.text}")
    if response.status_code in (401, 403):
        raise _access_denied(url)
    if response.is_error:
        raise StoreError(f"{response.request.method} {url} answered HTTP {response.status_code}: {response.text}")


def _rdf_format(response: httpx.Response) -> ox.RdfFormat:
    content_type = response.headers.get("Content-Type", "")
    found = ox.RdfFormat.from_media_type(content_type)
    if found is None:
        raise StoreError(f"{response.request.url} answered with unexpected content type {content_type!r}")
    return found


def _server_message(error: SPARQLWrapperException) -> str:
    """The server's own message: SPARQLWrapper keeps the response body only as a bytes repr in its text."""
    _, found, body = str(error).partition("Response:\n")
    try:
        return ast.literal_eval(body).decode("utf-8", errors="replace") if found else str(error)
    except (ValueError, SyntaxError, AttributeError):
        return str(error)
