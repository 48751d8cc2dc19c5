import os

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.mark.skipif(not IN_CI, reason="CI runs the suite against PostgreSQL and Redis")
def test_ci_runs_against_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_time_zone_and_languages():
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en", "tr", "ar"]
    assert settings.LANGUAGES_BIDI == ["ar"]


def test_embedded_defaults_need_no_server(monkeypatch):
    """With no environment, the portal uses SQLite and the SQLAlchemy broker on a file."""
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "zelfbeheer.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL.split(':')[0], s.EMAIL_BACKEND, s.DEBUG)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.split()

    assert output == [
        "django.db.backends.sqlite3",
        "sqla+sqlite",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ]
