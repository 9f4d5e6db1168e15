"""Who reads which kinds of register entries: the strictest rule of each item's own access."""

from __future__ import annotations

from governance.kernel.model import Role
from governance.kernel.register_access import may_read, readable_kinds


def test_the_secretariat_reads_every_kind_even_one_added_later() -> None:
    assert readable_kinds({Role.SECRETARIAT}) is None
    assert may_read("a_kind_added_next_year", {Role.SECRETARIAT, Role.FOCAL_POINT})


def test_a_new_kind_is_confidential_until_named() -> None:
    for roles in ({Role.CHAIR}, {Role.STEERING_COMMITTEE}, {Role.FOCAL_POINT}, set()):
        assert not may_read("a_kind_added_next_year", roles)


def test_concerns_and_personal_entries_are_the_secretariats_alone() -> None:
    # the audit log names an anonymous filer: no other role reads a concern's entries
    others = ({Role.CHAIR, Role.STEERING_COMMITTEE, Role.FOCAL_POINT}, {Role.FOCAL_POINT})
    for kind in ("concern", "person", "calendar_feed", "notification"):
        for roles in others:
            assert not may_read(kind, roles)


def test_the_chair_reads_the_cycle_but_not_whole_applications() -> None:
    assert may_read("review", {Role.CHAIR})
    assert not may_read("application", {Role.CHAIR})
    assert may_read("application", {Role.STEERING_COMMITTEE})


def test_a_focal_point_reads_the_registrys_public_facts_only() -> None:
    kinds = readable_kinds({Role.FOCAL_POINT})
    assert kinds is not None
    assert {"member", "plenary", "handover", "presentation"} <= kinds
    assert not kinds & {"application", "report", "review", "roster", "concern"}


def test_funding_requests_of_groups_are_read_by_the_secretariat_and_the_committee() -> None:
    assert may_read("icig_funding", {Role.STEERING_COMMITTEE})
    assert may_read("icig_funding", {Role.SECRETARIAT})
    for roles in ({Role.CHAIR}, {Role.FOCAL_POINT}, set()):
        assert not may_read("icig_funding", roles)
