from core.tasks import day_of, sweep_task

from . import sweeps


@sweep_task()
def sweep_hazards(day=None):
    return sweeps.sweep_hazards(today=day_of(day))


@sweep_task()
def sweep_retraining(day=None):
    return sweeps.sweep_retraining(today=day_of(day))


@sweep_task()
def sweep_leader_reviews(day=None):
    return sweeps.sweep_leader_reviews(today=day_of(day))
