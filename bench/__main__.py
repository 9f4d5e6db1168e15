"""`python -m bench`: run the benchmarks and update docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import sys

from bench import (
    baseline,
    concurrent_use,
    feeds,
    indicators,
    peer_review,
    report_cycle,
    roster,
    slack,
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a small run that writes nothing")
    parser.add_argument(
        "--only",
        choices=("peer_review", "baseline", "concurrent_use"),
        help="run one benchmark in full and write its section",
    )
    args = parser.parse_args()
    if args.only == "peer_review":
        print(peer_review.main(sizes=(80, 2_000, 20_000), rounds=3, write=True))
    elif args.only == "baseline":
        print(baseline.main(count=300, concurrency=32, rounds=3, write=True))
    elif args.only == "concurrent_use":
        print(concurrent_use.main(seconds=30, write=True, rounds=3))
    elif args.quick:
        print(baseline.main(count=20, concurrency=8, rounds=1, write=False))
        print(roster.main(sizes=(80, 2_000), rounds=1, write=False))
        print(feeds.main(clients=2, seconds=2, rounds=1, write=False, runs=1))
        print(slack.main(count=3, total=40, write=False))
        print(peer_review.main(sizes=(80, 2_000), rounds=1, write=False))
        print(report_cycle.main(sizes=(80, 2_000), write=False))
        print(report_cycle.main(sizes=(80,), write=False, year=True))
        print(concurrent_use.main(seconds=3, write=False, rounds=1))
        print(indicators.main(sizes=(80,), write=False))
    else:
        print(baseline.main(count=300, concurrency=32, rounds=3, write=True))
        print(roster.main(sizes=(80, 2_000, 20_000), rounds=3, write=True))
        print(feeds.main(clients=2, seconds=5, rounds=3, write=True))
        print(slack.main(count=30, total=1000, write=True))
        print(peer_review.main(sizes=(80, 2_000, 20_000), rounds=3, write=True))
        print(report_cycle.main(sizes=(80, 2_000, 20_000), write=True))
        print(report_cycle.main(sizes=(80, 2_000, 20_000), write=True, year=True))
        print(concurrent_use.main(seconds=30, write=True, rounds=3))
        print(indicators.main(sizes=(80, 2_000, 20_000), write=True))
    sys.stdout.flush()
    os._exit(0)  # temporalio/sdk-python#300: skip interpreter finalisation once done


if __name__ == "__main__":
    main()
