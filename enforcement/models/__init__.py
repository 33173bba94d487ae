"""The bureau's enforcement records: documents (documents.py); each further part of the enforcement phase in its own
module, re-exported here."""

from .documents import (  # noqa: F401
    DEFAULT_KIND_CODES,
    DEFAULT_NUMBER_PATTERN,
    NUMBER_PLACEHOLDERS,
    DocumentEvent,
    DocumentItem,
    DocumentKind,
    DocumentOfficer,
    DocumentStatus,
    EnforcementDocument,
    EnforcementSettings,
    MeasureKind,
    NumberFormat,
    NumberSeries,
)
