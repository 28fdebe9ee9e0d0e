"""A collaboration for a page that only reads (collab.selectors.get_collaboration_for_page):
from the page cache, yet seen by exactly those `collaborations_visible_to` lets see it."""

import pytest
from django.http import Http404

from collab.selectors import collaborations_visible_to, get_collaboration_for_page
from tests.factories import leave_collaboration_yesterday

pytestmark = pytest.mark.django_db


def _fresh(person):
    """The person as the next request loads them (nothing kept from an earlier look-up)."""
    return type(person).objects.get(pk=person.pk)


@pytest.mark.parametrize(
    "persona",
    [
        "lead_of_las",
        "lead_of_secamb",
        "staff_of_las",
        "admin_of_southern",
        "admin_of_northern",
        "lead_of_yas",
        "site_admin",
    ],
)
def test_the_cached_look_up_agrees_with_the_visibility_rule(
    request, southern, northern, persona, django_assert_num_queries
):
    person = request.getfixturevalue(persona)
    for collaboration in (southern, northern):
        visible = collaborations_visible_to(person).filter(pk=collaboration.pk).exists()
        if not visible:
            for _ in range(2):  # whether or not the collaboration is cached yet
                with pytest.raises(Http404):
                    get_collaboration_for_page(_fresh(person), collaboration.slug)
            continue
        assert get_collaboration_for_page(_fresh(person), collaboration.slug) == collaboration
        again = _fresh(person)
        assert again.role_assignments_cached is not None  # read with the person on a request
        with django_assert_num_queries(0):
            assert get_collaboration_for_page(again, collaboration.slug) == collaboration


def test_no_such_collaboration_is_not_found(site_admin):
    with pytest.raises(Http404):
        get_collaboration_for_page(site_admin, "no-such-collaboration")


def test_a_trust_that_leaves_stops_seeing_the_collaboration_at_once(
    southern, lead_of_las, django_capture_on_commit_callbacks
):
    assert get_collaboration_for_page(_fresh(lead_of_las), southern.slug) == southern
    with django_capture_on_commit_callbacks(execute=True):
        leave_collaboration_yesterday(lead_of_las.home_trust, southern)

    with pytest.raises(Http404):
        get_collaboration_for_page(_fresh(lead_of_las), southern.slug)
