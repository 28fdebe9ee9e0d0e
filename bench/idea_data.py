"""A campaign at national scale for the idea list: ideas, people and votes, inserted in bulk.

Used by the query-count test at 10,000 ideas and 200,000 votes
(tests/wellbeing/test_idea_list_at_scale.py) and by `python -m bench.idea_list`.
"""

import datetime

from django.db import connection
from django.utils import timezone

from collab.models import Trust, User
from wellbeing.models import Campaign, Idea, IdeaStatus, Vote

VOTES_PER_PERSON = 200
BATCH = 10_000


def build_ideas_and_votes(
    campaign: Campaign, trusts: list[Trust], *, ideas: int, votes: int
) -> None:
    """`ideas` submitted ideas across the trusts and the campaign's themes, and `votes` votes
    from people voting for VOTES_PER_PERSON ideas each (a skew, so some ideas lead), with
    vote_count set from the rows as the services would have kept it."""
    themes = list(campaign.themes.all()) or [None]
    people_needed = max(1, -(-votes // VOTES_PER_PERSON))
    stamp = timezone.now().strftime("%H%M%S%f")
    User.objects.bulk_create(
        (
            User(
                email=f"scale{stamp}.{n}@example.org",
                full_name=f"Member of staff {n}",
                home_trust=trusts[n % len(trusts)],
                password="!",  # unusable: these people never sign in
            )
            for n in range(people_needed)
        ),
        batch_size=BATCH,
    )
    people = list(
        User.objects.filter(email__startswith=f"scale{stamp}.").values_list("pk", "home_trust_id")
    )
    now = timezone.now()
    Idea.objects.bulk_create(
        (
            Idea(
                campaign=campaign,
                author_id=people[i % len(people)][0],
                trust_id=people[i % len(people)][1],
                title=f"Idea {i}: rest areas, debriefs and career routes",
                problem="Crews finish difficult jobs with no time to decompress.",
                proposal="Protected time after a difficult job, agreed with control.",
                theme=themes[i % len(themes)],
                status=IdeaStatus.SUBMITTED if i % 5 else IdeaStatus.UNDER_REVIEW,
                submitted_at=now - datetime.timedelta(minutes=i),
                comment_count=i % 7,
            )
            for i in range(ideas)
        ),
        batch_size=BATCH,
    )
    idea_ids = list(
        Idea.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True)
    )
    per_person = min(VOTES_PER_PERSON, len(idea_ids))

    def vote_rows():
        made = 0
        for n, (person_id, trust_id) in enumerate(people):
            for k in range(per_person):
                if made == votes:
                    return
                # Each person backs a run of ideas starting in the first half: the first half
                # collects the votes, many later ideas have none, as in real campaigns.
                position = ((n * 13) % max(1, len(idea_ids) // 2) + k) % len(idea_ids)
                yield Vote(idea_id=idea_ids[position], person_id=person_id, trust_id=trust_id)
                made += 1

    Vote.objects.bulk_create(vote_rows(), batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wellbeing_idea SET vote_count = counted.n FROM ("
            " SELECT idea_id, COUNT(*) AS n FROM wellbeing_vote GROUP BY idea_id"
            ") AS counted"
            " WHERE counted.idea_id = wellbeing_idea.id AND wellbeing_idea.campaign_id = %s",
            [campaign.pk],
        )
        # As idea_save keeps it: the ideas sent in (not drafts).
        cursor.execute(
            "UPDATE wellbeing_campaign SET idea_count = (SELECT COUNT(*) FROM wellbeing_idea"
            " WHERE campaign_id = %s AND status <> 'draft') WHERE id = %s",
            [campaign.pk, campaign.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE wellbeing_idea; ANALYZE wellbeing_vote;")
