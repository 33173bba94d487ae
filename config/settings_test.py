"""Test settings: the real settings plus what makes a test run fast and deterministic."""

from .settings import *  # noqa: F403
from .settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Manifest storage 404s hashed names under live_server; tests use plain storage.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
DASHBOARD_CACHE_SECONDS = 0  # tests assert figures right after writing them
# With a replica configured (CI), the suite still reads the primary: its tests write and read in one uncommitted
# transaction, which a replica never sees. tests/core/test_replica.py turns the routing on, commits, and waits for the
# replica's replay.
DATABASE_REPLICA_ROUTING = False
# Channel tests post to receivers they start on 127.0.0.1 (tests/notifications/test_channels.py).
NOTICE_WEBHOOK_TRANSPORT = "http"
NOTICE_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
NOTICE_WEBHOOK_ALLOW_HTTP = True
NOTICE_HTTP_TIMEOUT = 2
SMS_PROVIDER = "console"
