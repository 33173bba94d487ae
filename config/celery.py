import os

from celery import Celery

from core.request_id import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id of whoever enqueued a task goes with it to the worker's log lines.
connect_celery_signals()
