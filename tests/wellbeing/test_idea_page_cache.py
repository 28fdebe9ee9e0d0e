"""An idea's comments are cached (collab.page_cache) for everyone with the same rights who has
no comment or report of their own on the idea; each viewer's forms still carry their own CSRF
token, and what is personal (edit links, "You reported this comment") never comes from the
cache. The idea itself is cached for everyone who sees its author's name, or not.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collab.page_cache import IDEAS, new_generations
from tests.cache_reads import record_part_reads
from tests.wellbeing.builders import staff
from tests.wellbeing.conftest import make_idea
from wellbeing.models import Campaign, IdeaStatus
from wellbeing.services.comments import comment_flag, comment_post
from wellbeing.services.ideas import idea_follow
from wellbeing.services.review import idea_change_status
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client, person, idea) -> str:
    client.force_login(person)
    response = client.get(idea.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _comments(html: str) -> str:
    section = re.search(r'id="comments".*?data-testid="comment-form"', html, re.S)
    assert section, "the page has its comments and the box to add one"
    return section.group(0)


def _reads_comments(queries) -> bool:
    return any('FROM "wellbeing_comment"' in q["sql"].split(" WHERE ")[0] for q in queries)


def test_the_second_reader_gets_the_comments_from_the_cache(
    client, idea, las, lead_of_secamb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(idea=idea, author=lead_of_secamb, body="We would try this on nights.")
    first, second = staff(las, 1), staff(las, 2)

    with CaptureQueriesContext(connection) as first_view:
        first_sees = _comments(_page(client, first, idea))
    with CaptureQueriesContext(connection) as second_view:
        second_sees = _comments(_page(client, second, idea))

    assert "We would try this on nights." in first_sees
    assert _reads_comments(first_view.captured_queries)
    assert not _reads_comments(second_view.captured_queries)
    # The same threads, each form with the reader's own token.
    assert CSRF_INPUT.sub("", first_sees) == CSRF_INPUT.sub("", second_sees)


def test_a_reply_form_from_the_cache_carries_a_token_that_works(
    idea, las, lead_of_secamb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(idea=idea, author=lead_of_secamb, body="Nights too?")
    _page(Client(), staff(las, 1), idea)  # cached by someone else

    reader = Client(enforce_csrf_checks=True)
    html = _page(reader, staff(las, 2), idea)
    reply_form = re.search(
        rf'<form method="post" action="{idea.get_absolute_url()}comments/".*?'
        rf'value="{comment.public_id}"',
        html,
        re.S,
    )
    assert reply_form, "the thread has a reply form"
    token = CSRF_INPUT.search(reply_form.group(0)).group(1)
    assert token != "csrf-token-of-the-viewer"

    response = reader.post(
        f"{idea.get_absolute_url()}comments/",
        {"csrfmiddlewaretoken": token, "parent": str(comment.public_id), "body": "Yes."},
    )
    assert response.status_code == 302


def test_the_author_gets_their_edit_link_whoever_cached_the_comments(
    client, idea, las, lead_of_secamb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(idea=idea, author=lead_of_secamb, body="Nights too?")
    assert "Edit<span" not in _comments(_page(client, staff(las, 1), idea))

    assert "Edit<span" in _comments(_page(client, lead_of_secamb, idea))
    assert "Edit<span" not in _comments(_page(client, staff(las, 2), idea))


def test_a_reporter_sees_their_report_and_others_still_get_the_form(
    client, idea, las, lead_of_secamb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(idea=idea, author=lead_of_secamb, body="Nights too?")
    reporter, other = staff(las, 1), staff(las, 2)
    _page(client, other, idea)  # cached before the report

    with django_capture_on_commit_callbacks(execute=True):
        comment_flag(comment=comment, person=reporter, reason="Off topic.")

    assert "You reported this comment." in _page(client, reporter, idea)
    other_sees = _page(client, other, idea)
    assert "You reported this comment." not in other_sees
    assert "Report this comment<span" in other_sees


def test_a_new_comment_shows_to_readers_of_the_cached_comments_at_once(
    client, idea, las, lead_of_secamb, django_capture_on_commit_callbacks
):
    reader = staff(las, 1)
    assert "No comments yet." in _page(client, reader, idea)

    with django_capture_on_commit_callbacks(execute=True):
        comment_post(idea=idea, author=lead_of_secamb, body="Nights too?")

    assert "Nights too?" in _comments(_page(client, reader, idea))


def test_moderators_and_staff_each_get_their_own_view_of_a_hidden_comment(
    client, idea, las, secamb, lead_of_secamb, admin_of_southern, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(idea=idea, author=lead_of_secamb, body="Something unkind.")
        for n in (1, 2, 3):
            comment_flag(comment=comment, person=staff(las, n), reason="")

    assert "Something unkind." in _page(client, admin_of_southern, idea)
    reader_sees = _page(client, staff(secamb, 4), idea)
    assert "Something unkind." not in reader_sees
    assert "hidden while a moderator looks at it" in reader_sees


# --- The idea itself (wellbeing.views.ideas._idea_body) ---------------------------------------


def _reads(table: str, queries) -> bool:
    return any(f'FROM "{table}"' in q["sql"] for q in queries)


def test_the_second_reader_gets_the_idea_itself_from_the_cache(client, idea, las):
    first, second = staff(las, 1), staff(las, 2)
    with CaptureQueriesContext(connection) as first_view:
        first_sees = _page(client, first, idea)
    with CaptureQueriesContext(connection) as second_view:
        second_sees = _page(client, second, idea)

    for html in (first_sees, second_sees):
        assert "Stock the stations with hot meals" in html
        assert "Staff Las, London Ambulance Service" in html
    assert _reads("wellbeing_ideaattachment", first_view.captured_queries)
    assert not _reads("wellbeing_ideaattachment", second_view.captured_queries)
    assert not _reads("wellbeing_theme", second_view.captured_queries)


def test_a_hidden_author_is_never_shown_from_a_moderators_copy(
    client, southern_campaign, staff_of_las, admin_of_southern, secamb
):
    hidden = make_idea(
        southern_campaign, staff_of_las, "Quiet rooms on stations", show_author_name=False
    )
    assert "Staff Las" in _page(client, admin_of_southern, hidden)
    other_staff = _page(client, staff(secamb, 1), hidden)
    assert "Staff Las" not in other_staff
    assert "A member of staff at London Ambulance Service" in other_staff


def test_a_new_status_shows_on_the_idea_at_once(
    client, idea, las, admin_of_southern, django_capture_on_commit_callbacks
):
    reader = staff(las, 1)
    assert "Under review" not in _page(client, reader, idea)
    with django_capture_on_commit_callbacks(execute=True):
        idea_change_status(
            idea=idea, actor=admin_of_southern, status=IdeaStatus.UNDER_REVIEW, reason="Costed."
        )
    assert "Under review" in _page(client, reader, idea)


def test_the_page_reads_the_cache_in_two_round_trips(client, idea, las, monkeypatch):
    """The idea with the campaigns the reader sees (may they see it?), then the header, the
    idea itself, its column of actions and its comments: two round trips to Redis besides
    the session."""
    reader = staff(las, 1)
    _page(client, reader, idea)
    parts_read = record_part_reads(monkeypatch)

    _page(client, reader, idea)

    assert parts_read == [
        ["idea-by-id", "visible-campaigns"],
        ["page-header", "idea-body", "idea-actions", "idea-comments"],
    ]


def _actions(html: str) -> str:
    """What the column of actions says (its vote widget and follow form), less the tokens."""
    column = re.search(r'id="vote".*?(?=<div class="nhsuk-grid-row">)', html, re.S)
    assert column, "the page has its column of actions"
    return " ".join(re.sub(r"<[^>]+>", " ", CSRF_INPUT.sub("", column.group(0))).split())


def test_each_reader_sees_their_own_vote_and_follow_in_the_cached_column(
    client, idea, las, django_capture_on_commit_callbacks
):
    voter, follower, other = staff(las, 1), staff(las, 2), staff(las, 3)
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(idea=idea, person=voter)
        idea_follow(idea=idea, person=follower, follow=True)

    seen_by_other = _actions(_page(client, other, idea))  # cached now
    seen_by_voter = _actions(_page(client, voter, idea))
    seen_by_follower = _actions(_page(client, follower, idea))

    assert "1 vote, including yours" in seen_by_voter and "Take back my vote" in seen_by_voter
    assert "including yours" not in seen_by_other and "Vote for this idea" in seen_by_other
    assert "Stop following" in seen_by_follower and "Stop following" not in seen_by_other
    assert "Follow this idea" in seen_by_voter
    assert _actions(_page(client, other, idea)) == seen_by_other


def test_each_form_of_the_cached_column_carries_the_readers_own_token(client, idea, las):
    first, second = staff(las, 1), staff(las, 2)
    _page(client, first, idea)
    html = _page(client, second, idea)

    tokens = set(CSRF_INPUT.findall(html))
    assert len(tokens) == 1, "one token in every form: header, vote, follow, comment"
    response = client.post(
        f"/ideas/{idea.public_id}/vote/", {"action": "vote", "csrfmiddlewaretoken": tokens.pop()}
    )
    assert response.status_code == 302


def test_a_campaign_whose_discussion_closes_by_the_calendar_closes_the_cached_column(
    client, idea, las, monkeypatch
):
    """Nothing renews the ideas area when a date passes: the column must not stay open from
    the cache the day after the campaign's discussion closed."""
    last_day = idea.campaign.closes_on
    Campaign.objects.filter(pk=idea.campaign_id).update(discussion_closes_on=last_day)
    new_generations([IDEAS])  # as the audited change of the closing date would
    reader = staff(las, 1)
    assert "Vote for this idea" in _actions(_page(client, reader, idea))  # cached now

    day_after = last_day + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_after)
    html = _page(client, reader, idea)

    assert "Vote for this idea" not in _actions(html)
    assert "Voting on this campaign's ideas has closed." in _actions(html)
    assert "Comments on this idea have closed." in html
