"""The rules of joint procurement refuse actions with this error, each saying what to do."""

from collab.errors import PortalError


class ProcurementRefused(PortalError):
    """A round, specification, requirement or request cannot change this way (yet)."""
