"""Every view of the programme admins' side of staff ideas against every kind of person.

For each view in wellbeing/urls.py under "Programme admins" and "The campaign report": the happy
path (the campaign's programme admin, the right method, and its effect in the database), the
wrong method (405), a person who can see the campaign but may not manage it (403: staff and a
trust lead of a member trust), a person of another tenant (404, exactly like a campaign that
does not exist: the Northern admin and a Yorkshire lead), and someone signed out (sent to sign
in). Every refusal leaves every table the services write exactly as it was.

Then the forms: bad input answers 400 with the error next to its field, the page title starting
with "Error: ", and what was typed still in the form.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from collab.models import AuditEvent, Role
from projects.models import Category, FundingModel, JointProject, ProjectStatus
from tests.factories import RoleFactory
from tests.view_cases import send
from tests.wellbeing.builders import day, open_campaign, shortlisted, staff, submitted_idea
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
from wellbeing.services.campaigns import campaign_create
from wellbeing.services.comments import comment_flag, comment_post
from wellbeing.services.votes import vote_cast

# Every table the services of staff ideas (and promotion into a project) write.
WRITTEN_BY_SERVICES = (
    Campaign,
    Theme,
    Idea,
    Vote,
    Follow,
    Comment,
    CommentFlag,
    JointProject,
    AuditEvent,
)


def db_state() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in WRITTEN_BY_SERVICES
    }


# --- Fixtures of this module -------------------------------------------------------------------


@pytest.fixture
def campaign(southern, admin_of_southern):
    return open_campaign(southern, admin_of_southern, title="Where should Southern start?")


@pytest.fixture
def idea(campaign, staff_of_las):
    return submitted_idea(campaign, staff_of_las, title="Hot meals on late shifts")


@pytest.fixture
def other_idea(campaign, lead_of_secamb):
    return submitted_idea(campaign, lead_of_secamb, title="Hot food after midnight")


@pytest.fixture
def shortlisted_idea(campaign, lead_of_las, admin_of_southern):
    return shortlisted(
        submitted_idea(campaign, lead_of_las, title="One route from band 5 to band 6"),
        admin_of_southern,
    )


@pytest.fixture
def hidden_comment(idea, lead_of_las, lead_of_secamb, las):
    comment = comment_post(
        idea=idea, author=lead_of_las, body="The night manager at the General should be sacked."
    )
    comment_flag(comment=comment, person=lead_of_secamb, reason="A personal attack.")
    comment_flag(comment=comment, person=staff(las, 1), reason="Names someone.")
    comment_flag(comment=comment, person=staff(las, 2))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    return comment


def campaign_data(**overrides: str) -> dict[str, str]:
    """The campaign form as a browser posts it."""
    data = {
        "collaboration": "southern",
        "title": "Rest and recovery on nights",
        "question": "What would help you rest on a night shift?",
        "description": "Ideas from staff on the road and in the control rooms.",
        "opens_on": day(0).isoformat(),
        "closes_on": day(28).isoformat(),
        "discussion_closes_on": day(42).isoformat(),
        "live_event_on": day(7).isoformat(),
        "live_event_time": "19:00",
        "live_event_minutes": "60",
        "live_event_details": "A tweet chat: follow #SouthernNights.",
        "themes": "Rest areas\nFood and drink\n\nBreaks",
    }
    return data | overrides


def edit_data(campaign: Campaign, **overrides: str) -> dict[str, str]:
    data = campaign_data(
        title=campaign.title,
        question=campaign.question,
        description=campaign.description,
        opens_on=campaign.opens_on.isoformat(),
        closes_on=campaign.closes_on.isoformat(),
        discussion_closes_on="",
        live_event_on="",
        live_event_time="",
        live_event_details="",
        themes="\n".join(campaign.themes.values_list("name", flat=True)),
    )
    del data["collaboration"]
    return data | overrides


def promote_data(scene_or_fx, **overrides: str) -> dict[str, str]:
    fx = scene_or_fx.fx if isinstance(scene_or_fx, Scene) else scene_or_fx
    data = {
        "collaboration": str(fx("southern").pk),
        "title": "One route from band 5 to band 6",
        "summary": "A published framework for progression to band 6, the same in every trust.",
        "category": Category.WORKFORCE_AND_WELLBEING,
        "lead_trust": str(fx("las").pk),
        "terms": "Each trust that joins adopts the framework and names a lead.",
        "funding_model": FundingModel.EQUAL_SPLIT,
        "total_budget": "30000.00",
        "staff_days_per_trust": "5",
        "decision_deadline": day(14).isoformat(),
        "planned_start": day(30).isoformat(),
        "planned_end": day(200).isoformat(),
    }
    return data | overrides


# --- The table ---------------------------------------------------------------------------------


@dataclass
class Scene:
    fx: Callable[[str], Any]
    url: str
    campaign: Campaign | None = None
    objects: dict[str, Any] = field(default_factory=dict)


def _scene_new(fx):
    fx("southern")
    return Scene(fx, reverse("wellbeing:campaign_new"))


def _scene_campaign(name: str):
    def build(fx):
        campaign = fx("campaign")
        fx("idea")
        return Scene(fx, reverse(f"wellbeing:{name}", args=[campaign.slug]), campaign)

    return build


def _scene_moderation(fx):
    comment = fx("hidden_comment")
    campaign = fx("campaign")
    return Scene(
        fx, reverse("wellbeing:moderation", args=[campaign.slug]), campaign, {"comment": comment}
    )


def _scene_comment_moderate(fx):
    comment = fx("hidden_comment")
    return Scene(
        fx,
        reverse("wellbeing:comment_moderate", args=[comment.public_id]),
        fx("campaign"),
        {"comment": comment},
    )


def _scene_idea(name: str, idea_fixture: str = "idea"):
    def build(fx):
        idea = fx(idea_fixture)
        fx("other_idea")
        return Scene(
            fx, reverse(f"wellbeing:{name}", args=[idea.public_id]), fx("campaign"), {"idea": idea}
        )

    return build


def _new_effect(scene, response):
    campaign = Campaign.objects.get(title="Rest and recovery on nights")
    assert response.url == campaign.get_absolute_url()
    assert campaign.collaboration == scene.fx("southern")
    assert campaign.created_by == scene.fx("admin_of_southern")
    assert list(campaign.themes.values_list("name", flat=True)) == [
        "Rest areas",
        "Food and drink",
        "Breaks",
    ]
    assert campaign.discussion_closes_on == day(42)
    live = timezone.localtime(campaign.live_event_at)
    assert (live.date(), live.hour, live.minute) == (day(7), 19, 0)
    assert campaign.live_event_minutes == 60
    assert AuditEvent.objects.filter(action="campaign.created").count() == 1


def _edit_data(scene):
    return edit_data(
        scene.campaign,
        title="Where should Southern start first?",
        themes="Rest and recovery\nCareer routes\nLeadership",
    )


def _edit_effect(scene, response):
    campaign = scene.campaign
    assert response.url == campaign.get_absolute_url()
    campaign.refresh_from_db()
    assert campaign.title == "Where should Southern start first?"
    assert list(campaign.themes.values_list("name", flat=True)) == [
        "Rest and recovery",
        "Career routes",
        "Leadership",
    ]
    assert AuditEvent.objects.filter(action="campaign.updated").count() == 1


def _moderate_effect(scene, response):
    comment = scene.objects["comment"]
    assert response.url == reverse("wellbeing:moderation", args=[scene.campaign.slug])
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    assert comment.moderated_by == scene.fx("admin_of_southern")
    assert comment.moderation_reason == "A personal attack on a named colleague."


def _moderate_get_check(scene, response):
    comment = scene.objects["comment"]
    queue = reverse("wellbeing:moderation", args=[scene.campaign.slug])
    assert response.url == f"{queue}#comment-{comment.public_id}"


def _review_effect(scene, response):
    idea = scene.objects["idea"]
    assert response.url == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW
    assert idea.status_reason == "The panel looks at it on Thursday."


def _merge_data(scene):
    return {"into": str(scene.fx("other_idea").public_id), "reason": "Both ask for hot food."}


def _merge_effect(scene, response):
    idea, into = scene.objects["idea"], scene.fx("other_idea")
    assert response.url == into.get_absolute_url()
    idea.refresh_from_db()
    assert (idea.status, idea.merged_into, idea.status_reason) == (
        IdeaStatus.MERGED,
        into,
        "Both ask for hot food.",
    )


def _promote_effect(scene, response):
    idea = scene.objects["idea"]
    project = JointProject.objects.get(title="One route from band 5 to band 6")
    assert response.url == project.get_absolute_url()
    assert (project.status, project.collaboration, project.lead_trust) == (
        ProjectStatus.DRAFT,
        scene.fx("southern"),
        scene.fx("las"),
    )
    idea.refresh_from_db()
    assert (idea.status, idea.project) == (IdeaStatus.ADOPTED, project)


def _report_check(scene, response):
    page = response.content.decode()
    assert 'data-testid="themes"' in page
    assert 'data-testid="total-ideas">1<' in page


def _csv_check(scene, response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{scene.campaign.slug}-report-'
    )
    assert "Hot meals on late shifts" in response.content.decode("utf-8-sig")


@dataclass(frozen=True)
class Case:
    name: str
    methods: tuple[str, ...]  # the methods the view answers
    build: Callable
    shows: str = ""  # text the GET page shows to the programme admin
    get_check: Callable | None = None
    get_status: int = 200
    data: Callable = lambda scene: {}
    effect: Callable | None = None  # what a POST by the programme admin changes
    forbidden: tuple[str, ...] = ("staff_of_las", "lead_of_las")
    hidden: tuple[str, ...] = ("admin_of_northern", "lead_of_yas")


GP = ("GET", "POST")

CASES = [
    Case(
        name="campaign_new",
        methods=GP,
        build=_scene_new,
        shows="New ideas campaign",
        data=lambda scene: campaign_data(),
        effect=_new_effect,
        # There is no campaign to hide yet: a Northern admin may start a Northern campaign
        # (tested below: they cannot start one for Southern).
        hidden=(),
    ),
    Case(
        name="campaign_edit",
        methods=GP,
        build=_scene_campaign("campaign_edit"),
        shows='value="Where should Southern start?"',
        data=_edit_data,
        effect=_edit_effect,
    ),
    Case(
        name="moderation",
        methods=("GET",),
        build=_scene_moderation,
        shows="The night manager at the General should be sacked.",
    ),
    Case(
        name="comment_moderate",
        methods=GP,
        build=_scene_comment_moderate,
        get_status=302,
        get_check=_moderate_get_check,
        data=lambda scene: {
            "decision": "remove",
            "reason": "A personal attack on a named colleague.",
        },
        effect=_moderate_effect,
    ),
    Case(
        name="idea_review",
        methods=GP,
        build=_scene_idea("idea_review"),
        shows="Under review",
        data=lambda scene: {
            "action": "status",
            "status": IdeaStatus.UNDER_REVIEW,
            "reason": "The panel looks at it on Thursday.",
        },
        effect=_review_effect,
    ),
    Case(
        name="idea_merge",
        methods=GP,
        build=_scene_idea("idea_merge"),
        shows="Hot food after midnight (submitted, 0 votes)",
        data=_merge_data,
        effect=_merge_effect,
    ),
    Case(
        name="idea_promote",
        methods=GP,
        build=_scene_idea("idea_promote", "shortlisted_idea"),
        shows="Turn this idea into a joint project",
        data=promote_data,
        effect=_promote_effect,
    ),
    Case(
        name="report",
        methods=("GET",),
        build=_scene_campaign("report"),
        shows="Campaign report",
        get_check=_report_check,
    ),
    Case(
        name="report_csv",
        methods=("GET",),
        build=_scene_campaign("report_csv"),
        get_check=_csv_check,
    ),
]


def _cases():
    return [pytest.param(case, id=case.name) for case in CASES]


def _person_cases(attribute: str):
    return [
        pytest.param(case, persona, id=f"{case.name}-{persona}")
        for case in CASES
        for persona in getattr(case, attribute)
    ]


# --- The tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _cases())
def test_the_programme_admin_gets_the_page_and_the_action_takes_effect(
    client, admin_of_southern, case, scene
):
    client.force_login(admin_of_southern)
    if "GET" in case.methods:
        before = db_state()
        response = client.get(scene.url)
        assert response.status_code == case.get_status
        if case.shows:
            assert case.shows in response.content.decode()
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page = response.content.decode()
            assert page.count("<h1") == 1
            assert 'class="nhsuk-breadcrumb"' in page
            assert "<title>Error: " not in page
        if case.get_check:
            case.get_check(scene, response)
        assert db_state() == before, "reading a page changed the database"
    if "POST" in case.methods:
        response = client.post(scene.url, case.data(scene))
        assert response.status_code == 302, response.content.decode()[:3000]
        case.effect(scene, response)


@pytest.mark.parametrize("case", _cases())
def test_a_method_the_view_does_not_answer_is_refused_with_405(
    client, admin_of_southern, case, scene
):
    client.force_login(admin_of_southern)
    wrong = {("GET",): ["POST", "PUT"], GP: ["PUT", "DELETE"]}[case.methods]
    before = db_state()
    for method in wrong:
        response = send(client, method, scene.url, case.data(scene))
        assert response.status_code == 405, method
        assert sorted(response["Allow"].split(", ")) == sorted(case.methods)
    assert db_state() == before


@pytest.mark.parametrize(("case", "persona"), _person_cases("forbidden"))
def test_someone_who_sees_the_campaign_but_does_not_run_it_gets_403(
    client, request, case, scene, persona
):
    client.force_login(request.getfixturevalue(persona))
    before = db_state()
    for method in case.methods:
        response = send(client, method, scene.url, case.data(scene))
        assert response.status_code == 403, method
    assert db_state() == before
    if scene.campaign is not None:
        # They can see it: the campaign's own page answers them.
        assert client.get(scene.campaign.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("case", "persona"), _person_cases("hidden"))
def test_another_collaborations_people_get_404(client, request, case, scene, persona):
    client.force_login(request.getfixturevalue(persona))
    before = db_state()
    for method in case.methods:
        response = send(client, method, scene.url, case.data(scene))
        assert response.status_code == 404, method
        assert scene.campaign.title not in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize("case", _cases())
def test_someone_signed_out_is_sent_to_sign_in(client, case, scene):
    before = db_state()
    response = send(client, case.methods[-1], scene.url, case.data(scene))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    assert db_state() == before


# --- Who may run which campaign ------------------------------------------------------------------


def test_a_northern_admin_cannot_start_a_southern_campaign(client, admin_of_northern, southern):
    client.force_login(admin_of_northern)
    before = db_state()
    response = client.post(reverse("wellbeing:campaign_new"), campaign_data())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Southern Ambulance Services Collaboration" not in page
    assert db_state() == before


def test_only_a_site_admin_may_start_a_national_campaign(
    client, admin_of_southern, site_admin, southern
):
    client.force_login(admin_of_southern)
    response = client.get(reverse("wellbeing:campaign_new"))
    assert "National (all trusts)" not in response.content.decode()
    response = client.post(
        reverse("wellbeing:campaign_new"), campaign_data(collaboration="national")
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()

    client.force_login(site_admin)
    response = client.get(reverse("wellbeing:campaign_new"))
    assert "National (all trusts)" in response.content.decode()
    response = client.post(
        reverse("wellbeing:campaign_new"), campaign_data(collaboration="national")
    )
    assert response.status_code == 302
    assert Campaign.objects.get().is_national


def test_a_programme_admin_who_sees_a_national_campaign_cannot_run_it(
    client, site_admin, admin_of_southern, staff_of_las
):
    national = campaign_create(
        actor=site_admin,
        collaboration=None,
        themes=["Debrief"],
        title="Wellbeing and career progression",
        question="How can we best protect the wellbeing of ambulance staff?",
        opens_on=day(-1),
        closes_on=day(30),
    )
    idea = submitted_idea(national, staff_of_las)
    client.force_login(admin_of_southern)
    for name, arg in (
        ("campaign_edit", national.slug),
        ("report", national.slug),
        ("moderation", national.slug),
        ("idea_review", idea.public_id),
    ):
        assert client.get(reverse(f"wellbeing:{name}", args=[arg])).status_code == 403, name
    client.force_login(site_admin)
    assert client.get(reverse("wellbeing:report", args=[national.slug])).status_code == 200
    assert client.get(reverse("wellbeing:idea_review", args=[idea.public_id])).status_code == 200


def test_a_campaign_that_does_not_exist_answers_like_another_tenants(client, admin_of_southern):
    client.force_login(admin_of_southern)
    assert client.get(reverse("wellbeing:campaign_edit", args=["no-such"])).status_code == 404
    assert client.get(reverse("wellbeing:report", args=["no-such"])).status_code == 404


# --- Bad input: 400, the error by its field, "Error: " in the title, nothing typed lost ----------


def _assert_error_page(response, field_id: str, message: str, *kept: str) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip().startswith("Error: ")
    assert 'class="nhsuk-error-summary"' in page
    assert f'id="{field_id}-error"' in page, f"no error next to {field_id}"
    error = re.search(
        rf'id="{field_id}-error"><span class="nhsuk-u-visually-hidden">Error: </span>(.*?)</span>',
        page,
        re.S,
    )
    assert message in html.unescape(error.group(1)), error.group(1)
    for text in kept:
        assert text in page, f"lost what was typed: {text}"
    return page


def test_new_campaign_dates_in_the_wrong_order(client, admin_of_southern, southern):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:campaign_new"),
        campaign_data(closes_on=day(-3).isoformat(), title="Nights <b>matter</b>"),
    )
    _assert_error_page(
        response,
        "id_closes_on",
        "Ideas must close on or after the day the campaign opens.",
        'value="Nights &lt;b&gt;matter&lt;/b&gt;"',
        "Rest areas\nFood and drink",
    )
    assert db_state() == before


def test_new_campaign_with_a_theme_listed_twice_is_refused_by_the_service(
    client, admin_of_southern, southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:campaign_new"), campaign_data(themes="Rest areas\nBreaks\nrest areas")
    )
    _assert_error_page(
        response,
        "id_themes",
        "The theme “rest areas” is listed twice.",
        'value="Rest and recovery on nights"',
        "Rest areas\nBreaks\nrest areas",
    )
    assert db_state() == before


def test_a_live_event_needs_its_time(client, admin_of_southern, southern):
    client.force_login(admin_of_southern)
    response = client.post(reverse("wellbeing:campaign_new"), campaign_data(live_event_time=""))
    _assert_error_page(
        response,
        "id_live_event_time",
        "Enter the time the live event starts.",
        'value="A tweet chat: follow #SouthernNights."',
    )
    assert not Campaign.objects.exists()


def test_removing_a_theme_that_has_ideas_keeps_the_typed_themes(
    client, admin_of_southern, campaign, idea
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:campaign_edit", args=[campaign.slug]),
        edit_data(campaign, title="Changed title", themes="Career routes\nLeadership"),
    )
    _assert_error_page(
        response,
        "id_themes",
        "The theme “Rest and recovery” has ideas in it.",
        'value="Changed title"',
        "Career routes\nLeadership",
    )
    assert db_state() == before


def test_a_moderation_decision_needs_a_reason(client, admin_of_southern, hidden_comment):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:comment_moderate", args=[hidden_comment.public_id]),
        {"decision": "restore", "reason": "  "},
    )
    field_id = f"id_{hidden_comment.public_id}_reason"
    page = _assert_error_page(response, field_id, "Give the reason for your decision.")
    # The decision chosen is still chosen.
    assert re.search(rf'id="id_{hidden_comment.public_id}_decision_0"[^>]*checked', page)
    assert db_state() == before


def test_the_queue_shows_the_flags_count_and_reasons(client, admin_of_southern, hidden_comment):
    client.force_login(admin_of_southern)
    campaign = hidden_comment.idea.campaign
    page = client.get(reverse("wellbeing:moderation", args=[campaign.slug])).content.decode()
    assert "Flagged by 3 people." in page
    assert "A personal attack." in page
    assert "Names someone." in page


def test_restoring_a_hidden_comment(client, admin_of_southern, hidden_comment):
    client.force_login(admin_of_southern)
    response = client.post(
        reverse("wellbeing:comment_moderate", args=[hidden_comment.public_id]),
        {"decision": "restore", "reason": "Robust, but about the idea."},
    )
    assert response.status_code == 302
    hidden_comment.refresh_from_db()
    assert (hidden_comment.status, hidden_comment.flag_count) == (CommentStatus.VISIBLE, 0)
    queue = client.get(response.url).content.decode()
    assert "No comments are waiting for a moderator." in queue
    assert "is restored" in queue


def test_a_comment_decided_already_is_said_so_above_the_queue(
    client, admin_of_southern, hidden_comment
):
    url = reverse("wellbeing:comment_moderate", args=[hidden_comment.public_id])
    client.force_login(admin_of_southern)
    client.post(url, {"decision": "remove", "reason": "Personal attack."})
    before = db_state()
    response = client.post(url, {"decision": "remove", "reason": "Personal attack."}, follow=True)
    assert "This comment has been removed already." in response.content.decode()
    assert db_state() == before


def test_not_taken_forward_needs_a_public_reason(client, admin_of_southern, idea):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:idea_review", args=[idea.public_id]),
        {"action": "status", "status": IdeaStatus.NOT_TAKEN_FORWARD, "reason": ""},
    )
    page = _assert_error_page(
        response,
        "id_reason",
        "Say why the idea is not taken forward: everyone can read the reason.",
    )
    assert re.search(r'value="not_taken_forward"[^>]*checked', page)
    assert db_state() == before


def test_only_the_next_statuses_are_offered(client, admin_of_southern, idea):
    client.force_login(admin_of_southern)
    url = reverse("wellbeing:idea_review", args=[idea.public_id])
    page = client.get(url).content.decode()
    offered = set(re.findall(r'name="status"[^>]*value="([a-z_]+)"', page))
    assert offered == {IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_TAKEN_FORWARD}
    before = db_state()
    response = client.post(
        url, {"action": "status", "status": IdeaStatus.ADOPTED, "reason": "Skipping ahead."}
    )
    _assert_error_page(response, "id_status", "Select a valid choice.", "Skipping ahead.")
    assert db_state() == before


def test_re_theming_an_idea(client, admin_of_southern, campaign, idea):
    career = campaign.themes.get(name="Career routes")
    client.force_login(admin_of_southern)
    response = client.post(
        reverse("wellbeing:idea_review", args=[idea.public_id]),
        {"action": "theme", "theme": str(career.public_id)},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.theme == career
    assert AuditEvent.objects.filter(action="idea.rethemed").count() == 1


def test_a_theme_of_another_campaign_is_not_a_choice(
    client, admin_of_southern, southern, campaign, idea
):
    elsewhere = open_campaign(southern, admin_of_southern, title="Another campaign")
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:idea_review", args=[idea.public_id]),
        {"action": "theme", "theme": str(elsewhere.themes.first().public_id)},
    )
    _assert_error_page(response, "id_theme", "Select a valid choice.")
    assert db_state() == before


def test_a_merge_needs_a_reason_and_keeps_the_choice(client, admin_of_southern, idea, other_idea):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:idea_merge", args=[idea.public_id]),
        {"into": str(other_idea.public_id), "reason": ""},
    )
    page = _assert_error_page(response, "id_reason", "This field is required.")
    assert re.search(rf'<option value="{other_idea.public_id}" selected>', page)
    assert db_state() == before


def test_the_merge_list_holds_the_campaigns_other_open_ideas_only(
    client, admin_of_southern, southern, idea, other_idea, campaign, lead_of_las
):
    closed = submitted_idea(campaign, lead_of_las, title="An idea not taken forward")
    Idea.objects.filter(pk=closed.pk).update(status=IdeaStatus.NOT_TAKEN_FORWARD)
    elsewhere = submitted_idea(
        open_campaign(southern, admin_of_southern, title="Another campaign"),
        lead_of_las,
        title="An idea of another campaign",
    )
    client.force_login(admin_of_southern)
    page = client.get(reverse("wellbeing:idea_merge", args=[idea.public_id])).content.decode()
    assert str(other_idea.public_id) in page
    assert str(closed.public_id) not in page
    assert str(elsewhere.public_id) not in page
    assert f'<option value="{idea.public_id}"' not in page


def test_promotion_dates_in_the_wrong_order_keep_the_terms(
    client, admin_of_southern, request, shortlisted_idea
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:idea_promote", args=[shortlisted_idea.public_id]),
        promote_data(
            request.getfixturevalue,
            planned_end=day(20).isoformat(),
            terms="Each trust names a lead & adopts it.",
        ),
    )
    _assert_error_page(
        response,
        "id_planned_end",
        "The planned end must be on or after the planned start.",
        "Each trust names a lead &amp; adopts it.",
    )
    assert db_state() == before


def test_a_lead_trust_outside_the_chosen_collaboration_is_refused_by_the_service(
    client, admin_of_southern, northern, yas, request, shortlisted_idea
):
    RoleFactory(user=admin_of_southern, role=Role.PROGRAMME_ADMIN, collaboration=northern)
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("wellbeing:idea_promote", args=[shortlisted_idea.public_id]),
        promote_data(request.getfixturevalue, lead_trust=str(yas.pk)),
    )
    _assert_error_page(
        response,
        "id_lead_trust",
        "YAS is not a member of SASC; choose a member trust to lead the project.",
        'value="One route from band 5 to band 6"',
    )
    assert db_state() == before


def test_the_promotion_form_offers_only_the_admins_collaborations(
    client, admin_of_southern, northern, shortlisted_idea
):
    client.force_login(admin_of_southern)
    page = client.get(
        reverse("wellbeing:idea_promote", args=[shortlisted_idea.public_id])
    ).content.decode()
    assert "Southern Ambulance Services Collaboration" in page
    assert "Northern Ambulance Alliance" not in page
    # Prefilled from the idea.
    assert 'value="One route from band 5 to band 6"' in page
    assert "Stock the stations with hot meals crews can heat." in page


def test_an_idea_that_is_not_shortlisted_cannot_be_promoted(
    client, admin_of_southern, request, idea
):
    client.force_login(admin_of_southern)
    url = reverse("wellbeing:idea_promote", args=[idea.public_id])
    assert "Only a shortlisted idea can become a joint project." in client.get(url).content.decode()
    before = db_state()
    response = client.post(url, promote_data(request.getfixturevalue))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Shortlist the idea before turning it into a joint project." in page
    assert 'value="One route from band 5 to band 6"' in page
    assert db_state() == before


# --- Escaping: markup in what people typed is shown, never run ------------------------------------


def test_markup_in_titles_and_comments_is_shown_not_run(
    client, admin_of_southern, campaign, lead_of_las, lead_of_secamb, las
):
    idea = submitted_idea(campaign, lead_of_las, title='<script>alert("idea")</script>')
    vote_cast(idea=idea, person=lead_of_secamb)
    comment = comment_post(idea=idea, author=lead_of_secamb, body="<img src=x onerror=alert(1)>")
    for n, person in enumerate((lead_of_las, staff(las, 5), staff(las, 6))):
        comment_flag(comment=comment, person=person, reason=f"<b>flag {n}</b>")
    client.force_login(admin_of_southern)
    for url in (
        reverse("wellbeing:idea_review", args=[idea.public_id]),
        reverse("wellbeing:idea_merge", args=[idea.public_id]),
        reverse("wellbeing:moderation", args=[campaign.slug]),
        reverse("wellbeing:report", args=[campaign.slug]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "<b>flag" not in page, url
    page = client.get(reverse("wellbeing:moderation", args=[campaign.slug])).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;flag 0&lt;/b&gt;" in page
