"""Reads about procurement rounds, scoped to the person asking. Views start their querysets here.

Who sees a round:
- site admins: every round;
- programme admins of the project's collaboration: every round of it, drafts included;
- people whose home trust is a committed participant of the round's project: the round once it
  is no longer a draft, with every participating trust's quantities and variations (it is a
  joint purchase);
- everyone else: nothing, and a 404 that looks like a round that does not exist.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from collab.models import Trust, User
from procurement.models import (
    DecisionStatus,
    LineItem,
    ProcurementRound,
    RequirementChangeRequest,
    RoundStatus,
    SpecificationSection,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
    VersionStatus,
)
from projects.models import Participation, ParticipationStatus


def _committed_project_ids(trust_id: int | None) -> QuerySet:
    return Participation.objects.filter(
        trust_id=trust_id, status=ParticipationStatus.COMMITTED
    ).values("project_id")


def rounds_visible_to(user: User) -> QuerySet[ProcurementRound]:
    """Rounds of the collaborations the person administers (drafts too), and the non-draft
    rounds of projects their home trust is committed to."""
    if not user.is_authenticated:
        return ProcurementRound.objects.none()
    if user.is_site_admin:
        return ProcurementRound.objects.all()
    administered = Q(project__collaboration_id__in=user.administered_collaboration_ids)
    if user.home_trust_id is None:
        return ProcurementRound.objects.filter(administered)
    participating = Q(project_id__in=_committed_project_ids(user.home_trust_id)) & ~Q(
        status=RoundStatus.DRAFT
    )
    return ProcurementRound.objects.filter(administered | participating)


def get_round_for_user(user: User, round_slug: str) -> ProcurementRound:
    """The round, or 404 when it does not exist or the person may not see it."""
    round_ = (
        rounds_visible_to(user)
        .select_related("project__collaboration", "project__lead_trust")
        .filter(slug=round_slug)
        .first()
    )
    if round_ is None:
        raise Http404("No such procurement round.")
    return round_


# --- Specification versions ------------------------------------------------------------------


def current_version(round_: ProcurementRound) -> SpecificationVersion | None:
    """The latest published version: what trusts order against. None before the first publish."""
    return (
        round_.versions.filter(status=VersionStatus.PUBLISHED)
        .select_related("published_by")
        .order_by("-number")
        .first()
    )


def draft_version(round_: ProcurementRound) -> SpecificationVersion | None:
    """The version the admins are editing, if there is one (there is at most one)."""
    return round_.versions.filter(status=VersionStatus.DRAFT).first()


def get_version(
    round_: ProcurementRound, number: int, *, include_draft: bool = False
) -> SpecificationVersion:
    """Version `number` of the round, or 404. A draft is found only with `include_draft`,
    which views pass for the people who may edit it."""
    versions = round_.versions.select_related("published_by")
    if not include_draft:
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version of the specification.")
    version.round = round_
    return version


def published_versions(round_: ProcurementRound) -> list[SpecificationVersion]:
    """Every published version, oldest first: for the version history and the diff pickers."""
    return list(
        round_.versions.filter(status=VersionStatus.PUBLISHED)
        .select_related("published_by")
        .order_by("number")
    )


def sections_with_items(version: SpecificationVersion) -> list[SpecificationSection]:
    """The version's sections in order, each with its line items prefetched, in two queries."""
    return list(
        version.sections.order_by("position", "pk").prefetch_related(
            Prefetch(
                "line_items",
                queryset=LineItem.objects.order_by("position", "reference"),
            )
        )
    )


# --- Trusts, requirements and requests ---------------------------------------------------------


def participating_trusts(round_: ProcurementRound) -> list[Trust]:
    """The trusts committed to the round's project: the ones that may order in it."""
    return list(
        Trust.objects.filter(
            participations__project_id=round_.project_id,
            participations__status=ParticipationStatus.COMMITTED,
        ).order_by("name")
    )


def get_requirement(round_: ProcurementRound, trust: Trust) -> TrustRequirement | None:
    """The trust's requirement in the round with its quantities and variations, or None."""
    requirement = (
        TrustRequirement.objects.filter(round=round_, trust=trust)
        .select_related("trust", "version", "updated_by", "confirmed_by")
        .prefetch_related(
            "quantities",
            Prefetch(
                "variations",
                queryset=VariationRequest.objects.select_related(
                    "version", "requested_by", "decided_by"
                ),
            ),
            Prefetch(
                "change_requests",
                queryset=RequirementChangeRequest.objects.select_related(
                    "requested_by", "decided_by"
                ),
            ),
        )
        .first()
    )
    if requirement is not None:
        requirement.round = round_
    return requirement


def variations_waiting(round_: ProcurementRound) -> QuerySet[VariationRequest]:
    """Variations waiting for the programme admins' decision, oldest first."""
    return (
        VariationRequest.objects.filter(requirement__round=round_, status=DecisionStatus.PENDING)
        .select_related("requirement__trust", "requirement__round", "version", "requested_by")
        .order_by("requested_at", "pk")
    )


def change_requests_waiting(round_: ProcurementRound) -> QuerySet[RequirementChangeRequest]:
    """Changes to confirmed orders waiting for the programme admins' decision, oldest first."""
    return (
        RequirementChangeRequest.objects.filter(
            requirement__round=round_, status=DecisionStatus.PENDING
        )
        .select_related("requirement__trust", "requirement__round", "requested_by")
        .order_by("requested_at", "pk")
    )


def get_variation(round_: ProcurementRound, request_id: str) -> VariationRequest:
    """A variation of the round by its public id, or 404."""
    variation = (
        VariationRequest.objects.filter(requirement__round=round_, public_id=request_id)
        .select_related("requirement__trust", "version", "requested_by", "decided_by")
        .first()
    )
    if variation is None:
        raise Http404("No such variation.")
    variation.requirement.round = round_
    return variation


def get_change_request(round_: ProcurementRound, request_id: str) -> RequirementChangeRequest:
    """A change request of the round by its public id, or 404."""
    change = (
        RequirementChangeRequest.objects.filter(requirement__round=round_, public_id=request_id)
        .select_related("requirement__trust", "requested_by", "decided_by")
        .first()
    )
    if change is None:
        raise Http404("No such change request.")
    change.requirement.round = round_
    return change
