from .hazard import (
    Hazard,
    HazardAccountability,
    HazardEvent,
    HazardFile,
    HazardFileStage,
    HazardGrade,
    HazardLevel,
    HazardListing,
    HazardSource,
    HazardSpecialty,
    HazardStatus,
)
from .inspection import ExamResult, Inspection, InspectionMode
from .standard import HazardStandard, MajorHazardCategory

__all__ = [
    "ExamResult",
    "Hazard",
    "HazardAccountability",
    "HazardEvent",
    "HazardFile",
    "HazardFileStage",
    "HazardGrade",
    "HazardLevel",
    "HazardListing",
    "HazardSource",
    "HazardSpecialty",
    "HazardStandard",
    "HazardStatus",
    "Inspection",
    "InspectionMode",
    "MajorHazardCategory",
]
