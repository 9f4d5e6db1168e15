"""The workflow cache size is a setting (issue 21): read from the environment, bounded, and
refused with the field named when it is out of range."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from govsched.config import Settings


def test_the_cache_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVSCHED_WORKFLOW_CACHE_SIZE", "50")
    assert Settings().workflow_cache_size == 50


@pytest.mark.parametrize("value", ["-1", "100001", "many", ""])
def test_a_cache_size_out_of_range_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("GOVSCHED_WORKFLOW_CACHE_SIZE", value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert "workflow_cache_size" in str(refused.value)
