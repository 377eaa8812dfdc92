"""The HTTP service: a FastAPI application over the same plain functions as the CLI."""
