"""Settings read from the environment.

Development defaults to PostgreSQL and Redis on 127.0.0.1 (bin/run starts embedded ones when
none answer); production (``DJANGO_ENV=production``) fails closed: no secret key, no start.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from itsm.dbtimeouts import with_timeouts
from itsm.logging_setup import render_console

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ITSM_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(os.environ.get(name, default))


PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key():
    if key := env("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # Development: generate once and keep it, so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "accounts",
    "core",
    "cmdb",
    "sla",
    "incidents",
    "problems",
    "changes",
    "releases",
    "catalog",
    "fulfilment",
    "knowledge",
    "monitoring",
    "surveys",
    "voc",
    "documents",
    "suppliers",
    "portfolio",
    "availability",
    "capacity",
    "continuity",
    "improvements",
    "publicsla",
    "mailin",
    "webhooks",
    "dashboards",
    "reports",
    "assurance",
    "iso",
]

MIDDLEWARE = [
    "core.middleware.HealthCheckMiddleware",  # first: probes skip host checks and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.CSPMiddleware",  # django-csp's, the settings' policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",  # Django's, no language read from paths (no i18n_patterns)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Issue 18: expired accounts out, auditors' writes refused and their every request logged.
    "accounts.middleware.AuditorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.HtmxVaryMiddleware",
    "core.middleware.DatabaseBusyMiddleware",
    # Last, so that it sees the result of authentication.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, fonts and fetches only from this site, no
# inline script or style (behaviour lives in static/js/itsm.js, looks in static/css/itsm.css), so
# markup injected into a page cannot run. Bootstrap draws its icons from data: SVGs.
# The API documentation pages (third-party Swagger UI and ReDoc) loosen it for themselves (itsm/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "itsm.urls"
WSGI_APPLICATION = "itsm.wsgi.application"
ASGI_APPLICATION = "itsm.asgi.application"

# Common widgets rendered in Python, same HTML as Django's templates (core.form_renderer).
FORM_RENDERER = "core.form_renderer.FastWidgetRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "core.context_processors.approvals",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # PostgreSQL only (full-text search, GiST ranges, arrays, the audit trigger). bin/run
        # sets this to a local or embedded server; see bin/devservers.py.
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://...).")
# Django's PostgreSQL backend, trusting a connection that answered a request a moment ago
# instead of sending its health check before every request (itsm/db/base.py).
DATABASES["default"]["ENGINE"] = "itsm.db"
# Web requests: a statement or a row-lock wait past these is cancelled and answers 503/409
# (core.dbbusy) well before gunicorn's timeout (itsm/gunicorn.conf.py). Celery workers run the
# SLA sweep and the outbox over many rows and get their own, longer limits (itsm/celery.py).
# 0 turns a limit off (e.g. `DB_STATEMENT_TIMEOUT_MS=0 manage.py migrate` on a large database).
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 30000)
DB_LOCK_TIMEOUT_MS = env_int("DB_LOCK_TIMEOUT_MS", 5000)
DB_WORKER_STATEMENT_TIMEOUT_MS = env_int("DB_WORKER_STATEMENT_TIMEOUT_MS", 300000)
DB_WORKER_LOCK_TIMEOUT_MS = env_int("DB_WORKER_LOCK_TIMEOUT_MS", 30000)
with_timeouts(DATABASES["default"], statement_ms=DB_STATEMENT_TIMEOUT_MS, lock_ms=DB_LOCK_TIMEOUT_MS)
# Desk queries are short: PostgreSQL's JIT compiles any plan whose *estimated* cost passes
# jit_above_cost, and the queue tabs' counts (SLA sub-plans over every incident) spent ~430 ms
# compiling for ~40 ms of execution at 100,000 incidents (bench/README.md, issue 12).
DATABASES["default"]["OPTIONS"]["options"] += " -c jit=off"
# A create's INSERTs are PostgreSQL prepared statements of the connection (core.prepared). Turn
# this off behind a pooler that does not keep a client on one server session (pgbouncer in
# transaction mode before 1.21).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # a clear page that says for how long
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")  # also the language seed_demo names things in
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# "Breaching soon" (desk queue, SLA dashboard): due within this much business time on the
# clock's own calendar (sla.queues).
SLA_BREACHING_SOON_BUSINESS_MINUTES = env_int("SLA_BREACHING_SOON_BUSINESS_MINUTES", 240)

# Attachments: size and type limits shared by the desk, the portal and the API.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_ALLOWED_EXTENSIONS = env_list(
    "ATTACHMENT_ALLOWED_EXTENSIONS",
    "txt,log,csv,json,xml,pdf,png,jpg,jpeg,gif,webp,docx,xlsx,pptx,odt,ods,zip,eml",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024

# Mail in (mailin): a sender past MAILIN_RATE_LIMIT messages in MAILIN_RATE_WINDOW_SECONDS is recorded
# as ignored; a message over MAILIN_MAX_MESSAGE_BYTES is kept but not turned into a ticket; a zip
# attachment is refused when its directory says it would expand past the size or ratio below.
MAILIN_RATE_LIMIT = env_int("MAILIN_RATE_LIMIT", 20)
MAILIN_RATE_WINDOW_SECONDS = env_int("MAILIN_RATE_WINDOW_SECONDS", 600)
MAILIN_MAX_MESSAGE_BYTES = env_int("MAILIN_MAX_MESSAGE_BYTES", 50 * 1024 * 1024)
MAILIN_ZIP_MAX_BYTES = env_int("MAILIN_ZIP_MAX_BYTES", 200 * 1024 * 1024)
MAILIN_ZIP_MAX_RATIO = env_int("MAILIN_ZIP_MAX_RATIO", 100)
MAILIN_IMAP_TIMEOUT_SECONDS = env_int("MAILIN_IMAP_TIMEOUT_SECONDS", 30)
MAILIN_IMAP_BATCH = env_int("MAILIN_IMAP_BATCH", 200)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "service-desk@localhost")
# E-mail links point at the server that sent them: in development, the port it runs on (bin/run's
# PORT), so a desk started with PORT=8765 does not mail links to :8000.
SITE_URL = env("SITE_URL") or f"http://127.0.0.1:{env('PORT') or '8000'}"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header is what turns anonymous requests into 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested past a bound or beyond DATA_UPLOAD_MAX_MEMORY_SIZE is a 400 (core.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    # DRF's JSON written by orjson where that is the same bytes (core.api.renderers).
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # DRF's, answering `*/*` and `application/json` without parsing them (core.api.negotiation).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.ContentNegotiation",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filtering.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITSM service desk API",
    "DESCRIPTION": "The service desk's records: incidents, requests, problems, changes, releases, the CMDB, service levels, knowledge, monitoring events, webhooks, satisfaction, VOC, improvements and service reports.",
    "VERSION": "1.0.0",
    # Over 300 operations: Swagger UI lists the resources folded (each opens on a click) and leaves
    # the schemas out; expanded, it takes longer to draw every operation than people wait for.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "defaultModelsExpandDepth": -1, "filter": True},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the errors it can answer (core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_errors",
        "core.api.schema.tag_by_resource",
    ],
    # Several models have a `state` or `kind`: give each choice set its own readable name.
    "ENUM_NAME_OVERRIDES": {
        "IncidentStateEnum": "incidents.choices.IncidentState",
        "ProblemStateEnum": "problems.choices.ProblemState",
        "ChangeStateEnum": "changes.choices.ChangeState",
        "ReleaseStateEnum": "releases.choices.ReleaseState",
        "DeploymentStateEnum": "releases.choices.DeploymentState",
        "ClockStateEnum": "sla.choices.ClockState",
        "ClockKindEnum": "sla.choices.ClockKind",
        "ClockEventKindEnum": "sla.choices.EventKind",
        "CalendarExceptionKindEnum": "sla.choices.ExceptionKind",
        "ConflictKindEnum": "changes.choices.ConflictKind",
        "AgreementKindEnum": "sla.choices.AgreementKind",
        "ImpactUrgencyEnum": "core.choices.Impact",
        "ServiceRequestStateEnum": "fulfilment.choices.RequestState",
        "FulfilmentTaskStateEnum": "fulfilment.choices.TaskState",
        "WebhookDeliveryStateEnum": "webhooks.choices.WebhookDeliveryState",
        "ArticleVersionStateEnum": "knowledge.choices.VersionState",
        "DocumentStateEnum": "documents.choices.DocumentState",
        "ReportStateEnum": "reports.choices.ReportState",
        "ReportKindEnum": "reports.choices.ReportKind",
        "FindingKindEnum": "assurance.choices.FindingKind",
        "CertificationEventKindEnum": "assurance.choices.CertificationKind",
        "EventStatusEnum": "monitoring.choices.EventStatus",
        "AvailabilityTargetStatusEnum": "availability.choices.TargetStatus",
        "SecurityImpactEnum": "incidents.choices.CIAImpact",
        # Alerts and audit findings share the same two states; one name serves both.
        "OpenClosedStateEnum": "monitoring.choices.AlertState",
        "LanguageEnum": "knowledge.choices.Language",
    },
}

# Celery: Redis (bin/run uses the one on 127.0.0.1:6379 or an embedded one; see bin/devservers.py).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# One cache for every web process (the password-reset rate limits count across all of them);
# the same Redis as the broker unless CACHE_URL says otherwise.
CACHES = {"default": {"BACKEND": "core.cache.RedisCache",
                      "LOCATION": env("CACHE_URL", CELERY_BROKER_URL), "KEY_PREFIX": "itsm"}}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# The worker logs what its tasks print at INFO, not WARNING: in development the console mail
# backend prints each notification, which is no warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic tasks of the apps (itsm/celery.py adds them to its own sweeps; each names a task safe to run twice).
CELERY_BEAT_SCHEDULE = {
    # Mail in: poll every active IMAP mailbox (a poll that overran its slot is dropped, not queued).
    "mailin-poll": {"task": "mailin.tasks.poll_mailboxes", "schedule": 60.0, "options": {"expires": 55.0}},
    # Attachment files staged by portal carts abandoned for more than a day (fulfilment.cart).
    "fulfilment-purge-cart-files": {"task": "fulfilment.tasks.purge_cart_files", "schedule": 3600.0,
                                    "options": {"expires": 3000.0}},
    # Monitoring's hold-down sweep: resolves incidents whose alerts cleared and stayed clear (issue 15).
    "monitoring-settle-due": {"task": "monitoring.settle_due", "schedule": 30.0, "options": {"expires": 29.0}},
    # VOC (issue 16): open complaints past VOC_ESCALATE_AFTER_DAYS go up to the service owner.
    "voc-escalate-due": {"task": "voc.escalate_due", "schedule": 3600.0, "options": {"expires": 3000.0}},
    # Suppliers (issue 17): contract.expiring once per contract ending within 90 days.
    "suppliers-publish-expiring": {"task": "suppliers.publish_expiring", "schedule": 3600.0,
                                   "options": {"expires": 3000.0}},
    # Suppliers (issue 17): the agreements of ended contracts stop applying to new tickets.
    "suppliers-close-ended": {"task": "suppliers.close_ended", "schedule": 3600.0, "options": {"expires": 3000.0}},
    # Evidence packs whose worker died mid-build end as failed after ISO_PACK_STUCK_MINUTES.
    "iso-fail-stuck-packs": {"task": "iso.fail_stuck_packs", "schedule": 300.0, "options": {"expires": 280.0}},
}
# An evidence pack still building after this many minutes lost its worker (a real build takes
# seconds to a few minutes): the beat sweep above marks it failed so it can be requested again.
ISO_PACK_STUCK_MINUTES = env_int("ISO_PACK_STUCK_MINUTES", 30)

# Service reports (reports.exports.pdf): the TrueType fonts the PDF is drawn with. Debian's
# fonts-nanum (SIL OFL) covers Hangul; the Dockerfile installs it.
REPORTS_PDF_FONT = env("REPORTS_PDF_FONT", "/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
REPORTS_PDF_FONT_BOLD = env("REPORTS_PDF_FONT_BOLD", "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf")

# The outbox (core.outbox): a failing after-commit handler is retried after 10 s, 20 s, 40 s, ...
# (capped at an hour) and after OUTBOX_MAX_ATTEMPTS attempts left dead for an administrator.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 10)
OUTBOX_BACKOFF_MAX_SECONDS = env_int("OUTBOX_BACKOFF_MAX_SECONDS", 3600)

# Webhooks out (webhooks/): retries back off from 5 s to at most an hour, with jitter, for 24 hours;
# a subscription failing for WEBHOOKS_DISABLE_AFTER_SECONDS, or whose deliveries are given up
# WEBHOOKS_DISABLE_AFTER_DEAD times in a row, is switched off and its owner mailed.
# Targets on loopback, private, link-local (metadata) or reserved addresses are refused unless
# WEBHOOKS_ALLOW_LOOPBACK or WEBHOOKS_ALLOWED_NETWORKS (CIDRs of trusted internal systems) allow them.
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
WEBHOOKS_SEND_THREADS = env_int("WEBHOOKS_SEND_THREADS", 8)  # requests in flight per worker process
WEBHOOKS_BACKOFF_SECONDS = env_int("WEBHOOKS_BACKOFF_SECONDS", 5)
WEBHOOKS_BACKOFF_MAX_SECONDS = env_int("WEBHOOKS_BACKOFF_MAX_SECONDS", 3600)
WEBHOOKS_RETRY_WINDOW_SECONDS = env_int("WEBHOOKS_RETRY_WINDOW_SECONDS", 24 * 3600)
WEBHOOKS_DISABLE_AFTER_SECONDS = env_int("WEBHOOKS_DISABLE_AFTER_SECONDS", 24 * 3600)
WEBHOOKS_DISABLE_AFTER_DEAD = env_int("WEBHOOKS_DISABLE_AFTER_DEAD", 10)
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
WEBHOOKS_ALLOWED_NETWORKS = env_list("WEBHOOKS_ALLOWED_NETWORKS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # dictConfig passes these objects through as they are (strings would not be resolved).
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,  # a traceback as one "exception" string
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
            "foreign_pre_chain": [
                structlog.stdlib.add_log_level,
                structlog.stdlib.add_logger_name,
                structlog.processors.TimeStamper(fmt="iso"),
            ],
        },
        # One readable line per event (itsm.logging_setup.render_console).
        "console": {
            "()": structlog.stdlib.ProcessorFormatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                render_console,
            ],
        },
    },
    "filters": {
        "client_errors_in_one_line": {"()": "itsm.logging_setup.ClientErrorsInOneLine"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "json" if PRODUCTION else "console"),
            "filters": ["client_errors_in_one_line"],
        },
        "mail_admins": {"level": "ERROR", "filters": ["require_debug_false"],
                        "class": "django.utils.log.AdminEmailHandler"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own console handler (DEBUG only) would print each of its lines a second time.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # runserver's access line repeats the request log's (itsm.request); its 5xx lines stay.
        "django.server": {"level": "ERROR"},
    },
}
if not PRODUCTION:
    # bin/run's worker: every few seconds beat sends the outbox and SLA sweeps and the worker
    # says it received and finished them. That chatter would bury the start banner and the
    # mails; failures are still logged (ERROR).
    LOGGING["loggers"].update({name: {"level": "WARNING"} for name in (
        "celery.beat", "celery.worker.strategy", "celery.app.trace")})

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # drf-spectacular's deploy-time check regenerates the API schema and reports naming hints
    # (enum names, untyped path parameters). Those are API documentation quality, checked by the
    # test suite (tests/test_api_schema.py), not deployment safety.
    SILENCED_SYSTEM_CHECKS = ["drf_spectacular.W001"]

from itsm.logging_setup import configure_structlog  # noqa: E402

configure_structlog()

# Satisfaction surveys (issue 16): how long the signed link of a survey e-mail answers.
SURVEY_LINK_MAX_AGE_DAYS = env_int("SURVEY_LINK_MAX_AGE_DAYS", 30)
# VOC (issue 16): days to respond by kind (Korean public-sector complaint handling: 7 days), and
# the age at which an open complaint is escalated to the service's owner group (else this team).
VOC_DUE_DAYS = {"complaint": 7, "inquiry": 3, "suggestion": 14, "compliment": 14}
VOC_ESCALATE_AFTER_DAYS = env_int("VOC_ESCALATE_AFTER_DAYS", 3)
VOC_ESCALATION_TEAM = env("VOC_ESCALATION_TEAM") or "Service Management"
