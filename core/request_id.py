"""A request id on every log line: set per request (or taken from X-Request-ID), sent along with every Celery task the
request enqueues, and restored in the worker, so one id follows a piece of work from the web to the worker."""

import contextvars
import json
import logging
import uuid

request_id = contextvars.ContextVar("request_id", default="-")
HEADER = "request_id"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming[:64] if incoming and incoming.replace("-", "").isalnum() else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what a log collector reads without parsing rules."""

    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        if record.exc_info:
            # exc_text first: core.masking.SecretMaskingFilter leaves the masked traceback there
            data["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def connect_celery_signals():
    """Carry the id from the request that enqueues a task to the worker that runs it."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def add_request_id(headers=None, **kwargs):
        if headers is not None and request_id.get() != "-":
            headers.setdefault(HEADER, request_id.get())

    @task_prerun.connect(weak=False)
    def restore_request_id(task=None, **kwargs):
        value = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER) if task else None
        task._request_id_token = request_id.set(value or f"task-{uuid.uuid4().hex[:12]}")

    @task_postrun.connect(weak=False)
    def clear_request_id(task=None, **kwargs):
        token = getattr(task, "_request_id_token", None)
        if token is not None:
            request_id.reset(token)
