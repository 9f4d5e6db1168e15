"""What the API's start-up does not load: libraries only some requests or some deployments use
(RELIABILITY.md, "Start-up cost"). Checked by module, not by time, so no machine is too slow."""

from __future__ import annotations

import subprocess
import sys

# charts (altair, vl-convert), the spreadsheet export (openpyxl, which loads numpy), the CalDAV
# push (caldav), the iCalendar feeds (icalendar), the peer-review solver (numpy, ortools), the
# mail sink (aiosmtpd), and the workflows and activities, which only the worker runs
LOADED_WHEN_USED = (
    "altair",
    "vl_convert",
    "openpyxl",
    "numpy",
    "caldav",
    "icalendar",
    "ortools",
    "aiosmtpd",
    "workflows",
    "activities",
)


def test_the_api_app_loads_no_library_a_request_loads_when_it_needs_it() -> None:
    probe = (
        "import sys; import govsched.http.app; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *LOADED_WHEN_USED],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.strip() == "[]"


def test_a_workflow_module_does_not_load_every_workflow() -> None:
    probe = (
        "import sys; import workflows.base.search; "
        "print(sorted(m for m in sys.modules if m.startswith(('workflows.', 'activities'))"
        " and not m.startswith('workflows.base')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
