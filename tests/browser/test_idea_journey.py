"""The staff ideas journey on a phone: a member of staff submits an idea (after a validation
error that keeps what was typed), another votes in place and comments, and the programme admin
shortlists the idea and promotes it into a joint project draft. axe checks every page visited,
and no phone page scrolls sideways."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from collab.models import Role
from tests.factories import PASSWORD, RoleFactory, UserFactory
from wellbeing.models import Idea
from wellbeing.services.campaigns import campaign_create
from wellbeing.services.ideas import idea_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMPAIGN = "Where should Southern focus first?"
THEMES = ["Rest and recovery", "Career routes", "Talking about mental health"]
TITLE = "Hot food on late shifts"
PROBLEM = "After midnight there is nowhere open to eat near most stations."
PROPOSAL = "Stock the stations with hot meals that crews can heat between jobs."
COMMENT = "We tried this at Brighton: crews loved it."
PROJECT_SUMMARY = "Every station of the southern trusts stocks hot meals for night crews."


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def southern_campaign(southern, admin_of_southern):
    return campaign_create(
        actor=admin_of_southern,
        collaboration=southern,
        themes=THEMES,
        title=CAMPAIGN,
        question="What one change would make your shifts better?",
        description="Tell us, vote for the ideas you back, and comment.",
        opens_on=_days(-7),
        closes_on=_days(21),
    )


@pytest.fixture
def staff_of_secamb(secamb, southern):
    person = UserFactory(
        email="staff.secamb@example.org", full_name="Sam Secamb", home_trust=secamb
    )
    RoleFactory(user=person, role=Role.STAFF, trust=secamb)
    return person


def _sign_in(portal, email: str) -> None:
    portal.goto("/accounts/login/")
    portal.page.get_by_label("Email").fill(email)
    portal.page.get_by_label("Password").fill(PASSWORD)
    portal.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(portal.page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")


def _sign_out(portal) -> None:
    portal.page.get_by_role("button", name="Sign out").click()
    expect(portal.page.get_by_role("button", name="Sign out")).to_have_count(0)


def _assert_no_sideways_scrolling(page) -> None:
    """Nothing wider than the screen. A mobile browser zooms out to fit a page that overflows,
    which widens window.innerWidth, so both are held to the viewport's width."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screen = page.viewport_size["width"]
    assert scroll_width <= inner_width <= screen, (page.url, scroll_width, inner_width, screen)


def _check_phone_page(phone) -> None:
    _assert_no_sideways_scrolling(phone.page)
    phone.assert_accessible()


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def _open_the_campaign(phone) -> None:
    """From anywhere: the menu's Ideas, then the Southern campaign."""
    page = phone.page
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Ideas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff ideas")
    _check_phone_page(phone)
    page.get_by_test_id("open-campaigns").get_by_role("link", name=CAMPAIGN, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CAMPAIGN)
    _check_phone_page(phone)


def test_staff_submit_vote_and_comment_on_a_phone_and_an_admin_promotes_the_idea(
    phone, portal, southern_campaign, staff_of_las, staff_of_secamb, admin_of_southern
):
    # --- A member of LAS staff submits an idea, after an error that keeps what they typed.
    page = phone.page
    _sign_in(phone, staff_of_las.email)
    _check_phone_page(phone)
    _open_the_campaign(phone)

    page.get_by_role("link", name="Submit an idea", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submit an idea")
    _check_phone_page(phone)
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("The problem you see").fill(PROBLEM)
    page.get_by_role("button", name="Submit idea").click()

    error_summary = page.locator(".nhsuk-error-summary")
    expect(error_summary).to_be_visible()
    expect(error_summary.get_by_role("link")).to_have_text("Describe your idea")
    expect(page.locator("#id_proposal-error")).to_contain_text("Describe your idea")
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("The problem you see")).to_have_value(PROBLEM)
    expect(page.get_by_label("Your idea")).to_have_value("")
    assert page.title().startswith("Error: ")
    _check_phone_page(phone)

    # The error summary's link takes them to the box that needs the idea.
    error_summary.get_by_role("link").click()
    expect(page.get_by_label("Your idea")).to_be_focused()
    page.get_by_label("Your idea").fill(PROPOSAL)
    page.get_by_role("button", name="Submit idea").click()
    expect(_success_banner(page)).to_contain_text("Your idea is submitted.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_test_id("idea-proposal")).to_have_text(PROPOSAL)
    expect(page.get_by_test_id("idea-status")).to_contain_text("Submitted")
    _check_phone_page(phone)
    idea = Idea.objects.get(title=TITLE)
    assert page.url.endswith(idea.get_absolute_url())
    _sign_out(phone)

    # --- A member of SECAmb staff finds the idea, votes for it in place, and comments.
    _sign_in(phone, staff_of_secamb.email)
    _check_phone_page(phone)
    _open_the_campaign(phone)
    listed = page.get_by_test_id("ideas").get_by_test_id("idea").filter(has_text=TITLE)
    expect(listed.get_by_test_id("idea-votes")).to_have_text("0 votes")
    listed.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    vote = page.get_by_test_id("vote")
    expect(vote.get_by_test_id("vote-count")).to_have_text("0 votes")
    _check_phone_page(phone)

    # htmx swaps the widget in place: the page is not reloaded, so the marker survives.
    page.evaluate("window.stillTheSamePage = true")
    vote.get_by_role("button", name="Vote for this idea").click()
    expect(vote.get_by_test_id("vote-count")).to_have_text("1 vote, including yours")
    expect(vote.get_by_test_id("vote-message")).to_have_text("Your vote is counted.")
    expect(vote.get_by_role("button", name="Take back my vote")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")
    expect(_success_banner(page)).to_have_count(0)
    _check_phone_page(phone)

    page.get_by_label("Add a comment").fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()
    comments = page.get_by_test_id("comments")
    expect(comments.get_by_test_id("comment")).to_have_count(1)
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text(staff_of_secamb.full_name)
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    expect(page.get_by_test_id("vote-count")).to_have_text("1 vote, including yours")
    _check_phone_page(phone)
    _sign_out(phone)

    # --- The programme admin shortlists the idea and makes it a joint project draft.
    desk = portal.page
    _sign_in(portal, admin_of_southern.email)
    portal.assert_accessible()
    portal.goto(idea.get_absolute_url())
    expect(desk.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(desk.get_by_test_id("vote-count")).to_have_text("1 vote")
    portal.assert_accessible()

    for status in ("Under review", "Shortlisted"):
        desk.get_by_role("link", name="Review this idea").click()
        expect(desk.get_by_role("heading", level=1)).to_contain_text("Review an idea")
        portal.assert_accessible()
        desk.get_by_test_id("status-form").get_by_label(status, exact=True).check()
        desk.get_by_role("button", name="Change the status").click()
        expect(_success_banner(desk)).to_contain_text(f"The idea is now {status.lower()}.")
        expect(desk.get_by_test_id("idea-status")).to_contain_text(status)
        portal.assert_accessible()

    desk.get_by_role("link", name="Review this idea").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Review an idea")
    portal.assert_accessible()
    desk.get_by_role("link", name="Turn this idea into a joint project").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text(
        "Turn this idea into a joint project"
    )
    form = desk.get_by_test_id("promote-form")
    # Prefilled from the idea and its campaign.
    expect(form.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(form.get_by_label("Collaboration")).to_have_value(
        str(southern_campaign.collaboration.pk)
    )
    portal.assert_accessible()
    form.get_by_label("Summary", exact=True).fill(PROJECT_SUMMARY)
    form.get_by_label("Lead trust", exact=True).select_option(
        label="London Ambulance Service NHS Trust (LAS)"
    )
    form.get_by_label("Total budget (£)").fill("40000")
    form.get_by_label("Staff days asked of each trust").fill("5")
    form.get_by_label("Decision deadline").fill(_days(30).isoformat())
    form.get_by_label("Planned start").fill(_days(45).isoformat())
    form.get_by_label("Planned end").fill(_days(400).isoformat())
    form.get_by_role("button", name="Create the project draft").click()

    expect(_success_banner(desk)).to_contain_text(f"“{TITLE}” is adopted")
    expect(desk.get_by_role("heading", level=1)).to_contain_text(TITLE)
    idea.refresh_from_db()
    assert idea.project is not None and idea.get_status_display() == "Adopted"
    project_url = idea.project.get_absolute_url()
    expect(desk).to_have_url(re.compile(re.escape(project_url) + "$"))
    portal.assert_accessible()

    # The idea page now links to its project.
    portal.goto(idea.get_absolute_url())
    expect(desk.get_by_test_id("idea-status")).to_contain_text("Adopted")
    progress = desk.get_by_test_id("project-progress")
    expect(progress.get_by_role("link", name=TITLE)).to_have_attribute("href", project_url)
    expect(progress).to_contain_text("The programme team is preparing the project.")
    portal.assert_accessible()

    assert len(phone.checked_urls) == 12
    assert len(portal.checked_urls) == 10


def test_an_author_removes_an_attachment_and_deletes_the_draft_on_a_phone(
    phone, settings, tmp_path, southern_campaign, staff_of_las
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = idea_save(
        author=staff_of_las,
        campaign=southern_campaign,
        title="Quiet rooms at every station",
        problem="There is nowhere quiet to sit after a hard job.",
        proposal="",
        suggested_theme=None,
        show_author_name=True,
        attachments=[
            SimpleUploadedFile(
                "rest-room.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
            ),
            SimpleUploadedFile("sofa.png", b"\x89PNG\r\n", content_type="image/png"),
        ],
        submit=False,
    )
    media = tmp_path / "media"
    assert len([f for f in media.rglob("*") if f.is_file()]) == 2
    page = phone.page
    _sign_in(phone, staff_of_las.email)
    phone.goto("/ideas/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ideas")
    _check_phone_page(phone)
    page.get_by_test_id("drafts").get_by_role("link", name=draft.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your draft idea")
    attachments = page.get_by_test_id("draft-attachments")
    expect(attachments.get_by_role("listitem")).to_have_count(2)
    _check_phone_page(phone)

    # Each "Remove" button posts its own small form: only that attachment goes.
    attachments.get_by_role("button", name="Remove rest-room.pdf").click()
    expect(_success_banner(page)).to_contain_text("“rest-room.pdf” is removed from your draft.")
    expect(attachments.get_by_role("listitem")).to_have_count(1)
    expect(attachments).to_contain_text("sofa.png")
    expect(page.get_by_label("Title", exact=True)).to_have_value(draft.title)
    _check_phone_page(phone)

    page.get_by_role("button", name="Delete this draft").click()
    expect(_success_banner(page)).to_contain_text(f"Your draft “{draft.title}” is deleted.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ideas")
    expect(page.get_by_text("You have no drafts.")).to_be_visible()
    _check_phone_page(phone)
    assert not Idea.objects.filter(pk=draft.pk).exists()
    assert [f for f in media.rglob("*") if f.is_file()] == []
