"""A fictional registry shaped like the VPI, for `make run` and for trying things out.

About 12 governments, 36 companies, 16 NGOs and 10 observers, a Secretariat, a Government Chair
and a Steering Committee with three seats per pillar. Every name is invented; the same call
always gives the same registry.

`demo_registry()` has fixed dates (2026-2027), for tests that name them. `demo_registry(today)`
places the same registry around `today`, as `make run` loads it: the last annual plenary about
nine months ago, the next one about eleven weeks ahead (its roster is drawn and open to
deferrals, reports are due in about five weeks, the Chair's handover is being prepared), and the
Engaged members admitted recently enough that none of their deadlines has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
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
SECRETARIAT = "sec-amina-okafor"
SC_MEMBER = "fp-gov-estavia"
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


def _members(today: date | None) -> list[AddMember]:
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
    engaged = sorted(_ENGAGED)
    return [
        m.model_copy(
            update={
                "status": MemberStatus.ENGAGED,
                "decision": "admitted as engaged",
                "joined": m.joined if today is None else _recently(today, engaged.index(m.id)),
            }
        )
        if m.id in _ENGAGED
        else m.model_copy(update={"decision": "full member since joining"})
        for m in members
    ]


def _recently(today: date, rank: int) -> date:
    """An Engaged member's admission: within the last two years, so that its Engaged period
    (DEFAULT: until 31 December of the third calendar year after) is running, not lapsed."""
    return today - timedelta(days=120 + 75 * rank)


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


def demo_registry(today: date | None = None) -> DemoRegistry:
    members = _members(today)
    if today is not None:
        return _around(today, members)
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


def _seats(last_handover: date = date(2026, 3, 21)) -> list[SteeringCommitteeSeat]:
    """Two-year seats from a plenary's handover, staggered: half of them renew each year."""
    seats = []
    for pillar, member_ids in _STEERING.items():
        for i, member_id in enumerate(member_ids):
            starts = _years_later(last_handover, -1 if i % 2 == 0 else 0)
            seats.append(
                SteeringCommitteeSeat(
                    member=member_id,
                    pillar=pillar,
                    starts=starts,
                    ends=_years_later(starts, 2),
                )
            )
    return seats


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


# The next plenary opens this many days after today, on a Tuesday: inside the window where its
# roster is drawn (DEFAULT 90 days before) and deferrals may still be asked (21 days more).
NEXT_PLENARY_AFTER_DAYS = 77
PLENARY_DAYS = 4


def _around(today: date, members: list[AddMember]) -> DemoRegistry:
    earliest = today + timedelta(days=NEXT_PLENARY_AFTER_DAYS)
    next_starts = earliest + timedelta(days=(1 - earliest.weekday()) % 7)
    last_starts = next_starts - timedelta(weeks=52)
    if last_starts.year == next_starts.year:  # one annual plenary per year
        last_starts -= timedelta(weeks=1)
    last_ends = last_starts + timedelta(days=PLENARY_DAYS - 1)
    next_ends = next_starts + timedelta(days=PLENARY_DAYS - 1)
    # a Chair's term runs from the day after one plenary to the day after the next
    handed_over = last_ends + timedelta(days=1)
    return DemoRegistry(
        members=members,
        people=_people(members),
        plenaries=[
            SchedulePlenary(
                year=last_starts.year,
                starts=last_starts,
                ends=last_ends,
                location="Estavia City",
                host="gov-estavia",
            ),
            SchedulePlenary(
                year=next_starts.year,
                starts=next_starts,
                ends=next_ends,
                location="Norland Harbour",
                host=CHAIR_MEMBER,
            ),
        ],
        chair_terms=[
            SetChair(
                member="gov-estavia",
                starts=handed_over - (next_ends - last_ends),
                ends=handed_over,
            ),
            SetChair(member=CHAIR_MEMBER, starts=handed_over, ends=next_ends + timedelta(days=1)),
        ],
        seats=_seats(handed_over),
    )
