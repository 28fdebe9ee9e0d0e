"""How a project's budget is shared between the trusts that are committed to it."""

from decimal import ROUND_DOWN, Decimal

from projects.models import FundingModel

PENNY = Decimal("0.01")


def cost_shares(
    *,
    funding_model: str,
    total_budget: Decimal,
    lead_trust_id: int,
    weights: dict[int, Decimal],
) -> dict[int, Decimal]:
    """Each committed trust's share, in pounds and pence, adding up exactly to the budget.

    `weights` holds one entry per committed trust (its funding weight). Pennies left over by
    rounding down go to the lead trust if it is committed, otherwise to the first trust, so the
    shares always sum to the total.
    """
    if not weights:
        return {}
    if funding_model == FundingModel.LEAD_TRUST_FUNDED:
        return {
            trust_id: (total_budget if trust_id == lead_trust_id else Decimal("0.00"))
            for trust_id in weights
        }
    if funding_model == FundingModel.WEIGHTED:
        basis = {trust_id: Decimal(weight) for trust_id, weight in weights.items()}
    else:
        basis = dict.fromkeys(weights, Decimal(1))
    basis_total = sum(basis.values())
    shares = {
        trust_id: (total_budget * part / basis_total).quantize(PENNY, rounding=ROUND_DOWN)
        for trust_id, part in basis.items()
    }
    remainder = total_budget - sum(shares.values())
    receiver = lead_trust_id if lead_trust_id in shares else min(shares)
    shares[receiver] += remainder
    return shares
