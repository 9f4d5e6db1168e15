"""HTTP: one FastAPI app that mounts the API (api/) and the web workspace (web/)."""
