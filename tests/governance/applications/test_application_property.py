"""Random sequences of actions and time on the pure application model keep its invariants.

Time is processed as the workflow processes it: every timed event due by now, in order, at its
own instant (a lapse, the close of the review with a planned no-objection period, the close of
the no-objection period, otherwise the event is only marked done). A review every reviewer has
answered closes at once, as the workflow closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from governance.applications import rules
from governance.applications.model import (
    APPLICANT,
    ApplicationKind,
    ApplicationRecord,
    DeadlineKind,
    PlenaryDecision,
)
from governance.applications.timeline import TimedEventKind, deadline_after, next_event
from governance.kernel.actor import Actor
from governance.kernel.errors import GovernanceError
from governance.rulebook.model import Recommendation
from tests.governance.applications.application_cast import (
    CHAIR,
    ENGAGED_FP,
    FULL_FP,
    OUTSIDER,
    REVIEWERS,
    RULES,
    SC_ANA,
    SC_BEN,
    SC_CLEO,
    SECRETARIAT,
    SUBMITTED,
    TZ,
    admission,
    full_request,
)

CAST = [SECRETARIAT, SC_ANA, SC_BEN, SC_CLEO, FULL_FP, ENGAGED_FP, CHAIR, OUTSIDER, APPLICANT]
actors = st.sampled_from(CAST)


def mostly(*likely: Actor) -> st.SearchStrategy[Actor]:
    """Half the time one of the actors who may act, otherwise anyone of the cast."""
    return st.one_of(st.sampled_from(likely), actors)


# Withdrawing ends everything: most attempts are by someone who may not.
withdrawers = st.sampled_from([*CAST, *[OUTSIDER] * 12])
reviewer_lists = st.sampled_from([REVIEWERS, ("sc-ana", "sc-ben"), ("sc-cleo",), ()])
advances = st.one_of(
    st.integers(min_value=1, max_value=48 * 60).map(lambda m: timedelta(minutes=m)),
    st.integers(min_value=1, max_value=120).map(lambda d: timedelta(days=d)),
    st.integers(min_value=121, max_value=500).map(lambda d: timedelta(days=d)),
)

Step = Callable[[ApplicationRecord], rules.Transition]


def every_transition(at: datetime) -> list[Step]:
    """Every transition, by the actor most likely to be allowed it."""
    information = deadline_after(DeadlineKind.INFORMATION, at, 30, TZ)
    review = deadline_after(DeadlineKind.REVIEW, at, RULES.review_days, TZ)
    period = deadline_after(DeadlineKind.NO_OBJECTION, at, RULES.no_objection_days, TZ)
    steps: list[Step] = [
        lambda r: rules.mark_complete(r, SECRETARIAT, at),
        lambda r: rules.request_information(r, SECRETARIAT, at, "Why?", information),
        lambda r: rules.provide_information(r, APPLICANT, at, "Because."),
        lambda r: rules.start_review(r, SECRETARIAT, at, REVIEWERS, review),
        lambda r: rules.close_review(r, at, period, RULES.silence_counts_as),
        lambda r: rules.object_to(r, FULL_FP, at, "No."),
        lambda r: rules.close_no_objection(r, at, None),
        lambda r: rules.lapse(r, at),
        lambda r: rules.withdraw(r, SECRETARIAT, at),
        lambda r: rules.withdraw(r, ENGAGED_FP, at),
    ]
    steps += [
        lambda r, a=actor: rules.recommend(r, a, at, Recommendation.SUPPORT, "")  # type: ignore[misc]
        for actor in (SC_ANA, SC_BEN, SC_CLEO)
    ]
    steps += [
        lambda r, a=actor, d=decision: rules.record_plenary_decision(  # type: ignore[misc]
            r, a, at, d, "", None
        )
        for actor in (SECRETARIAT, CHAIR)
        for decision in PlenaryDecision
    ]
    return steps


class ApplicationMachine(RuleBasedStateMachine):
    record: ApplicationRecord
    now: datetime

    @initialize(kind=st.sampled_from(list(ApplicationKind)))
    def submit(self, kind: ApplicationKind) -> None:
        self.now = SUBMITTED
        self.record = admission() if kind is ApplicationKind.ADMISSION else full_request()

    # -- applying steps -------------------------------------------------------------------------

    def _accept(self, transition: rules.Transition) -> None:
        before, after = self.record, transition.record
        assert not before.final, f"a {before.state.value} record changed"
        assert after.version == before.version + 1
        assert after.id == before.id
        assert after.kind is before.kind
        if after.state is before.state:
            assert after.history == before.history
        else:
            assert after.history[:-1] == before.history
            assert after.history[-1].state is after.state
        self.record = after

    def _attempt(self, step: Callable[[], rules.Transition]) -> bool:
        before = self.record
        dumped = before.model_dump()
        try:
            transition = step()
        except GovernanceError:
            assert self.record is before
            assert self.record == before
            assert before.model_dump() == dumped
            return False
        self._accept(transition)
        return True

    def _close_review(self, at: datetime) -> rules.Transition:
        period = None
        if self.record.kind is ApplicationKind.ADMISSION:
            period = deadline_after(DeadlineKind.NO_OBJECTION, at, RULES.no_objection_days, TZ)
        return rules.close_review(self.record, at, period, RULES.silence_counts_as)

    # -- human actions --------------------------------------------------------------------------

    @rule(actor=mostly(SECRETARIAT))
    def mark_complete(self, actor: Actor) -> None:
        self._attempt(lambda: rules.mark_complete(self.record, actor, self.now))

    @rule(actor=mostly(SECRETARIAT), days=st.integers(min_value=1, max_value=45))
    def request_information(self, actor: Actor, days: int) -> None:
        number = len(self.record.information_requests) + 1
        deadline = deadline_after(DeadlineKind.INFORMATION, self.now, days, TZ, number)
        self._attempt(
            lambda: rules.request_information(self.record, actor, self.now, "Why?", deadline)
        )

    @rule(actor=mostly(APPLICANT, SECRETARIAT))
    def provide_information(self, actor: Actor) -> None:
        self._attempt(lambda: rules.provide_information(self.record, actor, self.now, "Here."))

    @rule(actor=mostly(SECRETARIAT), reviewers=reviewer_lists)
    def start_review(self, actor: Actor, reviewers: tuple[str, ...]) -> None:
        deadline = deadline_after(DeadlineKind.REVIEW, self.now, RULES.review_days, TZ)
        self._attempt(lambda: rules.start_review(self.record, actor, self.now, reviewers, deadline))

    @rule(
        actor=mostly(SC_ANA, SC_BEN, SC_CLEO), recommendation=st.sampled_from(list(Recommendation))
    )
    def recommend(self, actor: Actor, recommendation: Recommendation) -> None:
        recommended = self._attempt(
            lambda: rules.recommend(self.record, actor, self.now, recommendation, "")
        )
        if recommended and rules.everyone_answered(self.record):
            self._accept(self._close_review(self.now))

    @rule(actor=mostly(FULL_FP))
    def object_to(self, actor: Actor) -> None:
        self._attempt(lambda: rules.object_to(self.record, actor, self.now, "No."))

    @rule(actor=mostly(SECRETARIAT, CHAIR), decision=st.sampled_from(list(PlenaryDecision)))
    def record_plenary_decision(self, actor: Actor, decision: PlenaryDecision) -> None:
        self._attempt(
            lambda: rules.record_plenary_decision(
                self.record, actor, self.now, decision, "", "plenary-2028"
            )
        )

    @rule(actor=withdrawers)
    def withdraw(self, actor: Actor) -> None:
        self._attempt(lambda: rules.withdraw(self.record, actor, self.now))

    # -- time -----------------------------------------------------------------------------------

    @rule(delta=advances)
    def advance(self, delta: timedelta) -> None:
        self.now += delta
        while (event := next_event(self.record, RULES)) is not None and event.at <= self.now:
            at = event.at
            if event.kind is TimedEventKind.INFORMATION_LAPSE:
                self._accept(rules.lapse(self.record, at))
            elif event.kind is TimedEventKind.REVIEW_CLOSE:
                self._accept(self._close_review(at))
            elif event.kind is TimedEventKind.NO_OBJECTION_CLOSE:
                self._accept(rules.close_no_objection(self.record, at, None))
            self.record = rules.mark_done(self.record, event.key)

    # -- a decided application stays decided ----------------------------------------------------

    @precondition(lambda self: self.record.final)
    @rule()
    def a_final_record_refuses_every_transition(self) -> None:
        for step in every_transition(self.now):
            assert not self._attempt(lambda s=step: s(self.record))  # type: ignore[misc]

    # -- invariants -----------------------------------------------------------------------------

    @invariant()
    def nothing_is_overdue(self) -> None:
        event = next_event(self.record, RULES)
        if self.record.final:
            assert event is None
        else:
            assert event is not None
            assert event.at > self.now

    @invariant()
    def history_is_chronological_and_decided_at_marks_the_end(self) -> None:
        instants = [step.at for step in self.record.history]
        assert instants == sorted(instants)
        assert instants[-1] <= self.now
        assert self.record.history[-1].state is self.record.state
        if self.record.final:
            assert self.record.decided_at == instants[-1]
        else:
            assert self.record.decided_at is None

    @invariant()
    def one_recommendation_per_reviewer(self) -> None:
        persons = [r.person for r in self.record.recommendations]
        assert len(persons) == len(set(persons))
        assert set(persons) <= set(self.record.reviewers)


def test_random_sequences_of_actions_and_time_keep_the_invariants() -> None:
    run_state_machine_as_test(
        ApplicationMachine,
        settings=settings(
            max_examples=200,
            deadline=None,
            database=None,
            stateful_step_count=40,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
