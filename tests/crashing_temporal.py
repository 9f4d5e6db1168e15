"""A `temporal` CLI that dies the first time it is started, as the dev server does when another
process takes the HTTP API or metrics port it picked at random (temporalio/cli#543), and is the
real one after that: for the tests that show a start survives it."""

from __future__ import annotations

from pathlib import Path

from govsched.config import Settings


def dies_at_its_first_start(folder: Path) -> Path:
    """The script, written in `folder`; a mark beside it records that it has died once."""
    mark, script = folder / "started-once", folder / "temporal"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ ! -e "{mark}" ]; then\n'
        f'  touch "{mark}"\n'
        '  echo "panic: runtime error: invalid memory address or nil pointer dereference" >&2\n'
        "  exit 2\n"
        "fi\n"
        f'exec "{Settings().temporal_cli}" "$@"\n'
    )
    script.chmod(0o755)
    return script
