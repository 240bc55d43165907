"""Settings for the Connector Publishing Portal.

Everything comes from environment variables with defaults that make a fresh clone
run on SQLite with django-q2's ORM broker and email printed to the console. With
DEBUG off the portal refuses to start until the secrets it needs are given.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

# Development-only values: production (DEBUG off) must replace both.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
_DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZC0="

SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
# Fernet keys for secrets at rest, newest first; older ones still decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [_DEV_ENCRYPTION_KEY] if DEBUG else [])

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not FIELD_ENCRYPTION_KEYS or _DEV_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )

# Decided once at start-up: test runners switch DEBUG off while they run, and the demo
# data (users with the password "demo") must stay possible there but never in production.
DEMO_DATA_ALLOWED = DEBUG

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin with the site above
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "django_q",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "axes",
    "csp",
    "portal",
    "connectors",
    "review",
    "runs.apps.RunsConfig",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A signed-out htmx request: the whole page goes to sign-in (not the part), and back.
    "portal.htmx_login.HtmxSignInMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before any view: a NUL in a form or query answers 400 naming the field, on every database.
    "portal.input_middleware.ControlCharacterMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# A refused CSRF token: an htmx request gets one line to show where the user acted.
CSRF_FAILURE_VIEW = "portal.htmx_errors.csrf_failure"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.nav.nav_entries",
            ],
        },
    },
]

# SQLite by default, tuned for django-q2 workers writing beside the web process:
# WAL lets readers run during a write, and IMMEDIATE transactions take the write
# lock up front, so read-then-write transactions do not fail with "database is locked".
_SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": _SQLITE_OPTIONS,
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH") or None},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare a statement the connection has run a few
    # times, so PostgreSQL stops planning it again on every request: the join behind
    # "may this user see this submission" took longer to plan than to run. Not for
    # PgBouncer in transaction mode, which cannot keep a prepared statement.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=env_bool("DATABASE_SERVER_SIDE_BINDING", True),
        prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 5),
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")

# django-q2: ORM broker by default (nothing else to run), Redis when REDIS_URL is set.
# retry must exceed timeout, or a slow task is handed to a second worker while the first runs.
Q_CLUSTER = {
    "name": env_str("Q_CLUSTER_NAME", "portal"),
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 120),
    "retry": env_int("Q_RETRY", 180),
    "max_attempts": 3,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    "poll": 0.2,
    "sync": env_bool("Q_SYNC", False),
    "bulk": 1,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Shared by every process: the review worker's changes must reach the web's cached page
# parts (portal.fragments). Redis in production; without it, a folder on this machine
# (`make run` starts the web server and the worker as two processes).
CACHES = {
    "default": (
        {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR") or str(BASE_DIR / ".cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}

# Content-Security-Policy (django-csp): scripts and styles only from the portal's own
# static files, so an injected <script> or onclick= does not run. The pages have no
# inline script or style (tests/portal/test_security_headers.py keeps it so); data:
# images are the editor's icon previews and Bootstrap's SVG icons in its CSS.
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
    }
}

# With Redis, sessions are read from it and written through to the database: one query
# fewer on every page, and no one is signed out when Redis restarts.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# username the account is locked for LOGIN_LOCKOUT_MINUTES, whatever the address the
# guesses come from; a review engineer can unlock it sooner in the admin.
AUTHENTICATION_BACKENDS = [
    "portal.lockouts.LockoutBackend",
    # The user and their groups are read from the database on every request: who someone
    # is and what they may do takes effect on the next request, whatever wrote the row.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.lockouts.lockout_response"
AXES_ENABLE_ADMIN = False  # portal/admin.py registers an engineers-only page with Unlock
AXES_DISABLE_ACCESS_LOG = True  # failures are what matter; a row per sign-in would grow forever
AXES_VERBOSE = False
# Axes warns that a lock without the IP address can be dodged by rotating user agents or
# cookies; a lock by username alone cannot, and a lock by address would lock out every
# user behind one proxy or office NAT at once.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/develop/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# A bundle folder uploaded from the Develop page arrives as one file per part. Django's
# default (100) would answer a 400 before the bundle reader could say "more than 500
# files"; this is connectors.bundle.limits.MAX_ENTRIES (junk files included).
DATA_UPLOAD_MAX_NUMBER_FILES = 2000

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "portal.static_storage.StaticStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Connector Portal <noreply@portal.localhost>")

# Production hardening: on whenever DEBUG is off, so `check --deploy` passes.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every successful sign-in's reset at INFO; lockouts are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- The portal's own rules -------------------------------------------------
# The Domo page says 14 days in one place and 30 in another, hence a setting.
BETA_DAYS = env_int("BETA_DAYS", 14)
# Conversation emails per submission and side: the first of a burst goes at once, the
# rest of this many minutes in one digest (0: every message on its own).
CONVERSATION_EMAIL_MINUTES = env_int("CONVERSATION_EMAIL_MINUTES", 10)
REVIEW_DUE_DAYS = env_int("REVIEW_DUE_DAYS", 30)
# How often an open status window asks for news while it waits on people (sign-offs, approval).
STATUS_PEOPLE_POLL_SECONDS = env_int("STATUS_PEOPLE_POLL_SECONDS", 10)
# Secrets of reviews that ended longer ago than this are erased by the purge job.
PURGE_AFTER_DAYS = env_int("PURGE_AFTER_DAYS", 30)
# The review engine (bundle-format.md): modeled latency per request and sandbox limits.
REVIEW_LATENCY_SECONDS = env_float("REVIEW_LATENCY_SECONDS", 0.5)
SANDBOX_CPU_SECONDS = env_float("SANDBOX_CPU_SECONDS", 10.0)
SANDBOX_HEAP_MB = env_int("SANDBOX_HEAP_MB", 128)
SANDBOX_WORKERS = env_int("SANDBOX_WORKERS", 2)
# Pages' heavy parts are served from the cache until what they show changes
# (portal/fragments.py); false renders them on every request (the load bench's --cold).
CACHED_PAGE_PARTS = env_bool("CACHED_PAGE_PARTS", True)
# The load bench's bare page (/bench/baseline/, no database); off unless the bench runs.
BENCH_BASELINE_PAGE = env_bool("BENCH_BASELINE_PAGE", False)
# CPU seconds for all the sandbox runs of one review together. 2 x the per-run limit: on
# 2 cores, two runs at their limit spend it in one limit of wall time.
REVIEW_CPU_SECONDS = env_float("REVIEW_CPU_SECONDS", 2 * SANDBOX_CPU_SECONDS)
# A version whose code is the newest approved version's keeps that version's Security test
# and Code review, and is approved once the machine's phases pass again (review.carry_over).
REVIEW_CARRY_OVER = env_bool("REVIEW_CARRY_OVER", True)
# Attempts of a review run our machinery broke before its machine phases go to an engineer.
REVIEW_MAX_ATTEMPTS = env_int("REVIEW_MAX_ATTEMPTS", 5)
# The wall clock of one whole review run (syntax check and every sandbox run): bounded well
# below the task timeout, so django-q2 never has to kill a worker for a slow bundle and the
# result is stored by the run that made it. The rest of the timeout is for the parse, the
# rules and storing the result on a busy machine.
REVIEW_WALL_SECONDS = env_float("REVIEW_WALL_SECONDS", Q_CLUSTER["timeout"] / 2)
REVIEW_WALL_MARGIN = 0.25  # of the task timeout, at least, left after the review's wall clock
if REVIEW_WALL_SECONDS > Q_CLUSTER["timeout"] * (1 - REVIEW_WALL_MARGIN):
    raise ImproperlyConfigured(
        f"REVIEW_WALL_SECONDS ({REVIEW_WALL_SECONDS:g}) must leave a quarter of Q_TIMEOUT "
        f"({Q_CLUSTER['timeout']}) free: at most {Q_CLUSTER['timeout'] * (1 - REVIEW_WALL_MARGIN):g}."
    )
# The fair queue: reviews (machine work queued, running or waiting for a retry) one user and
# one company may have at once; Submit, resubmit and the API refuse past it (429 in the API).
REVIEW_QUEUE_PER_USER = env_int("REVIEW_QUEUE_PER_USER", 2)
REVIEW_QUEUE_PER_COMPANY = env_int("REVIEW_QUEUE_PER_COMPANY", 5)
# Of those, how many of one user's run at once; the others wait at the end of the queue, so
# one developer's slow reviews never take every worker (docs/design.md, "The fair queue").
REVIEW_RUNNING_PER_USER = env_int("REVIEW_RUNNING_PER_USER", 1)
# Check now holds a worker: at most this many per user in a rolling window.
CHECK_NOW_PER_WINDOW = env_int("CHECK_NOW_PER_WINDOW", 10)
CHECK_NOW_WINDOW_SECONDS = env_int("CHECK_NOW_WINDOW_SECONDS", 600)

# --- Live runs (docs/design.md, "Live runs: the egress policy") ------------------
# Declared host -> local plain-HTTP test server ("host=127.0.0.1:port,..."): honoured only
# with DEBUG or in tests; runs.checks fails start-up when set in production.
LIVE_RUN_HOST_MAP = env_str("LIVE_RUN_HOST_MAP", "")
LIVE_RUN_CSV_DAYS = env_int("LIVE_RUN_CSV_DAYS", 7)
LIVE_RUN_SECONDS = env_float("LIVE_RUN_SECONDS", 120.0)
LIVE_RUN_MAX_REQUESTS = env_int("LIVE_RUN_MAX_REQUESTS", 500)
LIVE_RUN_MAX_RESPONSE_BYTES = env_int("LIVE_RUN_MAX_RESPONSE_BYTES", 5 * 1024 * 1024)
LIVE_RUN_MAX_TOTAL_BYTES = env_int("LIVE_RUN_MAX_TOTAL_BYTES", 50 * 1024 * 1024)
LIVE_RUN_MAX_CSV_BYTES = env_int("LIVE_RUN_MAX_CSV_BYTES", 100 * 1024 * 1024)
LIVE_RUNS_AT_ONCE_PER_USER = env_int("LIVE_RUNS_AT_ONCE_PER_USER", 1)
LIVE_RUNS_AT_ONCE_PER_COMPANY = env_int("LIVE_RUNS_AT_ONCE_PER_COMPANY", 3)
LIVE_RUNS_PER_HOUR_PER_USER = env_int("LIVE_RUNS_PER_HOUR_PER_USER", 20)
LIVE_RUNS_PER_HOUR_PER_COMPANY = env_int("LIVE_RUNS_PER_HOUR_PER_COMPANY", 60)
LIVE_RUN_DIR = Path(env_str("LIVE_RUN_DIR", str(BASE_DIR / "var" / "live-runs")))
# The runs' CSVs are written by whichever worker machine ran them and downloaded through
# whichever web machine the user reaches: they go through Django's storage API, so a
# deployment of several machines points this at a shared volume or an object store
# (django-storages' S3Storage, say). Never served by URL: the download view checks access.
STORAGES["live_runs"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(LIVE_RUN_DIR)},
}
