"""Who may do what with joint projects. Visibility (404) is decided by `projects.selectors`;
these rules decide 403 for what a person can see but not do."""

import rules

from collab.models import Collaboration, User
from collab.permissions import is_site_admin
from projects.models import Commitment, JointProject, Participation


@rules.predicate
def administers_project(user: User, project: JointProject) -> bool:
    return user.is_authenticated and user.administers_collaboration(project.collaboration)


@rules.predicate
def works_at_a_member_trust(user: User, project: JointProject) -> bool:
    return user.is_authenticated and project.collaboration_id in user.member_collaboration_ids


@rules.predicate
def leads_participating_trust(user: User, participation: Participation) -> bool:
    return user.is_authenticated and user.leads_trust(participation.trust)


@rules.predicate
def administers_participation_project(user: User, participation: Participation) -> bool:
    return administers_project(user, participation.project)


@rules.predicate
def leads_commitment_trust(user: User, commitment: Commitment) -> bool:
    return user.is_authenticated and user.leads_trust(commitment.participation.trust)


@rules.predicate
def owns_commitment(user: User, commitment: Commitment) -> bool:
    return user.is_authenticated and commitment.owner_id == user.pk


@rules.predicate
def administers_commitment_project(user: User, commitment: Commitment) -> bool:
    return administers_project(user, commitment.participation.project)


@rules.predicate
def administers_this_collaboration(user: User, collaboration: Collaboration) -> bool:
    return user.is_authenticated and user.administers_collaboration(collaboration)


rules.add_perm(
    "projects.view_project", is_site_admin | administers_project | works_at_a_member_trust
)
rules.add_perm("projects.create_project", administers_this_collaboration)
rules.add_perm("projects.manage_project", administers_project)
rules.add_perm("projects.decide_participation", leads_participating_trust)
rules.add_perm("projects.request_participation_change", leads_participating_trust)
rules.add_perm("projects.decide_participation_request", administers_participation_project)
rules.add_perm(
    "projects.record_benefit", administers_participation_project | leads_participating_trust
)
rules.add_perm("projects.update_commitment", leads_commitment_trust | owns_commitment)
rules.add_perm("projects.review_commitment", administers_commitment_project)
rules.add_perm("projects.view_collaboration_tracker", administers_this_collaboration)
rules.add_perm("projects.view_project_tracker", administers_project)
