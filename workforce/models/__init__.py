from .roster import NOT_OWN_STAFF, Employment, Person, PersonRole, UnitKind, WorkUnit
from .special_period import (
    DispatchHandover,
    PositioningRecord,
    ZeroShiftPlan,
    ZeroShiftTask,
)
from .training import (
    CERTIFICATE_WARNING_DAYS,
    WARNING_KINDS,
    Attendance,
    Certificate,
    CertificateKind,
    SessionKind,
    TrainingSession,
)

__all__ = [
    "CERTIFICATE_WARNING_DAYS",
    "NOT_OWN_STAFF",
    "WARNING_KINDS",
    "Attendance",
    "Certificate",
    "CertificateKind",
    "DispatchHandover",
    "Employment",
    "Person",
    "PersonRole",
    "PositioningRecord",
    "SessionKind",
    "TrainingSession",
    "UnitKind",
    "WorkUnit",
    "ZeroShiftPlan",
    "ZeroShiftTask",
]
