"""Votes: one per person per idea, counted on the idea in the same transaction.

The idea row is locked while its count changes, so concurrent votes are neither lost nor
double counted, and the unique constraint stops a second vote by the same person.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from collab.audit import audit_record
from collab.models import User
from wellbeing.errors import VoteRefused
from wellbeing.models import Idea
from wellbeing.services.idea_lock import lock_idea


@dataclass(frozen=True)
class VoteState:
    voted: bool
    vote_count: int


# The vote and the count in one statement, once the idea's row is locked (wellbeing.services.
# idea_lock): its snapshot then includes every vote committed before the lock was granted. Each
# says whether it changed anything: a second vote, or taking back a vote that is not there,
# changes nothing.
_CAST_SQL = """
    WITH new_vote AS (
      INSERT INTO wellbeing_vote (idea_id, person_id, trust_id, created_at)
      VALUES (%(idea)s, %(person)s, %(trust)s, %(now)s)
      ON CONFLICT (idea_id, person_id) DO NOTHING
      RETURNING 1
    )
    UPDATE wellbeing_idea SET vote_count = vote_count + (SELECT count(*) FROM new_vote)
    WHERE id = %(idea)s
    RETURNING vote_count, (SELECT count(*) FROM new_vote)
"""
_WITHDRAW_SQL = """
    WITH old_vote AS (
      DELETE FROM wellbeing_vote WHERE idea_id = %(idea)s AND person_id = %(person)s
      RETURNING 1
    )
    UPDATE wellbeing_idea SET vote_count = vote_count - (SELECT count(*) FROM old_vote)
    WHERE id = %(idea)s
    RETURNING vote_count, (SELECT count(*) FROM old_vote)
"""


def _change_vote(idea: Idea, person: User, *, sql: str, action: str) -> None:
    """Locks the idea (refusing if it no longer takes votes), then changes the vote and the
    count together: in plain SQL, two round trips where the ORM's lock, check, write and count
    took four (issue 7)."""
    if not idea.campaign.accepts_votes_and_comments():
        raise VoteRefused("Voting on this campaign's ideas has closed.")
    with transaction.atomic():
        if not lock_idea(idea):
            raise VoteRefused("This idea is no longer there.")
        if not idea.takes_votes:
            raise VoteRefused(
                f"This idea is {idea.get_status_display().lower()}; voting is closed."
            )
        params = {
            "idea": idea.pk,
            "person": person.pk,
            "trust": person.home_trust_id,
            "now": timezone.now(),
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            idea.vote_count, changed = cursor.fetchone()
        if changed:
            # The vote row says who backs an idea now; the audit trail keeps what changed
            # and when.
            audit_record(
                actor=person,
                action=action,
                target=idea,
                trust=person.home_trust,
                context=idea.campaign,
            )


def vote_cast(*, idea: Idea, person: User) -> VoteState:
    if person.home_trust_id is None:
        raise VoteRefused("Votes come from staff of a trust; your account has no trust.")
    _change_vote(idea, person, sql=_CAST_SQL, action="idea.voted")
    return VoteState(voted=True, vote_count=idea.vote_count)


def vote_withdraw(*, idea: Idea, person: User) -> VoteState:
    _change_vote(idea, person, sql=_WITHDRAW_SQL, action="idea.vote_withdrawn")
    return VoteState(voted=False, vote_count=idea.vote_count)
