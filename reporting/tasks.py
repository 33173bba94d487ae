from core.tasks import day_of, sweep_task

from . import sweeps


@sweep_task()
def sweep_submissions(day=None):
    return sweeps.sweep_submissions(today=day_of(day))
