"""The banner `govsched run` prints once it is ready, in one piece."""

from __future__ import annotations

import pytest

import govsched.stack as stack
from govsched.config import Settings


class _Writes:
    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_the_banner_is_one_write_ending_with_its_newline(monkeypatch: pytest.MonkeyPatch) -> None:
    # the worker's notifications share the terminal; with unbuffered output a second write
    # for the newline let one of them land on the ready line (and tests wait for that line)
    out = _Writes()
    monkeypatch.setattr("sys.stdout", out)

    stack._announce(Settings())

    (banner,) = out.writes
    assert banner.endswith("\nPress Ctrl-C to stop.\n")
    assert banner.startswith("govsched is running:\n")
