"""Withdrawing a trust or closing a project closes only work not yet delivered."""

from projects.models import CommitmentStatus
from projects.services import (
    commitment_update,
    project_close,
    withdrawal_request_create,
    withdrawal_request_decide,
)


def _deliver_first(participation, lead):
    delivered, open_one = list(participation.commitments.order_by("due_on"))
    commitment_update(
        commitment=delivered, actor=lead, status=CommitmentStatus.DONE, note="Signed."
    )
    return delivered, open_one


def test_an_approved_withdrawal_keeps_work_the_trust_delivered(
    active_project_both, las_participation, lead_of_las, admin_of_southern
):
    delivered, open_one = _deliver_first(las_participation, lead_of_las)
    request = withdrawal_request_create(
        participation=las_participation,
        actor=lead_of_las,
        reason="Budget cut.",
        impact="Less data.",
    )

    withdrawal_request_decide(
        request=request, actor=admin_of_southern, approve=True, reason="Agreed."
    )

    delivered.refresh_from_db()
    open_one.refresh_from_db()
    assert (delivered.status, open_one.status) == (
        CommitmentStatus.DONE,
        CommitmentStatus.WITHDRAWN,
    )


def test_closing_a_project_keeps_work_delivered(
    active_project, las_participation, lead_of_las, admin_of_southern
):
    delivered, open_one = _deliver_first(las_participation, lead_of_las)

    project_close(project=active_project, actor=admin_of_southern, reason="Funding withdrawn.")

    delivered.refresh_from_db()
    open_one.refresh_from_db()
    assert (delivered.status, open_one.status) == (
        CommitmentStatus.DONE,
        CommitmentStatus.WITHDRAWN,
    )
