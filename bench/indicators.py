"""Impact indicators (issue 22) for generated registries of 80, 2,000 and 20,000 members.

For each size, on one SQLite database as `make run` keeps it:

- baseline: every member's plain annual report of 2027 submitted through `ReportService`, the
  call the API makes (each one transaction with its audit entry; before the reviewers are
  assigned no workflow is told, so no Temporal server is needed);
- the same for 2028 with the member's indicator values in the report (checked against the
  DEFAULT set and written in the report's transaction);
- aggregating 2028: every table per pillar, indicator and country, as the Secretariat sees it
  (whole) and as everyone else does (suppressed), and the CSV export.

Reported as ratios to the plain submission of the same registry in the same run.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from temporalio.client import Client

from bench.report import machine, write_section
from bench.report_cycle import START, registry
from governance.kernel.model import Pillar
from governance.registry.changes import AddMember, AddPerson, SchedulePlenary
from governance.reports.cycle import ReportKind, SubmitReport
from governance.reports.indicators.suppression import Audience
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.services.indicator_exports import csv_export
from govsched.services.indicators import IndicatorService
from govsched.services.reports import ReportService

YEARS = (2027, 2028)
SUBMITTED_AT = {
    2027: datetime(2027, 2, 1, 12, tzinfo=UTC),
    2028: datetime(2028, 2, 1, 12, tzinfo=UTC),
}
PLANS = ["none", "in preparation", "adopted", "under revision"]


@dataclass(frozen=True)
class Timed:
    """One pass of submissions: the time it took, and the processor time this process spent
    (what a busy shared machine cannot inflate: waiting for a core is not counted)."""

    wall_s: float
    cpu_s: float


@dataclass(frozen=True)
class Result:
    size: int
    plain: Timed
    with_indicators: Timed
    aggregate_s: float
    export_s: float

    def each(self, timed: Timed) -> str:
        """Milliseconds per submission, elapsed (of processor time)."""
        return f"{timed.wall_s * 1000 / self.size:.1f} ({timed.cpu_s * 1000 / self.size:.1f})"


def values(pillar: Pillar, rnd: random.Random) -> dict[str, Any]:
    """Values the DEFAULT set takes, every required one given."""
    match pillar:
        case Pillar.GOVERNMENT:
            return {
                "national_action_plan": rnd.choice(PLANS),
                "host_government_outreach": rnd.randrange(10),
                "embassies_with_focal_point": str(rnd.randrange(101)),
            }
        case Pillar.COMPANY:
            return {
                "risk_assessments": rnd.randrange(20),
                "sites_arrangements_reviewed": str(rnd.randrange(101)),
                "security_grievances_received": rnd.randrange(8),
                "community_dialogue_on_security": rnd.random() < 0.6,
                "implementation_spend": {"amount": str(rnd.randrange(10**6)), "currency": "USD"},
            }
        case Pillar.NGO:
            return {"field_engagements": rnd.randrange(30), "incidents_monitored": rnd.randrange(9)}
        case _:
            return {}


def _database(size: int, tmp: Path) -> tuple[Database, list[tuple[str, Pillar]]]:
    document = registry(size)
    members = [AddMember.model_validate(m) for m in document["members"]]
    people = [AddPerson.model_validate(p) for p in document["people"]]
    plenaries = [
        SchedulePlenary(year=y, starts=date(y, 6, 8), ends=date(y, 6, 11), location="Bench")
        for y in YEARS
    ]
    url = f"sqlite:///{tmp / f'indicators-{size}.db'}"
    upgrade(url)
    db = Database.from_url(url)
    with db.writing() as session:
        seed(session, [*members, *people, *plenaries], START, Rulebook())
    return db, [(m.id, m.pillar) for m in members]


async def _submit(
    service: ReportService, year: int, members: list[tuple[str, Pillar]], indicators: bool
) -> Timed:
    rnd = random.Random(year)
    at = SUBMITTED_AT[year]
    started, cpu = time.perf_counter(), time.process_time()
    for i, (member, pillar) in enumerate(members):
        command = SubmitReport(
            year=year,
            member=member,
            by=f"fp-{member}",
            # taken whichever kind is due (an update is refused when a full report is)
            kind=ReportKind.FULL,
            url=f"https://bench.example/{member}-{year}.pdf",
            indicators=values(pillar, rnd) if indicators else None,
        )
        await service.submit_report(command, at + timedelta(seconds=i))
    return Timed(time.perf_counter() - started, time.process_time() - cpu)


def measure(size: int) -> Result:
    rulebook = Rulebook()
    with tempfile.TemporaryDirectory(prefix="bench-indicators-") as tmp:
        db, members = _database(size, Path(tmp))
        try:
            # no workflow is told before reviewers are assigned: the client is never used
            reports = ReportService(cast(Client, None), db, rulebook, "bench")
            plain = asyncio.run(_submit(reports, YEARS[0], members, indicators=False))
            with_values = asyncio.run(_submit(reports, YEARS[1], members, indicators=True))
            service = IndicatorService(db, rulebook)
            started = time.perf_counter()
            for audience in Audience:
                service.tables(YEARS[1], audience)
            aggregate = time.perf_counter() - started
            started = time.perf_counter()
            csv_export(db, rulebook, YEARS[1])
            export = time.perf_counter() - started
        finally:
            db.dispose()
    return Result(size, plain, with_values, aggregate, export)


def _largest(results: list[Result]) -> str:
    """This run's per-submission cost at its largest registry, against the first runs'."""
    r = max(results, key=lambda r: r.size)
    return (
        f"in this run a plain submission took {r.plain.wall_s * 1000 / r.size:.1f} ms at "
        f"{r.size:,} members ({r.plain.cpu_s * 1000 / r.size:.1f} ms of processor time), one "
        f"with indicator values {r.with_indicators.wall_s * 1000 / r.size:.1f} ms."
    )


def report(results: list[Result]) -> str:
    lines = [
        "## Impact indicators: submitting with the report, aggregating, exporting",
        "",
        f"Machine: {machine()}.",
        "",
        "Method: a generated registry in the VPI's pillar mix (one focal point each) on SQLite "
        "as `make run` keeps it; every member submits its plain 2027 report through "
        "`ReportService` (the baseline), then its 2028 report with the DEFAULT set's indicator "
        "values in it; then every 2028 table per pillar, indicator and country is built for the "
        "Secretariat (whole) and for everyone else (suppressed), and the CSV export is written. "
        "One round; ratios to the plain submission of the same registry.",
        "",
        "| members | plain reports s | ms each (CPU) | with indicators s | ms each (CPU) "
        "| ratio (CPU) | aggregate s | ratio | CSV export s | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        plain, values = r.plain, r.with_indicators
        lines.append(
            f"| {r.size:,} | {plain.wall_s:.1f} | {r.each(plain)} | {values.wall_s:.1f} | "
            f"{r.each(values)} | {values.wall_s / plain.wall_s:.2f} "
            f"({values.cpu_s / plain.cpu_s:.2f}) | {r.aggregate_s:.2f} | "
            f"{r.aggregate_s / plain.wall_s:.3f} | {r.export_s:.2f} | "
            f"{r.export_s / plain.wall_s:.3f} |"
        )
    lines += [
        "",
        "A submission with indicators checks each value against the year's set and writes one "
        "more row (and its audit entry) in the report's own transaction. Aggregating reads the "
        "year's submitted values once, types them again by their set version and sums them per "
        "country; suppression then works per table, so both grow with the members, not with "
        "their square.",
        "",
        "What changed since the first runs: they measured about 100 ms per plain submission "
        "(57 ms each at 80 members, 98 ms at 2,000), read as a submission growing with the "
        "registry, which put 20,000 members at an hour. A profile of one submission at 200 and "
        "at 2,000 members found nothing that grows: it sends 13 statements (22 with indicator "
        "values), each finding its rows by a key or an index, and loads the same rows whatever "
        "the registry's size; `tests/services/test_report_submission_cost.py` holds that at 4 "
        "and 40 members. Those runs shared the machine's two cores with the test suite, and "
        "elapsed time counted the waits for a core; the processor time per submission, in "
        "brackets, is what a submission itself costs. The product's code is unchanged: "
        f"{_largest(results)}",
    ]
    return "\n".join(lines)


def main(sizes: tuple[int, ...], write: bool) -> str:
    results = [measure(size) for size in sizes]
    body = report(results)
    if write:
        write_section("indicators", body)
    return body


if __name__ == "__main__":
    print(main(sizes=(80, 2_000, 20_000), write=True))
