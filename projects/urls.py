from django.urls import path

from projects.views import commitments, lifecycle, pages, participation, tracker

app_name = "projects"

urlpatterns = [
    path("projects/", pages.project_list, name="list"),
    path(
        "collaborations/<slug:collaboration_slug>/projects/new/",
        lifecycle.project_new,
        name="new",
    ),
    path("projects/<slug:project_slug>/", pages.project_detail, name="detail"),
    path("projects/<slug:project_slug>/edit/", lifecycle.project_edit, name="edit"),
    path(
        "projects/<slug:project_slug>/milestones/new/",
        lifecycle.milestone_new,
        name="milestone_new",
    ),
    path(
        "projects/<slug:project_slug>/milestones/<uuid:milestone_id>/",
        lifecycle.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "projects/<slug:project_slug>/milestones/<uuid:milestone_id>/remove/",
        lifecycle.milestone_remove_view,
        name="milestone_remove",
    ),
    path("projects/<slug:project_slug>/open/", lifecycle.project_open_view, name="open"),
    path("projects/<slug:project_slug>/start/", lifecycle.project_start_view, name="start"),
    path(
        "projects/<slug:project_slug>/complete/", lifecycle.project_complete_view, name="complete"
    ),
    path("projects/<slug:project_slug>/close/", lifecycle.project_close_view, name="close"),
    path(
        "projects/<slug:project_slug>/trusts/<slug:trust_slug>/decision/",
        participation.decide,
        name="decide",
    ),
    path(
        "projects/<slug:project_slug>/trusts/<slug:trust_slug>/withdraw/",
        participation.withdrawal_new,
        name="withdraw",
    ),
    path(
        "projects/<slug:project_slug>/trusts/<slug:trust_slug>/join/",
        participation.late_join_new,
        name="join_late",
    ),
    path(
        "projects/<slug:project_slug>/trusts/<slug:trust_slug>/benefits/<str:kind>/",
        participation.benefit_edit,
        name="benefit",
    ),
    path(
        "withdrawal-requests/<uuid:request_id>/decide/",
        participation.withdrawal_decide,
        name="withdrawal_decide",
    ),
    path(
        "late-join-requests/<uuid:request_id>/decide/",
        participation.late_join_decide,
        name="late_join_decide",
    ),
    path("commitments/<uuid:commitment_id>/", commitments.commitment_detail, name="commitment"),
    path(
        "commitments/<uuid:commitment_id>/review/",
        commitments.commitment_review_view,
        name="commitment_review",
    ),
    path("evidence/<uuid:update_id>/", commitments.evidence_download, name="evidence"),
    path("trusts/<slug:trust_slug>/projects/", pages.trust_projects_view, name="trust_projects"),
    path(
        "collaborations/<slug:collaboration_slug>/tracker/",
        tracker.collaboration_tracker,
        name="collaboration_tracker",
    ),
    path(
        "collaborations/<slug:collaboration_slug>/tracker.<str:export_format>",
        tracker.collaboration_tracker_export,
        name="collaboration_tracker_export",
    ),
    path("projects/<slug:project_slug>/tracker/", tracker.project_tracker, name="project_tracker"),
    path(
        "projects/<slug:project_slug>/tracker.<str:export_format>",
        tracker.project_tracker_export,
        name="project_tracker_export",
    ),
]
