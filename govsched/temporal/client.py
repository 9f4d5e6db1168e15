"""Connecting to Temporal with the project's data converter and connection settings."""

from __future__ import annotations

from temporalio.client import Client, TLSConfig
from temporalio.contrib.pydantic import pydantic_data_converter

from govsched.config import Settings


def _tls(settings: Settings) -> TLSConfig | bool:
    files = (
        settings.temporal_tls_client_cert,
        settings.temporal_tls_client_key,
        settings.temporal_tls_server_ca,
    )
    if not any(files):
        return settings.temporal_tls or settings.temporal_api_key is not None
    cert, key, ca = (path.read_bytes() if path else None for path in files)
    return TLSConfig(client_cert=cert, client_private_key=key, server_root_ca_cert=ca)


async def connect(settings: Settings) -> Client:
    """A client for the configured cluster (or the embedded dev server)."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        tls=_tls(settings),
        api_key=api_key,
        data_converter=pydantic_data_converter,
    )
