from django.urls import path

from procurement.views import decisions, exports, requirements, rounds, specification, summary

app_name = "procurement"

R = "<slug:round_slug>/"
DRAFT = R + "specification/draft/"
TRUST = R + "trusts/<slug:trust_slug>/"

urlpatterns = [
    path("", rounds.round_list, name="rounds"),
    path("projects/<slug:project_slug>/new/", rounds.round_new, name="round_new"),
    path(R, rounds.round_page, name="round"),
    path(R + "edit/", rounds.round_edit, name="round_edit"),
    path(R + "close/", rounds.round_close_view, name="round_close"),
    # The specification: any version to read, the draft to edit, what changed.
    path(R + "specification/", specification.specification, name="specification"),
    path(
        R + "specification/changes/",
        specification.specification_changes,
        name="specification_changes",
    ),
    path(
        R + "specification/new-version/",
        specification.version_start_draft_view,
        name="version_start_draft",
    ),
    path(DRAFT, specification.specification_edit, name="specification_edit"),
    path(DRAFT + "sections/new/", specification.section_add_view, name="section_add"),
    path(DRAFT + "items/new/", specification.line_item_new, name="line_item_new"),
    path(DRAFT + "items/<str:reference>/", specification.line_item_edit, name="line_item_edit"),
    path(
        DRAFT + "items/<str:reference>/remove/",
        specification.line_item_remove_view,
        name="line_item_remove",
    ),
    path(DRAFT + "publish/", specification.version_publish_view, name="version_publish"),
    # A trust's order.
    path(TRUST, requirements.requirement_page, name="requirement"),
    path(TRUST + "edit/", requirements.requirement_edit, name="requirement_edit"),
    path(TRUST + "confirm/", requirements.requirement_confirm_view, name="requirement_confirm"),
    path(TRUST + "variations/new/", requirements.variation_new, name="variation_new"),
    path(TRUST + "changes/new/", requirements.change_new, name="change_new"),
    path(
        R + "variations/<uuid:request_id>/withdraw/",
        requirements.variation_withdraw_view,
        name="variation_withdraw",
    ),
    # The programme admins' decisions.
    path(
        R + "variations/<uuid:request_id>/decide/",
        decisions.variation_decide_view,
        name="variation_decide",
    ),
    path(
        R + "changes/<uuid:request_id>/decide/", decisions.change_decide_view, name="change_decide"
    ),
    # The combined picture and the downloads.
    path(R + "summary/", summary.summary, name="summary"),
    path(R + "specification.csv", exports.specification_csv, name="specification_csv"),
    path(R + "specification.xlsx", exports.specification_xlsx, name="specification_xlsx"),
    path(R + "demand.csv", exports.demand_csv, name="demand_csv"),
    path(R + "ocds.json", exports.ocds_json, name="ocds_json"),
]
