from .campaign import (
    Campaign,
    CampaignRevision,
    CampaignState,
    CampaignStatus,
    Deadline,
    DeadlineKind,
    Phase,
    RecordEvidence,
    Requirement,
    RequirementLevel,
    RequirementPerformer,
)
from .organisation import POST_RANK, GroupKind, GroupMember, MemberPost, WorkingGroup
from .progress import ProgressEvidence, ProgressStatus, RequirementProgress

__all__ = [
    "Campaign",
    "CampaignRevision",
    "CampaignState",
    "CampaignStatus",
    "Deadline",
    "DeadlineKind",
    "GroupKind",
    "GroupMember",
    "MemberPost",
    "POST_RANK",
    "Phase",
    "ProgressEvidence",
    "ProgressStatus",
    "Requirement",
    "RequirementLevel",
    "RecordEvidence",
    "RequirementPerformer",
    "RequirementProgress",
    "WorkingGroup",
]
