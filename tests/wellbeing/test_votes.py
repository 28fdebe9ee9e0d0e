"""Votes: one per person, can be taken back, never lost or double counted under concurrency."""

import threading

import pytest
from django.db import connection

from collab.models import AuditEvent
from tests.wellbeing.builders import open_campaign, staff, submitted_idea
from wellbeing.errors import VoteRefused
from wellbeing.models import Idea, IdeaStatus, Vote
from wellbeing.services.votes import vote_cast, vote_withdraw


@pytest.fixture
def idea(southern, admin_of_southern, staff_of_las):
    return submitted_idea(open_campaign(southern, admin_of_southern), staff_of_las)


@pytest.mark.django_db
def test_one_vote_per_person_and_it_can_be_taken_back(idea, lead_of_las):
    assert vote_cast(idea=idea, person=lead_of_las).vote_count == 1
    assert vote_cast(idea=idea, person=lead_of_las).vote_count == 1
    assert Vote.objects.filter(idea=idea).count() == 1

    state = vote_withdraw(idea=idea, person=lead_of_las)
    assert (state.voted, state.vote_count) == (False, 0)
    assert vote_withdraw(idea=idea, person=lead_of_las).vote_count == 0
    # Each change once in the record, in order; the repeats changed nothing.
    actions = AuditEvent.objects.filter(target_type="wellbeing.idea", actor=lead_of_las)
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "idea.voted",
        "idea.vote_withdrawn",
    ]


@pytest.mark.django_db
def test_the_count_after_a_vote_includes_votes_cast_since_the_idea_was_loaded(
    idea, lead_of_las, lead_of_secamb
):
    loaded_earlier = Idea.objects.select_related("campaign").get(pk=idea.pk)
    vote_cast(idea=idea, person=lead_of_secamb)
    state = vote_cast(idea=loaded_earlier, person=lead_of_las)
    assert state.vote_count == 2
    assert vote_withdraw(idea=loaded_earlier, person=lead_of_las).vote_count == 1


@pytest.mark.django_db
def test_votes_close_with_the_idea(idea, lead_of_las):
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.NOT_TAKEN_FORWARD)
    with pytest.raises(VoteRefused, match="voting is closed"):
        vote_cast(idea=idea, person=lead_of_las)
    assert Vote.objects.count() == 0
    # Counted under the lock before the refusal, and rolled back with it.
    assert Idea.objects.get(pk=idea.pk).vote_count == 0


@pytest.mark.django_db
def test_a_vote_taken_back_on_a_closed_idea_is_refused_and_stays(idea, lead_of_las):
    vote_cast(idea=idea, person=lead_of_las)
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.NOT_TAKEN_FORWARD)
    with pytest.raises(VoteRefused, match="voting is closed"):
        vote_withdraw(idea=idea, person=lead_of_las)
    assert Vote.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


@pytest.mark.parametrize("attempt", range(2))
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_are_neither_lost_nor_double_counted(idea, las, attempt):
    """Twelve people vote at once, and three of them twice; four take theirs back at once."""
    people = [staff(las, n) for n in range(12)]
    actions = [(vote_cast, p) for p in people] + [(vote_cast, p) for p in people[:3]]
    _all_at_once(idea, actions)
    idea.refresh_from_db()
    assert idea.vote_count == Vote.objects.filter(idea=idea).count() == 12

    _all_at_once(idea, [(vote_withdraw, p) for p in people[:4]] + [(vote_cast, people[0])])
    idea.refresh_from_db()
    assert idea.vote_count == Vote.objects.filter(idea=idea).count()
    assert idea.vote_count in (8, 9)  # the re-vote may land before or after its withdrawal


def _all_at_once(idea, actions) -> None:
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def act(service, person) -> None:
        try:
            barrier.wait(timeout=30)
            service(idea=Idea.objects.get(pk=idea.pk), person=person)
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=action) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
