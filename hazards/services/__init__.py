from .exam_papers import exam_paper_draw, exam_paper_grade
from .hazards import (
    hazard_accept,
    hazard_accountability_record,
    hazard_attach_file,
    hazard_create,
    hazard_list_publicly,
    hazard_reject,
    hazard_start_rectification,
    hazard_submit_for_acceptance,
    hazard_update,
    mine_refresh_status,
)
from .inspections import exam_record, exam_retraining_complete, inspection_create, inspection_update
from .leader_reviews import leader_review_receive, leader_review_require, leader_review_submit
from .ledger_import import hazards_import, hazards_import_undo
from .listing import hazard_delist, hazard_listing_publish, hazard_listing_withdraw

__all__ = [
    "exam_paper_draw",
    "exam_paper_grade",
    "exam_record",
    "exam_retraining_complete",
    "hazard_accept",
    "hazard_accountability_record",
    "hazard_attach_file",
    "hazard_create",
    "hazard_delist",
    "hazard_list_publicly",
    "hazard_listing_publish",
    "hazard_listing_withdraw",
    "hazard_reject",
    "hazard_start_rectification",
    "hazard_submit_for_acceptance",
    "hazard_update",
    "hazards_import",
    "hazards_import_undo",
    "inspection_create",
    "inspection_update",
    "leader_review_receive",
    "leader_review_require",
    "leader_review_submit",
    "mine_refresh_status",
]
