from core.tasks import day_of, sweep_task

from . import sweeps


@sweep_task()
def sweep_backtracks(day=None):
    return sweeps.sweep_backtracks(today=day_of(day))


@sweep_task()
def sweep_bulletin_duty(day=None):
    return sweeps.sweep_bulletin_duty(today=day_of(day))


@sweep_task()
def sweep_accountability(day=None):
    return sweeps.sweep_accountability(today=day_of(day))
