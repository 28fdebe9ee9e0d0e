"""Demo joint projects: the Southern collaboration's projects in every state, and one Northern.

`seed_demo_projects` builds each project through `projects.services`, as the programme admins
and trust leads would through the portal, so every project has a real audit timeline: decisions
with reasons, a change of mind, withdrawal and late-join requests, commitment updates with
notes, commitments accepted and sent back, benefits expected and realised.

- AI-assisted 999 triage evaluation (Southern, weighted funding): active, with commitments
  overdue (red), due within 14 days (amber) and later (green).
- Common double-crewed ambulance specification (Southern, equal split): open for decisions,
  some trusts decided.
- Harmonised driver training and recognition between trusts (Southern, equal split): draft.
- Occupational health and wellbeing (Southern, lead-trust funded): completed, every commitment
  accepted, benefits expected and realised.
- Northern staff passport and shared bank (Northern, equal split): active, a withdrawal
  waiting for a decision.

Loading is idempotent: each project is found by its fixed slug and, if it exists, left alone.
The demo accounts (collab.demo_data) must be loaded first. Facts come from
/work/shared/background/; people are fictional.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from collab.models import Collaboration, Trust, User
from projects.models import (
    BenefitKind,
    Category,
    Commitment,
    CommitmentStatus,
    FundingModel,
    JointProject,
    Milestone,
    Participation,
)
from projects.services import (
    benefit_record,
    commitment_review,
    commitment_update,
    late_join_request_create,
    milestone_save,
    participation_decide,
    project_complete,
    project_create,
    project_open,
    project_start,
    withdrawal_request_create,
    withdrawal_request_decide,
)

ADMIN_SOUTHERN = "admin.southern@example.org"
ADMIN_NORTHERN = "admin.northern@example.org"
# Trust short name -> the demo account that leads it.
LEADS = {
    "LAS": "lead.las@example.org",
    "SECAmb": "lead.secamb@example.org",
    "EEAST": "lead.eeast@example.org",
    "SCAS": "lead.scas@example.org",
    "SWASFT": "lead.swasft@example.org",
    "YAS": "lead.yas@example.org",
    "NEAS": "lead.neas@example.org",
    "NWAS": "lead.nwas@example.org",
}
STAFF_LAS = "staff.las@example.org"


@dataclass(frozen=True)
class MilestoneData:
    title: str
    deliverable: str
    due: int  # days from the day the demo is loaded; negative is in the past


@dataclass(frozen=True)
class ProjectData:
    slug: str  # what project_create makes of the title; the demo finds the project by it
    collaboration: str  # slug
    admin: str  # email of the programme admin who creates and runs the project
    title: str
    summary: str
    category: Category
    lead_trust: str  # short name
    terms: str
    funding_model: FundingModel
    total_budget: Decimal
    staff_days_per_trust: int
    # Days from the day the demo is loaded; negative is in the past.
    decision_deadline: int
    planned_start: int
    planned_end: int
    milestones: tuple[MilestoneData, ...]
    # Trust short name -> weight, for the weighted funding model; other trusts weigh 1.
    funding_weights: dict[str, str] = field(default_factory=dict)


# --- The projects ------------------------------------------------------------------------------
AI_TRIAGE = ProjectData(
    slug="ai-assisted-999-triage-evaluation",
    collaboration="southern",
    admin=ADMIN_SOUTHERN,
    title="AI-assisted 999 triage evaluation",
    summary=(
        "A jointly funded, independent evaluation of AI decision support for 999 call triage. "
        "For 12 weeks the AI runs in shadow mode alongside call handlers and clinicians in each "
        "participating control room and never changes a disposition; the evaluation compares "
        "its recommendations with clinical outcomes, so that each trust board can decide on "
        "evidence whether to adopt it. Paid for once, together, rather than five times over."
    ),
    category=Category.AI_AND_DIGITAL,
    lead_trust="SECAmb",
    terms=(
        "Each trust that joins pays a share of the £240,000 evaluation budget weighted by its "
        "annual 999 call volume, and gives 20 staff days from its Clinical Safety Officer, "
        "information governance lead and clinical hub lead. It signs the joint data sharing "
        "agreement, sends a pseudonymised extract of 12 months of triage data, and runs the "
        "shadow-mode trial in at least one control room. SECAmb, as lead trust, holds the "
        "contract with the independent evaluator."
    ),
    funding_model=FundingModel.WEIGHTED,
    total_budget=Decimal("240000.00"),
    staff_days_per_trust=20,
    # Roughly each trust's share of the collaboration's 999 calls.
    funding_weights={
        "LAS": "1.60",
        "EEAST": "1.20",
        "SECAmb": "1.00",
        "SCAS": "1.00",
        "SWASFT": "1.10",
    },
    decision_deadline=-82,
    planned_start=-75,
    planned_end=200,
    milestones=(
        MilestoneData(
            "Data protection impact assessment and data sharing agreement signed",
            "Complete the trust's data protection impact assessment for the evaluation and sign "
            "the joint data sharing agreement, approved by the Caldicott Guardian and the SIRO.",
            -45,
        ),
        MilestoneData(
            "Baseline triage data extract delivered",
            "Send the evaluator a pseudonymised extract of 12 months of 999 triage records "
            "(NHS Pathways dispositions, call timings and outcomes) in the agreed format, "
            "through the secure transfer service.",
            -10,
        ),
        MilestoneData(
            "Clinical safety case signed off",
            "The trust's Clinical Safety Officer reviews the supplier's DCB0129 safety case and "
            "signs the trust's own DCB0160 clinical risk assessment for shadow-mode use.",
            9,
        ),
        MilestoneData(
            "Shadow-mode trial completed",
            "Run the AI in shadow mode for 12 weeks in at least one control room, with a "
            "clinician panel reviewing every call where the AI and the call handler disagreed.",
            75,
        ),
        MilestoneData(
            "Evaluation report taken to the trust board",
            "Take the independent evaluation report and the collaboration's recommendation to "
            "the trust board, and record the board's decision on adoption.",
            160,
        ),
    ),
)

DCA_SPECIFICATION = ProjectData(
    slug="common-double-crewed-ambulance-specification",
    collaboration="southern",
    admin=ADMIN_SOUTHERN,
    title="Common double-crewed ambulance specification",
    summary=(
        "Agree one specification for the van-conversion double-crewed ambulance (BS EN 1789 "
        "type B) that the Southern trusts buy, building on the national specification, and buy "
        "against it together. A 2018 national review found 32 different double-crewed "
        "ambulance specifications across the ten English trusts. One shared specification "
        "gives us more buying power, better security of supply, and vehicles that crews can "
        "work from in any of our trusts."
    ),
    category=Category.VEHICLES_AND_PROCUREMENT,
    lead_trust="SCAS",
    terms=(
        "Each trust that joins pays an equal share of the £180,000 for engineering support, a "
        "prototype conversion and compliance verification, and gives 25 staff days from its "
        "fleet, clinical and infection prevention leads. It agrees the nine parts of the "
        "specification with the other trusts and, once the specification is signed off, "
        "orders its double-crewed ambulances for the following two years against it through "
        "the joint tender. Any departure from the specification is asked for and agreed as a "
        "variation."
    ),
    funding_model=FundingModel.EQUAL_SPLIT,
    total_budget=Decimal("180000.00"),
    staff_days_per_trust=25,
    decision_deadline=12,
    planned_start=30,
    planned_end=400,
    milestones=(
        MilestoneData(
            "Requirements agreed for all nine specification parts",
            "Agree the trust's requirements for each of the nine parts of the specification "
            "(general requirements, body exterior, technology, cab, saloon, emergency lighting "
            "and switches, vehicle inventory, markings and livery, compliance verification) and "
            "record any departure the trust needs.",
            100,
        ),
        MilestoneData(
            "Prototype ambulance evaluated by crews",
            "Put the prototype conversion in front of at least 20 crews and an infection "
            "prevention lead, and return their structured feedback.",
            240,
        ),
        MilestoneData(
            "Specification signed off and vehicle numbers committed",
            "Sign off the common specification through the trust's fleet and capital "
            "governance, and commit the number of vehicles the trust will order in each of the "
            "next two years.",
            380,
        ),
    ),
)

DRIVER_TRAINING = ProjectData(
    slug="harmonised-driver-training-and-recognition-between-trusts",
    collaboration="southern",
    admin=ADMIN_SOUTHERN,
    title="Harmonised driver training and recognition between trusts",
    summary=(
        "Today a clinician who moves between our trusts often has to retrain before driving "
        "on blue lights. This project maps each trust's driver training against the courses "
        "recognised by the NHS ambulance Driver Training Advisory Group (DTAG), agrees one "
        "standard for C1 licence holders, the Level 3 Certificate in Emergency Response "
        "Ambulance Driving (CERAD) and Level 4 instructors, and sets up recognition so that "
        "qualified drivers start work in another trust without repeating their training."
    ),
    category=Category.TRAINING,
    lead_trust="SWASFT",
    terms=(
        "Each trust that joins pays an equal share of the £60,000 for course mapping and "
        "instructor standardisation, and gives 10 staff days from its driving standards and "
        "education leads. It accepts the other participating trusts' DTAG-recognised driving "
        "qualifications without retraining, keeping only a local familiarisation session."
    ),
    funding_model=FundingModel.EQUAL_SPLIT,
    total_budget=Decimal("60000.00"),
    staff_days_per_trust=10,
    decision_deadline=45,
    planned_start=60,
    planned_end=330,
    milestones=(
        MilestoneData(
            "Driver training mapped against DTAG recognition",
            "Map the trust's driver training and assessment (C1, CERAD Level 3, Level 4 "
            "instructors and legacy IHCD D1/D2 awards) against DTAG recognition, and share the "
            "mapping with the other trusts.",
            120,
        ),
        MilestoneData(
            "Recognition agreement signed",
            "Sign the recognition agreement through the trust's education governance, naming "
            "the local familiarisation session a transferring driver still takes.",
            210,
        ),
        MilestoneData(
            "Transferring drivers start without retraining",
            "Report every driver who joined from another participating trust, and confirm that "
            "each started blue-light driving after familiarisation only.",
            320,
        ),
    ),
)

WELLBEING = ProjectData(
    slug="occupational-health-and-wellbeing-a-shared-offer",
    collaboration="southern",
    admin=ADMIN_SOUTHERN,
    title="Occupational health and wellbeing: a shared offer",
    summary=(
        "Building on London's 'Our LAS' programme, which helped bring turnover down from 12% "
        "to 7% and sickness absence from 8% to 7%, the participating trusts adopted one "
        "occupational health referral pathway, trained wellbeing champions on every station "
        "and in every control room, and reported sickness absence and retention against a "
        "common baseline."
    ),
    category=Category.WORKFORCE_AND_WELLBEING,
    lead_trust="LAS",
    terms=(
        "LAS funds the £95,000 for facilitation and champion training from its Our LAS "
        "budget. Each trust that joins gives 12 staff days from its occupational health and "
        "people teams, adopts the shared referral pathway, trains wellbeing champions, and "
        "reports its sickness absence rate (FTE days lost to sickness / FTE days available) "
        "and leaver rate against its own baseline."
    ),
    funding_model=FundingModel.LEAD_TRUST_FUNDED,
    total_budget=Decimal("95000.00"),
    staff_days_per_trust=12,
    decision_deadline=-420,
    planned_start=-400,
    planned_end=-30,
    milestones=(
        MilestoneData(
            "Shared occupational health referral pathway adopted",
            "Adopt the shared occupational health referral pathway, with self-referral to "
            "physiotherapy and mental health support, and publish it to staff.",
            -300,
        ),
        MilestoneData(
            "Wellbeing champions trained on every station",
            "Train at least one wellbeing champion on each station and in each control room, "
            "using the shared course.",
            -180,
        ),
        MilestoneData(
            "Sickness absence and retention reported against baseline",
            "Report the sickness absence rate (FTE days lost to sickness / FTE days available) "
            "and the leaver rate for the last 12 months against the trust's baseline.",
            -45,
        ),
    ),
)

NORTHERN_PASSPORT = ProjectData(
    slug="northern-staff-passport-and-shared-bank",
    collaboration="northern",
    admin=ADMIN_NORTHERN,
    title="Northern staff passport and shared bank",
    summary=(
        "One digital staff passport across the Alliance, so that a paramedic or emergency "
        "medical technician checked once by their own trust can work bank shifts at any "
        "participating trust without repeating pre-employment checks. The passport carries "
        "identity, right to work, DBS check, professional registration, employment history, "
        "core training and occupational health clearance; unfilled shifts are broadcast to "
        "the shared bank."
    ),
    category=Category.WORKFORCE_AND_WELLBEING,
    lead_trust="YAS",
    terms=(
        "Each trust that joins pays an equal share of the £150,000 for the passport service's "
        "first year and gives 15 staff days from its workforce, information governance and "
        "rostering teams. It accepts the other trusts' passport checks without repeating them "
        "and broadcasts its unfilled bank shifts to the shared bank."
    ),
    funding_model=FundingModel.EQUAL_SPLIT,
    total_budget=Decimal("150000.00"),
    staff_days_per_trust=15,
    decision_deadline=-60,
    planned_start=-45,
    planned_end=300,
    milestones=(
        MilestoneData(
            "Passport checks and assurance standard agreed",
            "Agree which checks the passport carries and the assurance standard the trust "
            "applies before it issues a passport, signed off by the workforce director.",
            -15,
        ),
        MilestoneData(
            "Passport live for bank staff",
            "Issue passports to the trust's bank staff, and accept other trusts' passports when "
            "booking bank shifts.",
            40,
        ),
        MilestoneData(
            "Shared bank evaluated",
            "Report the shifts filled through the shared bank and the pre-employment checks no "
            "longer repeated, against the baseline.",
            250,
        ),
    ),
)


# --- Loading -----------------------------------------------------------------------------------
def seed_demo_projects() -> list[JointProject]:
    """Load the demo joint projects; return them. Projects that already exist are left alone."""
    builders = (
        (WELLBEING, _wellbeing_story),
        (NORTHERN_PASSPORT, _northern_passport_story),
        (AI_TRIAGE, _ai_triage_story),
        (DCA_SPECIFICATION, _dca_specification_story),
        (DRIVER_TRAINING, None),
    )
    projects = []
    with transaction.atomic():
        for data, story in builders:
            project = JointProject.objects.filter(slug=data.slug).first()
            if project is None:
                project = build_demo_project(data, story)
            projects.append(project)
    return projects


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise LookupError(f"Load the demo accounts before the demo projects: no {email}.")
    return user


def build_demo_project(data: ProjectData, story) -> JointProject:
    """Create, add milestones, tell the project's story, then move its dates into place."""
    # The services refuse a decision deadline that has passed, so a project whose deadline
    # is in the past is built this many days later than planned and moved back afterwards.
    shift = max(0, -data.decision_deadline)
    collaboration = Collaboration.objects.get(slug=data.collaboration)
    trusts = {trust.short_name: trust for trust in Trust.objects.all()}
    admin = _user(data.admin)
    project = project_create(
        collaboration=collaboration,
        actor=admin,
        lead_trust=trusts[data.lead_trust],
        title=data.title,
        summary=data.summary,
        category=data.category,
        terms=data.terms,
        funding_model=data.funding_model,
        total_budget=data.total_budget,
        staff_days_per_trust=data.staff_days_per_trust,
        funding_weights={
            str(trusts[short_name].pk): weight
            for short_name, weight in data.funding_weights.items()
        },
        decision_deadline=_day(data.decision_deadline + shift),
        planned_start=_day(data.planned_start + shift),
        planned_end=_day(data.planned_end + shift),
    )
    if project.slug != data.slug:
        raise ValueError(f"{data.title!r} makes the slug {project.slug!r}, not {data.slug!r}.")
    milestones = [
        milestone_save(
            project=project,
            actor=admin,
            title=milestone.title,
            deliverable=milestone.deliverable,
            due_on=_day(milestone.due + shift),
        )
        for milestone in data.milestones
    ]
    if story is not None:
        project = project_open(project=project, actor=admin)
        story(project, milestones, admin)
    if shift:
        _move_dates_into_the_past(project, data, milestones)
    project.refresh_from_db()
    return project


def _move_dates_into_the_past(
    project: JointProject, data: ProjectData, milestones: list[Milestone]
) -> None:
    """DEMO ONLY: put the planned dates and due dates where the story needs them.

    The services rightly refuse dates that have passed, so the project was built in the
    future. Nothing outside demo data may write these fields directly: real projects change
    their dates through the services. Timestamps (opened, decided, updated, audit events) are
    left as they happened, when the demo was loaded.
    """
    JointProject.objects.filter(pk=project.pk).update(
        decision_deadline=_day(data.decision_deadline),
        planned_start=_day(data.planned_start),
        planned_end=_day(data.planned_end),
    )
    for milestone, milestone_data in zip(milestones, data.milestones, strict=True):
        due_on = _day(milestone_data.due)
        Milestone.objects.filter(pk=milestone.pk).update(due_on=due_on)
        Commitment.objects.filter(milestone=milestone).update(due_on=due_on)


# --- Story helpers -----------------------------------------------------------------------------
def _participation(project: JointProject, trust: str) -> Participation:
    return project.participations.select_related("trust").get(trust__short_name=trust)


def decide_for_trust(project: JointProject, trust: str, *, opt_in: bool, reason: str) -> None:
    """The trust's lead decides through the service, as in the portal (also used by
    procurement's demo)."""
    lead = _user(LEADS[trust])
    participation_decide(
        participation=_participation(project, trust),
        actor=lead,
        opt_in=opt_in,
        reason=reason,
        contact=lead,
        confirmed=opt_in,
    )


def _commitment(project: JointProject, trust: str, milestone: Milestone) -> Commitment:
    return Commitment.objects.get(
        participation__project=project, participation__trust__short_name=trust, milestone=milestone
    )


def _update(
    project: JointProject,
    trust: str,
    milestone: Milestone,
    status: str,
    note: str,
    *,
    owner: str | None = None,
) -> Commitment:
    commitment = _commitment(project, trust, milestone)
    commitment_update(
        commitment=commitment,
        actor=_user(LEADS[trust]),
        status=status,
        note=note,
        owner=_user(owner) if owner else None,
    )
    return commitment


def _review(commitment: Commitment, admin: User, *, accept: bool, reason: str) -> None:
    commitment_review(commitment=commitment, actor=admin, accept=accept, reason=reason)


def _benefit(
    project: JointProject,
    trust: str,
    kind: str,
    *,
    hours: str,
    money: str,
    measure: str,
) -> None:
    benefit_record(
        project=project,
        trust=Trust.objects.get(short_name=trust),
        kind=kind,
        actor=_user(LEADS[trust]),
        staff_hours_released=Decimal(hours),
        money_saved=Decimal(money),
        measure=measure,
    )


DONE = CommitmentStatus.DONE
IN_PROGRESS = CommitmentStatus.IN_PROGRESS
BLOCKED = CommitmentStatus.BLOCKED
NOT_STARTED = CommitmentStatus.NOT_STARTED


# --- The stories -------------------------------------------------------------------------------
def _ai_triage_story(project: JointProject, milestones: list[Milestone], admin: User) -> None:
    """Active: four trusts committed, SWASFT out and now asking to join late; EEAST's request
    to withdraw rejected; commitments accepted, overdue (red), due soon (amber) and later."""
    agreement, extract, safety_case, shadow_trial, _report = milestones
    decide_for_trust(
        project,
        "SECAmb",
        opt_in=True,
        reason=(
            "AI in triage is one of the collaboration's founding priorities and we will lead "
            "it. Paying for one evaluation together is far better value than each of us "
            "commissioning our own."
        ),
    )
    decide_for_trust(
        project,
        "LAS",
        opt_in=True,
        reason=(
            "London takes the most 999 calls of any ambulance service, so we have the most to "
            "gain from safer, faster triage. Our board approved our share on the condition that "
            "the AI never changes a disposition during the trial."
        ),
    )
    decide_for_trust(
        project,
        "EEAST",
        opt_in=True,
        reason=(
            "Our largely rural call profile is different from the urban trusts', and the "
            "evaluation needs it to be credible for every trust. Approved by our executive "
            "leadership team."
        ),
    )
    decide_for_trust(
        project,
        "SCAS",
        opt_in=True,
        reason=(
            "This fits our clinical hub strategy. We will run the shadow-mode trial in one of "
            "our clinical coordination centres."
        ),
    )
    decide_for_trust(
        project,
        "SWASFT",
        opt_in=False,
        reason=(
            "We are part-way through our own evaluation of a triage tool with regional partners "
            "and cannot give analyst time to a second one this year. We would like to see the "
            "findings."
        ),
    )
    project = project_start(project=project, actor=admin)

    # The data sharing agreement: three accepted, EEAST's waiting for acceptance.
    for trust, note in (
        (
            "SECAmb",
            "DPIA approved by our Caldicott Guardian; data sharing agreement signed by our SIRO. "
            "Signed copies are on the collaboration's shared drive.",
        ),
        (
            "LAS",
            "DPIA approved at our information governance group and the agreement signed by our "
            "SIRO.",
        ),
        ("SCAS", "Agreement signed by our SIRO after review by our Data Protection Officer."),
        (
            "EEAST",
            "Signed by our SIRO. Our DPIA adds one local risk: call recordings stay on our "
            "servers, and only the structured extract leaves the trust.",
        ),
    ):
        commitment = _update(project, trust, agreement, DONE, note)
        if trust != "EEAST":
            _review(
                commitment,
                admin,
                accept=True,
                reason="Signed agreement and DPIA received by the programme office. Thank you.",
            )

    # The baseline extract, now overdue for three trusts.
    commitment = _update(
        project,
        "SECAmb",
        extract,
        DONE,
        "Extract sent through the secure transfer service; the evaluator confirmed it loads "
        "cleanly.",
    )
    _update(
        project,
        "LAS",
        extract,
        IN_PROGRESS,
        "Extract built. Our information governance team is checking the pseudonymisation of "
        "free-text fields before release; we expect to send it next week.",
    )
    _update(
        project,
        "EEAST",
        extract,
        BLOCKED,
        "Our CAD upgrade freezes reporting extracts until the cut-over is complete. We have "
        "asked the supplier for an earlier reporting window.",
    )
    request = withdrawal_request_create(
        participation=_participation(project, "EEAST"),
        actor=_user(LEADS["EEAST"]),
        reason=(
            "Our CAD upgrade this year needs the same information and control room staff as "
            "the evaluation, and we are at risk of missing the data extract and the safety "
            "case."
        ),
        impact=(
            "EEAST's share of £60,000 would be spread across the other three trusts, and the "
            "evaluation would lose its only largely rural call profile."
        ),
    )
    withdrawal_request_decide(
        request=request,
        actor=admin,
        approve=False,
        reason=(
            "The evaluation needs EEAST's rural calls to be credible for every trust, and the "
            "other trusts' budgets for this year are set. The programme office will move "
            "EEAST's extract to after the CAD cut-over and SECAmb will lend analyst time. We "
            "will look again at the next programme board if the cut-over slips."
        ),
    )
    commitment = _update(
        project,
        "SCAS",
        extract,
        DONE,
        "Extract sent through the secure transfer service.",
    )
    _review(
        commitment,
        admin,
        accept=False,
        reason=(
            "The extract covers 9 months, not the 12 agreed. Please add January to March so "
            "that the winter peak is in the baseline."
        ),
    )

    # The safety case is due within the fortnight; the trial and the report are further off.
    _update(
        project,
        "SECAmb",
        safety_case,
        IN_PROGRESS,
        "Our Clinical Safety Officer has reviewed the supplier's DCB0129 safety case. Three "
        "hazards need local controls before we sign our DCB0160 assessment.",
    )
    _update(
        project,
        "LAS",
        shadow_trial,
        NOT_STARTED,
        "Kwame Mensah, paramedic in our clinical hub, will lead our clinician panel for the "
        "shadow-mode trial.",
        owner=STAFF_LAS,
    )

    # SWASFT's own evaluation has finished, and it asks to join.
    swasft_lead = _user(LEADS["SWASFT"])
    late_join_request_create(
        participation=_participation(project, "SWASFT"),
        actor=swasft_lead,
        reason=(
            "Our own triage evaluation finished early. We would now like to run the shadow-mode "
            "trial too, so that our board can compare like with like."
        ),
        contact=swasft_lead,
        confirmed=True,
    )

    _benefit(
        project,
        "SECAmb",
        BenefitKind.EXPECTED,
        hours="2600",
        money="0",
        measure="About 5% fewer clinician call-backs on lower-acuity calls, if adopted.",
    )
    _benefit(
        project,
        "LAS",
        BenefitKind.EXPECTED,
        hours="6200",
        money="0",
        measure="Faster triage of lower-acuity calls: about 40 seconds saved per call.",
    )


def _dca_specification_story(
    project: JointProject, milestones: list[Milestone], admin: User
) -> None:
    """Open for decisions: SCAS and SWASFT in (SWASFT after changing its mind), EEAST out,
    LAS and SECAmb still to decide."""
    decide_for_trust(
        project,
        "SCAS",
        opt_in=True,
        reason=(
            "We lead this work, and our capital plan already assumes joint buying from next "
            "year. A common specification means crews can work from any of our vehicles and "
            "supply is more secure."
        ),
    )
    decide_for_trust(
        project,
        "SWASFT",
        opt_in=False,
        reason=(
            "Our board has not yet approved next year's capital programme, so we cannot commit "
            "to ordering against the specification."
        ),
    )
    decide_for_trust(
        project,
        "EEAST",
        opt_in=False,
        reason=(
            "We ordered our replacement double-crewed ambulances for the next two years on our "
            "current conversion framework earlier this year. We will follow the work and "
            "expect to join the next joint tender."
        ),
    )
    decide_for_trust(
        project,
        "SWASFT",
        opt_in=True,
        reason=(
            "Our board approved the capital programme this week, including vehicle replacement "
            "against a common specification. We are in."
        ),
    )
    _benefit(
        project,
        "SCAS",
        BenefitKind.EXPECTED,
        hours="0",
        money="420000",
        measure="About 5% off the unit price of 70 conversions a year through joint buying.",
    )


def _wellbeing_story(project: JointProject, milestones: list[Milestone], admin: User) -> None:
    """Completed: four trusts delivered everything; EEAST stayed out; benefits realised."""
    pathway, champions, measures = milestones
    decide_for_trust(
        project,
        "LAS",
        opt_in=True,
        reason=(
            "Our LAS showed what listening to colleagues can do for sickness and turnover. We "
            "will fund this so that every trust that joins can build on it."
        ),
    )
    decide_for_trust(
        project,
        "SECAmb",
        opt_in=True,
        reason="Wellbeing is the top theme in our staff survey. Approved by our people committee.",
    )
    decide_for_trust(
        project,
        "SCAS",
        opt_in=True,
        reason="Our occupational health provider is ready to adopt the shared pathway.",
    )
    decide_for_trust(
        project,
        "SWASFT",
        opt_in=True,
        reason=(
            "Our stations are spread widely across the South West; trained champions on each "
            "of them are what our staff asked for."
        ),
    )
    decide_for_trust(
        project,
        "EEAST",
        opt_in=False,
        reason=(
            "Our occupational health contract was retendered last year and runs for two more "
            "years, so we cannot adopt a different referral pathway before then. We would "
            "welcome the champion training materials."
        ),
    )
    project = project_start(project=project, actor=admin)

    expected = {
        "LAS": ("9000", "300000", "Sickness absence down half a percentage point."),
        "SECAmb": ("4000", "150000", "Sickness absence down half a percentage point."),
        "SCAS": ("3500", "130000", "Sickness absence down 0.4 percentage points."),
        "SWASFT": ("4500", "170000", "Sickness absence down 0.6 percentage points."),
    }
    for trust, (hours, money, measure) in expected.items():
        _benefit(project, trust, BenefitKind.EXPECTED, hours=hours, money=money, measure=measure)

    notes = {
        pathway: "Pathway adopted and published on our intranet; self-referral is live.",
        champions: "Every station and control room has at least one trained wellbeing champion.",
        measures: "Report for the last 12 months against our baseline sent to the programme "
        "office.",
    }
    for milestone in (pathway, champions, measures):
        for trust in ("LAS", "SECAmb", "SCAS", "SWASFT"):
            if milestone == measures and trust == "SECAmb":
                commitment = _update(
                    project,
                    trust,
                    milestone,
                    DONE,
                    "Sickness absence report sent: 64 colleagues absent last month.",
                )
                _review(
                    commitment,
                    admin,
                    accept=False,
                    reason=(
                        "Please report the rate as agreed: FTE days lost to sickness divided by "
                        "FTE days available, over the last 12 months, with the leaver rate."
                    ),
                )
                note = (
                    "Resent as agreed: sickness absence 7.9% against a baseline of 8.6%, "
                    "leaver rate 9.8% against 11.2%."
                )
            else:
                note = notes[milestone]
            commitment = _update(project, trust, milestone, DONE, note)
            _review(commitment, admin, accept=True, reason="Delivered as agreed. Thank you.")

    project = project_complete(project=project, actor=admin)

    realised = {
        "LAS": ("11200", "410000", "Sickness absence 7.0% to 6.5%; leaver rate 7.0% to 6.4%."),
        "SECAmb": ("4700", "180000", "Sickness absence 8.6% to 7.9%; leaver rate 11.2% to 9.8%."),
        "SCAS": ("3100", "120000", "Sickness absence 7.8% to 7.4%; leaver rate 10.5% to 9.9%."),
        "SWASFT": ("5200", "200000", "Sickness absence 8.2% to 7.5%; leaver rate 10.9% to 9.6%."),
    }
    for trust, (hours, money, measure) in realised.items():
        _benefit(project, trust, BenefitKind.REALISED, hours=hours, money=money, measure=measure)


def _northern_passport_story(
    project: JointProject, milestones: list[Milestone], admin: User
) -> None:
    """Active: YAS, NEAS and NWAS committed; NWAS overdue and asking to withdraw."""
    checks, _live, _evaluation = milestones
    decide_for_trust(
        project,
        "YAS",
        opt_in=True,
        reason=(
            "We fill hundreds of bank shifts a year and repeat checks every time a colleague "
            "from another trust joins our bank. We will lead this."
        ),
    )
    decide_for_trust(
        project,
        "NEAS",
        opt_in=True,
        reason="Agreed by our executive team: it supports our retention plan.",
    )
    decide_for_trust(
        project,
        "NWAS",
        opt_in=True,
        reason="Our bank staff have asked for this for two years. Approved by our board.",
    )
    # EMAS and WMAS did not decide before the deadline, so they did not join.
    project = project_start(project=project, actor=admin)

    commitment = _update(
        project,
        "YAS",
        checks,
        DONE,
        "Assurance standard signed off by our Director of People; the list of checks matches "
        "the staff passport's seven items.",
    )
    _review(commitment, admin, accept=True, reason="Signed standard received. Thank you.")
    _update(project, "NEAS", checks, DONE, "Signed off by our workforce director.")
    _update(
        project,
        "NWAS",
        checks,
        IN_PROGRESS,
        "Draft standard agreed by our workforce team; our workforce director signs it off at "
        "the next executive meeting.",
    )
    withdrawal_request_create(
        participation=_participation(project, "NWAS"),
        actor=_user(LEADS["NWAS"]),
        reason=(
            "We are replacing our e-rostering system this year and cannot connect it to the "
            "shared bank before the new system is live."
        ),
        impact=(
            "NWAS's £50,000 share would be split between YAS and NEAS, and our bank staff could "
            "not book shifts in the other trusts until we rejoin."
        ),
    )
    _benefit(
        project,
        "YAS",
        BenefitKind.EXPECTED,
        hours="1800",
        money="60000",
        measure="About 300 bank shifts a year filled without repeating pre-employment checks.",
    )
