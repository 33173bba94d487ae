from .bulletin import Bulletin, BulletinRead, BulletinStatus
from .redline import RedLineItem, RedLineKind, RedLineList
from .repeat import MentoringKind, MentoringStep, RepeatOffender
from .tipoff import Tipoff, TipoffAddressee, TipoffCategory, TipoffStatus
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
    "Tipoff",
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
    "TipoffAddressee",
    "TipoffCategory",
    "TipoffStatus",
    "Severity",
    "Shift",
    "Violation",
    "ViolationAccountability",
    "ViolationType",
]
