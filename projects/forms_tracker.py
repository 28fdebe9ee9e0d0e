"""The commitment tracker's filters: small GET forms whose cleaned values become `TrackerFilters`.

Every field is optional. A value that is not one of the choices is an error shown next to its
field; the other filters still apply.
"""

from django import forms

from collab.models import Trust
from projects.models import Category, CommitmentStatus, ProjectStatus
from projects.tracker import RAGS, TrackerFilters


class _TrackerFilterForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG",
        required=False,
        choices=[("", "Any RAG"), *((rag.value, rag.label) for rag in RAGS)],
        error_messages={"invalid_choice": "Select red, amber or green, or any RAG"},
    )
    trust = forms.ChoiceField(
        label="Trust",
        required=False,
        error_messages={"invalid_choice": "Select a trust from the list, or any trust"},
    )

    def __init__(self, data, *, trusts: list[Trust]) -> None:
        super().__init__(data)
        self.trusts = trusts
        self.fields["trust"].choices = [
            ("", "Any trust"),
            *((trust.slug, trust.short_name) for trust in trusts),
        ]

    # Which TrackerFilters field the form's own `status` field fills.
    status_filter = ""

    def filters(self) -> TrackerFilters:
        """The filters to apply: the valid ones, once `is_valid()` has run."""
        data = getattr(self, "cleaned_data", {})
        return TrackerFilters(
            rag=data.get("rag", ""),
            trust=data.get("trust", ""),
            category=data.get("category", ""),
            **{self.status_filter: data.get("status", "")},
        )


class CollaborationTrackerFilterForm(_TrackerFilterForm):
    status = forms.ChoiceField(
        label="Project status",
        required=False,
        choices=[
            ("", "Any status"),
            *(
                (value, label)
                for value, label in ProjectStatus.choices
                if value != ProjectStatus.DRAFT
            ),
        ],
        error_messages={"invalid_choice": "Select a project status from the list, or any status"},
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "Any category"), *Category.choices],
        error_messages={"invalid_choice": "Select a category from the list, or any category"},
    )

    status_filter = "project_status"


class ProjectTrackerFilterForm(_TrackerFilterForm):
    status = forms.ChoiceField(
        label="Commitment status",
        required=False,
        choices=[("", "Any status"), *CommitmentStatus.choices],
        error_messages={
            "invalid_choice": "Select a commitment status from the list, or any status"
        },
    )

    status_filter = "commitment_status"
