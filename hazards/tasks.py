from celery import shared_task

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


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def recheck_suspected_major(mine_id=None):
    """疑似重大隐患: re-check a mine's ledger (or every ledger) in the background, e.g. after the matcher changed.
    It only adds findings (hazards without one), never deletes or re-opens one: idempotent, so a retry after a lost
    worker does no harm."""
    from .services.suspected import suspected_major_recheck

    checked, raised = suspected_major_recheck(mine_id=mine_id)
    return {"checked": checked, "raised": raised}
