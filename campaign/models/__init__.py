from .campaign import (
    Campaign,
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
