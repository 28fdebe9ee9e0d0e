"""Demand written straight to the rows, for the read-side tests (selectors, summary, exports).

The known demand on the open round (version 1 of `FIRST_SPECIFICATION`, whose mandatory items
cost 48,000 + 2,500 + 4 x 350 + 21,000 = £72,900.00 a vehicle, and whose one optional item,
EL-02, £900.00):

- LAS orders 4, 5 and 6 (15 units), chooses EL-02, has a variation on ST-01 of +£1,200.00
  approved and one on BV-02 of +£5,000.00 rejected:
  72,900 + 900 + 1,200 = £75,000.00 a vehicle, £1,125,000.00 in all;
- SECAmb orders 2, 2 and 2 (6 units), no options, a variation on EL-01 of +£300.00 pending:
  £72,900.00 a vehicle, £437,400.00 in all.

Together: 21 units (6, 7 and 8 a year), £1,562,400.00, £74,400.00 a vehicle on average.
Units share: only SECAmb's 6 units have no approved variation: 6 / 21 = 0.2857.
Items share: ST-01 (approved variation) and EL-02 (chosen by one trust of two) are not agreed;
BV-01, BV-02 and EL-01 are: 3 / 5 = 0.6000.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    RequirementStatus,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
    YearQuantity,
)


def make_requirement(
    round_: ProcurementRound,
    trust,
    author,
    units: list[int],
    *,
    options: list[str] | tuple[str, ...] = (),
    version: SpecificationVersion | None = None,
    confirmed: bool = False,
) -> TrustRequirement:
    requirement = TrustRequirement.objects.create(
        round=round_,
        trust=trust,
        version=version or round_.versions.order_by("-number").first(),
        optional_references=list(options),
        status=RequirementStatus.CONFIRMED if confirmed else RequirementStatus.DRAFT,
        updated_by=author,
        confirmed_by=author if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
    )
    YearQuantity.objects.bulk_create(
        YearQuantity(requirement=requirement, year=year, units=n)
        for year, n in zip(round_.years, units, strict=True)
    )
    return requirement


def make_variation(
    requirement: TrustRequirement,
    reference: str,
    cost: str,
    status: str,
    author,
    *,
    decider=None,
) -> VariationRequest:
    decided = status in (DecisionStatus.APPROVED, DecisionStatus.REJECTED)
    return VariationRequest.objects.create(
        requirement=requirement,
        reference=reference,
        version=requirement.version,
        instead=f"Our own choice for {reference}.",
        reason="Our fleet and crews need it.",
        cost_difference_per_vehicle=Decimal(cost),
        status=status,
        requested_by=author,
        decided_by=(decider or author) if decided else None,
        decided_at=timezone.now() if decided else None,
        decision_reason="Decided." if decided else "",
    )


@dataclass(frozen=True)
class KnownDemand:
    las: TrustRequirement
    secamb: TrustRequirement
    approved: VariationRequest
    rejected: VariationRequest
    pending: VariationRequest


def known_demand(round_, las, secamb, lead_of_las, lead_of_secamb, admin) -> KnownDemand:
    las_requirement = make_requirement(round_, las, lead_of_las, [4, 5, 6], options=["EL-02"])
    secamb_requirement = make_requirement(round_, secamb, lead_of_secamb, [2, 2, 2])
    return KnownDemand(
        las=las_requirement,
        secamb=secamb_requirement,
        approved=make_variation(
            las_requirement, "ST-01", "1200.00", DecisionStatus.APPROVED, lead_of_las, decider=admin
        ),
        rejected=make_variation(
            las_requirement, "BV-02", "5000.00", DecisionStatus.REJECTED, lead_of_las, decider=admin
        ),
        pending=make_variation(
            secamb_requirement, "EL-01", "300.00", DecisionStatus.PENDING, lead_of_secamb
        ),
    )
