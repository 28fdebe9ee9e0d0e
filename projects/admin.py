"""Joint projects in the Django admin: read-only, for support. Every change to a project goes
through the portal's own pages and services, which apply the rules and write the audit record."""

from django.contrib import admin

from projects.models import Commitment, JointProject, Milestone, Participation


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Milestone
    fields = ["title", "due_on"]
    extra = 0


class ParticipationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Participation
    fields = ["trust", "status", "reason", "decided_by", "decided_at", "cost_share"]
    extra = 0


@admin.register(JointProject)
class JointProjectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "collaboration", "category", "status", "decision_deadline"]
    list_filter = ["status", "category", "collaboration"]
    search_fields = ["title", "slug"]
    inlines = [MilestoneInline, ParticipationInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["milestone", "participation", "due_on", "status", "owner"]
    list_filter = ["status", "participation__project__collaboration"]
    search_fields = ["milestone__title", "participation__project__title"]
    list_select_related = ["milestone", "participation__trust", "participation__project", "owner"]
