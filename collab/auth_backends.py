"""Site admins manage trusts, collaborations and accounts in the Django admin."""

from django.contrib.auth.backends import BaseBackend

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
