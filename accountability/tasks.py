from core.tasks import day_of, sweep_task

from . import sweeps


@sweep_task()
def sweep_summons_follow_ups(day=None):
    return sweeps.sweep_summons_follow_ups(today=day_of(day))
