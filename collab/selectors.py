"""Reads that span relations, scoped to the person asking. Views start their querysets here."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from collab.models import (
    ChairTerm,
    Collaboration,
    CollaborationMembership,
    Invitation,
    RoleAssignment,
    Trust,
    TrustEmailDomain,
    User,
)
from collab.page_cache import ACCESS, CachedPart, cached_values


def _current(on: datetime.date | None = None, prefix: str = "") -> Q:
    on = on or timezone.localdate()
    return Q(**{f"{prefix}joined_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": on})
    )


def current_memberships() -> QuerySet[CollaborationMembership]:
    return CollaborationMembership.objects.filter(_current())


def member_collaboration_ids(trust_id: int | None) -> list[int]:
    """The collaborations the trust belongs to today. Every project look-up and permission
    check asks, so the answer is kept in the page cache's access area, renewed whenever a
    membership changes (issue 7)."""
    if trust_id is None:
        return []
    return cached_values([member_collaborations_part(trust_id)])[0]


def member_collaborations_part(trust_id: int) -> CachedPart:
    """`member_collaboration_ids` as a part, for a page that reads it with others in one
    round trip (the project page, with the project)."""

    def compute() -> list[int]:
        memberships = current_memberships().filter(trust_id=trust_id)
        return list(memberships.values_list("collaboration_id", flat=True))

    vary_on = (trust_id, timezone.localdate())
    return CachedPart(ACCESS, "member-collaborations", vary_on, compute)


def cached_with_member_collaborations(user: User, part: CachedPart) -> Any:
    """`part`'s value, read in the same round trip as the collaborations of the person's
    home trust, which are kept on the person for the request (`User.member_collaboration_ids`):
    a page's look-up and its permission checks both ask for them."""
    parts = [part]
    if user.home_trust_id is not None:
        parts.append(member_collaborations_part(user.home_trust_id))
    value, *membership = cached_values(parts)
    if membership:
        user.member_collaboration_ids = membership[0]
    return value


def trusts_in_collaborations(collaboration_ids: set[int]) -> QuerySet[Trust]:
    return Trust.objects.filter(
        memberships__in=current_memberships().filter(collaboration_id__in=collaboration_ids)
    ).distinct()


def collaborations_visible_to(user: User) -> QuerySet[Collaboration]:
    """Collaborations the person's trust currently belongs to, and those they administer."""
    if not user.is_authenticated:
        return Collaboration.objects.none()
    if user.is_site_admin:
        return Collaboration.objects.all()
    member_of = current_memberships().filter(trust_id=user.home_trust_id)
    return Collaboration.objects.filter(
        Q(memberships__in=member_of) | Q(pk__in=user.administered_collaboration_ids)
    ).distinct()


def visibility_of(user: User) -> tuple[bool, int | None, tuple[int, ...]]:
    """What decides which collaborations, and so which projects, the person sees (with the
    day, since memberships start and end): people who share it can share a cached list."""
    return (
        user.is_site_admin,
        user.home_trust_id,
        tuple(sorted(user.administered_collaboration_ids)),
    )


def dashboard_audience(user: User) -> tuple:
    """Everything the shared part of a dashboard depends on (with the day): people with the
    same home trust and the same roles see the same decisions, projects and collaborations."""
    roles = sorted(
        (a.role, a.trust_id or 0, a.collaboration_id or 0) for a in user.role_assignments_cached
    )
    return (user.is_superuser, user.home_trust_id, tuple(roles))


def trusts_visible_to(user: User) -> QuerySet[Trust]:
    """A person sees their own trust; programme admins also see their collaborations' members."""
    if not user.is_authenticated:
        return Trust.objects.none()
    if user.is_site_admin:
        return Trust.objects.all()
    administered = trusts_in_collaborations(user.administered_collaboration_ids)
    return Trust.objects.filter(Q(pk=user.home_trust_id) | Q(pk__in=administered)).distinct()


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations are seen by those who manage people at the trust: its leads and admins."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    if user.is_site_admin:
        return Invitation.objects.all()
    administered = trusts_in_collaborations(user.administered_collaboration_ids)
    return Invitation.objects.filter(Q(trust_id__in=user.led_trust_ids) | Q(trust__in=administered))


def get_trust_for_user(user: User, trust_slug: str) -> Trust:
    """The trust, or 404 when it does not exist or belongs to another tenant."""
    trust = trusts_visible_to(user).filter(slug=trust_slug).first()
    if trust is None:
        raise Http404("No such trust.")
    return trust


def get_collaboration_for_user(user: User, collaboration_slug: str) -> Collaboration:
    collaboration = collaborations_visible_to(user).filter(slug=collaboration_slug).first()
    if collaboration is None:
        raise Http404("No such collaboration.")
    return collaboration


def get_collaboration_for_page(user: User, collaboration_slug: str) -> Collaboration:
    """`get_collaboration_for_user` for a page that only reads (the commitment tracker): the
    collaboration comes from the page cache's access area, renewed by every audited change to
    a collaboration or membership, with the collaborations of the person's trust in the same
    round trip, rather than a query the ORM builds on every view (issue 7)."""

    def load() -> Collaboration | None:
        return Collaboration.objects.filter(slug=collaboration_slug).first()

    part = CachedPart(ACCESS, "collaboration-by-slug", (collaboration_slug,), load)
    collaboration = cached_with_member_collaborations(user, part)
    if collaboration is None or not _sees_collaboration(user, collaboration):
        raise Http404("No such collaboration.")
    return collaboration


def _sees_collaboration(user: User, collaboration: Collaboration) -> bool:
    """The rule of `collaborations_visible_to`, for one collaboration."""
    if not user.is_authenticated:
        return False
    return (
        user.is_site_admin
        or collaboration.pk in user.administered_collaboration_ids
        or collaboration.pk in user.member_collaboration_ids
    )


def get_invitation_for_user(user: User, key: str) -> Invitation:
    invitation = invitations_visible_to(user).select_related("trust").filter(key=key).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def trust_for_email(email: str) -> Trust | None:
    """The trust that owns the email address's domain, if any."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    match = TrustEmailDomain.objects.select_related("trust").filter(domain=domain).first()
    return match.trust if match else None


def current_collaborations_of_trust(trust: Trust) -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(
        memberships__in=current_memberships().filter(trust=trust)
    ).distinct()


def current_chair(
    collaboration: Collaboration, on: datetime.date | None = None
) -> ChairTerm | None:
    on = on or timezone.localdate()
    return (
        collaboration.chair_terms.select_related("trust")
        .filter(starts_on__lte=on, ends_on__gte=on)
        .first()
    )


def current_member_trusts(collaboration: Collaboration) -> list[Trust]:
    return [
        m.trust
        for m in current_memberships()
        .filter(collaboration=collaboration)
        .select_related("trust")
        .order_by("trust__name")
    ]


def people_of_trust(trust: Trust) -> QuerySet[User]:
    return (
        User.objects.filter(home_trust=trust, is_active=True)
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.filter(trust=trust))
        )
        .order_by("full_name")
    )


@dataclass(frozen=True)
class CollaborationSummary:
    collaboration: Collaboration
    member_trusts: list[Trust]
    chair: ChairTerm | None
    administered: bool


@dataclass(frozen=True)
class Dashboard:
    trust: Trust | None
    collaborations: list[CollaborationSummary]
    roles: list[RoleAssignment]


def dashboard_for(user: User) -> Dashboard:
    """What the person's home page shows: their trust, collaborations and roles.

    Site admins see every collaboration through the admin, not here: the dashboard is personal.
    """
    today = timezone.localdate()
    member_of = current_memberships().filter(trust_id=user.home_trust_id)
    collaborations = (
        Collaboration.objects.filter(
            Q(memberships__in=member_of) | Q(pk__in=user.administered_collaboration_ids)
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=current_memberships().select_related("trust").order_by("trust__name"),
                to_attr="current_memberships",
            ),
            Prefetch(
                "chair_terms",
                queryset=ChairTerm.objects.filter(
                    starts_on__lte=today, ends_on__gte=today
                ).select_related("trust"),
                to_attr="current_chair_terms",
            ),
        )
    )
    summaries = [
        CollaborationSummary(
            collaboration=collaboration,
            member_trusts=[m.trust for m in collaboration.current_memberships],
            chair=collaboration.current_chair_terms[0]
            if collaboration.current_chair_terms
            else None,
            administered=collaboration.pk in user.administered_collaboration_ids,
        )
        for collaboration in collaborations
    ]
    return Dashboard(
        trust=user.home_trust, collaborations=summaries, roles=user.role_assignments_cached
    )
