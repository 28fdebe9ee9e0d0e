"""Who may do what in the core. Visibility (404) is decided by selectors; these rules decide 403."""

import rules

from collab.models import Collaboration, Invitation, Trust, User
from collab.selectors import current_memberships


@rules.predicate
def is_site_admin(user: User) -> bool:
    return user.is_authenticated and user.is_site_admin


@rules.predicate
def belongs_to_trust(user: User, trust: Trust) -> bool:
    return user.is_authenticated and user.home_trust_id == trust.pk


@rules.predicate
def administers_a_collaboration_of_trust(user: User, trust: Trust) -> bool:
    if not user.is_authenticated or not user.administered_collaboration_ids:
        return False
    return (
        current_memberships()
        .filter(trust=trust, collaboration_id__in=user.administered_collaboration_ids)
        .exists()
    )


@rules.predicate
def leads_trust(user: User, trust: Trust) -> bool:
    return user.is_authenticated and user.leads_trust(trust)


@rules.predicate
def belongs_to_a_member_trust(user: User, collaboration: Collaboration) -> bool:
    return (
        user.is_authenticated
        and current_memberships()
        .filter(collaboration=collaboration, trust_id=user.home_trust_id)
        .exists()
    )


@rules.predicate
def administers_collaboration(user: User, collaboration: Collaboration) -> bool:
    return user.is_authenticated and user.administers_collaboration(collaboration)


@rules.predicate
def manages_invitation_trust(user: User, invitation: Invitation) -> bool:
    return administers_a_collaboration_of_trust(user, invitation.trust)


@rules.predicate
def leads_invitation_trust(user: User, invitation: Invitation) -> bool:
    return leads_trust(user, invitation.trust)


rules.add_perm(
    "collab.view_trust_page",
    is_site_admin | belongs_to_trust | administers_a_collaboration_of_trust,
)
rules.add_perm("collab.invite_to_trust", is_site_admin | administers_a_collaboration_of_trust)
rules.add_perm(
    "collab.view_collaboration_page",
    is_site_admin | belongs_to_a_member_trust | administers_collaboration,
)
rules.add_perm(
    "collab.view_trust_invitations",
    is_site_admin | leads_trust | administers_a_collaboration_of_trust,
)
rules.add_perm("collab.revoke_invitation", is_site_admin | manages_invitation_trust)
