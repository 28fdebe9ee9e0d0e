"""Who may do what with staff ideas. Visibility (404) is decided by `wellbeing.selectors`;
these rules decide 403 for what a person can see but not do."""

import rules

from collab.models import User
from wellbeing.models import Campaign, Comment, Idea


@rules.predicate
def moderates_campaign(user: User, campaign: Campaign) -> bool:
    """Programme admins of the campaign's collaboration; site admins for national ones."""
    if not user.is_authenticated:
        return False
    if campaign.collaboration_id is None:
        return user.is_site_admin
    return campaign.collaboration_id in user.administered_collaboration_ids


@rules.predicate
def works_at_a_trust(user: User, campaign: Campaign) -> bool:
    """Submitting, voting and commenting are for staff of a trust (the campaign is visible)."""
    return user.is_authenticated and user.is_active and user.home_trust_id is not None


@rules.predicate
def moderates_idea(user: User, idea: Idea) -> bool:
    return moderates_campaign(user, idea.campaign)


@rules.predicate
def moderates_comment(user: User, comment: Comment) -> bool:
    return moderates_campaign(user, comment.idea.campaign)


@rules.predicate
def wrote_idea(user: User, idea: Idea) -> bool:
    return user.is_authenticated and idea.author_id == user.pk


@rules.predicate
def wrote_comment(user: User, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


rules.add_perm("wellbeing.take_part", works_at_a_trust)
rules.add_perm("wellbeing.moderate_campaign", moderates_campaign)
rules.add_perm("wellbeing.review_idea", moderates_idea)
rules.add_perm("wellbeing.edit_draft", wrote_idea)
rules.add_perm("wellbeing.edit_comment", wrote_comment)
rules.add_perm("wellbeing.moderate_comment", moderates_comment)
