"""The delivery log: what became of each email the portal sent, for site admins to read.

Rows are written only by the outbox and the delivery tasks, so the admin never adds, edits or
deletes them; the one thing a site admin may do is send a failed email again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from collab.models import Delivery, Digest
from collab.notifications.delivery import deliveries_send_again


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log to read: no add, change or delete, for anyone."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _short(text: str) -> str:
    return Truncator(text).chars(80)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "recipient",
        "title",
        "kind",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    list_filter = [
        "status",
        "channel",
        "frequency",
        ("notification__kind", admin.AllValuesFieldListFilter),
    ]
    search_fields = ["notification__recipient__email", "notification__title"]
    list_select_related = ["notification__recipient"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.display(description="Recipient", ordering="notification__recipient__email")
    def recipient(self, delivery: Delivery) -> str:
        return delivery.notification.recipient.email

    @admin.display(description="Notification", ordering="notification__title")
    def title(self, delivery: Delivery) -> str:
        return delivery.notification.title

    @admin.display(description="Kind", ordering="notification__kind")
    def kind(self, delivery: Delivery) -> str:
        return delivery.notification.kind

    @admin.display(description="Last error")
    def error(self, delivery: Delivery) -> str:
        return _short(delivery.last_error)

    @admin.action(description="Send again now (failed emails only)", permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queued = deliveries_send_again(deliveries=queryset, actor=request.user)
        left = queryset.count() - len(queued)
        if queued:
            self.message_user(
                request,
                f"{len(queued)} email{'s' if len(queued) != 1 else ''} queued to send again.",
                messages.SUCCESS,
            )
        if left:
            self.message_user(
                request,
                f"{left} selected email{'s were' if left != 1 else ' was'} not failed, "
                "so left alone.",
                messages.WARNING,
            )


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = [
        "recipient_email",
        "frequency",
        "period_start",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "frequency"]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    @admin.display(description="Recipient", ordering="recipient__email")
    def recipient_email(self, digest: Digest) -> str:
        return digest.recipient.email

    @admin.display(description="Last error")
    def error(self, digest: Digest) -> str:
        return _short(digest.last_error)
