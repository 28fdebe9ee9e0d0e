from django.apps import AppConfig


class CollabConfig(AppConfig):
    """The core: trusts, collaborations, people, roles, invitations and the audit trail."""

    name = "collab"
    verbose_name = "Trusts and collaborations"

    def ready(self) -> None:
        # Registers this app's rules (permissions.py is our name for rules.py).
        from allauth.mfa.signals import authenticator_removed

        from collab import permissions  # noqa: F401
        from collab.mfa import forget_mfa_sign_in

        authenticator_removed.connect(forget_mfa_sign_in, dispatch_uid="collab.forget_mfa_sign_in")
