from .campaign import (
    Campaign,
    Deadline,
    DeadlineKind,
    Phase,
    Requirement,
    RequirementLevel,
    RequirementPerformer,
)
from .progress import ProgressEvidence, ProgressStatus, RequirementProgress

__all__ = [
    "Campaign",
    "Deadline",
    "DeadlineKind",
    "Phase",
    "ProgressEvidence",
    "ProgressStatus",
    "Requirement",
    "RequirementLevel",
    "RequirementPerformer",
    "RequirementProgress",
]
