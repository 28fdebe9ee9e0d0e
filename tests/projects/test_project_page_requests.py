"""The project page's requests come with the participations already loaded (projects.selectors.
project_page): newest first across the trusts, each knowing its trust and project without a
query of its own."""

import datetime

from django.utils import timezone

from projects.models import LateJoinRequest, RequestStatus, WithdrawalRequest
from projects.selectors import project_page


def test_requests_are_listed_newest_first_across_trusts_without_more_queries(
    active_project_both,
    las_participation,
    secamb_participation,
    lead_of_las,
    lead_of_secamb,
    admin_of_southern,
    django_assert_num_queries,
):
    now = timezone.now()
    older = WithdrawalRequest.objects.create(
        participation=las_participation,
        reason="Our budget was cut.",
        requested_by=lead_of_las,
        requested_at=now - datetime.timedelta(days=3),
        status=RequestStatus.REJECTED,
        decided_by=admin_of_southern,
        decided_at=now - datetime.timedelta(days=2),
    )
    newer = WithdrawalRequest.objects.create(
        participation=secamb_participation,
        reason="The board paused all new work.",
        requested_by=lead_of_secamb,
        requested_at=now - datetime.timedelta(days=1),
    )
    late_join = LateJoinRequest.objects.create(
        participation=las_participation,
        reason="Asked again after the review.",
        requested_by=lead_of_las,
        requested_at=now,
    )

    page = project_page(active_project_both)

    assert page.withdrawal_requests == [newer, older]
    assert page.late_join_requests == [late_join]
    assert page.pending_requests == [newer, late_join]
    with django_assert_num_queries(0):
        shown = [
            (str(r), r.requested_by.full_name, r.decided_by and r.decided_by.full_name)
            for r in page.withdrawal_requests
        ]
    assert shown[0][0].startswith("SECAmb asks to withdraw from")
    assert shown[1][2] == admin_of_southern.full_name
