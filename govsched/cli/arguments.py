"""What the command modules share about arguments: a year, a day, and writing an output path.

- **A year** is checked as the command line reads it, against the bounds every model puts on a
  year (1990 to 2200, governance.kernel.model): a year out of them is refused naming the
  argument, exit status 2, before it reaches a query (SQLite cannot even hold
  `99999999999999999999999`) or a workflow.
- **An output** that cannot be written (a missing folder, no permission, a full disk) is told
  in one sentence naming the path, the argument and the system's reason, exit status 1.

main.py does not import this module at its top: its own commands load nothing they do not run.
"""

from __future__ import annotations

import argparse
import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from govsched.config import OperatorError

FIRST_YEAR, LAST_YEAR = 1990, 2200
D = TypeVar("D", date, datetime)


def _whole(what: str, least: int, most: int) -> Callable[[str], int]:
    """An argparse `type`: a whole number from `least` to `most`, refused naming `what`."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not {what}") from None
        if not least <= value <= most:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not {what} from {least} to {most}")
        return value

    return read


# a year as every model bounds one
year = _whole("a year", FIRST_YEAR, LAST_YEAR)
# ten years of days: past it a span says nothing, and far past it no date is (10**20 days
# ahead was an OverflowError)
days = _whole("a number of days", 1, 3660)


def _dated(parse: Callable[[str], D], what: str, shape: str) -> Callable[[str], D]:
    """An argparse `type`: a day (or a day and time) in a year every model takes, refused in
    words naming `what` (argparse's own words named Python's `fromisoformat`, and a day in
    year 9999 reached the rules and came back as an OverflowError)."""

    def read(text: str) -> D:
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not {what} ({shape})") from None
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise argparse.ArgumentTypeError(
                f"{text[:40]!r} is not {what} from {FIRST_YEAR} to {LAST_YEAR}"
            )
        return value

    return read


day = _dated(date.fromisoformat, "a day", "YYYY-MM-DD")
moment = _dated(datetime.fromisoformat, "a date and time", "YYYY-MM-DDTHH:MM")


class OutputUnwritable(OperatorError):
    """An output path the system refuses to write (shown as one sentence, exit status 1)."""


@contextmanager
def writing(path: Path | str, argument: str) -> Iterator[None]:
    """Tell an OSError writing `path` (given as `argument`), or a folder on its way or a file in
    it, as OutputUnwritable; any other error passes through untouched."""
    try:
        yield
    except OSError as exc:
        failed = _failed_path(exc)
        target = Path(path).absolute()
        if failed is None or not (failed.is_relative_to(target) or target.is_relative_to(failed)):
            raise
        reason = exc.strerror or str(exc)
        shown = os.fsdecode(exc.filename)
        raise OutputUnwritable(f"cannot write {shown} ({argument}): {reason}") from exc


def _failed_path(exc: OSError) -> Path | None:
    """The path `exc` names, if it names one."""
    if not isinstance(exc.filename, str | bytes | os.PathLike):
        return None
    return Path(os.fsdecode(exc.filename)).absolute()


def could_hold(folder: Path) -> None:
    """Raise what making `folder` and writing in it would raise, without making it: a file
    where it or a folder above it should be, or a folder above it this process may not write
    in (the `writing` context above turns either into its sentence)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing == folder and not folder.is_dir():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
