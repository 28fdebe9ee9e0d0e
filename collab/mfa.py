"""What a session's sign-in says about MFA, so that most requests need not ask the database."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

# Authenticators that count as MFA set up; recovery codes alone do not.
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def signed_in_with_mfa(request: HttpRequest) -> bool:
    """Whether this session signed in with an authenticator app or a security key: then the
    person has one, and RequireMFAMiddleware needs no query to know (issue 7)."""
    return any(
        record.get("method") == "mfa" and record.get("type") in MFA_TYPES
        for record in get_authentication_records(request)
    )


def forget_mfa_sign_in(sender, request: HttpRequest, **kwargs) -> None:
    """allauth's authenticator_removed: the session that removed an authenticator no longer
    counts as signed in with MFA, so the middleware asks the database again."""
    records = get_authentication_records(request)
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        record for record in records if record.get("method") != "mfa"
    ]
