"""The rules of staff ideas refuse actions with these errors, each saying what to do."""

from collab.errors import PortalError


class IdeaRefused(PortalError):
    """An idea cannot be saved, submitted or moved on as asked."""


class VoteRefused(PortalError):
    pass


class CommentRefused(PortalError):
    pass


class CampaignRefused(PortalError):
    pass
