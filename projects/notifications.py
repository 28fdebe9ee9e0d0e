"""What joint projects tell people, declared once each: who is told, and what.

Services call `notify(event, target)` inside their transaction; the reminder sweeps in
`projects.reminders` call it with a `step` (the rung of the reminder ladder).
"""

from collections.abc import Iterable, Iterator

from django.utils.text import Truncator

from collab.dates import days_away, long_day
from collab.models import NotificationCategory, Role, RoleAssignment
from collab.notifications.events import Event, Message, Recipient
from projects.models import (
    Commitment,
    JointProject,
    LateJoinRequest,
    Participation,
    ParticipationStatus,
    WithdrawalRequest,
)

# --- Who is told -----------------------------------------------------------------------------


def leads_of(trust_ids: Iterable[int], why: str) -> Iterator[Recipient]:
    """The trust leads of these trusts; `why` is formatted with {trust}."""
    assignments = RoleAssignment.objects.filter(
        role=Role.TRUST_LEAD, trust_id__in=list(trust_ids), user__is_active=True
    ).select_related("user", "trust")
    for assignment in assignments:
        yield Recipient(assignment.user, why.format(trust=assignment.trust.name))


def programme_admins_of(project: JointProject, why: str) -> Iterator[Recipient]:
    assignments = RoleAssignment.objects.filter(
        role=Role.PROGRAMME_ADMIN, collaboration_id=project.collaboration_id, user__is_active=True
    ).select_related("user")
    reason = why.format(collaboration=project.collaboration.name, project=project.title)
    for assignment in assignments:
        yield Recipient(assignment.user, reason)


def _admins_running(project: JointProject) -> Iterator[Recipient]:
    return programme_admins_of(
        project, "You are a programme admin of {collaboration}, which runs {project}."
    )


def _owner_and_leads(commitment: Commitment) -> Iterator[Recipient]:
    trust = commitment.participation.trust
    if commitment.owner is not None:
        yield Recipient(
            commitment.owner, f"You own this commitment for {trust.name} on the project."
        )
    yield from leads_of(
        [trust.pk], "You lead {trust}, which committed to this milestone on the project."
    )


def _project_group(project: JointProject) -> str:
    return project.title


# --- A project opens, a trust decides, the deadline approaches, the project starts -------------


def _leads_of_member_trusts(project: JointProject) -> Iterator[Recipient]:
    trust_ids = project.participations.values_list("trust_id", flat=True)
    return leads_of(
        trust_ids,
        f"You lead {{trust}}, a member of {project.collaboration.name}, and decide for it.",
    )


def _project_opened_message(project: JointProject, step: str) -> Message:
    return Message(
        title=f"Decide by {long_day(project.decision_deadline)}: {project.title}",
        body=(
            f"{project.collaboration.name} has opened {project.title} for decisions. "
            f"{Truncator(project.summary).chars(300)} Read the terms and opt your trust in or "
            f"out by {long_day(project.decision_deadline)}."
        ),
        url=project.get_absolute_url(),
        group_label=_project_group(project),
    )


project_opened = Event(
    key="project.opened",
    category=NotificationCategory.DECISIONS,
    recipients=_leads_of_member_trusts,
    message=_project_opened_message,
)


def _trust_decided_message(participation: Participation, step: str) -> Message:
    project = participation.project
    opted = (
        "opted in to" if participation.status == ParticipationStatus.OPTED_IN else "opted out of"
    )
    return Message(
        title=f"{participation.trust.short_name} {opted} {project.title}",
        body=f"Their reason: {Truncator(participation.reason).chars(500)}",
        url=project.get_absolute_url(),
        group_label=_project_group(project),
    )


trust_decided = Event(
    key="participation.decided",
    category=NotificationCategory.TRUST_DECISIONS,
    recipients=lambda participation: _admins_running(participation.project),
    message=_trust_decided_message,
)


def _leads_of_undecided_trusts(project: JointProject) -> Iterator[Recipient]:
    trust_ids = project.participations.filter(status=ParticipationStatus.UNDECIDED).values_list(
        "trust_id", flat=True
    )
    return leads_of(
        trust_ids, "You lead {trust}, which has not yet decided whether to join this project."
    )


def _deadline_message(project: JointProject, step: str) -> Message:
    when = days_away(project.decision_deadline)
    return Message(
        title=f"Your trust's decision on {project.title} is due {when}",
        body=(
            f"Decisions close on {long_day(project.decision_deadline)}. A trust that has not "
            "decided by then does not join; it can only ask to join late."
        ),
        url=project.get_absolute_url(),
        group_label=_project_group(project),
    )


deadline_approaching = Event(
    key="project.deadline_approaching",
    category=NotificationCategory.DECISIONS,
    recipients=_leads_of_undecided_trusts,
    message=_deadline_message,
)


def _people_named_in_committed_trusts(project: JointProject) -> Iterator[Recipient]:
    committed = project.participations.filter(status=ParticipationStatus.COMMITTED).select_related(
        "contact", "decided_by", "trust"
    )
    for participation in committed:
        why = f"You are named on this project for {participation.trust.name}."
        for person in (participation.contact, participation.decided_by):
            if person is not None:
                yield Recipient(person, why)
    owners = Commitment.objects.filter(
        participation__project=project,
        participation__status=ParticipationStatus.COMMITTED,
        owner__isnull=False,
    ).select_related("owner", "participation__trust")
    for commitment in owners:
        yield Recipient(
            commitment.owner,
            f"You own a commitment on this project for {commitment.participation.trust.name}.",
        )


def _project_started_message(project: JointProject, step: str) -> Message:
    committed = project.participations.filter(status=ParticipationStatus.COMMITTED).count()
    return Message(
        title=f"{project.title} has started",
        body=(
            f"{committed} trust{'s' if committed != 1 else ''} committed. Each committed trust "
            "now has its commitments for the milestones; see what is due and when."
        ),
        url=project.get_absolute_url(),
        group_label=_project_group(project),
    )


project_started = Event(
    key="project.started",
    category=NotificationCategory.DECISIONS,
    recipients=_people_named_in_committed_trusts,
    message=_project_started_message,
)


# --- Commitments: due soon, overdue, escalated, accepted or sent back --------------------------


def _commitment_title(commitment: Commitment) -> str:
    return f"{commitment.milestone.title} ({commitment.participation.trust.short_name})"


def _due_soon_message(commitment: Commitment, step: str) -> Message:
    return Message(
        title=f"Due {days_away(commitment.due_on)}: {_commitment_title(commitment)}",
        body=(
            f"{Truncator(commitment.deliverable).chars(300)} Due on "
            f"{long_day(commitment.due_on)}. Update its status or add evidence when it is done."
        ),
        url=commitment.get_absolute_url(),
        group_label=_project_group(commitment.participation.project),
    )


commitment_due_soon = Event(
    key="commitment.due_soon",
    category=NotificationCategory.COMMITMENTS,
    recipients=_owner_and_leads,
    message=_due_soon_message,
)


def _overdue_message(commitment: Commitment, step: str) -> Message:
    return Message(
        title=f"Overdue: {_commitment_title(commitment)}",
        body=(
            f"This commitment was due on {long_day(commitment.due_on)} "
            f"({days_away(commitment.due_on)}). Mark it done with evidence, or record what "
            "is blocking it so the programme admins can help. After 14 days overdue it is "
            "escalated to them."
        ),
        url=commitment.get_absolute_url(),
        group_label=_project_group(commitment.participation.project),
    )


commitment_overdue = Event(
    key="commitment.overdue",
    category=NotificationCategory.COMMITMENTS,
    recipients=_owner_and_leads,
    message=_overdue_message,
)


def _escalation_message(commitment: Commitment, step: str) -> Message:
    trust = commitment.participation.trust
    owner = commitment.owner.full_name if commitment.owner else "no named owner"
    return Message(
        title=f"Escalated: {trust.short_name} is 14 days late on {commitment.milestone.title}",
        body=(
            f"{trust.name}'s commitment was due on {long_day(commitment.due_on)} and is "
            f"{commitment.get_status_display().lower()} ({owner}). Its owner and trust lead "
            "have been reminded."
        ),
        url=commitment.get_absolute_url(),
        group_label=_project_group(commitment.participation.project),
    )


commitment_escalated = Event(
    key="commitment.escalated",
    category=NotificationCategory.ESCALATIONS,
    recipients=lambda commitment: _admins_running(commitment.participation.project),
    message=_escalation_message,
)


def _review_message(verdict: str):
    def message(commitment: Commitment, step: str) -> Message:
        note = commitment.updates.order_by("-created_at", "-pk").first()
        reason = f" Their note: {Truncator(note.note).chars(500)}" if note and note.note else ""
        return Message(
            title=f"{verdict}: {_commitment_title(commitment)}",
            body=f"The programme admins reviewed this commitment.{reason}",
            url=commitment.get_absolute_url(),
            group_label=_project_group(commitment.participation.project),
        )

    return message


commitment_accepted = Event(
    key="commitment.accepted",
    category=NotificationCategory.COMMITMENTS,
    recipients=_owner_and_leads,
    message=_review_message("Accepted"),
)

commitment_sent_back = Event(
    key="commitment.sent_back",
    category=NotificationCategory.COMMITMENTS,
    recipients=_owner_and_leads,
    message=_review_message("Sent back"),
)


# --- Withdrawal and late-join requests ---------------------------------------------------------

_REQUEST_WORDS = {WithdrawalRequest: "withdraw from", LateJoinRequest: "join"}


def _request_asked_message(request: WithdrawalRequest | LateJoinRequest, step: str) -> Message:
    project = request.participation.project
    return Message(
        title=(
            f"{request.participation.trust.short_name} asks to "
            f"{_REQUEST_WORDS[type(request)]} {project.title}"
        ),
        body=f"Their reason: {Truncator(request.reason).chars(500)} Approve or reject it.",
        url=request.get_decide_url(),
        group_label=_project_group(project),
    )


def _request_decided_message(request: WithdrawalRequest | LateJoinRequest, step: str) -> Message:
    project = request.participation.project
    return Message(
        title=(
            f"{request.get_status_display()}: {request.participation.trust.short_name}'s request "
            f"to {_REQUEST_WORDS[type(request)]} {project.title}"
        ),
        body=f"The programme admins' reason: {Truncator(request.decision_reason).chars(500)}",
        url=project.get_absolute_url(),
        group_label=_project_group(project),
    )


def _requester_and_leads(request: WithdrawalRequest | LateJoinRequest) -> Iterator[Recipient]:
    trust = request.participation.trust
    yield Recipient(request.requested_by, f"You made this request for {trust.name}.")
    yield from leads_of([trust.pk], "You lead {trust}, whose request this is.")


withdrawal_requested = Event(
    key="withdrawal.requested",
    category=NotificationCategory.REQUESTS,
    recipients=lambda request: _admins_running(request.participation.project),
    message=_request_asked_message,
)
withdrawal_decided = Event(
    key="withdrawal.decided",
    category=NotificationCategory.REQUESTS,
    recipients=_requester_and_leads,
    message=_request_decided_message,
)
late_join_requested = Event(
    key="late_join.requested",
    category=NotificationCategory.REQUESTS,
    recipients=lambda request: _admins_running(request.participation.project),
    message=_request_asked_message,
)
late_join_decided = Event(
    key="late_join.decided",
    category=NotificationCategory.REQUESTS,
    recipients=_requester_and_leads,
    message=_request_decided_message,
)
