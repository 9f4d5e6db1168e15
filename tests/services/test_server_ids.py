"""Ids the server makes for confidential items: keyed, unguessable, stable per installation."""

from __future__ import annotations

import hashlib
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from governance.kernel.errors import InvalidInput
from governance.kernel.model import Slug
from govsched.config import Settings
from govsched.services.ids import (
    FILER_CASE_IDS,
    SECRET_FILE,
    IdMaker,
    ServerCaseIds,
    random_id,
    server_secret,
)

KEYS = st.text(min_size=1, max_size=80)
SLUG: TypeAdapter[str] = TypeAdapter(Slug)


@given(key=KEYS)
def test_a_keyed_id_is_stable_and_not_the_plain_hash_of_its_key(key: str) -> None:
    ids = IdMaker(b"installation one")
    made = ids.keyed("app", "application", key)
    assert made == ids.keyed("app", "application", key)
    assert made != f"app-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    assert made != IdMaker(b"installation two").keyed("app", "application", key)
    assert made != ids.keyed("app", "concern", key)  # a purpose never names another's item


@given(filer=st.sampled_from(["fp-a", "fp-b"]), reference=st.from_regex(r"[a-z][a-z0-9-]{0,20}"))
def test_the_server_names_a_case_by_filer_and_reference(filer: str, reference: str) -> None:
    cases = ServerCaseIds(IdMaker(b"secret"))
    case = cases.for_filing(filer, reference)
    assert case == cases.for_filing(filer, reference)
    other = "fp-b" if filer == "fp-a" else "fp-a"
    assert case != cases.for_filing(other, reference)  # another filer never collides
    assert case != reference
    assert SLUG.validate_python(case) == case  # a valid id in paths and payloads


def test_without_a_reference_a_case_id_is_random() -> None:
    cases = ServerCaseIds(IdMaker(b"secret"))
    made = {cases.for_filing("fp-a", None) for _ in range(50)}
    assert len(made) == 50
    assert all(m.startswith("c-") for m in made)
    assert random_id("app") != random_id("app")


def test_a_caller_naming_its_cases_must_give_the_id() -> None:
    assert FILER_CASE_IDS.for_filing("fp-a", "c-guards") == "c-guards"
    with pytest.raises(InvalidInput) as refused:
        FILER_CASE_IDS.for_filing("fp-a", None)
    assert [p.path for p in refused.value.problems] == ["id"]


def test_the_setting_is_the_secret(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, id_secret="from the environment")
    assert server_secret(settings) == b"from the environment"
    assert not (tmp_path / SECRET_FILE).exists()


def test_a_blank_setting_is_no_secret_at_all(tmp_path: Path) -> None:
    assert Settings(var_dir=tmp_path, id_secret="").id_secret is None


def test_without_the_setting_one_secret_is_made_once_for_every_process(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path / "var")
    with ThreadPoolExecutor(8) as pool:
        secrets = set(pool.map(lambda _: server_secret(settings), range(16)))
    assert len(secrets) == 1
    (secret,) = secrets
    assert len(secret) == 64
    path = tmp_path / "var" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert server_secret(settings) == secret
    assert [p.name for p in path.parent.iterdir()] == [SECRET_FILE]  # no draft left behind
