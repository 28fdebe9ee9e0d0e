"""Words and colours for the statuses of procurement: always both, never colour alone."""

from decimal import Decimal

from django import template

from procurement.models import DecisionStatus, RequirementStatus, RoundStatus, VersionStatus
from procurement.versions import quantity_text

register = template.Library()

_COLOURS = {
    ("round", RoundStatus.DRAFT): "grey",
    ("round", RoundStatus.OPEN): "blue",
    ("round", RoundStatus.CLOSED): "purple",
    ("version", VersionStatus.DRAFT): "yellow",
    ("version", VersionStatus.PUBLISHED): "green",
    ("requirement", RequirementStatus.DRAFT): "yellow",
    ("requirement", RequirementStatus.CONFIRMED): "green",
    ("requirement", "none"): "grey",
    ("decision", DecisionStatus.PENDING): "yellow",
    ("decision", DecisionStatus.APPROVED): "green",
    ("decision", DecisionStatus.REJECTED): "red",
    ("decision", DecisionStatus.WITHDRAWN): "grey",
}


@register.filter
def procurement_colour(status: str, kind: str) -> str:
    """The nhsuk-tag modifier for a round, version, requirement or request status."""
    return _COLOURS.get((kind, status), "grey")


@register.filter
def quantity(value: Decimal) -> str:
    """1, 2.5 or 0.25: a quantity per vehicle without trailing zeros."""
    return quantity_text(value)


@register.filter
def signed_pounds(value: Decimal | None) -> str:
    """+£1,200.00 or −£250.00: a cost difference, with its sign in words' place."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


@register.filter
def percent(value: Decimal | None) -> str:
    """A percentage already computed (87.5), or 'not yet known' when there is no figure."""
    if value is None:
        return "not yet known"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
