"""The idea list sorted by votes at national scale: 10,000 ideas and 200,000 votes, and the same
bounded number of queries as with five ideas (tests/wellbeing/test_idea_list.py)."""

import pytest

from bench.idea_data import build_ideas_and_votes
from tests.wellbeing.test_idea_list import CAMPAIGN_PAGE_QUERIES
from wellbeing.models import Idea, Vote
from wellbeing.views.campaigns import IDEAS_PER_PAGE


@pytest.mark.django_db
def test_the_idea_list_by_votes_is_bounded_at_10000_ideas_and_200000_votes(
    client, django_assert_max_num_queries, southern_campaign, las, secamb, staff_of_las
):
    build_ideas_and_votes(southern_campaign, [las, secamb], ideas=10_000, votes=200_000)
    assert Idea.objects.filter(campaign=southern_campaign).count() == 10_000
    assert Vote.objects.count() == 200_000

    client.force_login(staff_of_las)
    with django_assert_max_num_queries(CAMPAIGN_PAGE_QUERIES):
        response = client.get(southern_campaign.get_absolute_url(), {"sort": "votes"})

    listed = response.context["page"].object_list
    assert len(listed) == IDEAS_PER_PAGE
    counts = [idea.vote_count for idea in listed]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == max(Idea.objects.values_list("vote_count", flat=True))
    with django_assert_max_num_queries(CAMPAIGN_PAGE_QUERIES):
        client.get(southern_campaign.get_absolute_url(), {"sort": "votes", "page": "400"})
