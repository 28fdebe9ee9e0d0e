"""Red, amber, green: `rag_for` (Python) and `rag_expression` (SQL) are one rule, told twice."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from projects.models import AMBER_WINDOW_DAYS, Commitment, CommitmentStatus, Milestone, Rag, rag_for
from projects.selectors import rag_expression
from tests.projects.helpers import noon

S = CommitmentStatus
OFFSETS = {
    "long overdue": -30,
    "overdue by a day": -1,
    "due today": 0,
    "due tomorrow": 1,
    "due in 13 days": 13,
    "due on day 14": AMBER_WINDOW_DAYS,
    "due on day 15": AMBER_WINDOW_DAYS + 1,
    "due in a year": 365,
}

# What each status looks like at each due date: the rule, written out.
_OPEN = {-30: Rag.RED, -1: Rag.RED, 0: Rag.AMBER, 1: Rag.AMBER, 13: Rag.AMBER, 14: Rag.AMBER}
_OPEN |= {15: Rag.GREEN, 365: Rag.GREEN}
EXPECTED = {
    S.NOT_STARTED: _OPEN,
    S.IN_PROGRESS: _OPEN,
    S.BLOCKED: {offset: Rag.RED if offset < 0 else Rag.AMBER for offset in OFFSETS.values()},
    S.DONE: dict.fromkeys(OFFSETS.values(), Rag.GREEN),
    S.ACCEPTED: dict.fromkeys(OFFSETS.values(), Rag.GREEN),
    S.WITHDRAWN: dict.fromkeys(OFFSETS.values(), Rag.NONE),
}


@pytest.fixture
def every_case(active_project, las):
    """One commitment of LAS for each status and due date, relative to `today`."""

    def build(today: datetime.date) -> dict[int, tuple[str, int]]:
        participation = active_project.participations.get(trust=las)
        cases = {}
        for status in S:
            for offset in OFFSETS.values():
                due = today + datetime.timedelta(days=offset)
                milestone = Milestone.objects.create(
                    project=active_project, title=f"{status} {offset}", deliverable="x", due_on=due
                )
                commitment = Commitment.objects.create(
                    participation=participation,
                    milestone=milestone,
                    deliverable="x",
                    due_on=due,
                    status=status,
                )
                cases[commitment.pk] = (status, offset)
        return cases

    return build


def _compare(cases, today, *, pass_today: bool):
    in_sql = dict(
        Commitment.objects.filter(pk__in=cases)
        .annotate(rag_value=rag_expression(today if pass_today else None))
        .values_list("pk", "rag_value")
    )
    python = {
        pk: commitment.rag(today if pass_today else None)
        for pk, commitment in Commitment.objects.in_bulk(list(cases)).items()
    }
    by_case = {cases[pk]: (Rag(python[pk]), Rag(in_sql[pk])) for pk in cases}
    assert len(by_case) == len(S) * len(OFFSETS)
    disagreements = {case: pair for case, pair in by_case.items() if pair[0] != pair[1]}
    assert disagreements == {}
    assert {case: pair[0] for case, pair in by_case.items()} == {
        (status, offset): EXPECTED[status][offset] for status in S for offset in OFFSETS.values()
    }


def test_python_and_sql_agree_for_every_status_and_due_date(every_case):
    today = timezone.localdate()
    _compare(every_case(today), today, pass_today=True)


def test_python_and_sql_agree_on_a_day_other_than_today(every_case):
    # Both take "today" as an argument: a report for another day must give that day's colours.
    today = timezone.localdate() + datetime.timedelta(days=40)
    _compare(every_case(today), today, pass_today=True)


def test_python_and_sql_agree_when_today_is_left_to_them(every_case):
    with time_machine.travel(noon(200), tick=False):
        today = timezone.localdate()
        _compare(every_case(today), today, pass_today=False)


@pytest.mark.parametrize(("label", "offset"), list(OFFSETS.items()))
@pytest.mark.parametrize("status", list(S))
def test_rag_for_follows_the_rule(status, label, offset):
    today = datetime.date(2026, 3, 29)  # the day the clocks go forward: dates, not hours
    assert (
        rag_for(status, today + datetime.timedelta(days=offset), today)
        == (EXPECTED[status][offset])
    )


def test_an_overdue_commitment_is_overdue_and_a_blocked_one_due_later_is_not(active_project, las):
    today = timezone.localdate()
    commitment = active_project.participations.get(trust=las).commitments.first()
    commitment.status = S.BLOCKED
    commitment.due_on = today + datetime.timedelta(days=40)
    assert commitment.rag(today) == Rag.AMBER
    assert not commitment.is_overdue(today)
    commitment.due_on = today - datetime.timedelta(days=1)
    assert commitment.is_overdue(today)
