"""The shared machinery of the audit tables (tests/*/test_*audit*.py): each module lists its
services as `Change`s, built lazily from fixtures, and runs these checks over them."""

from dataclasses import dataclass
from typing import Any

import pytest

from collab.models import AuditEvent


@dataclass
class Change:
    run: Any  # () -> object: the service call, its fixtures already built
    actor: Any
    action: str
    trust: Any = None


def change_id(prepare) -> str:
    """The test id of a table entry: its builder's name."""
    return prepare.__name__.strip("_")


def run_and_read_its_audit_event(change: Change) -> tuple[Any, AuditEvent]:
    """Run the change; it must write exactly one audit event, naming its action, who did it
    (and their email, kept if the account goes) and the trust concerned, with what changed."""
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    result = change.run()
    [event] = AuditEvent.objects.exclude(pk__in=before)
    assert event.action == change.action
    assert (event.actor, event.actor_email) == (change.actor, change.actor.email)
    assert event.trust == change.trust
    assert event.after is not None or event.before is not None
    return result, event


class AuditDown(Exception):
    pass


def _audit_fails(**kwargs):
    raise AuditDown


def check_undone_without_audit(change: Change, monkeypatch, modules, db_state) -> None:
    """When the audit record cannot be written, the change is rolled back with it: every table
    the services write is as it was. `modules` are those whose `audit_record` to break."""
    before = db_state()
    for module in modules:
        monkeypatch.setattr(module, "audit_record", _audit_fails)
    with pytest.raises(AuditDown):
        change.run()
    assert db_state() == before
