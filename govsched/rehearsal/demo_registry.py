"""A fictional registry shaped like the VPI, for `make run` and for trying things out.

About 12 governments, 36 companies, 16 NGOs and 10 observers, a Secretariat, a Government Chair
and a Steering Committee with three seats per pillar. Every name is invented; the same call
always gives the same registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import cycle, islice

from governance.kernel.model import MemberStatus, Pillar, Role, SteeringCommitteeSeat
from governance.registry.changes import (
    AddMember,
    AddPerson,
    RegistryCommand,
    SchedulePlenary,
    SetChair,
)

COUNTRIES = [
    "Norland",
    "Estavia",
    "Korvania",
    "Lusmark",
    "Pelagonia",
    "Sarnova",
    "Tivaldi",
    "Ubrecht",
    "Valdoria",
    "Westmarch",
    "Yssel",
    "Calderra",
]
_COMPANY_STEMS = [
    "Aurum",
    "Basalt",
    "Cobalt Ridge",
    "Delta Bay",
    "Ember",
    "Fjordline",
    "Granite Peak",
    "Helios",
    "Iron Crest",
    "Jadeite",
    "Kestrel",
    "Lumen",
]
_COMPANY_KINDS = ["Mining", "Energy", "Resources"]
_NGO_NAMES = [
    "Rights Watch Collective",
    "Centre for Security and Rights",
    "Community Voices Network",
    "Fund for Accountability",
    "Land and Dignity Alliance",
    "Justice Without Borders",
    "Open Extractives Forum",
    "Indigenous Peoples Rights Circle",
    "Women in Mining Rights",
    "Peace and Resources Institute",
    "Transparency Coalition",
    "Grievance Access Project",
    "Rule of Law Partners",
    "Civic Space Trust",
    "Environmental Defenders League",
    "Local Monitors Association",
]
_OBSERVER_NAMES = [
    "Organisation for Economic Dialogue",
    "International Committee for Humanitarian Law",
    "Centre for Security Sector Governance",
    "Global Energy Industry Association",
    "Mining and Metals Council",
    "Regional Development Bank",
    "Human Rights Training Institute",
    "Oil and Gas Practice Forum",
    "Security Standards Association",
    "Responsible Supply Network",
]
_FIRST = [
    "Amina",
    "Jonas",
    "Lea",
    "Mateo",
    "Priya",
    "Kwame",
    "Sofia",
    "Tomas",
    "Ines",
    "Ravi",
    "Hana",
    "Omar",
    "Elena",
    "Yusuf",
    "Mira",
    "Diego",
    "Aiko",
    "Lucas",
    "Nadia",
    "Felix",
]
_LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Santos",
    "Iyer",
    "Mensah",
    "Rossi",
    "Novak",
    "Haddad",
    "Kowalski",
    "Tanaka",
    "Fischer",
    "Abebe",
    "Duarte",
    "Larsen",
    "Chen",
    "Ortiz",
]

CHAIR_MEMBER = "gov-norland"
_ENGAGED = {
    "gov-yssel",
    "gov-calderra",
    "co-kestrel-resources",
    "co-lumen-mining",
    "co-jadeite-energy",
    "co-lumen-resources",
    "ngo-civic-space-trust",
    "ngo-local-monitors-association",
}
_STEERING = {
    Pillar.GOVERNMENT: ["gov-norland", "gov-estavia", "gov-korvania"],
    Pillar.COMPANY: ["co-aurum-mining", "co-basalt-energy", "co-helios-resources"],
    Pillar.NGO: [
        "ngo-rights-watch-collective",
        "ngo-fund-for-accountability",
        "ngo-justice-without-borders",
    ],
}


def _slug(text: str) -> str:
    return "-".join(text.lower().replace(",", "").split())


@dataclass(frozen=True)
class DemoRegistry:
    members: list[AddMember]
    people: list[AddPerson]
    plenaries: list[SchedulePlenary]
    chair_terms: list[SetChair]
    seats: list[SteeringCommitteeSeat]

    def commands(self) -> list[RegistryCommand]:
        """Everything but the seats, in an order each command's references already exist."""
        return [*self.members, *self.people, *self.chair_terms, *self.plenaries]


def _members() -> list[AddMember]:
    members = []
    for i, country in enumerate(COUNTRIES):
        members.append(
            AddMember(
                id=f"gov-{_slug(country)}",
                name=f"Government of {country}",
                pillar=Pillar.GOVERNMENT,
                country=country,
                joined=date(2005 + i, 3, 20),
            )
        )
    countries = cycle(COUNTRIES)
    for i, (stem, kind) in enumerate((s, k) for k in _COMPANY_KINDS for s in _COMPANY_STEMS):
        members.append(
            AddMember(
                id=f"co-{_slug(stem)}-{kind.lower()}",
                name=f"{stem} {kind}",
                pillar=Pillar.COMPANY,
                country=next(countries),
                joined=date(2008 + i % 16, 5, 1),
                group=f"{stem} Group",
            )
        )
    for i, name in enumerate(_NGO_NAMES):
        members.append(
            AddMember(
                id=f"ngo-{_slug(name)}",
                name=name,
                pillar=Pillar.NGO,
                country=COUNTRIES[(i * 5) % len(COUNTRIES)],
                joined=date(2006 + i, 4, 10),
            )
        )
    for i, name in enumerate(_OBSERVER_NAMES):
        members.append(
            AddMember(
                id=f"obs-{_slug(name)}",
                name=name,
                pillar=Pillar.OBSERVER,
                country="International",
                joined=date(2010 + i, 9, 15),
            )
        )
    return [
        m.model_copy(update={"status": MemberStatus.ENGAGED, "decision": "admitted as engaged"})
        if m.id in _ENGAGED
        else m.model_copy(update={"decision": "full member since joining"})
        for m in members
    ]


def _people(members: list[AddMember]) -> list[AddPerson]:
    names = islice(((f, last) for last in _LAST for f in _FIRST), 0, None)
    steering = {m for ids in _STEERING.values() for m in ids}
    people = [
        AddPerson(
            id="sec-amina-okafor",
            name="Amina Okafor",
            email="amina.okafor@secretariat.example",
            roles=[Role.SECRETARIAT],
        ),
        AddPerson(
            id="sec-jonas-lindqvist",
            name="Jonas Lindqvist",
            email="jonas.lindqvist@secretariat.example",
            roles=[Role.SECRETARIAT],
        ),
    ]
    next(names)
    next(names)
    for member in members:
        first, last = next(names)
        roles = [Role.FOCAL_POINT]
        if member.id in steering:
            roles.append(Role.STEERING_COMMITTEE)
        if member.id == CHAIR_MEMBER:
            roles.append(Role.CHAIR)
        people.append(
            AddPerson(
                id=f"fp-{member.id}",
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}@{member.id}.example",
                member=member.id,
                roles=roles,
            )
        )
    return people


def demo_registry() -> DemoRegistry:
    members = _members()
    return DemoRegistry(
        members=members,
        people=_people(members),
        plenaries=[
            SchedulePlenary(
                year=2026,
                starts=date(2026, 3, 17),
                ends=date(2026, 3, 20),
                location="Estavia City",
                host="gov-estavia",
            ),
            SchedulePlenary(
                year=2027,
                starts=date(2027, 3, 16),
                ends=date(2027, 3, 19),
                location="Norland Harbour",
                host=CHAIR_MEMBER,
            ),
        ],
        chair_terms=[
            SetChair(member="gov-estavia", starts=date(2025, 3, 21), ends=date(2026, 3, 21)),
            SetChair(member=CHAIR_MEMBER, starts=date(2026, 3, 21), ends=date(2027, 3, 20)),
        ],
        seats=_seats(),
    )


def _seats() -> list[SteeringCommitteeSeat]:
    """Two-year seats, staggered: the first seat of each pillar renews in odd years."""
    seats = []
    for pillar, member_ids in _STEERING.items():
        for i, member_id in enumerate(member_ids):
            start_year = 2025 if i % 2 == 0 else 2026
            seats.append(
                SteeringCommitteeSeat(
                    member=member_id,
                    pillar=pillar,
                    starts=date(start_year, 3, 21),
                    ends=date(start_year + 2, 3, 21),
                )
            )
    return seats
