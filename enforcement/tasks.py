from core.tasks import day_of, sweep_task

from . import document_sweeps, penalty_sweeps


@sweep_task()
def sweep_documents(day=None):
    return document_sweeps.sweep_documents(today=day_of(day))


@sweep_task()
def sweep_penalty_cases(day=None):
    return penalty_sweeps.sweep_penalty_cases(today=day_of(day))
