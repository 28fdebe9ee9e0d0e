"""The programme team's review: statuses with public reasons, merging without double counting,
and promotion into a joint project draft. Every change audited and told to followers."""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.db import connection

from collab.models import AuditEvent, Notification
from projects.models import Category, FundingModel, ProjectStatus
from tests.wellbeing.builders import day, open_campaign, shortlisted, staff, submitted_idea
from wellbeing.errors import IdeaRefused, VoteRefused
from wellbeing.models import Follow, Idea, IdeaStatus, Vote
from wellbeing.services.ideas import idea_follow
from wellbeing.services.review import idea_change_status, idea_merge, idea_promote
from wellbeing.services.votes import vote_cast


@pytest.fixture
def campaign(southern, admin_of_southern):
    return open_campaign(southern, admin_of_southern)


@pytest.mark.django_db
def test_a_status_change_is_audited_and_tells_the_followers(
    campaign, staff_of_las, lead_of_las, admin_of_southern
):
    idea = submitted_idea(campaign, staff_of_las)
    idea_follow(idea=idea, person=lead_of_las, follow=True)

    idea_change_status(
        idea=idea, actor=admin_of_southern, status=IdeaStatus.UNDER_REVIEW, reason="Looking."
    )

    told = set(
        Notification.objects.filter(kind="idea.status_changed").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {"staff.las@example.org", "lead.las@example.org"}
    event = AuditEvent.objects.get(action="idea.status_changed")
    assert (event.before, event.after) == (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW)


@pytest.mark.django_db
def test_not_taken_forward_needs_a_public_reason_and_skipping_steps_is_refused(
    campaign, staff_of_las, admin_of_southern
):
    idea = submitted_idea(campaign, staff_of_las)
    with pytest.raises(IdeaRefused) as refused:
        idea_change_status(
            idea=idea, actor=admin_of_southern, status=IdeaStatus.NOT_TAKEN_FORWARD, reason=" "
        )
    assert refused.value.field == "reason"
    with pytest.raises(IdeaRefused, match="cannot become adopted"):
        idea_change_status(idea=idea, actor=admin_of_southern, status=IdeaStatus.ADOPTED, reason="")
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="idea.status_changed").exists()


@pytest.mark.django_db
def test_only_the_campaigns_programme_admins_review(campaign, staff_of_las, admin_of_northern):
    idea = submitted_idea(campaign, staff_of_las)
    with pytest.raises(IdeaRefused, match="programme admins"):
        idea_change_status(
            idea=idea, actor=admin_of_northern, status=IdeaStatus.UNDER_REVIEW, reason=""
        )


@pytest.mark.django_db
def test_merging_carries_votes_and_followers_over_without_double_counting(
    campaign, las, staff_of_las, admin_of_southern
):
    duplicate = submitted_idea(campaign, staff_of_las, title="Meals at night")
    original = submitted_idea(campaign, staff(las, 1), title="Hot food on late shifts")
    both, only_duplicate, only_original = staff(las, 2), staff(las, 3), staff(las, 4)
    for person in (both, only_duplicate):
        vote_cast(idea=duplicate, person=person)
    for person in (both, only_original):
        vote_cast(idea=original, person=person)
    idea_follow(idea=duplicate, person=both, follow=True)
    idea_follow(idea=original, person=both, follow=True)

    merged = idea_merge(idea=duplicate, into=original, actor=admin_of_southern, reason="Same.")

    original.refresh_from_db()
    assert (merged.status, merged.merged_into_id) == (IdeaStatus.MERGED, original.pk)
    assert original.vote_count == 3 == Vote.objects.filter(idea=original).count()
    assert merged.vote_count == 0 == Vote.objects.filter(idea=duplicate).count()
    followers = set(Follow.objects.filter(idea=original).values_list("person_id", flat=True))
    assert followers == {original.author_id, staff_of_las.pk, both.pk}
    assert AuditEvent.objects.get(action="idea.merged").after["votes_moved"] == 1


@pytest.mark.django_db
def test_an_idea_cannot_merge_into_itself_or_across_campaigns(
    campaign, southern, staff_of_las, admin_of_southern
):
    idea = submitted_idea(campaign, staff_of_las)
    other_campaign = open_campaign(southern, admin_of_southern, title="Another question")
    elsewhere = submitted_idea(other_campaign, staff_of_las)
    with pytest.raises(IdeaRefused, match="different idea"):
        idea_merge(idea=idea, into=idea, actor=admin_of_southern, reason="")
    with pytest.raises(IdeaRefused, match="within one campaign"):
        idea_merge(idea=idea, into=elsewhere, actor=admin_of_southern, reason="")


@pytest.mark.django_db(transaction=True)
def test_votes_arriving_during_a_merge_are_all_counted_once(
    southern, las, admin_of_southern, staff_of_las
):
    campaign = open_campaign(southern, admin_of_southern)
    duplicate = submitted_idea(campaign, staff_of_las, title="Meals at night")
    original = submitted_idea(campaign, staff(las, 1), title="Hot food")
    voters = [staff(las, n) for n in range(10, 18)]
    barrier = threading.Barrier(len(voters) + 1)
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
        except IdeaRefused:
            pass
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    actions = [
        lambda p=p, target=(duplicate if i % 2 else original): _vote_if_open(target, p)
        for i, p in enumerate(voters)
    ] + [lambda: idea_merge(idea=duplicate, into=original, actor=admin_of_southern, reason="")]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []

    original.refresh_from_db()
    assert original.vote_count == Vote.objects.filter(idea=original).count()
    assert Vote.objects.filter(idea=duplicate).count() == 0
    # Every vote for the original counted; votes for the duplicate counted if they came first.
    assert 4 <= original.vote_count <= 8


def _vote_if_open(idea, person) -> None:
    # If the duplicate was merged first, voting on it is closed.
    with contextlib.suppress(VoteRefused):
        vote_cast(idea=Idea.objects.get(pk=idea.pk), person=person)


@pytest.mark.django_db
def test_promoting_a_shortlisted_idea_makes_a_linked_project_draft(
    campaign, southern, las, staff_of_las, admin_of_southern
):
    idea = shortlisted(submitted_idea(campaign, staff_of_las), admin_of_southern)

    project = idea_promote(
        idea=idea,
        actor=admin_of_southern,
        collaboration=southern,
        lead_trust=las,
        category=Category.WORKFORCE_AND_WELLBEING,
        terms="Each trust stocks its stations.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("10000.00"),
        decision_deadline=day(14),
        planned_start=day(30),
        planned_end=day(200),
    )

    idea.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert (idea.status, idea.project) == (IdeaStatus.ADOPTED, project)
    assert project.idea == idea
    assert project.title == idea.title
    with pytest.raises(IdeaRefused):
        idea_promote(idea=idea, actor=admin_of_southern, collaboration=southern, lead_trust=las)


@pytest.mark.django_db
def test_only_a_shortlisted_idea_is_promoted(
    campaign, southern, las, staff_of_las, admin_of_southern
):
    idea = submitted_idea(campaign, staff_of_las)
    with pytest.raises(IdeaRefused, match="Shortlist"):
        idea_promote(idea=idea, actor=admin_of_southern, collaboration=southern, lead_trust=las)
