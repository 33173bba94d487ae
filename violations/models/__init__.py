from .bulletin import Bulletin, BulletinRead, BulletinStatus
from .redline import RedLineItem, RedLineKind, RedLineList
from .repeat import MentoringKind, MentoringStep, RepeatOffender
from .report import AnonymousReport, ReportCategory, ReportStatus
from .violation import (
    BackTrack,
    BackTrackKind,
    FoundBy,
    Severity,
    Shift,
    Violation,
    ViolationAccountability,
    ViolationType,
)

__all__ = [
    "AnonymousReport",
    "BackTrack",
    "BackTrackKind",
    "Bulletin",
    "BulletinRead",
    "BulletinStatus",
    "FoundBy",
    "MentoringKind",
    "MentoringStep",
    "RedLineItem",
    "RedLineKind",
    "RedLineList",
    "RepeatOffender",
    "ReportCategory",
    "ReportStatus",
    "Severity",
    "Shift",
    "Violation",
    "ViolationAccountability",
    "ViolationType",
]
