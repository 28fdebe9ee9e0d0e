"""The collaborations a trust belongs to (collab.selectors.member_collaboration_ids): asked by
every project look-up and permission check, so kept in the page cache until a membership
changes (issue 7)."""

import pytest
from django.http import Http404

from collab.selectors import member_collaboration_ids
from projects.selectors import get_project_for_user
from tests.factories import leave_collaboration_yesterday

pytestmark = pytest.mark.django_db


def test_a_trust_belongs_to_its_collaborations_and_the_answer_is_kept(
    las, yas, southern, northern, django_assert_num_queries
):
    assert member_collaboration_ids(las.pk) == [southern.pk]
    with django_assert_num_queries(0):
        assert member_collaboration_ids(las.pk) == [southern.pk]
    assert member_collaboration_ids(yas.pk) == [northern.pk]
    assert member_collaboration_ids(None) == []


def test_a_trust_that_leaves_stops_seeing_the_projects_at_once(
    open_project, lead_of_las, django_capture_on_commit_callbacks
):
    assert get_project_for_user(lead_of_las, open_project.slug) == open_project
    assert lead_of_las.has_perm("projects.view_project", open_project)
    with django_capture_on_commit_callbacks(execute=True):
        leave_collaboration_yesterday(lead_of_las.home_trust, open_project.collaboration)

    person = type(lead_of_las).objects.get(pk=lead_of_las.pk)
    with pytest.raises(Http404):
        get_project_for_user(person, open_project.slug)
    assert not person.has_perm("projects.view_project", open_project)
