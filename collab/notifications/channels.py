"""Channels carry notifications out of the portal. The in-app centre reads Notification rows
directly; every other channel is one class here with a `send` and a `send_digest`."""

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from collab.models import Channel, Digest, EmailFrequency, Notification, User

UNSUBSCRIBE_SALT = "collab.notifications.unsubscribe"


def unsubscribe_token(person: User, category: str) -> str:
    return signing.dumps({"person": person.pk, "category": category}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict:
    """The person and category a link was made for; raises signing.BadSignature if forged."""
    return signing.loads(token, salt=UNSUBSCRIBE_SALT)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _unsubscribe_url(person: User, category: str) -> str:
    return _absolute(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(person, category)})
    )


class EmailChannel:
    key = Channel.EMAIL

    def send(self, notification: Notification) -> None:
        person = notification.recipient
        unsubscribe_url = _unsubscribe_url(person, notification.category)
        context = {
            "service_name": settings.PORTAL_SERVICE_NAME,
            "person": person,
            "notification": notification,
            "link": _absolute(notification.url),
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": _absolute(reverse("notifications:preferences")),
            "category_label": notification.get_category_display(),
        }
        self._send(
            person,
            subject=notification.title,
            template="notifications/email/notification",
            context=context,
            unsubscribe_url=unsubscribe_url,
        )

    def send_digest(self, digest: Digest, notifications: Sequence[Notification]) -> None:
        person = digest.recipient
        # Sent in the morning about what came in since the last one.
        period = "in the last day" if digest.frequency == EmailFrequency.DAILY else "this week"
        context = {
            "service_name": settings.PORTAL_SERVICE_NAME,
            "person": person,
            "digest": digest,
            "groups": group_for_digest(notifications),
            "count": len(notifications),
            "period": period,
            "site_url": settings.SITE_URL.rstrip("/"),
            "preferences_url": _absolute(reverse("notifications:preferences")),
            # One link per category in the digest: each stops that category's emails only.
            "unsubscribe_links": [
                {"category": label, "url": _unsubscribe_url(person, category)}
                for category, label in sorted(
                    {(n.category, n.get_category_display()) for n in notifications}
                )
            ],
        }
        self._send(
            person,
            subject=f"{len(notifications)} update{'s' if len(notifications) != 1 else ''} {period}",
            template="notifications/email/digest",
            context=context,
            unsubscribe_url=None,
        )

    def _send(
        self, person: User, *, subject: str, template: str, context: dict, unsubscribe_url
    ) -> None:
        headers = {}
        if unsubscribe_url:
            # One-click unsubscribe (RFC 8058) from the mail client's own button.
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=settings.PORTAL_EMAIL_SUBJECT_PREFIX + subject,
            body=render_to_string(f"{template}.txt", context),
            to=[person.email],
            headers=headers,
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()


def group_for_digest(notifications: Sequence[Notification]) -> list[dict]:
    """Items grouped by project, newest first within a group, the group with the newest first."""
    groups: dict[str, list[Notification]] = {}
    for notification in sorted(notifications, key=lambda n: (n.created_at, n.pk), reverse=True):
        groups.setdefault(notification.group_label or "Other updates", []).append(notification)
    return [
        {
            "label": label,
            "items": [
                {"notification": n, "link": _absolute(n.url), "category": n.get_category_display()}
                for n in items
            ],
        }
        for label, items in groups.items()
    ]


CHANNELS = {EmailChannel.key: EmailChannel()}
