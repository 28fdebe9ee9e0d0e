"""The demo ideas campaigns: #ProjectA with its eleven themes and about 80 ideas, and a Southern
campaign open now; loaded by `seed_demo`, and loading them again adds nothing.

Expected values are written out here rather than read from wellbeing.demo_data, so that a wrong
constant there fails a test instead of agreeing with itself.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from collab.models import AuditEvent, User
from projects.models import JointProject, ProjectStatus
from wellbeing.models import (
    Campaign,
    Comment,
    CommentFlag,
    CommentStatus,
    Follow,
    Idea,
    IdeaStatus,
    Theme,
    Vote,
)
from wellbeing.report import campaign_report
from wellbeing.selectors import campaigns_visible_to

PROJECT_A = "wellbeing-and-career-progression"
SOUTHERN = "where-should-the-southern-collaboration-focus-first"

PROJECT_A_THEMES = [
    "Creating a wellbeing culture",
    "Improving systems and processes",
    "Promoting wellbeing",
    "Talking about mental health",
    "Debrief",
    "Accessing wellbeing support",
    "Creating time and space for rest and relaxation",
    "Training and continuing professional development",
    "Creating clear career development routes",
    "Creating a portfolio of experience across health and care",
    "Leadership development",
]

COUNTED_MODELS = (
    Campaign,
    Theme,
    Idea,
    Vote,
    Comment,
    CommentFlag,
    Follow,
    JointProject,
    User,
    AuditEvent,
)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return _seed()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def _published(campaign: Campaign):
    return campaign.ideas.exclude(status=IdeaStatus.DRAFT)


@pytest.mark.django_db
def test_the_projecta_campaign_has_its_question_themes_and_tweet_chat(seeded):
    campaign = Campaign.objects.get(slug=PROJECT_A)
    assert campaign.title == "Wellbeing and career progression"
    assert campaign.is_national
    assert campaign.question.startswith("How can we best protect the wellbeing of ambulance staff")
    assert "clear career progression path" in campaign.question
    assert list(campaign.themes.values_list("name", flat=True)) == PROJECT_A_THEMES
    live = timezone.localtime(campaign.live_event_at)
    assert (live.strftime("%A"), live.hour, live.minute) == ("Wednesday", 19, 0)
    assert campaign.live_event_minutes == 60
    assert "tweet chat" in campaign.live_event_details
    assert campaign.opens_on <= live.date() < timezone.localdate()
    assert campaign.accepts_votes_and_comments()


@pytest.mark.django_db
def test_about_80_ideas_from_staff_across_the_ten_english_trusts(seeded):
    campaign = Campaign.objects.get(slug=PROJECT_A)
    ideas = _published(campaign)
    assert 75 <= ideas.count() <= 85
    trusts = set(ideas.values_list("trust__short_name", flat=True))
    assert trusts == {
        "LAS",
        "NEAS",
        "NWAS",
        "YAS",
        "EMAS",
        "WMAS",
        "EEAST",
        "SECAmb",
        "SCAS",
        "SWASFT",
    }
    assert ideas.values("author").distinct().count() >= 60
    # Every theme has ideas, and every idea is filed under a theme.
    per_theme = dict(ideas.values_list("theme__name").annotate(n=Count("pk")))
    assert set(per_theme) == set(PROJECT_A_THEMES)
    assert min(per_theme.values()) >= 5
    # Real words, not placeholder text, and no two ideas alike.
    titles = list(ideas.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)
    assert not ideas.filter(problem__icontains="lorem").exists()
    assert "TRiM offered after every traumatic job, not just when asked" in titles
    assert "Protected decompression time after a difficult job" in titles
    # Sent in over the campaign, many during the tweet chat.
    live = campaign.live_event_at
    during_chat = ideas.filter(
        submitted_at__gte=live, submitted_at__lt=live + datetime.timedelta(minutes=60)
    )
    assert during_chat.count() >= 20
    assert not ideas.filter(submitted_at__date__lt=campaign.opens_on).exists()


@pytest.mark.django_db
def test_the_ideas_are_spread_over_the_statuses(seeded):
    campaign = Campaign.objects.get(slug=PROJECT_A)
    statuses = dict(_published(campaign).values_list("status").annotate(n=Count("pk")))
    assert statuses[IdeaStatus.SUBMITTED] > sum(statuses.values()) / 2
    assert 5 <= statuses[IdeaStatus.UNDER_REVIEW] <= 15
    assert 3 <= statuses[IdeaStatus.SHORTLISTED] <= 6
    assert statuses[IdeaStatus.ADOPTED] == 2
    assert statuses[IdeaStatus.NOT_TAKEN_FORWARD] == 3
    assert statuses[IdeaStatus.MERGED] == 1
    for idea in _published(campaign).filter(status=IdeaStatus.NOT_TAKEN_FORWARD):
        assert len(idea.status_reason) > 40
    merged = _published(campaign).get(status=IdeaStatus.MERGED)
    assert merged.merged_into.title == "Hot meals on late shifts"
    assert merged.vote_count == 0


@pytest.mark.django_db
def test_one_adopted_idea_became_a_joint_project_draft_linked_both_ways(seeded):
    idea = Idea.objects.get(title="Rotational paramedic posts across primary and urgent care")
    assert idea.status == IdeaStatus.ADOPTED
    project = idea.project
    assert project.status == ProjectStatus.DRAFT
    assert project.collaboration.slug == "national"
    assert project.lead_trust.short_name == "NWAS"
    assert project.idea == idea
    other = Idea.objects.get(title="Protected decompression time after a difficult job")
    assert (other.status, other.project) == (IdeaStatus.ADOPTED, None)
    assert other.status_reason


@pytest.mark.django_db
def test_votes_lean_to_a_few_ideas_and_the_counts_match_the_rows(seeded):
    campaign = Campaign.objects.get(slug=PROJECT_A)
    ideas = list(_published(campaign))
    rows = dict(
        Vote.objects.filter(idea__campaign=campaign).values_list("idea").annotate(n=Count("pk"))
    )
    for idea in ideas:
        assert idea.vote_count == rows.get(idea.pk, 0), idea.title
    counts = sorted((idea.vote_count for idea in ideas), reverse=True)
    assert counts[0] >= 50
    assert sum(1 for n in counts if n >= 40) <= 15
    assert sum(1 for n in counts if n <= 15) >= 30
    # Nobody votes for their own idea, and each vote carries the voter's trust.
    assert not Vote.objects.filter(idea__campaign=campaign, person=F("idea__author")).exists()
    assert not Vote.objects.filter(idea__campaign=campaign, trust__isnull=True).exists()
    # Some votes are recent, so "trending" has something to show.
    week_ago = timezone.now() - datetime.timedelta(days=7)
    assert Vote.objects.filter(idea__campaign=campaign, created_at__gte=week_ago).exists()


@pytest.mark.django_db
def test_comments_with_replies_and_one_waiting_for_a_moderator(seeded):
    campaign = Campaign.objects.get(slug=PROJECT_A)
    comments = Comment.objects.filter(idea__campaign=campaign)
    assert comments.filter(parent__isnull=True).count() >= 20
    assert comments.filter(parent__isnull=False).count() >= 5
    hidden = comments.get(status=CommentStatus.HIDDEN)
    assert hidden.flags.count() == 3
    assert all(flag.reason for flag in hidden.flags.all())
    for idea in _published(campaign):
        written = idea.comments.exclude(status=CommentStatus.REMOVED).count()
        assert idea.comment_count == written, idea.title
    # Comments come after the idea they are about.
    for comment in comments.select_related("idea"):
        assert comment.created_at >= comment.idea.submitted_at


@pytest.mark.django_db
def test_the_southern_campaign_is_open_now_with_five_themes_and_a_dozen_ideas(seeded):
    campaign = Campaign.objects.get(slug=SOUTHERN)
    assert campaign.title == "Where should the Southern collaboration focus first?"
    assert campaign.collaboration.slug == "southern"
    assert campaign.accepts_ideas()
    assert campaign.themes.count() == 5
    ideas = _published(campaign)
    assert 10 <= ideas.count() <= 14
    assert set(ideas.values_list("trust__short_name", flat=True)) <= {
        "SECAmb",
        "EEAST",
        "LAS",
        "SCAS",
        "SWASFT",
    }
    assert (
        not Vote.objects.filter(idea__campaign=campaign)
        .exclude(trust__short_name__in=["SECAmb", "EEAST", "LAS", "SCAS", "SWASFT"])
        .exists()
    )
    # The demo member of LAS staff has a draft to finish.
    assert campaign.ideas.filter(status=IdeaStatus.DRAFT, author__email="staff.las@example.org")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "visible"),
    [
        ("staff.las@example.org", {PROJECT_A, SOUTHERN}),
        ("lead.yas@example.org", {PROJECT_A}),
        ("admin.northern@example.org", {PROJECT_A}),
        ("admin.southern@example.org", {PROJECT_A, SOUTHERN}),
        ("siteadmin@example.org", {PROJECT_A, SOUTHERN}),
    ],
)
def test_each_demo_account_sees_its_campaigns(seeded, email, visible):
    user = User.objects.get(email=email)
    assert set(campaigns_visible_to(user).values_list("slug", flat=True)) == visible


@pytest.mark.django_db
def test_the_demo_staff_cannot_sign_in(seeded):
    staff = User.objects.filter(email__endswith="@ideas.example.org")
    assert staff.count() == 80
    assert not any(person.has_usable_password() for person in staff)
    assert all(person.home_trust_id for person in staff)


@pytest.mark.django_db
def test_the_report_of_the_demo_adds_up(seeded):
    report = campaign_report(Campaign.objects.get(slug=PROJECT_A))
    assert [row.name for row in report.themes] == PROJECT_A_THEMES
    assert sum(row.ideas for row in report.themes) == report.totals.ideas
    assert sum(row.votes for row in report.themes) == report.totals.votes
    assert report.totals.trusts == 10
    assert [idea.title for idea in report.adopted] == [
        "Protected decompression time after a difficult job",
        "Rotational paramedic posts across primary and urgent care",
    ]


@pytest.mark.django_db
def test_seeding_again_adds_nothing(seeded):
    before = _counts()
    assert before["Campaign"] == 2
    output = _seed()
    assert _counts() == before
    assert "Demo ideas campaigns: 2" in output
