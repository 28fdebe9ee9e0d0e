"""Each person hears as often as they chose: straight away, in a daily or weekly digest, or
only in the portal; a deactivated person hears nothing."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail

from collab.dates import long_day
from collab.models import (
    Delivery,
    DeliveryStatus,
    Digest,
    EmailFrequency,
    NotificationCategory,
    NotificationPreference,
    Role,
)
from collab.tasks import send_digests
from projects.services import (
    participation_decide,
    project_open,
    project_start,
    withdrawal_request_create,
)
from tests.factories import RoleFactory, UserFactory
from tests.notifications.conftest import drain, emails, emails_for, notifications
from tests.notifications.conftest import open_second_project as open_project_b
from tests.notifications.helpers import kinds_for
from tests.projects.helpers import days

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

PREFIX = settings.PORTAL_EMAIL_SUBJECT_PREFIX


def _admin(email: str, southern):
    person = UserFactory(email=email, full_name=email.split("@")[0].title())
    RoleFactory(user=person, role=Role.PROGRAMME_ADMIN, collaboration=southern)
    return person


def _prefer(person, category: str, frequency: str) -> None:
    NotificationPreference.objects.create(person=person, category=category, frequency=frequency)


def _decide(project, lead, opt_in: bool) -> None:
    participation_decide(
        participation=project.participations.get(trust=lead.home_trust),
        actor=lead,
        opt_in=opt_in,
        reason="Board view.",
        contact=lead,
        confirmed=True,
    )


def _in_order(text: str, *parts: str) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


def _statuses(person) -> set[str]:
    return set(
        Delivery.objects.filter(notification__recipient=person).values_list("status", flat=True)
    )


def _run_digests(frequency: str, *, times: int = 1) -> None:
    """Queue the digest sweep (several times at once if asked) and wait for the worker."""
    for _ in range(times):
        send_digests.apply_async((frequency,))
    drain()


@pytest.fixture
def people(
    real_worker, draft_project, southern, las, admin_of_southern, lead_of_las, lead_of_secamb
):
    """Who chose what, and what they were all told through the services, in this order:
    projects A and B open (the leads are told), three decisions (the admins are told), one
    admin leaves, A starts (the leads are told), LAS asks to withdraw (the admins are told)."""
    people = SimpleNamespace(
        daily=admin_of_southern,  # trust decisions daily; requests straight away
        immediate=_admin("admin.two@example.org", southern),  # chose nothing: straight away
        leaver=_admin("admin.leaving@example.org", southern),  # daily, then deactivated
        weekly=lead_of_las,  # project decisions weekly
        in_app=lead_of_secamb,  # project decisions in the portal only
    )
    _prefer(people.daily, NotificationCategory.TRUST_DECISIONS, EmailFrequency.DAILY)
    _prefer(people.leaver, NotificationCategory.TRUST_DECISIONS, EmailFrequency.DAILY)
    _prefer(people.weekly, NotificationCategory.DECISIONS, EmailFrequency.WEEKLY)
    _prefer(people.in_app, NotificationCategory.DECISIONS, EmailFrequency.IN_APP)

    project_a = project_open(project=draft_project, actor=people.daily)
    project_b = open_project_b(southern, people.daily, las, "Shared rota tool")
    _decide(project_a, lead_of_las, True)
    _decide(project_b, lead_of_secamb, False)
    _decide(project_a, lead_of_secamb, True)
    people.leaver.is_active = False
    people.leaver.save(update_fields=["is_active"])
    project_start(project=project_a, actor=people.immediate)
    withdrawal_request_create(
        participation=project_a.participations.get(trust=las),
        actor=lead_of_las,
        reason="Budget cut.",
        impact="SECAmb goes on alone.",
    )
    drain()
    return people


def test_people_who_chose_nothing_get_one_email_per_notification_straight_away(people):
    decided = notifications(kind="participation.decided", recipient=people.immediate)
    requested = notifications(kind="withdrawal.requested")
    assert len(decided) == 3
    assert {n.recipient for n in requested} == {people.immediate, people.daily}
    assert emails() == emails_for(decided + requested)


def test_the_daily_digest_is_one_email_grouped_by_project_newest_first(people):
    straight_away = list(mail.outbox)

    _run_digests("daily", times=2)  # two sweeps at once: still one digest
    _run_digests("daily")  # and again, later the same day

    [digest] = [message for message in mail.outbox if message not in straight_away]
    assert digest.to == [people.daily.email]
    assert digest.subject.startswith(PREFIX + "3 updates ")
    assert _in_order(
        digest.body,
        "AI triage evaluation",
        "SECAmb opted in to AI triage evaluation",
        "LAS opted in to AI triage evaluation",
        "Shared rota tool",
        "SECAmb opted out of Shared rota tool",
    ), digest.body
    assert "withdraw" not in digest.body  # requests are emailed straight away
    assert _statuses(people.daily) == {DeliveryStatus.SENT}


def test_the_weekly_digest_waits_for_the_weekly_run(people):
    straight_away = list(mail.outbox)
    _run_digests("daily")
    assert people.weekly.email not in {message.to[0] for message in mail.outbox}

    _run_digests("weekly")

    [weekly] = [m for m in mail.outbox if m not in straight_away and m.to == [people.weekly.email]]
    assert weekly.subject.startswith(PREFIX + "3 updates ")
    deadline = long_day(days(14))  # both projects' decision deadline
    assert _in_order(
        weekly.body,
        "AI triage evaluation has started",
        f"Decide by {deadline}: AI triage evaluation",
        f"Decide by {deadline}: Shared rota tool",
    ), weekly.body


def test_in_app_people_are_told_everything_and_never_emailed(people):
    _run_digests("daily")
    _run_digests("weekly")

    assert sorted(kinds_for(people.in_app)) == [
        "project.opened",
        "project.opened",
        "project.started",
    ]
    assert _statuses(people.in_app) == {DeliveryStatus.SKIPPED}
    assert people.in_app.email not in {message.to[0] for message in mail.outbox}


def test_a_deactivated_person_is_emailed_nothing_not_even_what_waited_for_their_digest(people):
    _run_digests("daily")

    # Told of the three decisions before leaving, and of nothing since.
    assert kinds_for(people.leaver) == ["participation.decided"] * 3
    assert _statuses(people.leaver) == {DeliveryStatus.SKIPPED}
    assert Digest.objects.get(recipient=people.leaver).status == DeliveryStatus.SKIPPED
    assert people.leaver.email not in {message.to[0] for message in mail.outbox}
