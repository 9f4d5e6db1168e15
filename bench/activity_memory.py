"""Which activity raises a worker process's memory: a benchmark-only activity interceptor.

Off unless GOVSCHED_BENCH_ACTIVITY_MEMORY names a directory; then `bench.worker_process` adds
`ActivityMemory` to govsched's worker (never to the bare baseline's) and, when the worker stops,
writes `activity-memory-<role>-<pid>.json` there. For every activity type (with its step's name
where its argument names one: the reporting cycle's `run-report-step`) it holds: calls; the
process's resident set (VmRSS) rise from each call's start to its end, summed and the largest;
the largest VmRSS sampled while a call ran; the process's peak (VmHWM) at the end of its calls;
and how far the peak rose while calls of that type were in flight (`hwm_rise_mib`: each rise
counted for every activity then in flight, so concurrent activities share it) and while they
were the only activity in flight (`hwm_rise_alone_mib`). Also the peak's rises of at least one
MiB as they happened, with the activities then in flight (`rises`), and the process's VmRSS and
VmHWM when the interceptor was made (the worker started, no activity run yet).

A side thread samples /proc/self/status every SAMPLE_SECONDS; activities run 16 at a time on
the worker's threads, so a rise between two samples goes to the activities in flight at the
second. `python -m bench.activity_memory FILE...` prints the table of one or more such files.
Nothing of this is in the product: govsched's worker takes interceptors, the benchmark passes
this one.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import json
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from temporalio.worker import (
    ActivityInboundInterceptor,
    ActivityOutboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

ENV = "GOVSCHED_BENCH_ACTIVITY_MEMORY"
SAMPLE_SECONDS = 0.02
RISE_LOGGED_MIB = 1.0


def _status() -> tuple[float, float]:
    """This process's VmRSS and VmHWM, in MiB."""
    rss = hwm = 0.0
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    return rss, hwm


@dataclass
class Stats:
    calls: int = 0
    rss_rise_mib: float = 0.0  # summed over calls: VmRSS at the end minus at the start
    largest_rss_rise_mib: float = 0.0
    largest_rss_mib: float = 0.0  # the largest VmRSS sampled while one of its calls ran
    hwm_after_mib: float = 0.0  # the largest VmHWM at the end of one of its calls
    hwm_rise_mib: float = 0.0
    hwm_rise_alone_mib: float = 0.0
    seconds: float = 0.0
    # processor seconds of the thread that ran each call (a synchronous activity's own work;
    # 0 for an asynchronous one, which shares the event loop's thread)
    cpu_seconds: float = 0.0


@dataclass
class _Call:
    name: str
    rss_mib: float
    largest_rss_mib: float
    started: float = field(default_factory=time.perf_counter)


class ActivityMemory(Interceptor):
    """Measures each activity of the worker it is given to (see the module docstring)."""

    def __init__(self) -> None:
        self.start_rss_mib, self.start_hwm_mib = _status()
        self._lock = threading.Lock()
        self._running: dict[int, _Call] = {}
        self._ids = itertools.count()
        self.stats: dict[str, Stats] = {}
        self.rises: list[tuple[float, list[str]]] = []
        self._last_hwm = self.start_hwm_mib
        self._logged_hwm = self.start_hwm_mib
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, name="activity-memory", daemon=True)
        self._sampler.start()

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Measured(next, self)

    def _stats(self, name: str) -> Stats:
        return self.stats.setdefault(name, Stats())

    def begin(self, name: str) -> int:
        rss, _ = _status()
        key = next(self._ids)
        with self._lock:
            self._running[key] = _Call(name, rss, rss)
        return key

    def end(self, key: int, cpu_seconds: float = 0.0) -> None:
        rss, hwm = _status()
        with self._lock:
            call = self._running.pop(key)
            s = self._stats(call.name)
            s.calls += 1
            rise = rss - call.rss_mib
            s.rss_rise_mib += rise
            s.largest_rss_rise_mib = max(s.largest_rss_rise_mib, rise)
            s.largest_rss_mib = max(s.largest_rss_mib, call.largest_rss_mib, rss)
            s.hwm_after_mib = max(s.hwm_after_mib, hwm)
            s.seconds += time.perf_counter() - call.started
            s.cpu_seconds += cpu_seconds

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        rss, hwm = _status()
        with self._lock:
            calls = list(self._running.values())
            for call in calls:
                call.largest_rss_mib = max(call.largest_rss_mib, rss)
            rise = hwm - self._last_hwm
            if rise <= 0:
                return
            self._last_hwm = hwm
            names = sorted({c.name for c in calls})
            for name in names:
                self._stats(name).hwm_rise_mib += rise
            if len(names) == 1:
                self._stats(names[0]).hwm_rise_alone_mib += rise
            if not names:
                self._stats("(no activity)").hwm_rise_mib += rise
            if hwm - self._logged_hwm >= RISE_LOGGED_MIB:
                self._logged_hwm = hwm
                self.rises.append((round(hwm, 1), names))

    def write(self, directory: Path, role: str, pid: int) -> Path:
        self._stop.set()
        self._sampler.join()
        self.sample()
        rss, hwm = _status()
        out = directory / f"activity-memory-{role}-{pid}.json"
        document = {
            "role": role,
            "start_rss_mib": self.start_rss_mib,
            "start_hwm_mib": self.start_hwm_mib,
            "end_rss_mib": rss,
            "end_hwm_mib": hwm,
            "activities": {name: asdict(s) for name, s in sorted(self.stats.items())},
            "rises": self.rises,
        }
        out.write_text(json.dumps(document, indent=1), encoding="utf-8")
        return out


class _Measured(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, memory: ActivityMemory) -> None:
        super().__init__(next)
        self._memory = memory

    def init(self, outbound: ActivityOutboundInterceptor) -> None:
        self._outbound = outbound
        super().init(outbound)

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        name = self._outbound.info().activity_type
        step = getattr(input.args[0], "step", None) if input.args else None
        if isinstance(step, str):  # the reporting cycle's steps apart (run-report-step)
            name = f"{name} {step}"
        spent: list[float] = []
        fn = input.fn
        if not inspect.iscoroutinefunction(fn):

            def timed(*args: Any) -> Any:
                started = time.thread_time()
                try:
                    return fn(*args)
                finally:
                    spent.append(time.thread_time() - started)

            input = dataclasses.replace(input, fn=timed)
        key = self._memory.begin(name)
        try:
            return await super().execute_activity(input)
        finally:
            self._memory.end(key, sum(spent))


def table(path: Path) -> str:
    """One file's activities, the largest peak rise first, as a Markdown table."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    lines = [
        f"{path.name} ({doc['role']}): VmRSS {doc['start_rss_mib']:.0f} MiB at the start, "
        f"{doc['end_rss_mib']:.0f} at the end; VmHWM {doc['start_hwm_mib']:.0f} -> "
        f"{doc['end_hwm_mib']:.0f} MiB",
        "",
        "| activity | calls | seconds | CPU seconds | RSS rise MiB (sum) | largest one-call rise | "
        "peak rise while in flight | peak rise alone | largest RSS seen | VmHWM after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = sorted(doc["activities"].items(), key=lambda kv: -kv[1]["hwm_rise_mib"])
    for name, s in rows:
        lines.append(
            f"| {name} | {s['calls']} | {s['seconds']:.1f} | {s.get('cpu_seconds', 0.0):.1f} | "
            f"{s['rss_rise_mib']:.1f} | "
            f"{s['largest_rss_rise_mib']:.1f} | {s['hwm_rise_mib']:.1f} | "
            f"{s['hwm_rise_alone_mib']:.1f} | {s['largest_rss_mib']:.0f} | "
            f"{s['hwm_after_mib']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(table(Path(arg)))
