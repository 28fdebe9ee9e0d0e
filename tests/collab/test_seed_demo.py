"""The demo seed: every UK ambulance service, three collaborations, 12 accounts, idempotent.

Expected values are written out here rather than read from collab.demo_data, so that a wrong
constant there fails a test instead of agreeing with itself.
"""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from collab.demo_data import seed_demo_data
from collab.models import (
    AuditEvent,
    ChairTerm,
    Collaboration,
    CollaborationMembership,
    RoleAssignment,
    Trust,
    TrustEmailDomain,
    User,
)
from collab.selectors import current_chair, current_member_trusts, trust_for_email

PASSWORD = "seed-test-password"

ALL_SHORT_NAMES = {
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
    "IOW",
    "WAST",
    "SAS",
    "NIAS",
}
ENGLISH_TEN = {"LAS", "NEAS", "NWAS", "YAS", "EMAS", "WMAS", "EEAST", "SECAmb", "SCAS", "SWASFT"}

# email -> (home trust short name or None, {(role, trust short name, collaboration slug)})
DEMO_ACCOUNTS = {
    "lead.las@example.org": ("LAS", {("trust_lead", "LAS", None), ("staff", "LAS", None)}),
    "lead.secamb@example.org": (
        "SECAmb",
        {("trust_lead", "SECAmb", None), ("staff", "SECAmb", None)},
    ),
    "lead.yas@example.org": ("YAS", {("trust_lead", "YAS", None), ("staff", "YAS", None)}),
    "staff.las@example.org": ("LAS", {("staff", "LAS", None)}),
    "admin.southern@example.org": (
        "SCAS",
        {("programme_admin", None, "southern"), ("staff", "SCAS", None)},
    ),
    "lead.eeast@example.org": ("EEAST", {("trust_lead", "EEAST", None), ("staff", "EEAST", None)}),
    "lead.scas@example.org": ("SCAS", {("trust_lead", "SCAS", None), ("staff", "SCAS", None)}),
    "lead.swasft@example.org": (
        "SWASFT",
        {("trust_lead", "SWASFT", None), ("staff", "SWASFT", None)},
    ),
    "admin.northern@example.org": (
        "YAS",
        {("programme_admin", None, "northern"), ("staff", "YAS", None)},
    ),
    "lead.neas@example.org": ("NEAS", {("trust_lead", "NEAS", None), ("staff", "NEAS", None)}),
    "lead.nwas@example.org": ("NWAS", {("trust_lead", "NWAS", None), ("staff", "NWAS", None)}),
    "siteadmin@example.org": (None, {("site_admin", None, None)}),
}

COUNTED_MODELS = (
    Trust,
    TrustEmailDomain,
    Collaboration,
    CollaborationMembership,
    ChairTerm,
    User,
    RoleAssignment,
    EmailAddress,
    AuditEvent,
)


@pytest.fixture
def seeded() -> None:
    seed_demo_data(password=PASSWORD)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


@pytest.mark.django_db
def test_every_uk_ambulance_service_is_a_trust(seeded):
    assert set(Trust.objects.values_list("short_name", flat=True)) == ALL_SHORT_NAMES
    codes = dict(Trust.objects.values_list("short_name", "ods_code"))
    assert codes["LAS"] == "RRU"
    assert codes["SECAmb"] == "RYD"
    assert codes["YAS"] == "RX8"
    assert codes["WAST"] == "RT4"
    assert Trust.objects.get(short_name="SECAmb").slug == "secamb"
    assert Trust.objects.get(short_name="SAS").nation == "scotland"
    assert Trust.objects.get(short_name="NIAS").nation == "northern_ireland"
    assert set(
        Trust.objects.filter(nation="england").values_list("short_name", flat=True)
    ) == ENGLISH_TEN | {"IOW"}


@pytest.mark.django_db
def test_each_trust_has_a_domain_and_demo_or_shared_domains_belong_to_none(seeded):
    assert not Trust.objects.filter(email_domains__isnull=True).exists()
    assert trust_for_email("someone@lond-amb.nhs.uk").short_name == "LAS"
    # Demo accounts get their trust from the seed; shared NHS domains must not pick one trust.
    for email in ("lead.las@example.org", "someone@nhs.net", "someone@wales.nhs.uk"):
        assert trust_for_email(email) is None, email


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "members"),
    [
        ("southern", {"SECAmb", "EEAST", "LAS", "SCAS", "SWASFT"}),
        ("northern", {"NEAS", "NWAS", "YAS", "EMAS", "WMAS"}),
        ("national", ENGLISH_TEN),
    ],
)
def test_collaboration_has_exactly_its_current_members(seeded, slug, members):
    collaboration = Collaboration.objects.get(slug=slug)
    assert {trust.short_name for trust in current_member_trusts(collaboration)} == members


@pytest.mark.django_db
def test_northern_alliance_founders_joined_first(seeded):
    joined = dict(
        CollaborationMembership.objects.filter(collaboration__slug="northern").values_list(
            "trust__short_name", "joined_on"
        )
    )
    assert joined["NEAS"] == joined["NWAS"] == joined["YAS"]
    assert joined["YAS"] < joined["EMAS"] < joined["WMAS"]
    assert joined["NEAS"].year == 2016


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["southern", "northern", "national"])
def test_collaboration_has_a_current_chair_from_a_member_trust(seeded, slug):
    collaboration = Collaboration.objects.get(slug=slug)
    chair = current_chair(collaboration)
    assert chair is not None
    assert chair.trust in current_member_trusts(collaboration)
    assert chair.chair_name


@pytest.mark.django_db
def test_chair_rotates_between_trusts_without_gaps(seeded):
    for collaboration in Collaboration.objects.all():
        terms = list(collaboration.chair_terms.order_by("starts_on"))
        assert len(terms) >= 2, collaboration.slug
        for previous, following in zip(terms, terms[1:], strict=False):
            assert following.trust != previous.trust
            assert (following.starts_on - previous.ends_on).days == 1
    # South East Coast's chief executive took the chair first (background 000).
    first = ChairTerm.objects.filter(collaboration__slug="southern").order_by("starts_on").first()
    assert first.trust.short_name == "SECAmb"


@pytest.mark.django_db
@pytest.mark.parametrize(("email", "expected"), DEMO_ACCOUNTS.items())
def test_demo_account_has_its_roles_home_trust_and_verified_email(seeded, email, expected):
    home_trust, roles = expected
    user = User.objects.get(email=email)
    assert (user.home_trust.short_name if user.home_trust else None) == home_trust
    assert user.full_name
    held = {
        (a.role, a.trust and a.trust.short_name, a.collaboration and a.collaboration.slug)
        for a in user.role_assignments.select_related("trust", "collaboration")
    }
    assert held == roles
    assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert authenticate(request=None, email=email, password=PASSWORD) == user
    assert not user.check_password("wrong-password")


@pytest.mark.django_db
def test_site_admin_can_use_the_admin_but_is_not_a_superuser(seeded):
    user = User.objects.get(email="siteadmin@example.org")
    assert user.is_site_admin
    assert not user.is_superuser


@pytest.mark.django_db
def test_seeding_twice_creates_nothing_new(seeded):
    before = _counts()
    seed_demo_data(password=PASSWORD)
    assert _counts() == before
    assert before["Trust"] == 14
    assert before["User"] == 12


@pytest.mark.django_db
def test_seeding_again_resets_the_password(seeded):
    seed_demo_data(password="another-demo-password")
    user = User.objects.get(email="lead.las@example.org")
    assert user.check_password("another-demo-password")
    assert not user.check_password(PASSWORD)


@pytest.mark.django_db
def test_command_prints_the_accounts_and_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "printed-demo-password")
    out = StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    for email in DEMO_ACCOUNTS:
        assert email in output
    assert "Programme admin" in output
    assert "SASC" in output
    assert "printed-demo-password" in output
    assert User.objects.get(email="staff.las@example.org").check_password("printed-demo-password")


@pytest.mark.django_db
def test_command_uses_the_default_password_when_none_is_set(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.get(email="staff.las@example.org").check_password("ambulance-demo")


@pytest.mark.django_db
def test_quiet_command_prints_no_accounts(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "quiet-demo-password")
    out = StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    output = out.getvalue()
    assert "lead.las@example.org" not in output
    assert "quiet-demo-password" not in output
    # The demo accounts; the demo staff of the ideas campaigns cannot sign in.
    assert sum(user.has_usable_password() for user in User.objects.all()) == 12


@pytest.mark.django_db
def test_the_demo_seed_refuses_to_run_where_it_is_not_allowed(settings):
    settings.PORTAL_DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="local portal"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
