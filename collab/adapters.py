"""How allauth fits the portal: who may sign up, and which trust a new account joins."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from collab.errors import NoTrustForEmail
from collab.selectors import trust_for_email
from collab.services import person_join_trust_by_email_domain


class PortalAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "")
        user.save()
        person_join_trust_by_email_domain(user=user)
        return user


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        email = sociallogin.user.email or ""
        return bool(email) and trust_for_email(email) is not None

    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        names = [data.get("first_name") or "", data.get("last_name") or ""]
        user.full_name = data.get("name") or " ".join(n for n in names if n) or user.email
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        try:
            person_join_trust_by_email_domain(user=user)
        except NoTrustForEmail:
            # is_open_for_signup refused unknown domains already; this is a second line.
            user.delete()
            raise
        return user
