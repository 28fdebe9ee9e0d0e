"""Campaigns and ideas for the view tests of staff ideas, built through the services.

Southern (LAS, SECAmb) runs a campaign open now with three themes; a national campaign is open
to every trust. Staff of LAS and SECAmb have submitted ideas to the Southern one. YAS (in the
Northern collaboration) sees the national campaign only.
"""

import datetime

import pytest
from django.utils import timezone

from wellbeing.models import Campaign, Idea
from wellbeing.services.campaigns import campaign_create
from wellbeing.services.ideas import idea_save

SOUTHERN_THEMES = ["Rest and recovery", "Career routes", "Talking about mental health"]


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Attachments go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def southern_campaign(southern, admin_of_southern) -> Campaign:
    return campaign_create(
        actor=admin_of_southern,
        collaboration=southern,
        themes=SOUTHERN_THEMES,
        title="Where should Southern focus first?",
        question="What one change would make your shifts better?",
        description="Tell us, vote for the ideas you back, and comment.",
        opens_on=day(-7),
        closes_on=day(21),
        live_event_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=3),
        live_event_minutes=60,
        live_event_details="A one-hour chat on Teams with the programme team.",
    )


@pytest.fixture
def national_campaign(site_admin) -> Campaign:
    return campaign_create(
        actor=site_admin,
        collaboration=None,
        themes=["Wellbeing", "Career progression"],
        title="#ProjectA: wellbeing and careers",
        question="How can we best protect the wellbeing of ambulance staff?",
        opens_on=day(-30),
        closes_on=day(30),
    )


def theme(campaign: Campaign, name: str):
    return campaign.themes.get(name=name)


def make_idea(
    campaign: Campaign,
    author,
    title: str,
    *,
    theme_name: str | None = None,
    submit: bool = True,
    show_author_name: bool = True,
    problem: str = "After midnight there is nowhere open to eat near most stations.",
    proposal: str = "Stock the stations with hot meals that crews can heat between jobs.",
    **extra,
) -> Idea:
    return idea_save(
        author=author,
        campaign=campaign,
        title=title,
        problem=problem,
        proposal=proposal,
        suggested_theme=theme(campaign, theme_name) if theme_name else None,
        show_author_name=show_author_name,
        submit=submit,
        **extra,
    )


@pytest.fixture
def idea(southern_campaign, staff_of_las) -> Idea:
    """A submitted idea by a member of LAS staff, in the Southern campaign."""
    return make_idea(
        southern_campaign, staff_of_las, "Hot food on late shifts", theme_name="Rest and recovery"
    )


@pytest.fixture
def draft(southern_campaign, staff_of_las) -> Idea:
    """A draft of the same member of staff: theirs alone."""
    return make_idea(
        southern_campaign,
        staff_of_las,
        "Quiet rooms at every station",
        proposal="",
        submit=False,
    )


@pytest.fixture
def secamb_idea(southern_campaign, lead_of_secamb) -> Idea:
    return make_idea(
        southern_campaign,
        lead_of_secamb,
        "Mentoring for newly qualified paramedics",
        theme_name="Career routes",
        problem="New paramedics feel alone on their first solo shifts.",
        proposal="Pair each with an experienced mentor for their first year.",
    )
