"""Two leads of one trust deciding at the same moment, on the real PostgreSQL."""

import threading

import pytest
from django.db import connection

from collab.models import AuditEvent, Role
from projects.models import Participation, ParticipationStatus
from projects.services import participation_decide
from tests.factories import RoleFactory, UserFactory


@pytest.fixture
def deputy_lead_of_las(las, southern):
    user = UserFactory(email="deputy.las@example.org", full_name="Deputy Las", home_trust=las)
    RoleFactory(user=user, role=Role.TRUST_LEAD, trust=las)
    RoleFactory(user=user, role=Role.STAFF, trust=las)
    return user


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.django_db(transaction=True)
def test_two_leads_deciding_at_once_leave_one_consistent_decision(
    las_participation, lead_of_las, deputy_lead_of_las, attempt
):
    decisions = {
        ParticipationStatus.OPTED_IN: {
            "actor": lead_of_las,
            "opt_in": True,
            "reason": "The lead says we are in.",
            "contact": lead_of_las,
            "confirmed": True,
        },
        ParticipationStatus.OPTED_OUT: {
            "actor": deputy_lead_of_las,
            "opt_in": False,
            "reason": "The deputy says we are out.",
            "contact": None,
        },
    }
    barrier = threading.Barrier(len(decisions))
    errors: list[BaseException] = []

    def decide(decision: dict) -> None:
        try:
            participation = Participation.objects.get(pk=las_participation.pk)
            barrier.wait(timeout=30)
            participation_decide(participation=participation, **decision)
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in decisions.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    events = list(
        AuditEvent.objects.filter(
            target_type="projects.participation", target_id=str(las_participation.pk)
        ).order_by("pk")
    )
    assert len(events) == 2
    first, last = events
    # The row lock made the second decision wait for the first and see it.
    assert first.before["status"] == ParticipationStatus.UNDECIDED
    assert last.before["status"] == first.after["status"]
    assert last.before["reason"] == first.reason
    assert {first.after["status"], last.after["status"]} == set(decisions)

    # The participation holds the last decision, whole: status, reason and who decided.
    final = Participation.objects.get(pk=las_participation.pk)
    winner = decisions[last.after["status"]]
    assert final.status == last.after["status"]
    assert final.reason == winner["reason"] == last.reason
    assert final.decided_by == winner["actor"] == last.actor
    # Opting out names no contact, so the one named by opting in stays, whichever came first.
    assert final.contact == lead_of_las
