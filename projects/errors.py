"""The rules of joint projects refuse actions with these errors, each saying what to do."""

from collab.errors import PortalError


class TransitionRefused(PortalError):
    """A project cannot move to the asked-for state (yet)."""


class DecisionClosed(PortalError):
    """The trust can no longer decide this way: the window closed or the project moved on."""


class RequestRefused(PortalError):
    """A withdrawal or late-join request cannot be made or decided."""


class CommitmentRefused(PortalError):
    """A commitment cannot be changed this way."""
