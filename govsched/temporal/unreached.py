"""Why a connection to Temporal failed, in a sentence its operator can act on.

The SDK says it in its core's Rust words (`tonic::transport::Error(Transport, ConnectError(...
Os { code: 111, kind: ConnectionRefused ...`), which the CLI and the worker's log showed as they
were. The sentence names the address tried, what went wrong in plain words, and what to check;
the SDK's own words stay on the exception's cause (`--debug` shows them).
"""

from __future__ import annotations

from governance.kernel.messages import N_, Message, say, term
from govsched.config import Settings

# Words of the SDK's message, each with what they mean; the first found is said.
_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("dns error", "failed to lookup address"), N_("no computer of that name was found")),
    (("ConnectionRefused", "Connection refused"), N_("nothing answers at that address")),
    (
        ("InvalidCertificate", "InvalidContentType", "certificate", "tls", "TLS", "handshake"),
        N_("a secure (TLS) connection could not be made"),
    ),
    (("get_system_info",), N_("what answers there is not a Temporal server")),
    (("timed out", "TimedOut", "deadline"), N_("it did not answer in time")),
)


def unreached(settings: Settings, sdk_words: str) -> Message:
    """The sentence for a failed connection to `settings`' Temporal, from the SDK's words."""
    return say(
        "Temporal cannot be reached at %(target)s: %(reason)s. %(advice)s",
        target=settings.temporal_target,
        reason=term(_reason(sdk_words)),
        advice=term(_advice(settings)),
    )


def _reason(sdk_words: str) -> Message:
    for words, reason in _REASONS:
        if any(word in sdk_words for word in words):
            return say(reason)
    return say("the connection failed")


def _advice(settings: Settings) -> Message:
    if settings.embedded_temporal:
        return say(
            "Start govsched with `govsched run` (or `make run`), or set "
            "GOVSCHED_TEMPORAL_ADDRESS to your Temporal's address."
        )
    return say(
        "Check that Temporal is running there and that GOVSCHED_TEMPORAL_ADDRESS (and "
        "GOVSCHED_TEMPORAL_TLS, for a secure connection) are right."
    )


def bad_address(settings: Settings, sdk_words: str) -> str:
    """An address the SDK cannot even parse (`host:port` with no port, a broken IPv6 one)."""
    detail = sdk_words.removeprefix("invalid target URL: ")
    return (
        f"GOVSCHED_TEMPORAL_ADDRESS ({settings.temporal_target!r}) is not an address Temporal "
        f"can be reached at ({detail}): write host:port, like 127.0.0.1:7233"
    )
