"""Settings for every environment, read from environment variables.

The defaults run the embedded set-up (SQLite in a data folder, local-memory cache, console mail);
production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and the mail variables
(see `.env.example`).
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("MINERALSTRATEGI_DATA_DIR", "mineralstrategi-data")).resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once and kept in the data folder (for
    the demo and development: the one write of these settings, never when SECRET_KEY is set, as
    `serve` requires)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "mineralstrategi.config.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "mineralstrategi.organisations",
    "mineralstrategi.accounts",
    "mineralstrategi.indicators",
    "mineralstrategi.strategy",
    "mineralstrategi.implementation",
    "mineralstrategi.cluster",
    "mineralstrategi.cycle",
    "mineralstrategi.consultation",
    "mineralstrategi.reports",
    "mineralstrategi.portal",
    "mineralstrategi.caching",
    "mineralstrategi.audit",
    "mineralstrategi.notifications",
    "mineralstrategi.printing",
    "mineralstrategi.limits",
    "mineralstrategi.ops",
    "mineralstrategi.help",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files before the content security policy: a policy governs documents, and
    # building its header for every file made static files about 30 % dearer (issue #19).
    "mineralstrategi.config.storage.StaticFilesMiddleware",
    # Outside everything that makes or caches a page: it compresses what they answer (the page
    # cache answers compressed pages it keeps, which this leaves alone).
    "mineralstrategi.caching.compression.TextGZipMiddleware",
    # Early, so that the policy also covers responses made by the middleware below (a 400 for
    # a disallowed host, a CSRF failure).
    "csp.middleware.CSPMiddleware",
    # Before anything reads the database (the session, the page cache): see its text.
    "mineralstrategi.query.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "mineralstrategi.caching.middleware.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mineralstrategi.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session and the user are known: only anonymous renders are counted.
    "mineralstrategi.accounts.middleware.RenderBudgetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mineralstrategi.config.urls"

# Form widgets are rendered from Django's own Jinja2 templates of them where it has them (see
# form_renderer): the same HTML at about half the CPU (a 25-section answer form has 75; issue #19,
# benchmarks/RESULTS.md). Pages stay Django templates.
FORM_RENDERER = "mineralstrategi.config.form_renderer.JinjaFirstRenderer"

# The audit trail is read only: the admin's history pages show it but cannot revert to it.
SIMPLE_HISTORY_REVERT_DISABLED = True
WSGI_APPLICATION = "mineralstrategi.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mineralstrategi.portal.context_processors.site",
                "mineralstrategi.help.context_processors.help_link",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so that concurrent writers queue instead of failing mid-way.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    # How long a writer queues for the write lock before "database is locked". An import holds
    # the lock for its whole (all-or-nothing) transaction; with 5 s, answers and comments failed
    # behind imports under load (benchmarks/crash_drill.py). Kept below gunicorn's 30 s timeout.
    "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'mineralstrategi.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------
# "default" for counters such as the comment rate limits; "pages" holds the public pages served to
# anonymous visitors and "shared" the generation token that every write renews (see
# mineralstrategi.caching); "progress" carries the progress of background work from the task
# worker to the web servers, outside any database transaction. Redis where there is one; else
# "default" is local to each process and the others are files in the data folder, which every
# process (web workers, task worker, command line) sees alike, so that one render of a page serves
# all workers and a write anywhere is seen everywhere.
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"mineralstrategi-{alias}",
        }
        for alias in ("default", "pages", "shared", "progress")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        **{
            alias: {
                "BACKEND": "mineralstrategi.caching.backends.AtomicAddFileBasedCache",
                "LOCATION": DATA_DIR / folder,
                "OPTIONS": {"MAX_ENTRIES": 2000} if alias == "pages" else {},
            }
            for alias, folder in (
                ("pages", "page-cache"),
                ("shared", "shared-cache"),
                ("progress", "progress"),
            )
        },
    }
# Seconds a public page stays cached without a write (0 turns the page cache off): bounds how long
# a change that comes from the clock alone (an event passing, a deadline) can go unseen.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
PUBLIC_CACHE_ALIAS = "pages"
# Each web process also keeps the pages it served lately in memory, up to this many bytes.
PUBLIC_CACHE_PROCESS_BYTES = int(os.environ.get("PUBLIC_CACHE_PROCESS_BYTES", str(16 * 2**20)))
PUBLIC_CACHE_GENERATION_ALIAS = "shared"

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A running task's lease (ops.leases): its worker renews it every third of this many seconds;
# once it has expired (the worker or its host is gone), any worker queues the task again, up to
# TASK_MAX_ATTEMPTS runs, after which the task is failed with the reason.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))
# Housekeeping (ops.housekeeping), once a day for the whole deployment: what it keeps, in days.
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("TASK_RESULTS_KEEP_DAYS", "30"))
LOGIN_ATTEMPTS_KEEP_DAYS = int(os.environ.get("LOGIN_ATTEMPTS_KEEP_DAYS", "90"))
IMPORT_FILES_KEEP_DAYS = int(os.environ.get("IMPORT_FILES_KEEP_DAYS", "90"))
IMPORT_UNCONFIRMED_KEEP_DAYS = int(os.environ.get("IMPORT_UNCONFIRMED_KEEP_DAYS", "7"))
INVITATIONS_KEEP_DAYS = int(os.environ.get("INVITATIONS_KEEP_DAYS", "30"))

# --- Authentication and permissions ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Two-step verification (TOTP and backup codes) for staff, superusers and organisation
# administrators: see mineralstrategi.accounts.policy.
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Mineralstrategi")

# The login lockout (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username from one
# client address lock that pair, and only that pair, for an hour after the last of them. The
# address is the real client's behind PROXY_COUNT trusted proxies (visitors.client_ip), so that
# nobody behind a proxy shares it with everyone else, nor forges it in X-Forwarded-For. Tries
# while locked check no password and do not prolong the lockout; the page says until when.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mineralstrategi.visitors.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "mineralstrategi.accounts.views.lockout_response"
# With the throttle per username (LOGIN_THROTTLE_* below; accounts.limits).
AXES_HANDLER = "mineralstrategi.accounts.limits.LockoutHandler"

# A session ends 8 hours after login (not renewed by activity) or when the browser closes.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- The handbook ----------------------------------------------------------------------------
# The built pages that /hjalp/ serves (`mineralstrategi handbook` builds them from docs/); in the
# package by default, where the image's build puts them.
HANDBOOK_DIR = Path(os.environ.get("HANDBOOK_DIR", PACKAGE_DIR / "help" / "site"))

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# No folder is made here (an image may be read-only): collectstatic makes STATIC_ROOT, the
# storages their folders, and the command line the SQLite database's (cli._setup_django).
# Source maps are served as they are (compressing them costs most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *["jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"],
    *["swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mkv", "mov", "mp4"],
    *["mpeg", "mpg", "webm", "wmv", "map"],
]
# Before `collectstatic` has run (tests, a checkout), WhiteNoise serves from the app folders.
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()


# --- Media: uploads, attachments and the files made of them ----------------------------------
# Every file goes through the default storage (names relative to it, opened with storage.open):
# MEDIA_STORAGE=local keeps them in MEDIA_ROOT on this server; MEDIA_STORAGE=s3 in a private
# bucket of an S3-compatible object store (AWS, or on-premises MinIO, Ceph …) that every server
# of a fleet reaches. The files are served only by the views that check who may read them.
MEDIA_STORAGE_CHOICES = ("local", "s3")


def s3_media_storage(environ) -> dict:
    """The default storage in a bucket, from S3_* variables (see .env.example). Access keys left
    out are found by boto3 itself (its own variables, a profile or the machine's role)."""
    if not environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket's name")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["S3_BUCKET"],
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
            "region_name": environ.get("S3_REGION") or None,
            "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
            "addressing_style": environ.get("S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,  # the bucket's own: private
            "querystring_auth": True,  # no file is public, not even by its URL
            "file_overwrite": False,  # a new name, as on disk, never another's file replaced
        },
    }


def media_storage(environ) -> dict:
    """The default storage that MEDIA_STORAGE names."""
    kind = environ.get("MEDIA_STORAGE", "local")
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "s3":
        return s3_media_storage(environ)
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE is {kind!r}: use one of {', '.join(MEDIA_STORAGE_CHOICES)}"
    )


STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "mineralstrategi.config.storage.StaticStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

# --- The fleet ------------------------------------------------------------------------------
# How many app servers (each running `serve`, or web and worker apart) share the database behind a
# load balancer. Above 1, `check --deploy` warns about what a server would keep to itself:
# SQLite, caches in memory or in files, media on its own disk (config/checks.py).
WEB_NODES = int(os.environ.get("WEB_NODES", 1))

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mineralstrategi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Consultation ---------------------------------------------------------------------------
# The largest attachment (PDF) a consultee may upload with an answer, in bytes.
CONSULTATION_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("CONSULTATION_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
# A reminder goes out this many days before a consultee's deadline (and one when it has passed).
CONSULTATION_REMINDER_DAYS_BEFORE = int(os.environ.get("CONSULTATION_REMINDER_DAYS_BEFORE", "7"))
# The site's public address (scheme and host, no path), e.g. https://mineralstrategi.example.se:
# every link in a mail starts with it (mineralstrategi.links). `check --deploy` warns when it is
# unset or names this machine.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
# Where links point while SITE_URL is unset: the address `serve` listens on (this machine only).
LOCAL_URL = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

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
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # WeasyPrint's steps, for the progress of a PDF being made (mineralstrategi.pdf), not logged.
    "loggers": {"weasyprint.progress": {"level": "INFO", "propagate": False}},
}

# --- The platform ---------------------------------------------------------------------------
MINERALSTRATEGI = {
    "SITE_NAME": os.environ.get("SITE_NAME", "Mineralstrategi"),
    "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "mineralstrategi@example.se"),
    # Who is responsible for the personal data (personuppgiftsansvarig), named in the privacy
    # notice, and where to ask about it; `check --deploy` warns while the controller is unnamed.
    "DATA_CONTROLLER": os.environ.get("DATA_CONTROLLER", "").strip(),
    "PRIVACY_EMAIL": os.environ.get("PRIVACY_EMAIL", "").strip(),
    # "pre": a comment waits for a moderator before it is shown; "post": shown at once and
    # moderated afterwards.
    "COMMENT_MODERATION": os.environ.get("COMMENT_MODERATION", "pre").strip().lower(),
    # How many comments (and reports) one IP address or one email may send per window.
    "COMMENT_RATE_LIMIT": int(os.environ.get("COMMENT_RATE_LIMIT", "5")),
    "COMMENT_RATE_WINDOW": int(os.environ.get("COMMENT_RATE_WINDOW", "600")),
    # The throttle per username (accounts.limits): once a username has had this many wrong
    # passwords within an hour, from any addresses together, a password for it is tried at most
    # once every LOGIN_THROTTLE_SECONDS; sooner tries are asked to wait, never locked out.
    "LOGIN_THROTTLE_FAILURES": int(os.environ.get("LOGIN_THROTTLE_FAILURES", "20")),
    "LOGIN_THROTTLE_SECONDS": int(os.environ.get("LOGIN_THROTTLE_SECONDS", 10)),
    # Password reset mails (accounts.limits): at most so many requests an hour for one e-mail
    # address, and from one client address.
    "PASSWORD_RESET_PER_ACCOUNT": int(os.environ.get("PASSWORD_RESET_PER_ACCOUNT", "3")),
    "PASSWORD_RESET_PER_IP": int(os.environ.get("PASSWORD_RESET_PER_IP", 10)),
    # The other limits counted in the database (limits.services), each within the last hour;
    # 0 turns one off. Sign-ups (accounts.limits) from one client address and for one e-mail
    # address; writes to the JSON API (POST, PUT, PATCH, DELETE) by one person, whether with an
    # API key or the browser's session (apikit.throttling); follow-up report PDFs asked for by
    # one person (reports.services).
    "SIGNUP_PER_IP": int(os.environ.get("SIGNUP_PER_IP", 20)),
    "SIGNUP_PER_EMAIL": int(os.environ.get("SIGNUP_PER_EMAIL", 3)),
    "API_WRITES_PER_HOUR": int(os.environ.get("API_WRITES_PER_HOUR", 300)),
    "FOLLOWUP_REPORTS_PER_HOUR": int(os.environ.get("FOLLOWUP_REPORTS_PER_HOUR", 10)),
    # Searches an anonymous visitor's address may have the server render within a minute (a
    # search for words asked before comes from the page cache and is not counted): each new
    # search reads the index, so this bounds what one address can make the server do.
    "ANONYMOUS_SEARCHES_PER_MINUTE": int(os.environ.get("ANONYMOUS_SEARCHES_PER_MINUTE", 30)),
    # Pages (and API reads) an anonymous visitor's address may have the server render within a
    # minute, of any kind: what the public page cache answers is not counted, nor signed-in
    # people, nor valid API keys (accounts.middleware.RenderBudgetMiddleware). Counted in the
    # shared cache (Redis in production). 0 turns it off.
    "ANONYMOUS_RENDERS_PER_MINUTE": int(os.environ.get("ANONYMOUS_RENDERS_PER_MINUTE", 60)),
    # The longest a personal API key is valid, in days, when made or renewed (organisations,
    # the keys page offers 30 days, 90 days and a year, up to this).
    "API_KEY_MAX_DAYS": int(os.environ.get("API_KEY_MAX_DAYS", 365)),
    # How many reverse proxies (load balancer, TLS terminator) stand in front of the app servers,
    # each appending the address it received from to X-Forwarded-For: the visitor's address (for
    # the login lockout and the rate limits) is then the entry that many places from the right.
    "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
    # A background map behind the site map (organisations/tiles.py): the address of a tile
    # service's images, Web Mercator tiles of 256 pixels with {z}, {x} and {y} in it (e.g.
    # https://tile.example/{z}/{x}/{y}.png), and the attribution its terms ask for, shown under
    # the map. Unset (the default): no background, and no request leaves the site for one; set,
    # its scheme and host (and only they) join the policy's img-src below.
    "MAP_TILES_URL": os.environ.get("MAP_TILES_URL", "").strip(),
    "MAP_TILES_ATTRIBUTION": os.environ.get("MAP_TILES_ATTRIBUTION", "").strip(),
}
if MINERALSTRATEGI["MAP_TILES_URL"]:
    _tiles = urlsplit(MINERALSTRATEGI["MAP_TILES_URL"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
NINJA_PAGINATION_PER_PAGE = 100
MINERALSTRATEGI_IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(200 * 2**20)))
# An import that has reported no progress for this long has lost its worker (killed, or its host
# gone): it is shown and recorded as failed, with nothing written (its transaction died with it).
MINERALSTRATEGI_IMPORT_STALL_SECONDS = int(os.environ.get("IMPORT_STALL_SECONDS", "900"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
