"""A campaign's list of ideas reads the campaign and its filters' choices from the page cache,
and decides who may see it from their cached list of visible campaigns (issue 7)."""

import pytest
from django.http import Http404

from tests.factories import leave_collaboration_yesterday
from tests.wellbeing.conftest import make_idea
from wellbeing.selectors import get_campaign_listing_for_user, ideas_voted_by
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db


def _fresh(person):
    return type(person).objects.get(pk=person.pk)


def test_the_second_look_up_makes_no_query(
    southern_campaign, idea, staff_of_las, lead_of_las, django_assert_num_queries
):
    first = get_campaign_listing_for_user(_fresh(staff_of_las), southern_campaign.slug)
    assert first.campaign == southern_campaign
    assert [trust.short_name for trust in first.trusts] == ["LAS"]
    assert {theme.name for theme in first.themes} >= {"Rest and recovery"}
    lead = _fresh(lead_of_las)
    lead.role_assignments_cached  # noqa: B018 - loaded with the person on every request
    with django_assert_num_queries(0):
        second = get_campaign_listing_for_user(lead, southern_campaign.slug)
    assert second.campaign == southern_campaign


def test_another_collaborations_campaign_and_an_unknown_one_are_404(
    southern_campaign, national_campaign, lead_of_yas, site_admin
):
    with pytest.raises(Http404):
        get_campaign_listing_for_user(lead_of_yas, southern_campaign.slug)
    with pytest.raises(Http404):
        get_campaign_listing_for_user(lead_of_yas, "no-such-campaign")
    assert get_campaign_listing_for_user(lead_of_yas, national_campaign.slug)
    assert get_campaign_listing_for_user(site_admin, southern_campaign.slug)


def test_a_trust_that_leaves_stops_seeing_the_cached_campaign_at_once(
    southern_campaign, lead_of_las, django_capture_on_commit_callbacks
):
    get_campaign_listing_for_user(_fresh(lead_of_las), southern_campaign.slug)
    with django_capture_on_commit_callbacks(execute=True):
        leave_collaboration_yesterday(lead_of_las.home_trust, southern_campaign.collaboration)
    with pytest.raises(Http404):
        get_campaign_listing_for_user(_fresh(lead_of_las), southern_campaign.slug)


def test_a_new_trusts_idea_joins_the_trust_filter_at_once(
    southern_campaign, idea, lead_of_secamb, django_capture_on_commit_callbacks
):
    before = get_campaign_listing_for_user(lead_of_secamb, southern_campaign.slug)
    assert [trust.short_name for trust in before.trusts] == ["LAS"]
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(southern_campaign, lead_of_secamb, "Rest rooms at every station")
    after = get_campaign_listing_for_user(lead_of_secamb, southern_campaign.slug)
    assert [trust.short_name for trust in after.trusts] == ["LAS", "SECAmb"]


def test_ideas_voted_by_names_only_the_persons_votes_among_those_asked(
    southern_campaign, idea, lead_of_las, lead_of_secamb, staff_of_las
):
    other = make_idea(southern_campaign, staff_of_las, "Rest rooms at every station")
    vote_cast(idea=idea, person=lead_of_las)
    vote_cast(idea=other, person=lead_of_secamb)
    assert ideas_voted_by(lead_of_las, [idea.pk, other.pk]) == {idea.pk}
    assert ideas_voted_by(lead_of_las, [other.pk]) == set()
    assert ideas_voted_by(lead_of_secamb, [idea.pk, other.pk]) == {other.pk}
    assert ideas_voted_by(lead_of_las, []) == set()
