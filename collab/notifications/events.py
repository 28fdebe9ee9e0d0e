"""Declaring an event: a key, a category, who is told and what they are told.

Each app declares its events in its own `notifications.py`, e.g.

    project_opened = Event(
        key="project.opened",
        category=NotificationCategory.DECISIONS,
        recipients=_leads_of_member_trusts,
        message=_project_opened_message,
    )

and its services call `notify(project_opened, project)` inside their transaction.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from collab.models import NotificationCategory, User


@dataclass(frozen=True)
class Recipient:
    person: User
    reason: str  # shown in the email: why this person is told


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
    group_label: str = ""  # the project (or campaign) digests group by


@dataclass(frozen=True)
class Event:
    key: str
    category: NotificationCategory
    recipients: Callable[[Any], Iterable[Recipient]]
    message: Callable[[Any, str], Message]  # (target, step)

    def __post_init__(self) -> None:
        if self.key in EVENTS:
            raise ValueError(f"The notification event {self.key!r} is declared twice.")
        EVENTS[self.key] = self


# Every declared event by key: for the delivery log's filters and for tests.
EVENTS: dict[str, Event] = {}
