"""Forms of the programme admins' side of staff ideas: campaigns, review, merging, moderation
and promotion into a joint project. They check the shape of input; the rules live in the
services (wellbeing.services), which answer with errors shown next to the fields."""

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from collab.models import Collaboration, Trust
from projects.forms import DateInput
from projects.models import Category, FundingModel, JointProject
from wellbeing.models import Campaign, Idea, IdeaStatus, Theme

NATIONAL = "national"


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CampaignForm(forms.Form):
    """A campaign's words, dates, live event and themes. The collaboration is chosen when the
    campaign is created and cannot change afterwards (pass `collaborations=None` to leave it
    out)."""

    collaboration = forms.ChoiceField(
        label="Who is the campaign for?",
        widget=forms.RadioSelect,
        help_text="Staff of the collaboration's member trusts can see it and take part.",
    )
    title = forms.CharField(label="Title", max_length=150)
    question = forms.CharField(
        label="The question staff are asked",
        max_length=300,
        widget=_textarea(2),
        help_text="For example: How can we best protect the wellbeing of ambulance staff?",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=_textarea(5),
        help_text="Why you are asking, and what happens to the ideas.",
    )
    opens_on = forms.DateField(label="Opens on", widget=DateInput())
    closes_on = forms.DateField(
        label="Ideas close on", widget=DateInput(), help_text="The last day ideas can be sent."
    )
    discussion_closes_on = forms.DateField(
        label="Voting and comments close on (optional)",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to keep voting and comments open after ideas close.",
    )
    live_event_on = forms.DateField(
        label="Live event date (optional)",
        required=False,
        widget=DateInput(),
        help_text="For example, a one-hour tweet chat.",
    )
    live_event_time = forms.TimeField(
        label="Live event start time (optional)",
        required=False,
        widget=TimeInput(),
        help_text="UK time, for example 19:00.",
    )
    live_event_minutes = forms.IntegerField(
        label="Live event length in minutes",
        min_value=5,
        max_value=600,
        initial=60,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )
    live_event_details = forms.CharField(
        label="Live event details (optional)",
        max_length=300,
        required=False,
        help_text="Where and how to join, for example: on Twitter, follow #ProjectA.",
    )
    themes = forms.CharField(
        label="Themes",
        widget=_textarea(8),
        help_text="One theme on each line. Staff suggest a theme for their idea; you can "
        "re-theme ideas later. A theme with ideas in it cannot be removed.",
    )

    def __init__(
        self,
        *args: Any,
        collaborations: Iterable[Collaboration] | None,
        national: bool = False,
        campaign: Campaign | None = None,
        **kwargs: Any,
    ) -> None:
        if campaign is not None:
            kwargs.setdefault("initial", self.initial_for(campaign))
        super().__init__(*args, **kwargs)
        if collaborations is None:
            del self.fields["collaboration"]
        else:
            choices = [(c.slug, c.name) for c in collaborations]
            if national:
                choices.append((NATIONAL, "National (all trusts)"))
            self.fields["collaboration"].choices = choices
            if len(choices) == 1 and not self.is_bound:
                self.initial.setdefault("collaboration", choices[0][0])
        self._collaborations = {c.slug: c for c in collaborations or []}

    @staticmethod
    def initial_for(campaign: Campaign) -> dict[str, Any]:
        live = timezone.localtime(campaign.live_event_at) if campaign.live_event_at else None
        return {
            "title": campaign.title,
            "question": campaign.question,
            "description": campaign.description,
            "opens_on": campaign.opens_on,
            "closes_on": campaign.closes_on,
            "discussion_closes_on": campaign.discussion_closes_on,
            "live_event_on": live.date() if live else None,
            "live_event_time": live.time() if live else None,
            "live_event_minutes": campaign.live_event_minutes,
            "live_event_details": campaign.live_event_details,
            "themes": "\n".join(theme.name for theme in campaign.themes.all()),
        }

    def clean_themes(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["themes"].splitlines()]
        names = [name for name in names if name]
        if not names:
            raise forms.ValidationError("Enter at least one theme, one on each line.")
        too_long = [name for name in names if len(name) > Theme._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError(
                f"“{too_long[0][:40]}…” is too long: a theme can be up to 120 characters."
            )
        return names

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        discussion = cleaned.get("discussion_closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "Ideas must close on or after the day the campaign opens.")
        if closes and discussion and discussion < closes:
            self.add_error(
                "discussion_closes_on",
                "Voting and comments must close on or after the day ideas close.",
            )
        day, time = cleaned.get("live_event_on"), cleaned.get("live_event_time")
        if day and not time and "live_event_time" not in self.errors:
            self.add_error("live_event_time", "Enter the time the live event starts.")
        if time and not day and "live_event_on" not in self.errors:
            self.add_error("live_event_on", "Enter the date of the live event.")
        return cleaned

    def collaboration_choice(self) -> Collaboration | None:
        """The chosen collaboration; None for a national campaign."""
        return self._collaborations.get(self.cleaned_data["collaboration"])

    def campaign_fields(self) -> dict[str, Any]:
        """The keyword arguments of campaign_create / campaign_update, themes aside."""
        data = self.cleaned_data
        live_event_at = None
        if data["live_event_on"] and data["live_event_time"]:
            live_event_at = timezone.make_aware(
                datetime.datetime.combine(data["live_event_on"], data["live_event_time"])
            )
        return {
            "title": data["title"],
            "question": data["question"],
            "description": data["description"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "discussion_closes_on": data["discussion_closes_on"],
            "live_event_at": live_event_at,
            "live_event_minutes": data["live_event_minutes"],
            "live_event_details": data["live_event_details"],
        }


class StatusForm(forms.Form):
    """Move an idea on: only to the statuses the review service allows next."""

    status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason (shown to everyone)",
        required=False,
        widget=_textarea(3),
        help_text="Needed when the idea is not taken forward. The author and the idea's "
        "followers are told.",
    )

    def __init__(self, *args: Any, next_statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, IdeaStatus(s).label) for s in next_statuses]


class ThemeForm(forms.Form):
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="No theme"
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = campaign.themes.all()
        self.fields["theme"].to_field_name = "public_id"


class IdeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Idea) -> str:
        votes = f"{obj.vote_count} vote{'' if obj.vote_count == 1 else 's'}"
        return f"{obj.title} ({obj.get_status_display().lower()}, {votes})"


class MergeForm(forms.Form):
    into = IdeaChoiceField(
        label="Merge into",
        queryset=Idea.objects.none(),
        empty_label="Choose an idea",
        to_field_name="public_id",
        help_text="Its votes and followers move across; someone who backed both counts once.",
    )
    reason = forms.CharField(
        label="Why are they the same idea? (shown to everyone)",
        widget=_textarea(3),
        help_text="The author and the idea's followers are told.",
    )

    def __init__(self, *args: Any, targets: Iterable[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets


class ModerationForm(forms.Form):
    decision = forms.TypedChoiceField(
        label="Your decision",
        choices=[("restore", "Restore it: everyone can read it again"), ("remove", "Remove it")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "restore",
    )
    reason = forms.CharField(
        label="Reason",
        widget=_textarea(2),
        help_text="Kept in the record with your decision.",
        error_messages={"required": "Give the reason for your decision."},
    )


# What a programme admin can choose on the promotion form: a weighted budget needs a weight
# for every member trust, which the project's own page asks for once the draft exists.
PROMOTION_FUNDING_MODELS = [FundingModel.EQUAL_SPLIT, FundingModel.LEAD_TRUST_FUNDED]


class PromoteForm(forms.ModelForm):
    """A shortlisted idea becomes a joint project draft: its terms, prefilled from the idea."""

    collaboration = forms.ModelChoiceField(
        label="Collaboration",
        queryset=Collaboration.objects.none(),
        empty_label="Choose a collaboration",
        help_text="The project is a draft of this collaboration until you open it for decisions.",
    )

    class Meta:
        model = JointProject
        fields = [
            "collaboration",
            "title",
            "summary",
            "category",
            "lead_trust",
            "terms",
            "funding_model",
            "total_budget",
            "staff_days_per_trust",
            "decision_deadline",
            "planned_start",
            "planned_end",
        ]
        labels = {"total_budget": "Total budget (£)", "lead_trust": "Lead trust"}
        help_texts = {
            "summary": "Two or three sentences: what the project does and why.",
            "lead_trust": "A member trust of the chosen collaboration.",
            "funding_model": "For a budget weighted between trusts, change the terms on the "
            "draft once it is made.",
        }
        widgets = {
            "summary": _textarea(4),
            "terms": _textarea(5),
            "funding_model": forms.RadioSelect,
            "decision_deadline": DateInput(),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
        }

    def __init__(
        self,
        *args: Any,
        idea: Idea,
        collaborations: Iterable[Collaboration],
        lead_trusts: Iterable[Trust],
        **kwargs: Any,
    ) -> None:
        collaborations = list(collaborations)
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("title", idea.title[:200])
        initial.setdefault("summary", idea.proposal[:1000])
        initial.setdefault("terms", self.terms_from(idea))
        initial.setdefault("category", Category.WORKFORCE_AND_WELLBEING)
        initial.setdefault("funding_model", FundingModel.EQUAL_SPLIT)
        if idea.campaign.collaboration_id in {c.pk for c in collaborations}:
            initial.setdefault("collaboration", idea.campaign.collaboration_id)
        super().__init__(*args, **kwargs)
        self.fields["collaboration"].queryset = Collaboration.objects.filter(
            pk__in=[c.pk for c in collaborations]
        ).order_by("name")
        self.fields["lead_trust"].queryset = Trust.objects.filter(
            pk__in=[t.pk for t in lead_trusts]
        ).order_by("name")
        self.fields["lead_trust"].empty_label = "Choose a member trust"
        self.fields["category"].choices = [("", "Choose a category"), *Category.choices]
        self.fields["funding_model"].choices = [
            (model.value, model.label) for model in PROMOTION_FUNDING_MODELS
        ]

    @staticmethod
    def terms_from(idea: Idea) -> str:
        return (
            f"Each trust that joins tests “{idea.title}” with its own staff, as a member of staff "
            f"proposed it in “{idea.campaign.title}”: it names a lead, gives the staff time "
            "agreed below, and reports back what changed for its staff."
        )

    def terms(self) -> dict[str, Any]:
        """The project terms for idea_promote (collaboration and lead trust apart)."""
        names = [n for n in self.Meta.fields if n not in ("collaboration", "lead_trust")]
        return {name: self.cleaned_data[name] for name in names}
