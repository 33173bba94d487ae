from .campaign import (
    Campaign,
    CampaignState,
    Deadline,
    DeadlineKind,
    Phase,
    RecordEvidence,
    Requirement,
    RequirementLevel,
    RequirementPerformer,
)
from .progress import ProgressEvidence, ProgressStatus, RequirementProgress

__all__ = [
    "Campaign",
    "CampaignState",
    "Deadline",
    "DeadlineKind",
    "Phase",
    "ProgressEvidence",
    "ProgressStatus",
    "Requirement",
    "RequirementLevel",
    "RecordEvidence",
    "RequirementPerformer",
    "RequirementProgress",
]
