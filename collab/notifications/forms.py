"""The email preferences form: one question per category. The rules live in inbox.py."""

from django import forms

from collab.models import EmailFrequency, NotificationCategory


def lower_first(text: str) -> str:
    """'Trusts deciding on projects you run' -> 'trusts deciding on projects you run'."""
    return text[:1].lower() + text[1:]


class PreferencesForm(forms.Form):
    """A set of radios per notification category, each preselected with the current choice."""

    def __init__(self, *args, current: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for category in NotificationCategory:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=EmailFrequency.choices,
                widget=forms.RadioSelect,
                initial=current[category.value],
                error_messages={
                    "required": f"Select how often to email you about "
                    f"{lower_first(category.label)}.",
                    "invalid_choice": f"Select how often to email you about "
                    f"{lower_first(category.label)}.",
                },
            )

    def choices(self) -> dict[str, str]:
        return {category: self.cleaned_data[category] for category in NotificationCategory.values}
