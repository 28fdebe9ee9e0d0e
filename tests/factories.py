"""factory_boy factories for the core. Personas built from them live in tests/conftest.py."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from collab.models import (
    ChairTerm,
    Collaboration,
    CollaborationMembership,
    Nation,
    Notification,
    NotificationCategory,
    RoleAssignment,
    Trust,
    User,
)
from collab.notifications.selectors import unread_count_changed

PASSWORD = "correct-horse-battery-staple"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust
        django_get_or_create = ["ods_code"]

    name = factory.Sequence(lambda n: f"Test Ambulance Service {n} NHS Trust")
    short_name = factory.Sequence(lambda n: f"TAS{n}")
    slug = factory.LazyAttribute(lambda trust: trust.short_name.lower())
    ods_code = factory.Sequence(lambda n: f"T{n:03d}")
    nation = Nation.ENGLAND
    region = "London"


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaboration
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test Collaboration {n}")
    short_name = factory.Sequence(lambda n: f"TC{n}")
    slug = factory.LazyAttribute(lambda collaboration: collaboration.short_name.lower())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationMembership

    collaboration = factory.SubFactory(CollaborationFactory)
    trust = factory.SubFactory(TrustFactory)
    joined_on = datetime.date(2024, 1, 15)


def leave_collaboration_yesterday(trust, collaboration) -> CollaborationMembership:
    """The trust's membership ends, recorded as the Django admin records it
    (collab.admin_audit). Run on-commit callbacks to see the page cache renewed."""
    from collab.audit import audit_record

    membership = CollaborationMembership.objects.get(trust=trust, collaboration=collaboration)
    membership.left_on = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    audit_record(actor=None, action="admin.collaborationmembership.changed", target=membership)
    return membership


class ChairTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairTerm

    collaboration = factory.SubFactory(CollaborationFactory)
    trust = factory.SubFactory(TrustFactory)
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=335))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    home_trust = factory.SubFactory(TrustFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        # Mandatory verification: a person without a verified address cannot sign in.
        if create:
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "staff"


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification about a trust (the recipient's own by default), as notify() writes one."""

    class Meta:
        model = Notification
        exclude = ["target"]
        skip_postgeneration_save = True

    recipient = factory.SubFactory(UserFactory)
    target = factory.LazyAttribute(lambda n: n.recipient.home_trust or TrustFactory())
    kind = "test.told"
    category = NotificationCategory.DECISIONS
    target_type = factory.LazyAttribute(lambda n: ContentType.objects.get_for_model(n.target))
    target_id = factory.LazyAttribute(lambda n: n.target.pk)
    # Tells repeats apart, so one person can be told many things about the same trust.
    step = factory.Sequence(lambda n: f"step-{n}")
    title = factory.Sequence(lambda n: f"Update number {n}")
    body = "Something happened that you should know about."
    url = factory.LazyAttribute(lambda n: f"/trusts/{n.target.slug}/")
    group_label = "AI triage evaluation"
    reason = "You lead your trust and decide for it."

    @factory.post_generation
    def renew_unread_count(notification, create, extracted, **kwargs):
        # As notify() does: the recipient's unread count in the header is renewed.
        if create:
            unread_count_changed([notification.recipient_id])
