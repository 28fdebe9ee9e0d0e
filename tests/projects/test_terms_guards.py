"""Guards on the terms that keep a project startable: weights above zero, a milestone kept."""

from decimal import Decimal

import pytest

from projects.errors import TransitionRefused
from projects.models import FundingModel
from projects.services import milestone_remove, project_update_terms


def test_a_weighted_budget_refuses_a_weight_of_zero(draft_project, admin_of_southern, las, secamb):
    with pytest.raises(TransitionRefused, match="weight above 0"):
        project_update_terms(
            project=draft_project,
            actor=admin_of_southern,
            funding_model=FundingModel.WEIGHTED,
            funding_weights={str(las.pk): "2", str(secamb.pk): "0"},
        )

    draft_project.refresh_from_db()
    assert draft_project.funding_model == FundingModel.EQUAL_SPLIT


def test_a_weighted_budget_with_positive_weights_is_accepted(
    draft_project, admin_of_southern, las, secamb
):
    project = project_update_terms(
        project=draft_project,
        actor=admin_of_southern,
        funding_model=FundingModel.WEIGHTED,
        funding_weights={str(las.pk): "2", str(secamb.pk): "1"},
    )

    assert project.weight_for(las.pk) == Decimal("2")


def test_an_open_project_keeps_its_last_milestone(open_project, admin_of_southern):
    first, last = list(open_project.milestones.all())
    milestone_remove(milestone=first, actor=admin_of_southern)

    with pytest.raises(TransitionRefused, match="at least one milestone"):
        milestone_remove(milestone=last, actor=admin_of_southern)

    assert open_project.milestones.count() == 1
