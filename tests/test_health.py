import pytest
from django.urls import reverse

from zelfbeheer import views

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_health_is_503_when_a_component_is_down(client, monkeypatch):
    def broker_down():
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(views, "_broker", broker_down)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"
