"""``/documents``: add a document to the catalogue by upload, or remove one. Both need the service token.

``POST /documents`` (multipart, field ``file``) saves the upload under its
original file name in a fresh temporary directory and ingests it like
``opyt ingest`` does, through the SHACL gate. The answer is the per-document
report: 201 when ingested, 200 when the store already holds the same file
(same sha256), 422 (problem+json, with the validation report) when it was
quarantined or could not be extracted, 400 when it cannot be read (binary
junk, a corrupt .docx, an unsupported format, too large). Nothing is written
unless the answer is 201.

``DELETE /documents/{id}`` drops a document's graph; ``id`` is its file name,
its document IRI or its graph IRI (404 when the store has no such document).
"""
from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path, PureWindowsPath
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from opyt.ingest.graph import document_iri, file_slug
from opyt.ingest.pipeline import DocumentReport, UnknownDocument, ingest_paths, remove_document
from opyt.ingest.readers import DEFAULT_MAX_BYTES
from opyt.service.deps import Problem, StoreDep, require_token

router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(require_token)])

MAX_BYTES = DEFAULT_MAX_BYTES
_CHUNK = 1 << 20
_MULTIPART_OVERHEAD = 1 << 16
_REPORT_PATH = re.compile(r"; report in .*$")

UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "A .txt, .docx, .odt or .pdf document, under its original file name."}},
}}}}


# --- the work --------------------------------------------------------------------------------------


def safe_file_name(name: str | None) -> str:
    """The upload's own file name without any folder part; 400 when there is none."""
    base = PureWindowsPath(Path(name or "").name).name.strip()
    if not base or base in (".", "..") or base.startswith(".") or "\x00" in base:
        raise Problem(400, "Bad Request", f"the uploaded file needs a file name with an extension (got {name!r})")
    return base


def ingest_upload(store, folder: Path, name: str) -> tuple[DocumentReport, str | None]:
    """Ingest ``folder/name``; the report and, when quarantined, the full SHACL validation report."""
    quarantine = folder / "quarantine"
    [report] = ingest_paths(store, [folder / "upload" / name], quarantine_dir=quarantine)
    kept = quarantine / f"{name}.txt"
    validation = kept.read_text(encoding="utf-8").split("\n", 1)[-1].strip() if kept.is_file() else None
    return report, validation


def report_json(report: DocumentReport, name: str) -> dict[str, Any]:
    body = dataclasses.asdict(report)
    body.update(file=name, message=_REPORT_PATH.sub("", report.message), seconds=round(report.seconds, 3))
    if report.graph:
        body["document"] = str(document_iri(name))
    return body


def answer(request: Request, report: DocumentReport, name: str, validation: str | None) -> JSONResponse:
    body = report_json(report, name)
    location = str(request.url_for("remove", id=file_slug(name)))
    if report.status == "ingested":
        return JSONResponse({"@id": location, **body}, status_code=201, headers={"Location": location})
    if report.status == "unchanged":
        return JSONResponse({"@id": location, **body}, status_code=200)
    if report.status == "quarantined":
        raise Problem(422, "Unprocessable Content", f"{name}: {body['message']}", report=body,
                      validation_report=validation)
    if report.message.startswith("extraction failed"):
        raise Problem(422, "Unprocessable Content", f"{name}: {report.message}", report=body)
    raise Problem(400, "Bad Request", f"{name}: {report.message}", report=body)


async def save_upload(upload: UploadFile, target: Path) -> None:
    """Copy the upload to ``target``, refusing it (400) past the size limit."""
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                raise Problem(400, "Bad Request", f"the file is larger than {MAX_BYTES // 2**20} MiB; nothing was stored")
            out.write(chunk)


async def uploaded_file(request: Request) -> UploadFile:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES + _MULTIPART_OVERHEAD:
        raise Problem(400, "Bad Request", f"the file is larger than {MAX_BYTES // 2**20} MiB; nothing was stored")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Problem(400, "Bad Request", "send the document as multipart/form-data in a field named 'file'")
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception as exc:  # noqa: BLE001 - malformed multipart of any kind
        raise Problem(400, "Bad Request", f"the multipart body cannot be read: {exc}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Problem(400, "Bad Request", "send the document as multipart/form-data in a field named 'file'")
    return upload


# --- routes ---------------------------------------------------------------------------------------


@router.post("", status_code=201, openapi_extra={"requestBody": UPLOAD_BODY})
async def upload(request: Request, store: StoreDep) -> JSONResponse:
    """Ingest one uploaded document through the SHACL gate; answers with its report."""
    file = await uploaded_file(request)
    try:
        name = safe_file_name(file.filename)
        with tempfile.TemporaryDirectory(prefix="opyt-upload-") as tmp:
            folder = Path(tmp)
            await save_upload(file, folder / "upload" / name)
            report, validation = await run_in_threadpool(ingest_upload, store, folder, name)
    finally:
        await file.close()
    return answer(request, report, name, validation)


@router.delete("/{id:path}")
def remove(id: str, store: StoreDep) -> dict[str, str]:
    """Drop a document's graph (``id``: its file name, document IRI or graph IRI)."""
    try:
        graph = remove_document(store, id)
    except UnknownDocument as exc:
        raise Problem(404, "Not Found", str(exc)) from None
    return {"status": "removed", "document": id, "graph": str(graph)}
