from django.apps import AppConfig


class CollabConfig(AppConfig):
    """The core: trusts, collaborations, people, roles, invitations and the audit trail."""

    name = "collab"
    verbose_name = "Trusts and collaborations"

    def ready(self) -> None:
        # Registers this app's rules (permissions.py is our name for rules.py).
        from collab import permissions  # noqa: F401
