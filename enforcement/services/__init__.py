"""The enforcement services, one module per part; import them from here."""

from .documents import (  # noqa: F401
    check_number_pattern,
    document_delete_draft,
    document_draft,
    document_issue,
    document_record_receipt,
    document_update_draft,
    format_number,
    next_number,
    number_pattern,
    officer_candidates,
)
