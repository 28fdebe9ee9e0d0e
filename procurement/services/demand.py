"""Each committed trust's demand: units per delivery year and the optional items it wants,
entered against the current version, then confirmed as a binding order. A change after that
is a request the programme admins decide."""

from django.db import transaction
from django.utils import timezone

from collab.audit import audit_record
from collab.dates import long_date
from collab.models import Trust, User
from collab.notifications.outbox import notify
from procurement import notifications as events
from procurement.errors import ProcurementRefused
from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    RequirementChangeRequest,
    RequirementStatus,
    TrustRequirement,
)
from procurement.services.common import (
    check_committed,
    check_open_for_demand,
    checked_optional_references,
    checked_quantities,
    locked_requirement,
    locked_round,
    quantities_of,
    replace_quantities,
    require_current_version,
    requirement_snapshot,
)


def _ask_for_a_change(requirement: TrustRequirement) -> ProcurementRefused:
    return ProcurementRefused(
        f"Your trust confirmed this order on {long_date(requirement.confirmed_at)}; it is "
        "binding. To change it, ask for a change, which the programme admins decide."
    )


def requirement_save(
    *,
    round: ProcurementRound,
    trust: Trust,
    actor: User,
    quantities: dict[int, int],
    optional_references: list[str],
) -> TrustRequirement:
    """Enter or change a committed trust's demand while the round is open. It is made against
    the current version, and its units per year become exactly `quantities`."""
    with transaction.atomic():
        round = locked_round(round)
        requirement = (
            TrustRequirement.objects.select_for_update().filter(round=round, trust=trust).first()
        )
        if requirement is not None and requirement.is_confirmed:
            raise _ask_for_a_change(requirement)
        check_open_for_demand(round)
        check_committed(round, trust)
        version = require_current_version(round)
        quantities = checked_quantities(round, quantities)
        references = checked_optional_references(version, optional_references)
        before = None
        if requirement is None:
            requirement = TrustRequirement(round=round, trust=trust)
        else:
            before = requirement_snapshot(requirement)
        requirement.version = version
        requirement.optional_references = references
        requirement.updated_by = actor
        requirement.updated_at = timezone.now()
        requirement.save()
        replace_quantities(requirement, quantities)
        audit_record(
            actor=actor,
            action="procurement.requirement_saved",
            target=requirement,
            trust=trust,
            context=round,
            before=before,
            after=requirement_snapshot(requirement),
        )
    return requirement


def requirement_confirm(
    *, requirement: TrustRequirement, actor: User, confirmed: bool
) -> TrustRequirement:
    """The trust confirms its final order: binding, like a decision to join a project."""
    if not confirmed:
        raise ProcurementRefused(
            "Confirm that this is your trust's final order: once confirmed it is binding.",
            field="confirmed",
        )
    with transaction.atomic():
        round = ProcurementRound.objects.select_for_update().get(pk=requirement.round_id)
        requirement = locked_requirement(requirement)
        if requirement.is_confirmed:
            raise ProcurementRefused(
                f"Your trust already confirmed this order on {long_date(requirement.confirmed_at)}."
            )
        check_open_for_demand(round)
        check_committed(round, requirement.trust)
        version = require_current_version(round)
        if requirement.version_id != version.pk:
            raise ProcurementRefused(
                f"This order was made against version {requirement.version.number}; the "
                f"specification is now at {version}. Review the changes and save your order "
                "again before confirming it."
            )
        if sum(quantities_of(requirement).values()) <= 0:
            raise ProcurementRefused(
                "The order has no units yet. Enter the units your trust needs in at least one "
                "year before confirming it."
            )
        if pending := requirement.variations.filter(status=DecisionStatus.PENDING).count():
            raise ProcurementRefused(
                f"{pending} variation{'s are' if pending != 1 else ' is'} waiting for a "
                "decision. Wait for the programme admins, or withdraw it, before confirming."
            )
        before = requirement_snapshot(requirement)
        requirement.status = RequirementStatus.CONFIRMED
        requirement.confirmed_by = actor
        requirement.confirmed_at = timezone.now()
        requirement.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            action="procurement.requirement_confirmed",
            target=requirement,
            trust=requirement.trust,
            context=round,
            before=before,
            after=requirement_snapshot(requirement),
        )
        notify(events.requirement_confirmed, requirement, actor=actor)
    return requirement


def _without_zeros(quantities: dict) -> dict[str, int]:
    return {str(year): units for year, units in quantities.items() if units}


def change_request_create(
    *,
    requirement: TrustRequirement,
    actor: User,
    quantities: dict[int, int],
    optional_references: list[str],
    reason: str,
) -> RequirementChangeRequest:
    """After confirming, a trust asks for its order to become these quantities and options."""
    reason = reason.strip()
    if not reason:
        raise ProcurementRefused("Say why your trust's order needs to change.", field="reason")
    with transaction.atomic():
        round = ProcurementRound.objects.select_for_update().get(pk=requirement.round_id)
        requirement = locked_requirement(requirement)
        if not requirement.is_confirmed:
            raise ProcurementRefused(
                "Your trust has not confirmed its order yet: change the order itself instead."
            )
        if requirement.change_requests.filter(status=DecisionStatus.PENDING).exists():
            raise ProcurementRefused(
                "Your trust has already asked for a change to this order; wait for the decision."
            )
        version = require_current_version(round)
        quantities = checked_quantities(round, quantities)
        references = checked_optional_references(version, optional_references)
        if _without_zeros(quantities) == _without_zeros(quantities_of(requirement)) and (
            references == sorted(requirement.optional_references)
        ):
            raise ProcurementRefused(
                "That is the order your trust already confirmed. Change the units or the "
                "optional items you want."
            )
        change = RequirementChangeRequest.objects.create(
            requirement=requirement,
            quantities={str(year): units for year, units in quantities.items()},
            optional_references=references,
            reason=reason,
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="procurement.change_requested",
            target=change,
            trust=requirement.trust,
            context=round,
            before=requirement_snapshot(requirement),
            after={
                "quantities": change.quantities,
                "optional_references": change.optional_references,
            },
            reason=reason,
        )
        notify(events.change_requested, change, actor=actor)
    return change


def change_request_decide(
    *, change_request: RequirementChangeRequest, actor: User, approve: bool, reason: str
) -> RequirementChangeRequest:
    """Approve (the order becomes what was asked for, against the current version, and stays
    confirmed) or reject (the confirmed order stands), with a reason."""
    reason = reason.strip()
    if not reason:
        raise ProcurementRefused("Give the reason for the decision.", field="reason")
    with transaction.atomic():
        requirement = TrustRequirement.objects.only("round_id").get(
            pk=change_request.requirement_id
        )
        round = ProcurementRound.objects.select_for_update().get(pk=requirement.round_id)
        requirement = locked_requirement(requirement)
        change = RequirementChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if not change.is_pending:
            when = f" on {long_date(change.decided_at)}" if change.decided_at else ""
            raise ProcurementRefused(
                f"This request was already {change.get_status_display().lower()}{when}."
            )
        before = requirement_snapshot(requirement)
        if approve:
            version = require_current_version(round)
            try:
                quantities = checked_quantities(round, change.quantities)
                references = checked_optional_references(version, change.optional_references)
            except ProcurementRefused as refusal:
                raise ProcurementRefused(
                    f"The specification changed since this request was made: {refusal.message} "
                    "Reject it, so the trust can ask again."
                ) from refusal
            replace_quantities(requirement, quantities)
            requirement.optional_references = references
            requirement.version = version
            requirement.updated_by = actor
            requirement.updated_at = timezone.now()
            requirement.save(
                update_fields=["optional_references", "version", "updated_by", "updated_at"]
            )
        change.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.decision_reason = reason
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            actor=actor,
            action=f"procurement.change_{change.status}",
            target=change,
            trust=requirement.trust,
            context=round,
            before={"status": DecisionStatus.PENDING, "requirement": before},
            after={"status": change.status, "requirement": requirement_snapshot(requirement)},
            reason=reason,
        )
        notify(events.change_decided, change, actor=actor)
    return change
