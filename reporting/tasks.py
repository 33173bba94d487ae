from core.tasks import day_of, sweep_task
from hazards.sweeps import sweep_hazards, sweep_retraining
from violations.sweeps import sweep_backtracks, sweep_bulletin_duty
from workforce.sweeps import sweep_certificates

from . import sweeps

#: every sweep of the product, in the order a full round runs them
ALL_SWEEPS = {
    "submissions": sweeps.sweep_submissions,
    "hazards": sweep_hazards,
    "retraining": sweep_retraining,
    "backtracks": sweep_backtracks,
    "bulletin_duty": sweep_bulletin_duty,
    "certificates": sweep_certificates,
}


def run_all_sweeps(*, today):
    return {name: sweep(today=today) for name, sweep in ALL_SWEEPS.items()}


@sweep_task()
def sweep_submissions(day=None):
    return sweeps.sweep_submissions(today=day_of(day))


@sweep_task()
def run_sweeps(day=None):
    return run_all_sweeps(today=day_of(day))
