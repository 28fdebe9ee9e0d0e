"""Votes: one per person per idea, counted on the idea in the same transaction.

The idea row is locked while its count changes, so concurrent votes are neither lost nor
double counted, and the unique constraint stops a second vote by the same person.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from collab.audit import audit_record
from collab.models import User
from wellbeing.errors import VoteRefused
from wellbeing.models import Idea, Vote
from wellbeing.services.idea_lock import lock_idea


@dataclass(frozen=True)
class VoteState:
    voted: bool
    vote_count: int


# Whether the person has voted for the idea, asked after the lock: inside the locking
# statement it would see the table as it was before the lock was granted, missing a vote
# committed while it waited. In SQL, as the lock (wellbeing.services.idea_lock).
_HAS_VOTED_SQL = """
    SELECT EXISTS (
      SELECT 1 FROM wellbeing_vote WHERE idea_id = %(idea)s AND person_id = %(person)s
    )
"""


def _lock_open_idea(idea: Idea, person: User) -> bool:
    """Locks the idea's row until the commit and refuses if it no longer takes votes. The
    idea's status and count become those read under the lock; returns whether the person has
    voted for it."""
    if not lock_idea(idea):
        raise VoteRefused("This idea is no longer there.")
    if not idea.takes_votes:
        raise VoteRefused(f"This idea is {idea.get_status_display().lower()}; voting is closed.")
    if not idea.campaign.accepts_votes_and_comments():
        raise VoteRefused("Voting on this campaign's ideas has closed.")
    with connection.cursor() as cursor:
        cursor.execute(_HAS_VOTED_SQL, {"idea": idea.pk, "person": person.pk})
        return cursor.fetchone()[0]


def _record(idea: Idea, person: User, action: str) -> None:
    # The vote row says who backs an idea now; the audit trail keeps what changed and when.
    audit_record(
        actor=person, action=action, target=idea, trust=person.home_trust, context=idea.campaign
    )


def vote_cast(*, idea: Idea, person: User) -> VoteState:
    if person.home_trust_id is None:
        raise VoteRefused("Votes come from staff of a trust; your account has no trust.")
    with transaction.atomic():
        # The idea's row stays locked until the commit, so this person's other requests wait
        # here and then see this vote: the look-up under the lock is enough before the insert.
        if not _lock_open_idea(idea, person):
            Vote.objects.create(idea=idea, person=person, trust_id=person.home_trust_id)
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
            idea.vote_count += 1  # read under the lock, so the count just written
            _record(idea, person, "idea.voted")
    return VoteState(voted=True, vote_count=idea.vote_count)


def vote_withdraw(*, idea: Idea, person: User) -> VoteState:
    with transaction.atomic():
        if _lock_open_idea(idea, person):
            Vote.objects.filter(idea=idea, person=person).delete()
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
            idea.vote_count -= 1  # read under the lock, so the count just written
            _record(idea, person, "idea.vote_withdrawn")
    return VoteState(voted=False, vote_count=idea.vote_count)
