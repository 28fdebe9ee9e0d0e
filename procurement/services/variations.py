"""Departures from the common specification: a trust asks for a variation on one line item,
may withdraw it while it waits, and the programme admins approve or reject it with a reason."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from collab.audit import audit_record
from collab.dates import long_date
from collab.models import User
from collab.notifications.outbox import notify
from procurement import notifications as events
from procurement.errors import ProcurementRefused
from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    TrustRequirement,
    VariationRequest,
)
from procurement.services.common import (
    check_committed,
    check_open_for_demand,
    clean,
    current_version,
    locked_requirement,
    money,
    require_current_version,
)

LIVE = (DecisionStatus.PENDING, DecisionStatus.APPROVED)


def _snapshot(variation: VariationRequest) -> dict[str, Any]:
    return {
        "status": variation.status,
        "reference": variation.reference,
        "version": variation.version.number,
        "instead": variation.instead,
        "cost_difference_per_vehicle": money(variation.cost_difference_per_vehicle),
    }


def _locked_pending(variation: VariationRequest) -> tuple[ProcurementRound, VariationRequest]:
    """Lock the round, the requirement and the variation (in that order); refuse unless the
    variation is still waiting for a decision."""
    requirement = TrustRequirement.objects.only("round_id").get(pk=variation.requirement_id)
    round = ProcurementRound.objects.select_for_update().get(pk=requirement.round_id)
    locked_requirement(requirement)
    variation = (
        VariationRequest.objects.select_for_update(of=("self",))
        .select_related("requirement__trust", "version")
        .get(pk=variation.pk)
    )
    if not variation.is_pending:
        when = f" on {long_date(variation.decided_at)}" if variation.decided_at else ""
        raise ProcurementRefused(
            f"This variation was already {variation.get_status_display().lower()}{when}."
        )
    return round, variation


def variation_request_create(
    *,
    requirement: TrustRequirement,
    actor: User,
    reference: str,
    instead: str,
    reason: str,
    cost_difference_per_vehicle: Decimal,
) -> VariationRequest:
    """A trust asks to depart from one line item of the current version. One live (waiting or
    approved) variation per trust and line item."""
    reference, instead, reason = reference.strip(), instead.strip(), reason.strip()
    if not instead:
        raise ProcurementRefused("Say what your trust wants instead.", field="instead")
    if not reason:
        raise ProcurementRefused("Say why your trust needs this variation.", field="reason")
    with transaction.atomic():
        round = ProcurementRound.objects.select_for_update().get(pk=requirement.round_id)
        requirement = locked_requirement(requirement)
        if requirement.is_confirmed:
            raise ProcurementRefused(
                "Your trust has confirmed its order, so it can no longer ask for variations."
            )
        check_open_for_demand(round)
        check_committed(round, requirement.trust)
        version = require_current_version(round)
        if not version.line_items.filter(reference=reference).exists():
            raise ProcurementRefused(
                f"{reference or 'That'} is not a line item of {version} of the specification.",
                field="reference",
            )
        live = requirement.variations.filter(reference=reference, status__in=LIVE).first()
        if live is not None:
            raise ProcurementRefused(
                f"Your trust already has a variation on {reference} that is "
                f"{live.get_status_display().lower()}; one variation per line item.",
                field="reference",
            )
        variation = VariationRequest(
            requirement=requirement,
            reference=reference,
            version=version,
            instead=instead,
            reason=reason,
            cost_difference_per_vehicle=cost_difference_per_vehicle,
            requested_by=actor,
        )
        clean(variation)
        variation.save()
        audit_record(
            actor=actor,
            action="procurement.variation_requested",
            target=variation,
            trust=requirement.trust,
            context=round,
            after=_snapshot(variation),
            reason=reason,
        )
        notify(events.variation_requested, variation, actor=actor)
    return variation


def variation_withdraw(*, variation: VariationRequest, actor: User) -> VariationRequest:
    """The trust takes back a variation that is still waiting for a decision."""
    with transaction.atomic():
        round, variation = _locked_pending(variation)
        variation.status = DecisionStatus.WITHDRAWN
        variation.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="procurement.variation_withdrawn",
            target=variation,
            trust=variation.requirement.trust,
            context=round,
            before=DecisionStatus.PENDING,
            after=_snapshot(variation),
        )
    return variation


def variation_decide(
    *, variation: VariationRequest, actor: User, approve: bool, reason: str
) -> VariationRequest:
    """Approve (the variation shows on the trust's requirement and in its cost) or reject, with
    the reason the trust is told."""
    reason = reason.strip()
    if not reason:
        raise ProcurementRefused("Give the reason for the decision.", field="reason")
    with transaction.atomic():
        round, variation = _locked_pending(variation)
        if approve:
            version = current_version(round)
            if (
                version is None
                or not version.line_items.filter(reference=variation.reference).exists()
            ):
                raise ProcurementRefused(
                    f"{variation.reference} is no longer in the current specification, so this "
                    "variation cannot be approved. Reject it instead."
                )
        variation.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
        variation.decided_by = actor
        variation.decided_at = timezone.now()
        variation.decision_reason = reason
        variation.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            actor=actor,
            action=f"procurement.variation_{variation.status}",
            target=variation,
            trust=variation.requirement.trust,
            context=round,
            before=DecisionStatus.PENDING,
            after=_snapshot(variation),
            reason=reason,
        )
        notify(events.variation_decided, variation, actor=actor)
    return variation
