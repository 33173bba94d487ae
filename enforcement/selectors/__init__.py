"""The enforcement reads, one module per part (as models and services); each starts from `visible_to(user)`."""

from .documents import (  # noqa: F401
    document_detail,
    document_list,
    document_list_page,
    issued_in_month,
    visible_documents,
)
from .penalty import (  # noqa: F401
    penalty_case_detail,
    penalty_case_list,
    penalty_evidence_for,
    provision_list,
    provision_options,
)
from .suspension import (  # noqa: F401
    active_suspension_of,
    mine_suspension_history,
    resumption_detail,
    resumption_files_for,
    resumption_list,
    suspension_detail,
    suspension_list,
    suspension_of_document,
)
