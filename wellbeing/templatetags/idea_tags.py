"""Words and colours for idea statuses (always both, never colour alone), and the author line."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wellbeing.models import Idea, IdeaStatus

register = template.Library()

_COLOURS = {
    IdeaStatus.DRAFT: "grey",
    IdeaStatus.SUBMITTED: "blue",
    IdeaStatus.UNDER_REVIEW: "yellow",
    IdeaStatus.SHORTLISTED: "aqua-green",
    IdeaStatus.ADOPTED: "green",
    IdeaStatus.NOT_TAKEN_FORWARD: "grey",
    IdeaStatus.MERGED: "purple",
}


@register.filter
def idea_tag_colour(status: str) -> str:
    return _COLOURS.get(status, "grey")


@register.simple_tag
def idea_status_tag(idea: Idea) -> SafeString:
    """An idea's status as an NHS.UK tag (a tag, not an include: the list draws one per row)."""
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>',
        idea_tag_colour(idea.status),
        idea.get_status_display(),
    )


@register.filter
def author_shown(idea: Idea, can_see_names: bool) -> bool:
    """The author's name shows when they chose so; the campaign's programme admins (and the
    author) always see it."""
    return bool(idea.show_author_name or can_see_names)
