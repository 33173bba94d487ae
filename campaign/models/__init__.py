from .campaign import (
    Campaign,
    Deadline,
    DeadlineKind,
    Phase,
    Requirement,
    RequirementLevel,
    RecordEvidence,
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
    "RecordEvidence",
    "RequirementPerformer",
    "RequirementProgress",
]
