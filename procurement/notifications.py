"""What joint procurement tells people, declared once each: who is told, and what.

Services call `notify(event, target)` inside their transaction; the closing-date sweep in
`procurement.reminders` calls it with a `step` (the rung of the reminder ladder).
"""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.text import Truncator

from collab.dates import days_away, long_day
from collab.models import NotificationCategory
from collab.notifications.events import Event, Message, Recipient
from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    RequirementChangeRequest,
    RequirementStatus,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
)
from projects.models import Participation, ParticipationStatus
from projects.notifications import leads_of, programme_admins_of

# --- Who is told -----------------------------------------------------------------------------


def _committed_trust_ids(round: ProcurementRound) -> list[int]:
    return list(
        Participation.objects.filter(
            project_id=round.project_id, status=ParticipationStatus.COMMITTED
        ).values_list("trust_id", flat=True)
    )


def _leads_of_committed_trusts(round: ProcurementRound) -> Iterator[Recipient]:
    return leads_of(
        _committed_trust_ids(round),
        f"You lead {{trust}}, which orders in {round.title}.",
    )


def _admins_running(round: ProcurementRound) -> Iterator[Recipient]:
    return programme_admins_of(
        round.project,
        f"You are a programme admin of {{collaboration}}, which runs {round.title}.",
    )


def _requester_and_leads(
    request: VariationRequest | RequirementChangeRequest,
) -> Iterator[Recipient]:
    trust = request.requirement.trust
    yield Recipient(request.requested_by, f"You made this request for {trust.name}.")
    yield from leads_of([trust.pk], "You lead {trust}, whose request this is.")


def _leads_of_unconfirmed_trusts(round: ProcurementRound) -> Iterator[Recipient]:
    confirmed = round.requirements.filter(status=RequirementStatus.CONFIRMED).values_list(
        "trust_id", flat=True
    )
    unconfirmed = set(_committed_trust_ids(round)) - set(confirmed)
    return leads_of(
        unconfirmed, f"You lead {{trust}}, which has not yet confirmed its order in {round.title}."
    )


def _group(round: ProcurementRound) -> str:
    return round.project.title


# --- The specification is published -----------------------------------------------------------


def _published_message(version: SpecificationVersion, step: str) -> Message:
    round = version.round
    if version.number == 1:
        return Message(
            title=f"Specification published: {round.title}",
            body=(
                f"{version} of the common specification is published. Enter your trust's "
                f"units for each delivery year and the optional items it wants, and confirm "
                f"the order by {long_day(round.closing_date)}."
            ),
            url=reverse("procurement:specification", kwargs={"round_slug": round.slug}),
            group_label=_group(round),
        )
    changes = reverse("procurement:specification_changes", kwargs={"round_slug": round.slug})
    return Message(
        title=f"{version} of the specification published: {round.title}",
        body=(
            f"What changed: {Truncator(version.change_summary).chars(500)} An order not yet "
            "confirmed needs saving again against the new version before it is confirmed."
        ),
        url=f"{changes}?from={version.number - 1}&to={version.number}",
        group_label=_group(round),
    )


specification_published = Event(
    key="procurement.specification_published",
    category=NotificationCategory.PROCUREMENT,
    recipients=lambda version: _leads_of_committed_trusts(version.round),
    message=_published_message,
)


# --- Variations --------------------------------------------------------------------------------


def _variation_requested_message(variation: VariationRequest, step: str) -> Message:
    requirement = variation.requirement
    return Message(
        title=(
            f"{requirement.trust.short_name} asks to vary {variation.reference} in "
            f"{requirement.round.title}"
        ),
        body=(
            f"Instead: {Truncator(variation.instead).chars(300)} Why: "
            f"{Truncator(variation.reason).chars(300)} Cost difference per vehicle: "
            f"£{variation.cost_difference_per_vehicle:,.2f}. Approve or reject it."
        ),
        url=variation.get_decide_url(),
        group_label=_group(requirement.round),
    )


variation_requested = Event(
    key="procurement.variation_requested",
    category=NotificationCategory.PROCUREMENT,
    recipients=lambda variation: _admins_running(variation.requirement.round),
    message=_variation_requested_message,
)


def _variation_decided_message(variation: VariationRequest, step: str) -> Message:
    requirement = variation.requirement
    return Message(
        title=(
            f"{variation.get_status_display()}: {requirement.trust.short_name}'s variation on "
            f"{variation.reference}"
        ),
        body=(f"The programme admins' reason: {Truncator(variation.decision_reason).chars(500)}"),
        url=requirement.get_absolute_url(),
        group_label=_group(requirement.round),
    )


variation_decided = Event(
    key="procurement.variation_decided",
    category=NotificationCategory.PROCUREMENT,
    recipients=_requester_and_leads,
    message=_variation_decided_message,
)


# --- Orders: confirmed, and changes asked for after confirmation -------------------------------


def _confirmed_message(requirement: TrustRequirement, step: str) -> Message:
    units = sum(q.units for q in requirement.quantities.all())
    return Message(
        title=f"{requirement.trust.short_name} confirmed its order in {requirement.round.title}",
        body=(
            f"{units} vehicle{'s' if units != 1 else ''} against {requirement.version} of the "
            "specification. The order is binding; a change to it is a request you decide."
        ),
        url=requirement.get_absolute_url(),
        group_label=_group(requirement.round),
    )


requirement_confirmed = Event(
    key="procurement.requirement_confirmed",
    category=NotificationCategory.PROCUREMENT,
    recipients=lambda requirement: _admins_running(requirement.round),
    message=_confirmed_message,
)


def _change_requested_message(change: RequirementChangeRequest, step: str) -> Message:
    requirement = change.requirement
    return Message(
        title=(
            f"{requirement.trust.short_name} asks to change its confirmed order in "
            f"{requirement.round.title}"
        ),
        body=f"Their reason: {Truncator(change.reason).chars(500)} Approve or reject it.",
        url=change.get_decide_url(),
        group_label=_group(requirement.round),
    )


change_requested = Event(
    key="procurement.change_requested",
    category=NotificationCategory.PROCUREMENT,
    recipients=lambda change: _admins_running(change.requirement.round),
    message=_change_requested_message,
)


def _change_decided_message(change: RequirementChangeRequest, step: str) -> Message:
    requirement = change.requirement
    outcome = (
        "The order now stands as asked."
        if change.status == DecisionStatus.APPROVED
        else "The confirmed order stands."
    )
    return Message(
        title=(
            f"{change.get_status_display()}: {requirement.trust.short_name}'s request to change "
            f"its order in {requirement.round.title}"
        ),
        body=(
            f"{outcome} The programme admins' reason: "
            f"{Truncator(change.decision_reason).chars(500)}"
        ),
        url=requirement.get_absolute_url(),
        group_label=_group(requirement.round),
    )


change_decided = Event(
    key="procurement.change_decided",
    category=NotificationCategory.PROCUREMENT,
    recipients=_requester_and_leads,
    message=_change_decided_message,
)


# --- The closing date approaches ---------------------------------------------------------------


def _closing_message(round: ProcurementRound, step: str) -> Message:
    return Message(
        title=f"Confirm your trust's order {days_away(round.closing_date)}: {round.title}",
        body=(
            f"Orders close on {long_day(round.closing_date)}. Enter your trust's units for "
            "each delivery year, settle any variations, and confirm the order: a confirmed "
            "order is binding."
        ),
        url=round.get_absolute_url(),
        group_label=_group(round),
    )


closing_date_reminder = Event(
    key="procurement.closing_date_reminder",
    category=NotificationCategory.PROCUREMENT,
    recipients=_leads_of_unconfirmed_trusts,
    message=_closing_message,
)
