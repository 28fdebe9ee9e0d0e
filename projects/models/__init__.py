from projects.models.benefit import Benefit, BenefitKind
from projects.models.commitment import (
    AMBER_WINDOW_DAYS,
    CLOSED_STATUSES,
    DELIVERED_STATUSES,
    TRUST_SETTABLE_STATUSES,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Rag,
    rag_for,
)
from projects.models.participation import (
    LateJoinRequest,
    Participation,
    ParticipationStatus,
    RequestStatus,
    WithdrawalRequest,
)
from projects.models.project import (
    Category,
    FundingModel,
    JointProject,
    Milestone,
    ProjectStatus,
)

__all__ = [
    "AMBER_WINDOW_DAYS",
    "CLOSED_STATUSES",
    "DELIVERED_STATUSES",
    "TRUST_SETTABLE_STATUSES",
    "Benefit",
    "BenefitKind",
    "Category",
    "Commitment",
    "CommitmentStatus",
    "CommitmentUpdate",
    "FundingModel",
    "JointProject",
    "LateJoinRequest",
    "Milestone",
    "Participation",
    "ParticipationStatus",
    "ProjectStatus",
    "Rag",
    "RequestStatus",
    "WithdrawalRequest",
    "rag_for",
]
