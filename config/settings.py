"""Settings for the whole site, read from environment variables.

Every value that differs between deployments comes from the environment, and
every default is safe for production: DEBUG is off unless turned on, and with
DEBUG off the site refuses to start without SECRET_KEY and ALLOWED_HOSTS.
README.md lists every variable.
"""

import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw not in {"true", "false"}:
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', got {raw!r}")
    return raw == "true"


def env_list(name, default=()):
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or list(default)


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, got {raw!r}"
        ) from None


def env_networks(name):
    """A comma-separated list of IP addresses or networks (10.0.0.0/8)."""
    items = env_list(name)
    for item in items:
        try:
            ipaddress.ip_network(item)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, got {item!r}"
            ) from None
    return items


def env_secret(name, default=""):
    """NAME, or the contents of the file NAME_FILE names (stripped).

    A secret in a file stays out of the process environment, which other
    tools print and child processes inherit: systemd credentials, Docker and
    Kubernetes secrets are mounted as files. Setting both is a mistake, and a
    file that cannot be read stops the site instead of leaving it unset.
    """
    file_name = os.environ.get(f"{name}_FILE", "").strip()
    if not file_name:
        return os.environ.get(name, default)
    if name in os.environ:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    try:
        return Path(file_name).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        # The path and the reason, never the contents.
        raise ImproperlyConfigured(
            f"{name}_FILE: cannot read {file_name!r} "
            f"({exc.strerror if isinstance(exc, OSError) else 'not UTF-8 text'})."
        ) from None


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE (or DJANGO_DEBUG=true)."
        )
    SECRET_KEY = "development-only-key-never-used-with-debug-off"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (or DJANGO_DEBUG=true).")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# The scheme and host of every address people reach the site at, when a
# form is posted through a proxy or from another host name than the one in
# the request (Django checks the Origin header against the request's host).
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "DJANGO_CSRF_TRUSTED_ORIGINS holds origins with their scheme, "
            f"such as https://example.org, got {origin!r}"
        )

INSTALLED_APPS = [
    "core",
    "accounts",
    "articles",
    "contact",
    "helplines",
    "messaging",
    "outbox",
    "questions",
    "consultations",
    "specialists",
    "pages",
    "config.apps.AdminConfig",  # django.contrib.admin, with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "markdownx",
    "simple_history",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so the static files it answers with get these too.
    "csp.middleware.CSPMiddleware",
    "config.middleware.cross_origin_resource_policy",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so a kept public page skips the rest; it replays their headers.
    "core.pagecache.PageCacheMiddleware",
    "config.middleware.retry_after_on_429",
    "core.middleware.refuse_nul_bytes",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.private_pages_not_stored",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.sessions.session_timeouts",
    "accounts.middleware.admin_requires_two_factor",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.gate_prompts",
                "messaging.context_processors.unread_messages",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (or any database) through DATABASE_URL.
# Each worker keeps its connection for DATABASE_CONN_MAX_AGE seconds and checks
# it is still alive before reusing it for a new request (a restarted database
# costs one failed check, not one failed request). On PostgreSQL,
# DATABASE_POOL=true uses Django's connection pool instead (README).
DATABASE_URL = env_secret("DATABASE_URL")
DATABASE_POOL = env_bool("DATABASE_POOL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASE_POOL:
        if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_POOL=true needs PostgreSQL.")
        # Django refuses a pool with persistent connections: each request
        # takes a connection from the pool and gives it back at its end. With
        # CONN_HEALTH_CHECKS on, Django has the pool test each connection it
        # hands out.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 4),
        }
elif DATABASE_POOL:
    raise ImproperlyConfigured("DATABASE_POOL=true needs DATABASE_URL (PostgreSQL).")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # Opening a connection (PRAGMAs, functions) costs ~0.6 ms a request.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two
                # writers wait for each other (busy timeout) instead of failing
                # with "database is locked" half-way through.
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a file too: an in-memory database is one connection
            # shared with the live server, and a race test on it cannot fail.
            # One file per test process, so parallel runs never share one.
            "TEST": {
                "NAME": str(
                    Path(tempfile.gettempdir()) / f"test-db-{os.getpid()}.sqlite3"
                )
            },
        }
    }

# How long a worker may serve its kept copy of an anonymous public page
# (core/pagecache.py) before rendering it again: every write shows at once,
# this bounds what changes with time alone (free slots that pass).
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)

# Personal data of past consultations is removed after this many days
# (manage.py purge_consultations, run daily).
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 90)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "accounts:logged_out"

# Accounts (django-allauth): email and password, no usernames. Nobody can log in
# before verifying their address: only then can sign-up, login and password
# reset answer the same whether or not an account exists (allauth's enumeration
# prevention). Signing up with a taken address looks like any sign-up; the
# address gets an "account already exists" email instead of a verification link.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits use the default cache, which is shared by every worker.
# Limits per address are silent (accounts/adapter.py, ACCOUNT_MAIL_LIMIT): a
# refusal that showed would tell whether an address was being used. Limits
# per IP address only ever describe the person asking, so they may answer 429.
ACCOUNT_RATE_LIMITS = {
    # Requesting a password reset; the email is sent at most
    # ACCOUNT_MAIL_LIMIT times an hour to one address.
    "reset_password": "5/m/ip,20/h/ip",
    # Verification and "account already exists" emails: one every three
    # minutes to one address (allauth's default), and 30 an hour from one IP.
    "confirm_email": "1/3m/key,30/h/ip",
}
# At most this many password reset, verification and "account already
# exists" emails go to one address in an hour, whoever asks for them.
ACCOUNT_MAIL_LIMIT = 3
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Shown in authenticator apps, which others may see: neutral by default.
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Appointments")
# Staff use staff privileges (the admin, drafts, unpublished profiles, image
# upload) only with two-factor authentication turned on: accounts.gating.acts_as_staff.
ADMIN_REQUIRES_TWO_FACTOR = env_bool("ADMIN_REQUIRES_TWO_FACTOR", not DEBUG)

# Cache: shared by every app-server worker. The database cache on one machine;
# Redis when several app servers run. Never a per-process memory cache, which
# would multiply every rate limit by the number of workers.
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Past MAX_ENTRIES (300 by default) the table drops a third of its
            # live entries, rate-limit counters among them.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves compressed files with hashed names (collectstatic);
        # development and tests read the source files directly.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Development and tests serve the source files as they change.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_PERMISSIONS = 0o640

# Email
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Appointments <noreply@localhost>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Subjects stay neutral: mailbox previews are often seen by others.
EMAIL_SUBJECT_PREFIX = ""
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
elif os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ADMINS = MANAGERS = [("", address) for address in env_list("DJANGO_MANAGERS")]

# Security headers. The policy allows nothing but this site's own files:
# no inline script or style, no other host, no framing.
SECURE_CONTENT_TYPE_NOSNIFF = True
# An article's address must not leak to the sites its share links open.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions (README, "Sessions and sign-in"). Django gives a new session key at
# login, ends the session at logout, and ends every other session of a user
# whose password changes. A logged-in session also ends after two hours
# without a request (SESSION_COOKIE_AGE; accounts/sessions.py renews it at
# most once a minute, so an active person stays in) and twelve hours after
# logging in, however active (SESSION_ABSOLUTE_AGE): on a shared or watched
# device, a forgotten session does not stay open for weeks.
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
# Messages are kept in the session, on the server: Django's cookie storage is
# signed, not encrypted, so what a message says would be readable in the
# browser's cookies.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer asks /healthz over plain HTTP on a private address.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # __Host- cookies are bound to this exact host, over HTTPS only.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env_bool("DJANGO_BEHIND_PROXY"):
    # Trust X-Forwarded-Proto only when a proxy in front of the site sets it
    # (deploy/nginx.conf does, on every request).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# The proxies in front whose X-Forwarded-For the rate limits believe
# (core.ratelimit.client_ip). Empty: the header is ignored.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# django-markdownx: our renderer (Markdown, then nh3) feeds the live preview,
# and uploads are only JPEG, PNG or WebP of a few MB, re-encoded by Pillow.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "core.markdown.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = 3 * 1024 * 1024
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

# Error reports mask every POST value but a few harmless fields, every cookie
# and (in production) every local variable: see core/logging.py.
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.logging.PersonalDataReporterFilter"

# Every handler redacts the secrets that travel in URL paths (manage links,
# email confirmation and password reset keys): Django logs the path of every
# 4xx. Django's own `django` and `django.server` loggers are redefined here,
# because the handlers its defaults give them would not redact anything.
# Everything goes to stdout, one line per event (tracebacks included), for
# whatever collects the process's output (journald, Docker).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "core.logging.RedactSecretsFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "one_line": {"()": "core.logging.OneLineFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "one_line",
            "filters": ["redact_secrets"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["redact_secrets", "require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Errors are emailed to DJANGO_MANAGERS and, like everything, reach
        # the root's console.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
