"""A project's page reads the project from the page cache and decides who may see it with
`can_see_project`, the rule of `projects_visible_to` for one project (issue 7). These tests keep
the two forms of the rule in step and check the cached project is never stale after an audited
change."""

import pytest
from django.http import Http404

from collab.models import User
from projects.models import ProjectStatus
from projects.selectors import can_see_project, get_project_for_page, projects_visible_to
from projects.services import project_open
from tests.factories import leave_collaboration_yesterday

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(
    staff_of_las, lead_of_las, lead_of_yas, admin_of_southern, admin_of_northern, site_admin
):
    return [
        staff_of_las,
        lead_of_las,
        lead_of_yas,
        admin_of_southern,
        admin_of_northern,
        site_admin,
    ]


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.OPEN, ProjectStatus.CLOSED])
def test_the_page_rule_agrees_with_the_list_rule_for_everyone(draft_project, people, status):
    draft_project.status = status
    draft_project.save()
    seen_by = {person.email: can_see_project(person, draft_project) for person in people}
    listed_for = {
        person.email: projects_visible_to(person).filter(pk=draft_project.pk).exists()
        for person in people
    }
    assert seen_by == listed_for
    # Not vacuous: some see it and some do not, whatever its status.
    assert set(seen_by.values()) == {True, False}


def test_the_page_rule_agrees_after_a_trust_leaves(
    open_project, lead_of_las, django_capture_on_commit_callbacks
):
    assert can_see_project(lead_of_las, open_project)
    with django_capture_on_commit_callbacks(execute=True):
        leave_collaboration_yesterday(lead_of_las.home_trust, open_project.collaboration)
    # The person as their next request loads them (a request keeps its trust's
    # collaborations on the person, `User.member_collaboration_ids`).
    lead_of_las = User.objects.get(pk=lead_of_las.pk)
    assert not can_see_project(lead_of_las, open_project)
    assert not projects_visible_to(lead_of_las).filter(pk=open_project.pk).exists()


def test_the_second_look_up_makes_no_query_and_an_unknown_slug_is_404(
    open_project, staff_of_las, lead_of_yas, django_assert_num_queries
):
    assert get_project_for_page(staff_of_las, open_project.slug) == open_project
    with django_assert_num_queries(0):
        project = get_project_for_page(staff_of_las, open_project.slug)
    assert project.collaboration.short_name and project.lead_trust.short_name
    with pytest.raises(Http404):
        get_project_for_page(lead_of_yas, open_project.slug)  # YAS is not in the Southern one
    with pytest.raises(Http404):
        get_project_for_page(staff_of_las, "no-such-project")


def test_a_draft_opened_shows_to_member_staff_at_once(
    draft_project, staff_of_las, admin_of_southern, django_capture_on_commit_callbacks
):
    with pytest.raises(Http404):
        get_project_for_page(staff_of_las, draft_project.slug)
    with django_capture_on_commit_callbacks(execute=True):
        project_open(project=draft_project, actor=admin_of_southern)
    project = get_project_for_page(staff_of_las, draft_project.slug)
    assert project.status == ProjectStatus.OPEN
