"""A campaign's idea list is cached (collab.page_cache): people who open the same list share
it, yet each still sees their own ideas and votes, and a vote or comment shows at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cache_reads import record_part_reads
from tests.wellbeing.builders import staff
from tests.wellbeing.conftest import make_idea
from wellbeing.services.comments import comment_post
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db


def _rows(client, person, campaign, **query) -> dict[str, str]:
    """Each listed idea's title, with what its row says of who it is from and its votes."""
    client.force_login(person)
    response = client.get(campaign.get_absolute_url(), query)
    assert response.status_code == 200
    html = response.content.decode()
    rows = {}
    for row in re.findall(r'<li class="nhsuk-card portal-idea-row".*?</li>', html, re.S):
        title = re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1)
        said = re.sub(r"<[^>]+>", "", row)
        rows[title] = " ".join(said.split())
    return rows


@pytest.fixture
def food(southern_campaign, staff_of_las):
    return make_idea(southern_campaign, staff_of_las, "Hot food on late shifts")


@pytest.fixture
def mentors(southern_campaign, lead_of_secamb):
    return make_idea(
        southern_campaign,
        lead_of_secamb,
        "Mentoring for newly qualified paramedics",
        show_author_name=False,
    )


def test_each_person_sees_their_own_votes_in_the_shared_list(
    client, southern_campaign, food, mentors, las
):
    voter, other = staff(las, 1), staff(las, 2)
    vote_cast(idea=mentors, person=voter)

    seen_by_other = _rows(client, other, southern_campaign)  # cached now, without a vote
    seen_by_voter = _rows(client, voter, southern_campaign)
    seen_by_other_again = _rows(client, other, southern_campaign)

    assert "1 vote (including yours)" in seen_by_voter[mentors.title]
    assert "including yours" not in seen_by_other[mentors.title]
    assert seen_by_other_again == seen_by_other


def test_only_the_author_is_told_an_idea_is_from_them(
    client, southern_campaign, food, mentors, staff_of_las, las
):
    colleague = staff(las, 3)
    assert _rows(client, colleague, southern_campaign)[food.title].startswith("Hot food")
    by_author = _rows(client, staff_of_las, southern_campaign)[food.title]
    by_colleague = _rows(client, colleague, southern_campaign)[food.title]
    assert "From you, LAS" in by_author
    assert "From you" not in by_colleague and staff_of_las.full_name in by_colleague


def test_a_hidden_author_is_named_to_moderators_only(
    client, southern_campaign, mentors, staff_of_las, lead_of_secamb, admin_of_southern
):
    by_staff = _rows(client, staff_of_las, southern_campaign)[mentors.title]
    by_moderator = _rows(client, admin_of_southern, southern_campaign)[mentors.title]
    assert lead_of_secamb.full_name not in by_staff
    assert lead_of_secamb.full_name in by_moderator


def test_votes_and_comments_show_in_the_list_at_once(
    client, django_capture_on_commit_callbacks, southern_campaign, food, las, staff_of_las
):
    reader = staff(las, 4)
    assert "0 votes · 0 comments" in _rows(client, reader, southern_campaign)[food.title]

    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(idea=food, person=staff(las, 5))
        comment_post(idea=food, author=staff(las, 6), body="Yes, and a microwave that works.")

    assert "1 vote · 1 comment" in _rows(client, reader, southern_campaign)[food.title]


def test_the_second_view_of_a_list_reads_it_from_the_cache(
    client, southern_campaign, food, mentors, staff_of_las
):
    client.force_login(staff_of_las)
    url = southern_campaign.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"sort": "votes"})
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"sort": "votes"})
    assert len(second) < len(first)


def test_the_list_reads_the_cache_in_three_round_trips(
    client, monkeypatch, southern_campaign, food, staff_of_las
):
    """The campaign with the campaigns the reader sees, then the page's ideas and authors,
    then the header with the rendered list: three round trips to Redis besides the session,
    and one sign-out form whose token is the reader's own."""
    _rows(client, staff_of_las, southern_campaign)
    parts_read = record_part_reads(monkeypatch)

    response = client.get(southern_campaign.get_absolute_url())

    assert parts_read == [
        ["campaign-listing", "visible-campaigns"],
        ["idea-list-authors"],
        ["page-header", "idea-list"],
    ]
    html = response.content.decode()
    assert "csrf-token-of-the-viewer" not in html
    assert 'action="/accounts/logout/"' in html
