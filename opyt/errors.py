"""A small error hierarchy. Every message says what was wrong and how to fix it.

The CLI maps these to exit codes (see ``opyt.cli``); the service maps them to
``application/problem+json`` responses.
"""
from __future__ import annotations


class OpytError(Exception):
    """Base of every error Opyt raises on purpose."""


class ConfigurationError(OpytError):
    """A setting (environment variable or option) is missing or wrong."""


class StoreError(OpytError):
    """The store could not be opened, read or written."""


class StoreUnavailableError(StoreError):
    """The store exists but cannot be reached (locked by another process, endpoint down)."""


class InputError(OpytError):
    """An input file or value cannot be read or has the wrong format."""


class ValidationFailed(OpytError):
    """Data does not conform to the SHACL shapes; ``report`` holds the details."""

    def __init__(self, message: str, report) -> None:
        super().__init__(message)
        self.report = report


class QueryError(OpytError):
    """A SPARQL query is malformed or a stored query is unknown or misused."""


class UnknownQueryError(QueryError):
    """No stored query has the given name."""


class OntologyInconsistent(OpytError):
    """The reasoner found the ontology (or data checked with it) inconsistent."""


class UnreadableDocument(InputError):
    """A document file could not be turned into text; the subclasses say why."""


class DocumentNotFound(UnreadableDocument):
    """The document file does not exist."""


class UnsupportedFormat(UnreadableDocument):
    """The file is of a kind the readers cannot read (by extension or by content)."""


class DocumentTooLarge(UnreadableDocument):
    """The file is over the size limit; it was not read."""


class EmptyDocument(UnreadableDocument):
    """The file is empty or holds no text."""


class CorruptDocument(UnreadableDocument):
    """A .docx, .odt or .pdf file is damaged or is not what its extension says."""


class NoTextLayer(UnreadableDocument):
    """A PDF holds only images (a scan): it needs OCR before it can be read."""


class BinaryNotText(UnreadableDocument):
    """A file named as text holds binary data."""


class UnknownEncoding(UnreadableDocument):
    """A text file is neither Unicode (UTF-8, or UTF-16/32 with a byte-order mark) nor Russian in cp1251 or KOI8-R."""
