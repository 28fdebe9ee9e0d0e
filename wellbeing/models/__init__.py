from wellbeing.models.campaign import Campaign, Theme
from wellbeing.models.discussion import (
    COMMENT_MAX,
    EDIT_WINDOW_MINUTES,
    FLAGS_TO_HIDE,
    Comment,
    CommentFlag,
    CommentStatus,
)
from wellbeing.models.idea import (
    OPEN_STATUSES,
    PROBLEM_MAX,
    PROPOSAL_MAX,
    PUBLISHED_STATUSES,
    TITLE_MAX,
    Follow,
    Idea,
    IdeaAttachment,
    IdeaStatus,
    Vote,
)

__all__ = [
    "COMMENT_MAX",
    "EDIT_WINDOW_MINUTES",
    "FLAGS_TO_HIDE",
    "OPEN_STATUSES",
    "PROBLEM_MAX",
    "PROPOSAL_MAX",
    "PUBLISHED_STATUSES",
    "TITLE_MAX",
    "Campaign",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "Follow",
    "Idea",
    "IdeaAttachment",
    "IdeaStatus",
    "Theme",
    "Vote",
]
