"""Helpers for the service tests of joint projects: refusals that leave the database as it was,
dates relative to today, and the audit events of an object."""

import datetime
import re
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from collab.audit import audit_context
from collab.errors import PortalError
from collab.models import AuditEvent, Trust, User
from projects.models import (
    Benefit,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    JointProject,
    LateJoinRequest,
    Milestone,
    Participation,
    WithdrawalRequest,
)
from projects.services import commitment_update

# Every table a project service writes to.
WRITTEN_BY_SERVICES = (
    JointProject,
    Milestone,
    Participation,
    Commitment,
    CommitmentUpdate,
    WithdrawalRequest,
    LateJoinRequest,
    Benefit,
    AuditEvent,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def noon(n: int) -> datetime.datetime:
    """Noon, UK time, n days from today: a moment to travel to that is safely on that day."""
    return datetime.datetime.combine(
        days(n), datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def spoken(day: datetime.date) -> str:
    """A date as messages write it: '7 December 2026'."""
    return f"{day.day} {day:%B %Y}"


def db_state() -> dict[str, list[dict]]:
    """Every row of every table the project services write, to compare before and after."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in WRITTEN_BY_SERVICES
    }


@contextmanager
def refused(error: type[Exception], *, match: str, field: str | None = None):
    """The block raises `error` (its message matching `match`, about `field`), and leaves
    every table the services write exactly as it was: nothing half-saved."""
    before = db_state()
    with pytest.raises(error, match=re.escape(match)) as info:
        yield info
    if isinstance(info.value, PortalError):
        assert info.value.field == field
    elif isinstance(info.value, ValidationError) and field is not None:
        assert field in info.value.message_dict
    assert db_state() == before


def events_for(target: models.Model, action: str | None = None) -> list[AuditEvent]:
    """The audit events about one object, oldest first."""
    events = AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    )
    if action is not None:
        events = events.filter(action=action)
    return list(events.order_by("occurred_at", "pk"))


def timeline_of(project: JointProject) -> list[AuditEvent]:
    """Everything filed under the project's history, oldest first."""
    return list(
        AuditEvent.objects.filter(context=audit_context(project)).order_by("occurred_at", "pk")
    )


def block_first_commitment(project: JointProject, trust: Trust, lead: User) -> None:
    """The trust's lead marks its first commitment blocked, through the service (the cache
    tests' change that every page showing commitments must show at once)."""
    commitment_update(
        commitment=project.participations.get(trust=trust).commitments.first(),
        actor=lead,
        status=CommitmentStatus.BLOCKED,
        note="Waiting for the data sharing agreement.",
    )
