"""Reminder ladders: commitments due soon and overdue, escalations, and decision deadlines.

Each ladder is a rule from a date to a rung ("due-14", "overdue-8"...) written twice: in Python
for the per-item task and in SQL for the sweep's one query (tests hold the two together). A rung
is sent when the item first stands on it; the unique constraint on notifications makes sending
it again impossible, so a sweep that runs twice, late or from two beat processes is harmless.
A sweep that missed a day catches up the next: it sends the rung the item is on now.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from collab.dates import DaysSince
from collab.models import Notification
from collab.notifications.outbox import notify
from projects import notifications as events
from projects.models import (
    Commitment,
    CommitmentStatus,
    JointProject,
    ParticipationStatus,
    ProjectStatus,
)

# Reminded: work not yet handed in. Done (waiting for acceptance) is the admins' move.
REMINDED_STATUSES = (
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.BLOCKED,
)
FIRST_REMINDER_DAYS = 14
ESCALATION_DAYS_OVERDUE = 14
ESCALATION_STEP = "overdue-14"

# --- Commitments ------------------------------------------------------------------------------


def commitment_step(due_on: datetime.date, today: datetime.date) -> str | None:
    """The rung a commitment stands on today: due in 14 days, in 3, then the day after it was
    due and every 7 days after that ("overdue-1", "overdue-8", "overdue-15"...)."""
    days_late = (today - due_on).days
    if days_late < -FIRST_REMINDER_DAYS:
        return None
    if days_late < -3:
        return "due-14"
    if days_late <= 0:
        return "due-3"
    return f"overdue-{(days_late - 1) // 7 * 7 + 1}"


def commitment_step_expression(today: datetime.date) -> Case:
    """`commitment_step` in SQL, for the sweep."""
    days_late = DaysSince("due_on", today)
    return Case(
        When(due_on__gt=today + datetime.timedelta(days=FIRST_REMINDER_DAYS), then=Value(None)),
        When(due_on__gt=today + datetime.timedelta(days=3), then=Value("due-14")),
        When(due_on__gte=today, then=Value("due-3")),
        default=Concat(
            Value("overdue-"), Cast((days_late - 1) / 7 * 7 + 1, output_field=CharField())
        ),
        output_field=CharField(),
    )


def _remindable_commitments(today: datetime.date):
    return Commitment.objects.filter(
        status__in=REMINDED_STATUSES,
        participation__status=ParticipationStatus.COMMITTED,
        participation__project__status=ProjectStatus.ACTIVE,
        due_on__lte=today + datetime.timedelta(days=FIRST_REMINDER_DAYS),
    )


def commitments_due_a_reminder(today: datetime.date | None = None) -> list[int]:
    """One query: open commitments whose rung for today, or escalation, is not yet sent."""
    today = today or timezone.localdate()
    commitment_type = ContentType.objects.get_for_model(Commitment)
    sent = Notification.objects.filter(
        target_type=commitment_type,
        target_id=OuterRef("pk"),
        kind__in=[events.commitment_due_soon.key, events.commitment_overdue.key],
        step=OuterRef("reminder_step"),
    )
    escalated = Notification.objects.filter(
        target_type=commitment_type,
        target_id=OuterRef("pk"),
        kind=events.commitment_escalated.key,
        step=ESCALATION_STEP,
    )
    escalation_due = today - datetime.timedelta(days=ESCALATION_DAYS_OVERDUE)
    return list(
        _remindable_commitments(today)
        .annotate(reminder_step=commitment_step_expression(today))
        .filter(~Exists(sent) | (Q(due_on__lte=escalation_due) & ~Exists(escalated)))
        .order_by()
        .values_list("pk", flat=True)
    )


def commitment_remind(*, commitment_id: int, today: datetime.date) -> list[Notification]:
    """Send the commitment's rung for today (and the escalation at 14 days overdue), once."""
    with transaction.atomic():
        commitment = (
            _remindable_commitments(today)
            .select_related(
                "owner",
                "milestone",
                "participation__trust",
                "participation__project__collaboration",
            )
            .filter(pk=commitment_id)
            .first()
        )
        if commitment is None:  # delivered, withdrawn or the project ended since the sweep
            return []
        sent = []
        step = commitment_step(commitment.due_on, today)
        if step is not None:
            event = (
                events.commitment_due_soon if step.startswith("due") else events.commitment_overdue
            )
            sent += notify(event, commitment, step=step)
        if (today - commitment.due_on).days >= ESCALATION_DAYS_OVERDUE and not _escalated(
            commitment
        ):
            sent += notify(events.commitment_escalated, commitment, step=ESCALATION_STEP)
    return sent


def _escalated(commitment: Commitment) -> bool:
    """One indexed look-up, instead of notify() finding out by a conflict (8 statements)."""
    return Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Commitment),
        target_id=commitment.pk,
        kind=events.commitment_escalated.key,
        step=ESCALATION_STEP,
    ).exists()


# --- Decision deadlines -----------------------------------------------------------------------

DEADLINE_FIRST_REMINDER_DAYS = 7


def deadline_step(deadline: datetime.date, today: datetime.date) -> str | None:
    """7 days before the decision deadline, 2 days before, and on the day."""
    days_left = (deadline - today).days
    if days_left < 0 or days_left > DEADLINE_FIRST_REMINDER_DAYS:
        return None
    if days_left > 2:
        return "7-days"
    return "2-days" if days_left > 0 else "on-the-day"


def deadline_step_expression(today: datetime.date) -> Case:
    """`deadline_step` in SQL, for the sweep."""
    return Case(
        When(decision_deadline__gt=today + datetime.timedelta(days=2), then=Value("7-days")),
        When(decision_deadline__gt=today, then=Value("2-days")),
        default=Value("on-the-day"),
        output_field=CharField(),
    )


def _projects_in_deadline_window(today: datetime.date):
    return JointProject.objects.filter(
        status=ProjectStatus.OPEN,
        decision_deadline__gte=today,
        decision_deadline__lte=today + datetime.timedelta(days=DEADLINE_FIRST_REMINDER_DAYS),
        participations__status=ParticipationStatus.UNDECIDED,
    ).distinct()


def projects_due_a_deadline_reminder(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    sent = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(JointProject),
        target_id=OuterRef("pk"),
        kind=events.deadline_approaching.key,
        step=OuterRef("reminder_step"),
    )
    return list(
        _projects_in_deadline_window(today)
        .annotate(reminder_step=deadline_step_expression(today))
        .filter(~Exists(sent))
        .order_by()
        .values_list("pk", flat=True)
    )


def deadline_remind(*, project_id: int, today: datetime.date) -> list[Notification]:
    """Tell the leads of trusts that have not decided yet, once per rung."""
    with transaction.atomic():
        project = (
            _projects_in_deadline_window(today)
            .select_related("collaboration")
            .filter(pk=project_id)
            .first()
        )
        if project is None:
            return []
        step = deadline_step(project.decision_deadline, today)
        return notify(events.deadline_approaching, project, step=step) if step else []
