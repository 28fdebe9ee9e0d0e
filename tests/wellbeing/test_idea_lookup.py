"""An idea's page reads the idea from the page cache, and a vote or a comment reads it in plain
SQL; both decide who may see it with `_sees_idea`, the rule of `ideas_visible_to` for one idea
(issue 7). These tests keep the two forms of the rule in step, check the cached idea is never
stale after a vote, and that the plain SQL reads what the ORM reads."""

import uuid

import pytest
from django.http import Http404

from tests.wellbeing.conftest import make_idea
from wellbeing.models import Campaign, Idea
from wellbeing.selectors import (
    _sees_idea,
    get_idea_for_page,
    get_idea_to_take_part,
    ideas_visible_to,
)
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db


def _fresh(person):
    return type(person).objects.get(pk=person.pk)


def test_the_page_rule_agrees_with_the_list_rule_for_everyone(
    idea,
    draft,
    national_campaign,
    staff_of_las,
    lead_of_las,
    lead_of_yas,
    admin_of_southern,
    site_admin,
):
    national = make_idea(national_campaign, lead_of_yas, "Rest breaks that are protected")
    people = [staff_of_las, lead_of_las, lead_of_yas, admin_of_southern, site_admin]
    for shown in (idea, draft, national):
        seen_by = {person.email: _sees_idea(_fresh(person), shown) for person in people}
        listed_for = {
            person.email: ideas_visible_to(_fresh(person)).filter(pk=shown.pk).exists()
            for person in people
        }
        assert seen_by == listed_for, shown.title
    # Not vacuous: the draft is its author's alone, the Southern idea not for YAS.
    assert _sees_idea(staff_of_las, draft) and not _sees_idea(lead_of_las, draft)
    assert not _sees_idea(lead_of_yas, idea) and _sees_idea(lead_of_yas, national)


def test_the_second_look_up_makes_no_query_and_unknown_or_hidden_ideas_are_404(
    idea, draft, lead_of_las, lead_of_yas, django_assert_num_queries
):
    assert get_idea_for_page(_fresh(lead_of_las), idea.public_id) == idea
    lead = _fresh(lead_of_las)
    lead.role_assignments_cached  # noqa: B018 - loaded with the person on every request
    with django_assert_num_queries(0):
        assert get_idea_for_page(lead, idea.public_id).campaign.title
    for person, idea_id in ((lead_of_yas, idea.public_id), (lead_of_las, draft.public_id)):
        with pytest.raises(Http404):
            get_idea_for_page(_fresh(person), idea_id)
    with pytest.raises(Http404):
        get_idea_for_page(lead, uuid.uuid4())


def test_a_vote_shows_in_the_cached_idea_at_once(
    idea, lead_of_las, lead_of_secamb, django_capture_on_commit_callbacks
):
    assert get_idea_for_page(_fresh(lead_of_las), idea.public_id).vote_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(idea=idea, person=lead_of_secamb)
    assert get_idea_for_page(_fresh(lead_of_las), idea.public_id).vote_count == 1


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_vote_or_comment_reads_the_idea_and_campaign_as_the_orm_does(
    idea, lead_of_las, django_assert_num_queries
):
    Idea.objects.filter(pk=idea.pk).update(status_reason="Shortlisted by the panel.")
    lead = _fresh(lead_of_las)
    lead.role_assignments_cached  # noqa: B018 - loaded with the person on every request
    _sees_idea(lead, idea)  # the person's visible campaigns, cached as on any page before
    with django_assert_num_queries(1):
        read = get_idea_to_take_part(lead, idea.public_id)
    assert _values(read) == _values(Idea.objects.get(pk=idea.pk))
    assert _values(read.campaign) == _values(Campaign.objects.get(pk=idea.campaign_id))
    assert read.status_reason == "Shortlisted by the panel."


def test_a_vote_or_comment_on_an_idea_out_of_sight_is_404(
    idea, draft, staff_of_las, lead_of_las, lead_of_yas
):
    assert get_idea_to_take_part(_fresh(staff_of_las), draft.public_id) == draft  # their own
    for person, idea_id in (
        (lead_of_yas, idea.public_id),
        (lead_of_las, draft.public_id),
        (lead_of_las, uuid.uuid4()),
    ):
        with pytest.raises(Http404):
            get_idea_to_take_part(_fresh(person), idea_id)
