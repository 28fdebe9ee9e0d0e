"""Render Django form widgets with the NHS.UK design system's classes and ARIA links."""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

_CLASS_BY_WIDGET = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.ClearableFileInput: "nhsuk-file-upload",
    forms.FileInput: "nhsuk-file-upload",
}


def _base_class(widget: forms.Widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in _CLASS_BY_WIDGET:
            return _CLASS_BY_WIDGET[widget_type]
    return "nhsuk-input"


def described_by(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def nhsuk_widget(field: forms.BoundField) -> SafeString:
    base = _base_class(field.field.widget)
    classes = [base, field.field.widget.attrs.get("class", "")]
    if field.errors and base in ("nhsuk-input", "nhsuk-textarea", "nhsuk-select"):
        classes.append(f"{base}--error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described := described_by(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter
def widget_kind(field: forms.BoundField) -> str:
    """Which markup pattern the field needs: radios, checkboxes, a single checkbox or a box."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if widget.is_hidden:
        return "hidden"
    return "input"


@register.filter
def field_describedby(field: forms.BoundField) -> str:
    return described_by(field)


@register.filter
def error_anchor(field: forms.BoundField) -> str:
    """The id an error summary link should jump to: the first option of a radio group."""
    if widget_kind(field) in ("radios", "checkboxes"):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id
