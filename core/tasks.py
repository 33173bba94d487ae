"""Settings shared by the periodic sweeps: at-least-once delivery (the sweeps are idempotent), retries with
backoff for passing database or broker trouble, and time limits so a stuck run cannot block a worker."""

import datetime as dt
import logging
from functools import partial

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

sweep_task = partial(
    shared_task,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)


def enqueue(task, *args, when_broker_down, **kwargs):
    """Hand `task` to a worker (`task.delay`); True when it went. With the broker unreachable, log
    `when_broker_down` (in Chinese: what happens instead) and return False, never raise: callers run after their
    transaction committed, and what they hand over has a way round (a periodic task that catches up, or running it
    in place)."""
    try:
        task.delay(*args, **kwargs)
    except Exception:  # the broker unreachable (kombu raises several kinds of connection errors)
        logging.getLogger(task.__module__).warning(when_broker_down, extra={"task": task.name})
        return False
    return True


def day_of(day_iso=None):
    """The sweep's day: as given (ISO date, for catching up by hand) or today in Asia/Shanghai."""
    return dt.date.fromisoformat(day_iso) if day_iso else timezone.localdate()


#: how long a write's idempotency key (and its answer) is kept: a phone offline longer than this sends its queue as new
IDEMPOTENCY_KEEP = dt.timedelta(days=7)


@sweep_task(name="core.tasks.prune_idempotency_keys")
def prune_idempotency_keys():
    """Forget the idempotency keys older than a week; returns how many went."""
    from .models import IdempotencyKey

    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEEP).delete()
    return deleted
