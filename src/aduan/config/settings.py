"""Django settings for Aduan; every deployment difference comes from the environment."""

from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from whitenoise.compress import Compressor

from aduan.config import keys
from aduan.config.env import BASE_DIR, LOCAL_ENV, env, require_when

DEBUG = env.bool("DEBUG", default=False)
_has_keys = env.str("SECRET_KEY", default="") and (
    env.str("FIELD_ENCRYPTION_KEYS", default="") or env.str("FIELD_ENCRYPTION_KEY", default=""))
if DEBUG and not _has_keys and keys.write_local_keys(LOCAL_ENV):
    # A developer's first run with DEBUG on: the same per-installation keys `make run` makes.
    env.read_env(str(LOCAL_ENV))
# Signs sessions, CSRF tokens and receipt links. No default: with DEBUG off a missing, short or
# published key stops the start (core/apps.py, config/keys.py).
SECRET_KEY = env.str("SECRET_KEY", default="")
# Keys that encrypt NIKs at rest, newest first: the first encrypts, every one decrypts
# (core/crypto.py; `manage.py reencrypt_nik` moves stored NIKs to the first). Each is a Fernet
# key or, for data written before rotation existed, the old single FIELD_ENCRYPTION_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if env.str("FIELD_ENCRYPTION_KEY", default="") not in ("", *FIELD_ENCRYPTION_KEYS):
    FIELD_ENCRYPTION_KEYS.append(env.str("FIELD_ENCRYPTION_KEY"))
# Refuse to start on unsafe keys (the test settings turn this off for their published key).
ADUAN_REFUSE_UNSAFE_KEYS = not DEBUG
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "aduan.config.errors.csrf_failure"

VAR_DIR = Path(env.str("ADUAN_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)

# django-ninja (the REST API) is not an installed app: importing it loads pydantic and
# django.test, about 10 MB in every web worker that serves no API request (issue 17). Its
# templates and static files (the API docs page's Swagger UI) are found from its directory
# without importing it; the API's URL module imports it on first use (config/urls.py).
_ninja = find_spec("ninja")  # where the package is, without running its __init__
if _ninja is None or _ninja.origin is None:
    raise ImportError("django-ninja is not installed: run `make install`")
NINJA_DIR = Path(_ninja.origin).parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "aduan.core",
    "aduan.audit",
    "aduan.offices",
    "aduan.accounts",
    "aduan.complaints",
    "aduan.intake",
    "aduan.notifications",
    "aduan.reports",
    "aduan.portal",
    "aduan.rights",
    "aduan.ikm",
    "aduan.desk",
    "aduan.assist",
    "aduan.api",
    "aduan.documents",
    "aduan.demo",
    "aduan.ops",
    "aduan.triage",
    "aduan.watch",
    "aduan.oversight",
]

MIDDLEWARE = [
    # Every layer costs every request, so the steps are composed into three middlewares
    # (config/middleware.py, issue 17), in the order the separate ones had; Security, CSRF
    # and X-Frame-Options stay Django's own layers (`check --deploy` looks for them by name).
    # Outermost: a database outage anywhere below answers 503 with Retry-After (ops/outage.py);
    # behind nginx, the client's address from X-Forwarded-For, only from our proxies
    # (core/proxy.py); the configuration version read once per request (core/refcache.py);
    # request.office from /instansi/<code>/ (taken off path_info, made the script prefix) or the
    # host name, else the default office, before anything reading the path or the office
    # (offices/middleware.py, decision 0013); before any body is read, a request past
    # ADUAN_MAX_REQUEST_BYTES is 413 (core/middleware.py); 405 answers under /api/ in the API's
    # error shape (api/middleware.py).
    "aduan.config.middleware.EdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's header, the usual policy string built once per process (core/middleware.py);
    # WhiteNoise's static files; the session; the language as Django's LocaleMiddleware chooses
    # it without URL-prefix checks, memoised (core/middleware.py); Django's CommonMiddleware.
    "aduan.config.middleware.FrontMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost: Django's AuthenticationMiddleware with django-otp's verified user (one lazy
    # object), the messages storage built on first use (core/middleware.py), request.htmx,
    # the session's active office (staff in several offices, accounts/memberships.py) before
    # the security rules, so they are those of the office the person works in; idle/absolute
    # expiry, the second factor, forced password change (accounts/middleware.py); django-axes'
    # lockout answer; and, as its process_exception, the denial audit, which sees a view's
    # PermissionDenied before anything else handles it.
    "aduan.config.middleware.SessionRulesMiddleware",
]

ROOT_URLCONF = "aduan.config.urls"
WSGI_APPLICATION = "aduan.config.wsgi.application"
ASGI_APPLICATION = "aduan.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "aduan" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aduan.offices.context_processors.office",
                "aduan.desk.context_processors.desk_nav",
            ],
            # `{{ value|when }}`: one long date format on pages, one short in tables.
            "builtins": ["aduan.core.templatetags.dates"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
# SQLite under var/ by default, tuned for concurrent writers: WAL, IMMEDIATE transactions (the
# write lock is taken at BEGIN, so read-then-write never deadlocks) and a generous busy timeout.
SQLITE_PATH = Path(env.str("ADUAN_SQLITE_PATH", default=str(VAR_DIR / "aduan.sqlite3")))
_SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    # Per connection, so per web worker (docs/benchmarks.md, worker memory): SQLite's own page
    # cache is private memory, bounded here: 8 MB (was 16), which random lookups fill within a
    # minute and which a worker's connection (CONN_MAX_AGE) frees when it is reopened; at 16 MB
    # a SQLite worker reached 102-103 MB against the 100 MB of issue 17, and a first lookup
    # took the same CPU with either (measured, Worker memory, session 10). Misses are read from
    # the OS page cache. No memory map by default: the mapped part of the
    # file is the OS page cache, shared by all workers but counted in each one's RSS (up to 64
    # MB more per worker), and reading through the map saved no CPU on a lookup (measured).
    f"PRAGMA cache_size=-{env.int('ADUAN_SQLITE_CACHE_KB', default=8000)};"
    f"PRAGMA mmap_size={env.int('ADUAN_SQLITE_MMAP_MB', default=0) * 1024 * 1024};"
)
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env.int("CONN_MAX_AGE", default=60),
        conn_health_checks=env.bool("CONN_HEALTH_CHECKS", default=True))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's PostgreSQL backend with a health check that needs no round trip
        # (core/backends/postgresql): one query fewer in every request.
        DATABASES["default"]["ENGINE"] = "aduan.core.backends.postgresql"
        # No JIT compilation: it paid off for no statement of ours and cost the desk's
        # search for a word found nowhere 320 ms of start-up on a 1M database where the
        # statement itself needs 12 ms (docs/benchmarks.md, "The 1M desk, session 9").
        # ADUAN_PG_OPTIONS="" for a pooler that refuses start-up options.
        if pg_options := env.str("ADUAN_PG_OPTIONS", default="-c jit=off"):
            DATABASES["default"].setdefault("OPTIONS", {})["options"] = pg_options
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend plus a queue for writers (core/backends/sqlite3).
            "ENGINE": "aduan.core.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Persistent connections: opening SQLite and running the PRAGMAs per request cost
            # about 40% of a tracking request's throughput (docs/benchmarks.md, Portal).
            "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": _SQLITE_INIT,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How long a process trusts its memo of office configuration before asking the database again
# (core/refcache.py): an administrator's edit reaches other worker processes within this time.
ADUAN_REFCACHE_SECONDS = env.float("ADUAN_REFCACHE_SECONDS", default=1.0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "aduan.accounts.validators.UsernameInPasswordValidator"},
    {"NAME": "aduan.accounts.validators.RepetitionValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "accounts:login"
# The cookie's own limit; the office's idle timeout and absolute lifetime (Office
# session_idle_minutes, session_max_hours) end a staff session earlier (accounts/middleware.py).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Failed-login throttling. django-axes: AXES_FAILURE_LIMIT failures lock a username, from any
# address, for 15 minutes. accounts/throttle.py: ADUAN_LOGIN_IP_LIMIT failures lock an address
# over all usernames, and one password failing for ADUAN_LOGIN_SPRAY_LIMIT accounts is refused
# for every account (spraying). A lock answers exactly like a wrong password.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aduan.accounts.views.locked_out"
AXES_VERBOSE = False
# axes.W006 asks for ip_address among axes' parameters: per-address locking is ours (above),
# with its own, higher limit, so an office behind one NAT address is not locked out by five typos.
# axes.W002 asks for axes.middleware.AxesMiddleware by name: its per-request step (the lockout
# answer) is done by config/middleware.py SessionRulesMiddleware (issue 17: one layer, not seven).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "axes.W002"]
ADUAN_LOGIN_IP_LIMIT = env.int("ADUAN_LOGIN_IP_LIMIT", default=30)
ADUAN_LOGIN_SPRAY_LIMIT = env.int("ADUAN_LOGIN_SPRAY_LIMIT", default=5)
ADUAN_LOGIN_WINDOW_SECONDS = 15 * 60
# `make run`: the demo accounts keep their published password (no forced change).
ADUAN_DEMO_MODE = env.bool("ADUAN_DEMO_MODE", default=False)
# Two-factor login (django-otp): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Aduan")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "id"
# Aduan's date formats per language (config/formats/id, en).
FORMAT_MODULE_PATH = ["aduan.config.formats"]
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "aduan" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "src" / "aduan" / "static",
                    NINJA_DIR / "static"]  # the API docs page's Swagger UI, not a CDN
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media on the local disk (one machine, or a shared mount such as NFS on every node), or on an
# S3-compatible store through django-storages when web nodes and workers do not share a disk
# (docs/deployment.md).
ADUAN_MEDIA_STORAGE = env.str("ADUAN_MEDIA_STORAGE", default="local")
if ADUAN_MEDIA_STORAGE == "s3":
    _MEDIA_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("AWS_LOCATION", default="media"),
        "default_acl": None,
        "querystring_auth": True,  # attachments are private: links are signed and expire
        "file_overwrite": False,
    }}
elif ADUAN_MEDIA_STORAGE == "local":
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise RuntimeError("ADUAN_MEDIA_STORAGE must be 'local' or 's3'")
# Static files: hashed names (cached for a year by browsers and proxies) with gzip and brotli
# copies made once by `collectstatic` (docs/benchmarks.md, Static files). Outside DEBUG,
# WhiteNoise serves only what collectstatic wrote; `make run` runs it before starting.
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "aduan.core.staticstorage.StaticFilesStorage"},
}
# Source maps are for developers' tools, not for pages: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ADUAN_MAX_ATTACHMENT_BYTES = env.int("ADUAN_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Every multipart file is capped while it streams (portal/uploads.py), before the default
# handlers buffer it in memory (small files) or in a temporary file.
FILE_UPLOAD_HANDLERS = [
    "aduan.portal.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Form fields and JSON bodies (not files): the longest complaint text is 20,000 characters.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
# The whole request: five attachments at the limit plus the form. Larger requests are answered
# 413 from the Content-Length header, before a byte of the body is read
# (core/middleware.py); set the reverse proxy's limit to the same (nginx: client_max_body_size).
ADUAN_MAX_REQUEST_BYTES = env.int("ADUAN_MAX_REQUEST_BYTES",
                                  default=5 * ADUAN_MAX_ATTACHMENT_BYTES + 1024 * 1024)
# Limits per scope, overriding core/ratelimit.py's DEFAULT_LIMITS: {"web_submit": (20, 3600)}.
ADUAN_RATE_LIMITS: dict = {}
# IKM (PermenPANRB 14/2017): the weight of each of the nine element averages, the regulation's
# rounded "0.11" (as in the offices' published reports) or the exact "1/9"; checked at start-up
# (docs/decisions/0006-ikm-survey.md).
ADUAN_IKM_ELEMENT_WEIGHT = env.str("ADUAN_IKM_ELEMENT_WEIGHT", default="0.11")

# --- Cache (rate limits, throttling) ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Degrades to no cache instead of failing while Redis is unreachable (core/cache.py).
    CACHES = {"default": {"BACKEND": "aduan.core.cache.ResilientRedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}}
else:
    CACHES = {
        "default": {
            # Django's file cache, culled every few writes (core/filecache.py).
            "BACKEND": "aduan.core.filecache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Background tasks (Django Tasks API backport) --------------------------------------------


def redis_url_with_connect_timeout(url: str, seconds: float = 2.0) -> str:
    """`url` with `socket_connect_timeout` in its query unless it names one already."""
    from urllib.parse import parse_qsl, urlsplit

    # Appended as text: urlunsplit would drop the "//" of unix:///path (redis-py refuses it).
    if any(name == "socket_connect_timeout" for name, _ in parse_qsl(urlsplit(url).query)):
        return url
    return f"{url}{'&' if '?' in url else '?'}socket_connect_timeout={seconds:g}"


TASK_BACKEND = env.str("TASK_BACKEND", default="db")
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A connect timeout in the URL (redis-py reads it from the query; django-rq passes no
    # options): an unreachable Redis made a web submission, already committed, wait for the
    # system's TCP connect timeout before its queueing failed (decision 0015: the sweep
    # queues it later). No read timeout: the worker blocks on its queue by design.
    RQ_QUEUES = {"default": {"URL": redis_url_with_connect_timeout(
        REDIS_URL or "redis://127.0.0.1:6379/0")}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    # django-tasks-db's backend with a faster insert of the task row (core/taskbackend.py).
    TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                         "QUEUES": ["default"]}}

# --- Mail ------------------------------------------------------------------------------------
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=1025)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="pengaduan@aduan.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mailbox reporters' replies go to, as `local+<token>@domain` (plus-addressing); empty:
# IMAP_USER when it is an address, else DEFAULT_FROM_EMAIL.
ADUAN_REPLY_ADDRESS = env.str("ADUAN_REPLY_ADDRESS", default="")

# Public address of the portal, for links in messages (tracking page). Required with DEBUG off:
# the web and worker processes refuse to start without it (config/env.py,
# require_public_url). `make run` passes ADUAN_RUN_URL, built from its HOST and PORT.
ADUAN_PUBLIC_URL = env.str("ADUAN_PUBLIC_URL", default="") or env.str("ADUAN_RUN_URL", default="")
if not ADUAN_PUBLIC_URL and DEBUG:
    ADUAN_PUBLIC_URL = "http://127.0.0.1:8000"

# --- Channels (secrets only from the environment) --------------------------------------------
ADUAN_WHATSAPP_ENABLED = env.bool("ADUAN_WHATSAPP_ENABLED", default=False)
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_GRAPH_URL = env.str("WHATSAPP_GRAPH_URL", default="https://graph.facebook.com/v21.0")
# Approved template used outside the 24-hour customer-service window (body: {{1}} register
# number, {{2}} message text).
# Hosts the media URLs named by the Graph API may point to (Meta's media store; `*.` matches
# any subdomain). Anything else is refused, redirects included.
WHATSAPP_MEDIA_HOSTS = env.list("WHATSAPP_MEDIA_HOSTS",
                                default=["lookaside.fbsbx.com", "*.fbcdn.net"])
# Media hosts that receive the access token, as the Graph host does: Meta's media store
# requires it. A redirect never carries the token.
WHATSAPP_MEDIA_TOKEN_HOSTS = env.list("WHATSAPP_MEDIA_TOKEN_HOSTS",
                                      default=["lookaside.fbsbx.com"])
WHATSAPP_TEMPLATE_NAME = env.str("WHATSAPP_TEMPLATE_NAME", default="aduan_pemberitahuan")
WHATSAPP_TEMPLATE_LANGUAGE = env.str("WHATSAPP_TEMPLATE_LANGUAGE", default="id")
require_when("ADUAN_WHATSAPP_ENABLED", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN",
             "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")
ADUAN_SMS_ENABLED = env.bool("ADUAN_SMS_ENABLED", default=False)
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_USERNAME = env.str("SMS_GATEWAY_USERNAME", default="")
SMS_GATEWAY_PASSWORD = env.str("SMS_GATEWAY_PASSWORD", default="")
SMS_WEBHOOK_SECRET = env.str("SMS_WEBHOOK_SECRET", default="")
require_when("ADUAN_SMS_ENABLED", "SMS_GATEWAY_URL", "SMS_GATEWAY_USERNAME",
             "SMS_GATEWAY_PASSWORD")
ADUAN_IMAP_ENABLED = env.bool("ADUAN_IMAP_ENABLED", default=False)
IMAP_HOST = env.str("IMAP_HOST", default="")
IMAP_PORT = env.int("IMAP_PORT", default=993)
IMAP_USER = env.str("IMAP_USER", default="")
IMAP_PASSWORD = env.str("IMAP_PASSWORD", default="")
IMAP_USE_SSL = env.bool("IMAP_USE_SSL", default=True)
IMAP_FOLDER = env.str("IMAP_FOLDER", default="INBOX")
require_when("ADUAN_IMAP_ENABLED", "IMAP_HOST", "IMAP_USER", "IMAP_PASSWORD")
# An inbound item still unprocessed after this long is stuck: the sweeper processes it again
# and the desk review list shows it.
ADUAN_INBOUND_STUCK_SECONDS = env.int("ADUAN_INBOUND_STUCK_SECONDS", default=180)
# Accepted web submissions (decision 0015): the sweep queues again a row waiting longer than
# REQUEUE seconds (doubled per failed attempt: 60, 120, 240... s), up to MAX_ATTEMPTS failed
# registrations; /readyz warns when the oldest row
# waits longer than STUCK seconds or a row is past its last attempt.
ADUAN_SUBMISSION_REQUEUE_SECONDS = env.int("ADUAN_SUBMISSION_REQUEUE_SECONDS", default=60)
ADUAN_SUBMISSION_MAX_ATTEMPTS = env.int("ADUAN_SUBMISSION_MAX_ATTEMPTS", default=5)
ADUAN_SUBMISSION_STUCK_SECONDS = env.int("ADUAN_SUBMISSION_STUCK_SECONDS", default=600)
# A message without a provider id repeating the same sender and text within this window is a
# redelivery, not a new message.
ADUAN_INBOUND_DUPLICATE_SECONDS = env.int("ADUAN_INBOUND_DUPLICATE_SECONDS", default=600)
# The parts of a concatenated SMS are awaited this long before the text is put together with
# the missing parts marked.
ADUAN_SMS_CONCAT_SECONDS = env.int("ADUAN_SMS_CONCAT_SECONDS", default=300)

# --- Transport security and headers (docs/deployment.md) ----------------------------------
# ADUAN_HTTPS=true says the site is reached only over HTTPS: redirect plain HTTP, send HSTS and
# mark the session and CSRF cookies Secure. Behind nginx (which terminates TLS) also set
# BEHIND_TLS_PROXY=true so Django trusts the proxy's `X-Forwarded-Proto: https`; nginx must then
# set that header itself on every request (`proxy_set_header X-Forwarded-Proto $scheme;`), or a
# client could claim HTTPS.
ADUAN_HTTPS = env.bool("ADUAN_HTTPS", default=False)
# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client
# (core/proxy.py); empty when clients connect to gunicorn directly.
ADUAN_TRUSTED_PROXIES = env.list("ADUAN_TRUSTED_PROXIES", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool(
    "BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=ADUAN_HTTPS)
# The health check is asked over plain HTTP by the proxy and the orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$", r"^healthz$", r"^readyz$", r"^metrics$"]
# One year, the minimum the browsers' preload lists accept; 0 (off) without HTTPS.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS",
                              default=365 * 24 * 60 * 60 if ADUAN_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=ADUAN_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=ADUAN_HTTPS)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=ADUAN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Tracking pages carry the reporter's code in their address: never send it to another site.
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files (htmx
# and the project's JS and CSS; no inline <script>, on* handler or style= anywhere, so no
# 'unsafe-inline'), nothing may frame the site. Pages that need more (the API's Swagger page)
# widen it for themselves with csp.decorators.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": ADUAN_HTTPS,
        "report-uri": env.str("CSP_REPORT_URI", default="") or None,
    },
}

# --- Operations (ops/) ------------------------------------------------------------------------
# /metrics: a bearer token, or the addresses/networks allowed to scrape without one.
ADUAN_METRICS_TOKEN = env.str("ADUAN_METRICS_TOKEN", default="")
ADUAN_METRICS_ALLOWED_IPS = env.list("ADUAN_METRICS_ALLOWED_IPS", default=[])
# /readyz thresholds: below this free space on the media disk the node is not ready; a task
# queue lag above this warns (stuck inbound messages: ADUAN_INBOUND_STUCK_SECONDS).
ADUAN_READY_MIN_FREE_BYTES = env.int("ADUAN_READY_MIN_FREE_BYTES", default=512 * 1024 * 1024)
ADUAN_READY_QUEUE_LAG_SECONDS = env.int("ADUAN_READY_QUEUE_LAG_SECONDS", default=300)
# Where `manage.py backup` and the scheduled backup write archives (shared storage when the
# workers run on several machines); interval and retention are set in the admin (ops).
ADUAN_BACKUP_DIR = Path(env.str("ADUAN_BACKUP_DIR", default=str(VAR_DIR / "backups")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets in query strings (Meta's hub.verify_token) never reach a log line.
    "filters": {"scrub_secrets": {"()": "aduan.core.logfilters.ScrubSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # runserver's request lines, through the scrubbing handler.
                "django.server": {"handlers": ["console"], "level": "INFO",
                                  "propagate": False}},
}

# Periodic jobs enqueued by `manage.py run_worker` (dotted task path, interval in seconds).
# Suggestions and related-case hints for every new case, computed after commit (assist/hooks.py).
ADUAN_ASSIST_ON_NEW_CASES = env.bool("ADUAN_ASSIST_ON_NEW_CASES", default=True)
# Automatic answers (assist/instant.py): hours the reporter has to answer "1 (ya) / 2 (tidak)"
# before the case goes back to the officers.
ADUAN_INSTANT_ANSWER_WAIT_HOURS = env.int("ADUAN_INSTANT_ANSWER_WAIT_HOURS", default=24)

ADUAN_PERIODIC_TASKS = [
    ("aduan.complaints.tasks.run_daily_procedures", 60 * 60),
    ("aduan.complaints.tasks.anonymise_expired_reporters", 24 * 60 * 60),
    ("aduan.notifications.tasks.sweep_outbox", 30),
    ("aduan.notifications.tasks.send_deadline_reminders", 60 * 60),
    ("aduan.intake.tasks.poll_mailbox", env.int("IMAP_POLL_SECONDS", default=120)),
    ("aduan.intake.tasks.retry_media_fetches", 60),
    ("aduan.intake.tasks.sweep_inbound", 60),
    ("aduan.complaints.tasks.sweep_submissions", 60),
    ("aduan.ops.tasks.run_scheduled_backup", 15 * 60),
    ("aduan.triage.tasks.retrain_triage_models", 60 * 60),
    ("aduan.assist.tasks.sweep_assist", 60),
    # Flags once per change of state and digests once a day per person: hourly is harmless.
    ("aduan.watch.tasks.run_daily_watch", 60 * 60),
]

