"""Processor time of a process tree, read from /proc, and the cores a benchmark's parts run on.

A benchmark that runs a stack of processes next to its own load generators measures the
stack's processor seconds before and after a phase: what the stack spent per action, which
neither the load generators nor other work on the machine can inflate. Each process of the
tree is counted under the part (a direct child of the root) it descends from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, processor seconds so far) of a live process; None once it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name is in brackets and may hold spaces: the fields start after the last ")"
    fields = raw.rpartition(")")[2].split()
    parent, user, system = int(fields[1]), int(fields[11]), int(fields[12])
    return parent, (user + system) / TICKS


def _command(pid: int) -> list[str]:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def tree_cpu(root: int, part_of: Callable[[list[str]], str]) -> dict[int, tuple[str, float]]:
    """Every live process under `root` (itself included): its part's name and its seconds.

    `part_of` names a part from the command line of the root's direct child it belongs to; the
    root itself is "supervisor".
    """
    stats = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                stats[int(entry.name)] = stat
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    found: dict[int, tuple[str, float]] = {}
    if root in stats:
        found[root] = ("supervisor", stats[root][1])
    for child in children.get(root, []):
        name = part_of(_command(child))
        waiting = [child]
        while waiting:
            pid = waiting.pop()
            found[pid] = (name, stats[pid][1])
            waiting.extend(children.get(pid, []))
    return found


def spent(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """Seconds each part spent between two readings (a process started between them counts
    from zero; one that ended between them is lost, which short-lived helpers make small)."""
    parts: dict[str, float] = {}
    for pid, (name, seconds) in after.items():
        earlier = before.get(pid)
        parts[name] = parts.get(name, 0.0) + seconds - (earlier[1] if earlier else 0.0)
    return parts


def split_cores() -> tuple[set[int], set[int]] | None:
    """(the stack's core, the load's cores) from the cores this process may use; None with one."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    return {cores[0]}, set(cores[1:])


@contextmanager
def running_on(cores: set[int] | None) -> Iterator[None]:
    """This process (and what it forks or starts meanwhile) on `cores`; as before afterwards."""
    if cores is None:
        yield
        return
    previous = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cores)
    try:
        yield
    finally:
        os.sched_setaffinity(0, previous)


def pin(pid: int, cores: set[int]) -> None:
    """Every thread of process `pid` on `cores` (an affinity set on a process holds only for
    its thread of that id; threads and processes started afterwards inherit their starter's)."""
    for task in (PROC / str(pid) / "task").iterdir():
        try:
            os.sched_setaffinity(int(task.name), cores)
        except ProcessLookupError:  # a thread that ended meanwhile
            continue


def children_running(parent: int, name: str) -> list[int]:
    """The live child processes of `parent` whose program's file name contains `name`."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat_with_reaped(int(entry.name))
            command = _command(int(entry.name)) if stat is not None and stat[0] == parent else []
            if command and name in Path(command[0]).name:
                found.append(int(entry.name))
    return found


def _stat_with_reaped(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own processor seconds, seconds of its children it has waited for)."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = raw.rpartition(")")[2].split()
    own = (int(fields[11]) + int(fields[12])) / TICKS
    reaped = (int(fields[13]) + int(fields[14])) / TICKS
    return int(fields[1]), own, reaped


def parts_cpu(root: int, part_of: Callable[[list[str]], str]) -> dict[str, float]:
    """Processor seconds so far of each part under `root`: every live process of the part, and
    every process of it that has ended and been waited for (a short-lived child's time moves to
    its parent's account when it is reaped, so the sum goes on growing across the move and the
    difference of two readings counts such a child once, wherever it ran). The root is
    "supervisor", with its own time only: the parts it has reaped belong to earlier readings.
    """
    stats = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat_with_reaped(int(entry.name))
            if stat is not None:
                stats[int(entry.name)] = stat
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    parts: dict[str, float] = {}
    if root in stats:
        parts["supervisor"] = stats[root][1]
    for child in children.get(root, []):
        name = part_of(_command(child))
        waiting = [child]
        while waiting:
            pid = waiting.pop()
            _, own, reaped = stats[pid]
            parts[name] = parts.get(name, 0.0) + own + reaped
            waiting.extend(children.get(pid, []))
    return parts


def difference(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Seconds each part spent between two readings of `parts_cpu` (a part that ended between
    them is lost: read before stopping a part)."""
    return {name: seconds - before.get(name, 0.0) for name, seconds in after.items()}
