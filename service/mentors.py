"""``/mentors`` and ``/recommendations``: who can pass on experience matching a need.

Both answer the same thing in plone.restapi conventions: ``@id``, ``@type``,
``items`` (each with ``@id`` = the holder's IRI and ``@type`` Person or
Organisation, plus the ``opyt mentors`` fields), ``items_total`` and, when
there is more than one batch, ``batching`` links (``b_start`` / ``b_size``).

* ``GET /mentors?q=TEXT[&consumer=&municipality=&region=&level=&model=&form=&b_start=0&b_size=25]``
* ``POST /recommendations`` with ``{"need": TEXT, "consumer": ..., ...}`` (the same filters).

``level``, ``model`` and ``form`` take a concept's local name (``municipal``,
``direct``, ``masterClass``) or its full IRI. ``consumer`` is an organisation's
IRI or name; its municipality and region (when the catalogue knows them) rank
near holders first, unless ``municipality`` / ``region`` are given.
"""
from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rdflib import Literal, URIRef

from opyt import matching
from opyt.namespace import FORM, LEVEL, MODEL
from opyt.service import queries as service_queries
from opyt.service.deps import Problem, StoreDep

router = APIRouter(tags=["mentors"])

RESULT_TYPE = "opyt:Recommendations"
SCHEMES = {"level": LEVEL, "model": MODEL, "form": FORM}


class Filters(BaseModel):
    """What narrows and pages a search; shared by GET /mentors and POST /recommendations."""

    model_config = ConfigDict(extra="forbid")

    consumer: str | None = Field(None, description="IRI or name of the organisation that has the need.")
    municipality: str | None = Field(None, description="The consumer's municipality: holders there rank first.")
    region: str | None = Field(None, description="The consumer's region: holders there rank next.")
    level: str | None = Field(None, description="Level concept: federal, regional, municipal, school (or its IRI).")
    model: str | None = Field(None, description="Dissemination model concept: direct, mediated, network (or its IRI).")
    form: str | None = Field(None, description="Form concept, e.g. masterClass, seminar, internship (or its IRI).")
    b_start: int = Field(0, ge=0, description="Index of the first item of the batch.")
    b_size: int = Field(25, ge=1, le=100, description="Items per batch, 1 to 100.")


class MentorQuery(Filters):
    q: str = Field(min_length=1, description="The need, in Russian or English.")


class RecommendationRequest(Filters):
    need: str = Field(min_length=1, description="The need, in Russian or English.")


# --- the work --------------------------------------------------------------------------------------


def recommend(store, need: str, filters: Filters) -> dict[str, Any]:
    """The matching holders for ``need`` under ``filters``: ``{"items_total", "items"}`` of one batch."""
    concepts = {key: concept_local(key, getattr(filters, key)) for key in SCHEMES}
    place = {"municipality": filters.municipality, "region": filters.region}
    if filters.consumer:
        home = consumer_place(store, filters.consumer)
        place = {key: place[key] or home.get(key) for key in place}
    found = search(store, need, offset=filters.b_start, limit=filters.b_size, **place, **concepts)
    return {"items_total": found["items_total"], "items": [_restapi_item(item) for item in found["items"]]}


def search(store, text: str, *, offset: int, limit: int, **options: str | None) -> dict[str, Any]:
    """``find_mentors`` for one batch, with the place and level/model/form filters that are set."""
    given = {key: value for key, value in options.items() if value is not None}
    return matching.find_mentors(store, text, offset=offset, limit=limit, **given)


def concept_local(scheme: str, value: str | None) -> str | None:
    """A level/model/form concept's local name, from the local name or the full IRI; 400 when unknown."""
    if value is None or not value.strip():
        return None
    namespace = SCHEMES[scheme]
    known = sorted(namespace.__annotations__)
    text = value.strip()
    local = text[len(str(namespace._NS)):] if text.startswith(str(namespace._NS)) else text
    if local not in known:
        raise Problem(400, "Bad Request", f"unknown {scheme} {value!r}; known: {', '.join(known)} "
                      f"(or their IRIs under {namespace._NS})")
    return local


_CONSUMER = service_queries.text("consumer-place")  # given (iri), text (string)


def consumer_place(store, consumer: str) -> dict[str, str]:
    """The municipality and region names of the consumer organisation (by IRI or name); 400 when unknown."""
    text = consumer.strip()
    rows = store.select(_CONSUMER, {"given": URIRef(text) if "://" in text else URIRef("urn:x-none"),
                                    "text": Literal(text)}).rows
    if not rows:
        raise Problem(400, "Bad Request", f"no organisation {consumer!r} in the catalogue; give its IRI or "
                      "its name as the catalogue has it, or pass municipality/region instead")
    return {key: str(rows[0][key]) for key in ("municipality", "region") if rows[0].get(key) is not None}


def _restapi_item(item: dict) -> dict[str, Any]:
    return {"@id": item["holder"]["id"], "@type": item["holder"]["type"], **item}


# --- answers in plone.restapi form ---------------------------------------------------------------


def answer(request: Request, result: dict[str, Any], batch_base: str, params: dict[str, Any],
           b_start: int, b_size: int) -> dict[str, Any]:
    body: dict[str, Any] = {"@id": str(request.url), "@type": RESULT_TYPE, **result}
    links = batching(batch_base, params, result["items_total"], b_start, b_size)
    if links:
        body["batching"] = links
    return body


def batching(base: str, params: dict[str, Any], total: int, b_start: int, b_size: int) -> dict[str, str] | None:
    """plone.restapi batching links, or None when everything fits in one batch."""
    if total <= b_size:
        return None
    from urllib.parse import urlencode

    def url(start: int) -> str:
        query = {k: v for k, v in params.items() if v is not None and k not in ("b_start", "b_size")}
        return f"{base}?{urlencode({**query, 'b_start': start, 'b_size': b_size})}"

    last = (total - 1) // b_size * b_size
    links = {"@id": url(b_start), "first": url(0), "last": url(last)}
    if b_start + b_size < total:
        links["next"] = url(b_start + b_size)
    if b_start > 0:
        links["prev"] = url(max(b_start - b_size, 0))
    return links


def _invalid(exc: ValidationError, known: list[str], where: str) -> Problem:
    unknown = [str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden"]
    if unknown:
        return Problem(400, "Bad Request", f"unknown {where} {', '.join(map(repr, unknown))}; "
                       f"known: {', '.join(known)}")
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or where}: {e['msg']}" for e in exc.errors())
    return Problem(422, "Unprocessable Content", problems,
                   errors=[{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()])


def _parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI query parameters for a model (validation is done by hand, for problem+json answers)."""
    schema = model.model_json_schema()
    return [{"name": name, "in": "query", "required": name in schema.get("required", []),
             "description": prop.get("description", ""), "schema": {k: v for k, v in prop.items() if k != "description"}}
            for name, prop in schema["properties"].items()]


def mentor_query(request: Request) -> MentorQuery:
    params = request.query_params
    repeated = [key for key in params if len(params.getlist(key)) > 1]
    if repeated:
        raise Problem(400, "Bad Request", f"parameter {repeated[0]!r} given more than once")
    try:
        return MentorQuery.model_validate(dict(params))
    except ValidationError as exc:
        raise _invalid(exc, list(MentorQuery.model_fields), "parameter") from None


async def recommendation_request(request: Request) -> RecommendationRequest:
    try:
        data = json.loads(await request.body() or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(400, "Bad Request", f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise Problem(400, "Bad Request", 'send a JSON object such as {"need": "..."}')
    try:
        return RecommendationRequest.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc, list(RecommendationRequest.model_fields), "member") from None


# --- routes ---------------------------------------------------------------------------------------


@router.get("/mentors", openapi_extra={"parameters": _parameters(MentorQuery)})
def mentors(request: Request, store: StoreDep, query: Annotated[MentorQuery, Depends(mentor_query)]) -> dict:
    """Holders whose experience matches the need ``q``, best first, in batches."""
    result = recommend(store, query.q, query)
    base = str(request.url.replace(query=""))
    params = {"q": query.q, **query.model_dump(exclude={"q"})}
    return answer(request, result, base, params, query.b_start, query.b_size)


@router.post("/recommendations", openapi_extra={"requestBody": {
    "required": True, "content": {"application/json": {"schema": RecommendationRequest.model_json_schema()}}}})
def recommendations(request: Request, store: StoreDep,
                    body: Annotated[RecommendationRequest, Depends(recommendation_request)]) -> dict:
    """The same answer as ``GET /mentors`` for a JSON body; batching links point to ``GET /mentors``."""
    result = recommend(store, body.need, body)
    params = {"q": body.need, **body.model_dump(exclude={"need"})}
    base = str(request.url_for("mentors"))
    return answer(request, result, base, params, body.b_start, body.b_size)
