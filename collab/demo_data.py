"""Demo data for the local portal: every UK ambulance service, three collaborations, 12 accounts.

The data are plain constants; `seed_demo_data` loads them. Loading is idempotent: every row is
found by its natural key (ODS code, email domain, collaboration slug, email address, ...), so a
second run changes nothing and creates nothing. Facts come from /work/shared/background/; names
of people are fictional.
"""

import calendar
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from allauth.account.models import EmailAddress
from django.db import models, transaction
from django.utils import timezone

from collab.models import (
    ChairTerm,
    Collaboration,
    CollaborationMembership,
    Nation,
    Role,
    Trust,
    TrustEmailDomain,
    User,
)
from collab.services import role_assign

DEFAULT_DEMO_PASSWORD = "ambulance-demo"

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass(frozen=True)
class TrustData:
    name: str
    short_name: str
    ods_code: str
    nation: Nation
    region: str
    email_domains: tuple[str, ...]

    @property
    def slug(self) -> str:
        return self.short_name.lower()


@dataclass(frozen=True)
class CollaborationData:
    name: str
    short_name: str
    slug: str
    description: str
    # Trust short name -> the day it joined.
    members: dict[str, datetime.date]
    # The order in which the chair passes between member trusts (short names).
    chair_rotation: tuple[str, ...]
    chair_rotation_starts_on: datetime.date
    first_chair_term_months: int = 12


@dataclass(frozen=True)
class DemoRole:
    role: Role
    trust: str | None = None  # short name
    collaboration: str | None = None  # slug

    @property
    def scope_label(self) -> str:
        if self.trust:
            return self.trust
        if self.collaboration:
            return _collaboration_data(self.collaboration).short_name
        return "Whole site"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    job_title: str
    home_trust: str | None  # short name; site admins have none
    roles: tuple[DemoRole, ...]


# --- Trusts ------------------------------------------------------------------------------------
# The ten English regional ambulance trusts, the Isle of Wight NHS Trust and the three national
# services. Domains are the services' own NHS domains, for flavour. Shared domains (nhs.net,
# wales.nhs.uk, nhs.scot) are never mapped: a domain decides where a self sign-up lands, so it
# must belong to one trust. example.org (the demo accounts) is not mapped either.
TRUSTS: tuple[TrustData, ...] = (
    TrustData(
        name="London Ambulance Service NHS Trust",
        short_name="LAS",
        ods_code="RRU",
        nation=Nation.ENGLAND,
        region="London",
        email_domains=("lond-amb.nhs.uk", "londonambulance.nhs.uk"),
    ),
    TrustData(
        name="North East Ambulance Service NHS Foundation Trust",
        short_name="NEAS",
        ods_code="RX6",
        nation=Nation.ENGLAND,
        region="North East and Yorkshire",
        email_domains=("neas.nhs.uk",),
    ),
    TrustData(
        name="North West Ambulance Service NHS Trust",
        short_name="NWAS",
        ods_code="RX7",
        nation=Nation.ENGLAND,
        region="North West",
        email_domains=("nwas.nhs.uk",),
    ),
    TrustData(
        name="Yorkshire Ambulance Service NHS Trust",
        short_name="YAS",
        ods_code="RX8",
        nation=Nation.ENGLAND,
        region="North East and Yorkshire",
        email_domains=("yas.nhs.uk",),
    ),
    TrustData(
        name="East Midlands Ambulance Service NHS Trust",
        short_name="EMAS",
        ods_code="RX9",
        nation=Nation.ENGLAND,
        region="Midlands",
        email_domains=("emas.nhs.uk",),
    ),
    TrustData(
        name="West Midlands Ambulance Service University NHS Foundation Trust",
        short_name="WMAS",
        ods_code="RYA",
        nation=Nation.ENGLAND,
        region="Midlands",
        email_domains=("wmas.nhs.uk",),
    ),
    TrustData(
        name="East of England Ambulance Service NHS Trust",
        short_name="EEAST",
        ods_code="RYC",
        nation=Nation.ENGLAND,
        region="East of England",
        email_domains=("eastamb.nhs.uk",),
    ),
    TrustData(
        name="South East Coast Ambulance Service NHS Foundation Trust",
        short_name="SECAmb",
        ods_code="RYD",
        nation=Nation.ENGLAND,
        region="South East",
        email_domains=("secamb.nhs.uk",),
    ),
    TrustData(
        name="South Central Ambulance Service NHS Foundation Trust",
        short_name="SCAS",
        ods_code="RYE",
        nation=Nation.ENGLAND,
        region="South East",
        email_domains=("scas.nhs.uk",),
    ),
    TrustData(
        name="South Western Ambulance Service NHS Foundation Trust",
        short_name="SWASFT",
        ods_code="RYF",
        nation=Nation.ENGLAND,
        region="South West",
        email_domains=("swast.nhs.uk",),
    ),
    TrustData(
        name="Isle of Wight NHS Trust",
        short_name="IOW",
        ods_code="R1F",
        nation=Nation.ENGLAND,
        region="South East",
        email_domains=("iow.nhs.uk",),
    ),
    # NHS Wales staff share wales.nhs.uk, so the service's own subdomain stands in for it.
    TrustData(
        name="Welsh Ambulance Services University NHS Trust",
        short_name="WAST",
        ods_code="RT4",
        nation=Nation.WALES,
        region="Wales",
        email_domains=("ambulance.wales.nhs.uk",),
    ),
    # SA9 and NI9 are placeholders for the demo only: the Scottish and Northern Ireland codes
    # are not confirmed in our sources. Replace them with the real codes before any real use.
    TrustData(
        name="Scottish Ambulance Service",
        short_name="SAS",
        ods_code="SA9",
        nation=Nation.SCOTLAND,
        region="Scotland",
        email_domains=("scottishambulance.com",),
    ),
    TrustData(
        name="Northern Ireland Ambulance Service Health and Social Care Trust",
        short_name="NIAS",
        ods_code="NI9",
        nation=Nation.NORTHERN_IRELAND,
        region="Northern Ireland",
        email_domains=("nias.hscni.net",),
    ),
)

ENGLISH_REGIONAL_TRUSTS: tuple[str, ...] = (
    "LAS",
    "NEAS",
    "NWAS",
    "YAS",
    "EMAS",
    "WMAS",
    "EEAST",
    "SECAmb",
    "SCAS",
    "SWASFT",
)

# --- Collaborations ----------------------------------------------------------------------------
# HSJ reported the Southern collaboration forming on 29 May 2024, with the South East Coast chief
# executive in the chair for its first six months (background 000_*.txt).
SOUTHERN_FORMED_ON = datetime.date(2024, 5, 29)
NORTHERN_LAUNCHED_ON = datetime.date(2016, 6, 1)
NATIONAL_STARTED_ON = datetime.date(2023, 4, 1)

COLLABORATIONS: tuple[CollaborationData, ...] = (
    CollaborationData(
        name="Southern Ambulance Services Collaboration",
        short_name="SASC",
        slug="southern",
        description=(
            "Five southern ambulance trusts working together on service improvement, best "
            "practice and shared challenges: AI, a common vehicle specification bought jointly "
            "and driver training recognised between trusts. It is not a merger: each trust opts "
            "in or out of each project, and sees through what it joins."
        ),
        members=dict.fromkeys(("SECAmb", "EEAST", "LAS", "SCAS", "SWASFT"), SOUTHERN_FORMED_ON),
        chair_rotation=("SECAmb", "EEAST", "LAS", "SCAS", "SWASFT"),
        chair_rotation_starts_on=SOUTHERN_FORMED_ON,
        first_chair_term_months=6,
    ),
    CollaborationData(
        name="Northern Ambulance Alliance",
        short_name="NAA",
        slug="northern",
        description=(
            "Launched in 2016 by the North East, North West and Yorkshire ambulance services and "
            "since joined by East Midlands and West Midlands. Not a merger: a programme board "
            "and a rotating chair, with each trust board keeping its own responsibility."
        ),
        members={
            "NEAS": NORTHERN_LAUNCHED_ON,
            "NWAS": NORTHERN_LAUNCHED_ON,
            "YAS": NORTHERN_LAUNCHED_ON,
            # Not dated in our sources: East Midlands was a member by 2024, and West Midlands
            # had "just joined" in May 2024.
            "EMAS": datetime.date(2019, 4, 1),
            "WMAS": datetime.date(2024, 4, 1),
        },
        chair_rotation=("NEAS", "NWAS", "YAS", "EMAS", "WMAS"),
        chair_rotation_starts_on=NORTHERN_LAUNCHED_ON,
    ),
    CollaborationData(
        name="National Ambulance Programme (England)",
        short_name="National",
        slug="national",
        description=(
            "All ten English NHS ambulance trusts working on national programmes, such as the "
            "common double-crewed ambulance specification and #ProjectA, where frontline staff "
            "put forward ideas to prototype and implement across every trust."
        ),
        members=dict.fromkeys(ENGLISH_REGIONAL_TRUSTS, NATIONAL_STARTED_ON),
        chair_rotation=ENGLISH_REGIONAL_TRUSTS,
        chair_rotation_starts_on=NATIONAL_STARTED_ON,
    ),
)

# Chair terms are laid out at least this far ahead, and always at least a year beyond today,
# so that every collaboration has a current chair whenever the demo is loaded.
CHAIR_TERMS_AT_LEAST_UNTIL = datetime.date(2027, 12, 31)

# --- Demo accounts -----------------------------------------------------------------------------
# example.org addresses belong to no trust: the home trust comes from here, not from the domain.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        email="lead.las@example.org",
        full_name="Priya Raman",
        job_title="Director of Strategy and Transformation",
        home_trust="LAS",
        roles=(DemoRole(Role.TRUST_LEAD, trust="LAS"), DemoRole(Role.STAFF, trust="LAS")),
    ),
    DemoAccount(
        email="lead.secamb@example.org",
        full_name="Tom Ashworth",
        job_title="Associate Director of Partnerships",
        home_trust="SECAmb",
        roles=(DemoRole(Role.TRUST_LEAD, trust="SECAmb"), DemoRole(Role.STAFF, trust="SECAmb")),
    ),
    DemoAccount(
        email="lead.yas@example.org",
        full_name="Helen Bradshaw",
        job_title="Head of Programme Management",
        home_trust="YAS",
        roles=(DemoRole(Role.TRUST_LEAD, trust="YAS"), DemoRole(Role.STAFF, trust="YAS")),
    ),
    DemoAccount(
        email="staff.las@example.org",
        full_name="Kwame Mensah",
        job_title="Paramedic",
        home_trust="LAS",
        roles=(DemoRole(Role.STAFF, trust="LAS"),),
    ),
    DemoAccount(
        email="admin.southern@example.org",
        full_name="Rachel Okafor",
        job_title="Programme Manager, Southern Ambulance Services Collaboration",
        home_trust="SCAS",
        roles=(
            DemoRole(Role.PROGRAMME_ADMIN, collaboration="southern"),
            DemoRole(Role.STAFF, trust="SCAS"),
        ),
    ),
    # Leads of the other Southern trusts, so that every trust in the demo projects can decide.
    DemoAccount(
        email="lead.eeast@example.org",
        full_name="Joanne Mercer",
        job_title="Director of Transformation and Improvement",
        home_trust="EEAST",
        roles=(DemoRole(Role.TRUST_LEAD, trust="EEAST"), DemoRole(Role.STAFF, trust="EEAST")),
    ),
    DemoAccount(
        email="lead.scas@example.org",
        full_name="Neil Chaudhry",
        job_title="Associate Director of Fleet and Logistics",
        home_trust="SCAS",
        roles=(DemoRole(Role.TRUST_LEAD, trust="SCAS"), DemoRole(Role.STAFF, trust="SCAS")),
    ),
    DemoAccount(
        email="lead.swasft@example.org",
        full_name="Bethan Carew",
        job_title="Head of Education and Training",
        home_trust="SWASFT",
        roles=(DemoRole(Role.TRUST_LEAD, trust="SWASFT"), DemoRole(Role.STAFF, trust="SWASFT")),
    ),
    # The Northern Ambulance Alliance's programme office and two more of its trusts.
    DemoAccount(
        email="admin.northern@example.org",
        full_name="Andrew Kellett",
        job_title="Programme Manager, Northern Ambulance Alliance",
        home_trust="YAS",
        roles=(
            DemoRole(Role.PROGRAMME_ADMIN, collaboration="northern"),
            DemoRole(Role.STAFF, trust="YAS"),
        ),
    ),
    DemoAccount(
        email="lead.neas@example.org",
        full_name="Lorna Pattinson",
        job_title="Director of Strategic Planning and Performance",
        home_trust="NEAS",
        roles=(DemoRole(Role.TRUST_LEAD, trust="NEAS"), DemoRole(Role.STAFF, trust="NEAS")),
    ),
    DemoAccount(
        email="lead.nwas@example.org",
        full_name="Imran Siddiqui",
        job_title="Head of Workforce Transformation",
        home_trust="NWAS",
        roles=(DemoRole(Role.TRUST_LEAD, trust="NWAS"), DemoRole(Role.STAFF, trust="NWAS")),
    ),
    DemoAccount(
        email="siteadmin@example.org",
        full_name="Sam Fletcher",
        job_title="Portal Service Manager",
        home_trust=None,
        roles=(DemoRole(Role.SITE_ADMIN),),
    ),
)


# --- Loading -----------------------------------------------------------------------------------
def seed_demo_data(*, password: str) -> list[DemoAccount]:
    """Load the demo trusts, collaborations and accounts; return the accounts that can sign in.

    Safe to run again: it creates nothing new and only resets the accounts' password.
    """
    with transaction.atomic():
        trusts = {data.short_name: _seed_trust(data) for data in TRUSTS}
        for data in COLLABORATIONS:
            _seed_collaboration(data, trusts)
        collaborations = {c.slug: c for c in Collaboration.objects.all()}
        for account in DEMO_ACCOUNTS:
            _seed_account(account, password, trusts, collaborations)
    return list(DEMO_ACCOUNTS)


def _upsert(model: type[ModelT], lookup: dict, values: dict) -> ModelT:
    """Find the row by its natural key, or make it; save only when something differs.

    Unlike update_or_create this runs the model's validation (ODS code format, chair overlap).
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        changed = True
    else:
        changed = False
        for field, value in values.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
                changed = True
    if changed:
        row.full_clean()
        row.save()
    return row


def _seed_trust(data: TrustData) -> Trust:
    trust = _upsert(
        Trust,
        {"ods_code": data.ods_code},
        {
            "name": data.name,
            "short_name": data.short_name,
            "slug": data.slug,
            "nation": data.nation,
            "region": data.region,
        },
    )
    for domain in data.email_domains:
        _upsert(TrustEmailDomain, {"domain": domain}, {"trust": trust})
    return trust


def _seed_collaboration(data: CollaborationData, trusts: dict[str, Trust]) -> Collaboration:
    collaboration = _upsert(
        Collaboration,
        {"slug": data.slug},
        {"name": data.name, "short_name": data.short_name, "description": data.description},
    )
    for short_name, joined_on in data.members.items():
        # The open membership is the natural key: a trust may have left and rejoined before.
        _upsert(
            CollaborationMembership,
            {"collaboration": collaboration, "trust": trusts[short_name], "left_on": None},
            {"joined_on": joined_on},
        )
    for trust_short_name, starts_on, ends_on in _chair_terms(data):
        _upsert(
            ChairTerm,
            {"collaboration": collaboration, "starts_on": starts_on},
            {
                "trust": trusts[trust_short_name],
                "ends_on": ends_on,
                "chair_name": f"Chief Executive, {trust_short_name}",
            },
        )
    return collaboration


def _chair_terms(data: CollaborationData) -> Iterator[tuple[str, datetime.date, datetime.date]]:
    """Back-to-back terms from the rotation's start, passing the chair to the next member.

    A trust that had not yet joined when a term starts is skipped, so it never chairs early.
    """
    until = max(CHAIR_TERMS_AT_LEAST_UNTIL, timezone.localdate() + datetime.timedelta(days=366))
    starts_on = data.chair_rotation_starts_on
    months = data.first_chair_term_months
    turn = 0
    while starts_on <= until:
        while data.members[data.chair_rotation[turn % len(data.chair_rotation)]] > starts_on:
            turn += 1
        ends_on = _add_months(starts_on, months) - datetime.timedelta(days=1)
        yield data.chair_rotation[turn % len(data.chair_rotation)], starts_on, ends_on
        turn += 1
        starts_on = ends_on + datetime.timedelta(days=1)
        months = 12


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def _seed_account(
    account: DemoAccount,
    password: str,
    trusts: dict[str, Trust],
    collaborations: dict[str, Collaboration],
) -> User:
    user = User.objects.filter(email=account.email).first() or User(email=account.email)
    user.full_name = account.full_name
    user.job_title = account.job_title
    user.home_trust = trusts[account.home_trust] if account.home_trust else None
    user.is_active = True
    # Reset only when it differs: a new hash on every run would be a change for nothing.
    if not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
    user.full_clean()
    user.save()
    # Verified and primary, so the account can sign in under mandatory email verification.
    EmailAddress.objects.update_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    for demo_role in account.roles:
        role_assign(
            user=user,
            role=demo_role.role,
            trust=trusts[demo_role.trust] if demo_role.trust else None,
            collaboration=collaborations[demo_role.collaboration]
            if demo_role.collaboration
            else None,
            actor=None,
        )
    return user


def _collaboration_data(slug: str) -> CollaborationData:
    return next(data for data in COLLABORATIONS if data.slug == slug)
