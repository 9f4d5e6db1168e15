"""The benchmarks' core pinning (`bench/process_cpu.py`): a process found among this one's
children by its program's name, and every one of its threads moved, not only its first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.process_cpu import children_running, pin

THREADED = (
    "import sys, threading, time\n"
    "for _ in range(3):\n"
    "    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    "print('ready', flush=True)\n"
    "sys.stdin.read()\n"
)


def _allowed(pid: int) -> set[str]:
    return {
        line.split(":", 1)[1].strip()
        for task in Path(f"/proc/{pid}/task").iterdir()
        for line in (task / "status").read_text().splitlines()
        if line.startswith("Cpus_allowed_list:")
    }


def test_every_thread_of_a_child_found_by_name_is_pinned() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", THREADED], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        program = Path(sys.executable).name
        assert child.pid in children_running(os.getpid(), program)
        # a name no child has (not a server's: a test file before this one in the same
        # process may have left its session's Temporal test server running)
        assert children_running(os.getpid(), "no-program-is-named-this") == []
        assert len(list(Path(f"/proc/{child.pid}/task").iterdir())) == 4

        core = min(os.sched_getaffinity(0))
        pin(child.pid, {core})

        assert _allowed(child.pid) == {str(core)}
    finally:
        child.kill()
        child.wait()
