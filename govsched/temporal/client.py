"""Connecting to Temporal with the project's data converter and connection settings, and
telling a Temporal that cannot take a call now from any other failure."""

from __future__ import annotations

from datetime import timedelta

from google.protobuf.message import DecodeError
from temporalio.api.errordetails.v1 import (
    MultiOperationExecutionFailure,
    WorkflowNotReadyFailure,
)
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client, TLSConfig, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RetryConfig, RPCError, RPCStatusCode

from govsched.config import OperatorError, Settings
from govsched.temporal.unavailable import ServiceUnavailable as ServiceUnavailable
from govsched.temporal.unreached import bad_address, unreached

# What an RPC answers while the server is down, restarting or cut off.
_UNREACHABLE = frozenset(
    {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED}
)


def unreachable(exc: BaseException) -> bool:
    """Whether `exc` means Temporal could not take the call now, so that the same call, repeated
    shortly with its key, may succeed (as opposed to a refusal or a bug): the server could not
    be reached, or the workflow cannot take an update until its failed task is tried again."""
    if isinstance(exc, WorkflowUpdateRPCTimeoutOrCancelledError):
        return True
    if not isinstance(exc, RPCError):
        return False
    return exc.status in _UNREACHABLE or _not_ready(exc)


def still_starting(exc: RPCError) -> bool:
    """Whether a server answered as one still starting: unreachable, or serving gRPC before it
    registered the service called (UNIMPLEMENTED, "unknown service")."""
    return unreachable(exc) or (
        exc.status == RPCStatusCode.UNIMPLEMENTED and "unknown service" in exc.message
    )


def _not_ready(exc: RPCError) -> bool:
    """The server's "workflow not ready": the workflow's last task failed (its worker died, or a
    loaded machine made it miss the SDK's deadlock limit) and waits for its retry, so an update
    is refused meanwhile (seen under load for a submission's update-with-start, issue 21)."""
    if exc.status != RPCStatusCode.FAILED_PRECONDITION:
        return False
    try:
        details = list(exc.grpc_status.details)
        # update-with-start: each operation's own status inside the server's multi-operation
        for detail in list(details):
            if detail.Is(MultiOperationExecutionFailure.DESCRIPTOR):
                failure = MultiOperationExecutionFailure()
                detail.Unpack(failure)
                details += [inner for status in failure.statuses for inner in status.details]
    except DecodeError:
        return False
    return any(detail.Is(WorkflowNotReadyFailure.DESCRIPTOR) for detail in details)


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
    except RuntimeError as exc:  # the SDK's "Failed client connect: ...", in its core's words
        raise ServiceUnavailable(unreached(settings, str(exc))) from exc
    except ValueError as exc:
        if not str(exc).startswith("invalid target URL"):
            raise
        # the address written cannot be parsed (no port, a broken IPv6 one): no retry will help
        raise OperatorError(bad_address(settings, str(exc))) from exc


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
