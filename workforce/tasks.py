from core.tasks import day_of, sweep_task

from . import sweeps


@sweep_task()
def sweep_certificates(day=None):
    return sweeps.sweep_certificates(today=day_of(day))
