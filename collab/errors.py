"""Domain errors: each carries a message a person can act on, shown next to the form."""


class PortalError(Exception):
    """A rule of the service refused the action. `field` names the form field it concerns."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvitationNotOpen(PortalError):
    pass


class AlreadyRegistered(PortalError):
    pass


class AlreadyInvited(PortalError):
    pass


class NoTrustForEmail(PortalError):
    pass
