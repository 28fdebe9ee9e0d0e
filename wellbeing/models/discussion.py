import uuid

from django.db import models
from django.utils import timezone

# Three people flagging a comment hide it until a moderator looks.
FLAGS_TO_HIDE = 3
EDIT_WINDOW_MINUTES = 15
COMMENT_MAX = 2000


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden until a moderator looks"
    REMOVED = "removed", "Removed by a moderator"


class Comment(models.Model):
    """A comment on an idea, or a reply to one (one level deep)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idea = models.ForeignKey("wellbeing.Idea", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.VISIBLE
    )
    flag_count = models.PositiveSmallIntegerField(default=0)
    moderated_by = models.ForeignKey(
        "collab.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    # A comment is posted untold; the worker picks it up and tells its followers
    # (wellbeing.tasks). Rows written any other way (demo data, the admin) tell nobody.
    followers_told = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # An idea's thread in order.
            models.Index(fields=["idea", "created_at"], name="comment_thread_idx"),
            # The moderation queue: hidden comments.
            models.Index(fields=["status"], name="comment_status_idx"),
            # The worker's look-up: comments whose followers are untold, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(followers_told=False),
                name="comment_untold_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.idea}"


class CommentFlag(models.Model):
    """Someone saying a comment should not be there."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    person = models.ForeignKey("collab.User", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "person"], name="one_flag_per_person")
        ]

    def __str__(self) -> str:
        return f"Flag by {self.person_id} on {self.comment_id}"
