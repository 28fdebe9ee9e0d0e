"""Forms for joint procurement. They check the shape of input; the rules live in the services."""

from decimal import Decimal

from django import forms

from procurement.models import (
    ItemKind,
    LineItem,
    ProcurementRound,
    SpecificationSection,
    SpecificationVersion,
)
from procurement.services.common import MAX_UNITS_PER_YEAR


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _number(width: int, step: str = "1") -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": f"nhsuk-input--width-{width}", "step": step})


def pounds(value: Decimal) -> str:
    return f"£{value:,.2f}"


class RoundForm(forms.ModelForm):
    """A round: what is bought, until when trusts can confirm, and (when new) the delivery
    years, which fix the shape of every trust's order and are set once."""

    first_delivery_year = forms.IntegerField(
        label="First delivery year",
        min_value=2000,
        max_value=2100,
        help_text="The financial year the first vehicles are delivered in, for example 2027.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
    )
    delivery_years = forms.IntegerField(
        label="Number of delivery years",
        min_value=1,
        max_value=10,
        initial=3,
        help_text="How many years of deliveries the round covers, from 1 to 10.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}),
    )

    class Meta:
        model = ProcurementRound
        fields = ["title", "description", "closing_date", "first_delivery_year", "delivery_years"]
        labels = {
            "title": "Title",
            "description": "What is being bought together",
            "closing_date": "Closing date",
        }
        help_texts = {
            "title": "For example: Double-crewed ambulances 2027 to 2030.",
            "description": "What is being bought together, and the standards it builds on. "
            "Every participating trust reads this.",
            "closing_date": "The last day each trust can confirm its final order.",
        }
        widgets = {"description": _textarea(4), "closing_date": DateInput()}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["first_delivery_year"]
            del self.fields["delivery_years"]


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Section title",
        max_length=120,
        help_text="For example: Infection prevention and control.",
    )


class LineItemForm(forms.ModelForm):
    class Meta:
        model = LineItem
        fields = [
            "section",
            "reference",
            "requirement",
            "kind",
            "unit",
            "quantity_per_vehicle",
            "estimated_unit_cost",
        ]
        labels = {
            "section": "Section",
            "reference": "Reference",
            "requirement": "Requirement",
            "kind": "Is this item mandatory?",
            "unit": "Unit",
            "quantity_per_vehicle": "Quantity per vehicle",
            "estimated_unit_cost": "Estimated unit cost (£)",
        }
        help_texts = {
            "reference": "A short code that stays the same in every version, for example EL-04.",
            "requirement": "What the item must do or be, as the supplier will read it.",
            "kind": "Every vehicle has the mandatory items. Each trust chooses the optional ones.",
        }
        widgets = {
            "reference": forms.TextInput(
                attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}
            ),
            "requirement": _textarea(3),
            "kind": forms.RadioSelect,
            "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
            "quantity_per_vehicle": _number(5, "0.01"),
            "estimated_unit_cost": _number(10, "0.01"),
        }

    def __init__(self, *args, version: SpecificationVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = SpecificationSection.objects.filter(version=version)
        self.fields["section"].empty_label = "Choose a section"
        self.fields["kind"].choices = [
            (ItemKind.MANDATORY, "Mandatory: every vehicle has it"),
            (ItemKind.OPTIONAL, "Optional: each trust chooses"),
        ]

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class PublishForm(forms.Form):
    change_summary = forms.CharField(
        label="What changed since the previous version, and why",
        widget=_textarea(4),
        required=False,
        help_text="Every participating trust is told about the new version with this summary. "
        "Not needed for the first version.",
    )


class RequirementForm(forms.Form):
    """A trust's order: a number of vehicles per delivery year and the optional items."""

    def __init__(self, *args, years: list[int], optional_items: list[LineItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[self.year_field(year)] = forms.IntegerField(
                label=f"Vehicles for delivery in {year}",
                min_value=0,
                max_value=MAX_UNITS_PER_YEAR,
                initial=0,
                error_messages={
                    "required": f"Enter the number of vehicles for {year}, or 0.",
                    "invalid": f"Enter the number of vehicles for {year} as a whole number.",
                    "min_value": f"The number of vehicles for {year} cannot be less than 0.",
                    "max_value": f"The number of vehicles for {year} must be "
                    f"{MAX_UNITS_PER_YEAR} or fewer.",
                },
                widget=forms.NumberInput(
                    attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}
                ),
            )
        if optional_items:
            self.fields["optional_references"] = forms.MultipleChoiceField(
                label="Optional items your trust wants",
                required=False,
                choices=[
                    (
                        item.reference,
                        f"{item.reference}: {item.requirement} "
                        f"(adds {pounds(item.cost_per_vehicle)} per vehicle)",
                    )
                    for item in optional_items
                ],
                widget=forms.CheckboxSelectMultiple,
                help_text="Each adds its cost to every vehicle your trust orders.",
            )

    @staticmethod
    def year_field(year: int) -> str:
        return f"units_{year}"

    def year_fields(self):
        return [self[self.year_field(year)] for year in self.years]

    def other_fields(self):
        names = {self.year_field(year) for year in self.years}
        return [field for field in self if field.name not in names]

    def quantities(self) -> dict[int, int]:
        return {year: self.cleaned_data[self.year_field(year)] for year in self.years}

    def optional_references(self) -> list[str]:
        return list(self.cleaned_data.get("optional_references") or [])

    @classmethod
    def initial_for(cls, requirement, years: list[int]) -> dict:
        """The form filled in from a saved requirement (or a change request's wishes)."""
        if requirement is None:
            return {}
        units = {q.year: q.units for q in requirement.quantities.all()}
        initial = {cls.year_field(year): units.get(year, 0) for year in years}
        initial["optional_references"] = list(requirement.optional_references)
        return initial


class ChangeRequestForm(RequirementForm):
    """After confirming, a change to the order is asked for: the order as it should be, and why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label="Why does your trust need to change its confirmed order?",
            widget=_textarea(3),
            help_text="The programme admins decide. The other participating trusts can read this.",
        )


class VariationForm(forms.Form):
    reference = forms.ChoiceField(label="Line item")
    instead = forms.CharField(label="What your trust wants instead", widget=_textarea(3))
    reason = forms.CharField(
        label="Why",
        widget=_textarea(3),
        help_text="For example, a local road layout or a clinical need. The programme admins "
        "and the other participating trusts can read this.",
    )
    cost_difference_per_vehicle = forms.DecimalField(
        label="Cost difference per vehicle (£)",
        max_digits=12,
        decimal_places=2,
        help_text="Negative when the variation costs less than the common specification, for "
        "example -250.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "step": "0.01"}),
    )

    def __init__(self, *args, items: list[LineItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = [
            ("", "Choose a line item"),
            *[(item.reference, f"{item.reference}: {item.requirement}") for item in items],
        ]


class ConfirmForm(forms.Form):
    confirmed = forms.BooleanField(
        label="I confirm this is my trust's final order",
        required=False,
        help_text="A confirmed order binds your trust. After this, a change is a request that "
        "the programme admins decide.",
    )

    def clean_confirmed(self) -> bool:
        if not self.cleaned_data.get("confirmed"):
            raise forms.ValidationError("Tick the box to confirm your trust's final order.")
        return True


class DecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "approve",
        error_messages={"required": "Choose approve or reject."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=_textarea(3),
        help_text="The trust and the other participating trusts can read this.",
        error_messages={"required": "Enter the reason for your decision."},
    )


class VersionPickForm(forms.Form):
    """The changes page: the two versions to compare, from the query string."""

    from_ = forms.TypedChoiceField(label="Compare version", coerce=int)
    to = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, versions: list[SpecificationVersion], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (v.number, f"Version {v.number}{' (draft)' if v.is_draft else ''}") for v in versions
        ]
        self.fields["from_"].choices = choices
        self.fields["to"].choices = choices

    def add_prefix(self, field_name: str) -> str:
        # The query string says ?from=1&to=2; `from` is a Python keyword.
        return "from" if field_name == "from_" else super().add_prefix(field_name)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_") is not None and cleaned.get("from_") == cleaned.get("to"):
            self.add_error("to", "Choose two different versions to compare.")
        return cleaned
