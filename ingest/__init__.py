"""Ingest: documents to validated graphs with provenance (read, segment, extract, resolve, build)."""
