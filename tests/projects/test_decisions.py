"""Trust leads opting in or out while a project is open for decisions."""

import pytest
import time_machine

from collab.audit import audit_context
from projects.errors import DecisionClosed
from projects.models import ParticipationStatus
from projects.services import participation_decide, project_close
from tests.projects.helpers import days, events_for, noon, refused, spoken, timeline_of


def test_opting_in_needs_the_trust_to_confirm_it_will_see_the_project_through(
    las_participation, lead_of_las
):
    with refused(DecisionClosed, match="Confirm that your trust will see", field="confirmed"):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=True,
            reason="Priority for us.",
            contact=lead_of_las,
            confirmed=False,
        )


@pytest.mark.parametrize("opt_in", [True, False], ids=["opt-in", "opt-out"])
@pytest.mark.parametrize("reason", ["", "  \n "], ids=["empty", "blank"])
def test_a_decision_needs_a_reason(las_participation, lead_of_las, opt_in, reason):
    with refused(DecisionClosed, match="Give the reason", field="reason"):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=opt_in,
            reason=reason,
            contact=lead_of_las,
            confirmed=True,
        )


def test_opting_out_needs_no_confirmation_and_no_contact(las_participation, lead_of_las):
    participation = participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=False,
        reason="No capacity this year.",
        contact=None,
    )
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.OPTED_OUT
    assert participation.contact is None


def test_the_contact_must_be_someone_at_the_deciding_trust(
    las_participation, lead_of_las, lead_of_secamb
):
    with refused(DecisionClosed, match="must be someone at LAS", field="contact"):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=True,
            reason="Priority for us.",
            contact=lead_of_secamb,
            confirmed=True,
        )


def test_the_contact_must_still_have_an_active_account(
    las_participation, lead_of_las, staff_of_las
):
    staff_of_las.is_active = False
    staff_of_las.save()
    with refused(DecisionClosed, match="must be someone at LAS", field="contact"):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=True,
            reason="Priority for us.",
            contact=staff_of_las,
            confirmed=True,
        )


def test_opting_in_records_who_decided_when_why_and_the_contact(
    open_project, las_participation, lead_of_las, staff_of_las, las
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="  Triage is our top priority. ",
        contact=staff_of_las,
        confirmed=True,
    )

    las_participation.refresh_from_db()
    assert las_participation.status == ParticipationStatus.OPTED_IN
    assert las_participation.reason == "Triage is our top priority."
    assert las_participation.decided_by == lead_of_las
    assert las_participation.decided_at is not None
    assert las_participation.contact == staff_of_las
    [event] = events_for(las_participation)
    assert event.action == "participation.opted_in"
    assert event.actor == lead_of_las
    assert event.trust == las
    assert event.context == audit_context(open_project)
    assert event.before == {"status": ParticipationStatus.UNDECIDED, "reason": ""}
    assert event.after == {"status": ParticipationStatus.OPTED_IN, "contact": staff_of_las.email}
    assert event.reason == "Triage is our top priority."


def test_a_lead_may_change_the_decision_until_the_deadline(
    open_project, las_participation, lead_of_las, staff_of_las
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="We are in.",
        contact=staff_of_las,
        confirmed=True,
    )
    with time_machine.travel(noon(14), tick=False):  # the deadline day itself
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=False,
            reason="The board said no.",
            contact=None,
        )

    las_participation.refresh_from_db()
    assert las_participation.status == ParticipationStatus.OPTED_OUT
    assert las_participation.reason == "The board said no."
    # Leaving the contact out keeps the one named before.
    assert las_participation.contact == staff_of_las
    decisions = [e for e in timeline_of(open_project) if e.action.startswith("participation.")]
    assert [(e.action, e.before["status"], e.after["status"]) for e in decisions] == [
        ("participation.opted_in", ParticipationStatus.UNDECIDED, ParticipationStatus.OPTED_IN),
        ("participation.opted_out", ParticipationStatus.OPTED_IN, ParticipationStatus.OPTED_OUT),
    ]
    assert decisions[1].before["reason"] == "We are in."
    assert {e.context for e in decisions} == {audit_context(open_project)}


@pytest.mark.parametrize("opt_in", [True, False], ids=["opt-in", "opt-out"])
def test_decisions_are_refused_after_the_deadline(las_participation, lead_of_las, opt_in):
    deadline = days(14)
    with (
        time_machine.travel(noon(15), tick=False),
        refused(DecisionClosed, match=f"closed on {spoken(deadline)}."),
    ):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=opt_in,
            reason="Late, sorry.",
            contact=lead_of_las,
            confirmed=True,
        )


def test_decisions_are_refused_once_the_project_is_active(active_project, lead_of_secamb, secamb):
    participation = active_project.participations.get(trust=secamb)
    with refused(DecisionClosed, match="This project is active, so decisions are closed"):
        participation_decide(
            participation=participation,
            actor=lead_of_secamb,
            opt_in=True,
            reason="We changed our minds.",
            contact=lead_of_secamb,
            confirmed=True,
        )


def test_decisions_are_refused_once_the_project_is_closed(
    open_project, las_participation, lead_of_las, admin_of_southern
):
    project_close(project=open_project, actor=admin_of_southern, reason="Not going ahead.")
    with refused(DecisionClosed, match="This project is closed, so decisions are closed"):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=True,
            reason="We are in.",
            contact=lead_of_las,
            confirmed=True,
        )
