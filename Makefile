# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
PYTEST_ARGS ?=
# `make test` runs the suite in this many processes, a test file each at a time (tests use their
# own ports, database schemas and Temporal servers); PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2
# Python's bytecode caches stay on for everything make runs, even where the environment turns
# them off (PYTHONDONTWRITEBYTECODE, set on this machine). Without them every test process
# compiles the project and pytest rewrites every test module's asserts, again each time, and
# every process the tests start (stacks, workers, CLI runs) compiles govsched again. A
# collection of the whole suite costs about 6 CPU-s with them, 15 without.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: messages install run test test-postgres test-dates lint fmt test-unit test-fast bench replay-check explore clean browser-deps chaos

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## The embedded stack with demo data: Temporal dev server + UI, worker, API, scheduler.
run: $(STAMP)
	$(BIN)/govsched run

# The PostgreSQL lane (issue 24): the tests below again with `--database=postgres`, the switch
# that puts every API, web, workflow, rehearsal and e2e fixture on PostgreSQL (tests/conftest.py).
# A cross-section, chosen so that every endpoint (the authorization matrix), every page, every
# workflow type with its real activities (the rehearsals and the database-backed workflow tests)
# and every rehearsal runs on it (scenario parsing, which reads no database, is left out);
# workflow tests on the dev server only, since the servers are not the subject here.
# Persistence and activity tests need no lane: each runs on both databases anyway.
POSTGRES_LANE ?= \
  tests/persistence/test_lane_switch.py \
  tests/api/test_authorization_matrix.py::test_each_identity_is_let_through_or_refused_as_the_table_says \
  tests/web/test_web_pages.py tests/web/test_web_actions.py tests/web/test_web_email.py \
  tests/web/test_web_pictures.py \
  tests/workflows/test_application_workflow.py tests/workflows/test_concern_workflow.py \
  tests/workflows/test_registry_change.py tests/workflows/test_processes_at_worker_start.py \
  tests/rehearsal/test_rehearse.py tests/rehearsal/test_year_rehearsal.py \
  tests/rehearsal/test_handover_rehearsal.py tests/rehearsal/test_roster_rehearsal.py \
  tests/rehearsal/test_roster_drawn_when_known.py tests/rehearsal/test_reports_rehearsal.py \
  tests/rehearsal/test_reports_observers_rehearsal.py tests/rehearsal/test_concerns_rehearsal.py \
  tests/rehearsal/test_notice_stamps_rehearsal.py tests/rehearsal/test_observer_admission_rehearsal.py \
  tests/rehearsal/test_indicators_rehearsal.py tests/rehearsal/test_groups_rehearsal.py \
  tests/rehearsal/test_group_seats_rehearsal.py tests/rehearsal/test_group_plans_rehearsal.py \
  tests/rehearsal/test_chair_held_over_rehearsal.py \
  tests/rehearsal/test_reports_without_plenary_rehearsal.py \
  tests/rehearsal/test_reviewers_who_leave_rehearsal.py \
  tests/workflows/test_group_plan_workflow.py tests/workflows/test_applicant_told_of_question.py \
  tests/e2e/test_embedded_stack.py::test_the_stack_serves_survives_a_restart_and_stops_cleanly
# The second runs that show a rehearsal's outputs repeat byte for byte: a property of the driver,
# not of the database (the SQLite suite runs them); the first runs stay in the lane.
POSTGRES_LANE_LEAVES_OUT ?= \
  --deselect tests/rehearsal/test_rehearse.py::test_the_same_scenario_gives_byte_identical_outputs \
  --deselect tests/rehearsal/test_rehearse.py::test_the_applications_scenario_reruns_identically

## The whole suite on SQLite (both Temporal servers), and beside it, in lanes of their own: lint,
## types and layer contracts; the PostgreSQL lane (its cross-section, and the PostgreSQL half of
## every persistence and activity test, which runs on both databases); the date-sensitive tests
## again on other days (tests/lanes.sh: the SQLite suite is shown as it runs; every lane's output
## is kept in test-artifacts/lanes/, and a lane that fails is named, its output shown, and `make
## test` fails). The lanes beside the first wait on servers much of the time: they fill the cores
## the first leaves idle. (The chaos subset stays in the first lane: in a lane of its own, at the
## lower priority the lanes beside it run at, its kills and restarts outlasted their deadlines on
## a loaded machine.)
## The SQLite suite's files that mostly wait (on a Retry-After, a timeout, a restarted server, a
## CLI process's result; measured: wall several times their CPU) run in a lane of their own beside
## it, at its priority, so that their waiting does not hold one of its two workers while the
## cores idle: by the end of `make test` the other lanes are done and nothing else fills them.
## (The chaos files stay in the SQLite lane, as above.)
WAITING_TESTS ?= tests/e2e/test_readme_commands.py tests/api/test_temporal_lost.py \
  tests/activities/test_slack_fake.py tests/activities/test_slack_delivery.py \
  tests/activities/test_slack_pacing.py tests/activities/test_own_process.py \
  tests/workflows/test_timers_on_both_servers.py tests/layout/test_start_up_imports.py \
  tests/activities/test_digest.py tests/activities/test_cycle_edges.py \
  tests/services/test_indicators_benchmark.py tests/workflows/test_workflow_not_ready.py \
  tests/workflows/test_dev_server_start.py
test: $(STAMP) browser-deps
	@tests/lanes.sh test-artifacts/lanes \
	  "sqlite=$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder --junitxml=test-artifacts/lanes/sqlite.xml -m 'not postgres' $(addprefix --ignore=,$(WAITING_TESTS)) $(PYTEST_ARGS)" \
	  "waits:0=$(BIN)/python -m pytest -p no:cacheprovider --junitxml=test-artifacts/lanes/waits.xml -m 'not postgres' $(WAITING_TESTS) $(PYTEST_ARGS)" \
	  "lint=$(MAKE) --no-print-directory lint" \
	  "postgres=$(MAKE) --no-print-directory test-postgres" \
	  "dates=$(MAKE) --no-print-directory test-dates"

## The PostgreSQL lane alone: the cross-section, then the PostgreSQL half of the tests that run
## on both databases (in these folders: tests/conftest.py refuses such a test elsewhere).
POSTGRES_HALVES ?= tests/persistence tests/activities tests/feeds tests/api/feeds
test-postgres: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder --database=postgres \
	  --workflow-environment=local $(POSTGRES_LANE) $(POSTGRES_LANE_LEAVES_OUT) $(PYTEST_ARGS)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder -m postgres \
	  $(POSTGRES_HALVES) $(PYTEST_ARGS)

## The tests marked `dates` (they take expectations from today) with GOVSCHED_TODAY set to each
## of these days: the day after the fixed demo Chair's term ends, a 29 February, and one in 2031.
## The days run one after another: the lane already runs beside the SQLite suite, and three
## embedded stacks starting at once beside it made a first start miss its deadline. Each day's
## output is kept in test-artifacts/dates/ and shown when it fails.
TEST_DAYS ?= 2027-03-21 2028-02-29 2031-06-02
DATE_TESTS := tests/e2e/test_first_start.py tests/api/applications/test_applications_api.py \
	tests/api/roster/test_rosters_api.py tests/web/test_handover_web.py \
	tests/web/test_web_actions.py tests/web/test_web_pictures.py tests/activities/test_digest.py \
	tests/web/test_web_plenary.py
test-dates: $(STAMP)
	@mkdir -p test-artifacts/dates
	@failed=0; for day in $(TEST_DAYS); do \
	  if GOVSCHED_TODAY=$$day $(BIN)/python -m pytest -q -p no:cacheprovider -m dates $(DATE_TESTS) \
	    > test-artifacts/dates/$$day.log 2>&1; \
	  then tail -n 1 test-artifacts/dates/$$day.log | sed "s/^/today=$$day: /"; \
	  else failed=1; echo "today=$$day: FAILED"; cat test-artifacts/dates/$$day.log; fi; \
	done; exit $$failed

## Extract every message into govsched/i18n/locale/govsched.pot and update the four catalogs
## (English filled from the messages; French, Spanish and Chinese written by the team).
messages: $(STAMP)
	$(BIN)/python -m govsched.i18n.maintain

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy governance
	$(BIN)/mypy govsched worker.py activities workflows bench tests
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/e2e/test_stack_banner.py tests/feeds/test_ical.py tests/governance tests/notify/test_slack_messages.py tests/rehearsal/test_demo_registry.py tests/rehearsal/test_scenario.py tests/services/test_server_ids.py tests/services/test_yaml_files.py $(PYTEST_ARGS)

## The property tests with fresh random seeds, EXPLORE_ROUNDS times (make test repeats one seed).
EXPLORE_ROUNDS ?= 20
explore: $(STAMP)
	for round in $$(seq $(EXPLORE_ROUNDS)); do \
	  GOVSCHED_HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -q \
	    $$(grep -rl 'from hypothesis' tests/e2e/test_stack_banner.py tests/feeds/test_ical.py tests/governance tests/notify/test_slack_messages.py tests/rehearsal/test_demo_registry.py tests/rehearsal/test_scenario.py tests/services/test_server_ids.py tests/services/test_yaml_files.py) || exit 1; \
	done

replay-check: $(STAMP)
	$(BIN)/python -m pytest tests/replay $(PYTEST_ARGS)

## Benchmarks; figures go to docs/benchmarks.md.
bench: $(STAMP)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  echo "make bench needs nginx (the feed benchmark's baseline): apt-get install -y nginx" >&2; \
	  exit 1; }
	$(BIN)/python -m bench

## Debian's headless Chromium for the web workspace's browser tests (Playwright drives it; it
## never downloads a browser of its own). Installs only when it is missing.
browser-deps:
	@test -x /usr/bin/chromium-headless-shell || { \
	  echo "installing Debian's chromium-headless-shell for the browser tests" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; }
	@# Chinese pages need a real CJK font, or the screenshots show boxes (issue 20).
	@test -d /usr/share/fonts/opentype/noto || dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  echo "installing Debian's fonts-noto-cjk for the Chinese pages" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; }

## Fault experiments (RELIABILITY.md): 20 worker kills, Temporal restarts, a Slack storm, lost
## database connections, each compared with an undisturbed run; and scaling out (two API
## processes, two workers of each role, PostgreSQL, one worker of each role killed during 500
## applications and a roster draw), run on its own: its file name keeps it out of `make test`
## (and out of a run of the directory). `make test` runs a short subset of the others.
chaos: $(STAMP)
	GOVSCHED_CHAOS_FULL=1 $(BIN)/python -m pytest -s tests/chaos $(PYTEST_ARGS)
	$(BIN)/python -m pytest -s tests/chaos/experiment_scale_out.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
