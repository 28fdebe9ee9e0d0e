"""Sends trust leads, programme admins and site admins to set up MFA before anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from collab.mfa import MFA_TYPES, signed_in_with_mfa

# Reached without MFA: allauth's own pages (MFA set-up, re-authentication, sign-out), the
# health check and static files. Everything else waits until MFA is set up.
# Unsubscribe links work from an email whoever is signed in: the signed token is the key.
_ALLOWED_PREFIXES = ("/accounts/", "/healthz", "/static/", "/notifications/unsubscribe/")


class RequireMFAMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                "Your role lets you decide for a trust or a collaboration, so your account needs "
                "two-factor authentication. Set it up to continue.",
            )
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request: HttpRequest) -> bool:
        if not settings.PORTAL_MFA_REQUIRED or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        user = request.user
        if not user.is_authenticated or not user.holds_elevated_role:
            return False
        if signed_in_with_mfa(request):
            return False
        return not Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists()
