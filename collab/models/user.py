from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from collab.models.trust import Trust


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address, belonging to one home trust."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    home_trust = models.ForeignKey(
        Trust,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="Empty only for national staff such as site admins.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Roles are read many times per request (menus, permissions); cache them on the instance.
    @cached_property
    def role_assignments_cached(self) -> list:
        return list(self.role_assignments.select_related("trust", "collaboration"))

    def _has_role(self, role: str, **scope) -> bool:
        return any(
            assignment.role == role
            and all(getattr(assignment, f"{key}_id") == value for key, value in scope.items())
            for assignment in self.role_assignments_cached
        )

    @property
    def is_site_admin(self) -> bool:
        return self.is_superuser or self._has_role("site_admin")

    @property
    def is_staff(self) -> bool:
        """Django admin access, which only site admins have."""
        return self.is_active and self.is_site_admin

    def leads_trust(self, trust: Trust) -> bool:
        return self._has_role("trust_lead", trust=trust.pk)

    def administers_collaboration(self, collaboration) -> bool:
        return self._has_role("programme_admin", collaboration=collaboration.pk)

    @property
    def led_trust_ids(self) -> set[int]:
        return {a.trust_id for a in self.role_assignments_cached if a.role == "trust_lead"}

    @property
    def administered_collaboration_ids(self) -> set[int]:
        return {
            a.collaboration_id for a in self.role_assignments_cached if a.role == "programme_admin"
        }

    @cached_property
    def member_collaboration_ids(self) -> list[int]:
        """The collaborations the person's home trust belongs to today. A page's look-up and
        its permission checks each ask; kept for the request (this instance), as roles are,
        so the page cache is asked once."""
        from collab.selectors import member_collaboration_ids  # selectors import the models

        return member_collaboration_ids(self.home_trust_id)

    @property
    def holds_elevated_role(self) -> bool:
        """Trust leads, programme admins and site admins: the roles that must use MFA."""
        return self.is_site_admin or any(
            a.role in ("trust_lead", "programme_admin") for a in self.role_assignments_cached
        )
