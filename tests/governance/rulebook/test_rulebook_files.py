"""Finding the rulebook: the bundled `vpi`, or a TOML/YAML file overriding a subset of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.kernel.errors import RulebookInvalid
from governance.kernel.languages import Language
from governance.rulebook.model import Rulebook
from govsched.services.rulebooks import load_rulebook_spec

TOML_OVERRIDES = """\
base = "vpi"

[applications]
no_objection_days = 21

[initiative.labels]
chair = "Chair of the Plenary"

[initiative.label_texts."Chair of the Plenary"]
fr = "Présidence de la plénière"
es = "Presidencia de la plenaria"
zh-Hans = "全体会议主席"
"""

YAML_OVERRIDES = """\
initiative:
  timezone: Europe/Zurich
calendars:
  refresh_interval_hours: 12
applications:
  windows:
    - {month: 6, day: 1}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refusal(spec: str, relative_to: Path | None = None) -> RulebookInvalid:
    with pytest.raises(RulebookInvalid) as caught:
        load_rulebook_spec(spec, relative_to=relative_to)
    assert caught.value.problems
    return caught.value


def test_vpi_names_the_bundled_rulebook() -> None:
    assert load_rulebook_spec("vpi") == Rulebook()


def test_overrides_apply_on_top_of_the_bundled_rulebook() -> None:
    rulebook = load_rulebook_spec("vpi", overrides={"chair": {"max_consecutive_terms": 1}})
    assert rulebook.chair.max_consecutive_terms == 1
    assert rulebook.chair.term_years == 1


def test_a_toml_file_overrides_a_subset_of_the_vpi_rulebook(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", TOML_OVERRIDES)
    rulebook = load_rulebook_spec(str(path))
    assert rulebook.applications.no_objection_days == 21
    assert rulebook.applications.review_days == 42
    assert rulebook.initiative.labels.chair == "Chair of the Plenary"
    assert rulebook.initiative.labels.plenary == "Annual Plenary"
    assert rulebook.reporting == Rulebook().reporting


def test_a_yaml_file_overrides_a_subset_of_the_vpi_rulebook(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.yaml", YAML_OVERRIDES)
    rulebook = load_rulebook_spec(str(path))
    assert rulebook.initiative.timezone == "Europe/Zurich"
    assert rulebook.initiative.short_name == "VPI"
    assert rulebook.calendars.refresh_interval_hours == 12
    assert rulebook.calendars.cancelled_retention_days == 30
    assert [(w.month, w.day) for w in rulebook.applications.windows] == [(6, 1)]


def test_a_file_without_a_base_starts_from_vpi(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", "[chair]\nterm_years = 2\n")
    rulebook = load_rulebook_spec(str(path))
    assert rulebook.chair.term_years == 2
    assert rulebook.chair.max_consecutive_terms == 2


def test_an_empty_yaml_file_is_the_vpi_rulebook(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.yaml", "# nothing changed yet\n")
    assert load_rulebook_spec(str(path)) == Rulebook()


def test_a_relative_path_is_read_from_relative_to(tmp_path: Path) -> None:
    write(tmp_path / "config" / "rules.yaml", YAML_OVERRIDES)
    rulebook = load_rulebook_spec("config/rules.yaml", relative_to=tmp_path)
    assert rulebook.calendars.refresh_interval_hours == 12


def test_an_absolute_path_ignores_relative_to(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", TOML_OVERRIDES)
    rulebook = load_rulebook_spec(str(path), relative_to=tmp_path / "elsewhere")
    assert rulebook.applications.no_objection_days == 21


def test_extra_overrides_apply_on_top_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", TOML_OVERRIDES)
    rulebook = load_rulebook_spec(
        str(path), overrides={"applications": {"no_objection_days": 28, "review_days": 35}}
    )
    assert rulebook.applications.no_objection_days == 28
    assert rulebook.applications.review_days == 35
    assert rulebook.initiative.labels.chair == "Chair of the Plenary"


def test_a_missing_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    error = refusal(str(path))
    assert error.message == "the rulebook file cannot be read"
    assert [p.path for p in error.problems] == ["rulebook"]
    assert str(path) in error.problems[0].reason
    assert "No such file" in error.problems[0].reason


def test_a_missing_relative_file_is_refused_naming_where_it_was_looked_for(
    tmp_path: Path,
) -> None:
    error = refusal("rules.yaml", relative_to=tmp_path)
    assert str(tmp_path / "rules.yaml") in error.problems[0].reason


def test_a_folder_instead_of_a_file_is_refused(tmp_path: Path) -> None:
    error = refusal(str(tmp_path))
    assert [p.path for p in error.problems] == ["rulebook"]
    assert str(tmp_path) in error.problems[0].reason


def test_a_toml_syntax_error_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", "[applications\nno_objection_days = 21\n")
    error = refusal(str(path))
    assert error.message == "the rulebook file is not valid TOML/YAML"
    assert [p.path for p in error.problems] == ["rulebook"]
    assert str(path) in error.problems[0].reason


def test_a_yaml_syntax_error_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.yaml", "applications: {windows: [1, 2\n")
    error = refusal(str(path))
    assert error.message == "the rulebook file is not valid TOML/YAML"
    assert str(path) in error.problems[0].reason


def test_a_file_whose_top_level_is_a_list_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.yaml", "- applications\n- chair\n")
    error = refusal(str(path))
    assert error.message == "the rulebook file must hold a table"
    assert [(p.path, p.reason) for p in error.problems] == [("rulebook", str(path))]


def test_a_file_whose_top_level_is_a_scalar_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.yaml", "just some words\n")
    error = refusal(str(path))
    assert error.message == "the rulebook file must hold a table"


def test_a_file_that_is_not_utf8_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes('[initiative]\nname = "Initiative é"\n'.encode("latin-1"))
    error = refusal(str(path))
    assert [p.path for p in error.problems] == ["rulebook"]
    assert str(path) in error.problems[0].reason


def test_an_unknown_base_in_a_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", 'base = "eiti"\n')
    error = refusal(str(path))
    assert [(p.path, p.reason) for p in error.problems] == [
        ("rulebook", "'eiti' is not one of: vpi")
    ]


def test_a_base_that_is_not_a_name_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", "base = 3\n")
    error = refusal(str(path))
    assert [(p.path, p.reason) for p in error.problems] == [("base", "must be a name")]


def test_invalid_values_in_a_file_are_refused_by_field_path(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rules.yaml",
        "applications:\n  no_objection_days: -3\nroster:\n  pillar_shares: {governmnt: 1.0}\n",
    )
    error = refusal(str(path))
    assert {p.path for p in error.problems} == {
        "applications.no_objection_days",
        "roster.pillar_shares.governmnt",
    }


def test_contradictions_in_a_file_are_refused_by_field_path(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", "[reporting]\ndue_days_before_plenary = 40\n")
    error = refusal(str(path))
    assert [p.path for p in error.problems] == ["plenary.milestones.3.offset_days"]


def test_a_label_renamed_without_its_other_languages_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "rules.toml", '[initiative.labels]\nsteering_committee = "Board"\n')
    problems = refusal(str(path)).problems
    assert [p.path for p in problems] == ["initiative.labels.steering_committee"]
    assert "'Board' has no text in fr, es, zh-Hans" in problems[0].reason


def test_a_label_missing_in_one_language_is_refused_naming_that_language(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rules.toml",
        '[initiative.labels]\nsteering_committee = "Board"\n'
        '[initiative.label_texts.Board]\nfr = "Conseil"\nes = "Junta"\n',
    )
    (problem,) = refusal(str(path)).problems
    assert "no text in zh-Hans" in problem.reason


def test_each_vpi_label_reads_in_each_language() -> None:
    rulebook = load_rulebook_spec("vpi")
    assert rulebook.label_text("Steering Committee", Language.ZH) == "指导委员会"
    assert rulebook.label_text("Final papers", Language.FR) == "Documents définitifs"
    assert rulebook.label_text("Secretariat", Language.ES) == "Secretaría"
    assert rulebook.label_text("Secretariat", Language.EN) == "Secretariat"
