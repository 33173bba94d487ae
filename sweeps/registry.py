"""Every deadline sweep of the product in one list. It lives above every app that has a sweep, so none of them
needs to know about the others (the apps depend one way, tests/core/test_layers.py)."""

from accountability.sweeps import sweep_summons_follow_ups
from enforcement.document_sweeps import sweep_documents
from enforcement.penalty_sweeps import sweep_penalty_cases
from hazards.sweeps import sweep_hazards, sweep_leader_reviews, sweep_retraining
from reporting.sweeps import sweep_submissions
from violations.sweeps import sweep_accountability, sweep_backtracks, sweep_bulletin_duty
from workforce.sweeps import sweep_certificates

#: every sweep of the product, in the order a full round runs them
ALL_SWEEPS = {
    "submissions": sweep_submissions,
    "hazards": sweep_hazards,
    "retraining": sweep_retraining,
    "leader_reviews": sweep_leader_reviews,
    "backtracks": sweep_backtracks,
    "violation_accountability": sweep_accountability,
    "bulletin_duty": sweep_bulletin_duty,
    "certificates": sweep_certificates,
    "penalty_cases": sweep_penalty_cases,
    "enforcement_documents": sweep_documents,
    "summons_follow_ups": sweep_summons_follow_ups,
}


def run_all_sweeps(*, today):
    return {name: sweep(today=today) for name, sweep in ALL_SWEEPS.items()}
