"""How every procurement view reaches its objects: through the round the person can see (404
across tenants and for drafts they may not see), then the rule for what they do (403)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from collab.errors import PortalError
from collab.forms import add_service_error
from collab.models import Trust
from procurement.models import (
    ProcurementRound,
    SpecificationVersion,
    TrustRequirement,
)
from procurement.selectors import (
    current_version,
    draft_version,
    get_requirement,
    get_round_for_user,
    get_version,
    participating_trusts,
)


def posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must still be validated), else None."""
    return request.POST if request.method == "POST" else None


def round_for(request: HttpRequest, round_slug: str, perm: str | None = None) -> ProcurementRound:
    round_ = get_round_for_user(request.user, round_slug)
    if perm is not None and not request.user.has_perm(perm, round_):
        raise PermissionDenied
    return round_


def is_admin(request: HttpRequest, round_: ProcurementRound) -> bool:
    return request.user.has_perm("procurement.manage_round", round_)


def sees_drafts(request: HttpRequest, round_: ProcurementRound) -> bool:
    """The round's admins edit the draft; site admins may read it."""
    return request.user.is_site_admin or is_admin(request, round_)


@dataclass
class TrustPlace:
    """A participating trust in a round, and its requirement (unsaved until it orders)."""

    round: ProcurementRound
    trust: Trust
    requirement: TrustRequirement

    @property
    def has_ordered(self) -> bool:
        return self.requirement.pk is not None


def trust_place(
    request: HttpRequest, round_: ProcurementRound, trust_slug: str, perm: str | None = None
) -> TrustPlace:
    """A trust's place in a round the person can see; 404 when the trust does not take part."""
    trust = next((t for t in participating_trusts(round_) if t.slug == trust_slug), None)
    if trust is None:
        raise Http404("This trust does not take part in the round.")
    requirement = get_requirement(round_, trust) or TrustRequirement(round=round_, trust=trust)
    if perm is not None and not request.user.has_perm(perm, requirement):
        raise PermissionDenied
    return TrustPlace(round=round_, trust=trust, requirement=requirement)


def version_for(
    request: HttpRequest, round_: ProcurementRound, number: str | None
) -> SpecificationVersion | None:
    """The version asked for in the query string, or the current one. Drafts are for the
    round's admins only: to anyone else a draft does not exist."""
    admin = sees_drafts(request, round_)
    if number in (None, ""):
        version = current_version(round_)
        if version is None and admin:
            version = draft_version(round_)
        return version
    try:
        number = int(number)
    except ValueError:
        raise Http404("No such version.") from None
    return get_version(round_, number, include_draft=admin)


# Where a refusal about the order as a whole is shown on a per-year form.
_ORDER_FIELDS = ("quantities",)


def add_refusal(form, error: PortalError | ValidationError, *, first_year_field: str = "") -> None:
    """A service's refusal, next to the field it concerns (the first year's box for a
    refusal about the quantities), or above the form."""
    if (
        isinstance(error, PortalError)
        and error.field in _ORDER_FIELDS
        and first_year_field in form.fields
    ):
        form.add_error(first_year_field, error.message)
        return
    add_service_error(form, error)
