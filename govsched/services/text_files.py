"""Reading a file a person gives a command (a scenario, a rulebook, indicator values, a roster
document): at most `MAX_FILE_BYTES` of it.

A file past that is no file anyone wrote for govsched: read whole, `/dev/zero` (or a log given
by mistake) filled the memory until the command died of a MemoryError, and YAML of a few
megabytes took minutes to read. It is refused as an OSError naming the file, so each reader's
refusal of a file it cannot read says it in its own words.
"""

from __future__ import annotations

import errno
import io
from pathlib import Path

# The API's default request limit (Settings.max_body_bytes); the largest scenario the project
# ships is about 11 KB. YAML of this size still reads in a few seconds.
MAX_FILE_BYTES = 1 << 20


class FileTooLarge(OSError):
    """A file past the size a command reads."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of `path` (lines ending as `Path.read_text` ends them), reading no more
    than `limit` bytes; FileTooLarge past them, UnicodeDecodeError if it is not UTF-8."""
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        most = f"{limit >> 20} MB" if limit % (1 << 20) == 0 else f"{limit:,} bytes"
        raise FileTooLarge(
            errno.EFBIG,
            f"is larger than {most}, the most a file given to govsched may hold",
            str(path),
        )
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
