"""The peer-review solve in a process of its own, started for one assignment and gone after it.

The solve brings numpy, OR-Tools and pandas (about 75 MiB resident once imported) and at 20,000
members takes about 100 MiB more while it runs, once a year. In the always-on activities worker
that memory would stay for good (an interpreter rarely hands freed memory back), so the worker
hands the input to `python -m activities.peer_review_process` and reads the plan back: the worker
never imports the solver, and the solver's memory ends with its process (docs/deploy.md).

Input and output cross the pipe pickled: both ends are this project's code on the same
interpreter, and the models are the governance layer's own frozen pydantic models.
"""

from __future__ import annotations

import pickle
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.reports.peer_review.assignment import AssignmentInput, ReviewPlan
    from governance.rulebook.model import Rulebook


class SolverProcessFailed(RuntimeError):
    """The solver's process ended without a plan (killed, out of memory, a crash)."""


@dataclass(frozen=True)
class Solved:
    plan: ReviewPlan
    seconds: float
    peak_mib: float  # the solver process's own peak resident set


def plan_in_own_process(inp: AssignmentInput, rulebook: Rulebook) -> Solved:
    """`plan_reviews(inp, rulebook)`, computed in a child process; its exceptions raised here.

    The caller keeps heartbeating while this waits (activities/keepalive.py). If the worker dies
    meanwhile, the child finds its pipe closed when it answers and ends; the activity is retried
    elsewhere and solves again from the same input, to the same plan."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "activities.peer_review_process"],
        input=pickle.dumps((inp, rulebook), protocol=pickle.HIGHEST_PROTOCOL),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise SolverProcessFailed(
            f"the peer-review solver process exited with status {done.returncode}: "
            + (" | ".join(tail) or "no output")
        )
    outcome, value, peak_kib = pickle.loads(done.stdout)  # our own child's answer
    if outcome == "raised":
        raise value
    return Solved(value, time.perf_counter() - started, peak_kib / 1024)


def _serve() -> None:
    """The child: read (input, rulebook), write ("plan", plan, peak) or ("raised", error, peak)."""
    from governance.reports.peer_review.assignment import plan_reviews

    inp, rulebook = pickle.loads(sys.stdin.buffer.read())  # our own parent's input
    answer: tuple[str, object]
    try:
        answer = ("plan", plan_reviews(inp, rulebook))
    except Exception as exc:  # handed to the parent, which raises it in the activity
        answer = ("raised", exc)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.buffer.write(pickle.dumps((*answer, peak_kib), protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve()
