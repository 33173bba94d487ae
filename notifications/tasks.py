from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def send_pending_emails():
    return services.send_pending_emails()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_deliveries():
    """The channels' outbox (短信、群机器人): retries are the outbox's own (backoff per delivery), not Celery's."""
    from . import outbox

    return outbox.deliveries_send()
