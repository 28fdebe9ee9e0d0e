"""Every staff view of ideas against every kind of person (convention 11), then the pages' rules.

For each view of the staff side (wellbeing/views/{campaigns,ideas,comments}.py): the happy path
(the right person, the right method, and its effect in the database), the wrong method (405), a
person who can see the object but may not do this (403), a person of another collaboration
(404, exactly like an object that does not exist), and someone signed out (sent to sign in).
Every refusal leaves every table the services write exactly as it was.

The rules, from the issue: staff see and join the campaigns of the collaborations their trust
belongs to and national ones; nobody outside sees them (404). A draft is its author's alone.
Submitting, voting, commenting and flagging are for staff of a trust (a site admin with no
trust can read, not take part: 403). Only the author edits their draft or comment (403).
"""

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collab.models import AuditEvent
from tests.view_cases import (
    case_params,
    check_forbidden,
    check_happy_path,
    check_hidden,
    check_reader,
    check_signed_out,
    check_wrong_methods_refused,
    person_case_params,
    persona_cases,
    send,
)
from tests.wellbeing.conftest import make_idea
from wellbeing.models import (
    Comment,
    CommentFlag,
    Follow,
    Idea,
    IdeaAttachment,
    IdeaStatus,
    Vote,
)
from wellbeing.selectors import COMMENT_THREADS_PER_PAGE
from wellbeing.services.comments import comment_flag, comment_moderate, comment_post
from wellbeing.services.review import idea_change_status, idea_merge
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a photo of the rest room, scanned\n%%EOF\n"
WRITTEN_BY_SERVICES = (Idea, Vote, Follow, IdeaAttachment, Comment, CommentFlag, AuditEvent)


def db_state() -> dict[str, list[dict]]:
    """Every row of every table the staff services write, to compare before and after."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in WRITTEN_BY_SERVICES
    }


def idea_data(**overrides) -> dict[str, str]:
    """The submission form as a browser posts it."""
    return {
        "title": "Rest breaks that happen",
        "problem": "Crews go twelve hours without a proper break on busy nights.",
        "proposal": "Protect a 30-minute break for every crew, planned by the control room.",
        "suggested_theme": "",
        "show_author_name": "yes",
        "action": "submit",
    } | overrides


# --- The table ---------------------------------------------------------------------------------


@dataclass
class Scene:
    """What one case is about: its URLs (by key; "main" is the one under test), the title that
    must never leak to another tenant, and the objects its checks look at."""

    fx: Callable[[str], Any]
    urls: dict[str, str]
    secret: str = ""
    objects: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.urls["main"]


def _scene_campaign_list(fx):
    campaign = fx("southern_campaign")
    return Scene(fx, {"main": reverse("wellbeing:campaign_list")}, campaign.title)


def _scene_campaign(fx):
    idea = fx("idea")
    return Scene(fx, {"main": idea.campaign.get_absolute_url()}, idea.title, {"idea": idea})


def _scene_idea_new(fx):
    campaign = fx("southern_campaign")
    return Scene(
        fx,
        {"main": reverse("wellbeing:idea_new", args=[campaign.slug])},
        campaign.title,
        {"campaign": campaign},
    )


def _scene_draft_edit(fx):
    draft, idea = fx("draft"), fx("secamb_idea")
    return Scene(
        fx,
        {
            "main": reverse("wellbeing:draft_edit", args=[draft.public_id]),
            # Someone else's submitted idea: visible, not theirs to change.
            "other": reverse("wellbeing:draft_edit", args=[idea.public_id]),
        },
        draft.title,
        {"draft": draft},
    )


def _scene_my_ideas(fx):
    draft = fx("draft")
    return Scene(fx, {"main": reverse("wellbeing:my_ideas")}, draft.title, {"draft": draft})


def _scene_idea(fx):
    idea = fx("idea")
    return Scene(fx, {"main": idea.get_absolute_url()}, idea.title, {"idea": idea})


def _scene_idea_action(name: str):
    def build(fx):
        idea = fx("secamb_idea")
        return Scene(
            fx,
            {"main": reverse(f"wellbeing:{name}", args=[idea.public_id])},
            idea.title,
            {"idea": idea},
        )

    return build


def _scene_attachment(fx):
    idea = make_idea(
        fx("southern_campaign"),
        fx("staff_of_las"),
        "A rest room at every station",
        attachments=[SimpleUploadedFile("rest-room.pdf", PDF, content_type="application/pdf")],
    )
    attachment = idea.attachments.get()
    return Scene(
        fx,
        {"main": reverse("wellbeing:attachment", args=[attachment.public_id])},
        "rest-room.pdf",
        {"idea": idea},
    )


def _comment_of(fx, author: str = "staff_of_las") -> Comment:
    return comment_post(
        idea=fx("secamb_idea"), author=fx(author), body="We tried this at Waterloo: it works."
    )


def _scene_comment_edit(fx):
    comment = _comment_of(fx)
    return Scene(
        fx,
        {"main": reverse("wellbeing:comment_edit", args=[comment.public_id])},
        "We tried this at Waterloo",
        {"comment": comment},
    )


def _scene_comment_flag(fx):
    comment = _comment_of(fx)
    return Scene(
        fx,
        {"main": reverse("wellbeing:comment_flag", args=[comment.public_id])},
        "We tried this at Waterloo",
        {"comment": comment},
    )


# --- What the happy path posts, and what it must change -----------------------------------------


def _idea_new_effect(scene, response):
    idea = Idea.objects.get(title="Rest breaks that happen")
    assert response.url == idea.get_absolute_url()
    assert (idea.status, idea.author, idea.trust.slug) == (
        IdeaStatus.SUBMITTED,
        scene.fx("staff_of_las"),
        "las",
    )
    assert Follow.objects.filter(idea=idea, person=idea.author).exists()


def _draft_edit_effect(scene, response):
    draft = scene.objects["draft"]
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (IdeaStatus.SUBMITTED, "Rest breaks that happen")


def _vote_effect(scene, response):
    idea = scene.objects["idea"]
    assert response.url == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert Vote.objects.get(idea=idea).person == scene.fx("staff_of_las")


def _follow_effect(scene, response):
    idea = scene.objects["idea"]
    assert response.url == idea.get_absolute_url()
    assert Follow.objects.filter(idea=idea, person=scene.fx("staff_of_las")).exists()


def _comment_post_effect(scene, response):
    idea = scene.objects["idea"]
    comment = Comment.objects.get(idea=idea)
    # A new thread is the newest: on the last page, whichever that is.
    assert response.url == f"{idea.get_absolute_url()}?page=last#comment-{comment.public_id}"
    assert (comment.author, comment.body) == (scene.fx("staff_of_las"), "Yes, and at night.")
    idea.refresh_from_db()
    assert idea.comment_count == 1


def _comment_edit_effect(scene, response):
    comment = scene.objects["comment"]
    comment.refresh_from_db()
    assert response.url.endswith(f"#comment-{comment.public_id}")
    assert comment.body == "We tried this at Waterloo and Brighton."
    assert comment.edited_at is not None


def _comment_flag_effect(scene, response):
    comment = scene.objects["comment"]
    comment.refresh_from_db()
    assert response.url.endswith(f"#comment-{comment.public_id}")
    assert comment.flag_count == 1
    flag = CommentFlag.objects.get(comment=comment)
    assert (flag.person, flag.reason) == (scene.fx("lead_of_las"), "Names a patient.")


def _attachment_check(scene, response):
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="rest-room.pdf"'


@dataclass(frozen=True)
class Case:
    name: str
    methods: tuple[str, ...]  # the methods the view answers
    build: Callable
    actor: str  # the person for whom it works
    shows: str = ""  # text the GET page shows to `actor`
    get_check: Callable | None = None
    data: Callable = lambda scene: {}
    effect: Callable | None = None  # what a POST by `actor` changes
    # (persona, url key, methods refused): may see the object, may not do this -> 403
    forbidden: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # (persona, url key): another collaboration, or someone else's draft -> 404
    hidden: tuple[tuple[str, str], ...] = (("lead_of_yas", "main"), ("admin_of_northern", "main"))
    # more people who may read the page (GET -> 200)
    readers: tuple[str, ...] = ()


GP = ("GET", "POST")
POST = ("POST",)
NO_TRUST = (("site_admin", "main", POST),)

CASES = [
    Case(
        name="campaign_list",
        methods=("GET",),
        build=_scene_campaign_list,
        actor="staff_of_las",
        shows="Where should Southern focus first?",
        hidden=(),  # the list answers everyone; what it lists is tested below
        readers=("lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
    Case(
        name="campaign",
        methods=("GET",),
        build=_scene_campaign,
        actor="staff_of_las",
        shows="Hot food on late shifts",
        readers=("lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
    Case(
        name="idea_new",
        methods=GP,
        build=_scene_idea_new,
        actor="staff_of_las",
        shows="What one change would make your shifts better?",
        data=lambda scene: idea_data(),
        effect=_idea_new_effect,
        forbidden=(("site_admin", "main", GP),),
    ),
    Case(
        name="draft_edit",
        methods=GP,
        build=_scene_draft_edit,
        actor="staff_of_las",
        shows='value="Quiet rooms at every station"',
        data=lambda scene: idea_data(),
        effect=_draft_edit_effect,
        forbidden=(("staff_of_las", "other", GP), ("admin_of_southern", "other", GP)),
        hidden=(
            ("lead_of_yas", "main"),
            ("admin_of_northern", "main"),
            # A draft is its author's alone, even to the campaign's programme admins.
            ("lead_of_las", "main"),
            ("admin_of_southern", "main"),
            ("lead_of_yas", "other"),
        ),
    ),
    Case(
        name="my_ideas",
        methods=("GET",),
        build=_scene_my_ideas,
        actor="staff_of_las",
        shows="Quiet rooms at every station",
        hidden=(),
    ),
    Case(
        name="idea",
        methods=("GET",),
        build=_scene_idea,
        actor="staff_of_las",
        shows="Hot food on late shifts",
        readers=("lead_of_las", "lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
    Case(
        name="vote",
        methods=POST,
        build=_scene_idea_action("vote"),
        actor="staff_of_las",
        data=lambda scene: {"action": "vote"},
        effect=_vote_effect,
        forbidden=NO_TRUST,
    ),
    Case(
        name="follow",
        methods=POST,
        build=_scene_idea_action("follow"),
        actor="staff_of_las",
        data=lambda scene: {"action": "follow"},
        effect=_follow_effect,
    ),
    Case(
        name="comment_post",
        methods=POST,
        build=_scene_idea_action("comment_post"),
        actor="staff_of_las",
        data=lambda scene: {"body": "Yes, and at night."},
        effect=_comment_post_effect,
        forbidden=NO_TRUST,
    ),
    Case(
        name="comment_edit",
        methods=GP,
        build=_scene_comment_edit,
        actor="staff_of_las",
        shows="We tried this at Waterloo: it works.",
        data=lambda scene: {"body": "We tried this at Waterloo and Brighton."},
        effect=_comment_edit_effect,
        # Others can read the comment on the idea's page, not change it, moderators included.
        forbidden=(
            ("lead_of_las", "main", GP),
            ("lead_of_secamb", "main", GP),
            ("admin_of_southern", "main", GP),
        ),
    ),
    Case(
        name="comment_flag",
        methods=POST,
        build=_scene_comment_flag,
        actor="lead_of_las",
        data=lambda scene: {"reason": "Names a patient."},
        effect=_comment_flag_effect,
        forbidden=NO_TRUST,
    ),
    Case(
        name="attachment",
        methods=("GET",),
        build=_scene_attachment,
        actor="staff_of_las",
        get_check=_attachment_check,
        readers=("lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
]


# --- The tests of the table (their bodies are the shared checks of tests/view_cases.py) ---------


@pytest.mark.parametrize("case", case_params(CASES))
def test_the_right_person_gets_the_page_and_the_action_takes_effect(client, request, case, scene):
    check_happy_path(client, request.getfixturevalue(case.actor), case, scene, db_state)


@pytest.mark.parametrize("case", case_params(CASES))
def test_a_method_the_view_does_not_answer_is_refused_with_405(client, request, case, scene):
    check_wrong_methods_refused(client, request.getfixturevalue(case.actor), case, scene, db_state)


@pytest.mark.parametrize(
    ("case", "persona", "key", "methods"), person_case_params(CASES, "forbidden")
)
def test_a_person_who_sees_it_but_may_not_do_it_gets_403(
    client, request, case, scene, persona, key, methods
):
    check_forbidden(client, request.getfixturevalue(persona), case, scene, key, methods, db_state)


@pytest.mark.parametrize(("case", "persona", "key"), person_case_params(CASES, "hidden"))
def test_another_collaboration_or_someone_elses_draft_answers_404(
    client, request, case, scene, persona, key
):
    person = request.getfixturevalue(persona)
    check_hidden(client, person, case, scene, key, scene.secret, db_state)


@pytest.mark.parametrize(("case", "persona"), persona_cases(CASES, "readers"))
def test_people_of_member_trusts_and_admins_can_read(client, request, case, scene, persona):
    check_reader(client, request.getfixturevalue(persona), case, scene)


@pytest.mark.parametrize("case", case_params(CASES))
def test_someone_signed_out_is_sent_to_sign_in(client, case, scene):
    check_signed_out(client, case, scene, db_state)


# --- Campaigns ---------------------------------------------------------------------------------


def _page(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_the_campaign_list_shows_a_collaborations_campaigns_to_its_members_only(
    client, southern_campaign, national_campaign, staff_of_las, lead_of_yas, admin_of_northern
):
    listed = reverse("wellbeing:campaign_list")
    page = _page(client, staff_of_las, listed)
    assert southern_campaign.title in page
    assert national_campaign.title in page
    for outsider in (lead_of_yas, admin_of_northern):
        page = _page(client, outsider, listed)
        assert southern_campaign.title not in page
        assert national_campaign.title in page


def test_open_campaigns_come_first_with_the_call_to_action_and_past_ones_after(
    client, southern, admin_of_southern, southern_campaign, staff_of_las
):
    from tests.wellbeing.conftest import day
    from wellbeing.services.campaigns import campaign_create

    campaign_create(
        actor=admin_of_southern,
        collaboration=southern,
        themes=[],
        title="Winter pressures 2025",
        question="What got you through last winter?",
        opens_on=day(-120),
        closes_on=day(-60),
    )
    page = _page(client, staff_of_las, reverse("wellbeing:campaign_list"))
    assert page.index("Where should Southern focus first?") < page.index("Past campaigns")
    assert page.index("Past campaigns") < page.index("Winter pressures 2025")
    new_idea = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    assert page.count('href="/ideas/campaigns/') >= 2
    assert f'href="{new_idea}"' in page
    assert page.count("Submit an idea<span") == 1  # only on the open campaign
    assert "Start a campaign" not in page


def test_programme_admins_and_site_admins_see_start_a_campaign(
    client, southern_campaign, admin_of_southern, site_admin
):
    for person in (admin_of_southern, site_admin):
        page = _page(client, person, reverse("wellbeing:campaign_list"))
        assert f'href="{reverse("wellbeing:campaign_new")}"' in page


def test_the_campaign_page_shows_the_question_dates_live_event_and_themes(
    client, southern_campaign, staff_of_las
):
    page = _page(client, staff_of_las, southern_campaign.get_absolute_url())
    assert "What one change would make your shifts better?" in page
    assert "A one-hour chat on Teams with the programme team." in page
    assert "for 60 minutes" in page
    for name in ("Rest and recovery", "Career routes", "Talking about mental health"):
        assert name in page
    assert reverse("wellbeing:idea_new", args=[southern_campaign.slug]) in page
    assert "Comments waiting for a moderator" not in page


def test_the_campaign_page_gives_its_programme_admins_their_links(
    client, southern_campaign, admin_of_southern
):
    page = _page(client, admin_of_southern, southern_campaign.get_absolute_url())
    assert reverse("wellbeing:moderation", args=[southern_campaign.slug]) in page
    assert reverse("wellbeing:report", args=[southern_campaign.slug]) in page


def test_a_yas_person_sees_the_national_campaign(client, idea, national_campaign, lead_of_yas):
    page = _page(client, lead_of_yas, national_campaign.get_absolute_url())
    assert national_campaign.question in page
    assert idea.title not in page


def test_a_campaign_that_does_not_exist_answers_like_another_collaborations(client, staff_of_las):
    _page(client, staff_of_las, reverse("wellbeing:campaign", args=["no-such-campaign"]), 404)


# --- Submitting: the form keeps what was typed, drafts, attachments -----------------------------


def _post_idea(client, user, url, data, files=None):
    client.force_login(user)
    return client.post(url, data | (files or {}))


def test_a_missing_essential_keeps_everything_typed_and_says_what_is_missing(
    client, southern_campaign, staff_of_las
):
    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    response = _post_idea(
        client,
        staff_of_las,
        url,
        idea_data(
            title="",
            proposal="",
            suggested_theme=str(southern_campaign.themes.first().public_id),
            show_author_name="no",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Submit an idea" in page
    assert "There is a problem" in page
    assert '<a href="#id_title">Enter a title for your idea</a>' in page
    assert '<a href="#id_proposal">Describe your idea</a>' in page
    assert "Crews go twelve hours without a proper break on busy nights." in page
    assert 'value="no" checked' in page
    assert f'value="{southern_campaign.themes.first().public_id}" checked' in page
    assert not Idea.objects.exists()


def test_text_over_the_limit_is_refused_next_to_the_box_and_kept(
    client, southern_campaign, staff_of_las
):
    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    long_problem = "Too long. " * 160  # 1,600 characters
    response = _post_idea(client, staff_of_las, url, idea_data(problem=long_problem))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The problem must be 1,500 characters or fewer" in page
    assert long_problem.strip() in page
    assert 'data-maxlength="1500"' in page and "You can enter up to 1500 characters" in page
    assert not Idea.objects.exists()


def test_the_form_counts_characters_without_javascript(client, southern_campaign, staff_of_las):
    page = _page(client, staff_of_las, reverse("wellbeing:idea_new", args=[southern_campaign.slug]))
    assert page.count('class="nhsuk-form-group nhsuk-character-count"') == 2
    assert "You can enter up to 2500 characters" in page
    assert 'value="yes" checked' in page  # the name is shown unless they say otherwise
    assert 'name="action" value="draft"' in page and 'name="action" value="submit"' in page
    assert " maxlength=" not in page.split('data-testid="idea-form"')[1].split("</form>")[0]


def test_a_draft_may_be_incomplete_and_is_its_authors_alone(
    client, southern_campaign, staff_of_las, lead_of_las
):
    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    response = _post_idea(
        client,
        staff_of_las,
        url,
        {"title": "Quiet rooms", "show_author_name": "yes", "action": "draft"},
    )
    draft = Idea.objects.get()
    assert draft.status == IdeaStatus.DRAFT
    assert response.url == reverse("wellbeing:draft_edit", args=[draft.public_id])

    mine = _page(client, staff_of_las, reverse("wellbeing:my_ideas"))
    assert "Quiet rooms" in mine.split('data-testid="drafts"')[1]
    # The idea's own address takes its author back to the draft.
    response = client.get(draft.get_absolute_url())
    assert response.url == reverse("wellbeing:draft_edit", args=[draft.public_id])
    # Nobody else sees it, on the campaign or at its address.
    assert "Quiet rooms" not in _page(client, staff_of_las, southern_campaign.get_absolute_url())
    _page(client, lead_of_las, draft.get_absolute_url(), 404)
    assert "Quiet rooms" not in _page(client, lead_of_las, southern_campaign.get_absolute_url())


def test_a_draft_is_submitted_from_its_page(client, draft, staff_of_las):
    url = reverse("wellbeing:draft_edit", args=[draft.public_id])
    response = _post_idea(
        client, staff_of_las, url, idea_data(title=draft.title, proposal="Rooms with a sofa.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.proposal) == (IdeaStatus.SUBMITTED, "Rooms with a sofa.")
    # Submitted, it can no longer be changed: its draft page sends back to the idea.
    response = client.get(url)
    assert response.url == draft.get_absolute_url()


def test_a_closed_campaign_keeps_the_text_and_says_why(client, southern_campaign, staff_of_las):
    from tests.wellbeing.conftest import day

    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    with time_machine.travel(day(30).isoformat() + " 12:00", tick=False):
        response = _post_idea(client, staff_of_las, url, idea_data())
    assert response.status_code == 400
    page = response.content.decode()
    assert "This campaign took ideas until" in page
    assert "Crews go twelve hours without a proper break on busy nights." in page
    assert not Idea.objects.exists()


def test_attachments_are_kept_with_the_idea_and_served_as_downloads(
    client, southern_campaign, staff_of_las
):
    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    files = {
        "attachments": [
            SimpleUploadedFile("rest-room.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("sofa.png", b"\x89PNG\r\n", content_type="image/png"),
        ]
    }
    response = _post_idea(client, staff_of_las, url, idea_data(), files)
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert sorted(idea.attachments.values_list("original_name", flat=True)) == [
        "rest-room.pdf",
        "sofa.png",
    ]
    page = _page(client, staff_of_las, idea.get_absolute_url())
    pdf = idea.attachments.get(original_name="rest-room.pdf")
    assert reverse("wellbeing:attachment", args=[pdf.public_id]) in page
    download = client.get(reverse("wellbeing:attachment", args=[pdf.public_id]))
    assert download["Content-Disposition"] == 'attachment; filename="rest-room.pdf"'


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [SimpleUploadedFile("run-me.exe", b"MZ", content_type="application/octet-stream")],
            "“run-me.exe” is not a picture or a PDF",
        ),
        (
            [
                SimpleUploadedFile(
                    "scan.pdf", PDF + b"0" * 1_250_000, content_type="application/pdf"
                )
            ],
            "“scan.pdf” is 1.2\xa0MB; attachments can be up to 1.0\xa0MB.",
        ),
        (
            [
                SimpleUploadedFile(f"photo{n}.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
                for n in range(4)
            ],
            "An idea can have up to 3 attachments.",
        ),
    ],
    ids=["type", "size", "number"],
)
def test_a_refused_attachment_is_answered_next_to_the_field_and_the_text_kept(
    client, settings, southern_campaign, staff_of_las, files, message
):
    settings.PORTAL_IDEA_ATTACHMENT_MAX_BYTES = 1_048_576
    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    response = _post_idea(client, staff_of_las, url, idea_data(), {"attachments": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.split('id="id_attachments-error"')[1][:400]
    assert '<a href="#id_attachments">' in page
    assert "Choose your files again." in page
    assert "Crews go twelve hours without a proper break on busy nights." in page
    assert not Idea.objects.exists() and not IdeaAttachment.objects.exists()


# --- The idea's page --------------------------------------------------------------------------


def test_a_title_with_markup_is_shown_not_run(client, southern_campaign, staff_of_las, lead_of_las):
    url = reverse("wellbeing:idea_new", args=[southern_campaign.slug])
    _post_idea(client, staff_of_las, url, idea_data(title="<script>alert('x')</script> breaks"))
    idea = Idea.objects.get()
    comment_post(idea=idea, author=lead_of_las, body="<img src=x onerror=alert(1)> agreed")
    for page in (
        _page(client, lead_of_las, idea.get_absolute_url()),
        _page(client, lead_of_las, southern_campaign.get_absolute_url()),
        _page(client, staff_of_las, reverse("wellbeing:my_ideas")),
    ):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; breaks" in page
        assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; agreed" in _page(
        client, lead_of_las, idea.get_absolute_url()
    )


def test_the_author_name_shows_only_if_they_chose_so_but_always_to_programme_admins(
    client, southern_campaign, staff_of_las, lead_of_secamb, admin_of_southern
):
    idea = make_idea(
        southern_campaign, staff_of_las, "Anonymous rota swaps", show_author_name=False
    )
    for url in (idea.get_absolute_url(), southern_campaign.get_absolute_url()):
        assert "Staff Las" not in _page(client, lead_of_secamb, url)
        assert "Staff Las" in _page(client, admin_of_southern, url)
    page = _page(client, lead_of_secamb, idea.get_absolute_url())
    assert "A member of staff at London Ambulance Service NHS Trust" in page


def test_the_page_shows_a_status_reason_and_a_merge_both_ways(
    client, idea, secamb_idea, staff_of_las, admin_of_southern
):
    idea_merge(idea=idea, into=secamb_idea, actor=admin_of_southern, reason="Same idea.")
    page = _page(client, staff_of_las, idea.get_absolute_url())
    assert "Merged into another idea" in page
    assert f'<a href="{secamb_idea.get_absolute_url()}">{secamb_idea.title}</a>' in page
    target = _page(client, staff_of_las, secamb_idea.get_absolute_url())
    assert "1 idea was merged into this one." in target

    idea_change_status(
        idea=secamb_idea,
        actor=admin_of_southern,
        status=IdeaStatus.NOT_TAKEN_FORWARD,
        reason="Each trust already runs a preceptorship.",
    )
    page = _page(client, staff_of_las, secamb_idea.get_absolute_url())
    assert "Not taken forward" in page
    assert "Each trust already runs a preceptorship." in page
    assert "voting on it has closed" in page
    assert 'data-testid="comment-form"' not in page


# --- Votes -------------------------------------------------------------------------------------


def test_voting_with_htmx_swaps_only_the_vote_widget(client, secamb_idea, staff_of_las):
    client.force_login(staff_of_las)
    url = reverse("wellbeing:vote", args=[secamb_idea.public_id])
    response = client.post(url, {"action": "vote"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    partial = response.content.decode()
    assert "<html" not in partial and "<h1" not in partial
    assert (
        'data-testid="vote-count"><strong class="nhsuk-u-font-size-36">1</strong> vote' in partial
    )
    assert "Take back my vote" in partial and 'value="unvote"' in partial
    assert f'hx-post="{url}"' in partial and "csrfmiddlewaretoken" in partial

    response = client.post(url, {"action": "unvote"}, headers={"HX-Request": "true"})
    assert ">0</strong> votes" in response.content.decode()
    assert "Vote for this idea" in response.content.decode()
    assert Vote.objects.count() == 0


def test_a_vote_loads_the_idea_with_its_campaign_alone(client, secamb_idea, staff_of_las):
    """The vote answers with its widget only: the author, trust, theme and merged-into idea the
    page shows are not joined in (issue 7)."""
    client.force_login(staff_of_las)
    url = reverse("wellbeing:vote", args=[secamb_idea.public_id])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"action": "vote"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    idea_lookup = [q["sql"] for q in queries.captured_queries if "wellbeing_idea" in q["sql"]][0]
    assert "JOIN wellbeing_campaign" in idea_lookup
    assert "wellbeing_theme" not in idea_lookup and "collab_user" not in idea_lookup


def test_voting_without_javascript_comes_back_to_the_idea_with_a_message(
    client, secamb_idea, staff_of_las
):
    client.force_login(staff_of_las)
    url = reverse("wellbeing:vote", args=[secamb_idea.public_id])
    response = client.post(url, {"action": "vote"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(secamb_idea.get_absolute_url(), 302)]
    assert "Your vote is counted." in page
    assert "1</strong> vote, including yours" in page
    client.post(url, {"action": "vote"})  # a second press counts once
    secamb_idea.refresh_from_db()
    assert secamb_idea.vote_count == 1


def test_a_refused_vote_is_explained_in_place_or_on_the_page(
    client, secamb_idea, staff_of_las, admin_of_southern
):
    vote_cast(idea=secamb_idea, person=staff_of_las)
    idea_change_status(
        idea=secamb_idea,
        actor=admin_of_southern,
        status=IdeaStatus.NOT_TAKEN_FORWARD,
        reason="Covered nationally.",
    )
    client.force_login(staff_of_las)
    url = reverse("wellbeing:vote", args=[secamb_idea.public_id])
    response = client.post(url, {"action": "unvote"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "voting is closed" in response.content.decode()
    response = client.post(url, {"action": "unvote"}, follow=True)
    assert "voting is closed" in response.content.decode()
    assert Vote.objects.count() == 1


def test_a_vote_without_an_action_changes_nothing(client, secamb_idea, staff_of_las):
    client.force_login(staff_of_las)
    url = reverse("wellbeing:vote", args=[secamb_idea.public_id])
    response = client.post(url, {"action": "twice"}, follow=True)
    assert "Choose whether to vote" in response.content.decode()
    assert Vote.objects.count() == 0


# --- Following ---------------------------------------------------------------------------------


def test_following_and_stopping(client, secamb_idea, staff_of_las):
    client.force_login(staff_of_las)
    url = reverse("wellbeing:follow", args=[secamb_idea.public_id])
    page = client.post(url, {"action": "follow"}, follow=True).content.decode()
    assert "You follow this idea" in page and "Stop following" in page
    page = client.post(url, {"action": "unfollow"}, follow=True).content.decode()
    assert "You no longer follow this idea." in page
    assert not Follow.objects.filter(idea=secamb_idea, person=staff_of_las).exists()


# --- Comments ----------------------------------------------------------------------------------


def test_an_empty_comment_comes_back_with_the_error_next_to_the_box(client, idea, lead_of_las):
    client.force_login(lead_of_las)
    response = client.post(reverse("wellbeing:comment_post", args=[idea.public_id]), {"body": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Hot food on late shifts" in page
    assert '<a href="#comment-body">Enter your comment</a>' in page
    assert 'id="comment-body-error"' in page
    assert not Comment.objects.exists()


def test_a_comment_on_a_closed_idea_is_refused_with_the_reason(
    client, idea, lead_of_las, admin_of_southern
):
    idea_change_status(
        idea=idea, actor=admin_of_southern, status=IdeaStatus.NOT_TAKEN_FORWARD, reason="Done."
    )
    client.force_login(lead_of_las)
    response = client.post(
        reverse("wellbeing:comment_post", args=[idea.public_id]), {"body": "Late thought."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<li>Comments on this idea have closed.</li>" in page
    assert not Comment.objects.exists()


def test_a_refused_reply_keeps_its_text_in_its_own_box(client, idea, lead_of_las, staff_of_las):
    comment = comment_post(idea=idea, author=staff_of_las, body="Is this for every station?")
    client.force_login(lead_of_las)
    long_reply = "Yes. " * 401  # 2,005 characters
    response = client.post(
        reverse("wellbeing:comment_post", args=[idea.public_id]),
        {"body": long_reply, "parent": str(comment.public_id)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<a href="#reply-{comment.public_id}">Your comment must be 2,000 characters' in page
    assert f'id="reply-{comment.public_id}-error"' in page
    assert long_reply.strip() in page
    assert '<details class="nhsuk-details" open>' in page
    assert Comment.objects.count() == 1


def test_replies_are_indented_under_their_comment(client, idea, staff_of_las, lead_of_las):
    comment = comment_post(idea=idea, author=staff_of_las, body="First thought.")
    client.force_login(lead_of_las)
    response = client.post(
        reverse("wellbeing:comment_post", args=[idea.public_id]),
        {"body": "A reply.", "parent": str(comment.public_id)},
    )
    reply = Comment.objects.get(parent=comment)
    assert response.url.endswith(f"#comment-{reply.public_id}")
    page = _page(client, lead_of_las, idea.get_absolute_url())
    thread = page.split(f'id="comment-{comment.public_id}"')[1]
    assert 'class="nhsuk-list portal-comment-replies"' in thread
    assert thread.index("portal-comment-replies") < thread.index("A reply.")


def test_a_reply_to_a_comment_of_another_idea_answers_404(
    client, idea, secamb_idea, staff_of_las, lead_of_las
):
    other = comment_post(idea=secamb_idea, author=staff_of_las, body="Elsewhere.")
    client.force_login(lead_of_las)
    response = client.post(
        reverse("wellbeing:comment_post", args=[idea.public_id]),
        {"body": "Sneaky.", "parent": str(other.public_id)},
    )
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_the_author_can_edit_for_15_minutes_then_the_form_says_so(client, idea, staff_of_las):
    comment = comment_post(idea=idea, author=staff_of_las, body="Typo hre.")
    client.force_login(staff_of_las)
    page = client.get(idea.get_absolute_url()).content.decode()
    edit = reverse("wellbeing:comment_edit", args=[comment.public_id])
    assert edit in page

    later = timezone.now() + datetime.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        assert edit not in client.get(idea.get_absolute_url()).content.decode()
        response = client.post(edit, {"body": "Typo here."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Comments can be edited for 15 minutes after posting." in page
    assert "Typo here." in page
    comment.refresh_from_db()
    assert comment.body == "Typo hre." and comment.edited_at is None


def test_an_edited_comment_is_marked(client, idea, staff_of_las, lead_of_las):
    comment = comment_post(idea=idea, author=staff_of_las, body="Typo hre.")
    client.force_login(staff_of_las)
    client.post(reverse("wellbeing:comment_edit", args=[comment.public_id]), {"body": "Typo here."})
    page = _page(client, lead_of_las, idea.get_absolute_url())
    assert "Typo here." in page and 'data-testid="comment-edited">edited' in page


def test_others_can_report_a_comment_and_its_author_cannot(client, idea, staff_of_las, lead_of_las):
    comment = comment_post(idea=idea, author=staff_of_las, body="Hmm.")
    flag = reverse("wellbeing:comment_flag", args=[comment.public_id])
    assert flag in _page(client, lead_of_las, idea.get_absolute_url())
    assert flag not in _page(client, staff_of_las, idea.get_absolute_url())

    client.force_login(staff_of_las)
    page = client.post(flag, {"reason": ""}, follow=True).content.decode()
    assert "You cannot flag your own comment" in page
    client.force_login(lead_of_las)
    page = client.post(flag, {"reason": ""}, follow=True).content.decode()
    assert "A moderator will look at the comment." in page
    assert "You reported this comment." in page
    page = client.post(flag, {"reason": ""}, follow=True).content.decode()
    assert "You have flagged this comment already." in page
    assert CommentFlag.objects.count() == 1


def test_a_hidden_comment_is_read_by_moderators_only_and_a_removed_one_says_why(
    client, idea, las, staff_of_las, lead_of_las, lead_of_secamb, admin_of_southern
):
    from tests.wellbeing.builders import staff

    comment = comment_post(idea=idea, author=lead_of_las, body="Something unkind.")
    for n in range(3):
        comment_flag(comment=comment, person=staff(las, n))
    for person in (staff_of_las, lead_of_secamb, lead_of_las):
        page = _page(client, person, idea.get_absolute_url())
        assert "Something unkind." not in page
        assert "This comment is hidden while a moderator looks at it" in page
    page = _page(client, admin_of_southern, idea.get_absolute_url())
    assert "Something unkind." in page
    assert reverse("wellbeing:comment_moderate", args=[comment.public_id]) in page

    comment_moderate(comment=comment, moderator=admin_of_southern, restore=False, reason="Rude.")
    for person in (staff_of_las, admin_of_southern):
        page = _page(client, person, idea.get_absolute_url())
        assert "Removed by a moderator: Rude." in page
        assert "Something unkind." not in page


def test_the_idea_page_shows_the_joint_project_it_became(
    client, idea, staff_of_las, admin_of_southern, southern, las
):
    from decimal import Decimal

    from projects.models import Category, FundingModel
    from tests.wellbeing.builders import day as service_day
    from wellbeing.services.review import idea_promote

    for status in (IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED):
        idea = idea_change_status(idea=idea, actor=admin_of_southern, status=status, reason="")
    project = idea_promote(
        idea=idea,
        actor=admin_of_southern,
        collaboration=southern,
        lead_trust=las,
        category=Category.WORKFORCE_AND_WELLBEING,
        terms="Each trust stocks its stations.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("10000.00"),
        staff_days_per_trust=2,
        decision_deadline=service_day(14),
        planned_start=service_day(30),
        planned_end=service_day(200),
    )
    page = _page(client, staff_of_las, idea.get_absolute_url())
    assert "Adopted" in page
    progress = page.split('data-testid="project-progress"')[1]
    assert project.title in progress
    assert "The programme team is preparing the project." in progress
    # A draft project is not open to staff: its name without a link.
    assert project.get_absolute_url() not in progress
    assert project.get_absolute_url() in _page(client, admin_of_southern, idea.get_absolute_url())


# --- A bounded number of queries on the idea's page --------------------------------------------

# Measured at 12 for a member of staff, with 2 comments and with 40 (the thread and the person's
# flags are one query each, whatever their number), plus 2 for the framework.
IDEA_PAGE_QUERIES = 12 + 2


@pytest.mark.parametrize("comments", [2, 40])
def test_the_idea_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, idea, las, secamb, staff_of_las, comments
):
    from tests.wellbeing.builders import staff

    people = [staff(las, n) for n in range(4)] + [staff(secamb, n) for n in range(4)]
    top = []
    for n in range(comments):
        parent = top[n % len(top)] if n % 3 and top else None
        made = comment_post(idea=idea, author=people[n % 8], body=f"Comment {n}.", parent=parent)
        if parent is None:
            top.append(made)
    for person in people[1:4]:  # top[0] is people[0]'s
        comment_flag(comment=top[0], person=person)  # hidden: three flags
    client.force_login(staff_of_las)
    with django_assert_max_num_queries(IDEA_PAGE_QUERIES):
        response = client.get(idea.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="comment"') == comments


# --- The most discussed ideas: their threads a page at a time ------------------------------------


def _threads(idea, people, n: int) -> list:
    """n threads on the idea, oldest first, each with one reply."""
    threads = []
    for i in range(n):
        top = comment_post(idea=idea, author=people[i % len(people)], body=f"Thread {i}.")
        comment_post(
            idea=idea, author=people[(i + 1) % len(people)], body=f"Reply {i}.", parent=top
        )
        threads.append(top)
    return threads


def test_an_ideas_threads_come_twenty_to_a_page_each_with_its_replies(
    client, django_assert_max_num_queries, idea, las, secamb, staff_of_las
):
    from tests.wellbeing.builders import staff

    people = [staff(las, n) for n in range(3)] + [staff(secamb, n) for n in range(3)]
    threads = _threads(idea, people, COMMENT_THREADS_PER_PAGE * 2 + 5)
    client.force_login(staff_of_las)

    with django_assert_max_num_queries(IDEA_PAGE_QUERIES):
        first = client.get(idea.get_absolute_url())
    last = client.get(idea.get_absolute_url(), {"page": "3"})

    page = first.content.decode()
    assert "Comments (90)" in page  # every comment of the idea, not just this page's
    assert page.count('data-testid="comment"') == COMMENT_THREADS_PER_PAGE * 2
    assert "Thread 0." in page and "Reply 0." in page and "Thread 20." not in page
    assert "Threads 1 to 20 of 45, oldest first." in page
    assert 'href="?page=2"' in page
    end = last.content.decode()
    assert end.count('data-testid="comment"') == 5 * 2
    assert "Thread 40." in end and "Reply 44." in end and "Thread 39." not in end
    assert f'id="comment-{threads[-1].public_id}"' in end


def test_a_reply_on_a_later_page_comes_back_to_that_page(client, idea, las, secamb, staff_of_las):
    from tests.wellbeing.builders import staff

    people = [staff(las, n) for n in range(3)] + [staff(secamb, n) for n in range(3)]
    threads = _threads(idea, people, COMMENT_THREADS_PER_PAGE + 3)
    client.force_login(staff_of_las)
    url = reverse("wellbeing:comment_post", args=[idea.public_id])

    reply = client.post(url, {"body": "Same at Brighton.", "parent": threads[-1].public_id})
    first_page = client.post(url, {"body": "And at Waterloo.", "parent": threads[0].public_id})
    refused = client.post(url, {"body": "", "parent": threads[-1].public_id})

    made = Comment.objects.get(body="Same at Brighton.")
    assert reply.url == f"{idea.get_absolute_url()}?page=2#comment-{made.public_id}"
    made = Comment.objects.get(body="And at Waterloo.")
    assert first_page.url == f"{idea.get_absolute_url()}#comment-{made.public_id}"
    # A refused reply comes back with its error in its own thread, on the thread's page.
    assert refused.status_code == 400
    assert f'id="comment-{threads[-1].public_id}"' in refused.content.decode()
    assert "Enter your comment" in refused.content.decode()


def test_a_new_comment_comes_back_to_the_last_page_which_shows_it(
    client, idea, las, secamb, staff_of_las
):
    from tests.wellbeing.builders import staff

    people = [staff(las, n) for n in range(3)] + [staff(secamb, n) for n in range(3)]
    _threads(idea, people, COMMENT_THREADS_PER_PAGE + 3)
    client.force_login(staff_of_las)

    posted = client.post(
        reverse("wellbeing:comment_post", args=[idea.public_id]), {"body": "Same at Hastings."}
    )

    made = Comment.objects.get(body="Same at Hastings.")
    assert posted.url == f"{idea.get_absolute_url()}?page=last#comment-{made.public_id}"
    shown = client.get(posted.url.split("#")[0]).content.decode()
    assert f'id="comment-{made.public_id}"' in shown
    assert "Threads 21 to 24 of 24, oldest first." in shown


# --- Deleting a draft, removing an attachment from it -------------------------------------------


def _draft_with_files(campaign, author, title: str = "Quiet rooms at every station") -> Idea:
    return make_idea(
        campaign,
        author,
        title,
        proposal="",
        submit=False,
        attachments=[
            SimpleUploadedFile("rest-room.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("sofa.png", b"\x89PNG\r\n", content_type="image/png"),
        ],
    )


def test_the_draft_form_offers_to_delete_the_draft_and_remove_each_attachment(
    client, southern_campaign, staff_of_las
):
    draft = _draft_with_files(southern_campaign, staff_of_las)
    page = _page(client, staff_of_las, reverse("wellbeing:draft_edit", args=[draft.public_id]))
    main_form = page.split('data-testid="idea-form"')[1].split("</form>")[0]
    after = page.split('data-testid="idea-form"')[1].split("</form>", 1)[1]
    discard = reverse("wellbeing:draft_discard", args=[draft.public_id])
    # Its own small form after the main one, never nested inside it.
    assert discard not in main_form
    assert f'action="{discard}"' in after and "Delete this draft</button>" in after
    for attachment in draft.attachments.all():
        remove = reverse("wellbeing:attachment_remove", args=[attachment.public_id])
        form_id = f"remove-{attachment.public_id}"
        assert f'form="{form_id}">Remove<span class="nhsuk-u-visually-hidden"> ' in main_form
        assert f'action="{remove}" id="{form_id}"' in after
    # A new idea has nothing to delete yet.
    page = _page(client, staff_of_las, reverse("wellbeing:idea_new", args=[southern_campaign.slug]))
    assert "Delete this draft" not in page


def test_the_author_deletes_their_draft_and_its_files(
    client, django_capture_on_commit_callbacks, southern_campaign, staff_of_las
):
    draft = _draft_with_files(southern_campaign, staff_of_las)
    paths = [a.file.path for a in draft.attachments.all()]
    assert all(os.path.exists(path) for path in paths)
    client.force_login(staff_of_las)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wellbeing:draft_discard", args=[draft.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("wellbeing:my_ideas")
    assert not Idea.objects.exists() and not IdeaAttachment.objects.exists()
    assert not any(os.path.exists(path) for path in paths)
    page = client.get(response.url).content.decode()
    assert "Your draft “Quiet rooms at every station” is deleted." in page
    assert "You have no drafts." in page


def test_the_author_removes_an_attachment_and_comes_back_to_the_draft(
    client, django_capture_on_commit_callbacks, southern_campaign, staff_of_las
):
    draft = _draft_with_files(southern_campaign, staff_of_las)
    pdf = draft.attachments.get(original_name="rest-room.pdf")
    path = pdf.file.path
    client.force_login(staff_of_las)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wellbeing:attachment_remove", args=[pdf.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("wellbeing:draft_edit", args=[draft.public_id])
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["sofa.png"]
    assert not os.path.exists(path)
    page = client.get(response.url).content.decode()
    assert "“rest-room.pdf” is removed from your draft." in page
    assert "This draft has 1 already." in page


@pytest.mark.parametrize("name", ["draft_discard", "attachment_remove"])
def test_deleting_and_removing_answer_post_only(client, southern_campaign, staff_of_las, name):
    draft = _draft_with_files(southern_campaign, staff_of_las)
    target = draft if name == "draft_discard" else draft.attachments.first()
    url = reverse(f"wellbeing:{name}", args=[target.public_id])
    client.force_login(staff_of_las)
    before = db_state()
    for method in ("GET", "PUT", "DELETE"):
        response = send(client, method, url)
        assert response.status_code == 405, method
        assert response["Allow"] == "POST"
    assert db_state() == before

    client.logout()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    assert db_state() == before


@pytest.mark.parametrize("name", ["draft_discard", "attachment_remove"])
@pytest.mark.parametrize(
    "persona", ["lead_of_las", "lead_of_secamb", "admin_of_southern", "lead_of_yas"]
)
def test_someone_elses_draft_answers_404(
    client, request, southern_campaign, staff_of_las, name, persona
):
    draft = _draft_with_files(southern_campaign, staff_of_las)
    target = draft if name == "draft_discard" else draft.attachments.first()
    client.force_login(request.getfixturevalue(persona))
    before = db_state()
    response = client.post(reverse(f"wellbeing:{name}", args=[target.public_id]))
    assert response.status_code == 404
    assert draft.title not in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize("name", ["draft_discard", "attachment_remove"])
@pytest.mark.parametrize("persona", ["lead_of_las", "admin_of_southern"])
def test_someone_elses_submitted_idea_is_seen_but_not_theirs_to_delete_403(
    client, request, southern_campaign, staff_of_las, name, persona
):
    idea = make_idea(
        southern_campaign,
        staff_of_las,
        "A rest room at every station",
        attachments=[SimpleUploadedFile("rest-room.pdf", PDF, content_type="application/pdf")],
    )
    target = idea if name == "draft_discard" else idea.attachments.get()
    client.force_login(request.getfixturevalue(persona))
    before = db_state()
    response = client.post(reverse(f"wellbeing:{name}", args=[target.public_id]))
    assert response.status_code == 403
    assert db_state() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("draft_discard", "This idea is submitted, so it can no longer be deleted."),
        ("attachment_remove", "This idea is submitted, so its attachments can no longer change."),
    ],
)
def test_a_submitted_idea_is_not_deleted_nor_its_files_removed(
    client, southern_campaign, staff_of_las, name, message
):
    idea = make_idea(
        southern_campaign,
        staff_of_las,
        "A rest room at every station",
        attachments=[SimpleUploadedFile("rest-room.pdf", PDF, content_type="application/pdf")],
    )
    target = idea if name == "draft_discard" else idea.attachments.get()
    path = idea.attachments.get().file.path
    client.force_login(staff_of_las)
    before = db_state()
    response = client.post(reverse(f"wellbeing:{name}", args=[target.public_id]), follow=True)
    assert response.redirect_chain == [(idea.get_absolute_url(), 302)]
    assert message in response.content.decode()
    assert db_state() == before
    assert os.path.exists(path)
