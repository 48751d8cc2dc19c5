"""Tests: fast and isolated, but against the real database and broker when DATABASE_URL/REDIS_URL are set."""

import tempfile

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL

DEBUG = False
SECRET_KEY = "test-secret-key-not-used-anywhere-else"  # noqa: S105
(BASE_DIR / "var").mkdir(exist_ok=True)
(BASE_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise warns when it is missing
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="zelfbeheer-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in-process on commit; the real-worker tests switch this off and use the broker below.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{BASE_DIR / 'var' / 'celery-broker-test.sqlite3'}"
LANGUAGE_CODE = "nl"
