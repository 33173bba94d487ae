"""Settings, all from the environment (DESIGN.md §4 names the variables).

With nothing set the app runs on the embedded default: SQLite in the project folder and a Celery broker
on the filesystem, so a newcomer needs no server. Production sets DJANGO_DEBUG=False, a secret key and
DATABASE_URL / CELERY_BROKER_URL.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Logs, the filesystem broker's folders and other run-time files (ignored by git).
VAR_DIR = Path(env("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Production has no default secret: starting without one must fail loudly, not run insecurely.
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "simple_history",
    "core.axes_config.LoginLockoutConfig",  # django-axes, under a Chinese name in the admin
    "core",
    "accounts",
    "notifications",
    "campaign",
    "hazards",
    "violations",
    "workforce",
    "enforcement",
    "accidents",
    "reporting",
    "accountability",
    "dashboards",
    "search",
    "archive",
    "sweeps",
    "sampledata",
]

MIDDLEWARE = [
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "core.middleware.PasswordChangeRequiredMiddleware",
    # After session, CSRF and authentication: a write sent again under the same Idempotency-Key happens once.
    "core.idempotency.IdempotencyMiddleware",
    "core.middleware.SessionUserHeaderMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.BadNumberMiddleware",
    "core.middleware.DatabaseBusyMiddleware",
    "dashboards.middleware.CountyLensMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login protection: 5 failures for the same user name from the same address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Both together: locking by user name alone would let anyone lock anyone out. The address is the client's behind the
# trusted proxies (core.client_ip), the same one the rate limits count.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; a generous timeout lets web and worker share the file. A transaction takes the
    # write lock when it begins (IMMEDIATE), so a second writer waits for the first instead of failing at once with
    # "database is locked" (a DEFERRED transaction that has read cannot wait for the lock it then needs).
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    # The lists' time indexes carry a column or two beside their key (INCLUDE) for PostgreSQL's index-only reads at a
    # bureau's millions of rows; SQLite builds them on the key alone, which is all its county-sized data needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A PostgreSQL streaming replica for the heavy reads (dashboards, charts, exports, archives: core/replica). Without
# the variable there is no second alias, no router and no pin middleware: nothing changes.
_replica_url = env("DATABASE_REPLICA_URL", default="")
if _replica_url:
    from django.core.exceptions import ImproperlyConfigured

    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL 需要 PostgreSQL 主库（DATABASE_URL=postgres://…）。")
    _replica = env.db("DATABASE_REPLICA_URL")
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL 必须是 PostgreSQL 流复制备库（postgres://…）。")
    # PostgreSQL's backend, except that its test database is the primary's, replayed (core/replica/base.py).
    _replica["ENGINE"] = "core.replica"
    _replica["ATOMIC_REQUESTS"] = False
    _replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    _replica["CONN_HEALTH_CHECKS"] = True
    # A replica that does not answer costs a page at most this long, once per 30 s and process (core.replica).
    _timeout = env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=3)
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", _timeout)
    # The tests' database on the replica is the one the test run creates on the primary (pytest-xdist adds the same
    # _gwN suffix to both names).
    _replica["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}", "DEPENDENCIES": ["default"]}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    # Outside the session middleware, so that a session saved at the end of a request counts as a write.
    MIDDLEWARE.insert(1, "core.replica.ReplicaPinMiddleware")
# After a write, that browser reads the primary for this many seconds (the replica's lag is normally well under a
# second; this covers a replica slowed by a burst of writes or a vacuum, and the redirect-then-look of a form).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
DATABASE_REPLICA_ROUTING = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# The one language of the product: a browser asking for English (Chromium's default en-US) still gets Django's own
# messages ("该字段是必填项") in Chinese, not a page mixing both.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# The Chinese of third-party labels their own catalogues lack (django-axes has none): locale/zh_Hans/LC_MESSAGES.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Cache: Redis shared by every process in production (DJANGO_CACHE_URL=redis://…), local memory otherwise.
_cache_url = env("DJANGO_CACHE_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
    if _cache_url.startswith("redis")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# The dashboards' figures are computed at most this often per organisation (0: always computed).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# Lists (pages and API) count their rows exactly below this many; above, the page says “约 N 条” from the database's
# estimate and pages by position (core.paging). Counting is bounded by it: at most this many rows read per count.
LIST_EXACT_COUNT_BELOW = env.int("LIST_EXACT_COUNT_BELOW", default=5_000)

# Uploads larger than this are refused by the forms with a Chinese message (ledgers, photos).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Reading one uploaded workbook or CSV stops after this many seconds with a message (a legitimate 50,000-row export
# of the positioning system reads in a few seconds; gunicorn's timeout is 60).
IMPORT_PARSE_SECONDS = env.int("IMPORT_PARSE_SECONDS", default=20)
# Which engine reads uploaded workbooks: "calamine" (Rust, python-calamine; openpyxl still reads what its guard scan
# sends away, see core.excel._use_calamine) or "openpyxl" (read-only mode, the reader of before).
EXCEL_READER = env.str("EXCEL_READER", default="calamine")
# Which engine writes exports: "rust" (rvgsrust-xlsxwriter, bindings of the rust_xlsxwriter crate) or "xlsxwriter"
# (pure Python, the engine of before, about five times slower on a large ledger). Both write the same layout.
EXCEL_WRITER = env.str("EXCEL_WRITER", default="rust")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "core.uploads.TemporaryFileUploadHandler",  # a temporary name that a long extension cannot make too long
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security: secure by default when not in DEBUG; each switch can be turned off for a TLS proxy test.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The reverse proxies (IPs or CIDR networks) whose X-Forwarded-For is believed for the client's address (rate limits,
# login lockout). Empty: REMOTE_ADDR is the client. Never list a network that clients can connect from directly.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])

# --- REST API
REST_FRAMEWORK = {
    # A request that carries a token is the token's, even from a browser that is also signed in. Both refuse (403) an
    # account that must still change its initial password, as the pages do.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "百日安全生产专项整治 API",
    "DESCRIPTION": "煤矿百日专项整治管理系统的 REST API（与页面相同的可见范围）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for signed-in users, like the rest of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Served from our own static files: no CDN on a bureau's intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "HazardLevelEnum": "hazards.models.hazard.HazardLevel",
        "RequirementLevelEnum": "campaign.models.campaign.RequirementLevel",
        "WorkingGroupKindEnum": "campaign.models.organisation.GroupKind",
        "PenaltyPartyKindEnum": "enforcement.models.penalty.PartyKind",
        "PenaltyCaseSourceEnum": "enforcement.models.penalty.CaseSource",
        "SourceEnum": "hazards.models.hazard.HazardSource",  # its name before the penalty cases' `source` came
        "EnforcementDocumentKindEnum": "enforcement.models.documents.DocumentKind",
        "AccountabilityActionKindEnum": "accountability.models.ActionKind",
        "TipoffStatusEnum": "violations.models.tipoff.TipoffStatus",
        "AccidentKindEnum": "accidents.models.AccidentKind",
        "InvestigationLevelEnum": "accidents.rules.InvestigationLevel",
        "TaskProgressStatusEnum": "campaign.models.progress.ProgressStatus",
        "TaskProgressStateEnum": "campaign.models.progress.VerificationState",
        "DeclarationReviewEnum": "campaign.models.progress.DeclarationReview",
        "OrganizationKindEnum": "accounts.models.OrganizationKind",
        "CampaignRevisionKindEnum": "campaign.models.campaign.RevisionKind",
        "DeadlineKindEnum": "campaign.models.campaign.DeadlineKind",  # the structure API's deadlines
    },
}

# --- Celery: filesystem broker by default (no server), Redis in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_IGNORE_RESULT = True
# With the broker down, a page that enqueues something must not hang: give up quickly (the periodic sweeps and the
# outbox catch up when the broker is back).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# The beat schedule, in one place. django-celery-beat copies it into the database when beat starts, where the
# bureau's administrator can change the times in the admin (周期任务). Each sweep is idempotent, so running one
# more often only catches up sooner.
SWEEP_MINUTES = env.int("SWEEP_MINUTES", default=15)
CELERY_BEAT_SCHEDULE = {
    "sweep-submissions": {"task": "reporting.tasks.sweep_submissions", "schedule": SWEEP_MINUTES * 60},
    "sweep-hazards": {"task": "hazards.tasks.sweep_hazards", "schedule": SWEEP_MINUTES * 60},
    "sweep-retraining": {"task": "hazards.tasks.sweep_retraining", "schedule": SWEEP_MINUTES * 60},
    "sweep-leader-reviews": {"task": "hazards.tasks.sweep_leader_reviews", "schedule": SWEEP_MINUTES * 60},
    "sweep-violation-accountability": {
        "task": "violations.tasks.sweep_accountability",
        "schedule": SWEEP_MINUTES * 60,
    },
    "sweep-backtracks": {"task": "violations.tasks.sweep_backtracks", "schedule": SWEEP_MINUTES * 60},
    "sweep-bulletin-duty": {"task": "violations.tasks.sweep_bulletin_duty", "schedule": SWEEP_MINUTES * 60},
    "sweep-certificates": {"task": "workforce.tasks.sweep_certificates", "schedule": SWEEP_MINUTES * 60},
    "sweep-enforcement-documents": {"task": "enforcement.tasks.sweep_documents", "schedule": SWEEP_MINUTES * 60},
    "sweep-penalty-cases": {"task": "enforcement.tasks.sweep_penalty_cases", "schedule": SWEEP_MINUTES * 60},
    "sweep-summons-follow-ups": {
        "task": "accountability.tasks.sweep_summons_follow_ups",
        "schedule": SWEEP_MINUTES * 60,
    },
    "send-notification-emails": {"task": "notifications.tasks.send_pending_emails", "schedule": 5 * 60},
    # the channels' outbox (短信、群机器人): sent on commit; this catches up retries, quiet hours and a lost enqueue
    "send-notice-deliveries": {"task": "notifications.tasks.send_deliveries", "schedule": 60},
    "prune-idempotency-keys": {"task": "core.tasks.prune_idempotency_keys", "schedule": 6 * 60 * 60},
}
# A duplicate of a write still in flight (the same Idempotency-Key) waits this long for the first, then answers 409.
IDEMPOTENCY_WAIT_SECONDS = env.float("IDEMPOTENCY_WAIT_SECONDS", default=5)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery" / "queue"
    _processed = VAR_DIR / "celery" / "processed"
    _control = VAR_DIR / "celery" / "control"
    # kombu does not create its folders, and in and out must be the same folder for one machine.
    for _folder in (_queue, _processed, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_processed),
        "control_folder": str(_control),
        "store_processed": False,
    }

NOTIFY_CHUNK_SIZE = env.int("NOTIFY_CHUNK_SIZE", default=2000)
NOTIFY_PAUSE_SECONDS = env.float("NOTIFY_PAUSE_SECONDS", default=0)  # fault tests only; 0 in production

# --- Notices by SMS and group robots (issue 23; docs/deployment.md "短信与群机器人").
# SMS: "console" writes the message to the log (development); "aliyun" sends through Dysmsapi SendSms.
SMS_PROVIDER = env("SMS_PROVIDER", default="console")
SMS_ACCESS_KEY_ID = env("SMS_ACCESS_KEY_ID", default="")
SMS_ACCESS_KEY_SECRET = env("SMS_ACCESS_KEY_SECRET", default="")
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="")
SMS_TEMPLATE_CODE = env("SMS_TEMPLATE_CODE", default="")
SMS_ENDPOINT = env("SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
SMS_REGION = env("SMS_REGION", default="cn-hangzhou")
SMS_RATE_PER_MINUTE = env.int("SMS_RATE_PER_MINUTE", default=60)
# Robots: "http" posts to the webhooks; "console" only logs (development, the demo's robots).
NOTICE_WEBHOOK_TRANSPORT = env("NOTICE_WEBHOOK_TRANSPORT", default="console" if DEBUG else "http")
# A robot's webhook may point only at these hosts (no address inside the network: SSRF), over HTTPS unless allowed.
NOTICE_WEBHOOK_ALLOWED_HOSTS = env.list(
    "NOTICE_WEBHOOK_ALLOWED_HOSTS", default=["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
)
NOTICE_WEBHOOK_ALLOW_HTTP = env.bool("NOTICE_WEBHOOK_ALLOW_HTTP", default=False)
NOTICE_ROBOT_RATE_PER_MINUTE = env.int("NOTICE_ROBOT_RATE_PER_MINUTE", default=20)  # WeCom and DingTalk: 20/min
NOTICE_HTTP_TIMEOUT = env.float("NOTICE_HTTP_TIMEOUT", default=5)
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=6)  # 1+2+4+8+16 min of backoff, then 失败
NOTICE_QUIET_HOURS_START = env("NOTICE_QUIET_HOURS_START", default="22:00")  # local time; start = end: none
NOTICE_QUIET_HOURS_END = env("NOTICE_QUIET_HOURS_END", default="07:00")

# Links in e-mails point here (the address users reach the site at).
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="百日专项整治系统 <noreply@localhost>")

# Logs: JSON lines with the request id (DJANGO_LOG_FORMAT=json, the default in production), or plain text.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.request_id.RequestIdFilter"},
        "mask_secrets": {"()": "core.masking.SecretMaskingFilter"},  # robot tokens, signatures, phone numbers
    },
    "formatters": {
        "json": {"()": "core.request_id.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "mask_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # a line per login otherwise
}
