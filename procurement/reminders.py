"""The closing-date ladder: leads of committed trusts that have not confirmed their order are
reminded 14 days before a round's closing date, 3 days before, and on the day.

As in `projects.reminders`, the rule from a date to a rung is written twice: in Python for the
per-round task and in SQL for the sweep's one query (tests hold the two together). A rung is
sent when the round first stands on it; the unique constraint on notifications makes sending it
to a person again impossible, so a sweep that runs twice, or from two beat processes, is
harmless, and one that missed a day sends the rung the round is on now.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.utils import timezone

from collab.models import Notification
from collab.notifications.outbox import notify
from procurement import notifications as events
from procurement.models import (
    ProcurementRound,
    RequirementStatus,
    RoundStatus,
    TrustRequirement,
)
from projects.models import Participation, ParticipationStatus

CLOSING_FIRST_REMINDER_DAYS = 14
CLOSING_SECOND_REMINDER_DAYS = 3


def closing_step(closing_date: datetime.date, today: datetime.date) -> str | None:
    """14 days before the closing date, 3 days before, and on the day."""
    days_left = (closing_date - today).days
    if days_left < 0 or days_left > CLOSING_FIRST_REMINDER_DAYS:
        return None
    if days_left > CLOSING_SECOND_REMINDER_DAYS:
        return "14-days"
    return "3-days" if days_left > 0 else "on-the-day"


def closing_step_expression(today: datetime.date) -> Case:
    """`closing_step` in SQL, for the sweep (rounds already within 14 days of closing)."""
    return Case(
        When(
            closing_date__gt=today + datetime.timedelta(days=CLOSING_SECOND_REMINDER_DAYS),
            then=Value("14-days"),
        ),
        When(closing_date__gt=today, then=Value("3-days")),
        default=Value("on-the-day"),
        output_field=CharField(),
    )


def _rounds_in_closing_window(today: datetime.date):
    """Open rounds closing within 14 days with a committed trust that has not confirmed."""
    unconfirmed = Participation.objects.filter(
        project_id=OuterRef("project_id"), status=ParticipationStatus.COMMITTED
    ).exclude(
        Exists(
            TrustRequirement.objects.filter(
                round_id=OuterRef(OuterRef("pk")),
                trust_id=OuterRef("trust_id"),
                status=RequirementStatus.CONFIRMED,
            )
        )
    )
    return ProcurementRound.objects.filter(
        Exists(unconfirmed),
        status=RoundStatus.OPEN,
        closing_date__gte=today,
        closing_date__lte=today + datetime.timedelta(days=CLOSING_FIRST_REMINDER_DAYS),
    )


def rounds_due_a_closing_reminder(today: datetime.date | None = None) -> list[int]:
    """One query: rounds whose rung for today has not been sent yet."""
    today = today or timezone.localdate()
    sent = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(ProcurementRound),
        target_id=OuterRef("pk"),
        kind=events.closing_date_reminder.key,
        step=OuterRef("reminder_step"),
    )
    return list(
        _rounds_in_closing_window(today)
        .annotate(reminder_step=closing_step_expression(today))
        .filter(~Exists(sent))
        .order_by()
        .values_list("pk", flat=True)
    )


def closing_date_remind(*, round_id: int, today: datetime.date) -> list:
    """Tell the leads of committed trusts without a confirmed order, once per rung."""
    with transaction.atomic():
        round = (
            _rounds_in_closing_window(today)
            .select_related("project__collaboration")
            .filter(pk=round_id)
            .first()
        )
        if round is None:  # closed, confirmed by everyone or moved since the sweep
            return []
        step = closing_step(round.closing_date, today)
        return notify(events.closing_date_reminder, round, step=step) if step else []
