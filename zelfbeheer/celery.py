"""The Celery application: the broker comes from settings (Redis or the embedded SQLite broker)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zelfbeheer.settings.local")

app = Celery("zelfbeheer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
