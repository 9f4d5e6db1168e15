"""The undisturbed run every experiment is compared with, made once per session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.chaos.experiment import Outcome, run


@pytest_asyncio.fixture(scope="session")
async def baseline(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Outcome]:
    outcome = await run(Path(tmp_path_factory.mktemp("chaos-baseline")))
    assert outcome.problems == [], outcome.problems
    assert outcome.failed == [], outcome.failed
    assert outcome.snapshot.posts > 0
    yield outcome
