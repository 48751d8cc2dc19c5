"""Settings shared by every environment; the environment is read here, in one place, with types.

With no environment set the portal runs on embedded defaults: a SQLite file, an embedded Celery broker
(kombu's SQLAlchemy transport on a SQLite file, so no server is needed), e-mail to the console.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Only `make bench` switches this on: /bench/floor/ is the framework's floor to compare pages against.
BENCHMARK_FLOOR_VIEW = env.bool("BENCHMARK_FLOOR_VIEW", default=False)
# The release being run (an image tag or commit); cached pages are kept per release. Empty: a digest of
# the code, templates and translations, worked out at start-up.
RELEASE = env.str("RELEASE", default="")

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so the admin shows a field per language
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "template_partials",
    "csp",
    "simple_history",
    "zelfbeheer.accounts",
    "zelfbeheer.housing",
    "tickets",
    "social",
    "budget",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zelfbeheer.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "zelfbeheer.accounts.middleware.RequireMfaForStaffMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "zelfbeheer.urls"
WSGI_APPLICATION = "zelfbeheer.wsgi.application"

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
                "zelfbeheer.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "zelfbeheer.redis_cache.PooledClientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the user with roles and MFA state in one query.
    "zelfbeheer.accounts.backends.PortalModelBackend",
    "zelfbeheer.accounts.backends.PortalAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail login, passwordless login by code for tenants, TOTP for staff.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "zelfbeheer.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Zelfbeheer Lombok] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Zelfbeheer Lombok"
# allauth itself refuses this setting unless DEBUG is on; `make run` sets it for the demo logins.
MFA_TOTP_INSECURE_BYPASS_CODE = env.str("DEMO_MFA_BYPASS_CODE", default="") or None

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    # Uploaded photos and reports are private: they are served by permission-checked views only.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Wijkkantoor Lombok <wijkkantoor@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: the database is the source of truth, the broker only carries ids.
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "budget.tasks.generate_monthly_report": {"queue": "pdf"},
    "budget.tasks.generate_previous_month_report": {"queue": "pdf"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-unrouted-repair-requests": {
        "task": "tickets.tasks.sweep_unrouted_repair_requests",
        "schedule": crontab(minute="*/5"),
    },
    "refresh-sla-states": {
        "task": "tickets.tasks.refresh_sla_states",
        "schedule": crontab(minute="*/15"),
        # A run that waited past the next one is pointless; the next run does the same work.
        "options": {"expires": 14 * 60},
    },
    "expire-unaccepted-work-orders": {
        "task": "tickets.tasks.expire_unaccepted_work_orders",
        "schedule": crontab(minute="*/5"),
    },
    "send-appointment-reminders": {
        "task": "tickets.tasks.send_appointment_reminders",
        "schedule": crontab(minute=0, hour=17),
    },
    "remove-expired-photo-drafts": {
        "task": "tickets.tasks.remove_expired_photo_drafts",
        "schedule": crontab(minute=17, hour=3),
    },
    "sweep-unnotified-social-cases": {
        "task": "social.tasks.sweep_unnotified_cases",
        "schedule": crontab(minute="*/15"),
    },
    "social-action-digest": {
        "task": "social.tasks.send_action_digest",
        "schedule": crontab(minute=0, hour=7),
    },
    "anonymise-expired-social-cases": {
        "task": "social.tasks.anonymise_expired_cases",
        "schedule": crontab(minute=30, hour=2),
    },
    # After the anonymisation run, so it reports only what that run could not finish.
    "check-social-case-retention": {
        "task": "social.tasks.check_retention",
        "schedule": crontab(minute=30, hour=4),
    },
    "refresh-dashboard-snapshot": {
        "task": "budget.tasks.refresh_dashboard_snapshot",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    "monthly-report-for-previous-month": {
        "task": "budget.tasks.generate_previous_month_report",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
}

# Defaults for how long a contractor's signed link to one work order stays valid.
WORK_ORDER_LINK_VALID_DAYS = env.int("WORK_ORDER_LINK_VALID_DAYS", default=14)
# Tenants' activation letters: how long a code is valid, and how many wrong guesses are allowed.
ACTIVATION_CODE_VALID_DAYS = env.int("ACTIVATION_CODE_VALID_DAYS", default=90)
ACTIVATION_RATE_LIMITS = env.str("ACTIVATION_RATE_LIMITS", default="10/15m/ip,5/15m/key")
EMERGENCY_PHONE_NUMBER = env.str("EMERGENCY_PHONE_NUMBER", default="030 000 00 00")
OFFICE_PHONE_NUMBER = env.str("OFFICE_PHONE_NUMBER", default="030 000 00 01")

# Content Security Policy (django-csp 4): only our own scripts and styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# The contractor API (tickets.api): a contractor's token only, JSON only, a per-token rate limit.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tickets.api.authentication.ContractorTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["tickets.api.throttling.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"contractor_api": "120/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zelfbeheer Lombok contractor API",
    "DESCRIPTION": (
        "Work orders of the tenant self-management foundation Lombok for contracted professionals, "
        "mapped onto the DICO messages of Ketenstandaard (planningsverzoek, opdracht, status). "
        "Authenticate with the header `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}

FORM_RENDERER = "zelfbeheer.forms.PortalFormRenderer"
