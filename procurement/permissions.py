"""Who may do what in a procurement round. Visibility (404) is decided by
`procurement.selectors` (participating trusts and the collaboration's admins see a round);
these rules decide 403 for what a person can see but not do.

Round-wide actions take the `ProcurementRound`; a trust's actions take its `TrustRequirement`
(unsaved before the trust has entered any demand, so the rule only reads `.trust`)."""

import rules

from collab.models import User
from procurement.models import ProcurementRound, TrustRequirement
from projects.models import JointProject


@rules.predicate
def administers_the_project(user: User, project: JointProject) -> bool:
    return user.is_authenticated and user.administers_collaboration(project.collaboration)


@rules.predicate
def administers_the_round(user: User, round_: ProcurementRound) -> bool:
    return user.is_authenticated and user.administers_collaboration(round_.project.collaboration)


@rules.predicate
def leads_the_requirements_trust(user: User, requirement: TrustRequirement) -> bool:
    return user.is_authenticated and user.leads_trust(requirement.trust)


# Programme admins of the project's collaboration run the round and decide what trusts ask.
rules.add_perm("procurement.create_round", administers_the_project)
rules.add_perm("procurement.manage_round", administers_the_round)
rules.add_perm("procurement.edit_specification", administers_the_round)
rules.add_perm("procurement.decide", administers_the_round)

# A trust's lead speaks for the trust: its demand, its variations, its binding order.
rules.add_perm("procurement.edit_requirement", leads_the_requirements_trust)
rules.add_perm("procurement.ask_variation", leads_the_requirements_trust)
rules.add_perm("procurement.confirm", leads_the_requirements_trust)
rules.add_perm("procurement.request_change", leads_the_requirements_trust)
