"""Who is signed in, with their home trust; and the site admins' rights in the Django admin."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend

_ADMIN_ACTIONS = ("add_", "change_", "delete_", "view_")


class SiteAdminBackend(BaseBackend):
    """Grants the Django admin's model permissions (never object rules) to site admins.

    Object-level rules in each app's permissions.py still decide everything else, so a site
    admin does not, for example, opt a trust into a project.
    """

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if (
            obj is not None
            or not user_obj.is_active
            or not getattr(user_obj, "is_site_admin", False)
        ):
            return False
        codename = perm.split(".", 1)[-1]
        return codename.startswith(_ADMIN_ACTIONS)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "is_site_admin", False))


class _SignedInWithHomeTrust:
    """Loads the signed-in person with their home trust in one query: every page's header
    names the trust, and every audited change records it (issue 7: one round trip fewer on
    each request)."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("home_trust").filter(pk=user_id)
        user = user.first()
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(_SignedInWithHomeTrust, ModelBackend):
    """Django's email-and-password backend (the admin, the test client)."""


class PortalAuthenticationBackend(_SignedInWithHomeTrust, AuthenticationBackend):
    """allauth's backend (the sign-in pages)."""
