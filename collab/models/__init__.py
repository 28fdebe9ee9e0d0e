from collab.models.audit import AuditEvent
from collab.models.collaboration import ChairTerm, Collaboration, CollaborationMembership
from collab.models.invitation import Invitation
from collab.models.notification import (
    Channel,
    Delivery,
    DeliveryStatus,
    Digest,
    EmailFrequency,
    Notification,
    NotificationCategory,
    NotificationPreference,
)
from collab.models.roles import TRUST_ROLES, Role, RoleAssignment
from collab.models.trust import Nation, Trust, TrustEmailDomain
from collab.models.user import User

__all__ = [
    "TRUST_ROLES",
    "AuditEvent",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "Digest",
    "EmailFrequency",
    "Notification",
    "NotificationCategory",
    "NotificationPreference",
    "ChairTerm",
    "Collaboration",
    "CollaborationMembership",
    "Invitation",
    "Nation",
    "Role",
    "RoleAssignment",
    "Trust",
    "TrustEmailDomain",
    "User",
]
