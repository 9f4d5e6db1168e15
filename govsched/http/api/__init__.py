"""The HTTP API (FastAPI): reads from the database, actions through the service layer."""
