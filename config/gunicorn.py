"""gunicorn settings (`gunicorn -c config/gunicorn.py config.wsgi`); each can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # long exports run as streams; imports are bounded
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then: bounded memory over months of uptime
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The path without its query string (%(U)s, not the request line %(r)s): a query string can carry what must not sit in a
# log (the anonymous reporter's tracking code, before lookups became POSTs; search words). No client address either.
access_log_format = (
    '{"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": %(B)s, "ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
