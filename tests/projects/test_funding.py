"""How a project's budget is shared between the committed trusts: pounds and pence, exactly."""

from decimal import Decimal

import pytest

from projects.funding import PENNY, cost_shares
from projects.models import FundingModel

LAS, SECAMB, SCAS, SWAST = 11, 12, 13, 14


def test_an_equal_split_gives_each_trust_the_same_share():
    shares = cost_shares(
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("120000.00"),
        lead_trust_id=LAS,
        weights={LAS: Decimal(1), SECAMB: Decimal(1)},
    )
    assert shares == {LAS: Decimal("60000.00"), SECAMB: Decimal("60000.00")}


def test_an_equal_split_ignores_the_weights():
    shares = cost_shares(
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("90000.00"),
        lead_trust_id=LAS,
        weights={LAS: Decimal(5), SECAMB: Decimal(1), SCAS: Decimal("0.5")},
    )
    assert set(shares.values()) == {Decimal("30000.00")}


def test_the_pennies_left_by_rounding_go_to_the_lead_trust():
    # £100,000 over three trusts: £33,333.33 each leaves a penny over.
    shares = cost_shares(
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("100000.00"),
        lead_trust_id=SECAMB,
        weights={LAS: Decimal(1), SECAMB: Decimal(1), SCAS: Decimal(1)},
    )
    assert shares == {
        LAS: Decimal("33333.33"),
        SECAMB: Decimal("33333.34"),
        SCAS: Decimal("33333.33"),
    }
    assert sum(shares.values()) == Decimal("100000.00")


def test_without_the_lead_trust_the_pennies_go_to_the_first_trust():
    shares = cost_shares(
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("100000.00"),
        lead_trust_id=SWAST,
        weights={SCAS: Decimal(1), LAS: Decimal(1), SECAMB: Decimal(1)},
    )
    assert shares == {
        LAS: Decimal("33333.34"),
        SECAMB: Decimal("33333.33"),
        SCAS: Decimal("33333.33"),
    }


def test_a_weighted_split_follows_the_weights():
    shares = cost_shares(
        funding_model=FundingModel.WEIGHTED,
        total_budget=Decimal("100000.00"),
        lead_trust_id=LAS,
        weights={LAS: Decimal(2), SECAMB: Decimal(1), SCAS: Decimal(1)},
    )
    assert shares == {
        LAS: Decimal("50000.00"),
        SECAMB: Decimal("25000.00"),
        SCAS: Decimal("25000.00"),
    }


def test_a_weighted_split_with_uneven_weights_still_adds_up():
    # 1 : 1 : 1.5 of £100,000 is £28,571.428..., twice, and £42,857.142...
    shares = cost_shares(
        funding_model=FundingModel.WEIGHTED,
        total_budget=Decimal("100000.00"),
        lead_trust_id=SCAS,
        weights={LAS: Decimal(1), SECAMB: Decimal(1), SCAS: Decimal("1.5")},
    )
    assert shares == {
        LAS: Decimal("28571.42"),
        SECAMB: Decimal("28571.42"),
        SCAS: Decimal("42857.16"),
    }


def test_weights_given_as_text_are_read_as_numbers():
    shares = cost_shares(
        funding_model=FundingModel.WEIGHTED,
        total_budget=Decimal("1000.00"),
        lead_trust_id=LAS,
        weights={LAS: "3", SECAMB: "1"},
    )
    assert shares == {LAS: Decimal("750.00"), SECAMB: Decimal("250.00")}


def test_a_lead_trust_funded_project_is_paid_for_by_the_lead_trust_alone():
    shares = cost_shares(
        funding_model=FundingModel.LEAD_TRUST_FUNDED,
        total_budget=Decimal("250000.00"),
        lead_trust_id=SECAMB,
        weights={LAS: Decimal(1), SECAMB: Decimal(1), SCAS: Decimal(3)},
    )
    assert shares == {
        LAS: Decimal("0.00"),
        SECAMB: Decimal("250000.00"),
        SCAS: Decimal("0.00"),
    }


@pytest.mark.parametrize("model", list(FundingModel))
def test_with_no_committed_trust_there_are_no_shares(model):
    assert (
        cost_shares(
            funding_model=model, total_budget=Decimal("5000.00"), lead_trust_id=LAS, weights={}
        )
        == {}
    )


def test_a_project_with_no_budget_costs_nobody_anything():
    shares = cost_shares(
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("0.00"),
        lead_trust_id=LAS,
        weights={LAS: Decimal(1), SECAMB: Decimal(1)},
    )
    assert shares == {LAS: Decimal("0.00"), SECAMB: Decimal("0.00")}


BUDGETS = ["0.01", "0.02", "1.00", "99.99", "100000.00", "100000.01", "123456.78", "9999999999.99"]


@pytest.mark.parametrize(
    ("model", "lead_committed"),
    [
        (FundingModel.EQUAL_SPLIT, True),
        (FundingModel.EQUAL_SPLIT, False),
        (FundingModel.WEIGHTED, True),
        (FundingModel.WEIGHTED, False),
        # A lead-funded project never runs without its lead trust: the services refuse it.
        (FundingModel.LEAD_TRUST_FUNDED, True),
    ],
)
def test_shares_always_add_up_exactly_to_the_budget(model, lead_committed):
    checked = 0
    for budget_text in BUDGETS:
        budget = Decimal(budget_text)
        for count in range(1, 11):
            trust_ids = list(range(100, 100 + count))
            # Uneven weights, from 0.25 to 3.00, so the split is rarely exact.
            weights = {t: Decimal(25 + (t * 37) % 276) / 100 for t in trust_ids}
            lead = trust_ids[count // 2] if lead_committed else 99
            shares = cost_shares(
                funding_model=model, total_budget=budget, lead_trust_id=lead, weights=weights
            )

            assert set(shares) == set(trust_ids)
            assert sum(shares.values()) == budget, (budget, count)
            for trust_id, share in shares.items():
                assert share >= 0
                assert share == share.quantize(PENNY)
                if model == FundingModel.LEAD_TRUST_FUNDED:
                    assert share == (budget if trust_id == lead else 0)
                    continue
                basis = weights if model == FundingModel.WEIGHTED else dict.fromkeys(weights, 1)
                exact = budget * basis[trust_id] / sum(basis.values())
                receiver = lead if lead_committed else min(trust_ids)
                if trust_id == receiver:
                    # Rounding leaves less than a penny per trust over, all to one trust.
                    assert exact - PENNY < share < exact + PENNY * count
                else:
                    assert exact - PENNY < share <= exact
            checked += 1
    assert checked == len(BUDGETS) * 10
