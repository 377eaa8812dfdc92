"""Pages for people: dereferenceable IRIs and the Russian search page.

* ``GET /id/{path}``, ``GET /concept/{path}`` and ``GET /ontology`` resolve the
  IRI ``https://w3id.org/opyt/id/{path}`` (``.../concept/{path}``, the
  ontology) and answer by ``Accept``: ``text/html`` (and browsers' ``*/*``) a
  Russian page; ``text/turtle``, ``application/ld+json`` or
  ``application/n-triples`` the entity's description (its outgoing triples plus
  the labels of the nodes it links to). An IRI the store knows nothing about is
  404: an HTML page for browsers, problem+json otherwise.
* ``GET /`` and ``GET /search?q=...`` — «Кто может помочь?»: the need is
  matched with :func:`opyt.matching.find_mentors` and the ranked holders are
  rendered on the server.

Links between entities are rewritten from ``https://w3id.org/opyt/...`` to this
service's own paths, so the catalogue can be browsed before w3id redirects to
it. Every text goes through Jinja2's autoescape.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from opyt.ingest.graph import document_iri
from opyt.matching import find_mentors
from opyt.namespace import BASE, OPYT, PREFIXES
from opyt.service import queries as service_queries
from opyt.service.deps import StoreDep

router = APIRouter(tags=["pages"])

ONTOLOGY_IRI = URIRef(BASE + "ontology")
ONTOLOGY_NS = str(OPYT._NS)
PLACEHOLDER = "Кто может провести мастер-класс по заданию 18 ЕГЭ по математике?"
EMPTY = "Пока никого нет"

_env = Environment(
    loader=PackageLoader("opyt.service", "templates"),
    autoescape=select_autoescape(["html"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

# --- content negotiation ---------------------------------------------------------------------

HTML = "text/html"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
_OFFERED = [HTML, "application/xhtml+xml", *RDF_TYPES]


def negotiate(accept: str | None) -> str | None:
    """The offered media type the ``Accept`` header prefers; HTML for none or ``*/*``; None if nothing fits."""
    if not accept or not accept.strip():
        return HTML
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "text/*"):
            chosen = HTML
        elif media in _OFFERED:
            chosen = HTML if media == "application/xhtml+xml" else media
        elif media in ("application/*", "application/json"):
            chosen = "application/ld+json"
        else:
            continue
        # higher q wins; on a tie a specific type beats a wildcard, then the earlier one
        rank = (q, 0 if "*" in media else 1)
        if best is None or rank > best[:2]:
            best = (*rank, chosen)
    return best[2] if best else None


# --- labels ----------------------------------------------------------------------------------

LABEL_PROPS = (RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name)
# Russian names for the classes and properties of other vocabularies (Opyt's own are read from the store)
RU_TERMS: dict[URIRef, str] = {
    RDF.type: "тип",
    RDFS.label: "название",
    RDFS.comment: "комментарий",
    RDFS.subClassOf: "подкласс",
    RDFS.domain: "область определения",
    RDFS.range: "область значений",
    SKOS.prefLabel: "название",
    SKOS.altLabel: "другие названия",
    SKOS.definition: "определение",
    SKOS.notation: "обозначение",
    SKOS.broader: "более общее понятие",
    SKOS.narrower: "более узкое понятие",
    SKOS.related: "связанное понятие",
    SKOS.inScheme: "схема понятий",
    SKOS.hasTopConcept: "верхнее понятие",
    SKOS.topConceptOf: "верхнее понятие схемы",
    SKOS.exactMatch: "точное соответствие",
    SKOS.closeMatch: "близкое соответствие",
    SKOS.Concept: "понятие",
    SKOS.ConceptScheme: "схема понятий",
    DCTERMS.title: "название",
    DCTERMS.description: "описание",
    DCTERMS.date: "дата",
    DCTERMS.hasVersion: "версия",
    FOAF.Person: "педагог (персона)",
    FOAF.name: "полное имя",
    FOAF.familyName: "фамилия",
    FOAF.givenName: "имя",
    ORG.Organization: "организация",
    ORG.memberOf: "работает в",
    PROV.wasDerivedFrom: "источник",
    PROV.wasQuotedFrom: "цитата из",
    OWL.Ontology: "онтология",
    OWL.Class: "класс",
    OWL.ObjectProperty: "свойство-связь",
    OWL.DatatypeProperty: "свойство-значение",
    OWL.sameAs: "то же, что",
    OWL.equivalentClass: "эквивалентный класс",
    OWL.equivalentProperty: "эквивалентное свойство",
}
# headings for links pointing at the entity, by the linking property
INCOMING: dict[URIRef, str] = {
    OPYT.holder: "Практики, носитель которых — эта запись",
    OPYT.organisation: "Практики, созданные в организации",
    ORG.memberOf: "Сотрудники",
    OPYT.municipality: "Организации муниципалитета",
    OPYT.region: "Организации и муниципалитеты региона",
    OPYT.topic: "Практики по теме",
    OPYT.form: "Практики в этой форме",
    OPYT.model: "Практики по этой модели",
    OPYT.level: "Практики этого уровня",
    OPYT.disseminates: "Мероприятия, на которых показывают практику",
    OPYT.consumer: "Потребности",
    SKOS.broader: "Более узкие понятия",
    SKOS.inScheme: "Понятия схемы",
    PROV.wasDerivedFrom: "Сведения из этого документа",
    RDFS.subClassOf: "Подклассы",
    RDF.type: "Записи этого класса",
}
# the order of properties on a page; the rest follow by label
ORDER = [
    RDF.type, RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name, SKOS.altLabel, SKOS.definition,
    OPYT.holder, OPYT.organisation, ORG.memberOf, OPYT.topic, OPYT.form, OPYT.model, OPYT.level,
    OPYT.period, OPYT.when, OPYT.disseminates, OPYT.legalForm, OPYT.municipality, OPYT.region,
    SKOS.broader, SKOS.inScheme,
]
HIDDEN_OUT = {OPYT.evidence, OPYT.hasRole}  # shown in their own sections
HIDDEN_IN = {PROV.wasQuotedFrom, OPYT.roleIn, OPYT.evidence, OPYT.justifies}
MAX_INCOMING = 200


def _lang_rank(node: Node) -> int:
    if not isinstance(node, Literal):
        return 0
    return 0 if node.language == "ru" else 1 if not node.language else 2


def _best_label(labels: list[Literal]) -> str | None:
    """A Russian label before an untagged one before any other."""
    if not labels:
        return None
    ranked = sorted(labels, key=lambda l: (_lang_rank(l), str(l)))
    return str(ranked[0])


def local_path(iri: str) -> str | None:
    """This service's path for an IRI of the catalogue, None for IRIs of other vocabularies."""
    if iri.startswith(ONTOLOGY_NS):
        return "/ontology#" + iri[len(ONTOLOGY_NS):]
    if iri == str(ONTOLOGY_IRI):
        return "/ontology"
    for prefix in ("id/", "concept/"):
        if iri.startswith(BASE + prefix):
            return "/" + iri[len(BASE):]
    return None


def _short(iri: str) -> str:
    """A compact name for an IRI without a label: ``opyt:holder``, or its last segment."""
    for prefix, ns in {**PREFIXES, "rdfs": str(RDFS), "skos": str(SKOS), "dcterms": str(DCTERMS),
                       "foaf": str(FOAF), "org": str(ORG), "prov": str(PROV), "owl": str(OWL), "rdf": str(RDF)}.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


# --- reading an entity -----------------------------------------------------------------------

# the SPARQL is in service/queries/NAME.rq; parameters are bound by the store
_OUT = service_queries.text("entity-outgoing")  # s
_IN = service_queries.text("entity-incoming")  # o
_EVIDENCE = service_queries.text("entity-evidence")  # s
_ROLES_OF_AGENT = service_queries.text("agent-roles")  # s
_ROLES_IN = service_queries.text("roles-in")  # s
_CONCEPT_HOLDERS = service_queries.text("concept-holders")  # s
_DESCRIBE = service_queries.text("entity-describe")  # s
_ONTOLOGY_TERMS = service_queries.text("ontology-terms")
_ONTOLOGY_DESCRIBE = service_queries.text("ontology-describe")


@dataclass
class Link:
    text: str
    href: str | None = None  # None: plain text
    external: bool = False
    iri: str | None = None


@dataclass
class Row:
    prop: URIRef
    label: str
    values: list[Link] = field(default_factory=list)


def _link(node: Node, labels: list[Literal]) -> Link:
    if isinstance(node, Literal):
        return Link(str(node))
    if isinstance(node, BNode):
        return Link("(пустой узел)")
    iri = str(node)
    path = local_path(iri)
    text = _best_label(labels) or (RU_TERMS.get(node) if node in RU_TERMS else None) or _short(iri)
    if path is None:
        return Link(text, iri, external=True, iri=iri)
    return Link(text, path, iri=iri)


def _prop_label(prop: URIRef, labels: list[Literal]) -> str:
    return RU_TERMS.get(prop) or _best_label(labels) or _short(str(prop))


def _order_key(row: Row) -> tuple[int, str]:
    return (ORDER.index(row.prop) if row.prop in ORDER else len(ORDER), row.label)


def _outgoing(store, iri: URIRef) -> tuple[list[Row], dict[str, list[Literal]]]:
    """Rows of (property, values) and the entity's own label candidates."""
    values: dict[URIRef, dict[Node, list[Literal]]] = defaultdict(dict)
    prop_labels: dict[URIRef, list[Literal]] = defaultdict(list)
    for r in store.select(_OUT, {"s": iri}).rows:
        p, o = r["p"], r["o"]
        labels = values[p].setdefault(o, [])
        if r["olabel"] is not None and r["olabel"] not in labels:
            labels.append(r["olabel"])
        if r["plabel"] is not None and r["plabel"] not in prop_labels[p]:
            prop_labels[p].append(r["plabel"])
    rows = []
    own: dict[str, list[Literal]] = {}
    for p, objects in values.items():
        if p in LABEL_PROPS:
            own[str(p)] = [o for o in objects if isinstance(o, Literal)]
        if p in HIDDEN_OUT:
            continue
        ordered = sorted(objects.items(), key=lambda item: (_lang_rank(item[0]), str(item[0])))
        links = [_link(o, labels) for o, labels in ordered]
        if not all(isinstance(o, Literal) for o in objects):
            links.sort(key=lambda l: l.text)
        rows.append(Row(p, _prop_label(p, prop_labels[p]), links))
    rows.sort(key=_order_key)
    return rows, own


def _incoming(store, iri: URIRef) -> list[Row]:
    found: dict[URIRef, dict[Node, list[Literal]]] = defaultdict(dict)
    for r in store.select(_IN, {"o": iri}).rows:
        p = r["p"]
        if p in HIDDEN_IN:
            continue
        labels = found[p].setdefault(r["s"], [])
        if r["slabel"] not in labels:
            labels.append(r["slabel"])
    rows = []
    for p, subjects in found.items():
        links = sorted((_link(s, labels) for s, labels in subjects.items()), key=lambda l: l.text)
        heading = INCOMING.get(p) or f"Ссылаются через «{RU_TERMS.get(p) or _short(str(p))}»"
        rows.append(Row(p, heading, links[:MAX_INCOMING]))
    rows.sort(key=lambda row: (list(INCOMING).index(row.prop) if row.prop in INCOMING else len(INCOMING), row.label))
    return rows


def _evidence(store, iri: URIRef) -> list[dict]:
    out = []
    for r in store.select(_EVIDENCE, {"s": iri}).rows:
        doc = r["doc"]
        out.append({
            "quote": str(r["quote"]),
            "file": str(r["file"]) if r["file"] is not None else (str(doc) if doc is not None else ""),
            "href": local_path(str(doc)) if doc is not None else None,
            "iri": str(r["ev"]),
        })
    return out


def _roles(store, iri: URIRef, query: str) -> list[dict]:
    roles = []
    seen = set()
    for r in store.select(query, {"s": iri}).rows:
        other = r["other"]
        key = (other, r["type"], r["title"])
        if key in seen:
            continue
        seen.add(key)
        link = _link(other, [r["otherLabel"]] if r["otherLabel"] is not None else []) if other is not None else None
        roles.append({
            "link": link,
            "type": str(r["typeLabel"]) if r["typeLabel"] is not None else "",
            "title": str(r["title"]) if r["title"] is not None else "",
        })
    roles.sort(key=lambda x: (x["link"].text if x["link"] else "", x["type"]))
    return roles


def _concept_holders(store, iri: URIRef) -> list[dict]:
    holders: dict[str, dict] = {}
    for r in store.select(_CONCEPT_HOLDERS, {"s": iri}).rows:
        entry = holders.setdefault(str(r["holder"]), {
            "link": _link(r["holder"], [r["holderLabel"]]), "practices": []})
        practice = _link(r["practice"], [r["title"]])
        if all(p.iri != practice.iri for p in entry["practices"]):
            entry["practices"].append(practice)
    return sorted(holders.values(), key=lambda h: h["link"].text)


def _title(iri: URIRef, own: dict[str, list[Literal]]) -> str:
    for prop in LABEL_PROPS:
        label = _best_label(own.get(str(prop), []))
        if label:
            return label
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


# --- responses -------------------------------------------------------------------------------

_IRI_BAD = re.compile(r'[\s<>"{}|\\^`]')


def _render(template: str, status: int = 200, **context) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


def _not_found(request: Request, iri: str, media: str | None) -> Response:
    if media == HTML:
        return _render("not_found.html", 404, iri=iri, title="Не найдено")
    body = {"type": "about:blank", "title": "Not Found", "status": 404,
            "detail": f"the catalogue holds nothing about <{iri}>"}
    return JSONResponse(body, status_code=404, media_type="application/problem+json")


def _not_acceptable(accept: str | None) -> Response:
    body = {"type": "about:blank", "title": "Not Acceptable", "status": 406,
            "detail": f"cannot answer {accept!r}; offered: {', '.join([HTML, *RDF_TYPES])}"}
    return JSONResponse(body, status_code=406, media_type="application/problem+json")


def _serialize(graph: Graph, media: str) -> Response:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for prefix, ns in (("rdfs", RDFS), ("skos", SKOS), ("dcterms", DCTERMS), ("foaf", FOAF),
                       ("org", ORG), ("prov", PROV), ("owl", OWL)):
        graph.bind(prefix, ns)
    data = graph.serialize(format=RDF_TYPES[media], encoding="utf-8")
    charset = "; charset=utf-8" if media != "application/ld+json" else ""
    return Response(data, media_type=media + charset, headers={"Vary": "Accept"})


def _entity(request: Request, store, iri_text: str) -> Response:
    accept = request.headers.get("accept")
    media = negotiate(accept)
    if _IRI_BAD.search(iri_text):
        return _not_found(request, iri_text, media)
    iri = URIRef(iri_text)
    if media is None:
        known = store.ask("ASK { ?s ?p ?o }", {"s": iri})
        return _not_acceptable(accept) if known else _not_found(request, iri_text, media)
    if media != HTML:
        graph = store.construct(_DESCRIBE, {"s": iri})
        if not any(True for _ in graph.triples((iri, None, None))):
            return _not_found(request, iri_text, media)
        return _serialize(graph, media)
    rows, own = _outgoing(store, iri)
    if not rows and not own:
        return _not_found(request, iri_text, media)
    types = next((row.values for row in rows if row.prop == RDF.type), [])
    type_iris = {link.iri for link in types}
    is_concept = str(SKOS.Concept) in type_iris
    context = {
        "iri": iri_text,
        "title": _title(iri, own),
        "types": types,
        "rows": [row for row in rows if row.prop != RDF.type],
        "incoming": _incoming(store, iri),
        "evidence": _evidence(store, iri),
        "roles": _roles(store, iri, _ROLES_OF_AGENT),
        "participants": _roles(store, iri, _ROLES_IN),
        "holders": _concept_holders(store, iri) if is_concept else [],
        "is_concept": is_concept,
    }
    response = _render("entity.html", **context)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/id/{path:path}", include_in_schema=False)
def entity_page(path: str, request: Request, store: StoreDep) -> Response:
    """A person, organisation, practice, document, territory... by its IRI ``https://w3id.org/opyt/id/{path}``."""
    return _entity(request, store, BASE + "id/" + path)


@router.get("/concept/{path:path}", include_in_schema=False)
def concept_page(path: str, request: Request, store: StoreDep) -> Response:
    """A concept or concept scheme by its IRI ``https://w3id.org/opyt/concept/{path}``."""
    return _entity(request, store, BASE + "concept/" + path)


@router.get("/ontology", include_in_schema=False)
def ontology_page(request: Request, store: StoreDep) -> Response:
    """The ontology's classes and properties; a term ``opyt:X`` is the anchor ``/ontology#X``."""
    accept = request.headers.get("accept")
    media = negotiate(accept)
    if media is None:
        return _not_acceptable(accept)
    if media != HTML:
        return _serialize(store.construct(_ONTOLOGY_DESCRIBE), media)
    kinds = {"Class": "Классы", "ObjectProperty": "Свойства-связи", "DatatypeProperty": "Свойства-значения",
             "AnnotationProperty": "Свойства-аннотации"}
    sections: dict[str, dict[str, dict]] = {name: {} for name in kinds.values()}
    for r in store.select(_ONTOLOGY_TERMS).rows:
        kind = kinds[str(r["kind"]).rsplit("#", 1)[-1]]
        name = str(r["term"])[len(ONTOLOGY_NS):]
        entry = sections[kind].setdefault(name, {"name": name, "iri": str(r["term"]), "label": "", "definition": ""})
        if r["label"] is not None:
            entry["label"] = str(r["label"])
        if r["definition"] is not None:
            entry["definition"] = str(r["definition"])
    context = {"title": "Онтология «Опыт»", "iri": str(ONTOLOGY_IRI),
               "sections": {k: list(v.values()) for k, v in sections.items() if v}}
    return _render("ontology.html", **context)


# --- search ----------------------------------------------------------------------------------

_MODEL_LABELS = service_queries.text("model-labels")


def _model_labels(store) -> dict[str, str]:
    return {str(r["concept"]).rsplit("/", 1)[-1]: str(r["label"]) for r in store.select(_MODEL_LABELS).rows}


@router.get("/", include_in_schema=False)
@router.get("/search", include_in_schema=False)
def search_page(store: StoreDep, q: str = "", municipality: str = "", region: str = "") -> HTMLResponse:
    """«Что нужно?»: a need in Russian (or English), answered with the holders who can pass the experience on."""
    q, municipality, region = q.strip(), municipality.strip(), region.strip()
    result = None
    if q:
        result = find_mentors(store, q, municipality=municipality or None, region=region or None, limit=20)
        models = _model_labels(store)
        for item in result["items"]:
            item["holder_href"] = local_path(item["holder"]["id"])
            item["practice_href"] = local_path(item["practice"]["id"])
            org = item.get("organisation")
            item["organisation_href"] = local_path(org["id"]) if org else None
            item["model_label"] = models.get(item.get("model") or "", item.get("model") or "")
            for evidence in item["evidence"]:
                evidence["href"] = local_path(str(document_iri(evidence["source"]))) if evidence.get("source") else None
    return _render("search.html", title="Поиск опыта", q=q, municipality=municipality, region=region,
                   result=result, placeholder=PLACEHOLDER, empty=EMPTY)
