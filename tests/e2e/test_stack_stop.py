"""How `govsched run` stops its parts on Ctrl-C, shown with stand-in processes whose answer to
SIGTERM the test chooses: every part but Temporal is asked at once, Temporal only after them,
and a part that does not stop by the deadline is killed. The README's "within 5 s" is this
deadline (`STOP_WITHIN_SECONDS`); tests/e2e/test_stack_supervision.py stops the real stack.

The deadlines are shortened here: what is shown is the order and the kill, not a duration."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from govsched import stack

# A part that writes when SIGTERM reached it (nanoseconds of the monotonic clock, shared by the
# processes of one machine), then exits, or ignores the signal if told to.
PART = """
import pathlib, signal, sys, time
mark, stubborn = pathlib.Path(sys.argv[1]), sys.argv[2] == "stubborn"
def asked(_signum, _frame):
    mark.write_text(str(time.monotonic_ns()))
    if not stubborn:
        sys.exit(0)
signal.signal(signal.SIGTERM, asked)
pathlib.Path(sys.argv[1] + ".ready").write_text("")
while True:
    time.sleep(0.05)
"""


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[dict[str, stack.Child]]:
    made: dict[str, stack.Child] = {}
    for name, manner in (("api", "polite"), ("worker", "stubborn"), ("temporal", "polite")):
        argv = [sys.executable, "-c", PART, str(tmp_path / name), manner]
        made[name] = stack.Child(name, argv, {})
    for name in made:  # each handler is in place before any signal is sent
        deadline = time.monotonic() + 60
        while not (tmp_path / f"{name}.ready").exists():
            assert time.monotonic() < deadline, f"the stand-in {name} never started"
            time.sleep(0.05)
    yield made
    for child in made.values():
        if child.process.poll() is None:
            child.process.kill()
            child.process.wait()


def test_the_parts_are_asked_at_once_temporal_last_and_a_stubborn_one_is_killed(
    parts: dict[str, stack.Child], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stack, "STOP_WITHIN_SECONDS", 1.5)
    monkeypatch.setattr(stack, "STOP_TEMPORAL_SECONDS", 0.5)

    stack._stop(list(parts.values()))

    asked = {name: int((tmp_path / name).read_text()) for name in parts}
    codes = {name: child.process.returncode for name, child in parts.items()}
    assert codes == {"api": 0, "worker": -signal.SIGKILL, "temporal": 0}
    # Temporal is asked only once the API and the worker have had their time: the worker hands
    # back the work in hand while Temporal still runs.
    assert asked["temporal"] > max(asked["api"], asked["worker"])
