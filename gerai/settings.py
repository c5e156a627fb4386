"""Gerai settings. Every value that varies between deployments comes from the environment;
README.md lists each variable. SQLite is the default; DATABASE_URL selects PostgreSQL."""

import base64
import hashlib
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from gerai.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GERAI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = env_bool("GERAI_DEBUG", False)

SECRET_KEY = env_str("GERAI_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-" + "x" * 40
    else:
        # A single-machine install keeps a generated key in the var directory (make run does this).
        key_file = VAR_DIR / "secret-key"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env_list("GERAI_ALLOWED_HOSTS", "127.0.0.1,localhost")
if TESTING:
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = env_list("GERAI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks_db",
    "gerai.core",
    "gerai.regions",
    "gerai.accounts",
    "gerai.audit",
    "gerai.catalog",
    "gerai.applications",
    "gerai.notifications",
    "gerai.documents",
    "gerai.complaints",
    "gerai.surveys",
    "gerai.dashboards",
    "gerai.onboarding",
    "gerai.innovation",
    "gerai.governance",
    "gerai.tourism",
    "gerai.news",
    "gerai.prices",
    "gerai.webhooks",
    "gerai.api",
    "gerai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gerai.core.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gerai.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "gerai.core.middleware.ErrorPageMiddleware",
    "gerai.regions.middleware.RegionHostMiddleware",
]

ROOT_URLCONF = "gerai.urls"
WSGI_APPLICATION = "gerai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gerai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gerai.accounts.context_processors.platform",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'gerai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db) or _default_db,
        conn_max_age=env_int("GERAI_DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions + a busy timeout: concurrent writers queue instead of failing with
    # "database is locked" (performance.md). WAL is switched on at connection time (core/apps.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else DATABASES["default"]["CONN_MAX_AGE"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("GERAI_DB_PREPARED_STATEMENTS", True):
        # Server-side binding lets PostgreSQL keep the plans of repeated queries (after 5 uses) instead of
        # planning each request's queries again, which cost more than running them.
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
    else:
        # Behind a transaction-pooling proxy (PgBouncer in transaction mode), which keeps neither prepared
        # statements nor a cursor from one transaction to the next: no server-side cursors for .iterator().
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A streaming replica for reads (docs/performance.md, deploy/SCALE-OUT.md): public pages and dashboards read from
# it, a visitor's requests after a write read from the primary for GERAI_REPLICA_PIN_SECONDS (gerai/core/replica.py).
_replica = env_str("DATABASE_REPLICA_URL")
GERAI_REPLICA_PIN_SECONDS = env_int("GERAI_REPLICA_PIN_SECONDS", 15, minimum=1)
if _replica:
    DATABASES["replica"] = dj_database_url.parse(
        _replica, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = DATABASES["default"].get("OPTIONS", {})
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gerai.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"), "gerai.core.replica.ReplicaMiddleware"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling) -----------------------------------------------------------------------
_redis = env_str("GERAI_REDIS_URL")
if _redis:
    CACHES = {"default": {"BACKEND": "gerai.core.rediscache.RedisCache", "LOCATION": _redis}}  # one client per pool
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gerai_cache"}}

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gerai.accounts.backends.EmailOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
SESSION_COOKIE_AGE = env_int("GERAI_SESSION_SECONDS", 8 * 3600, minimum=300)

# --- Security ---------------------------------------------------------------------------------
HTTPS = env_bool("GERAI_HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS and not TESTING
CSRF_COOKIE_SECURE = HTTPS and not TESTING
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("GERAI_HSTS_SECONDS", 0)
# Gerai is served from its own host name (layanan.<regency>.go.id): its subdomains are its own, and the
# preload directive is harmless there (only a registrable domain can enter the preload list)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GERAI_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GERAI_HSTS_PRELOAD", True)
# http:// is redirected to https:// (behind a proxy, by its X-Forwarded-Proto); health probes stay on http
SECURE_SSL_REDIRECT = env_bool("GERAI_SSL_REDIRECT", HTTPS and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "gerai.core.views.error_403_csrf"  # "your session expired", in the user's language
if env_bool("GERAI_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_FOR = env_bool("GERAI_BEHIND_PROXY", False)
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}

# --- Files ------------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("GERAI_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded documents are never served publicly: no route serves this prefix; views stream files
# after a permission check. (A path, not None, because test servers parse it.)
MEDIA_URL = "/_private/"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "gerai" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads and issued documents on S3-compatible storage (MinIO, AWS, Wasabi, IDCloudHost…), private objects.
GERAI_STORAGE = env_str("GERAI_STORAGE", "filesystem")
if GERAI_STORAGE == "s3":
    if not env_str("GERAI_S3_BUCKET"):
        raise ImproperlyConfigured("GERAI_STORAGE=s3 needs GERAI_S3_BUCKET")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("GERAI_S3_BUCKET"),
            "endpoint_url": env_str("GERAI_S3_ENDPOINT_URL") or None,
            "region_name": env_str("GERAI_S3_REGION") or None,
            "access_key": env_str("GERAI_S3_ACCESS_KEY") or None,
            "secret_key": env_str("GERAI_S3_SECRET_KEY") or None,
            "location": env_str("GERAI_S3_PREFIX"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif GERAI_STORAGE != "filesystem":
    raise ImproperlyConfigured("GERAI_STORAGE must be filesystem or s3")
WHITENOISE_USE_FINDERS = TESTING or DEBUG
GERAI_MAX_UPLOAD_BYTES = env_int("GERAI_MAX_UPLOAD_MB", 5, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = GERAI_MAX_UPLOAD_BYTES * 5

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gerai" / "locale"]
LANGUAGE_COOKIE_NAME = "gerai_lang"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage; every region renders in its own zone

# --- Email and tasks --------------------------------------------------------------------------
EMAIL_HOST = env_str("GERAI_EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("GERAI_EMAIL_PORT", 587),
                "username": env_str("GERAI_EMAIL_USER"),
                "password": env_str("GERAI_EMAIL_PASSWORD"),
                "use_tls": env_bool("GERAI_EMAIL_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    # No mail server configured: messages are printed by the task worker (the demo's setting).
    MAILERS = {"default": {"BACKEND": "gerai.notifications.gateways.ConsoleEmailBackend"}}
del EMAIL_HOST
# WhatsApp and SMS gateways ("" = channel off; webhook | fonnte for WhatsApp; webhook | zenziva for SMS)
GERAI_WHATSAPP_GATEWAY = env_str("GERAI_WHATSAPP_GATEWAY")
GERAI_SMS_GATEWAY = env_str("GERAI_SMS_GATEWAY")
if GERAI_WHATSAPP_GATEWAY not in ("", "webhook", "fonnte") or GERAI_SMS_GATEWAY not in ("", "webhook", "zenziva"):
    raise ImproperlyConfigured("GERAI_WHATSAPP_GATEWAY: webhook|fonnte; GERAI_SMS_GATEWAY: webhook|zenziva")
GERAI_WHATSAPP_WEBHOOK_URL = env_str("GERAI_WHATSAPP_WEBHOOK_URL")
GERAI_SMS_WEBHOOK_URL = env_str("GERAI_SMS_WEBHOOK_URL")
GERAI_WEBHOOK_SECRET = env_str("GERAI_WEBHOOK_SECRET") or SECRET_KEY
GERAI_FONNTE_URL = env_str("GERAI_FONNTE_URL", "https://api.fonnte.com/send")
GERAI_FONNTE_TOKEN = env_str("GERAI_FONNTE_TOKEN")
GERAI_ZENZIVA_URL = env_str("GERAI_ZENZIVA_URL", "https://console.zenziva.net/reguler/api/sendsms/")
GERAI_ZENZIVA_USERKEY = env_str("GERAI_ZENZIVA_USERKEY")
GERAI_ZENZIVA_PASSKEY = env_str("GERAI_ZENZIVA_PASSKEY")
GERAI_GATEWAY_TIMEOUT = env_int("GERAI_GATEWAY_TIMEOUT", 15, minimum=1)
# Shared secret that delivery-status callbacks must carry (?token=…); empty = callbacks refused.
GERAI_NOTIFY_CALLBACK_TOKEN = env_str("GERAI_NOTIFY_CALLBACK_TOKEN")
# Outbound webhooks (docs/webhooks.md): may a subscription's URL resolve to a loopback, private or
# link-local address? Never in production (SSRF); a local receiver in development and tests.
GERAI_WEBHOOKS_ALLOW_PRIVATE = env_bool("GERAI_WEBHOOKS_ALLOW_PRIVATE", DEBUG or TESTING)
GERAI_WEBHOOKS_TIMEOUT = env_int("GERAI_WEBHOOKS_TIMEOUT", 5, minimum=1)
# Local hour at which officers get their daily digest.
GERAI_OUTBOX_KEEP_DAYS = env_int("GERAI_OUTBOX_KEEP_DAYS", 30, minimum=1)
GERAI_WORKER_STALE_SECONDS = env_int("GERAI_WORKER_STALE_SECONDS", 60, minimum=15)
GERAI_DIGEST_HOUR = env_int("GERAI_DIGEST_HOUR", 7)
DEFAULT_FROM_EMAIL = env_str("GERAI_EMAIL_FROM", "Gerai <noreply@gerai.invalid>")

# Background tasks (Django's Tasks API). `db` (the default): the queue is a table, run by `db_worker`; `rq`: the
# queue is in Redis (GERAI_REDIS_URL), run by RQ workers (deploy/SCALE-OUT.md); anything else: a backend's path.
_tasks_backend = env_str("GERAI_TASKS_BACKEND", "db").strip() or "db"
_tasks_backend = {"db": "django_tasks_db.DatabaseBackend", "rq": "gerai.core.rq_tasks.Backend"}.get(
    _tasks_backend, _tasks_backend
)
GERAI_TASK_QUEUES = ["default"]
TASKS = {"default": {"BACKEND": _tasks_backend, "QUEUES": GERAI_TASK_QUEUES}}
if _tasks_backend.startswith(("gerai.core.rq_tasks.", "django_tasks_rq.")):
    if not _redis:
        raise ImproperlyConfigured(
            "GERAI_TASKS_BACKEND=rq keeps the task queue in Redis: set GERAI_REDIS_URL (e.g. redis://127.0.0.1:6379/0)"
        )
    # Only then: the default installation imports no RQ and has no django_rq migrations to apply.
    INSTALLED_APPS.append("django_rq")
    # A job running longer than DEFAULT_TIMEOUT seconds is stopped and marked failed (RQ's default is 180).
    RQ_QUEUES = {name: {"URL": _redis, "DEFAULT_TIMEOUT": 600} for name in GERAI_TASK_QUEUES}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Signed documents -------------------------------------------------------------------------
GERAI_SIGNING_BACKEND = env_str("GERAI_SIGNING_BACKEND", "local")
if GERAI_SIGNING_BACKEND not in ("local", "bsre"):
    raise ImproperlyConfigured("GERAI_SIGNING_BACKEND must be local or bsre")
GERAI_SIGNING_KEYS_DIR = Path(env_str("GERAI_SIGNING_KEYS_DIR", str(VAR_DIR / "keys")))
if TESTING:  # each test process (and xdist worker) gets its own key store
    import tempfile

    GERAI_SIGNING_KEYS_DIR = Path(tempfile.mkdtemp(prefix="gerai-keys-"))
GERAI_SIGNING_KEYS_SECRET = env_str("GERAI_SIGNING_KEYS_SECRET") or SECRET_KEY
# The audit log's checkpoints are signed with a key derived from this secret, and copied to the witness file
GERAI_AUDIT_SECRET = env_str("GERAI_AUDIT_SECRET") or SECRET_KEY
GERAI_AUDIT_WITNESS = Path(env_str("GERAI_AUDIT_WITNESS", str(VAR_DIR / "audit" / "checkpoints.jsonl")))
# Personal data at rest (gerai/lib/pii.py): the keys that seal NIKs ("kid:base64,..." or "@file"; the first
# is current) and the key of their blind index. Development and tests derive both from the secret key.
_dev_pii_key = base64.b64encode(hashlib.sha256(f"pii:{SECRET_KEY}".encode()).digest()).decode()
GERAI_PII_KEYS = env_str("GERAI_PII_KEYS") or f"dev:{_dev_pii_key}"
GERAI_PII_INDEX_KEY = env_str("GERAI_PII_INDEX_KEY") or f"index:{SECRET_KEY}"
# Backups (manage.py backup) are sealed with a key derived from this passphrase: keep it off the machine
# (required in production: the secret key may be lost with the machine the backup is meant to replace)
GERAI_BACKUP_KEY = env_str("GERAI_BACKUP_KEY") or (SECRET_KEY if DEBUG or TESTING else "")
if TESTING:
    GERAI_AUDIT_WITNESS = Path(tempfile.mkdtemp(prefix="gerai-audit-")) / "checkpoints.jsonl"
GERAI_SIGNING_TRUST_ROOTS = [p for p in env_str("GERAI_SIGNING_TRUST_ROOTS").split(",") if p.strip()]
GERAI_BSRE_URL = env_str("GERAI_BSRE_URL")
GERAI_BSRE_USER = env_str("GERAI_BSRE_USER")
GERAI_BSRE_PASSWORD = env_str("GERAI_BSRE_PASSWORD")
GERAI_BSRE_TIMEOUT = env_int("GERAI_BSRE_TIMEOUT", 30, minimum=1)
if GERAI_SIGNING_BACKEND == "bsre" and not GERAI_BSRE_URL:
    raise ImproperlyConfigured("GERAI_SIGNING_BACKEND=bsre needs GERAI_BSRE_URL")
GERAI_TSA_URL = env_str("GERAI_TSA_URL")
GERAI_VERIFY_MAX_BYTES = env_int("GERAI_VERIFY_MAX_MB", 10, minimum=1) * 1024 * 1024

SITE_URL = env_str("GERAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Seconds a process may reuse a region's row (and the demo flag) before reading it again; 0 in tests.
GERAI_REGION_CACHE_SECONDS = 0 if TESTING else env_int("GERAI_REGION_CACHE_SECONDS", 30)
# Seconds the public pages whose answer changes rarely (transparency, open data, DCAT) keep what they show in
# the shared cache; any audited write in the region, and every rollup fold, makes it stale at once. 0 in tests.
GERAI_PUBLIC_CACHE_SECONDS = 0 if TESTING else env_int("GERAI_PUBLIC_CACHE_SECONDS", 300)

# --- Throttles (requests per window) ----------------------------------------------------------
GERAI_THROTTLES = {
    "tracking": (env_int("GERAI_TRACKING_PER_MINUTE", 20, minimum=1), 60),
    "login": (env_int("GERAI_LOGIN_ATTEMPTS_PER_15_MIN", 10, minimum=1), 900),
    "verify": (env_int("GERAI_VERIFY_PER_MINUTE", 20, minimum=1), 60),
    "report": (env_int("GERAI_REPORTS_PER_10_MIN", 5, minimum=1), 600),
    "open311_post": (env_int("GERAI_OPEN311_POSTS_PER_MINUTE", 60, minimum=1), 60),
    # registrations per client address (each sends a message); new NIKs and mobile numbers a citizen tries
    "register": (env_int("GERAI_REGISTRATIONS_PER_HOUR", 10, minimum=1), 3600),
    "identity_check": (env_int("GERAI_IDENTITY_CHECKS_PER_HOUR", 10, minimum=1), 3600),
    "identity_check_address": (env_int("GERAI_IDENTITY_CHECKS_PER_HOUR_PER_ADDRESS", 30, minimum=1), 3600),
    # one-time consent codes sent from a counter, per officer; claims of counter filings, per account and address
    "counter_code": (env_int("GERAI_COUNTER_CODES_PER_HOUR", 30, minimum=1), 3600),
    "claim": (env_int("GERAI_CLAIMS_PER_15_MIN", 10, minimum=1), 900),
    # news: comments and reactions per client address
    "news_comment": (env_int("GERAI_NEWS_COMMENTS_PER_10_MIN", 5, minimum=1), 600),
    "news_reaction": (env_int("GERAI_NEWS_REACTIONS_PER_HOUR", 60, minimum=1), 3600),
    "planner": (env_int("GERAI_PLANNER_SOLVES_PER_MINUTE", 30, minimum=1), 60),  # POST /api/v1/planner/solve
}

# --- Logging: never personal data; request paths carry no NIK/phone by design ----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GERAI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # PDF rendering narrates every step and font subset at INFO
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")

# Public figures: a count below this (and the averages behind it) is not published, so that nobody can
# be recognised in a small cell of the transparency pages or the open data.
GERAI_MIN_PUBLIC_CELL = env_int("GERAI_MIN_PUBLIC_CELL", 5, minimum=1)
