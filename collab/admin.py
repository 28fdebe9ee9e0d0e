"""Site admins manage trusts, collaborations and accounts here (signed in through allauth)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from collab import admin_notifications  # noqa: F401  (registers the delivery log)
from collab.admin_audit import AuditedAdmin
from collab.models import (
    AuditEvent,
    ChairTerm,
    Collaboration,
    CollaborationMembership,
    Invitation,
    RoleAssignment,
    Trust,
    TrustEmailDomain,
    User,
)


class TrustEmailDomainInline(admin.TabularInline):
    model = TrustEmailDomain
    extra = 1


@admin.register(Trust)
class TrustAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "ods_code", "nation", "region"]
    list_filter = ["nation", "region"]
    search_fields = ["name", "short_name", "ods_code", "email_domains__domain"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [TrustEmailDomainInline]


class CollaborationMembershipInline(admin.TabularInline):
    model = CollaborationMembership
    extra = 1
    autocomplete_fields = ["trust"]


class ChairTermInline(admin.TabularInline):
    model = ChairTerm
    extra = 1
    autocomplete_fields = ["trust"]


@admin.register(Collaboration)
class CollaborationAdmin(AuditedAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name", "trusts__short_name"]
    list_filter = ["memberships__trust"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [CollaborationMembershipInline, ChairTermInline]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["trust", "collaboration"]


class PortalUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "home_trust"]


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "home_trust", "is_active", "last_login"]
    list_filter = ["is_active", "home_trust", "role_assignments__role"]
    search_fields = ["full_name", "email", "home_trust__short_name"]
    autocomplete_fields = ["home_trust"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "home_trust"]}),
        ("Access", {"fields": ["is_active", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "home_trust", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = []


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = [
        "email",
        "trust",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "trust"]
    search_fields = ["email", "full_name", "trust__short_name"]
    readonly_fields = [
        "key",
        "created_at",
        "emailed_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "revoked_by",
    ]

    def has_add_permission(self, request) -> bool:
        # Invitations are made on the trust page, which checks who may invite and emails them.
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_email", "action", "target_label", "trust"]
    list_filter = ["action", "trust"]
    search_fields = ["actor_email", "action", "target_label", "reason"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
