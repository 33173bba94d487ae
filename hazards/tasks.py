from celery import shared_task
from django.db import DatabaseError

from core.tasks import day_of, enqueue, sweep_task

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


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def record_import_findings(batch_id):
    """疑似重大隐患 of the open 一般 rows of a ledger import, raised after the import committed (the matcher is most of
    what a row would cost inside the import's transaction). Only adds findings, to rows without one: a retry, or a run
    after the batch was undone, does no harm."""
    from .services.suspected import suspected_major_record_many

    return {"raised": suspected_major_record_many(import_batch_id=batch_id)}


def enqueue_import_findings(batch_id):
    """Hand the batch's findings to a worker once the import has committed; with the broker down, raise them here
    (the import is already written: its findings must not wait for a recheck someone has to remember to run)."""
    if not enqueue(
        record_import_findings, batch_id, when_broker_down="疑似重大隐患核查未入队（消息队列不可用），改为立即执行。"
    ):
        record_import_findings(batch_id)
