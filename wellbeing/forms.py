"""Forms of the staff side of ideas: the submission form, comments and the list's filters.

They check the shape of input; the rules live in the services (wellbeing.services), whose
refusals are shown next to the fields by `collab.forms.add_service_error`.
"""

from django import forms
from django.conf import settings

from collab.models import Trust
from wellbeing.models import (
    COMMENT_MAX,
    PROBLEM_MAX,
    PROPOSAL_MAX,
    PUBLISHED_STATUSES,
    TITLE_MAX,
    IdeaStatus,
    Theme,
)
from wellbeing.selectors import IDEA_SORTS
from wellbeing.services.ideas import REQUIRED_TO_SUBMIT

SUBMIT = "submit"
SAVE_DRAFT = "draft"


def _too_long(label: str, limit: int) -> dict[str, str]:
    return {"max_length": f"{label} must be {limit:,} characters or fewer"}


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "spellcheck": "true"})


def _without_maxlength(field: forms.Field) -> None:
    """Let people type or paste past the limit and then trim: the character count tells them
    how far over they are, and the server says so on saving. A `maxlength` attribute would
    silently cut what they pasted."""
    field.widget.attrs.pop("maxlength", None)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to a few files from one `<input type="file" multiple>`; cleans to a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


_ACCEPT = ",".join(f".{ext}" for ext in settings.PORTAL_IDEA_ATTACHMENT_EXTENSIONS)


class IdeaForm(forms.Form):
    """An idea, as a draft or to submit. A draft may be incomplete; submitting needs the title,
    the problem and the idea (the service's words, so the form says all that is missing at
    once)."""

    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        required=False,
        help_text=f"A few words that sum up your idea, up to {TITLE_MAX} characters.",
        error_messages=_too_long("The title", TITLE_MAX),
    )
    problem = forms.CharField(
        label="The problem you see",
        max_length=PROBLEM_MAX,
        required=False,
        widget=_textarea(5),
        help_text="What happens now, and who it affects. Do not include patients' details.",
        error_messages=_too_long("The problem", PROBLEM_MAX),
    )
    proposal = forms.CharField(
        label="Your idea",
        max_length=PROPOSAL_MAX,
        required=False,
        widget=_textarea(8),
        help_text="What should change, and how it would help.",
        error_messages=_too_long("Your idea", PROPOSAL_MAX),
    )
    suggested_theme = forms.ChoiceField(
        label="Which theme does it fit best? (optional)",
        required=False,
        widget=forms.RadioSelect,
        help_text="The programme team may file it under another theme.",
    )
    show_author_name = forms.TypedChoiceField(
        label="Show your name to other staff?",
        choices=[("yes", "Yes, show my name"), ("no", "No, show only my trust")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        help_text="The programme team always see who suggested an idea.",
        error_messages={"required": "Choose whether to show your name to other staff"},
    )
    attachments = MultipleFileField(
        label="Pictures or a PDF (optional)",
        required=False,
        widget=MultipleFileInput(attrs={"accept": _ACCEPT}),
        help_text=(
            f"Up to {settings.PORTAL_IDEA_ATTACHMENTS_PER_IDEA} files: photos (JPG, PNG, GIF, "
            f"WEBP, HEIC) or a PDF, each up to "
            f"{settings.PORTAL_IDEA_ATTACHMENT_MAX_BYTES // 1_048_576} MB."
        ),
    )

    # The fields the NHS character count wraps, with their limits.
    CHARACTER_COUNTS = {"problem": PROBLEM_MAX, "proposal": PROPOSAL_MAX}

    def __init__(self, *args, themes: list[Theme], action: str = SAVE_DRAFT, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(theme.public_id): theme for theme in themes}
        self.action = action
        self.fields["suggested_theme"].choices = [
            *[(key, theme.name) for key, theme in self.themes.items()],
            ("", "Not sure: let the programme team choose"),
        ]
        if not themes:
            del self.fields["suggested_theme"]
        for name in ("title", "problem", "proposal"):
            _without_maxlength(self.fields[name])

    @property
    def submitting(self) -> bool:
        return self.action == SUBMIT

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for name, message in REQUIRED_TO_SUBMIT.items():
                if name not in self.errors and not (cleaned.get(name) or "").strip():
                    self.add_error(name, message)
        return cleaned

    def idea_fields(self) -> dict:
        """What `idea_save` takes from the form."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "problem": data["problem"],
            "proposal": data["proposal"],
            "suggested_theme": self.themes.get(data.get("suggested_theme") or ""),
            "show_author_name": data["show_author_name"],
            "attachments": data["attachments"],
            "submit": self.submitting,
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX,
        widget=_textarea(4),
        error_messages={
            "required": "Enter your comment",
            **_too_long("Your comment", COMMENT_MAX),
        },
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_maxlength(self.fields["body"])


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="Why should a moderator look at it? (optional)",
        required=False,
        widget=_textarea(2),
    )


class VoteForm(forms.Form):
    action = forms.ChoiceField(choices=[("vote", "Vote"), ("unvote", "Take back my vote")])


class FollowForm(forms.Form):
    action = forms.ChoiceField(choices=[("follow", "Follow"), ("unfollow", "Stop following")])


# --- The idea list's filters ---------------------------------------------------------------------

LISTED_STATUSES = [(s, IdeaStatus(s).label) for s in PUBLISHED_STATUSES]


class IdeaFilterForm(forms.Form):
    """The campaign page's filters, read from the query string (a GET form: no JavaScript)."""

    search = forms.CharField(label="Search ideas", required=False, max_length=200)
    theme = forms.ChoiceField(label="Theme", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *LISTED_STATUSES]
    )
    trust = forms.ChoiceField(label="Trust", required=False)
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=list(IDEA_SORTS.items()), initial="votes"
    )

    def __init__(self, *args, themes: list[Theme], trusts: list[Trust], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(theme.public_id): theme for theme in themes}
        self.trusts = {trust.slug: trust for trust in trusts}
        self.fields["theme"].choices = [
            ("", "All themes"),
            *[(key, theme.name) for key, theme in self.themes.items()],
        ]
        self.fields["trust"].choices = [
            ("", "All trusts"),
            *[(slug, trust.short_name) for slug, trust in self.trusts.items()],
        ]

    def filters(self) -> dict:
        """The `idea_list` arguments; the default list when the query string is not valid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["search"],
            "theme": self.themes.get(data["theme"]),
            "status": data["status"] or None,
            "trust": self.trusts.get(data["trust"]),
            "sort": data["sort"] or "votes",
        }

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the list (the sort order does not)."""
        filters = self.filters()
        return any(filters.get(key) for key in ("search", "theme", "status", "trust"))
