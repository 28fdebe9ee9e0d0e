"""Southern projects at each stage of their life, built through the services as people would.

Dates hang off today: decisions close in 14 days, the project runs from day 21 for a year,
with milestones on days 51 and 111.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import Category, FundingModel
from projects.services import (
    milestone_save,
    participation_decide,
    project_create,
    project_open,
    project_start,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def draft_project(southern, admin_of_southern, las):
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=las,
        title="AI triage evaluation",
        summary="Evaluate AI-assisted triage of 999 calls across the southern trusts.",
        category=Category.AI_AND_DIGITAL,
        terms="Each trust shares call data and gives clinical time to the evaluation.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("120000.00"),
        staff_days_per_trust=20,
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(386),
    )
    for title, due in (("Data sharing agreement signed", 51), ("Evaluation report", 111)):
        milestone_save(
            project=project,
            actor=admin_of_southern,
            title=title,
            deliverable=f"{title}, by each trust.",
            due_on=days(due),
        )
    return project


@pytest.fixture
def open_project(draft_project, admin_of_southern):
    return project_open(project=draft_project, actor=admin_of_southern)


@pytest.fixture
def las_participation(open_project, las):
    return open_project.participations.get(trust=las)


@pytest.fixture
def secamb_participation(open_project, secamb):
    return open_project.participations.get(trust=secamb)


@pytest.fixture
def active_project(open_project, las_participation, lead_of_las, admin_of_southern):
    """Active, with LAS committed and SECAmb not joined."""
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="Triage is our top priority.",
        contact=lead_of_las,
        confirmed=True,
    )
    return project_start(project=open_project, actor=admin_of_southern)


@pytest.fixture
def active_project_both(
    open_project,
    las_participation,
    secamb_participation,
    lead_of_las,
    lead_of_secamb,
    admin_of_southern,
):
    """Active, with both LAS and SECAmb committed."""
    for participation, lead in (
        (las_participation, lead_of_las),
        (secamb_participation, lead_of_secamb),
    ):
        participation_decide(
            participation=participation,
            actor=lead,
            opt_in=True,
            reason="We are in.",
            contact=lead,
            confirmed=True,
        )
    return project_start(project=open_project, actor=admin_of_southern)
