"""Settings for guanai. Everything deployment-specific comes from the environment (guanai/env.py)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from guanai.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    production_check,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUANAI_VAR_DIR", str(BASE_DIR / "var")))

# Set by `guanai serve --production` for the processes it starts (docs/deploy.md): the key, the
# hosts and the database must then come from the environment, or nothing starts.
PRODUCTION = env_bool("GUANAI_PRODUCTION", False)
if PRODUCTION:
    production_check()

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("GUANAI_DEBUG", False)
ALLOWED_HOSTS = env_list("GUANAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("GUANAI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # its bundled Swagger UI for /api/v1/docs (no CDN); it has no models
    "guanai.core",
    "guanai.geo",
    "guanai.accounts",
    "guanai.audit",
    "guanai.notices",
    "guanai.registry",
    "guanai.care",
    "guanai.rules",
    "guanai.protection",
    "guanai.benefits",
    "guanai.window",
    "guanai.ingest",
    "guanai.stats",
    "guanai.synth",
    "guanai.disability",
    "guanai.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "guanai.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guanai.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "guanai.audit.middleware.AuditContextMiddleware",
    "guanai.accounts.middleware.LoginRequiredMiddleware",
    "guanai.core.middleware.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "guanai.accounts.middleware.LoginStepsMiddleware",
    "guanai.core.middleware.DomainErrorMiddleware",
    "guanai.audit.refusals.RefusalAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "guanai.urls"
WSGI_APPLICATION = "guanai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guanai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guanai.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guanai.sqlite3'}"), BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["guanai.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The password policy of 等保 level 3 (guanai/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "guanai.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "guanai.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "guanai.accounts.passwords.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "guanai.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]
# A password older than this many days must be changed at the next login (0: never).
PASSWORD_MAX_AGE_DAYS = env_int("GUANAI_PASSWORD_MAX_AGE_DAYS", 90)
# Lock an account (or a name that is no account) after this many failed logins within the
# window, for the window; a client address after its own, higher, number (an office behind one
# address has many users).
LOGIN_FAILURE_LIMIT = env_int("GUANAI_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("GUANAI_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_LOCKOUT_MINUTES = env_int("GUANAI_LOGIN_LOCKOUT_MINUTES", 15)
# On behind a reverse proxy that sets X-Forwarded-For to the client's address (replacing what
# the client sent): the first address of that header is then the client's. Off: REMOTE_ADDR.
TRUSTED_PROXY = env_bool("GUANAI_TRUSTED_PROXY", False)
# Roles that must log in with a second factor (an authenticator app); every other user may
# turn it on from their account page.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "GUANAI_TWO_FACTOR_REQUIRED_ROLES", ["admin", "civil_affairs", "department"]
)
OTP_TOTP_ISSUER = "guanai"
# A logged-in session ends after this many minutes without a request, and in any case
# SESSION_COOKIE_AGE after the login.
SESSION_IDLE_MINUTES = env_int("GUANAI_SESSION_IDLE_MINUTES", 30)

SESSION_COOKIE_AGE = env_int("GUANAI_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("GUANAI_SECURE_COOKIES", not DEBUG and env_bool("GUANAI_HTTPS", False))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("GUANAI_HTTPS", False)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL_REDIRECT else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL_REDIRECT
# The proxy and monitoring ask these over plain HTTP on 127.0.0.1 (docs/deploy.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# The HSTS preload list is for names on the public internet; a county intranet's is not one.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL_REDIRECT else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "guanai" / "locale"]
TIME_ZONE = env_str("GUANAI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "guanai" / "static"]
# WhiteNoise serves the vendored assets from the app itself (no CDN, no separate web server
# needed on a county intranet); finders let `make demo` run without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600
if PRODUCTION:
    # Hashed names from `collectstatic` (served for a year, immutable), compressed beforehand
    # (gzip and brotli; GUANAI_STATIC_COMPRESS=0 when the proxy compresses: collectstatic then
    # takes 2 s instead of 25).
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("GUANAI_STATIC_COMPRESS", True)
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    WHITENOISE_USE_FINDERS = False
    # Source maps of the bundled API docs (5 MB) are not compressed: nobody downloads them.
    WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
        "map",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "zip",
        "gz",
        "tgz",
        "bz2",
        "tbz",
        "xz",
        "br",
        "woff",
        "woff2",
    ]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("GUANAI_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running import or report whose process sent no heartbeat for this long (it beats every 30 s)
# is marked failed and may be run again; a worker silent as long counts as not running.
JOB_SILENT_MINUTES = env_int("GUANAI_JOB_SILENT_MINUTES", 5)
# /readyz fails when the disk of MEDIA_ROOT (uploads, reports) has less free than this.
READY_MIN_FREE_MB = env_int("GUANAI_READY_MIN_FREE_MB", 1024)

# Backups (`guanai backup` / `guanai restore`): the archive's passphrase comes from the environment
# (GUANAI_BACKUP_KEY) when the command runs, never from settings; pg_dump and pg_restore from
# this folder, else PATH, else the newest /usr/lib/postgresql/*/bin.
BACKUP_DIR = Path(env_str("GUANAI_BACKUP_DIR", str(VAR_DIR / "backups")))
PG_BIN = env_str("GUANAI_PG_BIN", "")

# Roster imports: the largest file accepted (a county's police roster of 1,000,000 children is
# about 70 MB as xlsx) and the most a workbook may unpack to (zip bombs are also caught by
# their packing ratio, see ingest/readers.py).
IMPORT_MAX_BYTES = env_int("GUANAI_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("GUANAI_IMPORT_MAX_UNPACKED_BYTES", 2 * 1024 * 1024 * 1024)
# Uploads of failed imports (to run them again) and of passed dry runs (to commit them) are
# kept this many days; `guanai ingest_cleanup` deletes them after.
IMPORT_KEEP_DAYS = env_int("GUANAI_IMPORT_KEEP_DAYS", 7)

# Care work: a carer looks after at most this many children one to one (over it: a warning).
CARER_CHILD_LIMIT = env_int("GUANAI_CARER_CHILD_LIMIT", 2)
# Remind carers of duties due within this many days (daily task / `guanai care remind`).
CARE_REMIND_DAYS = env_int("GUANAI_CARE_REMIND_DAYS", 3)
# Where notices go besides the in-app list: dotted paths (guanai.notices.notify.EmailBackend, or
# a subclass of guanai.notices.notify.SmsBackend for an SMS gateway).
NOTICE_BACKENDS = env_list("GUANAI_NOTICE_BACKENDS", ["guanai.notices.notify.ConsoleBackend"])

# Audit rows older than the retention (183 days at least) leave the table only through
# `guanai audit_archive`, into gzip files signed with HMAC-SHA256 under this key (keep the key
# as long as the files: without it they cannot be verified). No key, no archiving.
AUDIT_ARCHIVE_DIR = Path(env_str("GUANAI_AUDIT_ARCHIVE_DIR", str(VAR_DIR / "audit-archive")))
AUDIT_ARCHIVE_KEY = env_str("GUANAI_AUDIT_ARCHIVE_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GUANAI_LOG_LEVEL", "WARNING")},
}

GUANAI_SITE_NAME = _("关爱 · 儿童关爱保护一人一档")
