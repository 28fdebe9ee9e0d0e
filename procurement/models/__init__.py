from procurement.models.requirement import (
    DecisionStatus,
    RequirementChangeRequest,
    RequirementStatus,
    TrustRequirement,
    VariationRequest,
    YearQuantity,
)
from procurement.models.round import ProcurementRound, RoundStatus
from procurement.models.specification import (
    STANDARD_SECTIONS,
    ItemKind,
    LineItem,
    SpecificationSection,
    SpecificationVersion,
    VersionStatus,
)

__all__ = [
    "STANDARD_SECTIONS",
    "DecisionStatus",
    "ItemKind",
    "LineItem",
    "ProcurementRound",
    "RequirementChangeRequest",
    "RequirementStatus",
    "RoundStatus",
    "SpecificationSection",
    "SpecificationVersion",
    "TrustRequirement",
    "VariationRequest",
    "VersionStatus",
    "YearQuantity",
]
