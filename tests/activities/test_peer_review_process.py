"""What keeps the always-on worker small: the peer-review solve in a process of its own (the
same plan as in the worker's process, its refusals raised in the worker, a worker that never
loads the solver's libraries), and malloc limited to two arenas."""

from __future__ import annotations

import subprocess
import sys

import pytest

from activities.peer_review_process import plan_in_own_process
from governance.kernel.errors import InvalidInput
from governance.kernel.model import Pillar
from governance.reports.peer_review.assignment import plan_reviews
from governance.reports.peer_review.plan import AssignmentInput, Reviewable
from governance.rulebook.model import Rulebook
from govsched.worker import limit_malloc_arenas

PILLARS = (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO)


def registry(size: int) -> tuple[Reviewable, ...]:
    return tuple(
        Reviewable(member=f"m{i:03d}", pillar=PILLARS[i % 3], country=f"c{i % 7}")
        for i in range(size)
    )


def test_the_solver_process_plans_what_the_worker_would_plan_itself() -> None:
    members = registry(30)
    inp = AssignmentInput(year=2027, seed="peer-review-2027", reports=members, reviewers=members)
    rulebook = Rulebook()

    solved = plan_in_own_process(inp, rulebook)

    assert solved.plan == plan_reviews(inp, rulebook)
    assert len(solved.plan.assignments) == 30 * rulebook.peer_review.reviewers_per_report
    assert solved.peak_mib > 0


def test_a_refusal_in_the_solver_process_is_raised_in_the_worker() -> None:
    members = registry(6)
    twice = (*members, members[0])
    inp = AssignmentInput(year=2027, seed="s", reports=twice, reviewers=members)

    with pytest.raises(InvalidInput) as raised:
        plan_in_own_process(inp, Rulebook())

    assert "m000" in str(raised.value.problems)


def test_the_worker_loads_neither_numpy_nor_or_tools() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, govsched.worker, activities.reports; "
            "roots = {m.split('.')[0] for m in sys.modules}; "
            "print(sorted(roots & {'numpy', 'ortools', 'pandas'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_glibc_takes_the_limit_on_malloc_arenas() -> None:
    # this machine's libc is glibc: mallopt answers 1 when it takes the setting
    assert limit_malloc_arenas() is True
