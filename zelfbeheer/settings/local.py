"""Development and demo: embedded defaults, DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-the-local-demo")
(BASE_DIR / "var").mkdir(exist_ok=True)
(BASE_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
