"""Once-a-year work over the whole membership, in a process of its own started for it.

The roster's draw and the peer-review assignment each hold every member (and the assignment
every report, candidate and review) at once, and the assignment loads numpy, OR-Tools and
pandas (about 75 MiB once imported). In the always-on activities worker that memory would stay
for good, since an interpreter rarely hands freed memory back: at 20,000 members the two made
the worker's peak grow by about 13 MiB per 1,000 members (docs/deploy.md). So `govsched worker`
hands such a job to `python -m activities.own_process`, which opens the database itself, does
the job in its own transactions and answers only what the activity needs next; its memory ends
with it. Each job is idempotent, as the activity that runs it is: a retry after a lost answer
finds the job's writes and answers the same.

Input and output cross the pipe pickled: both ends are this project's code on the same
interpreter, and a child only runs the jobs named in `JOBS`.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import pickle
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

# The jobs a child runs, by name: "module:function", imported only in the child, each called as
# function(database, *arguments).
JOBS = {
    "draw-roster": "activities.roster:draw_presenters",
    "assign-reviews": "activities.review_assignment:assign_reviews",
}


class OwnProcessFailed(RuntimeError):
    """The job's process ended without an answer (killed, out of memory, a crash)."""


@dataclass(frozen=True)
class Done:
    value: Any
    seconds: float
    peak_mib: float  # the job process's own peak resident set


def run_in_own_process(job: str, database_url: str, *arguments: object) -> Done:
    """`JOBS[job](Database.from_url(database_url), *arguments)` in a child process; what it
    raised is raised here.

    The caller keeps heartbeating while this waits. If the worker dies meanwhile, the child is
    ended with it (`_end_with`), its transaction rolled back; the activity is retried
    elsewhere and runs the job again, which finds whatever the child had committed."""
    if job not in JOBS:
        raise ValueError(f"no such job: {job}")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "activities.own_process", str(os.getpid())],
        input=pickle.dumps((job, database_url, arguments), protocol=pickle.HIGHEST_PROTOCOL),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise OwnProcessFailed(
            f"the {job} process exited with status {done.returncode}: "
            + (" | ".join(tail) or "no output")
        )
    outcome, value, peak_kib = pickle.loads(done.stdout)  # our own child's answer
    if outcome == "raised":
        raise value
    return Done(value, time.perf_counter() - started, peak_kib / 1024)


def _answer(outcome: str, value: object) -> bytes:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        return pickle.dumps((outcome, value, peak_kib), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an error the pipe cannot carry (a driver's, say): its words
        error = OwnProcessFailed(f"{type(value).__name__}: {value} ({exc})")
        return pickle.dumps(("raised", error, peak_kib), protocol=pickle.HIGHEST_PROTOCOL)


# prctl's option: the signal this process gets when the thread that started it ends.
_PR_SET_PDEATHSIG = 1


def _end_with(parent: int) -> None:
    """Have the kernel kill this process when the worker that started it dies (Linux). A job
    left running after its worker was killed would race the retry that another worker starts
    for the same job; elsewhere the job runs on and its retry finds its writes."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _serve(parent: int) -> None:
    """The child: read (job, database URL, arguments), write ("done", value, peak) or
    ("raised", error, peak)."""
    _end_with(parent)
    from govsched.persistence.db import Database

    job, url, arguments = pickle.loads(sys.stdin.buffer.read())  # our own parent's input
    module, name = JOBS[job].split(":")
    function = getattr(importlib.import_module(module), name)
    db = Database.from_url(url)
    try:
        answer = _answer("done", function(db, *arguments))
    except Exception as exc:  # handed to the parent, which raises it in the activity
        answer = _answer("raised", exc)
    finally:
        db.dispose()
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
