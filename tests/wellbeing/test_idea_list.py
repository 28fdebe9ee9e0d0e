"""A campaign's idea list: each filter, each sort order, search, pagination, and a bounded
number of queries whatever the number of ideas."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.utils import timezone

from collab.models import Role
from tests.factories import RoleFactory, UserFactory
from tests.wellbeing.builders import staff
from tests.wellbeing.conftest import make_idea, theme
from wellbeing.models import Campaign, Idea, IdeaStatus, Vote
from wellbeing.selectors import idea_list
from wellbeing.services.comments import comment_post
from wellbeing.services.review import idea_change_status
from wellbeing.services.votes import vote_cast
from wellbeing.views.campaigns import IDEAS_PER_PAGE

pytestmark = pytest.mark.django_db


def _titles(client, user, campaign, **query) -> list[str]:
    """The titles the campaign page lists, in order."""
    client.force_login(user)
    response = client.get(campaign.get_absolute_url(), query)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [idea.title for idea in response.context["page"].object_list]


def _votes(idea: Idea, people) -> None:
    for person in people:
        vote_cast(idea=idea, person=person)


@pytest.fixture
def voters(las, secamb):
    return [staff(las, n) for n in range(4)] + [staff(secamb, n) for n in range(4)]


@pytest.fixture
def three_ideas(southern_campaign, staff_of_las, lead_of_secamb, admin_of_southern):
    """Three ideas in two themes from two trusts, one of them under review."""
    food = make_idea(
        southern_campaign, staff_of_las, "Hot food on late shifts", theme_name="Rest and recovery"
    )
    mentors = make_idea(
        southern_campaign,
        lead_of_secamb,
        "Mentoring for newly qualified paramedics",
        theme_name="Career routes",
        problem="New paramedics feel alone on their first solo shifts.",
        proposal="Pair each with an experienced mentor for their first year.",
    )
    rest = make_idea(
        southern_campaign,
        staff_of_las,
        "Somewhere quiet to rest",
        theme_name="Rest and recovery",
        problem="Stations are loud and busy at handover.",
        proposal="A quiet room with a sofa and blackout blinds at every station.",
    )
    rest = idea_change_status(
        idea=rest, actor=admin_of_southern, status=IdeaStatus.UNDER_REVIEW, reason=""
    )
    return food, mentors, rest


# --- Filters -----------------------------------------------------------------------------------


def test_filter_by_theme(client, southern_campaign, three_ideas, staff_of_las):
    rest = theme(southern_campaign, "Rest and recovery")
    titles = _titles(client, staff_of_las, southern_campaign, theme=str(rest.public_id))
    assert sorted(titles) == ["Hot food on late shifts", "Somewhere quiet to rest"]


def test_filter_by_status(client, southern_campaign, three_ideas, staff_of_las):
    titles = _titles(client, staff_of_las, southern_campaign, status=IdeaStatus.UNDER_REVIEW)
    assert titles == ["Somewhere quiet to rest"]
    page = client.get(southern_campaign.get_absolute_url(), {"status": "under_review"})
    assert "1 idea matches" in page.content.decode()


def test_filter_by_trust(client, southern_campaign, three_ideas, staff_of_las):
    assert _titles(client, staff_of_las, southern_campaign, trust="secamb") == [
        "Mentoring for newly qualified paramedics"
    ]


def test_filters_combine(client, southern_campaign, three_ideas, staff_of_las):
    rest = theme(southern_campaign, "Rest and recovery")
    titles = _titles(
        client, staff_of_las, southern_campaign, theme=str(rest.public_id), status="submitted"
    )
    assert titles == ["Hot food on late shifts"]


def test_a_filter_value_that_is_not_offered_answers_400_with_the_whole_list(
    client, southern_campaign, three_ideas, staff_of_las
):
    client.force_login(staff_of_las)
    response = client.get(southern_campaign.get_absolute_url(), {"theme": "not-a-theme"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page and "There is a problem" in page
    assert len(response.context["page"].object_list) == 3


def test_the_list_holds_no_drafts_and_no_other_campaigns_ideas(
    client, southern_campaign, national_campaign, three_ideas, draft, staff_of_las, lead_of_yas
):
    make_idea(national_campaign, lead_of_yas, "A national idea")
    titles = _titles(client, staff_of_las, southern_campaign)
    assert len(titles) == 3
    assert draft.title not in titles and "A national idea" not in titles


def test_the_filter_form_works_without_javascript(client, southern_campaign, staff_of_las):
    client.force_login(staff_of_las)
    page = client.get(southern_campaign.get_absolute_url()).content.decode()
    form = page.split('data-testid="idea-filters"')[1].split("</form>")[0]
    assert 'method="get"' in page.split('data-testid="idea-filters"')[0].rsplit("<form", 1)[1]
    for name in ("search", "theme", "status", "trust", "sort"):
        assert f'name="{name}"' in form
    assert 'type="submit"' in form


# --- Sort orders -------------------------------------------------------------------------------


def test_most_votes_first_by_default(client, southern_campaign, three_ideas, voters, staff_of_las):
    food, mentors, rest = three_ideas
    _votes(mentors, voters[:3])
    _votes(rest, voters[:1])
    assert _titles(client, staff_of_las, southern_campaign) == [
        mentors.title,
        rest.title,
        food.title,
    ]
    assert _titles(client, staff_of_las, southern_campaign, sort="votes")[0] == mentors.title


def test_newest_first(client, southern_campaign, staff_of_las):
    now = timezone.now()
    for days_ago, title in ((3, "Three days old"), (1, "One day old"), (2, "Two days old")):
        with time_machine.travel(now - datetime.timedelta(days=days_ago), tick=False):
            make_idea(southern_campaign, staff_of_las, title)
    assert _titles(client, staff_of_las, southern_campaign, sort="newest") == [
        "One day old",
        "Two days old",
        "Three days old",
    ]


def test_most_discussed_first(client, southern_campaign, three_ideas, voters, staff_of_las):
    food, mentors, rest = three_ideas
    for n in range(3):
        comment_post(idea=food, author=voters[n], body=f"Comment {n}.")
    comment_post(idea=rest, author=voters[0], body="One comment.")
    _votes(mentors, voters[:5])  # votes do not count here
    assert _titles(client, staff_of_las, southern_campaign, sort="discussed") == [
        food.title,
        rest.title,
        mentors.title,
    ]


def test_trending_counts_only_the_votes_of_the_last_seven_days(
    client, southern_campaign, three_ideas, voters, staff_of_las
):
    food, mentors, rest = three_ideas
    start = timezone.now()
    _votes(food, voters[:6])  # many votes, but more than a week before the page is read
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        _votes(rest, voters[:2])  # within the week
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        _votes(mentors, voters[:3])
        _votes(food, voters[6:7])

        assert _titles(client, staff_of_las, southern_campaign, sort="trending") == [
            mentors.title,
            rest.title,
            food.title,
        ]
        assert _titles(client, staff_of_las, southern_campaign, sort="votes")[0] == food.title
        page = client.get(southern_campaign.get_absolute_url(), {"sort": "trending"})
    recent = {i.title: i.recent_votes for i in page.context["page"].object_list}
    assert recent == {mentors.title: 3, rest.title: 2, food.title: 1}
    assert "3 votes in the last 7 days" in page.content.decode()


# --- Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("hot food", ["Hot food on late shifts"]),
        ("mentors", ["Mentoring for newly qualified paramedics"]),  # stemmed
        ("blackout blinds", ["Somewhere quiet to rest"]),  # in the idea's text
        ("station", ["Hot food on late shifts", "Somewhere quiet to rest"]),
        ("station -quiet", ["Hot food on late shifts"]),  # as people type in search boxes
        ('"first year"', ["Mentoring for newly qualified paramedics"]),
        ("sofa or mentor", ["Mentoring for newly qualified paramedics", "Somewhere quiet to rest"]),
        ("helicopter", []),
    ],
)
def test_full_text_search(client, southern_campaign, three_ideas, staff_of_las, search, expected):
    titles = _titles(client, staff_of_las, southern_campaign, search=search)
    assert sorted(titles) == sorted(expected)


def test_search_falls_back_to_a_plain_match_away_from_postgresql(
    monkeypatch, southern_campaign, three_ideas, staff_of_las
):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    found = idea_list(staff_of_las, southern_campaign, search="BLACKOUT")
    assert [idea.title for idea in found] == ["Somewhere quiet to rest"]


def test_a_search_with_no_match_says_so(client, southern_campaign, three_ideas, staff_of_las):
    client.force_login(staff_of_las)
    page = client.get(southern_campaign.get_absolute_url(), {"search": "helicopter"})
    assert "No ideas match. Try fewer filters or other words." in page.content.decode()


# --- Pagination --------------------------------------------------------------------------------


def test_the_list_is_paginated_keeping_the_filters(client, southern_campaign, staff_of_las):
    for n in range(IDEAS_PER_PAGE + 5):
        make_idea(southern_campaign, staff_of_las, f"Idea number {n:02d}")
    client.force_login(staff_of_las)
    first = client.get(southern_campaign.get_absolute_url(), {"sort": "newest"})
    assert len(first.context["page"].object_list) == IDEAS_PER_PAGE
    page = first.content.decode()
    assert "25 ideas" in page and "(page 1 of 2)" in page
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in page
    assert 'href="?sort=newest&amp;page=2" class="nhsuk-pagination__next"' in page

    second = client.get(southern_campaign.get_absolute_url(), {"sort": "newest", "page": "2"})
    titles = [idea.title for idea in second.context["page"].object_list]
    assert titles == [f"Idea number {n:02d}" for n in range(4, -1, -1)]
    assert 'aria-current="page">2</a>' in second.content.decode()


# --- A bounded number of queries ---------------------------------------------------------------

# The most queries the campaign page runs, at every size and sort order: measured at 10 for staff
# and programme admins (the session, the person, their roles, the campaign, its themes, the
# trusts of the filter, the count, the person's trust and unread notifications for the header,
# and the page of ideas), plus 2 for the framework. A query per idea could not pass at 200.
CAMPAIGN_PAGE_QUERIES = 10 + 2


def _many_ideas(campaign, trusts, n: int) -> None:
    """n submitted ideas across trusts, authors and themes, with votes and comments counted."""
    themes = list(campaign.themes.all())
    authors = []
    for i, trust in enumerate(trusts * 3):
        person = UserFactory(email=f"author{i}@example.org", home_trust=trust)
        RoleFactory(user=person, role=Role.STAFF, trust=trust)
        authors.append(person)
    now = timezone.now()
    Idea.objects.bulk_create(
        Idea(
            campaign=campaign,
            author=authors[i % len(authors)],
            trust_id=authors[i % len(authors)].home_trust_id,
            title=f"Idea {i}",
            problem="A problem.",
            proposal="A proposal.",
            theme=themes[i % len(themes)] if i % 4 else None,
            show_author_name=bool(i % 2),
            status=IdeaStatus.SUBMITTED if i % 3 else IdeaStatus.UNDER_REVIEW,
            submitted_at=now - datetime.timedelta(minutes=i),
            vote_count=i % 17,
            comment_count=i % 5,
        )
        for i in range(n)
    )
    # Counted on the campaign as idea_save counts each idea sent in.
    Campaign.objects.filter(pk=campaign.pk).update(idea_count=F("idea_count") + n)
    ideas = list(Idea.objects.filter(campaign=campaign)[:n])
    Vote.objects.bulk_create(
        Vote(idea=idea, person=authors[j], trust_id=authors[j].home_trust_id)
        for idea in ideas[:50]
        for j in range(3)
    )


@pytest.mark.parametrize("size", [5, 200])
def test_the_campaign_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, southern_campaign, las, secamb, staff_of_las, size
):
    _many_ideas(southern_campaign, [las, secamb], size)
    client.force_login(staff_of_las)
    with django_assert_max_num_queries(CAMPAIGN_PAGE_QUERIES):
        response = client.get(southern_campaign.get_absolute_url(), {"sort": "votes"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, IDEAS_PER_PAGE)


@pytest.mark.parametrize("sort", ["newest", "discussed", "trending"])
def test_every_sort_order_runs_the_same_bounded_number_of_queries(
    client, django_assert_max_num_queries, southern_campaign, las, secamb, admin_of_southern, sort
):
    _many_ideas(southern_campaign, [las, secamb], 200)
    client.force_login(admin_of_southern)  # sees every author's name
    with django_assert_max_num_queries(CAMPAIGN_PAGE_QUERIES):
        response = client.get(
            southern_campaign.get_absolute_url(), {"sort": sort, "search": "idea", "page": "3"}
        )
    assert response.status_code == 200


# --- The count of ideas sent in, kept on the campaign -------------------------------------------


def test_the_campaign_counts_each_idea_sent_in_and_the_list_reads_that_count(
    client, southern_campaign, staff_of_las, lead_of_secamb
):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from wellbeing.services.ideas import idea_save

    draft = idea_save(
        author=staff_of_las,
        campaign=southern_campaign,
        title="Quiet rooms",
        problem="",
        proposal="",
        suggested_theme=None,
        show_author_name=True,
        submit=False,
    )
    southern_campaign.refresh_from_db()
    assert southern_campaign.idea_count == 0  # a draft is not sent in
    make_idea(southern_campaign, staff_of_las, "Hot food on late shifts")
    make_idea(southern_campaign, lead_of_secamb, "Mentors for new paramedics")
    southern_campaign.refresh_from_db()
    assert southern_campaign.idea_count == 2
    assert (
        southern_campaign.idea_count
        == Idea.objects.filter(campaign=southern_campaign).exclude(status=IdeaStatus.DRAFT).count()
    )

    client.force_login(staff_of_las)
    with CaptureQueriesContext(db) as unfiltered:
        page = client.get(southern_campaign.get_absolute_url()).content.decode()
    assert "2 ideas, sorted by most votes" in page
    counted = 'SELECT COUNT(*) AS "__count" FROM "wellbeing_idea"'
    assert not [q for q in unfiltered.captured_queries if q["sql"].startswith(counted)]
    # A filtered list is counted, as it is a part of the campaign's ideas.
    filtered = client.get(southern_campaign.get_absolute_url(), {"search": "mentors"})
    assert "1 idea matches" in filtered.content.decode()
    assert draft.status == IdeaStatus.DRAFT
