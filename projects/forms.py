"""Forms for joint projects. They check the shape of input; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.conf import settings

from collab.models import Collaboration, Trust
from projects.models import (
    TRUST_SETTABLE_STATUSES,
    BenefitKind,
    Category,
    CommitmentUpdate,
    FundingModel,
    JointProject,
    Milestone,
    ProjectStatus,
)
from projects.selectors import contacts_for_trust


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ProjectForm(forms.ModelForm):
    """The terms of a project. A weight field appears per member trust for weighted funding."""

    class Meta:
        model = JointProject
        fields = [
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
        labels = {
            "total_budget": "Total budget (£)",
            "lead_trust": "Lead trust",
        }
        help_texts = {
            "summary": "Two or three sentences: what the project does and why.",
            "total_budget": "Shared between the trusts that join, by the funding model.",
        }
        widgets = {
            "summary": _textarea(3),
            "terms": _textarea(5),
            "funding_model": forms.RadioSelect,
            "decision_deadline": DateInput(),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
        }

    def __init__(self, *args, collaboration: Collaboration, member_trusts: list[Trust], **kwargs):
        super().__init__(*args, **kwargs)
        self.collaboration = collaboration
        self.member_trusts = member_trusts
        self.fields["lead_trust"].queryset = Trust.objects.filter(
            pk__in=[t.pk for t in member_trusts]
        )
        self.fields["lead_trust"].empty_label = "Choose a member trust"
        self.fields["category"].choices = [("", "Choose a category"), *Category.choices]
        weights = self.instance.funding_weights if self.instance.pk else {}
        for trust in member_trusts:
            self.fields[self.weight_field(trust)] = forms.DecimalField(
                label=f"Weight for {trust.short_name}",
                min_value=Decimal("0.01"),
                max_digits=8,
                decimal_places=2,
                required=False,
                initial=weights.get(str(trust.pk), 1),
                help_text="Only used when the budget is weighted. For example, by population "
                "served.",
                widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "step": "0.01"}),
            )

    @staticmethod
    def weight_field(trust: Trust) -> str:
        return f"weight_{trust.slug}"

    def weight_fields(self):
        return [self[self.weight_field(trust)] for trust in self.member_trusts]

    def term_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("funding_model") == FundingModel.WEIGHTED:
            for trust in self.member_trusts:
                name = self.weight_field(trust)
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, f"Enter a weight for {trust.short_name}.")
        return cleaned

    def funding_weights(self) -> dict[str, str]:
        if self.cleaned_data.get("funding_model") != FundingModel.WEIGHTED:
            return {}
        return {
            str(trust.pk): str(self.cleaned_data[self.weight_field(trust)])
            for trust in self.member_trusts
        }

    def terms(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["funding_weights"] = self.funding_weights()
        return values


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "deliverable", "due_on"]
        labels = {"due_on": "Due date"}
        widgets = {"deliverable": _textarea(3), "due_on": DateInput()}


class ReasonForm(forms.Form):
    """Closing a project: the reason is kept in the record."""

    reason = forms.CharField(
        label="Why is the project closing?",
        widget=_textarea(3),
        help_text="Every member trust can read this.",
    )


class DecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label="Will your trust join this project?",
        choices=[("in", "Yes, opt in"), ("out", "No, opt out")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "in",
    )
    reason = forms.CharField(
        label="Reason for your decision",
        widget=_textarea(3),
        help_text="The other member trusts and the programme admins can read this.",
    )
    contact = forms.ModelChoiceField(
        label="Your trust's contact for this project",
        queryset=None,
        required=False,
        empty_label="Choose a person",
        help_text="They own your trust's commitments unless you choose someone else.",
    )
    confirmed = forms.BooleanField(
        label="I confirm that my trust will see this project through if it joins",
        required=False,
        help_text="Needed to opt in. After the project starts, leaving needs the programme "
        "admins' approval.",
    )

    def __init__(self, *args, trust: Trust, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts_for_trust(trust)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") is True and not cleaned.get("confirmed"):
            self.add_error(
                "confirmed", "Confirm that your trust will see the project through if it joins."
            )
        if cleaned.get("decision") is True and not cleaned.get("contact"):
            self.add_error("contact", "Choose your trust's contact for the project.")
        return cleaned


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label="Why does your trust want to withdraw?", widget=_textarea(3))
    impact = forms.CharField(
        label="What would withdrawing mean for the project and the other trusts?",
        widget=_textarea(4),
        help_text="For example, work that would need to be picked up, or data no longer shared.",
    )


class LateJoinForm(forms.Form):
    reason = forms.CharField(label="Why does your trust want to join now?", widget=_textarea(3))
    contact = forms.ModelChoiceField(
        label="Your trust's contact for this project", queryset=None, empty_label="Choose a person"
    )
    confirmed = forms.BooleanField(
        label="I confirm that my trust will see this project through if it joins",
        error_messages={
            "required": "Confirm that your trust will see the project through if it joins."
        },
    )

    def __init__(self, *args, trust: Trust, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts_for_trust(trust)


class RequestDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "approve",
    )
    reason = forms.CharField(
        label="Reason",
        widget=_textarea(3),
        help_text="The trust and the other member trusts can read this.",
    )


class CommitmentUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in TRUST_SETTABLE_STATUSES],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Update note",
        widget=_textarea(4),
        required=False,
        help_text="What has happened since the last update. Needed when the work is blocked.",
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        # The model's own checks (file type, size limit), so a refused file is answered next to
        # the field instead of failing in the service's full_clean().
        validators=CommitmentUpdate._meta.get_field("evidence").validators,
        help_text=(
            "A PDF, image or office document up to "
            f"{settings.PORTAL_EVIDENCE_MAX_BYTES // 1_048_576} MB."
        ),
    )
    owner = forms.ModelChoiceField(label="Owner", queryset=None, required=False, empty_label=None)

    def __init__(self, *args, trust: Trust, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = contacts_for_trust(trust)


class CommitmentReviewForm(forms.Form):
    decision = forms.TypedChoiceField(
        label="Is this commitment delivered?",
        choices=[("accept", "Yes, accept it"), ("send_back", "No, send it back")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "accept",
    )
    reason = forms.CharField(
        label="Note to the trust",
        widget=_textarea(3),
        required=False,
        help_text="Needed when you send it back: say what is missing.",
    )


class BenefitForm(forms.Form):
    staff_hours_released = forms.DecimalField(
        label="Staff hours released", min_value=0, max_digits=10, decimal_places=1, initial=0
    )
    money_saved = forms.DecimalField(
        label="Money saved (£)", min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    measure = forms.CharField(
        label="Other measure (optional)",
        max_length=300,
        required=False,
        help_text="For example: 12% fewer conveyances for falls.",
    )


class ProjectFilterForm(forms.Form):
    """The project list's filters, read from the query string."""

    search = forms.CharField(label="Search by title", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Category", choices=[("", "All categories"), *Category.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "All statuses"), *ProjectStatus.choices], required=False
    )
    collaboration = forms.ChoiceField(label="Collaboration", required=False)

    def __init__(self, *args, collaborations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaboration"].choices = [
            ("", "All collaborations"),
            *[(c.slug, c.name) for c in collaborations],
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {
            "search": self.cleaned_data["search"],
            "category": self.cleaned_data["category"],
            "status": self.cleaned_data["status"],
            "collaboration_slug": self.cleaned_data["collaboration"],
        }


BENEFIT_KINDS = {kind.value: kind for kind in BenefitKind}
