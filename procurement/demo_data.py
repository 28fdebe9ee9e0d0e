"""Demo joint procurement: the Southern trusts buying their double-crewed ambulances together.

- A joint project, "Joint purchase of double-crewed ambulances 2027 to 2030" (Southern,
  vehicles and procurement, led by SECAmb): active, all five Southern trusts committed.
- A procurement round on it, closing in a few weeks, for a common van-conversion double-crewed
  ambulance (BS EN 1789 type B, built on the national specification): a specification of 43
  line items across the seven standard sections, published as version 1 and then as version 2
  (a price change, a new mandatory item, an optional item removed and a reworded item).
- Each trust's demand over the three delivery years and the optional items it chose; SCAS and
  SECAmb have confirmed their orders, and SECAmb has since asked to change its order (waiting
  for the programme admins); SCAS's earlier change was approved. EEAST's order was made against
  version 1 and not updated since.
- Variations in every state: approved (LAS's stretcher loading system, SECAmb's livery),
  rejected (SWASFT's manual gearbox, SCAS's rear camera), withdrawn (EEAST's livery) and waiting
  (LAS's extra 12 V sockets, SWASFT's heater, EEAST's carry chair stowage).

Everything is built through `projects.services` and `procurement.services`, as the programme
admin and the trust leads would through the portal, so the audit trail is real. Then the
round's own timestamps are spread over the past weeks (demo only; see `_spread_over_time`).

Loading is idempotent: the project and the round are found by their fixed slugs and, if they
exist, left alone. The demo accounts (collab.demo_data) must be loaded first. Facts come from
/work/shared/background/; people are fictional, prices are plausible estimates, not quotes.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from collab.models import Trust, User
from procurement.models import (
    STANDARD_SECTIONS,
    DecisionStatus,
    ItemKind,
    LineItem,
    ProcurementRound,
    RequirementChangeRequest,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
)
from procurement.services import (
    change_request_create,
    change_request_decide,
    line_item_remove,
    line_item_save,
    requirement_confirm,
    requirement_save,
    round_create,
    variation_decide,
    variation_request_create,
    variation_withdraw,
    version_publish,
    version_start_draft,
)
from projects.demo_data import (
    ADMIN_SOUTHERN,
    LEADS,
    MilestoneData,
    ProjectData,
    build_demo_project,  # the projects demo's builder: this project is made exactly as those are
    decide_for_trust,
)
from projects.models import Category, FundingModel, JointProject, Milestone
from projects.services import project_start

# --- The project ---------------------------------------------------------------------------------
JOINT_PURCHASE = ProjectData(
    slug="joint-purchase-of-double-crewed-ambulances-2027-to-2030",
    collaboration="southern",
    admin=ADMIN_SOUTHERN,
    title="Joint purchase of double-crewed ambulances 2027 to 2030",
    summary=(
        "The five Southern trusts buy the double-crewed ambulances they replace in the three "
        "delivery years from April 2027 together: one common specification for a van-conversion "
        "emergency ambulance (BS EN 1789 type B), built on the national specification in the "
        "NHS Standard Contract, one combined order, and every local departure asked for and "
        "decided as a variation. One order of more than 600 vehicles buys more, and secures "
        "supply better, than five orders of a hundred or so."
    ),
    category=Category.VEHICLES_AND_PROCUREMENT,
    lead_trust="SECAmb",
    terms=(
        "Each trust that joins pays an equal share of the £250,000 for the joint procurement "
        "team, legal advice and compliance verification of the first vehicles, and gives 20 "
        "staff days from its fleet, procurement and clinical leads. It enters the number of "
        "double-crewed ambulances it will take in each delivery year, asks for any departure "
        "from the common specification as a variation that the programme admins decide, and "
        "confirms its final order by the round's closing date. A confirmed order is binding: a "
        "change after that is a request the programme admins decide."
    ),
    funding_model=FundingModel.EQUAL_SPLIT,
    total_budget=Decimal("250000.00"),
    staff_days_per_trust=20,
    decision_deadline=-70,
    planned_start=-60,
    planned_end=1250,
    milestones=(
        MilestoneData(
            "Final order confirmed",
            "Confirm the trust's final order in the procurement round (units in each delivery "
            "year and the optional items chosen) through its capital governance, by the "
            "round's closing date.",
            24,
        ),
        MilestoneData(
            "Conversion contract awarded",
            "Take part in the evaluation of the conversion tenders and sign the call-off "
            "contract for the trust's vehicles.",
            150,
        ),
        MilestoneData(
            "Pre-production vehicle accepted",
            "Inspect the pre-production ambulance with crews and an infection prevention lead, "
            "and sign off its compliance verification against the specification.",
            330,
        ),
        MilestoneData(
            "First vehicles in service",
            "Put the trust's first delivery of the new ambulances into service, with crews "
            "familiarised and the old vehicles disposed of.",
            520,
        ),
    ),
)


def _joint_purchase_story(project: JointProject, milestones: list[Milestone], admin: User) -> None:
    """Every Southern trust opts in, and the programme admin starts the project early."""
    for trust, reason in (
        (
            "SECAmb",
            "Our double-crewed ambulances due for replacement from 2027 are in our capital plan, "
            "and we will lead the joint procurement.",
        ),
        (
            "SCAS",
            "We led the work on a common specification; buying against it together is the "
            "point of it. Approved by our finance and performance committee.",
        ),
        (
            "LAS",
            "London replaces more ambulances than any other trust. Our board approved ordering "
            "our 2027 to 2030 replacements through the joint round.",
        ),
        (
            "SWASFT",
            "Our board approved the capital programme, including vehicle replacement against "
            "the common specification. We will need all-wheel drive for some rural stations.",
        ),
        (
            "EEAST",
            "Our current conversion framework ends in 2027, so this is the joint tender we said "
            "we would join. Approved by our executive leadership team.",
        ),
    ):
        decide_for_trust(project, trust, opt_in=True, reason=reason)
    project_start(project=project, actor=admin)


# --- The round -----------------------------------------------------------------------------------
ROUND_TITLE = "Double-crewed ambulance (van conversion) 2027 to 2030"
ROUND_SLUG = "double-crewed-ambulance-van-conversion-2027-to-2030"
ROUND_DESCRIPTION = (
    "A common double-crewed ambulance for the Southern trusts: a van conversion to BS EN 1789 "
    "type B, built on the national specification for double-crewed ambulances in the NHS "
    "Standard Contract, bought as one order for delivery in 2027 to 2030. The base vehicle and "
    "its conversion are costed separately, as trusts usually buy them. Each trust enters its "
    "units for each delivery year and the optional items it wants; any other departure from the "
    "specification is a variation that the programme admins decide."
)
CLOSING_IN_DAYS = 24
FIRST_DELIVERY_YEAR = 2027

BASE, BODY, STRETCHER, ELECTRICAL, GASES, COMMS, LIVERY = STANDARD_SECTIONS
MANDATORY, OPTIONAL = ItemKind.MANDATORY, ItemKind.OPTIONAL


@dataclass(frozen=True)
class ItemData:
    reference: str
    section: str
    requirement: str
    kind: str
    unit: str
    quantity_per_vehicle: str
    estimated_unit_cost: str


# Version 1: 43 line items. A converted double-crewed ambulance costs about £145,000 to £160,000
# all in, depending on the optional items and variations.
SPECIFICATION: tuple[ItemData, ...] = (
    # Base vehicle and chassis
    ItemData(
        "BV-01",
        BASE,
        "High-roof, long-wheelbase panel van of 4.6 to 5.0 tonnes gross vehicle weight, Euro 6 "
        "diesel, delivered to the converter with the manufacturer's ambulance preparation pack.",
        MANDATORY,
        "each",
        "1",
        "34500.00",
    ),
    ItemData(
        "BV-02",
        BASE,
        "Automatic gearbox with hill-start assist.",
        MANDATORY,
        "each",
        "1",
        "2600.00",
    ),
    ItemData(
        "BV-03",
        BASE,
        "Rear air suspension with a kneeling function that lowers the loading height for the "
        "stretcher.",
        MANDATORY,
        "each",
        "1",
        "3400.00",
    ),
    ItemData(
        "BV-04",
        BASE,
        "Driver assistance to the General Safety Regulation: autonomous emergency braking, "
        "lane-keeping assist, blind-spot warning, reversing camera and parking sensors front "
        "and rear.",
        MANDATORY,
        "each",
        "1",
        "2400.00",
    ),
    ItemData(
        "BV-05",
        BASE,
        "Auxiliary diesel-fired heater of at least 3.5 kW for the cab and saloon, with a timer.",
        MANDATORY,
        "each",
        "1",
        "1750.00",
    ),
    ItemData(
        "BV-06",
        BASE,
        "All-wheel drive, for rural stations and winter resilience.",
        OPTIONAL,
        "each",
        "1",
        "6800.00",
    ),
    ItemData(
        "BV-07",
        BASE,
        "Manufacturer's warranty extended to 5 years or 150,000 miles.",
        OPTIONAL,
        "each",
        "1",
        "2350.00",
    ),
    # Conversion and body
    ItemData(
        "CB-01",
        BODY,
        "Conversion to a BS EN 1789 type B emergency ambulance to the national double-crewed "
        "ambulance specification: insulated and lined saloon, crash-tested at 10 g.",
        MANDATORY,
        "each",
        "1",
        "26000.00",
    ),
    ItemData(
        "CB-02",
        BODY,
        "Seamless non-slip saloon floor, coved 100 mm up the walls, resistant to chlorine-based "
        "clinical disinfectants.",
        MANDATORY,
        "each",
        "1",
        "1650.00",
    ),
    ItemData(
        "CB-03",
        BODY,
        "Saloon storage: lockers and drawers with clear fronts and crash-rated latches, laid out "
        "to the national vehicle inventory.",
        MANDATORY,
        "set",
        "1",
        "4200.00",
    ),
    ItemData(
        "CB-04",
        BODY,
        "Crash-tested attendant seats with three-point belts; one swivels at the patient's head.",
        MANDATORY,
        "each",
        "2",
        "1850.00",
    ),
    ItemData(
        "CB-05",
        BODY,
        "Carry chair stowage inside the rear doors, with a quick-release restraint.",
        MANDATORY,
        "each",
        "1",
        "620.00",
    ),
    ItemData(
        "CB-06",
        BODY,
        "Saloon heating and air conditioning, separate from the cab and thermostatically "
        "controlled.",
        MANDATORY,
        "each",
        "1",
        "3450.00",
    ),
    ItemData(
        "CB-07",
        BODY,
        "Nearside sliding side door with a powered deployable step.",
        MANDATORY,
        "each",
        "1",
        "1950.00",
    ),
    ItemData(
        "CB-08",
        BODY,
        "Bracket and charging dock for the trust's monitor-defibrillator, crash-tested with the "
        "device fitted.",
        MANDATORY,
        "each",
        "1",
        "780.00",
    ),
    # Stretcher and loading
    ItemData(
        "ST-01",
        STRETCHER,
        "Powered stretcher: safe working load of at least 300 kg, powered height adjustment, a "
        "flat position for CPR.",
        MANDATORY,
        "each",
        "1",
        "16200.00",
    ),
    ItemData(
        "ST-02",
        STRETCHER,
        "Powered stretcher loading system matched to ST-01, crash-tested to BS EN 1789 with the "
        "stretcher fitted.",
        MANDATORY,
        "each",
        "1",
        "11800.00",
    ),
    ItemData(
        "ST-03",
        STRETCHER,
        "Carry chair with tracks for stair descent.",
        MANDATORY,
        "each",
        "1",
        "3150.00",
    ),
    ItemData(
        "ST-04",
        STRETCHER,
        "Rear tail lift with a safe working load of 350 kg, for wheelchair users and bariatric "
        "patients.",
        OPTIONAL,
        "each",
        "1",
        "7900.00",
    ),
    ItemData(
        "ST-05",
        STRETCHER,
        "Stowage brackets for a scoop stretcher, a vacuum mattress and a long board.",
        MANDATORY,
        "set",
        "1",
        "430.00",
    ),
    # Electrical and lighting
    ItemData(
        "EL-01",
        ELECTRICAL,
        "Blue LED emergency warning lights to UN ECE R65: light bars front and rear, grille, "
        "side and corner lights.",
        MANDATORY,
        "set",
        "1",
        "3400.00",
    ),
    ItemData(
        "EL-02",
        ELECTRICAL,
        "Electronic siren with three tones, and a low-frequency siren for junctions.",
        MANDATORY,
        "each",
        "1",
        "1180.00",
    ),
    ItemData(
        "EL-03",
        ELECTRICAL,
        "LED scene lights on each side and at the rear, switched from the cab and the saloon.",
        MANDATORY,
        "each",
        "4",
        "310.00",
    ),
    ItemData(
        "EL-04",
        ELECTRICAL,
        "Dimmable LED saloon lighting with a night mode.",
        MANDATORY,
        "set",
        "1",
        "1320.00",
    ),
    ItemData(
        "EL-05",
        ELECTRICAL,
        "Auxiliary lithium battery of at least 200 Ah, with a battery management system and "
        "split charging.",
        MANDATORY,
        "each",
        "1",
        "2900.00",
    ),
    ItemData(
        "EL-06",
        ELECTRICAL,
        "230 V shoreline inlet that ejects on engine start, and an onboard battery charger.",
        MANDATORY,
        "each",
        "1",
        "860.00",
    ),
    ItemData(
        "EL-07",
        ELECTRICAL,
        "12 V sockets in the saloon for medical devices.",
        MANDATORY,
        "each",
        "4",
        "45.00",
    ),
    ItemData(
        "EL-08",
        ELECTRICAL,
        "2 kW pure sine wave inverter with two 230 V sockets in the saloon.",
        OPTIONAL,
        "each",
        "1",
        "1250.00",
    ),
    ItemData(
        "EL-09",
        ELECTRICAL,
        "Roof-mounted solar panel to keep the batteries charged while the vehicle is parked.",
        OPTIONAL,
        "each",
        "1",
        "920.00",
    ),
    # Medical gases
    ItemData(
        "MG-01",
        GASES,
        "Piped medical oxygen installation to HTM 02-01, with a manifold for two main cylinders.",
        MANDATORY,
        "each",
        "1",
        "2650.00",
    ),
    ItemData(
        "MG-02",
        GASES,
        "Oxygen terminal units in the saloon.",
        MANDATORY,
        "each",
        "3",
        "185.00",
    ),
    ItemData(
        "MG-03",
        GASES,
        "Stowage and a terminal unit for a nitrous oxide and oxygen (Entonox) cylinder.",
        MANDATORY,
        "set",
        "1",
        "640.00",
    ),
    ItemData(
        "MG-04",
        GASES,
        "Wall-mounted portable suction unit with a charging bracket.",
        MANDATORY,
        "each",
        "1",
        "1880.00",
    ),
    # Communications and IT
    ItemData(
        "CM-01",
        COMMS,
        "Vehicle radio installation for Airwave, ready for the Emergency Services Network: "
        "antennas, cabling and mounting (the trust supplies the radio).",
        MANDATORY,
        "each",
        "1",
        "2450.00",
    ),
    ItemData(
        "CM-02",
        COMMS,
        "Ruggedised cab mount, docking station and power for the mobile data terminal.",
        MANDATORY,
        "each",
        "1",
        "1620.00",
    ),
    ItemData(
        "CM-03",
        COMMS,
        "Telematics: vehicle tracking, driver behaviour and engine fault data.",
        MANDATORY,
        "each",
        "1",
        "1150.00",
    ),
    ItemData(
        "CM-04",
        COMMS,
        "CCTV: forward-facing, saloon and rear cameras with an encrypted recorder.",
        MANDATORY,
        "set",
        "1",
        "2650.00",
    ),
    ItemData(
        "CM-05",
        COMMS,
        "Separate 4G/5G router with Wi-Fi in the saloon for the electronic patient record tablets.",
        OPTIONAL,
        "each",
        "1",
        "1420.00",
    ),
    ItemData(
        "CM-06",
        COMMS,
        "Docking and charging for body-worn cameras.",
        OPTIONAL,
        "each",
        "2",
        "245.00",
    ),
    # Livery and markings
    ItemData(
        "LV-01",
        LIVERY,
        "Battenburg high-conspicuity livery to the national specification: retroreflective on "
        "the sides, fluorescent on the front.",
        MANDATORY,
        "set",
        "1",
        "2150.00",
    ),
    ItemData(
        "LV-02",
        LIVERY,
        "Red and fluorescent yellow retroreflective chevrons on the rear.",
        MANDATORY,
        "set",
        "1",
        "430.00",
    ),
    ItemData(
        "LV-03",
        LIVERY,
        "AMBULANCE in mirror image on the front; the trust's name and the NHS identity on both "
        "sides and the rear, to the NHS brand guidelines.",
        MANDATORY,
        "set",
        "1",
        "390.00",
    ),
    ItemData(
        "LV-04",
        LIVERY,
        "Call sign on the roof, for identification from the air.",
        MANDATORY,
        "set",
        "1",
        "165.00",
    ),
)

# Version 2: what the fleet leads' review changed.
V2_CHANGED = {
    # Reference -> the fields that change.
    "BV-01": {"estimated_unit_cost": Decimal("36400.00")},
    "EL-07": {
        "requirement": "12 V sockets in the saloon for medical devices, two of them at the "
        "patient's head.",
    },
}
V2_ADDED = (
    ItemData(
        "MG-05",
        GASES,
        "Contents monitoring of the main oxygen cylinders, with a low-contents alarm in the cab "
        "and the saloon.",
        MANDATORY,
        "each",
        "1",
        "760.00",
    ),
)
V2_REMOVED = ("CM-05",)
V2_CHANGE_SUMMARY = (
    "After the fleet leads' review: the base vehicle rises to the manufacturer's 2027 price list "
    "(BV-01, £34,500 to £36,400). Oxygen contents monitoring with a low-contents alarm is now "
    "mandatory, after a main cylinder ran empty on a long rural transfer (MG-05, new). The "
    "separate saloon router is removed: the new mobile data terminals share their own "
    "connection with the patient record tablets (CM-05, removed). Two of the 12 V sockets must "
    "be at the patient's head, where the syringe driver and video laryngoscope are used (EL-07)."
)


# --- Each trust's demand -------------------------------------------------------------------------
@dataclass(frozen=True)
class DemandData:
    trust: str  # short name
    units: tuple[int, int, int]  # units in each delivery year
    options: tuple[str, ...]  # references of the optional items it wants


# Each trust replaces roughly a seventh of its double-crewed fleet a year.
DEMAND: tuple[DemandData, ...] = (
    DemandData("LAS", (58, 62, 60), ("BV-07", "EL-08", "CM-06")),
    DemandData("EEAST", (48, 52, 50), ("BV-06", "EL-09", "CM-05")),
    DemandData("SWASFT", (42, 45, 40), ("BV-06", "EL-08", "EL-09")),
    DemandData("SECAmb", (36, 40, 38), ("BV-07", "ST-04", "CM-06")),
    DemandData("SCAS", (28, 30, 30), ("BV-07", "EL-09")),
)
# EEAST entered its order against version 1 and has not updated it since.
STAYS_ON_VERSION_1 = "EEAST"


@dataclass(frozen=True)
class VariationData:
    trust: str
    reference: str
    instead: str
    reason: str
    cost_difference: str  # per vehicle, £; negative when cheaper
    # What became of it, and the programme admin's reason when they decided it.
    outcome: DecisionStatus
    decision_reason: str = ""


# Asked while version 1 was current.
VARIATIONS_ON_VERSION_1: tuple[VariationData, ...] = (
    VariationData(
        "LAS",
        "ST-02",
        "Keep the powered loading system already fitted across our fleet, with the matching "
        "stretcher, rather than the one the joint tender selects.",
        "Our 480 double-crewed ambulances all carry the same stretcher and loading system, and "
        "London's emergency departments swap stretchers with our crews at handover. A second "
        "system would mean two sets of spares, training and servicing for at least seven years.",
        "1850.00",
        DecisionStatus.APPROVED,
        "Approved: stretcher interchangeability at London's emergency departments is a patient "
        "safety matter, and the system LAS uses meets ST-01 and is crash-tested to BS EN 1789. "
        "LAS pays the difference.",
    ),
    VariationData(
        "SWASFT",
        "BV-02",
        "Manual six-speed gearbox instead of the automatic.",
        "It is cheaper to buy and to repair, and some of our older drivers prefer it on steep, "
        "narrow rural roads.",
        "-2600.00",
        DecisionStatus.REJECTED,
        "Rejected: the automatic gearbox is part of the national specification, our "
        "harmonised driver training assumes it, and crews moving between trusts would otherwise "
        "meet two gearboxes. Hill-start assist covers the steep roads.",
    ),
    VariationData(
        "EEAST",
        "LV-01",
        "Extend the Battenburg livery onto the bonnet.",
        "Crews say the front of the vehicle is hard to see on unlit rural roads.",
        "180.00",
        DecisionStatus.WITHDRAWN,
    ),
    VariationData(
        "EEAST",
        "CB-05",
        "Carry chair stowage in the nearside side-door well, not inside the rear doors.",
        "Our current fleet stows the carry chair by the side door; our manual handling "
        "training and station procedures assume it, and at roadside jobs the side door is the "
        "one away from traffic.",
        "0.00",
        DecisionStatus.PENDING,
    ),
)

# Asked against version 2.
VARIATIONS_ON_VERSION_2: tuple[VariationData, ...] = (
    VariationData(
        "SECAmb",
        "LV-03",
        "The trust's name on the bonnet and the rear doors only, not on the sides.",
        "Our side panels carry the 'Choose well: 111 or 999' message under a county "
        "partnership agreement that runs until 2029.",
        "-60.00",
        DecisionStatus.APPROVED,
        "Approved: the NHS identity and AMBULANCE markings are unchanged, and the side panels "
        "stay within the Battenburg livery.",
    ),
    VariationData(
        "SCAS",
        "CM-04",
        "Forward-facing and saloon cameras only; no rear camera.",
        "Our current vehicles have no rear camera and our information governance team would "
        "need to review a new recording position.",
        "-450.00",
        DecisionStatus.REJECTED,
        "Rejected: the rear camera records reversing incidents and assaults on crews at the "
        "rear doors, which all five trusts asked for. The DPIA template from the other trusts "
        "can be reused.",
    ),
    VariationData(
        "LAS",
        "EL-07",
        "Six 12 V sockets in the saloon instead of four, three of them at the patient's head.",
        "Our crews now carry a video laryngoscope, a syringe driver and a mechanical CPR "
        "device that all charge from 12 V, and the monitor-defibrillator takes a fourth.",
        "90.00",
        DecisionStatus.PENDING,
    ),
    VariationData(
        "SWASFT",
        "BV-05",
        "A 5 kW auxiliary heater instead of 3.5 kW.",
        "On long waits at remote scenes and at hospital handover on winter nights, the 3.5 kW "
        "heater cannot keep the saloon warm with the rear doors opening; our crews and patients "
        "have complained of cold saloons on Dartmoor and Exmoor.",
        "420.00",
        DecisionStatus.PENDING,
    ),
)


@dataclass(frozen=True)
class ChangeRequestData:
    trust: str
    units: tuple[int, int, int]
    options: tuple[str, ...]
    reason: str
    approve: bool | None  # None: waiting for a decision
    decision_reason: str = ""


CONFIRMING = ("SCAS", "SECAmb")
CHANGE_REQUESTS: tuple[ChangeRequestData, ...] = (
    ChangeRequestData(
        "SCAS",
        (28, 30, 32),
        ("BV-07", "EL-09"),
        "Two more vehicles in the third year, for the new hub at Basingstoke that our board "
        "approved after we confirmed.",
        True,
        "Approved: the supplier's capacity for the third year allows it, and the price holds.",
    ),
    ChangeRequestData(
        "SECAmb",
        (36, 44, 38),
        ("BV-07", "ST-04", "CM-06"),
        "Four more vehicles in the second year, to replace ambulances written off in road "
        "traffic collisions this winter; the insurance settlement pays for them.",
        None,
    ),
)


# --- Loading -------------------------------------------------------------------------------------
def seed_demo_procurement() -> list[ProcurementRound]:
    """Load the demo joint purchase and its round; return the rounds. What exists is left alone."""
    with transaction.atomic():
        project = JointProject.objects.filter(slug=JOINT_PURCHASE.slug).first()
        if project is None:
            project = build_demo_project(JOINT_PURCHASE, _joint_purchase_story)
        round_ = ProcurementRound.objects.filter(slug=ROUND_SLUG).first()
        if round_ is None:
            round_ = _build_round(project)
    return [round_]


def _user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise LookupError(f"Load the demo accounts before the demo procurement: no {email}.")
    return user


def _lead(trust: str) -> User:
    return _user(LEADS[trust])


def _build_round(project: JointProject) -> ProcurementRound:
    admin = _user(ADMIN_SOUTHERN)
    trusts = {trust.short_name: trust for trust in Trust.objects.filter(short_name__in=LEADS)}
    round_ = round_create(
        project=project,
        actor=admin,
        title=ROUND_TITLE,
        description=ROUND_DESCRIPTION,
        closing_date=timezone.localdate() + datetime.timedelta(days=CLOSING_IN_DAYS),
        first_delivery_year=FIRST_DELIVERY_YEAR,
        delivery_years=3,
    )
    if round_.slug != ROUND_SLUG:
        raise ValueError(f"{ROUND_TITLE!r} makes the slug {round_.slug!r}, not {ROUND_SLUG!r}.")

    # Version 1: written and published by the programme admin.
    version_1 = round_.versions.get(number=1)
    for item in SPECIFICATION:
        _save_item(version_1, admin, item)
    version_publish(version=version_1, actor=admin)

    # Every trust enters its demand against version 1; some ask for variations.
    requirements = {
        data.trust: requirement_save(
            round=round_,
            trust=trusts[data.trust],
            actor=_lead(data.trust),
            quantities=dict(zip(round_.years, data.units, strict=True)),
            optional_references=list(data.options),
        )
        for data in DEMAND
    }
    for data in VARIATIONS_ON_VERSION_1:
        _vary(requirements[data.trust], data, admin)

    # Version 2: the fleet leads' review.
    version_2 = version_start_draft(round=round_, actor=admin)
    items = {item.reference: item for item in version_2.line_items.all()}
    for reference, changes in V2_CHANGED.items():
        item = items[reference]
        fields = {
            "section": item.section,
            "reference": item.reference,
            "requirement": item.requirement,
            "kind": item.kind,
            "unit": item.unit,
            "quantity_per_vehicle": item.quantity_per_vehicle,
            "estimated_unit_cost": item.estimated_unit_cost,
        }
        line_item_save(version=version_2, actor=admin, line_item=item, **{**fields, **changes})
    for item in V2_ADDED:
        _save_item(version_2, admin, item)
    for reference in V2_REMOVED:
        line_item_remove(line_item=items[reference], actor=admin)
    version_publish(version=version_2, actor=admin, change_summary=V2_CHANGE_SUMMARY)

    # Every trust but one brings its order up to version 2 (dropping options no longer there).
    current = set(version_2.line_items.values_list("reference", flat=True))
    for data in DEMAND:
        if data.trust == STAYS_ON_VERSION_1:
            continue
        requirements[data.trust] = requirement_save(
            round=round_,
            trust=trusts[data.trust],
            actor=_lead(data.trust),
            quantities=dict(zip(round_.years, data.units, strict=True)),
            optional_references=[ref for ref in data.options if ref in current],
        )
    for data in VARIATIONS_ON_VERSION_2:
        _vary(requirements[data.trust], data, admin)

    # Two trusts confirm their final order; a change after that is a request.
    for trust in CONFIRMING:
        requirements[trust] = requirement_confirm(
            requirement=requirements[trust], actor=_lead(trust), confirmed=True
        )
    for data in CHANGE_REQUESTS:
        change = change_request_create(
            requirement=requirements[data.trust],
            actor=_lead(data.trust),
            quantities=dict(zip(round_.years, data.units, strict=True)),
            optional_references=list(data.options),
            reason=data.reason,
        )
        if data.approve is not None:
            change_request_decide(
                change_request=change,
                actor=admin,
                approve=data.approve,
                reason=data.decision_reason,
            )

    _spread_over_time(round_)
    round_.refresh_from_db()
    return round_


def _save_item(version: SpecificationVersion, admin: User, item: ItemData) -> LineItem:
    return line_item_save(
        version=version,
        actor=admin,
        section=version.sections.get(title=item.section),
        reference=item.reference,
        requirement=item.requirement,
        kind=item.kind,
        unit=item.unit,
        quantity_per_vehicle=Decimal(item.quantity_per_vehicle),
        estimated_unit_cost=Decimal(item.estimated_unit_cost),
    )


def _vary(requirement: TrustRequirement, data: VariationData, admin: User) -> VariationRequest:
    lead = _lead(data.trust)
    variation = variation_request_create(
        requirement=requirement,
        actor=lead,
        reference=data.reference,
        instead=data.instead,
        reason=data.reason,
        cost_difference_per_vehicle=Decimal(data.cost_difference),
    )
    if data.outcome == DecisionStatus.WITHDRAWN:
        variation = variation_withdraw(variation=variation, actor=lead)
    elif data.outcome in (DecisionStatus.APPROVED, DecisionStatus.REJECTED):
        variation = variation_decide(
            variation=variation,
            actor=admin,
            approve=data.outcome == DecisionStatus.APPROVED,
            reason=data.decision_reason,
        )
    return variation


def _spread_over_time(round_: ProcurementRound) -> None:
    """DEMO ONLY: move the round's own timestamps back over the past six weeks.

    The services stamp everything with the moment the demo is loaded; the round's pages read
    better when version 1 was published weeks before version 2, and requests waited days for
    their decisions. Only dates are moved, keeping the order things happened in (a variation is
    decided before its trust confirms), and only the procurement rows: audit events keep the
    time they were recorded, as in the projects demo. Real rounds never write these fields.
    """
    now = timezone.now()

    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    version_1, version_2 = round_.versions.order_by("number")
    ProcurementRound.objects.filter(pk=round_.pk).update(created_at=ago(42))
    SpecificationVersion.objects.filter(pk=version_1.pk).update(
        created_at=ago(42), published_at=ago(35)
    )
    SpecificationVersion.objects.filter(pk=version_2.pk).update(
        created_at=ago(18), published_at=ago(14)
    )
    requirements = round_.requirements.all()
    requirements.filter(version=version_1).update(updated_at=ago(30))
    requirements.filter(version=version_2).update(updated_at=ago(11))
    requirements.filter(confirmed_at__isnull=False).update(confirmed_at=ago(5))
    variations = VariationRequest.objects.filter(requirement__round=round_)
    for version, asked_days_ago, decided_days_ago in ((version_1, 28, 24), (version_2, 10, 7)):
        asked = variations.filter(version=version)
        asked.update(requested_at=ago(asked_days_ago))
        asked.filter(decided_at__isnull=False).update(decided_at=ago(decided_days_ago))
    changes = RequirementChangeRequest.objects.filter(requirement__round=round_)
    for change in changes.filter(decided_at__isnull=False):
        change.requested_at, change.decided_at = ago(4), ago(3)
        change.save(update_fields=["requested_at", "decided_at"])
        if change.status == DecisionStatus.APPROVED:
            # Approving the change rewrote the order.
            requirements.filter(pk=change.requirement_id).update(updated_at=ago(3))
    changes.filter(decided_at__isnull=True).update(requested_at=ago(2))
