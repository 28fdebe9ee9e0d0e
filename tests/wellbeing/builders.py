"""Campaigns, ideas and people for the service tests, built through the services."""

import datetime

from django.utils import timezone

from collab.models import Role
from tests.factories import RoleFactory, UserFactory
from wellbeing.models import Campaign, Idea, IdeaStatus
from wellbeing.services.campaigns import campaign_create
from wellbeing.services.ideas import idea_save
from wellbeing.services.review import idea_change_status


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def open_campaign(collaboration, admin, *, title="Where should we focus first?") -> Campaign:
    return campaign_create(
        actor=admin,
        collaboration=collaboration,
        themes=["Rest and recovery", "Career routes"],
        title=title,
        question="What one change would help you most?",
        description="Tell us, vote and comment.",
        opens_on=day(-7),
        closes_on=day(21),
    )


def staff(trust, n: int):
    person = UserFactory(
        email=f"staff{n}.{trust.short_name.lower()}@example.org",
        full_name=f"Staff {n} {trust.short_name}",
        home_trust=trust,
    )
    RoleFactory(user=person, role=Role.STAFF, trust=trust)
    return person


def submitted_idea(campaign, author, title="Hot food on late shifts", **extra) -> Idea:
    return idea_save(
        author=author,
        campaign=campaign,
        title=title,
        problem="After midnight there is nowhere open to eat.",
        proposal="Stock the stations with hot meals crews can heat.",
        suggested_theme=campaign.themes.first(),
        show_author_name=extra.pop("show_author_name", True),
        submit=True,
        **extra,
    )


def shortlisted(idea: Idea, admin) -> Idea:
    idea_change_status(idea=idea, actor=admin, status=IdeaStatus.UNDER_REVIEW, reason="")
    return idea_change_status(idea=idea, actor=admin, status=IdeaStatus.SHORTLISTED, reason="")
