from .bulletin import Bulletin, BulletinRead, BulletinStatus
from .redline import RedLineItem, RedLineKind, RedLineList
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
    "RedLineItem",
    "RedLineKind",
    "RedLineList",
    "ReportCategory",
    "ReportStatus",
    "Severity",
    "Shift",
    "Violation",
    "ViolationAccountability",
    "ViolationType",
]
