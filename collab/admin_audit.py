"""Changes made in the Django admin are audited like any other: who, what, before and after."""

import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict

from collab.audit import audit_record


def snapshot(instance: models.Model) -> dict:
    """The row's own fields as JSON-safe values (many-to-many and files left out)."""
    values = model_to_dict(instance, fields=[f.name for f in instance._meta.concrete_fields])
    values.pop("password", None)  # never copy a password hash into the audit trail
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder, default=str))


def _trust_of(instance: models.Model):
    from collab.models import Trust

    if isinstance(instance, Trust):
        return instance
    return getattr(instance, "trust", None) or getattr(instance, "home_trust", None)


class AuditedAdmin(admin.ModelAdmin):
    """Records an AuditEvent for every add, change and delete, in the same transaction."""

    def save_model(self, request, obj, form, change) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._record(request, obj, "changed" if change else "added", before, snapshot(obj))

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            self._record(request, obj, "deleted", snapshot(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record(request, obj, "deleted", snapshot(obj), None)
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change) -> None:
        # Inline rows (role assignments, memberships, chair terms) matter as much as the parent.
        before = {obj.pk: snapshot(obj) for obj in formset.get_queryset()} if change else {}
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                self._record(request, obj, "added", None, snapshot(obj))
            for obj, _fields in formset.changed_objects:
                self._record(request, obj, "changed", before.get(obj.pk), snapshot(obj))
            for obj in formset.deleted_objects:
                self._record(request, obj, "deleted", before.get(obj.pk), None)

    @staticmethod
    def _record(request, obj, verb: str, before, after) -> None:
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.{verb}",
            target=obj,
            trust=_trust_of(obj),
            before=before,
            after=after,
        )
