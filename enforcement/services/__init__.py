"""The enforcement services, one module per part; import them from here."""

from .document_settings import (  # noqa: F401
    bureau_inspectors,
    enforcement_settings_save,
    number_format_save,
    number_preview,
    officer_set_certificate,
)
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
from .penalty import (  # noqa: F401
    authority_of,
    case_number,
    decision_content,
    default_provisions,
    hearing_parties,
    legal_provision_save,
    legal_provisions_load,
    notice_content,
    penalty_case_attach,
    penalty_case_close,
    penalty_case_decide,
    penalty_case_execute,
    penalty_case_investigate,
    penalty_case_notify,
    penalty_case_open,
    penalty_case_record_payment,
    penalty_case_record_statement,
    penalty_case_update,
    penalty_rules_save,
    rmb_upper,
    statement_sentence,
    unpaid_parties,
    yuan,
)
from .suspension import (  # noqa: F401
    open_major_hazards,
    resumption_apply,
    resumption_decide,
    suspension_issue_order,
    suspension_on_major_hazards,
)
