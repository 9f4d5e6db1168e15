"""A small registry for concern tests: two members, their focal points and the bodies."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand

SEEDED_AT = datetime(2026, 11, 1, 12, tzinfo=UTC)


def concern_registry() -> list[RegistryCommand]:
    def member(member_id: str, name: str, pillar: Pillar) -> AddMember:
        return AddMember(
            id=member_id,
            name=name,
            pillar=pillar,
            country="Norland",
            joined=date(2015, 3, 1),
            status=MemberStatus.FULL,
            decision="full member since joining",
        )

    def person(person_id: str, member_id: str | None, *roles: Role) -> AddPerson:
        return AddPerson(
            id=person_id,
            name=person_id.replace("-", " ").title(),
            email=f"{person_id}@example.org",
            member=member_id,
            roles=list(roles),
        )

    return [
        member("ngo-watch", "Watch NGO", Pillar.NGO),
        member("co-aurum", "Aurum Mining", Pillar.COMPANY),
        member("gov-norland", "Government of Norland", Pillar.GOVERNMENT),
        member("ngo-forum", "Forum NGO", Pillar.NGO),
        person("nina-ngo", "ngo-watch", Role.FOCAL_POINT),
        person("nick-ngo", "ngo-watch", Role.FOCAL_POINT),
        person("carl-co", "co-aurum", Role.FOCAL_POINT),
        person("olga-gov", "gov-norland", Role.FOCAL_POINT),
        person("chris-chair", "gov-norland", Role.CHAIR, Role.STEERING_COMMITTEE),
        person("sally-sc", "ngo-forum", Role.STEERING_COMMITTEE),
        person("sam-sec", None, Role.SECRETARIAT),
    ]
