"""Every write in the core goes through here: one transaction, one audit record each."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from collab.audit import audit_record
from collab.dates import long_date
from collab.errors import AlreadyInvited, AlreadyRegistered, InvitationNotOpen, NoTrustForEmail
from collab.models import Collaboration, Invitation, Role, RoleAssignment, Trust, User
from collab.selectors import trust_for_email


def role_assign(
    *,
    user: User,
    role: Role,
    actor: User | None,
    trust: Trust | None = None,
    collaboration: Collaboration | None = None,
) -> RoleAssignment:
    """Give a person a role; giving one they already hold changes nothing."""
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, trust=trust, collaboration=collaboration
        )
        if created:
            audit_record(
                actor=actor,
                action="role.assigned",
                target=assignment,
                trust=trust,
                after={
                    "user": user.email,
                    "role": role,
                    "trust": trust and trust.short_name,
                    "collaboration": collaboration and collaboration.short_name,
                },
            )
    user.__dict__.pop("role_assignments_cached", None)
    return assignment


def invitation_create(
    *, trust: Trust, email: str, full_name: str, role: Role, invited_by: User
) -> Invitation:
    """Invite a person to a trust with a role, and email them the link after commit."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AlreadyRegistered(
            "This person already has an account. Give them the role in the admin instead.",
            field="email",
        )
    now = timezone.now()
    with transaction.atomic():
        open_invitations = Invitation.objects.select_for_update().filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        for previous in open_invitations:
            if not previous.is_expired():
                raise AlreadyInvited(
                    f"{email} was invited on {long_date(previous.created_at)} and has until "
                    f"{long_date(previous.expires_at)} to accept. Revoke that invitation first.",
                    field="email",
                )
            # An expired invitation is closed so that the new one can be the open one.
            previous.revoked_at = now
            previous.save(update_fields=["revoked_at"])
        invitation = Invitation(
            trust=trust,
            email=email,
            full_name=full_name.strip(),
            role=role,
            invited_by=invited_by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=invited_by,
            action="invitation.created",
            target=invitation,
            trust=trust,
            after={"email": email, "role": role, "expires_at": invitation.expires_at.isoformat()},
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: _enqueue_invitation_email(invitation_id))
    return invitation


def _enqueue_invitation_email(invitation_id: int) -> None:
    from collab.tasks import send_invitation_email

    send_invitation_email.delay(invitation_id)


def invitation_send_email(*, invitation_id: int, site_url: str) -> bool:
    """Email the invitation once. Returns False when it was already sent or is no longer open.

    The conditional UPDATE claims the row, so a task that runs twice sends one email.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id, emailed_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("trust", "invited_by").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "accept_url": site_url + invitation.get_absolute_url(),
        "service_name": settings.PORTAL_SERVICE_NAME,
    }
    try:
        send_mail(
            subject=f"You are invited to the {settings.PORTAL_SERVICE_NAME}",
            message=render_to_string("collab/emails/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except Exception:
        # Release the claim so that the retry can send it.
        Invitation.objects.filter(pk=invitation_id).update(emailed_at=None)
        raise
    return True


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise InvitationNotOpen("This invitation was already accepted; it cannot be revoked.")
        if invitation.revoked_at:
            return invitation
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="invitation.revoked",
            target=invitation,
            trust=invitation.trust,
            before={"status": "waiting"},
            after={"status": "revoked"},
        )
    return invitation


def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the account the invitation promised, with its trust and role, email verified."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("trust").get(pk=invitation.pk)
        )
        if not invitation.is_open():
            raise InvitationNotOpen(
                f"This invitation is no longer valid ({invitation.status_label.lower()}). "
                "Ask the person who invited you for a new one."
            )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AlreadyRegistered("An account already exists for this email address. Sign in.")
        user = User(
            email=invitation.email, full_name=full_name.strip(), home_trust=invitation.trust
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        # The link reached this inbox, which proves the address: no second verification email.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        role_assign(user=user, role=invitation.role, trust=invitation.trust, actor=user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action="invitation.accepted",
            target=invitation,
            trust=invitation.trust,
            after={"user": user.email, "role": invitation.role},
        )
    return user


def person_join_trust_by_email_domain(*, user: User) -> Trust:
    """Self sign-up and SSO: the person joins, as staff, the trust that owns their email domain."""
    trust = trust_for_email(user.email)
    if trust is None:
        raise NoTrustForEmail(
            "Use your work email address. If your trust's address is not accepted, ask your "
            "programme office for an invitation.",
            field="email",
        )
    with transaction.atomic():
        user.home_trust = trust
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise NoTrustForEmail("; ".join(error.messages), field="email") from None
        user.save()
        role_assign(user=user, role=Role.STAFF, trust=trust, actor=user)
        audit_record(
            actor=user,
            action="person.joined_by_email_domain",
            target=user,
            trust=trust,
            after={"trust": trust.short_name},
        )
    return trust
