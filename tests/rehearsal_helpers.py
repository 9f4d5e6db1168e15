"""Running a small inline scenario through the real rehearsal, and reading its outputs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from govsched.config import Settings
from govsched.rehearsal.driver import RehearsalSummary, rehearse_file

REGISTRY = """
members:
  - {id: gov-norland, name: Government of Norland, pillar: government, country: Norland}
  - {id: gov-estavia, name: Government of Estavia, pillar: government, country: Estavia}
  - {id: co-aurum, name: Aurum Mining, pillar: company, country: Norland}
people:
  - {id: sec, name: Amina Okafor, email: sec@example.org, roles: [secretariat]}
  - {id: sc-1, name: Lea Moreau, email: sc1@example.org, member: gov-norland,
     roles: [focal_point, steering_committee, chair]}
  - {id: sc-2, name: Ravi Iyer, email: sc2@example.org, member: co-aurum,
     roles: [focal_point, steering_committee]}
  - {id: fp-estavia, name: Ines Santos, email: ines@example.org, member: gov-estavia,
     roles: [focal_point]}
"""


@dataclass
class Outputs:
    summary: RehearsalSummary
    state: dict[str, Any]
    notifications: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    out: Path

    def application(self, application_id: str) -> dict[str, Any]:
        found: dict[str, Any] = next(
            a for a in self.state["applications"] if a["id"] == application_id
        )
        return found

    def member(self, member_id: str) -> dict[str, Any]:
        found: dict[str, Any] = next(m for m in self.state["members"] if m["id"] == member_id)
        return found

    def texts(self, kind: str | None = None) -> list[str]:
        return [n["text"] for n in self.notifications if kind is None or n["kind"] == kind]

    def calendar(self, name: str) -> str:
        """The feed's text with folded lines joined again (RFC 5545 unfolding)."""
        raw = (self.out / "calendars" / f"{name}.ics").read_bytes().decode("utf-8")
        return raw.replace("\r\n ", "").replace("\r\n", "\n")


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def run_scenario(
    tmp_path: Path, start: str, until: str, events: list[dict[str, Any]], registry: str = REGISTRY
) -> Outputs:
    """Rehearse `events` on the small registry above; refusals are allowed and reported."""
    document = yaml.safe_load(registry)
    document.update(start=start, until=until, events=events)
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    summary = await rehearse_file(scenario, out, Settings())
    return Outputs(
        summary=summary,
        state=json.loads((out / "state.json").read_text(encoding="utf-8")),
        notifications=_lines(out / "notifications.jsonl"),
        audit=_lines(out / "audit.jsonl"),
        out=out,
    )
