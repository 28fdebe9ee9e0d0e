"""Words and colours for the statuses of joint projects: always both, never colour alone."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from projects.models import CommitmentStatus, ParticipationStatus, ProjectStatus, Rag, RequestStatus

register = template.Library()

_COLOURS = {
    ProjectStatus.DRAFT: "grey",
    ProjectStatus.OPEN: "blue",
    ProjectStatus.ACTIVE: "green",
    ProjectStatus.COMPLETED: "purple",
    ProjectStatus.CLOSED: "grey",
    ParticipationStatus.UNDECIDED: "yellow",
    ParticipationStatus.OPTED_IN: "green",
    ParticipationStatus.OPTED_OUT: "grey",
    ParticipationStatus.COMMITTED: "green",
    ParticipationStatus.NOT_JOINED: "grey",
    ParticipationStatus.WITHDRAWN: "orange",
    CommitmentStatus.NOT_STARTED: "grey",
    CommitmentStatus.IN_PROGRESS: "blue",
    CommitmentStatus.BLOCKED: "orange",
    CommitmentStatus.DONE: "aqua-green",
    CommitmentStatus.ACCEPTED: "green",
    CommitmentStatus.WITHDRAWN: "grey",
    RequestStatus.PENDING: "yellow",
    RequestStatus.APPROVED: "green",
    RequestStatus.REJECTED: "red",
}

_RAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "yellow", Rag.GREEN: "green", Rag.NONE: "grey"}
# Looked up once per tracker cell: a dict, not Rag(...) and Rag.values on each call.
_RAG_LABELS = {rag.value: rag.label for rag in Rag}


@register.filter
def tag_colour(status: str) -> str:
    """The nhsuk-tag modifier for a project, participation, commitment or request status."""
    return _COLOURS.get(status, "grey")


@register.filter
def rag_colour(rag: str) -> str:
    return _RAG_COLOURS.get(rag, "grey")


@register.filter
def rag_label(rag: str) -> str:
    return _RAG_LABELS.get(rag, "")


@register.simple_tag
def status_tag(status: str, label: str) -> SafeString:
    """A status as an NHS.UK tag, words and colour. A tag rather than an included template:
    lists and the tracker draw one per row or cell, and an include costs far more (issue 7)."""
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', tag_colour(status), label
    )


@register.simple_tag
def rag_tag(rag: str) -> SafeString:
    """A RAG as an NHS.UK tag: "Red", "Amber" or "Green" in the matching colour."""
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', rag_colour(rag), rag_label(rag)
    )


@register.filter
def pounds(value: Decimal | None) -> str:
    """£12,345.67, or an en dash when there is no figure yet."""
    if value is None:
        return "–"
    return f"£{value:,.2f}"


_ACTIONS = {
    "project.created": "Draft created",
    "project.terms_changed": "Terms changed",
    "project.opened": "Opened for decisions",
    "project.started": "Project started",
    "project.completed": "Project completed",
    "project.closed": "Project closed",
    "milestone.saved": "Milestone saved",
    "milestone.removed": "Milestone removed",
    "participation.opted_in": "Opted in",
    "participation.opted_out": "Opted out",
    "withdrawal.requested": "Asked to withdraw",
    "withdrawal.approved": "Withdrawal approved",
    "withdrawal.rejected": "Withdrawal rejected",
    "late_join.requested": "Asked to join late",
    "late_join.approved": "Late join approved",
    "late_join.rejected": "Late join rejected",
    "commitment.updated": "Commitment updated",
    "commitment.accepted": "Commitment accepted",
    "commitment.sent_back": "Commitment sent back",
    "benefit.expected_recorded": "Expected benefit recorded",
    "benefit.realised_recorded": "Realised benefit recorded",
}


@register.filter
def action_label(action: str) -> str:
    """The timeline's words for an audit action."""
    return _ACTIONS.get(action, action.replace("_", " ").replace(".", ": ").capitalize())
