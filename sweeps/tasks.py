from core.tasks import day_of, sweep_task

from .registry import run_all_sweeps


@sweep_task()
def run_sweeps(day=None):
    return run_all_sweeps(today=day_of(day))
