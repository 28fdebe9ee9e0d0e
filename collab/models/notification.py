"""What people are told: notifications (the in-app centre), their email deliveries and digests.

A Notification row is written in the same transaction as the change that causes it (the outbox).
Each has one email Delivery whose status says what became of it, so nothing is lost when the
broker is down: the sweeper sends whatever is still waiting.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationCategory(models.TextChoices):
    """What a person chooses how often to hear about. Each event belongs to one."""

    DECISIONS = "decisions", "Projects opening, decision deadlines and projects starting"
    IDEAS = "ideas", "Ideas you follow: status changes and new comments"
    TRUST_DECISIONS = "trust_decisions", "Trusts deciding on projects you run"
    COMMITMENTS = "commitments", "Commitments due, overdue, accepted or sent back"
    ESCALATIONS = "escalations", "Commitments 14 days overdue in projects you run"
    REQUESTS = "requests", "Withdrawal and late-join requests"
    PROCUREMENT = (
        "procurement",
        "Joint procurement: specifications, variations, orders and closing dates",
    )


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "Email me straight away"
    DAILY = "daily", "One email a day with everything new (daily digest)"
    WEEKLY = "weekly", "One email a week with everything new (weekly digest)"
    IN_APP = "in_app", "No email: show them in the portal only"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    AWAITING_DIGEST = "awaiting_digest", "Waiting for the digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"


class Notification(models.Model):
    """One thing one person is told, shown in their notification centre."""

    recipient = models.ForeignKey(
        "collab.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)  # the Event key, e.g. "commitment.overdue"
    category = models.CharField(max_length=30, choices=NotificationCategory.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    # Which rung of a reminder ladder ("due-14", "overdue-8"), or what tells repeats apart.
    step = models.CharField(max_length=60, blank=True, default="")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # The project (or campaign) the notification is about, so digests can group by it.
    group_label = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Idempotent by construction: a sweep run twice, two beat processes or a retried
            # task cannot tell one person the same thing twice.
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "step"],
                name="one_notification_per_step",
            ),
        ]
        indexes = [
            # The notification centre: a person's newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The unread count in the header on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # Reminder sweeps: "has this rung been sent for this object yet?"
            models.Index(
                fields=["target_type", "target_id", "kind", "step"],
                name="notification_target_step_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailAttempts(models.Model):
    """Fields shared by everything the email channel sends: status, tries and the last error."""

    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The sweeper leaves a row alone until then (backoff after a failure).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Digest(EmailAttempts):
    """One digest email: a person's waiting notifications for a day or a week."""

    recipient = models.ForeignKey("collab.User", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=20, choices=EmailFrequency.choices)
    period_start = models.DateField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period_start"], name="one_digest_per_period"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="digest_waiting_idx")]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} for {self.recipient} from {self.period_start}"


class Delivery(EmailAttempts):
    """What became of one notification on one channel: the delivery log site admins read."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    # The person's preference when the notification was written.
    frequency = models.CharField(max_length=20, choices=EmailFrequency.choices)
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            ),
        ]
        indexes = [
            # The outbox sweeper: rows still waiting whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_waiting_idx",
            ),
            # Digest assembly: a frequency's rows waiting for their digest.
            models.Index(
                fields=["frequency"],
                condition=Q(status="awaiting_digest", digest__isnull=True),
                name="delivery_awaiting_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.notification.recipient_id}: {self.status}"


class NotificationPreference(models.Model):
    """How one person wants to hear about one category. No row means straight away."""

    person = models.ForeignKey(
        "collab.User", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=30, choices=NotificationCategory.choices)
    frequency = models.CharField(
        max_length=20, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category"], name="one_preference_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.category} {self.frequency}"
