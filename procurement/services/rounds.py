"""Procurement rounds: created on a vehicles project with a first draft specification,
edited, and closed."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from collab.audit import audit_record
from collab.models import User
from procurement.errors import ProcurementRefused
from procurement.models import (
    STANDARD_SECTIONS,
    ProcurementRound,
    RequirementStatus,
    RoundStatus,
    SpecificationSection,
    SpecificationVersion,
)
from procurement.services.common import clean, locked_round
from projects.models import Category, JointProject


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "round"
    slug, n = base, 2
    while ProcurementRound.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _snapshot(round: ProcurementRound) -> dict[str, Any]:
    return {
        "title": round.title,
        "status": round.status,
        "closing_date": str(round.closing_date),
        "first_delivery_year": round.first_delivery_year,
        "delivery_years": round.delivery_years,
    }


def _check_closing_date(closing_date: datetime.date) -> None:
    if closing_date < timezone.localdate():
        raise ProcurementRefused(
            "The closing date has passed; choose today or a later day.", field="closing_date"
        )


def round_create(
    *,
    project: JointProject,
    actor: User,
    title: str,
    description: str,
    closing_date: datetime.date,
    first_delivery_year: int,
    delivery_years: int = 3,
) -> ProcurementRound:
    """A new round on a vehicles-and-procurement project, with version 1 of its specification
    as a draft holding the standard sections. Trusts see it once version 1 is published."""
    if project.category != Category.VEHICLES_AND_PROCUREMENT:
        raise ProcurementRefused(
            f"Procurement rounds belong to vehicles and procurement projects; {project.title} "
            f"is {project.get_category_display().lower()}."
        )
    if project.is_finished:
        raise ProcurementRefused(
            f"{project.title} is {project.get_status_display().lower()}; a new round needs a "
            "project that is still running."
        )
    _check_closing_date(closing_date)
    if not 1 <= delivery_years <= 10:
        raise ProcurementRefused(
            "A round covers 1 to 10 years of deliveries.", field="delivery_years"
        )
    if first_delivery_year < closing_date.year - 1:
        raise ProcurementRefused(
            f"Deliveries follow the closing date: the first delivery year must be "
            f"{closing_date.year - 1} or later.",
            field="first_delivery_year",
        )
    with transaction.atomic():
        round = ProcurementRound(
            slug=_unique_slug(title),
            project=project,
            title=title.strip(),
            description=description.strip(),
            closing_date=closing_date,
            first_delivery_year=first_delivery_year,
            delivery_years=delivery_years,
            created_by=actor,
        )
        clean(round)
        round.save()
        version = SpecificationVersion.objects.create(round=round, number=1, created_by=actor)
        SpecificationSection.objects.bulk_create(
            [
                SpecificationSection(version=version, title=title, position=position)
                for position, title in enumerate(STANDARD_SECTIONS)
            ]
        )
        audit_record(
            actor=actor,
            action="procurement.round_created",
            target=round,
            after=_snapshot(round),
        )
    return round


def round_update(
    *,
    round: ProcurementRound,
    actor: User,
    title: str,
    description: str,
    closing_date: datetime.date,
) -> ProcurementRound:
    """Change the title, description or closing date of a round that is not closed."""
    with transaction.atomic():
        round = locked_round(round)
        if round.status == RoundStatus.CLOSED:
            raise ProcurementRefused("This round is closed and cannot change.")
        if closing_date != round.closing_date:
            _check_closing_date(closing_date)
        before = _snapshot(round)
        round.title, round.description = title.strip(), description.strip()
        round.closing_date = closing_date
        clean(round)
        round.save(update_fields=["title", "description", "closing_date"])
        audit_record(
            actor=actor,
            action="procurement.round_updated",
            target=round,
            before=before,
            after=_snapshot(round),
        )
    return round


def round_close(*, round: ProcurementRound, actor: User) -> ProcurementRound:
    """Close an open round: orders stand as they are; a change is a request the admins decide."""
    with transaction.atomic():
        round = locked_round(round)
        if round.status != RoundStatus.OPEN:
            raise ProcurementRefused(
                f"Only an open round can be closed; this one is "
                f"{round.get_status_display().lower()}."
            )
        round.status = RoundStatus.CLOSED
        round.closed_at = timezone.now()
        round.save(update_fields=["status", "closed_at"])
        confirmed = round.requirements.filter(status=RequirementStatus.CONFIRMED).count()
        audit_record(
            actor=actor,
            action="procurement.round_closed",
            target=round,
            before=RoundStatus.OPEN,
            after={"status": RoundStatus.CLOSED, "confirmed_requirements": confirmed},
        )
    return round
