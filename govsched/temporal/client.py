"""Connecting to Temporal with the project's data converter and connection settings, and
telling an unreachable Temporal from any other failure."""

from __future__ import annotations

from datetime import timedelta

from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client, TLSConfig, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RetryConfig, RPCError, RPCStatusCode

from governance.kernel.messages import say
from govsched.config import Settings
from govsched.temporal.unavailable import ServiceUnavailable as ServiceUnavailable

# What an RPC answers while the server is down, restarting or cut off.
_UNREACHABLE = frozenset(
    {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED}
)


def unreachable(exc: BaseException) -> bool:
    """Whether `exc` means Temporal could not be reached (as opposed to a refusal or a bug)."""
    if isinstance(exc, WorkflowUpdateRPCTimeoutOrCancelledError):
        return True
    return isinstance(exc, RPCError) and exc.status in _UNREACHABLE


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


async def connect(settings: Settings, *, bounded: bool = False) -> Client:
    """A client for the configured cluster (or the embedded dev server).

    `bounded`: calls give up after `temporal_unavailable_seconds` of an unreachable server
    (the API's and the CLI's clients, which someone waits on), instead of the SDK's 10 s."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    retry = None
    if bounded:
        limit = int(settings.temporal_unavailable_seconds * 1000)
        retry = RetryConfig(max_elapsed_time_millis=limit, max_interval_millis=min(limit, 1000))
    try:
        return await Client.connect(
            settings.temporal_target,
            namespace=settings.temporal_namespace,
            tls=_tls(settings),
            api_key=api_key,
            data_converter=pydantic_data_converter,
            retry_config=retry,
        )
    except RuntimeError as exc:  # the SDK's "Failed client connect: ..."
        raise ServiceUnavailable(
            say(
                "Temporal cannot be reached at %(target)s (%(error)s)",
                target=settings.temporal_target,
                error=str(exc),
            )
        ) from exc


async def reachable(client: Client, within: timedelta) -> bool:
    """Whether the server answers a trivial call `within` the time (one try, no retries)."""
    try:
        await client.workflow_service.get_system_info(
            GetSystemInfoRequest(), retry=False, timeout=within
        )
    except RPCError as exc:
        if exc.status in _UNREACHABLE:
            return False
        raise
    return True
