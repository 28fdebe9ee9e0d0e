"""Which campaigns a person sees (wellbeing.selectors.visible_campaign_ids): worked out once
and cached for everyone of the same trust and programme roles, until campaigns, memberships
or roles change (issue 7)."""

import pytest
from django.http import Http404

from tests.factories import leave_collaboration_yesterday
from wellbeing.selectors import campaigns_visible_to, get_idea_for_user, visible_campaign_ids
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db


def _fresh(person):
    """The person as a new request loads them (role assignments not yet read)."""
    return type(person).objects.get(pk=person.pk)


def test_staff_see_national_campaigns_and_those_of_their_collaboration(
    southern_campaign, national_campaign, lead_of_las, lead_of_yas, admin_of_northern
):
    assert set(visible_campaign_ids(lead_of_las)) == {southern_campaign.pk, national_campaign.pk}
    assert visible_campaign_ids(lead_of_yas) == [national_campaign.pk]
    # A programme admin of Northern (at YAS) sees no more of Southern than YAS staff do.
    assert visible_campaign_ids(admin_of_northern) == [national_campaign.pk]


def test_the_answer_comes_from_the_cache_the_second_time(
    southern_campaign, national_campaign, lead_of_las, staff_of_las, django_assert_num_queries
):
    visible_campaign_ids(_fresh(lead_of_las))
    staff = _fresh(staff_of_las)
    staff.role_assignments_cached  # noqa: B018 - loaded with the person on every request
    # Another person of the same trust, with no programme role: shared, no query.
    with django_assert_num_queries(0):
        ids = visible_campaign_ids(staff)
    assert set(ids) == {southern_campaign.pk, national_campaign.pk}


def test_a_trust_that_leaves_the_collaboration_stops_seeing_its_campaigns_at_once(
    southern_campaign, national_campaign, idea, lead_of_las, django_capture_on_commit_callbacks
):
    assert get_idea_for_user(lead_of_las, str(idea.public_id)) == idea
    with django_capture_on_commit_callbacks(execute=True):
        leave_collaboration_yesterday(lead_of_las.home_trust, southern_campaign.collaboration)

    person = _fresh(lead_of_las)
    assert visible_campaign_ids(person) == [national_campaign.pk]
    assert list(campaigns_visible_to(person)) == [national_campaign]
    with pytest.raises(Http404):
        get_idea_for_user(person, str(idea.public_id))


def test_a_vote_leaves_the_answer_in_the_cache(
    southern_campaign,
    idea,
    lead_of_secamb,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    """A vote's audit names its campaign as the context: the campaign shows new counts, but
    who sees it has not changed."""
    voter = _fresh(lead_of_secamb)
    visible_campaign_ids(voter)
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(idea=idea, person=voter)
    with django_assert_num_queries(0):
        assert southern_campaign.pk in visible_campaign_ids(voter)


def test_a_site_admin_sees_every_campaign_without_the_cache(
    southern_campaign, national_campaign, site_admin, django_assert_num_queries
):
    admin = _fresh(site_admin)
    admin.role_assignments_cached  # noqa: B018 - loaded with the person on every request
    with django_assert_num_queries(1):
        assert set(campaigns_visible_to(admin)) == {southern_campaign, national_campaign}
